/** Paths shown relative to a folder they lie in: SARIF artifact URIs, and file names in messages. */
import * as path from 'path';

/**
 * `file` relative to `base` when it lies inside it (not `base` itself), else undefined. A name that merely
 * starts with `..` (`..old.ss`) lies inside.
 */
export function relativeInside(base: string, file: string): string | undefined {
  const rel = path.relative(base, path.resolve(base, file));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel) ? rel : undefined;
}

/** How messages name a file: relative to the working directory when it lies inside it, else as given. */
export function displayPath(file: string): string {
  return relativeInside(process.cwd(), file) ?? file;
}
