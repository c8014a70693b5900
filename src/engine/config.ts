/**
 * socklint.yaml: packs, disabled rules, severity and variable overrides (global and per host), waivers.
 * Validated by schemas/config.schema.json with positions; every mistake is reported at file:line:column
 * before anything is scanned (exit 2). Produces the RuleSelector and the waiver filter the scan uses.
 */
import * as path from 'node:path';
import { ExitCode, UserError, byPosition, didYouMean, type Diagnostic, type Position } from '../diagnostics';
import { firstProblems, loadYamlFile, type PathSegment, type YamlSource } from '../rules/yaml-source';
import { configValidator, loadRulePack } from '../rules/pack';
import { GLOB_HINT, globProblem, globTester, picomatchLib } from '../rules/glob';
import { displayPath, relativeInside } from '../relative-path';
import { compileCondition, tryCompileRule, type RuleDefinition } from '../rules/compile';
import type { CompiledRule } from '../rules/types';
import type { HostEntryReport, Level, RuleMeta, SnapshotReport } from './types';
import type { RuleSelector, SnapshotIdentity } from './scan';
import type { WaiverSpec } from './waivers';

export interface HostOverride {
  match: { host?: string; labels?: Record<string, string> };
  disable?: string[];
  enable?: string[];
  severity?: Record<string, Level>;
  variables?: Record<string, Record<string, unknown>>;
  globals?: Record<string, unknown>;
}

export interface ConfigFile {
  packs?: string[];
  defaultRules?: boolean;
  maxFindingsPerRule?: number;
  /** How many days ahead reports name waivers about to expire (EXPIRY_NOTICE_DAYS by default). */
  waiverNoticeDays?: number;
  disable?: string[];
  /** Rules off by default (a rule file's `enabled: false`) that run on every host. */
  enable?: string[];
  severity?: Record<string, Level>;
  variables?: Record<string, Record<string, unknown>>;
  globals?: Record<string, unknown>;
  hosts?: HostOverride[];
  waivers?: {
    rule: string; host?: string; where?: Record<string, unknown>; group?: Record<string, string | number | null>;
    fingerprint?: string; reason: string; expires: string; owner?: string; ticket?: string;
  }[];
}

export interface LoadedConfig {
  file?: string;
  data: ConfigFile;
  source?: YamlSource;
  /** Its invalid globs (globProblems), reported with the entries' other problems (ConfiguredRules.checkOverrides). */
  globProblems?: Diagnostic[];
}

/**
 * One diagnostic for a file given as the config that is a rule file (a mapping with a `rules:` list) or a
 * snapshot (ss text, which reads as one string or fails as YAML), in place of the schema's complaints about
 * it; undefined for anything else.
 */
function notAConfig(source: YamlSource): Diagnostic | undefined {
  const v = source.value as { rules?: unknown } | undefined;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray(v.rules)) {
    return {
      file: source.file, code: 'not-a-config', message: 'this is a rule file (it holds a rules: list), not a socklint config',
      hint: 'give rule files with --rules PATH, or list them under packs: in a config',
    };
  }
  if (/\.ss(\.gz)?$/i.test(source.file)) {
    return {
      file: source.file, code: 'not-a-config', message: 'this is a snapshot (.ss), not a socklint config',
      hint: 'snapshots to scan follow the options on their own: socklint scan -c socklint.yaml web-01.ss',
    };
  }
  return undefined;
}

export function loadConfig(file: string | undefined): LoadedConfig {
  if (!file) return { data: {} };
  const source = loadYamlFile(file, configValidator());
  if (source.diagnostics.length > 0) throw new UserError(notAConfig(source) ?? firstProblems(source.diagnostics), ExitCode.usage);
  const data = (source.value ?? {}) as ConfigFile; // a mapping: the schema refused anything else (wrong-type)
  const globs = globProblems(data, source);
  return { file, data, source, ...(globs.length > 0 ? { globProblems: globs } : {}) };
}

/**
 * A config this thread loaded and checked, as a worker thread takes it (RuleSetup.checked): its data and where
 * each waiver starts (the line the reports cite), instead of parsing the YAML again — a fleet config's 5,000
 * waivers took each worker ~0.6 s to parse before it scanned anything.
 */
export interface CheckedConfig {
  file: string;
  data: ConfigFile;
  waivers: Position[];
}

export function checkedConfig(config: LoadedConfig): CheckedConfig | undefined {
  const src = config.source;
  if (config.file === undefined || src === undefined) return undefined;
  return { file: config.file, data: config.data, waivers: (config.data.waivers ?? []).map((_, i) => src.positionOf(['waivers', i])) };
}

/**
 * The LoadedConfig of a CheckedConfig. Its source knows the waivers' positions only: everything else was
 * checked where the config was loaded, so no diagnostic needs another (any would say line 1).
 */
export function configFromChecked(c: CheckedConfig): LoadedConfig {
  const at = (path: readonly PathSegment[]): Position =>
    (path.length === 2 && path[0] === 'waivers' && typeof path[1] === 'number' ? c.waivers[path[1]] : undefined) ?? { line: 1, column: 1 };
  return { file: c.file, data: c.data, source: { file: c.file, value: c.data, diagnostics: [], positionOf: at, keyPositionOf: at } };
}

/** Host globs (`hosts:` entries, waivers) and waiver rule globs: an invalid one is an error at load, whatever the scan's hosts. */
function globProblems(data: ConfigFile, source: YamlSource): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const check = (pattern: unknown, at: PathSegment[], what: string) => {
    if (typeof pattern !== 'string') return;
    const problem = globProblem(pattern);
    if (!problem) return;
    const shown = pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern;
    diagnostics.push({ file: source.file, ...source.positionOf(at), code: 'bad-glob', message: `${what} "${shown}" is not a valid glob: ${problem}`, ...(pattern.length > picomatchLib().constants.MAX_LENGTH ? {} : { hint: GLOB_HINT }) });
  };
  (data.hosts ?? []).forEach((h, i) => check(h?.match?.host, ['hosts', i, 'match', 'host'], 'host pattern'));
  (data.waivers ?? []).forEach((w, i) => {
    check(w?.rule, ['waivers', i, 'rule'], 'rule pattern');
    check(w?.host, ['waivers', i, 'host'], 'host pattern');
  });
  return diagnostics;
}

interface Effective {
  disabled: Set<string>;
  severity: Map<string, { level: Level; at: PathSegment[] }>;
  /**
   * rule id → variable → its value and where it was written (for diagnostics): a block's `globals` (for every
   * rule that declares the name), then its `variables`, block after block — a later block wins, and within a
   * block a rule's own variables win over its globals.
   */
  variables: Map<string, Map<string, { value: unknown; at: PathSegment[] }>>;
}

type OverrideBlock = Pick<HostOverride, 'disable' | 'enable' | 'severity' | 'variables' | 'globals'>;

/** The rule set of a scan: every definition, compiled per host with that host's overrides (cached). */
export class ConfiguredRules implements RuleSelector {
  private readonly cache = new Map<string, CompiledRule>();
  private readonly metas: RuleMeta[];
  /** Whether each `hosts:` entry's `match:` holds for a snapshot (its host glob compiled once). */
  private readonly hostMatchers: ((id: SnapshotIdentity) => boolean)[];

  private constructor(private readonly definitions: RuleDefinition[], private readonly config: LoadedConfig, private readonly capOverride?: number) {
    const off = new Set(definitions.filter((d) => d.raw.enabled === false).map((d) => d.id));
    for (const id of config.data.disable ?? []) off.add(id);
    for (const id of config.data.enable ?? []) off.delete(id);
    this.disabledAtTop = off;
    // the rules that may run (the reports' rule list): not disabled at the top level, or enabled by a hosts: entry;
    // at the level the config gives a rule for every host (its top-level `severity:`): what reports show as the
    // rule's level (JSON rules[].level, SARIF defaultConfiguration); a host's own override shows on its findings
    const enabledByHosts = new Set((config.data.hosts ?? []).flatMap((h) => h.enable ?? []));
    this.metas = definitions.filter((d) => !off.has(d.id) || enabledByHosts.has(d.id)).map((d) => this.compile(d, {}, config.data.severity?.[d.id], () => undefined).meta);
    this.hostMatchers = (config.data.hosts ?? []).map((h) => hostMatcher(h.match));
  }

  /**
   * The rules disabled for every host before its `hosts:` entries apply: those whose file says `enabled: false`
   * and the top level's `disable:`, less its `enable:`.
   */
  private readonly disabledAtTop: ReadonlySet<string>;

  /** Loads packs (CLI `--rules` + config `packs`), checks every override against them; throws UserError(2) listing all problems. */
  static load(config: LoadedConfig, cliRulePaths: string[], cliDefaultRules: boolean, maxFindingsPerRule?: number): ConfiguredRules {
    const base = config.file ? path.dirname(config.file) : '.';
    const configPacks = (config.data.packs ?? []).map((p) => path.resolve(base, p));
    const includeDefault = cliDefaultRules && config.data.defaultRules !== false;
    const pack = loadRulePack([...cliRulePaths, ...configPacks], { includeDefault });
    const diagnostics: Diagnostic[] = pack.diagnostics.map((d) => atPackEntry(d, config, configPacks));
    if (pack.diagnostics.length === 0 && pack.definitions.length === 0) {
      // what left the built-in pack out is where to look: the config's `defaultRules: false`, or the option
      const byConfig = config.data.defaultRules === false && config.source !== undefined;
      const at = byConfig ? config.source!.positionOf(['defaultRules']) : {};
      const drop = [...(byConfig ? ['defaultRules: false'] : []), ...(cliDefaultRules ? [] : ['--no-default-rules'])].join(' and ');
      diagnostics.push({ file: config.file ?? '', ...at, code: 'no-rules', message: 'no rules to run', hint: `drop ${drop}, or name rule files: ${config.file ? 'packs: in the config, or ' : ''}--rules PATH` });
    }
    if (diagnostics.length > 0) throw new UserError(diagnostics, ExitCode.usage);
    const rules = new ConfiguredRules(pack.definitions, config, maxFindingsPerRule);
    rules.checkOverrides();
    return rules;
  }

  allRules(): RuleMeta[] {
    return this.metas;
  }

  /** `--max-findings` wins over the config's `maxFindingsPerRule`. */
  get maxFindingsPerRule(): number | undefined {
    return this.capOverride ?? this.config.data.maxFindingsPerRule;
  }

  rulesFor(id: SnapshotIdentity): { rules: CompiledRule[]; maxFindingsPerRule?: number } {
    const eff = this.effective(id);
    const rules: CompiledRule[] = [];
    for (const def of this.definitions) {
      if (eff.disabled.has(def.id)) continue;
      const sev = eff.severity.get(def.id);
      const vars = eff.variables.get(def.id);
      const values: Record<string, unknown> = {};
      for (const [name, v] of vars ?? []) values[name] = v.value;
      rules.push(this.compile(def, values, sev?.level, (name) => vars?.get(name)?.at));
    }
    return { rules, maxFindingsPerRule: this.maxFindingsPerRule };
  }

  private compile(def: RuleDefinition, vars: Record<string, unknown>, level: Level | undefined, at: (name: string) => PathSegment[] | undefined): CompiledRule {
    const key = `${def.id}\u0000${level ?? ''}\u0000${JSON.stringify(vars)}`;
    let rule = this.cache.get(key);
    if (!rule) {
      const r = tryCompileRule(def, vars, level, this.overrideOptions(at));
      if (!r.rule) throw new UserError(r.diagnostics, ExitCode.usage);
      rule = r.rule;
      this.cache.set(key, rule);
    }
    return rule;
  }

  /** Where the config gives each variable its value (`at(name)`: the value's key path), for diagnostics there. */
  private overrideOptions(at: (name: string) => PathSegment[] | undefined) {
    const src = this.config.source;
    if (!src) return {};
    return {
      overridesFile: src.file,
      positionOfOverride: (name: string) => {
        const path = at(name);
        return path === undefined ? undefined : src.keyPositionOf(path);
      },
    };
  }

  /** Variable name → the rules that declare it. */
  private declaredCache: Map<string, RuleDefinition[]> | undefined;
  private get declared(): Map<string, RuleDefinition[]> {
    if (this.declaredCache === undefined) {
      this.declaredCache = new Map();
      for (const def of this.definitions) {
        for (const name of Object.keys(def.vars)) this.declaredCache.set(name, [...(this.declaredCache.get(name) ?? []), def]);
      }
    }
    return this.declaredCache;
  }

  private effective(id: SnapshotIdentity): Effective {
    const d = this.config.data;
    const eff: Effective = { disabled: new Set(this.disabledAtTop), severity: new Map(), variables: new Map() };
    const set = (rule: string, name: string, value: unknown, at: PathSegment[]) => {
      let vars = eff.variables.get(rule);
      if (vars === undefined) eff.variables.set(rule, (vars = new Map()));
      vars.set(name, { value, at });
    };
    const apply = (o: OverrideBlock, at: PathSegment[]) => {
      for (const [name, value] of Object.entries(o.globals ?? {})) {
        for (const def of this.declared.get(name) ?? []) set(def.id, name, value, [...at, 'globals', name]);
      }
      for (const r of o.disable ?? []) eff.disabled.add(r);
      for (const r of o.enable ?? []) eff.disabled.delete(r);
      for (const [r, level] of Object.entries(o.severity ?? {})) eff.severity.set(r, { level, at: [...at, 'severity', r] });
      for (const [r, values] of Object.entries(o.variables ?? {})) {
        for (const [name, value] of Object.entries(values)) set(r, name, value, [...at, 'variables', r, name]);
      }
    };
    apply(d, []); // (its disable: and enable: again: disabledAtTop holds them already)
    (d.hosts ?? []).forEach((h, i) => {
      if (this.hostMatchers[i](id)) apply(h, ['hosts', i]);
    });
    return eff;
  }

  /**
   * The `hosts:` entries that matched none of the snapshots scanned, when they are of more than one host (a fleet
   * scan, where an entry that applies nowhere is most likely a host glob or label written wrong). A scan of one
   * host — a live scan, a host's own timer — lists none: a config shared by a fleet has entries for other hosts.
   */
  hostEntries(snapshots: readonly SnapshotReport[]): HostEntryReport[] {
    const hosts = new Set(snapshots.map((s) => s.host)).size;
    const entries = this.config.data.hosts ?? [];
    if (hosts < 2 || entries.length === 0) return [];
    // one test per identity, not per snapshot (a fleet's snapshots of one host with the same labels are alike)
    const ids = [...new Map(snapshots.map((s) => [JSON.stringify([s.host, s.labels ?? {}]), { host: s.host, labels: s.labels ?? {} }])).values()];
    const src = this.config.source;
    const unused: HostEntryReport[] = [];
    entries.forEach((h, i) => {
      if (ids.some(this.hostMatchers[i])) return;
      unused.push({ match: h.match, ...(src ? { location: { file: src.file, line: src.positionOf(['hosts', i]).line } } : {}), status: 'unused', hostsScanned: hosts });
    });
    return unused;
  }

  /** Unknown rule ids and bad variable values are errors at load time, not on the first matching host. */
  private checkOverrides(): void {
    const src = this.config.source;
    if (!src) return;
    const ids = new Set(this.definitions.map((d) => d.id));
    const diagnostics: Diagnostic[] = [];
    const checkId = (ruleId: string, at: PathSegment[], keyed: boolean) => {
      if (ids.has(ruleId)) return true;
      const pos = keyed ? src.keyPositionOf(at) : src.positionOf(at);
      const hint = didYouMean(ruleId, ids);
      diagnostics.push({ file: src.file, ...pos, code: 'unknown-rule', message: `no rule "${ruleId}" is loaded`, hint: hint ? `did you mean "${hint}"?` : 'see `socklint rules list`' });
      return false;
    };
    const d = this.config.data;
    const declared = this.declared;
    const checkBlock = (o: OverrideBlock, at: PathSegment[]) => {
      for (const [name, value] of Object.entries(o.globals ?? {})) {
        const defs = declared.get(name);
        if (!defs) {
          const hint = didYouMean(name, declared.keys());
          diagnostics.push({ file: src.file, ...src.keyPositionOf([...at, 'globals', name]), code: 'unknown-variable', message: `no loaded rule declares a variable "${name}"`, hint: hint ? `did you mean "${hint}"?` : 'see the variables in docs/rules.md' });
          continue;
        }
        // the value must suit every rule that declares the name; one report is enough
        const problem = defs.map((def) => tryCompileRule(def, { [name]: value }, undefined, { overridesFile: src.file, positionOfOverride: () => src.positionOf([...at, 'globals', name]) }))
          .find((r) => r.diagnostics.length > 0);
        if (problem) diagnostics.push(problem.diagnostics[0]);
      }
      (o.disable ?? []).forEach((r, i) => checkId(r, [...at, 'disable', i], false));
      (o.enable ?? []).forEach((r, i) => {
        if (!checkId(r, [...at, 'enable', i], false)) return;
        // within one level, `enable` would win: which was meant is not for socklint to guess
        if (o.disable?.includes(r)) {
          diagnostics.push({ file: src.file, ...src.positionOf([...at, 'enable', i]), code: 'conflicting-keys', message: `rule "${r}" is both disabled and enabled here`, hint: 'keep it in one of the two lists' });
        }
      });
      for (const r of Object.keys(o.severity ?? {})) checkId(r, [...at, 'severity', r], true);
      for (const [r, values] of Object.entries(o.variables ?? {})) {
        if (!checkId(r, [...at, 'variables', r], true)) continue;
        const def = this.definitions.find((x) => x.id === r)!;
        const res = tryCompileRule(def, values, undefined, this.overrideOptions((name) => [...at, 'variables', r, name]));
        for (const d of res.diagnostics) diagnostics.push(d);
      }
    };
    checkBlock(d, []);
    (d.hosts ?? []).forEach((h, i) => checkBlock(h, ['hosts', i]));
    (d.waivers ?? []).forEach((w, i) => {
      // the rules it may waive: the one it names, or those its glob matches (as WaiverFilter matches them)
      let defs: RuleDefinition[];
      if (/[*?[\]{}]/.test(w.rule)) {
        const isMatch = globTester(w.rule);
        defs = this.definitions.filter((x) => isMatch(x.id));
        if (defs.length === 0) {
          diagnostics.push({ file: src.file, ...src.positionOf(['waivers', i, 'rule']), code: 'unknown-rule', message: `no loaded rule matches "${w.rule}"`, hint: 'see `socklint rules list`' });
          return;
        }
      } else {
        if (!checkId(w.rule, ['waivers', i, 'rule'], false)) return;
        defs = [this.definitions.find((x) => x.id === w.rule)!];
      }
      // what the rules' findings are: a waiver that asks for the other kind would match none of them
      const groupBys = defs.map((x) => x.raw.aggregate).filter((a) => a !== undefined).map((a): readonly string[] => a.groupBy ?? []);
      const perSocket = groupBys.length < defs.length;
      const named = defs.length === 1 ? `rule "${defs[0].id}"` : `no rule matching "${w.rule}"`;
      const at = (key: string) => ({ file: src.file, ...src.keyPositionOf(['waivers', i, key]), code: 'bad-waiver' });
      if (w.group !== undefined && w.where !== undefined) {
        // a finding is about one socket (where:) or about a group of sockets (group:): never both
        diagnostics.push({ ...at('group'), message: 'a waiver with both where: and group: matches no finding: one is about a socket, the other about a group of sockets', hint: 'keep one of them; waive the other kind of finding with a waiver of its own' });
      } else if (w.group !== undefined && groupBys.length === 0) {
        const message = defs.length === 1 ? `${named} fires per socket: its findings have no group` : `the rules matching "${w.rule}" fire per socket: their findings have no group`;
        diagnostics.push({ ...at('group'), message, hint: 'waive them with where: (a condition on the socket), or by fingerprint' });
      } else if (w.group !== undefined) {
        const keys = Object.keys(w.group);
        if (!groupBys.some((g) => keys.every((k) => g.includes(k)))) {
          const stray = keys.filter((k) => !groupBys.some((g) => g.includes(k)));
          const by = [...new Set(groupBys.flat())];
          const message = defs.length === 1
            ? `${named} groups by ${by.length > 0 ? by.join(', ') : 'nothing'}, not by ${stray.join(', ')}`
            : `${named} groups by ${keys.join(' and ')}`;
          diagnostics.push({ ...at('group'), message, hint: by.length > 0 ? `write group: {${by[0]}: …}` : 'leave group: out' });
        }
      }
      if (w.where !== undefined && w.group === undefined && !perSocket) {
        const by = [...new Set(groupBys.flat())];
        const message = defs.length === 1 ? `${named} counts sockets: its findings are groups, not sockets` : `the rules matching "${w.rule}" count sockets: their findings are groups, not sockets`;
        diagnostics.push({ ...at('where'), message, hint: by.length > 0 ? `waive a group with group: {${by[0]}: …}` : 'waive it by rule alone, or by fingerprint' });
      }
    });
    // the waivers' own problems (conditions, dates) and the file's invalid globs with these, all at once, in the file's order
    for (const d of waiverSpecs(this.config).diagnostics) diagnostics.push(d);
    const globs = this.config.globProblems ?? [];
    if (globs.length > 0) {
      // an invalid rule glob matches no rule: that is the glob's problem, said once
      const at = new Set(globs.map((g) => `${g.line}:${g.column}`));
      diagnostics.splice(0, diagnostics.length, ...diagnostics.filter((d) => !at.has(`${d.line}:${d.column}`)), ...globs);
    }
    // the config's own first (the first 100 of them, as its schema problems are cut), then those in rule files
    const here = diagnostics.filter((d) => d.file === src.file).sort(byPosition);
    const elsewhere = diagnostics.filter((d) => d.file !== src.file).sort(byPosition);
    if (diagnostics.length > 0) throw new UserError([...firstProblems(here), ...elsewhere], ExitCode.usage);
  }
}

/**
 * A problem with a `packs:` entry as a whole (no such path, a config or a snapshot named as a rule file, a folder
 * without rule files) at the entry in the config, which holds the mistake; problems inside a rule file stay there.
 */
function atPackEntry(d: Diagnostic, config: LoadedConfig, resolved: readonly string[]): Diagnostic {
  const src = config.source;
  if (!src || d.line !== undefined) return d;
  const file = path.resolve(d.file);
  const i = resolved.findIndex((p) => p === file || relativeInside(p, file) !== undefined);
  if (i < 0) return d;
  const entry = config.data.packs![i];
  const inside = file !== resolved[i];
  const where = inside ? `${displayPath(file)}, in pack '${entry}'` : `pack '${entry}' (resolved to ${displayPath(file)})`;
  const hint = inside && d.code === 'not-a-rule-file' ? `name the rule files in packs:, or keep other YAML files out of the pack's folder`
    : !inside && d.code === 'unreadable-file' && !path.isAbsolute(entry) ? `a pack's path is relative to the config's folder, ${displayPath(path.dirname(src.file))}`
    : d.hint;
  return { file: src.file, ...src.positionOf(['packs', i]), code: d.code, message: `${where}: ${d.message}`, ...(hint ? { hint } : {}) };
}

function hostMatcher(match: HostOverride['match']): (id: SnapshotIdentity) => boolean {
  const host = match.host ? globTester(match.host) : () => true;
  const labels = Object.entries(match.labels ?? {});
  return (id) => host(id.host) && labels.every(([k, v]) => id.labels[k] === v);
}

/** Waivers with compiled `where` conditions; errors (bad operator, bad CIDR, a day not in the calendar ...) at file:line:column. */
export function configWaivers(config: LoadedConfig): WaiverSpec[] {
  const { specs, diagnostics } = waiverSpecs(config);
  if (diagnostics.length > 0) throw new UserError(diagnostics, ExitCode.usage);
  return specs;
}

/** waiverSpecs' answer for each config (compiled once: checkOverrides reports its problems with the others'). */
const waiverSpecsOf = new WeakMap<LoadedConfig, { specs: WaiverSpec[]; diagnostics: Diagnostic[] }>();

/** The config's waivers compiled, and the problems found doing it. */
function waiverSpecs(config: LoadedConfig): { specs: WaiverSpec[]; diagnostics: Diagnostic[] } {
  let done = waiverSpecsOf.get(config);
  if (done === undefined) waiverSpecsOf.set(config, (done = compileWaivers(config)));
  return done;
}

function compileWaivers(config: LoadedConfig): { specs: WaiverSpec[]; diagnostics: Diagnostic[] } {
  const src = config.source;
  const waivers = config.data.waivers ?? [];
  const diagnostics: Diagnostic[] = [];
  if (!src || waivers.length === 0) return { specs: [], diagnostics };
  const specs: WaiverSpec[] = [];
  waivers.forEach((w, i) => {
    let where: Pick<WaiverSpec, 'where' | 'requires'> = {};
    if (w.where !== undefined) {
      const c = compileCondition(w.where, src, ['waivers', i, 'where']);
      for (const d of c.diagnostics) diagnostics.push(d);
      if (c.match) where = { where: c.match, ...(c.requires.length > 0 ? { requires: c.requires } : {}) };
    }
    const date = Date.parse(`${w.expires}T00:00:00Z`);
    // Date.parse takes 2027-02-30 as March 2nd: a date must come back as it was written
    if (Number.isNaN(date) || new Date(date).toISOString().slice(0, 10) !== w.expires) {
      diagnostics.push({ file: src.file, ...src.positionOf(['waivers', i, 'expires']), code: 'bad-date', message: `"${w.expires}" is not a calendar date`, hint: 'write YYYY-MM-DD, e.g. 2027-01-31' });
    }
    const pos = src.positionOf(['waivers', i]);
    specs.push({
      rule: w.rule,
      ...(w.host ? { host: w.host } : {}),
      ...where,
      ...(w.group ? { group: w.group } : {}),
      ...(w.fingerprint ? { fingerprint: w.fingerprint } : {}),
      reason: w.reason,
      expires: w.expires,
      ...(w.owner ? { owner: w.owner } : {}),
      ...(w.ticket ? { ticket: w.ticket } : {}),
      location: { file: src.file, line: pos.line },
    });
  });
  return { specs, diagnostics };
}
