/**
 * Scan arguments cli/main.ts reads before loading the scan (a small module of its own): `--label KEY=VALUE`
 * the whole numbers (`--jobs`, `--max-findings`) and `--ss-flags`.
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
 * A whole number ≥ 1 given to `flag` as `text` (yargs hands it over as written: a `number` option would turn
 * `-j abc` into NaN before the message could quote it), or undefined when the option is absent.
 */
export function wholeNumberArg(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new UserError({ file: flag, code: 'bad-number', message: `"${text}" is not a whole number ≥ 1` }, ExitCode.usage);
  }
  return Number(text);
}

/**
 * `--ss-flags`: the ss options saved snapshots were captured with (`-tnp`, `tnp`, `"-tn state established"`),
 * for those without a `# flags:` line; undefined when absent. Checked for the shape of ss options only.
 */
export function ssFlagsArg(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const flags = /^[A-Za-z0-9]+$/.test(text) ? `-${text}` : text;
  const words = flags.split(/\s+/);
  if (!/^-[A-Za-z0-9]+$|^--[a-z][a-z-]*(=\S+)?$/.test(words[0]) || words.some((w) => !/^[A-Za-z0-9_.:=,/+-]+$/.test(w))) {
    throw new UserError({
      file: '--ss-flags', code: 'bad-ss-flags', message: `"${text}" is not a set of ss options`,
      hint: 'give the options the snapshots were captured with, e.g. --ss-flags=-tnp (with "=", as they start with a dash)',
    }, ExitCode.usage);
  }
  return flags;
}
