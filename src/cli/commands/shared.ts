/** Pieces the scan and baseline commands share: loading config + rules, parsing labels, what --host makes of several snapshots. */
import { ConfiguredRules, loadConfig, type LoadedConfig } from '../../engine/config';
import { hostFromFile } from '../../engine/scan';
import type { SnapshotReport } from '../../engine/types';
import { ExitCode, UserError } from '../../diagnostics';
import { listed } from '../../report/text';
import { displayFile } from '../../report/paths';

export interface RuleOptions {
  rules: string[];
  defaultRules: boolean;
  config?: string;
  maxFindings?: number;
}

export function loadRulesAndConfig(o: RuleOptions): { config: LoadedConfig; rules: ConfiguredRules } {
  const config = loadConfig(o.config);
  return { config, rules: ConfiguredRules.load(config, o.rules, o.defaultRules, o.maxFindings) };
}

/**
 * `--host` names every snapshot of the run: they are reported as one host (one SARIF run, one set of fingerprints,
 * one host's overrides), which is what several captures of one host need. Captures that record different hosts in
 * their `# host:` lines are of several machines, which it would merge silently: a usage error. Snapshots named
 * only by their files cannot tell; when their names differ, a notice says what --host made of them.
 */
export function checkHostOption(host: string | undefined, snapshots: readonly SnapshotReport[]): string | undefined {
  if (host === undefined || snapshots.length < 2) return undefined;
  const recorded = new Map<string, string>(); // host its # host: line records → first file
  const own = new Map<string, string>(); // host the snapshot would have without --host → first file
  for (const s of snapshots) {
    const line = s.meta?.host || undefined; // as the scan names it: a blank `# host:` names no host
    if (line && !recorded.has(line)) recorded.set(line, s.file);
    const name = line || hostFromFile(s.file);
    if (!own.has(name)) own.set(name, s.file);
  }
  if (recorded.size > 1) {
    throw new UserError({
      file: '--host',
      code: 'mixed-hosts',
      message: `${JSON.stringify(host)} would report captures of ${recorded.size} hosts as one: ${listed([...recorded].map(([h, f]) => `${h} (${displayFile(f)})`))}`,
      hint: 'drop --host: each is named by its # host: line; or give --host the snapshots of one host only',
    }, ExitCode.usage);
  }
  if (own.size < 2) return undefined;
  return `--host ${host} names all ${snapshots.length} snapshots: they are reported as one host (their own names: ${listed([...own.keys()])})`;
}

export { parseLabelArgs } from '../args';

/**
 * `--host` over captures whose `# host:` lines name different hosts is refused (checkHostOption) before they are
 * scanned, as their headers tell: a fleet's 1,000 files were scanned whole, then refused. The same error, naming
 * the same files; what the headers cannot tell (stdin, a pipe, a header past 64 KiB: recordedHosts) the check
 * after the scan still finds.
 */
export async function refuseMixedHosts(host: string, files: readonly string[]): Promise<void> {
  const { recordedHosts } = await import('../../engine/inputs');
  const headers: SnapshotReport[] = [];
  (await recordedHosts(files)).forEach((recorded, i) => {
    if (recorded) headers.push({ file: files[i], host, meta: { host: recorded }, sockets: 0, lines: 0, unparsed: 0, unparsedLines: [], states: {}, rulesEvaluated: [] });
  });
  checkHostOption(host, headers); // throws for several hosts; what it notes of one is said after the scan
}
