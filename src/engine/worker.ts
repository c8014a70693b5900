/**
 * Worker thread of a multi-snapshot scan (rebuilds the rule set once, then scans each file it is sent), or
 * of one large snapshot split in two (scans the second byte range it is sent, see split.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../diagnostics';
import { ConfiguredRules, loadConfig } from './config';
import { scanRange, scanSnapshot, type RangeTask, type ScanInput, type WorkerTask } from './scan';

const task = workerData as WorkerTask;
const config = loadConfig(task.setup.config);
const rules = ConfiguredRules.load(config, task.setup.rules, task.setup.defaultRules, task.setup.maxFindingsPerRule);

parentPort!.postMessage({ ready: true });

parentPort!.on('message', (input: ScanInput | RangeTask) => {
  if ('range' in input) {
    // the second byte range of one large snapshot (split.ts)
    scanRange(input, rules).then(
      (range) => parentPort!.postMessage({ range }),
      (e: unknown) => parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) }),
    );
    return;
  }
  scanSnapshot(input, { rules, host: task.host, labels: task.labels }).then(
    (result) => parentPort!.postMessage({ result }),
    (e: unknown) => parentPort!.postMessage({ error: e instanceof UserError ? e.message : (e as Error)?.message ?? String(e) }),
  );
});
