/**
 * Semgrep-style rule tests. A fixture is real `ss` output with annotations in `#` comment lines:
 *
 *   # ruleid: close-wait-excess        the socket on the next line must fire (per-socket rules) or be
 *                                      counted among the offenders of a breaking group (aggregates)
 *   # ok: close-wait-excess            it must not
 *   # todoruleid: / # todook:          known gaps: reported, never failing
 *   # vars: threshold=2, ports=[22, 80]       (header) variable overrides for this fixture;
 *   # vars: close-wait-excess.threshold=2     a `rule-id.` prefix targets one rule
 *
 * Several ids may be given, comma-separated. Fixtures are parsed by the real parser and evaluated by
 * the real engine. Every rule needs at least one firing and one passing case, and a finding on a
 * socket that is not annotated `ruleid` fails the test (no silent false positives).
 */
import { captureCoverage } from '../snapshot/coverage';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import { didYouMean, formatDiagnostic } from '../diagnostics';
import { parseSsText } from '../snapshot/parser';
import { SnapshotEvaluator } from '../engine/evaluate';
import type { CompiledRule } from './types';
import { tryCompileRule, type RuleDefinition } from './compile';
import { DEFAULT_PACK_DIR, clashesWithDefaultPack, loadRulePack } from './pack';
import { compareText } from '../compare';
import { displayPath } from '../relative-path';
import { readProblem } from '../read-problem';

export const FIXTURE_EXTENSIONS = ['.ss'];

export type AnnotationKind = 'ruleid' | 'ok' | 'todoruleid' | 'todook';

export interface RuleTestFailure {
  file: string;
  line: number;
  message: string;
  expected?: string;
  actual?: string;
  /** A problem in the rule's definition (its id defined twice), shown as it is: file:line:column, hint, code. */
  diagnostic?: Diagnostic;
}

export interface RuleTestResult {
  ruleId: string;
  /** Where the rule is defined (file:line). */
  source?: string;
  fixtures: string[];
  firing: number;
  passing: number;
  todo: number;
  failures: RuleTestFailure[];
  passed: boolean;
}

export interface RuleTestRun {
  results: RuleTestResult[];
  /**
   * Problems loading rules or fixtures. One about a rule (its id defined twice, a fixture's vars value it
   * refuses) fails that rule, among whose failures it is shown; the others count as one failure together.
   */
  diagnostics: Diagnostic[];
  passed: number;
  failed: number;
}

interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  line: number;
  socketLine?: number;
}

const ANNOTATION = /^#\s*(ruleid|ok|todoruleid|todook)\s*:\s*(.*)$/;
const VARS = /^#\s*vars\s*:\s*(.*)$/;

/** Fixture files under the given paths (directories searched recursively). */
export function fixtureFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, depth: number) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (depth > 8) return;
      for (const name of fs.readdirSync(p).sort()) if (!name.startsWith('.')) walk(path.join(p, name), depth + 1);
    } else if (FIXTURE_EXTENSIONS.includes(path.extname(p))) out.push(p);
    else if (depth === 0 && /\.ya?ml$/i.test(p)) {
      // A rule file named alone brings its fixtures: <name>.test.ss, <name>.<variant>.test.ss.
      const base = path.basename(p).replace(/\.ya?ml$/i, '');
      const dir = path.dirname(p);
      for (const name of fs.readdirSync(dir).sort()) {
        if (name.startsWith(`${base}.`) && FIXTURE_EXTENSIONS.includes(path.extname(name))) out.push(path.join(dir, name));
      }
    }
  };
  for (const p of paths) walk(p, 0);
  return [...new Set(out.map((f) => path.resolve(f)))].map((f) => out.find((o) => path.resolve(o) === f)!);
}

/**
 * `a=1, b=[22, 80], r.c="x"` → { a: 1, b: [22, 80], 'r.c': 'x' } (values are YAML flow scalars/lists), and
 * where each value begins in `text` (0-based), so that a value a rule refuses is cited at its column.
 */
export function parseVarsDirective(text: string): { vars: Record<string, unknown>; at: Record<string, number>; error?: string } {
  const vars: Record<string, unknown> = {};
  const at: Record<string, number> = {};
  const parts: { text: string; start: number }[] = [];
  let depth = 0;
  let cur = '';
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: cur, start });
      cur = '';
      start = i + 1;
      continue;
    }
    cur += c;
  }
  if (cur.trim()) parts.push({ text: cur, start });
  for (const part of parts) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/.exec(part.text);
    if (!m) return { vars, at, error: `cannot read '${part.text.trim()}': write name=value` };
    try {
      vars[m[1]] = parseYaml(m[2] === '' ? '""' : m[2]);
    } catch (e) {
      return { vars, at, error: `cannot read the value of '${m[1]}': ${(e as Error).message.split('\n')[0]}` };
    }
    // the value starts after the first `=` (a name has none) and the spaces after it
    const afterEquals = part.text.slice(part.text.indexOf('=') + 1);
    at[m[1]] = part.start + part.text.length - afterEquals.trimStart().length;
  }
  return { vars, at };
}

/**
 * Run the fixtures under `paths` against the rules under `paths` (default: the built-in pack). `checkIds`: an
 * id the built-in pack has is reported, as a scan that loads the pack beside them would.
 */
export function runRuleTests(paths: readonly string[] = [], checkIds = false): RuleTestRun {
  const roots = paths.length ? [...paths] : [DEFAULT_PACK_DIR];
  const pack = loadRulePack(roots, { includeDefault: false });
  const diagnostics: Diagnostic[] = [...pack.diagnostics, ...(checkIds ? clashesWithDefaultPack(pack.definitions) : [])];
  const byId = new Map<string, RuleDefinition>(pack.definitions.map((d) => [d.id, d]));
  const results = new Map<string, RuleTestResult>();
  for (const d of pack.definitions) {
    const pos = d.source.positionOf([...d.path, 'id']);
    results.set(d.id, { ruleId: d.id, source: `${d.source.file}:${pos.line}`, fixtures: [], firing: 0, passing: 0, todo: 0, failures: [], passed: true });
  }
  const strayFailures: RuleTestFailure[] = [];
  /** Rules a fixture could not be run for (a vars value they refuse): their cases there were not counted. */
  const notRun = new Set<string>();

  for (const file of fixtureFiles(roots)) {
    const shown = displayPath(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push({ file: shown, code: 'unreadable-file', ...readProblem(e, 'fixture file') });
      continue;
    }
    runFixture(shown, text, byId, results, strayFailures, diagnostics, notRun);
  }

  // a problem in one rule's definition fails that rule: it is shown under the rule's line, not beside a ✓ for it
  for (const d of diagnostics) {
    const r = d.ruleId === undefined ? undefined : results.get(d.ruleId);
    r?.failures.push({ file: d.file, line: d.line ?? 0, message: d.message, diagnostic: d });
  }
  for (const r of results.values()) {
    // a fixture that could not be run has its cases uncounted: its problem is the failure to show, not "no case"
    if (notRun.has(r.ruleId)) {
      r.passed = false;
      continue;
    }
    const at = { file: r.source?.split(':')[0] ?? '', line: Number(r.source?.split(':')[1] ?? 0) };
    if (r.fixtures.length === 0) {
      // no fixture names the rule at all: say where one goes and what it holds
      const fixture = at.file.replace(/\.ya?ml$/i, '.test.ss');
      r.failures.push({ ...at, message: `no fixture tests it: write ${fixture} beside it, ss output whose rows are annotated \`# ruleid: ${r.ruleId}\` (must fire) and \`# ok: ${r.ruleId}\` (must not); see "Rule tests" in docs/rule-language.md` });
    } else {
      if (r.firing === 0) r.failures.push({ ...at, message: 'no firing case: add a fixture line annotated `# ruleid: ' + r.ruleId + '`' });
      if (r.passing === 0) r.failures.push({ ...at, message: 'no passing case: add a fixture line annotated `# ok: ' + r.ruleId + '`' });
    }
    r.passed = r.failures.length === 0;
  }
  const list = [...results.values()].sort((a, b) => compareText(a.ruleId, b.ruleId));
  if (strayFailures.length) {
    list.push({ ruleId: '(fixtures)', fixtures: [], firing: 0, passing: 0, todo: 0, failures: strayFailures, passed: false });
  }
  const passed = list.filter((r) => r.passed).length;
  const failed = list.length - passed + (apart({ results: list, diagnostics }).length ? 1 : 0);
  return { results: list, diagnostics, passed, failed };
}

/** The diagnostics of a run that no rule's failures show: problems loading files, not a rule's. */
function apart(run: Pick<RuleTestRun, 'results' | 'diagnostics'>): Diagnostic[] {
  const shown = new Set(run.results.flatMap((r) => r.failures.map((f) => f.diagnostic)));
  return run.diagnostics.filter((d) => !shown.has(d));
}

function runFixture(
  file: string,
  text: string,
  byId: Map<string, RuleDefinition>,
  results: Map<string, RuleTestResult>,
  stray: RuleTestFailure[],
  diagnostics: Diagnostic[],
  notRun: Set<string>,
): void {
  const parsed = parseSsText(text, { file });
  const commentLines = new Set(parsed.comments.map((c) => c.line));
  const socketLines = parsed.sockets.map((s) => s.location.line).sort((a, b) => a - b);

  // Directives and annotations.
  const globalVars: Record<string, unknown> = {};
  const ruleVars = new Map<string, Record<string, unknown>>();
  /** Where the value of each override is (`name`, or `rule-id.name`), for diagnostics. */
  const varPositions = new Map<string, { line: number; column: number }>();
  const annotations: Annotation[] = [];
  for (const c of parsed.comments) {
    const v = VARS.exec(c.text);
    if (v) {
      const r = parseVarsDirective(v[1]);
      if (r.error) stray.push({ file, line: c.line, message: `bad vars directive: ${r.error}` });
      const directiveStart = c.text.length - v[1].length; // the directive runs to the end of the line
      for (const [k, val] of Object.entries(r.vars)) {
        varPositions.set(k, { line: c.line, column: directiveStart + r.at[k] + 1 });
        const dot = k.lastIndexOf('.');
        if (dot > 0) {
          const id = k.slice(0, dot);
          const m = ruleVars.get(id) ?? {};
          m[k.slice(dot + 1)] = val;
          ruleVars.set(id, m);
        } else globalVars[k] = val;
      }
      continue;
    }
    const a = ANNOTATION.exec(c.text);
    if (!a) continue;
    for (const id of a[2].split(',').map((x) => x.trim()).filter(Boolean)) {
      annotations.push({ kind: a[1] as AnnotationKind, ruleId: id, line: c.line });
    }
  }

  // Attach each annotation to the socket right below it (only comment lines in between).
  for (const an of annotations) {
    const next = socketLines.find((l) => l > an.line);
    let ok = next !== undefined;
    if (next !== undefined) for (let l = an.line + 1; l < next; l++) if (!commentLines.has(l)) { ok = false; break; }
    if (!ok) {
      const unparsed = parsed.unparsed.find((u) => u.line > an.line);
      stray.push({
        file, line: an.line,
        message: `annotation '${an.kind}: ${an.ruleId}' is not followed by a socket line`
          + (unparsed ? ` (line ${unparsed.line} did not parse: ${unparsed.reason})` : ''),
      });
    } else an.socketLine = next;
  }

  // Rules under test: those annotated here.
  const ids = [...new Set(annotations.map((a) => a.ruleId))];
  const compiled: CompiledRule[] = [];
  for (const id of ids) {
    const def = byId.get(id);
    const line = annotations.find((a) => a.ruleId === id)!.line;
    if (!def) {
      stray.push({ file, line, message: `unknown rule id '${id}' in annotation` });
      continue;
    }
    const overrides: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(globalVars)) if (k in def.vars) overrides[k] = v;
    Object.assign(overrides, ruleVars.get(id) ?? {});
    const positionOfOverride = (name: string) => varPositions.get(`${id}.${name}`) ?? varPositions.get(name);
    const r = tryCompileRule(def, overrides, undefined, { overridesFile: file, positionOfOverride, top: 1_000_000 });
    if (!r.rule) {
      // the rule's problem here: shown under it (ruleId), and its cases in this fixture are not run
      diagnostics.push(...r.diagnostics.map((d) => ({ ...d, ruleId: id })));
      notRun.add(id);
      continue;
    }
    compiled.push(r.rule);
    const res = results.get(id)!;
    if (!res.fixtures.includes(file)) res.fixtures.push(file);
  }
  // a directive's names that nothing here declares: problems of the fixture, where they are written (as the
  // `rule-id.name` form's are, which the rule's compilation reports), with the names that are there
  const at = (key: string) => ({ file, ...(varPositions.get(key) ?? { line: 1 }) });
  const declared = [...new Set(ids.flatMap((id) => Object.keys(byId.get(id)?.vars ?? {})))];
  for (const k of Object.keys(globalVars)) {
    if (!ids.some((id) => byId.get(id) && k in byId.get(id)!.vars)) {
      const near = didYouMean(k, declared);
      diagnostics.push({
        ...at(k), code: 'unknown-variable', message: `vars directive sets '${k}', which no annotated rule declares`,
        hint: near ? `did you mean '${near}'?` : declared.length > 0 ? `declared: ${declared.join(', ')}` : 'the rules annotated here declare no variables',
      });
    }
  }
  for (const id of ruleVars.keys()) {
    if (ids.includes(id)) continue;
    const near = didYouMean(id, ids);
    const key = [...varPositions.keys()].find((k) => k.startsWith(`${id}.`)) ?? id;
    diagnostics.push({
      ...at(key), code: 'unknown-rule', message: `vars directive targets rule '${id}', which is not annotated in this fixture`,
      hint: near ? `did you mean '${near}'?` : `annotated here: ${ids.join(', ') || 'none'}`,
    });
  }
  if (compiled.length === 0) return;

  const evaluator = new SnapshotEvaluator(compiled, { file, host: 'fixture', fields: parsed.stats.fields });
  for (const s of parsed.sockets) evaluator.add(s);
  const flags = parsed.stats.meta.flags; // a fixture's `# flags:` line: what it cannot list, as a scan tells it
  const outcome = evaluator.finish(parsed.stats.fields, parsed.stats.undecided, parsed.stats.meta.source, true, flags === undefined ? undefined : captureCoverage(flags));

  for (const rule of compiled) {
    const id = rule.meta.id;
    const res = results.get(id)!;
    const ne = outcome.notEvaluated.find((n) => n.ruleId === id);
    if (ne) {
      res.failures.push({ file, line: annotations.find((a) => a.ruleId === id)!.line, message: `rule was not evaluated on this fixture: ${ne.reason}` });
      continue;
    }
    const fired = new Map<number, string>();
    for (const f of outcome.findings) {
      if (f.ruleId !== id) continue;
      if (rule.aggregate) for (const o of f.offenders ?? []) fired.set(o.location.line, f.message);
      else fired.set(f.location.line, f.message);
    }
    const what = rule.aggregate ? 'be counted among the offenders of a breaking group' : 'fire';
    const expectedFire = new Set<number>();
    for (const an of annotations) {
      if (an.ruleId !== id || an.socketLine === undefined) continue;
      const hit = fired.has(an.socketLine);
      switch (an.kind) {
        case 'ruleid':
          res.firing++;
          expectedFire.add(an.socketLine);
          if (!hit) res.failures.push({ file, line: an.socketLine, message: `expected ${id} to ${what} on this socket`, expected: 'finding', actual: 'no finding' });
          break;
        case 'ok':
          res.passing++;
          if (hit) res.failures.push({ file, line: an.socketLine, message: `expected ${id} not to ${what} on this socket`, expected: 'no finding', actual: fired.get(an.socketLine) });
          break;
        case 'todoruleid':
        case 'todook':
          res.todo++;
          expectedFire.add(an.socketLine);
          break;
      }
    }
    for (const [line, message] of fired) {
      const todoOk = annotations.some((a) => a.ruleId === id && a.socketLine === line && a.kind === 'todook');
      if (!expectedFire.has(line) && !todoOk) {
        res.failures.push({ file, line, message: `unexpected ${id} ${rule.aggregate ? 'offender' : 'finding'} on a socket not annotated \`# ruleid: ${id}\``, expected: 'no finding', actual: message });
      }
    }
  }
}


/** Test-runner style report; the last line is exactly `N passed, M failed`. */
export function formatRuleTestRun(run: RuleTestRun): string {
  const lines: string[] = [];
  for (const d of apart(run)) lines.push(`✗ ${formatDiagnostic(d)}`);
  for (const r of run.results) {
    const counts = r.ruleId === '(fixtures)' ? '' : ` (${r.firing} firing, ${r.passing} passing${r.todo ? `, ${r.todo} todo` : ''})`;
    lines.push(`${r.passed ? '✓' : '✗'} ${r.ruleId}${counts}`);
    for (const f of r.failures) {
      lines.push(`    ${f.diagnostic ? formatDiagnostic(f.diagnostic) : `${f.file}:${f.line}: ${f.message}`}`);
      if (f.expected !== undefined || f.actual !== undefined) {
        lines.push(`      expected: ${f.expected ?? '-'}`);
        lines.push(`      actual:   ${f.actual ?? '-'}`);
      }
    }
  }
  lines.push(`${run.passed} passed, ${run.failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** Alias used by the CLI (`socklint rules test`). */
export const formatRuleTestResults = formatRuleTestRun;
