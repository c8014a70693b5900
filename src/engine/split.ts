/**
 * Intra-file parallelism: a large plain snapshot is scanned as two byte ranges, the first in this thread and
 * the second on a worker thread, split at a record boundary. This thread starts parsing at once while the
 * worker boots; when the worker is ready, the rest of the file is cut at a record boundary (FIRST_SHARE), so
 * both threads finish together whatever the worker's start cost. The second range's parser starts from the
 * state a parse of the file's head settles (table layout, flags, the Netid decision, metadata), numbering its
 * lines from a base that the merge replaces by the line count the first range ends with (scan.ts,
 * shiftLines), so line numbers and inferred fields are exact; the scan checks afterwards that the first range
 * really ended in that state, and scans the whole file in one thread when it did not (or when the second
 * range wrote a line number into a text: a new table's Netid decision, an SCTP note).
 */
import * as fs from 'node:fs';
import { SsParser, type ParserSeed } from '../snapshot/parser';
import { binaryReason } from '../snapshot/source';
import { parallelMinBytes } from './threads';

/** How much of the head is parsed to learn the state the second range starts from. */
const HEAD_BYTES = 32 * 1024;
/** How far past the middle a record boundary is looked for. */
const WINDOW_BYTES = 256 * 1024;
/**
 * Share of the rest this thread keeps when the worker is ready: a little over half, because the worker parses
 * ~10 % slower per byte (its code is not warm yet) and its results then cross threads. Measured on 1M
 * `-tanp`: at 0.5 this thread waited 40–145 ms for the worker; at 0.52, 30–110 ms. Since this thread reads
 * synchronously (session 4; 8 interleaved runs per value, time to the end of the scan): 1M `-tanp` 0.52
 * 823 ms (waiting 33 ms on average), 0.54 820 ms (11 ms), 0.56 829 ms, 0.58 846 ms (the worker idles
 * instead); 250k `-tanpmioe` 0.52 1227 ms (waiting 91 ms), 0.54 1195 ms (33 ms), 0.56 1268 ms.
 */
const FIRST_SHARE = 0.54;
/** Less than this left to parse when the worker is ready: this thread parses it alone (at most). */
const MIN_REST_BYTES = 4 * 1024 * 1024;

/** A line that starts a socket row: a Netid, a State or a number (never a continuation, comment or blank). */
function startsRecord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/**
 * The parser state after the head of `file` (of `size` bytes) — which the second range starts from, but for
 * its lineNo (scanRange) — or undefined when the file should be scanned whole.
 */
export async function planHead(file: string, size: number, flags?: string): Promise<ParserSeed | undefined> {
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
    const pre = new SsParser({ file, flags }, { socket() {}, unparsed() {} });
    pre.write(head.subarray(0, cut + 1));
    return pre.checkpoint();
  } catch {
    return undefined; // unreadable: the whole-file scan reports it
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Where to cut the rest of `file` after `from` (the first thread's position) so that both threads finish
 * together: the start of the first record line at or after FIRST_SHARE of it; undefined when too little
 * is left (less than an eighth of the size from which files are split, at most 4 MiB) or no record starts there.
 */
export function cutPoint(file: string, from: number, size: number, minBytes = parallelMinBytes()): number | undefined {
  if (size - from < Math.min(MIN_REST_BYTES, minBytes / 8) || size - from < 2) return undefined;
  const mid = from + Math.floor((size - from) * FIRST_SHARE);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const win = Buffer.alloc(Math.min(WINDOW_BYTES, size - mid + 1));
    const n = fs.readSync(fd, win, 0, win.length, mid - 1);
    for (let i = win.indexOf(10); i >= 0 && i + 1 < n; i = win.indexOf(10, i + 1)) {
      if (startsRecord(win[i + 1])) return mid + i;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Whether the first range ended in the state the second one was started from. */
export function sameSeed(a: ParserSeed, b: ParserSeed): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
