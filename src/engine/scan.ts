/**
 * Runs a scan: every snapshot is streamed through the parser into a SnapshotEvaluator with the rule set
 * that applies to its host, then waivers and the baseline mark what is accepted. Produces the ScanReport
 * every formatter reads. Snapshot problems are collected (exit 3), not thrown, so other snapshots still scan.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics';
import { UserError } from '../diagnostics';
import type { FieldGroup, SocketRecord, SsSummary, UnparsedLine } from '../snapshot/types';
import { parseSnapshotFile } from '../snapshot/source';
import type { CompiledRule } from '../rules/types';
import type { Finding, NotEvaluated, Omitted, RuleMeta, ScanReport, SnapshotReport, Suppression, WaiverReport } from './types';
import { SnapshotEvaluator } from './evaluate';

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
}

/** Decides suppression of findings (waivers, baseline) and reports on itself afterwards. */
export interface FindingFilter {
  suppress(f: Finding): Suppression | undefined;
  report(): WaiverReport[];
}

/** A snapshot to read: where it is, and how reports name it (`live:web-01` for a temporary live capture). */
export interface ScanInput {
  path: string;
  label: string;
}

export function fileInputs(paths: string[]): ScanInput[] {
  return paths.map((p) => ({ path: p, label: p }));
}

/** How a worker thread rebuilds the rule set (compiled predicates cannot cross threads; their sources can). */
export interface RuleSetup {
  rules: string[];
  defaultRules: boolean;
  config?: string;
  maxFindingsPerRule?: number;
}

export interface ScanOptions {
  inputs: ScanInput[];
  rules: RuleSelector;
  /** Scan several snapshots on this many worker threads (needs `ruleSetup`); 1 = in this thread. */
  jobs?: number;
  ruleSetup?: RuleSetup;
  filters?: FindingFilter[];
  /** --host: overrides the host name of every snapshot (else capture metadata, else the file name). */
  host?: string;
  /** --label k=v: added to every snapshot's labels (capture metadata labels come first). */
  labels?: Record<string, string>;
  version: string;
  now?: () => Date;
}

export interface ScanOutcome {
  report: ScanReport;
  /** Snapshots that could not be read or held no parsable socket (exit code 3). */
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
}

/** Scans one snapshot; a snapshot that cannot be read or holds no socket comes back as a Diagnostic. */
export async function scanSnapshot(input: ScanInput, opts: Pick<ScanOptions, 'rules' | 'host' | 'labels'>): Promise<SnapshotResult | Diagnostic> {
  const file = input.label;
  const states: Record<string, number> = {};
  const unparsedLines: UnparsedLine[] = [];
  let summary: SsSummary | undefined;
  let evaluator: SnapshotEvaluator | undefined;
  let identity: SnapshotIdentity | undefined;
  const meta: Record<string, string> = {};

  const resolveIdentity = (): SnapshotIdentity => {
    if (!identity) {
      const host = opts.host ?? meta.host ?? hostFromFile(file);
      identity = { host, labels: { ...parseLabels(meta.labels), ...(opts.labels ?? {}) } };
    }
    return identity;
  };
  const startEvaluator = (): SnapshotEvaluator => {
    if (!evaluator) {
      const id = resolveIdentity();
      const chosen = opts.rules.rulesFor(id);
      evaluator = new SnapshotEvaluator(chosen.rules, { file, host: id.host, fields: new Set(), maxFindingsPerRule: chosen.maxFindingsPerRule });
    }
    return evaluator;
  };

  let stats;
  try {
    stats = await parseSnapshotFile(input.path, {
      socket(rec: SocketRecord) {
        const st = rec.state ?? 'unknown';
        states[st] = (states[st] ?? 0) + 1;
        startEvaluator().add(rec);
      },
      unparsed(u: UnparsedLine) {
        if (unparsedLines.length < MAX_UNPARSED_LISTED) unparsedLines.push(u);
      },
      summary(s: SsSummary) {
        summary = s;
      },
      meta(key: string, value: string) {
        // Capture metadata precedes the table: the host must be known before the first socket.
        if (!evaluator) meta[key.toLowerCase()] = value;
      },
    }, { file });
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics[0];
    throw e;
  }
  if (stats.sockets === 0 && !summary) {
    return {
      file,
      code: 'no-sockets',
      message: `holds no parsable socket (${stats.lines} lines, ${stats.unparsed} unparsed)`,
      hint: stats.unparsed > 0 && unparsedLines[0] ? `first unparsed line ${unparsedLines[0].line}: ${unparsedLines[0].reason}` : 'is this the output of ss?',
    };
  }
  Object.assign(meta, stats.meta, meta);
  const id = resolveIdentity();
  const result = startEvaluator().finish(stats.fields as Set<FieldGroup>);
  const snapshot: SnapshotReport = {
    file,
    host: id.host,
    ...(Object.keys(id.labels).length ? { labels: id.labels } : {}),
    ...(Object.keys(meta).length ? { meta } : {}),
    sockets: stats.sockets,
    lines: stats.lines,
    unparsed: stats.unparsed,
    unparsedLines,
    states,
    rulesEvaluated: result.evaluated,
    ...(summary ? { summary } : {}),
  };
  return { snapshot, findings: result.findings, notEvaluated: result.notEvaluated, omitted: result.omitted };
}

export async function runScan(opts: ScanOptions): Promise<ScanOutcome> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const t0 = process.hrtime.bigint();
  const snapshots: SnapshotReport[] = [];
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const omitted: Omitted[] = [];
  const snapshotErrors: Diagnostic[] = [];

  const jobs = Math.min(opts.jobs ?? 1, opts.inputs.length);
  const results = jobs > 1 && opts.ruleSetup
    ? await scanInWorkers(opts.inputs, jobs, { setup: opts.ruleSetup, host: opts.host, labels: opts.labels })
    : await scanInThread(opts);
  for (const r of results) {
    if ('code' in r) { snapshotErrors.push(r); continue; }
    snapshots.push(r.snapshot);
    findings.push(...r.findings);
    notEvaluated.push(...r.notEvaluated);
    omitted.push(...r.omitted);
  }

  for (const f of findings) {
    for (const filter of opts.filters ?? []) {
      const s = filter.suppress(f);
      if (s) { f.suppressed = s; break; }
    }
  }
  const waivers = (opts.filters ?? []).flatMap((f) => f.report());
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
    summary: summarize(snapshots, findings, notEvaluated, omitted),
  };
  return { report, snapshotErrors };
}

async function scanInThread(opts: ScanOptions): Promise<(SnapshotResult | Diagnostic)[]> {
  const results: (SnapshotResult | Diagnostic)[] = [];
  for (const input of opts.inputs) results.push(await scanSnapshot(input, opts));
  return results;
}

export interface WorkerTask {
  setup: RuleSetup;
  host?: string;
  labels?: Record<string, string>;
}

/**
 * Scans snapshots on `jobs` worker threads, each handed the next file as it finishes one; results keep the
 * order of the inputs. A worker rebuilds the rule set from the same packs and config (already validated here).
 */
async function scanInWorkers(inputs: ScanInput[], jobs: number, task: WorkerTask): Promise<(SnapshotResult | Diagnostic)[]> {
  const { Worker } = await import('node:worker_threads');
  const results = new Array<SnapshotResult | Diagnostic>(inputs.length);
  let next = 0;
  const runWorker = () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: task });
    let current = -1;
    const feed = () => {
      if (next >= inputs.length) { void worker.terminate().then(() => resolve()); return; }
      current = next++;
      worker.postMessage(inputs[current]);
    };
    worker.on('message', (msg: { result?: SnapshotResult | Diagnostic; error?: string }) => {
      if (msg.error !== undefined) { void worker.terminate(); reject(new Error(`${inputs[current].label}: ${msg.error}`)); return; }
      results[current] = msg.result!;
      feed();
    });
    worker.on('error', reject);
    worker.once('online', feed);
  });
  await Promise.all(Array.from({ length: jobs }, runWorker));
  return results;
}

export function summarize(snapshots: SnapshotReport[], findings: Finding[], notEvaluated: NotEvaluated[], omitted: Omitted[]): ScanReport['summary'] {
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
    sockets: snapshots.reduce((n, s) => n + s.sockets, 0),
    unparsed: snapshots.reduce((n, s) => n + s.unparsed, 0),
    snapshots: snapshots.length,
  };
}
