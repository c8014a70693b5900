/**
 * JUnit XML for CI test views (Jenkins junit, GitLab `artifacts:reports:junit`, Azure, CircleCI ...), built with
 * junit-report-builder (a fresh builder per call). One testsuite per snapshot, one testcase per rule on it:
 * passing rules pass; rules with findings fail (message attribute = the finding, element text = the offending
 * sockets with file:line); rules whose findings are all waived, and rules not evaluated, are skipped with the
 * reason as the `<skipped>` text (what Jenkins and GitLab show). Valid against the Jenkins junit-4 XSD
 * (`skipped` on the root `<testsuites>` aside, which the library always writes).
 */
import junitReportBuilder from 'junit-report-builder';
import type { TestCase } from 'junit-report-builder';
import type { Finding, NotEvaluated, Omitted, RuleMeta, ScanReport, SnapshotReport } from '../engine/types';
import { describeSocket } from '../snapshot/describe';
import { displayFile } from './paths';
import { groupBy } from './group';
import { prepareReport } from './redact';
import { stripControl } from './sanitize';
import type { FormatContext, Formatter } from './types';
import { compareText } from '../compare';

/** Offending sockets listed in a failure's text per finding (the rest are counted). */
const JUNIT_OFFENDERS = 20;
/** Findings written out per failing testcase (the rest are counted). */
const JUNIT_FINDINGS_PER_CASE = 200;

/** `web-1.example.com` → `web-1_example_com`: dots in a classname are package separators to CI tools. */
export function classSafe(text: string): string {
  return stripControl(text).replace(/[^A-Za-z0-9_-]+/g, '_') || '_';
}

/** Ant/Jenkins timestamp (`yyyy-MM-ddTHH:mm:ss`, no zone designator allowed by the Ant schema), in UTC. */
export function junitTimestamp(iso: string, fallback: Date): string {
  const t = new Date(iso);
  return (Number.isNaN(t.getTime()) ? fallback : t).toISOString().slice(0, 19);
}

const attr = (s: string): string => stripControl(s);
/**
 * Element text goes into CDATA; xmlbuilder 15 splits only the first `]]>` of a CDATA text, so a second one
 * would end the section early. Break each one with a space instead (`]] >`): still readable, always well-formed.
 */
const body = (s: string): string => stripControl(s, true).replace(/]]>/g, ']] >');

function findingLines(f: Finding): string[] {
  const at = `${displayFile(f.location.file)}:${f.location.line}`;
  if (f.socket) return [`${at}  ${describeSocket(f.socket)}  — ${f.message}`];
  const measure = [
    f.observed !== undefined ? `observed ${f.observed}` : '',
    f.threshold !== undefined ? `threshold ${f.threshold}` : '',
    f.group ? `group ${Object.entries(f.group).map(([k, v]) => `${k}=${v ?? '-'}`).join(', ')}` : '',
  ].filter(Boolean);
  const lines = [`${at}  ${f.message}${measure.length ? ` (${measure.join('; ')})` : ''}`];
  const offenders = f.offenders ?? [];
  for (const o of offenders.slice(0, JUNIT_OFFENDERS)) lines.push(`    ${displayFile(o.location.file)}:${o.location.line}  ${o.summary}`);
  const more = Math.max(0, offenders.length - JUNIT_OFFENDERS) + (f.offendersOmitted ?? 0);
  if (more > 0) lines.push(`    … and ${more} more sockets`);
  return lines;
}

function waivedText(f: Finding): string {
  const s = f.suppressed!;
  const extra = [s.owner && `owner ${s.owner}`, s.ticket && `ticket ${s.ticket}`, s.expires && `expires ${s.expires}`].filter(Boolean);
  return `${displayFile(f.location.file)}:${f.location.line} waived (${s.kind}): ${s.reason}${extra.length ? ` [${extra.join(', ')}]` : ''}`;
}

/**
 * junit-report-builder cannot give `<skipped>` text; the XSD allows no attribute on it, and text is what
 * Jenkins and GitLab display. So the skipped element the library builds gets the reason appended.
 */
function skipWithReason(testCase: TestCase, reason: string): void {
  testCase.skipped();
  const build = testCase.build.bind(testCase);
  testCase.build = (parent) => {
    const element = build(parent);
    const skipped = element.children.find(
      (c) => (c as unknown as { name?: string }).name === 'skipped',
    ) as unknown as { txt(text: string): unknown } | undefined;
    skipped?.txt(body(reason));
    return element;
  };
}

export function formatJunit(input: ScanReport, ctx: FormatContext): string {
  const report = prepareReport(input, ctx.redact);
  const builder = junitReportBuilder.newBuilder();
  builder.name(`socklint ${attr(report.tool.version)}`);
  const rules = new Map<string, RuleMeta>(report.rules.map((r) => [r.id, r]));
  const timestamp = junitTimestamp(report.startedAt, ctx.now ?? new Date(0));
  const hostCount = new Map<string, number>();
  for (const s of report.snapshots) hostCount.set(s.host, (hostCount.get(s.host) ?? 0) + 1);

  // each snapshot's findings (and rules not evaluated, findings not listed), grouped once
  const bySnapshot = {
    findings: groupBy(report.findings, (f) => snapshotKey(f.host, f.location.file)),
    notEvaluated: groupBy(report.notEvaluated, (n) => snapshotKey(n.host, n.file)),
    omitted: groupBy(report.omitted, (o) => snapshotKey(o.host, o.file)),
  };
  for (const snapshot of report.snapshots) {
    const suite = builder.testSuite();
    suite.name(attr(`socklint ${snapshot.host} (${displayFile(snapshot.file)})`));
    suite.timestamp(timestamp);
    suite.property('host', attr(snapshot.host));
    suite.property('file', attr(snapshot.file));
    suite.property('sockets', String(snapshot.sockets));
    suite.property('unparsedLines', String(snapshot.unparsed));
    for (const [k, v] of Object.entries(snapshot.labels ?? {})) suite.property(`label.${attr(k)}`, attr(v));
    // Unique per suite: a host scanned twice gets the file in its classname, so test names don't collide.
    const classname =
      (hostCount.get(snapshot.host) ?? 0) > 1
        ? `socklint.${classSafe(snapshot.host)}.${classSafe(snapshot.file)}`
        : `socklint.${classSafe(snapshot.host)}`;
    const key = snapshotKey(snapshot.host, snapshot.file);
    const of = { findings: bySnapshot.findings.get(key) ?? [], notEvaluated: bySnapshot.notEvaluated.get(key) ?? [], omitted: bySnapshot.omitted.get(key) ?? [] };
    addCases(suite, classname, snapshot, of, report, rules);
  }
  return builder.build();
}

type Suite = ReturnType<ReturnType<typeof junitReportBuilder.newBuilder>['testSuite']>;

function snapshotKey(host: string, file: string): string {
  return JSON.stringify([host, file]);
}

function addCases(
  suite: Suite,
  classname: string,
  snapshot: SnapshotReport,
  { findings, notEvaluated, omitted }: { findings: Finding[]; notEvaluated: NotEvaluated[]; omitted: Omitted[] },
  report: ScanReport,
  rules: Map<string, RuleMeta>,
): void {
  const ruleIds = [...new Set([...snapshot.rulesEvaluated, ...notEvaluated.map((n) => n.ruleId)])];
  const order = new Map(report.rules.map((r, i) => [r.id, i]));
  ruleIds.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || compareText(a, b));

  for (const ruleId of ruleIds) {
    const rule = rules.get(ruleId);
    const testCase = suite.testCase().className(classname).name(attr(`${ruleId}: ${rule?.title ?? ruleId}`));
    const skip = notEvaluated.find((n) => n.ruleId === ruleId);
    if (skip) {
      skipWithReason(testCase, `not evaluated: ${skip.reason}`);
      continue;
    }
    const forRule = findings.filter((f) => f.ruleId === ruleId);
    const active = forRule.filter((f) => !f.suppressed);
    const waived = forRule.filter((f) => f.suppressed);
    const notListed = omitted.filter((o: Omitted) => o.ruleId === ruleId).reduce((n, o) => n + o.count, 0);
    if (active.length > 0 || notListed > 0) {
      const total = active.length + notListed;
      const message = total === 1 && active.length === 1 ? active[0].message : `${total} findings: ${active[0]?.message ?? ruleId}`;
      const lines = active.slice(0, JUNIT_FINDINGS_PER_CASE).flatMap(findingLines);
      const unlisted = Math.max(0, active.length - JUNIT_FINDINGS_PER_CASE) + notListed;
      if (unlisted > 0) lines.push(`… and ${unlisted} more findings not listed`);
      if (waived.length > 0) lines.push('', ...waived.map(waivedText));
      testCase.failure(attr(message), active[0]?.level ?? rule?.level ?? 'error');
      testCase.stacktrace(body(lines.join('\n')));
    } else if (waived.length > 0) {
      skipWithReason(testCase, waived.map(waivedText).join('\n'));
    }
  }
}

export const junitFormatter: Formatter = {
  name: 'junit',
  description: 'JUnit XML for CI test views (one testsuite per snapshot, one testcase per rule)',
  defaultFileName: 'TEST-socklint.xml',
  format: formatJunit,
};
