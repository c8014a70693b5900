/**
 * Waivers (config `waivers:`): a live waiver marks the findings it matches, each with the same Suppression
 * (its reason, expiry, owner, ticket); an expired one marks none and is reported as expired; one that matched
 * nothing is reported as unused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WaiverFilter } from '../../src/engine/waivers';
import { ConfiguredRules, checkedConfig, configFromChecked, configWaivers, loadConfig } from '../../src/engine/config';
import { GROUP_KEYS } from '../../src/rules/schema-build';
import { sampleReport } from '../report/fixtures';
import type { UserError } from '../../src/diagnostics';

it('marks the findings it matches with one Suppression per waiver, and reports expired and unused waivers', () => {
  const findings = sampleReport().findings;
  const ruleId = findings[0].ruleId;
  const matching = findings.filter((f) => f.ruleId === ruleId);
  const filter = new WaiverFilter([
    { rule: ruleId, reason: 'accepted risk', expires: '2099-12-31', owner: 'ops', ticket: 'OPS-1' },
    { rule: ruleId, reason: 'old one', expires: '2000-01-01' },
    { rule: 'no-such-rule', reason: 'stale', expires: '2099-12-31' },
  ], new Date('2026-11-30T00:00:00Z'));
  const given = findings.map((f) => filter.suppress(f));
  const marked = given.filter((s) => s !== undefined);
  expect(marked).toHaveLength(matching.length);
  expect(marked[0]).toEqual({ kind: 'waiver', reason: 'accepted risk', expires: '2099-12-31', owner: 'ops', ticket: 'OPS-1' });
  for (const s of marked) expect(s).toBe(marked[0]);
  expect(filter.report([snap('web-1', [ruleId, 'no-such-rule'])]).map((w) => [w.ruleId, w.status])).toEqual([[ruleId, 'expired'], ['no-such-rule', 'unused']]);
});

type Snapshots = NonNullable<Parameters<WaiverFilter['report']>[0]>;
const snap = (host: string, rulesEvaluated: string[]) => ({ host, rulesEvaluated }) as unknown as Snapshots[number];
const notEvaluated = (host: string, ruleId: string) => ({ ruleId, host, file: `${host}.ss`, reason: 'needs TCP internals (ss -i)' });
/** Each waiver the report lists: its reason, status and the flags that say why. */
const listed = (filter: WaiverFilter, snapshots: Snapshots, notEv: ReturnType<typeof notEvaluated>[] = []) =>
  filter.report(snapshots, notEv).map((w) => [w.reason, w.status, { ...(w.host ? { host: w.host } : {}), ...(w.ruleNotEvaluated ? { ruleNotEvaluated: true } : {}), ...(w.ruleDisabled ? { ruleDisabled: true } : {}), ...(w.noHostMatched ? { noHostMatched: true } : {}) }]);

it('an unused waiver whose rule was reported not evaluated on its hosts, and evaluated on none, says so (nothing was checked)', () => {
  const filter = new WaiverFilter([
    { rule: 'high-rtt', reason: 'slow link', expires: '2099-12-31' },
    { rule: 'high-rtt', host: 'db-*', reason: 'db link', expires: '2099-12-31' },
    { rule: 'recv-*', reason: 'queues', expires: '2099-12-31' },
  ], new Date('2026-11-30T00:00:00Z'));
  expect(listed(filter, [snap('web-1', ['high-rtt', 'recv-queue-backlog']), snap('db-1', ['recv-queue-backlog'])], [notEvaluated('db-1', 'high-rtt')])).toEqual([
    ['slow link', 'unused', {}], // evaluated on web-1: nothing there to waive
    ['db link', 'unused', { host: 'db-*', ruleNotEvaluated: true }], // its hosts (db-1) reported high-rtt not evaluated
    ['queues', 'unused', {}],
  ]);
});

describe('a waiver for hosts or rules the scan did not run', () => {
  const now = new Date('2026-11-30T00:00:00Z');
  const waivers = () => new WaiverFilter([
    { rule: 'dangerous-port-exposed', host: 'db-*', reason: 'db hosts are firewalled', expires: '2099-01-01' },
    { rule: 'dangerous-port-exposed', host: 'db-*', reason: 'old db exception', expires: '2020-01-01' },
    { rule: 'root-listener-exposed', reason: 'rule is disabled', expires: '2099-01-01' },
    { rule: 'root-listener-exposed', reason: 'expired, rule disabled', expires: '2020-01-01' },
  ], now);
  const evaluated = ['dangerous-port-exposed', 'high-rtt'];

  it('is not listed in a scan of one host when its host: is another\'s (a fleet\'s shared config), expired or not', () => {
    expect(listed(waivers(), [snap('web-01', evaluated)])).toEqual([
      ['rule is disabled', 'unused', { ruleDisabled: true }],
      ['expired, rule disabled', 'expired', { ruleDisabled: true }],
    ]);
    // two snapshots of one host are one host
    expect(listed(waivers(), [snap('web-01', evaluated), snap('web-01', evaluated)]).map(([reason]) => reason)).toEqual(['rule is disabled', 'expired, rule disabled']);
  });

  it('in a scan of several hosts its host pattern matched none of, is listed as such, never as a rule not evaluated', () => {
    expect(listed(waivers(), [snap('web-01', evaluated), snap('lb-01', evaluated)])).toEqual([
      ['db hosts are firewalled', 'unused', { host: 'db-*', noHostMatched: true }],
      ['old db exception', 'expired', { host: 'db-*', noHostMatched: true }],
      ['rule is disabled', 'unused', { ruleDisabled: true }],
      ['expired, rule disabled', 'expired', { ruleDisabled: true }],
    ]);
  });

  it('a rule disabled on some of its hosts and not evaluated on others was not evaluated; one evaluated on any was checked', () => {
    const filter = () => new WaiverFilter([{ rule: 'high-*', reason: 'slow links', expires: '2099-01-01' }], now);
    expect(listed(filter(), [snap('web-01', []), snap('db-01', [])], [notEvaluated('db-01', 'high-rtt')])).toEqual([['slow links', 'unused', { ruleNotEvaluated: true }]]);
    expect(listed(filter(), [snap('web-01', []), snap('db-01', [])])).toEqual([['slow links', 'unused', { ruleDisabled: true }]]);
    expect(listed(filter(), [snap('web-01', ['high-rtt']), snap('db-01', [])], [notEvaluated('db-01', 'high-rtt')])).toEqual([['slow links', 'unused', {}]]);
    // not evaluated on a host the waiver does not cover says nothing about it
    const db = new WaiverFilter([{ rule: 'high-rtt', host: 'db-*', reason: 'db link', expires: '2099-01-01' }], now);
    expect(listed(db, [snap('web-01', []), snap('db-01', [])], [notEvaluated('web-01', 'high-rtt')])).toEqual([['db link', 'unused', { host: 'db-*', ruleDisabled: true }]]);
  });
});

describe('a waiver\'s group', () => {
  it('null is the group of sockets without the key, never a value spelt "null"; other values compare as text', () => {
    const template = sampleReport().findings.find((f) => f.group)!;
    const finding = (group: Record<string, string | number | null>) => ({ ...template, ruleId: 'close-wait-excess', group });
    const waives = (group: Record<string, string | number | null>) => {
      const filter = new WaiverFilter([{ rule: 'close-wait-excess', group, reason: 'accepted', expires: '2099-12-31' }], new Date('2026-11-30T00:00:00Z'));
      return ([{ process: null }, { process: 'null' }, { process: '-' }, { localPort: 5432 }] as Record<string, string | number | null>[]).map((g) => filter.suppress(finding(g)) !== undefined);
    };
    expect(waives({ process: null })).toEqual([true, false, false, false]);
    expect(waives({ process: 'null' })).toEqual([false, true, false, false]);
    expect(waives({ process: '-' })).toEqual([false, false, true, false]);
    expect(waives({ localPort: '5432' })).toEqual([false, false, false, true]);
  });
  it('takes the keys rules group by, and a typo is an unknown key with a suggestion at load time', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/config.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties.waivers.items.properties.group.properties)).toEqual([...GROUP_KEYS]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waiver-'));
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, 'waivers:\n  - rule: close-wait-excess\n    group: {proces: java}\n    reason: known leak\n    expires: 2027-01-01\n');
    expect(() => loadConfig(file)).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ line: 3, column: 13, code: 'unknown-key', hint: "did you mean 'process'?" })] }));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

it('a config or waiver key, or a where: field or operator, named as other tools name it: the one to write instead', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waiver-'));
  const file = path.join(dir, 'c.yaml');
  const hints = (text: string): (string | undefined)[] => {
    fs.writeFileSync(file, text);
    try {
      const config = loadConfig(file);
      ConfiguredRules.load(config, [], true);
      configWaivers(config);
      return [];
    } catch (e) {
      return (e as UserError).diagnostics.map((d) => d.hint);
    }
  };
  try {
    expect(hints('ignore: []\n')).toEqual(["did you mean 'waivers'?"]);
    expect(hints('waivers:\n  - {rule: high-rtt, justification: known, until: 2027-01-01}\n')).toEqual([
      expect.stringMatching(/^add reason: /), "did you mean 'reason'?", "did you mean 'expires'?",
    ]);
    // a waiver's where: is compiled, not checked by the schema: the same words
    expect(hints('waivers:\n  - {rule: high-rtt, reason: known, expires: 2027-01-01, where: {dport: 443, process.name: {regexp: curl}}}\n')).toEqual([
      "did you mean 'peer.port'?", "did you mean 'matches'?",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('a waiver\'s reason is words, not spaces', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waiver-'));
  const file = path.join(dir, 'c.yaml');
  fs.writeFileSync(file, 'waivers:\n  - {rule: high-rtt, reason: "    ", expires: 2027-01-01}\n');
  expect(() => loadConfig(file)).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ line: 2, code: 'bad-format', message: "'waivers[0].reason': '    ' is not a reason in words (not only spaces)" })] }));
  fs.writeFileSync(file, 'waivers:\n  - {rule: high-rtt, reason: " ok ", expires: 2027-01-01}\n');
  expect(() => loadConfig(file)).not.toThrow();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a waiver for the other kind of finding than its rule makes', () => {
  const waiver = (rule: string, body: string) => `  - rule: "${rule}"\n    ${body}\n    reason: known\n    expires: 2027-01-01\n`;
  /** `line code message` of each problem ConfiguredRules.load finds in a config of these waivers. */
  function loadProblems(waivers: string[]): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waiver-'));
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, `waivers:\n${waivers.join('')}`);
    const config = loadConfig(file);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      ConfiguredRules.load(config, [], true);
      return [];
    } catch (e) {
      return (e as { diagnostics: { line: number; code: string; message: string }[] }).diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`);
    }
  }
  it('is refused at load: group: for a per-socket rule, where: for an aggregate, a group key the rule does not group by', () => {
    expect(loadProblems([waiver('dangerous-port-exposed', 'group: {process: mysqld}'), waiver('close-wait-excess', 'where: {process.name: java}'), waiver('close-wait-excess', 'group: {state: CLOSE-WAIT}'), waiver('close-wait-excess', 'group: {process: leaky-app}'), waiver('dangerous-port-exposed', 'where: {local.port: 3306}')])).toEqual([
      '3 bad-waiver rule "dangerous-port-exposed" fires per socket: its findings have no group',
      '7 bad-waiver rule "close-wait-excess" counts sockets: its findings are groups, not sockets',
      '11 bad-waiver rule "close-wait-excess" groups by process, not by state',
    ]);
  });
  it('a glob is checked against the rules it matches: none, or none of the kind it asks for, is refused', () => {
    expect(loadProblems([
      waiver('dangrous-*', 'host: web-*'), // 2: matches no rule
      waiver('*-queue-backlog', 'group: {process: java}'), // 7: per-socket rules only
      waiver('*-excess', 'where: {process.name: java}'), // 11: aggregates only
      waiver('*-excess', 'group: {localPort: 80}'), // 15: none of them groups by localPort
      waiver('*-excess', 'group: {process: java}'), // fine: close-wait-excess and syn-sent-excess group by process
      waiver('*', 'where: {local.port: 3306}'), // fine: the per-socket rules among them
      waiver('*', 'group: {process: java}'), // fine: the aggregates among them
      waiver('*', 'where: {local.port: 5432}\n    group: {process: java}'), // 30: both: no finding is both kinds
    ])).toEqual([
      '2 unknown-rule no loaded rule matches "dangrous-*"',
      '7 bad-waiver the rules matching "*-queue-backlog" fire per socket: their findings have no group',
      '11 bad-waiver the rules matching "*-excess" count sockets: their findings are groups, not sockets',
      '15 bad-waiver no rule matching "*-excess" groups by localPort',
      '32 bad-waiver a waiver with both where: and group: matches no finding: one is about a socket, the other about a group of sockets',
    ]);
  });
  it('a config of thousands of such problems (a rule renamed under a fleet\'s waivers) lists the first 100 and counts the rest', () => {
    const problems = loadProblems(Array.from({ length: 300 }, (_, i) => waiver(`renamed-rule-${i}`, 'host: web-1')));
    expect([problems.length, problems[0], problems[100]]).toEqual([101, '2 unknown-rule no rule "renamed-rule-0" is loaded', '402 more-problems 200 more problems from here on, not shown']);
  });
});

describe('waivers in force (ScanReport.waiversInForce)', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const findings = sampleReport().findings;
  const ruleId = findings[0].ruleId;
  const host = findings[0].host;
  const ofRule = findings.filter((f) => f.ruleId === ruleId).length;

  it('lists every live waiver covering a scanned host, used or not, with the findings it waived; not expired ones nor other hosts\'', () => {
    const filter = new WaiverFilter([
      { rule: ruleId, reason: 'first', expires: '2026-11-30', owner: 'ops', ticket: 'OPS-1', location: { file: 'c.yaml', line: 2 } },
      { rule: ruleId, reason: 'second, reached by nothing the first waives', expires: '2099-01-01' },
      { rule: ruleId, reason: 'expired', expires: '2026-11-29' },
      { rule: ruleId, host: 'no-such-host-*', reason: 'other hosts', expires: '2099-01-01' },
      { rule: 'no-such-rule', host, reason: 'unused', expires: '2099-01-01' },
    ], now);
    for (const f of findings) filter.suppress(f);
    expect(ofRule).toBeGreaterThan(0);
    expect(filter.inForce([snap(host, [ruleId])])).toEqual([
      { ruleId, reason: 'first', expires: '2026-11-30', owner: 'ops', ticket: 'OPS-1', location: { file: 'c.yaml', line: 2 }, waived: ofRule },
      { ruleId, reason: 'second, reached by nothing the first waives', expires: '2099-01-01', waived: 0 },
      { ruleId: 'no-such-rule', host, reason: 'unused', expires: '2099-01-01', waived: 0 },
    ]);
    // the day after its last day, the first has lapsed: the second waives what it waived
    const later = new WaiverFilter([
      { rule: ruleId, reason: 'first', expires: '2026-11-30' },
      { rule: ruleId, reason: 'second', expires: '2099-01-01' },
    ], new Date('2026-12-01T00:00:00Z'));
    for (const f of findings) later.suppress(f);
    expect(later.inForce([snap(host, [ruleId])]).map((w) => [w.reason, w.waived])).toEqual([['second', ofRule]]);
  });

  it('counts what copies on other threads waived (usage, addUsage)', () => {
    const specs = [{ rule: ruleId, reason: 'r', expires: '2099-01-01' }];
    const main = new WaiverFilter(specs, now);
    const worker = new WaiverFilter(specs, now);
    for (const f of findings) worker.suppress(f);
    main.addUsage(worker.usage());
    expect(main.inForce([snap(host, [])])[0].waived).toBe(ofRule);
  });

  it('lists none for a scan of no snapshot', () => {
    expect(new WaiverFilter([{ rule: ruleId, reason: 'r', expires: '2099-01-01' }], now).inForce([])).toEqual([]);
  });
});

it('a worker thread\'s config, handed over checked (structured clone), makes the same waivers, lines and matches as the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-checked-'));
  try {
    const file = path.join(dir, 'socklint.yaml');
    const ruleId = sampleReport().findings[0].ruleId;
    fs.writeFileSync(file, [
      '# fleet waivers',
      'waiverNoticeDays: 30',
      'waivers:',
      `  - rule: ${ruleId}`, '    reason: accepted risk', '    expires: 2099-12-31', '    owner: ops',
      '',
      `  - {rule: ${ruleId}, reason: flow style, expires: 2099-12-31, where: {local.port: {in: [22, 80]}}}`,
      `  - rule: "${ruleId.slice(0, 3)}*"`, '    host: web-*', '    reason: by glob', '    expires: 2000-01-01',
      '',
    ].join('\n'));
    const loaded = loadConfig(file);
    const handed = configFromChecked(structuredClone(checkedConfig(loaded)!));
    expect(handed.data).toEqual(loaded.data);
    const [a, b] = [configWaivers(loaded), configWaivers(handed)];
    expect(b.map((w) => w.location)).toEqual([{ file, line: 4 }, { file, line: 9 }, { file, line: 10 }]);
    expect(b.map((w) => w.location)).toEqual(a.map((w) => w.location));
    const now = new Date('2026-11-30T00:00:00Z');
    const findings = sampleReport().findings;
    const [fa, fb] = [new WaiverFilter(a, now), new WaiverFilter(b, now)];
    expect(findings.map((f) => fb.suppress(f))).toEqual(findings.map((f) => fa.suppress(f)));
    expect(checkedConfig(loadConfig(undefined))).toBeUndefined();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
