/**
 * The report formatters, by `--format` name (the CLI uses these keys as its choices). Each is a pure function
 * of the ScanReport; `writeFileAtomic` is how the CLI puts one in a file (`formatChunks` hands it the text in
 * pieces where the format can produce them).
 */
import type { ScanReport } from '../engine/types';
import type { FormatContext, Formatter } from './types';

export type { FormatContext, Formatter, RedactOptions } from './types';
export { writeFileAtomic } from './write';
export { redactReport, checkRedactFields, DEFAULT_REDACT_FIELDS } from './redact';

/*
 * Formatters are loaded on first use: the SARIF and JUnit builders cost tens of milliseconds to load, which a
 * text-only scan (and every start-up) should not pay.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const loaders: Record<string, () => Formatter> = {
  text: () => (require('./text') as typeof import('./text')).textFormatter,
  json: () => (require('./json') as typeof import('./json')).jsonFormatter,
  sarif: () => (require('./sarif') as typeof import('./sarif')).sarifFormatter,
  junit: () => (require('./junit') as typeof import('./junit')).junitFormatter,
  prometheus: () => (require('./prometheus') as typeof import('./prometheus')).prometheusFormatter,
};

export const formatNames = Object.keys(loaders);

export const formatters: Readonly<Record<string, Formatter>> = Object.defineProperties(
  {},
  Object.fromEntries(formatNames.map((name) => [name, { enumerable: true, get: loaders[name] }])),
);

/**
 * Render one format by name, as pieces of text to write in order: the formatter's own pieces where it makes
 * them, else its whole text as the one piece. (An unknown name is a programming error: the CLI restricts choices.)
 */
export function formatChunks(name: string, report: ScanReport, ctx: FormatContext): Iterable<string> {
  const formatter = formatters[name];
  if (!formatter) throw new Error(`unknown report format '${name}'`);
  return formatter.chunks ? formatter.chunks(report, ctx) : [formatter.format(report, ctx)];
}
