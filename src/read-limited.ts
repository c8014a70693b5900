/**
 * Reading a user's text file (rules, config, baseline) with a size limit that holds whatever the path is. A
 * regular file is refused by its size before it is read; a pipe or a device (`-c <(generate-config)`,
 * `--rules /dev/zero`) has no size, so it is read only up to the limit: a file that never ends cannot take
 * the memory or the time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type LimitedRead =
  | { text: string }
  /** `size` is the file's size, or for a pipe or device undefined: it went on past the limit. */
  | { tooLarge: true; size?: number }
  /** Not UTF-8: where the first byte that is not (1-based line and byte column), or UTF-16 by its byte-order mark. */
  | { notUtf8: { line: number; column: number; byte: number; utf16?: true } };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes as text — only when they are UTF-8: decoding them anyway would replace what is not by U+FFFD, and a
 * rule matching `Rédis` written in Latin-1 would then never match, without a word.
 */
function decode(bytes: Buffer): LimitedRead {
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      return { notUtf8: { line: 1, column: 1, byte: bytes[0], utf16: true } };
    }
    const at = firstInvalidUtf8(bytes);
    // (lastIndexOf from -1 would search from the end: a bad first byte would be placed after the last LF)
    const lineStart = at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1;
    let line = 1;
    for (let p = bytes.indexOf(0x0a); p >= 0 && p < at; p = bytes.indexOf(0x0a, p + 1)) line++;
    return { notUtf8: { line, column: at - lineStart + 1, byte: bytes[at] } };
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (bytes.length when all do). */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
    }
    // overlong three- and four-byte forms, UTF-16 surrogates, past U+10FFFF
    const d1 = b[i + 1];
    if ((c === 0xe0 && d1 < 0xa0) || (c === 0xed && d1 > 0x9f) || (c === 0xf0 && d1 < 0x90) || (c === 0xf4 && d1 > 0x8f)) return i;
    i += n + 1;
  }
  return b.length;
}

const CHUNK = 64 * 1024;

/**
 * A file read chunk by chunk (by readTextLimited, or preloadStreams) up to one byte past `maxBytes`: that byte
 * tells a file of exactly maxBytes from a longer one.
 */
class UpTo {
  private readonly chunks: Buffer[] = [];
  /** Bytes read so far. */
  size = 0;

  constructor(private readonly maxBytes: number) {}

  /** The buffer for the next read, or undefined once the read went past the limit. */
  next(): Buffer | undefined {
    const room = this.maxBytes + 1 - this.size;
    return room > 0 ? Buffer.allocUnsafe(Math.min(CHUNK, room)) : undefined;
  }

  /** `n` bytes were read into `buf` (0: the file ended): what it holds once it ended, else undefined. */
  took(buf: Buffer, n: number): LimitedRead | undefined {
    if (n === 0) return decode(Buffer.concat(this.chunks, this.size));
    this.chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    this.size += n;
    return undefined;
  }
}

/**
 * What preloadStreams read of pipes and devices, by absolute path: a pipe can be read once, and its open and
 * reads wait for its writer — read here, they would stop this thread (and signals with it: cleanup.ts handles
 * them between event-loop steps). Worker threads, which load the rules and config by their paths again, are
 * given these (usePreloadedStreams).
 */
const preloaded = new Map<string, LimitedRead>();
/** Every path preloadStreams looked at (a regular file too): a second call (cli/main.ts, then the command) stats none again. */
const looked = new Set<string>();

/**
 * Reads each of `files` that is a pipe or a device (`-c <(generate-config)`) now, asynchronously and up to
 * `maxBytes`, for readTextLimited to return. Regular files, folders and paths that cannot be read are left to
 * it (it reports them).
 */
export async function preloadStreams(files: readonly (string | undefined)[], maxBytes: number): Promise<void> {
  for (const file of files) {
    if (file === undefined) continue;
    const key = path.resolve(file);
    if (looked.has(key)) continue;
    looked.add(key);
    let handle: fs.promises.FileHandle;
    try {
      // (stat does not wait on a pipe; fs.promises, ~7 ms of Node's modules, is loaded for a pipe or device only)
      const st = fs.statSync(file);
      if (st.isFile() || st.isDirectory()) continue;
      handle = await fs.promises.open(file, 'r');
    } catch {
      continue;
    }
    try {
      const upTo = new UpTo(maxBytes);
      let read: LimitedRead = { tooLarge: true };
      for (let buf = upTo.next(); buf !== undefined; buf = upTo.next()) {
        const done = upTo.took(buf, (await handle.read(buf, 0, buf.length, null)).bytesRead);
        if (done !== undefined) {
          read = done;
          break;
        }
      }
      preloaded.set(key, read);
    } catch {
      // the synchronous read reports it
    } finally {
      await handle.close();
    }
  }
}

/** What preloadStreams read, for a worker thread (usePreloadedStreams). */
export function preloadedStreams(): [string, LimitedRead][] {
  return [...preloaded];
}

export function usePreloadedStreams(entries: readonly [string, LimitedRead][] | undefined): void {
  for (const [file, read] of entries ?? []) preloaded.set(file, read);
}

/**
 * The file as UTF-8 text, or `tooLarge`, or `notUtf8` (what preloadStreams read of it, if it did). File-system
 * errors (ENOENT, EACCES, EISDIR …) are thrown as they are.
 */
export function readTextLimited(file: string, maxBytes: number): LimitedRead {
  const early = preloaded.get(path.resolve(file));
  if (early !== undefined) return early;
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: 'EISDIR' });
    if (st.isFile() && st.size > maxBytes) return { tooLarge: true, size: st.size };
    const upTo = new UpTo(maxBytes);
    for (let buf = upTo.next(); buf !== undefined; buf = upTo.next()) {
      const done = upTo.took(buf, fs.readSync(fd, buf, 0, buf.length, null));
      if (done !== undefined) return done;
    }
    return st.isFile() ? { tooLarge: true, size: upTo.size } : { tooLarge: true };
  } finally {
    fs.closeSync(fd);
  }
}
