/** `socklint baseline SNAPSHOT... -o FILE|-`: today's findings, by fingerprint, for `scan --baseline`. */
import { ExitCode } from '../../diagnostics';
import { fileInputs, runScan } from '../../engine/scan';
import { baselineText, buildBaseline } from '../../engine/baseline';
import { scanFilters } from '../../engine/filters';
import { writeFileAtomic } from '../../report';
import { checkWritable } from '../../report/write';
import { socklintVersion } from '../../version';
import { checkHostName } from '../../host-name';
import { checkHostOption, loadRulesAndConfig, parseLabelArgs, refuseMixedHosts } from './shared';
import { snapshotFiles } from '../snapshots';
import { checkOutputsSpareInputs } from '../formats';
import { printDiagnostics, warn, writeStdout } from '../stdout';
import { preloadUserFiles } from '../preload';

export interface BaselineArgs {
  snapshots: string[];
  output: string;
  rules: string[];
  defaultRules: boolean;
  config?: string;
  host?: string;
  labels: string[];
  ssFlags?: string;
}

export async function baselineCommand(a: BaselineArgs): Promise<number> {
  checkHostName(a.host);
  const labels = parseLabelArgs(a.labels);
  await preloadUserFiles({ config: a.config, rules: a.rules });
  // every finding is recorded: a cap would leave out findings past it, which the next scan of the same host
  // (its sockets in another order) would list as new; the config's waivers apply, and what they waive is left
  // out, so that it fails once the waiver ends
  const { config, rules } = loadRulesAndConfig({ ...a, maxFindings: Infinity });
  const files = snapshotFiles(a.snapshots);
  if (a.host !== undefined && files.length > 1) await refuseMixedHosts(a.host, files);
  // `-o -` is stdout, as for `capture -o -` and `--format KIND=-`
  const toStdout = a.output === '-';
  checkOutputsSpareInputs([toStdout ? undefined : a.output], files, '--output');
  if (!toStdout) checkWritable(a.output, 'baseline'); // said now, not after the scan
  const { report, snapshotErrors } = await runScan({ inputs: fileInputs(files, a.ssFlags), rules, host: a.host, labels, version: socklintVersion(), filters: scanFilters(config, undefined, new Date()) });
  const merged = checkHostOption(a.host, report.snapshots);
  if (merged) warn(merged);
  printDiagnostics(snapshotErrors);
  if (snapshotErrors.length > 0) return ExitCode.snapshot;
  const baseline = buildBaseline(report);
  if (toStdout) await writeStdout(baselineText(baseline));
  else writeFileAtomic(a.output, baselineText(baseline), { what: 'baseline' });
  warn(`recorded ${baseline.findings.length} finding(s) from ${report.snapshots.length} snapshot(s) ${toStdout ? 'on stdout' : `in ${a.output}`}`);
  if (report.summary.suppressed > 0) warn(`${report.summary.suppressed} waived finding(s) left out: they fail when their waiver expires`);
  if (report.notEvaluated.length > 0) {
    // a rule that could not run records nothing: once the snapshots carry what it needs, its findings are new
    const snapshots = new Set(report.notEvaluated.map((n) => n.file)).size;
    const rules = new Set(report.notEvaluated.map((n) => n.ruleId)).size;
    warn(`${rules} rule(s) could not be evaluated on ${snapshots} snapshot(s), so the baseline holds none of their findings; \`socklint scan\` says why`);
  }
  return ExitCode.ok;
}
