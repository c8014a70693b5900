/**
 * The memory check stops a scan before V8 does (src/engine/memory.ts): it measures against the old generation's
 * limit (--max-old-space-size), not V8's heap_size_limit, which adds the young generation (48 MiB on a machine
 * with 8 GiB or more), and checks often enough that the heap cannot fill between two checks.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_EVERY, v8Flag } from '../../src/engine/memory';
import { ROOT, runCli, tmpDir, type RunResult } from '../e2e/cli';

describe('v8Flag: the MiB given to a V8 flag, as Node.js applies them', () => {
  it('reads NODE_OPTIONS and the command line, the command line last', () => {
    expect(v8Flag('max-old-space-size', [], '')).toBeUndefined();
    expect(v8Flag('max-old-space-size', [], '--max-old-space-size=64')).toBe(64);
    expect(v8Flag('max-old-space-size', ['--max_old_space_size=96'], '')).toBe(96);
    expect(v8Flag('max-old-space-size', ['--max-old-space-size=128'], '--max-old-space-size=64')).toBe(128);
    expect(v8Flag('max-old-space-size', ['--max-old-space-size=64', '--max-old-space-size=90'], '')).toBe(90);
    expect(v8Flag('max-old-space-size', [], '--require x.js --max-old-space-size=48 --trace-gc')).toBe(48);
  });
  it('takes no other flag for it, and no value after a space (Node.js refuses that)', () => {
    expect(v8Flag('max-old-space-size', ['--max-old-space-size-percentage=50'], '')).toBeUndefined();
    expect(v8Flag('max-old-space-size', ['--max-semi-space-size=16'], '')).toBeUndefined();
    expect(v8Flag('max-old-space-size', [], '--max-old-space-size 64')).toBeUndefined();
    expect(v8Flag('max-semi-space-size', ['--max-semi-space-size=2'], '')).toBe(2);
  });
});

/** oldGenerationLimit() and V8's heap_size_limit, in MiB, of a node started with `flags`, on its main thread and on a worker. */
function limitsIn(flags: string[], env: NodeJS.ProcessEnv = {}): { main: number[]; worker: number[] } {
  const script = `
    const { Worker, isMainThread, parentPort } = require('node:worker_threads');
    const v8 = require('node:v8');
    const { oldGenerationLimit } = require(${JSON.stringify(path.join(ROOT, 'dist/engine/memory.js'))});
    const both = () => [oldGenerationLimit() / 1048576, v8.getHeapStatistics().heap_size_limit / 1048576];
    if (isMainThread) {
      const w = new Worker(__filename, { resourceLimits: { maxYoungGenerationSizeMb: 12 } });
      w.on('message', (worker) => console.log(JSON.stringify({ main: both(), worker })));
    } else parentPort.postMessage(both());`;
  const dir = tmpDir('socklint-memory-limit-');
  const file = path.join(dir, 'limits.js');
  fs.writeFileSync(file, script);
  return JSON.parse(execFileSync(process.execPath, [...flags, file], { env: { ...process.env, ...env }, encoding: 'utf8' })) as { main: number[]; worker: number[] };
}

describe('oldGenerationLimit: the heap V8 aborts the process past', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist/engine/memory.js'))) throw new Error('run `npm run build` first');
  });
  it('is --max-old-space-size, where V8 says 48 MiB more (its young generation), on the main thread and a worker', () => {
    const { main, worker } = limitsIn(['--max-old-space-size=64']);
    expect(main[0]).toBe(64);
    expect(main[1]).toBeGreaterThan(64); // (112 on this machine: a check against it let the old generation fill)
    expect(worker[0]).toBe(64);
    expect(limitsIn([], { NODE_OPTIONS: '--max-old-space-size=80' }).main[0]).toBe(80);
  });
  it('without the flag, the heap less the young generation: three semi-spaces, or a worker\'s own', () => {
    const { main, worker } = limitsIn(['--max-semi-space-size=2']);
    expect(main[0]).toBe(main[1] - 6);
    const plain = limitsIn([]);
    expect(plain.worker[0]).toBe(plain.worker[1] - 12);
    expect(plain.main[0]).toBeLessThan(plain.main[1]);
    expect(plain.main[0]).toBeGreaterThanOrEqual(plain.main[1] - 48);
  });
});

describe('a snapshot whose aggregate groups would fill a small heap: one line and exit 2, not V8\'s abort', () => {
  // One realistic rule: a counter per peer, local port and process. On a generated 200k-socket `-tanp` snapshot
  // nearly every socket is a group of its own (~400 bytes): V8 aborted the scan (exit 134, "FATAL ERROR ...
  // heap out of memory" and a stack) with --max-old-space-size=32, 48 and 64, the check measuring against
  // ~48 MiB more than the old generation has and looking every 65,536 sockets (~26 MB of groups apart).
  const dir = tmpDir('socklint-memory-groups-');
  const snapshot = path.join(dir, 'busy.ss');
  const rules = path.join(dir, 'per-peer.yaml');
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '200k', '--layout', 'tanp', '--out', snapshot], { stdio: 'ignore' });
    fs.writeFileSync(rules, `rules:
  - id: per-peer
    title: connections per peer
    kind: health
    severity: error
    description: a counter per peer, local port and process
    help: none
    match:
      netid: tcp
    aggregate:
      function: count
      groupBy: [peerAddress, localPort, process]
      gte: 1
      top: 5
    message: "{observed} {group}"
`);
  }, 60000);

  function stopped(r: RunResult): void {
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory|Last few GCs|internal error/);
    expect({ code: r.code, lines: r.stderr.trim().split('\n').length }).toEqual({ code: 2, lines: 1 });
    expect(r.stderr).toMatch(/^socklint: \S*busy\.ss:\d+: \d+ sockets in, what the rules keep of this snapshot fills \d+ MiB of the (32|48|64) MiB Node\.js may use: .* \[out-of-memory\]\n$/);
    expect(r.stderr).toContain('--max-old-space-size');
  }

  it.each([
    ['32', '-j', '1'],
    ['48', '-j', '1'],
    ['64', '-j', '1'],
    ['48', '-j', '2'], // split across two threads: each checks its range
  ])('--max-old-space-size=%s %s %s', async (mib, ...jobs) => {
    const r = await runCli(['scan', snapshot, '--rules', rules, ...jobs, '--format', `json=${path.join(dir, 'r.json')}`], {
      env: { NODE_OPTIONS: `--max-old-space-size=${mib}`, SOCKLINT_PARALLEL_MIN_BYTES: String(1024 * 1024) }, timeoutMs: 90000,
    });
    stopped(r);
  }, 120000);

  it('the default pack on the same snapshot is scanned and reported in 32 MiB: the check stops only what would not fit', async () => {
    const r = await runCli(['scan', snapshot, '--format', `json=${path.join(dir, 'pack.json')}`], { env: { NODE_OPTIONS: '--max-old-space-size=32' }, timeoutMs: 90000 });
    expect(r.stderr).not.toMatch(/out-of-memory|FATAL/);
    expect(r.code).toBe(1); // findings
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'pack.json'), 'utf8')).snapshots).toHaveLength(1);
  }, 120000);

  it('checks often enough for two aggregate rules of a group a socket to fit between two checks in 32 MiB', () => {
    expect(CHECK_EVERY * 2 * 500).toBeLessThan(8 * 1048576);
  });
});
