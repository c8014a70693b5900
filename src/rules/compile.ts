/**
 * Rule definitions (validated YAML) → CompiledRule: predicates built once, variables substituted,
 * message templates parsed, and the field groups the rule needs computed from what it reads.
 * Every semantic problem (bad CIDR, bad regex, unknown variable, wrong variable type, unknown
 * placeholder, ...) becomes a Diagnostic at the exact position in the rule file.
 */
import type { FieldGroup, SocketRecord } from '../snapshot/types';
import { securitySeverityAt, type Level, type RuleMeta } from '../engine/types';
import type { CompareOp, CompiledAggregate, CompiledRule, GroupKey, AggregateFunction } from './types';
import { ExitCode, UserError, aliasOf, didYouMean, escapeControl, type Diagnostic, type Position } from '../diagnostics';
import { describeSocket, formatEndpoint } from '../snapshot/describe';
import { GLOB_HINT, globProblem, globsMatcher } from './glob';
import { FIELD_ALIASES, FIELD_BY_NAME, FIELDS, FIELD_GROUPS, OPERATOR_ALIASES, type FieldDef, type FieldValue } from './fields';
import { cidrContains, cidrContainsV4, cidrContainsWords, ipv4Number, ipv6Words, addressSpelling, ownCopy, parseCidr, parseIp, type Cidr, type IpAddress } from './address';
import { compileRegex } from './regex';
import type { PathSegment } from './yaml-source';
import { posix } from 'node:path';
import { VARIABLE_TYPES, GROUP_KEYS } from './schema-build';

export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface VariableDef {
  name: string;
  type: VariableType;
  default: unknown;
  description?: string;
}

/** Positions in the file a definition came from. */
export interface PositionSource {
  file: string;
  positionOf(path: readonly PathSegment[]): Position;
  keyPositionOf(path: readonly PathSegment[]): Position;
}

/** One rule as written (schema-valid), with what is needed to compile it and to cite positions. */
export interface RuleDefinition {
  id: string;
  /** The rule's mapping as plain data. */
  raw: RawRule;
  /** Where it came from, and the path of the rule inside the file (e.g. ['rules', 0]). */
  source: PositionSource;
  path: PathSegment[];
  vars: Record<string, VariableDef>;
}

export interface RawRule {
  id: string;
  title: string;
  description: string;
  kind: 'security' | 'health';
  severity: Level;
  /** false: off unless a config enables it (ConfiguredRules). */
  enabled?: boolean;
  securitySeverity?: number;
  tags?: string[];
  references?: string[];
  help: string;
  helpUri?: string;
  vars?: Record<string, { type: VariableType; default: unknown; description?: string }>;
  match: Record<string, unknown>;
  aggregate?: RawAggregate;
  message: string;
}

export interface RawAggregate {
  function?: AggregateFunction;
  field?: string;
  groupBy?: GroupKey[];
  gt?: unknown; gte?: unknown; lt?: unknown; lte?: unknown; eq?: unknown;
  top?: number;
}

export interface CompileOptions {
  /** The file the variable overrides were written in (a config file), for diagnostics. */
  overridesFile?: string;
  /** Position of an override value in that file. */
  positionOfOverride?(name: string): Position | undefined;
  /** Offenders listed per aggregate finding, overriding the rule's `top` (the test runner lists all). */
  top?: number;
}

export interface CompileResult {
  rule?: CompiledRule;
  diagnostics: Diagnostic[];
}

/**
 * Compile a rule with variable overrides (config) and an optional level override.
 * Throws UserError (exit 2) with every diagnostic when the rule or the overrides are wrong.
 */
export function compileRule(def: RuleDefinition, variableOverrides: Record<string, unknown> = {}, levelOverride?: Level, opts: CompileOptions = {}): CompiledRule {
  const r = tryCompileRule(def, variableOverrides, levelOverride, opts);
  if (!r.rule || r.diagnostics.length > 0) throw new UserError(r.diagnostics, ExitCode.usage);
  return r.rule;
}

/** Rules compiled with their defaults, per definition: loading checks them, the engine reuses them. */
const compiledWithDefaults = new WeakMap<RuleDefinition, CompileResult>();

export function tryCompileRule(def: RuleDefinition, variableOverrides: Record<string, unknown> = {}, levelOverride?: Level, opts: CompileOptions = {}): CompileResult {
  const plain = Object.keys(variableOverrides).length === 0 && opts.top === undefined;
  let result = plain ? compiledWithDefaults.get(def) : undefined;
  if (!result) {
    const c = new RuleCompiler(def, opts);
    c.bindVariables(variableOverrides);
    const rule = c.compile(plain ? undefined : levelOverride);
    result = { rule: c.diagnostics.length ? undefined : rule, diagnostics: c.diagnostics };
    if (!plain) return result;
    compiledWithDefaults.set(def, result);
  }
  if (result.rule && levelOverride && levelOverride !== result.rule.level) {
    return { rule: { ...result.rule, level: levelOverride, meta: { ...result.rule.meta, level: levelOverride, ...scoreAt(def.raw, levelOverride) } }, diagnostics: result.diagnostics };
  }
  return result;
}

/**
 * A security rule's score (RuleMeta.securitySeverity) at `level`: a level the config gives it instead of its pack's
 * brings the score into that level's band, since GitHub shows a security alert's score, not its level.
 */
function scoreAt(raw: RawRule, level: Level): Pick<RuleMeta, 'securitySeverity'> {
  if (raw.securitySeverity === undefined) return {};
  return { securitySeverity: level === raw.severity ? raw.securitySeverity : securitySeverityAt(raw.securitySeverity, level) };
}

/**
 * Compile a stand-alone condition (the config's waiver `where:`), written in the rule language at
 * `path` of `source`. Variables are not available there.
 */
export function compileCondition(value: unknown, source: PositionSource, path: PathSegment[]): { match?: (s: SocketRecord) => boolean; requires: FieldGroup[]; diagnostics: Diagnostic[] } {
  const def: RuleDefinition = { id: '', raw: { match: value } as unknown as RawRule, source, path: [], vars: {} };
  const c = new RuleCompiler(def, {});
  const match = c.condition(value, path);
  if (c.diagnostics.length === 0) noteValueDemands(match, value);
  return { match: c.diagnostics.length ? undefined : match, requires: c.requires(), diagnostics: c.diagnostics };
}

/** Check a variable value against its declared type; returns the reason it does not fit. */
export function checkVariableValue(type: VariableType, value: unknown): string | undefined {
  const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  switch (type) {
    case 'number': return isNum(value) ? undefined : `must be a number, not ${describeValue(value)}`;
    case 'string': return typeof value === 'string' ? undefined : `must be a string, not ${describeValue(value)}`;
    case 'boolean': return typeof value === 'boolean' ? undefined : `must be true or false, not ${describeValue(value)}`;
    case 'string-list':
      if (!Array.isArray(value)) return `must be a list of strings, not ${describeValue(value)}`;
      for (const [i, v] of value.entries()) if (typeof v !== 'string') return `item ${i + 1} must be a string, not ${describeValue(v)}`;
      return undefined;
    case 'number-list':
    case 'port-list': {
      if (!Array.isArray(value)) return `must be a list of ${type === 'port-list' ? 'ports' : 'numbers'} or "lo-hi" ranges, not ${describeValue(value)}`;
      for (const [i, v] of value.entries()) {
        const range = typeof v === 'string' ? parseRange(v) : undefined;
        if (!isNum(v) && !range) return `item ${i + 1} must be a number or a "lo-hi" range, not ${describeValue(v)}`;
        if (range && range[0] > range[1]) return `item ${i + 1}: range "${v}" is empty (low > high)`;
        if (type === 'port-list') {
          const nums = range ?? [v as number];
          if (nums.some((n) => !Number.isInteger(n) || n < 0 || n > 65535)) return `item ${i + 1}: ${String(v)} is not a port (0–65535)`;
        }
      }
      return undefined;
    }
    case 'cidr-list': {
      if (!Array.isArray(value)) return `must be a list of CIDRs, not ${describeValue(value)}`;
      for (const [i, v] of value.entries()) {
        if (typeof v !== 'string') return `item ${i + 1} must be a CIDR string, not ${describeValue(v)}`;
        const c = parseCidr(v);
        if ('error' in c) return `item ${i + 1}: ${c.error}`;
      }
      return undefined;
    }
  }
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 37)}...` : v}'`;
  return `${typeof v} ${String(v)}`;
}

function parseRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const VAR_REF = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
const MAX_GLOB_LENGTH = 1000;

/** A `.` or `..` segment of a path. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * An absolute path with `.` or `..` segments as the place it names (`/tmp/.X11-unix/../evil` is /tmp/evil): ss
 * prints a unix socket's path as bind() was given it, and a glob's `*` and `**` never match such a segment, so
 * `/tmp/**` missed it. Other text as it is.
 */
function resolvedPath(x: string): string {
  return x.charCodeAt(0) === 47 /* / */ && DOT_SEGMENT.test(x) ? posix.normalize(x) : x;
}

type Pred = (s: SocketRecord) => boolean;
type ValuePred = (v: FieldValue, s: SocketRecord) => boolean;
type NumberOperand = (s: SocketRecord) => number | undefined;
/** What a constant NumberOperand (a number, a $variable) is asked with. */
const NO_SOCKET = {} as SocketRecord;
/** A name no table has: a netid matcher admitting it admits whatever it does not name (`not: tcp`). */
const NOT_A_NETID = '\u0000';
/** The netids a condition admits, as far as they can be told: `any` when it names none, `unknown` when it cannot be told. */
type NetidScope = ReadonlySet<string> | 'any' | 'unknown';
/** The tables whose local.port/peer.port is an IP port (0–65535); others' may be larger (a unix socket's inode). */
const IP_NETIDS: ReadonlySet<string> = new Set(['tcp', 'udp', 'raw', 'icmp6', 'mptcp', 'dccp', 'sctp']);
const MAX_PORT = 65535;

/** The netids a condition inside another admits: both must. */
function narrowScope(outer: NetidScope, inner: NetidScope): NetidScope {
  if (typeof outer !== 'string' && typeof inner !== 'string') return new Set([...inner].filter((n) => outer.has(n)));
  if (typeof outer !== 'string') return outer;
  if (typeof inner !== 'string') return inner;
  return outer === 'unknown' || inner === 'unknown' ? 'unknown' : 'any';
}
type Matcher = (values: FieldValue[] | undefined, s: SocketRecord) => boolean;

interface BoundVariable {
  def: VariableDef;
  value: unknown;
  overridden: boolean;
  /** The declared default is wrong (already reported): uses stay silent. */
  invalid?: boolean;
}

/**
 * What a condition reads, in its shape, to tell on a snapshot lacking some field groups whether its outcome can be
 * trusted. A field the snapshot does not carry reads as missing: a matcher on it is false, so a finding may be
 * missed — or, under `not` (or `exists: false`), true, so a finding may be invented.
 */
type Need =
  | { k: 'field'; group: FieldGroup | null; others: FieldGroup[]; absentHolds: boolean; negated: boolean }
  | { k: 'all' | 'any'; items: Need[] }
  | { k: 'not'; item: Need };

/** The outcome may be false where the truth is true (a missed finding)… */
const MISS = 1;
/** …but only in an `any` branch while another branch is evaluable: accepted (retransmitting's timer branch). */
const MISS_OK = 2;
/** The outcome may be true where the truth is false (an invented finding). */
const INVENT = 4;
/** An accepted miss under `not`: an invented finding, unless negated again. */
const INVENT_OK = 8;
/** How a condition's outcome may differ from the truth, and whether a missing field fixes it (-1 false, 1 true). */
interface Outcome { bits: number; fixed: -1 | 0 | 1 }
const EXACT: Outcome = { bits: 0, fixed: 0 };

function outcome(n: Need, available: ReadonlySet<FieldGroup>): Outcome {
  switch (n.k) {
    case 'field':
      if (n.group && !available.has(n.group)) return n.absentHolds ? { bits: INVENT, fixed: 1 } : { bits: MISS, fixed: -1 };
      // a `{field: other}` operand missing: the comparison is false, or true under a field-level `not`
      if (n.others.some((g) => !available.has(g))) return { bits: n.negated ? MISS | INVENT : MISS, fixed: 0 };
      return EXACT;
    case 'not': {
      const o = outcome(n.item, available);
      return { bits: ((o.bits & (MISS | MISS_OK)) << 2) | ((o.bits & (INVENT | INVENT_OK)) >> 2), fixed: (-o.fixed || 0) as Outcome['fixed'] };
    }
    default: {
      const outs = n.items.map((x) => outcome(x, available));
      // an item a missing field makes false (in `all`) or true (in `any`) on every socket decides the whole
      const decisive = n.k === 'all' ? -1 : 1;
      const decided = outs.filter((o) => o.fixed === decisive);
      if (decided.length > 0) return { bits: decided.reduce((b, o) => b | o.bits, 0), fixed: decisive };
      let bits = outs.reduce((b, o) => b | o.bits, 0);
      // `any`: one evaluable branch is enough, the others only miss — but a branch that may invent still counts
      if (n.k === 'any' && outs.some((o) => (o.bits & ~MISS_OK) === 0) && bits & MISS) bits = (bits & ~MISS) | MISS_OK;
      return { bits, fixed: outs.length > 0 && outs.every((o) => o.fixed === -decisive) ? (-decisive as Outcome['fixed']) : 0 };
    }
  }
}

/** Whether a condition's outcome on a snapshot with these groups is the truth, or misses only what `any` allows. */
function evaluable(n: Need, available: ReadonlySet<FieldGroup>): boolean {
  return (outcome(n, available).bits & (MISS | INVENT | INVENT_OK)) === 0;
}

/**
 * The fewest groups (of those the condition reads) whose absence keeps it from being evaluable: empty when it is.
 * Not simply every absent group: `any` needs one evaluable branch — so retransmitting runs on an `-o` capture through its
 * timer branch — unless a branch could hold for want of a field (a `not` in it), which needs its groups: the missing
 * field would invent a finding.
 */
function missingGroups(need: Need, reads: readonly FieldGroup[], available: ReadonlySet<FieldGroup>): FieldGroup[] {
  if (evaluable(need, available)) return [];
  const absent = reads.filter((g) => !available.has(g));
  const size = (m: number): number => (m === 0 ? 0 : (m & 1) + size(m >> 1));
  const masks = Array.from({ length: (1 << absent.length) - 1 }, (_, i) => i + 1).sort((a, b) => size(a) - size(b) || a - b);
  for (const m of masks) {
    const add = absent.filter((_, i) => m & (1 << i));
    if (evaluable(need, new Set([...available, ...add]))) return add;
  }
  return absent;
}

/** The socket field each aggregate group key reads (groupValue in src/engine/evaluate.ts). */
const GROUP_KEY_FIELD: Record<GroupKey, string> = {
  state: 'state', process: 'process.name', localPort: 'local.port', peerAddress: 'peer.address', netid: 'netid', localAddress: 'local.address', peerPort: 'peer.port',
};

class RuleCompiler {
  readonly diagnostics: Diagnostic[] = [];
  /** Every group the rule reads (for listings); `Need`s say which of them are really needed. */
  private readonly groups = new Set<FieldGroup>();
  /** Every socket field the condition and the aggregate read (the engine parses no more than these). */
  private readonly reads = new Set<string>();
  /** What the condition compiled last reads, in its shape. */
  private lastNeed: Need = { k: 'all', items: [] };
  /** The groups the field conjunct being compiled reads; outside one (the aggregate's field), `loose`. */
  private collecting: Set<FieldGroup> | undefined;
  private readonly loose = new Set<FieldGroup>();
  private readonly vars = new Map<string, BoundVariable>();
  private readonly usedVars = new Set<string>();
  /** Cost of the first conjunct of the condition compiled last (how cheaply it can reject a socket). */
  private rejectCost = 0;
  /** The netids the conditions around the one being compiled admit (checkPort). */
  private netidScope: NetidScope = 'any';

  constructor(private readonly def: RuleDefinition, private readonly opts: CompileOptions) {}

  private at(path: readonly PathSegment[], code: string, message: string, hint?: string, key = false): void {
    const p = key ? this.def.source.keyPositionOf(path) : this.def.source.positionOf(path);
    this.diagnostics.push({ file: this.def.source.file, line: p.line, column: p.column, code, message, ...(hint ? { hint } : {}) });
  }

  /**
   * A problem with the value of `operand` (at `path` in the rule): when it is a variable the config sets, the
   * value is the config's, and so is the place to fix it — there the diagnostic is.
   */
  private atOperand(operands: readonly unknown[], path: readonly PathSegment[], code: string, message: string, hint?: string): void {
    for (const operand of operands) {
      const name = typeof operand === 'string' ? VAR_REF.exec(operand)?.[1] : undefined;
      const bound = name === undefined ? undefined : this.vars.get(name);
      const pos = bound?.overridden ? this.opts.positionOfOverride?.(name!) : undefined;
      if (pos) {
        this.diagnostics.push({
          file: this.opts.overridesFile ?? this.def.source.file, line: pos.line, column: pos.column, code,
          message: `${message} (the value this file gives '${name}' of rule '${this.def.id}')`, ...(hint ? { hint } : {}),
        });
        return;
      }
    }
    this.at(path, code, message, hint);
  }

  private rulePath(...rest: PathSegment[]): PathSegment[] {
    return [...this.def.path, ...rest];
  }

  requires(): FieldGroup[] {
    return FIELD_GROUPS.filter((g) => this.groups.has(g));
  }

  /** The rule reads `field` of a socket. */
  private read(field: FieldDef): void {
    this.reads.add(field.name);
    this.need(field.group);
  }

  private need(group: FieldGroup | null | undefined): void {
    if (!group) return;
    this.groups.add(group);
    (this.collecting ?? this.loose).add(group);
  }

  /** `match`: what the rule's condition reads. Answers are kept by the groups a snapshot has (a fleet has few sets). */
  missingFieldsFn(match: Need): (available: ReadonlySet<FieldGroup>) => FieldGroup[] {
    const need: Need = { k: 'all', items: [match, ...[...this.loose].map((group): Need => ({ k: 'field', group, others: [], absentHolds: false, negated: false }))] };
    const reads = this.requires();
    const answers = new Map<number, FieldGroup[]>();
    return (available) => {
      const key = reads.reduce((k, g, i) => (available.has(g) ? k | (1 << i) : k), 0);
      let missing = answers.get(key);
      if (missing === undefined) answers.set(key, (missing = missingGroups(need, reads, available)));
      return missing;
    };
  }

  bindVariables(overrides: Record<string, unknown>): void {
    for (const [name, v] of Object.entries(this.def.vars)) {
      const problem = checkVariableValue(v.type, v.default);
      if (problem) this.at(this.rulePath('vars', name, 'default'), 'bad-variable', `default of variable '${name}' (${v.type}) ${problem}`);
      this.vars.set(name, { def: v, value: v.default, overridden: false, invalid: !!problem });
    }
    for (const [name, value] of Object.entries(overrides)) {
      const bound = this.vars.get(name);
      const pos = this.opts.positionOfOverride?.(name);
      const file = this.opts.overridesFile ?? this.def.source.file;
      const where = pos ? { file, line: pos.line, column: pos.column } : { file };
      if (!bound) {
        const known = [...this.vars.keys()];
        const suggestion = didYouMean(name, known);
        this.diagnostics.push({
          ...where, code: 'unknown-variable',
          message: `rule '${this.def.id}' has no variable '${name}'`,
          hint: suggestion ? `did you mean '${suggestion}'?` : known.length ? `its variables: ${known.join(', ')}` : 'this rule declares no variables',
        });
        continue;
      }
      const problem = checkVariableValue(bound.def.type, value);
      if (problem) {
        this.diagnostics.push({ ...where, code: 'bad-variable', message: `variable '${name}' of rule '${this.def.id}' (${bound.def.type}) ${problem}` });
        continue;
      }
      this.vars.set(name, { def: bound.def, value, overridden: true, invalid: false });
    }
  }

  compile(levelOverride?: Level): CompiledRule {
    const raw = this.def.raw;
    const match = raw.match === undefined ? () => false : this.condition(raw.match, this.rulePath('match'));
    const matchNeed = this.lastNeed;
    const aggregate = raw.aggregate ? this.aggregate(raw.aggregate) : undefined;
    const level = levelOverride ?? raw.severity;
    const idPos = this.def.source.positionOf(this.rulePath('id'));
    const meta: RuleMeta = {
      id: raw.id,
      title: raw.title,
      description: String(raw.description ?? '').trim(),
      level,
      kind: raw.kind,
      ...scoreAt(raw, level),
      tags: raw.tags ?? [],
      references: raw.references ?? [],
      help: String(raw.help ?? '').trim(),
      ...(raw.helpUri ? { helpUri: raw.helpUri } : {}),
      source: `${this.def.source.file}:${idPos.line}`,
    };
    const socketMessage = aggregate || typeof raw.message !== 'string' ? undefined : this.socketTemplate(raw.message, this.rulePath('message'));
    const typos = this.diagnostics.some((d) => d.code === 'unknown-variable');
    for (const name of this.vars.keys()) {
      if (!typos && !this.usedVars.has(name)) {
        // Declared but never used: almost always a typo in a reference or a leftover.
        this.at(this.rulePath('vars', name), 'unused-variable', `variable '${name}' is declared but never used`, 'reference it as $' + name + ' or remove it', true);
      }
    }
    if (aggregate) for (const k of aggregate.groupBy) this.reads.add(GROUP_KEY_FIELD[k]);
    return {
      meta,
      requires: this.requires(),
      reads: [...this.reads],
      missingFields: this.missingFieldsFn(matchNeed),
      match,
      message: socketMessage ?? ((s) => `${raw.title}: ${describeSocket(s)}`),
      ...(aggregate ? { aggregate } : {}),
      level,
    };
  }

  // ------------------------------------------------------------------------------- conditions

  condition(value: unknown, path: PathSegment[]): Pred {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.at(path, 'wrong-type', 'a condition must be a mapping of fields and all/any/not');
      this.lastNeed = { k: 'all', items: [] };
      return () => false;
    }
    const preds: CostedPred[] = [];
    const needs: Need[] = [];
    const outerScope = this.netidScope;
    this.netidScope = narrowScope(outerScope, this.netidsOf(value as Record<string, unknown>));
    for (const [key, spec] of Object.entries(value as Record<string, unknown>)) {
      const p = [...path, key];
      if (key === 'all' || key === 'any') {
        if (!Array.isArray(spec) || spec.length === 0) {
          this.at(p, 'wrong-type', `'${key}' must be a non-empty list of conditions`);
          continue;
        }
        if (key === 'all') {
          let cost = COST_COMPOUND;
          const items: Need[] = [];
          const parts = spec.map((c, i) => {
            const pred = this.condition(c, [...p, i]);
            items.push(this.lastNeed);
            cost = Math.min(cost, this.rejectCost);
            return pred;
          });
          needs.push({ k: 'all', items });
          preds.push({ pred: allOf(parts), cost: cost + 0.5 });
        } else {
          let cost = 0;
          const items: Need[] = [];
          const parts = spec.map((c, i) => {
            const pred = this.condition(c, [...p, i]);
            items.push(this.lastNeed);
            cost = Math.max(cost, this.rejectCost);
            return pred;
          });
          needs.push({ k: 'any', items });
          // as cheap to reject as its dearest branch is (`any` of netid/state branches: very cheap)
          preds.push({ pred: anyOf(parts), cost: Math.min(cost, COST_COMPOUND) + 0.5 });
        }
      } else if (key === 'not') {
        const inner = this.condition(spec, p);
        needs.push({ k: 'not', item: this.lastNeed });
        preds.push({ pred: (s) => !inner(s), cost: COST_COMPOUND });
      } else {
        const field = FIELD_BY_NAME.get(key);
        if (!field) {
          const suggestion = aliasOf(FIELD_ALIASES, key) ?? didYouMean(key, FIELD_BY_NAME.keys()) ?? FIELDS.find((f) => f.name.endsWith(`.${key}`))?.name;
          this.at(p, 'unknown-field', `unknown field '${key}'`, suggestion ? `did you mean '${suggestion}'?` : undefined, true);
          continue;
        }
        const outerCollecting = this.collecting;
        const others = (this.collecting = new Set<FieldGroup>());
        this.read(field);
        const get = field.get;
        if (field.list) {
          const m = this.matcher(field, spec, p);
          preds.push({ pred: (s) => m(get(s) as FieldValue[] | undefined, s), cost: COST_LIST, key });
        } else {
          preds.push({ ...this.scalarFieldPred(field, spec, p), key });
        }
        this.collecting = outerCollecting;
        if (field.group) others.delete(field.group);
        const ops = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
        // a missing field fails every matcher (it is `undefined`) but a lone `exists: false`
        const absentHolds = Object.keys(ops).length === 1 && ops.exists === false;
        needs.push({ k: 'field', group: field.group, others: [...others], absentHolds, negated: 'not' in ops });
      }
    }
    this.netidScope = outerScope;
    this.lastNeed = { k: 'all', items: needs };
    // Conjuncts are pure: evaluate the cheap, selective ones (netid, state) first.
    preds.sort((a, b) => a.cost - b.cost);
    this.rejectCost = preds.length ? preds[0].cost : 0;
    const pred = allOf(preds.map((x) => x.pred));
    const cond = value as Record<string, unknown>;
    const filter = this.socketFilter(cond);
    if (filter) {
      // What is left to test of a socket the filter admits: the netid/state conjuncts the filter is made of hold.
      const decided = (key: string): boolean => (key === 'netid' || key === 'state') && this.filterValues(cond, key) !== undefined;
      const rest = preds.filter((x) => x.key === undefined || !decided(x.key));
      SOCKET_FILTERS.set(pred, rest.length < preds.length ? { ...filter, residual: allOf(rest.map((x) => x.pred)) } : filter);
    }
    if (this.leavesLoopbackOut(cond)) LOOPBACK_LEFT_OUT.add(pred);
    return pred;
  }

  /** Whether a condition's top level (or each branch of a top-level `any`) refuses a local.scope of loopback. */
  private leavesLoopbackOut(cond: Record<string, unknown>): boolean {
    if (Object.prototype.hasOwnProperty.call(cond, 'local.scope')) {
      const scopes = this.admitted('local.scope', cond['local.scope']);
      if (scopes !== undefined && !scopes.has('loopback')) return true;
    }
    const any = cond.any;
    return Array.isArray(any) && any.length > 0 &&
      any.every((b) => b !== null && typeof b === 'object' && !Array.isArray(b) && this.leavesLoopbackOut(b as Record<string, unknown>));
  }

  /** literalValues (beside socketFilterOf, where a waiver's value demands are read by it too). */
  private plainValues<T>(cond: Record<string, unknown>, key: string, plain: (x: unknown) => x is T): ReadonlySet<T> | undefined {
    return literalValues(cond, key, plain);
  }

  /**
   * The netids/states a condition's top-level `netid:`/`state:` admits, whatever its matcher (`tcp`, `{in: …}`,
   * `{not: tcp}`, `{matches: …}`, a variable): both are closed vocabularies, so the matcher is asked about each name.
   * A top-level `not: {netid: …}` narrows the netids too (a socket always has one). Undefined when every name is
   * admitted, or none, or a socket without a state.
   */
  private filterValues(cond: Record<string, unknown>, key: 'netid' | 'state'): ReadonlySet<string> | undefined {
    const has = (c: unknown): c is Record<string, unknown> => c !== null && typeof c === 'object' && !Array.isArray(c) && Object.prototype.hasOwnProperty.call(c, key);
    const own = has(cond) ? this.admitted(key, cond[key]) : undefined;
    if (key === 'state' || !has(cond.not) || Object.keys(cond.not).length !== 1) return own;
    const negated = this.admitted(key, cond.not.netid, true);
    const both = own && negated ? new Set([...own].filter((n) => negated.has(n))) : own ?? negated;
    return both?.size ? both : undefined;
  }

  /** filterValues of one matcher (`negate`: of `{not: spec}`), by its spec. */
  private readonly admittedBySpec = new Map<string, Map<unknown, ReadonlySet<string> | undefined>>();

  private admitted(key: 'netid' | 'state' | 'local.scope', spec: unknown, negate = false): ReadonlySet<string> | undefined {
    const memoKey = negate ? `not ${key}` : key;
    let known = this.admittedBySpec.get(memoKey);
    if (!known) this.admittedBySpec.set(memoKey, (known = new Map()));
    if (known.has(spec)) return known.get(spec);
    // names written out (`tcp`, `{in: [u_str, u_seq]}`) as written: reasons and the rule reference list them so
    const plain = negate ? undefined : this.plainValues({ [key]: spec }, key, (x): x is string => typeof x === 'string' && !x.startsWith('$'));
    if (plain) return plain;
    const field = FIELD_BY_NAME.get(key)!;
    // compiled again only to be asked: its problems are reported where the condition is compiled
    const reported = this.diagnostics.length;
    const collecting = this.collecting;
    this.collecting = new Set();
    const m = this.matcher(field, negate ? { not: spec } : spec, []);
    this.collecting = collecting;
    const broken = this.diagnostics.length > reported;
    this.diagnostics.length = reported;
    const admits = (v: string | undefined): boolean => m(v === undefined ? undefined : [v], NO_SOCKET);
    let names = field.values!.filter((v) => admits(v));
    if (key === 'netid') {
      // `unknown` is the table of a socket no row told (undecided): admitted when the matcher names it, not when it
      // admits any name but some (`not: tcp` — the socket may be tcp): those are the undecided check's
      // (undecidedConcern in src/engine/evaluate.ts), as for `in: [udp, raw]`
      if (admits('unknown') && admits(NOT_A_NETID)) names = names.filter((n) => n !== 'unknown');
      if (names.length === field.values!.length - 1 && !names.includes('unknown')) names = []; // every table
    } else if (admits(undefined) || names.length === field.values!.length) names = [];
    const out = !broken && names.length > 0 ? new Set(names) : undefined;
    known.set(spec, out);
    return out;
  }

  /**
   * The netids a condition admits for checkPort: those it demands (socketFilter), else `unknown` when it names
   * netid in a way that cannot be told (one branch of an `any`, a matcher admitting every table), else `any`.
   */
  private netidsOf(cond: Record<string, unknown>): NetidScope {
    const netids = this.socketFilter(cond)?.netids;
    if (netids) return netids;
    return JSON.stringify(cond).includes('"netid"') ? 'unknown' : 'any';
  }

  /**
   * A port field compared with a number no port has (above 65535, or negative) where the socket is an IP socket,
   * or any socket: only other tables' "ports" can be such numbers (a unix socket's is its inode), so the rule
   * would never match the IP sockets it is written for.
   */
  private checkPort(field: FieldDef, value: number | readonly [number, number], operand: unknown, path: PathSegment[]): void {
    if (field.name !== 'local.port' && field.name !== 'peer.port') return;
    const [lo, hi] = typeof value === 'number' ? [value, value] : value;
    if (lo >= 0 && hi <= MAX_PORT) return;
    const scope = this.netidScope;
    if (scope === 'unknown' || (scope !== 'any' && [...scope].some((n) => !IP_NETIDS.has(n)))) return;
    const shown = typeof value === 'number' ? `${value} is` : `range "${lo}-${hi}" reaches`;
    const of = scope === 'any' ? 'an IP socket' : `a ${[...scope].join('/')} socket`;
    this.atOperand([operand], path, 'bad-port', `${field.name} ${shown} outside the ports of ${of} (0–${MAX_PORT}); only a unix socket's ${field.name} (its inode) goes higher`,
      scope === 'any' ? `write a port from 0 to ${MAX_PORT}, or add netid: [u_str, u_dgr, u_seq] to compare unix sockets' inodes` : `write a port from 0 to ${MAX_PORT}`);
  }

  /**
   * What the top level of a condition demands of netid and state (`netid: tcp`, `state: {in: […]}`, `netid: {not: tcp}`),
   * so the engine can skip the rule for sockets that cannot match. Undefined when nothing is demanded.
   */
  private socketFilter(cond: Record<string, unknown>): SocketFilter | undefined {
    let netids = this.filterValues(cond, 'netid');
    let states = this.filterValues(cond, 'state');
    // `any` of branches that each demand a netid (state): the socket has one of theirs
    const any = cond.any;
    if (Array.isArray(any) && any.length > 0 && (!netids || !states)) {
      const branches = any.map((b) => (b !== null && typeof b === 'object' && !Array.isArray(b) ? this.socketFilter(b as Record<string, unknown>) : undefined));
      const union = (k: 'netids' | 'states'): ReadonlySet<string> | undefined =>
        branches.every((f) => f?.[k]) ? new Set(branches.flatMap((f) => [...f![k]!])) : undefined;
      netids ??= union('netids');
      states ??= union('states');
    }
    const value = this.portDemand(cond);
    if (!netids && !states && !value) return undefined;
    return { ...(netids ? { netids } : {}), ...(states ? { states } : {}), ...(value ? { value } : {}) };
  }

  /**
   * A top-level `local.port`/`peer.port` given as plain numbers (`22`, `[80, 443]`, `{eq: 22}`, `{in: […]}`):
   * a socket whose port is not one of them cannot match. (Ranges, variables and other operators demand
   * nothing here; the conjunct stays in the residual test either way.)
   */
  private portDemand(cond: Record<string, unknown>): SocketFilter['value'] {
    for (const field of ['local.port', 'peer.port'] as const) {
      const values = this.plainValues(cond, field, (x): x is number => Number.isInteger(x));
      if (values) return { field, values };
    }
    return undefined;
  }

  /** A condition on one non-list field, read once per socket; the shorthand forms become direct compares. */
  private scalarFieldPred(field: FieldDef, spec: unknown, path: PathSegment[]): CostedPred {
    const get = field.get as (s: SocketRecord) => FieldValue | undefined;
    const cost = FIELD_COSTS[field.name] ?? (field.type === 'address' || field.name.endsWith('.scope') || field.name.endsWith('.family') ? COST_ADDRESS : COST_FIELD);
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      if (field.type !== 'number' && !Array.isArray(spec) && !this.listVariable(spec)) {
        // `state: LISTEN`: one string compare
        const v = this.operator(field, 'eq', spec, path) ? this.scalarValueOf(field, spec) : undefined;
        if (v === undefined) return { pred: () => false, cost };
        return { pred: (s) => get(s) === v, cost };
      }
      const m = this.matcher(field, spec, path);
      const box: FieldValue[] = [0];
      return {
        pred: (s) => {
          const v = get(s);
          if (v === undefined) return false;
          box[0] = v;
          return m(box, s);
        },
        cost,
      };
    }
    const m = this.matcher(field, spec, path);
    // One reusable box per field matcher: no allocation per socket on the hot path.
    const box: FieldValue[] = [0];
    return {
      pred: (s) => {
        const v = get(s);
        if (v === undefined) return m(undefined, s);
        box[0] = v;
        return m(box, s);
      },
      cost: cost + COST_OPERATORS,
    };
  }

  /** The value of a shorthand scalar already checked by operator('eq') (no second diagnostic). */
  private scalarValueOf(field: FieldDef, spec: unknown): FieldValue | undefined {
    const v = typeof spec === 'string' && VAR_REF.test(spec) ? this.vars.get(VAR_REF.exec(spec)![1])?.value : spec;
    return typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
  }

  /** A field matcher: shorthand scalar (eq), list (in), range string, or a mapping of operators (all must hold). */
  private matcher(field: FieldDef, spec: unknown, path: PathSegment[]): Matcher {
    if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
      const ops = spec as Record<string, unknown>;
      const elem: ValuePred[] = [];
      const negations: Matcher[] = [];
      let exists: boolean | undefined;
      for (const [op, operand] of Object.entries(ops)) {
        const p = [...path, op];
        if (op === 'exists') {
          if (typeof operand !== 'boolean') this.at(p, 'wrong-type', "'exists' must be true or false");
          else exists = operand;
        } else if (op === 'not') {
          negations.push(this.matcher(field, operand, p));
        } else {
          const pred = this.operator(field, op, operand, p);
          if (pred) elem.push(pred);
        }
      }
      if (Object.keys(ops).length === 0) this.at(path, 'wrong-type', `field '${field.name}' needs an operator`);
      const onlyAbsent = exists === false && elem.length === 0 && negations.length === 0;
      return (values, s) => {
        // Missing field: only `exists: false` holds (a list field with no entries counts as missing).
        if (values === undefined || values.length === 0) return onlyAbsent;
        if (exists === false) return false;
        if (elem.length > 0) {
          let any = false;
          for (let i = 0; i < values.length && !any; i++) {
            let all = true;
            for (let j = 0; j < elem.length && all; j++) all = elem[j](values[i], s);
            any = all;
          }
          if (!any) return false;
        }
        for (let j = 0; j < negations.length; j++) if (negations[j](values, s)) return false;
        return true;
      };
    }
    let pred: ValuePred | undefined;
    if (Array.isArray(spec) || this.listVariable(spec)) pred = this.operator(field, 'in', spec, path);
    else if (field.type === 'number' && typeof spec === 'string' && parseRange(spec)) pred = this.operator(field, 'in', [spec], path);
    else pred = this.operator(field, 'eq', spec, path);
    const f = pred ?? (() => false);
    return (values, s) => {
      if (values === undefined) return false;
      for (let i = 0; i < values.length; i++) if (f(values[i], s)) return true;
      return false;
    };
  }

  private operator(field: FieldDef, op: string, operand: unknown, path: PathSegment[]): ValuePred | undefined {
    const allowed = operatorsFor(field);
    if (!allowed.includes(op)) {
      const alias = aliasOf(OPERATOR_ALIASES, op);
      const suggestion = alias !== undefined && allowed.includes(alias) ? alias : didYouMean(op, allowed);
      this.at(path, 'unknown-operator', `unknown operator '${op}' for ${field.type} field '${field.name}'`, suggestion ? `did you mean '${suggestion}'?` : `operators: ${allowed.join(', ')}`, true);
      return undefined;
    }
    if (field.type === 'number') return this.numberOperator(field, op, operand, path);
    switch (op) {
      case 'eq': {
        const v = this.scalar(field, operand, path);
        if (v === undefined) return undefined;
        return (x) => x === v;
      }
      case 'in': {
        const list = this.scalarList(field, operand, path);
        if (!list) return undefined;
        const set = new Set<FieldValue>(list);
        return (x) => set.has(x);
      }
      case 'matches': {
        const src = this.stringOperand(operand, path, 'a regular expression');
        if (src === undefined) return undefined;
        const r = compileRegex(src);
        if ('error' in r) {
          this.atOperand([operand], path, 'bad-regex', r.error);
          return undefined;
        }
        const re = r.regex;
        return (x) => re.test(String(x));
      }
      case 'glob': {
        const globs = this.stringList(operand, path, 'a glob pattern');
        if (!globs) return undefined;
        // Validated now, compiled on first use: most snapshots of most hosts have no unix paths.
        for (const g of globs) {
          if (g.length > MAX_GLOB_LENGTH) {
            this.at(path, 'bad-glob', `glob pattern longer than ${MAX_GLOB_LENGTH} characters`);
            return undefined;
          }
          // (picomatch would make an invalid one match only its own text)
          const problem = globProblem(g);
          if (problem !== undefined) {
            this.atOperand([operand], path, 'bad-glob', `glob pattern "${g}" is not a valid glob: ${problem}`, GLOB_HINT);
            return undefined;
          }
        }
        let isMatch: ((s: string) => boolean) | undefined;
        return (x) => {
          if (typeof x !== 'string') return false;
          if (!isMatch) {
            try {
              // flags s: `*` and `**` match a CR or LF too (a unix path may hold one; the kernel allows any byte
              // but NUL and `/`), so that no name slips past a rule such as `/tmp/**`
              isMatch = globsMatcher(globs, { dot: true, flags: 's' });
            } catch {
              isMatch = () => false; // picomatch accepts any pattern under its length limit; never crash a scan
            }
          }
          return isMatch(resolvedPath(x));
        };
      }
      case 'cidr': {
        const items = this.cidrs(operand, path);
        if (!items) return undefined;
        // `*` (ss's dual-stack wildcard) is bound on both families' wildcard: 0.0.0.0 and ::
        const star = items.some((c) => cidrContains(c, ANY_V4) || cidrContains(c, ANY_V6));
        const v4Items = items.filter((c) => c.holdsV4);
        return (x) => {
          if (typeof x !== 'string') return false;
          if (x === '*') return star;
          const a = ipv4Number(x);
          if (a >= 0) return v4Items.some((c) => cidrContainsV4(c, a));
          if (ipv6Words(x, IP_WORDS)) return items.some((c) => cidrContainsWords(c, IP_WORDS));
          const ip = cachedIp(x);
          return ip !== undefined && items.some((c) => cidrContains(c, ip));
        };
      }
    }
    return undefined;
  }

  private numberOperator(field: FieldDef, op: string, operand: unknown, path: PathSegment[]): ValuePred | undefined {
    switch (op) {
      case 'eq': case 'gt': case 'gte': case 'lt': case 'lte': {
        const r = this.numberOperand(operand, path, op === 'eq');
        if (!r) return undefined;
        if (isConst(operand, this.vars)) this.checkPort(field, r(NO_SOCKET)!, operand, path);
        const cmp = COMPARATORS[op as CompareOp];
        return (x, s) => {
          if (typeof x !== 'number') return false;
          const y = r(s);
          return y !== undefined && cmp(x, y);
        };
      }
      case 'between': {
        if (!Array.isArray(operand) || operand.length !== 2) {
          this.at(path, 'wrong-type', "'between' needs a list of two bounds: [low, high]");
          return undefined;
        }
        const lo = this.numberOperand(operand[0], [...path, 0]);
        const hi = this.numberOperand(operand[1], [...path, 1]);
        if (!lo || !hi) return undefined;
        if (isConst(operand[0], this.vars) && isConst(operand[1], this.vars) && lo(NO_SOCKET)! > hi(NO_SOCKET)!) {
          this.atOperand(operand, path, 'bad-range', `'between' range is empty: ${lo(NO_SOCKET)} > ${hi(NO_SOCKET)}`, 'write [low, high]');
        }
        operand.forEach((bound, i) => { if (isConst(bound, this.vars)) this.checkPort(field, [lo, hi][i](NO_SOCKET)!, bound, [...path, i]); });
        return (x, s) => {
          if (typeof x !== 'number') return false;
          const a = lo(s);
          const b = hi(s);
          return a !== undefined && b !== undefined && x >= a && x <= b;
        };
      }
      case 'in': {
        const items = this.numberList(operand, path);
        if (!items) return undefined;
        // an item's own place when the list is written out, else the list's (a $variable, spliced in)
        const itemized = Array.isArray(operand) && operand.length === items.length;
        items.forEach((it, i) => this.checkPort(field, it, itemized ? operand[i] : operand, itemized ? [...path, i] : path));
        const set = new Set<number>();
        const ranges: [number, number][] = [];
        for (const it of items) (typeof it === 'number' ? set.add(it) : ranges.push(it));
        return (x) => typeof x === 'number' && (set.has(x) || ranges.some(([a, b]) => x >= a && x <= b));
      }
    }
    return undefined;
  }

  /**
   * `$name` of a list variable: as a matcher, `in` its items (as a list written out is) — but for a cidr-list, whose
   * items no address equals (`cidr:` is meant: the error says so).
   */
  private listVariable(spec: unknown): boolean {
    const name = typeof spec === 'string' ? VAR_REF.exec(spec)?.[1] : undefined;
    const bound = name === undefined ? undefined : this.vars.get(name);
    return bound !== undefined && bound.def.type !== 'cidr-list' && Array.isArray(bound.value);
  }

  private variable(name: string, path: PathSegment[]): BoundVariable | undefined {
    const bound = this.vars.get(name);
    if (!bound) {
      const suggestion = didYouMean(name, this.vars.keys());
      const known = [...this.vars.keys()];
      this.at(path, 'unknown-variable', `unknown variable '$${name}'`, suggestion ? `did you mean '$${suggestion}'?` : known.length ? `declared: ${known.map((k) => `$${k}`).join(', ')}` : 'declare it under vars:');
      return undefined;
    }
    this.usedVars.add(name);
    return bound.invalid ? undefined : bound;
  }

  /** `equals`: an `eq` operand, where a list variable has a hint (`in` is what it means). */
  private numberOperand(operand: unknown, path: PathSegment[], equals = false): NumberOperand | undefined {
    if (typeof operand === 'number' && Number.isFinite(operand)) return () => operand;
    if (typeof operand === 'string') {
      const m = VAR_REF.exec(operand);
      if (m) {
        const b = this.variable(m[1], path);
        if (!b) return undefined;
        if (typeof b.value !== 'number') {
          this.at(path, 'wrong-type', `variable '$${m[1]}' is a ${b.def.type}; a number is needed here`, equals && (b.def.type === 'port-list' || b.def.type === 'number-list') ? `to match one of its items, write {in: $${m[1]}}` : undefined);
          return undefined;
        }
        const v = b.value;
        return () => v;
      }
    }
    if (operand !== null && typeof operand === 'object' && !Array.isArray(operand) && 'field' in operand) {
      const name = (operand as { field: unknown }).field;
      const f = typeof name === 'string' ? FIELD_BY_NAME.get(name) : undefined;
      if (!f || f.type !== 'number' || f.list) {
        const suggestion = typeof name === 'string' ? didYouMean(name, FIELDS.filter((x) => x.type === 'number' && !x.list).map((x) => x.name)) : undefined;
        this.at([...path, 'field'], 'unknown-field', `'${String(name)}' is not a numeric field of the socket`, suggestion ? `did you mean '${suggestion}'?` : undefined);
        return undefined;
      }
      this.read(f);
      const get = f.get;
      return (s) => {
        const v = get(s);
        return typeof v === 'number' ? v : undefined;
      };
    }
    this.at(path, 'wrong-type', `must be a number, a $variable or {field: <numeric field>}, not ${describeValue(operand)}`);
    return undefined;
  }

  /** Items of a numeric `in`: numbers, "lo-hi" ranges, and $variables (lists are spliced in). */
  private numberList(operand: unknown, path: PathSegment[]): (number | [number, number])[] | undefined {
    let items: unknown[];
    if (typeof operand === 'string' && VAR_REF.test(operand)) {
      const b = this.variable(VAR_REF.exec(operand)![1], path);
      if (!b) return undefined;
      if (b.def.type !== 'port-list' && b.def.type !== 'number-list' && b.def.type !== 'number') {
        this.at(path, 'wrong-type', `variable '${operand}' is a ${b.def.type}; a list of numbers is needed here`);
        return undefined;
      }
      items = Array.isArray(b.value) ? b.value : [b.value];
      return this.numberItems(items, path, true);
    }
    if (!Array.isArray(operand)) {
      this.at(path, 'wrong-type', `'in' needs a list of numbers or ranges, not ${describeValue(operand)}`);
      return undefined;
    }
    return this.numberItems(operand, path, false);
  }

  private numberItems(items: unknown[], path: PathSegment[], fromVariable: boolean): (number | [number, number])[] | undefined {
    const out: (number | [number, number])[] = [];
    let ok = true;
    items.forEach((it, i) => {
      const p = fromVariable ? path : [...path, i];
      if (typeof it === 'number' && Number.isFinite(it)) out.push(it);
      else if (typeof it === 'string' && parseRange(it)) {
        const r = parseRange(it)!;
        if (r[0] > r[1]) {
          this.at(p, 'bad-range', `range "${it}" is empty (low > high)`);
          ok = false;
        } else out.push(r);
      } else if (!fromVariable && typeof it === 'string' && VAR_REF.test(it)) {
        const inner = this.numberList(it, p);
        if (inner) out.push(...inner);
        else ok = false;
      } else {
        this.at(p, 'wrong-type', `list item must be a number, a "lo-hi" range or a $variable, not ${describeValue(it)}`);
        ok = false;
      }
    });
    return ok ? out : undefined;
  }

  private resolveVar(operand: unknown, path: PathSegment[]): { value: unknown; name?: string; type?: VariableType } | undefined {
    if (typeof operand === 'string' && VAR_REF.test(operand)) {
      const name = VAR_REF.exec(operand)![1];
      const b = this.variable(name, path);
      if (!b) return undefined;
      return { value: b.value, name, type: b.def.type };
    }
    return { value: operand };
  }

  /** `via`: the variable (`$name`) whose list `operand` is an item of: a bad value the config gives it is cited there. */
  private scalar(field: FieldDef, operand: unknown, path: PathSegment[], via?: string): FieldValue | undefined {
    const r = this.resolveVar(operand, path);
    if (!r) return undefined;
    const v = r.value;
    const what = r.name ? `variable '$${r.name}'` : 'value';
    const cite = via === undefined ? [operand] : [operand, via];
    if (field.type === 'boolean') {
      if (typeof v !== 'boolean') {
        this.atOperand(cite, path, 'wrong-type', `${what} must be true or false for field '${field.name}', not ${describeValue(v)}`);
        return undefined;
      }
      return v;
    }
    if (typeof v !== 'string') {
      this.atOperand(cite, path, 'wrong-type', `${what} must be a string for field '${field.name}', not ${describeValue(v)}`,
        !r.name || !Array.isArray(v) ? undefined : r.type === 'cidr-list' ? `to match addresses in its networks, write {cidr: $${r.name}}` : `to match one of its items, write {in: $${r.name}}`);
      return undefined;
    }
    const spelling = field.type === 'address' ? addressSpelling(v, field.name) : undefined;
    if (spelling) {
      this.atOperand(cite, path, 'bad-value', spelling.message, spelling.hint);
      return undefined;
    }
    if (field.values && !field.values.includes(v)) {
      const suggestion = didYouMean(v, field.values);
      this.atOperand(cite, path, 'unknown-value', `'${v}' is not a valid ${field.name}`, suggestion ? `did you mean '${suggestion}'?` : `expected one of: ${field.values.join(', ')}`);
      return undefined;
    }
    return v;
  }

  private scalarList(field: FieldDef, operand: unknown, path: PathSegment[]): FieldValue[] | undefined {
    if (typeof operand === 'string' && VAR_REF.test(operand)) {
      const r = this.resolveVar(operand, path);
      if (!r) return undefined;
      if (!Array.isArray(r.value)) return [this.scalar(field, operand, path)].filter((x): x is FieldValue => x !== undefined);
      const out: FieldValue[] = [];
      for (const v of r.value) {
        const x = this.scalar(field, v, path, operand);
        if (x === undefined) return undefined;
        out.push(x);
      }
      return out;
    }
    if (!Array.isArray(operand)) {
      this.at(path, 'wrong-type', `'in' needs a list, not ${describeValue(operand)}`);
      return undefined;
    }
    const out: FieldValue[] = [];
    let ok = true;
    operand.forEach((it, i) => {
      if (typeof it === 'string' && VAR_REF.test(it)) {
        const inner = this.scalarList(field, it, [...path, i]);
        if (inner) out.push(...inner);
        else ok = false;
        return;
      }
      const x = this.scalar(field, it, [...path, i]);
      if (x === undefined) ok = false;
      else out.push(x);
    });
    return ok ? out : undefined;
  }

  private stringOperand(operand: unknown, path: PathSegment[], what: string): string | undefined {
    const r = this.resolveVar(operand, path);
    if (!r) return undefined;
    if (typeof r.value !== 'string') {
      this.at(path, 'wrong-type', `must be ${what} (a string), not ${describeValue(r.value)}`);
      return undefined;
    }
    return r.value;
  }

  /** A string, a list of strings, or a $variable holding either (lists in lists are spliced). */
  private stringList(operand: unknown, path: PathSegment[], what: string): string[] | undefined {
    const r = this.resolveVar(operand, path);
    if (!r) return undefined;
    const items = Array.isArray(r.value) ? r.value : [r.value];
    const out: string[] = [];
    let ok = true;
    items.forEach((it, i) => {
      const p = Array.isArray(r.value) && !r.name ? [...path, i] : path;
      if (typeof it === 'string' && VAR_REF.test(it) && !r.name) {
        const inner = this.stringList(it, p, what);
        if (inner) out.push(...inner);
        else ok = false;
      } else if (typeof it === 'string') out.push(it);
      else {
        this.at(p, 'wrong-type', `must be ${what} (a string), not ${describeValue(it)}`);
        ok = false;
      }
    });
    return ok && out.length ? out : undefined;
  }

  private cidrs(operand: unknown, path: PathSegment[]): Cidr[] | undefined {
    const r = this.resolveVar(operand, path);
    if (!r) return undefined;
    const list = Array.isArray(r.value) ? r.value : [r.value];
    const out: Cidr[] = [];
    let ok = true;
    list.forEach((item, i) => {
      const p = Array.isArray(r.value) && !r.name ? [...path, i] : path;
      if (typeof item === 'string' && VAR_REF.test(item) && !r.name) {
        const inner = this.cidrs(item, p);
        if (inner) out.push(...inner);
        else ok = false;
        return;
      }
      if (typeof item !== 'string') {
        this.at(p, 'bad-cidr', `CIDR must be a string like 10.0.0.0/8, not ${describeValue(item)}`);
        ok = false;
        return;
      }
      const c = parseCidr(item);
      if ('error' in c) {
        this.at(p, 'bad-cidr', `bad CIDR '${item}': ${c.error}`);
        ok = false;
      } else out.push(c);
    });
    return ok ? out : undefined;
  }

  // ------------------------------------------------------------------------------- aggregates

  private aggregate(raw: RawAggregate): CompiledAggregate | undefined {
    const base = this.rulePath('aggregate');
    const fn: AggregateFunction = raw.function ?? 'count';
    const ops = (['gt', 'gte', 'lt', 'lte', 'eq'] as const).filter((o) => raw[o] !== undefined);
    if (ops.length !== 1) {
      this.at(ops.length ? [...base, ops[1]] : base, ops.length ? 'conflicting-keys' : 'missing-key',
        ops.length ? `aggregate has several comparisons (${ops.join(', ')}); give exactly one` : 'aggregate needs a comparison: one of gt, gte, lt, lte, eq',
        ops.length ? undefined : 'e.g. gt: $threshold', !!ops.length);
    }
    const op: CompareOp = ops[0] ?? 'gt';
    let threshold = 0;
    if (raw[op] !== undefined) {
      const r = this.resolveVar(raw[op], [...base, op]);
      if (r) {
        if (typeof r.value === 'number' && Number.isFinite(r.value)) threshold = r.value;
        else this.at([...base, op], 'wrong-type', r.name ? `variable '$${r.name}' is a ${r.type}; the threshold must be a number` : `threshold must be a number, not ${describeValue(r.value)}`);
      }
    }
    let value: ((s: SocketRecord) => number | undefined) | undefined;
    if (fn === 'count') {
      if (raw.field !== undefined) this.at([...base, 'field'], 'conflicting-keys', "'field' is only used by sum and max", 'remove it, or set function: sum / max', true);
    } else {
      const f = raw.field !== undefined ? FIELD_BY_NAME.get(raw.field) : undefined;
      if (!f || f.type !== 'number') {
        this.at(raw.field !== undefined ? [...base, 'field'] : base, raw.field !== undefined ? 'unknown-field' : 'missing-key', raw.field !== undefined ? `'${raw.field}' is not a numeric field` : `function '${fn}' needs a numeric 'field'`);
      } else {
        this.read(f);
        const get = f.get;
        value = (s) => {
          const v = get(s);
          if (Array.isArray(v)) return v.reduce<number | undefined>((m, x) => (typeof x === 'number' && (m === undefined || x > m) ? x : m), undefined);
          return typeof v === 'number' ? v : undefined;
        };
      }
    }
    const groupBy = (raw.groupBy ?? []).filter((k): k is GroupKey => (GROUP_KEYS as readonly string[]).includes(k));
    const top = this.opts.top ?? raw.top ?? 5;
    const template = typeof this.def.raw.message === 'string' ? this.groupTemplate(this.def.raw.message, this.rulePath('message'), groupBy, raw.field) : undefined;
    return {
      fn,
      ...(value ? { value } : {}),
      ...(raw.field !== undefined ? { field: raw.field } : {}),
      groupBy,
      op,
      threshold,
      top,
      message: template ?? (() => this.def.raw.title),
    };
  }

  // ------------------------------------------------------------------------------- templates

  private parseTemplate(text: string, path: PathSegment[], resolve: (name: string) => Renderer<unknown> | string): ((ctx: unknown) => string) | undefined {
    const parts: (string | Renderer<unknown>)[] = [];
    let ok = true;
    let i = 0;
    let literal = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '{' && text[i + 1] === '{') { literal += '{'; i += 2; continue; }
      if (c === '}' && text[i + 1] === '}') { literal += '}'; i += 2; continue; }
      if (c === '{') {
        const end = text.indexOf('}', i);
        if (end < 0) {
          this.at(path, 'bad-template', `unclosed '{' in message at character ${i + 1}`, 'write {{ for a literal brace');
          ok = false;
          break;
        }
        const name = text.slice(i + 1, end).trim();
        const r = resolve(name);
        if (typeof r === 'string') {
          this.at(path, 'unknown-placeholder', `unknown placeholder '{${name}}' in message`, r || undefined);
          ok = false;
        } else {
          if (literal) parts.push(literal);
          literal = '';
          parts.push(r);
        }
        i = end + 1;
        continue;
      }
      literal += c;
      i++;
    }
    if (literal) parts.push(literal);
    if (!ok) return undefined;
    return (ctx) => parts.map((p) => (typeof p === 'string' ? p : p(ctx))).join('');
  }

  private variablePlaceholder(name: string): Renderer<unknown> | undefined {
    const varName = name.startsWith('var.') ? name.slice(4) : name;
    const b = this.vars.get(varName);
    if (!b) return undefined;
    this.usedVars.add(varName);
    const text = Array.isArray(b.value) ? b.value.join(', ') : String(b.value);
    return () => text;
  }

  private socketTemplate(text: string, path: PathSegment[]): ((s: SocketRecord) => string) | undefined {
    const names = [...SOCKET_PLACEHOLDERS.keys(), ...FIELD_BY_NAME.keys(), ...this.vars.keys()];
    return this.parseTemplate(text, path, (name) => {
      const special = SOCKET_PLACEHOLDERS.get(name);
      if (special) return special as Renderer<unknown>;
      const v = this.variablePlaceholder(name);
      if (v) return v;
      const f = FIELD_BY_NAME.get(name);
      if (f) {
        const get = f.get;
        return ((s: SocketRecord) => renderValue(get(s))) as Renderer<unknown>;
      }
      if (name === 'observed' || name === 'threshold' || name === 'group' || name.startsWith('group.')) {
        return `{${name}} is only available in aggregate rules`;
      }
      const suggestion = didYouMean(name, names);
      return suggestion ? `did you mean '{${suggestion}}'?` : '';
    }) as ((s: SocketRecord) => string) | undefined;
  }

  private groupTemplate(text: string, path: PathSegment[], groupBy: GroupKey[], field?: string): CompiledAggregate['message'] | undefined {
    type Ctx = { group: Record<string, string | number | null>; observed: number; threshold: number };
    const specials: Record<string, Renderer<Ctx>> = {
      observed: (c) => formatNumber(c.observed),
      threshold: (c) => formatNumber(c.threshold),
      field: () => field ?? 'sockets',
      group: (c) => (groupBy.length ? groupBy.map((k) => `${k}=${renderGroupValue(c.group[k])}`).join(', ') : 'all sockets'),
    };
    for (const k of groupBy) specials[`group.${k}`] = (c) => renderGroupValue(c.group[k]);
    // a variable named like a special (threshold) is the special in a message: named once
    const names = [...new Set([...Object.keys(specials), ...this.vars.keys()])];
    const render = this.parseTemplate(text, path, (name) => {
      if (specials[name]) return specials[name] as Renderer<unknown>;
      const v = this.variablePlaceholder(name);
      if (v) return v;
      if (name.startsWith('group.')) {
        const key = name.slice(6);
        if ((GROUP_KEYS as readonly string[]).includes(key)) return `the rule does not group by '${key}' (groupBy: [${groupBy.join(', ')}])`;
        const suggestion = didYouMean(key, groupBy);
        return suggestion ? `did you mean '{group.${suggestion}}'?` : `group keys: ${groupBy.join(', ') || 'none (no groupBy)'}`;
      }
      if (FIELD_BY_NAME.has(name) || SOCKET_PLACEHOLDERS.has(name)) return `socket fields like {${name}} are not available in aggregate messages; use {group.*}, {observed}, {threshold}`;
      const suggestion = didYouMean(name, names);
      return suggestion ? `did you mean '{${suggestion}}'?` : `available: ${names.map((n) => `{${n}}`).join(' ')}`;
    });
    if (!render) return undefined;
    return (group, observed, threshold) => render({ group, observed, threshold });
  }
}

type Renderer<C> = (ctx: C) => string;

interface CostedPred {
  pred: Pred;
  /** Relative cost of evaluating it (conjuncts are ordered by it). */
  cost: number;
  /** The field a plain field conjunct tests. */
  key?: string;
}
const COST_FIELD = 1;
const COST_OPERATORS = 1;
const COST_LIST = 3;
const COST_ADDRESS = 4;
const COST_COMPOUND = 5;
/** The socket's table and state: plain properties, and the most selective conditions of the default pack. */
const FIELD_COSTS: Record<string, number> = { netid: 0, state: 0 };

/** The netids / states a condition (by its top-level conjuncts) can match at all. */
export interface SocketFilter {
  netids?: ReadonlySet<string>;
  states?: ReadonlySet<string>;
  /** A port field the socket's value of which must be one of `values` (the engine dispatches on it). */
  value?: { field: 'local.port' | 'peer.port'; values: ReadonlySet<number> };
  /** The condition less the conjuncts that test what the filter admits: the test for a socket it admits. */
  residual?: (s: SocketRecord) => boolean;
}
const SOCKET_FILTERS = new WeakMap<Pred, SocketFilter>();

/**
 * The netids/states (and the port values) a compiled rule's condition requires — a socket outside them
 * never matches — or undefined. Lets the engine dispatch sockets only to rules that can match them.
 */
export function socketFilterOf(match: (s: SocketRecord) => boolean): SocketFilter | undefined {
  return SOCKET_FILTERS.get(match);
}

/** Conditions that never match a socket whose local address is loopback (a top-level `local.scope` refusing it). */
const LOOPBACK_LEFT_OUT = new WeakSet<Pred>();

/**
 * Whether a compiled rule's condition refuses every socket of a loopback local address (`local.scope: {not:
 * loopback}`): such a socket's port, printed as a name socklint cannot map, does not concern it.
 */
export function leavesLoopbackOut(match: (s: SocketRecord) => boolean): boolean {
  return LOOPBACK_LEFT_OUT.has(match);
}

/**
 * A top-level conjunct of a condition that demands one of some literal values of a field (`local.address: 10.0.0.5`,
 * `process.name: {in: [nginx, haproxy]}`, `local.port: [80, 443]`): a socket whose value — of a list field, none of
 * whose values — is one of them cannot match. The compiled predicate compares them by identity (`===`, a Set's
 * `has`): an address as ss printed it and the parser kept it (no brackets, no `%iface`), with no normalisation of
 * IPv6 or IPv4-mapped forms, so `values` looked up in a Map by the socket's own value answer as it does.
 */
export interface ValueDemand {
  field: DemandField;
  values: ReadonlySet<number | string>;
}

/**
 * The fields a demand is read of, as those by which a waiver is best found first: an address, a unix socket's
 * path, a process name or PID or a cgroup tells one service, a port less (`local.port: 443` of many). Each is
 * compared by equality (a plain value, `eq:` or `in:`; `glob:` and the rest are the predicate's alone).
 */
const DEMAND_FIELDS = ['local.address', 'peer.address', 'local.path', 'peer.path', 'process.name', 'process.pid', 'cgroup', 'local.port', 'peer.port'] as const;
type DemandField = (typeof DEMAND_FIELDS)[number];

const VALUE_DEMANDS = new WeakMap<Pred, readonly ValueDemand[]>();

/**
 * The value demands of a condition compiled by compileCondition (a waiver's `where:`), in the order of
 * DEMAND_FIELDS; none for a condition compiled otherwise. Values that are not plain — a `$variable`, a port range,
 * any other operator, `not:`, a branch of `any:` — demand nothing here (the predicate alone decides them).
 */
export function valueDemandsOf(match: (s: SocketRecord) => boolean): readonly ValueDemand[] {
  return VALUE_DEMANDS.get(match) ?? [];
}

function noteValueDemands(match: Pred, cond: unknown): void {
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return;
  const demands: ValueDemand[] = [];
  for (const field of DEMAND_FIELDS) {
    const plain = FIELD_BY_NAME.get(field)!.type === 'number'
      ? (x: unknown): x is number => Number.isInteger(x)
      : (x: unknown): x is string => typeof x === 'string' && !x.startsWith('$');
    const values = literalValues<number | string>(cond as Record<string, unknown>, field, plain);
    if (values) demands.push({ field, values });
  }
  if (demands.length > 0) VALUE_DEMANDS.set(match, demands);
}

/**
 * The values a top-level `key:` of a condition lists — shorthand (`tcp`, `[80, 443]`), `{eq: …}` or `{in: […]}`
 * — when every one passes `plain` (not a variable or a range), else undefined.
 */
function literalValues<T>(cond: Record<string, unknown>, key: string, plain: (x: unknown) => x is T): ReadonlySet<T> | undefined {
  if (!Object.prototype.hasOwnProperty.call(cond, key)) return undefined;
  let spec = cond[key];
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const ops = Object.keys(spec);
    if (ops.length !== 1 || (ops[0] !== 'eq' && ops[0] !== 'in')) return undefined;
    spec = (spec as Record<string, unknown>)[ops[0]];
  }
  const list = Array.isArray(spec) ? spec : [spec];
  return list.length > 0 && list.every(plain) ? new Set(list) : undefined;
}

function allOf(preds: Pred[]): Pred {
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [a, b] = preds;
    return (s) => a(s) && b(s);
  }
  if (preds.length === 3) {
    const [a, b, c] = preds;
    return (s) => a(s) && b(s) && c(s);
  }
  return (s) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i](s)) return false;
    return true;
  };
}

function anyOf(preds: Pred[]): Pred {
  return (s) => {
    for (let i = 0; i < preds.length; i++) if (preds[i](s)) return true;
    return false;
  };
}

const COMPARATORS: Record<CompareOp, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
};

function isConst(operand: unknown, vars: Map<string, BoundVariable>): boolean {
  if (typeof operand === 'number') return true;
  if (typeof operand === 'string' && VAR_REF.test(operand)) return vars.has(VAR_REF.exec(operand)![1]);
  return false;
}

export function operatorsFor(field: FieldDef): string[] {
  switch (field.type) {
    case 'number': return ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'not'];
    case 'boolean': return ['eq', 'in', 'exists', 'not'];
    case 'enum': return ['eq', 'in', 'matches', 'exists', 'not'];
    case 'address': return ['eq', 'in', 'matches', 'cidr', 'exists', 'not'];
    case 'string': return ['eq', 'in', 'matches', 'glob', 'exists', 'not'];
  }
}

const ipCache = new Map<string, IpAddress | null>();
/** The words a cidr test reads an IPv6 address into (ipv6Words). */
const IP_WORDS = new Uint32Array(4);
const ANY_V4 = parseIp('0.0.0.0')!;
const ANY_V6 = parseIp('::')!;

function cachedIp(text: string): IpAddress | undefined {
  let v = ipCache.get(text);
  if (v === undefined) {
    v = parseIp(text) ?? null;
    if (ipCache.size > 10000) ipCache.clear();
    ipCache.set(ownCopy(text), v);
  }
  return v ?? undefined;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/** Socket text is attacker-controlled (process names, unix paths): control characters are escaped. */
function renderValue(v: FieldValue | FieldValue[] | undefined): string {
  if (v === undefined) return '?';
  if (Array.isArray(v)) return v.length ? escapeControl([...new Set(v.map(String))].join(',')) : '?';
  return typeof v === 'number' ? formatNumber(v) : escapeControl(String(v));
}

function renderGroupValue(v: string | number | null | undefined): string {
  return v === null || v === undefined ? 'unknown' : escapeControl(String(v));
}

const SOCKET_PLACEHOLDERS = new Map<string, Renderer<SocketRecord>>([
  ['local', (s) => escapeControl(formatEndpoint(s.local, s.netid))],
  ['peer', (s) => escapeControl(formatEndpoint(s.peer, s.netid))],
  ['process', (s) => {
    if (!s.processes || s.processes.length === 0) return 'unknown process';
    const seen = new Set<string>();
    const shown: string[] = [];
    for (const p of s.processes) {
      const t = `${p.name}[${p.pid}]`;
      if (!seen.has(t)) { seen.add(t); shown.push(t); }
    }
    const more = shown.length > 3 ? `,+${shown.length - 3}` : '';
    return escapeControl(shown.slice(0, 3).join(',') + more);
  }],
  ['socket', (s) => escapeControl(describeSocket(s))],
]);
