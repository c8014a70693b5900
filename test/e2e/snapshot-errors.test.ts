/**
 * A snapshot that cannot be scanned (no parsable socket, binary, unreadable) ends the scan with exit 3 and a
 * line on stderr — and is named in every report too, so that a report read later (a dashboard, a CI test
 * view, an alert on the metrics) does not pass over a host no rule looked at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';
import { JUNIT_XSD, announceSkip, findMultitool, multitoolValidate, reportValidator, sarifValidator, which, withoutRootSkipped } from '../report/helpers';
import type { ScanReport } from '../../src/engine/types';

let dir: string;
let code: number;
let stderr: string;
const out = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = tmpDir();
  fs.writeFileSync(out('junk.ss'), 'not ss output\nat all 10.0.0.1:22\n');
  fs.writeFileSync(out('binary.ss'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0, 10]));
  const r = await runCli(['scan', 'fixtures/real/small.tan.ss', out('junk.ss'), out('binary.ss'),
    '-f', `json=${out('r.json')}`, '-f', `sarif=${out('r.sarif')}`, '-f', `junit=${out('r.xml')}`, '-f', `prometheus=${out('r.prom')}`, '-f', `text=${out('r.txt')}`], { cwd: ROOT });
  code = r.code;
  stderr = r.stderr;
}, 60000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('exits 3, saying so on stderr', () => {
  expect(code).toBe(3);
  expect(stderr).toMatch(/junk\.ss: holds no parsable socket/);
  expect(stderr).toMatch(/binary\.ss: .*binary/);
});

it('JSON names them in snapshotErrors and counts them in the summary, as schemas/report.schema.json says', () => {
  const report = JSON.parse(fs.readFileSync(out('r.json'), 'utf8')) as ScanReport;
  const validate = reportValidator();
  expect(validate(report) ? [] : validate.errors).toEqual([]);
  expect(report.snapshots.map((s) => path.basename(s.file))).toEqual(['small.tan.ss']);
  expect(report.snapshotErrors.map((e) => [path.basename(e.file), e.code])).toEqual([['junk.ss', 'no-sockets'], ['binary.ss', expect.any(String)]]);
  expect(report.summary.snapshotErrors).toBe(2);
});

it('the text report lists them, and its summary line counts them', () => {
  const text = fs.readFileSync(out('r.txt'), 'utf8');
  expect(text).toMatch(/Snapshots not scanned \(2\)\n .*junk\.ss  holds no parsable socket .*\n .*binary\.ss  /);
  expect(text).toMatch(/Summary: .*; 2 snapshots not scanned\n$/);
});

it('Prometheus has socklint_snapshots_failed', () => {
  expect(fs.readFileSync(out('r.prom'), 'utf8')).toMatch(/\n# TYPE socklint_snapshots_failed gauge\nsocklint_snapshots_failed 2\n/);
});

it('SARIF carries them as error notifications of the invocation, valid for GitHub', () => {
  const log = JSON.parse(fs.readFileSync(out('r.sarif'), 'utf8'));
  expect(sarifValidator()(log).valid).toBe(true);
  const notes = log.runs[0].invocations[0].toolExecutionNotifications.filter((n: { descriptor: { id: string } }) => n.descriptor.id === 'snapshot-not-scanned');
  expect(notes.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text.replace(/^.*\//, '')])).toEqual([
    ['error', expect.stringMatching(/^junk\.ss could not be scanned: holds no parsable socket/)],
    ['error', expect.stringMatching(/^binary\.ss could not be scanned: /)],
  ]);
  const multitool = findMultitool();
  if (!multitool) {
    announceSkip('SARIF Multitool on snapshot errors', 'install @microsoft/sarif-multitool');
    return;
  }
  const { status, problems } = multitoolValidate(multitool, out('r.sarif'), out('validation.json'));
  expect(problems).toEqual([]);
  expect(status).toBe(0);
}, 120000);

it('JUnit gives each a suite whose one test is in error, valid against the XSD', () => {
  const xml = fs.readFileSync(out('r.xml'), 'utf8');
  expect(xml).toMatch(/<testsuites [^>]* errors="2"/);
  expect(xml).toMatch(/<testsuite name="socklint \([^)]*junk\.ss\)"[^>]* tests="1" failures="0" errors="1"/);
  expect(xml).toMatch(/<testcase classname="socklint\.not-scanned\.[^"]*junk_ss" name="snapshot could be scanned">\n\s*<error message="holds no parsable socket[^"]*" type="no-sockets">/);
  const xmllint = which('xmllint');
  if (!xmllint) {
    announceSkip('JUnit XSD validation of snapshot errors', 'xmllint not found (apt-get install libxml2-utils)');
    return;
  }
  fs.writeFileSync(out('fixed.xml'), withoutRootSkipped(xml));
  const r = spawnSync(xmllint, ['--noout', '--schema', JUNIT_XSD, out('fixed.xml')], { encoding: 'utf8' });
  expect(r.stderr).toContain('validates');
});

it('a socklint capture that holds its metadata but no ss output (the capture failed after writing it) is not an empty host', async () => {
  const meta = '# socklint-snapshot: 1\n# host: h\n# flags: -tanp\n# socklint: 0.1.0\n';
  fs.writeFileSync(out('meta-only.ss'), meta);
  const r = await runCli(['scan', out('meta-only.ss')]);
  expect(r.code).toBe(3);
  expect(r.stderr.split('\n')[0]).toMatch(/meta-only\.ss: holds socklint capture metadata but no ss output \(the capture failed after writing it: capture again, and check its exit code\) \[no-sockets\]$/);
  const p = await runCli(['parse', out('meta-only.ss')]);
  expect(p.code).toBe(3);
  // `ss -H` prints no header: its capture's metadata says so, and no row is an empty host
  fs.writeFileSync(out('meta-H.ss'), meta.replace('-tanp', '-tanpH'));
  expect((await runCli(['scan', out('meta-H.ss')])).code).toBe(0);
  // with the header, an empty host (as before)
  fs.writeFileSync(out('meta-header.ss'), `${meta}State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n`);
  expect((await runCli(['scan', out('meta-header.ss')])).code).toBe(0);
});

it('a file holding two socklint captures (cat a.ss b.ss, capture >> host.ss) is not scanned as the first host with its flags', async () => {
  const capture = (host: string, flags: string, rows: string[]) =>
    [`# socklint-snapshot: 1`, `# host: ${host}`, `# flags: ${flags}`, 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port', ...rows, ''].join('\n');
  const a = capture('web-01', '-tan', ['LISTEN 0      128          0.0.0.0:22         0.0.0.0:*']);
  const b = capture('db-01', '-uan', ['UNCONN 0      0            0.0.0.0:161        0.0.0.0:*']);
  fs.writeFileSync(out('two.ss'), a + b);
  fs.writeFileSync(out('one.ss'), b);
  const r = await runCli(['scan', out('two.ss'), out('one.ss'), '--format', 'json']);
  expect(r.code).toBe(3); // and the other snapshot is still scanned: its udp 161 finding
  const rep = jsonReport(r);
  expect(rep.snapshotErrors).toEqual([expect.objectContaining({ code: 'several-captures', line: 6 })]);
  expect(rep.snapshots.map((s) => s.host)).toEqual(['db-01']);
  expect(rep.findings.map((f) => f.ruleId)).toContain('dangerous-port-exposed');
  expect(r.stderr).toMatch(/two\.ss:6: holds a second socklint capture \(the first begins at line 1\): one snapshot file holds one capture \(give each capture its own file .*csplit -z -f part- FILE '\/\^# socklint-snapshot:\/' '\{\*\}'\) \[several-captures\]/);
  const stdin = await runCli(['scan', '-'], { input: a + b });
  expect(stdin.code).toBe(3);
  const p = await runCli(['parse', out('two.ss'), out('one.ss')]);
  expect(p.code).toBe(3);
  expect(p.stderr).toMatch(/\[several-captures\]/);
  // its JSON entry says so too (only the exit code and stderr did: a script could not tell which file it was)
  const parsed = JSON.parse(p.stdout) as { snapshots: { file: string; sockets: unknown[]; error?: string }[] };
  expect(parsed.snapshots.map((x) => [path.basename(x.file), x.sockets.length, x.error])).toEqual([
    ['two.ss', 2, expect.stringMatching(/^holds a second socklint capture/)], ['one.ss', 1, undefined],
  ]);
  // csplit as the hint says gives files that scan
  const parts = path.join(dir, 'parts');
  fs.mkdirSync(parts);
  const cs = spawnSync('csplit', ['-z', '-f', path.join(parts, 'part-'), out('two.ss'), '/^# socklint-snapshot:/', '{*}'], { encoding: 'utf8' });
  if (cs.status === 0) {
    const split = jsonReport(await runCli(['scan', parts, '--format', 'json']));
    expect(split.snapshots.map((s) => s.host).sort()).toEqual(['db-01', 'web-01']);
  }
});

it('a file of two ss runs one after another (ss -tan >> log) is refused, not scanned with each socket twice; other tables are not', async () => {
  const header = 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port';
  const run = (queue: number) => [header, 'LISTEN 0      128          0.0.0.0:22         0.0.0.0:*', `ESTAB  ${queue}      0         10.0.0.5:22      10.0.0.9:50122`, ''].join('\n');
  fs.writeFileSync(out('runs.ss'), run(0) + run(4));
  const r = await runCli(['scan', out('runs.ss'), '--format', 'json']);
  expect(r.code).toBe(3);
  expect(jsonReport(r).snapshotErrors).toEqual([expect.objectContaining({ code: 'several-runs', line: 5 })]);
  expect(r.stderr).toBe(`socklint: ${out('runs.ss')}:5: lists again, under a new table header, the socket of line 2: the file holds several ss runs one after another, ` +
    "whose sockets would count once per run (give each run its own file (socklint capture -o DIR writes DIR/HOST-TIME.ss) and scan the folder; to split this one at its headers: " +
    "csplit -z -f part- FILE '/^\\(Netid\\|State\\|Recv-Q\\)/' '{*}') [several-runs]\n");
  expect((await runCli(['parse', out('runs.ss')])).code).toBe(3);
  // csplit as the hint says gives files that scan, one run each
  const parts = path.join(dir, 'run-parts');
  fs.mkdirSync(parts);
  const cs = spawnSync('csplit', ['-z', '-f', path.join(parts, 'part-'), out('runs.ss'), '/^\\(Netid\\|State\\|Recv-Q\\)/', '{*}'], { encoding: 'utf8' });
  if (cs.status === 0) {
    const split = jsonReport(await runCli(['scan', parts, '--format', 'json', '--fail-on', 'none']));
    expect(split.snapshots.map((s) => s.sockets)).toEqual([2, 2]);
  }
  // `(ss -tan; ss -uan)`: two tables, no socket in both
  fs.writeFileSync(out('tables.ss'), `${run(0)}${header}\nUNCONN 0      0            0.0.0.0:161        0.0.0.0:*\n`);
  const t = await runCli(['scan', out('tables.ss'), '--format', 'json', '--fail-on', 'none']);
  expect(t.code).toBe(0);
  expect(jsonReport(t).snapshots[0].sockets).toBe(3);
  // `(ip netns exec a ss -tanp; ip netns exec b ss -tanp)`: the same tables, sockets in the same states on other
  // addresses and ports — rows read thin, whose endpoints no rule reads (they were all alike to the check)
  const ns = (net: number) => ['Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
    ...[0, 1, 2].map((i) => `tcp   ESTAB  0      0        10.${net}.0.5:${443 + net}  10.${net}.0.9:${50122 + i} users:(("nginx",pid=${net + 10},fd=${i + 3}))`),
    `tcp   TIME-WAIT 0   0        10.${net}.0.5:${8080 + net} 10.${net}.0.7:${40000 + net}`, ''].join('\n');
  fs.writeFileSync(out('netns.ss'), ns(1) + ns(2));
  const n = await runCli(['scan', out('netns.ss'), '--format', 'json', '--fail-on', 'none']);
  expect(n.stderr).toBe('');
  expect(jsonReport(n).snapshots[0].sockets).toBe(8);
  // and the same namespace twice is two runs
  fs.writeFileSync(out('netns-twice.ss'), ns(1) + ns(1));
  expect(jsonReport(await runCli(['scan', out('netns-twice.ss'), '--format', 'json'])).snapshotErrors).toEqual([expect.objectContaining({ code: 'several-runs', line: 7 })]);
});

it('a live scan whose ss fails still writes every report, naming the failure (a cron job\'s textfile once kept the last run\'s)', async () => {
  // an ss that answers -V (found first on PATH) and fails the capture
  const bin = out('fake-ss');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'ss'), '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "ss utility, iproute2-6.1.0"; exit 0; fi\necho "RTNETLINK answers: weird failure" >&2\nexit 1\n', { mode: 0o755 });
  const r = await runCli(['scan', '-f', `json=${out('live.json')}`, '-f', `sarif=${out('live.sarif')}`, '-f', `junit=${out('live.xml')}`, '-f', `prometheus=${out('live.prom')}`],
    { env: { PATH: `${bin}:${process.env.PATH}` } });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 3, stderr: 'socklint: live: ss -tuaxnpmioeO failed (1): RTNETLINK answers: weird failure [live-capture-failed]\n' });
  const rep = JSON.parse(fs.readFileSync(out('live.json'), 'utf8')) as ScanReport;
  expect(rep.snapshotErrors).toEqual([{ file: 'live', code: 'live-capture-failed', message: 'ss -tuaxnpmioeO failed (1): RTNETLINK answers: weird failure' }]);
  expect({ snapshots: rep.snapshots, findings: rep.findings, summary: rep.summary.snapshotErrors }).toEqual({ snapshots: [], findings: [], summary: 1 });
  const valid = reportValidator();
  expect([valid(rep), valid.errors]).toEqual([true, null]);
  expect(fs.readFileSync(out('live.prom'), 'utf8')).toMatch(/\nsocklint_snapshots_failed 1\n/);
  const log = JSON.parse(fs.readFileSync(out('live.sarif'), 'utf8'));
  expect(sarifValidator()(log).valid).toBe(true);
  // (a run of its own category, not the host's: an empty run there would close every alert of the host)
  expect(log.runs.map((run: { automationDetails: { id: string }; results: unknown[] }) => [run.automationDetails.id, run.results.length])).toEqual([['socklint//', 0]]);
  expect(fs.readFileSync(out('live.xml'), 'utf8')).toMatch(/<testsuite name="socklint \(live\)"[^>]* errors="1"/);
});

it('netstat output is refused, not read as ss rows without their state (every rule not evaluated, exit 0)', async () => {
  const netstat = [
    'Active Internet connections (servers and established)',
    'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
    'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      812/sshd',
    'tcp        0      0 10.0.0.5:22             10.0.0.9:51234          ESTABLISHED 900/sshd: root',
    'tcp6       0      0 :::23                   :::*                    LISTEN      1/inetd',
    '',
  ].join('\n');
  fs.writeFileSync(out('netstat.ss'), netstat);
  const r = await runCli(['scan', out('netstat.ss'), '--format', 'json']);
  expect(r.code).toBe(3);
  expect(jsonReport(r).snapshotErrors).toEqual([expect.objectContaining({ code: 'netstat-output', line: 2 })]);
  expect(r.stderr).toBe(`socklint: ${out('netstat.ss')}:2: holds netstat output (its table header), not ss output: its rows would be read without their state, which netstat prints after the addresses (capture with ss instead: ss -tuanp > FILE, or socklint capture -o FILE) [netstat-output]\n`);
  const parsed = await runCli(['parse', out('netstat.ss')]);
  expect([parsed.code, JSON.parse(parsed.stdout).snapshots[0].error]).toEqual([3, expect.stringMatching(/^holds netstat output/)]);
  // netstat -xa's unix table too
  fs.writeFileSync(out('netstat-x.ss'), 'Active UNIX domain sockets (servers and established)\nProto RefCnt Flags       Type       State         I-Node   Path\nunix  2      [ ACC ]     STREAM     LISTENING     20563    /run/dbus/system_bus_socket\n');
  expect(jsonReport(await runCli(['scan', out('netstat-x.ss'), '--format', 'json'])).snapshotErrors).toEqual([expect.objectContaining({ code: 'netstat-output', line: 2 })]);
});

it('finds the second capture in a large file split across two threads, at its line', async () => {
  const big = out('big-two.ss');
  spawnSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '40000', '--layout', 'tanp', '--out', out('gen.ss')]);
  const head = '# socklint-snapshot: 1\n# host: a\n# flags: -tanp\n';
  const body = fs.readFileSync(out('gen.ss'), 'utf8');
  // a short second capture at the end: in the range the worker parses
  const lines = (head + body).split('\n').length - 1;
  fs.writeFileSync(big, `${head}${body}${head.replace('host: a', 'host: b')}${body.split('\n').slice(0, 1000).join('\n')}\n`);
  for (const j of ['1', '2']) {
    const r = await runCli(['scan', big, '--format', 'json', '-j', j], { env: { SOCKLINT_PARALLEL_MIN_BYTES: String(1024 * 1024) } });
    expect(r.code).toBe(3);
    expect(jsonReport(r).snapshotErrors).toEqual([expect.objectContaining({ code: 'several-captures', line: lines + 1 })]);
  }
});
