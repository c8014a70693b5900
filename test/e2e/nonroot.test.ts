/**
 * A capture taken without root shows processes only for the capturing user's own sockets: rules that need
 * processes are reported as not evaluated (with the reason), never as passing on incomplete data. And a
 * scan of another namespace, which only root can enter, says so.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI, ROOT, jsonReport, runCli, tmpDir } from './cli';
import { netnsUnavailableReason } from '../helpers/netns';
import { announceSkip } from '../report/helpers';

it('treats process information as absent in a non-root capture', async () => {
  const dir = tmpDir();
  const snap = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');
  const rule = path.join(dir, 'sshd-only.yaml');
  fs.writeFileSync(rule, [
    'rules:',
    '  - id: unknown-listener-process',
    '    title: Listener run by an unexpected program',
    '    kind: security',
    '    severity: warning',
    '    securitySeverity: 4',
    '    description: Only known daemons may listen.',
    '    help: Stop the program or add it to the list.',
    '    match: {state: LISTEN, process.name: {not: {in: [sshd]}}}',
    '    message: "{process} listens on {local}"',
  ].join('\n'));
  const asRoot = path.join(dir, 'root.ss');
  const asUser = path.join(dir, 'user.ss');
  const body = fs.readFileSync(snap, 'utf8');
  fs.writeFileSync(asRoot, `# socklint-snapshot: 1\n# host: h\n# flags: -tanpmioe\n${body}`);
  fs.writeFileSync(asUser, `# socklint-snapshot: 1\n# host: h\n# flags: -tanpmioe\n# uid: 1000\n${body}`);

  const root = jsonReport(await runCli(['scan', asRoot, '--rules', rule, '--format', 'json']));
  expect(root.findings.filter((f) => f.ruleId === 'unknown-listener-process').length).toBeGreaterThan(0);
  expect(root.notEvaluated.map((n) => n.ruleId)).not.toContain('unknown-listener-process');

  const user = jsonReport(await runCli(['scan', asUser, '--rules', rule, '--format', 'json']));
  expect(user.findings.filter((f) => f.ruleId === 'unknown-listener-process')).toEqual([]);
  const ne = user.notEvaluated.find((n) => n.ruleId === 'unknown-listener-process');
  expect(ne?.reason).toMatch(/process information \(ss -p, as root\)/);
  fs.rmSync(dir, { recursive: true, force: true });
});

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const setpriv = (() => { try { return execFileSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).trim() || undefined; } catch { return undefined; } })();
/** Whether user 65534 can run the built CLI from here (a checkout under a private home folder it cannot). */
const nobodyReads = (): boolean => spawnSync(setpriv!, [...NOBODY, process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(CLI)}, 4)`], { cwd: os.tmpdir() }).status === 0;
const why = netnsUnavailableReason() ?? (!setpriv ? 'setpriv (util-linux) not found' : !nobodyReads() ? `user 65534 cannot read ${CLI}` : undefined);
if (why) announceSkip('a non-root scan of another namespace', why);
(why ? it.skip : it)('a scan of another namespace without root says root is needed (exit 3)', () => {
  const name = `sl-perm-${process.pid}`;
  execFileSync('ip', ['netns', 'add', name]);
  try {
    const r = spawnSync(setpriv!, [...NOBODY, process.execPath, CLI, 'scan', '--netns', name], { encoding: 'utf8', cwd: os.tmpdir() });
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/Operation not permitted \(entering another network namespace needs root\) \[live-capture-failed\]$/)]);
    // a process's namespace it may not read: the same exit, and the same words (it was exit 2, `netns-not-found`)
    const pid = spawnSync(setpriv!, [...NOBODY, process.execPath, CLI, 'scan', '--netns', 'pid:1'], { encoding: 'utf8', cwd: os.tmpdir() });
    expect({ status: pid.status, stderr: pid.stderr }).toEqual({ status: 3, stderr: 'socklint: --netns: pid:1: may not be entered (EACCES) (entering another network namespace needs root) [netns-denied]\n' });
  } finally {
    execFileSync('ip', ['netns', 'del', name]);
  }
});
