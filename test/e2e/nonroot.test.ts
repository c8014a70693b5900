/**
 * A capture taken without root shows processes only for the capturing user's own sockets: rules that need
 * processes are reported as not evaluated (with the reason), never as passing on incomplete data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

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
