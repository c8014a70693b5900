/**
 * Prometheus text exposition for node_exporter's textfile collector (`--collector.textfile.directory`).
 * Every metric has HELP and TYPE lines and its samples together; label values are escaped as the format
 * requires (`\\`, `\"`, `\n`). Findings are reported for every evaluated rule, zeros included, so alerts can use
 * `socklint_findings > 0` and dashboards don't lose a series when a problem goes away.
 * No sample timestamps: the textfile collector rejects them; the scan time is its own metric.
 */
import { suppressedCount, type Level, type ScanReport, type SnapshotReport } from '../engine/types';
import { waiverEnd } from '../engine/waivers';
import { prepareReport } from './redact';
import { groupBy } from './group';
import { levelIn } from './levels';
import type { FormatContext, Formatter } from './types';

type Labels = Record<string, string>;

interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Labels; value: number }[];
}

/** Label value escaping per the exposition format; other characters (UTF-8) pass as they are. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function render(metrics: Metric[]): string {
  const out: string[] = [];
  for (const m of metrics) {
    out.push(`# HELP ${m.name} ${escapeHelp(m.help)}`);
    out.push(`# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
        .join(',');
      out.push(`${m.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Sum samples with equal labels (several snapshots of one host), keeping first-seen order. */
class Series {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  add(labels: Labels, value: number): void {
    const key = JSON.stringify(labels);
    const existing = this.values.get(key);
    if (existing) existing.value += value;
    else this.values.set(key, { labels, value });
  }
  samples(): { labels: Labels; value: number }[] {
    return [...this.values.values()];
  }
}

/** A snapshot of the report, as its findings-not-listed (Omitted) name it: its host and file. */
function snapshotKey(s: { host: string; file: string }): string {
  return JSON.stringify([s.host, s.file]);
}

export function formatPrometheus(input: ScanReport, ctx: FormatContext): string {
  const report = prepareReport(input, ctx.redact);
  // The level a rule has on a snapshot: its config level (rules[]), or a host override (the snapshot's levels);
  // zeros and counted-but-unlisted findings carry it, so a series keeps its labels as findings come and go. Per
  // snapshot, as each finding's own level: two snapshots of one host with different labels (a hosts: entry
  // matching one of them) may give a rule two levels, and each level has its series.
  const ruleLevel = new Map<string, Level>(report.rules.map((r) => [r.id, r.level]));
  const snapshotOf = new Map<string, SnapshotReport>();
  for (const s of report.snapshots) if (s.levels && !snapshotOf.has(snapshotKey(s))) snapshotOf.set(snapshotKey(s), s);
  const levelOn = (s: SnapshotReport | undefined, ruleId: string): Level => levelIn(s, ruleId, ruleLevel.get(ruleId) ?? 'warning');
  const findings = new Series();
  const suppressed = new Series();
  const sockets = new Series();
  const socketsTotal = new Series();
  const unparsed = new Series();
  const notEvaluated = new Series();
  const snapshotsPerHost = new Series();

  for (const s of report.snapshots) {
    snapshotsPerHost.add({ host: s.host }, 1);
    socketsTotal.add({ host: s.host }, s.sockets);
    unparsed.add({ host: s.host }, s.unparsed);
    notEvaluated.add({ host: s.host }, 0);
    for (const [state, count] of Object.entries(s.states)) sockets.add({ host: s.host, state }, count);
    // Zeros first, so every evaluated rule has a series even when it found nothing.
    for (const ruleId of s.rulesEvaluated) {
      findings.add({ host: s.host, rule: ruleId, severity: levelOn(s, ruleId) }, 0);
    }
  }
  for (const f of report.findings) {
    if (f.suppressed) suppressed.add({ host: f.host, rule: f.ruleId, kind: f.suppressed.kind }, 1);
    else findings.add({ host: f.host, rule: f.ruleId, severity: f.level }, 1);
  }
  for (const o of report.omitted) {
    findings.add({ host: o.host, rule: o.ruleId, severity: levelOn(snapshotOf.get(snapshotKey(o)), o.ruleId) }, o.count - suppressedCount(o));
    for (const [kind, n] of Object.entries(o.suppressed ?? {})) suppressed.add({ host: o.host, rule: o.ruleId, kind }, n);
  }
  // distinct rules per host, as the text report's "N rules not evaluated": a rule that could not run on three
  // snapshots of a host is one rule (JSON's summary.notEvaluated counts the pairs, as its schema says)
  for (const [host, list] of groupBy(report.notEvaluated, (n) => n.host)) notEvaluated.add({ host }, new Set(list.map((n) => n.ruleId)).size);

  const started = new Date(report.startedAt).getTime();
  const waiverCounts = { expired: 0, unused: 0 };
  for (const w of report.waivers) waiverCounts[w.status]++;
  // one series per waiver in force, named by where it is written (its rule and host as written, owner and ticket
  // when it has them, for alert routing); never summed (Series): two waivers' expiry times add up to nothing
  const expiry: Metric['samples'] = [];
  const waived: Metric['samples'] = [];
  for (const w of report.waiversInForce ?? []) {
    const labels: Labels = {
      rule: w.ruleId,
      ...(w.host !== undefined ? { host_glob: w.host } : {}),
      ...(w.location !== undefined ? { file: w.location.file, line: String(w.location.line) } : {}),
      ...(w.owner !== undefined ? { owner: w.owner } : {}),
      ...(w.ticket !== undefined ? { ticket: w.ticket } : {}),
    };
    const end = waiverEnd(w.expires);
    if (!Number.isNaN(end)) expiry.push({ labels, value: end / 1000 });
    waived.push({ labels, value: w.waived });
  }

  const metrics: Metric[] = [
    {
      name: 'socklint_findings',
      help: 'Findings (not waived) by host, rule and severity; 0 for rules evaluated without findings.',
      type: 'gauge',
      samples: findings.samples(),
    },
    {
      name: 'socklint_findings_suppressed',
      help: 'Findings waived by a waiver or accepted by a baseline, by host, rule and kind.',
      type: 'gauge',
      samples: suppressed.samples(),
    },
    { name: 'socklint_sockets', help: 'Sockets in the scanned snapshots by host and state.', type: 'gauge', samples: sockets.samples() },
    { name: 'socklint_sockets_scanned', help: 'Sockets parsed from the snapshots of each host.', type: 'gauge', samples: socketsTotal.samples() },
    { name: 'socklint_unparsed_lines', help: 'Snapshot lines that could not be parsed (not audited), by host.', type: 'gauge', samples: unparsed.samples() },
    { name: 'socklint_rules_not_evaluated', help: 'Rules not evaluated because a snapshot lacked fields they need (or its sockets\' tables), by host: each rule counted once, however many of the host\'s snapshots lacked them.', type: 'gauge', samples: notEvaluated.samples() },
    { name: 'socklint_snapshots_scanned', help: 'Snapshots scanned, by host.', type: 'gauge', samples: snapshotsPerHost.samples() },
    {
      // no host label: a snapshot that could not be read has no host to name (0 when all were scanned, so
      // that an alert on > 0 has a series)
      name: 'socklint_snapshots_failed',
      help: 'Snapshots that could not be scanned (unreadable, binary, no parsable socket, several captures or ss runs in one file); no rule ran on them.',
      type: 'gauge',
      samples: [{ labels: {}, value: report.snapshotErrors.length }],
    },
    {
      name: 'socklint_waivers',
      help: 'Waivers needing attention, by status (expired, unused).',
      type: 'gauge',
      samples: [
        { labels: { status: 'expired' }, value: waiverCounts.expired },
        { labels: { status: 'unused' }, value: waiverCounts.unused },
      ],
    },
    {
      name: 'socklint_waiver_expiry_timestamp_seconds',
      help: 'When each waiver in force stops waiving (Unix time: the start of the day after its expires date, UTC), by its rule, host glob (host_glob: the host: it names, not a scanned host), config file and line, owner and ticket. Alert on `socklint_waiver_expiry_timestamp_seconds - time() < 14 * 86400` to renew or remove waivers before they lapse.',
      type: 'gauge',
      samples: expiry,
    },
    {
      name: 'socklint_waiver_findings_waived',
      help: 'Findings each waiver in force waived in this scan (0: it matched nothing), labelled as socklint_waiver_expiry_timestamp_seconds.',
      type: 'gauge',
      samples: waived,
    },
    {
      name: 'socklint_scan_timestamp_seconds',
      help: 'Unix time the scan started.',
      type: 'gauge',
      samples: [{ labels: {}, value: Number.isNaN(started) ? 0 : started / 1000 }],
    },
    {
      name: 'socklint_scan_duration_seconds',
      help: 'Time the scan took.',
      type: 'gauge',
      samples: [{ labels: {}, value: Math.max(0, report.durationMs || 0) / 1000 }],
    },
    {
      name: 'socklint_info',
      help: 'socklint version that wrote this file (always 1).',
      type: 'gauge',
      samples: [{ labels: { version: report.tool.version }, value: 1 }],
    },
  ];
  return render(metrics.filter((m) => m.samples.length > 0));
}

export const prometheusFormatter: Formatter = {
  name: 'prometheus',
  description: 'Prometheus text format for the node_exporter textfile collector',
  defaultFileName: 'socklint.prom',
  format: formatPrometheus,
};
