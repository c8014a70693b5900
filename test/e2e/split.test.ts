/** One large snapshot on two threads (src/engine/split.ts): the CLI's report is the one-thread report. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it('scans a snapshot split across two threads with the same report as -j 1', async () => {
  const file = path.join(dir, 'big.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '80000', '--layout', 'tanp', '--out', file], { stdio: 'ignore' });
  const one = await runCli(['scan', file, '--format', 'json', '-j', '1']);
  // files below 64 MiB stay in one thread by default: split this one
  const two = await runCli(['scan', file, '--format', 'json', '-j', '2'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: String(8 * 1024 * 1024) } });
  expect(one.code).toBe(1);
  expect(two.code).toBe(1);
  const strip = (r: ReturnType<typeof jsonReport>) => ({ ...r, startedAt: undefined, durationMs: undefined });
  expect(strip(jsonReport(two))).toEqual(strip(jsonReport(one)));
  expect(jsonReport(one).summary.sockets).toBe(80000);
});

describe('the range worker started before the scan is loaded (engine/threads.ts, cli/main.ts)', () => {
  // the built module: its workers run dist/engine/worker.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = require(path.join(ROOT, 'dist/engine/threads')) as typeof import('../../src/engine/threads');
  const setup = { rules: [], defaultRules: true, config: undefined, maxFindingsPerRule: undefined };
  let big: string;
  beforeAll(() => {
    big = path.join(dir, 'early.ss');
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '20000', '--layout', 'tanp', '--out', big], { stdio: 'ignore' });
    process.env.SOCKLINT_PARALLEL_MIN_BYTES = String(1024 * 1024);
  });
  afterAll(() => { delete process.env.SOCKLINT_PARALLEL_MIN_BYTES; });
  afterEach(() => threads.dropEarlyRangeWorker());

  it('is started only for a scan that will split the file', () => {
    const gz = path.join(dir, 'early.ss.gz');
    fs.writeFileSync(gz, require('node:zlib').gzipSync(fs.readFileSync(big)));
    const small = path.join(dir, 'small.ss');
    fs.writeFileSync(small, fs.readFileSync(big).subarray(0, 100000));
    const task = { setup, host: undefined, labels: {} };
    for (const [file, jobs] of [[small, 2], [gz, 2], ['-', 2], [path.join(dir, 'missing.ss'), 2], [dir, 2], [big, 1]] as const) {
      threads.startEarlyRangeWorker(task, file, jobs);
      expect({ file, jobs, waiting: threads.earlyRangeWorkerWaiting() }).toEqual({ file, jobs, waiting: false });
    }
    threads.startEarlyRangeWorker(task, big, 2);
    expect(threads.earlyRangeWorkerWaiting()).toBe(true);
  });

  it('is taken by a scan with the same task (labels in any order), and by no other', async () => {
    threads.startEarlyRangeWorker({ setup, host: 'h', labels: { b: '2', a: '1' } }, big, 2);
    const other = threads.rangeWorker({ setup: { ...setup, maxFindingsPerRule: 5 }, host: 'h', labels: { a: '1', b: '2' } });
    other.cancel();
    expect(threads.earlyRangeWorkerWaiting()).toBe(true);
    const taken = threads.rangeWorker({ setup, host: 'h', labels: { a: '1', b: '2' } });
    expect(threads.earlyRangeWorkerWaiting()).toBe(false);
    await taken.ready; // a live worker, booted
    taken.cancel();
  });

  it('is dropped when the scan fails before it splits: the run ends at once', async () => {
    // a usage error found after the worker started (it would otherwise wait for its range, and the process with it)
    const r = await runCli(['scan', big, '--save-snapshot', path.join(dir, 'x.ss')], { env: { SOCKLINT_PARALLEL_MIN_BYTES: String(1024 * 1024) }, timeoutMs: 15000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/live scans only/);
    expect(r.ms).toBeLessThan(10000);
  });
});
