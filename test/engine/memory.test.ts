/** The check that stops a fleet scan before its findings leave the reports no memory (src/engine/memory.ts). */
import { ExitCode, UserError } from '../../src/diagnostics';
import * as v8 from 'node:v8';
import { askBeforeSending, checkFindingsMemory, checkRuleStateMemory, collectBeforeReport, COLLECT_AFTER_GROWTH, COLLECT_FROM_FINDINGS, FINDINGS_HEAP_SHARE, isWorkerOutOfMemory, OutOfMemoryError, pieceCollector, workerOutOfMemory } from '../../src/engine/memory';

it('passes while the heap holds less than the share of its limit, and names the snapshot, the counts and the way out past it', () => {
  expect(() => checkFindingsMemory('web-01.ss', 10, 200, 1)).not.toThrow(); // the whole limit: never reached
  let error: unknown;
  try {
    checkFindingsMemory('fleet/web-02.ss', 2, 40, 0); // no room at all
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  expect(error).toBeInstanceOf(OutOfMemoryError); // ends the scan (scan.ts does not make it one snapshot's error)
  const u = error as UserError;
  expect(u.exitCode).toBe(ExitCode.usage);
  expect(u.diagnostics[0]).toEqual(expect.objectContaining({ file: 'fleet/web-02.ss', code: 'out-of-memory' }));
  expect(u.diagnostics[0].message).toMatch(/^after 2 snapshots, their 40 findings fill \d+ MiB of the \d+ MiB Node\.js may use/);
  expect(u.diagnostics[0].hint).toMatch(/--max-findings.*--max-old-space-size/);
  // one snapshot, one finding: said in the singular
  expect(() => checkFindingsMemory('web-01.ss', 1, 1, 0)).toThrow(/^web-01\.ss: after 1 snapshot, its 1 finding fills \d+ MiB of the \d+ MiB/);
});

it('leaves the reports at least half of the heap', () => {
  expect(FINDINGS_HEAP_SHARE).toBeLessThanOrEqual(0.5);
});

it('within one snapshot: names its file and line, and the likely cause', () => {
  expect(() => checkRuleStateMemory('big.ss', 70000, 65536, { findings: 10, groups: 100000 }, 1)).not.toThrow();
  let error: unknown;
  try {
    checkRuleStateMemory('big.ss', 70000, 65536, { findings: 10, groups: 100000 }, 0);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OutOfMemoryError);
  const d = (error as UserError).diagnostics[0];
  expect(d).toEqual(expect.objectContaining({ file: 'big.ss', line: 70000, code: 'out-of-memory' }));
  expect(d.message).toMatch(/^65536 sockets in, what the rules keep of this snapshot fills \d+ MiB/);
  expect(d.hint).toMatch(/grouping by a field with very many distinct values.*--max-old-space-size/);
});

it('counts what another thread kept of the snapshot as held here before it is copied (a split snapshot)', () => {
  const none = { findings: 0, groups: 0 };
  const many = { findings: 0, groups: 1e7 }; // ~5 GB at their estimated cost: more than this heap's limit
  expect(() => checkRuleStateMemory('big.ss', 200001, 200000, none)).not.toThrow();
  let error: unknown;
  try {
    checkRuleStateMemory('big.ss', 200001, 200000, none, FINDINGS_HEAP_SHARE, many);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OutOfMemoryError);
  const e = error as OutOfMemoryError;
  expect(e.diagnostics[0]).toEqual(expect.objectContaining({ file: 'big.ss', line: 200001, code: 'out-of-memory' }));
  expect(e.diagnostics[0].message).toMatch(/^200000 sockets in, what the rules keep of this snapshot fills \d+ MiB/);
  expect(e.at).toEqual(expect.objectContaining({ line: 200001, sockets: 200000 }));
  // a small part is sent at once; a large one waits until the thread it goes to has checked its room
  expect(askBeforeSending({ findings: 1000, groups: 10 })).toBe(false);
  expect(askBeforeSending(many)).toBe(true);
});

it('a worker thread V8 stopped at its heap limit is reported as out of memory, naming its snapshot', () => {
  expect(isWorkerOutOfMemory(Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }))).toBe(true);
  expect(isWorkerOutOfMemory(new Error('other'))).toBe(false);
  expect(isWorkerOutOfMemory(undefined)).toBe(false);
  const e = workerOutOfMemory('fleet/db-01.ss');
  expect(e).toBeInstanceOf(OutOfMemoryError);
  expect(e.exitCode).toBe(ExitCode.usage);
  expect(e.diagnostics[0]).toEqual(expect.objectContaining({ file: 'fleet/db-01.ss', code: 'out-of-memory' }));
  expect(e.diagnostics[0].hint).toMatch(/--max-old-space-size/);
});

it('does not stop a scan whose heap is full of garbage while it keeps little', () => {
  // a heap used beyond the share (any test process holds more than 0.1 % of its limit) ...
  const share = 0.001;
  // ... but little kept: garbage not collected yet, no reason to stop (a 250k -tanpmioe scan in 64 MiB did)
  expect(() => checkRuleStateMemory('a.ss', 1, 65536, { findings: 1, groups: 0 }, share)).not.toThrow();
  expect(() => checkFindingsMemory('a.ss', 2, 1, share)).not.toThrow();
  // much kept: stop
  expect(() => checkRuleStateMemory('a.ss', 1, 65536, { findings: 0, groups: 1e6 }, share)).toThrow(OutOfMemoryError);
  expect(() => checkFindingsMemory('a.ss', 2, 1e5, share)).toThrow(OutOfMemoryError);
});

it('collects the garbage before a report of a large scan (what a report leaves is freed before the next)', () => {
  expect(collectBeforeReport(COLLECT_FROM_FINDINGS - 1)).toBe(false);
  // ~60 MB of objects no longer referenced: without a full collection they stay counted in the heap
  let garbage: unknown[] | undefined = Array.from({ length: 300000 }, (_, i) => ({ i, text: `finding ${i} of a report`.repeat(4) }));
  const held = v8.getHeapStatistics().used_heap_size;
  expect(garbage.length).toBe(300000);
  garbage = undefined;
  expect(collectBeforeReport(COLLECT_FROM_FINDINGS)).toBe(true);
  const after = v8.getHeapStatistics().used_heap_size;
  expect(held - after).toBeGreaterThan(30 * 1048576);
});

it('collects between the pieces of a report once they have left enough garbage, and not before', () => {
  expect(pieceCollector(COLLECT_FROM_FINDINGS - 1)()).toBe(false); // a small scan: never
  const between = pieceCollector(COLLECT_FROM_FINDINGS);
  expect(between()).toBe(false); // nothing built since
  let piece: unknown[] | undefined = Array.from({ length: 300000 }, (_, i) => ({ i, text: `result ${i} of a SARIF file`.repeat(4) }));
  const held = v8.getHeapStatistics().used_heap_size;
  expect(piece.length).toBe(300000);
  piece = undefined; // written: its objects are garbage
  expect(held).toBeGreaterThan(COLLECT_AFTER_GROWTH);
  expect(between()).toBe(true);
  expect(held - v8.getHeapStatistics().used_heap_size).toBeGreaterThan(30 * 1048576);
  expect(between()).toBe(false); // the floor moved to after the collection
});

