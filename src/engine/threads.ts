/**
 * The worker threads of a scan (several snapshots, or the second range of a large one): how many cores there
 * are for them (usableCores), when they pay off, how they are started, and the range worker started before
 * the scan is loaded (startEarlyRangeWorker).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setV8Flag, withV8Flags } from '../compile-cache';
import type { Worker } from 'node:worker_threads';
import { compareText } from '../compare';
import { ExitCode, UserError } from '../diagnostics';
import { fileStartsGzip } from '../snapshot/gzip';
import { RangeOutOfMemory, isWorkerOutOfMemory, workerOutOfMemory, type StoppedAt } from './memory';
import type { RangeHolds, RangeResult, RangeRunner, ScanInput, WorkerTask } from './scan';

/**
 * CPU time this process may use, in cores, from its cgroup's CPU quota (`root`: for tests), or undefined when
 * none applies or it cannot be read. A container's `--cpus=1` or a systemd unit's `CPUQuota=100%` does not
 * change os.availableParallelism() in Node 20 (its libuv reads the CPU affinity only): a fleet scan in a
 * one-CPU container on a 64-core host would start 63 workers (~25 MiB each) to share one core. cgroup v2:
 * `cpu.max` (`QUOTA PERIOD`, or `max`) of the process's cgroup and of each one above it; v1: `cpu.cfs_quota_us`
 * (-1: none) / `cpu.cfs_period_us`, where the cpu controller is mounted. The smallest limit applies.
 */
export function cgroupCpuLimit(root = '/'): number | undefined {
  const read = (p: string): string | undefined => {
    try {
      return fs.readFileSync(path.join(root, p), 'latin1').trim();
    } catch {
      return undefined;
    }
  };
  // QUOTA / PERIOD, both whole numbers (cgroup v2 writes `max` for no quota, v1 -1)
  const ratio = (quota: string | undefined, period: string | undefined): number | undefined =>
    quota !== undefined && period !== undefined && /^\d+$/.test(quota) && /^\d+$/.test(period) && Number(period) > 0
      ? Number(quota) / Number(period)
      : undefined;
  const lines = read('proc/self/cgroup')?.split('\n') ?? [];
  let limit = Infinity;
  const within = (mount: string, cgroup: string, quota: (dir: string) => number | undefined): void => {
    // the cgroup's directory and each one above it up to the mount point (a container may see its own
    // cgroup as the mount's root while /proc/self/cgroup names the host's path: the walk reaches it anyway)
    for (let dir = path.posix.join(mount, cgroup); ; dir = path.posix.dirname(dir)) {
      const q = quota(dir);
      if (q !== undefined && q > 0) limit = Math.min(limit, q);
      if (dir === mount || !dir.startsWith(`${mount}/`)) break;
    }
  };
  for (const line of lines) {
    const m = /^(\d+):([^:]*):(\/.*)$/.exec(line);
    if (!m) continue;
    const [, id, controllers, cgroup] = m;
    if (id === '0' && controllers === '') {
      for (const mount of ['sys/fs/cgroup', 'sys/fs/cgroup/unified']) {
        within(mount, cgroup, (dir) => {
          const [quota, period] = (read(`${dir}/cpu.max`) ?? '').split(/\s+/);
          return ratio(quota, period);
        });
      }
    } else if (controllers.split(',').includes('cpu')) {
      for (const mount of ['sys/fs/cgroup/cpu', 'sys/fs/cgroup/cpu,cpuacct', 'sys/fs/cgroup/cpuacct,cpu']) {
        within(mount, cgroup, (dir) => ratio(read(`${dir}/cpu.cfs_quota_us`), read(`${dir}/cpu.cfs_period_us`)));
      }
    }
  }
  return limit === Infinity ? undefined : limit;
}

let cores: number | undefined;

/**
 * The cores a scan may use (the default for `-j`): the CPUs this process may run on, and no more than its
 * cgroup's CPU quota allows (rounded up; at least 1).
 */
export function usableCores(): number {
  if (cores === undefined) {
    const quota = cgroupCpuLimit();
    cores = Math.max(1, Math.min(os.availableParallelism(), quota === undefined ? Infinity : Math.ceil(quota)));
  }
  return cores;
}

/**
 * Total snapshot size from which a scan uses worker threads (default 64 MiB; SOCKLINT_PARALLEL_MIN_BYTES
 * overrides it). A worker needs ~0.2 s from its start to its first row (thread boot, rule compilation) and
 * two threads give 1.5–1.9× on two cores (bench/README.md), so smaller scans are faster in one thread.
 * Measured with -j 1 vs two threads (SARIF + JSON, medians of 3) since thin rows (session 3): 100k `-tanp`
 * sockets (12 MB) 0.36 s vs 0.44 s, 250k (30 MB) 0.54 s vs 0.60 s, 500k (60 MB) even (0.83 s vs 0.84 s),
 * 1M (120 MB) ~1.15 s vs ~1.05 s. (Before thin rows the crossover was at ~30 MB.)
 */
export function parallelMinBytes(): number {
  const raw = process.env.SOCKLINT_PARALLEL_MIN_BYTES?.trim();
  if (raw === undefined || raw === '') return 64 * 1024 * 1024;
  if (!/^\d+$/.test(raw)) {
    throw new UserError({
      file: 'SOCKLINT_PARALLEL_MIN_BYTES', code: 'bad-number', message: `"${raw}" is not a whole number of bytes`,
      hint: 'unset it, or give a size in bytes: 67108864 is the default (64 MiB)',
    }, ExitCode.usage);
  }
  return Number(raw);
}

/** The size of `file` when it is a plain (not gzip) regular file worth splitting (split.ts), else undefined. */
export function splittableSize(file: string, minBytes = parallelMinBytes()): number | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size < Math.max(minBytes, 2)) return undefined;
    return fileStartsGzip(file) === false ? st.size : undefined; // gzip: one stream
  } catch {
    return undefined; // the whole-file scan reports it
  }
}

/** Roughly how much text the inputs hold: file sizes, gzip files ×10, stdin and unreadable paths 0. */
export function inputBytes(inputs: readonly ScanInput[]): number {
  // (stat synchronously: a few microseconds each, where fs.promises' first use loads ~7 ms of Node's modules)
  let total = 0;
  for (const i of inputs) {
    if (i.path === '-') continue;
    try {
      const st = fs.statSync(i.path);
      total += /\.gz$/i.test(i.path) ? st.size * 10 : st.size;
    } catch {
      // the scan reports it
    }
  }
  return total;
}

/**
 * Young generation of a worker's heap, in MiB. V8 lets it grow to ~48 MiB on a long scan: parsing makes a
 * lot of short-lived garbage, and a larger nursery mostly holds more of it. Measured on 100 × 10k snapshots
 * with -j 2 (3 rounds, medians): 6 MiB 136 MiB peak RSS but ~10% slower; 12 MiB 151 MiB at the speed of
 * 24 MiB (165 MiB) and of the default (170 MiB).
 */
const YOUNG_GENERATION_MB = 12;
/**
 * The same for the worker of a split file, which parses one range and keeps a snapshot's capped findings: 6 MiB
 * was as fast as 12 (1M `-tanp` and 250k `-tanpmioe`, 6 interleaved runs each) and ~4 MiB lower at the peak.
 */
const RANGE_YOUNG_GENERATION_MB = 6;

/**
 * Whether this thread's young generation may grow. false keeps it at the size it has (V8 grows it, up to
 * 16 MiB semi-spaces, when a thread allocates fast — as a parse does). Set false as a large file's split
 * starts (set after planning it, the nursery had grown and the peak was ~4 MiB higher), true again when the
 * file is scanned in one thread after all. Why: the range worker's isolate adds ~20 MiB, and the growth of
 * this thread's nursery was the rest of what made a 1M-socket scan need more memory than a 100k one. V8 reads the factor each time it
 * would grow the space (a flag set at run time; V8's flags are process-wide, and the worker's nursery is
 * capped by its resourceLimits anyway). Measured (5 and 4 interleaved runs, SARIF+JUnit+JSON): 1M `-tanp`
 * peak 95–99 → 85–90 MiB at 0.88–0.98 → 0.88–0.89 s; 250k `-tanpmioe` 142–144 → 122–126 MiB at 1.39–1.47 →
 * 1.40–1.45 s. For one thread (session 8) it cost ~4 % of speed and saved less: not used there.
 */
export function youngGenerationGrows(grows: boolean): void {
  setV8Flag('semi-space-growth-factor', grows ? 'default' : 1); // V8's default again when a file meant to be split is not
}

/** A worker thread running worker.js for `task` (it rebuilds the rule set, then waits for inputs). */
export function startScanWorker(task: WorkerTask, youngGenerationMb = YOUNG_GENERATION_MB): Worker {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Worker: W } = require('node:worker_threads') as typeof import('node:worker_threads');
  return new W(path.join(__dirname, 'worker.js'), { workerData: withV8Flags(task), resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } });
}

/**
 * A worker thread for the second range of a split file (split.ts), started before the split is planned (it
 * rebuilds the rule set from its sources meanwhile); `scan` sends it the range. Its result is sent when this
 * thread takes it: the worker first says what it holds, and `admit` (scan) may refuse it — copying it here
 * could fill this thread's heap, and V8 would abort the process while it deserialized the message.
 */
export function startRangeWorker(task: WorkerTask): RangeRunner {
  const worker = startScanWorker(task, RANGE_YOUNG_GENERATION_MB);
  let settled = false;
  let onReady: () => void = () => undefined;
  let admit: ((holds: RangeHolds) => void) | undefined;
  let file: string | undefined; // the snapshot whose range it scans
  // the answers to giveTail still to come, in the order asked (undefined for each when the worker ends first)
  const tails: ((at: number | undefined) => void)[] = [];
  const ready = new Promise<void>((resolve) => { onReady = resolve; });
  const result = new Promise<RangeResult>((resolve, reject) => {
    worker.on('message', (msg: { ready?: true; tail?: number | null; holds?: RangeHolds; range?: RangeResult; rangeOutOfMemory?: StoppedAt; error?: string }) => {
      if (msg.ready) {
        onReady();
        return;
      }
      if (msg.tail !== undefined) {
        tails.shift()?.(msg.tail ?? undefined);
        return;
      }
      if (msg.holds) {
        try {
          admit?.(msg.holds);
        } catch (e) {
          settled = true;
          void worker.terminate();
          reject(e);
          return;
        }
        worker.postMessage({ take: true });
        return;
      }
      settled = true;
      void worker.terminate();
      if (msg.range) resolve(msg.range);
      else if (msg.rangeOutOfMemory) reject(new RangeOutOfMemory(msg.rangeOutOfMemory));
      else reject(new Error(msg.error ?? 'range scan failed'));
    });
    worker.on('error', (e) => {
      settled = true;
      // V8 stopped it at its heap limit (before its memory check): this thread, with the same limit, could
      // not hold the whole file's state either — say so rather than scan the file again to the same end
      reject(file !== undefined && isWorkerOutOfMemory(e) ? workerOutOfMemory(file) : e);
    });
    worker.on('exit', () => {
      if (!settled) reject(new Error('range worker exited'));
    });
  });
  result.catch(() => undefined); // a cancelled scan does not wait for it
  const noTails = (): void => { for (const t of tails.splice(0)) t(undefined); };
  result.then(noTails, noTails);
  worker.on('exit', noTails);
  return {
    ready,
    scan(range, admitResult) {
      admit = admitResult;
      file = range.input.label;
      worker.postMessage({ range });
      return result;
    },
    followOn(before) {
      worker.postMessage({ before });
    },
    giveTail(minBytes) {
      if (settled) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        tails.push(resolve);
        worker.postMessage({ giveTail: { minBytes } });
      });
    },
    cancel() {
      settled = true;
      void worker.terminate();
    },
  };
}

/**
 * A range worker started before this thread has loaded the scan's modules and rules (cli/main.ts): booting a
 * worker and building its rules takes ~0.1 s, and split.ts cuts the file when it is ready. Measured on 1M
 * `-tanp` (8 interleaved runs): the scan ends ~25 ms sooner.
 */
let early: { key: string; runner: RangeRunner } | undefined;

/**
 * Starts the range worker of a scan of `snapshot` now, when that scan will split it (scan.ts, scanSnapshot):
 * a regular plain file of at least parallelMinBytes, more than one job and more than one core. The scan
 * takes it (rangeWorker) or, at its end, drops it (dropEarlyRangeWorker).
 */
export function startEarlyRangeWorker(task: WorkerTask, snapshot: string, jobs: number): void {
  if (early !== undefined || !(jobs >= 2) || usableCores() < 2 || snapshot === '-') return;
  if (splittableSize(snapshot) === undefined) return;
  early = { key: taskKey(task), runner: startRangeWorker(task) };
}

/** What a worker is started with, whatever the order its task's fields were written in. */
function taskKey(t: WorkerTask): string {
  const s = t.setup;
  const labels = Object.entries(t.labels ?? {}).sort(([a], [b]) => compareText(a, b));
  return JSON.stringify([s.rules, s.defaultRules, s.config ?? null, s.maxFindingsPerRule ?? null, s.baseline ?? null, t.host ?? null, labels]);
}

/** The range worker for `task`: the one started early for it, or a new one. */
export function rangeWorker(task: WorkerTask): RangeRunner {
  const e = early;
  if (e !== undefined && e.key === taskKey(task)) {
    early = undefined;
    return e.runner;
  }
  return startRangeWorker(task);
}

/** Whether a range worker started early waits to be taken. */
export function earlyRangeWorkerWaiting(): boolean {
  return early !== undefined;
}

/** Ends a range worker started early that no scan took (the scan did not split, or failed first). */
export function dropEarlyRangeWorker(): void {
  early?.runner.cancel();
  early = undefined;
}
