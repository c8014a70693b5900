/**
 * Config, host overrides, waivers (with expiry), baselines and exit codes, end to end through the built CLI
 * on a real capture (fixtures/real/small.tanpmioe.ss: 0.0.0.0:3306 mysqld, 5 CLOSE-WAIT of leaky-app, ...).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';
import { announceSkip, findMultitool, multitoolValidate, reportValidator } from '../report/helpers';

const SNAP = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');
let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function config(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function scan(args: string[]) {
  const r = await runCli(['scan', SNAP, '--format', 'json', ...args]);
  return { r, report: jsonReport(r) };
}

describe('exit codes and --fail-on', () => {
  it('--fail-on-not-evaluated makes a rule the snapshot could not evaluate fail the scan (a capture that lost -p, -i ...)', async () => {
    const tanp = path.join(ROOT, 'fixtures/real/small.tanp.ss');
    expect((await runCli(['scan', tanp, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['scan', tanp, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(1);
    // every rule evaluated: the flag changes nothing
    expect((await runCli(['scan', SNAP, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(0);
  });

  it('exits 1 on an error finding, 0 with --fail-on none, and reports the findings either way', async () => {
    const a = await scan([]);
    expect(a.r.code).toBe(1);
    const b = await scan(['--fail-on', 'none']);
    expect(b.r.code).toBe(0);
    expect(b.report.findings.length).toBe(a.report.findings.length);
  });
  it('exits 0 at --fail-on error when the error rules are disabled, 1 at --fail-on note', async () => {
    const c = config('disable.yaml', 'disable: [dangerous-port-exposed, listen-queue-overflow]\n');
    const a = await scan(['--config', c]);
    expect(a.report.findings.some((f) => f.ruleId === 'dangerous-port-exposed')).toBe(false);
    expect(a.report.findings.every((f) => f.level !== 'error')).toBe(true);
    expect(a.r.code).toBe(0);
    expect((await scan(['--config', c, '--fail-on', 'note'])).r.code).toBe(1);
  });
});

describe('host overrides', () => {
  const cfg = () => config('hosts.yaml', [
    'variables:',
    '  close-wait-excess: {threshold: 100}',
    'hosts:',
    '  - match: {host: "lb-*"}',
    '    variables:',
    '      close-wait-excess: {threshold: 2}',
    '  - match: {labels: {role: db}}',
    '    severity: {dangerous-port-exposed: warning}',
    '',
  ].join('\n'));

  it('applies a host-glob override only to matching hosts', async () => {
    const lb = await scan(['--config', cfg(), '--host', 'lb-07']);
    const cw = lb.report.findings.filter((f) => f.ruleId === 'close-wait-excess');
    expect(cw).toHaveLength(1);
    expect(cw[0].threshold).toBe(2);
    expect(cw[0].observed).toBe(5);
    expect(cw[0].group).toEqual({ process: 'leaky-app' });
    const web = await scan(['--config', cfg(), '--host', 'web-01']);
    expect(web.report.findings.filter((f) => f.ruleId === 'close-wait-excess')).toHaveLength(0);
  });

  it('applies a label override (severity) only to labelled snapshots', async () => {
    const db = await scan(['--config', cfg(), '--label', 'role=db']);
    expect(db.report.findings.filter((f) => f.ruleId === 'dangerous-port-exposed').map((f) => f.level)).toEqual(['warning']);
    const plain = await scan(['--config', cfg()]);
    expect(plain.report.findings.filter((f) => f.ruleId === 'dangerous-port-exposed').map((f) => f.level)).toEqual(['error']);
  });
});

describe('a hosts: entry that matches no snapshot', () => {
  const OTHER = path.join(ROOT, 'fixtures/real/small.tanp.ss'); // host small.tanp
  const cfg = () => config('unused-hosts.yaml', [
    'hosts:',
    '  - match: {host: "small.*"}',          // both hosts
    '    variables: {close-wait-excess: {threshold: 2}}',
    '  - match: {host: "smal-*"}',           // a typo: no host
    '    disable: [dangerous-port-exposed]',
    '  - match: {labels: {role: db}}',       // no snapshot is labelled
    '    severity: {dangerous-port-exposed: note}',
    '',
  ].join('\n'));

  it('is named in a scan of several hosts (text, JSON, SARIF), with its file:line, and never changes the exit code', async () => {
    const c = cfg();
    const out = (n: string) => path.join(dir, n);
    const r = await runCli(['scan', SNAP, OTHER, '--config', c, '-f', `json=${out('h.json')}`, '-f', `sarif=${out('h.sarif')}`, '-f', 'text']);
    const plain = await runCli(['scan', SNAP, OTHER, '-f', 'text']);
    expect(r.code).toBe(plain.code);
    const report = JSON.parse(fs.readFileSync(out('h.json'), 'utf8'));
    expect(report.hostEntries).toEqual([
      { match: { host: 'smal-*' }, location: { file: c, line: 4 }, status: 'unused', hostsScanned: 2 },
      { match: { labels: { role: 'db' } }, location: { file: c, line: 6 }, status: 'unused', hostsScanned: 2 },
    ]);
    expect(Object.keys(report).slice(-2)).toEqual(['waivers', 'hostEntries']);
    const validate = reportValidator();
    expect([validate(report), validate.errors]).toEqual([true, null]);
    expect(r.stdout).toContain([
      'Host overrides matching no host (2)',
      `  ${c}:4  hosts: match {host: "smal-*"} matched none of the 2 hosts scanned: its overrides applied nowhere`,
      `  ${c}:6  hosts: match {labels: {role: db}} matched none of the 2 hosts scanned: its overrides applied nowhere`,
    ].join('\n'));
    const runs = JSON.parse(fs.readFileSync(out('h.sarif'), 'utf8')).runs;
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const notes = run.invocations[0].toolConfigurationNotifications.filter((n: { descriptor: { id: string } }) => n.descriptor.id === 'host-entry-unused');
      expect(notes.map((n: { level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => [n.level, n.locations[0].physicalLocation.region.startLine])).toEqual([['note', 4], ['note', 6]]);
    }
    const multitool = findMultitool();
    if (!multitool) return announceSkip('SARIF Multitool (GitHub ingestion rules)', 'install @microsoft/sarif-multitool or set SARIF_MULTITOOL');
    const { status, problems } = multitoolValidate(multitool, out('h.sarif'), out('h.validation.sarif'));
    expect(problems).toEqual([]);
    expect(status).toBe(0);
  });

  it('is not named in a scan of one host (a live scan, or a fleet config on one of its hosts): entries for other hosts are normal there', async () => {
    const c = cfg();
    const one = await scan(['--config', c]);
    expect(one.report.hostEntries).toBeUndefined();
    expect(one.r.stdout).not.toContain('hostEntries');
    // two snapshots of one host are one host too
    const twice = await runCli(['scan', SNAP, OTHER, '--host', 'web-01', '--config', c, '-f', 'text']);
    expect(twice.stdout).not.toContain('Host overrides matching no host');
    // and an entry that matches one of the hosts is used
    const labelled = jsonReport(await runCli(['scan', SNAP, OTHER, '--config', c, '--label', 'role=db', '-f', 'json']));
    expect(labelled.hostEntries!.map((h) => h.match)).toEqual([{ host: 'smal-*' }]);
  });
});

describe('the level a rule is reported at', () => {
  it('is the config\'s in rules[], and a host override\'s in that host\'s snapshot, Prometheus series and SARIF run', async () => {
    const c = config('levels.yaml', [
      'severity: {unexpected-listener: error}',
      'hosts:',
      '  - match: {labels: {role: db}}',
      '    severity: {dangerous-port-exposed: warning, close-wait-excess: note}',
      '',
    ].join('\n'));
    const out = (n: string) => path.join(dir, n);
    const r = await runCli(['scan', SNAP, '--label', 'role=db', '--config', c, '--fail-on', 'none', '-f', `json=${out('l.json')}`, '-f', `prometheus=${out('l.prom')}`, '-f', `sarif=${out('l.sarif')}`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(out('l.json'), 'utf8'));
    const level = (id: string) => report.rules.find((x: { id: string }) => x.id === id).level;
    expect([level('unexpected-listener'), level('dangerous-port-exposed'), level('close-wait-excess')]).toEqual(['error', 'error', 'warning']);
    expect(report.snapshots[0].levels).toEqual({ 'dangerous-port-exposed': 'warning', 'close-wait-excess': 'note' });
    expect(report.findings.find((f: { ruleId: string }) => f.ruleId === 'dangerous-port-exposed').level).toBe('warning');
    // every series of a rule on a host has that host's level, found or not (no second series when findings go)
    const prom = fs.readFileSync(out('l.prom'), 'utf8');
    expect(prom).toMatch(/\nsocklint_findings\{host="small\.tanpmioe",rule="dangerous-port-exposed",severity="warning"\} 1\n/);
    expect(prom).toMatch(/\nsocklint_findings\{host="small\.tanpmioe",rule="close-wait-excess",severity="note"\} \d+\n/);
    expect(prom).not.toMatch(/rule="(dangerous-port-exposed|close-wait-excess)",severity="(error|warning)"\} 0/);
    const run = JSON.parse(fs.readFileSync(out('l.sarif'), 'utf8')).runs[0];
    const descriptor = (id: string) => run.tool.driver.rules.find((x: { id: string }) => x.id === id);
    expect(descriptor('dangerous-port-exposed').defaultConfiguration.level).toBe('warning');
    expect(descriptor('close-wait-excess')).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'problem.severity': 'recommendation' } });
    expect(descriptor('unexpected-listener').defaultConfiguration.level).toBe('error');
  });

  it("brings a security rule's security-severity into the band of the level the config gives it (GitHub shows the score, not the level)", async () => {
    const c = config('scores.yaml', [
      'severity: {dangerous-port-exposed: note}',   // the pack's error, scored 8.6 (high)
      'hosts:',
      '  - match: {labels: {role: db}}',
      '    severity: {unexpected-listener: error}', // the pack's note, scored 3.9 (low)
      '',
    ].join('\n'));
    const out = (n: string) => path.join(dir, n);
    const r = await runCli(['scan', SNAP, '--label', 'role=db', '--config', c, '--fail-on', 'none', '-f', `json=${out('s.json')}`, '-f', `sarif=${out('s.sarif')}`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(out('s.json'), 'utf8'));
    const rule = (id: string) => report.rules.find((x: { id: string }) => x.id === id);
    expect(rule('dangerous-port-exposed')).toMatchObject({ level: 'note', securitySeverity: 3.9 });
    // what the config leaves alone keeps the pack's score, even one outside its level's band
    expect(rule('root-listener-exposed')).toMatchObject({ level: 'note', securitySeverity: 4.3 });
    expect(rule('unexpected-listener')).toMatchObject({ level: 'note', securitySeverity: 3.9 });
    const run = JSON.parse(fs.readFileSync(out('s.sarif'), 'utf8')).runs[0];
    const descriptor = (id: string) => run.tool.driver.rules.find((x: { id: string }) => x.id === id);
    expect(descriptor('dangerous-port-exposed')).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '3.9' } });
    expect(descriptor('unexpected-listener')).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '7.0' } });
    expect(descriptor('root-listener-exposed').properties['security-severity']).toBe('4.3');
    const multitool = findMultitool();
    if (!multitool) return announceSkip('SARIF Multitool (GitHub ingestion rules)', 'install @microsoft/sarif-multitool or set SARIF_MULTITOOL');
    const { status, problems } = multitoolValidate(multitool, out('s.sarif'), out('s.validation.sarif'));
    expect(problems).toEqual([]);
    expect(status).toBe(0);
  });
});

describe('globals: one variable shared by every rule that declares it', () => {
  it('taking 3306 off the dangerous list moves it to unexpected-listener instead of hiding it', async () => {
    const c = config('globals.yaml', [
      'hosts:',
      '  - match: {labels: {role: db}}',
      '    globals:',
      '      dangerous_tcp_ports: [21, 23, 6379]',
    ].join('\n'));
    const db = await scan(['--config', c, '--label', 'role=db']);
    const ports = (rule: string) => db.report.findings.filter((f) => f.ruleId === rule).map((f) => f.socket!.local.port);
    expect(ports('dangerous-port-exposed')).toEqual([]);
    expect(ports('unexpected-listener')).toContain(3306);
    const web = await scan(['--config', c]);
    expect(web.report.findings.filter((f) => f.ruleId === 'dangerous-port-exposed').map((f) => f.socket!.local.port)).toEqual([3306]);
  });
  it('a host entry\'s globals win over top-level variables of a rule: the two rules that declare it agree', async () => {
    const c = config('globals-over-vars.yaml', [
      'variables:',
      '  dangerous-port-exposed: {dangerous_tcp_ports: [3306, 5432]}',
      'hosts:',
      '  - match: {labels: {role: db}}',
      '    globals: {dangerous_tcp_ports: [21, 23]}',
      '  - match: {labels: {tier: legacy}}',
      '    variables:',
      '      dangerous-port-exposed: {dangerous_tcp_ports: [3306]}',
    ].join('\n'));
    const ports = (r: Awaited<ReturnType<typeof scan>>, rule: string) => r.report.findings.filter((f) => f.ruleId === rule).map((f) => f.socket!.local.port);
    const db = await scan(['--config', c, '--label', 'role=db']);
    expect(ports(db, 'dangerous-port-exposed')).toEqual([]);
    expect(ports(db, 'unexpected-listener')).toContain(3306);
    // a later entry's own variables win over an earlier one's globals
    const legacy = await scan(['--config', c, '--label', 'role=db', '--label', 'tier=legacy']);
    expect(ports(legacy, 'dangerous-port-exposed')).toEqual([3306]);
    expect(ports(legacy, 'unexpected-listener')).toContain(3306);
  });
  it('a bad value a host entry gives one variable is cited there, whichever level set the rule\'s others', async () => {
    const c = config('pos.yaml', ['variables:', '  time-wait-excess: {threshold: 10}', 'hosts:', '  - match: {host: "*"}', '    globals: {dangerous_tcp_ports: [99999]}'].join('\n'));
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${c}:5:`);
  });
  it('an unknown global is an error with did-you-mean', async () => {
    const c = config('bad-global.yaml', 'globals:\n  dangerous_tcp_port: [22]\n');
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${c}:2:3`);
    expect(r.stderr).toMatch(/did you mean "dangerous_tcp_ports"/);
  });
  it('a global of the wrong type is an error at its position', async () => {
    const c = config('bad-global-type.yaml', 'globals:\n  dangerous_tcp_ports: lots\n');
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${c}:2:24`);
  });
});

describe('a file given with -c that is no config', () => {
  it('a rule file or a snapshot is named as what it is, in one line, not with the schema\'s complaints about it', async () => {
    const rules = config('my-rules.yaml', 'rules:\n  - id: my-rule\n    title: x\n    severity: error\n    match: {state: LISTEN}\n');
    const r = await runCli(['scan', SNAP, '--config', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`socklint: ${rules}: this is a rule file (it holds a rules: list), not a socklint config (give rule files with --rules PATH, or list them under packs: in a config) [not-a-config]\n`);
    const s = await runCli(['scan', SNAP, '-c', SNAP]);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe(`socklint: ${SNAP}: this is a snapshot (.ss), not a socklint config (snapshots to scan follow the options on their own: socklint scan -c socklint.yaml web-01.ss) [not-a-config]\n`);
    // a config with a mistake keeps its own message
    const typo = config('typo.yaml', 'waiverz: []\n');
    expect((await runCli(['scan', SNAP, '-c', typo])).stderr).toContain(`${typo}:1:1: unknown key 'waiverz'`);
    // one waiver written without its `- `: a mapping where the list belongs
    const one = config('one-waiver.yaml', 'waivers:\n  rule: dangerous-port-exposed\n  reason: firewalled\n  expires: 2099-01-01\n');
    expect((await runCli(['scan', SNAP, '-c', one])).stderr).toBe(`socklint: ${one}:2:3: 'waivers' must be a list, not a mapping ` +
      '(if it is one item, make it a list item: `- ` before its first key, its other keys indented to line up with it) [wrong-type]\n');
  });
});

describe('waivers', () => {
  // listen-queue-overflow (also an error here) is disabled so that the waiver alone decides the exit code.
  const waiver = (expires: string, extra = '') => config(`waiver-${expires}.yaml`, [
    'disable: [listen-queue-overflow]',
    'waivers:',
    '  - rule: dangerous-port-exposed',
    '    where: {local.port: 3306}',
    '    reason: "MySQL replication port, firewalled at the VPC edge"',
    `    expires: ${expires}`,
    '    owner: dba-team',
    '    ticket: OPS-1234',
    extra,
  ].join('\n'));

  it('reports a waived finding as suppressed with its reason, and it no longer fails the run', async () => {
    const { r, report } = await scan(['--config', waiver('2099-12-31')]);
    const f = report.findings.filter((x) => x.ruleId === 'dangerous-port-exposed');
    expect(f).toHaveLength(1);
    expect(f[0].suppressed).toEqual({ kind: 'waiver', reason: 'MySQL replication port, firewalled at the VPC edge', expires: '2099-12-31', owner: 'dba-team', ticket: 'OPS-1234' });
    expect(report.summary.suppressed).toBe(1);
    expect(r.code).toBe(0);
    expect(report.waivers).toEqual([]);
  });

  it('stops suppressing once expired and reports the expired waiver', async () => {
    const { r, report } = await scan(['--config', waiver('2020-01-31')]);
    const f = report.findings.filter((x) => x.ruleId === 'dangerous-port-exposed');
    expect(f[0].suppressed).toBeUndefined();
    expect(r.code).toBe(1);
    expect(report.waivers).toEqual([expect.objectContaining({ ruleId: 'dangerous-port-exposed', status: 'expired', expires: '2020-01-31' })]);
  });

  it('lists waivers that matched nothing', async () => {
    const c = config('unused.yaml', [
      'waivers:',
      '  - rule: dangerous-port-exposed',
      '    where: {local.port: 5432}',
      '    reason: "no postgres here any more"',
      '    expires: 2099-01-01',
    ].join('\n'));
    const { report } = await scan(['--config', c]);
    expect(report.waivers).toEqual([expect.objectContaining({ status: 'unused', location: { file: c, line: 2 } })]);
  });

  it('says why one matched nothing: its rule not evaluated (the summary counts it), disabled, or its host glob matching no host of several', async () => {
    const OTHER = path.join(ROOT, 'fixtures/real/small.tanp.ss'); // no -i: high-rtt is not evaluated there
    const c = config('why-unused.yaml', [
      'disable: [root-listener-exposed]',
      'waivers:',
      '  - rule: root-listener-exposed',
      '    reason: rule is disabled everywhere',
      '    expires: 2099-01-01',
      '  - rule: dangerous-port-exposed',
      '    host: "db-*"',
      '    reason: db hosts are firewalled',
      '    expires: 2099-01-01',
      '  - rule: high-rtt',
      '    host: small.tanp',
      '    reason: slow link',
      '    expires: 2099-01-01',
      '',
    ].join('\n'));
    const out = (n: string) => path.join(dir, n);
    const r = await runCli(['scan', SNAP, OTHER, '--config', c, '-f', `json=${out('why.json')}`, '-f', `sarif=${out('why.sarif')}`, '-f', 'text']);
    const report = JSON.parse(fs.readFileSync(out('why.json'), 'utf8'));
    expect(report.waivers).toEqual([
      { ruleId: 'root-listener-exposed', reason: 'rule is disabled everywhere', expires: '2099-01-01', location: { file: c, line: 3 }, status: 'unused', ruleDisabled: true },
      { ruleId: 'dangerous-port-exposed', host: 'db-*', reason: 'db hosts are firewalled', expires: '2099-01-01', location: { file: c, line: 6 }, status: 'unused', noHostMatched: true },
      { ruleId: 'high-rtt', host: 'small.tanp', reason: 'slow link', expires: '2099-01-01', location: { file: c, line: 10 }, status: 'unused', ruleNotEvaluated: true },
    ]);
    expect(report.notEvaluated.filter((n: { ruleId: string }) => n.ruleId === 'high-rtt').map((n: { host: string }) => n.host)).toEqual(['small.tanp']);
    expect(report.summary.notEvaluated).toBe(report.notEvaluated.length);
    expect(r.stdout).toMatch(/; [1-9]\d* rules? not evaluated[ ;]/);
    const validate = reportValidator();
    expect([validate(report), validate.errors]).toEqual([true, null]);
    expect(r.stdout).toContain([
      'Waivers needing attention (3)',
      `  ${c}:3  root-listener-exposed: matched nothing: its rule is disabled — rule is disabled everywhere`,
      `  ${c}:6  dangerous-port-exposed: matched nothing: its host pattern matched no scanned host — db hosts are firewalled`,
      `  ${c}:10  high-rtt: matched nothing: its rule was not evaluated where it applies — slow link`,
    ].join('\n'));
    // each run is a host: the waiver for small.tanp is in its run only
    const runs = JSON.parse(fs.readFileSync(out('why.sarif'), 'utf8')).runs;
    const texts = runs.map((run: { properties: { host: string }; invocations: { toolConfigurationNotifications: { message: { text: string } }[] }[] }) =>
      [run.properties.host, run.invocations[0].toolConfigurationNotifications.map((n) => n.message.text)]);
    const everyRun = [
      'The waiver for root-listener-exposed matched no finding (its rule is disabled): rule is disabled everywhere',
      'The waiver for dangerous-port-exposed matched no finding (its host pattern matched no scanned host): db hosts are firewalled',
    ];
    expect(texts).toEqual([
      ['small.tanpmioe', everyRun],
      ['small.tanp', [...everyRun, 'The waiver for high-rtt matched no finding (its rule was not evaluated where it applies: keep it until it is): slow link']],
    ]);
    // on one host, the waiver for db-* is another host's business (a fleet's shared config): not listed
    const one = await scan(['--config', c]);
    expect(one.report.waivers.map((w) => w.ruleId)).toEqual(['root-listener-exposed']);
  });

  it('waives an aggregate group', async () => {
    const c = config('group.yaml', [
      'variables: {close-wait-excess: {threshold: 1}}',
      'waivers:',
      '  - rule: close-wait-excess',
      '    group: {process: leaky-app}',
      '    reason: "vendor bug, fix in 2.4"',
      '    expires: 2099-01-01',
    ].join('\n'));
    const { report } = await scan(['--config', c]);
    const cw = report.findings.filter((f) => f.ruleId === 'close-wait-excess');
    expect(cw).toHaveLength(1);
    expect(cw[0].suppressed?.reason).toBe('vendor bug, fix in 2.4');
  });
});

describe('baseline', () => {
  it('fails only on findings whose fingerprint is new', async () => {
    const base = path.join(dir, 'baseline.json');
    const b = await runCli(['baseline', SNAP, '-o', base]);
    expect(b.code).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(base, 'utf8'));
    expect(recorded.findings.length).toBeGreaterThan(0);

    const same = await scan(['--baseline', base]);
    expect(same.r.code).toBe(0);
    expect(same.report.findings.every((f) => f.suppressed?.kind === 'baseline')).toBe(true);

    // The same host later: a new exposure (postgres on the wildcard) appears; its PID and line differ.
    const text = fs.readFileSync(SNAP, 'utf8').split('\n');
    text.splice(3, 0, 'LISTEN     0      244                0.0.0.0:5432             0.0.0.0:*     users:(("postgres",pid=999,fd=5)) ino:1 sk:1 cgroup:/ <->');
    const drifted = path.join(dir, 'small.tanpmioe.ss');
    fs.writeFileSync(drifted, text.join('\n'));
    const r = await runCli(['scan', drifted, '--format', 'json', '--baseline', base]);
    const report = jsonReport(r);
    expect(r.code).toBe(1);
    const fresh = report.findings.filter((f) => !f.suppressed);
    expect(fresh.map((f) => `${f.ruleId} ${f.socket?.local.port}`)).toEqual(expect.arrayContaining(['dangerous-port-exposed 5432']));
    expect(fresh.filter((f) => f.ruleId === 'dangerous-port-exposed')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/has no record of host/);
  });

  it('says when a scanned host is not in the baseline, and matches across file names given one --host', async () => {
    const golden = path.join(dir, 'golden.ss');
    const candidate = path.join(dir, 'candidate.ss');
    fs.copyFileSync(SNAP, golden);
    fs.copyFileSync(SNAP, candidate);
    const base = path.join(dir, 'golden-baseline.json');
    expect((await runCli(['baseline', golden, '-o', base])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(base, 'utf8')).hosts).toEqual(['golden']);

    // named after its file, the candidate is another host: nothing matches, and socklint says why
    const other = await runCli(['scan', candidate, '--format', 'json', '--baseline', base]);
    expect(other.code).toBe(1);
    expect(jsonReport(other).findings.some((f) => f.suppressed?.kind === 'baseline')).toBe(false);
    expect(other.stderr).toMatch(/golden-baseline\.json has no record of host candidate \(it was recorded for golden\).*same --host/);

    // the README's recipe: one --host for both
    const named = path.join(dir, 'image-baseline.json');
    expect((await runCli(['baseline', golden, '--host', 'web-image', '-o', named])).code).toBe(0);
    const same = await runCli(['scan', candidate, '--host', 'web-image', '--format', 'json', '--baseline', named]);
    expect(same.code).toBe(0);
    expect(jsonReport(same).findings.every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
    expect(same.stderr).not.toMatch(/has no record/);
  });

  it('refuses a file that is not a baseline, with exit 2', async () => {
    const bad = config('bad-baseline.json', '{"hello": 1}');
    const r = await runCli(['scan', SNAP, '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-baseline\.json:1:1: not a socklint baseline/);
  });
});

describe('config errors name file:line:column', () => {
  it('an unknown key, with did-you-mean', async () => {
    const c = config('typo.yaml', 'disable: [unexpected-listener]\nwaviers: []\n');
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${c}:2:1`);
    expect(r.stderr).toMatch(/waivers/);
    expect(r.stderr).not.toMatch(/\[object Object\]|at .*\.js:\d+/);
  });
  it('an unknown rule id, with did-you-mean', async () => {
    const c = config('unknown-rule.yaml', 'disable:\n  - close-wait-exces\n');
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${c}:2:5`);
    expect(r.stderr).toMatch(/did you mean "close-wait-excess"/);
  });
  it('a variable of the wrong type', async () => {
    const c = config('bad-var.yaml', 'variables:\n  time-wait-excess:\n    threshold: lots\n');
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+`));
    expect(r.stderr).toMatch(/number/);
  });
  it('a waiver without a reason', async () => {
    const c = config('no-reason.yaml', 'waivers:\n  - rule: high-rtt\n    expires: 2030-01-01\n');
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${c}:2:5`);
    expect(r.stderr).toMatch(/reason/);
  });
  it('a waiver expiring on a day the calendar does not have (Date.parse would take 2027-02-30 as March 2nd)', async () => {
    for (const day of ['2027-02-30', '2026-04-31', '2027-13-01']) {
      const c = config(`bad-day-${day}.yaml`, `waivers:\n  - rule: high-rtt\n    reason: known\n    expires: ${day}\n`);
      const r = await runCli(['scan', SNAP, '--config', c]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`socklint: ${c}:4:14: "${day}" is not a calendar date (write YYYY-MM-DD, e.g. 2027-01-31) [bad-date]\n`);
    }
    const leap = config('leap-day.yaml', 'waivers:\n  - rule: high-rtt\n    reason: known\n    expires: 2028-02-29\n');
    expect((await runCli(['scan', SNAP, '--config', leap, '--fail-on', 'none'])).code).toBe(0);
  });
  it('a config whose waivers name unknown rules, days not in the calendar and bad conditions gets every problem at once, in the file\'s order', async () => {
    const c = config('many-problems.yaml', [
      'waivers:',
      '  - rule: dangerous-port-exposd', '    reason: legacy', '    expires: 2027-13-01',
      '  - rule: high-rtt', '    reason: known', '    expires: 2027-02-30', '    where: {peer.address: {cidr: 10.0.0.0/33}}',
      '  - rule: high-rt', '    reason: known', '    expires: 2027-01-01',
      '',
    ].join('\n'));
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/^socklint: [^:]+:(\d+):\d+: .*\[([a-z-]+)\]$/, '$1 $2'))).toEqual([
      '2 unknown-rule', '4 bad-date', '7 bad-date', expect.stringMatching(/^8 /), '9 unknown-rule',
    ]);
  });
  it('no rules left to run: the hint names what left the built-in pack out (the config\'s defaultRules: false, at its place, or the option)', async () => {
    const c = config('no-default.yaml', 'severity: {}\ndefaultRules: false\n');
    const cases: [string[], string][] = [
      [['--config', c], `socklint: ${c}:2:15: no rules to run (drop defaultRules: false, or name rule files: packs: in the config, or --rules PATH) [no-rules]\n`],
      [['--config', c, '--no-default-rules'], `socklint: ${c}:2:15: no rules to run (drop defaultRules: false and --no-default-rules, or name rule files: packs: in the config, or --rules PATH) [no-rules]\n`],
      [['--no-default-rules'], 'socklint: no rules to run (drop --no-default-rules, or name rule files: --rules PATH)\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await runCli(['scan', SNAP, ...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr });
    }
  });
});

describe('a packs: entry that names no rule file is an error at the entry, which holds the mistake', () => {
  // run from `dir`, so that the config and the paths resolved from it show as the user wrote them
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  const run = (cfg: string) => runCli(['scan', SNAP, '-c', cfg], { cwd: dir });

  it('a missing path: at its file:line:column, naming the path it resolved to (relative to the config)', async () => {
    write('packs/missing.yaml', 'defaultRules: false\npacks: [nosuch]\n');
    const r = await run('packs/missing.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("socklint: packs/missing.yaml:2:9: pack 'nosuch' (resolved to packs/nosuch): rules path not found (a pack's path is relative to the config's folder, packs) [unreadable-file]\n");
  });
  it('a socklint config: one error at the entry, not the schema errors of a rule file "in" the config it names', async () => {
    write('packs/base.yaml', 'defaultRules: false\ndisable: [high-rtt]\n');
    write('packs/listed.yaml', 'packs:\n  - base.yaml\n');
    const r = await run('packs/listed.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("socklint: packs/listed.yaml:2:5: pack 'base.yaml' (resolved to packs/base.yaml): this is a socklint config (defaultRules, disable), not a rule file (give a config with -c/--config; --rules and packs: name rule files, which hold a rules: list, or their folders) [not-a-rule-file]\n");
    // named with --rules, the same file gets the same one error
    const cli = await runCli(['scan', SNAP, '--rules', 'packs/base.yaml'], { cwd: dir });
    expect(cli.stderr).toBe('socklint: packs/base.yaml: this is a socklint config (defaultRules, disable), not a rule file (give a config with -c/--config; --rules and packs: name rule files, which hold a rules: list, or their folders) [not-a-rule-file]\n');
  });
  it('a config inside a pack\'s folder: at the entry, naming the file', async () => {
    write('packs2/rules/socklint.yaml', 'packs: [.]\n');
    const r = await run('packs2/rules/socklint.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("socklint: packs2/rules/socklint.yaml:1:9: packs2/rules/socklint.yaml, in pack '.': this is a socklint config (packs), not a rule file (name the rule files in packs:, or keep other YAML files out of the pack's folder) [not-a-rule-file]\n");
  });
  it('a rule file with mistakes keeps them at their own file:line:column', async () => {
    write('packs3/bad.yaml', 'rules:\n  - id: bad\n');
    write('packs3/c.yaml', 'packs: [bad.yaml]\n');
    const r = await run('packs3/c.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^socklint: packs3\/bad\.yaml:2:5: /);
    expect(r.stderr).not.toContain('c.yaml');
  });
});

describe('a glob picomatch cannot use (it would match only its own text)', () => {
  const OTHER = path.join(ROOT, 'fixtures/real/small.tanp.ss');
  it('is a config error at its file:line:column in a scan of one host as of several, one line each', async () => {
    const c = config('bad-glob.yaml', [
      'hosts:',
      '  - match: {host: "small.{tanpmioe,tanp"}',
      '    disable: [unexpected-listener]',
      '  - match: {host: "small.*"}',
      '    disable: [high-rtt]',
      'waivers:',
      '  - rule: "*-excess{"',
      '    host: "db-[9-0]"',
      '    reason: legacy box',
      '    expires: 2030-01-01',
      '  - rule: high-rtt',
      '    host: "web-\\\\"',
      '    reason: legacy box',
      '    expires: 2030-01-01',
      '',
    ].join('\n'));
    const expected = [
      `socklint: ${c}:2:19: host pattern "small.{tanpmioe,tanp" is not a valid glob: unterminated group (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]`,
      `socklint: ${c}:7:11: rule pattern "*-excess{" is not a valid glob: unterminated group (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]`,
      `socklint: ${c}:8:11: host pattern "db-[9-0]" is not a valid glob: range out of order in character class (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]`,
      `socklint: ${c}:12:11: host pattern "web-\\" is not a valid glob: it ends with a \\ that escapes nothing (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]`,
      '',
    ].join('\n');
    for (const args of [[SNAP], [SNAP, OTHER], [SNAP, OTHER, '--host', 'web-01']]) {
      const r = await runCli(['scan', ...args, '--config', c, '--fail-on', 'none']);
      expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, code: 2, stderr: expected, stdout: '' });
    }
  });

  it('is reported with the file\'s other problems, once (the glob hid them until it was fixed)', async () => {
    const c = config('bad-glob-and-more.yaml', [
      'enable: [no-such-rule]',
      'hosts:',
      '  - match: {host: "web-{01,02"}',
      '    disable: [high-rtt]',
      'waivers:',
      '  - rule: "web-[01"',
      '    reason: legacy box',
      '    expires: 2027-02-30',
      '',
    ].join('\n'));
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect([r.code, r.stderr.split('\n').map((l) => /:(\d+:\d+): .*\[([a-z-]+)\]$/.exec(l)?.slice(1).join(' ')).filter(Boolean)]).toEqual([2, [
      '1:10 unknown-rule', '3:19 bad-glob', '6:11 bad-glob', '8:14 bad-date',
    ]]);
  });

  it('longer than picomatch takes is an error too, not an internal error (exit 4)', async () => {
    const c = config('long-glob.yaml', `hosts:\n  - match: {host: "${'a'.repeat(70_000)}"}\n    disable: [high-rtt]\n`);
    const r = await runCli(['scan', SNAP, '--config', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`socklint: ${c}:2:19: host pattern "${'a'.repeat(77)}..." is not a valid glob: longer than 65536 characters [bad-glob]\n`);
  });

  it('a valid glob loads as before (the docs\' lb-* and db-??.prod.example.com, brace lists, [ ] classes, an escaped \\( )', async () => {
    const c = config('good-globs.yaml', [
      'hosts:',
      '  - match: {host: "lb-*"}',
      '    disable: [high-rtt]',
      '  - match: {host: "db-??.prod.example.com"}',
      '    disable: [high-rtt]',
      '  - match: {host: "{web,api}-[0-9][0-9]"}',
      '    disable: [high-rtt]',
      '  - match: {host: "web-\\\\(a"}',
      '    disable: [high-rtt]',
      'waivers:',
      '  - rule: "*-excess"',
      '    host: "small.*"',
      '    reason: legacy box',
      '    expires: 2030-01-01',
      '',
    ].join('\n'));
    const r = await runCli(['scan', SNAP, '--config', c, '--fail-on', 'none', '-f', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe('a value the config gives a rule\'s variable', () => {
  /** A rule file of one rule `id` declaring `vars` and matching `match` (lines under `match:`). */
  const ruleWith = (id: string, vars: string[], match: string[]) => config(`${id}-rule.yaml`, [
    'rules:', `  - id: ${id}`, '    title: t', '    kind: health', '    severity: error', '    description: d', '    help: h',
    '    vars:', ...vars.map((v) => `      ${v}`), '    match:', ...match.map((m) => `      ${m}`), '    message: "{local}"',
  ].join('\n'));
  it('that the rule cannot use is reported at the config\'s line, not at the rule\'s $name', async () => {
    const rules = ruleWith('ovr', ['re: {type: string, default: "^java$"}', 'lo: {type: number, default: 1}', 'hi: {type: number, default: 10}'],
      ['any:', '  - process.name: {matches: $re}', '  - recvQ: {between: [$lo, $hi]}']);
    const c = config('ovr.yaml', 'variables:\n  ovr:\n    re: "(java"\n    lo: 20\n');
    const r = await runCli(['scan', SNAP, '--no-default-rules', '--rules', rules, '-c', c]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `socklint: ${c}:3:5: bad regular expression: missing closing ): \`(java\` (the value this file gives 're' of rule 'ovr') [bad-regex]`,
      `socklint: ${c}:4:5: 'between' range is empty: 20 > 10 (the value this file gives 'lo' of rule 'ovr') (write [low, high]) [bad-range]`,
    ]);
  });
  it('a state or netid that is none (a string, or an item of a list variable) too', async () => {
    const rules = ruleWith('en', ['s: {type: string, default: LISTEN}', 'n: {type: string-list, default: [tcp]}'], ['state: $s', 'netid: {in: $n}']);
    const c = config('enum.yaml', 'variables:\n  en: {s: LISTN}\nhosts:\n  - match: {host: "*"}\n    variables: {en: {n: [tpc]}}\n');
    const r = await runCli(['scan', SNAP, '--no-default-rules', '--rules', rules, '-c', c]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `socklint: ${c}:2:8: 'LISTN' is not a valid state (the value this file gives 's' of rule 'en') (did you mean 'LISTEN'?) [unknown-value]`,
      `socklint: ${c}:5:22: 'tpc' is not a valid netid (the value this file gives 'n' of rule 'en') (did you mean 'tcp'?) [unknown-value]`,
    ]);
  });
});

it('a host override matching on no label at all (every host) is refused', async () => {
  const c = config('empty-labels.yaml', 'hosts:\n  - match: {labels: {}}\n    severity: {recv-queue-backlog: note}\n');
  const r = await runCli(['scan', SNAP, '-c', c]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe(`socklint: ${c}:2:21: 'hosts[0].match.labels' must not be empty [bad-value]`);
});

describe('a rule not evaluated for want of a group no row shows', () => {
  it('says to give the flags when the snapshot does not record them (ss -o prints no timer where none is pending)', async () => {
    const tanp = path.join(ROOT, 'fixtures/real/small.tanp.ss');
    const reason = async (args: string[]) => {
      const r = await runCli(['scan', tanp, '--format', 'json', '--fail-on', 'none', ...args]);
      return Object.fromEntries(jsonReport(r).notEvaluated.map((n) => [n.ruleId, n.reason]));
    };
    const unknown = await reason([]);
    expect(unknown.retransmitting).toBe('needs timer information (ss -o or -e), not captured (no row shows it: if ss was run with -o, say so with --ss-flags)');
    expect(unknown['high-rtt']).toBe('needs TCP internals (ss -i), not captured');
    const known = await reason(['--ss-flags=-tanp']);
    expect(known.retransmitting).toBe('needs timer information (ss -o or -e), not captured');
    expect((await reason(['--ss-flags=-tanpo'])).retransmitting).toBeUndefined();
  });

  it('says to give the query of a capture without a State column (ss -tnp state established)', async () => {
    const snap = config('established.ss', [
      'Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
      '0      0          127.0.0.1:3306     127.0.0.1:40844 users:(("python3",pid=32637,fd=5))',
      '',
    ].join('\n'));
    const reason = async (args: string[]) => {
      const r = await runCli(['scan', snap, '--format', 'json', '--fail-on', 'none', ...args]);
      return Object.fromEntries(jsonReport(r).notEvaluated.map((n) => [n.ruleId, n.reason]));
    };
    const unknown = await reason([]);
    expect(unknown['recv-queue-backlog']).toBe('needs the socket state (a State column, or a query that implies it), not captured (if ss was run with a state filter such as state established, say so with --ss-flags)');
    expect(unknown['root-listener-exposed']).toBe('needs the socket state (a State column, or a query that implies it) and extended socket details (ss -e), not captured (if ss was run with a state filter such as state established, say so with --ss-flags)');
    expect(unknown.retransmitting).toBe('needs timer information (ss -o or -e), not captured (no row shows it: if ss was run with -o, say so with --ss-flags)');
    const told = await reason(['--ss-flags=-tnp state established']);
    expect(told['recv-queue-backlog']).toBeUndefined();
    expect(told.retransmitting).toBe('needs timer information (ss -o or -e), not captured');
  });

  it('is worded for one snapshot or many: the text report writes one reason for every snapshot that shares it', async () => {
    const tan = path.join(ROOT, 'fixtures/real/small.tan.ss');
    const tanp = path.join(ROOT, 'fixtures/real/small.tanp.ss');
    const r = await runCli(['scan', tan, tanp, '--fail-on', 'none', '-f', 'text']);
    const lines = r.stdout.split('\n');
    const reasonOf = (rule: string) => lines.find((l) => l.startsWith(`  ${rule}  `));
    expect(reasonOf('high-rtt')).toBe('  high-rtt  2 snapshots: needs TCP internals (ss -i), not captured');
    expect(reasonOf('retransmitting')).toBe('  retransmitting  2 snapshots: needs timer information (ss -o or -e), not captured (no row shows it: if ss was run with -o, say so with --ss-flags)');
    expect(r.stdout).not.toMatch(/this snapshot|the capture had/);
  });
});
