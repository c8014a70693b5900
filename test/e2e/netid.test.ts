/**
 * A capture without a Netid column whose rows never show their table (`ss -tnp` on a quiet host: ESTAB rows
 * only): rules on the netid are reported as not evaluated, with what to do, and `--ss-flags` (or a
 * `# flags:` line) gives the table — on one thread, split across two, and in `parse`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

const HEADER = 'State   Recv-Q  Send-Q   Local Address:Port   Peer Address:Port  Process';
const ROWS = [
  'ESTAB   0       400000   10.0.0.1:22          10.0.0.9:5555      users:(("sshd",pid=101,fd=3))',
  'ESTAB   5000000 0        10.0.0.1:443         10.0.0.9:5556      users:(("nginx",pid=202,fd=7))',
];
let dir: string;
let quiet: string;
beforeAll(() => {
  dir = tmpDir();
  quiet = path.join(dir, 'quiet.ss');
  fs.writeFileSync(quiet, `${HEADER}\n${ROWS.join('\n')}\n`);
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it('reports the rules on tcp as not evaluated, saying why and what to pass, instead of passing them', async () => {
  const r = await runCli(['scan', quiet, '--format', 'json']);
  expect(r.code).toBe(0);
  const report = jsonReport(r);
  expect(report.findings).toEqual([]);
  const ne = new Map(report.notEvaluated.map((n) => [n.ruleId, n.reason]));
  expect(ne.get('recv-queue-backlog')).toMatch(/^needs each socket's table \(netid\), which 2 sockets lack — rows without a Netid column .*--ss-flags=-tnp/);
  expect(ne.has('send-queue-backlog')).toBe(true);
  expect(ne.has('unix-socket-in-world-writable-dir')).toBe(false); // undecided inet rows cannot be unix sockets
  expect(report.snapshots[0].unknownNetid).toBe(2);
  // the text report says it too
  const text = await runCli(['scan', quiet]);
  expect(text.stdout).toMatch(/; 1 snapshot, 2 sockets \(2 of unknown table\), 0 unparsed lines\n$/);
  expect(text.stdout).toMatch(/\n  close-wait-excess, dangerous-port-exposed, listen-queue-overflow, recv-queue-backlog, .* needs each socket.s table .*--ss-flags=-tnp/);
});

it('--ss-flags gives the table of the snapshots that do not record it, and the rules run', async () => {
  const r = await runCli(['scan', quiet, '--ss-flags=-tnp', '--format', 'json', '--fail-on', 'warning']);
  expect(r.code).toBe(1);
  const report = jsonReport(r);
  expect(report.findings.map((f) => `${f.ruleId}:${f.location.line}`).sort()).toEqual(['recv-queue-backlog:3', 'send-queue-backlog:2']);
  expect(report.notEvaluated.map((n) => n.reason).join('\n')).not.toMatch(/netid/);
  expect(report.snapshots[0].unknownNetid).toBeUndefined();
  // a snapshot's own "# flags:" line wins over the option: these rows are connected udp sockets
  const udp = path.join(dir, 'udp.ss');
  fs.writeFileSync(udp, `# flags: -unp\n${HEADER}\n${ROWS.join('\n')}\n`);
  const own = jsonReport(await runCli(['scan', udp, '--ss-flags=-tnp', '--format', 'json']));
  expect(own.findings).toEqual([]);
  expect(own.notEvaluated.map((n) => n.reason).join('\n')).not.toMatch(/netid/);
  // a state filter in the flags gives the state of a capture without a State column (`ss -tn state established`)
  const stateless = path.join(dir, 'stateless.ss');
  fs.writeFileSync(stateless, 'Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n5000000 0 10.0.0.1:443 10.0.0.9:5556 users:(("nginx",pid=2,fd=3))\n');
  expect(jsonReport(await runCli(['scan', stateless, '--format', 'json'])).findings).toEqual([]);
  const filtered = jsonReport(await runCli(['scan', stateless, '--ss-flags=-tn state established', '--format', 'json']));
  expect(filtered.findings.map((f) => `${f.ruleId} ${f.socket?.netid} ${f.socket?.state}`)).toEqual(['recv-queue-backlog tcp ESTAB']);
  // parse takes it as well
  const parsed = await runCli(['parse', quiet, '--ss-flags', 'tnp', '--format', 'ndjson']);
  expect(parsed.code).toBe(0);
  expect(parsed.stdout.trim().split('\n').map((l) => JSON.parse(l).netid)).toEqual(['tcp', 'tcp']);
});

it('baseline: records the findings --ss-flags makes visible, and says when rules could not run', async () => {
  const without = await runCli(['baseline', quiet, '-o', path.join(dir, 'b0.json')]);
  expect(without.code).toBe(0);
  expect(without.stderr).toMatch(/^socklint: recorded 0 finding\(s\) from 1 snapshot\(s\) in .*\nsocklint: 13 rule\(s\) could not be evaluated on 1 snapshot\(s\), so the baseline holds none of their findings; `socklint scan` says why\n$/);
  const base = path.join(dir, 'b1.json');
  const withFlags = await runCli(['baseline', quiet, '-o', base, '--ss-flags=-tnp']);
  expect(withFlags.stderr).toMatch(/recorded 2 finding\(s\)/);
  const again = await runCli(['scan', quiet, '--ss-flags=-tnp', '--baseline', base, '--fail-on', 'warning']);
  expect(again.code).toBe(0);
});

it('explains a value yargs would take for options of its own, and a value that is not ss options (exit 2, one line)', async () => {
  const dashed = await runCli(['scan', quiet, '--ss-flags', '-tnp']);
  expect(dashed.code).toBe(2);
  expect(dashed.stderr).toMatch(/^socklint: --ss-flags took no value: '-tnp' starts with a dash, so it was read as options \(give --ss-flags its value after "=" when it starts with a dash: --ss-flags=-tnp\)/);
  expect(dashed.stderr).not.toMatch(/\n\s+at /);
  const bad = await runCli(['scan', quiet, '--ss-flags=tcp please']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^socklint: --ss-flags: "tcp please" is not a set of ss options/);
  const live = await runCli(['scan', '--ss-flags=-tnp']);
  expect(live.code).toBe(2);
  expect(live.stderr).toMatch(/--ss-flags applies to snapshot files only/);
});

it('gives the same report split across two threads as on one', async () => {
  const all = path.join(dir, 'all.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '60000', '--layout', 'tanp', '--out', all], { stdio: 'ignore' });
  const estab = path.join(dir, 'estab.ss');
  fs.writeFileSync(estab, fs.readFileSync(all, 'latin1').split('\n').filter((l, i) => i === 0 || l.startsWith('ESTAB')).join('\n'), 'latin1');
  const strip = (r: ReturnType<typeof jsonReport>) => ({ ...r, startedAt: undefined, durationMs: undefined });
  const env = { SOCKLINT_PARALLEL_MIN_BYTES: String(2 * 1024 * 1024) };
  const one = jsonReport(await runCli(['scan', estab, '--ss-flags=-tanp', '--format', 'json', '-j', '1']));
  const two = jsonReport(await runCli(['scan', estab, '--ss-flags=-tanp', '--format', 'json', '-j', '2'], { env }));
  expect(one.findings.length).toBeGreaterThan(0);
  expect(one.findings.every((f) => f.socket === undefined || f.socket.netid === 'tcp')).toBe(true);
  expect(strip(two)).toEqual(strip(one));
  // without the flags nothing is decided, on one thread or two
  const undecidedOne = jsonReport(await runCli(['scan', estab, '--format', 'json', '-j', '1']));
  const undecidedTwo = jsonReport(await runCli(['scan', estab, '--format', 'json', '-j', '2'], { env }));
  expect(undecidedOne.notEvaluated.find((n) => n.ruleId === 'recv-queue-backlog')?.reason).toMatch(/which \d+ sockets/);
  expect(strip(undecidedTwo)).toEqual(strip(undecidedOne));
  // a decided table, then a second capture appended whose rows never show their table: counted in the range
  // that reads them (the second thread's), and the same report as one thread's
  const appended = path.join(dir, 'appended.ss');
  fs.copyFileSync(all, appended);
  fs.appendFileSync(appended, `${HEADER}\n${ROWS.join('\n')}\n`);
  const rule = path.join(dir, 'udp-echo.yaml');
  fs.writeFileSync(rule, [
    'rules:', '  - id: udp-echo', '    title: Connected UDP echo', '    description: d', '    kind: health', '    severity: note', '    help: h',
    '    message: m', '    match: {netid: udp, local.port: 7}', '',
  ].join('\n'));
  const a1 = jsonReport(await runCli(['scan', appended, '--rules', rule, '--format', 'json', '-j', '1']));
  const a2 = jsonReport(await runCli(['scan', appended, '--rules', rule, '--format', 'json', '-j', '2'], { env }));
  expect(a1.notEvaluated.find((n) => n.ruleId === 'udp-echo')?.reason).toMatch(/which 2 sockets lack/);
  // evaluated: it failed on the rows whose table is known, which the two others cannot undo
  expect(a1.snapshots[0].rulesEvaluated).toContain('recv-queue-backlog');
  expect(strip(a2)).toEqual(strip(a1));
});
