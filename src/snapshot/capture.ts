/**
 * Live capture: a snapshot file = capture metadata (`# key: value` lines the parser collects into
 * stats.meta) followed by the output of `ss` — its rows as ss printed them, with the process column filled in
 * by socklint where ss can do without `-p` (owners.ts; `# processes:` says so) — or, when ss is not installed,
 * ss-compatible text rendered from /proc/net (proc.ts). The saved file is exactly what gets parsed, so
 * SARIF/report line numbers point into it.
 *
 * Design: the snapshot file (the user's `--save-snapshot` path, else a temp file) is written after the
 * metadata lines either by ss itself (its stdout is the file: a namespace with few sockets, an ss whose release
 * is unknown or 6.7, flags of the caller's own) or by this thread, from a private file ss writes at its own
 * pace while /proc is walked for the socket owners (captureWithOwners; ownerColumnPays decides). A live scan reads the snapshot file as it grows (CaptureFollower):
 * ss runs on one core while the parse runs on another, and the files are the buffers between them — memory
 * stays bounded by the parser and the owner map, not by the host's socket count.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { PassThrough, type Writable } from 'stream';
import { ExitCode, UserError, escapeControl } from '../diagnostics';
import { socklintVersion } from '../version';
import { makeFolder, safeStat, targetOf, temporaryBeside, writeProblem } from '../report/write';
import { removeIfInterrupted } from '../cleanup';
import { LINE_BREAK, checkHostName } from '../host-name';
import { captureError, chooseSsFlags, detectSs, ownersBySocklint, resolveNetns, runSs, spawnIn, type NetnsTarget, type RunSsOptions, type RunSsResult } from './live';
import { OwnerColumn } from './owners';
import { PROC_FLAGS, fileTableReader, linesOf, mapSocketProcesses, renderProc, type NetTableReader } from './proc';

export interface CaptureMeta {
  'socklint-snapshot': string;
  host: string;
  /** UTC ISO 8601, when the capture started. */
  time: string;
  kernel: string;
  /** `iproute2-6.1.0`, or `none (proc fallback)`. */
  ss: string;
  flags: string;
  /**
   * Set when socklint, not ss, filled in the process column (owners.ts): how, and the flags ss ran with
   * (`flags` without `p`); the rows read as `ss -p` output.
   */
  processes?: string;
  /** Namespace as given to --netns; '' for the host's. */
  netns: string;
  socklint: string;
  /** `k=v,k2=v2` from --label (only when given); the scan reads them back as the snapshot's labels. */
  labels?: string;
  /** Only for the /proc fallback: `proc`. */
  source?: string;
  /** The capturing user's uid when not root: other users' sockets then carry no process (scans treat -p as absent). */
  uid?: string;
}

const META_KEYS: (keyof CaptureMeta)[] = ['socklint-snapshot', 'host', 'time', 'kernel', 'ss', 'flags', 'processes', 'netns', 'socklint', 'labels', 'source', 'uid'];

const LINE_BREAKS = new RegExp(`${LINE_BREAK.source}+`, 'g');

/** `# key: value` lines, one per key, in the fixed order (an empty value keeps its line: `# netns: `). */
export function formatMeta(meta: CaptureMeta): string {
  let out = '';
  for (const k of META_KEYS) {
    const v = meta[k];
    if (v === undefined) continue;
    // values come from the host (hostname, --host, --netns, what `ss -V` printed): never let one start a new
    // line, and no other control character (a NUL would make the file binary, an ESC drive a terminal)
    out += `# ${k}: ${escapeControl(String(v).replace(LINE_BREAKS, ' '))}`.trimEnd() + '\n';
  }
  return out;
}

export interface CaptureOptions {
  /** Write the snapshot here (atomically: temp file in the same directory + rename). */
  output?: string;
  /** Stream the snapshot here instead (e.g. stdout for `socklint capture -`). Ignored when `output` is set. */
  stream?: Writable;
  /** `ip netns` name, `pid:PID` or a namespace file path (see resolveNetns). */
  netns?: string;
  /** Override the ss flags (one argument, e.g. `-tanpmioe`); default: chooseSsFlags(version). */
  flags?: string;
  /** Host name for the metadata (default os.hostname()). */
  host?: string;
  /** Snapshot labels (`# labels: k=v,…`); keys/values must not contain `,` (or `=` in keys). */
  labels?: Record<string, string>;
  /** Force the /proc fallback (tests, or a broken ss). */
  useProc?: boolean;
  /**
   * Who fills in the process column: `ss` (its -p) or `socklint` (owners.ts). Default: socklint where the
   * namespace holds enough sockets for ss's -p to cost more than socklint's walk (ownerColumnPays).
   */
  processColumn?: 'ss' | 'socklint';
  /** Alternate proc root for the fallback (tests); default /proc, or /proc/PID for a process's namespace. */
  procRoot?: string;
  /** ss binary (tests); default `ss` from PATH, then /usr/sbin, /sbin, /usr/bin, /bin. */
  ssPath?: string;
  /** nsenter binary (tests); default `nsenter` from PATH. */
  nsenterPath?: string;
  /** Told when the snapshot file (`output`) has its metadata and ss starts, and when the capture ends. */
  follow?: CaptureFollower;
  /** Override the clock (tests). */
  now?: Date;
  /**
   * `output` is a name snapshotPath chose as free (`-o DIR`): never replace a file put there meanwhile (keepAsNew);
   * `next` takes the next free name, `refuse` refuses the capture (a live scan's reports cite the name already).
   */
  fresh?: 'next' | 'refuse';
}

export interface CaptureResult {
  meta: CaptureMeta;
  /** Things the user should know (not errors): fallback used, non-root, ss stderr. Each said once. */
  notices: string[];
  /** Set when `output` was given. */
  path?: string;
  /** Set when neither `output` nor `stream` was given: the snapshot text. */
  text?: string;
  /** Bytes written, metadata included; undefined when ss wrote into a pipe or device (-o) itself. */
  bytes?: number;
}

function notRootNotice(proc: boolean): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() === 0) return undefined;
  return proc
    ? `running as uid ${process.getuid()}: /proc/PID/fd of other users' processes is unreadable, so their sockets have no process; run as root for complete process information`
    : `running as uid ${process.getuid()}: ss shows processes only for your own sockets; run as root for complete process information`;
}

function writeError(file: string, e: unknown, directory = path.dirname(path.resolve(file))): UserError {
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const problem = writeProblem(e, file, directory);
  const message = problem.suffix === 'write-failed' ? `cannot write the snapshot (${why})` : `cannot write the snapshot (${why}): ${problem.text}`;
  return new UserError({ file, code: 'snapshot-write', message, ...(problem.hint ? { hint: problem.hint } : {}) }, ExitCode.usage);
}

/** Capture the live host (or namespace) into a file, a stream or a string. */
export async function captureSnapshot(opts: CaptureOptions = {}): Promise<CaptureResult> {
  // whatever ends the capture — a bad label or namespace before ss runs included — ends its follower
  let r: CaptureResult;
  try {
    r = await capture(opts);
  } catch (e) {
    opts.follow?.finish(e);
    throw e;
  }
  opts.follow?.finish();
  return r;
}

async function capture(opts: CaptureOptions): Promise<CaptureResult> {
  const labels = Object.entries(opts.labels ?? {});
  // a metadata line holds one value: what would end the line, or be read back as something else, is refused
  checkHostName(opts.host);
  for (const [k, v] of labels) {
    if (/[,=]/.test(k) || LINE_BREAK.test(k) || v.includes(',') || LINE_BREAK.test(v)) {
      throw new UserError({ file: '--label', code: 'bad-label', message: `"${k}=${v}": a capture label cannot contain "," or a line break (nor "=" in its key)` }, ExitCode.usage);
    }
  }
  const target = opts.netns ? resolveNetns(opts.netns, { nsenter: opts.nsenterPath }) : undefined;
  const version = opts.useProc ? undefined : await detectSs(opts.ssPath);
  const useProc = opts.useProc === true || version === undefined;
  const notices: string[] = [];
  if (useProc && !opts.useProc) {
    notices.push('ss not found: read /proc/net directly (no -m/-i data: skmem and tcp-info rules are not evaluated; LISTEN backlogs unknown)');
  }
  const meta: CaptureMeta = {
    'socklint-snapshot': '1',
    host: opts.host ?? os.hostname(),
    time: (opts.now ?? new Date()).toISOString(),
    kernel: os.release(),
    ss: useProc ? 'none (proc fallback)' : version!.text,
    flags: useProc ? PROC_FLAGS : opts.flags ?? chooseSsFlags(version),
    netns: opts.netns ?? '',
    socklint: socklintVersion(),
  };
  if (labels.length) meta.labels = labels.map(([k, v]) => `${k}=${v}`).join(',');
  // the process column: socklint's own /proc walk where ss's -p would cost it the square of the sockets; ss's
  // -p after all when there is no place for ss's private file (its folder, or TMPDIR, not writable)
  // a pipe or device named by -o (/dev/stdout, a FIFO) is written into; a file is written beside it and renamed
  const into = opts.output !== undefined && targetOf(opts.output, 'snapshot').kind === 'stream';
  if (into && opts.follow) {
    throw new UserError({ file: opts.output!, code: 'snapshot-target-not-a-file', message: 'cannot keep the capture in a pipe or device: the scan reads it back from the file', hint: 'give --save-snapshot a file path' }, ExitCode.usage);
  }
  const outputDir = opts.output && !into ? path.dirname(path.resolve(opts.output)) : undefined;
  const unmade = outputDir === undefined ? undefined : makeFolder(outputDir);
  if (unmade) throw writeError(opts.output!, unmade.error, unmade.parent);
  const rawDir = outputDir ?? os.tmpdir();
  const socklintColumn = !useProc && opts.flags === undefined && ownersBySocklint(version)
    && (opts.processColumn ?? processColumnFromEnv() ?? (ownerColumnPays(target) ? 'socklint' : 'ss')) === 'socklint';
  const raw = socklintColumn ? privateFile(rawDir) : undefined;
  const ssFlags = raw === undefined ? meta.flags : meta.flags.replace('p', '');
  if (raw !== undefined) meta.processes = `socklint, from /proc/PID/fd (ss ran as ss ${ssFlags})`;
  if (useProc) meta.source = 'proc';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) meta.uid = String(process.getuid());
  const root = notRootNotice(useProc || meta.processes !== undefined);
  if (root) notices.push(root);

  let tmp: string | undefined;
  let kept: string | undefined; // where the file was put (fresh: perhaps not opts.output)
  let registered: (() => void) | undefined; // the temporary file's registration (cleanup.ts)
  let fd: number | undefined;
  let sink: Writable | undefined;
  let collected: Buffer[] | undefined;
  if (opts.output) {
    if (!into) tmp = temporaryBeside(path.resolve(opts.output));
    try {
      fd = fs.openSync(tmp ?? opts.output, tmp ? 'wx' : fs.constants.O_WRONLY);
      if (tmp) registered = removeIfInterrupted(tmp);
    } catch (e) {
      if (raw !== undefined) fs.closeSync(raw);
      throw writeError(opts.output, e);
    }
  } else if (opts.stream) {
    sink = opts.stream;
  } else {
    const chunks: Buffer[] = (collected = []);
    const pt = new PassThrough();
    pt.on('data', (c: Buffer) => chunks.push(c));
    sink = pt;
  }

  let bytes: number | undefined = 0; // undefined: not known (ss wrote into a pipe or device itself)
  const write = (buf: Buffer) => {
    if (bytes !== undefined) bytes += buf.length;
    if (fd === undefined) {
      sink!.write(buf);
      return;
    }
    try {
      for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off);
    } catch (e) {
      throw writeError(opts.output!, e);
    }
  };

  try {
    write(Buffer.from(formatMeta(meta), 'utf8'));
    if (tmp) opts.follow?.start(tmp);
    if (useProc) {
      notices.push(...await captureProc(target, opts.procRoot, (text) => write(Buffer.from(text, 'utf8'))));
    } else {
      const ss = { flags: ssFlags, netns: target, ssPath: version!.path };
      let r: RunSsResult;
      if (raw !== undefined) {
        // (ss's file is checked for a full disk there; what it passes on is written, and counted, by write)
        r = await captureWithOwners(ss, { fd: raw, dir: rawDir }, opts.output ?? rawDir, (buf) => {
          write(fd === undefined ? Buffer.from(buf) : buf); // a stream keeps what it is given; the piece is read over next
          opts.follow?.grew();
        }, notices);
      } else {
        r = await runSs({ ...ss, out: fd ?? sink! });
        // ss exits 0 when its writes fail (a full disk): its output would be cut short without a word
        if (tmp && filesystemFull(outputDir!)) throw diskFull(opts.output!);
        bytes = r.bytes === undefined || bytes === undefined ? undefined : bytes + r.bytes;
      }
      for (const l of r.stderr) notices.push(`ss: ${l}`);
      // ss prints its header even for an empty namespace: no output at all is an ss that did not work
      if (r.bytes === 0) throw captureError(`${version!.path} ${ssFlags} exited 0 without printing anything, not even its header${r.stderr.length > 0 ? ` (it said: ${r.stderr[0]})` : ''}`);
    }
    if (fd !== undefined) {
      const f = fd;
      fd = undefined;
      fs.closeSync(f);
    } else if (sink !== opts.stream) await endStream(sink!);
    if (tmp) {
      try {
        kept = opts.fresh ? keepAsNew(tmp, opts.output!, opts.fresh, meta.host, new Date(meta.time)) : (fs.renameSync(tmp, opts.output!), opts.output!);
      } catch (e) {
        throw e instanceof UserError ? e : writeError(opts.output!, e);
      }
      tmp = undefined;
    }
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    if (tmp) fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    registered?.();
    if (raw !== undefined) fs.closeSync(raw);
  }
  return {
    meta,
    notices,
    ...(bytes !== undefined ? { bytes } : {}),
    ...(opts.output ? { path: kept ?? opts.output } : {}),
    ...(collected ? { text: Buffer.concat(collected).toString('utf8') } : {}),
  };
}

/**
 * Sockets in a namespace from which socklint's process column beats ss's -p. ss -p looks each socket up in
 * chains of ~(sockets held anywhere / 256) links — negligible at a few thousand sockets, ~0.2 s at 16,000
 * (bench/live.js: ss 299 ms with -p, 101 ms without), ~1 s at 64,000 — after the same walk of every
 * /proc/PID/fd socklint makes, which costs socklint more per fd (~5 against ~3.7 µs): a host with 293,000
 * open files and few sockets scanned in 1.61 s with socklint's column, 1.26 s with ss's; 16,000 sockets in
 * 459 ms against 545 ms.
 */
const OWNER_COLUMN_MIN_SOCKETS = 8000;

/**
 * Whether socklint should fill in the process column of a capture of `target` (the host's namespace when
 * undefined): when the namespace holds OWNER_COLUMN_MIN_SOCKETS or more, by `sockets: used` of its
 * /proc/net/sockstat (TIME-WAIT sockets, which no process holds, are not counted). A namespace without a
 * process to read it through chooses socklint's column, whose cost is bounded by the walk.
 */
export function ownerColumnPays(target: NetnsTarget | undefined, procRoot = '/proc'): boolean {
  const pid = target ? target.pid ?? findPidInNetns(target.nsPath, procRoot) : 'self';
  const used = pid === undefined ? undefined : socketsInUse(path.join(procRoot, String(pid), 'net'));
  return used === undefined || used >= OWNER_COLUMN_MIN_SOCKETS;
}

/** SOCKLINT_PROCESS_COLUMN: `ss` or `socklint` decides who fills in the process column (default: by socket count). */
function processColumnFromEnv(): 'ss' | 'socklint' | undefined {
  const v = process.env.SOCKLINT_PROCESS_COLUMN?.trim();
  if (v === undefined || v === '') return undefined;
  if (v === 'ss' || v === 'socklint') return v;
  throw new UserError({
    file: 'SOCKLINT_PROCESS_COLUMN', code: 'bad-value', message: `"${v}" is neither ss nor socklint`,
    hint: 'unset it (socklint decides by the number of sockets), or set ss (ss -p) or socklint (its own /proc walk)',
  }, ExitCode.usage);
}

/** `sockets: used N` of a namespace's sockstat (in the folder `net`), or undefined when it cannot be read. */
function socketsInUse(net: string): number | undefined {
  try {
    const m = /^sockets: used (\d+)/m.exec(fs.readFileSync(path.join(net, 'sockstat'), 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A file in `dir` for this process alone, open for reading and writing and already unlinked; undefined if none can be made. */
function privateFile(dir: string): number | undefined {
  const file = path.join(dir, `.socklint-ss.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'wx+', 0o600);
    fs.unlinkSync(file);
    return fd;
  } catch {
    if (fd !== undefined) fs.closeSync(fd);
    return undefined;
  }
}

/**
 * ss's output with the process column filled in by socklint (owners.ts), passed to `write` in pieces (each
 * valid until `write` returns: the next read reuses its memory). ss
 * writes to `raw`, a private file (privateFile), at its own pace while this thread walks /proc for the socket
 * owners — the walk ss -p would make before its dump, here beside it — then the file is read as it grows,
 * each piece written on with its rows' `users:((…))` items, the event loop given a turn between pieces (this
 * thread parses what is written, see CaptureFollower).
 */
async function captureWithOwners(
  ss: Omit<RunSsOptions, 'out'>, raw: { fd: number; dir: string }, label: string, write: (buf: Buffer) => void, notices: string[],
): Promise<RunSsResult> {
  const stop = new AbortController();
  // ss's file, read as it grows (and to its end when ss fails: its error comes after what it wrote)
  const rawFollow = new CaptureFollower();
  rawFollow.start(raw.fd);
  const run = runSs({ ...ss, out: raw.fd, signal: stop.signal });
  run.then(() => rawFollow.finish(), (e: unknown) => rawFollow.finish(e));
  try {
    const { processes, unreadable } = mapSocketProcesses('/proc');
    const unread = unreadableNotice(unreadable);
    if (unread) notices.push(unread);
    const column = new OwnerColumn(processes);
    for await (const chunk of rawFollow.chunks()) {
      const out = column.push(chunk);
      if (out.length > 0) write(out);
      await new Promise<void>((resolve) => setImmediate(resolve)); // the parse's turn
    }
    const r = await run;
    if (filesystemFull(raw.dir)) throw diskFull(label); // ss's writes to its file failed without a word
    const rest = column.end();
    if (rest.length > 0) write(rest);
    return r;
  } finally {
    stop.abort(); // ss stops with this capture, if it still runs
  }
}

/** For root: how many processes' sockets could not be attributed (root without CAP_SYS_PTRACE, in some containers). */
function unreadableNotice(unreadable: number): string | undefined {
  if (unreadable === 0 || process.getuid?.() !== 0) return undefined; // (others are told they are not root)
  return `could not read /proc/PID/fd of ${unreadable} process(es): their sockets have no process`;
}

function diskFull(file: string): UserError {
  return writeError(file, Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
}

/**
 * Reads a capture file while ss writes it: the chunks of the file from its start, waiting (a poll every
 * FOLLOW_POLL_MS) where it ends until the capture does; the capture's error, if it fails. Hand the same
 * follower to captureSnapshot (`follow`), which calls start and finish.
 */
export class CaptureFollower {
  private file?: string | number;
  private ended = false;
  private failure: unknown;
  private wake?: () => void;

  /**
   * The file exists and holds the metadata lines; ss is about to start. An open descriptor (ss's private file,
   * captureWithOwners) is read as it is and left open.
   */
  start(file: string | number): void {
    this.file = file;
    this.wake?.();
  }

  /** More of the file is written (by this thread: the reader need not wait for its next look). */
  grew(): void {
    this.wake?.();
  }

  /** The capture is complete (every byte is in the file), or failed with `error`. */
  finish(error?: unknown): void {
    this.ended = true;
    this.failure = error;
    this.wake?.();
  }

  /** The file's bytes as they come; a chunk is valid until the next one is asked for (a parser copies what it keeps). */
  async *chunks(): AsyncGenerator<Buffer> {
    while (this.file === undefined && !this.ended) await this.pause();
    if (this.failure !== undefined) throw this.failure;
    if (this.file === undefined) return;
    const fd = typeof this.file === 'number' ? this.file : fs.openSync(this.file, 'r');
    // one buffer, read into again once the parse has taken a chunk (as source.ts reads files): a new one per
    // read is memory the kernel maps and zeroes each time
    const buf = Buffer.allocUnsafeSlow(FOLLOW_READ_BYTES);
    try {
      for (let pos = 0; ;) {
        const ended = this.ended; // read first: what was written before the end is then all read below
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        if (n > 0) {
          pos += n;
          yield buf.subarray(0, n);
        } else if (this.failure !== undefined) {
          throw this.failure;
        } else if (ended) {
          return;
        } else {
          await this.pause();
        }
      }
    } finally {
      if (fd !== this.file) fs.closeSync(fd);
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, FOLLOW_POLL_MS);
      this.wake = done;
    });
  }
}
/** How long a follower that has read all ss has written so far waits before it looks again. */
const FOLLOW_POLL_MS = 2;
const FOLLOW_READ_BYTES = 256 * 1024;

/** Whether the filesystem of `folder` has no block left for this user (root: none at all). */
function filesystemFull(folder: string): boolean {
  try {
    const st = fs.statfsSync(folder);
    return (process.getuid?.() === 0 ? st.bfree : st.bavail) === 0;
  } catch {
    return false;
  }
}

function endStream(s: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.errored) return reject(s.errored);
    s.once('error', reject);
    s.end((e?: Error | null) => (e ? reject(e) : resolve()));
  });
}

/**
 * /proc fallback: writes its ss-like text (renderProc) to `write`, and returns what the user should know.
 * The tables must be read from inside the namespace: /proc/PID/net of a process in it when one is known
 * (pid:N, /proc/N/ns/net, or any process whose /proc/PID/ns/net is the same namespace), else `cat` run in
 * the namespace. Process mapping always scans the host's /proc: socket inodes are unique across namespaces.
 */
async function captureProc(target: NetnsTarget | undefined, procRoot: string | undefined, write: (text: string) => void): Promise<string[]> {
  const root = procRoot ?? '/proc';
  let reader: NetTableReader;
  if (!target) {
    reader = fileTableReader(root);
  } else {
    const pid = target.pid ?? findPidInNetns(target.nsPath, root);
    reader = pid !== undefined ? fileTableReader(path.join(root, String(pid))) : netnsTableReader(target);
  }
  const scan = await renderProc(reader, root, write);
  const notices: string[] = [];
  const unread = unreadableNotice(scan.unreadableFdDirs);
  if (unread) notices.push(unread);
  if (scan.problemCount > 0) {
    notices.push(`/proc/net: ${scan.problemCount} ${scan.problemCount === 1 ? 'line' : 'lines'} could not be decoded, first: ${scan.problems[0]}`);
  }
  return notices;
}

/**
 * A /proc/net table read inside a namespace no process of which is found (`cat /proc/self/net/TABLE` run in
 * it), line by line as cat prints it; no lines when the table does not exist there.
 */
function netnsTableReader(target: NetnsTarget): NetTableReader {
  return async function* lines(table: string): AsyncGenerator<string> {
    const failed = (why: string): UserError => new UserError({
      file: 'live', code: 'live-capture-failed', message: `cannot read /proc/net/${table} inside namespace ${target.spec} (${why})`,
    }, ExitCode.snapshot);
    let child: ChildProcess;
    try {
      ({ child } = await spawnIn(target, 'cat', [`/proc/self/net/${table}`], ['ignore', 'pipe', 'pipe']));
    } catch (e) {
      throw failed(`${(e as { file: string }).file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { if (stderr.length < 4096) stderr += d.toString('utf8'); });
    const exit = new Promise<number | Error | null>((resolve) => {
      child.once('error', resolve);
      child.once('close', resolve);
    });
    yield* linesOf(child.stdout!.setEncoding('utf8'));
    const r = await exit;
    if (r === 0 || /No such file/.test(stderr)) return; // e.g. tcp6 with IPv6 disabled
    throw failed(stderr.trim() || (r instanceof Error ? r.message : `exit ${r}`));
  };
}

/** A process whose network namespace is the one at nsPath (same inode), or undefined. */
export function findPidInNetns(nsPath: string, procRoot = '/proc'): number | undefined {
  let ino: number;
  try {
    ino = fs.statSync(nsPath).ino;
  } catch {
    return undefined;
  }
  let pids: string[];
  try {
    pids = fs.readdirSync(procRoot).filter((n) => /^\d+$/.test(n));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      if (fs.statSync(path.join(procRoot, pid, 'ns', 'net')).ino === ino) return Number(pid);
    } catch { /* exited, or not ours */ }
  }
  return undefined;
}

// ───────────────────────────── for the CLI ─────────────────────────────

export interface LiveSnapshotOptions {
  netns?: string;
  labels?: Record<string, string>;
  /** `--save-snapshot PATH`: keep the evidence file there. */
  saveTo?: string;
  /** When the capture starts (its `# time:`; default now). */
  now?: Date;
  host?: string;
  /** Force the /proc fallback (tests). */
  useProc?: boolean;
  /** See CaptureOptions.processColumn. */
  processColumn?: 'ss' | 'socklint';
  procRoot?: string;
  flags?: string;
  ssPath?: string;
  nsenterPath?: string;
  /** See CaptureOptions.follow. */
  follow?: CaptureFollower;
  /** See CaptureOptions.fresh. */
  fresh?: CaptureOptions['fresh'];
}

/** What reports call a live snapshot: the saved path, or `live:<host>` for a temp capture. */
export function liveSnapshotLabel(opts: Pick<LiveSnapshotOptions, 'saveTo' | 'host'>): string {
  return opts.saveTo ?? `live:${opts.host ?? os.hostname()}`;
}

export interface LiveSnapshot {
  /** The complete snapshot file (metadata + ss output): parse it with parseSnapshotFile(file, sink, { file: label }). */
  file: string;
  /** What reports should call it: the saved path, or `live:<host>` for a temp capture. */
  label: string;
  meta: CaptureMeta;
  notices: string[];
  /** True when `file` is a temp file that dispose() removes. */
  temporary: boolean;
  /** Remove the temp file (no-op for a saved snapshot). */
  dispose(): Promise<void>;
}

/**
 * Capture the live host into a snapshot file — `saveTo`, or a private temp file — for the normal
 * file-scanning path. Call dispose() when done parsing.
 */
export async function liveSnapshot(opts: LiveSnapshotOptions = {}): Promise<LiveSnapshot> {
  let dir: string | undefined;
  let file = opts.saveTo;
  if (!file) {
    try {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-live-'));
    } catch (e) {
      const err = new UserError({ file: os.tmpdir(), code: 'snapshot-write', message: `cannot make a folder for the capture (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, hint: 'set TMPDIR to a writable folder, or give --save-snapshot PATH' }, ExitCode.usage);
      opts.follow?.finish(err);
      throw err;
    }
    file = path.join(dir, 'snapshot.ss');
  }
  const kept = dir === undefined ? undefined : removeIfInterrupted(dir);
  const dispose = async () => {
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
    kept?.();
  };
  try {
    const r = await captureSnapshot({ ...opts, output: file });
    return {
      file,
      label: liveSnapshotLabel({ saveTo: opts.saveTo, host: r.meta.host }),
      meta: r.meta,
      notices: r.notices,
      temporary: dir !== undefined,
      dispose,
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** A host name reduced to characters every file system keeps in a file name (no `/`, no leading dot). */
export function hostFileName(host: string): string {
  return host.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_') || 'host';
}

/**
 * Where a capture given `target` (`-o`, `--save-snapshot`) goes when that is a folder — one that exists, or a path
 * ending in `/` (created by the capture, makeFolder) — a new file in it named after the host and `when`
 * (snapshotPath); undefined for anything else (a file to write, `-`, none).
 */
export function pathInFolder(target: string | undefined, host: string, when: Date): string | undefined {
  if (target === undefined || target === '-') return undefined;
  return target.endsWith('/') || safeStat(target)?.isDirectory() ? snapshotPath(target, host, when) : undefined;
}

/**
 * Puts the finished capture `tmp` at `wanted`, a name snapshotPath found free, without replacing a file another
 * process put there meanwhile (two captures of one host in one second: snapshotPath's look and the rename are not
 * one step): a hard link fails when its name is taken. Then `next` takes the next free name (-2, -3…), `refuse`
 * refuses the capture (exit 2). A file system without hard links gets a rename after one more look. The path kept.
 */
export function keepAsNew(tmp: string, wanted: string, fresh: 'next' | 'refuse', host: string, when: Date): string {
  for (let p = wanted; ; p = snapshotPath(path.dirname(wanted), host, when)) {
    if (putUnlessTaken(tmp, p)) return p;
    if (fresh === 'refuse') {
      throw new UserError({ file: wanted, code: 'snapshot-write', message: 'cannot keep the capture: another capture of this host took its name meanwhile', hint: 'run it again: each capture gets a name of its own' }, ExitCode.usage);
    }
  }
}

/** Errors of a file system that makes no hard links. */
const NO_HARD_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'];

/** Moves `tmp` to `p` unless a file is there (false): a hard link, which fails on a taken name, then the unlink. */
function putUnlessTaken(tmp: string, p: string): boolean {
  try {
    fs.linkSync(tmp, p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.includes(code)) throw e;
    if (fs.existsSync(p)) return false; // (no hard links: a rename after one more look)
    fs.renameSync(tmp, p);
    return true;
  }
  fs.unlinkSync(tmp);
  return true;
}

/**
 * `DIR/HOST-YYYYMMDDTHHMMSSZ.ss` (UTC; the capture's `# time:` is the same moment), the host's name reduced to
 * characters a file name keeps everywhere; `-2`, `-3`… before `.ss` when a capture of the same second is there.
 */
export function snapshotPath(dir: string, host: string, when: Date): string {
  const name = hostFileName(host);
  const stamp = when.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  for (let n = 1; ; n++) {
    const p = path.join(dir, `${name}-${stamp}${n === 1 ? '' : `-${n}`}.ss`);
    if (!fs.existsSync(p)) return p;
  }
}
