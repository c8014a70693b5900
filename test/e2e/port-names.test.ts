/**
 * Captures taken without -n print ports as service names: a RHEL name (IANA's registry) is mapped, and one
 * socklint cannot map makes the rules on that port "not evaluated" in every report, on one thread or two.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const HEADER = 'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process';
const write = (name: string, rows: string[]): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, ['# flags: -tlnp', HEADER, ...rows, ''].join('\n'));
  return f;
};

it('finds an Oracle listener that a RHEL capture without -n shows as ncube-lm', async () => {
  const f = write('oracle.ss', ['LISTEN 0      128    0.0.0.0:ncube-lm   0.0.0.0:*     users:(("tnslsnr",pid=2201,fd=9))']);
  const r = await runCli(['scan', f, '--format', 'json']);
  expect(r.code).toBe(1);
  const rep = jsonReport(r);
  expect(rep.findings.map((x) => [x.ruleId, x.socket?.local.port])).toContainEqual(['dangerous-port-exposed', 1521]);
  expect(rep.snapshots[0].unknownPorts).toBeUndefined();
});

it('reports the port rules as not evaluated, and counts the ports, when a name cannot be mapped', async () => {
  const f = write('custom.ss', [
    'LISTEN 0      128    0.0.0.0:myappx     0.0.0.0:*     users:(("myapp",pid=10,fd=3))',
    'LISTEN 0      128    127.0.0.1:ssh      0.0.0.0:*     users:(("sshd",pid=11,fd=3))',
  ]);
  const text = await runCli(['scan', f]);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/dangerous-port-exposed, unexpected-listener {2}.*custom\.ss: needs port numbers, which 1 port lacks: ss printed names socklint cannot map to ports \(myappx\)/);
  expect(text.stdout).toMatch(/1 snapshot, 2 sockets \(1 port without a number\), 0 unparsed lines/);
  const rep = jsonReport(await runCli(['scan', f, '--format', 'json']));
  expect(rep.snapshots[0]).toMatchObject({ unknownPorts: 1, unknownPortNames: ['myappx'] });
  expect(rep.notEvaluated.map((n) => n.ruleId)).toEqual(expect.arrayContaining(['dangerous-port-exposed', 'unexpected-listener']));
  // a gate that must check everything fails on it
  expect((await runCli(['scan', f, '--fail-on-not-evaluated'])).code).toBe(1);
});

it('counts the same ports when a large snapshot is split across two threads', async () => {
  const f = path.join(dir, 'big.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '20000', '--layout', 'tanp', '--out', f], { stdio: 'ignore' });
  // a named listener in each half of the file
  const lines = fs.readFileSync(f, 'utf8').split('\n');
  const row = (name: string) => `LISTEN     0      128              0.0.0.0:${name}                 0.0.0.0:*     users:(("x",pid=1,fd=3))`;
  lines.splice(100, 0, row('myappx'));
  lines.splice(lines.length - 100, 0, row('otherapp'), row('myappx'));
  fs.writeFileSync(f, lines.join('\n'));
  const one = jsonReport(await runCli(['scan', f, '--format', 'json', '-j', '1']));
  const two = jsonReport(await runCli(['scan', f, '--format', 'json', '-j', '2'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: String(1024 * 1024) } }));
  expect(one.snapshots[0]).toMatchObject({ unknownPorts: 3, unknownPortNames: ['myappx', 'otherapp'] });
  expect(two.snapshots[0]).toEqual(one.snapshots[0]);
  expect(two.notEvaluated).toEqual(one.notEvaluated);
});

it('a rule whose findings are all baselined or waived has failed nothing: a listener on a port it could not map leaves it not evaluated (a new 0.0.0.0:http-alt passed the gate)', async () => {
  const known = 'LISTEN 0      128    0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=10,fd=3))';
  const golden = write('golden.ss', [known]);
  const candidate = write('candidate.ss', [known, 'LISTEN 0      128    0.0.0.0:http-alt   0.0.0.0:*     users:(("rogue",pid=66,fd=3))']);
  const base = path.join(dir, 'base.json');
  expect((await runCli(['baseline', golden, '--host', 'web', '-o', base])).code).toBe(0);
  const r = await runCli(['scan', candidate, '--host', 'web', '--baseline', base, '--fail-on', 'note', '--fail-on-not-evaluated', '--format', 'json']);
  expect(r.code).toBe(1);
  const rep = jsonReport(r);
  expect(rep.summary.findings).toBe(0);
  const reasons = Object.fromEntries(rep.notEvaluated.map((n) => [n.ruleId, n.reason]));
  for (const id of ['dangerous-port-exposed', 'unexpected-listener']) {
    expect([id, reasons[id]]).toEqual([id, expect.stringMatching(/^needs port numbers, which 1 port lacks: .*\(http-alt\) — capture with ss -n; http-alt is 591, 8008, 8080 in one \/etc\/services or another$/)]);
    expect(rep.snapshots[0].rulesEvaluated).not.toContain(id);
  }
  // with a finding that fails, the rule has failed whatever the unmapped port is: evaluated
  const open = jsonReport(await runCli(['scan', candidate, '--host', 'web', '--format', 'json']));
  expect(open.snapshots[0].rulesEvaluated).toEqual(expect.arrayContaining(['dangerous-port-exposed']));
});

it('a name socklint cannot map on a loopback listener does not concern the rules that leave loopback out (127.0.0.1:http-alt left both exposure rules unevaluated)', async () => {
  const f = write('loopback.ss', [
    'LISTEN 0      128    127.0.0.1:http-alt 0.0.0.0:*     users:(("admin",pid=10,fd=3))',
    'LISTEN 0      128    0.0.0.0:22         0.0.0.0:*     users:(("sshd",pid=11,fd=3))',
  ]);
  const rep = jsonReport(await runCli(['scan', f, '--format', 'json']));
  expect(rep.snapshots[0]).toMatchObject({ unknownPorts: 1, unknownPortNames: ['http-alt'] });
  expect(rep.snapshots[0].rulesEvaluated).toEqual(expect.arrayContaining(['dangerous-port-exposed', 'unexpected-listener']));
  // a rule about loopback listeners is concerned by it
  const rules = path.join(dir, 'loopback-rules.yaml');
  fs.writeFileSync(rules, ['rules:', '  - id: local-admin-port', '    title: t', '    kind: health', '    severity: error', '    description: d', '    help: h',
    '    match: {state: LISTEN, local.scope: loopback, local.port: 8080}', '    message: "{local}"', ''].join('\n'));
  const own = jsonReport(await runCli(['scan', f, '--no-default-rules', '--rules', rules, '--format', 'json']));
  expect(own.notEvaluated.map((n) => [n.ruleId, n.reason.replace(/: ss printed.*/, '')])).toEqual([['local-admin-port', 'needs port numbers, which 1 port lacks']]);
});
