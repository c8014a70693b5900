import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { DEFAULT_PACK_CACHE, DEFAULT_PACK_DIR, formatRuleList, listRules, loadRulePack, renderDefaultPackCache } from '../../src/rules/pack';
import { formatRuleTestRun, parseVarsDirective, runRuleTests } from '../../src/rules/test-runner';
import { ruleYaml } from './helpers';

const REQUIRED = [
  'dangerous-port-exposed', 'unexpected-listener', 'close-wait-excess', 'time-wait-excess', 'syn-sent-excess',
  'listen-queue-overflow', 'recv-queue-backlog', 'send-queue-backlog', 'high-rtt', 'retransmitting', 'socket-memory-pressure',
];

describe('default pack', () => {
  if (process.env.UPDATE_GENERATED) fs.writeFileSync(DEFAULT_PACK_CACHE, renderDefaultPackCache());

  it('has an up-to-date cache (regenerate: UPDATE_GENERATED=1 npx jest test/rules)', () => {
    expect(fs.readFileSync(DEFAULT_PACK_CACHE, 'utf8')).toBe(renderDefaultPackCache());
  });

  it('loads without diagnostics, fast, and holds the required rules', () => {
    const t0 = Date.now();
    const pack = loadRulePack([], { includeDefault: true });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(pack.diagnostics).toEqual([]);
    const ids = pack.definitions.map((d) => d.id);
    for (const id of REQUIRED) expect(ids).toContain(id);
  });

  it('lists rules with what they need', () => {
    const list = listRules(loadRulePack([], { includeDefault: true }).definitions);
    const byId = Object.fromEntries(list.map((r) => [r.id, r]));
    expect(byId['high-rtt'].requires).toEqual(['tcpinfo']);
    expect(byId['close-wait-excess'].requires).toEqual(['state']);
    expect(byId['close-wait-excess'].aggregate).toBe(true);
    expect(byId['dangerous-port-exposed'].securitySeverity).toBe(8.6);
    expect(formatRuleList(list).split('\n')[0]).toMatch(/^close-wait-excess\s+warning\s+health\/aggregate\s+Too many CLOSE-WAIT/);
  });

  it('passes its own annotated fixtures (parsed by the real parser, evaluated by the real engine)', () => {
    const run = runRuleTests([DEFAULT_PACK_DIR]);
    const text = formatRuleTestRun(run);
    expect(run.diagnostics).toEqual([]);
    expect(run.failed).toBe(0);
    expect(text.trimEnd().split('\n').pop()).toBe(`${run.passed} passed, 0 failed`);
    for (const r of run.results) {
      expect(r.firing).toBeGreaterThan(0);
      expect(r.passing).toBeGreaterThan(0);
    }
  });
});

describe('rule test runner', () => {
  let dir: string;
  const header = 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port';
  const rule = ruleYaml('    vars:\n      threshold: {type: number, default: 10}\n    match:\n      netid: tcp\n      state: LISTEN\n      recvQ: {gt: $threshold}').replace('{local} {process}', '{local} has {recvQ}');
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-rt-'));
    fs.writeFileSync(path.join(dir, 'test-rule.yaml'), rule);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true }));
  const fixture = (lines: string[]) => fs.writeFileSync(path.join(dir, 'test-rule.test.ss'), `${lines.join('\n')}\n`);

  it('reports expected vs actual with file:line, and an exact summary line', () => {
    fixture([
      '# flags: -tan',
      '# vars: threshold=2',
      header,
      '# ruleid: test-rule',
      'tcp   LISTEN 5      4      0.0.0.0:22   0.0.0.0:*',
      '# ruleid: test-rule',
      'tcp   LISTEN 1      4      0.0.0.0:80   0.0.0.0:*',
      '# ok: test-rule',
      'tcp   LISTEN 9      4      0.0.0.0:443  0.0.0.0:*',
      'tcp   LISTEN 7      4      0.0.0.0:8080 0.0.0.0:*',
    ]);
    const run = runRuleTests([dir]);
    const out = formatRuleTestRun(run);
    const f = path.join(dir, 'test-rule.test.ss');
    expect(out).toContain('✗ test-rule (2 firing, 1 passing)');
    expect(out).toContain(`${f}:7: expected test-rule to fire on this socket`);
    expect(out).toContain(`${f}:9: expected test-rule not to fire on this socket`);
    expect(out).toContain('      actual:   0.0.0.0:443 has 9');
    expect(out).toContain(`${f}:10: unexpected test-rule finding on a socket not annotated \`# ruleid: test-rule\``);
    expect(out.trimEnd().split('\n').pop()).toBe('0 passed, 1 failed');
  });

  it('says when a rule on the netid cannot be evaluated on a fixture whose table is unknown', () => {
    const rows = ['ESTAB 50 0 10.0.0.1:22 10.0.0.9:5555', '# ok: test-rule', 'ESTAB 0 0 10.0.0.1:22 10.0.0.9:5556'];
    fixture(['State Recv-Q Send-Q Local Address:Port Peer Address:Port', '# ruleid: test-rule', ...rows]);
    const rt = 'rules:\n  - id: test-rule\n    title: t\n    description: d\n    kind: health\n    severity: warning\n    help: h\n    message: m\n    match: {netid: tcp, recvQ: {gt: 0}}\n';
    fs.writeFileSync(path.join(dir, 'test-rule.yaml'), rt);
    expect(runRuleTests([dir]).results[0].failures[0].message).toMatch(/^rule was not evaluated on this fixture: needs each socket's table \(netid\), which 2 sockets/);
    fixture(['# flags: -tn', 'State Recv-Q Send-Q Local Address:Port Peer Address:Port', '# ruleid: test-rule', ...rows]);
    expect(runRuleTests([dir]).failed).toBe(0);
  });

  it('fails a rule without a firing or a passing case', () => {
    fixture([header, '# ruleid: test-rule', 'tcp   LISTEN 50     4      0.0.0.0:22   0.0.0.0:*']);
    const run = runRuleTests([dir]);
    expect(run.failed).toBe(1);
    expect(run.results[0].failures.map((x) => x.message)).toEqual(['no passing case: add a fixture line annotated `# ok: test-rule`']);
  });

  it('a rule no fixture names gets one failure saying where its fixture goes and what it holds', () => {
    fixture([header, '# ruleid: test-rule', 'tcp   LISTEN 50     4      0.0.0.0:22   0.0.0.0:*']);
    const rt = 'rules:\n  - id: lone-rule\n    title: t\n    description: d\n    kind: health\n    severity: warning\n    help: h\n    message: m\n    match: {recvQ: {gt: 0}}\n';
    fs.writeFileSync(path.join(dir, 'lone.yaml'), rt);
    const lone = runRuleTests([dir]).results.find((r) => r.ruleId === 'lone-rule')!;
    expect(lone.failures.map((x) => `${x.file}:${x.line}: ${x.message}`)).toEqual([
      `${path.join(dir, 'lone.yaml')}:2: no fixture tests it: write ${path.join(dir, 'lone.test.ss')} beside it, ss output whose rows are annotated ` +
        '`# ruleid: lone-rule` (must fire) and `# ok: lone-rule` (must not); see "Rule tests" in docs/rule-language.md',
    ]);
  });

  it('flags annotations that are not followed by a socket, unknown ids and unused vars', () => {
    fixture([
      '# vars: treshold=3, nope.threshold=2',
      header,
      '# ruleid: test-rule',
      'tcp   LISTEN 50     4      0.0.0.0:22   0.0.0.0:*',
      '# ok: test-rule',
      'tcp   LISTEN 0      4      0.0.0.0:23   0.0.0.0:*',
      '# ruleid: no-such-rule',
      'tcp   LISTEN 0      4      0.0.0.0:24   0.0.0.0:*',
      '# ok: test-rule',
    ]);
    const run = runRuleTests([dir]);
    const msgs = run.results.flatMap((r) => r.failures.map((x) => `${x.line}: ${x.message}`));
    expect(msgs).toEqual(expect.arrayContaining([
      '9: annotation \'ok: test-rule\' is not followed by a socket line',
      "7: unknown rule id 'no-such-rule' in annotation",
    ]));
    // a directive's unknown names are problems of the fixture (exit 2), where they are written, as those of the
    // `rule-id.name` form are
    expect(run.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message} (${d.hint})`)).toEqual(expect.arrayContaining([
      "1:18 unknown-variable vars directive sets 'treshold', which no annotated rule declares (did you mean 'threshold'?)",
      "1:36 unknown-rule vars directive targets rule 'nope', which is not annotated in this fixture (annotated here: test-rule, no-such-rule)",
    ]));
  });

  it('reports a rule the fixture cannot evaluate (missing field groups)', () => {
    fs.writeFileSync(path.join(dir, 'test-rule.yaml'), rule.replace('recvQ: {gt: $threshold}', 'recvQ: {gt: $threshold}\n      tcp.rtt: {gt: 1}'));
    fixture([header, '# ruleid: test-rule', 'tcp   LISTEN 50     4      0.0.0.0:22   0.0.0.0:*', '# ok: test-rule', 'tcp   LISTEN 0      4      0.0.0.0:23   0.0.0.0:*']);
    const run = runRuleTests([dir]);
    expect(run.results[0].failures[0].message).toMatch(/^rule was not evaluated on this fixture: needs TCP internals/);
  });

  it('a bad vars value is cited at its column, under the rule, without "no firing case" for the fixture it kept from running', () => {
    fixture([
      '# vars: threshold=  oops',
      header,
      '# ruleid: test-rule',
      'tcp   LISTEN 50     4      0.0.0.0:22   0.0.0.0:*',
      '# ok: test-rule',
      'tcp   LISTEN 0      4      0.0.0.0:23   0.0.0.0:*',
    ]);
    const run = runRuleTests([dir]);
    const f = path.join(dir, 'test-rule.test.ss');
    expect(formatRuleTestRun(run)).toBe([
      '✗ test-rule (0 firing, 0 passing)',
      `    ${f}:1:21: variable 'threshold' of rule 'test-rule' (number) must be a number, not the string 'oops' [bad-variable]`,
      '0 passed, 1 failed',
      '',
    ].join('\n'));
    expect(run.diagnostics).toHaveLength(1); // exit 2, as before
  });

  it('parses vars directives', () => {
    expect(parseVarsDirective('threshold=2, ports=[22, 80], close-wait-excess.threshold=5, name="a,b"')).toEqual({
      vars: { threshold: 2, ports: [22, 80], 'close-wait-excess.threshold': 5, name: 'a,b' },
      at: { threshold: 10, ports: 19, 'close-wait-excess.threshold': 57, name: 65 },
    });
    expect(parseVarsDirective('oops').error).toBe("cannot read 'oops': write name=value");
  });
});

describe('rule test runner on single files', () => {
  it('a rule file named alone brings its fixtures', () => {
    const run = runRuleTests([path.join(DEFAULT_PACK_DIR, 'close-wait-excess.yaml')]);
    expect(run.results.map((r) => [r.ruleId, r.passed, r.fixtures.length])).toEqual([['close-wait-excess', true, 2]]);
  });
});

describe('rule folders', () => {
  let root: string;
  const rule = (id: string) => ruleYaml('    match:\n      state: LISTEN').replace('test-rule', id);
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-folders-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const ids = (p: string) => loadRulePack([p], { includeDefault: false });

  it('follow symbolic links to folders and files; a file reached twice is read once; a link loop is walked once', () => {
    fs.mkdirSync(path.join(root, 'shared'));
    fs.writeFileSync(path.join(root, 'shared', 'a.yaml'), rule('shared-rule'));
    fs.mkdirSync(path.join(root, 'pack'));
    fs.writeFileSync(path.join(root, 'pack', 'b.yaml'), rule('own-rule'));
    fs.symlinkSync('../shared', path.join(root, 'pack', 'shared'));
    fs.symlinkSync('../shared/a.yaml', path.join(root, 'pack', 'again.yaml'));
    fs.symlinkSync('.', path.join(root, 'pack', 'loop'));
    const r = ids(path.join(root, 'pack'));
    expect(r.diagnostics).toEqual([]);
    expect(r.definitions.map((d) => d.id).sort()).toEqual(['own-rule', 'shared-rule']);
  });

  it('a rules path that cannot be read is said in words: missing, a file in the path, a name too long', () => {
    fs.writeFileSync(path.join(root, 'a.yaml'), rule('a-rule'));
    const said = (p: string) => ids(path.join(root, p)).diagnostics.map((d) => [d.code, d.message, d.hint]);
    expect(said('nosuch')).toEqual([['unreadable-file', 'rules path not found', undefined]]);
    // was "cannot be read (ENOTDIR)"
    expect(said('a.yaml/x.yaml')).toEqual([['unreadable-file', 'cannot read the rules path (a part of the path is a file, not a folder)', undefined]]);
    expect(said('n'.repeat(300))).toEqual([['unreadable-file', 'cannot read the rules path (the path, or a name in it, is too long)', 'a file or folder name is at most 255 bytes on most file systems']]);
  });

  it('named twice, or inside one named before (a config\'s packs: and --rules alike), are read once, not reported empty', () => {
    fs.mkdirSync(path.join(root, 'pack', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pack', 'a.yaml'), rule('a-rule'));
    fs.writeFileSync(path.join(root, 'pack', 'sub', 'b.yaml'), rule('b-rule'));
    const pack = path.join(root, 'pack');
    for (const paths of [[pack, pack], [pack, path.join(pack, 'sub')], [pack, `${pack}/`]]) {
      const r = loadRulePack(paths, { includeDefault: false });
      expect({ paths, diagnostics: r.diagnostics }).toEqual({ paths, diagnostics: [] });
      expect(r.definitions.map((d) => d.id)).toEqual(['a-rule', 'b-rule']);
    }
    // an empty folder is still reported, named twice or not
    fs.mkdirSync(path.join(root, 'empty'));
    const empty = path.join(root, 'empty');
    expect(loadRulePack([empty, empty], { includeDefault: false }).diagnostics.map((d) => d.code)).toEqual(['no-rule-files']);
  });

  it('say what they could not search or read: a folder too deep, a pipe, a broken link', () => {
    let deep = path.join(root, 'pack');
    for (let i = 0; i < 18; i++) deep = path.join(deep, `d${i}`);
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'deep.yaml'), rule('deep-rule'));
    fs.writeFileSync(path.join(root, 'pack', 'top.yaml'), rule('top-rule'));
    execFileSync('mkfifo', [path.join(root, 'pack', 'p.yaml')]);
    fs.symlinkSync('nowhere.yaml', path.join(root, 'pack', 'gone.yaml'));
    fs.symlinkSync(path.join(root, 'l2'), path.join(root, 'l1'));
    fs.symlinkSync(path.join(root, 'l1'), path.join(root, 'l2'));
    expect(ids(path.join(root, 'l1')).diagnostics.map((d) => d.message)).toEqual(['cannot read the rules path (a loop of symbolic links)']);
    const t0 = Date.now();
    const r = ids(path.join(root, 'pack'));
    expect(Date.now() - t0).toBeLessThan(2000); // the pipe is not opened
    expect(r.definitions.map((d) => d.id)).toEqual(['top-rule']);
    expect(r.diagnostics.map((d) => [path.relative(root, d.file), d.code])).toEqual([
      [path.join('pack', 'd0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'd11', 'd12', 'd13', 'd14', 'd15', 'd16'), 'folder-too-deep'],
      [path.join('pack', 'gone.yaml'), 'unreadable-file'],
      [path.join('pack', 'p.yaml'), 'not-a-file'],
    ]);
    // a dangling link in the folder, said in words (read-problem.ts), not as an errno
    expect(r.diagnostics.find((d) => d.file.endsWith('gone.yaml'))!.message).toBe("symbolic link's target not found");
  });
});

describe('rule text a rule author wrote', () => {
  it('is shown escaped by rules list and rules docs: no ESC, BEL, CR or NUL reaches the terminal', async () => {
    const { loadRuleText } = await import('../../src/rules/pack');
    const { renderRulesReference } = await import('../../src/rules/reference');
    const text = ruleYaml('    match:\n      state: LISTEN').replace('title: Test rule', 'title: "\\e[2J\\e[31mEVIL\\a x\\ry\\0"')
      .replace('help: Fix it.', 'help: "line one\\nline two \\e]0;pwned\\a"');
    const pack = loadRuleText(text, 'r.yaml');
    expect(pack.diagnostics).toEqual([]);
    const list = formatRuleList(listRules(pack.definitions));
    const docs = renderRulesReference(pack.definitions);
    for (const out of [list, docs]) expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(list).toContain('\\x1b[2J\\x1b[31mEVIL\\x07 x\\ry\\x00');
    expect(docs).toContain('line one\nline two \\x1b]0;pwned\\x07');
  });
});

describe("the benchmark's own rules (bench/rules: a user's kind of rule, bench/README.md)", () => {
  it('load without a problem and keep their ids apart from the built-in pack', () => {
    const pack = loadRulePack([path.resolve(__dirname, '../../bench/rules')], { includeDefault: true });
    expect(pack.diagnostics).toEqual([]);
    const own = pack.definitions.filter((d) => d.id.startsWith('bench-')).map((d) => d.id).sort();
    expect(own).toEqual(['bench-cleartext-peer', 'bench-peer-outside', 'bench-peer-public', 'bench-time-wait-per-peer']);
  });
});
