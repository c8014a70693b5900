/**
 * Reading a user's text file (rules, config, baseline) with a size limit that holds whatever the path is. A
 * regular file is refused by its size before it is read; a pipe or a device (`-c <(generate-config)`,
 * `--rules /dev/zero`) has no size, so it is read only up to the limit: a file that never ends cannot take
 * the memory or the time.
 */
import * as fs from 'node:fs';

export type LimitedRead =
  | { text: string }
  /** `size` is the file's size, or for a pipe or device undefined: it went on past the limit. */
  | { tooLarge: true; size?: number };

const CHUNK = 64 * 1024;

/** The file as UTF-8 text, or `tooLarge`. File-system errors (ENOENT, EACCES, EISDIR …) are thrown as they are. */
export function readTextLimited(file: string, maxBytes: number): LimitedRead {
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
