/**
 * Scan arguments cli/main.ts reads before loading the scan (a small module of its own): `--label KEY=VALUE`
 * and the whole numbers (`--jobs`, `--max-findings`).
 */
import { ExitCode, UserError } from '../diagnostics';

export function parseLabelArgs(values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UserError({ file: '--label', code: 'bad-label', message: `"${v}" is not KEY=VALUE`, hint: 'e.g. --label role=db' }, ExitCode.usage);
    labels[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return labels;
}

/**
 * A whole number ≥ 1 given to `flag` as `raw` (yargs hands it over as written: a `number` option would turn
 * `-j abc` into NaN before the message could quote it), or undefined when the option is absent.
 */
export function wholeNumberArg(flag: string, raw: string | string[] | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new UserError({ file: flag, code: 'bad-number', message: `"${text}" is not a whole number ≥ 1` }, ExitCode.usage);
  }
  return Number(text);
}
