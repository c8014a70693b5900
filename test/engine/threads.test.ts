/** When a scan uses worker threads (src/engine/threads.ts): from a total input size on, overridable. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cgroupCpuLimit, inputBytes, parallelMinBytes, usableCores } from '../../src/engine/threads';

const saved = process.env.SOCKLINT_PARALLEL_MIN_BYTES;
afterEach(() => {
  if (saved === undefined) delete process.env.SOCKLINT_PARALLEL_MIN_BYTES;
  else process.env.SOCKLINT_PARALLEL_MIN_BYTES = saved;
});

it('uses threads from 64 MiB of input unless SOCKLINT_PARALLEL_MIN_BYTES says otherwise (a value that is no size is an error)', () => {
  delete process.env.SOCKLINT_PARALLEL_MIN_BYTES;
  expect(parallelMinBytes()).toBe(64 * 1024 * 1024);
  process.env.SOCKLINT_PARALLEL_MIN_BYTES = '0';
  expect(parallelMinBytes()).toBe(0);
  process.env.SOCKLINT_PARALLEL_MIN_BYTES = '1048576';
  expect(parallelMinBytes()).toBe(1048576);
  process.env.SOCKLINT_PARALLEL_MIN_BYTES = ' ';
  expect(parallelMinBytes()).toBe(64 * 1024 * 1024); // set but empty: as unset
  for (const bad of ['lots', '-5', '1e6']) {
    process.env.SOCKLINT_PARALLEL_MIN_BYTES = bad;
    expect(() => parallelMinBytes()).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(`"${bad}" is not a whole number of bytes`) }));
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

describe('the cores a scan may use: CPU affinity, lowered to a cgroup CPU quota', () => {
  /** A fake filesystem root holding `files` (path → content). */
  function root(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-cgroup-'));
    for (const [p, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), text);
    }
    return dir;
  }
  const cases: [string, Record<string, string>, number | undefined][] = [
    ['cgroup v2, a systemd unit with CPUQuota=150%', {
      'proc/self/cgroup': '0::/system.slice/socklint.service\n',
      'sys/fs/cgroup/system.slice/socklint.service/cpu.max': '150000 100000\n',
      'sys/fs/cgroup/system.slice/cpu.max': 'max 100000\n',
    }, 1.5],
    ['cgroup v2, a stricter limit above the process\'s cgroup', {
      'proc/self/cgroup': '0::/kubepods/pod1/c1\n',
      'sys/fs/cgroup/kubepods/pod1/c1/cpu.max': '200000 100000',
      'sys/fs/cgroup/kubepods/pod1/cpu.max': '50000 100000',
    }, 0.5],
    ['cgroup v2 in a container (its cgroup is the root)', {
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/cpu.max': '200000 100000\n',
    }, 2],
    ['cgroup v2 without a quota', { 'proc/self/cgroup': '0::/user.slice\n', 'sys/fs/cgroup/user.slice/cpu.max': 'max 100000' }, undefined],
    ['cgroup v1 in a container: /proc/self/cgroup names the host\'s path, the mount shows its own cgroup', {
      'proc/self/cgroup': '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/docker/abc\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '100000\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    }, 1],
    ['cgroup v1 without a quota (-1), hybrid v2 without cpu.max', {
      'proc/self/cgroup': '1:cpu:/\n0::/\n',
      'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
      'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
      'sys/fs/cgroup/unified/cgroup.controllers': '',
    }, undefined],
    ['garbage', { 'proc/self/cgroup': 'nonsense\n0::/\n', 'sys/fs/cgroup/cpu.max': 'lots of cpu' }, undefined],
    ['nothing readable', {}, undefined],
  ];
  it.each(cases)('%s', (_name, files, limit) => {
    const dir = root(files);
    try {
      expect(cgroupCpuLimit(dir)).toBe(limit);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses at least one core and no more than the CPUs it may run on', () => {
    expect(usableCores()).toBeGreaterThanOrEqual(1);
    expect(usableCores()).toBeLessThanOrEqual(os.availableParallelism());
    const quota = cgroupCpuLimit();
    if (quota !== undefined) expect(usableCores()).toBeLessThanOrEqual(Math.max(1, Math.ceil(quota)));
  });
});
