/**
 * The JSON report: the ScanReport itself (`schemas/report.schema.json`), with a stable key order so that two
 * runs over the same input diff cleanly: top-level keys in a fixed order, nested object keys sorted.
 * Arrays keep the engine's order. JSON.stringify escapes control characters and lone surrogates, so hostile
 * strings still give valid JSON.
 */
import type { ScanReport } from '../engine/types';
import { prepareReport } from './redact';
import type { FormatContext, Formatter } from './types';

export const REPORT_SCHEMA_ID = 'https://socklint.dev/schemas/report.schema.json';

const TOP_LEVEL_ORDER: (keyof ScanReport)[] = [
  'tool', 'startedAt', 'durationMs', 'summary', 'snapshots', 'rules', 'findings', 'notEvaluated', 'omitted', 'waivers',
];

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The report as a plain object in output key order (also what tests validate against the schema). */
export function reportDocument(report: ScanReport): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) doc[key] = sortKeys(report[key]);
  // Anything the engine adds later still appears (sorted after the known keys) rather than being dropped.
  for (const key of Object.keys(report).sort()) {
    if (!(key in doc)) doc[key] = sortKeys((report as unknown as Record<string, unknown>)[key]);
  }
  return doc;
}

export function formatJson(input: ScanReport, ctx: FormatContext): string {
  return `${JSON.stringify(reportDocument(prepareReport(input, ctx.redact)), null, 2)}\n`;
}

export const jsonFormatter: Formatter = {
  name: 'json',
  description: 'the full report as JSON (schemas/report.schema.json)',
  defaultFileName: 'socklint.json',
  format: formatJson,
};
