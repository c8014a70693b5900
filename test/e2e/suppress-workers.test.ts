/**
 * Worker threads ask waivers and baseline as they find (runScan, ScanOptions.filtersFrom): they make the same
 * filters from the config, the baseline file and the scan's time, and hand back what the waivers matched, so a
 * waiver used only on a worker's snapshots is not reported unused, and a baseline suppresses there as here.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, ROOT, jsonReport, runCli, tmpDir, type RunResult } from './cli';

const HEADER = 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process';
/** Four loopback connections with unread data, then one from the internet. */
function snapshot(): string {
  const rows = [HEADER];
  for (let i = 0; i < 4; i++) rows.push(`tcp ESTAB 10 0 127.0.0.1:9000 127.0.0.1:${40000 + i} users:(("app",pid=1,fd=${i + 3}))`);
  rows.push('tcp ESTAB 10 0 10.0.0.5:443 203.0.113.7:50000 users:(("nginx",pid=2,fd=3))');
  return `${rows.join('\n')}\n`;
}
const HOSTS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

let dir: string;
beforeAll(() => {
  dir = tmpDir();
  for (const h of HOSTS) fs.writeFileSync(path.join(dir, `${h}.ss`), snapshot());
  fs.writeFileSync(path.join(dir, 'late.ss'), snapshot());
});

/**
 * `socklint ARGS` with a snapshot on stdin that arrives after `delay` seconds: stdin is this thread's to read, so
 * the worker thread takes the files meanwhile.
 */
function withLateStdin(args: string[], delay = 3): Promise<RunResult> {
  const quoted = [CLI, ...args].map((a) => `'${a}'`).join(' ');
  const started = Date.now();
  return new Promise((resolve) => {
    execFile('sh', ['-c', `(sleep ${delay}; cat '${path.join(dir, 'late.ss')}') | '${process.execPath}' ${quoted}`], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '1', SOCKLINT_PARALLEL_MIN_BYTES: '0' }, maxBuffer: 64 * 1024 * 1024, timeout: 60000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? -1) : 0, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

const files = () => HOSTS.map((h) => path.join(dir, `${h}.ss`));
const failing = (r: ReturnType<typeof jsonReport>) => r.findings.filter((f) => !f.suppressed);

it.each([
  ['on a field every capture has', '{local.scope: loopback}'],
  ['on processes (a field group, known as rows show it)', '{process.name: app}'],
])("a worker's waivers count as used, and its capped snapshots list the finding that fails: where: %s", async (_kind, where) => {
  const cfg = path.join(dir, `waivers-${where.length}.yaml`);
  const waivers = HOSTS.map((h) => `  - {rule: recv-queue-backlog, host: ${h}, where: ${where}, reason: sidecar on ${h}, expires: 2099-01-01}`);
  fs.writeFileSync(cfg, `waivers:\n${waivers.join('\n')}\n`);
  const r = await withLateStdin(['scan', '-', ...files(), '-j', '2', '-c', cfg, '--max-findings', '2', '--fail-on', 'warning', '--format', 'json']);
  expect(r.code).toBe(1);
  const report = jsonReport(r);
  expect(report.waivers).toEqual([]); // none unused: each matched on the thread that scanned its host
  expect(failing(report).map((f) => f.host).sort()).toEqual([...HOSTS, 'stdin', 'stdin'].sort());
  for (const h of HOSTS) {
    expect(report.findings.filter((f) => f.host === h && f.suppressed)).toHaveLength(2);
    expect(report.omitted.find((o) => o.host === h)).toMatchObject({ count: 2, suppressed: { waiver: 2 } });
  }
});

it("a worker's snapshots are asked of the baseline as they are found", async () => {
  const base = path.join(dir, 'base.json');
  expect((await runCli(['baseline', ...files(), '-o', base])).code).toBe(0);
  const r = await withLateStdin(['scan', '-', ...files(), '-j', '2', '--baseline', base, '--max-findings', '2', '--fail-on', 'warning', '--format', 'json']);
  const report = jsonReport(r);
  expect(failing(report).every((f) => f.host === 'stdin')).toBe(true);
  for (const h of HOSTS) expect(report.omitted.find((o) => o.host === h)).toMatchObject({ count: 3, suppressed: { baseline: 3 } });
});

it('a large file split across two threads gives the one-thread report against its baseline', async () => {
  const big = path.join(dir, 'busy.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '300k', '--layout', 'tanp', '--seed', '7', '--out', big], { stdio: 'ignore' });
  const base = path.join(dir, 'busy.json');
  expect((await runCli(['baseline', big, '-o', base], { timeoutMs: 120000 })).code).toBe(0);
  const scan = async (jobs: string) => {
    const r = await runCli(['scan', big, '-j', jobs, '--baseline', base, '--format', 'json'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' }, timeoutMs: 120000 });
    expect(r.code).toBe(0); // nothing new
    const report = jsonReport(r);
    return { ...report, startedAt: '', durationMs: 0 };
  };
  const one = await scan('1');
  const two = await scan('2');
  expect(one.summary.findings).toBe(0);
  expect(one.summary.omittedSuppressed).toBeGreaterThan(0);
  expect(two).toEqual(one);
  // and against waivers whose where: reads processes (asked as found on both threads): the one-thread report too
  const cfg = path.join(dir, 'busy-waivers.yaml');
  fs.writeFileSync(cfg, 'waivers:\n  - {rule: recv-queue-backlog, where: {process.name: nginx}, reason: nginx buffers, expires: 2099-01-01}\n'
    + '  - {rule: send-queue-backlog, where: {not: {process.name: java}}, reason: only java, expires: 2020-01-01}\n');
  const waived = async (jobs: string) => {
    const r = await runCli(['scan', big, '-j', jobs, '-c', cfg, '--format', 'json'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' }, timeoutMs: 120000 });
    return { ...jsonReport(r), startedAt: '', durationMs: 0 };
  };
  const w1 = await waived('1');
  expect(w1.summary.suppressed).toBeGreaterThan(0);
  expect(w1.waivers.find((w) => w.ruleId === 'send-queue-backlog')?.matchedWhileExpired).toBeGreaterThan(0);
  expect(await waived('2')).toEqual(w1);
}, 240000);
