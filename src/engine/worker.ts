/**
 * Worker thread of a multi-snapshot scan (rebuilds the rule set once, then scans the files it takes from the
 * queue in its workerData, see scanInWorkers), or of one large snapshot split in two (scans the second byte
 * range it is sent, see split.ts).
 */
import './worker-compile-cache'; // first: what follows is compiled with the compile cache
import { parentPort, workerData } from 'node:worker_threads';
import { ConfiguredRules, configFromChecked, loadConfig } from './config';
import { usePreloadedStreams } from '../read-limited';
import type { FindingsListed } from './evaluate';
import { OutOfMemoryError, RangeOutOfMemory, askBeforeSending } from './memory';
import { askedOfFile, claimNext, filterUsage, inStreamFilters, rangeHolds, scanRange, scanSnapshot, suppressorOf, type FiltersFrom, type FindingFilter, type QueueTask, type RangeTask, type WorkerTask } from './scan';
import { baselineFilter, scanFilters } from './filters';
import { giveTail } from './split';

const task = workerData as WorkerTask;
usePreloadedStreams(task.setup.streams);
// (the config as the main thread checked it, when it was loaded before this thread started: not parsed again)
const config = task.setup.checked ? configFromChecked(task.setup.checked) : loadConfig(task.setup.config);
const rules = ConfiguredRules.load(config, task.setup.rules, task.setup.defaultRules, task.setup.maxFindingsPerRule);
// loaded as the rules are built, before the thread says it is ready (a range is cut when it is)
const baseline = baselineFilter(task.setup.baseline);
let filters: FindingFilter[] | undefined;

/** The scan's filters as the main thread has them (ScanOptions.filtersFrom), made once. */
function filtersFrom(from: FiltersFrom): FindingFilter[] {
  return (filters ??= scanFilters(config, baseline, new Date(from.now)));
}

// a multi-snapshot worker starts on its queue; a range worker says it is ready for its range
if (task.queue) void scanQueue(task.queue);
else parentPort!.postMessage({ ready: true });

/** The scan's filters asked as findings are found, as the main thread asks them of a file. */
function askedAsFound(from: FiltersFrom): ReturnType<typeof askedOfFile> {
  const mine = filtersFrom(from);
  return askedOfFile(suppressorOf(mine)!, inStreamFilters(mine, from));
}

/** Scans the queue's files this thread takes, one result message each, then says it is done. */
async function scanQueue(q: QueueTask): Promise<void> {
  const shared = { queue: q.queue, claim: new Int32Array(q.claim) };
  const current = q.current ? new Int32Array(q.current) : undefined;
  const asked = task.suppress === undefined ? undefined : askedAsFound(task.suppress);
  for (let i = claimNext(shared); i !== undefined; i = claimNext(shared)) {
    if (current) Atomics.store(current, 0, i + 1); // read by the main thread if V8 stops this one
    try {
      const result = await scanSnapshot(q.queue[i], { rules, host: task.host, labels: task.labels, ...asked });
      parentPort!.postMessage({ index: i, result });
    } catch (e) {
      if (e instanceof OutOfMemoryError) parentPort!.postMessage({ index: i, outOfMemory: e.diagnostics[0] });
      else parentPort!.postMessage({ index: i, error: (e as Error)?.message ?? String(e) });
      return;
    }
  }
  parentPort!.postMessage({ done: true, ...(filters !== undefined ? { usage: filterUsage(filters) } : {}) });
}

// the second byte range of one large snapshot (split.ts), then what the first range lists (scanRange) — and, if the
// main thread is done first, the end of this range, which that thread then parses (giveTail: this one stops short); a large
// result says what it holds first, and is sent when the main thread, having room for it, takes it
// (startRangeWorker): copied at once, it could fill that thread's heap while it is deserialized
let listedBefore: (before: FindingsListed) => void = () => undefined;
const before = new Promise<FindingsListed>((resolve) => { listedBefore = resolve; });
let taken: () => void = () => undefined;
const take = new Promise<void>((resolve) => { taken = resolve; });
let scanning: RangeTask | undefined; // the range being scanned
parentPort!.on('message', (msg: { range: RangeTask } | { before: FindingsListed } | { take: true } | { giveTail: { minBytes?: number } }) => {
  if ('giveTail' in msg) {
    // (between chunks: source.ts reads the lowered end before its next one)
    const at = scanning === undefined ? undefined : giveTail(scanning.input.path, scanning.range, msg.giveTail.minBytes);
    parentPort!.postMessage({ tail: at ?? null });
    return;
  }
  if ('before' in msg) {
    listedBefore(msg.before);
    return;
  }
  if ('take' in msg) {
    taken();
    return;
  }
  scanning = msg.range;
  scanRange(msg.range, rules, before, msg.range.suppress === undefined ? undefined : filtersFrom(msg.range.suppress)).then(
    async (range) => {
      const holds = rangeHolds(range);
      if (askBeforeSending(holds)) {
        parentPort!.postMessage({ holds });
        await take;
      }
      parentPort!.postMessage({ range });
    },
    (e: unknown) => {
      if (e instanceof RangeOutOfMemory) parentPort!.postMessage({ rangeOutOfMemory: e.at });
      else parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
    },
  );
});
