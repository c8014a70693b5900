/**
 * Expands the SNAPSHOT arguments of `scan`/`parse`/`baseline`: files, folders (their regular files, sorted,
 * hidden ones and NOT_SNAPSHOTS skipped), globs (picomatch, expanded by socklint so they work unquoted or
 * quoted), and `-`. A folder's subfolders are not searched (named as skipped): cron jobs keep dated ones
 * (snapshots/2026-12-01/web-01.ss), and a scan of the folder is a scan of today's, not of years of history;
 * a glob reaches them (deepGlob).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { ExitCode, UserError, type Diagnostic } from '../diagnostics';
import { compareText } from '../compare';
import { listed } from '../report/text';

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * What a folder of snapshots also holds, by extension: socklint's own reports (`--format sarif=out/x.sarif`
 * keeps its evidence `out/socklint-<host>.ss` beside it), rule and config files, notes. A folder's files with
 * these are skipped (and listed in `skipped`); a file named on the command line or by a glob is read
 * whatever its name.
 */
export const NOT_SNAPSHOTS = ['.json', '.sarif', '.xml', '.prom', '.md', '.html', '.yaml', '.yml'];

/** What the folders named held besides snapshots: files skipped for their extension, subfolders not searched. */
export interface Skipped {
  files: string[];
  folders: string[];
}

/** The glob that reaches the snapshots in `folder`'s subfolders too (socklint expands `**` itself). */
export function deepGlob(folder: string): string {
  return `${folder.replace(/\/+$/, '')}/**/*.ss`;
}

/**
 * `dir`'s regular files (sorted, not hidden) into `out`; its subfolders walked when `recursive`, else into `folders`.
 * A symbolic link counts as what it points to (`latest.ss -> 2026-12-01.ss`; expandSnapshotArgs drops a second
 * name of one file), but a linked folder is never walked (a link to `..` would loop); a dangling link is kept, for
 * the scan to report it missing.
 */
function walk(dir: string, out: string[], recursive: boolean, folders?: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new UserError({ file: dir, code: 'unreadable-folder', message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }, ExitCode.snapshot);
  }
  entries.sort((a, b) => compareText(a.name, b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isFile()) out.push(p);
    else if (e.isDirectory()) {
      if (recursive) walk(p, out, recursive);
      else folders?.push(p);
    } else if (e.isSymbolicLink()) {
      let target: fs.Stats | undefined;
      try { target = fs.statSync(p); } catch { target = undefined; }
      if (!target || target.isFile()) out.push(p);
      else if (target.isDirectory() && !recursive) folders?.push(p);
    }
  }
}

/**
 * `paths` without a second name of one file (a link beside its target, a file named twice): a name that is not a
 * link wins (the target keeps its own name, host and fingerprints), else the first.
 */
function oneNameEach(paths: string[]): string[] {
  const names = paths.map((p) => {
    if (p === '-') return { p, real: p, link: false };
    try {
      return { p, real: fs.realpathSync(p), link: fs.lstatSync(p).isSymbolicLink() };
    } catch {
      return { p, real: p, link: false }; // missing: its own name (the scan reports it)
    }
  });
  const owner = new Map<string, (typeof names)[number]>();
  for (const n of names) {
    const had = owner.get(n.real);
    if (!had || (had.link && !n.link)) owner.set(n.real, n);
  }
  return names.filter((n) => owner.get(n.real) === n).map((n) => n.p);
}

/**
 * Returns the inputs in a stable order, without duplicates. Missing plain paths are kept: reading them reports
 * the error. A folder's files that are not snapshots by their extension, and its subfolders, go to `skipped`. An argument that names
 * no file (an empty or unreadable folder, a glob that matches nothing) throws its UserError (exit 3), or, given
 * `problems`, goes there and the other arguments are expanded (a scan reports it with the snapshots it read).
 */
export function expandSnapshotArgs(args: string[], skipped: Skipped = { files: [], folders: [] }, problems?: Diagnostic[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (problems === undefined) {
      expandOne(arg, out, skipped);
      continue;
    }
    try {
      expandOne(arg, out, skipped);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(...e.diagnostics);
    }
  }
  return oneNameEach(out);
}

function expandOne(arg: string, out: string[], skipped: Skipped): void {
  if (arg === '-') { out.push(arg); return; }
  let stat: fs.Stats | undefined;
  try { stat = fs.statSync(arg); } catch { stat = undefined; }
  if (stat?.isDirectory()) {
    const all: string[] = [];
    const folders: string[] = [];
    walk(arg, all, false, folders);
    const files: string[] = [];
    const others = new Set<string>(); // the extensions of the files left out
    for (const f of all) {
      const ext = path.extname(f).toLowerCase();
      if (NOT_SNAPSHOTS.includes(ext)) {
        skipped.files.push(f);
        others.add(ext);
      } else files.push(f);
    }
    if (files.length === 0) {
      const only = [
        ...(others.size > 0 ? [`${NOT_SNAPSHOTS.filter((x) => others.has(x)).join(', ')} files`] : []),
        ...(folders.length > 0 ? [`subfolders (${listed(folders.map((f) => `${path.basename(f)}/`))})`] : []),
      ];
      // the folder of dated subfolders a cron job keeps: the glob that reaches their snapshots
      const hint = folders.length > 0 ? `subfolders are not searched: name one, or use a glob that reaches them, '${deepGlob(arg)}'`
        : all.length > 0 ? 'name a file to read it whatever its name' : undefined;
      throw new UserError({
        file: arg, code: 'empty-folder', message: only.length === 0 ? 'folder holds no snapshot files' : `folder holds no snapshot files, only ${only.join(' and ')}`,
        ...(hint ? { hint } : {}),
      }, ExitCode.snapshot);
    }
    // one at a time: a fleet's folder may hold more files than a call takes arguments
    for (const f of folders) skipped.folders.push(f);
    for (const f of files) out.push(f);
    return;
  }
  if (!stat && GLOB_CHARS.test(arg)) {
    const scan = picomatch.scan(arg);
    const base = scan.base === '' ? '.' : scan.base;
    const isMatch = picomatch(arg, { dot: false });
    const files: string[] = [];
    if (fs.existsSync(base)) walk(base, files, scan.glob.includes('**') || scan.glob.includes('/'));
    const matched = files.filter((f) => isMatch(f) || isMatch(path.relative('.', f)));
    if (matched.length === 0) throw new UserError({ file: arg, code: 'no-match', message: 'pattern matches no file' }, ExitCode.snapshot);
    for (const f of matched) out.push(f);
    return;
  }
  out.push(arg);
}

/** How much of a snapshot's start recordedHosts reads first, and at most (a capture's header is ~500 bytes). */
const HEADER_BYTES = [4 * 1024, 64 * 1024];

/**
 * The host each snapshot file's capture header records — its `# host:` line among the `#` lines before the table,
 * read as the scan reads them (by the parser, the last such line winning, the key in any case; a blank one names
 * no host: '') — from the file's first bytes alone, before it is scanned (~0.1 ms a file). undefined where that
 * cannot be told without reading the whole snapshot: stdin, a pipe or device (reading would take its bytes from
 * the scan), a file that cannot be read, binary data, or a header that has not ended in the first 64 KiB.
 */
export async function recordedHosts(files: readonly string[]): Promise<(string | undefined)[]> {
  const buf = Buffer.allocUnsafe(HEADER_BYTES[HEADER_BYTES.length - 1]); // one for all: the parser keeps no chunk
  const hosts: (string | undefined)[] = [];
  for (const file of files) hosts.push(await recordedHost(file, buf));
  return hosts;
}

async function recordedHost(file: string, buf: Buffer): Promise<string | undefined> {
  if (file === '-') return undefined;
  let fd: number | undefined;
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    fd = fs.openSync(file, 'r');
    for (const size of HEADER_BYTES) {
      const n = fs.readSync(fd, buf, 0, size, 0);
      const host = await headerHost(file, buf.subarray(0, n), n < size);
      if (host !== undefined || n < size) return host;
    }
    return undefined;
  } catch {
    return undefined; // the scan reads it and says what is wrong with it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The host `head`, the start of `file` (all of it when `whole`), records; undefined when its header goes on past it. */
async function headerHost(file: string, head: Buffer, whole: boolean): Promise<string | undefined> {
  const { parseSnapshotFile, utf16Of } = await import('../snapshot/source');
  const { startsGzip } = await import('../snapshot/gzip');
  let text = head;
  if (startsGzip(text)) {
    // what the start decompresses to, no more of it than of a plain file
    const out = await gunzipStart(text, head.length);
    if (out.cut) whole = false;
    text = out.text;
  }
  const utf16 = utf16Of(text);
  if (utf16) text = Buffer.from(new TextDecoder(utf16).decode(text, { stream: !whole }), 'utf8');
  // the parser reads up to the first line that may end the header (a table's header, a row), not the rows after
  const end = headerEnd(text);
  if (end !== undefined && end < text.length) {
    text = text.subarray(0, end);
    whole = false;
  }
  if (!whole) {
    // whole lines only: the last one may be cut in the middle of a `# host:` value
    const end = text.lastIndexOf(0x0a);
    if (end < 0) return undefined;
    text = text.subarray(0, end + 1);
  }
  let host = '';
  const stats = await parseSnapshotFile(file, {
    socket: () => undefined,
    unparsed: () => undefined,
    // as the scan's collector keeps them: the key in lower case, a later line winning
    meta: (key, value) => { if (key.toLowerCase() === 'host') host = value; },
  }, { input: (async function* () { yield text; })() });
  // a table's header or a socket row ends the header for sure (ss's stderr glued in before it may not)
  const ended = stats.kinds.header > 0 || stats.kinds.socket > 0 || stats.kinds.summary > 0;
  return whole || ended ? host : undefined;
}

/**
 * Where the first line of `text` that is neither a `#` line nor blank ends (past its newline): the line that ends
 * a snapshot's header, unless the parser finds it is none (ss's stderr glued into it, a blank of other spaces);
 * undefined when no whole line is one.
 */
function headerEnd(text: Buffer): number | undefined {
  let pos = text.length >= 3 && text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0; // BOM
  while (pos < text.length) {
    const nl = text.indexOf(0x0a, pos);
    if (nl < 0) return undefined;
    if (text[pos] !== 0x23 /* # */) {
      let i = pos;
      while (i < nl && (text[i] === 0x20 || text[i] === 0x09 || text[i] === 0x0d || text[i] === 0x0b || text[i] === 0x0c)) i++;
      if (i < nl) return nl + 1;
    }
    pos = nl + 1;
  }
  return undefined;
}

/** The first `max` bytes `gz`, the start of a gzip stream, decompresses to (a stream cut short gives what it can). */
async function gunzipStart(gz: Buffer, max: number): Promise<{ text: Buffer; cut: boolean }> {
  const zlib = await import('node:zlib');
  const gunzip = zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  gunzip.end(gz);
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of gunzip) {
      parts.push(c as Buffer);
      n += (c as Buffer).length;
      if (n > max) break;
    }
  } finally {
    gunzip.destroy();
  }
  const text = Buffer.concat(parts);
  return n > max ? { text: text.subarray(0, max), cut: true } : { text, cut: false };
}
