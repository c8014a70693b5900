import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type * as Sarif from 'sarif';
import { formatters } from '../../src/report';
import fc from 'fast-check';
import { FINGERPRINT_KEY, SARIF_MAX_RELATED_LOCATIONS, SARIF_MAX_RESULTS_PER_RUN, buildSarifLog, compactJson, splitByHosts, tooManyRunsNotice } from '../../src/report/sarif';
import type { ScanReport } from '../../src/engine/types';
import { CTX, HOSTILE_PROCESS, bigReport, sampleReport } from './fixtures';
import { announceSkip, findMultitool, multitoolValidate, sarifValidator, tempDir } from './helpers';

const validate = sarifValidator();

function sarif(report = sampleReport(), ctx = CTX): Sarif.Log {
  return JSON.parse(formatters.sarif.format(report, ctx)) as Sarif.Log;
}

describe('SARIF', () => {
  test('is valid against the official SARIF 2.1.0 schema', () => {
    const log = sarif();
    const result = validate(log);
    expect(result.errors).toBeNull();
    expect(result.valid).toBe(true);
    expect(log.version).toBe('2.1.0');
  });

  test('is written as one line of JSON (no indentation)', () => {
    const text = formatters.sarif.format(sampleReport(), CTX);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text))}\n`);
  });

  test('is written in pieces, a result each, whose text is the log\'s JSON.stringify', () => {
    const report = bigReport(300);
    const pieces = [...formatters.sarif.chunks!(report, CTX)];
    const log = buildSarifLog(report, CTX);
    expect(pieces.join('')).toBe(`${JSON.stringify(log)}\n`);
    expect(pieces.length).toBeGreaterThan(log.runs.reduce((n, r) => n + (r.results?.length ?? 0), 0));
  });

  test('compactJson is JSON.stringify in pieces, for any value and depth', () => {
    const odd = { at: new Date(0), gone: undefined, fn: () => 1, sym: Symbol('s'), list: [undefined, () => 1, Symbol('t'), 1], self: { toJSON: () => undefined } };
    for (let depth = 0; depth < 5; depth++) expect([...compactJson(odd, depth)].join('')).toBe(JSON.stringify(odd));
    fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (value, depth) => {
      expect([...compactJson(value, depth)].join('')).toBe(JSON.stringify(value));
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, withDate: true, withSparseArray: true }), fc.integer({ min: 0, max: 6 }), (value, depth) => {
      expect([...compactJson(value, depth)].join('')).toBe(JSON.stringify(value) ?? 'null');
    }), { numRuns: 500 });
    // an object held in several places, stringified once (`shared`): the same text
    fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (inner, depth) => {
      const box = { v: inner };
      const value = { a: box, list: [box, { b: box }, box], c: box };
      expect([...compactJson(value, depth, new Set([box]))].join('')).toBe(JSON.stringify(value));
    }), { numRuns: 200 });
  });

  test('runs whose rules have the same levels share one driver (a fleet\'s ~30 KB of rules stringified once), a host with its own levels has its own', () => {
    const report = sampleReport();
    report.snapshots.find((s) => s.host === 'db-1')!.levels = { 'no-public-db': 'note' };
    const log = buildSarifLog(report, CTX);
    const driverOf = (host: string) => log.runs.find((r) => r.properties!.host === host)!.tool.driver;
    expect(driverOf('edge')).toBe(driverOf('web-1.example.com'));
    expect(driverOf('bastion')).toBe(driverOf('web-1.example.com'));
    expect(driverOf('db-1')).not.toBe(driverOf('web-1.example.com'));
    expect(driverOf('db-1').rules!.find((r) => r.id === 'no-public-db')!.defaultConfiguration!.level).toBe('note');
    expect(driverOf('edge').rules!.find((r) => r.id === 'no-public-db')!.defaultConfiguration!.level).toBe('error');
    expect([...formatters.sarif.chunks!(report, CTX)].join('')).toBe(`${JSON.stringify(log)}\n`);
  });

  test('one run per host, each its own code-scanning category', () => {
    const log = sarif();
    const ids = log.runs.map((r) => r.automationDetails?.id);
    expect(ids).toEqual(['socklint/web-1.example.com/', 'socklint/db-1/', 'socklint/edge/', 'socklint/bastion/']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('tool.driver is socklint with its version, whatever package runs it', () => {
    const saved = process.env.npm_package_name;
    process.env.npm_package_name = 'someone-elses-package';
    try {
      for (const run of sarif().runs) {
        expect(run.tool.driver.name).toBe('socklint');
        expect(run.tool.driver.version).toBe('0.1.0');
        expect(run.tool.driver.semanticVersion).toBe('0.1.0');
        expect(run.tool.driver.informationUri).toBe('https://socklint.dev');
      }
    } finally {
      if (saved === undefined) delete process.env.npm_package_name;
      else process.env.npm_package_name = saved;
    }
  });

  test('every result has what GitHub requires: ruleId, message, level, location with startLine, fingerprints', () => {
    const report = sampleReport();
    const log = sarif(report);
    const results = log.runs.flatMap((r) => r.results ?? []);
    expect(results).toHaveLength(report.findings.length);
    for (const run of log.runs) {
      const ruleIds = run.tool.driver.rules!.map((r) => r.id);
      for (const r of run.results ?? []) {
        expect(typeof r.ruleId).toBe('string');
        expect(ruleIds[r.ruleIndex!]).toBe(r.ruleId);
        expect(r.message.text?.length).toBeGreaterThan(0);
        expect(['error', 'warning', 'note']).toContain(r.level);
        const loc = r.locations?.[0]?.physicalLocation;
        expect(loc?.artifactLocation?.uri).toBeTruthy();
        expect(loc?.region?.startLine).toBeGreaterThanOrEqual(1);
        expect(r.partialFingerprints?.[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
        expect(r.partialFingerprints?.primaryLocationLineHash).toBe(r.partialFingerprints?.[FINGERPRINT_KEY]);
      }
    }
    // fingerprints are the engine's, one to one
    expect(results.map((r) => r.partialFingerprints![FINGERPRINT_KEY]).sort()).toEqual(report.findings.map((f) => f.fingerprint).sort());
  });

  test('locations: relative to cwd, POSIX, percent-encoded; stdin and live get stable pseudo-paths', () => {
    const log = sarif();
    const uriOf = (host: string): string[] =>
      log.runs.find((r) => r.automationDetails?.id === `socklint/${host}/`)!.results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri!);
    expect(uriOf('web-1.example.com')).toContain('snapshots/web%201/web-1.ss');
    expect(uriOf('db-1')).toEqual(expect.arrayContaining(['snapshots/db-1.ss']));
    expect(uriOf('edge')).toEqual(['stdin.ss']);
    expect(uriOf('bastion')).toEqual(['live/bastion.ss']);
    const web = log.runs[0].results!.find((r) => r.ruleId === 'telnet-listening')!;
    expect(web.locations![0].physicalLocation!.region!.startLine).toBe(9);
    expect(web.locations![0].physicalLocation!.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
    expect(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri).toBe('file:///work/project/');
  });

  test('a snapshot outside cwd gets an absolute file URI; a live capture with a saved path cites it', () => {
    const report = sampleReport();
    report.snapshots[3].meta = { saved: 'captures/bastion-2026-11-25.ss' };
    const outside = '/srv/snaps/db 1.ss';
    report.snapshots[1].file = outside;
    for (const f of report.findings) if (f.location.file === 'snapshots/db-1.ss') f.location = { ...f.location, file: outside };
    const log = sarif(report);
    const uris = log.runs.flatMap((r) => r.results!.map((x) => x.locations![0].physicalLocation!.artifactLocation!.uri));
    expect(uris).toContain('file:///srv/snaps/db%201.ss');
    expect(uris).toContain('captures/bastion-2026-11-25.ss');
    expect(validate(log).valid).toBe(true);
  });

  test('a snapshot inside cwd whose name starts with ".." is cited relative to it', () => {
    const report = sampleReport();
    const dotted = '..db-1.old.ss';
    report.snapshots[1].file = dotted;
    for (const f of report.findings) if (f.location.file === 'snapshots/db-1.ss') f.location = { ...f.location, file: dotted };
    const run = sarif(report).runs.find((r) => r.automationDetails?.id === 'socklint/db-1/')!;
    expect(run.results!.map((x) => x.locations![0].physicalLocation!.artifactLocation)).toContainEqual({ uri: '..db-1.old.ss', uriBaseId: '%SRCROOT%', index: 0 });
  });

  test('rules carry GitHub metadata; security rules have security-severity as a string', () => {
    const run = sarif().runs[0];
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(sampleReport().rules.map((r) => r.id));
    for (const r of rules) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.fullDescription?.text).toBeTruthy();
      expect(r.help?.text).toBeTruthy();
      expect(r.help?.markdown).toBeTruthy();
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration?.level);
      expect(Array.isArray(r.properties?.tags)).toBe(true);
      expect(r.properties!.tags!.length).toBeLessThanOrEqual(20);
    }
    const db = rules.find((r) => r.id === 'no-public-db')!;
    expect(db.properties!['security-severity']).toBe('8.1');
    expect(db.properties!.tags).toEqual(expect.arrayContaining(['security', 'database']));
    expect(db.helpUri).toBe('https://socklint.dev/rules/no-public-db');
    const telnet = rules.find((r) => r.id === 'telnet-listening')!;
    expect(typeof telnet.properties!['security-severity']).toBe('string');
    expect(telnet.helpUri).toBeUndefined();
    const health = rules.find((r) => r.id === 'close-wait-excess')!;
    expect(health.properties!['security-severity']).toBeUndefined();
    expect(health.properties!.tags).not.toContain('security');
  });

  test("a rule without helpUri links its first reference that is a URL, written as the URI SARIF's schema takes", () => {
    const report = sampleReport();
    const telnet = report.rules.find((r) => r.id === 'telnet-listening')!;
    const cases: [string[], string | undefined][] = [
      [['CIS 2.2.18', 'https://de.wikipedia.org/wiki/Übertragung'], 'https://de.wikipedia.org/wiki/%C3%9Cbertragung'],
      [['https://grafana.example.com/d/x?var-host=a|b&q={x}'], 'https://grafana.example.com/d/x?var-host=a%7Cb&q=%7Bx%7D'],
      [['https://example.com/bad%zz', 'https://example.com/ok'], 'https://example.com/ok'],
      [['CIS 2.2.18', 'see https://example.com'], undefined],
    ];
    for (const [references, helpUri] of cases) {
      telnet.references = references;
      const log = sarif(report);
      expect({ references, helpUri: log.runs[0].tool.driver.rules!.find((r) => r.id === 'telnet-listening')!.helpUri }).toEqual({ references, helpUri });
      expect(validate(log).errors).toBeNull();
    }
  });

  test("a host's own level brings the rule's security-severity into that level's band (GitHub shows the score, not the level)", () => {
    const report = sampleReport();
    const db = report.snapshots.find((s) => s.host === 'db-1')!;
    db.levels = { 'no-public-db': 'note', 'unix-world-socket': 'error', 'telnet-listening': 'warning' };
    const descriptor = (host: string, id: string) =>
      sarif(report).runs.find((r) => r.automationDetails?.id === `socklint/${host}/`)!.tool.driver.rules!.find((r) => r.id === id)!;
    // 8.1 (high) at note: low, at the top of its band; 3.1 (low) at error: high
    expect(descriptor('db-1', 'no-public-db')).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '3.9' } });
    expect(descriptor('db-1', 'unix-world-socket')).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '7.0' } });
    // no score of its own: the level's default, which is in the band
    expect(descriptor('db-1', 'telnet-listening').properties!['security-severity']).toBe('5.0');
    // the other hosts keep the rule's
    expect(descriptor('web-1.example.com', 'no-public-db')).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '8.1' } });
    expect(descriptor('web-1.example.com', 'unix-world-socket').properties!['security-severity']).toBe('3.1');
  });

  test('waived findings are suppressions (external, accepted, with the reason)', () => {
    const results = sarif().runs.flatMap((r) => r.results!);
    const waived = results.filter((r) => r.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0].suppressions![0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(waived[0].suppressions![0].justification).toContain('Legacy reporting DB');
    expect(waived[0].suppressions![0].justification).not.toMatch(/\u001b/);
  });

  test('aggregate offenders become relatedLocations', () => {
    const run = sarif().runs[0];
    const agg = run.results!.find((r) => r.ruleId === 'close-wait-excess')!;
    expect(agg.relatedLocations).toHaveLength(3);
    expect(agg.relatedLocations![0]).toMatchObject({ id: 1, physicalLocation: { region: { startLine: 40 } } });
    expect(agg.properties).toMatchObject({ observed: 57, threshold: 20, offendersNotListed: 54 });
  });

  test('relatedLocations are capped at 1000 (GitHub), the rest counted', () => {
    const log = sarif(bigReport(1, 1500));
    const agg = log.runs[0].results!.find((r) => r.ruleId === 'close-wait-excess')!;
    expect(agg.relatedLocations).toHaveLength(SARIF_MAX_RELATED_LOCATIONS);
    expect(agg.properties!.offendersNotListed).toBe(500);
  });

  test('more than 25,000 results: capped per run, errors kept first, the rest counted in a notification', () => {
    const report = bigReport(SARIF_MAX_RESULTS_PER_RUN + 1200);
    const log = buildSarifLog(report, CTX);
    const run = log.runs[0];
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS_PER_RUN);
    expect(run.properties).toMatchObject({ resultsTotal: 26200, resultsLeftOut: 1200 });
    const notes = run.results!.filter((r) => r.level === 'note').length;
    // 2,620 notes in the input; all 23,580 errors kept, so only 1,420 notes fit.
    expect(notes).toBe(SARIF_MAX_RESULTS_PER_RUN - 23580);
    const capped = run.invocations![0].toolExecutionNotifications!.find((n) => n.descriptor?.id === 'results-capped')!;
    expect(capped.message.text).toContain('1200 of 26200');
    expect(validate(log).valid).toBe(true);
  });

  test('invocations: executionSuccessful and notifications for not-evaluated rules, unparsed lines, caps, waivers', () => {
    const log = sarif();
    const edge = log.runs.find((r) => r.automationDetails?.id === 'socklint/edge/')!;
    const inv = edge.invocations![0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.startTimeUtc).toBe('2026-11-25T18:30:00.000Z');
    expect(inv.endTimeUtc).toBe('2026-11-25T18:30:01.234Z');
    const ne = inv.toolExecutionNotifications!.find((n) => n.descriptor?.id === 'not-evaluated')!;
    expect(ne.associatedRule).toEqual({ id: 'close-wait-excess', index: 2 });
    expect(ne.message.text).toContain('needs the socket state');
    const db = log.runs.find((r) => r.automationDetails?.id === 'socklint/db-1/')!;
    const unparsed = db.invocations![0].toolExecutionNotifications!.filter((n) => n.descriptor?.id === 'unparsed-lines');
    expect(unparsed[0].message.text).toContain('2 of 46 lines');
    expect(unparsed[1].locations![0].physicalLocation!.region!.startLine).toBe(44);
    const web = log.runs[0].invocations![0];
    expect(web.toolExecutionNotifications!.some((n) => n.descriptor?.id === 'findings-not-listed')).toBe(true);
    expect(web.toolConfigurationNotifications![0].descriptor!.id).toBe('waiver-expired');
  });

  test('notification texts name stdin <stdin>, as the text and JUnit reports and stderr do (the artifact stays stdin.ss)', () => {
    const report = sampleReport();
    const edge = report.snapshots.find((s) => s.file === '-')!;
    edge.unparsed = 1;
    edge.unparsedLines = [{ line: 4, text: 'garbage', reason: 'not an ss line' }];
    report.omitted.push({ ruleId: 'process-unknown', host: 'edge', file: '-', count: 2 });
    report.snapshotErrors.push({ file: '-', code: 'no-sockets', message: 'holds no parsable socket' });
    const run = sarif(report).runs.find((r) => r.automationDetails?.id === 'socklint/edge/')!;
    const notes = run.invocations![0].toolExecutionNotifications!;
    const texts = (id: string): string[] => notes.filter((n) => n.descriptor?.id === id).map((n) => n.message.text!);
    expect(texts('not-evaluated')).toEqual([expect.stringContaining('was not evaluated on <stdin>: needs the socket state')]);
    expect(texts('findings-not-listed')).toEqual([expect.stringContaining(' in <stdin> were counted')]);
    expect(texts('unparsed-lines')[0]).toContain('lines of <stdin> could');
    expect(texts('snapshot-not-scanned')).toEqual([expect.stringMatching(/^<stdin> could not be scanned: /)]);
    for (const n of notes) {
      expect(n.message.text).not.toMatch(/(^|\s)-(\s|:|$)/);
      for (const l of n.locations ?? []) expect(l.physicalLocation!.artifactLocation!.uri).toBe('stdin.ss');
    }
  });

  test('notifications about one finding or one line read in the singular', () => {
    const report = sampleReport();
    report.omitted[0].count = 1;
    const db = report.snapshots.find((s) => s.host === 'db-1')!;
    db.unparsed = 1;
    db.unparsedLines = db.unparsedLines.slice(0, 1);
    const texts = sarif(report).runs.flatMap((r) => r.invocations![0].toolExecutionNotifications ?? []).map((n) => n.message.text!);
    expect(texts).toContain('1 more finding of rule telnet-listening in snapshots/web 1/web-1.ss was counted but not listed (per-rule cap).');
    expect(texts).toContain('1 of 46 lines of snapshots/db-1.ss could not be parsed and was not audited.');
    // and the plural as before
    expect(sarif().runs.flatMap((r) => r.invocations![0].toolExecutionNotifications ?? []).map((n) => n.message.text!))
      .toEqual(expect.arrayContaining([expect.stringMatching(/^3 more findings of rule telnet-listening .* were counted/), expect.stringMatching(/^2 of 46 lines .* were not audited\.$/)]));
  });

  test('findings-not-listed says how many of them were waived: a note when all were', () => {
    const report = sampleReport();
    report.omitted[0].suppressed = { baseline: 2 };
    const notice = (): Sarif.Notification => sarif(report).runs[0].invocations![0].toolExecutionNotifications!.find((n) => n.descriptor?.id === 'findings-not-listed')!;
    expect(notice().message.text).toBe('3 more findings of rule telnet-listening in snapshots/web 1/web-1.ss were counted but not listed (per-rule cap; 2 of them waived).');
    expect(notice().level).toBe('warning');
    expect(notice().properties).toEqual({ count: 3, suppressed: 2 });
    report.omitted[0].suppressed = { baseline: 2, waiver: 1 };
    expect(notice().message.text).toContain('(per-rule cap; 3 of them waived).');
    expect(notice().level).toBe('note');
  });

  test('a waiver\'s notice is in the runs of the hosts it covers: all for one without host: or whose host glob matched no host', () => {
    const log = sarif(hostScopedWaivers());
    const notices = log.runs.map((r) => [r.properties!.host, (r.invocations![0].toolConfigurationNotifications ?? []).map((n) => `${n.descriptor!.id} ${n.message.text!.split(':').pop()!.trim()}`)]);
    expect(notices).toEqual([
      ['web-1.example.com', ['waiver-expired web only', 'waiver-unused every host', 'waiver-unused typo']],
      ['db-1', ['waiver-unused db only', 'waiver-unused every host', 'waiver-unused typo']],
      ['edge', ['waiver-unused every host', 'waiver-unused typo']],
      ['bastion', ['waiver-unused every host', 'waiver-unused typo']],
    ]);
    expect(validate(log).valid).toBe(true);
  });

  test('a fleet config\'s many waivers: the first 100 of each kind per run, then one note counting the rest', () => {
    const report = sampleReport();
    const waiver = (i: number, status: 'expired' | 'unused') => ({ ruleId: 'no-public-db', reason: `w${i}`, expires: status === 'expired' ? '2025-01-01' : '2099-01-01', status, location: { file: 'socklint.yaml', line: 2 + i } });
    report.waivers = [...Array.from({ length: 150 }, (_, i) => waiver(i, i % 3 === 0 ? 'expired' : 'unused')), waiver(150, 'expired')];
    const log = sarif(report);
    for (const run of log.runs) {
      const notes = run.invocations![0].toolConfigurationNotifications!;
      const of = (id: string) => notes.filter((n) => n.descriptor!.id === id);
      // 51 expired (all listed), 100 matched nothing: listed; 150 - 50 = 100 unused in all, so none counted
      expect([of('waiver-expired').length, of('waiver-unused').length]).toEqual([51, 100]);
    }
    report.waivers.push(waiver(151, 'unused'), waiver(152, 'unused'));
    const notes = sarif(report).runs[0].invocations![0].toolConfigurationNotifications!;
    const unused = notes.filter((n) => n.descriptor!.id === 'waiver-unused');
    expect(unused.length).toBe(101);
    expect(unused.slice(0, 100).map((n) => n.message.text!.split(': ').pop())).toEqual(report.waivers.filter((w) => w.status === 'unused').slice(0, 100).map((w) => w.reason));
    expect(unused[100]).toMatchObject({
      level: 'note',
      message: { text: '… and 2 more waivers for this host matched no finding (102 in all): the text and JSON reports list every one.' },
      properties: { more: 2, total: 102 },
    });
    expect(validate(sarif(report)).valid).toBe(true);
  });

  test('a waiver in force whose last day is within 14 days is a note in the runs of the hosts it covers', () => {
    const report = sampleReport(); // CTX.now: 2026-11-25T18:31Z
    report.waiversInForce = [
      { ruleId: 'no-public-db', host: 'db-*', reason: 'db firewall\u001b[2J', expires: '2026-11-27', location: { file: 'c.yaml', line: 4 }, waived: 3 },
      { ruleId: 'telnet-listening', reason: 'every host, far', expires: '2099-01-01', waived: 0 },
      { ruleId: 'telnet-listening', reason: 'every host, today', expires: '2026-11-25', waived: 1 },
    ];
    const log = sarif(report);
    const expiring = log.runs.map((r) => [r.properties!.host, (r.invocations![0].toolConfigurationNotifications ?? []).filter((n) => n.descriptor!.id === 'waiver-expiring')]);
    expect(expiring.map(([host, ns]) => [host, (ns as Sarif.Notification[]).map((n) => n.message.text)])).toEqual([
      ['web-1.example.com', ['The waiver for telnet-listening expires after 2026-11-25 (today is its last day; it waived 1 finding of this scan, reported again once it lapses): every host, today']],
      ['db-1', [
        'The waiver for telnet-listening expires after 2026-11-25 (today is its last day; it waived 1 finding of this scan, reported again once it lapses): every host, today',
        'The waiver for no-public-db expires after 2026-11-27 (its last day is in 2 days; it waived 3 findings of this scan, reported again once it lapses): db firewall',
      ]],
      ['edge', [expect.stringContaining('every host, today')]],
      ['bastion', [expect.stringContaining('every host, today')]],
    ]);
    const db = (expiring[1][1] as Sarif.Notification[])[1];
    expect(db.level).toBe('note');
    expect(db.properties).toEqual({ expires: '2026-11-27', waived: 3 });
    expect(db.locations![0].physicalLocation!.region!.startLine).toBe(4);
    expect(validate(log).valid).toBe(true);
  });

  test('hostile strings: valid JSON, no control characters in messages, no builder placeholder trap', () => {
    const out = formatters.sarif.format(sampleReport(), CTX);
    const log = JSON.parse(out) as Sarif.Log;
    const messages = log.runs.flatMap((r) => r.results!.map((x) => x.message.text!));
    const hostile = messages.find((m) => m.includes('SARIF_BUILDER_INVALID'))!;
    expect(hostile).toBeDefined();
    for (const m of messages) expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(hostile).toContain('evil"proc\'<&>');
    expect(hostile).not.toContain('[2J');
    expect(out).not.toContain(HOSTILE_PROCESS);
  });

  test('a report with no snapshots still gives a valid log', () => {
    const report = { ...sampleReport(), snapshots: [], findings: [], notEvaluated: [], omitted: [], waivers: [] };
    const log = sarif(report);
    expect(log.runs).toHaveLength(1);
    expect(validate(log).valid).toBe(true);
  });
});

/** The sample report with waivers for some of its hosts (web-1.example.com, db-1, edge, bastion). */
function hostScopedWaivers(): ScanReport {
  const report = sampleReport();
  report.waivers = [
    { ruleId: 'telnet-listening', host: 'web-*', reason: 'web only', expires: '2025-01-01', status: 'expired', location: { file: 'socklint.yaml', line: 3 } },
    { ruleId: 'no-public-db', host: 'db-?', reason: 'db only', expires: '2099-01-01', status: 'unused', location: { file: 'socklint.yaml', line: 8 } },
    { ruleId: 'no-public-db', reason: 'every host', expires: '2099-01-01', status: 'unused', location: { file: 'socklint.yaml', line: 13 } },
    { ruleId: 'no-public-db', host: 'dbb-*', reason: 'typo', expires: '2099-01-01', status: 'unused', noHostMatched: true, location: { file: 'socklint.yaml', line: 17 } },
  ];
  return report;
}

const multitool = findMultitool();
if (!multitool) announceSkip('SARIF Multitool (GitHub ingestion rules)', 'install @microsoft/sarif-multitool or set SARIF_MULTITOOL');
(multitool ? describe : describe.skip)('SARIF Multitool validate --rule-kind Gh;Sarif', () => {
  test('no errors or warnings under GitHub ingestion rules', () => {
    const dir = tempDir();
    const input = path.join(dir, 'socklint.sarif');
    const output = path.join(dir, 'validation.sarif');
    const report = sampleReport();
    // a host override of levels: its run's rules carry their own level and score
    report.snapshots.find((s) => s.host === 'db-1')!.levels = { 'no-public-db': 'note', 'unix-world-socket': 'error' };
    fs.writeFileSync(input, formatters.sarif.format(report, CTX));
    const { status, problems } = multitoolValidate(multitool!, input, output);
    expect(status).toBe(0);
    expect(problems).toEqual([]);
  });
  test('no errors or warnings with waivers for some hosts only (runs without configuration notifications)', () => {
    const dir = tempDir();
    const input = path.join(dir, 'waivers.sarif');
    const output = path.join(dir, 'waivers.validation.sarif');
    fs.writeFileSync(input, formatters.sarif.format(hostScopedWaivers(), CTX));
    const { status, problems } = multitoolValidate(multitool!, input, output);
    expect(problems).toEqual([]);
    expect(status).toBe(0);
  });
});

test('hosts alike once control characters are stripped get distinct categories, in whichever part file they land', () => {
  const report = sampleReport();
  const base = report.snapshots[1];
  const hosts = ['dup', ...Array.from({ length: 19 }, (_, i) => `h${i}`), 'dup\u0007', 'dup\u001b'];
  report.snapshots = hosts.map((host, i) => ({ ...base, host, file: `s${i}.ss` }));
  report.findings = [];
  report.notEvaluated = [];
  report.omitted = [];
  const parts = splitByHosts(report);
  expect(parts.length).toBe(2);
  const ids = parts.flatMap((p) => sarif(p).runs.map((r) => r.automationDetails!.id!));
  expect(ids).toHaveLength(22);
  expect(new Set(ids).size).toBe(22);
  expect(ids[0]).toBe('socklint/dup/');
  expect(ids.slice(20)).toEqual([expect.stringMatching(/^socklint\/dup~[0-9a-f]{8}\/$/), expect.stringMatching(/^socklint\/dup~[0-9a-f]{8}\/$/)]);
  // the same in every scan: the category of a host does not depend on the other hosts
  expect(sarif(splitByHosts({ ...report, snapshots: report.snapshots.slice(20) })[0]).runs.map((r) => r.automationDetails!.id)).toEqual(ids.slice(20));
});

test('SARIF category prefix is configurable (several socklint uploads per commit)', () => {
  const log = JSON.parse(formatters.sarif.format(sampleReport(), { ...CTX, sarifCategory: 'socklint-prod/' })) as Sarif.Log;
  expect(log.runs.map((r) => r.automationDetails!.id)).toEqual([
    'socklint-prod/web-1.example.com/',
    'socklint-prod/db-1/',
    'socklint-prod/edge/',
    'socklint-prod/bastion/',
  ]);
});

test('past 20 hosts, stderr is told: of the files written, or that stdout holds one document GitHub rejects', () => {
  const report = sampleReport();
  const base = report.snapshots[0];
  report.snapshots = Array.from({ length: 20 }, (_, i) => ({ ...base, host: `h${i}`, file: `h${i}.ss` }));
  report.findings = [];
  report.notEvaluated = [];
  report.omitted = [];
  expect(tooManyRunsNotice(report)).toBeUndefined();
  report.snapshots.push({ ...base, host: 'h20', file: 'h20.ss' }, { ...base, host: 'h20', file: 'h20-later.ss' });
  expect(tooManyRunsNotice(report)).toBe(
    "21 hosts are more than GitHub's 20 runs per SARIF file: stdout got them all in one document, which GitHub code scanning rejects (--format sarif=PATH splits it: sarif=socklint.sarif writes socklint.sarif, socklint.2.sarif, … of 20 hosts each; see docs/reports.md)",
  );
  expect(tooManyRunsNotice(report, ['o.sarif', 'o.2.sarif'])).toBe(
    "21 hosts are more than GitHub's 20 runs per SARIF file: wrote o.sarif, o.2.sarif (upload each on its own: upload-sarif joins a folder's files into one upload, see docs/reports.md)",
  );
  // a fleet's 250 parts: the first four, the count and the last, not 250 names on one line
  const parts = ['o.sarif', ...Array.from({ length: 249 }, (_, k) => `o.${k + 2}.sarif`)];
  expect(tooManyRunsNotice(report, parts)).toBe(
    "21 hosts are more than GitHub's 20 runs per SARIF file: wrote o.sarif, o.2.sarif, o.3.sarif, o.4.sarif, … (250 files in all) … o.250.sarif (upload each on its own: upload-sarif joins a folder's files into one upload, see docs/reports.md)",
  );
  expect(tooManyRunsNotice(report, parts.slice(0, 6))).toContain('wrote o.sarif, o.2.sarif, o.3.sarif, o.4.sarif, o.5.sarif, o.6.sarif (');
});

describe('one host, two label sets, two levels of a rule', () => {
  /**
   * db-1 captured twice: once as it is (no-public-db at the config's error), once labelled role=db, where a
   * hosts: entry gives no-public-db note — its snapshot's `levels` — and a finding of it at note.
   */
  function twoLabelSets(labelledFirst: boolean): ScanReport {
    const report = sampleReport();
    const plain = report.snapshots.find((s) => s.host === 'db-1')!;
    const labelled = { ...plain, file: 'snapshots/db-1.role-db.ss', labels: { role: 'db' }, unparsed: 0, unparsedLines: [], levels: { 'no-public-db': 'note' as const } };
    const mysql = report.findings.find((f) => f.host === 'db-1')!;
    report.findings.push({ ...mysql, level: 'note', location: { file: labelled.file, line: 14 }, socket: { ...mysql.socket!, location: { file: labelled.file, line: 14 } } });
    report.snapshots.splice(report.snapshots.indexOf(plain) + (labelledFirst ? 0 : 1), 0, labelled);
    return report;
  }
  const dbRun = (log: Sarif.Log) => log.runs.find((r) => r.automationDetails?.id === 'socklint/db-1/')!;

  test.each([false, true])('each result carries its own snapshot\'s level; the descriptor the most severe, whichever comes first (labelled first: %s)', (labelledFirst) => {
    const log = sarif(twoLabelSets(labelledFirst));
    expect(validate(log).errors).toBeNull();
    const run = dbRun(log);
    const levels = run.results!.filter((r) => r.ruleId === 'no-public-db').map((r) => [r.locations![0].physicalLocation!.artifactLocation!.uri, r.level]);
    expect(levels).toEqual(expect.arrayContaining([['snapshots/db-1.ss', 'error'], ['snapshots/db-1.role-db.ss', 'note']]));
    // one defaultConfiguration: error, with its score in error's band (8.1, high), not the labelled snapshot's
    // note (3.9, low) for every alert of the host, as GitHub reads the score of the rule only
    const descriptor = run.tool.driver.rules!.find((r) => r.id === 'no-public-db')!;
    expect(descriptor).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '8.1' } });
  });

  test('a snapshot where the rule did not run gives it no level: the labelled one\'s is the run\'s', () => {
    const report = twoLabelSets(false);
    const plain = report.snapshots.find((s) => s.file === 'snapshots/db-1.ss')!;
    plain.rulesEvaluated = plain.rulesEvaluated.filter((id) => id !== 'no-public-db');
    report.findings = report.findings.filter((f) => !(f.ruleId === 'no-public-db' && f.location.file === plain.file));
    const descriptor = dbRun(sarif(report)).tool.driver.rules!.find((r) => r.id === 'no-public-db')!;
    expect(descriptor).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '3.9' } });
  });

  (multitool ? test : test.skip)('the SARIF Multitool finds nothing to say of a run whose results differ from their rule\'s level', () => {
    const dir = tempDir();
    const input = path.join(dir, 'labels.sarif');
    fs.writeFileSync(input, formatters.sarif.format(twoLabelSets(true), CTX));
    const { status, problems } = multitoolValidate(multitool!, input, path.join(dir, 'labels.validation.sarif'));
    expect(problems).toEqual([]);
    expect(status).toBe(0);
  });
});
