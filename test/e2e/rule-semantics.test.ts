/**
 * Rule-language semantics end to end: what a rule says of a capture that lacks what it reads, through the CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonReport, runCli, tmpDir } from './cli';

const RULE_HEAD = ['    title: t', '    kind: security', '    severity: error', '    securitySeverity: 7.0', '    description: d', '    help: h'];

/** A rule file of `{id: match}` (each match a YAML flow mapping) with `message: "{netid} {local} ({process})"`. */
function rules(matches: Record<string, string>, vars?: string): string {
  return ['rules:', ...Object.entries(matches).flatMap(([id, match]) => [
    `  - id: ${id}`, ...RULE_HEAD, ...(vars ? [`    vars: ${vars}`] : []), `    match: ${match}`, '    message: "{netid} {local} ({process})"',
  ]), ''].join('\n');
}

async function scan(rulesText: string, capture: string): Promise<{ code: number; findings: string[]; notEvaluated: string[]; evaluated: string[] }> {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'rules.yaml'), rulesText);
  fs.writeFileSync(path.join(dir, 'web-01.ss'), capture);
  const r = await runCli(['scan', '--no-default-rules', '--rules', path.join(dir, 'rules.yaml'), path.join(dir, 'web-01.ss'), '--format', 'json']);
  const report = jsonReport(r);
  return {
    code: r.code,
    findings: report.findings.map((f) => `${f.ruleId} ${f.message}`),
    notEvaluated: report.notEvaluated.map((n) => `${n.ruleId}: ${n.reason}`),
    evaluated: report.snapshots[0].rulesEvaluated,
  };
}

describe('a not: in an any: branch on a capture without its fields', () => {
  const rule = rules({ 'ssh-port-hijack': '{netid: tcp, state: LISTEN, any: [{all: [{local.port: 22}, {not: {process.name: sshd}}]}, {local.port: 23}]}' });
  const rows = ['tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*', 'tcp   LISTEN 0      128        127.0.0.1:631       0.0.0.0:*'];

  it('without -p: not evaluated (it would fire on sshd\'s port 22), exit 0', async () => {
    const r = await scan(rule, ['Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port', ...rows, ''].join('\n'));
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated).toEqual([expect.stringMatching(/^ssh-port-hijack: needs process information/)]);
    expect(r.code).toBe(0);
  });

  it('with -p: evaluated, sshd on 22 passes', async () => {
    const users = [' users:(("sshd",pid=812,fd=3))', ' users:(("cupsd",pid=900,fd=7))'];
    const r = await scan(rule, ['Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process', ...rows.map((l, i) => l + users[i]), ''].join('\n'));
    expect(r.findings).toEqual([]);
    expect(r.evaluated).toEqual(['ssh-port-hijack']);
  });
});

describe('netid and state matchers other than names, on a capture whose flags cannot list what they admit', () => {
  it('netid: {not: tcp} and not: {netid: tcp} on -tanp, state: {matches: …} on -tnp: not evaluated, as netid: {in: [udp, raw]} is', async () => {
    const r = await scan(rules({
      'non-tcp-public': '{netid: {not: tcp}, local.scope: public}',
      'non-tcp-public-2': '{not: {netid: tcp}, local.scope: public}',
      'udp-public': '{netid: {in: [udp, raw]}, local.scope: public}',
    }), ['# flags: -tanp', 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'LISTEN 0      128     203.0.113.7:443       0.0.0.0:*     users:(("nginx",pid=7,fd=3))', ''].join('\n'));
    expect(r.evaluated).toEqual([]);
    expect(r.notEvaluated).toEqual([
      expect.stringMatching(/^non-tcp-public: needs sockets of any table but tcp, which a capture taken with -tanp does not list: capture with ss -A all \(the tables\)$/),
      expect.stringMatching(/^non-tcp-public-2: needs sockets of any table but tcp, which a capture taken with -tanp does not list/),
      expect.stringMatching(/^udp-public: needs udp or raw sockets/),
    ]);
    const listening = await scan(rules({ 'listen-matches': '{state: {matches: "^LISTEN$"}}' }), ['# flags: -tnp', 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'ESTAB 0      0          10.0.0.5:22     10.0.0.9:50000 users:(("sshd",pid=5,fd=3))', ''].join('\n'));
    expect(listening.notEvaluated).toEqual([expect.stringMatching(/^listen-matches: needs sockets in state LISTEN, which a capture taken with -tnp does not list/)]);
  });
});

it('a list variable as a matcher (local.port: $ports, state: $states) is `in` its items, as documented', async () => {
  const vars = '{ports: {type: port-list, default: [22, "8000-8999"]}, states: {type: string-list, default: [LISTEN, UNCONN]}}';
  const r = await scan(rules({ 'admin-ports': '{local.port: $ports, state: $states}' }, vars), ['Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port',
    'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*', 'tcp   LISTEN 0      128          0.0.0.0:8080      0.0.0.0:*',
    'tcp   LISTEN 0      128          0.0.0.0:443       0.0.0.0:*', ''].join('\n'));
  expect(r.findings).toEqual(['admin-ports tcp 0.0.0.0:22 (unknown process)', 'admin-ports tcp 0.0.0.0:8080 (unknown process)']);
  expect(r.code).toBe(1);
});

it('listen-queue-overflow fires as the kernel drops: more waiting than the backlog (it queues backlog + 1), a backlog of 0 included', async () => {
  const rule = fs.readFileSync(path.join(__dirname, '../../rules/listen-queue-overflow.yaml'), 'utf8');
  const r = await scan(rule, [
    'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port',
    'tcp   LISTEN 128    128          0.0.0.0:80        0.0.0.0:*', // one more still fits
    'tcp   LISTEN 129    128          0.0.0.0:443       0.0.0.0:*',
    'tcp   LISTEN 1      0            0.0.0.0:8080      0.0.0.0:*',
    'tcp   LISTEN 0      0            0.0.0.0:8081      0.0.0.0:*',
    '',
  ].join('\n'));
  expect(r.findings.map((f) => f.replace(/ \(.*$/, ''))).toEqual([
    'listen-queue-overflow accept queue of 0.0.0.0:443', 'listen-queue-overflow accept queue of 0.0.0.0:8080',
  ]);
});
