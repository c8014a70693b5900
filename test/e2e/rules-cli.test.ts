/** `socklint rules …` as a user runs it: the default pack's own fixture tests, listing, validation, docs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';

it('`rules test` runs every default rule\'s annotated fixtures and passes', async () => {
  const r = await runCli(['rules', 'test']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const last = r.stdout.trim().split('\n').pop()!;
  const m = /^(\d+) passed, (\d+) failed$/.exec(last);
  expect(m).not.toBeNull();
  expect(Number(m![2])).toBe(0);
  const ids = fs.readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml')).length;
  expect(Number(m![1])).toBeGreaterThanOrEqual(ids);
});

/**
 * A folder with rule `id` and its fixture `id.test.ss` (lines under a header). `rule`: its match, message and
 * any other field, indented under `- id:`; title, kind, severity, description and help are filled in.
 */
function ruleAndFixture(id: string, rule: string[], fixture: string[]): string {
  const dir = tmpDir();
  const fields = [`title: ${id}`, 'kind: security', 'severity: error', 'securitySeverity: 9', `description: ${id} test rule.`, 'help: Fix it.', ...rule];
  fs.writeFileSync(path.join(dir, `${id}.yaml`), ['rules:', `  - id: ${id}`, ...fields.map((l) => `    ${l}`)].join('\n'));
  fs.writeFileSync(path.join(dir, `${id}.test.ss`), ['Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess', ...fixture].join('\n') + '\n');
  return dir;
}

it('`rules test` fails (exit 1) on a rule whose fixture expectation is wrong', async () => {
  const dir = ruleAndFixture('no-telnet', [
    'match: {netid: tcp, state: LISTEN, local.port: 23}',
    'message: "telnet on {local}"',
  ], [
    '# ruleid: no-telnet',
    'tcp   LISTEN 0      128          0.0.0.0:23        0.0.0.0:*',
    '# ruleid: no-telnet',
    'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*',
  ]);
  const r = await runCli(['rules', 'test', dir]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/no-telnet\.test\.ss:5/);
  expect(r.stdout.trim().split('\n').pop()).toBe('0 passed, 1 failed');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('`rules test` exits 2, as `validate` does, when a rule or fixture file cannot be loaded; a bad override names its line', async () => {
  const dir = ruleAndFixture('queue', [
    'vars:',
    '  threshold: {type: number, default: 0}',
    'match: {netid: tcp, state: ESTAB, recvQ: {gt: $threshold}}',
    'message: "{recvQ} on {local}"',
  ], [
    '# vars: threshold={a: 1}',
    '# ruleid: queue',
    'tcp   ESTAB  5      0          10.0.0.1:1        10.0.0.2:2',
  ]);
  const bad = await runCli(['rules', 'test', dir]);
  expect(bad.code).toBe(2);
  expect(bad.stdout).toContain(`${path.join(dir, 'queue.test.ss')}:2:19: variable 'threshold' of rule 'queue' (number) must be a number, not a mapping`);
  const missing = await runCli(['rules', 'test', path.join(dir, 'no-such.yaml')]);
  expect(missing.code).toBe(2);
  // a fixture that cannot be read (a dangling link beside the rule named alone) is said in words
  fs.rmSync(path.join(dir, 'queue.test.ss'));
  fs.symlinkSync(path.join(dir, 'gone.ss'), path.join(dir, 'queue.test.ss'));
  const dangling = await runCli(['rules', 'test', path.join(dir, 'queue.yaml')]);
  expect(dangling.code).toBe(2);
  expect(dangling.stdout).toContain(`${path.join(dir, 'queue.test.ss')}: fixture file not found [unreadable-file]`);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('`rules test` with a rule id defined twice fails that rule, naming the second definition: no ✓ for it, counts that add up', async () => {
  const dir = ruleAndFixture('no-telnet', ['match: {netid: tcp, state: LISTEN, local.port: 23}', 'message: "telnet on {local}"'], [
    '# ruleid: no-telnet', 'tcp   LISTEN 0      128          0.0.0.0:23        0.0.0.0:*',
    '# ok: no-telnet', 'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*',
  ]);
  fs.copyFileSync(path.join(dir, 'no-telnet.yaml'), path.join(dir, 'z-copy.yaml'));
  const r = await runCli(['rules', 'test', '.'], { cwd: dir });
  expect({ code: r.code, stdout: r.stdout }).toEqual({
    code: 2,
    stdout: [
      '✗ no-telnet (1 firing, 1 passing)',
      "    z-copy.yaml:2:9: rule id 'no-telnet' is already defined (first defined at no-telnet.yaml:2:9; ids must be unique) [duplicate-id]",
      '0 passed, 1 failed',
      '',
    ].join('\n'),
  });
  // a file that cannot be loaded is no rule's: it stays a line of its own, counted once
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'rules: [\n');
  const broken = await runCli(['rules', 'test', '.'], { cwd: dir });
  expect(broken.code).toBe(2);
  expect(broken.stdout).toMatch(/^✗ broken\.yaml:\d+:\d+: .*\n✗ no-telnet \(1 firing, 1 passing\)\n {4}z-copy\.yaml:2:9: .*\[duplicate-id\]\n0 passed, 2 failed\n$/);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('`scan --rules DIR SNAPSHOT` (as the README writes it) scans the snapshot with those rules, not this host', async () => {
  const [first, second] = ['fixtures/real/small.tanp.ss', 'fixtures/real/small.tulpn.ss'];
  // each option that may be repeated takes one value: what follows it is a snapshot again
  const r = await runCli(['scan', '--no-default-rules', '--rules', 'rules/', first, '--format', 'json', '--label', 'role=web', second]);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as import('../../src/engine/types').ScanReport;
  expect(report.snapshots.map((s) => [s.file, s.labels])).toEqual([[first, { role: 'web' }], [second, { role: 'web' }]]);
  // every rule of the folder but those off by default (`enabled: false`), which no config here enables
  const files = fs.readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml'));
  const off = files.filter((f) => /^ {4}enabled: false$/m.test(fs.readFileSync(path.join(ROOT, 'rules', f), 'utf8')));
  expect(off).toEqual(['ephemeral-port-exhaustion.yaml']);
  expect(report.rules.length).toBe(files.length - off.length);
});

it('`rules list` shows every default rule; `rules docs` is what docs/rules.md holds', async () => {
  const list = await runCli(['rules', 'list']);
  expect(list.code).toBe(0);
  for (const id of ['dangerous-port-exposed', 'unexpected-listener', 'close-wait-excess', 'time-wait-excess', 'syn-sent-excess',
    'listen-queue-overflow', 'recv-queue-backlog', 'send-queue-backlog', 'high-rtt', 'retransmitting', 'socket-memory-pressure']) {
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s`, 'm'));
  }
  // a rule off by default is listed, and says so
  expect(list.stdout).toMatch(/^ephemeral-port-exhaustion\s.*\(off by default: a config enables it\)$/m);
  expect(list.stdout).not.toMatch(/^close-wait-excess\s.*off by default/m);
  const docs = await runCli(['rules', 'docs']);
  expect(docs.stdout).toBe(fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8'));
});

it('`rules docs` of a user\'s pack says how to regenerate that page, not docs/rules.md, and links no page of socklint\'s', async () => {
  const dir = ruleAndFixture('no-telnet', ['match: {netid: tcp, state: LISTEN, local.port: 23}', 'message: "telnet on {local}"'], []);
  fs.renameSync(dir, `${dir} own`);
  const r = await runCli(['rules', 'docs', `${path.basename(dir)} own`], { cwd: path.dirname(dir) });
  fs.rmSync(`${dir} own`, { recursive: true, force: true });
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n').slice(0, 6)).toEqual([
    '# Rule reference',
    '',
    `<!-- Generated from the rules' metadata by \`socklint rules docs '${path.basename(dir)} own'\`; do not edit: run it again after changing a rule. -->`,
    '',
    `The socklint rules of \`${path.basename(dir)} own\`. The rule language is described in socklint's docs/rule-language.md. Variables can be overridden per host in socklint's config file.`,
    '',
  ]);
  expect(r.stdout).not.toMatch(/docs\/rules\.md|\]\(rule-language\.md\)|Regenerate: `node dist/);
  expect(r.stdout).toContain('## no-telnet');
  // the pack's own page keeps its header (docs/rules.md, which `rules docs` without paths prints, is checked above)
  expect((await runCli(['rules', 'docs'])).stdout).toMatch(/^# socklint rule reference\n\n<!-- Generated from the rule pack's metadata; do not edit\. Regenerate: `node dist\/cli\/main\.js rules docs > docs\/rules\.md` -->\n/);
});

it('`rules validate` cites every error at file:line:column and exits 2', async () => {
  const dir = tmpDir();
  const f = path.join(dir, 'bad.yaml');
  fs.writeFileSync(f, 'rules:\n  - id: Bad_Id\n    titel: x\n');
  const r = await runCli(['rules', 'validate', f]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
  expect(r.stderr).not.toMatch(/\[object Object\]/);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('`rules validate`, `test` and `docs` check ids against the built-in pack, as a scan loads them beside it', async () => {
  const dir = ruleAndFixture('high-rtt', ['match: {netid: tcp, state: LISTEN}', 'message: "{local}"'], [
    '# ruleid: high-rtt', 'tcp   LISTEN 0      128          0.0.0.0:23        0.0.0.0:*',
    '# ok: high-rtt', 'tcp   ESTAB  0      0          10.0.0.1:23        10.0.0.2:5000',
  ]);
  const r = await runCli(['rules', 'validate', dir]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/high-rtt\.yaml:2:9: rule id 'high-rtt' is already defined \(the built-in pack has it \(.*rules\/high-rtt\.yaml:\d+\): choose another id, or leave the pack out \(--no-default-rules\)\) \[duplicate-id\]/);
  const alone = await runCli(['rules', 'validate', '--no-default-rules', dir]);
  expect(alone.code).toBe(0);
  expect(alone.stdout).toBe('1 rule valid\n');
  // the built-in pack itself is valid, and counted
  expect((await runCli(['rules', 'validate', path.join(ROOT, 'rules')])).stdout).toMatch(/^\d+ rules valid\n$/);
  // rules test and rules docs say the same (and, without the pack, test the fixtures and document the rule)
  const test = await runCli(['rules', 'test', dir]);
  expect(test.code).toBe(2);
  expect(test.stdout).toMatch(/^✗ high-rtt \(1 firing, 1 passing\)\n {4}\S*high-rtt\.yaml:2:9: rule id 'high-rtt' is already defined \(the built-in pack has it.*\[duplicate-id\]\n0 passed, 1 failed\n$/);
  expect((await runCli(['rules', 'test', '--no-default-rules', dir])).code).toBe(0);
  const docs = await runCli(['rules', 'docs', dir]);
  expect([docs.code, docs.stdout]).toEqual([2, '']);
  expect((await runCli(['rules', 'docs', '--no-default-rules', dir])).stdout).toMatch(/^# Rule reference\n/);
  fs.rmSync(dir, { recursive: true, force: true });
});
