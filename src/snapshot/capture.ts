/**
 * Live capture: a snapshot file = capture metadata (`# key: value` lines the parser collects into
 * stats.meta) followed by the raw output of `ss` — or, when ss is not installed, ss-compatible text
 * rendered from /proc/net (proc.ts). The saved file is exactly what gets parsed, so SARIF/report line
 * numbers point into it.
 *
 * Design: capture streams ss's stdout to a file (the user's `--save-snapshot` path, else a temp file),
 * then the normal file-scanning path (`parseSnapshotFile`) parses that file. Memory stays bounded by the
 * parser, not by the host's socket count; the file on disk is bounded by it. `tee` lets a caller feed an
 * SsParser while the capture runs, if it wants to parse in the same pass.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough, type Writable } from 'stream';
import { ExitCode, UserError } from '../diagnostics';
import { socklintVersion } from '../version';
import { chooseSsFlags, detectSs, execInNetns, resolveNetns, runSs, type NetnsTarget } from './live';
import { PROC_FLAGS, fileTableReader, renderProcAsSs, scanProc, type NetTableReader } from './proc';

export interface CaptureMeta {
  'socklint-snapshot': string;
  host: string;
  /** UTC ISO 8601, when the capture started. */
  time: string;
  kernel: string;
  /** `iproute2-6.1.0`, or `none (proc fallback)`. */
  ss: string;
  flags: string;
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

const META_KEYS: (keyof CaptureMeta)[] = ['socklint-snapshot', 'host', 'time', 'kernel', 'ss', 'flags', 'netns', 'socklint', 'labels', 'source', 'uid'];

/** `# key: value` lines, one per key, in the fixed order (an empty value keeps its line: `# netns: `). */
export function formatMeta(meta: CaptureMeta): string {
  let out = '';
  for (const k of META_KEYS) {
    const v = meta[k];
    if (v === undefined) continue;
    // values come from the host (hostname, --host, --netns): never let one start a new line
    out += `# ${k}: ${String(v).replace(/[\r\n]+/g, ' ')}`.trimEnd() + '\n';
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
  /** Alternate proc root for the fallback (tests); default /proc, or /proc/PID for a process's namespace. */
  procRoot?: string;
  /** ss binary (tests); default `ss` from PATH, then /usr/sbin, /sbin, /usr/bin, /bin. */
  ssPath?: string;
  /** nsenter binary (tests); default `nsenter` from PATH. */
  nsenterPath?: string;
  /** Observer of every byte written (metadata first), e.g. SsParser.write. */
  tee?: (chunk: Buffer) => void;
  /** Override the clock (tests). */
  now?: Date;
}

export interface CaptureResult {
  meta: CaptureMeta;
  /** Things the user should know (not errors): fallback used, non-root, ss stderr. Each said once. */
  notices: string[];
  /** Set when `output` was given. */
  path?: string;
  /** Set when neither `output` nor `stream` was given: the snapshot text. */
  text?: string;
  /** Bytes written, metadata included. */
  bytes: number;
}

function notRootNotice(proc: boolean): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() === 0) return undefined;
  return proc
    ? `running as uid ${process.getuid()}: /proc/PID/fd of other users' processes is unreadable, so their sockets have no process; run as root for complete process information`
    : `running as uid ${process.getuid()}: ss shows processes only for your own sockets; run as root for complete process information`;
}

function writeError(file: string, e: unknown): UserError {
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new UserError({ file, code: 'snapshot-write', message: `cannot write the snapshot (${why})` }, ExitCode.usage);
}

/** Capture the live host (or namespace) into a file, a stream or a string. */
export async function captureSnapshot(opts: CaptureOptions = {}): Promise<CaptureResult> {
  const labels = Object.entries(opts.labels ?? {});
  for (const [k, v] of labels) {
    if (/[,=\r\n]/.test(k) || /[,\r\n]/.test(v)) {
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
  if (useProc) meta.source = 'proc';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) meta.uid = String(process.getuid());
  const root = notRootNotice(useProc);
  if (root) notices.push(root);

  let sink: Writable;
  let tmp: string | undefined;
  let collected: Buffer[] | undefined;
  if (opts.output) {
    const dir = path.dirname(path.resolve(opts.output));
    tmp = path.join(dir, `.${path.basename(opts.output)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      sink = fs.createWriteStream(tmp, { flags: 'wx' });
      await new Promise<void>((resolve, reject) => sink.once('open', () => resolve()).once('error', reject));
    } catch (e) {
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

  let bytes = 0;
  const write = (buf: Buffer) => {
    bytes += buf.length;
    opts.tee?.(buf);
    sink.write(buf);
  };

  try {
    write(Buffer.from(formatMeta(meta), 'utf8'));
    if (useProc) {
      const { text, notices: procNotices } = await captureProc(target, opts.procRoot);
      notices.push(...procNotices);
      write(Buffer.from(text, 'utf8'));
    } else {
      const r = await runSs({ flags: meta.flags, netns: target, ssPath: version!.path, out: sink, tee: opts.tee });
      bytes += r.bytes;
      for (const l of r.stderr) notices.push(`ss: ${l}`);
    }
    if (sink !== opts.stream) await endStream(sink);
    if (tmp) {
      try {
        fs.renameSync(tmp, opts.output!);
      } catch (e) {
        throw writeError(opts.output!, e);
      }
      tmp = undefined;
    }
  } catch (e) {
    if (tmp) {
      sink.destroy();
      fs.rmSync(tmp, { force: true });
    }
    throw e;
  }
  return {
    meta,
    notices,
    bytes,
    ...(opts.output ? { path: opts.output } : {}),
    ...(collected ? { text: Buffer.concat(collected).toString('utf8') } : {}),
  };
}

function endStream(s: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.end(() => resolve());
  });
}

/**
 * /proc fallback. The tables must be read from inside the namespace: /proc/PID/net of a process in it
 * when one is known (pid:N, /proc/N/ns/net, or any process whose /proc/PID/ns/net is the same
 * namespace), else `cat` run in the namespace. Process mapping always scans the host's /proc: socket
 * inodes are unique across namespaces.
 */
async function captureProc(target: NetnsTarget | undefined, procRoot?: string): Promise<{ text: string; notices: string[] }> {
  const root = procRoot ?? '/proc';
  let reader: NetTableReader;
  if (!target) {
    reader = fileTableReader(root);
  } else {
    const pid = target.pid ?? findPidInNetns(target.nsPath, root);
    reader = pid !== undefined
      ? fileTableReader(path.join(root, String(pid)))
      : async (table) => {
        try {
          return (await execInNetns(target, 'cat', [`/proc/self/net/${table}`])).stdout;
        } catch (e) {
          const err = e as NodeJS.ErrnoException & { stderr?: string };
          if (/No such file/.test(err.stderr ?? '')) return undefined; // e.g. tcp6 with IPv6 disabled
          throw new UserError({
            file: 'live', code: 'live-capture-failed',
            message: `cannot read /proc/net/${table} inside namespace ${target.spec} (${(err.stderr ?? '').trim() || err.code || err.message})`,
          }, ExitCode.snapshot);
        }
      };
  }
  const scan = await scanProc(reader, root);
  const notices: string[] = [];
  if (scan.unreadableFdDirs > 0 && process.getuid?.() === 0) {
    // root without CAP_SYS_PTRACE (some containers); non-root users get the not-root notice instead
    notices.push(`could not read /proc/PID/fd of ${scan.unreadableFdDirs} process(es): their sockets have no process`);
  }
  if (scan.problems.length) {
    notices.push(`/proc/net: ${scan.problems.length} line(s) could not be decoded, first: ${scan.problems[0]}`);
  }
  return { text: renderProcAsSs(scan), notices };
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
  host?: string;
  /** Force the /proc fallback (tests). */
  useProc?: boolean;
  procRoot?: string;
  flags?: string;
  ssPath?: string;
  nsenterPath?: string;
  tee?: (chunk: Buffer) => void;
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
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-live-'));
    file = path.join(dir, 'snapshot.ss');
  }
  const dispose = async () => {
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  };
  try {
    const r = await captureSnapshot({ ...opts, output: file });
    return {
      file,
      label: opts.saveTo ?? `live:${r.meta.host}`,
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
