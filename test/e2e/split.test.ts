/** One large snapshot on two threads (src/engine/split.ts): the CLI's report is the one-thread report. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir, type RunResult } from './cli';

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

  it("gives the end of its range to this thread when asked while it parses, and nothing once it is done", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const split = require(path.join(ROOT, 'dist/engine/split')) as typeof import('../../src/engine/split');
    const size = fs.statSync(big).size;
    const seed = split.planHead(big, size)!;
    const text = fs.readFileSync(big, 'latin1');
    const start = text.indexOf('\n', Math.floor(size / 4)) + 1;
    const worker = threads.rangeWorker({ setup, host: 'h', labels: {} });
    await worker.ready;
    const result = worker.scan({ input: { path: big, label: big }, range: { start, end: size }, seed, identity: { host: 'h', labels: {} } });
    const at = await worker.giveTail!(0); // asked as it starts: about half of its range
    expect(at).toBeDefined();
    expect(at!).toBeGreaterThan(start + (size - start) / 4);
    expect(text[at! - 1]).toBe('\n');
    worker.followOn({ ruleIds: [], counts: [], suppressed: [] });
    const r = await result;
    // it parsed up to the tail: a socket a line
    const lines = text.slice(start, at).split('\n').length - 1;
    expect({ lines: r.stats.lines, sockets: r.stats.sockets }).toEqual({ lines, sockets: lines });
    expect(r.end).toEqual(expect.objectContaining({ meta: seed.meta }));
    expect(await worker.giveTail!(0)).toBeUndefined(); // done (and ended): no hang
  });

  it('is dropped when the scan fails before it splits: the run ends at once', async () => {
    // a usage error found after the worker started (it would otherwise wait for its range, and the process with it)
    const r = await runCli(['scan', big, '--save-snapshot', path.join(dir, 'x.ss')], { env: { SOCKLINT_PARALLEL_MIN_BYTES: String(1024 * 1024) }, timeoutMs: 15000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/live scans only/);
    expect(r.ms).toBeLessThan(10000);
  });
});

describe('a split snapshot, or a worker thread, too large for the memory Node.js may use (engine/memory.ts)', () => {
  // an aggregate rule grouping by peer address, local port and process: a group for each distinct socket
  const RULES = `rules:
  - id: agg-peer
    title: agg-peer
    kind: health
    severity: error
    description: a counter per peer
    help: none
    match:
      netid: tcp
    aggregate:
      function: count
      groupBy: [peerAddress, localPort, process]
      gte: 1
      top: 5
    message: "{observed} {group}"
`;
  const HEADER = 'Netid State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
  const row = (i: number) =>
    `tcp   ${['CLOSE-WAIT', 'TIME-WAIT', 'SYN-SENT', 'ESTAB'][i % 4]} 1 0 10.0.0.1:${8000 + (i % 50)} 10.0.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 60000)} users:(("p${i % 7}",pid=${100 + (i % 7)},fd=${i}))\n`;
  /** `n` sockets of one group (a socket repeated), then `m` of as many groups. */
  const snapshot = (name: string, n: number, m: number): string => {
    const p = path.join(dir, name);
    const distinct: string[] = [];
    for (let i = 0; i < m; i++) distinct.push(row(i));
    fs.writeFileSync(p, HEADER + row(0).repeat(n) + distinct.join(''));
    return p;
  };
  let rules: string;
  beforeAll(() => {
    rules = path.join(dir, 'agg-peer.yaml');
    fs.writeFileSync(rules, RULES);
  });
  const split = { SOCKLINT_PARALLEL_MIN_BYTES: String(1024 * 1024) };

  /** One line naming `file` (and the line it got to: returned), exit 2 — not V8's abort (exit 134) nor an internal error. */
  function stopped(r: RunResult, file: string): number | undefined {
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory|internal error|Worker terminated/);
    expect({ code: r.code, lines: r.stderr.trim().split('\n').length }).toEqual({ code: 2, lines: 1 });
    expect(r.stderr.startsWith(`socklint: ${file}`)).toBe(true);
    expect(r.stderr.trim()).toMatch(/ \[out-of-memory\]$/);
    expect(r.stderr).toContain('--max-old-space-size');
    const m = /^socklint: [^\n]*?\.ss:(\d+): (\d+) sockets in, what the rules keep of this snapshot fills \d+ MiB of the \d+ MiB Node\.js may use/.exec(r.stderr);
    if (!m) {
      // a worker thread V8 stopped at its heap limit before its check: where in the file is not known
      expect(r.stderr).toMatch(/: what the rules keep of this snapshot filled the memory Node\.js may use on the worker thread scanning it/);
      return undefined;
    }
    expect(Number(m[1])).toBe(Number(m[2]) + 1); // a header line, then a socket a line
    return Number(m[1]);
  }

  it("stops as the one-thread scan does when both ranges' groups together would not fit (V8 aborted the merge)", async () => {
    // 300k groups in a 128 MiB old generation: each range's own checks pass (~150k groups each), and the main
    // thread, copying the worker's groups to merge them, filled its heap as it deserialized them (exit 134). (200k
    // did until a group held ~620 bytes; at ~400 they fit in one thread)
    const file = snapshot('agg-peer.ss', 0, 300000);
    const env = { NODE_OPTIONS: '--max-old-space-size=128' };
    const args = ['scan', file, '--rules', rules, '--format', 'json=' + path.join(dir, 'agg.json')];
    const two = await runCli([...args, '-j', '2'], { env: { ...env, ...split }, timeoutMs: 60000 });
    const at = stopped(two, file);
    expect(at).toBeDefined();
    expect(at).toBeLessThanOrEqual(300001);
    const one = await runCli([...args, '-j', '1'], { env, timeoutMs: 60000 });
    expect(stopped(one, file)).toBeDefined();
  }, 60000);

  it("names the line in the file where the worker's range stopped, or the file when V8 stopped the worker first", async () => {
    // the groups all in the worker's range, a small heap: the worker's check stops it (it was the one-thread
    // scan of the whole file then, which V8 aborted in this heap), or V8 does (an internal error then)
    const file = snapshot('agg-late.ss', 700000, 200000);
    const r = await runCli(['scan', file, '--rules', rules, '-j', '2', '--format', 'json=' + path.join(dir, 'late.json')], {
      env: { NODE_OPTIONS: '--max-old-space-size=48', ...split }, timeoutMs: 60000,
    });
    const at = stopped(r, file);
    if (at !== undefined) expect(at).toBeGreaterThan(700001); // among the groups, in the second range
  }, 60000);

  it('a folder scanned on worker threads: a worker V8 stopped at its heap limit is named by its snapshot', async () => {
    // this thread takes the first file (one group), the worker the second (200k): V8 stopped the worker
    // before its check, and the scan ended with an internal error (exit 4)
    const fleet = path.join(dir, 'fleet');
    fs.mkdirSync(fleet);
    fs.renameSync(snapshot('a.ss', 600000, 0), path.join(fleet, 'a.ss'));
    fs.copyFileSync(path.join(dir, 'agg-peer.ss'), path.join(fleet, 'b.ss'));
    const r = await runCli(['scan', fleet, '--rules', rules, '-j', '2', '--format', 'json=' + path.join(dir, 'fleet.json')], {
      env: { NODE_OPTIONS: '--max-old-space-size=48', ...split }, timeoutMs: 60000,
    });
    stopped(r, path.join(fleet, 'b.ss'));
  }, 60000);
});
