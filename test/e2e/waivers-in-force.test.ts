/**
 * Waivers in force, as the built CLI reports them: JSON `waiversInForce` (what each waived, past the cap too, the
 * same on one thread, on worker threads and with one snapshot split across two), Prometheus' expiry and waived
 * series, and SARIF's and the text report's word on those whose last day is near.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

const RULE = 'recv-queue-backlog';
const DAY = 86_400_000;
/** The UTC date `days` from today, as a waiver's `expires:` is written. */
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

let dir: string;
let files: string[];
let config: string;
/** The rule's findings in each file, every one listed (no waiver, no cap). */
let found: number[];
const soon = inDays(3);

beforeAll(async () => {
  dir = tmpDir();
  files = [7, 8].map((seed) => {
    const file = path.join(dir, `host-${seed}.ss`);
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tanp', '--seed', String(seed), '--out', file], { stdio: 'ignore' });
    return file;
  });
  config = path.join(dir, 'socklint.yaml');
  fs.writeFileSync(config, [
    'waivers:',
    `  - rule: ${RULE}`,
    '    reason: backlogs accepted until the upgrade',
    '    owner: team-queue',
    '    ticket: Q-12',
    `    expires: ${soon}`,
    `  - rule: ${RULE}`,
    '    reason: for other hosts',
    '    host: no-such-host-*',
    '    expires: 2099-01-01',
    `  - rule: ${RULE}`,
    '    reason: reached by nothing the first waives',
    '    expires: 2099-01-01',
    '  - rule: dangerous-port-exposed',
    '    reason: expired',
    '    expires: 2020-01-01',
    '',
  ].join('\n'));
  const all = jsonReport(await runCli(['scan', ...files, '--format', 'json', '--max-findings', '100000', '--fail-on', 'none', '-j', '1']));
  found = files.map((f) => all.findings.filter((x) => x.ruleId === RULE && x.location.file === f).length);
  expect(Math.min(...found)).toBeGreaterThan(10);
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function scan(snapshots: string[], jobs: number, env: NodeJS.ProcessEnv = {}, format = 'json') {
  const r = await runCli(['scan', ...snapshots, '-c', config, '--max-findings', '3', '-j', String(jobs), '--format', format, '--fail-on', 'none'], { env });
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r;
}

/** The waivers in force of a JSON report: reason and findings waived. */
const inForce = (r: Awaited<ReturnType<typeof scan>>) => jsonReport(r).waiversInForce?.map((w) => [w.reason, w.waived]);

it('lists the live waivers for the hosts scanned, with every finding each waived, on one thread and on several', async () => {
  const one = jsonReport(await scan(files, 1));
  expect(one.waiversInForce).toEqual([
    { ruleId: RULE, reason: 'backlogs accepted until the upgrade', owner: 'team-queue', ticket: 'Q-12', expires: soon, location: { file: config, line: 2 }, waived: sum(found) },
    { ruleId: RULE, reason: 'reached by nothing the first waives', expires: '2099-01-01', location: { file: config, line: 11 }, waived: 0 },
  ]);
  expect(one.summary.suppressed + (one.summary.omittedSuppressed ?? 0)).toBe(sum(found));
  expect(inForce(await scan(files, 2, { SOCKLINT_PARALLEL_MIN_BYTES: '0' }))).toEqual(inForce(await scan(files, 1)));
});

it('counts a snapshot split across two threads once', async () => {
  expect(inForce(await scan([files[0]], 2, { SOCKLINT_PARALLEL_MIN_BYTES: String(256 * 1024) }))).toEqual([
    ['backlogs accepted until the upgrade', found[0]],
    ['reached by nothing the first waives', 0],
  ]);
});

it('Prometheus: each one\'s expiry and findings waived; SARIF and text: the one whose last day is near', async () => {
  const prom = (await scan(files, 1, {}, 'prometheus')).stdout;
  const labels = `rule="${RULE}",file="${config}",line="2",owner="team-queue",ticket="Q-12"`;
  expect(prom).toContain(`socklint_waiver_expiry_timestamp_seconds{${labels}} ${Date.parse(`${soon}T00:00:00Z`) / 1000 + 86400}\n`);
  expect(prom).toContain(`socklint_waiver_findings_waived{${labels}} ${sum(found)}\n`);
  expect(prom).toContain(`socklint_waiver_findings_waived{rule="${RULE}",file="${config}",line="11"} 0\n`);
  expect(prom).not.toContain('reason');
  const log = JSON.parse((await scan(files, 1, {}, 'sarif')).stdout) as { runs: { invocations: { toolConfigurationNotifications?: { descriptor: { id: string }; properties?: unknown }[] }[] }[] };
  const notes = log.runs.map((r) => (r.invocations[0].toolConfigurationNotifications ?? []).filter((n) => n.descriptor.id === 'waiver-expiring').map((n) => n.properties));
  expect(notes).toEqual(files.map(() => [{ expires: soon, waived: sum(found) }]));
  const text = (await scan(files, 1, {}, 'text')).stdout;
  // (a scan that starts a moment before midnight UTC and ends after it sees a day less)
  expect(text).toMatch(new RegExp(`Waivers expiring within 14 days \\(1\\)\\n  .*socklint\\.yaml:2  ${RULE}: last day ${soon} \\(in [23] days\\), waived ${String(sum(found)).replace(/\B(?=(\d{3})+$)/g, ',')} findings — backlogs accepted until the upgrade\\n`));
});

it('waiverNoticeDays: a config names waivers that far ahead in the text report and SARIF (14 days unless it says)', async () => {
  const later = inDays(40);
  const far = path.join(dir, 'notice.yaml');
  const body = (notice: string) => [notice, 'waivers:', `  - rule: ${RULE}`, '    reason: renewed monthly', `    expires: ${later}`, ''].join('\n');
  const expiring = async (notice: string) => {
    fs.writeFileSync(far, body(notice));
    const args = ['scan', files[0], '-c', far, '-j', '1', '--fail-on', 'none'];
    const text = (await runCli([...args, '--format', 'text'])).stdout;
    const sarif = await runCli([...args, '--format', 'sarif']);
    expect([sarif.code, sarif.stderr]).toEqual([0, '']);
    const log = JSON.parse(sarif.stdout) as { runs: { invocations: { toolConfigurationNotifications?: { descriptor: { id: string } }[] }[] }[] };
    const notes = (log.runs[0].invocations[0].toolConfigurationNotifications ?? []).filter((n) => n.descriptor.id === 'waiver-expiring').length;
    return [text.match(/Waivers expiring within [^\n]*/)?.[0] ?? null, notes];
  };
  expect(await expiring('')).toEqual([null, 0]);
  expect(await expiring('waiverNoticeDays: 45')).toEqual(['Waivers expiring within 45 days (1)', 1]);
  expect(await expiring('waiverNoticeDays: 30')).toEqual([null, 0]);
  fs.writeFileSync(far, body('waiverNoticeDays: 0'));
  const bad = await runCli(['scan', files[0], '-c', far]);
  expect([bad.code, bad.stderr]).toEqual([2, `socklint: ${far}:1:19: 'waiverNoticeDays' must be >= 1, not 0 [out-of-range]\n`]);
});

it('a snapshot not scanned counts for no waiver: its findings, asked as they were found, are dropped with it', async () => {
  // several ss runs in one file, told only at the second table's rows: the first run's findings were asked by then
  const run = [
    'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
    'LISTEN 0      128          0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=812,fd=10))',
    'LISTEN 0      128          0.0.0.0:22         0.0.0.0:*     users:(("sshd",pid=700,fd=3))',
    '',
  ].join('\n');
  const twice = path.join(dir, 'twice.ss');
  const good = path.join(dir, 'good.ss');
  const other = path.join(dir, 'good-too.ss');
  fs.writeFileSync(twice, run + run);
  fs.writeFileSync(good, 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=700,fd=3))\n');
  fs.copyFileSync(good, other);
  const waivers = path.join(dir, 'db.yaml');
  fs.writeFileSync(waivers, [
    'waivers:',
    '  - rule: dangerous-port-exposed',
    '    reason: db port accepted',
    '    expires: 2099-01-01',
    '  - rule: dangerous-port-exposed',
    '    reason: lapsed',
    '    expires: 2020-01-01',
    '',
  ].join('\n'));
  const states = async (snapshots: string[], more: string[] = [], env: NodeJS.ProcessEnv = {}, input?: string) => {
    const r = await runCli(['scan', ...snapshots, '--host', 'h1', '-c', waivers, '--format', 'json', ...more], { env, ...(input !== undefined ? { input } : {}) });
    expect(r.code).toBe(3); // a snapshot not scanned
    const report = jsonReport(r);
    expect(report.snapshotErrors.map((e) => e.code)).toEqual(['several-runs']);
    return [report.waiversInForce?.map((w) => w.waived), report.waivers.map((w) => [w.reason, w.status, w.matchedWhileExpired])];
  };
  const expected = [[0], [['db port accepted', 'unused', undefined], ['lapsed', 'expired', 0]]];
  expect(await states([good, twice])).toEqual(expected);
  expect(await states([good, '-'], [], {}, run + run)).toEqual(expected);
  expect(await states([good, twice, other], ['-j', '2'], { SOCKLINT_PARALLEL_MIN_BYTES: '0' })).toEqual(expected);
});
