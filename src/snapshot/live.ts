/**
 * Running `ss` on the live host (or inside a network namespace): version detection, the flag set to
 * ask for, namespace targets, and streaming ss's stdout to a sink. Never goes through a shell.
 * Orchestration (metadata, files, /proc fallback) is in capture.ts.
 */
import { execFile, spawn, type ChildProcess, type StdioOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Writable } from 'stream';
import { ExitCode, UserError, didYouMean } from '../diagnostics';
import { onInterrupt } from '../cleanup';

export interface SsVersion {
  /** As `ss -V` printed it after "ss utility, ": `iproute2-6.1.0`, `iproute2-ss130716`. */
  text: string;
  /** The binary that answered (`ss` from PATH, or an absolute path when PATH lacked it). */
  path?: string;
  /** Release as [major, minor, patch] when it can be told (date-stamped builds are mapped by date). */
  release?: [number, number, number];
}

/**
 * iproute2 releases that changed what we ask for, with their release dates, for old builds whose
 * `ss -V` prints a snapshot date (`iproute2-ss190708`) instead of a version (dates kept by ≤ 5.x).
 */
const DATED_RELEASES: [string, [number, number, number]][] = [
  ['190708', [5, 2, 0]],
  ['190924', [5, 3, 0]],
  ['191125', [5, 4, 0]],
  ['200127', [5, 5, 0]],
  ['200330', [5, 6, 0]],
  ['200602', [5, 7, 0]],
  ['200803', [5, 8, 0]],
];

export function parseSsVersion(output: string): SsVersion | undefined {
  const m = /iproute2-[^\s,]+/.exec(output);
  if (!m) return undefined;
  const text = m[0];
  const v = /^iproute2-v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (v) return { text, release: [Number(v[1]), Number(v[2]), Number(v[3] ?? 0)] };
  const d = /^iproute2-ss(\d{6})/.exec(text);
  if (d) {
    let release: [number, number, number] = [4, 0, 0];
    for (const [date, rel] of DATED_RELEASES) if (d[1] >= date) release = rel;
    // before 2019-07 we only need to know "older than 5.2"; 4.0 stands for all of them
    return { text, release: d[1] < '150000' ? [3, 0, 0] : release };
  }
  return { text };
}

function atLeast(v: SsVersion | undefined, major: number, minor: number): boolean {
  const r = v?.release;
  if (!r) return false;
  return r[0] > major || (r[0] === major && r[1] >= minor);
}

/**
 * The richest flag set this ss supports: tcp+udp+unix, all states, numeric, processes, memory, tcp
 * info, timers, extended; `-O` (5.2+) keeps each socket on one line. `-p` is always included: 6.7 drops
 * every -o/-e/-m/-i item when -p is absent (fixed in 6.8). Unknown versions get the pre-5.2 set.
 */
export function chooseSsFlags(v: SsVersion | undefined): string {
  return atLeast(v, 5, 2) ? '-tuaxnpmioeO' : '-tuaxnpmioe';
}

/**
 * Whether socklint may fill in the process column instead of ss's `-p` (owners.ts): for a known release
 * other than 6.7, which drops every -o/-e/-m/-i item when `-p` is absent. Unknown builds keep `-p`.
 */
export function ownersBySocklint(v: SsVersion | undefined): boolean {
  const r = v?.release;
  return r !== undefined && !(r[0] === 6 && r[1] === 7);
}

// ───────────────────────────── network namespaces ─────────────────────────────

export interface NetnsTarget {
  /** As the user gave it. */
  spec: string;
  /** The namespace file: /run/netns/NAME, /proc/PID/ns/net, or the path given. */
  nsPath: string;
  /** Set for `ip netns` names. */
  name?: string;
  /** Set when the namespace is a process's (`pid:N` or /proc/N/ns/net): /proc/N/net is that namespace's view. */
  pid?: number;
  /** The nsenter binary that enters it. */
  nsenter: string;
  /** Set once nsenter turned out to be missing: named namespaces are then entered with `ip netns exec`. */
  viaIp?: boolean;
}

export interface ResolveNetnsOptions {
  /** Where `ip netns` keeps its names (default /run/netns). */
  netnsDir?: string;
  /** nsenter binary (default `nsenter` from PATH). */
  nsenter?: string;
}

const NETNS_DIR = '/run/netns';

const NEEDS_ROOT = 'entering another network namespace needs root';

function netnsError(spec: string, message: string, hint?: string): UserError {
  return new UserError({ file: '--netns', code: 'netns-not-found', message: `${spec}: ${message}`, hint }, ExitCode.usage);
}

/**
 * `--netns` accepts an `ip netns` name (`/run/netns/NAME`), `pid:PID` (that process's namespace — e.g. a
 * container's, PID from `docker inspect -f '{{.State.Pid}}' NAME`), or a namespace file path
 * (`/proc/PID/ns/net`, a bind mount). Throws a UserError (exit 2) when it is not one (checkNetnsFile).
 */
export function resolveNetns(spec: string, opts: ResolveNetnsOptions = {}): NetnsTarget {
  const netnsDir = opts.netnsDir ?? NETNS_DIR;
  const nsenter = opts.nsenter ?? 'nsenter';
  const pidForm = /^pid:(\d+)$/.exec(spec);
  if (pidForm) {
    const nsPath = `/proc/${pidForm[1]}/ns/net`;
    checkNetnsFile(spec, nsPath, `no process ${pidForm[1]}`);
    return { spec, nsPath, pid: Number(pidForm[1]), nsenter };
  }
  if (spec.includes('/')) {
    checkNetnsFile(spec, spec, 'no such namespace file');
    const procForm = /^\/proc\/(\d+)\/ns\/net$/.exec(spec);
    return { spec, nsPath: spec, ...(procForm ? { pid: Number(procForm[1]) } : {}), nsenter };
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(spec)) {
    throw netnsError(spec, 'not a namespace name', 'use an `ip netns list` name, pid:PID or a /proc/PID/ns/net path');
  }
  const nsPath = path.join(netnsDir, spec);
  if (!fs.existsSync(nsPath)) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(netnsDir);
    } catch { /* no named namespaces at all */ }
    const near = didYouMean(spec, names);
    const hint = near ? `did you mean "${near}"?` : names.length ? `known: ${names.slice(0, 10).join(', ')}` : '`ip netns list` shows none; for a container use pid:PID';
    throw netnsError(spec, 'no such network namespace', hint);
  }
  checkNetnsFile(spec, nsPath, 'no such network namespace');
  return { spec, nsPath, name: spec, nsenter };
}

/** statfs(2) type of the namespace filesystem (nsfs), which every namespace file and its bind mounts are on. */
const NSFS_MAGIC = 0x6e736673;

/**
 * Throws a usage error (as resolveNetns does) unless `nsPath` is a network namespace file: one that exists
 * (else `missing`), can be read, is on nsfs (a bind mount `ip netns add` left unmounted, /etc/passwd: not),
 * and, where its link says which namespace it is (`/proc/PID/ns/mnt` → `mnt:[4026531841]`), a `net` one —
 * nsenter would fail on any other with "Invalid argument".
 */
function checkNetnsFile(spec: string, nsPath: string, missing: string): void {
  let type: number;
  try {
    type = fs.statfsSync(nsPath).type;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw netnsError(spec, missing);
    if (code === 'EACCES' || code === 'EPERM') {
      // as another user: a namespace only root may enter (exit 3, as nsenter refusing a named one is); as root: a
      // process of another container or user namespace, which this one may not look into
      throw new UserError({
        file: '--netns', code: 'netns-denied', message: `${spec}: may not be entered (${code})`,
        hint: process.getuid?.() === 0 ? 'its process is outside what this root may look into (another container or user namespace): capture from there, or run socklint on the host' : NEEDS_ROOT,
      }, ExitCode.snapshot);
    }
    throw netnsError(spec, `cannot be read (${code})`);
  }
  if (type !== NSFS_MAGIC) {
    throw netnsError(spec, 'is not a namespace file', 'use an `ip netns list` name, pid:PID or a /proc/PID/ns/net path');
  }
  let link = nsPath;
  for (let hops = 0; hops < 40; hops++) {
    let target: string;
    try {
      target = fs.readlinkSync(link);
    } catch {
      return; // not a link (a bind mount): nsfs is all that can be told
    }
    const kind = /^([a-z_]+):\[\d+\]$/.exec(target);
    if (kind) {
      if (kind[1] !== 'net') throw netnsError(spec, `is a ${kind[1]} namespace, not a network namespace`, 'give a process\'s ns/net');
      return;
    }
    link = path.resolve(path.dirname(link), target);
  }
}

/**
 * argv that runs `cmd args` inside the namespace: `nsenter --net=PATH` (util-linux; enters only the
 * network namespace, so ss still sees the host's cgroup mount), else `ip netns exec NAME` (which also
 * remounts /sys: ss -e then prints "Failed to find cgroup2 mount" per socket on stderr).
 */
export function inNetns(target: NetnsTarget | undefined, cmd: string, args: string[]): [string, string[]] {
  if (!target) return [cmd, args];
  if (target.viaIp && target.name) return ['ip', ['netns', 'exec', target.name, cmd, ...args]];
  return [target.nsenter, [`--net=${target.nsPath}`, cmd, ...args]];
}

function execFileAsync(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

// ───────────────────────────── running ss ─────────────────────────────

/** Where ss lives when PATH lacks it (sudo/cron PATHs without /usr/sbin on RHEL-likes). */
const SS_FALLBACK_PATHS = ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'];

/**
 * `ss -V`; undefined when ss is not installed (ENOENT) — the caller falls back to /proc. Without an
 * explicit ssPath, `ss` from PATH, then the usual sbin/bin locations. Runs on the host: a namespace
 * shares the filesystem, so it is the same binary.
 */
export async function detectSs(ssPath?: string): Promise<SsVersion | undefined> {
  const candidates = ssPath ? [ssPath] : ['ss', ...SS_FALLBACK_PATHS];
  for (const candidate of candidates) {
    try {
      const { stdout, stderr } = await execFileAsync(candidate, ['-V'], 10000);
      const v = parseSsVersion(stdout + stderr) ?? { text: (stdout + stderr).trim().slice(0, 80) || 'unknown' };
      return { ...v, path: candidate };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stdout?: string };
      if (err.code === 'ENOENT' || err.code === 'EACCES') continue;
      // ss present but `-V` failed: very old builds; run it anyway with the conservative flags
      return { ...(parseSsVersion(err.stdout ?? '') ?? { text: 'unknown' }), path: candidate };
    }
  }
  return undefined;
}

export interface RunSsOptions {
  flags: string;
  netns?: NetnsTarget;
  ssPath?: string;
  /**
   * Where ss's output goes: a file descriptor becomes its stdout (it writes there itself, from the file's
   * offset); a stream receives every stdout chunk, in order (backpressure respected).
   */
  out: Writable | number;
  timeoutMs?: number;
  /** Aborted: ss is killed and the run rejects (its caller failed meanwhile). */
  signal?: AbortSignal;
}

export interface RunSsResult {
  /** What ss wrote; undefined when it wrote into a pipe or device itself (an fd `out` that is not a file). */
  bytes?: number;
  /** Distinct stderr lines with repeat counts ("Failed to find cgroup2 mount (×1250)"). */
  stderr: string[];
}

/**
 * Streams `ss FLAGS` (in the namespace when given) into `out`. Rejects with a UserError (exit 3) when ss
 * cannot run or exits non-zero; an ENOENT error keeps `code: 'ENOENT'` so the caller can fall back.
 */
export async function runSs(opts: RunSsOptions): Promise<RunSsResult> {
  const out = opts.out;
  // (a pipe's or a device's size says nothing of what was written to it)
  const fileStart = typeof out === 'number' ? fileSize(out) : 0;
  let child: ChildProcess;
  let file: string;
  try {
    ({ child, file } = await spawnIn(opts.netns, opts.ssPath ?? 'ss', [opts.flags], ['ignore', typeof out === 'number' ? out : 'pipe', 'pipe']));
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { file: string };
    if (err.code !== 'ENOENT') throw captureError(`cannot run ${err.file}: ${err.message}`);
    const why = !opts.netns
      ? `${err.file} not found`
      : err.file === opts.netns.nsenter
        ? `${err.file} (util-linux) not found: needed to enter ${opts.netns.spec} (or give the namespace a name: ip netns attach NAME PID; or read it from /proc: --proc)`
        : `neither ${opts.netns.nsenter} (util-linux) nor ${err.file} (iproute2) found: one is needed to enter ${opts.netns.spec} (or read it from /proc: --proc)`;
    throw Object.assign(captureError(why), { code: 'ENOENT' });
  }
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let errText = '';
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else {
        const written = typeof out !== 'number' ? bytes : fileStart === undefined ? undefined : fileSize(out)! - fileStart;
        resolve({ ...(written !== undefined ? { bytes: written } : {}), stderr: summariseStderr(errText) });
      }
    };
    const timer = setTimeout(
      () => done(captureError(`ss did not finish within ${(opts.timeoutMs ?? 120000) / 1000} s`)),
      opts.timeoutMs ?? 120000,
    );
    // (the capture may have failed while ss was being started: then it is stopped at once)
    const stopped = (): void => done(captureError('ss stopped: the capture failed'));
    if (opts.signal?.aborted) stopped();
    else opts.signal?.addEventListener('abort', stopped, { once: true });
    child.stderr!.on('data', (d: Buffer) => {
      if (errText.length < 1 << 20) errText += d.toString('utf8');
    });
    if (typeof out !== 'number') {
      child.stdout!.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (!out.write(chunk)) {
          child.stdout!.pause();
          out.once('drain', () => child.stdout!.resume());
        }
      });
      out.once('error', (e) => done(e));
    }
    child.once('error', (e) => done(captureError(`${file}: ${e.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return done();
      const first = summariseStderr(errText)[0];
      // nsenter's setns(2) refused: only root (CAP_SYS_ADMIN) enters another network namespace
      const why = opts.netns && /operation not permitted/i.test(errText) && process.getuid?.() !== 0 ? ` (${NEEDS_ROOT})` : '';
      done(captureError(`${opts.netns ? `${file} … ss` : 'ss'} ${opts.flags} failed (${code ?? signal})${first ? `: ${first}` : ''}${why}`));
    });
  });
}

/** A started command and the program that runs it (nsenter or ip for a namespace, else the command). */
export interface Spawned {
  child: ChildProcess;
  file: string;
}

/**
 * Starts `cmd args` — inside the namespace when one is given (inNetns) — and resolves once it runs. Where
 * nsenter is missing, a named namespace is entered with `ip netns exec` instead, for this command and the
 * capture's later ones (`target.viaIp`). Anything else that keeps it from starting rejects with the spawn
 * error and `file`, the program that could not be run (ENOENT: it is missing).
 */
export function spawnIn(target: NetnsTarget | undefined, cmd: string, args: string[], stdio: StdioOptions): Promise<Spawned> {
  const [file, argv] = inNetns(target, cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio });
    const failed = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'ENOENT' && target?.name && !target.viaIp && file === target.nsenter) {
        target.viaIp = true;
        spawnIn(target, cmd, args, stdio).then(resolve, reject);
      } else {
        reject(Object.assign(e, { file }));
      }
    };
    child.once('error', failed);
    child.once('spawn', () => {
      child.off('error', failed);
      // ss would go on writing a capture nobody reads (SIGTERM to socklint alone does not reach it)
      child.once('exit', onInterrupt(() => child.kill('SIGTERM')));
      resolve({ child, file });
    });
  });
}

/** The size of the regular file open at `fd`, else undefined. */
function fileSize(fd: number): number | undefined {
  const st = fs.fstatSync(fd);
  return st.isFile() ? st.size : undefined;
}

export function captureError(message: string): UserError {
  return new UserError({ file: 'live', code: 'live-capture-failed', message }, ExitCode.snapshot);
}

/** Distinct stderr lines of ss passed on as notices (the rest are counted). */
const STDERR_LINES_SHOWN = 10;

export function summariseStderr(text: string): string[] {
  const counts = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const lines = [...counts].slice(0, STDERR_LINES_SHOWN).map(([l, n]) => (n > 1 ? `${l} (×${n})` : l));
  if (counts.size > STDERR_LINES_SHOWN) lines.push(`… and ${counts.size - STDERR_LINES_SHOWN} more different lines`);
  return lines;
}
