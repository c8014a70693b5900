/**
 * The text report, for people at a terminal: findings grouped by severity then rule, each with its socket
 * and file:line; aggregates with observed vs threshold, the group and top offenders; then waived findings,
 * rules not evaluated, unparsed lines and a summary line. Everything that came from a snapshot or a config is
 * escaped, so a process name cannot move the cursor or change colours.
 */
import { type Finding, type Level, type NotEvaluated, type RuleMeta, type ScanReport } from '../engine/types';
import type { Location, SsSummary } from '../snapshot/types';
import { describeSocket } from '../snapshot/describe';
import { EXPIRY_NOTICE_DAYS, lapsingSoon, waiverCause } from '../engine/waivers';
import { yamlFlow, groupBy } from './group';
import { displayFile } from './paths';
import { escapeTerminal } from './sanitize';
import { prepareReport } from './redact';
import type { FormatContext, Formatter } from './types';
import { compareText } from '../compare';
import { messageWithHint } from '../diagnostics';

const LEVELS: Level[] = ['error', 'warning', 'note'];
const LEVEL_COLOUR: Record<Level, string> = { error: '1;31', warning: '1;33', note: '1;36' };
/** Offenders printed under an aggregate finding; the rest are counted. */
const TEXT_OFFENDERS = 5;
/** Findings shown per rule and severity: a person reads a screenful; JSON and SARIF list them all. */
const TEXT_FINDINGS_PER_RULE = 25;
/** Snapshots named under a not-evaluated reason they share, and hosts in the header; the rest are counted. */
const MAX_SNAPSHOTS_LISTED = 5;

/**
 * The first MAX_SNAPSHOTS_LISTED names, then how many more (a fleet's 1,000 host names made an 11 KB first line);
 * also how the CLI names the files of a folder it does not read.
 */
export function listed(names: string[]): string {
  const first = names.slice(0, MAX_SNAPSHOTS_LISTED).join(', ');
  return names.length > MAX_SNAPSHOTS_LISTED ? `${first} and ${num(names.length - MAX_SNAPSHOTS_LISTED)} more` : first;
}

type Paint = (code: string, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

const e = escapeTerminal;

/** Where a config entry (a waiver, a hosts: entry) is written, as a line's prefix: `file:line  `, or nothing. */
function writtenAt(location: Location | undefined): string {
  return location ? `${e(location.file)}:${location.line}  ` : '';
}

/**
 * A count as people read it: 10,000,000 sockets (the same in every locale). Not toLocaleString: its first
 * call loads ICU's number formats, ~12 ms of a small scan.
 */
export function num(n: number): string {
  const s = String(n);
  return Number.isInteger(n) && Math.abs(n) >= 1000 ? s.replace(/\B(?=(\d{3})+$)/g, ',') : s;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/**
 * What an expired waiver (without a cause of its own) would still waive: findings that are open because it expired,
 * or none (WaiverReport.matchedWhileExpired; absent in a report made before it was counted).
 */
function expiredMatches(n: number | undefined): string {
  if (n === undefined) return '';
  if (n === 0) return ', would waive no open finding';
  return `, would have waived ${plural(n, 'finding')} (not waived now: renew it with a new expiry, or remove it)`;
}

/** ` (3 of them waived, 2 in the baseline)`, or either part alone, of findings not listed; '' for none. */
function ofThem(waived: number, baselined: number): string {
  if (waived > 0 && baselined > 0) return ` (${num(waived)} of them waived, ${num(baselined)} in the baseline)`;
  if (waived > 0) return ` (${num(waived)} of them waived)`;
  if (baselined > 0) return ` (${num(baselined)} of them in the baseline)`;
  return '';
}

/** The first TEXT_FINDINGS_PER_RULE of one rule's `findings`, each by `render`, then the line `more` makes of how many are left. */
function listCapped(findings: readonly Finding[], render: (f: Finding) => void, more: (rest: number) => string, lines: string[]): void {
  for (const f of findings.slice(0, TEXT_FINDINGS_PER_RULE)) render(f);
  if (findings.length > TEXT_FINDINGS_PER_RULE) lines.push(more(findings.length - TEXT_FINDINGS_PER_RULE));
}

function sum<T>(items: readonly T[], of: (item: T) => number | undefined): number {
  return items.reduce((n, x) => n + (of(x) ?? 0), 0);
}

function where(f: { location: { file: string; line: number } }): string {
  return `${e(displayFile(f.location.file))}:${f.location.line}`;
}

/**
 * `group: {state: CLOSE-WAIT, process: null}`, as a waiver's `group:` is written (yamlFlow); nothing for the
 * one group of a rule without groupBy.
 */
function groupText(group: Record<string, string | number | null> | undefined): string {
  return group && Object.keys(group).length > 0 ? `group: ${e(yamlFlow(group))}` : '';
}

function suppressionText(f: Finding): string {
  const s = f.suppressed;
  if (!s) return '';
  const extra = [s.owner && `owner ${s.owner}`, s.ticket && `ticket ${s.ticket}`, s.expires && `expires ${s.expires}`]
    .filter((x): x is string => Boolean(x))
    .map(e);
  return `${s.kind}: ${e(s.reason)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Sort key: rule order as the report lists rules, then host, file, line. */
function byLocation(a: Finding, b: Finding): number {
  return (
    compareText(a.host, b.host) ||
    compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line
  );
}

function renderFinding(f: Finding, paint: Paint, showHost: boolean, lines: string[]): void {
  const host = showHost ? paint('2', ` (${e(f.host)})`) : '';
  const loc = paint('2', where(f));
  if (f.socket) {
    lines.push(`    ${loc}${host}  ${e(describeSocket(f.socket))}`);
    lines.push(`      ${e(f.message)}`);
    return;
  }
  const measure =
    f.observed !== undefined
      ? `observed ${f.observed}${f.threshold !== undefined ? `, threshold ${f.threshold}` : ''}`
      : '';
  const group = groupText(f.group);
  lines.push(`    ${loc}${host}  ${[measure, group].filter(Boolean).join('  ')}`);
  lines.push(`      ${e(f.message)}`);
  const offenders = f.offenders ?? [];
  if (offenders.length > 0) {
    lines.push(`      top offenders:`);
    for (const o of offenders.slice(0, TEXT_OFFENDERS)) {
      lines.push(`        ${paint('2', `${e(displayFile(o.location.file))}:${o.location.line}`)}  ${e(o.summary)}`);
    }
    const more = offenders.length - Math.min(offenders.length, TEXT_OFFENDERS) + (f.offendersOmitted ?? 0);
    if (more > 0) lines.push(`        … and ${plural(more, 'more socket')}`);
  }
}

export function formatText(input: ScanReport, ctx: FormatContext): string {
  const report = prepareReport(input, ctx.redact);
  const paint = painter(ctx.color);
  const lines: string[] = [];
  const rules = new Map<string, RuleMeta>(report.rules.map((r) => [r.id, r]));
  const ruleOrder = new Map<string, number>(report.rules.map((r, i) => [r.id, i]));
  const hosts = [...new Set(report.snapshots.map((s) => s.host))];
  const showHost = hosts.length > 1;

  lines.push(
    paint('1', `socklint ${e(report.tool.version)}`) +
      `  ${plural(report.snapshots.length, 'snapshot')} (${listed(hosts.map(e)) || 'none'}), ` +
      `${plural(report.summary.sockets, 'socket')}, ${plural(report.rules.length, 'rule')}`,
  );

  const active = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);

  for (const level of LEVELS) {
    const atLevel = active.filter((f) => f.level === level);
    if (atLevel.length === 0) continue;
    lines.push('');
    lines.push(paint(LEVEL_COLOUR[level], `${level.toUpperCase()} (${num(atLevel.length)})`));
    const byRule = new Map<string, Finding[]>();
    for (const f of atLevel) {
      const list = byRule.get(f.ruleId);
      if (list) list.push(f);
      else byRule.set(f.ruleId, [f]);
    }
    const ruleIds = [...byRule.keys()].sort(
      (a, b) => (ruleOrder.get(a) ?? Infinity) - (ruleOrder.get(b) ?? Infinity) || compareText(a, b),
    );
    for (const ruleId of ruleIds) {
      const findings = byRule.get(ruleId)!.sort(byLocation);
      const title = rules.get(ruleId)?.title;
      lines.push(`  ${paint('1', e(ruleId))}${title ? `  ${e(title)}` : ''}  ${paint('2', `(${num(findings.length)})`)}`);
      listCapped(findings, (f) => renderFinding(f, paint, showHost, lines), (rest) => `    … and ${plural(rest, 'more finding')} of this rule (--format json or sarif lists them all)`, lines);
    }
  }

  if (report.omitted.length > 0) {
    lines.push('');
    lines.push(paint('1', `Not listed (per-rule cap)`));
    for (const o of report.omitted) {
      lines.push(`  ${e(o.ruleId)}  ${e(displayFile(o.file))}${showHost ? ` (${e(o.host)})` : ''}: ${plural(o.count, 'more finding')}${ofThem(o.suppressed?.waiver ?? 0, o.suppressed?.baseline ?? 0)}`);
    }
  }

  // waived findings each with its waiver's reason (as many per rule as failing ones are listed); those the baseline
  // accepts, which may be thousands alike, counted per rule under the baseline's one reason
  const waived = suppressed.filter((f) => f.suppressed!.kind === 'waiver');
  const baselined = suppressed.filter((f) => f.suppressed!.kind === 'baseline');
  if (waived.length > 0) {
    lines.push('');
    lines.push(paint('1', `Waived (${num(waived.length)})`));
    const byRule = groupBy([...waived].sort((a, b) => compareText(a.ruleId, b.ruleId) || byLocation(a, b)), (f) => f.ruleId);
    for (const findings of byRule.values()) {
      listCapped(findings, (f) => {
        const what = f.socket ? e(describeSocket(f.socket)) : groupText(f.group);
        lines.push(`  ${e(f.ruleId)}  ${paint('2', where(f))}  ${what}`);
        lines.push(`    ${paint('2', suppressionText(f))}`);
      }, (rest) => `  … and ${plural(rest, 'more waived finding')} of ${e(findings[0].ruleId)} (--format json or sarif lists them all)`, lines);
    }
  }
  if (baselined.length > 0) {
    lines.push('');
    lines.push(paint('1', `In the baseline (${num(baselined.length)})`));
    for (const [reason, findings] of groupBy(baselined, (f) => f.suppressed!.reason)) {
      lines.push(`  ${paint('2', e(reason))}`);
      const counts = [...groupBy(findings, (f) => f.ruleId)].sort(([a], [b]) => compareText(a, b));
      for (const [ruleId, of] of counts) lines.push(`    ${e(ruleId)}  ${paint('2', `(${num(of.length)})`)}`);
    }
  }

  if (report.notEvaluated.length > 0) {
    lines.push('');
    lines.push(paint('1', `Not evaluated (${num(report.notEvaluated.length)})`));
    // One line per reason and set of rules: the rules a snapshot skipped for one reason (a capture without -m
    // skips two), and the snapshots that skipped them (a fleet captured alike: one line, not one per host).
    const perSnapshot = groupBy(report.notEvaluated, (n) => JSON.stringify([n.file, n.host, n.reason]));
    const ruleIds = (skipped: NotEvaluated[]): string[] => skipped.map((n) => n.ruleId);
    const alike = groupBy([...perSnapshot.values()], (skipped) => JSON.stringify([ruleIds(skipped), skipped[0].reason]));
    for (const snapshots of alike.values()) {
      const rules = ruleIds(snapshots[0]);
      const { reason } = snapshots[0][0];
      const where = snapshots.map(([n]) => `${e(displayFile(n.file))}${showHost ? ` (${e(n.host)})` : ''}`);
      const shown = where.length === 1 ? where[0] : `${num(where.length)} snapshots`;
      lines.push(`  ${rules.map(e).join(', ')}  ${paint('2', shown)}: ${e(reason)}`);
      if (where.length > 1) {
        lines.push(`    ${paint('2', listed(where))}`);
      }
    }
  }

  if (report.waivers.length > 0) {
    lines.push('');
    lines.push(paint('1', `Waivers needing attention (${num(report.waivers.length)})`));
    for (const w of report.waivers) {
      const at = writtenAt(w.location);
      const cause = waiverCause(w);
      const state = w.status === 'expired' ? `expired ${e(w.expires)}${cause ? `; ${cause}` : expiredMatches(w.matchedWhileExpired)}` : `matched nothing${cause ? `: ${cause}` : ''}`;
      lines.push(`  ${at}${e(w.ruleId)}: ${state} — ${e(w.reason)}`);
    }
  }

  const noticeDays = ctx.waiverNoticeDays ?? EXPIRY_NOTICE_DAYS;
  const lapsing = lapsingSoon(report.waiversInForce, ctx.now ?? new Date(report.startedAt), noticeDays);
  if (lapsing.length > 0) {
    lines.push('');
    lines.push(paint('1', `Waivers expiring within ${plural(noticeDays, 'day')} (${num(lapsing.length)})`));
    for (const { w, daysLeft } of lapsing) {
      const at = writtenAt(w.location);
      const left = daysLeft === 0 ? 'today' : `in ${plural(daysLeft, 'day')}`;
      lines.push(`  ${at}${e(w.ruleId)}: last day ${e(w.expires)} (${left}), waived ${plural(w.waived, 'finding')} — ${e(w.reason)}`);
    }
  }

  const hostEntries = report.hostEntries ?? [];
  if (hostEntries.length > 0) {
    lines.push('');
    lines.push(paint('1', `Host overrides matching no host (${num(hostEntries.length)})`));
    for (const h of hostEntries) {
      const at = writtenAt(h.location);
      lines.push(`  ${at}hosts: match ${e(yamlFlow(h.match))} matched none of the ${num(h.hostsScanned)} hosts scanned: its overrides applied nowhere`);
    }
  }

  if (report.snapshotErrors.length > 0) {
    lines.push('');
    lines.push(paint('1;31', `Snapshots not scanned (${num(report.snapshotErrors.length)})`));
    for (const x of report.snapshotErrors) {
      const at = `${e(displayFile(x.file))}${x.line !== undefined ? `:${x.line}` : ''}`;
      lines.push(`  ${at}  ${e(messageWithHint(x))}`);
    }
  }

  const withSummary = report.snapshots.filter((s) => s.summary !== undefined);
  if (withSummary.length > 0) {
    lines.push('');
    lines.push(paint('1', `ss -s summaries (${num(withSummary.length)})`));
    for (const s of withSummary) lines.push(`  ${paint('2', `${e(displayFile(s.file))}:${s.summary!.location.line}`)}  ${e(ssSummaryLine(s.summary!))}`);
  }

  const withUnparsed = report.snapshots.filter((s) => s.unparsed > 0);
  if (withUnparsed.length > 0) {
    lines.push('');
    lines.push(paint('1', `Unparsed lines (${num(report.summary.unparsed)})`));
    for (const s of withUnparsed) {
      lines.push(`  ${e(displayFile(s.file))}: ${plural(s.unparsed, 'line')}`);
      for (const u of s.unparsedLines.slice(0, 3)) {
        lines.push(`    ${paint('2', `${e(displayFile(s.file))}:${u.line}`)}  ${e(u.reason)}: ${e(u.text)}`);
      }
    }
  }

  const unknownNetid = report.snapshots.reduce((n, s) => n + (s.unknownNetid ?? 0), 0);
  const unknownPorts = report.snapshots.reduce((n, s) => n + (s.unknownPorts ?? 0), 0);
  const unknown = [
    unknownNetid > 0 ? `${num(unknownNetid)} of unknown table` : '',
    unknownPorts > 0 ? `${plural(unknownPorts, 'port')} without a number` : '',
  ].filter(Boolean).join(', ');
  const by = report.summary.byLevel;
  const summary = [
    `${plural(by.error, 'error')}, ${plural(by.warning, 'warning')}, ${plural(by.note, 'note')}`,
    `${num(report.summary.suppressed - baselined.length)} waived`,
    baselined.length > 0 ? `${num(baselined.length)} in the baseline` : '',
    report.summary.omitted > 0
      ? `${num(report.summary.omitted)} not listed${ofThem(sum(report.omitted, (o) => o.suppressed?.waiver), sum(report.omitted, (o) => o.suppressed?.baseline))}`
      : '',
    notEvaluatedSummary(report.notEvaluated),
    `${plural(report.summary.snapshots, 'snapshot')}, ${plural(report.summary.sockets, 'socket')}${unknown ? ` (${unknown})` : ''}, ${plural(report.summary.unparsed, 'unparsed line')}`,
    report.summary.snapshotErrors > 0 ? `${plural(report.summary.snapshotErrors, 'snapshot')} not scanned` : '',
  ].filter(Boolean);
  const clean = active.length === 0 && report.summary.omitted === 0 && report.summary.snapshotErrors === 0;
  lines.push('');
  lines.push(paint(clean ? '1;32' : '1', `Summary: ${summary.join('; ')}`));
  return `${lines.join('\n')}\n`;
}

export const textFormatter: Formatter = {
  name: 'text',
  description: 'human-readable report grouped by severity and rule (default)',
  format: formatText,
};

/** `4 rules not evaluated on 2 snapshots`: rules, not (rule, snapshot) pairs (JSON summary.notEvaluated counts those). */
function notEvaluatedSummary(list: readonly NotEvaluated[]): string {
  const rules = new Set(list.map((n) => n.ruleId)).size;
  const snapshots = new Set(list.map((n) => `${n.host}\0${n.file}`)).size;
  return `${plural(rules, 'rule')} not evaluated${snapshots > 1 ? ` on ${num(snapshots)} snapshots` : ''}`;
}

/** An `ss -s` summary in one line, as ss words it: `4311 sockets (kernel 4355); TCP 4595 (estab 3548, timewait 954, …)`. */
export function ssSummaryLine(sum: SsSummary): string {
  const parts: string[] = [];
  if (sum.total !== undefined) parts.push(`${num(sum.total)} sockets${sum.kernel !== undefined ? ` (kernel ${num(sum.kernel)})` : ''}`);
  const t = sum.tcp;
  if (t) {
    const counts = (['estab', 'closed', 'orphaned', 'synrecv', 'timewait', 'ports'] as const)
      .filter((k) => t[k] !== undefined).map((k) => `${k} ${num(t[k]!)}`);
    parts.push(`TCP${t.total !== undefined ? ` ${num(t.total)}` : ''}${counts.length ? ` (${counts.join(', ')})` : ''}`);
  }
  for (const [kind, row] of Object.entries(sum.transport ?? {})) {
    if (kind !== 'TCP' && kind !== '*' && row.total !== null) parts.push(`${kind} ${num(row.total)}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'no totals read';
}
