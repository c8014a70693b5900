/**
 * Rule packs: YAML files (or directories of them) → validated rule definitions. All files are read
 * and all problems collected before anyone fails, so a user fixes everything in one go.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sha256Hex } from '../hash';
import { byPosition, escapeControl, type Diagnostic, type Position } from '../diagnostics';
import type { FieldGroup } from '../snapshot/types';
import type { Level } from '../engine/types';
import { DEFAULT_MAX_BYTES, firstProblems, loadYamlFile, loadYamlText, schemaValidator, type PathSegment, type ValidateFunction, type YamlLoadOptions, type YamlSource } from './yaml-source';
import { tryCompileRule, type RawRule, type RuleDefinition, type VariableDef } from './compile';
import { compareText } from '../compare';
import { displayPath } from '../relative-path';
import { readProblem } from '../read-problem';

/** The built-in pack; resolves from both src/rules and dist/rules. */
export const DEFAULT_PACK_DIR = path.resolve(__dirname, '../../rules');
export const RULE_FILE_EXTENSIONS = ['.yaml', '.yml'];

const schemaCache = new Map<string, object>();
/** schemas/NAME, read once. */
function schemaFile(name: string): object {
  let schema = schemaCache.get(name);
  if (!schema) schemaCache.set(name, (schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas', name), 'utf8')) as object));
  return schema;
}

/** The rule JSON Schema (schemas/rule.schema.json), read once. */
export function ruleSchema(): object {
  return schemaFile('rule.schema.json');
}

/** The config JSON Schema (schemas/config.schema.json), read once: config.ts validates with it, packs tell a config by its keys. */
export function configSchema(): object {
  return schemaFile('config.schema.json');
}

/**
 * The config keys (packs, hosts, waivers …) of a YAML mapping without `rules:`: a socklint config named as a
 * rule file, which one error says better than the schema's "unknown key" for each of its keys.
 */
function configKeysOf(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value) || 'rules' in value) return [];
  const known = (configSchema() as { properties: Record<string, unknown> }).properties;
  return Object.keys(value).filter((k) => Object.hasOwn(known, k));
}

/**
 * Whether `value` is a rule (or a list of rules) written without the file's `rules:` list around it — the
 * commonest first mistakes in a rule file, which the schema reports as one unknown key per rule key (or "the
 * document must be a mapping", "'rules' must be a list"): 'one' or 'list' at the top, 'item' under `rules:`
 * without its `- `, else undefined. A mapping counts when it has an `id` and, of the rule's other keys, at least
 * one of `match` / `aggregate` / `title`; a list when its first item does.
 */
function unlistedRules(value: unknown): 'one' | 'list' | 'item' | undefined {
  const ruleLike = (v: unknown): boolean => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || 'rules' in v) return false;
    const o = v as Record<string, unknown>;
    return typeof o.id === 'string' && ['match', 'aggregate', 'title'].some((k) => Object.hasOwn(o, k));
  };
  if (Array.isArray(value)) return value.length > 0 && ruleLike(value[0]) ? 'list' : undefined;
  if (value !== null && typeof value === 'object' && ruleLike((value as { rules?: unknown }).rules)) return 'item';
  return ruleLike(value) ? 'one' : undefined;
}

/** What to say of each kind of rule written without its `rules:` list (unlistedRules), and where. */
const UNLISTED: Record<'one' | 'list' | 'item', { at: PathSegment[]; message: string; hint: string }> = {
  one: {
    at: [], message: 'this rule is not inside a `rules:` list',
    hint: 'start the file with a line `rules:` and make the rule a list item under it: `  - id: ...`, its other keys indented to line up with `id`; see docs/rule-language.md',
  },
  list: {
    at: [], message: 'this list of rules is not under a `rules:` key',
    hint: 'start the file with a line `rules:` and indent the list under it; see docs/rule-language.md',
  },
  item: {
    at: ['rules'], message: '`rules:` holds a rule, not a list of rules',
    hint: 'make it a list item: `- ` before `id:`, the rule\'s other keys indented to line up with `id`; see docs/rule-language.md',
  },
};

const validators = new Map<string, ValidateFunction>();
/** The validator precompiled from a schema (`generated`: its module, see schema-build.ts), or the schema compiled now. */
function precompiled(generated: string, schema: () => object): ValidateFunction {
  let v = validators.get(generated);
  if (!v) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      v = require(generated) as ValidateFunction;
    } catch {
      v = schemaValidator(schema());
    }
    validators.set(generated, v);
  }
  return v;
}

/** The rule validator (schemas/rule.schema.json, precompiled). */
export function ruleValidator(): ValidateFunction {
  return precompiled('./rule-validator.generated', ruleSchema);
}

/** The config validator (schemas/config.schema.json, precompiled). */
export function configValidator(): ValidateFunction {
  return precompiled('./config-validator.generated', configSchema);
}

export interface RulePack {
  definitions: RuleDefinition[];
  diagnostics: Diagnostic[];
}

export interface LoadRulePackOptions {
  includeDefault: boolean;
  yaml?: YamlLoadOptions;
}

/** Folders below a named one that are searched for rule files (a deeper one is reported, not searched). */
const MAX_FOLDER_DEPTH = 16;

/** Rule files under the given paths: files as named, directories searched recursively (sorted). */
export function ruleFiles(paths: readonly string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const walked = new Set<string>(); // real paths of the folders walked: a link loop is walked once
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      const real = fs.realpathSync(dir);
      if (walked.has(real)) return;
      walked.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      diagnostics.push({ file: dir, code: 'unreadable-file', message: `cannot read directory (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    if (depth > MAX_FOLDER_DEPTH) {
      diagnostics.push({ file: dir, code: 'folder-too-deep', message: `more than ${MAX_FOLDER_DEPTH} folders below the one named: not searched`, hint: 'name this folder on its own' });
      return;
    }
    for (const ent of entries.sort((a, b) => compareText(a.name, b.name))) {
      const full = path.join(dir, ent.name);
      // a symbolic link is what it points to (a shared folder of rules linked in is searched)
      let st: fs.Stats | fs.Dirent = ent;
      if (ent.isSymbolicLink()) {
        try {
          st = fs.statSync(full);
        } catch (e) {
          // (a dangling link: "symbolic link's target not found")
          diagnostics.push({ file: full, code: 'unreadable-file', ...readProblem(e, "symbolic link's target") });
          continue;
        }
      }
      if (st.isDirectory()) {
        if (!ent.name.startsWith('.') && ent.name !== 'node_modules') walk(full, depth + 1);
      } else if (RULE_FILE_EXTENSIONS.includes(path.extname(ent.name).toLowerCase())) {
        if (st.isFile()) files.push(full);
        else {
          // reading a pipe found in a folder would wait for a writer that may never come
          diagnostics.push({ file: full, code: 'not-a-file', message: 'not a regular file (a pipe, socket or device): not read from a folder', hint: 'name it on its own to read it' });
        }
      }
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      diagnostics.push({ file: p, code: 'unreadable-file', ...readProblem(e, 'rules path') });
      continue;
    }
    if (st.isDirectory()) {
      // a folder named twice, or inside one named before (`packs: [my-rules]` and `--rules my-rules`), is read once
      if (walked.has(realOr(p))) continue;
      const found = files.length;
      const problems = diagnostics.length;
      walk(p, 0);
      // a rules folder named on the command line or in a config that holds no rules is a wrong path, not "no rules"
      if (files.length === found && diagnostics.length === problems) {
        diagnostics.push({ file: p, code: 'no-rule-files', message: `no rule files (${RULE_FILE_EXTENSIONS.join(', ')}) in this directory`, hint: 'name the folder or the YAML files that hold your rules' });
      }
    } else if (p.endsWith('.test.ss')) {
      // a rule's fixture (`rules test` finds it next to its rule), not a rule file
    } else if (p.endsWith('.ss')) {
      diagnostics.push({
        file: p, code: 'not-a-rule-file', message: 'this is a snapshot (.ss), not a rule file',
        hint: 'snapshots to scan follow the options on their own: socklint scan --rules my-rules/ web-01.ss',
      });
    } else files.push(p);
  }
  return { files, diagnostics };
}

/** Whether `file` (as given, or relative to the working directory) is one of the built-in pack's. */
function inDefaultPack(file: string): boolean {
  return path.dirname(path.resolve(file)) === DEFAULT_PACK_DIR;
}

/** Rule `id` at `at` is defined before, at `first` (in the built-in pack, or in another file of the user's). */
function duplicateId(id: string, at: { file: string; line: number; column: number }, first: { file: string; line: number; column: number }): Diagnostic {
  return {
    ...at, code: 'duplicate-id', ruleId: id,
    message: `rule id '${id}' is already defined`,
    hint: inDefaultPack(first.file)
      ? `the built-in pack has it (${first.file}:${first.line}): choose another id, or leave the pack out (--no-default-rules)`
      : `first defined at ${first.file}:${first.line}:${first.column}; ids must be unique`,
  };
}

/**
 * The ids of `definitions` (the user's) the built-in pack has too: duplicate-id each, as a scan that loads the
 * pack beside them reports it (`rules test` and `rules docs`, which load the user's files alone).
 */
export function clashesWithDefaultPack(definitions: readonly RuleDefinition[]): Diagnostic[] {
  const builtIn = new Map(loadRulePack([]).definitions.map((d) => [d.id, d]));
  const out: Diagnostic[] = [];
  for (const d of definitions) {
    const b = builtIn.get(d.id);
    if (b === undefined || path.resolve(d.source.file) === path.resolve(b.source.file)) continue;
    out.push(duplicateId(d.id, { file: d.source.file, ...d.source.positionOf([...d.path, 'id']) }, { file: b.source.file, ...b.source.positionOf([...b.path, 'id']) }));
  }
  return out;
}

function realOr(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Load rule files and directories (+ the default pack). Returns the definitions that are valid and
 * every diagnostic (schema, semantics, duplicate ids across files). The CLI exits 2 when
 * `diagnostics` is not empty.
 */
export function loadRulePack(paths: readonly string[], opts: LoadRulePackOptions = { includeDefault: true }): RulePack {
  const all = opts.includeDefault ? [DEFAULT_PACK_DIR, ...paths.filter((p) => path.resolve(p) !== DEFAULT_PACK_DIR)] : [...paths];
  const { files, diagnostics } = ruleFiles(all);
  const definitions: RuleDefinition[] = [];
  const seen = new Map<string, { file: string; line: number; column: number }>();
  const seenFiles = new Set<string>();
  for (const file of files) {
    const resolved = path.resolve(file);
    // one file, however it is reached (named twice, or through a symbolic link), is read once
    const real = realOr(resolved);
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    const src = (inDefaultPack(resolved) && cachedSource(resolved, displayPath(file), opts.yaml))
      || loadYamlFile(displayPath(file), ruleValidator(), opts.yaml);
    collect(src, definitions, diagnostics, seen);
  }
  return { definitions, diagnostics };
}

// ---------------------------------------------------------------------------------------------------
// The default pack's cache: its files, already parsed and validated, keyed by content hash. Loading
// the pack then needs neither yaml nor the schema validator (~100 ms of startup). A file whose hash
// differs (edited, not regenerated) is simply parsed: the cache can make loading faster, never wrong.
// test/rules/pack.test.ts fails when the cache is stale; regenerate with
// `UPDATE_GENERATED=1 npx jest test/rules`.

export const DEFAULT_PACK_CACHE = path.join(DEFAULT_PACK_DIR, 'default-pack.cache.json');

interface PackCacheEntry {
  sha256: string;
  value: unknown;
  /** Positions of the rule ids (`rules/0/id` → position), the only ones a valid pack needs. */
  positions: Record<string, Position>;
}
interface PackCache {
  files: Record<string, PackCacheEntry>;
}

let packCache: PackCache | null | undefined;

function cachedSource(resolved: string, shown: string, yaml: YamlLoadOptions | undefined): YamlSource | undefined {
  if (packCache === undefined) {
    try {
      packCache = JSON.parse(fs.readFileSync(DEFAULT_PACK_CACHE, 'utf8')) as PackCache;
    } catch {
      packCache = null;
    }
  }
  const entry = packCache?.files[path.basename(resolved)];
  if (!entry) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch {
    return undefined;
  }
  if (text.length > (yaml?.maxBytes ?? DEFAULT_MAX_BYTES) || sha256Hex(text) !== entry.sha256) return undefined;
  let parsed: YamlSource | undefined;
  const real = () => (parsed ??= loadYamlText(text, shown, undefined, yaml));
  return {
    file: shown,
    value: entry.value,
    diagnostics: [],
    positionOf: (p: readonly PathSegment[]) => entry.positions[p.join('/')] ?? real().positionOf(p),
    keyPositionOf: (p: readonly PathSegment[]) => real().keyPositionOf(p),
  };
}

/** The cache file's content for the current default pack (only files without diagnostics). */
export function renderDefaultPackCache(): string {
  const files: Record<string, PackCacheEntry> = {};
  for (const file of ruleFiles([DEFAULT_PACK_DIR]).files) {
    if (path.dirname(path.resolve(file)) !== DEFAULT_PACK_DIR) continue;
    const text = fs.readFileSync(file, 'utf8');
    const src = loadYamlText(text, file, ruleValidator());
    if (src.diagnostics.length) continue;
    const positions: Record<string, Position> = {};
    const rules = (src.value as { rules: unknown[] }).rules;
    rules.forEach((_, i) => { positions[`rules/${i}/id`] = src.positionOf(['rules', i, 'id']); });
    files[path.basename(file)] = { sha256: sha256Hex(text), value: src.value, positions };
  }
  return `${JSON.stringify({ files }, null, 1)}\n`;
}

/** Load rules from text (tests, editors). */
export function loadRuleText(text: string, file: string, opts: YamlLoadOptions = {}): RulePack {
  const definitions: RuleDefinition[] = [];
  const diagnostics: Diagnostic[] = [];
  collect(loadYamlText(text, file, ruleValidator(), opts), definitions, diagnostics, new Map());
  return { definitions, diagnostics };
}


/** Records rule `id` (of rules[index] in src) as defined there, or reports it as a duplicate: whether it was new. */
function claimId(id: string, src: YamlSource, index: number, seen: Map<string, { file: string; line: number; column: number }>, diagnostics: Diagnostic[]): boolean {
  const at = { file: src.file, ...src.positionOf(['rules', index, 'id']) };
  const first = seen.get(id);
  if (first) {
    diagnostics.push(duplicateId(id, at, first));
    return false;
  }
  seen.set(id, at);
  return true;
}

function collect(src: YamlSource, definitions: RuleDefinition[], diagnostics: Diagnostic[], seen: Map<string, { file: string; line: number; column: number }>): void {
  if (src.diagnostics.length > 0) {
    const unlisted = unlistedRules(src.value);
    if (unlisted !== undefined) {
      const { at, message, hint } = UNLISTED[unlisted];
      diagnostics.push({ file: src.file, ...src.positionOf(at), code: 'rules-not-listed', message, hint });
      return;
    }
    const configKeys = configKeysOf(src.value);
    if (configKeys.length > 0) {
      diagnostics.push({
        file: src.file, code: 'not-a-rule-file', message: `this is a socklint config (${configKeys.join(', ')}), not a rule file`,
        hint: 'give a config with -c/--config; --rules and packs: name rule files, which hold a rules: list, or their folders',
      });
      return;
    }
    const found = [...src.diagnostics];
    semanticProblems(src, found);
    // its rules' ids still count: a duplicate among them, or of one of them later, is reported now, not once
    // the schema errors are fixed
    const rules = (src.value as { rules?: unknown } | undefined)?.rules;
    if (Array.isArray(rules)) {
      rules.forEach((raw, index) => {
        const id = (raw as { id?: unknown } | null)?.id;
        if (typeof id === 'string') claimId(id, src, index, seen, found);
      });
    }
    found.sort(byPosition);
    for (const d of firstProblems(found)) diagnostics.push(d);
    return;
  }
  const rules = (src.value as { rules: RawRule[] }).rules;
  const found: Diagnostic[] = [];
  rules.forEach((raw, index) => {
    const rulePath = ['rules', index];
    const vars: Record<string, VariableDef> = {};
    for (const [name, v] of Object.entries(raw.vars ?? {})) vars[name] = { name, type: v.type, default: v.default, ...(v.description ? { description: v.description } : {}) };
    const def: RuleDefinition = { id: raw.id, raw, source: src, path: rulePath, vars };
    if (!claimId(raw.id, src, index, seen, found)) return;
    const idPos = src.positionOf([...rulePath, 'id']);
    // Compile with the defaults now, so semantic errors surface at load time.
    let r: ReturnType<typeof tryCompileRule>;
    try {
      r = tryCompileRule(def);
    } catch (e) {
      r = { diagnostics: [{ file: src.file, line: idPos.line, column: idPos.column, code: 'rule-compile', message: `cannot compile rule '${raw.id}': ${(e as Error).message}` }] };
    }
    if (r.diagnostics.length) {
      for (const d of r.diagnostics) found.push(d);
      return;
    }
    definitions.push(def);
  });
  for (const d of firstProblems(found)) diagnostics.push(d);
}

/**
 * A file with schema errors still gets the semantic checks (CIDRs, regexes, variables, placeholders)
 * on whatever is well-formed, so the user sees every problem at once. Problems at a position the
 * schema already reported are left out.
 */
function semanticProblems(src: YamlSource, diagnostics: Diagnostic[]): void {
  const rules = (src.value as { rules?: unknown } | undefined)?.rules;
  if (!Array.isArray(rules)) return;
  const taken = new Set(src.diagnostics.map((d) => `${d.line}:${d.column}`));
  rules.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const r = raw as RawRule;
    const vars: Record<string, VariableDef> = {};
    const declared = r.vars && typeof r.vars === 'object' ? r.vars : {};
    for (const [name, v] of Object.entries(declared)) {
      if (v && typeof v === 'object' && typeof v.type === 'string') vars[name] = { name, type: v.type, default: v.default };
    }
    try {
      const res = tryCompileRule({ id: String(r.id), raw: r, source: src, path: ['rules', index], vars });
      for (const d of res.diagnostics) {
        const key = `${d.line}:${d.column}`;
        if (taken.has(key) || d.code === 'unused-variable') continue;
        taken.add(key);
        diagnostics.push(d);
      }
    } catch {
      // Too malformed to check further; the schema diagnostics say why.
    }
  });
}

export interface RuleSummary {
  id: string;
  title: string;
  kind: 'security' | 'health';
  severity: Level;
  securitySeverity?: number;
  tags: string[];
  aggregate: boolean;
  /** false: off unless a config enables it. */
  enabled: boolean;
  requires: FieldGroup[];
  variables: { name: string; type: string; default: unknown; description?: string }[];
  source: string;
}

/** One line of facts per rule, sorted by id (for `socklint rules list`). */
export function listRules(definitions: readonly RuleDefinition[]): RuleSummary[] {
  return definitions
    .map((def) => {
      const compiled = tryCompileRule(def).rule;
      const pos = def.source.positionOf([...def.path, 'id']);
      return {
        id: def.id,
        title: def.raw.title,
        kind: def.raw.kind,
        severity: def.raw.severity,
        ...(def.raw.securitySeverity !== undefined ? { securitySeverity: def.raw.securitySeverity } : {}),
        tags: def.raw.tags ?? [],
        aggregate: !!def.raw.aggregate,
        enabled: def.raw.enabled !== false,
        requires: compiled?.requires ?? [],
        variables: Object.values(def.vars).map((v) => ({ name: v.name, type: v.type, default: v.default, ...(v.description ? { description: v.description } : {}) })),
        source: `${def.source.file}:${pos.line}`,
      };
    })
    .sort((a, b) => compareText(a.id, b.id));
}

/** Plain-text table for `rules list`. */
export function formatRuleList(rules: readonly RuleSummary[]): string {
  // (a title is the rule author's text: shown escaped, as the text report shows a snapshot's)
  const rows = rules.map((r) => [r.id, r.severity, r.kind + (r.aggregate ? '/aggregate' : ''), escapeControl(r.title) + (r.enabled ? '' : '  (off by default: a config enables it)')]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), 2));
  return rows.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`).join('\n') + (rows.length ? '\n' : '');
}
