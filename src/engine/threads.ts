/**
 * The worker threads of a scan (several snapshots, or the second half of a large one): when they pay off, and
 * one way to start them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ScanInput, WorkerTask } from './scan';

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
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 64 * 1024 * 1024;
}

/** Roughly how much text the inputs hold: file sizes, gzip files ×10, stdin and unreadable paths 0. */
export async function inputBytes(inputs: readonly ScanInput[]): Promise<number> {
  const sizes = await Promise.all(inputs.map(async (i) => {
    if (i.path === '-') return 0;
    try {
      const st = await fs.promises.stat(i.path);
      return /\.gz$/i.test(i.path) ? st.size * 10 : st.size;
    } catch {
      return 0; // the scan reports it
    }
  }));
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Young generation of a worker's heap, in MiB. V8 lets it grow to ~48 MiB on a long scan: parsing makes a
 * lot of short-lived garbage, and a larger nursery mostly holds more of it. Measured on 100 × 10k snapshots
 * with -j 2 (3 rounds, medians): 6 MiB 136 MiB peak RSS but ~10% slower; 12 MiB 151 MiB at the speed of
 * 24 MiB (165 MiB) and of the default (170 MiB).
 */
const YOUNG_GENERATION_MB = 12;

/** A worker thread running worker.js for `task` (it rebuilds the rule set, then waits for inputs). */
export function startScanWorker(task: WorkerTask): Worker {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Worker: W } = require('node:worker_threads') as typeof import('node:worker_threads');
  return new W(path.join(__dirname, 'worker.js'), { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}
