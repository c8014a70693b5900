/**
 * The report formatters, by `--format` name (the CLI uses these keys as its choices). Each is a pure function
 * of the ScanReport; `writeFileAtomic` is how the CLI puts one in a file.
 */
import type { ScanReport } from '../engine/types';
import { jsonFormatter } from './json';
import { junitFormatter } from './junit';
import { prometheusFormatter } from './prometheus';
import { sarifFormatter } from './sarif';
import { textFormatter } from './text';
import type { FormatContext, Formatter } from './types';

export type { FormatContext, Formatter, RedactOptions } from './types';
export { writeFileAtomic } from './write';
export { redactReport, checkRedactFields, DEFAULT_REDACT_FIELDS } from './redact';

export const formatters: Record<string, Formatter> = {
  text: textFormatter,
  json: jsonFormatter,
  sarif: sarifFormatter,
  junit: junitFormatter,
  prometheus: prometheusFormatter,
};

export const formatNames = Object.keys(formatters);

/** Render one format by name (an unknown name is a programming error: the CLI restricts choices). */
export function formatReport(name: string, report: ScanReport, ctx: FormatContext): string {
  const formatter = formatters[name];
  if (!formatter) throw new Error(`unknown report format '${name}'`);
  return formatter.format(report, ctx);
}
