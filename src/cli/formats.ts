/**
 * `--format KIND[=PATH][,KIND[=PATH]…]` parsing: without `--format`, text to stdout; at most one output may go to
 * stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExitCode, UserError, didYouMean } from '../diagnostics';
import { SARIF_MAX_RUNS_PER_FILE, sarifPartName } from '../report/paths';
import { safeStat } from '../report/write';

export interface OutputSpec {
  kind: string;
  /** undefined = stdout */
  path?: string;
  /** Of `sarif=PATH`: a part after the first, written when the hosts are more than one file takes (sarifParts). */
  part?: number;
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
  checkDistinctPaths(specs);
  // `json=/dev/stdout` in a pipeline is stdout too (not a pipe or file of its own, which same-path-twice compares)
  const stdout = stdoutStat();
  const toStdout = specs.filter((s) => s.path === undefined || (stdout !== undefined && sameFile(safeStat(s.path), stdout)));
  if (toStdout.length > 1) {
    const named = toStdout.map((s) => (s.path === undefined ? s.kind : `${s.kind} (${s.path})`));
    throw new UserError({ file: '--format', code: 'stdout-twice', message: `${named.join(' and ')} would both go to stdout`, hint: 'give all but one of them a file: --format KIND=PATH' }, ExitCode.usage);
  }
  return specs;
}

/** Refuses two outputs that name one file (`same-path-twice`): one would replace the other. */
function checkDistinctPaths(specs: readonly OutputSpec[]): void {
  const byPath = new Map<string, OutputSpec>();
  for (const spec of specs) {
    if (spec.path === undefined) continue;
    const key = realOrResolved(spec.path);
    const same = byPath.get(key);
    if (same) {
      const parts = same.part !== undefined || spec.part !== undefined;
      throw new UserError({
        file: '--format', code: 'same-path-twice', message: `${outputName(same)} and ${outputName(spec)} would both be written to ${spec.path}`,
        hint: `give each format a file of its own${parts ? SARIF_PARTS_NOTE : ''}`,
      }, ExitCode.usage);
    }
    byPath.set(key, spec);
  }
}

const SARIF_PARTS_NOTE = `; past ${SARIF_MAX_RUNS_PER_FILE} hosts, sarif=F.sarif writes F.2.sarif, F.3.sarif, … too, as GitHub takes ${SARIF_MAX_RUNS_PER_FILE} runs per file`;

function outputName(spec: OutputSpec): string {
  return spec.part === undefined ? spec.kind : `sarif's part ${spec.part} (hosts past ${(spec.part - 1) * SARIF_MAX_RUNS_PER_FILE})`;
}

/**
 * The SARIF files after the first that `sarif=PATH` may write for a scan of `snapshots` snapshots (a run per host,
 * a host per snapshot at most: sarifPartName), checked before the scan as the paths given are — against each other,
 * the snapshots read and what can be written — since once the scan is over it would be too late to say.
 */
export function sarifParts(outputs: readonly OutputSpec[], snapshots: number): OutputSpec[] {
  const sarif = outputs.find((o) => o.kind === 'sarif' && o.path !== undefined);
  const parts: OutputSpec[] = [];
  for (let n = 2; sarif && (n - 1) * SARIF_MAX_RUNS_PER_FILE < snapshots; n++) parts.push({ kind: 'sarif', path: sarifPartName(sarif.path!, n), part: n });
  if (parts.length > 0) checkDistinctPaths([...outputs, ...parts]);
  return parts;
}

function stdoutStat(): fs.Stats | undefined {
  try {
    const st = fs.fstatSync(1);
    // (a terminal or /dev/null takes two documents as a shell's `cmd >x; cmd >x` would: not refused)
    return st.isCharacterDevice() ? undefined : st;
  } catch {
    return undefined;
  }
}

function sameFile(a: fs.Stats | undefined, b: fs.Stats): boolean {
  return a !== undefined && a.dev === b.dev && a.ino === b.ino;
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
export function checkOutputsSpareInputs(outputs: readonly (string | OutputSpec | undefined)[], inputs: readonly string[], option: string): void {
  const written = new Map<string, OutputSpec>();
  for (const out of outputs) {
    const spec = typeof out === 'string' ? { kind: '', path: out } : out;
    if (spec?.path !== undefined) written.set(realOrResolved(spec.path), spec);
  }
  if (written.size === 0) return;
  for (const input of inputs) {
    if (input === '-') continue;
    const out = written.get(realOrResolved(input));
    if (out !== undefined) {
      const which = out.part === undefined ? '' : `, where ${outputName(out)} would be written`;
      throw new UserError({
        file: option, code: 'output-is-input', message: `${out.path} is a snapshot this run reads${which}; writing it would replace it`,
        hint: `write to another path${out.part === undefined ? '' : SARIF_PARTS_NOTE}`,
      }, ExitCode.usage);
    }
  }
}
