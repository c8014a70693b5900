/**
 * Runs a scan: every snapshot is streamed through the parser into a SnapshotEvaluator with the rule set
 * that applies to its host, then waivers and the baseline mark what is accepted. Produces the ScanReport
 * every formatter reads. Snapshot problems are collected (exit 3), not thrown, so other snapshots still scan.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics';
import { UserError } from '../diagnostics';
import { CHECK_EVERY, FINDINGS_HEAP_SHARE, OutOfMemoryError, RangeOutOfMemory, checkFindingsMemory, checkRuleStateMemory, isWorkerOutOfMemory, ruleStateOutOfMemory, workerOutOfMemory, type RuleStateKept } from './memory';
import type { FieldGroup, Location, SocketRecord, SsSummary, UnparsedLine } from '../snapshot/types';
import type { CheckedConfig } from './config';
import { parseSnapshotFile, type ByteRange } from '../snapshot/source';
import { REMEMBERED_MAX, REMEMBERED_ROWS, addFlagFields, emptyCapture, noSocketsProblem, notOneSnapshot, parseFlags, type ParseSink, type ParseStats, type ParserSeed } from '../snapshot/parser';
import { captureCoverage } from '../snapshot/coverage';
import type { CompiledRule } from '../rules/types';
import type { LimitedRead } from '../read-limited';
import { suppressedCount, type Finding, type HostEntryReport, type Level, type NotEvaluated, type Omitted, type RuleMeta, type ScanReport, type SnapshotReport, type Suppression, type WaiverInForce, type WaiverReport } from './types';
import { SnapshotEvaluator, type EvaluatorContext, type EvaluatorPartial, type FindingsListed } from './evaluate';

export const MAX_UNPARSED_LISTED = 50;

export interface SnapshotIdentity {
  host: string;
  labels: Record<string, string>;
}

/** Chooses the compiled rules for a snapshot (config host overrides live behind this). */
export interface RuleSelector {
  rulesFor(id: SnapshotIdentity): { rules: CompiledRule[]; maxFindingsPerRule?: number };
  /** Metadata of every rule that may run (for SARIF/JUnit rule lists). */
  allRules(): RuleMeta[];
  /** Host overrides that need attention, knowing which snapshots were scanned (a config's `hosts:`). */
  hostEntries?(snapshots: readonly SnapshotReport[]): HostEntryReport[];
}

/** Decides suppression of findings (waivers, baseline) and reports on itself afterwards. */
export interface FindingFilter {
  /** `fields`: the field groups of the finding's snapshot (availableFields), when known; a waiver's `where:` needs them. */
  suppress(f: Finding, fields?: ReadonlySet<FieldGroup>): Suppression | undefined;
  /** Waivers that need attention, knowing which rules were evaluated, and which not evaluated, on which snapshots. */
  report(snapshots: readonly SnapshotReport[], notEvaluated: readonly NotEvaluated[]): WaiverReport[];
  /** Waivers in force for some host of `snapshots`, with what each waived (absent: it holds none). */
  inForce?(snapshots: readonly SnapshotReport[]): WaiverInForce[];
  /** Whether it may suppress findings of `ruleId` on `host` (false: none of them, whatever their sockets). */
  mayApply(ruleId: string, host: string): boolean;
  /**
   * The field groups whose presence `suppress` may ask `fields` about (none: it never reads them). With it, the
   * filter is asked as findings are found — on worker threads too (runScan) — with the groups known so far, and a
   * snapshot where they were not yet those the whole snapshot has is scanned again (scanSnapshot). Absent: asked
   * after the scan.
   */
  fieldsRead?(): readonly FieldGroup[];
  /** What it has counted as it was asked (waivers matched...), as a copy of it on another thread hands it back. */
  usage?(): unknown;
  /** Adds what a copy of it on another thread counted (usage): report() then speaks for both. */
  addUsage?(usage: unknown): void;
  /** Puts its counts back to what usage() gave earlier (a snapshot partly asked about is read again whole). */
  setUsage?(usage: unknown): void;
}

/** The filters of a scan asked as one: each filter's suppress in turn, the mayApply of any. */
export interface Suppressor {
  suppress: Suppress;
  mayApply(ruleId: string, host: string): boolean;
}

export function suppressorOf(filters: readonly FindingFilter[]): Suppressor | undefined {
  if (filters.length === 0) return undefined;
  return {
    suppress: (f, fields) => {
      for (const filter of filters) {
        const s = filter.suppress(f, fields);
        if (s) return s;
      }
      return undefined;
    },
    mayApply: (ruleId, host) => filters.some((f) => f.mayApply(ruleId, host)),
  };
}

/** What each of `filters` counted (FindingFilter.usage), in their order, for addUsage on the thread that reports. */
export function filterUsage(filters: readonly FindingFilter[]): unknown[] {
  return filters.map((f) => f.usage?.());
}

function addUsage(filters: readonly FindingFilter[], usage: readonly unknown[] | undefined): void {
  if (usage !== undefined) filters.forEach((f, i) => { if (usage[i] !== undefined) f.addUsage?.(usage[i]); });
}

function setUsage(filters: readonly FindingFilter[], usage: readonly unknown[]): void {
  filters.forEach((f, i) => { if (usage[i] !== undefined) f.setUsage?.(usage[i]); });
}

/** The field groups any of `filters` may ask a snapshot about (FindingFilter.fieldsRead). */
function fieldsReadBy(filters: readonly FindingFilter[]): FieldGroup[] {
  return [...new Set(filters.flatMap((f) => f.fieldsRead?.() ?? []))];
}

export function inStreamFilters(filters: readonly FindingFilter[], from: FiltersFrom): InStreamFilters {
  return { from, fieldsRead: fieldsReadBy(filters), add: (u) => addUsage(filters, u), usage: () => filterUsage(filters), set: (u) => setUsage(filters, u) };
}

/** The filters of a scan asked as findings are found on every thread (runScan's inStream): what they counted, kept and added. */
export interface InStreamFilters {
  from: FiltersFrom;
  /** The field groups they may ask a snapshot about (FindingFilter.fieldsRead). */
  fieldsRead: readonly FieldGroup[];
  /** Adds what copies of them on another thread counted. */
  add(usage: unknown[]): void;
  /** What they have counted so far, to put back with set(). */
  usage(): unknown[];
  set(usage: unknown[]): void;
}

/** A snapshot to read: where it is, and how reports name it (`live:web-01` for a temporary live capture). */
export interface ScanInput {
  path: string;
  label: string;
  /** The ss flags it was captured with, unless it says so itself (`--ss-flags`; see ParserOptions.flags). */
  flags?: string;
  /** The snapshot's bytes as they are captured (a live scan): read from here on this thread, not from `path`. */
  stream?: AsyncIterable<Buffer>;
}

/** Whether an input can be read only once (stdin, a live capture): never split, never scanned again. */
function readOnce(input: ScanInput): boolean {
  return input.path === '-' || input.stream !== undefined;
}

export function fileInputs(paths: string[], flags?: string): ScanInput[] {
  return paths.map((p) => ({ path: p, label: p, ...(flags ? { flags } : {}) }));
}

/** How a worker thread rebuilds the rule set (compiled predicates cannot cross threads; their sources can). */
export interface RuleSetup {
  rules: string[];
  defaultRules: boolean;
  config?: string;
  maxFindingsPerRule?: number;
  /** The baseline file (--baseline): a worker loads it to ask it as it finds (ScanOptions.filtersFrom). */
  baseline?: string;
  /** What was read of those files that are pipes or devices (read-limited.ts): a worker cannot read them again. */
  streams?: [string, LimitedRead][];
  /** The config as this thread loaded and checked it: a worker takes it instead of loading `config` again. */
  checked?: CheckedConfig;
}

/**
 * How a worker thread makes the filters of the scan (scanFilters, filters.ts): the config's waivers as of
 * `now` (ISO time) and the baseline, both named by the RuleSetup.
 */
export interface FiltersFrom {
  now: string;
}

export interface ScanOptions {
  inputs: ScanInput[];
  rules: RuleSelector;
  /** Scan several snapshots on this many worker threads (needs `ruleSetup`); 1 = in this thread. */
  jobs?: number;
  ruleSetup?: RuleSetup;
  filters?: FindingFilter[];
  /**
   * `filters` are scanFilters(ruleSetup's config and baseline, this `now`) (filters.ts), which worker threads can
   * make too: then, when none of them reads field groups, findings are asked of them as they are found, on every
   * thread (runScan).
   */
  filtersFrom?: FiltersFrom;
  /** SNAPSHOT arguments that named no file (expandSnapshotArgs' problems): snapshot errors of the report, first. */
  notFound?: Diagnostic[];
  /** --host: overrides the host name of every snapshot (else capture metadata, else the file name). */
  host?: string;
  /** --label k=v: added to every snapshot's labels (capture metadata labels come first). */
  labels?: Record<string, string>;
  version: string;
  now?: () => Date;
  /** A single snapshot file at least this large is scanned on two threads when jobs > 1 (default: threads.ts). */
  splitMinBytes?: number;
  /**
   * Called (at most once) to load what comes after the scan (the CLI loads the report formatters it will use)
   * when this thread has nothing left to do but wait for worker threads: after its files (several snapshots),
   * or after its range of a split file, before it waits for the worker's range. (Session 4 loaded them as a
   * split's worker booted, while this thread parses: the builders' objects made V8 double its young generation
   * while the worker's heap was alive too, for ~11–16 ms; after the range, with the young generation kept from
   * growing (youngGenerationGrows), they cost no memory, and the ~40 ms of loading overlaps the worker's end.)
   */
  whileWaiting?: () => void;
}

export interface ScanOutcome {
  report: ScanReport;
  /** Snapshots that could not be read, held no parsable socket or were not one snapshot (exit code 3). */
  snapshotErrors: Diagnostic[];
}

/** Host name from a file name: `web-01.ss.gz` → `web-01`; stdin → `stdin`. */
export function hostFromFile(file: string): string {
  if (file === '-') return 'stdin';
  let base = path.basename(file);
  base = base.replace(/\.gz$/i, '');
  base = base.replace(/\.(ss|out|txt|log|snapshot)$/i, '');
  return base || 'unknown';
}

export function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return labels;
}

export interface SnapshotResult {
  snapshot: SnapshotReport;
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  omitted: Omitted[];
  /** The field groups the snapshot carries (availableFields): waivers and baseline are asked with them. */
  fields: Set<FieldGroup>;
  /**
   * Findings were asked about as they were found (CollectorOptions.fieldsRead) with other groups of fieldsRead than
   * `fields`: what they were told may not be what the snapshot gives (scanSnapshot scans it again).
   */
  askedOtherFields?: true;
  /** EvaluationResult.provisional: rules evaluated only because they failed (unfailed decides, once findings are waived or not). */
  provisional?: NotEvaluated[];
}

/**
 * The rules of `r` evaluated only because they had failed whatever sockets they did not see (a socket of unknown
 * table, a port ss printed as a name socklint cannot map), whose findings all turned out waived or baselined: they
 * failed nothing, and the sockets they did not see might — not evaluated after all (taken out of rulesEvaluated). A
 * new listener on `0.0.0.0:http-alt` passed a gate whose baseline held the rule's other findings.
 */
function unfailed(r: SnapshotResult): NotEvaluated[] {
  if (r.provisional === undefined) return [];
  const open = (id: string): boolean =>
    r.findings.some((f) => f.ruleId === id && f.suppressed === undefined) || r.omitted.some((o) => o.ruleId === id && o.count > suppressedCount(o));
  const out = r.provisional.filter((p) => !open(p.ruleId));
  if (out.length > 0) r.snapshot.rulesEvaluated = r.snapshot.rulesEvaluated.filter((id) => !out.some((p) => p.ruleId === id));
  return out;
}

/**
 * What a scan gathers from the sockets of one snapshot (or of a byte range of it): state counts, the first
 * unparsed lines, the `ss -s` summary and the rule evaluator.
 */
/** What a snapshot's collector needs of the scan: the rules, the identity given, and waivers/baseline to ask as findings are found. */
/** FindingFilter.suppress of every filter of a scan, in turn. */
type Suppress = (f: Finding, fields?: ReadonlySet<FieldGroup>) => Suppression | undefined;

type CollectorOptions = Pick<ScanOptions, 'rules' | 'host' | 'labels'> & {
  suppress?: Suppress;
  /** The rules and hosts `suppress` may apply to (FindingFilter.mayApply): the others' findings are not asked. */
  mayApply?: (ruleId: string, host: string) => boolean;
  /**
   * The field groups `suppress` may ask about (FindingFilter.fieldsRead): the groups known as each finding is asked
   * are noted, and the result says when they were not the snapshot's own (SnapshotResult.askedOtherFields).
   */
  fieldsRead?: readonly FieldGroup[];
} & {
  /** The snapshot's flags as --ss-flags gave them (else its `# flags:` line, or its rows, tell the field groups). */
  flags?: string;
};

class SnapshotCollector {
  /**
   * Sockets per state, in the order the states were first seen. A counter object per state, found by Map:
   * counting into a plain object keyed by the state (a property access whose key changes from row to row)
   * cost ~3 % of a 1M-row scan.
   */
  private readonly stateCounts = new Map<string, { n: number }>();
  readonly unparsedLines: UnparsedLine[] = [];
  summary: SsSummary | undefined;
  evaluator: SnapshotEvaluator | undefined;
  /** The rules chosen for this snapshot's identity (config overrides applied). */
  private chosen: CompiledRule[] | undefined;
  identity: SnapshotIdentity | undefined;
  readonly meta: Record<string, string> = {};

  /**
   * `follows`: the collector of a byte range that follows another (split.ts), with that range's identity;
   * its evaluator makes findings once it knows how many it may list (EvaluatorContext.follows).
   */
  constructor(readonly file: string, private readonly opts: CollectorOptions, private readonly follows?: SnapshotIdentity) {
    this.identity = follows;
  }

  private countState(state: string, n: number): void {
    const c = this.stateCounts.get(state);
    if (c !== undefined) c.n += n;
    else this.stateCounts.set(state, { n });
  }

  /**
   * Of the groups the flags asked for and no row showed (ParseStats.unshown), those some row would have shown: a
   * snapshot of no socket, or of TIME-WAIT and SYN-RECV ones only (which carry no socket memory or TCP info), shows
   * none of -m's or -i's items whatever its flags — the flags' word stands for those (added to `fields`).
   */
  private couldShow(unshown: readonly FieldGroup[] | undefined, fields: Set<FieldGroup>): FieldGroup[] | undefined {
    if (unshown === undefined) return undefined;
    const full = [...this.stateCounts].some(([state, c]) => c.n > 0 && state !== 'TIME-WAIT' && state !== 'SYN-RECV');
    const left = unshown.filter((g) => full || (g !== 'skmem' && g !== 'tcpinfo' && this.stateCounts.size > 0));
    for (const g of unshown) if (!left.includes(g)) fields.add(g);
    return left.length > 0 ? left : undefined;
  }

  /** Sockets per state (first seen first). */
  states(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, c] of this.stateCounts) out[k] = c.n;
    return out;
  }

  resolveIdentity(): SnapshotIdentity {
    if (!this.identity) {
      // a blank `# host:` names no host: the file's name does
      const host = this.opts.host ?? (this.meta.host || hostFromFile(this.file));
      this.identity = { host, labels: { ...parseLabels(this.meta.labels), ...(this.opts.labels ?? {}) } };
    }
    return this.identity;
  }

  /**
   * Waivers and baseline asked as findings are found (a snapshot read once, or a rescan): before the snapshot's
   * field groups are known, a waiver's `where:` is asked with those its capture flags promise (`# flags:`, a live
   * capture's, --ss-flags) and those its rows have shown so far (without flags, a `where:` on processes waives
   * nothing until a row has shown one: the finding stays open rather than be waived unchecked).
   */
  private suppressInStream(suppress: Suppress): EvaluatorContext['suppress'] {
    const flags = this.meta.flags ?? this.opts.flags;
    const promised = flags === undefined ? [] : addFlagFields(parseFlags(flags), new Set<FieldGroup>());
    const hidden = processesHidden(this.meta); // (the metadata comes before the first socket)
    const noted = (this.opts.fieldsRead?.length ?? 0) > 0;
    // the groups, made again only when the rows have shown more (a finding per socket would make a set each)
    let shown: ReadonlySet<FieldGroup> | undefined;
    let fields: ReadonlySet<FieldGroup> = new Set();
    return (f) => {
      if (shown !== this.shown) {
        const known = new Set([...promised, ...(shown = this.shown)]);
        if (hidden) known.delete('processes');
        fields = known;
        if (noted) this.askedWith.push(known);
      }
      return suppress(f, fields);
    };
  }

  /** The field groups findings were asked about with (suppressInStream), when CollectorOptions.fieldsRead names some. */
  private readonly askedWith: ReadonlySet<FieldGroup>[] = [];

  /** The groups a following byte range's findings were asked about with (RangeResult.askedWith). */
  askedAlso(sets: readonly FieldGroup[][]): void {
    for (const g of sets) this.askedWith.push(new Set(g));
  }

  /** askedWith as it crosses threads. */
  askedWithList(): FieldGroup[][] {
    return this.askedWith.map((g) => [...g]);
  }

  /** The field groups the rows have shown so far (ParseSink.fields), while waivers are asked as findings are found. */
  private shown: ReadonlySet<FieldGroup> = new Set();

  startEvaluator(): SnapshotEvaluator {
    if (!this.evaluator) {
      const id = this.resolveIdentity();
      const chosen = this.opts.rules.rulesFor(id);
      this.chosen = chosen.rules;
      const { suppress, mayApply } = this.opts;
      this.evaluator = new SnapshotEvaluator(chosen.rules, {
        file: this.file, host: id.host, fields: new Set(), maxFindingsPerRule: chosen.maxFindingsPerRule, follows: this.follows !== undefined,
        ...(suppress ? { suppress: this.suppressInStream(suppress) } : {}),
        ...(suppress && mayApply ? { suppresses: (ruleId: string) => mayApply(ruleId, id.host) } : {}),
      });
      if (this.before) this.evaluator.followOn(this.before);
    }
    return this.evaluator;
  }

  /** What the collector of the preceding byte range lists (SnapshotEvaluator.followOn), once it is known. */
  private before: FindingsListed | undefined;

  followOn(before: FindingsListed): void {
    this.before = before;
    this.evaluator?.followOn(before);
  }

  sink(): ParseSink {
    let sockets = 0;
    return {
      socket: (rec: SocketRecord) => {
        if (++sockets % CHECK_EVERY === 0 && this.evaluator) {
          checkRuleStateMemory(this.file, rec.location.line, sockets, this.evaluator.kept());
        }
        this.countState(rec.state ?? 'unknown', 1);
        (this.evaluator ?? this.startEvaluator()).add(rec);
      },
      unparsed: (u: UnparsedLine) => {
        if (this.unparsedLines.length < MAX_UNPARSED_LISTED) this.unparsedLines.push(u);
      },
      summary: (sum: SsSummary) => {
        this.summary ??= sum; // the file's first, as `socklint parse` gives it
      },
      meta: (key: string, value: string) => {
        // Capture metadata precedes the table: the host must be known before the first socket.
        if (!this.evaluator) this.meta[key.toLowerCase()] = value;
      },
      extensionWants: (state: string | undefined) => this.evaluator?.wantsFor(state),
      ...(this.opts.suppress ? { fields: (shown: ReadonlySet<FieldGroup>) => { this.shown = shown; } } : {}),
    };
  }

  /** Adds what a collector of the following byte range gathered (see split.ts). */
  mergeFollowing(next: RangeResult): boolean {
    if (!this.startEvaluator().mergeFollowing(next.partial)) return false;
    for (const [k, v] of Object.entries(next.states)) this.countState(k, v);
    for (const u of next.unparsedLines) if (this.unparsedLines.length < MAX_UNPARSED_LISTED) this.unparsedLines.push(u);
    this.summary ??= next.summary;
    return true;
  }

  /** `levels` of the snapshot report: the rules a host override gives another level than the report's rules[]. */
  private hostLevels(): { levels?: Record<string, Level> } {
    const levels: Record<string, Level> = {};
    let any = false;
    const base = new Map(this.opts.rules.allRules().map((r) => [r.id, r.level]));
    for (const r of this.chosen ?? []) {
      if (r.level !== base.get(r.meta.id)) {
        levels[r.meta.id] = r.level;
        any = true;
      }
    }
    return any ? { levels } : {};
  }

  result(stats: ParseStats): SnapshotResult | Diagnostic {
    const { file, unparsedLines, summary, meta } = this;
    const several = notOneSnapshot(stats);
    if (several) return { file, ...several };
    if (stats.sockets === 0 && !summary && !emptyCapture(stats)) {
      return {
        file,
        code: 'no-sockets',
        ...noSocketsProblem(stats, unparsedLines[0]),
      };
    }
    // metadata the parser saw after the first socket too; a key read before it (lower-cased, the last of a
    // repeated one: what named the host) keeps that value, whatever case the parser's copy has it in
    for (const [k, v] of Object.entries(stats.meta)) if (!Object.hasOwn(meta, k.toLowerCase())) meta[k] = v;
    const id = this.resolveIdentity();
    const flags = meta.flags ?? this.opts.flags; // the capture's own record wins (ParserOptions.flags)
    // a row only ss -E prints makes it an events capture, whatever flags the file was said to be taken with
    const coverage = stats.events !== undefined && !(flags !== undefined && captureCoverage(flags).events)
      ? { ...captureCoverage(`${flags ?? ''} -E`), eventsLine: stats.events }
      : flags === undefined ? undefined : captureCoverage(flags);
    const fields = availableFields(stats, meta);
    const unshown = this.couldShow(stats.unshown, fields);
    const result = this.startEvaluator().finish(fields, stats.undecided, meta.source, flags !== undefined, coverage, { ...stats, unshown });
    if (stats.sockets === 0 && summary && !emptyCapture(stats)) {
      // no flag would have given the rules what they need: the file is ss -s output, counts without sockets
      for (const n of result.notEvaluated) n.reason = SUMMARY_ONLY;
    }
    const unknownNetid = Object.values(stats.undecided).reduce((n, c) => n + (c ?? 0), 0);
    const unknownPorts = Object.values(stats.unknownPorts).reduce((n, c) => n + c, 0);
    const snapshot: SnapshotReport = {
      file,
      host: id.host,
      ...(Object.keys(id.labels).length ? { labels: id.labels } : {}),
      ...(Object.keys(meta).length ? { meta } : {}),
      sockets: stats.sockets,
      lines: stats.lines,
      unparsed: stats.unparsed,
      ...(unknownNetid > 0 ? { unknownNetid } : {}),
      ...(unknownPorts > 0 ? { unknownPorts, unknownPortNames: Object.keys(stats.unknownPortNames) } : {}),
      unparsedLines,
      states: this.states(),
      rulesEvaluated: result.evaluated,
      ...this.hostLevels(),
      ...(summary ? { summary } : {}),
    };
    const read = this.opts.fieldsRead ?? [];
    const otherFields = this.askedWith.some((g) => read.some((k) => g.has(k) !== fields.has(k)));
    return {
      snapshot, findings: result.findings, notEvaluated: result.notEvaluated, omitted: result.omitted, fields,
      ...(result.provisional ? { provisional: result.provisional } : {}), ...(otherFields ? { askedOtherFields: true } : {}),
    };
  }
}

/**
 * The field groups rules may rely on: those the rows show and the flags promise, and in a snapshot without any row
 * (`ss -tln` where nothing listens) those its last header's columns carry — decided here, for the whole snapshot:
 * a byte range without a row (split.ts) is no such snapshot. A capture made without root (`# uid: N`, N ≠ 0) lists
 * processes only for the capturing user's own sockets, so process information counts as absent: rules that need
 * it are reported as not evaluated instead of passing on sockets whose owner was hidden.
 */
export function availableFields(stats: Pick<ParseStats, 'fields' | 'headerFields' | 'sockets'>, meta: Record<string, string>): Set<FieldGroup> {
  const fields = new Set(stats.fields);
  if (stats.sockets === 0) for (const f of stats.headerFields) fields.add(f);
  if (processesHidden(meta)) fields.delete('processes');
  return fields;
}

/** Whether the capture was made without root (`# uid: N`, N ≠ 0): processes are then taken as absent (availableFields). */
function processesHidden(meta: Record<string, string>): boolean {
  return meta.uid !== undefined && meta.uid.trim() !== '0';
}

/** What scanning the second byte range of a split snapshot (on a worker thread) hands back. */
export interface RangeResult {
  partial: EvaluatorPartial;
  states: Record<string, number>;
  unparsedLines: UnparsedLine[];
  summary?: SsSummary;
  stats: Omit<ParseStats, 'fields'> & { fields: FieldGroup[] };
  /** What the range's filters counted (filterUsage), when it asked them as it found (RangeTask.suppress). */
  usage?: unknown[];
  /** The field groups its findings were asked about with, of those the filters read (SnapshotCollector.askedWith). */
  askedWith?: FieldGroup[][];
  /**
   * The parser's state after its last line (SsParser.checkpoint; undefined: not a record boundary): a range that
   * follows this one (its tail, taken by the first thread: giveTail) was parsed from the seed, and is kept only when
   * this range ended in that state.
   */
  end?: ParserSeed;
}

/**
 * What the result of a range holds, told before the result itself crosses threads: what its rules kept, and
 * the sockets and lines it parsed.
 */
export interface RangeHolds extends RuleStateKept {
  sockets: number;
  lines: number;
}

/** What `r` holds (RangeHolds). */
export function rangeHolds(r: RangeResult): RangeHolds {
  let findings = 0;
  let groups = 0;
  for (const rule of r.partial.rules) {
    findings += rule.findings.length;
    groups += rule.groups?.length ?? 0;
  }
  return { findings, groups, sockets: r.stats.sockets, lines: r.stats.lines };
}

/** Scans the second byte range of a split snapshot (on a worker thread; in tests, in this one). */
export interface RangeRunner {
  /** Resolves when the runner can start at once (a worker thread has booted and built its rule set). */
  ready: Promise<void>;
  /**
   * `admit`, when given, is called with what the result holds before it is copied to this thread (a worker's):
   * it throws (the promise rejects with that) when this thread has no room for it. The promise rejects with
   * RangeOutOfMemory when the range's own memory check stopped it.
   */
  scan(task: RangeTask, admit?: (holds: RangeHolds) => void): Promise<RangeResult>;
  /**
   * The findings the first range lists, sent when it is parsed: the second range's rules list no more than
   * the cap leaves them (SnapshotEvaluator.followOn), and its result is sent once it has this.
   */
  followOn(before: FindingsListed): void;
  /**
   * Asked when the first range is parsed: the range being scanned ends earlier (split.ts, giveTail), and the first
   * thread parses the rest, from the offset this resolves with (the file's size is its end); undefined when it
   * keeps all of it (its parse is over, or little is left). Absent: never shortened.
   */
  giveTail?(minBytes?: number): Promise<number | undefined>;
  cancel(): void;
}

/**
 * A byte range of a snapshot to scan from a parser seed, with the identity the whole snapshot has. The seed's
 * lineNo is ignored: lines are numbered from RANGE_LINE_BASE, and the merge shifts them (shiftLines).
 */
export interface RangeTask {
  input: ScanInput;
  range: { start: number; end: number };
  seed: ParserSeed;
  identity: SnapshotIdentity;
  /** Ask the scan's filters as findings are found, as this thread does with its range (runScan). */
  suppress?: FiltersFrom;
}

/** Findings a range waiting for the ranges before it makes between two looks at its messages (scanRangeWith). */
const SETTLE_BATCH = 64;

/** Line number a range's parser starts from (far from 1: the BOM check is for a file's first line only). */
export const RANGE_LINE_BASE = 1e12;

/** Where line `rangeLine` of a range (numbered from RANGE_LINE_BASE) is in the file, the range starting after `linesBefore` lines. */
function fileLine(rangeLine: number, linesBefore: number): number {
  return linesBefore + (rangeLine - RANGE_LINE_BASE);
}

/**
 * Moves every line number a range scanned from RANGE_LINE_BASE gathered to where it is in the file, the
 * range starting after `linesBefore` lines: locations of findings, sockets, offenders, the first socket, the
 * `ss -s` summary and unparsed lines (line numbers appear nowhere else unless `stats.lineNotes` says so).
 */
export function shiftLines(r: RangeResult, linesBefore: number): void {
  const seen = new Set<Location>(); // a finding's location is its socket's: shifted once
  const shift = (l: Location | undefined): void => {
    if (l && !seen.has(l)) {
      seen.add(l);
      l.line = fileLine(l.line, linesBefore);
    }
  };
  for (const rule of r.partial.rules) {
    for (const f of rule.findings) {
      shift(f.location);
      shift(f.socket?.location);
    }
    for (const [, g] of rule.groups ?? []) for (const o of g.offenders) shift(o.offender.location);
  }
  for (const u of r.unparsedLines) u.line = fileLine(u.line, linesBefore);
  shift(r.summary?.location);
}

/**
 * Scans the byte range of a split snapshot that follows the first one (see split.ts); `filters` (those of
 * task.suppress) are asked as findings are found.
 */
export async function scanRange(task: RangeTask, rules: RuleSelector, before?: Promise<FindingsListed>, filters?: readonly FindingFilter[]): Promise<RangeResult> {
  const asked = filters === undefined ? undefined : suppressorOf(filters);
  const fieldsRead = filters === undefined ? undefined : fieldsReadBy(filters);
  const c = collectorOf(task.input, { rules, ...asked, ...(fieldsRead?.length ? { fieldsRead } : {}) }, task.identity);
  const r = await scanRangeWith(c, task, before);
  return filters !== undefined ? { ...r, usage: filterUsage(filters), askedWith: c.askedWithList() } : r;
}

/**
 * Scans the byte range of `task` into `c`, a collector made for it (collectorOf with the range's identity);
 * `parsed` is called when its bytes are, or its parse failed (its findings wait for `before`).
 */
async function scanRangeWith(c: SnapshotCollector, task: RangeTask, before?: Promise<FindingsListed>, parsed?: () => void): Promise<RangeResult> {
  // made as the first range's collector is (scanSplit): the file's flags and head metadata (`# flags:`, `# uid:`)
  // tell the filters from the start what they tell the first range's
  Object.assign(c.meta, lowerKeys(task.seed.meta));
  // The lines before the range are not counted here (60 MB of them cost the worker 40–80 ms): they are
  // numbered from a base the merge replaces by the count the first range's parser ends with.
  const seed = { ...task.seed, lineNo: RANGE_LINE_BASE };
  // what the first range lists, taken when it arrives (between chunks, or after this range's end: waited for)
  let arrived = before === undefined;
  const followed = before?.then((b) => {
    arrived = true;
    c.followOn(b);
  });
  let stats: ParseStats;
  let end: ParserSeed | undefined;
  try {
    stats = await parseSnapshotFile(task.input.path, c.sink(), { file: task.input.label, range: task.range, seed, checkpoint: (b) => { end = b; } });
  } catch (e) {
    // its line counts from RANGE_LINE_BASE, its sockets from the range's start: the split scan restates it
    if (e instanceof OutOfMemoryError && e.at !== undefined) throw new RangeOutOfMemory(e.at);
    throw e;
  } finally {
    parsed?.();
  }
  // Until it arrives, this range's findings are made a few at a time (settleSome): the thread would only wait. A
  // worker done before the main thread spent ~55–65 ms making them after it (250k `-tanpmioe`), while that thread waited.
  const evaluator = c.startEvaluator();
  while (!arrived && evaluator.settleSome(SETTLE_BATCH)) await new Promise<void>((resolve) => setImmediate(resolve));
  await followed;
  return {
    partial: evaluator.partial(),
    states: c.states(),
    unparsedLines: c.unparsedLines,
    ...(c.summary ? { summary: c.summary } : {}),
    stats: { ...stats, fields: [...stats.fields] },
    ...(end !== undefined ? { end } : {}),
  };
}

export interface SnapshotScanOptions extends CollectorOptions {
  /**
   * Scan a large plain file as two byte ranges, the second on a worker thread (needs the rule sources); with
   * `suppress`, only when the worker can ask the same filters (`filters`, whose counts are added to them).
   */
  split?: { setup: RuleSetup; minBytes?: number; whileWaiting?: () => void; filters?: InStreamFilters };
  /**
   * The filters behind `suppress` when it is asked as findings are found: their counts (waivers matched …) are
   * put back to what they were before this snapshot when it comes back not scanned (a Diagnostic: its findings
   * are dropped, so they were waived or matched by nothing), and when, asked with the field groups known so far
   * (`fieldsRead` noted), its findings were asked with other groups of theirs than it turns out to have: it is
   * then scanned again, asked with its own.
   */
  filters?: InStreamFilters;
}

/** Scans one snapshot; a snapshot that cannot be read or holds no socket comes back as a Diagnostic. */
export async function scanSnapshot(input: ScanInput, opts: SnapshotScanOptions): Promise<SnapshotResult | Diagnostic> {
  const counted = opts.filters?.usage();
  const r = await scanAsked(input, opts);
  if (opts.filters === undefined) return r;
  if (!('findings' in r)) {
    // (several ss runs found past its first rows, a read error …: what was asked of it counts for nothing)
    opts.filters.set(counted!);
    return r;
  }
  if (r.askedOtherFields === undefined || opts.suppress === undefined) return r;
  // (a where: on processes asked of findings before any row showed a process)
  opts.filters.set(counted!);
  const { suppress } = opts;
  const fields = r.fields;
  return scanWhole(input, { rules: opts.rules, host: opts.host, labels: opts.labels, mayApply: opts.mayApply, suppress: (f) => suppress(f, fields) });
}

async function scanAsked(input: ScanInput, opts: SnapshotScanOptions): Promise<SnapshotResult | Diagnostic> {
  const split = opts.split;
  // (a worker's range asks waivers and baseline as it finds only when it can make the same ones: split.filters)
  if (split && (opts.suppress === undefined || split.filters !== undefined) && !readOnce(input)) {
    const { rangeWorker, youngGenerationGrows } = await import('./threads');
    const filters = opts.suppress === undefined ? undefined : split.filters;
    const counted = filters?.usage();
    const r = await scanSplit(input, opts, split.minBytes, () => rangeWorker({ setup: split.setup, host: opts.host, labels: opts.labels }), split.whileWaiting, filters);
    if (r) return r;
    // given up after this thread's range was asked about, perhaps: the whole file is asked anew
    if (counted !== undefined) filters!.set(counted);
    youngGenerationGrows(true); // not split after all: one thread, as fast as V8's default makes it
  }
  return scanWhole(input, opts);
}

/**
 * A large plain file as two byte ranges, the second on a worker thread (see split.ts). Undefined when the
 * file is not split, or when the first range did not end in the state the second was parsed from: the
 * caller then scans it whole, so the result is always the sequential scan's. This thread starts at once;
 * the file is cut when the worker is ready (a little over half of the rest kept here), or not at all when it
 * never is. Once its range is parsed, this thread tells the worker how many findings each rule lists here
 * (followOn): the worker lists no more than the cap leaves, so findings the merge would drop are neither made
 * nor copied between threads (250k `-tanpmioe`: ~4,000 findings with their sockets; 0.96 of the wall time).
 * And it takes the end of the worker's range, when enough is left there (giveTail): a third range, parsed here
 * while the worker ends its own, merged after it — this thread would otherwise wait, idle, for the worker, which
 * started later and may get less of the machine (~0.03–0.28 s of a 1–2 s scan on this two-core machine).
 */
export async function scanSplit(
  input: ScanInput,
  opts: CollectorOptions,
  minBytes: number | undefined,
  startRunner: () => RangeRunner,
  whileWaiting?: () => void,
  filters?: NonNullable<SnapshotScanOptions['split']>['filters'],
): Promise<SnapshotResult | Diagnostic | undefined> {
  const { planHead, cutPoint, sameSeed, samePort } = await import('./split');
  const { splittableSize, youngGenerationGrows } = await import('./threads');
  const size = splittableSize(input.path, minBytes);
  if (size === undefined) return undefined;
  const worker = startRunner(); // a worker thread boots while this one starts on the file
  youngGenerationGrows(false); // the worker's isolate costs memory: this thread's nursery stops growing
  const seed = planHead(input.path, size, input.flags);
  const head = collectorOf(input, opts);
  if (seed) Object.assign(head.meta, lowerKeys(seed.meta));
  const identity = head.resolveIdentity();
  // Sums of floats depend on the order of addition: such rule sets are scanned in one thread.
  if (!seed || opts.rules.rulesFor(identity).rules.some((r) => r.aggregate?.fn === 'sum')) {
    worker.cancel();
    return undefined;
  }
  const range: ByteRange = { start: 0, end: size };
  let parsing = true;
  let second: Promise<RangeResult> | undefined;
  const first = collectorOf(input, opts);
  let boundary: ParserSeed | undefined;
  let stats: ParseStats | undefined;
  /** Throws when this thread has no room for what a following range holds beside its own (`lines`, `sockets`: before it). */
  const checkRoom = (holds: RangeHolds, lines: number, sockets: number): void => {
    checkRuleStateMemory(input.label, lines + holds.lines, sockets + holds.sockets, first.startEvaluator().kept(), FINDINGS_HEAP_SHARE, holds);
  };
  // Before the worker's result is copied here (it arrives once this thread's range is parsed, see followOn):
  // the heap must have room for both ranges' findings and groups, which neither range's checks saw together.
  const admit = (holds: RangeHolds): void => {
    if (stats && boundary) checkRoom(holds, boundary.lineNo, stats.sockets);
  };
  void worker.ready.then(() => {
    // past where this thread has got to (range.fed), or undefined: too little left, or parsing is over
    const cut = parsing ? cutPoint(input.path, range.fed ?? 0, size, minBytes) : undefined;
    if (cut === undefined) {
      worker.cancel();
      return;
    }
    range.end = cut;
    second = worker.scan({ input, range: { start: cut, end: size }, seed, identity, ...(filters ? { suppress: filters.from } : {}) }, admit);
  });
  try {
    stats = await parseSnapshotFile(input.path, first.sink(), {
      file: input.label, flags: input.flags, range, checkpoint: (b) => { boundary = b; },
    });
  } catch (e) {
    worker.cancel();
    return snapshotProblem(e);
  } finally {
    parsing = false;
  }
  if (!second) {
    // the worker was not ready before the end: this thread parsed the whole file
    worker.cancel();
    return first.result(stats);
  }
  // the line count is the first range's (the second one's numbers are shifted to follow it)
  if (!boundary || !sameSeed(boundary, seed) || JSON.stringify(first.resolveIdentity()) !== JSON.stringify(identity)) {
    worker.cancel();
    return undefined;
  }
  worker.followOn(first.startEvaluator().listed());
  // the end of the worker's range, parsed here meanwhile (from the same seed: kept if the worker's range ends in it)
  const tailAt = await worker.giveTail?.(minBytes);
  const countedBeforeTail = tailAt === undefined ? undefined : filters?.usage();
  const tailTask = (from: ParserSeed): RangeTask => ({ input, range: { start: tailAt!, end: size }, seed: from, identity });
  let tail = tailAt === undefined ? undefined : scanTail(input, opts, tailTask(seed));
  /** Scanned whole after all: the tail stops first (its counts of the filters are put back by the caller). */
  const whole = async (): Promise<undefined> => {
    worker.cancel();
    await tail?.drop();
    return undefined;
  };
  await tail?.parsed;
  whileWaiting?.();
  let next: RangeResult;
  try {
    next = await second;
  } catch (e) {
    await whole();
    // the second range's own check stopped it: named where it is in the file, with the sockets before it
    if (e instanceof RangeOutOfMemory) {
      throw ruleStateOutOfMemory(input.label, { ...e.at, line: fileLine(e.at.line, boundary.lineNo), sockets: stats.sockets + e.at.sockets });
    }
    if (e instanceof OutOfMemoryError) throw e; // no room here for the worker's result (admit)
    return undefined; // the worker failed (or V8 stopped it at its heap limit): scanned whole, in this thread
  }
  /**
   * Merges `r`, the range that follows `before` (the stats so far, `linesBefore` lines), parsed from `from` after a
   * range that ended in `prevEnd`, whose tables its parser numbered `moreTables` too low: the stats up to its end, or
   * undefined when the file is to be scanned whole. `room`: its holds are checked first (a worker's were: admit).
   */
  const follow = (r: RangeResult, before: ParseStats, linesBefore: number, prevEnd: ParserSeed, from: ParserSeed, moreTables: number, room = false): ParseStats | undefined => {
    // a new table (Netid decision) or an SCTP note in the range named a relative line, or its first row may be the
    // last line of a unix name cut before it (parser.ts, ParseStats.lineNotes), or it read its first unix row by a
    // column of ports that the file's parse did not have there
    if (r.stats.lineNotes > 0 || !samePort(prevEnd, r.stats)) return undefined;
    if (room) checkRoom(rangeHolds(r), linesBefore, before.sockets);
    shiftLines(r, linesBefore);
    if (!first.mergeFollowing(r)) return undefined;
    if (r.askedWith !== undefined) first.askedAlso(r.askedWith);
    return followedBy(before, r.stats, linesBefore, moreTables, { table: from.tables ?? 0, rows: prevEnd.rows });
  };
  let moreTables = (boundary.tables ?? 0) - (seed.tables ?? 0);
  const total = follow(next, stats, boundary.lineNo, boundary, seed, moreTables);
  if (total === undefined) return whole();
  // (this thread's filters counted its own range as they were asked; a file scanned whole after all has those
  // counts put back first: scanSnapshot)
  if (next.usage !== undefined) filters?.add(next.usage);
  if (tail === undefined) return first.result(total);
  // the tail, as the worker's range was checked: started in the state that range ended in, with no relative line
  const end = next.end;
  if (end === undefined) return whole();
  let tailSeed = seed;
  if (!sameSeed(end, seed)) {
    // the worker's range changed the parser's state (a table of other columns): the tail is parsed again, from
    // the state it ended in, and what the first parse of it counted of the filters is taken back
    await tail.drop();
    if (countedBeforeTail !== undefined) {
      filters!.set(countedBeforeTail);
      if (next.usage !== undefined) filters!.add(next.usage);
    }
    tailSeed = end;
    tail = scanTail(input, opts, tailTask(end));
  }
  tail.listed(first.startEvaluator().listed());
  let last: RangeResult;
  try {
    last = await tail.result;
  } catch (e) {
    if (e instanceof RangeOutOfMemory) {
      throw ruleStateOutOfMemory(input.label, { ...e.at, line: fileLine(e.at.line, total.lines), sockets: total.sockets + e.at.sockets });
    }
    return undefined; // (a read error: the whole scan reports it)
  }
  moreTables += (end.tables ?? 0) - (tailSeed.tables ?? 0);
  const all = follow(last, total, total.lines, end, tailSeed, moreTables, true);
  return all === undefined ? undefined : first.result(all);
}

/** The tail of a split file's second range, parsed on this thread when its own range is (scanSplit, giveTail). */
interface Tail {
  /** Resolves when its bytes are parsed (or it failed); its findings are made once `listed` is called. */
  parsed: Promise<void>;
  result: Promise<RangeResult>;
  /** What the ranges before it list, the second one merged (SnapshotEvaluator.followOn). */
  listed(before: FindingsListed): void;
  /** Stops it (the file is scanned whole after all) and waits for its end. */
  drop(): Promise<void>;
}

/** Lists nothing: followOn ignores it (its rules are not the evaluator's). */
const NOTHING_LISTED: FindingsListed = { ruleIds: [], counts: [], suppressed: [] };

/**
 * Starts scanning `task` (the tail of the worker's range) on this thread, with a collector made as the first
 * range's is (`opts`: its waivers and baseline asked as found count here, as the first range's do).
 */
function scanTail(input: ScanInput, opts: CollectorOptions, task: RangeTask): Tail {
  let listed: (before: FindingsListed) => void = () => undefined;
  const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
  let parsed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => { parsed = resolve; });
  const c = collectorOf(input, opts, task.identity);
  const result = scanRangeWith(c, task, before, parsed).then((r) => ({ ...r, askedWith: c.askedWithList() }));
  result.catch(() => undefined); // (read when the second range is merged, or dropped)
  return {
    parsed: done,
    result,
    listed,
    async drop() {
      task.range.end = task.range.start; // source.ts reads no further chunk
      listed(NOTHING_LISTED);
      await result.catch(() => undefined);
    },
  };
}

/**
 * The table a byte range starts in: the number its parser gave it (its seed's `tables`), and the rows of it the
 * range before had read when fewer than REMEMBERED_ROWS (that range's checkpoint: ParserSeed.rows).
 */
interface ContinuedTable {
  table: number;
  rows?: number;
}

/**
 * The stats of a whole file's parse up to the end of a byte range that follows `a` (its lines and tables counted
 * in the file) and whose stats are `b`: it starts after `linesBefore` lines, in the table `continued` says, and
 * `moreTables` table headers were read before it that its parser's seed did not count.
 */
function followedBy(a: ParseStats, b: RangeResult['stats'], linesBefore: number, moreTables: number, continued: ContinuedTable): ParseStats | undefined {
  const compared = repeatedAcross(a, b, linesBefore, moreTables, continued);
  if (compared === undefined) return undefined;
  return {
    lines: a.lines + b.lines,
    sockets: a.sockets + b.sockets,
    unparsed: a.unparsed + b.unparsed,
    lineNotes: a.lineNotes + b.lineNotes,
    fields: new Set([...a.fields, ...b.fields]),
    headerFields: b.headerFields, // the file's last header: a range starts with the one before it
    undecided: addCounts(a.undecided, b.undecided),
    unknownPorts: addCounts(a.unknownPorts, b.unknownPorts),
    unknownPortNames: addCounts(a.unknownPortNames, b.unknownPortNames),
    captures: [...a.captures, ...b.captures.map((l) => fileLine(l, linesBefore))].slice(0, 2),
    ...(a.netstat !== undefined ? { netstat: a.netstat } : b.netstat !== undefined ? { netstat: fileLine(b.netstat, linesBefore) } : {}),
    ...(a.events !== undefined ? { events: a.events } : b.events !== undefined ? { events: fileLine(b.events, linesBefore) } : {}),
    ...unshownOf(a, b),
    ...(a.lateDecision !== undefined ? { lateDecision: a.lateDecision } : b.lateDecision !== undefined ? { lateDecision: { ...b.lateDecision, line: fileLine(b.lateDecision.line, linesBefore) } } : {}),
    ...compared,
    meta: a.meta,
    kinds: addCounts(a.kinds, b.kinds),
  };
}

/** ParseStats.unshown of two ranges: a group one of them asked for that neither showed. */
function unshownOf(a: ParseStats, b: RangeResult['stats']): Pick<ParseStats, 'unshown'> {
  const unshown = [...new Set([...a.unshown ?? [], ...b.unshown ?? []])].filter((g) => !a.fields.has(g) && !b.fields.includes(g));
  return unshown.length > 0 ? { unshown } : {};
}

/**
 * ParseStats.repeated of a file up to the end of a byte range that follows `first`: the first range's own, else the
 * first of the following range's rows (of the tables it read; its lines follow `linesBefore`, its tables are
 * numbered `moreTables` too low: the headers read before it after the head its seed was taken from) that repeats a
 * row of an earlier table — its first rows too, of the table it starts in (ParseStats.startRows), as many as `continued`
 * leaves. With the rows compared so far (firstRows, numbered in the file), for a range after it; or where comparing
 * stopped, as the whole file's parse stops (ParseStats.firstRowsFull). Undefined when the ranges cannot tell what
 * that parse would: the second range stopped comparing at a row the file's parse compares, in its own table (the
 * same socket twice in a table cut by the range's start) — the file is scanned whole.
 */
function repeatedAcross(first: ParseStats, second: Pick<ParseStats, 'repeated' | 'firstRows' | 'firstRowsFull' | 'startRows'>, linesBefore: number, moreTables: number, continued: ContinuedTable): Pick<ParseStats, 'repeated' | 'firstRows' | 'firstRowsFull'> | undefined {
  if (first.repeated !== undefined) return { repeated: first.repeated };
  if (first.firstRowsFull !== undefined) return { firstRowsFull: first.firstRowsFull };
  const known = new Map<string, { table: number; line: number }>();
  for (const [key, table, line] of first.firstRows ?? []) if (!known.has(key)) known.set(key, { table, line });
  let found: ParseStats['repeated'];
  let full: ParseStats['firstRowsFull'];
  // the rows of the table it starts in that the file's parse compares too (that table began fewer than
  // REMEMBERED_ROWS rows before the range), then those of the tables it read, then the one it stopped at
  const left = REMEMBERED_ROWS - (continued.rows ?? REMEMBERED_ROWS);
  const started = (second.startRows ?? []).slice(0, left).map(([key, line]): [string, number, number] => [key, continued.table, line]);
  const rows = [...started, ...second.firstRows ?? [], ...second.firstRowsFull ? [second.firstRowsFull] : []];
  for (const [key, t, l] of rows) {
    const table = t + moreTables;
    const line = fileLine(l, linesBefore);
    const k = known.get(key);
    if (k !== undefined) {
      if (k.table === table) continue;
      found = { line, first: k.line };
      break;
    }
    // (a new socket when the rows compared are REMEMBERED_MAX: comparing stops there, as in the file's parse)
    if (known.size >= REMEMBERED_MAX) {
      full = [key, table, line];
      break;
    }
    known.set(key, { table, line });
  }
  // the second range's own, between its tables, may come first (it stopped comparing there); not one after the row
  // the file's parse stopped at
  const own = second.repeated && { line: fileLine(second.repeated.line, linesBefore), first: fileLine(second.repeated.first, linesBefore) };
  const repeated = own !== undefined && own.line < (found?.line ?? full?.[2] ?? Infinity) ? own : found;
  if (repeated !== undefined) return { repeated };
  if (full !== undefined) return { firstRowsFull: full };
  if (second.firstRowsFull !== undefined) return undefined;
  return known.size > 0 ? { firstRows: [...known].map(([key, { table, line }]) => [key, table, line]) } : {};
}

/**
 * What a failed scan of one snapshot returns: its own problem (unreadable, binary, ...) as its result, so the
 * other snapshots are still scanned; anything else — running out of memory ends the whole scan — is thrown on.
 */
function snapshotProblem(e: unknown): Diagnostic {
  if (e instanceof UserError && !(e instanceof OutOfMemoryError)) return e.diagnostics[0];
  throw e;
}

/** Why no rule is evaluated on a snapshot that is an `ss -s` summary alone. */
const SUMMARY_ONLY = 'needs a list of sockets, which an ss -s summary (counts only) is not: capture with ss -tuanp, or socklint capture';

/** Counters of both ranges added key by key (a key only one of them has keeps its count). */
function addCounts<T extends object>(a: T, b: T): T {
  const out: Record<string, number> = { ...(a as Record<string, number>) };
  for (const [k, n] of Object.entries(b as Record<string, number>)) out[k] = (out[k] ?? 0) + n;
  return out as T;
}

function lowerKeys(meta: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) out[k.toLowerCase()] = v;
  return out;
}

/** The collector of a whole snapshot, or of its first byte range. */
/** `follows`: the identity of the byte range before (SnapshotCollector). */
function collectorOf(input: ScanInput, opts: CollectorOptions, follows?: SnapshotIdentity): SnapshotCollector {
  return new SnapshotCollector(input.label, { ...opts, flags: input.flags }, follows);
}

async function scanWhole(input: ScanInput, opts: CollectorOptions): Promise<SnapshotResult | Diagnostic> {
  const c = collectorOf(input, opts);
  let stats;
  try {
    stats = await parseSnapshotFile(input.path, c.sink(), { file: input.label, flags: input.flags, ...(input.stream ? { input: input.stream } : {}) });
  } catch (e) {
    return snapshotProblem(e);
  }
  return c.result(stats);
}

export async function runScan(opts: ScanOptions): Promise<ScanOutcome> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const t0 = process.hrtime.bigint();
  const snapshots: SnapshotReport[] = [];
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const omitted: Omitted[] = [];
  const snapshotErrors: Diagnostic[] = [...(opts.notFound ?? [])];

  const filters = opts.filters ?? [];
  const asked = suppressorOf(filters);
  const suppress = asked?.suppress;
  // Findings are capped per rule and snapshot as they are found. Waivers and baseline are asked of each finding
  // before the cap, which then counts each kind apart (suppressed or not: those that will be waived do not crowd
  // out those that fail), when each says which field groups it reads of the snapshot (fieldsRead) and worker
  // threads can make the same ones (filtersFrom; they hand back what they counted). A `where:` reading a group is
  // asked with the groups known so far (the capture's flags, the rows before): a snapshot that turns out to have
  // other ones is scanned again (scanSnapshot's recheck) — rarely: where a `-p` capture's findings come before
  // any row shows a process. Otherwise they are asked after the scan, and a snapshot where a
  // rule whose cap was reached may be waived is scanned again, on this thread, asking them as it finds with the
  // field groups the first scan found; one that cannot be read twice (stdin, a live capture) is asked as it is
  // read, with the groups known so far.
  const inStream = asked !== undefined && opts.filtersFrom !== undefined && filters.every((f) => f.fieldsRead !== undefined);
  const scanOpts: ScanOptions & WithSuppressor = {
    ...opts, ...(asked ? { asked } : {}), ...(inStream ? { inStream: inStreamFilters(filters, opts.filtersFrom!) } : {}),
  };
  const jobs = Math.min(opts.jobs ?? 1, opts.inputs.length);
  const results = jobs > 1 && opts.ruleSetup && (await worthWorkers(opts.inputs))
    ? await scanInWorkers(opts.inputs, jobs, { ...scanOpts, ruleSetup: opts.ruleSetup })
    : await scanInThread(scanOpts);
  const decided = new Set<number>(); // results whose findings were asked as they were found
  if (asked !== undefined) {
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if ('code' in r) continue;
      if (inStream || readOnce(opts.inputs[i])) decided.add(i);
      else if (r.omitted.some((o) => asked.mayApply(o.ruleId, o.host))) {
        // the same file: the field groups of its first scan are its own
        const fields = r.fields;
        results[i] = await scanSnapshot(opts.inputs[i], { rules: opts.rules, host: opts.host, labels: opts.labels, suppress: (f) => asked.suppress(f, fields), mayApply: asked.mayApply });
        decided.add(i);
      }
    }
  }
  results.forEach((r, i) => {
    if ('code' in r) { snapshotErrors.push(r); return; }
    snapshots.push(r.snapshot);
    if (suppress !== undefined && !decided.has(i)) {
      for (const f of r.findings) {
        const s = suppress(f, r.fields);
        if (s) f.suppressed = s;
      }
    }
    // one at a time: a snapshot's findings (--max-findings raised) may be more than a call takes arguments
    for (const f of r.findings) findings.push(f);
    for (const n of r.notEvaluated) notEvaluated.push(n);
    for (const n of unfailed(r)) notEvaluated.push(n);
    for (const o of r.omitted) omitted.push(o);
  });
  const waivers = filters.flatMap((f) => f.report(snapshots, notEvaluated));
  const waiversInForce = filters.flatMap((f) => f.inForce?.(snapshots) ?? []);
  const hostEntries = opts.rules.hostEntries?.(snapshots) ?? [];
  const report: ScanReport = {
    tool: { name: 'socklint', version: opts.version, informationUri: 'https://github.com/socklint/socklint' },
    startedAt: started.toISOString(),
    durationMs: Number((process.hrtime.bigint() - t0) / 1000000n),
    rules: opts.rules.allRules(),
    snapshots,
    findings,
    notEvaluated,
    omitted,
    waivers,
    ...(waiversInForce.length > 0 ? { waiversInForce } : {}),
    ...(hostEntries.length > 0 ? { hostEntries } : {}),
    snapshotErrors,
    summary: summarize(snapshots, findings, notEvaluated, omitted, snapshotErrors),
  };
  return { report, snapshotErrors };
}

/** Whether several snapshots hold enough text for worker threads to pay for their start (threads.ts). */
async function worthWorkers(inputs: readonly ScanInput[]): Promise<boolean> {
  const { inputBytes, parallelMinBytes } = await import('./threads');
  return inputBytes(inputs) >= parallelMinBytes();
}

/**
 * Keeps the result of one snapshot of several, its findings' repeated texts shared (shareStrings); stops the
 * scan (checkFindingsMemory) when the findings kept so far leave the reports too little memory.
 */
function keeper(): (input: ScanInput, r: SnapshotResult | Diagnostic) => SnapshotResult | Diagnostic {
  let snapshots = 0;
  let findings = 0;
  const pool = new Map<string, string>();
  return (input, r) => {
    snapshots++;
    if ('findings' in r) {
      shareStrings(r.findings, pool);
      findings += r.findings.length;
    }
    checkFindingsMemory(input.label, snapshots, findings);
    return r;
  };
}

/** How runScan asks its filters: as one (asked), and whether as findings are found on every thread (inStream). */
interface WithSuppressor {
  asked?: Suppressor;
  inStream?: InStreamFilters;
}

/**
 * What a scan of `input` asks as it finds (runScan): its filters, when all are asked so or it is read only once;
 * a file asked with field groups it turns out not to have is scanned again (scanSnapshot's recheck).
 */
function askedWhileFound(input: ScanInput, opts: WithSuppressor): AskedAsFound {
  if (opts.asked === undefined) return {};
  if (readOnce(input)) return { suppress: opts.asked.suppress, mayApply: opts.asked.mayApply, ...(opts.inStream ? { filters: opts.inStream } : {}) };
  return opts.inStream === undefined ? {} : askedOfFile(opts.asked, opts.inStream);
}

type AskedAsFound = Pick<SnapshotScanOptions, 'suppress' | 'mayApply' | 'fieldsRead' | 'filters'>;

/**
 * How a file's scan asks `asked` as it finds (on any thread): `stream`'s counts put back when it is not scanned,
 * or when it is rechecked because they read field groups (SnapshotScanOptions.filters).
 */
export function askedOfFile(asked: Suppressor, stream: InStreamFilters): AskedAsFound {
  const base = { suppress: asked.suppress, mayApply: asked.mayApply, filters: stream };
  return stream.fieldsRead.length > 0 ? { ...base, fieldsRead: stream.fieldsRead } : base;
}

async function scanInThread(opts: ScanOptions & WithSuppressor): Promise<(SnapshotResult | Diagnostic)[]> {
  const results: (SnapshotResult | Diagnostic)[] = [];
  // One file and a second core: split the file itself (see split.ts).
  const split = opts.ruleSetup && (opts.jobs ?? 1) > 1 && opts.inputs.length === 1 && (await import('./threads')).usableCores() > 1
    ? { setup: opts.ruleSetup, minBytes: opts.splitMinBytes, whileWaiting: opts.whileWaiting, ...(opts.inStream ? { filters: opts.inStream } : {}) }
    : undefined;
  // one snapshot's findings are capped per rule: only several snapshots' can outgrow the heap
  const keep = opts.inputs.length > 1 ? keeper() : (_: ScanInput, r: SnapshotResult | Diagnostic) => r;
  for (const input of opts.inputs) {
    results.push(keep(input, await scanSnapshot(input, { rules: opts.rules, host: opts.host, labels: opts.labels, split, ...askedWhileFound(input, opts) })));
  }
  return results;
}

export interface WorkerTask {
  setup: RuleSetup;
  host?: string;
  labels?: Record<string, string>;
  /** Several snapshots: ask the scan's filters as findings are found (runScan), and hand back what they counted. */
  suppress?: FiltersFrom;
  /** Several snapshots: the queue the worker takes files from as soon as its rule set is built. */
  queue?: QueueTask;
}

/**
 * The files of a scan on several threads (sent to each worker once) and the counter, in memory the threads
 * share, from which each takes the index of its next file.
 */
export interface QueueTask {
  queue: ScanInput[];
  claim: SharedArrayBuffer;
  /** One worker's own (Int32): 1 + the index of the file it scans (0: none yet), read if V8 stops it (scanInWorkers). */
  current?: SharedArrayBuffer;
}

/** The next file of `task` for this thread: its index, or undefined when every file is taken. */
export function claimNext(task: { queue: readonly unknown[]; claim: Int32Array }): number | undefined {
  const i = Atomics.add(task.claim, 0, 1);
  return i < task.queue.length ? i : undefined;
}

/**
 * Scans snapshots on `jobs` threads — this one and `jobs - 1` workers — each taking the next file as it
 * finishes one; results keep the order of the inputs. A worker rebuilds the rule set from the same packs and
 * config (already validated here). This thread scans too (it would otherwise only wait): one worker fewer to
 * boot and fewer results to copy between threads.
 *
 * The threads take files from a counter in shared memory, not from messages: this thread reads a file
 * without a break (source.ts gives other events a turn only every megabyte), so a worker fed by messages
 * waited for this thread's turn after each of its files — on 100 × 10k snapshots the worker sat idle ~23 %
 * of its time and two threads were hardly faster than one. The queue is in the worker's workerData, so it
 * starts on it once booted: sent in answer to its "ready" message, it waited for this thread's first turn —
 * which small files never gave (1,000 snapshots of 45 sockets: the worker idle 87 % of the scan, -j 2 no
 * faster than -j 1). This thread gives the event loop a turn after each of its files, so the workers'
 * results are taken (and their findings counted against the heap) as they come. Stdin (`-`) is always this
 * thread's; after each snapshot the findings kept so far are checked against the heap (memory.ts).
 */
async function scanInWorkers(inputs: ScanInput[], jobs: number, opts: ScanOptions & WithSuppressor & { ruleSetup: RuleSetup }): Promise<(SnapshotResult | Diagnostic)[]> {
  const { startScanWorker } = await import('./threads');
  const results = new Array<SnapshotResult | Diagnostic>(inputs.length);
  // stdin (`-`) is this thread's to read: a worker's process.stdin is not the process's (it reads as empty)
  const own: number[] = [];
  const queued: number[] = [];
  inputs.forEach((input, i) => (input.path === '-' ? own : queued).push(i));
  const shared: QueueTask = { queue: queued.map((i) => inputs[i]), claim: new SharedArrayBuffer(4) };
  const claim = new Int32Array(shared.claim);
  // (a worker loads the baseline file it is named: only where it asks it as it finds)
  const setup: RuleSetup = opts.inStream ? opts.ruleSetup : { ...opts.ruleSetup, baseline: undefined };
  const task: WorkerTask = { setup, host: opts.host, labels: opts.labels, queue: shared, ...(opts.inStream ? { suppress: opts.inStream.from } : {}) };
  const stop = () => Atomics.store(claim, 0, shared.queue.length);
  const workers: { terminate(): Promise<number> }[] = [];
  const keep = keeper();
  const runWorker = () => new Promise<void>((resolve, reject) => {
    // the file it scans, for when V8 stops it at its heap limit (its `error` event says no more)
    const current = new Int32Array(new SharedArrayBuffer(4));
    const worker = startScanWorker({ ...task, queue: { ...shared, current: current.buffer as SharedArrayBuffer } });
    workers.push(worker);
    worker.on('message', (msg: { index?: number; result?: SnapshotResult | Diagnostic; error?: string; outOfMemory?: Diagnostic; done?: true; usage?: unknown[] }) => {
      if (msg.outOfMemory !== undefined) { void worker.terminate(); reject(new OutOfMemoryError(msg.outOfMemory)); return; }
      if (msg.error !== undefined) { void worker.terminate(); reject(new Error(`${shared.queue[msg.index!].label}: ${msg.error}`)); return; }
      if (msg.done) {
        if (msg.usage !== undefined) opts.inStream?.add(msg.usage);
        void worker.terminate().then(() => resolve());
        return;
      }
      try {
        results[queued[msg.index!]] = keep(shared.queue[msg.index!], msg.result!);
      } catch (e) {
        void worker.terminate();
        reject(e);
      }
    });
    worker.on('error', (e) => {
      const i = Atomics.load(current, 0) - 1;
      reject(i >= 0 && isWorkerOutOfMemory(e) ? workerOutOfMemory(shared.queue[i].label) : e);
    });
  });
  const here = async (): Promise<void> => {
    // between this thread's reads, the workers' results are received
    // its own inputs (stdin), then what it takes from the queue
    const mine = function* (): Generator<number> {
      yield* own;
      const q = { queue: shared.queue, claim };
      for (let k = claimNext(q); k !== undefined; k = claimNext(q)) yield queued[k];
    };
    for (const i of mine()) {
      results[i] = keep(inputs[i], await scanSnapshot(inputs[i], { rules: opts.rules, host: opts.host, labels: opts.labels, ...askedWhileFound(inputs[i], opts) }));
      await new Promise<void>((resolve) => setImmediate(resolve)); // the event loop's turn
    }
    opts.whileWaiting?.();
  };
  try {
    await Promise.all([here(), ...Array.from({ length: jobs - 1 }, runWorker)]);
  } catch (e) {
    stop(); // this thread and the workers stop after their current file
    for (const w of workers) void w.terminate();
    throw e;
  }
  return results;
}

/**
 * Makes findings share one copy of each repeated text (rule id, level, host, file, netid, state, how the netid
 * was told, process names, cgroup): a fleet keeps every finding until its reports, a copy between threads gives
 * each finding its own texts, and a text the parser cut out of a line keeps the whole line (a cgroup: ~170
 * bytes). 100 × 10k `-tanp`, `-j 2`: ~880 → ~770 bytes a finding; 12 × 10k `-tanpmioe`: ~1,650 → ~1,500.
 */
export function shareStrings(findings: readonly Finding[], pool: Map<string, string>): void {
  const one = (text: string): string => {
    const known = pool.get(text);
    if (known !== undefined) return known;
    pool.set(text, text);
    return text;
  };
  for (const f of findings) {
    f.ruleId = one(f.ruleId);
    f.level = one(f.level) as Finding['level'];
    f.host = one(f.host);
    f.location.file = one(f.location.file);
    const s = f.socket;
    if (s === undefined) continue;
    if (s.location !== f.location) s.location.file = one(s.location.file);
    s.netid = one(s.netid);
    if (s.state !== undefined) s.state = one(s.state);
    if (s.netidInferred !== undefined) s.netidInferred = one(s.netidInferred);
    if (s.processes !== undefined) for (const p of s.processes) p.name = one(p.name);
    if (s.cgroup !== undefined) s.cgroup = one(s.cgroup);
  }
}

export function summarize(snapshots: SnapshotReport[], findings: Finding[], notEvaluated: NotEvaluated[], omitted: Omitted[], snapshotErrors: readonly Diagnostic[]): ScanReport['summary'] {
  const byLevel = { error: 0, warning: 0, note: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else byLevel[f.level]++;
  }
  return {
    findings: findings.length - suppressed,
    suppressed,
    byLevel,
    notEvaluated: notEvaluated.length,
    omitted: omitted.reduce((n, o) => n + o.count, 0),
    ...(omitted.some((o) => o.suppressed) ? { omittedSuppressed: omitted.reduce((n, o) => n + suppressedCount(o), 0) } : {}),
    sockets: snapshots.reduce((n, s) => n + s.sockets, 0),
    unparsed: snapshots.reduce((n, s) => n + s.unparsed, 0),
    snapshots: snapshots.length,
    snapshotErrors: snapshotErrors.length,
  };
}
