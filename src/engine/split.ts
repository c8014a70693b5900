/**
 * Intra-file parallelism: a large plain snapshot is scanned as two byte ranges, the first in this thread and
 * the second on a worker thread, split at a record boundary. This thread starts parsing at once while the
 * worker boots; when the worker is ready, the rest of the file is cut at a record boundary (FIRST_SHARE), so
 * both threads finish together whatever the worker's start cost. The second range's parser starts from the
 * state a parse of the file's head settles (table layout, flags, the Netid decision, metadata), numbering its
 * lines from a base that the merge replaces by the line count the first range ends with (scan.ts,
 * shiftLines), so line numbers and inferred fields are exact; the scan checks afterwards that the first range
 * really ended in that state, and scans the whole file in one thread when it did not (or when the second
 * range wrote a line number into a text: a new table's Netid decision, an SCTP note). When this thread is done
 * first, it takes the end of the worker's range (giveTail) and parses it as a third range, from the same seed or,
 * when the worker's range ends in another state, from that one.
 */
import * as fs from 'node:fs';
import { SsParser, type ParseStats, type ParserSeed } from '../snapshot/parser';
import { binaryReason, type ByteRange } from '../snapshot/source';
import { parallelMinBytes } from './threads';

/** How much of the head is parsed to learn the state the second range starts from. */
const HEAD_BYTES = 32 * 1024;
/** How far past the middle a record boundary is looked for. */
const WINDOW_BYTES = 256 * 1024;
/**
 * Share of the rest this thread keeps when the worker is ready. It was a little over half (0.54) while the
 * worker made findings as it parsed, most of which the merge dropped: the worker parses ~10 % slower per byte
 * (its code is not warm yet) and its results then cross threads. Since the worker makes its findings once it
 * knows how many it may list (EvaluatorContext.follows), it makes almost none, and this thread, which makes
 * them all (~150 ms for 5,000 findings of `-tanpmioe`, in code not warm yet), keeps less. Measured (session
 * 15; 8 interleaved runs per value, SARIF + JUnit + JSON, wall time against the build before): 250k
 * `-tanpmioe` 0.54 0.982, 0.50 0.962 and 0.979, 0.47 0.946, 0.933 and 0.936, 0.44 0.956; 1M `-tanp` 0.54
 * 0.989, 0.50 0.939 and 0.943, 0.47 0.926, 0.938 and 0.927, 0.44 0.943.
 */
export const FIRST_SHARE = 0.47;
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
export function planHead(file: string, size: number, flags?: string): ParserSeed | undefined {
  // (read synchronously: 32 KiB of a regular file, and fs.promises' first use loads ~7 ms of Node's modules on
  // the path to this thread's first row)
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const headLen = Math.min(HEAD_BYTES, Math.floor(size / 4));
    const head = Buffer.alloc(headLen);
    const got = fs.readSync(fd, head, 0, headLen, 0);
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
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Where to cut the rest of `file` after `from` (the first thread's position) up to `size` so that both threads
 * finish together: the start of the first record line at or after `share` of it; undefined when too little
 * is left (less than an eighth of the size from which files are split, at most 4 MiB) or no record starts there.
 */
export function cutPoint(file: string, from: number, size: number, minBytes = parallelMinBytes(), share = FIRST_SHARE): number | undefined {
  if (size - from < Math.min(MIN_REST_BYTES, minBytes / 8) || size - from < 2) return undefined;
  const mid = from + Math.floor((size - from) * share);
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

/**
 * Share of what is left of the second range that its thread keeps when the first thread, done with its own range,
 * takes the rest (giveTail). Half: the first thread's code is warm, but it also makes the findings of what it takes
 * and merges the ranges once the second one's result has come.
 */
export const KEEP_SHARE = 0.5;

/**
 * Lowers the end of `range` of `file`, being parsed on this thread, to the start of a record about KEEP_SHARE into
 * what is left of it, so that the other thread, done first, parses the rest: the new end, or undefined when the
 * parse is over or too little is left (cutPoint). The thread that parses the range hands it over between chunks,
 * when it has fed the parser up to `fed` (source.ts reads `end` before each chunk).
 */
export function giveTail(file: string, range: ByteRange, minBytes?: number): number | undefined {
  if (range.done) return undefined;
  const cut = cutPoint(file, range.fed ?? range.start, range.end, minBytes, KEEP_SHARE);
  if (cut !== undefined) range.end = cut;
  return cut;
}

/**
 * Whether a range ended in the state the range after it was started from (but for the lines read, which the merge
 * counts; the columns of ports, which the next range does not start from: they tell whether that range read its
 * first unix row right, samePort; and the count of table headers read).
 */
export function sameSeed(a: ParserSeed, b: ParserSeed): boolean {
  // (nor the count of table headers: the next range's tables are numbered after the earlier ranges' at the merge)
  // (nor the rows of its last table: the merge compares as many of the next range's first rows as it leaves,
  // ParseStats.startRows)
  const state = (s: ParserSeed): string => JSON.stringify({ ...s, lineNo: undefined, port: undefined, peer: undefined, tables: undefined, rows: undefined });
  return state(a) === state(b);
}

/**
 * Whether the second range read its first unix row by the columns of ports the file's parse had at its start
 * (boundary: the first range's checkpoint): a range that read one before a row told it the columns took the row's own.
 */
export function samePort(boundary: ParserSeed, second: Pick<ParseStats, 'startPort' | 'startPeer'>): boolean {
  return second.startPort === undefined || (second.startPort === boundary.port && second.startPeer === boundary.peer);
}
