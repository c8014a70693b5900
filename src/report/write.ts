/**
 * Writing report files atomically: the content goes to a temporary file in the target's directory, is
 * fsync'ed, then renamed over the target (and the directory fsync'ed), so a reader — CI uploading a SARIF
 * file, node_exporter reading a .prom file — sees the old file or the new one, never half of one. On failure
 * the temporary file is removed and nothing at the target changes.
 *
 * A symbolic link at the target path is refused (rename would replace the link itself, not write to where it
 * points, which is rarely what was meant — and writing through a link is how a shared directory gets a file
 * clobbered elsewhere). Write to the link's target path instead. A pipe or character device (`/dev/null`,
 * `/dev/stdout`, a FIFO, `>(gzip > r.json.gz)`), or a link to one, is written into instead of replaced.
 *
 * Content given in pieces (a large report as it is produced) is written in batches of a megabyte, so the whole
 * text never exists at once and the pieces do not cost a system call each.
 */
// Default import: calls go through the module object at call time (tests can spy on fs).
import fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExitCode, UserError } from '../diagnostics';

/** Text, bytes, or text in pieces. */
export type FileContent = string | Uint8Array | Iterable<string>;

/** Pieces are gathered into writes of this many bytes (a larger piece is written on its own). */
const BATCH = 1 << 20;

export interface WriteOptions {
  /** File mode for a new file (before umask). An existing file keeps its mode. Default 0o644. */
  mode?: number;
  /** What the file holds, as messages and codes name it (`cannot write baseline: …`, `baseline-…`). Default 'report'. */
  what?: Written;
}

/** What is written, as messages and codes name it. */
export type Written = 'report' | 'baseline' | 'snapshot';

function fail(file: string, code: string, message: string, hint?: string): never {
  throw new UserError({ file, code, message, ...(hint ? { hint } : {}) }, ExitCode.usage);
}

/**
 * What an fs error means for a file being written in `directory`: a code suffix, a phrase and what to do. The
 * report writer and the live capture (`cannot write the snapshot`) explain a failed write the same way.
 */
export function writeProblem(error: unknown, file: string, directory: string): { suffix: string; text: string; hint?: string } {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      // also what creating a file in /proc or /sys says, where the folder exists
      if (safeStat(directory)?.isDirectory()) return { suffix: 'folder-takes-no-files', text: `folder '${directory}' does not take new files`, hint: 'choose another path' };
      return { suffix: 'folder-missing', text: `folder '${directory}' does not exist`, hint: 'create it first, or choose another path' };
    case 'ENOTDIR':
      return { suffix: 'folder-not-a-folder', text: `a part of '${directory}' is a file, not a folder` };
    case 'EACCES':
    case 'EPERM':
      return { suffix: 'permission-denied', text: `no permission to write in folder '${directory}'` };
    case 'EROFS':
      return { suffix: 'read-only', text: `'${directory}' is on a read-only file system` };
    case 'ENOSPC':
    case 'EDQUOT':
      return { suffix: 'disk-full', text: `no space left on the device holding '${directory}'` };
    case 'EISDIR':
      return { suffix: 'target-is-folder', text: `'${file}' is a folder`, hint: 'name a file inside it' };
    default:
      return { suffix: 'write-failed', text: (error as Error).message };
  }
}

/** Turn an fs error into a diagnostic that names the path and says what to do. */
function explain(error: unknown, file: string, directory: string, what: Written = 'report'): never {
  const p = writeProblem(error, file, directory);
  if (p.suffix === 'write-failed') return fail(file, `${what}-write-failed`, `cannot write ${noun(what)} '${file}': ${p.text}`);
  return fail(file, `${what}-${p.suffix}`, `cannot write ${noun(what)}: ${p.text}`, p.hint);
}

const noun = (what: Written): string => (what === 'snapshot' ? 'the snapshot' : what);

/**
 * Thrown in place of an error raised while producing the content (a bug, or the producer's own UserError)
 * rather than by the file system: it is passed on as it was, not explained as a failure to write.
 */
class ContentFailure {
  constructor(readonly error: unknown) {}
}

function* produced(pieces: Iterable<string>): Generator<string, void, undefined> {
  try {
    yield* pieces;
  } catch (error) {
    throw new ContentFailure(error);
  }
}

/** Write all of `data` at the file position (a write may take less than it is given). */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function writeContent(fd: number, content: FileContent): void {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    writeAll(fd, content);
    return;
  }
  // Each piece is encoded straight into one reusable buffer (joining them first would copy every byte once
  // more), which is written whenever the next piece would not fit.
  const buffer = Buffer.allocUnsafe(BATCH);
  let used = 0;
  const put = (text: string): void => {
    // a piece longer than the buffer in UTF-16 units is longer in bytes too: written on its own, without
    // measuring its bytes first (a whole SARIF file is one such piece)
    const bytes = text.length > buffer.length ? text.length : Buffer.byteLength(text);
    if (used + bytes > buffer.length) {
      writeAll(fd, buffer.subarray(0, used));
      used = 0;
    }
    if (bytes > buffer.length) writeAll(fd, text);
    else used += buffer.write(text, used);
  };
  // A piece ending in the first half of a surrogate pair keeps it back for the next piece: encoded apart,
  // the two halves would each become U+FFFD.
  let held = '';
  for (const piece of produced(content)) {
    const text = held + piece;
    const last = text.charCodeAt(text.length - 1);
    held = last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    put(held ? text.slice(0, -1) : text);
  }
  put(held);
  writeAll(fd, buffer.subarray(0, used));
}

/**
 * Atomically replace `file` with `content` (UTF-8). Throws UserError (exit 2) naming the path on failure; an
 * error thrown by `content` while it is iterated is passed on unchanged. Either way the target is untouched.
 */
export function writeFileAtomic(file: string, content: FileContent, options: WriteOptions = {}): void {
  const target = path.resolve(file);
  const directory = path.dirname(target);
  const what = options.what ?? 'report';
  const found = targetOf(file, what);
  if (found.kind === 'stream') return writeInto(file, target, content, what);
  const mode = found.mode ?? options.mode ?? 0o644;
  const unmade = makeFolder(directory);
  if (unmade) explain(unmade.error, file, unmade.parent, what);

  const temporary = temporaryBeside(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
    writeContent(fd, content);
    // a file replaced keeps its mode exactly; a new one has the mode less the umask, as open gave it
    if (found.mode !== undefined) fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    try {
      fs.unlinkSync(temporary);
    } catch {
      // never created, or already renamed
    }
    if (error instanceof ContentFailure) throw error.error;
    explain(error, file, directory, what);
  }
  syncDirectory(directory);
}

/** A new temporary file's path beside `target` (a hidden name of its own: this process's, and random). */
export function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Says now, by throwing what writeFileAtomic would (exit 2), when `file` could not be written — its folder cannot be
 * made or takes no new file (no permission, a read-only file system, /proc), or it is a folder or a symbolic link —
 * rather than after a long scan whose report would then be lost. A missing folder is made, as the write would; a
 * temporary file is made and removed there. A pipe or device is not opened (its reader may not be there yet).
 */
export function checkWritable(file: string, what: Written = 'report'): void {
  if (targetOf(file, what).kind === 'stream') return;
  const target = path.resolve(file);
  const directory = path.dirname(target);
  const unmade = makeFolder(directory);
  if (unmade) explain(unmade.error, file, unmade.parent, what);
  const probe = temporaryBeside(target);
  try {
    fs.closeSync(fs.openSync(probe, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600));
  } catch (error) {
    explain(error, file, directory, what);
  }
  try {
    fs.unlinkSync(probe);
  } catch {
    // gone already
  }
}

/**
 * Creates `directory` (and the folders above it) when it is missing, as `mkdir -p` would (mode 0755 less the
 * umask): `--format sarif=reports/socklint.sarif` in a fresh CI checkout, `capture -o /var/lib/socklint/` on a
 * new host. What ESLint's `-o`, pytest's `--junitxml` and jest-junit do; refusing made a long scan end in exit 2
 * with its report lost. Undefined when the folder is there; else the error and the folder it was to be made in,
 * for writeProblem to say (a part of the path that is a file, a missing permission, a read-only file system).
 */
export function makeFolder(directory: string): { error: unknown; parent: string } | undefined {
  // the missing folders, innermost first, up to the first part that exists (a file there: ENOTDIR below)
  const missing: string[] = [];
  for (let d = path.resolve(directory); safeLstat(d) === undefined; d = path.dirname(d)) {
    if (path.dirname(d) === d) break;
    missing.push(d);
  }
  // one at a time: Node 20's `recursive: true` spins for ever on a missing path under /proc
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      fs.mkdirSync(missing[i], { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && safeStat(missing[i])?.isDirectory()) continue; // made meanwhile
      return { error, parent: path.dirname(missing[i]) };
    }
  }
  return undefined;
}

function safeLstat(target: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(target);
  } catch {
    return undefined;
  }
}

/**
 * What is at a path about to be written: nothing or a regular file (`file`: replaced through a temporary file,
 * keeping an existing file's mode), or a pipe or character device, or a symbolic link to one (`stream`: written
 * into). Anything else is refused with a UserError (exit 2): a folder, a socket or block device, a symbolic
 * link to anything but a stream. `what` names the content in the messages ('report', 'baseline', 'snapshot').
 */
export function targetOf(file: string, what: Written): { kind: 'file'; mode?: number } | { kind: 'stream' } {
  const target = path.resolve(file);
  let existing: fs.Stats;
  try {
    existing = fs.lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'file' };
    return explain(error, file, path.dirname(target), what);
  }
  // a link to a pipe or a terminal (`/dev/stdout`, `>(gzip > x.gz)`'s /dev/fd/63) is written through
  if (existing.isSymbolicLink() && isStream(safeStat(target))) return { kind: 'stream' };
  if (isStream(existing)) return { kind: 'stream' };
  const refuse = (suffix: string, text: string, hint: string): never => fail(file, `${what}-${suffix}`, `cannot write ${noun(what)}: ${text}`, hint);
  if (existing.isSymbolicLink()) return refuse('target-is-symlink', `'${file}' is a symbolic link, not replaced`, `write to the file it points to (${safeReadlink(target)}) instead`);
  if (existing.isDirectory()) return refuse('target-is-folder', `'${file}' is a folder`, 'name a file inside it');
  if (!existing.isFile()) return refuse('target-not-a-file', `'${file}' is not a regular file (a socket or block device)`, 'choose another path');
  return { kind: 'file', mode: existing.mode & 0o7777 };
}

/** Whether `file` is (or links to) a pipe or character device, which a report is written into (targetOf's `stream`). */
export function writtenInto(file: string): boolean {
  return isStream(safeStat(path.resolve(file)));
}

/** A pipe or a character device (`/dev/null`, a terminal): written into, as a shell's `>` would, never replaced. */
function isStream(st: fs.Stats | undefined): boolean {
  return st !== undefined && (st.isFIFO() || st.isCharacterDevice());
}

export function safeStat(target: string): fs.Stats | undefined {
  try {
    return fs.statSync(target);
  } catch {
    return undefined;
  }
}

/**
 * Write `content` into an existing pipe or device. Renaming a file over it would replace the node itself
 * (`/dev/null` would become a regular file) and leave a reader of the pipe waiting. A pipe's open waits for
 * its reader, as a shell's redirection does.
 */
function writeInto(file: string, target: string, content: FileContent, what: Written): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(target, fs.constants.O_WRONLY);
    writeContent(fd, content);
  } catch (error) {
    if (error instanceof ContentFailure) throw error.error;
    explain(error, file, path.dirname(target), what);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Make the rename durable; some file systems refuse fsync on a directory, which is harmless here. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function safeReadlink(target: string): string {
  try {
    return fs.readlinkSync(target);
  } catch {
    return 'its target';
  }
}
