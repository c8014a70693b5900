/**
 * The per-rule cap counts the findings that fail apart from those waived or baselined: a rule whose cap was
 * reached by waived findings still lists (and fails on) a finding past them, on every path a snapshot takes
 * (one thread, stdin, several files on worker threads, one file split across two threads).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonReport, runCli, tmpDir } from './cli';
import { reportValidator } from '../report/helpers';

const HEADER = 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process';
/** `waived` loopback connections with unread data (waived below), then one from the internet (not waived). */
function snapshot(waived: number): string {
  const rows = [HEADER];
  for (let i = 0; i < waived; i++) rows.push(`tcp ESTAB 10 0 127.0.0.1:9000 127.0.0.1:${40000 + (i % 20000)} users:(("app",pid=1,fd=${i + 3}))`);
  rows.push('tcp ESTAB 10 0 10.0.0.5:443 203.0.113.7:50000 users:(("nginx",pid=2,fd=3))');
  return `${rows.join('\n')}\n`;
}

let dir: string;
let waivers: string;
beforeAll(() => {
  dir = tmpDir();
  waivers = path.join(dir, 'waivers.yaml');
  fs.writeFileSync(waivers, 'waivers:\n  - {rule: recv-queue-backlog, where: {local.scope: loopback}, reason: sidecar traffic, expires: 2099-01-01}\n');
  fs.writeFileSync(path.join(dir, 'loop.ss'), snapshot(30));
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const nginx = (r: ReturnType<typeof jsonReport>) => r.findings.filter((f: { suppressed?: unknown; message: string }) => !f.suppressed && f.message.includes('10.0.0.5:443'));

describe('waived findings do not crowd out the one that fails', () => {
  it('lists it and exits 1 past a cap of waived findings; the unlisted waived ones are counted as waived', async () => {
    const r = await runCli(['scan', path.join(dir, 'loop.ss'), '-c', waivers, '--max-findings', '5', '--fail-on', 'warning', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = jsonReport(r);
    expect(reportValidator()(report)).toBe(true);
    expect(nginx(report)).toHaveLength(1);
    expect(report.findings.filter((f: { suppressed?: unknown }) => f.suppressed)).toHaveLength(5);
    expect(report.omitted).toEqual([expect.objectContaining({ ruleId: 'recv-queue-backlog', count: 25, suppressed: { waiver: 25 } })]);
    expect(report.summary).toMatchObject({ omitted: 25, omittedSuppressed: 25, suppressed: 5, byLevel: { warning: 1 } });
    const text = await runCli(['scan', path.join(dir, 'loop.ss'), '-c', waivers, '--max-findings', '5', '--fail-on', 'warning']);
    expect(text.stdout).toMatch(/recv-queue-backlog {2}\S*loop\.ss: 25 more findings \(25 of them waived\)/);
    expect(text.stdout).toMatch(/25 not listed \(25 of them waived\)/);
  });

  it('from stdin (read once: waivers asked as findings are found)', async () => {
    const r = await runCli(['scan', '-', '-c', waivers, '--max-findings', '5', '--fail-on', 'warning', '--format', 'json'], { input: snapshot(30) });
    expect(r.code).toBe(1);
    expect(nginx(jsonReport(r))).toHaveLength(1);
  });

  it('on worker threads (several files) and on a file split across two threads', async () => {
    fs.writeFileSync(path.join(dir, 'a.ss'), snapshot(30));
    fs.writeFileSync(path.join(dir, 'big.ss'), snapshot(20000));
    const env = { SOCKLINT_PARALLEL_MIN_BYTES: '0' };
    const fleet = await runCli(['scan', path.join(dir, 'loop.ss'), path.join(dir, 'a.ss'), '-j', '2', '-c', waivers, '--max-findings', '5', '--fail-on', 'warning', '--format', 'json'], { env });
    expect(fleet.code).toBe(1);
    expect(nginx(jsonReport(fleet))).toHaveLength(2);
    const split = await runCli(['scan', path.join(dir, 'big.ss'), '-j', '2', '-c', waivers, '--fail-on', 'warning', '--format', 'json'], { env });
    expect(split.code).toBe(1);
    const report = jsonReport(split);
    expect(nginx(report)).toHaveLength(1);
    expect(report.summary).toMatchObject({ suppressed: 1000, omitted: 19000, omittedSuppressed: 19000 });
  });

  it('a baseline does the same, and a cap reached where no waiver or baseline applies is left as it was', async () => {
    const base = path.join(dir, 'base.json');
    const golden = path.join(dir, 'golden.ss');
    fs.writeFileSync(golden, snapshot(30).replace(/^tcp ESTAB 10 0 10\.0\.0\.5.*\n/m, ''));
    expect((await runCli(['baseline', golden, '--host', 'h', '-o', base])).code).toBe(0);
    const r = await runCli(['scan', path.join(dir, 'loop.ss'), '--host', 'h', '--baseline', base, '--max-findings', '5', '--fail-on', 'warning', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(nginx(jsonReport(r))).toHaveLength(1);
    expect(jsonReport(r).omitted).toEqual([expect.objectContaining({ count: 25, suppressed: { baseline: 25 } })]);
    // the waiver is for another host: nothing to rescan, the first 5 listed and the rest counted as before
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'waivers:\n  - {rule: recv-queue-backlog, host: other, reason: another host, expires: 2099-01-01}\n');
    const o = await runCli(['scan', path.join(dir, 'loop.ss'), '-c', path.join(dir, 'other.yaml'), '--max-findings', '5', '--fail-on', 'warning', '--format', 'json']);
    expect(jsonReport(o).omitted).toEqual([{ ruleId: 'recv-queue-backlog', host: 'loop', file: expect.any(String), count: 26 }]);
  });

  it('socklint baseline records every finding, past any cap, and leaves out the waived ones (they fail once the waiver ends)', async () => {
    // three listeners on dangerous ports; the config caps findings at 2 per rule and waives 6379
    const snap = path.join(dir, 'db.ss');
    const rows = ['tcp LISTEN 0 128 10.0.0.5:3306 0.0.0.0:* users:(("mysqld",pid=3,fd=3))', 'tcp LISTEN 0 128 10.0.0.5:5432 0.0.0.0:* users:(("postgres",pid=4,fd=3))', 'tcp LISTEN 0 128 0.0.0.0:6379 0.0.0.0:* users:(("redis",pid=5,fd=3))'];
    fs.writeFileSync(snap, `${HEADER}\n${rows.join('\n')}\n`);
    const cfg = path.join(dir, 'cap2.yaml');
    fs.writeFileSync(cfg, 'maxFindingsPerRule: 1\nwaivers:\n  - {rule: dangerous-port-exposed, where: {local.port: 6379}, reason: redis for the test, expires: 2099-01-01}\n');
    const base = path.join(dir, 'db.json');
    const b = await runCli(['baseline', snap, '--host', 'db', '-c', cfg, '-o', base]);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/1 waived finding\(s\) left out: they fail when their waiver expires/);
    const recorded = JSON.parse(fs.readFileSync(base, 'utf8')).findings.filter((f: { ruleId: string }) => f.ruleId === 'dangerous-port-exposed');
    expect(recorded.map((f: { message: string }) => /port (\d+)/.exec(f.message)![1]).sort()).toEqual(['3306', '5432']);
    // the same sockets in another order: nothing new (with the cap of 1, the first scan listed only 3306)
    const reversed = path.join(dir, 'db-rev.ss');
    fs.writeFileSync(reversed, `${HEADER}\n${[...rows].reverse().join('\n')}\n`);
    const again = await runCli(['scan', reversed, '--host', 'db', '-c', cfg, '--baseline', base, '--format', 'json']);
    expect(again.code).toBe(0);
    // the waiver gone, 6379 fails: the baseline did not hide it
    const none = path.join(dir, 'none.yaml');
    fs.writeFileSync(none, 'maxFindingsPerRule: 1\n');
    const later = await runCli(['scan', reversed, '--host', 'db', '-c', none, '--baseline', base, '--format', 'json']);
    expect(later.code).toBe(1);
    expect(jsonReport(later).findings.filter((f: { suppressed?: unknown }) => !f.suppressed).map((f: { message: string }) => /port (\d+)/.exec(f.message)![1])).toEqual(['6379']);
  });
});
