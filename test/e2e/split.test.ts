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
