import * as fs from 'node:fs';
import { formatters } from '../../src/report';
import { num } from '../../src/report/text';
import { escapeTerminal, stripControl } from '../../src/report/sanitize';
import { CTX, sampleReport } from './fixtures';
import { tempDir } from './helpers';
import { configWaivers, loadConfig } from '../../src/engine/config';
import { WaiverFilter } from '../../src/engine/waivers';
import { groupFingerprint } from '../../src/engine/fingerprint';
import { yamlFlow } from '../../src/report/group';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';

const text = (color = false): string => formatters.text.format(sampleReport(), { ...CTX, color });

describe('text report', () => {
  test('grouped by severity, then rule; each finding with its socket and file:line', () => {
    const out = text();
    const error = out.indexOf('ERROR (3)');
    const warning = out.indexOf('WARNING (2)');
    const note = out.indexOf('NOTE (2)');
    expect(error).toBeGreaterThan(0);
    expect(warning).toBeGreaterThan(error);
    expect(note).toBeGreaterThan(warning);
    expect(out.indexOf('telnet-listening')).toBeLessThan(out.indexOf('close-wait-excess  Too many'));
    expect(out).toContain('snapshots/db-1.ss:14 (db-1)  tcp LISTEN 0.0.0.0:3306 mysqld[812]');
    expect(out).toContain('tcp LISTEN [::]:5432');
    expect(out).toContain('<stdin>:3 (edge)  tcp LISTEN [fe80::1]%eth0:8443');
    expect(out).toContain('u_str LISTEN /run/');
  });

  test('counts are grouped by thousands with commas, whatever the locale', () => {
    expect([0, 7, 999, 1000, 12345, 1234567, 10000000, -1234, 1234.5].map(num)).toEqual(
      ['0', '7', '999', '1,000', '12,345', '1,234,567', '10,000,000', '-1,234', '1234.5']);
  });

  test('the header names the first hosts of a fleet and counts the rest; counts are grouped by thousands', () => {
    const report = sampleReport();
    const first = report.snapshots[0];
    report.snapshots = Array.from({ length: 1000 }, (_, i) => ({ ...first, file: `fleet/h${i}.ss`, host: `h${i}` }));
    report.summary = { ...report.summary, snapshots: 1000, sockets: 10_000_000 };
    const out = formatters.text.format(report, { ...CTX, color: false });
    const header = out.split('\n')[0];
    // counts grouped by thousands, the same in every locale
    expect(out).toMatch(/^Summary: .*; 1,000 snapshots, 10,000,000 sockets, /m);
    expect(header).toMatch(/^socklint \S+ {2}1,000 snapshots \(h0, h1, h2, h3, h4 and 995 more\), /);
    expect(header.length).toBeLessThan(120);
    const few = sampleReport();
    expect(formatters.text.format(few, { ...CTX, color: false }).split('\n')[0]).toContain(`(${[...new Set(few.snapshots.map((x) => x.host))].join(', ')})`);
  });

  test('not-evaluated rules: one line per reason and set of rules, naming the snapshots that share it', () => {
    const report = sampleReport();
    const ne = (ruleId: string, file: string, reason: string) => ({ ruleId, host: file.replace(/\.ss$/, ''), file, reason });
    const memory = 'needs socket memory (ss -m), not captured';
    report.notEvaluated = [
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g'].flatMap((h) => [ne('socket-drops', `${h}.ss`, memory), ne('socket-memory-pressure', `${h}.ss`, memory)]),
      ne('socket-drops', 'h.ss', memory),
      ne('recv-queue-backlog', 'q.ss', 'needs each socket\'s table (netid), which 2 sockets lack'),
    ];
    const out = formatters.text.format(report, { ...CTX, color: false });
    const section = out.slice(out.indexOf('Not evaluated (16)'), out.indexOf('\n\n', out.indexOf('Not evaluated (16)')));
    expect(section.split('\n')).toEqual([
      'Not evaluated (16)',
      `  socket-drops, socket-memory-pressure  7 snapshots: ${memory}`,
      '    a.ss (a), b.ss (b), c.ss (c), d.ss (d), e.ss (e) and 2 more',
      `  socket-drops  h.ss (h): ${memory}`,
      "  recv-queue-backlog  q.ss (q): needs each socket's table (netid), which 2 sockets lack",
    ]);
  });

  test('aggregates show observed vs threshold, the group and top offenders', () => {
    const out = text();
    expect(out).toContain('observed 57, threshold 20  group: {state: CLOSE-WAIT, process: java}');
    expect(out).toContain('top offenders:');
    expect(out).toContain('snapshots/web 1/web-1.ss:41  tcp CLOSE-WAIT 10.0.0.1:8080 -> [2001:db8:77::9]:40000 java[900]');
    expect(out).toContain('… and 54 more sockets');
  });

  test('waived findings, not-evaluated rules, per-rule caps, waivers, unparsed lines and a summary line', () => {
    const out = text();
    expect(out).toMatch(/Waived \(1\)\n  no-public-db  snapshots\/web 1\/web-1.ss:11  tcp LISTEN 10.0.0.5:27017 mongod\[450\]\n    waiver: Legacy reporting DB/);
    expect(out).toContain('owner dba-team, ticket OPS-1234, expires 2027-01-31');
    expect(out).toContain('Not evaluated (1)\n  close-wait-excess  <stdin> (edge): needs the socket state');
    expect(out).toContain('telnet-listening  snapshots/web 1/web-1.ss (web-1.example.com): 3 more findings');
    expect(out).toContain('socklint.yaml:12  telnet-listening: expired 2025-01-01 — old lab box');
    expect(out).toContain('Unparsed lines (2)');
    expect(out.trimEnd().split('\n').pop()).toBe(
      'Summary: 3 errors, 2 warnings, 2 notes; 1 waived; 3 not listed; 1 rule not evaluated; 4 snapshots, 88 sockets (1 of unknown table), 2 unparsed lines',
    );
  });

  test('findings the baseline accepts are counted per rule under its reason; waived ones listed up to the per-rule cap', () => {
    const report = sampleReport();
    const waived = report.findings.find((f) => f.suppressed)!;
    const base = report.findings.find((f) => f.ruleId === 'telnet-listening')!;
    const baseline = { kind: 'baseline' as const, reason: 'already in baseline base.json (recorded 2026-12-01)' };
    const copies = (f: typeof base, n: number, extra: object) => Array.from({ length: n }, (_, i) => ({ ...f, location: { ...f.location, line: 100 + i }, ...extra }));
    report.findings = [
      ...report.findings.filter((f) => !f.suppressed),
      ...copies(waived, 30, {}),
      ...copies(base, 3000, { suppressed: baseline }),
      ...copies({ ...base, ruleId: 'no-public-db' }, 2, { suppressed: baseline }),
    ];
    report.summary = { ...report.summary, suppressed: 3032 };
    report.omitted = report.omitted.map((o) => ({ ...o, suppressed: { waiver: 1, baseline: 2 } }));
    const out = formatters.text.format(report, { ...CTX, color: false });
    expect(out).toContain('telnet-listening  snapshots/web 1/web-1.ss (web-1.example.com): 3 more findings (1 of them waived, 2 in the baseline)');
    expect(out).toContain('Waived (30)\n');
    expect(out.match(/^ {4}waiver: Legacy reporting DB/gm)).toHaveLength(25);
    expect(out).toContain('  … and 5 more waived findings of no-public-db (--format json or sarif lists them all)\n');
    expect(out).toContain([
      'In the baseline (3,002)',
      '  already in baseline base.json (recorded 2026-12-01)',
      '    no-public-db  (2)',
      '    telnet-listening  (3,000)',
    ].join('\n'));
    expect(out).not.toMatch(/^ {4}baseline: /m);
    expect(out.trimEnd().split('\n').pop()).toMatch(/^Summary: 3 errors, 2 warnings, 2 notes; 30 waived; 3,002 in the baseline; 3 not listed \(1 of them waived, 2 in the baseline\); /);
    report.omitted = report.omitted.map((o) => ({ ...o, suppressed: { baseline: 3 } }));
    expect(formatters.text.format(report, { ...CTX, color: false })).toContain(': 3 more findings (3 of them in the baseline)');
  });

  test('snapshot text is escaped: no raw control characters, no bidi overrides', () => {
    const out = text();
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('evil\\x1b[2J\\x1b[31;1m"proc\'<&>\\x00\\u202eSARIF_BUILDER_INVALID[901]');
    expect(out).toContain('/run/\\x1b]0;pwned\\x07app');
    expect(out).toContain('firewalled \\x1b[8m"hidden"');
  });

  test('colours only when asked; with colour, the only escapes are our own SGR sequences', () => {
    expect(text(false)).not.toContain('\u001b');
    const coloured = text(true);
    expect(coloured).toContain('\u001b[1;31mERROR (3)\u001b[0m');
    const escapes = coloured.match(/\u001b[^m]*m/g) ?? [];
    for (const esc of escapes) expect(esc).toMatch(/^\u001b\[(?:0|1|2|1;3[1236])m$/);
    // stripping our colours gives the plain report back
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text(false));
  });

  test('counts the rules not evaluated, not the (rule, snapshot) pairs', () => {
    const ne = (ruleId: string, file: string) => ({ ruleId, host: file, file, reason: 'needs x' });
    const report = { ...sampleReport(), notEvaluated: [ne('a', 'f1'), ne('b', 'f1'), ne('a', 'f2'), ne('b', 'f2')] };
    expect(formatters.text.format(report, CTX)).toMatch(/; 2 rules not evaluated on 2 snapshots; /);
    const one = { ...sampleReport(), notEvaluated: [ne('a', 'f1'), ne('b', 'f1')] };
    expect(formatters.text.format(one, CTX)).toMatch(/; 2 rules not evaluated; /);
  });

  test('a clean scan says so', () => {
    const report = { ...sampleReport(), findings: [], omitted: [], notEvaluated: [], waivers: [] };
    report.summary = { ...report.summary, findings: 0, suppressed: 0, byLevel: { error: 0, warning: 0, note: 0 }, omitted: 0, notEvaluated: 0 };
    const out = formatters.text.format(report, CTX);
    expect(out).not.toContain('ERROR');
    expect(out).toContain('Summary: 0 errors, 0 warnings, 0 notes; 0 waived; 0 rules not evaluated');
  });
});

describe('sanitizers', () => {
  /** The bidirectional controls stripControl removes. */
  const bidi = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

  test('stripControl removes ANSI sequences whole (CSI, OSC, 8-bit CSI, two-byte ESC)', () => {
    expect(stripControl('a\u001b[1;31mred\u001b[0m')).toBe('ared');
    expect(stripControl('x\u001b]0;title\u0007y')).toBe('xy');
    expect(stripControl('x\u001b]8;;http://e\u001b\\link\u001b]8;;\u001b\\y')).toBe('xlinky');
    expect(stripControl('x\u009b2Jy')).toBe('xy');
    expect(stripControl('x\u001bcy')).toBe('xy');
    expect(stripControl('tab\tnl\nnul\u0000')).toBe('tab nl nul');
    expect(stripControl('l1\r\nl2\u0007', true)).toBe('l1\nl2');
    expect(stripControl('\u202eevil\u2066')).toBe('evil');
    expect(stripControl('bad\ud800')).toBe('bad\ufffd');
  });

  test('stripControl changes every code unit it should, text without one coming back as it is', () => {
    for (let u = 0; u <= 0xffff; u++) {
      const c = String.fromCharCode(u);
      const control = u <= 0x1f || (u >= 0x7f && u <= 0x9f);
      const expected = u >= 0xd800 && u <= 0xdfff ? 'a\ufffd' : u === 9 || u === 10 || u === 13 ? 'a ' : control || bidi.has(u) ? 'a' : `a${c}`;
      if (stripControl(`a${c}`) !== expected) throw new Error(`U+${u.toString(16)}: ${JSON.stringify(stripControl(`a${c}`))}`);
    }
    const clean = 'tcp ESTAB 10.0.0.1:22 -> 10.0.0.2:5555 sshd[1] “quoted” 😀';
    expect(stripControl(clean)).toBe(clean);
    expect(stripControl('pair 😀 and lone \ud83d', true)).toBe('pair 😀 and lone \ufffd');
  });

  test('stripControl of multiline text keeps tabs and line feeds, makes CR line ends LF, and changes the rest as above', () => {
    for (let u = 0; u <= 0xffff; u++) {
      const c = String.fromCharCode(u);
      const control = u <= 0x1f || (u >= 0x7f && u <= 0x9f);
      // (last: an unterminated escape string, which C1 controls like U+0090 start, runs to the end of the text)
      const expected = u >= 0xd800 && u <= 0xdfff ? 'a\tb\n\ufffd' : u === 13 ? 'a\tb\n\n' : control && u !== 9 && u !== 10 || bidi.has(u) ? 'a\tb\n' : `a\tb\n${c}`;
      const got = stripControl(`a\tb\n${c}`, true);
      if (got !== expected) throw new Error(`U+${u.toString(16)}: ${JSON.stringify(got)}`);
    }
    const lines = 'line one\tcol\nline two “quoted” 😀\n';
    expect(stripControl(lines, true)).toBe(lines);
  });

  test('escapeTerminal makes every control visible', () => {
    expect(escapeTerminal('a\u001b[2Jb\u202ec')).toBe('a\\x1b[2Jb\\u202ec');
    // line and paragraph separators: a terminal or log viewer may start a new line there
    expect(escapeTerminal('a\u2028b\u2029c\u0085d')).toBe('a\\u2028b\\u2029c\\x85d');
  });
});

test('lists at most 25 findings per rule and says how many more there are', () => {
  const base = sampleReport();
  const one = base.findings.find((f) => f.socket)!;
  const many = Array.from({ length: 60 }, (_, i) => ({ ...one, ruleId: 'bulk-rule', location: { ...one.location, line: i + 1 }, fingerprint: `f${i}` }));
  const report = { ...base, findings: many, rules: [...base.rules, { ...base.rules[0], id: 'bulk-rule', title: 'Bulk' }] };
  const out = formatters.text.format(report, { cwd: process.cwd(), color: false });
  expect(out.match(/bulk-rule/g)).toHaveLength(1);
  expect(out).toContain('… and 35 more findings of this rule');
});

test("an aggregate's group is shown as a waiver's group: is written, and that waiver waives this group and no other", () => {
  const report = sampleReport();
  const template = report.findings.find((f) => f.ruleId === 'close-wait-excess')!;
  // the unknown group (a capture without ss -p) and processes whose names read like it, or like other YAML
  const processes = [null, '-', 'null', 'Null', '~', 'java', '10.0.0.9', '5432', 'a, b: {c}', '#x', 'evil\u001b[2J\\', '*', 'true'];
  report.findings = processes.map((process, i) => {
    const group = { state: 'CLOSE-WAIT', process };
    return { ...template, group, location: { ...template.location, line: 100 + i }, fingerprint: groupFingerprint('close-wait-excess', template.host, group) };
  });
  const out = formatters.text.format(report, { ...CTX, color: false });
  const shown = processes.map((_, i) => new RegExp(`:${100 + i} .*  group: (\\{.*\\})$`, 'm').exec(out)?.[1]);
  expect(shown.slice(0, 3)).toEqual(['{state: CLOSE-WAIT, process: null}', '{state: CLOSE-WAIT, process: "-"}', '{state: CLOSE-WAIT, process: "null"}']);
  const dir = tempDir();
  shown.forEach((group, i) => {
    const file = `${dir}/c${i}.yaml`;
    fs.writeFileSync(file, `waivers:\n  - rule: close-wait-excess\n    group: ${group}\n    reason: pasted from the text report\n    expires: 2099-12-31\n`);
    const filter = new WaiverFilter(configWaivers(loadConfig(file)), new Date('2026-11-30T00:00:00Z'));
    expect([processes[i], report.findings.map((f) => filter.suppress(f) !== undefined)]).toEqual([processes[i], processes.map((_, j) => j === i)]);
  });
});

test('every group value reads back from the text as the value it is (YAML, after the terminal escapes)', () => {
  const value = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 65535 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('-', 'null', 'NULL', '~', 'yes', 'off', '0x1F', '1e3', '.inf', '-1', '+1', '1_000', '@x', '`x', '!x', '&x', '*x', '|', '>', '%x', "'x", '"x', 'a #b', 'a: b', 'a,b', '[x]', '{x}', '? x', ' x', 'x '));
  fc.assert(fc.property(value, (process) => {
    const shown = escapeTerminal(yamlFlow({ process }));
    const read = parseYaml(shown) as { process: unknown };
    expect([shown, read.process]).toEqual([shown, process]);
  }), { numRuns: 1000 });
});

test('waivers whose last day is within 14 days are listed, soonest first, with the days left (UTC calendar days)', () => {
  const report = sampleReport(); // CTX.now: 2026-11-25T18:31Z
  const waiver = (reason: string, expires: string, line: number) => ({ ruleId: 'no-public-db', reason, expires, location: { file: 'c.yaml', line }, waived: line });
  report.waiversInForce = [
    waiver('two weeks away', '2026-12-09', 1), // 14 days left: not yet
    waiver('next week', '2026-12-02', 2),
    waiver('today', '2026-11-25', 3),
    waiver('last one listed', '2026-12-08', 4),
    waiver('far', '2099-01-01', 5),
  ];
  const out = formatters.text.format(report, { ...CTX, color: false });
  const section = out.slice(out.indexOf('Waivers expiring within 14 days'));
  expect(section.split('\n').slice(0, 4)).toEqual([
    'Waivers expiring within 14 days (3)',
    '  c.yaml:3  no-public-db: last day 2026-11-25 (today), waived 3 findings — today',
    '  c.yaml:2  no-public-db: last day 2026-12-02 (in 7 days), waived 2 findings — next week',
    '  c.yaml:4  no-public-db: last day 2026-12-08 (in 13 days), waived 4 findings — last one listed',
  ]);
  expect(formatters.text.format(sampleReport(), { ...CTX, color: false })).not.toContain('Waivers expiring');
});
