/**
 * The worker threads of a scan (several snapshots, or the second half of a large one): one way to start them.
 */
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { WorkerTask } from './scan';

/**
 * Young generation of a worker's heap, in MiB. V8 lets it grow to ~48 MiB on a long scan: parsing makes a
 * lot of short-lived garbage, and a larger nursery only holds more of it. Capped, a 100-snapshot scan peaks
 * at ~135 MiB instead of ~170 MiB at the same speed (bench/README.md).
 */
const YOUNG_GENERATION_MB = 6;

/** A worker thread running worker.js for `task` (it rebuilds the rule set, then waits for inputs). */
export function startScanWorker(task: WorkerTask): Worker {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Worker: W } = require('node:worker_threads') as typeof import('node:worker_threads');
  return new W(path.join(__dirname, 'worker.js'), { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}
