/**
 * The JSON report: the ScanReport itself (`schemas/report.schema.json`), with a stable key order so that two
 * runs over the same input diff cleanly: top-level keys in a fixed order, nested object keys sorted.
 * Arrays keep the engine's order. JSON.stringify escapes control characters and lone surrogates, so hostile
 * strings still give valid JSON.
 *
 * The text is produced in pieces (`jsonChunks`): a report of thousands of findings, each with its socket, is
 * ten megabytes of JSON, and neither a sorted copy of the whole report nor the whole text need exist at once.
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

/** Top-level keys in output order (an object's key order, as JSON.stringify of the whole document would see it). */
function topLevelKeys(report: ScanReport): string[] {
  const order: Record<string, true> = {};
  for (const key of TOP_LEVEL_ORDER) order[key] = true;
  // Anything the engine adds later still appears (sorted after the known keys) rather than being dropped.
  for (const key of Object.keys(report).sort()) {
    if (!(key in order)) order[key] = true;
  }
  return Object.keys(order);
}

/**
 * `JSON.stringify(value, null, 2)` with keys sorted, indented as if nested `depth` levels deep (strings hold no
 * raw newline: JSON escapes it); undefined where JSON leaves the value out.
 */
function stringifyAt(value: unknown, depth: number): string | undefined {
  return JSON.stringify(sortKeys(value), null, 2)?.replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/**
 * The JSON report in pieces whose concatenation is the report's text: a non-empty top-level array (findings,
 * snapshots, rules ...) comes one element at a time, every other top-level value whole.
 */
export function* jsonChunks(input: ScanReport, ctx: FormatContext): Generator<string, void, undefined> {
  const report = prepareReport(input, ctx.redact);
  let opened = false;
  for (const key of topLevelKeys(report)) {
    const value = (report as unknown as Record<string, unknown>)[key];
    const name = `${opened ? ',' : '{'}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      yield `${name}[`;
      for (let i = 0; i < value.length; i++) yield `${i === 0 ? '' : ','}\n    ${stringifyAt(value[i], 2) ?? 'null'}`;
      yield '\n  ]';
    } else {
      const text = stringifyAt(value, 1);
      if (text === undefined) continue;
      yield `${name}${text}`;
    }
    opened = true;
  }
  yield opened ? '\n}\n' : '{}\n';
}

export function formatJson(input: ScanReport, ctx: FormatContext): string {
  return [...jsonChunks(input, ctx)].join('');
}

export const jsonFormatter: Formatter = {
  name: 'json',
  description: 'the full report as JSON (schemas/report.schema.json)',
  defaultFileName: 'socklint.json',
  format: formatJson,
  chunks: jsonChunks,
};
