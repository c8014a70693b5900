/**
 * Baselines: `socklint baseline` records today's findings by fingerprint; `scan --baseline` then marks the
 * findings already recorded as suppressed (kind `baseline`), so only new exposures fail a golden-image gate.
 */
import * as fs from 'node:fs';
import { ExitCode, UserError } from '../diagnostics';
import type { Finding, ScanReport, Suppression, WaiverReport } from './types';
import type { FindingFilter } from './scan';
import { compareText } from '../compare';

export const BASELINE_FORMAT = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  host: string;
  message: string;
}

export interface BaselineFile {
  socklintBaseline: number;
  tool: { name: string; version: string };
  createdAt: string;
  findings: BaselineEntry[];
}

export function buildBaseline(report: ScanReport): BaselineFile {
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  for (const f of report.findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    findings.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, host: f.host, message: f.message });
  }
  findings.sort((a, b) => compareText(a.host + a.ruleId + a.fingerprint, b.host + b.ruleId + b.fingerprint));
  return { socklintBaseline: BASELINE_FORMAT, tool: { name: report.tool.name, version: report.tool.version }, createdAt: report.startedAt, findings };
}

export function loadBaseline(file: string): BaselineFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError({ file, code: 'unreadable-baseline', message: `cannot read baseline: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }, ExitCode.usage);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError({ file, code: 'bad-baseline', message: `not JSON: ${(e as Error).message}`, hint: 'write it with `socklint baseline SNAPSHOT... -o FILE`' }, ExitCode.usage);
  }
  const b = data as Partial<BaselineFile>;
  if (typeof b !== 'object' || b === null || b.socklintBaseline !== BASELINE_FORMAT || !Array.isArray(b.findings)
    || !b.findings.every((e) => typeof e?.fingerprint === 'string')) {
    throw new UserError({ file, code: 'bad-baseline', message: 'not a socklint baseline (version 1)', hint: 'write it with `socklint baseline SNAPSHOT... -o FILE`' }, ExitCode.usage);
  }
  return b as BaselineFile;
}

/**
 * Keeps the baseline's fingerprints only (not the parsed file: a fleet's baseline of 99,000 findings is ~19 MB
 * of JSON), and gives every finding it suppresses the same Suppression, whose text does not vary: a scan of
 * that fleet against its own baseline peaked at ~250 MiB with an object and a text made per finding.
 */
export class BaselineFilter implements FindingFilter {
  private readonly known: Set<string>;
  private readonly suppression: Suppression;
  constructor(file: string, baseline: BaselineFile) {
    this.known = new Set(baseline.findings.map((e) => e.fingerprint));
    this.suppression = { kind: 'baseline', reason: `already in baseline ${file} (recorded ${baseline.createdAt.slice(0, 10)})` };
  }
  suppress(f: Finding): Suppression | undefined {
    return this.known.has(f.fingerprint) ? this.suppression : undefined;
  }
  report(): WaiverReport[] {
    return [];
  }
}
