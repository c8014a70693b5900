/**
 * The scan report: what the engine hands to every formatter. Field names are the public JSON contract
 * (`schemas/report.schema.json`, README "JSON report"). Formatters are pure functions of this object.
 */
import type { Diagnostic } from '../diagnostics';
import type { Location, SocketRecord, SsSummary, UnparsedLine } from '../snapshot/types';

export type Level = 'error' | 'warning' | 'note';

export interface RuleMeta {
  id: string;
  title: string;
  description: string;
  level: Level;
  /** security | health | hygiene ... (first tag-like classification) */
  kind: 'security' | 'health';
  /**
   * 0.1–10 for security rules (SARIF `security-severity`), at `level`: the pack's score, moved into the level's
   * band (securitySeverityAt) when the config gives the rule another level than its pack's.
   */
  securitySeverity?: number;
  tags: string[];
  /** CIS / CWE ids or URLs. */
  references: string[];
  /** Markdown help with remediation. */
  help: string;
  helpUri?: string;
  /** Where the rule was defined (for diagnostics). */
  source?: string;
}

/** One socket cited by an aggregate finding. */
export interface Offender {
  location: Location;
  /** Compact one-line rendering, e.g. `tcp 10.0.0.1:443 -> 10.0.0.9:51234 nginx[812]`. */
  summary: string;
}

export interface Suppression {
  kind: 'waiver' | 'baseline';
  reason: string;
  expires?: string;
  owner?: string;
  ticket?: string;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  /** The snapshot file as given and the line of the socket (or of the first offender for aggregates). */
  location: Location;
  host: string;
  /** Per-socket findings: the parsed record. */
  socket?: SocketRecord;
  /** Aggregate findings: the group (e.g. {state: 'CLOSE-WAIT', process: 'java'}), the value and the limit. */
  group?: Record<string, string | number | null>;
  observed?: number;
  threshold?: number;
  offenders?: Offender[];
  /** Number of sockets in the group beyond the listed offenders. */
  offendersOmitted?: number;
  fingerprint: string;
  suppressed?: Suppression;
}

export interface NotEvaluated {
  ruleId: string;
  host: string;
  file: string;
  reason: string;
}

export interface Omitted {
  ruleId: string;
  host: string;
  file: string;
  /** Findings beyond the per-rule cap that were counted but not listed. */
  count: number;
  /**
   * How many of them were waived or baselined, by kind: known when waivers and baseline were asked as the
   * findings were found (a snapshot whose cap was reached where they may apply); the rest fail.
   */
  suppressed?: Partial<Record<Suppression['kind'], number>>;
}

export interface SnapshotReport {
  file: string;
  host: string;
  labels?: Record<string, string>;
  /** Capture metadata from `# key: value` lines (time, kernel, ss version, flags, netns ...). */
  meta?: Record<string, string>;
  sockets: number;
  lines: number;
  unparsed: number;
  /**
   * Sockets whose table (netid) could not be told — a capture without a Netid column whose rows do not show it;
   * rules on netid did not see them (absent when none).
   */
  unknownNetid?: number;
  /**
   * Ports of inet sockets that ss printed as service names socklint does not know (the capturing host's own
   * /etc/services names; IANA's are known): rules on those ports did not see them (absent when none).
   */
  unknownPorts?: number;
  /** Those names (the first 100). */
  unknownPortNames?: string[];
  /** The first unparsed lines (capped); `unparsed` is the full count. */
  unparsedLines: UnparsedLine[];
  states: Record<string, number>;
  /** Rule ids evaluated on this snapshot (passing or failing); not-evaluated ones are in `notEvaluated`. */
  rulesEvaluated: string[];
  /** Rules whose level here differs from the report's `rules[].level` (a host override): their level (absent when none). */
  levels?: Record<string, Level>;
  summary?: SsSummary;
}

/** A config waiver as reports name it: as the config writes it. */
export interface WaiverText {
  ruleId: string;
  /** The waiver's `host:` glob, as written (absent: it applies to every host). */
  host?: string;
  reason: string;
  /** Its last day (YYYY-MM-DD, UTC), as written: it waives through that whole day. */
  expires: string;
  owner?: string;
  ticket?: string;
  /** Where the waiver is written (config file:line). */
  location?: Location;
}

export interface WaiverReport extends WaiverText {
  status: 'expired' | 'unused';
  /**
   * An expired waiver (present on each, 0 included): the findings of this scan it matches that no waiver in force
   * waives — reported open because it expired (unless a baseline accepts them), and waived again if it is renewed.
   * Every such finding counts, those past the per-rule cap (--max-findings) too, on every thread; one that an
   * earlier or later live waiver waives does not. 0: it matched no finding of this scan.
   */
  matchedWhileExpired?: number;
  /**
   * An unused waiver whose rule was evaluated on none of the snapshots of the hosts it covers, and reported not
   * evaluated on some (their flags lacked what it needs): it matched nothing because nothing was checked, not
   * because the problem is gone.
   */
  ruleNotEvaluated?: true;
  /** Its rule ran on none of the snapshots of the hosts it covers: the config disables it there. */
  ruleDisabled?: true;
  /**
   * Its `host:` glob matched none of the hosts of a scan of several hosts (a glob written wrong, or hosts this
   * scan does not cover). A scan of one host lists no waiver for other hosts.
   */
  noHostMatched?: true;
  /**
   * Its `where` could not be asked about findings of its rule: their snapshots lacked fields it reads
   * (`process.name` on a capture without -p). It may have matched nothing because nothing was checked.
   */
  whereNotEvaluated?: true;
}

/**
 * A config waiver in force (not expired) for some host of the scan: what it waived, and until when. Every such
 * waiver is listed, used or not (an unused one is also in `waivers`, as needing attention), so that a report says
 * what a scan's results rest on and when each waiver lapses (Prometheus: socklint_waiver_expiry_timestamp_seconds).
 */
export interface WaiverInForce extends WaiverText {
  /**
   * The findings of this scan it waived: every one, those past the per-rule cap (--max-findings) too, on every
   * thread; a finding an earlier waiver in the config waives is that one's.
   */
  waived: number;
}

/**
 * A `hosts:` entry of the config that matched none of the snapshots of a scan of several hosts: its overrides
 * applied nowhere (a host glob or label written wrong, or hosts no longer scanned).
 */
export interface HostEntryReport {
  /** The entry's `match:`, as written. */
  match: { host?: string; labels?: Record<string, string> };
  /** Where the entry is written (config file:line). */
  location?: Location;
  status: 'unused';
  /** How many hosts the scan had: none of them matched. */
  hostsScanned: number;
}

export interface ScanReport {
  tool: { name: 'socklint'; version: string; informationUri?: string };
  startedAt: string;
  durationMs: number;
  rules: RuleMeta[];
  snapshots: SnapshotReport[];
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  omitted: Omitted[];
  waivers: WaiverReport[];
  /** Config waivers in force for some host of the scan (absent when none). */
  waiversInForce?: WaiverInForce[];
  /**
   * Config `hosts:` entries that need attention: unused ones, in a scan of more than one host (absent when none;
   * a scan of one host — a live scan — leaves a shared config's entries for other hosts alone).
   */
  hostEntries?: HostEntryReport[];
  /**
   * Snapshots that could not be scanned (unreadable, binary, no parsable socket …): no rule ran on them, and
   * exit code 3 says so. Named here too, so that a report read later does not pass over them.
   */
  snapshotErrors: Diagnostic[];
  summary: {
    findings: number;
    suppressed: number;
    byLevel: Record<Level, number>;
    notEvaluated: number;
    omitted: number;
    /** Of `omitted`, those waived or baselined (present when some were: see Omitted.suppressed). */
    omittedSuppressed?: number;
    sockets: number;
    unparsed: number;
    snapshots: number;
    /** Snapshots that could not be scanned (snapshotErrors). */
    snapshotErrors: number;
  };
}

/**
 * The security-severity scores (GitHub code scanning: ≥9 critical, ≥7 high, ≥4 medium, else low) that agree with
 * each level: an error is high or critical, a warning medium, a note low.
 */
export const SECURITY_SEVERITY_BANDS: Record<Level, readonly [number, number]> = { error: [7.0, 10], warning: [4.0, 6.9], note: [0.1, 3.9] };

/**
 * A security rule's score at a level the config gave it instead of its pack's: its own score when that is in the
 * level's band, else the band's nearest end (a rule scored 8.6 and set to note scores 3.9: low, not high).
 */
export function securitySeverityAt(score: number, level: Level): number {
  const [low, high] = SECURITY_SEVERITY_BANDS[level];
  return Math.min(high, Math.max(low, score));
}

/** How many of an Omitted's findings were waived or baselined. */
export function suppressedCount(o: Omitted): number {
  return (o.suppressed?.waiver ?? 0) + (o.suppressed?.baseline ?? 0);
}
