/**
 * `socklint scan`: snapshots (or this host, live) → findings → every requested report, then the exit code:
 * 3 when a snapshot could not be read or held no socket (ss's header alone is a host without sockets, not
 * that), else 1 when an unsuppressed finding is at or above --fail-on, else 0. Reports are written in every
 * case, so a failing CI run still uploads them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setV8Flag } from '../../compile-cache';
import { ExitCode, UserError, type Diagnostic } from '../../diagnostics';
import { fileInputs, runScan, summarize, type ScanInput, type ScanOutcome } from '../../engine/scan';
import { baselineFilter, scanFilters } from '../../engine/filters';
import { checkedConfig } from '../../engine/config';
import type { Level, ScanReport } from '../../engine/types';
import { formatNames, formatChunks, formatters, writeFileAtomic, checkRedactFields, type FormatContext } from '../../report';
import { prepareReport } from '../../report/redact';
import { checkWritable, writtenInto } from '../../report/write';
import { sarifPartName } from '../../report/paths';
import { collectBeforeReport, pieceCollector } from '../../engine/memory';
import { checkOutputsSpareInputs, parseFormatSpecs, sarifParts } from '../formats';
import { printDiagnostics, writeStdout, warn } from '../stdout';
import { socklintVersion } from '../../version';
import { checkHostName } from '../../host-name';
import type { LiveSnapshot } from '../../snapshot/capture';
import { checkHostOption, loadRulesAndConfig, parseLabelArgs, refuseMixedHosts } from './shared';
import { snapshotFiles } from '../snapshots';
import { preloadUserFiles } from '../preload';
import { preloadedStreams } from '../../read-limited';

export interface ScanArgs {
  snapshots: string[];
  rules: string[];
  defaultRules: boolean;
  config?: string;
  formats?: string[];
  failOn: 'error' | 'warning' | 'note' | 'none';
  /** --fail-on-not-evaluated: a rule the snapshots could not evaluate fails the scan too (exit 1). */
  failOnNotEvaluated?: boolean;
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
  setV8Flag('max-inlined-bytecode-size-cumulative', INLINING_BUDGET);
}

export async function scanCommand(a: ScanArgs): Promise<number> {
  smallerInlining();
  checkHostName(a.host);
  const outputs = parseFormatSpecs(a.formats, formatNames);
  const redactFields = a.redact === undefined ? undefined : a.redact.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  if (redactFields && redactFields.length > 0) checkRedactFields(redactFields);
  const labels = parseLabelArgs(a.labels);
  await preloadUserFiles({ config: a.config, rules: a.rules, baseline: a.baseline });
  const { config, rules } = loadRulesAndConfig(a);
  const checked = checkedConfig(config);
  // worker threads make the same filters from the config, the baseline file and this time (filtersFrom)
  const now = new Date();
  const baseline = baselineFilter(a.baseline);
  const filters = scanFilters(config, baseline, now);

  // a report that could not be written is said now, not after the scan (a missing folder is made)
  for (const out of outputs) if (out.path !== undefined) checkWritable(out.path);

  let inputs: ScanInput[];
  const notices: string[] = [];
  let live: LiveScan | undefined;
  const notFound: Diagnostic[] = [];
  if (a.snapshots.length === 0) {
    if (a.ssFlags) {
      throw new UserError({ file: '', code: 'usage', message: '--ss-flags applies to snapshot files only: a live scan records the flags it captures with', hint: 'name the SNAPSHOT files it is for, or drop it' }, ExitCode.usage);
    }
    // the evidence goes next to a SARIF file; SARIF on stdout or into a pipe has no folder of its own (the
    // capture is cited as live/<host>.ss then, unless --save-snapshot keeps it)
    const sarif = outputs.find((o) => o.kind === 'sarif');
    live = await startLiveCapture(a, labels, sarif?.path !== undefined && !writtenInto(sarif.path) ? sarif.path : undefined);
    inputs = [live.input];
  } else {
    if (a.netns || a.saveSnapshot || a.proc) {
      throw new UserError({ file: '', code: 'usage', message: '--netns, --proc and --save-snapshot apply to live scans only', hint: 'drop the SNAPSHOT arguments to scan this host' }, ExitCode.usage);
    }
    // an argument that names no file (an empty folder, a glob matching nothing) is a snapshot not scanned, named
    // in every report beside the others (CI then has its SARIF and JUnit to show why): exit 3 all the same
    const files = snapshotFiles(a.snapshots, notFound);
    const parts = sarifParts(outputs, files.length + notFound.length);
    for (const part of parts) checkWritable(part.path!);
    checkOutputsSpareInputs([...outputs, ...parts], files, '--format');
    inputs = fileInputs(files, a.ssFlags);
    if (a.host !== undefined && files.length > 1) await refuseMixedHosts(a.host, files);
  }

  let outcome;
  try {
    outcome = await runScan({
      inputs,
      rules,
      jobs: a.jobs ?? (await import('../../engine/threads')).usableCores(),
      ruleSetup: {
        rules: a.rules, defaultRules: a.defaultRules, config: a.config, maxFindingsPerRule: a.maxFindings, baseline: a.baseline, streams: preloadedStreams(),
        ...(checked !== undefined ? { checked } : {}),
      },
      filters,
      filtersFrom: { now: now.toISOString() },
      host: a.host,
      labels,
      notFound,
      version: socklintVersion(),
      // while worker threads scan, load the formatters (SARIF and JUnit builders take tens of milliseconds)
      whileWaiting: () => { for (const out of outputs) void formatters[out.kind]; },
    });
  } catch (e) {
    await live?.capture.then((c) => c.dispose(), () => undefined); // the scan stopped (out of memory)
    throw live ? blameEvidence(live, e) : e;
  }
  if (live) {
    try {
      notices.push(...await finishLiveCapture(live));
    } catch (e) {
      // ss failed: the reports say so (exit 3), as they name a snapshot file that could not be read
      if (!(e instanceof UserError) || e.exitCode !== ExitCode.snapshot) throw blameEvidence(live, e);
      outcome = captureFailed(outcome, e.diagnostics);
    }
  }
  const { report, snapshotErrors } = outcome;
  const merged = checkHostOption(a.host, report.snapshots);
  if (merged) notices.push(merged);
  const unknownHosts = baseline?.unknownHosts(report.snapshots.map((s) => s.host));
  if (unknownHosts) notices.push(unknownHosts);
  for (const n of notices) warn(n);
  printDiagnostics(snapshotErrors);

  const color = a.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  // The salt keeps redaction tags of small spaces (IPv4 addresses) from being reversed by brute force.
  const salt = process.env.SOCKLINT_REDACT_SALT;
  const ctx: FormatContext = {
    cwd: process.cwd(),
    color,
    ...(redactFields ? { redact: { fields: redactFields, ...(salt ? { salt } : {}) } } : {}),
    ...(a.sarifCategory ? { sarifCategory: a.sarifCategory } : {}),
    ...(config.data.waiverNoticeDays !== undefined ? { waiverNoticeDays: config.data.waiverNoticeDays } : {}),
  };
  const prepared = prepareReport(report, ctx.redact);
  const failing = failingCount(report, a.failOn) > 0 || (a.failOnNotEvaluated === true && report.notEvaluated.length > 0);
  const code = snapshotErrors.length > 0 ? ExitCode.snapshot : failing ? ExitCode.findings : ExitCode.ok;
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
    // one document on stdout cannot be split as sarif=PATH is: say so before GitHub rejects it
    if (toStdout.kind === 'sarif') {
      const notice = (require('../../report/sarif') as typeof import('../../report/sarif')).tooManyRunsNotice(prepared);
      if (notice) warn(notice);
    }
    collectBeforeReport(prepared.findings.length);
    await writeStdout(formatChunks(toStdout.kind, prepared, ctx));
  }
  return code;
}

/**
 * GitHub rejects a SARIF upload with more than 20 runs (one per host): past that, the report is written as
 * out.sarif, out.2.sarif, ... (each its own upload: upload-sarif would join a folder's files) and the user is
 * told. Parts an earlier scan of more hosts wrote beyond this one's are removed (removeStaleSarifParts).
 */
function writeSarifFiles(file: string, report: ScanReport, ctx: FormatContext): void {
  const { splitByHosts, tooManyRunsNotice } = require('../../report/sarif') as typeof import('../../report/sarif');
  const parts = splitByHosts(report);
  const names = parts.map((_, i) => sarifPartName(file, i + 1));
  const collect = pieceCollector(report.findings.length);
  parts.forEach((part, i) => {
    collect(); // each file's log is built whole: the garbage of the ones before may be collected first
    writeFileAtomic(names[i], formatChunks('sarif', part, { ...ctx, color: false }));
  });
  const notice = tooManyRunsNotice(report, names);
  if (notice) warn(notice);
  const stale = removeStaleSarifParts(file, parts.length + 1);
  const gone = stale.removed;
  if (gone.length > 0) {
    const which = gone.length <= 3 ? gone.join(', ') : `${gone[0]} … ${gone[gone.length - 1]} (${gone.length} files)`;
    warn(`removed ${which}: SARIF an earlier scan of more hosts wrote beyond this one's files`);
  }
  if (stale.left) warn(`left ${stale.left.file} as it is (${stale.left.why}); uploading this folder's SARIF files would upload it too`);
}

/**
 * The parts of `file` (sarifPartName) from N = `from` on, while they exist, that an earlier scan of more hosts wrote: removed,
 * so that the folder whose files are uploaded holds this scan's results only (else GitHub would keep the alerts
 * of hosts the last scan no longer saw, or saw in another file). A file that is not socklint's SARIF (by its
 * first bytes), or cannot be removed, is left, and the search stops there.
 */
function removeStaleSarifParts(file: string, from: number): { removed: string[]; left?: { file: string; why: string } } {
  const removed: string[] = [];
  for (let n = from; ; n++) {
    const name = sarifPartName(file, n);
    let head: string;
    try {
      if (!fs.lstatSync(name).isFile()) return { removed, left: { file: name, why: 'not a regular file' } };
      const fd = fs.openSync(name, 'r');
      try {
        const b = Buffer.alloc(4096);
        head = b.toString('utf8', 0, fs.readSync(fd, b, 0, b.length, 0));
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { removed };
      return { removed, left: { file: name, why: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
    }
    if (!SOCKLINT_SARIF_START.test(head)) return { removed, left: { file: name, why: 'not SARIF written by socklint' } };
    try {
      fs.unlinkSync(name);
    } catch (e) {
      return { removed, left: { file: name, why: `cannot remove it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
    }
    removed.push(name);
  }
}

/** How a SARIF file socklint wrote begins: the schema, the version, then the first run's tool, socklint (earlier builds indented it). */
const SOCKLINT_SARIF_START = /^\s*\{\s*"\$schema"\s*:\s*"[^"]*sarif[^"]*"\s*,\s*"version"\s*:\s*"2\.1\.0"\s*,\s*"runs"\s*:\s*\[\s*\{\s*"tool"\s*:\s*\{\s*"driver"\s*:\s*\{\s*"name"\s*:\s*"socklint"/;

/**
 * The outcome of a live scan whose capture failed: no snapshot, and the capture's error as its snapshot error (what
 * the parse of its partial output said — no socket, or the same error — goes with it). JSON, SARIF, JUnit and
 * Prometheus name it as they name a snapshot file that could not be read: a cron job's textfile or a CI upload says
 * the scan failed, instead of keeping the last run's report.
 */
function captureFailed({ report }: ScanOutcome, failed: Diagnostic[]): ScanOutcome {
  const snapshotErrors = [...failed];
  return {
    report: { ...report, snapshots: [], findings: [], notEvaluated: [], omitted: [], snapshotErrors, summary: summarize([], [], [], [], snapshotErrors) },
    snapshotErrors,
  };
}

interface LiveScan {
  input: ScanInput;
  /** The capture's end: its notices, and the file to remove after the scan. */
  capture: Promise<LiveSnapshot>;
  /** The evidence file, when socklint chose it next to this SARIF report (not --save-snapshot). */
  evidence?: { file: string; sarif: string };
}

/**
 * An error about the evidence file socklint chose next to the SARIF report names what the user wrote: the
 * `--format sarif=PATH` that put it there (the user named no snapshot file).
 */
function blameEvidence(live: LiveScan, e: unknown): unknown {
  const evidence = live.evidence;
  if (!evidence || !(e instanceof UserError) || !e.diagnostics.some((d) => d.file === evidence.file)) return e;
  return new UserError(e.diagnostics.map((d) => (d.file !== evidence.file ? d : {
    ...d, file: `--format sarif=${evidence.sarif}`, message: `the live capture it cites, ${evidence.file}: ${d.message}`,
  })), e.exitCode);
}

/**
 * Live scan: capture this host (ss, or /proc when ss is missing) into a snapshot file, and scan the file as
 * ss writes it — ss on one core, the parse on another. The file is the evidence SARIF locations point at:
 * kept at --save-snapshot, or next to the SARIF report when one is written; otherwise a temporary file
 * removed after the scan.
 */
async function startLiveCapture(a: ScanArgs, labels: Record<string, string>, sarifPath: string | undefined): Promise<LiveScan> {
  const { CaptureFollower, hostFileName, liveSnapshot, liveSnapshotLabel, pathInFolder } = await import('../../snapshot/capture');
  const now = new Date();
  // a folder gets a file of its own, named after the host and the capture's time (as `socklint capture -o DIR`)
  const named = pathInFolder(a.saveSnapshot, a.host ?? os.hostname(), now);
  let saveTo = named ?? a.saveSnapshot;
  let evidence: LiveScan['evidence'];
  if (!saveTo && sarifPath) {
    saveTo = path.join(path.dirname(sarifPath), `socklint-${hostFileName(a.host ?? os.hostname())}.ss`);
    evidence = { file: saveTo, sarif: sarifPath };
  }
  const follow = new CaptureFollower();
  // (a name chosen in a folder is cited by the reports: taken meanwhile by another capture, the scan is refused)
  const capture = liveSnapshot({ saveTo, netns: a.netns, host: a.host, labels, useProc: a.proc, follow, now, ...(named !== undefined ? { fresh: 'refuse' as const } : {}) });
  capture.catch(() => undefined); // awaited after the scan; a failure meanwhile ends the parse with its error
  const label = liveSnapshotLabel({ saveTo, host: a.host });
  return { input: { path: saveTo ?? label, label, stream: follow.chunks() }, capture, ...(evidence ? { evidence } : {}) };
}

/**
 * After the scan: the capture's notices, its temporary file removed. A capture that failed (ss exited
 * non-zero, or printed nothing) throws its error (exit 3): captureFailed makes the reports of it.
 */
async function finishLiveCapture(live: LiveScan): Promise<string[]> {
  const captured = await live.capture;
  await captured.dispose();
  return captured.notices;
}
