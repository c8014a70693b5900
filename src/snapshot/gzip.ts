/**
 * gzip's magic bytes (RFC 1952): how a snapshot is recognised as compressed, whatever its name. Its own small
 * module: cli/main.ts asks (through engine/threads.ts) before the parser is loaded.
 */
import * as fs from 'node:fs';

export function startsGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Whether the file starts with gzip's magic; undefined when it cannot be read (reading it proper says why). */
export function fileStartsGzip(file: string): boolean | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(2);
    return startsGzip(head.subarray(0, fs.readSync(fd, head, 0, 2, 0)));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
