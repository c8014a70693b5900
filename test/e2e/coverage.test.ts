/**
 * A capture that cannot list the sockets a rule is about (`ss -tulpn`: listeners only; `ss -t`: no unix
 * sockets) does not make that rule pass: it is not evaluated in every report, and --fail-on-not-evaluated fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

const LISTENING = fs.readFileSync(path.join(ROOT, 'fixtures/real/small.tulpn.ss'), 'utf8');

it('ss -tulpn (a # flags: line): CLOSE-WAIT, TIME-WAIT, ESTAB and unix rules are not evaluated, not passing', async () => {
  const dir = tmpDir();
  const snap = path.join(dir, 'web-01.ss');
  fs.writeFileSync(snap, `# flags: -tulpn\n${LISTENING}`);
  const r = await runCli(['scan', snap, '--format', 'json', '--format', `junit=${path.join(dir, 'r.xml')}`, '--fail-on', 'none']);
  const report = jsonReport(r);
  const ne = new Map(report.notEvaluated.map((n) => [n.ruleId, n.reason]));
  for (const id of ['close-wait-excess', 'time-wait-excess', 'syn-sent-excess', 'recv-queue-backlog', 'send-queue-backlog']) {
    expect(ne.get(id)).toMatch(/which a capture taken with -tulpn does not list: capture with ss -a/);
  }
  expect(ne.get('unix-socket-in-world-writable-dir')).toMatch(/needs u_str, u_seq or u_dgr sockets .* capture with ss -x/);
  // listener rules are evaluated (and fire on this capture)
  expect(report.snapshots[0].rulesEvaluated).toEqual(expect.arrayContaining(['dangerous-port-exposed', 'unexpected-listener', 'listen-queue-overflow']));
  const junit = fs.readFileSync(path.join(dir, 'r.xml'), 'utf8');
  const closeWait = junit.match(/<testcase[^>]*name="close-wait-excess[^"]*"[^>]*>[\s\S]*?<\/testcase>|<testcase[^>]*name="close-wait-excess[^"]*"[^>]*\/>/);
  expect(closeWait?.[0]).toMatch(/<skipped/);
  expect((await runCli(['scan', snap, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(1);
});

it('--ss-flags tells the same of a capture on standard input; without flags the rows cannot tell, and rules pass', async () => {
  const given = jsonReport(await runCli(['scan', '-', '--ss-flags=-tulpn', '--format', 'json', '--fail-on', 'none'], { input: LISTENING }));
  expect(given.notEvaluated.map((n) => n.ruleId)).toContain('close-wait-excess');
  const bare = jsonReport(await runCli(['scan', '-', '--format', 'json', '--fail-on', 'none'], { input: LISTENING }));
  expect(bare.notEvaluated.map((n) => n.ruleId)).not.toContain('close-wait-excess');
  expect(bare.snapshots[0].rulesEvaluated).toContain('close-wait-excess');
});
