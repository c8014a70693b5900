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
  'tool', 'startedAt', 'durationMs', 'summary', 'snapshots', 'snapshotErrors', 'rules', 'findings', 'notEvaluated', 'omitted', 'waivers', 'waiversInForce', 'hostEntries',
];

/**
 * Sorted key lists of the objects seen, by their keys in insertion order: a report's thousands of findings,
 * sockets and endpoints come in a few shapes, and comparing a key list with a known one (the same interned
 * strings) costs less than sorting it again — ~10 % of the JSON report's time. Kept for one report, at most
 * MAX_SHAPES first keys and SHAPES_PER_KEY lists per first key (keys of `extra` come from the input).
 */
class KeyOrders {
  private readonly byFirst = new Map<string, [string[], string[]][]>();

  sorted(keys: string[]): string[] {
    if (keys.length < 2) return keys;
    let known = this.byFirst.get(keys[0]);
    if (known !== undefined) {
      next: for (const [order, sorted] of known) {
        if (order.length !== keys.length) continue;
        for (let i = 1; i < keys.length; i++) if (order[i] !== keys[i]) continue next;
        return sorted;
      }
    } else if (this.byFirst.size < MAX_SHAPES) {
      known = [];
      this.byFirst.set(keys[0], known);
    }
    const sorted = keys.slice().sort();
    if (known !== undefined && known.length < SHAPES_PER_KEY) known.push([keys, sorted]);
    return sorted;
  }
}
const MAX_SHAPES = 4096;
const SHAPES_PER_KEY = 16;

function sortKeys(value: unknown, orders: KeyOrders): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, orders));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of orders.sorted(Object.keys(value))) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v, orders);
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

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * `JSON.stringify(value, null, 2)` with keys sorted, indented as if nested `depth` (1 or 2) levels deep;
 * undefined where JSON leaves the value out. The value is stringified inside `depth` arrays, which indents it
 * there, and the arrays' brackets are cut off (`[\n  ` … `\n]`, `[\n  [\n    ` … `\n  ]\n]`): no second pass
 * over the text to indent it.
 */
function stringifyAt(value: unknown, depth: 1 | 2, orders: KeyOrders): string | undefined {
  if (omitted(value)) return undefined;
  const sorted = sortKeys(value, orders);
  return depth === 1 ? JSON.stringify([sorted], null, 2).slice(4, -2) : JSON.stringify([[sorted]], null, 2).slice(10, -6);
}

/**
 * The JSON report in pieces whose concatenation is the report's text: a non-empty top-level array (findings,
 * snapshots, rules ...) comes one element at a time, every other top-level value whole.
 */
export function* jsonChunks(input: ScanReport, ctx: FormatContext): Generator<string, void, undefined> {
  const report = prepareReport(input, ctx.redact);
  const orders = new KeyOrders();
  let opened = false;
  for (const key of topLevelKeys(report)) {
    const value = (report as unknown as Record<string, unknown>)[key];
    const name = `${opened ? ',' : '{'}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      yield `${name}[`;
      for (let i = 0; i < value.length; i++) yield `${i === 0 ? '' : ','}\n    ${stringifyAt(value[i], 2, orders) ?? 'null'}`;
      yield '\n  ]';
    } else {
      const text = stringifyAt(value, 1, orders);
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
