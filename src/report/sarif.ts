/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer), built with node-sarif-builder.
 *
 * One run per host (`automationDetails.id` = `socklint/<host>/`, so each host is its own code-scanning
 * category and re-uploads replace, not duplicate). Every result has a physical location — the snapshot path
 * relative to cwd and the socket's line — because GitHub rejects a whole file for one result without one, and
 * `partialFingerprints` carrying the engine's fingerprint, so alerts match across runs even when line numbers
 * move. GitHub's limits are respected: 25,000 results per run (the rest are counted in a notification and the
 * run's properties), 1,000 related locations per result, 20 tags per rule.
 */
import type * as Sarif from 'sarif';
import { fullFormats } from 'ajv-formats/dist/formats';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import { securitySeverityAt, suppressedCount, type Finding, type Level, type RuleMeta, type ScanReport, type SnapshotReport } from '../engine/types';
import type { Location } from '../snapshot/types';
import { describeSocket } from '../snapshot/describe';
import { EXPIRY_NOTICE_DAYS, lapsingSoon, waiverCause, waiverHostMatcher } from '../engine/waivers';
import { SARIF_MAX_RUNS_PER_FILE, artifactUri, displayFile, fileUri } from './paths';
import { groupBy, yamlFlow } from './group';
import { levelIn } from './levels';
import { prepareReport } from './redact';
import { stripControl } from './sanitize';
import { sha256Hex } from '../hash';
import { messageWithHint } from '../diagnostics';
import type { FormatContext, Formatter } from './types';

/** A snapshot named in a message for people: as the text and JUnit reports and stderr name it (stdin as `<stdin>`). */
function shownFile(file: string): string {
  return stripControl(displayFile(file));
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning: results per run it accepts. */
export const SARIF_MAX_RESULTS_PER_RUN = 25_000;
/** GitHub code scanning: locations per result it accepts (relatedLocations included). */
export const SARIF_MAX_RELATED_LOCATIONS = 1_000;
/** GitHub code scanning: tags per rule. */
export const SARIF_MAX_TAGS = 20;
/** GitHub: shortDescription/fullDescription are cut at 1024 characters. */
const SARIF_MAX_DESCRIPTION = 1024;
/** The engine's fingerprint, versioned so a future change of the algorithm can be told apart. */
export const FINGERPRINT_KEY = 'socklintFingerprint/v1';
export const SRCROOT = '%SRCROOT%';
/** Listed unparsed lines per snapshot that become notifications (the count is always given). */
const UNPARSED_NOTIFICATIONS = 10;
/**
 * Waivers of one kind (expired, matched nothing) that become notifications in each run, the rest counted in one
 * more: a fleet config's waivers cover every host, and 5,000 that matched nothing in 100 runs made each SARIF
 * file of 20 runs 34 MB of them (the text and JSON reports list them all, once).
 */
const WAIVER_NOTIFICATIONS = 100;

const LEVEL_RANK: Record<Level, number> = { error: 0, warning: 1, note: 2 };
/** security-severity for a security rule that did not set one (GitHub: ≥9 critical, ≥7 high, ≥4 medium, else low; SECURITY_SEVERITY_BANDS). */
const DEFAULT_SECURITY_SEVERITY: Record<Level, number> = { error: 7.5, warning: 5.0, note: 2.0 };
const PROBLEM_SEVERITY: Record<Level, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

/** Descriptors of the notifications socklint emits (GitHub wants full metadata on these too). */
const NOTIFICATIONS: Sarif.ReportingDescriptor[] = (
  [
    ['not-evaluated', 'A rule was not evaluated', 'The snapshot lacks fields the rule needs (for example process names without `ss -p`); the rule says nothing about that snapshot.', 'Capture the snapshot with the ss flags named in the message.'],
    ['unparsed-lines', 'Snapshot lines could not be parsed', 'Lines socklint could not parse were not audited; findings may be missing.', 'Check the capture command and the lines cited; report parser gaps with the line attached.'],
    ['findings-not-listed', 'Findings beyond the per-rule cap', 'A rule produced more findings on one snapshot than the per-rule cap; the rest were counted but not listed.', 'Fix the listed findings first, or raise the cap.'],
    ['results-capped', 'Results beyond the GitHub limit', 'GitHub code scanning accepts at most 25,000 results per run; waived and lower-level results were left out first.', 'Use the JSON report for the full list.'],
    ['waiver-expired', 'A waiver has expired', 'The waiver is past its expiry date, so its findings are reported again.', 'Renew the waiver with a new expiry date, or fix the findings.'],
    ['waiver-expiring', 'A waiver expires soon', `The waiver's last day is within ${EXPIRY_NOTICE_DAYS} days (or the config's waiverNoticeDays): after it, the findings it waives are reported again.`, 'Renew the waiver with a new expiry date, or fix the findings before it lapses.'],
    ['waiver-unused', 'A waiver matched no finding', 'The waiver matched no finding in this scan; it may be stale.', 'Remove the waiver if the problem is gone.'],
    ['host-entry-unused', 'A host override matched no host', 'A hosts: entry of the config matched none of the hosts of this scan, so its overrides applied nowhere: its host glob or labels may be written wrong.', 'Correct the entry\'s match: (host glob, labels) or remove it; an entry for hosts this scan does not cover can stay.'],
    ['snapshot-not-scanned', 'A snapshot could not be scanned', 'A snapshot of this scan could not be read, held no parsable socket, or held several captures or ss runs: no rule ran on it, and its host may have no run here.', 'Fix or recapture the snapshot named in the message; the scan exited 3.'],
  ] as const
).map(([id, short, full, help]) => ({
  id,
  name: pascalCase(id),
  shortDescription: { text: short },
  fullDescription: { text: full },
  help: { text: help, markdown: help },
}));

function text(value: string, fallback: string): string {
  const clean = stripControl(value, true).trim();
  return clean === '' ? fallback : clean;
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** `no-public-db` → `NoPublicDb`: SARIF wants `name` to be an identifier a person can read. */
/**
 * A rule's SARIF `name`: its id in PascalCase, which the SARIF Multitool (SARIF1001) requires to differ from
 * the id — for a one-word id (`retransmitting`) the rule's kind is put in front (`HealthRetransmitting`).
 */
function ruleName(rule: RuleMeta): string {
  const name = pascalCase(rule.id);
  return name.toLowerCase() === rule.id.toLowerCase() ? pascalCase(`${rule.kind}-${rule.id}`) : name;
}

function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  return name || 'Rule';
}

/**
 * A rule's reference as its helpUri: an http(s) URL written as the URI SARIF's schema takes (`format: uri`, RFC 3986:
 * non-ASCII and characters such as `|` or `{` percent-encoded), or undefined when it is none (a reference is free text;
 * a rule's own helpUri was checked so when the rule was loaded).
 */
function referenceUri(ref: string): string | undefined {
  if (!/^https?:\/\/\S+$/.test(ref)) return undefined;
  let href: string;
  try {
    href = new URL(ref).href;
  } catch {
    return undefined;
  }
  const uri = href.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, (c) => encodeURIComponent(c));
  return isUri(uri) ? uri : undefined;
}

/** ajv-formats' `uri` check, the one the rule schema's helpUri is held to. */
const isUri = fullFormats.uri as (s: string) => boolean;

function securitySeverity(rule: RuleMeta): string {
  const value = rule.securitySeverity ?? DEFAULT_SECURITY_SEVERITY[rule.level];
  return (Math.min(10, Math.max(0.1, Math.round(value * 10) / 10))).toFixed(1);
}

/**
 * The rule's descriptor; `level`: the one it has in this run (a host override), else its own. GitHub shows a
 * security alert's severity from the rule's `security-severity` alone (a result's `level` does not change it),
 * so a host's level brings the score along, as the config's level did (RuleMeta.securitySeverity).
 */
function ruleDescriptor(rule: RuleMeta, level: Level = rule.level): Sarif.ReportingDescriptor {
  if (level !== rule.level) {
    rule = { ...rule, level, ...(rule.securitySeverity !== undefined ? { securitySeverity: securitySeverityAt(rule.securitySeverity, level) } : {}) };
  }
  const security = rule.kind === 'security';
  const tags = [...new Set([...(security ? ['security'] : []), rule.kind, ...rule.tags])].slice(0, SARIF_MAX_TAGS);
  const helpUri = rule.helpUri ?? rule.references.map(referenceUri).find((u) => u !== undefined);
  const title = text(rule.title, rule.id);
  const description = text(rule.description, title);
  const helpMarkdown = [
    rule.help.trim() || description,
    rule.references.length > 0 ? `\n**References:**\n\n${rule.references.map((r) => `- ${r}`).join('\n')}` : '',
  ].join('\n');
  const properties: Sarif.PropertyBag = { tags, precision: 'high' };
  if (security) properties['security-severity'] = securitySeverity(rule);
  else properties['problem.severity'] = PROBLEM_SEVERITY[rule.level];
  const descriptor: Sarif.ReportingDescriptor = {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: cut(title, SARIF_MAX_DESCRIPTION) },
    fullDescription: { text: cut(description, SARIF_MAX_DESCRIPTION) },
    help: { text: text(helpMarkdown, description), markdown: helpMarkdown },
    defaultConfiguration: { level: rule.level },
    properties,
  };
  if (helpUri) descriptor.helpUri = helpUri;
  return descriptor;
}

/**
 * A rule's level in a host's run: the one its snapshots give it — the config's, or a `hosts:` entry's for that
 * host and those labels (SnapshotReport.levels). Two snapshots of one host with different labels may give it
 * two: a descriptor has one `defaultConfiguration.level`, so it gets the most severe of them, and every result
 * states its own snapshot's level (`result.level`, which SARIF and GitHub take over the rule's default). GitHub
 * reads a security alert's score from the rule alone, so a host's alert is not ranked below the level one of
 * its label sets gives the rule. Snapshots where the rule did not run (disabled there) give it no level.
 */
function runLevel(rule: RuleMeta, snapshots: readonly SnapshotReport[]): Level {
  let level: Level | undefined;
  for (const s of snapshots) {
    if (!(s.levels !== undefined && Object.hasOwn(s.levels, rule.id)) && !s.rulesEvaluated.includes(rule.id)) continue;
    const l = levelIn(s, rule.id, rule.level);
    if (level === undefined || LEVEL_RANK[l] < LEVEL_RANK[level]) level = l;
  }
  return level ?? rule.level;
}

class Locator {
  private readonly meta = new Map<string, Record<string, string> | undefined>();
  /** artifactUri of each file (every finding and offender names one of a few files). */
  private readonly uris = new Map<string, { uri: string; relative: boolean }>();
  constructor(private readonly cwd: string, snapshots: SnapshotReport[]) {
    for (const s of snapshots) if (!this.meta.has(s.file)) this.meta.set(s.file, s.meta);
  }
  artifact(file: string): Sarif.ArtifactLocation {
    let known = this.uris.get(file);
    if (known === undefined) {
      known = artifactUri(file, this.cwd, this.meta.get(file));
      this.uris.set(file, known);
    }
    const { uri, relative } = known;
    return relative ? { uri, uriBaseId: SRCROOT } : { uri };
  }
  physical(location: Location): Sarif.PhysicalLocation {
    return { artifactLocation: this.artifact(location.file), region: { startLine: Math.max(1, location.line || 1) } };
  }
  fileOnly(file: string): Sarif.Location {
    return { physicalLocation: { artifactLocation: this.artifact(file) } };
  }
}

function resultFor(f: Finding, rule: RuleMeta | undefined, locator: Locator): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: f.ruleId,
    level: f.level,
    message: { text: text(f.message, rule ? text(rule.title, f.ruleId) : f.ruleId) },
    locations: [{ physicalLocation: locator.physical(f.location) }],
    // GitHub matches alerts on primaryLocationLineHash only; the engine's identity-based fingerprint is a
    // better one than a hash of the snapshot line (queues and timers change every capture).
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint, primaryLocationLineHash: f.fingerprint },
  };
  const properties: Sarif.PropertyBag = { host: f.host };
  if (f.socket) properties.socket = stripControl(describeSocket(f.socket));
  if (f.group) properties.group = f.group;
  if (f.observed !== undefined) properties.observed = f.observed;
  if (f.threshold !== undefined) properties.threshold = f.threshold;
  const offenders = f.offenders ?? [];
  if (offenders.length > 0) {
    const listed = offenders.slice(0, SARIF_MAX_RELATED_LOCATIONS);
    result.relatedLocations = listed.map((o, i) => ({
      id: i + 1,
      physicalLocation: locator.physical(o.location),
      message: { text: text(o.summary, 'offending socket') },
    }));
    const notListed = offenders.length - listed.length + (f.offendersOmitted ?? 0);
    if (notListed > 0) properties.offendersNotListed = notListed;
  } else if (f.offendersOmitted) {
    properties.offendersNotListed = f.offendersOmitted;
  }
  result.properties = properties;
  if (f.suppressed) {
    const s = f.suppressed;
    const suppressionProps: Sarif.PropertyBag = { socklintKind: s.kind };
    if (s.owner) suppressionProps.owner = s.owner;
    if (s.ticket) suppressionProps.ticket = s.ticket;
    if (s.expires) suppressionProps.expires = s.expires;
    result.suppressions = [
      { kind: 'external', status: 'accepted', justification: text(s.reason, s.kind), properties: suppressionProps },
    ];
  }
  return result;
}

function isoTime(value: string, fallback: Date): Date {
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? fallback : t;
}


/**
 * Splits a report into reports of at most SARIF_MAX_RUNS_PER_FILE hosts each, for one SARIF file apiece
 * (the CLI names them out.sarif, out.2.sarif, ...). A report with few hosts comes back whole.
 */
export function splitByHosts(report: ScanReport, maxHosts = SARIF_MAX_RUNS_PER_FILE): ScanReport[] {
  const hosts = hostsOf(report);
  if (hosts.length <= maxHosts) return [report];
  const parts: ScanReport[] = [];
  const partOf = new Map(hosts.map((h, i) => [h, Math.floor(i / maxHosts)]));
  const part = (x: { host: string }): string => String(partOf.get(x.host));
  const snapshots = groupBy(report.snapshots, part);
  const findings = groupBy(report.findings, part);
  const notEvaluated = groupBy(report.notEvaluated, part);
  const omitted = groupBy(report.omitted, part);
  for (let i = 0; i * maxHosts < hosts.length; i++) {
    const k = String(i);
    parts.push({
      ...report,
      snapshots: snapshots.get(k) ?? [],
      findings: findings.get(k) ?? [],
      notEvaluated: notEvaluated.get(k) ?? [],
      omitted: omitted.get(k) ?? [],
    });
  }
  return parts;
}

/**
 * What stderr says of a report with more hosts than GitHub takes runs per SARIF upload (undefined: not more):
 * the `files` splitByHosts' parts were written to, or, given none, that the one document on stdout (which cannot
 * be split) will be rejected, and what splits it. One wording for both.
 */
export function tooManyRunsNotice(report: ScanReport, files?: readonly string[]): string | undefined {
  const hosts = hostsOf(report).length;
  if (hosts <= SARIF_MAX_RUNS_PER_FILE) return undefined;
  const over = `${hosts} hosts are more than GitHub's ${SARIF_MAX_RUNS_PER_FILE} runs per SARIF file`;
  return files
    ? `${over}: wrote ${writtenFiles(files)} (upload each on its own: upload-sarif joins a folder's files into one upload, see docs/reports.md)`
    : `${over}: stdout got them all in one document, which GitHub code scanning rejects (--format sarif=PATH splits it: sarif=socklint.sarif writes socklint.sarif, socklint.2.sarif, … of ${SARIF_MAX_RUNS_PER_FILE} hosts each; see docs/reports.md)`;
}

/** Files listed in a notice: every one of a few; of many (a fleet's 250 parts), the first ones, how many, and the last. */
const FILES_NAMED = 5;
function writtenFiles(files: readonly string[]): string {
  if (files.length <= FILES_NAMED + 1) return files.join(', ');
  return `${files.slice(0, FILES_NAMED - 1).join(', ')}, … (${files.length} files in all) … ${files[files.length - 1]}`;
}

/** Hosts in the order the report first mentions them. */
function hostsOf(report: ScanReport): string[] {
  const hosts = new Set<string>();
  for (const s of report.snapshots) hosts.add(s.host);
  for (const f of report.findings) hosts.add(f.host);
  for (const n of report.notEvaluated) hosts.add(n.host);
  return [...hosts];
}

export function buildSarifLog(input: ScanReport, ctx: FormatContext): Sarif.Log {
  const report = prepareReport(input, ctx.redact);
  const locator = new Locator(ctx.cwd, report.snapshots);
  const ruleById = new Map(report.rules.map((r) => [r.id, r]));
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const descriptors = report.rules.map((r) => ruleDescriptor(r));
  const start = isoTime(report.startedAt, ctx.now ?? new Date(0));
  const end = new Date(start.getTime() + Math.max(0, report.durationMs || 0));
  const builder = new SarifBuilder({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [] });
  const hosts = hostsOf(report);
  if (hosts.length === 0) hosts.push('');
  const category = stripControl(ctx.sarifCategory ?? 'socklint').replace(/\/+$/, '') || 'socklint';
  const usedIds = new Set<string>();
  const byHost = (x: { host: string }): string => x.host;
  const snapshotsOf = groupBy(report.snapshots, byHost);
  const findingsOf = groupBy(report.findings, byHost);
  const notEvaluatedOf = groupBy(report.notEvaluated, byHost);
  const omittedOf = groupBy(report.omitted, byHost);
  // each run is a host: a waiver's notice goes into the runs of the hosts it covers (every run for one without
  // host:, or one whose host glob matched none of the scan's hosts, which is the whole scan's to mend)
  const waiverHosts = report.waivers.map((w) => (w.noHostMatched ? () => true : waiverHostMatcher(w.host)));
  const lapsing = lapsingSoon(report.waiversInForce, ctx.now ?? start, ctx.waiverNoticeDays).map((l) => ({ ...l, covers: waiverHostMatcher(l.w.host) }));

  // The runs whose rules have the same levels share one driver (a fleet's runs mostly do): its ~30 KB of rule
  // descriptors are made and stringified once (compactJson), not once per host.
  const drivers = new Map<string, Sarif.ToolComponent>();

  for (const host of hosts) {
    const snapshots = snapshotsOf.get(host) ?? [];
    // a host override of a rule's level is the level of its descriptor in the host's run (each run is a host);
    // each result carries its own snapshot's level whatever the descriptor says (runLevel)
    const overridden = snapshots.some((s) => s.levels);
    const levels = report.rules.map((r) => (overridden ? runLevel(r, snapshots) : r.level));
    const levelsKey = levels.join(' ');
    let driver = drivers.get(levelsKey);
    if (driver === undefined) {
      driver = {
        // Set explicitly: the builder would otherwise fill in the npm package name of whoever runs it.
        name: 'socklint',
        version: report.tool.version,
        rules: report.rules.map((r, i) => new SarifRuleBuilder(levels[i] !== r.level ? ruleDescriptor(r, levels[i]) : descriptors[i]).rule),
        notifications: NOTIFICATIONS,
      };
      if (/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(report.tool.version)) {
        driver.semanticVersion = report.tool.version;
      }
      if (report.tool.informationUri) driver.informationUri = report.tool.informationUri;
      drivers.set(levelsKey, driver);
    }
    const hostLabel = stripControl(host);
    // Two host names that differ only in stripped control characters must still get distinct categories, in
    // whichever part file (of 20 hosts) each lands: a name that lost some gets a hash of the name as it was.
    // (The loop below is the last resort within a file.)
    let automationId = `${category}/${hostLabel === host ? hostLabel : `${hostLabel}~${sha256Hex(host, 4)}`}/`;
    for (let n = 2; usedIds.has(automationId); n++) automationId = `${category}/${hostLabel}~${n}/`;
    usedIds.add(automationId);
    const runBuilder = new SarifRunBuilder({
      tool: { driver },
      automationDetails: { id: automationId },
      originalUriBaseIds: { [SRCROOT]: { uri: fileUri(ctx.cwd, true) } },
      columnKind: 'utf16CodeUnits',
      artifacts: snapshots.map((s) => ({
        location: locator.artifact(s.file),
        mimeType: 'text/plain',
        properties: { host: s.host, sockets: s.sockets, lines: s.lines, unparsed: s.unparsed },
      })),
    });

    // Cap at GitHub's limit, keeping what matters most: unsuppressed first, then by level.
    const findings = (findingsOf.get(host) ?? [])
      .map((f, i) => ({ f, i }))
      .sort(
        (a, b) =>
          Number(Boolean(a.f.suppressed)) - Number(Boolean(b.f.suppressed)) ||
          LEVEL_RANK[a.f.level] - LEVEL_RANK[b.f.level] ||
          a.i - b.i,
      )
      .map(({ f }) => f);
    const kept = findings.slice(0, SARIF_MAX_RESULTS_PER_RUN);
    const leftOut = findings.length - kept.length;
    for (const f of kept) runBuilder.addResult(new SarifResultBuilder(resultFor(f, ruleById.get(f.ruleId), locator)));

    const notifications: Sarif.Notification[] = [];
    const ruleRef = (id: string): Sarif.ReportingDescriptorReference =>
      ruleIndex.has(id) ? { id, index: ruleIndex.get(id) } : { id };
    for (const n of notEvaluatedOf.get(host) ?? []) {
      notifications.push({
        level: 'warning',
        message: { text: `Rule ${n.ruleId} was not evaluated on ${shownFile(n.file)}: ${text(n.reason, 'no reason given')}` },
        descriptor: { id: 'not-evaluated' },
        associatedRule: ruleRef(n.ruleId),
        locations: [locator.fileOnly(n.file)],
      });
    }
    for (const o of omittedOf.get(host) ?? []) {
      // as the text report says it: how many of them were waived or baselined (all of them: nothing to fix, a note)
      const waived = suppressedCount(o);
      notifications.push({
        level: waived === o.count ? 'note' : 'warning',
        message: { text: `${o.count} more ${o.count === 1 ? 'finding' : 'findings'} of rule ${o.ruleId} in ${shownFile(o.file)} ${o.count === 1 ? 'was' : 'were'} counted but not listed (per-rule cap${waived > 0 ? `; ${waived} of them waived` : ''}).` },
        descriptor: { id: 'findings-not-listed' },
        associatedRule: ruleRef(o.ruleId),
        locations: [locator.fileOnly(o.file)],
        properties: { count: o.count, ...(waived > 0 ? { suppressed: waived } : {}) },
      });
    }
    for (const s of snapshots.filter((x) => x.unparsed > 0)) {
      notifications.push({
        level: 'warning',
        message: { text: `${s.unparsed} of ${s.lines} lines of ${shownFile(s.file)} could not be parsed and ${s.unparsed === 1 ? 'was' : 'were'} not audited.` },
        descriptor: { id: 'unparsed-lines' },
        locations: [locator.fileOnly(s.file)],
        properties: { count: s.unparsed },
      });
      for (const u of s.unparsedLines.slice(0, UNPARSED_NOTIFICATIONS)) {
        notifications.push({
          level: 'note',
          message: { text: `Unparsed line: ${text(u.reason, 'not understood')}: ${text(u.text, '(empty)')}` },
          descriptor: { id: 'unparsed-lines' },
          locations: [{ physicalLocation: locator.physical({ file: s.file, line: u.line }) }],
        });
      }
    }
    if (leftOut > 0) {
      notifications.push({
        level: 'warning',
        message: {
          text: `${leftOut} of ${findings.length} results for host ${hostLabel} were left out: GitHub code scanning accepts at most ${SARIF_MAX_RESULTS_PER_RUN} results per run. Waived and lower-level results were dropped first; the JSON report has them all.`,
        },
        descriptor: { id: 'results-capped' },
        properties: { leftOut, total: findings.length, limit: SARIF_MAX_RESULTS_PER_RUN },
      });
    }
    // the scan's (each run is one part of its invocation): a snapshot that failed may have been any host's
    for (const e of report.snapshotErrors) {
      notifications.push({
        level: 'error',
        message: { text: `${shownFile(e.file)} could not be scanned: ${text(messageWithHint(e), 'no reason given')}` },
        descriptor: { id: 'snapshot-not-scanned' },
        locations: [e.line !== undefined ? { physicalLocation: locator.physical({ file: e.file, line: e.line }) } : locator.fileOnly(e.file)],
        properties: { code: e.code },
      });
    }
    // in the config's order, the first WAIVER_NOTIFICATIONS of each kind
    const seen = { expired: 0, unused: 0 };
    const shown = report.waivers.filter((w, i) => waiverHosts[i](host) && seen[w.status === 'expired' ? 'expired' : 'unused']++ < WAIVER_NOTIFICATIONS);
    const configNotifications: Sarif.Notification[] = shown.map((w) => {
      const cause = waiverCause(w);
      const why = cause ? ` (${cause}${w.ruleNotEvaluated ? ': keep it until it is' : ''})` : '';
      // what an expired waiver would still waive: counted over the whole scan, every host it covers (not this run's alone)
      const n = w.status === 'expired' && !cause ? w.matchedWhileExpired : undefined;
      const would = n === undefined ? '' : n === 0 ? ' and would waive no open finding of this scan'
        : ` and would have waived ${n} finding${n === 1 ? '' : 's'} of this scan, not waived now (renew it with a new expiry, or remove it)`;
      return {
        level: w.status === 'expired' ? 'warning' : 'note',
        message: {
          text:
            w.status === 'expired'
              ? `The waiver for ${w.ruleId} expired on ${stripControl(w.expires)}${why}${would}: ${text(w.reason, 'no reason given')}`
              : `The waiver for ${w.ruleId} matched no finding${why}: ${text(w.reason, 'no reason given')}`,
        },
        descriptor: { id: w.status === 'expired' ? 'waiver-expired' : 'waiver-unused' },
        associatedRule: ruleRef(w.ruleId),
        ...(w.location ? { locations: [{ physicalLocation: locator.physical(w.location) }] } : {}),
        ...(w.matchedWhileExpired !== undefined ? { properties: { matchedWhileExpired: w.matchedWhileExpired } } : {}),
      };
    });
    for (const kind of ['expired', 'unused'] as const) {
      const more = seen[kind] - WAIVER_NOTIFICATIONS;
      if (more <= 0) continue;
      configNotifications.push({
        level: kind === 'expired' ? 'warning' : 'note',
        message: {
          text: `… and ${more} more waiver${more === 1 ? '' : 's'} for this host ${kind === 'expired' ? (more === 1 ? 'has expired' : 'have expired') : 'matched no finding'} (${seen[kind]} in all): the text and JSON reports list every one.`,
        },
        descriptor: { id: kind === 'expired' ? 'waiver-expired' : 'waiver-unused' },
        properties: { more, total: seen[kind] },
      });
    }
    for (const { w, daysLeft, covers } of lapsing) {
      if (!covers(host)) continue;
      // (what it waived: counted over the whole scan, every host it covers, as an expired waiver's matches)
      const left = daysLeft === 0 ? 'today is its last day' : `its last day is in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
      configNotifications.push({
        level: 'note',
        message: { text: `The waiver for ${w.ruleId} expires after ${stripControl(w.expires)} (${left}; it waived ${w.waived} finding${w.waived === 1 ? '' : 's'} of this scan, reported again once it lapses): ${text(w.reason, 'no reason given')}` },
        descriptor: { id: 'waiver-expiring' },
        associatedRule: ruleRef(w.ruleId),
        ...(w.location ? { locations: [{ physicalLocation: locator.physical(w.location) }] } : {}),
        properties: { expires: w.expires, waived: w.waived },
      });
    }
    for (const h of report.hostEntries ?? []) {
      configNotifications.push({
        level: 'note',
        message: { text: `The hosts: entry with match ${stripControl(yamlFlow(h.match))} matched none of the ${h.hostsScanned} hosts scanned: its overrides applied nowhere.` },
        descriptor: { id: 'host-entry-unused' },
        ...(h.location ? { locations: [{ physicalLocation: locator.physical(h.location) }] } : {}),
      });
    }

    const invocation: Sarif.Invocation = {
      executionSuccessful: true,
      startTimeUtc: start.toISOString(),
      endTimeUtc: end.toISOString(),
      workingDirectory: { uri: fileUri(ctx.cwd, true) },
    };
    if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;
    if (configNotifications.length > 0) invocation.toolConfigurationNotifications = configNotifications;
    runBuilder.run.invocations = [invocation];
    runBuilder.run.properties = {
      host: hostLabel,
      snapshots: snapshots.map((s) => locator.artifact(s.file).uri),
      resultsTotal: findings.length,
      resultsLeftOut: leftOut,
      resultsLimit: SARIF_MAX_RESULTS_PER_RUN,
    };
    builder.addRun(runBuilder);
  }
  // buildSarifOutput, not buildSarifJsonString: the latter throws if any text contains the builder's
  // placeholder marker, which a hostile process name could.
  return builder.buildSarifOutput();
}

/**
 * The log as one line of JSON: SARIF is read by machines (upload-sarif, viewers; `jq .` indents it for a
 * reader), and the indentation was ~38 % of the file and half of the time JSON.stringify took (a 20-host part
 * of 100 × 10k snapshots: 2.9 → 1.8 MB, 10–14 → 5–6 ms to stringify).
 */
export function formatSarif(report: ScanReport, ctx: FormatContext): string {
  return [...sarifChunks(report, ctx)].join('');
}

/** formatSarif's text in pieces: the log, its runs, a run, its results — each result stringified whole (compactJson). */
export function* sarifChunks(report: ScanReport, ctx: FormatContext): Generator<string, void, undefined> {
  const log = buildSarifLog(report, ctx);
  // the drivers runs share (buildSarifLog): stringified once each
  const drivers = new Set<object>();
  const shared = new Set<object>();
  for (const run of log.runs) (drivers.has(run.tool.driver) ? shared : drivers).add(run.tool.driver);
  yield* compactJson(log, 4, shared);
  yield '\n';
}

/**
 * `JSON.stringify(value)` in pieces: arrays and plain objects down to `depth` levels are written element by
 * element and member by member, what lies deeper as JSON.stringify writes it. Why: JSON.stringify gives a long
 * text as a rope of parts, two bytes a character from the first one past U+00FF on (a rule description's `…`),
 * which writing it must copy flat and encode; small texts, most of them of one-byte characters, are much cheaper
 * to write: a 1.8 MB SARIF part of 100 × 10k snapshots (80 results) 17 → 7 ms from log to bytes (medians of 15,
 * garbage collected before each). The text is JSON.stringify's: what it leaves out of an object is left out
 * (undefined, a function, a symbol, a toJSON giving undefined), what it writes as null in an array is null.
 * A value of `shared` is stringified once and its text written wherever the value is (the driver the runs of
 * one SARIF part share: 1,000 hosts of 200 sockets, ~0.5 → ~0.3 s for their 50 files).
 */
export function* compactJson(value: unknown, depth: number, shared?: ReadonlySet<object>, memo = new Map<object, string>()): Generator<string, void, undefined> {
  const spread = (v: unknown): boolean => depth > 1 && (Array.isArray(v) || isPlainObject(v));
  // a value of `shared` (one the document holds in several places) is stringified once
  const stringify = (v: unknown): string | undefined => {
    if (shared === undefined || !shared.has(v as object)) return JSON.stringify(v);
    let text = memo.get(v as object);
    if (text === undefined) {
      text = JSON.stringify(v);
      memo.set(v as object, text);
    }
    return text;
  };
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (i > 0) yield ',';
      if (spread(v)) yield* compactJson(v, depth - 1, shared, memo);
      else yield stringify(v) ?? 'null';
    }
    yield ']';
    return;
  }
  if (!isPlainObject(value)) {
    yield stringify(value) ?? 'null';
    return;
  }
  let sep = '{';
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (spread(v)) {
      yield `${sep}${JSON.stringify(key)}:`;
      yield* compactJson(v, depth - 1, shared, memo);
    } else {
      const text = stringify(v);
      if (text === undefined) continue;
      yield `${sep}${JSON.stringify(key)}:${text}`;
    }
    sep = ',';
  }
  yield sep === '{' ? '{}' : '}';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

export const sarifFormatter: Formatter = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning (one run per host)',
  defaultFileName: 'socklint.sarif',
  format: formatSarif,
  chunks: sarifChunks,
};
