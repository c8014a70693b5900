import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { formatters } from '../../src/report';
import junitReportBuilder from 'junit-report-builder';
import { addSuite, classSafe, junitChunks, junitContext, junitName, junitTimestamp } from '../../src/report/junit';
import type { ScanReport } from '../../src/engine/types';
import { CTX, HOSTILE_PROCESS, bigReport, sampleReport } from './fixtures';
import { JUNIT_XSD as XSD, announceSkip, tempDir, which, withoutRootSkipped } from './helpers';

const xmllint = which('xmllint');
if (!xmllint) announceSkip('JUnit XSD validation and XPath checks', 'xmllint not found (Debian/Ubuntu: apt-get install libxml2-utils)');

function junit(report = sampleReport()): string {
  return formatters.junit.format(report, CTX);
}

/** The library always writes `skipped` on <testsuites>, which this XSD does not allow (shared/schemas/README.md). */
function xpath(xml: string, expression: string): string {
  const dir = tempDir();
  const file = path.join(dir, 'report.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync(xmllint!, ['--xpath', expression, file], { encoding: 'utf8' });
  return r.stdout.trim();
}

describe('JUnit XML', () => {
  (xmllint ? test : test.skip)('is valid against the Jenkins junit XSD (root skipped attribute aside)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'TEST-socklint.xml');
    fs.writeFileSync(file, withoutRootSkipped(junit()));
    const r = spawnSync(xmllint!, ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  (xmllint ? test : test.skip)('one testsuite per snapshot, one testcase per rule evaluated or not evaluated', () => {
    const xml = junit();
    expect(xpath(xml, 'count(/testsuites/testsuite)')).toBe('4');
    expect(xpath(xml, 'count(/testsuites/testsuite[1]/testcase)')).toBe('5');
    expect(xpath(xml, 'string(/testsuites/testsuite[3]/@name)')).toBe('socklint edge (<stdin>)');
    // edge: 4 evaluated + 1 not evaluated
    expect(xpath(xml, 'count(/testsuites/testsuite[3]/testcase)')).toBe('5');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/testcase[1]/@classname)')).toBe('socklint.web-1_example_com');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/testcase[2]/@name)')).toBe('telnet-listening: Telnet is listening');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/@timestamp)')).toBe('2026-11-25T18:30:00');
  });

  (xmllint ? test : test.skip)('failures carry the message attribute and the offending sockets with file:line', () => {
    const xml = junit();
    const failure = '/testsuites/testsuite[2]/testcase[@name="no-public-db: Database port reachable from everywhere"]/failure';
    expect(xpath(xml, `string(${failure}/@message)`)).toBe('3 findings: mysqld listens on 0.0.0.0:3306 (all IPv4 addresses)');
    const text = xpath(xml, `string(${failure})`);
    expect(text).toContain('snapshots/db-1.ss:14  tcp LISTEN 0.0.0.0:3306 mysqld[812]');
    expect(text).toContain('snapshots/db-1.ss:30');
    const agg = xpath(xml, 'string(/testsuites/testsuite[1]/testcase[@name="close-wait-excess: Too many CLOSE-WAIT sockets"]/failure)');
    expect(agg).toContain('observed 57; threshold 20; group: {state: CLOSE-WAIT, process: java}');
    expect(agg).toContain('snapshots/web 1/web-1.ss:41  tcp CLOSE-WAIT 10.0.0.1:8080 -> [2001:db8:77::9]:40000 java[900]');
    expect(agg).toContain('… and 54 more sockets');
    // per-rule cap: 1 listed + 3 counted
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/testcase[2]/failure/@message)')).toBe('4 findings: in.telnetd listens on 0.0.0.0:23');
  });

  (xmllint ? test : test.skip)('passing rules pass; waived and not-evaluated rules are skipped with the reason', () => {
    const xml = junit();
    expect(xpath(xml, 'count(/testsuites/testsuite[2]/testcase[@name="telnet-listening: Telnet is listening"]/*)')).toBe('0');
    const waived = xpath(xml, 'string(/testsuites/testsuite[1]/testcase[1]/skipped)');
    expect(waived).toContain('waived (waiver): Legacy reporting DB, firewalled "hidden"');
    expect(waived).toContain('owner dba-team');
    const notEvaluated = xpath(xml, 'string(/testsuites/testsuite[3]/testcase[@name="close-wait-excess: Too many CLOSE-WAIT sockets"]/skipped)');
    expect(notEvaluated).toMatch(/^not evaluated: needs the socket state/);
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/@skipped)')).toBe('1');
    expect(xpath(xml, 'string(/testsuites/testsuite[3]/@skipped)')).toBe('1');
  });

  test('control characters are stripped, ANSI sequences removed whole; XML specials escaped', () => {
    const xml = junit();
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/);
    expect(xml).not.toContain('[2J');
    expect(xml).not.toContain('[31;1m');
    expect(xml).not.toContain('0;pwned');
    expect(xml).not.toContain('[8m');
    expect(xml).toContain('evil"proc\'<&>SARIF_BUILDER_INVALID[901]'); // inside CDATA
    expect(xml).toContain('message="3 findings: mysqld');
    expect(xml).not.toContain(HOSTILE_PROCESS);
  });

  test('a fresh builder per call: two calls give the same document', () => {
    expect(junit()).toBe(junit());
  });

  test('timestamps are UTC; classnames are dot-safe', () => {
    expect(junitTimestamp('2026-11-25T23:59:59.900+02:00', new Date(0))).toBe('2026-11-25T21:59:59');
    expect(classSafe('db.prod.example.com')).toBe('db_prod_example_com');
    expect(classSafe('\u001b[31mx')).toBe('x');
    expect(classSafe('db-ü.例え')).toBe('db-ü_例え');
  });

  test('hosts that classSafe makes alike still get distinct classnames', () => {
    const report = sampleReport();
    const base = report.snapshots[1];
    report.snapshots = [{ ...base, host: 'web.1', file: 'a.ss' }, { ...base, host: 'web_1', file: 'b.ss' }, { ...base, host: 'web 1', file: 'c.ss' }];
    report.snapshotErrors = [{ file: 'x.ss', code: 'no-sockets', message: 'm' }, { file: 'x.ss', code: 'no-sockets', message: 'm' }];
    const xml = junit(report);
    const classes = [...xml.matchAll(/<testcase classname="([^"]+)"/g)].map((m) => m[1]);
    expect([...new Set(classes)]).toEqual(['socklint.web_1', 'socklint.web_1~2', 'socklint.web_1~3', 'socklint.not-scanned.x_ss', 'socklint.not-scanned.x_ss~2']);
  });

  test('one more socket, one more finding: counts of 1 read in the singular', () => {
    const report = sampleReport();
    const agg = report.findings.find((f) => f.ruleId === 'close-wait-excess')!;
    agg.offendersOmitted = 1;
    report.omitted[0].count = 1; // telnet-listening on web-1: 1 listed, 1 counted
    const xml = junit(report);
    expect(xml).toContain('… and 1 more socket]]>');
    expect(xml).toContain('… and 1 more finding not listed');
    expect(xml).not.toMatch(/ 1 more (sockets|findings)/);
    agg.offendersOmitted = 2;
    report.omitted[0].count = 2;
    expect(junit(report)).toContain('… and 2 more findings not listed');
  });

  test('a host scanned twice gets distinct classnames', () => {
    const report = sampleReport();
    report.snapshots.push({ ...report.snapshots[1], file: 'snapshots/db-1-later.ss' });
    const xml = junit(report);
    expect(xml).toContain('classname="socklint.db-1.snapshots_db-1_ss"');
    expect(xml).toContain('classname="socklint.db-1.snapshots_db-1-later_ss"');
  });
});

describe('JUnit XML in pieces', () => {
  /** The document junit-report-builder builds with every testsuite in it. */
  function wholeDocument(report: ScanReport): string {
    const c = junitContext(report, CTX);
    const builder = junitReportBuilder.newBuilder();
    builder.name(junitName(c.report));
    for (const snapshot of c.report.snapshots) addSuite(builder, snapshot, c);
    return builder.build();
  }

  test('joined, they are the document the library builds of all the testsuites', () => {
    const twice = sampleReport();
    twice.snapshots.push({ ...twice.snapshots[1], file: 'snapshots/db-1-later.ss' });
    const hostile = sampleReport();
    hostile.tool.version = '1.0 "&<beta>"';
    hostile.snapshots[0].host = 'h"ost <&> tests="9" failures="9"';
    const none = sampleReport();
    none.snapshots = [];
    for (const report of [sampleReport(), twice, hostile, none, bigReport(60, 5)]) {
      const pieces = [...junitChunks(report, CTX)];
      expect(pieces.join('')).toBe(wholeDocument(report));
      expect(formatters.junit.format(report, CTX)).toBe(wholeDocument(report));
    }
    // a testsuite per piece, between the root's opening and closing
    expect([...junitChunks(sampleReport(), CTX)]).toHaveLength(sampleReport().snapshots.length + 2);
  });
});

test('CDATA terminators in snapshot text cannot break the document', () => {
  const xml = junit();
  const cdata = [...xml.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((m) => m[1]);
  for (const c of cdata) expect(c).not.toContain(']]>');
  expect(xml).toContain('app<&>]] >.sock');
});

test('JUnit: a waived finding\'s line names how soon its waiver lapses, within the config\'s waiverNoticeDays (the text report\'s and SARIF\'s notice)', () => {
  const waivedLine = (expires: string, days?: number): string => {
    const report = sampleReport();
    report.findings.find((f) => f.suppressed?.kind === 'waiver')!.suppressed!.expires = expires;
    const xml = formatters.junit.format(report, { ...CTX, ...(days !== undefined ? { waiverNoticeDays: days } : {}) });
    return /waived \(waiver\): [^\n]*/.exec(xml)![0];
  };
  // CTX.now is 2026-11-25
  expect(waivedLine('2026-11-28')).toContain('[owner dba-team, ticket OPS-1234, expires 2026-11-28, its last day in 3 days]');
  expect(waivedLine('2026-11-26')).toContain('expires 2026-11-26, its last day in 1 day]');
  expect(waivedLine('2026-11-25')).toContain('expires 2026-11-25, today is its last day]');
  expect(waivedLine('2026-12-20')).toContain('expires 2026-12-20]');
  expect(waivedLine('2026-12-20', 30)).toContain('expires 2026-12-20, its last day in 25 days]');
  expect(waivedLine('2027-01-31')).toContain('expires 2027-01-31]');
});

describe('JUnit: findings past the cap that are waived', () => {
  /** The telnet-listening testcase of web-1's suite. */
  function telnetCase(xml: string): string {
    const m = /<testcase [^>]*name="telnet-listening:[^"]*"(?:\/>|>[\s\S]*?<\/testcase>)/.exec(xml);
    return m![0];
  }

  test('a rule whose findings are all waived, listed or not, is skipped, as below the cap', () => {
    const report = sampleReport();
    const telnet = report.findings.find((f) => f.ruleId === 'telnet-listening')!;
    telnet.suppressed = { kind: 'baseline', reason: 'already in baseline bl.json' };
    report.omitted[0].suppressed = { baseline: 2, waiver: 1 };
    const testCase = telnetCase(junit(report));
    expect(testCase).not.toContain('<failure');
    expect(testCase).toContain('<skipped>');
    expect(testCase).toContain('waived (baseline): already in baseline bl.json');
    expect(testCase).toContain('… and 3 more waived findings not listed');
  });

  test('the failure counts only the findings not waived', () => {
    const report = sampleReport();
    report.omitted[0].suppressed = { baseline: 3 };
    const testCase = telnetCase(junit(report));
    expect(testCase).toContain('<failure message="in.telnetd listens on 0.0.0.0:23"');
    expect(testCase).not.toContain('more findings not listed');
    expect(testCase).toContain('… and 3 more waived findings not listed');
    report.omitted[0].suppressed = { baseline: 1 };
    const some = telnetCase(junit(report));
    expect(some).toContain('<failure message="3 findings: in.telnetd listens on 0.0.0.0:23"');
    expect(some).toContain('… and 2 more findings not listed');
    expect(some).toContain('… and 1 more waived finding not listed');
  });
});

test('JUnit: a failure of findings all past the cap has its snapshot\'s level (a hosts: entry\'s), not the config\'s', () => {
  const report = sampleReport();
  const web = report.snapshots.find((s) => s.host === 'web-1.example.com')!;
  web.levels = { 'telnet-listening': 'note' };
  const telnet = report.findings.find((f) => f.ruleId === 'telnet-listening')!;
  telnet.level = 'note';
  telnet.suppressed = { kind: 'baseline', reason: 'already in baseline bl.json' };
  // the one listed is baselined, the 3 counted past the cap are not: the failure has no listed finding to take its level from
  const m = /<testcase [^>]*name="telnet-listening:[^"]*"[^>]*>\s*<failure [^>]*type="([^"]*)"/.exec(junit(report));
  expect(m?.[1]).toBe('note');
});
