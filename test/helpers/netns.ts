/**
 * Real kernel sockets for tests: a fresh network namespace per scenario, populated by
 * `netns-scenario.py` (run through `ip netns exec`), kept alive until `cleanup()`.
 *
 *   const sc = await createScenario(STANDARD_SCENARIO);
 *   try { const text = await sc.ss(['-tanpmioe']); ... } finally { await sc.cleanup(); }
 *
 * Needs root, `ip` (iproute2), `tc` for the `retransmit` part, and python3. Everything stays
 * inside the namespace: loopback and wildcard binds only, nothing leaves it.
 *
 * Process names: every server side is its own python process renamed with
 * prctl(PR_SET_NAME), which sets the kernel `comm` that `ss -p` and /proc/PID/comm report
 * (max 15 bytes). The driver that holds the client sides is `loadgen` (`clientName`).
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, 'netns-scenario.py');
export const NETNS_PREFIX = 'socklint-test-';

interface PartBase {
  /** comm of the server process (≤15 bytes). */
  name?: string;
  port?: number;
}

export interface ScenarioSpec {
  /** LISTEN 0.0.0.0:3306, comm `mysqld`. */
  mysql?: boolean | PartBase & { backlog?: number };
  /** LISTEN 127.0.0.1:6379, comm `redis-server`. */
  redis?: boolean | PartBase & { backlog?: number };
  /** UDP UNCONN 0.0.0.0:161, comm `snmpd`. */
  udp?: boolean | PartBase;
  /** LISTEN 0.0.0.0:8080 (comm `leaky-app`) holding `count` (150) accepted sockets in CLOSE-WAIT; the closed client sides sit in FIN-WAIT-2 without a process. */
  closeWait?: boolean | PartBase & { count?: number };
  /** `count` (1100) client-side TIME-WAIT sockets towards 127.0.0.1:8081 (server comm `web`). They expire after 60 s. */
  timeWait?: boolean | PartBase & { count?: number };
  /** ESTAB 127.0.0.1:9000 (comm `backend`) with Recv-Q = `bytes` (4096): the server never reads. */
  unreadRecvQ?: boolean | PartBase & { bytes?: number };
  /** The client fills a never-reading server (127.0.0.1:9004, comm `slow-reader`) until the window closes: client Send-Q MBs + `timer:(persist,…)`. Takes ~0.3 s. */
  zeroWindow?: boolean | PartBase;
  /** LISTEN 0.0.0.0:9001 (comm `stuck-api`) with listen(`backlog`=2), never accepting: Recv-Q backlog+1, Send-Q backlog; plus `synSent` (1) clients stuck in SYN-SENT retrying. */
  acceptQueueFull?: boolean | PartBase & { backlog?: number; synSent?: number };
  /** comm `tls-proxy`: LISTEN [::]:8443 (v6only) with an ESTAB ::1 connection whose client has SO_KEEPALIVE, LISTEN *:8444 (dual stack) with an IPv4 client (IPv4-mapped peer), and a connected UDP [::1] socket in `loadgen`. */
  ipv6?: boolean | PartBase & { dualStackPort?: number };
  /** comm `unix-app`: unix stream listeners at `<dir>/<names>` (default `app.sock`; names may contain spaces), one accepted connection, and an abstract datagram socket `@<abstract>` (default `socklint-test`; '' for none). `dir` defaults to a fresh temp dir removed on cleanup. */
  unix?: boolean | { name?: string; dir?: string; names?: string[]; abstract?: string };
  /**
   * comm `sink` on 127.0.0.2:9002 / 127.0.0.3:9003. A namespace-local qdisc on lo (htb + an
   * 8 bit/s tbf for those two addresses) holds the client's data segment forever, so no ACK
   * comes: towards 127.0.0.2 the client really retransmits (`timer:(on,…,N)`, N ≥ 1 after
   * `waitMs`=700); towards 127.0.0.3 (local route with `rto_min 60s`) the timer runs without a
   * retransmission yet (`timer:(on,~59sec,0)` — only during the first 60 s; then it retransmits too).
   * netem is not needed (the development kernel has none); needs `tc` (iproute2) and htb/tbf/u32.
   */
  retransmit?: boolean | { name?: string; port?: number; pendingPort?: number; retransmitting?: boolean; pending?: boolean; waitMs?: number };
  /** comm of the driver process holding the client sides (default `loadgen`). */
  clientName?: string;
}

/** The issue's standard scenario: every part, full size (150 CLOSE-WAIT, 1100 TIME-WAIT). Sets up in ~2 s; capture within 60 s (TIME-WAIT expiry). */
export const STANDARD_SCENARIO: ScenarioSpec = {
  mysql: true, redis: true, udp: true, closeWait: { count: 150 }, timeWait: { count: 1100 },
  unreadRecvQ: true, zeroWindow: true, acceptQueueFull: true, ipv6: true, unix: true, retransmit: true,
};

/** Same parts, small counts (5 CLOSE-WAIT, 5 TIME-WAIT) — for fixtures and quick tests. */
export const SMALL_SCENARIO: ScenarioSpec = { ...STANDARD_SCENARIO, closeWait: { count: 5 }, timeWait: { count: 5 } };

export interface ScenarioInfo {
  /** comm → pid of every process the scenario started. */
  pids: Record<string, number>;
  /** part key → its server process. */
  parts: Record<string, { name: string; pid: number }>;
}

export interface Scenario {
  ns: string;
  info: ScenarioInfo;
  /** Directory of the unix socket paths (when the unix part is on). */
  unixDir?: string;
  /** Run `ss FLAGS…` inside the namespace (via nsenter when installed); resolves to stdout. */
  ss(flags: string[]): Promise<string>;
  /** Run any command inside the namespace. */
  exec(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Kill the scenario's processes and delete the namespace. Idempotent; never throws. */
  cleanup(): Promise<void>;
}

/**
 * Why namespace scenarios cannot run here, or undefined when they can. CI installs what they need (.ci/run)
 * and runs as root: there a missing piece is a failure, not a skip.
 */
export function netnsUnavailableReason(): string | undefined {
  const reason = missingForNetns();
  if (reason && process.env.CI) throw new Error(`namespace tests cannot run in CI: ${reason}`);
  return reason;
}

function missingForNetns(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'needs root (ip netns add)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return '`ip` (iproute2) not found';
  }
  try {
    pythonPath();
  } catch {
    return 'python3 not found';
  }
  return undefined;
}

function run(cmd: string, args: string[], maxBuffer = 256 * 1024 * 1024): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

let nsenter: boolean | undefined;
function hasNsenter(): boolean {
  if (nsenter === undefined) {
    try {
      execFileSync('nsenter', ['--version'], { stdio: 'ignore' });
      nsenter = true;
    } catch {
      nsenter = false;
    }
  }
  return nsenter;
}

let python: string | undefined;
/** The real interpreter behind `python3` (skips pyenv-style shims, which are slow to start). */
function pythonPath(): string {
  python ??= process.env.SOCKLINT_TEST_PYTHON
    ?? execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return python;
}

/**
 * Namespaces this process created and has not deleted yet. One registry (and one exit hook) per
 * process, however many test files load this module (jest gives each file its own module registry).
 */
const live: Set<string> = (() => {
  const key = Symbol.for('socklint.test.netns.live');
  const holder = process as unknown as Record<symbol, Set<string> | undefined>;
  let set = holder[key];
  if (!set) {
    const created = (set = holder[key] = new Set<string>());
    process.once('exit', () => {
      // Last resort if a test forgot cleanup(): the driver exits when its stdin closes (our
      // process ending closes it); the namespace must go too.
      for (const ns of created) {
        try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* gone */ }
      }
    });
  }
  return set;
})();

/**
 * Delete `socklint-test-*` namespaces left behind by crashed runs: only those older than
 * `olderThanMs` with no process inside (other engineers' live test runs are never touched).
 */
export async function reapStaleNamespaces(olderThanMs = 10 * 60 * 1000): Promise<string[]> {
  let names: string[];
  try {
    names = fs.readdirSync('/run/netns').filter((n) => n.startsWith(NETNS_PREFIX) && !live.has(n));
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const name of names) {
    try {
      if (Date.now() - fs.statSync(path.join('/run/netns', name)).mtimeMs < olderThanMs) continue;
      const { stdout } = await run('ip', ['netns', 'pids', name]);
      if (stdout.trim() !== '') continue;
      await run('ip', ['netns', 'del', name]);
      reaped.push(name);
    } catch { /* raced with its owner: leave it */ }
  }
  return reaped;
}

export async function createScenario(spec: ScenarioSpec, opts: { timeoutMs?: number } = {}): Promise<Scenario> {
  const reason = netnsUnavailableReason();
  if (reason) throw new Error(`namespace scenarios unavailable: ${reason}`);
  await reapStaleNamespaces();

  const ns = NETNS_PREFIX + randomBytes(4).toString('hex');
  let unixDir: string | undefined;
  let ownUnixDir = false;
  const pySpec: Record<string, unknown> = { ...spec };
  if (spec.unix) {
    const u = spec.unix === true ? {} : spec.unix;
    unixDir = u.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-unix-'));
    ownUnixDir = u.dir === undefined;
    pySpec.unix = { ...u, dir: unixDir };
  }

  let child: ChildProcess | undefined;
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.stdin?.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    try { await run('ip', ['netns', 'del', ns]); } catch { /* never created */ }
    live.delete(ns);
    if (ownUnixDir && unixDir) fs.rmSync(unixDir, { recursive: true, force: true });
  };

  try {
    await run('ip', ['netns', 'add', ns]);
    live.add(ns);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    child = spawn('ip', ['netns', 'exec', ns, pythonPath(), SCRIPT, JSON.stringify(pySpec)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const info = await waitForReady(child, opts.timeoutMs ?? 30000);
    // nsenter enters only the network namespace (ss -e then finds the host's cgroup2 mount, as in
    // fixtures/real); `ip netns exec` also remounts /sys.
    const exec = (cmd: string, args: string[]) => (hasNsenter()
      ? run('nsenter', [`--net=/run/netns/${ns}`, cmd, ...args])
      : run('ip', ['netns', 'exec', ns, cmd, ...args]));
    return {
      ns,
      info,
      unixDir,
      exec,
      ss: async (flags) => (await exec('ss', flags)).stdout,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<ScenarioInfo> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`scenario setup failed: ${why}${err ? `\nstderr: ${err.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no READY within ${timeoutMs} ms (output so far: ${out.trim()})`), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const line = out.slice(0, nl);
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as ScenarioInfo);
      } else {
        fail(line);
      }
    });
    child.once('exit', (code, signal) => fail(`scenario process exited (${code ?? signal})`));
    child.once('error', (e) => fail(e.message));
  });
}
