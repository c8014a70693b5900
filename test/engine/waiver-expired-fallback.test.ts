/**
 * A file split across two threads whose split is given up after this thread has parsed its range (the worker failed;
 * the ranges did not agree: scanSplit returns undefined) is scanned whole, and this thread's waivers, asked as its
 * range's findings were found, are asked about them again: scanSnapshot puts back what they had counted before the
 * split (InStreamFilters.set), else an expired waiver's matchedWhileExpired counted them twice (here 141 for 96).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import { runScan, scanSnapshot } from '../../src/engine/scan';
import { WaiverFilter } from '../../src/engine/waivers';
import { specs } from './waiver-reference';

// two cores, and a range worker that fails once this thread has parsed its range
let started = 0;
jest.mock('../../src/engine/threads', () => {
  const actual = jest.requireActual('../../src/engine/threads');
  return {
    ...actual, usableCores: () => 2, youngGenerationGrows: () => undefined,
    rangeWorker: () => {
      started++;
      return { ready: Promise.resolve(), scan: async () => { throw new Error('worker died'); }, followOn() {}, cancel() {} };
    },
  };
});

const ROOT = path.resolve(__dirname, '../..');
const NOW = new Date('2026-12-01T00:00:00Z');
let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-expired-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it('a split file scanned whole after all counts its first range once', async () => {
  const file = path.join(dir, 'busy.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tanp', '--seed', '4', '--out', file], { stdio: 'ignore' });
  const all = await scanSnapshot({ path: file, label: file }, { rules: ConfiguredRules.load(loadConfig(undefined), [], true, 100000) });
  const found = 'findings' in all ? all.findings.filter((f) => f.ruleId === 'recv-queue-backlog').length : -1;
  const rules = ConfiguredRules.load(loadConfig(undefined), [], true, 3);
  const filter = new WaiverFilter(specs(['{rule: recv-queue-backlog, reason: backlog accepted, expires: 2020-01-01}']), NOW);
  const { report } = await runScan({
    inputs: [{ path: file, label: file }], rules, filters: [filter], version: 'test', filtersFrom: { now: NOW.toISOString() },
    jobs: 2, splitMinBytes: 0, ruleSetup: { rules: [], defaultRules: true, maxFindingsPerRule: 3 },
  });
  expect(started).toBe(1); // split, then given up
  expect(report.waivers[0].matchedWhileExpired).toBe(found);
});
