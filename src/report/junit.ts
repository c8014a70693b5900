/**
 * JUnit XML for CI test views (Jenkins junit, GitLab `artifacts:reports:junit`, Azure, CircleCI ...), built with
 * junit-report-builder (a fresh builder per testsuite, see junitChunks). One testsuite per snapshot, one testcase per rule on it:
 * passing rules pass; rules with findings fail (message attribute = the finding, element text = the offending
 * sockets with file:line); rules whose findings are all waived (those past --max-findings too), and rules not
 * evaluated, are skipped with the reason as the `<skipped>` text (what Jenkins and GitLab show). Valid against
 * the Jenkins junit-4 XSD
 * (`skipped` on the root `<testsuites>` aside, which the library always writes).
 */
import junitReportBuilder from 'junit-report-builder';
import type { TestCase } from 'junit-report-builder';
import { messageWithHint, type Diagnostic } from '../diagnostics';
import { suppressedCount, type Finding, type NotEvaluated, type Omitted, type RuleMeta, type ScanReport, type SnapshotReport } from '../engine/types';
import { describeSocket } from '../snapshot/describe';
import { displayFile } from './paths';
import { yamlFlow, groupBy } from './group';
import { levelIn } from './levels';
import { prepareReport } from './redact';
import { stripControl } from './sanitize';
import type { FormatContext, Formatter } from './types';
import { compareText } from '../compare';
import { EXPIRY_NOTICE_DAYS, lapsesIn } from '../engine/waivers';

/** Offending sockets listed in a failure's text per finding (the rest are counted). */
const JUNIT_OFFENDERS = 20;
/** Findings written out per failing testcase (the rest are counted). */
const JUNIT_FINDINGS_PER_CASE = 200;

/**
 * `web-1.example.com` → `web-1_example_com`: dots in a classname are package separators to CI tools, and
 * spaces and punctuation are not what they expect in one; letters and digits of any script stay.
 */
export function classSafe(text: string): string {
  return stripControl(text).replace(/[^\p{L}\p{N}_-]+/gu, '_') || '_';
}

/**
 * The classname of each suite, distinct across the report: CI tools key test results by classname and name,
 * and merge the suites of two hosts that classSafe makes alike (`web.1`, `web_1`); the second gets `~2`.
 */
function classNames(report: ScanReport): Map<string, string> {
  const hostCount = new Map<string, number>();
  for (const s of report.snapshots) hostCount.set(s.host, (hostCount.get(s.host) ?? 0) + 1);
  const out = new Map<string, string>();
  const used = new Set<string>();
  const assign = (key: string, base: string): void => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}~${n}`;
    used.add(name);
    out.set(key, name);
  };
  for (const s of report.snapshots) {
    const key = snapshotKey(s.host, s.file);
    // a host scanned twice gets the file in its classname, so test names don't collide
    if (!out.has(key)) assign(key, (hostCount.get(s.host) ?? 0) > 1 ? `socklint.${classSafe(s.host)}.${classSafe(s.file)}` : `socklint.${classSafe(s.host)}`);
  }
  report.snapshotErrors.forEach((e, i) => assign(errorKey(i), `socklint.not-scanned.${classSafe(e.file)}`));
  return out;
}

/** The classNames key of the i-th snapshot error (a snapshotKey is a JSON array: never this). */
function errorKey(i: number): string {
  return `error ${i}`;
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
    f.group && Object.keys(f.group).length > 0 ? `group: ${yamlFlow(f.group)}` : '',
  ].filter(Boolean);
  const lines = [`${at}  ${f.message}${measure.length ? ` (${measure.join('; ')})` : ''}`];
  const offenders = f.offenders ?? [];
  for (const o of offenders.slice(0, JUNIT_OFFENDERS)) lines.push(`    ${displayFile(o.location.file)}:${o.location.line}  ${o.summary}`);
  const more = Math.max(0, offenders.length - JUNIT_OFFENDERS) + (f.offendersOmitted ?? 0);
  if (more > 0) lines.push(`    … and ${more} more socket${more === 1 ? '' : 's'}`);
  return lines;
}

/**
 * A waived finding's line: where, by what, why, and the waiver's owner, ticket and expiry — with the days left when
 * its last day is near (what the text report and SARIF list as waivers expiring: a skipped testcase is where Jenkins
 * and GitLab users see a waiver).
 */
function waivedText(f: Finding, c: JunitContext): string {
  const s = f.suppressed!;
  const left = s.expires !== undefined ? lapsesIn(s.expires, c.now, c.noticeDays) : undefined;
  const lapse = left === undefined ? '' : left === 0 ? ', today is its last day' : `, its last day in ${left} day${left === 1 ? '' : 's'}`;
  const extra = [s.owner && `owner ${s.owner}`, s.ticket && `ticket ${s.ticket}`, s.expires && `expires ${s.expires}${lapse}`].filter(Boolean);
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

/** What every testsuite of a report is built from (addSuite). */
export interface JunitContext {
  report: ScanReport;
  rules: Map<string, RuleMeta>;
  /** Each rule's place in the report's rule list (a suite's testcases come in its order). */
  order: Map<string, number>;
  /** Each rule's testcase name (`id: title`), made once for all suites. */
  caseNames: Map<string, string>;
  /** What a waiver's days left are counted from, and how near its last day is named (waivedText). */
  now: Date;
  noticeDays: number;
  timestamp: string;
  /** Each suite's classname (classNames), by snapshotKey or errorKey. */
  classNames: Map<string, string>;
  bySnapshot: { findings: Map<string, Finding[]>; notEvaluated: Map<string, NotEvaluated[]>; omitted: Map<string, Omitted[]> };
}

/** The report, prepared (redacted), and what its testsuites are built from. */
export function junitContext(input: ScanReport, ctx: FormatContext): JunitContext {
  const report = prepareReport(input, ctx.redact);
  return {
    report,
    rules: new Map<string, RuleMeta>(report.rules.map((r) => [r.id, r])),
    order: new Map(report.rules.map((r, i) => [r.id, i])),
    caseNames: new Map(report.rules.map((r) => [r.id, attr(`${r.id}: ${r.title}`)])),
    now: ctx.now ?? new Date(report.startedAt),
    noticeDays: ctx.waiverNoticeDays ?? EXPIRY_NOTICE_DAYS,
    timestamp: junitTimestamp(report.startedAt, ctx.now ?? new Date(0)),
    classNames: classNames(report),
    // each snapshot's findings (and rules not evaluated, findings not listed), grouped once
    bySnapshot: {
      findings: groupBy(report.findings, (f) => snapshotKey(f.host, f.location.file)),
      notEvaluated: groupBy(report.notEvaluated, (n) => snapshotKey(n.host, n.file)),
      omitted: groupBy(report.omitted, (o) => snapshotKey(o.host, o.file)),
    },
  };
}

/** The report's name on the root element. */
export function junitName(report: ScanReport): string {
  return `socklint ${attr(report.tool.version)}`;
}

type JunitBuilder = ReturnType<typeof junitReportBuilder.newBuilder>;

/** Adds `snapshot`'s testsuite to `builder`: its properties, and a testcase per rule. */
export function addSuite(builder: JunitBuilder, snapshot: SnapshotReport, c: JunitContext): void {
  const suite = builder.testSuite();
  suite.name(attr(`socklint ${snapshot.host} (${displayFile(snapshot.file)})`));
  suite.timestamp(c.timestamp);
  suite.property('host', attr(snapshot.host));
  suite.property('file', attr(snapshot.file));
  suite.property('sockets', String(snapshot.sockets));
  suite.property('unparsedLines', String(snapshot.unparsed));
  for (const [k, v] of Object.entries(snapshot.labels ?? {})) suite.property(`label.${attr(k)}`, attr(v));
  const key = snapshotKey(snapshot.host, snapshot.file);
  const classname = c.classNames.get(key)!;
  const of = { findings: c.bySnapshot.findings.get(key) ?? [], notEvaluated: c.bySnapshot.notEvaluated.get(key) ?? [], omitted: c.bySnapshot.omitted.get(key) ?? [] };
  addCases(suite, classname, snapshot, of, c);
}

/**
 * Adds the testsuite of a snapshot that could not be scanned: one testcase, in error (what JUnit's `error` is
 * for: the test could not run), so that CI shows it rather than a suite fewer.
 */
function addErrorSuite(builder: JunitBuilder, e: Diagnostic, i: number, c: JunitContext): void {
  const suite = builder.testSuite();
  suite.name(attr(`socklint (${displayFile(e.file)})`));
  suite.timestamp(c.timestamp);
  suite.property('file', attr(e.file));
  const where = e.line !== undefined ? `${displayFile(e.file)}:${e.line}` : displayFile(e.file);
  suite.testCase().className(c.classNames.get(errorKey(i))!).name('snapshot could be scanned')
    .error(attr(messageWithHint(e)), e.code, body(`${where}: ${e.message}${e.hint ? `\n${e.hint}` : ''}`));
}

/**
 * The JUnit XML in pieces: each snapshot's testsuite is built in a junit-report-builder document of its own
 * and cut out of it, and the root element is the library's own for the report's name, with the suites'
 * totals. The text is the one document the library builds of them all (a test compares the two), but what is
 * held is the suites' text, not that document's element tree — which for 5,000 small snapshots took ~290 MB
 * (1,000 snapshots, JUnit only: peak RSS 193 -> 164 MiB, 1.52 -> 1.40 s).
 */
export function* junitChunks(input: ScanReport, ctx: FormatContext): Generator<string, void, undefined> {
  const c = junitContext(input, ctx);
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suiteBuilders = [
    ...c.report.snapshots.map((snapshot) => (builder: JunitBuilder) => addSuite(builder, snapshot, c)),
    ...c.report.snapshotErrors.map((e, i) => (builder: JunitBuilder) => addErrorSuite(builder, e, i, c)),
  ];
  for (const add of suiteBuilders) {
    const builder = junitReportBuilder.newBuilder();
    add(builder);
    const text = suiteText(builder.build());
    // the suite's own counts, from its opening tag (attribute values hold no raw `"`: the library escapes it)
    const tag = text.slice(0, text.indexOf('\n'));
    for (const m of tag.matchAll(/ (tests|failures|errors|skipped)="(\d+)"/g)) totals[m[1] as keyof typeof totals] += Number(m[2]);
    suites.push(text);
  }
  const empty = junitReportBuilder.newBuilder();
  empty.name(junitName(c.report));
  const document = empty.build();
  if (suites.length === 0) {
    yield document;
    return;
  }
  if (!document.endsWith(EMPTY_ROOT_END)) throw new Error('junit-report-builder wrote an empty report in an unexpected form');
  yield `${document.slice(0, -EMPTY_ROOT_END.length)} tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}">\n`;
  yield* suites;
  yield '</testsuites>';
}

/** How the library ends the root element of a report without suites. */
const EMPTY_ROOT_END = ' tests="0" failures="0" errors="0" skipped="0"/>';

/** The one `<testsuite>` element of a document built with one suite, indented as in the whole report, with its newline. */
function suiteText(document: string): string {
  const start = document.indexOf('\n  <testsuite ');
  const end = document.lastIndexOf('</testsuites>');
  if (start < 0 || end < start) throw new Error('junit-report-builder wrote a testsuite in an unexpected form');
  return document.slice(start + 1, end);
}

export function formatJunit(input: ScanReport, ctx: FormatContext): string {
  return [...junitChunks(input, ctx)].join('');
}

type Suite = ReturnType<ReturnType<typeof junitReportBuilder.newBuilder>['testSuite']>;

function snapshotKey(host: string, file: string): string {
  return JSON.stringify([host, file]);
}

const NONE: readonly never[] = [];

function addCases(
  suite: Suite,
  classname: string,
  snapshot: SnapshotReport,
  { findings, notEvaluated, omitted }: { findings: Finding[]; notEvaluated: NotEvaluated[]; omitted: Omitted[] },
  c: JunitContext,
): void {
  const ruleIds = [...new Set([...snapshot.rulesEvaluated, ...notEvaluated.map((n) => n.ruleId)])];
  ruleIds.sort((a, b) => (c.order.get(a) ?? Infinity) - (c.order.get(b) ?? Infinity) || compareText(a, b));
  // the suite's findings and counts of those not listed, by rule (in their order)
  const findingsOf = groupBy(findings, (f) => f.ruleId);
  const omittedOf = groupBy(omitted, (o) => o.ruleId);

  for (const ruleId of ruleIds) {
    const rule = c.rules.get(ruleId);
    const testCase = suite.testCase().className(classname).name(c.caseNames.get(ruleId) ?? attr(`${ruleId}: ${ruleId}`));
    const skip = notEvaluated.find((n) => n.ruleId === ruleId);
    if (skip) {
      skipWithReason(testCase, `not evaluated: ${skip.reason}`);
      continue;
    }
    const forRule = findingsOf.get(ruleId) ?? NONE;
    const active = forRule.filter((f) => !f.suppressed);
    const waived = forRule.filter((f) => f.suppressed);
    // findings past the cap that were waived or baselined fail no more than listed ones do
    const omittedHere = omittedOf.get(ruleId) ?? NONE;
    const waivedNotListed = omittedHere.reduce((n, o) => n + suppressedCount(o), 0);
    const notListed = omittedHere.reduce((n, o) => n + o.count, 0) - waivedNotListed;
    const waivedLines = waived.map((f) => waivedText(f, c));
    if (waivedNotListed > 0) waivedLines.push(`… and ${waivedNotListed} more waived finding${waivedNotListed === 1 ? '' : 's'} not listed`);
    if (active.length > 0 || notListed > 0) {
      const total = active.length + notListed;
      const message = total === 1 && active.length === 1 ? active[0].message : `${total} findings: ${active[0]?.message ?? ruleId}`;
      const lines = active.slice(0, JUNIT_FINDINGS_PER_CASE).flatMap(findingLines);
      const unlisted = Math.max(0, active.length - JUNIT_FINDINGS_PER_CASE) + notListed;
      if (unlisted > 0) lines.push(`… and ${unlisted} more finding${unlisted === 1 ? '' : 's'} not listed`);
      if (waivedLines.length > 0) lines.push('', ...waivedLines);
      testCase.failure(attr(message), active[0]?.level ?? levelIn(snapshot, ruleId, rule?.level ?? 'error'));
      testCase.stacktrace(body(lines.join('\n')));
    } else if (waivedLines.length > 0) {
      skipWithReason(testCase, waivedLines.join('\n'));
    }
  }
}

export const junitFormatter: Formatter = {
  name: 'junit',
  description: 'JUnit XML for CI test views (one testsuite per snapshot, one testcase per rule)',
  defaultFileName: 'TEST-socklint.xml',
  format: formatJunit,
  chunks: junitChunks,
};
