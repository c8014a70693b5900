/**
 * Worker thread of a multi-snapshot scan (rebuilds the rule set once, then scans the files it takes from the
 * queue in its workerData, see scanInWorkers), or of one large snapshot split in two (scans the second byte
 * range it is sent, see split.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfiguredRules, loadConfig } from './config';
import type { FindingsListed } from './evaluate';
import { OutOfMemoryError } from './memory';
import { claimNext, scanRange, scanSnapshot, type QueueTask, type RangeTask, type WorkerTask } from './scan';

const task = workerData as WorkerTask;
const config = loadConfig(task.setup.config);
const rules = ConfiguredRules.load(config, task.setup.rules, task.setup.defaultRules, task.setup.maxFindingsPerRule);

// a multi-snapshot worker starts on its queue; a range worker says it is ready for its range
if (task.queue) void scanQueue(task.queue);
else parentPort!.postMessage({ ready: true });

/** Scans the queue's files this thread takes, one result message each, then says it is done. */
async function scanQueue(q: QueueTask): Promise<void> {
  const shared = { queue: q.queue, claim: new Int32Array(q.claim) };
  for (let i = claimNext(shared); i !== undefined; i = claimNext(shared)) {
    try {
      const result = await scanSnapshot(q.queue[i], { rules, host: task.host, labels: task.labels });
      parentPort!.postMessage({ index: i, result });
    } catch (e) {
      if (e instanceof OutOfMemoryError) parentPort!.postMessage({ index: i, outOfMemory: e.diagnostics[0] });
      else parentPort!.postMessage({ index: i, error: (e as Error)?.message ?? String(e) });
      return;
    }
  }
  parentPort!.postMessage({ done: true });
}

// the second byte range of one large snapshot (split.ts), then what the first range lists (scanRange)
let listedBefore: (before: FindingsListed) => void = () => undefined;
const before = new Promise<FindingsListed>((resolve) => { listedBefore = resolve; });
parentPort!.on('message', (msg: { range: RangeTask } | { before: FindingsListed }) => {
  if ('before' in msg) {
    listedBefore(msg.before);
    return;
  }
  scanRange(msg.range, rules, before).then(
    (range) => parentPort!.postMessage({ range }),
    (e: unknown) => parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) }),
  );
});
