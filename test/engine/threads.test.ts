/** When a scan uses worker threads (src/engine/threads.ts): from a total input size on, overridable. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inputBytes, parallelMinBytes } from '../../src/engine/threads';

const saved = process.env.SOCKLINT_PARALLEL_MIN_BYTES;
afterEach(() => {
  if (saved === undefined) delete process.env.SOCKLINT_PARALLEL_MIN_BYTES;
  else process.env.SOCKLINT_PARALLEL_MIN_BYTES = saved;
});

it('uses threads from 64 MiB of input unless SOCKLINT_PARALLEL_MIN_BYTES says otherwise', () => {
  delete process.env.SOCKLINT_PARALLEL_MIN_BYTES;
  expect(parallelMinBytes()).toBe(64 * 1024 * 1024);
  process.env.SOCKLINT_PARALLEL_MIN_BYTES = '0';
  expect(parallelMinBytes()).toBe(0);
  process.env.SOCKLINT_PARALLEL_MIN_BYTES = '1048576';
  expect(parallelMinBytes()).toBe(1048576);
  for (const bad of ['', 'lots', '-5']) {
    process.env.SOCKLINT_PARALLEL_MIN_BYTES = bad;
    expect(parallelMinBytes()).toBe(64 * 1024 * 1024);
  }
});

it('counts file sizes, gzip files as ten times their size, and nothing for stdin or a missing file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-threads-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ss'), 'x'.repeat(1000));
    fs.writeFileSync(path.join(dir, 'b.ss.gz'), 'y'.repeat(100));
    const inputs = ['a.ss', 'b.ss.gz', 'missing.ss'].map((f) => ({ path: path.join(dir, f), label: f }));
    expect(await inputBytes([...inputs, { path: '-', label: '-' }])).toBe(1000 + 1000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
