/**
 * Two `ss -tnp` captures of one host (no Netid column): on Monday only ESTAB rows (the table is undecided, netid
 * `unknown`), on Wednesday a CLOSE-WAIT row too (it decides tcp). The same connection must keep its fingerprint,
 * so a baseline of one suppresses it in the other — and a baseline written when an undecided socket was named
 * `unknown` still does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonReport, runCli, tmpDir } from './cli';
import { fingerprint } from '../../src/engine/fingerprint';

const HEADER = 'State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process';
const MONDAY = [
  'ESTAB      5000   0          10.0.0.5:5432   10.0.0.9:50000 users:(("postgres",pid=5,fd=3))',
  'ESTAB      0      0          10.0.0.5:22     10.0.0.7:50100 users:(("sshd",pid=6,fd=3))',
];
const WEDNESDAY = [
  'ESTAB      6000   0          10.0.0.5:5432   10.0.0.9:50333 users:(("postgres",pid=25,fd=3))',
  'CLOSE-WAIT 1      0          10.0.0.5:5432   10.0.0.8:50444 users:(("postgres",pid=26,fd=3))',
];
const RULE = `rules:
  - id: unread-data
    title: Connection with unread data
    kind: health
    severity: warning
    description: d
    help: h
    match: {recvQ: {gt: 1000}, state: ESTAB}
    message: "{local} -> {peer} unread {recvQ}"
`;

let dir: string;
const file = (name: string) => path.join(dir, name);
const rules = () => ['--no-default-rules', '--rules', file('rule.yaml'), '--host', 'db-1'];
beforeAll(() => {
  dir = tmpDir();
  fs.writeFileSync(file('rule.yaml'), RULE);
  fs.writeFileSync(file('monday.ss'), `${HEADER}\n${MONDAY.join('\n')}\n`);
  fs.writeFileSync(file('wednesday.ss'), `${HEADER}\n${WEDNESDAY.join('\n')}\n`);
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it("Monday's baseline suppresses the same connection on Wednesday, whose table was decided", async () => {
  expect((await runCli(['baseline', ...rules(), file('monday.ss'), '-o', file('base.json')])).code).toBe(0);
  const r = await runCli(['scan', ...rules(), '--baseline', file('base.json'), file('wednesday.ss'), '--format', 'json']);
  const report = jsonReport(r);
  expect(report.findings.map((f) => [f.socket?.netid, f.suppressed?.kind])).toEqual([['tcp', 'baseline']]);
  expect(r.code).toBe(0);
});

it('a baseline that recorded the undecided socket as `unknown` still suppresses it', async () => {
  const former = fingerprint(['socket/v1', 'unread-data', 'db-1', 'unknown|local|10.0.0.5|5432|peer|10.0.0.9']);
  fs.writeFileSync(file('old.json'), JSON.stringify({
    socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00Z', hosts: ['db-1'],
    findings: [{ fingerprint: former, ruleId: 'unread-data', host: 'db-1', message: '10.0.0.5:5432 -> 10.0.0.9:50000 unread 5000' }],
  }));
  const r = await runCli(['scan', ...rules(), '--baseline', file('old.json'), file('monday.ss'), '--format', 'json']);
  const report = jsonReport(r);
  expect(report.findings.map((f) => [f.socket?.netid, f.fingerprint === former, f.suppressed?.kind])).toEqual([['unknown', false, 'baseline']]);
  expect(r.code).toBe(0);
});
