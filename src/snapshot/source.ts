/**
 * Snapshot sources: a file, `-` (stdin) or any Readable, plain or gzip (detected by magic bytes), streamed
 * through an SsParser. Problems with the input as a whole (missing, directory, unreadable, binary, corrupt
 * gzip) become one-line UserErrors with exit code 3; an empty file or one without sockets is not an error
 * here (the engine decides).
 */
import * as fs from 'fs';
import { TextDecoder } from 'util';
import type { Readable } from 'stream';
import { ExitCode, UserError } from '../diagnostics';
import { isAFolder, readProblem } from '../read-problem';
import { fileStartsGzip, startsGzip } from './gzip';
import { SsParser, type ParseSink, type ParseStats, type ParserOptions, type ParserSeed } from './parser';

export interface SourceOptions extends Partial<ParserOptions> {
  /** Stream to read instead of opening `file` (tests; stdin is used for `-` when absent). */
  input?: Readable | AsyncIterable<Buffer | string>;
  /**
   * Read only bytes [start, end) of a plain (uncompressed) file. A range that does not start at 0 starts at
   * a record boundary and is parsed from `seed`; it is neither sniffed for binary data nor for gzip (the
   * whole file's start was).
   */
  range?: ByteRange;
  /** Called after the last line, before the parser ends, with its checkpoint (see SsParser.checkpoint). */
  checkpoint?: (seed: ParserSeed | undefined) => void;
}

/**
 * Bytes [start, end) of a plain file. `end` may be lowered while the parse runs, to no less than `fed`: the
 * offset just past the bytes handed to the parser so far, kept up to date during the parse (split.ts cuts a
 * large file where the first thread has got to when the second is ready, and the second range where its thread
 * has got to when the first thread is done: giveTail). `done` is set when the parse has read its last chunk:
 * `end` is no longer read.
 */
export interface ByteRange {
  start: number;
  end: number;
  fed?: number;
  done?: boolean;
}

/** How much of the (decompressed) start is checked for binary data. */
const SNIFF_BYTES = 64 * 1024;

function fail(file: string, code: string, message: string, hint?: string): UserError {
  return new UserError({ file, code, message, ...(hint ? { hint } : {}) }, ExitCode.snapshot);
}

/**
 * Why the first chunk is not text, or undefined when it looks like text: more than a tenth of it NUL or other
 * control bytes. A few in text (a capture with a zero-filled block after a crash, junk in a COMM) leave it text:
 * the lines that hold them are reported unparsed, as they are anywhere past the first chunk.
 */
export function binaryReason(buf: Buffer): string | undefined {
  const n = Math.min(buf.length, SNIFF_BYTES);
  if (n === 0) return undefined;
  let control = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === 0) nul++;
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27 && c !== 12 && c !== 11) control++;
  }
  if ((control + nul) * 10 <= n) return undefined;
  return `binary data (${nul > 0 ? 'NUL bytes' : 'mostly control bytes'}), not ss text output`;
}

/**
 * The UTF-16 a snapshot's first bytes are in — what Windows PowerShell 5's `>` and `Out-File` write
 * (`wsl ss -tanp > host.ss`) — from its byte-order mark, or from ASCII text's every other byte being NUL;
 * undefined for anything else (UTF-8, binary data).
 */
export function utf16Of(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  const n = Math.min(buf.length, UTF16_SNIFF_BYTES) & ~1;
  if (n < 16) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) even++;
    if (buf[i + 1] === 0) odd++;
  }
  if (even === 0 && odd === n / 2) return 'utf-16le';
  if (odd === 0 && even === n / 2) return 'utf-16be';
  return undefined;
}
const UTF16_SNIFF_BYTES = 512;

/** The chunks of `src`, re-encoded from UTF-16 to UTF-8 when its first chunk is UTF-16 (byte-order mark dropped). */
async function* decodeUtf16(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | undefined;
  let first = true;
  for await (const c of src) {
    if (first) {
      first = false;
      const enc = utf16Of(c);
      if (enc) decoder = new TextDecoder(enc);
    }
    if (!decoder) {
      yield c;
      continue;
    }
    const text = decoder.decode(c, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder?.decode() ?? '';
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}

const SNAPSHOT_FILE = 'snapshot file';

/** A file-system error reading `file`, in words (read-problem.ts), with the snapshot-* code it has. */
function describeFsError(file: string, e: NodeJS.ErrnoException): UserError {
  // a folder's entry whose name is not UTF-8 comes back with U+FFFD in it, a name no file has
  if (e.code === 'ENOENT' && file.includes('\ufffd')) return fail(file, 'snapshot-missing', 'snapshot file not found: its name is not valid UTF-8, so it cannot be opened by it (rename the file)');
  const code = e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'snapshot-missing' : e.code === 'EISDIR' ? 'snapshot-directory' : 'snapshot-unreadable';
  const { message, hint } = readProblem(e, SNAPSHOT_FILE);
  return fail(file, code, message, hint);
}

async function* chunks(src: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const c of src) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
}

/** Bytes read at a time. */
const READ_BYTES = 256 * 1024;
/**
 * Read buffers no file is being read into, kept for the next file this thread reads (a thread reads one file
 * at a time, so this holds one; concurrent readers get their own). A new buffer per file (256 KiB, or the
 * file's size when smaller) is memory the kernel maps and zeroes page by page during the first read into it:
 * on 100 × 10k-socket files `read` took ~50 ms of a -j 1 scan and ~290 ms of the two threads of a -j 2 one,
 * ~20 and ~30 ms with the buffer kept (wall time, interleaved, 12 rounds: -j 1 0.979, -j 2 1.001).
 */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 4;
/** A plain file is read without giving other events a turn for at most this many bytes. */
const YIELD_BYTES = 1024 * 1024;
/**
 * Output chunk of the gunzip of a .gz snapshot. zlib's default (16 KiB) made each inflate step in libuv's
 * thread pool one round trip per 16 KiB the parser takes, so inflating and parsing mostly took turns (the
 * profile: ~0.3 s idle in this thread): a 1M-socket -tanp .gz scanned in 1.30 s, 1.01 s with 256 KiB
 * (6 interleaved runs; 1 MiB, or a 4 MiB readable buffer besides, no faster; peak RSS the same).
 */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * A regular (uncompressed) file, or bytes [range.start, range.end) of it (range.end read as each chunk is
 * read: split.ts may lower it), in chunks of one buffer read again for each (the parser keeps nothing of a
 * chunk after write() returns). Read synchronously: a thread that parses while another does (split.ts,
 * several snapshots) would otherwise wait for each read to come back through libuv's thread pool, whose
 * threads compete with both for the cores; other events (a worker's messages) get a turn every megabyte.
 */
async function* fileChunks(file: string | number, range: ByteRange | undefined): AsyncGenerator<Buffer> {
  // a number: stdin's descriptor, read on from its offset (fd 0 with position null) and left open
  const fd = typeof file === 'number' ? file : fs.openSync(file, 'r');
  const buf = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BYTES);
  try {
    let pos = range?.start ?? 0;
    const sequential = typeof file === 'number';
    let sinceYield = 0;
    for (;;) {
      const want = range ? Math.min(buf.length, range.end - pos) : buf.length;
      if (want <= 0) return;
      const n = fs.readSync(fd, buf, 0, want, sequential ? null : pos);
      if (n <= 0) return;
      pos += n;
      yield buf.subarray(0, n);
      sinceYield += n;
      if (sinceYield >= YIELD_BYTES) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    if (typeof file !== 'number') fs.closeSync(fd);
    if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buf);
  }
}

/**
 * Stdin (`-`): a regular file redirected to it (`socklint scan - < big.ss`) is read as a snapshot file is, in
 * synchronous reads of one buffer from its offset (1M `-tanp`, -j 1: ~1.3 s through process.stdin, ~1.0 s so);
 * a pipe, a terminal or anything else through process.stdin.
 */
function stdinChunks(): AsyncIterable<Buffer | string> {
  let st: fs.Stats | undefined;
  try {
    st = fs.fstatSync(0);
  } catch {
    st = undefined;
  }
  return st?.isFile() ? fileChunks(0, undefined) : process.stdin;
}

/** Streams a file (or '-' = stdin, or a .gz file) through an SsParser. */
export async function parseSnapshotFile(file: string, sink: ParseSink, opts?: SourceOptions): Promise<ParseStats> {
  let input: AsyncIterable<Buffer | string>;
  if (opts?.input) {
    input = opts.input;
  } else if (file === '-') {
    input = stdinChunks();
  } else {
    // synchronous: two quick system calls, against two round trips through libuv's thread pool per file
    // (a scan of a thousand snapshots spent ~0.3 s idle in them)
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (e) {
      throw describeFsError(file, e as NodeJS.ErrnoException);
    }
    if (st.isDirectory()) throw fail(file, 'snapshot-directory', isAFolder(SNAPSHOT_FILE));
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
      throw describeFsError(file, e as NodeJS.ErrnoException);
    }
    const r = opts?.range;
    input = st.isFile() && fileStartsGzip(file) === false
      ? fileChunks(file, r)
      : fs.createReadStream(file, { highWaterMark: READ_BYTES, ...(r ? { start: r.start, end: r.end - 1 } : {}) });
  }
  const inner = opts?.range !== undefined && opts.range.start > 0;

  const { input: _omit, range: _range, checkpoint, ...rest } = opts ?? {};
  void _omit;
  void _range;
  const finish = (): ParseStats => {
    if (opts?.range) opts.range.done = true;
    if (checkpoint) checkpoint(parser.checkpoint());
    return parser.end();
  };
  const parser = new SsParser({ ...rest, file: opts?.file ?? file }, sink);

  const it = chunks(input)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
    // accumulate at least 2 bytes for the magic check
    while (!first.done && first.value.length < 2) {
      const more = await it.next();
      if (more.done) break;
      first = { done: false, value: Buffer.concat([first.value, more.value]) };
    }
  } catch (e) {
    throw describeFsError(file, e as NodeJS.ErrnoException);
  }
  if (first.done) return finish();

  const head = first.value;
  const gz = !inner && startsGzip(head);
  let body: AsyncIterable<Buffer>;
  if (gz) {
    // (zlib loaded for a gzip file only: ~2.5 ms of every start otherwise)
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const zlib = require('node:zlib') as typeof import('node:zlib');
    const gunzip = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    // wait for room in the gunzip buffer, or for it to go away (consumer stopped / error)
    const room = (): Promise<void> =>
      new Promise((res) => {
        const done = (): void => {
          gunzip.off('drain', done);
          gunzip.off('close', done);
          res();
        };
        gunzip.on('drain', done);
        gunzip.on('close', done);
      });
    const feed = async (): Promise<void> => {
      try {
        if (!gunzip.write(head)) await room();
        for (;;) {
          if (gunzip.destroyed) break;
          const r = await it.next();
          if (r.done) break;
          if (gunzip.destroyed) break;
          if (!gunzip.write(r.value)) await room();
        }
        if (!gunzip.destroyed) gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      } finally {
        await it.return?.(undefined);
      }
    };
    void feed();
    body = gunzip;
  } else {
    body = (async function* () {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })();
  }

  // a range past the start (split.ts) is plain UTF-8: a UTF-16 file is never split (its NUL bytes stop planHead)
  if (!inner) body = decodeUtf16(body);
  let sniffed = inner ? SNIFF_BYTES : 0;
  const range = gz ? undefined : opts?.range;
  if (range) range.fed = range.start;
  try {
    for await (const c of body) {
      let buf = c as Buffer;
      if (sniffed < SNIFF_BYTES) {
        const why = binaryReason(buf.subarray(0, SNIFF_BYTES - sniffed));
        sniffed += buf.length;
        if (why) throw fail(file, 'snapshot-binary', why);
      }
      // this chunk may reach the end of the range (which may have been moved in meanwhile)
      const room = range ? range.end - range.fed! : Infinity;
      if (buf.length >= room) buf = buf.subarray(0, Math.max(0, room));
      if (range) range.fed! += buf.length;
      parser.write(buf);
      const full = sink.wait?.();
      if (full) await full;
      if (buf.length >= room) {
        await it.return?.(undefined);
        break;
      }
    }
  } catch (e) {
    if (range) range.done = true;
    await it.return?.(undefined);
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (gz || (err.code && err.code.startsWith('Z_'))) {
      throw fail(file, 'snapshot-gzip', `corrupt gzip data (${err.message})`);
    }
    throw describeFsError(file, err);
  }
  return finish();
}
