/** `--format KIND[=PATH]` parsing: without `--format`, text to stdout; at most one output may go to stdout. */
import { ExitCode, UserError, didYouMean } from '../diagnostics';

export interface OutputSpec {
  kind: string;
  /** undefined = stdout */
  path?: string;
}

export function parseFormatSpecs(values: string[] | undefined, known: string[]): OutputSpec[] {
  if (!values || values.length === 0) return [{ kind: 'text' }];
  const specs: OutputSpec[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    const kind = (eq < 0 ? v : v.slice(0, eq)).trim();
    const file = eq < 0 ? undefined : v.slice(eq + 1);
    if (!known.includes(kind)) {
      const hint = didYouMean(kind, known);
      throw new UserError({ file: '--format', code: 'unknown-format', message: `unknown format "${kind}"`, hint: hint ? `did you mean "${hint}"? formats: ${known.join(', ')}` : `formats: ${known.join(', ')}` }, ExitCode.usage);
    }
    if (file === '') throw new UserError({ file: '--format', code: 'empty-path', message: `"${v}" names no file`, hint: `write ${kind}=PATH, or ${kind} alone for stdout` }, ExitCode.usage);
    specs.push({ kind, path: file === '-' ? undefined : file });
  }
  const toStdout = specs.filter((s) => s.path === undefined);
  if (toStdout.length > 1) {
    throw new UserError({ file: '--format', code: 'stdout-twice', message: `${toStdout.map((s) => s.kind).join(' and ')} would both go to stdout`, hint: 'give all but one of them a file: --format KIND=PATH' }, ExitCode.usage);
  }
  return specs;
}
