/**
 * `--format KIND[=PATH][,KIND[=PATH]…]` parsing: without `--format`, text to stdout; at most one output may go to
 * stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExitCode, UserError, didYouMean } from '../diagnostics';

export interface OutputSpec {
  kind: string;
  /** undefined = stdout */
  path?: string;
}

export function parseFormatSpecs(values: string[] | undefined, known: string[]): OutputSpec[] {
  if (!values || values.length === 0) return [{ kind: 'text' }];
  const specs: OutputSpec[] = [];
  for (const v of values.flatMap((value) => splitFormatList(value, known))) {
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
  const byPath = new Map<string, OutputSpec>();
  for (const spec of specs) {
    if (spec.path === undefined) continue;
    const key = realOrResolved(spec.path);
    const same = byPath.get(key);
    if (same) {
      throw new UserError({ file: '--format', code: 'same-path-twice', message: `${same.kind} and ${spec.kind} would both be written to ${spec.path}`, hint: 'give each format a file of its own' }, ExitCode.usage);
    }
    byPath.set(key, spec);
  }
  const toStdout = specs.filter((s) => s.path === undefined);
  if (toStdout.length > 1) {
    throw new UserError({ file: '--format', code: 'stdout-twice', message: `${toStdout.map((s) => s.kind).join(' and ')} would both go to stdout`, hint: 'give all but one of them a file: --format KIND=PATH' }, ExitCode.usage);
  }
  return specs;
}

/**
 * One `--format` value as the outputs it names: `sarif=a.sarif,junit=b.xml` is two. A comma separates outputs only
 * where a format name follows it, ended by `=`, a comma or the value's end; any other comma is part of a path
 * (`json=a,b.json` writes `a,b.json`). A comma followed by a near-miss of a format and `=` (`,junt=b.xml`) is
 * refused: taken for a path, the typo would silently become part of one file's name.
 */
export function splitFormatList(value: string, known: readonly string[]): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
    const next = /^([^=,]*)(=|,|$)/.exec(value.slice(comma + 1));
    const word = next?.[1].trim() ?? '';
    if (next && known.includes(word)) {
      parts.push(value.slice(start, comma));
      start = comma + 1;
      continue;
    }
    const near = next?.[2] === '=' && /^[A-Za-z]+$/.test(word) ? didYouMean(word, known) : undefined;
    if (near) {
      throw new UserError({
        file: '--format', code: 'unknown-format', message: `"${value}": "${word}" after the comma is no format`,
        hint: `did you mean --format ${value.slice(0, comma + 1)}${near}${value.slice(comma + 1 + next![1].length)}? formats: ${known.join(', ')}`,
      }, ExitCode.usage);
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** The real path of an existing file, or the absolute path of one that does not exist yet: what names one file. */
function realOrResolved(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Refuse an output that would replace one of the snapshots being read (`scan web.ss -f json=web.ss`): the
 * report would be written over its own evidence. `option` names the flag in the message.
 */
export function checkOutputsSpareInputs(outputs: readonly (string | undefined)[], inputs: readonly string[], option: string): void {
  const written = new Map<string, string>();
  for (const out of outputs) if (out !== undefined) written.set(realOrResolved(out), out);
  if (written.size === 0) return;
  for (const input of inputs) {
    if (input === '-') continue;
    const out = written.get(realOrResolved(input));
    if (out !== undefined) {
      throw new UserError({ file: option, code: 'output-is-input', message: `${out} is a snapshot this run reads; writing it would replace it`, hint: 'write to another path' }, ExitCode.usage);
    }
  }
}
