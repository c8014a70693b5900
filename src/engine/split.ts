/**
 * Intra-file parallelism: a large plain snapshot is scanned as two byte ranges, the first in this thread and
 * the second on a worker thread, split at a record boundary. The second range's parser starts from the state
 * a parse of the file's head settles (table layout, flags, the Netid decision, metadata) and the line count
 * of the first range, so line numbers and inferred fields are exact; the scan checks afterwards that the
 * first range really ended in that state, and scans the whole file in one thread when it did not.
 */
import * as fs from 'node:fs';
import { SsParser, type ParserSeed } from '../snapshot/parser';
import { binaryReason } from '../snapshot/source';
import type { RangeResult, RangeRunner, WorkerTask } from './scan';
import { parallelMinBytes, startScanWorker } from './threads';

/** How much of the head is parsed to learn the state the second range starts from. */
const HEAD_BYTES = 32 * 1024;
/** Share of the bytes scanned in this thread (measured: both threads parse at the same rate). */
const FIRST_SHARE = 0.5;
/** How far past the middle a record boundary is looked for. */
const WINDOW_BYTES = 256 * 1024;

export interface SplitPlan {
  /** Offset of the first byte of the second range (the start of a line that starts a record). */
  split: number;
  size: number;
  /** Parser state at `split`, as predicted from the head (lineNo: lines before `split`). */
  seed: ParserSeed;
  /** Capture metadata of the head (`# key: value`). */
  meta: Record<string, string>;
}

/** A line that starts a socket row: a Netid, a State or a number (never a continuation, comment or blank). */
function startsRecord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** The size of `file` when it is a plain (not gzip) regular file worth splitting, else undefined. */
export async function splittableSize(file: string, minBytes = parallelMinBytes()): Promise<number | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile() || st.size < Math.max(minBytes, 2)) return undefined;
    fh = await fs.promises.open(file, 'r');
    const magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
    return magic[0] === 0x1f && magic[1] === 0x8b ? undefined : st.size; // gzip: one stream
  } catch {
    return undefined; // the whole-file scan reports it
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Where and from which parser state to split `file` (of `size` bytes), or undefined when it should be scanned whole. */
export async function planSplit(file: string, size: number): Promise<SplitPlan | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(file, 'r');
    const headLen = Math.min(HEAD_BYTES, Math.floor(size / 4));
    const head = Buffer.alloc(headLen);
    const got = (await fh.read(head, 0, headLen, 0)).bytesRead;
    if (got < headLen) return undefined;
    if (binaryReason(head)) return undefined; // the whole-file scan reports it
    const cut = head.lastIndexOf(10);
    if (cut < 0) return undefined;
    const pre = new SsParser({ file }, { socket() {}, unparsed() {} });
    pre.write(head.subarray(0, cut + 1));
    const seed = pre.checkpoint();
    if (!seed) return undefined;

    // Halves: the worker boots and builds its rule set while this thread plans the split, so both start
    // parsing within milliseconds of each other and parse at the same rate.
    const mid = Math.floor(size * FIRST_SHARE);
    const win = Buffer.alloc(Math.min(WINDOW_BYTES, size - mid + 1));
    const n = (await fh.read(win, 0, win.length, mid - 1)).bytesRead;
    let split = -1;
    for (let i = win.indexOf(10); i >= 0 && i + 1 < n; i = win.indexOf(10, i + 1)) {
      if (startsRecord(win[i + 1])) {
        split = mid - 1 + i + 1;
        break;
      }
    }
    if (split <= cut + 1 || split >= size) return undefined;

    // lines before the split
    let lines = 0;
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; pos < split;) {
      const want = Math.min(buf.length, split - pos);
      const r = (await fh.read(buf, 0, want, pos)).bytesRead;
      if (r <= 0) return undefined;
      for (let i = buf.indexOf(10); i >= 0 && i < r; i = buf.indexOf(10, i + 1)) lines++;
      pos += r;
    }
    return { split, size, seed: { ...seed, lineNo: lines }, meta: seed.meta };
  } catch {
    return undefined; // unreadable: the whole-file scan reports it
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Whether the first range ended in the state the second one was started from. */
export function sameSeed(a: ParserSeed, b: ParserSeed): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A worker thread for the second range, started early (it rebuilds the rule set from its sources while this
 * thread plans the split); `scan` sends it the range.
 */
export function startRangeWorker(task: WorkerTask): RangeRunner {
  const worker = startScanWorker(task);
  let settled = false;
  const result = new Promise<RangeResult>((resolve, reject) => {
    worker.on('message', (msg: { range?: RangeResult; error?: string }) => {
      settled = true;
      void worker.terminate();
      if (msg.range) resolve(msg.range);
      else reject(new Error(msg.error ?? 'range scan failed'));
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', () => {
      if (!settled) reject(new Error('range worker exited'));
    });
  });
  result.catch(() => undefined); // a cancelled scan does not wait for it
  return {
    scan(range) {
      worker.postMessage(range);
      return result;
    },
    cancel() {
      settled = true;
      void worker.terminate();
    },
  };
}
