/**
 * `socklint scan`: snapshots (or this host, live) → findings → every requested report, then the exit code:
 * 3 when a snapshot could not be read or held no socket (ss's header alone is a host without sockets, not
 * that), else 1 when an unsuppressed finding is at or above --fail-on, else 0. Reports are written in every
 * case, so a failing CI run still uploads them.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { ExitCode, UserError } from '../../diagnostics';
import { fileInputs, runScan, type FindingFilter, type ScanInput } from '../../engine/scan';
import { BaselineFilter, loadBaseline } from '../../engine/baseline';
import type { Level, ScanReport } from '../../engine/types';
import { formatNames, formatChunks, formatters, writeFileAtomic, checkRedactFields, type FormatContext } from '../../report';
import { prepareReport } from '../../report/redact';
import { collectBeforeReport, pieceCollector } from '../../engine/memory';
import { parseFormatSpecs } from '../formats';
import { writeStdout } from '../stdout';
import { socklintVersion } from '../../version';
import type { LiveSnapshot } from '../../snapshot/capture';
import { loadRulesAndConfig, parseLabelArgs, printDiagnostics } from './shared';
import { snapshotFiles } from '../snapshots';

export interface ScanArgs {
  snapshots: string[];
  rules: string[];
  defaultRules: boolean;
  config?: string;
  formats?: string[];
  failOn: 'error' | 'warning' | 'note' | 'none';
  baseline?: string;
  host?: string;
  labels: string[];
  /** --ss-flags: the capture flags of snapshot files that do not record them. */
  ssFlags?: string;
  redact?: string[];
  maxFindings?: number;
  sarifCategory?: string;
  saveSnapshot?: string;
  netns?: string;
  proc: boolean;
  color?: boolean;
  jobs?: number;
}

const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

export function failingCount(report: ScanReport, failOn: ScanArgs['failOn']): number {
  if (failOn === 'none') return 0;
  const min = LEVEL_RANK[failOn];
  return report.findings.filter((f) => !f.suppressed && LEVEL_RANK[f.level] >= min).length;
}

/**
 * TurboFan's budget of bytecode inlined into one optimized function (V8's default 920). A scan's hot functions
 * (the parser's row readers, the evaluator, the rule predicates) are compiled again in every thread, and the
 * compiler's own threads took ~20 % of a scan's CPU time (perf: 1M `-tanp` rows, two threads) on the two cores
 * that parse. Inlining less makes smaller graphs, compiled sooner, and the code was no slower: wall time, median
 * of per-round ratios of interleaved runs (21 rounds on 1M `-tanp`, 11 on the others), against the default:
 * 1M `-tanp` 0.95, 100k `-tanp` 0.91, 250k `-tanpmioe` 0.95, 100 × 10k snapshots `-j 2` 0.95 (budget 300:
 * 0.96, 1.00, 0.96; 60: 0.99 on the last). Set when a scan starts, before its hot functions are compiled, and
 * for the process: V8's flags are shared by the worker threads. Not for `parse`, whose full parse of every
 * field was 0–3 % slower with it.
 */
const INLINING_BUDGET = 150;

function smallerInlining(): void {
  v8.setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`);
}

export async function scanCommand(a: ScanArgs): Promise<number> {
  smallerInlining();
  const outputs = parseFormatSpecs(a.formats, formatNames);
  const redactFields = a.redact === undefined ? undefined : a.redact.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  if (redactFields && redactFields.length > 0) checkRedactFields(redactFields);
  const labels = parseLabelArgs(a.labels);
  const { rules, waivers } = loadRulesAndConfig(a);
  const filters: FindingFilter[] = [...waivers];
  if (a.baseline) filters.push(new BaselineFilter(a.baseline, loadBaseline(a.baseline)));

  let inputs: ScanInput[];
  const notices: string[] = [];
  let live: LiveScan | undefined;
  if (a.snapshots.length === 0) {
    if (a.ssFlags) {
      throw new UserError({ file: '', code: 'usage', message: '--ss-flags applies to snapshot files only: a live scan records the flags it captures with', hint: 'name the SNAPSHOT files it is for, or drop it' }, ExitCode.usage);
    }
    const sarif = outputs.find((o) => o.kind === 'sarif');
    live = await startLiveCapture(a, labels, sarif ? (sarif.path ?? 'stdout.sarif') : undefined);
    inputs = [live.input];
  } else {
    if (a.netns || a.saveSnapshot || a.proc) {
      throw new UserError({ file: '', code: 'usage', message: '--netns, --proc and --save-snapshot apply to live scans only', hint: 'drop the SNAPSHOT arguments to scan this host' }, ExitCode.usage);
    }
    inputs = fileInputs(snapshotFiles(a.snapshots), a.ssFlags);
  }

  let outcome;
  try {
    outcome = await runScan({
      inputs,
      rules,
      jobs: a.jobs ?? (await import('../../engine/threads')).usableCores(),
      ruleSetup: { rules: a.rules, defaultRules: a.defaultRules, config: a.config, maxFindingsPerRule: a.maxFindings },
      filters,
      host: a.host,
      labels,
      version: socklintVersion(),
      // while worker threads scan, load the formatters (SARIF and JUnit builders take tens of milliseconds)
      whileWaiting: () => { for (const out of outputs) void formatters[out.kind]; },
    });
  } catch (e) {
    await live?.capture.then((c) => c.dispose(), () => undefined); // the scan stopped (out of memory)
    throw e;
  }
  if (live) notices.push(...await finishLiveCapture(live));
  const { report, snapshotErrors } = outcome;
  for (const n of notices) process.stderr.write(`socklint: ${n}\n`);
  printDiagnostics(snapshotErrors);

  const color = a.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  // The salt keeps redaction tags of small spaces (IPv4 addresses) from being reversed by brute force.
  const salt = process.env.SOCKLINT_REDACT_SALT;
  const ctx: FormatContext = {
    cwd: process.cwd(),
    color,
    ...(redactFields ? { redact: { fields: redactFields, ...(salt ? { salt } : {}) } } : {}),
    ...(a.sarifCategory ? { sarifCategory: a.sarifCategory } : {}),
  };
  const prepared = prepareReport(report, ctx.redact);
  const code = snapshotErrors.length > 0 ? ExitCode.snapshot : failingCount(report, a.failOn) > 0 ? ExitCode.findings : ExitCode.ok;
  // Reports are written as they are produced (a large JSON report never exists as one string). Files first,
  // and the exit code set, before stdout: a reader that stops early (`| head`) ends the process (cli/main.ts),
  // and by then every file is written and the exit code is the scan's.
  process.exitCode = code;
  for (const out of outputs) {
    if (out.path === undefined) continue;
    collectBeforeReport(prepared.findings.length);
    if (out.kind === 'sarif') writeSarifFiles(out.path, prepared, ctx);
    else writeFileAtomic(out.path, formatChunks(out.kind, prepared, { ...ctx, color: false }));
  }
  const toStdout = outputs.find((out) => out.path === undefined);
  if (toStdout) {
    collectBeforeReport(prepared.findings.length);
    await writeStdout(formatChunks(toStdout.kind, prepared, ctx));
  }
  return code;
}

/**
 * GitHub rejects a SARIF file with more than 20 runs (one per host): past that, the report is written as
 * out.sarif, out.2.sarif, ... (upload-sarif takes the folder) and the user is told.
 */
function writeSarifFiles(file: string, report: ScanReport, ctx: FormatContext): void {
  const { splitByHosts, SARIF_MAX_RUNS_PER_FILE } = require('../../report/sarif') as typeof import('../../report/sarif');
  const parts = splitByHosts(report);
  const ext = path.extname(file);
  const stem = ext ? file.slice(0, -ext.length) : file;
  const names = parts.map((_, i) => (i === 0 ? file : `${stem}.${i + 1}${ext}`));
  const collect = pieceCollector(report.findings.length);
  parts.forEach((part, i) => {
    collect(); // each file's log is built whole: the garbage of the ones before may be collected first
    writeFileAtomic(names[i], formatChunks('sarif', part, { ...ctx, color: false }));
  });
  if (parts.length > 1) {
    process.stderr.write(`socklint: ${report.snapshots.length} hosts are more than GitHub's ${SARIF_MAX_RUNS_PER_FILE} runs per SARIF file: wrote ${names.join(', ')} (upload each, or their folder)\n`);
  }
}

interface LiveScan {
  input: ScanInput;
  /** The capture's end: its notices, and the file to remove after the scan. */
  capture: Promise<LiveSnapshot>;
}

/**
 * Live scan: capture this host (ss, or /proc when ss is missing) into a snapshot file, and scan the file as
 * ss writes it — ss on one core, the parse on another. The file is the evidence SARIF locations point at:
 * kept at --save-snapshot, or next to the SARIF report when one is written; otherwise a temporary file
 * removed after the scan.
 */
async function startLiveCapture(a: ScanArgs, labels: Record<string, string>, sarifPath: string | undefined): Promise<LiveScan> {
  const { CaptureFollower, liveSnapshot, liveSnapshotLabel } = await import('../../snapshot/capture');
  let saveTo = a.saveSnapshot;
  if (!saveTo && sarifPath) {
    const host = (a.host ?? os.hostname()).replace(/[^A-Za-z0-9._-]/g, '_');
    saveTo = path.join(path.dirname(sarifPath), `socklint-${host}.ss`);
  }
  const follow = new CaptureFollower();
  const capture = liveSnapshot({ saveTo, netns: a.netns, host: a.host, labels, useProc: a.proc, follow });
  capture.catch(() => undefined); // awaited after the scan; a failure meanwhile ends the parse with its error
  const label = liveSnapshotLabel({ saveTo, host: a.host });
  return { input: { path: saveTo ?? label, label, stream: follow.chunks() }, capture };
}

/**
 * After the scan: the capture's notices, its temporary file removed. A capture that failed (ss exited
 * non-zero) fails the scan — exit 3, no report — as it did when the capture came first.
 */
async function finishLiveCapture(live: LiveScan): Promise<string[]> {
  const captured = await live.capture;
  await captured.dispose();
  return captured.notices;
}
