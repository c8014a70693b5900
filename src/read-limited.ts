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
  | { tooLarge: true; size?: number };

const CHUNK = 64 * 1024;

/**
 * What preloadStreams read of pipes and devices, by absolute path: a pipe can be read once, and its open and
 * reads wait for its writer — read here, they would stop this thread (and signals with it: cleanup.ts handles
 * them between event-loop steps). Worker threads, which load the rules and config by their paths again, are
 * given these (usePreloadedStreams).
 */
const preloaded = new Map<string, LimitedRead>();

/**
 * Reads each of `files` that is a pipe or a device (`-c <(generate-config)`) now, asynchronously and up to
 * `maxBytes`, for readTextLimited to return. Regular files, folders and paths that cannot be read are left to
 * it (it reports them).
 */
export async function preloadStreams(files: readonly (string | undefined)[], maxBytes: number): Promise<void> {
  for (const file of files) {
    if (file === undefined) continue;
    const key = path.resolve(file);
    if (preloaded.has(key)) continue;
    let handle: fs.promises.FileHandle;
    try {
      const st = await fs.promises.stat(file);
      if (st.isFile() || st.isDirectory()) continue;
      handle = await fs.promises.open(file, 'r');
    } catch {
      continue;
    }
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      let read: LimitedRead | undefined;
      while (read === undefined) {
        const room = maxBytes + 1 - total;
        if (room <= 0) read = { tooLarge: true };
        else {
          const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(Math.min(CHUNK, room)), 0, Math.min(CHUNK, room), null);
          if (bytesRead === 0) read = { text: Buffer.concat(chunks, total).toString('utf8') };
          chunks.push(buffer.subarray(0, bytesRead));
          total += bytesRead;
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

/** The file as UTF-8 text, or `tooLarge`. File-system errors (ENOENT, EACCES, EISDIR …) are thrown as they are. */
export function readTextLimited(file: string, maxBytes: number): LimitedRead {
  const early = preloaded.get(path.resolve(file));
  if (early !== undefined) return early;
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: 'EISDIR' });
    if (st.isFile() && st.size > maxBytes) return { tooLarge: true, size: st.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // one byte past the limit tells a file of exactly maxBytes from a longer one
      const room = maxBytes + 1 - total;
      if (room <= 0) return st.isFile() ? { tooLarge: true, size: total } : { tooLarge: true };
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, room));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
    }
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } finally {
    fs.closeSync(fd);
  }
}
