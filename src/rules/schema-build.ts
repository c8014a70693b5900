/**
 * Builds `schemas/rule.schema.json` from the field table, so the schema's condition keys, operator
 * sets and enums can never drift from what the compiler reads, and precompiles it into a standalone
 * ajv validator (`rule-validator.generated.ts`): compiling a schema this size at startup costs
 * ~200 ms, loading the generated code ~15 ms. Both files are committed; `test/rules/schema.test.ts`
 * fails when either is stale. Regenerate with `UPDATE_GENERATED=1 npx jest test/rules`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIELDS, FIELD_ALIASES, NUMERIC_FIELDS, OPERATOR_ALIASES, type FieldDef, type FieldType } from './fields';
import { FIELD_GROUPS } from './fields';
import { AJV_OPTIONS, SCHEMA_ANNOTATIONS } from './yaml-source';

export const RULE_SCHEMA_PATH = path.resolve(__dirname, '../../schemas/rule.schema.json');
export const RULE_SCHEMA_ID = 'https://github.com/socklint/socklint/schemas/rule.schema.json';

export const VARIABLE_TYPES = ['number', 'string', 'boolean', 'port-list', 'number-list', 'string-list', 'cidr-list'] as const;
export const GROUP_KEYS = ['state', 'process', 'localPort', 'peerAddress', 'netid', 'localAddress', 'peerPort'] as const;
export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'max'] as const;
export const COMPARE_OPS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;

const VAR_PATTERN = '^\\$[A-Za-z_][A-Za-z0-9_]*$';
const RANGE_PATTERN = '^\\s*\\d+\\s*-\\s*\\d+\\s*$';

type Json = Record<string, unknown>;

const varRef: Json = { type: 'string', pattern: VAR_PATTERN, description: 'A variable reference: `$name` (declared under `vars`).' };

function numberOperand(): Json {
  return {
    'x-expected': 'a number, a $variable or {field: <numeric field>}',
    anyOf: [
      { type: 'number' },
      varRef,
      {
        type: 'object', additionalProperties: false, required: ['field'], 'x-key-kind': 'key',
        description: 'Compare with another field of the same socket, e.g. `{field: sendQ}`.',
        properties: { field: { enum: [...NUMERIC_FIELDS], description: 'A numeric field of the same socket.' } },
      },
    ],
  };
}

const numberItem: Json = {
  'x-expected': 'a number, a range like "8000-8999" or a $variable',
  anyOf: [{ type: 'number' }, { type: 'string', pattern: RANGE_PATTERN }, varRef],
};

function stringScalar(f: FieldDef): Json {
  if (f.type === 'enum') return { 'x-expected': `one of ${f.values!.join(', ')} or a $variable`, anyOf: [enumOf(f), varRef] };
  if (f.type === 'boolean') return { 'x-expected': 'true, false or a $variable', anyOf: [{ type: 'boolean' }, varRef] };
  return { type: 'string' };
}

/**
 * ss filter names (`ss state established`) differ from what ss prints (ESTAB); `x-aliases` lets the
 * error say which value was meant.
 */
const STATE_ALIASES: Record<string, string> = {
  established: 'ESTAB', listening: 'LISTEN', unconnected: 'UNCONN', closed: 'UNCONN', 'bound-inactive': 'BOUND-INACTIVE',
  'syn-received': 'SYN-RECV', 'time_wait': 'TIME-WAIT', 'close_wait': 'CLOSE-WAIT', 'syn_sent': 'SYN-SENT', 'syn_recv': 'SYN-RECV',
  'fin_wait1': 'FIN-WAIT-1', 'fin_wait2': 'FIN-WAIT-2', 'last_ack': 'LAST-ACK', 'fin-wait1': 'FIN-WAIT-1', 'fin-wait2': 'FIN-WAIT-2',
};

function enumOf(f: FieldDef): Json {
  return f.name === 'state' ? { enum: [...f.values!], 'x-aliases': STATE_ALIASES } : { enum: [...f.values!] };
}

const existsOp: Json = { type: 'boolean', description: '`true`: the socket carries the field; `false`: it does not.' };
const matchesOp: Json = { type: 'string', description: 'RE2 regular expression (linear time, no backreferences/lookarounds), searched anywhere in the value; anchor with ^…$. `(?i)` for case-insensitive.' };

function operators(f: FieldDef, self: string): Json {
  const not = { $ref: `#/definitions/${self}`, description: 'Holds when the field is present and the inner matcher does not hold.' };
  if (f.type === 'number') {
    return {
      eq: { ...numberOperand(), description: 'Equal to.' },
      in: { description: 'One of these numbers or ranges ("8000-8999"), or a list $variable.', 'x-expected': 'a list of numbers/ranges or a $variable', anyOf: [{ type: 'array', minItems: 1, items: numberItem }, varRef] },
      gt: { ...numberOperand(), description: 'Greater than.' },
      gte: { ...numberOperand(), description: 'Greater than or equal to.' },
      lt: { ...numberOperand(), description: 'Less than.' },
      lte: { ...numberOperand(), description: 'Less than or equal to.' },
      between: { type: 'array', minItems: 2, maxItems: 2, items: numberOperand(), description: 'Inclusive range [low, high].' },
      exists: existsOp,
      not,
    };
  }
  const scalar = stringScalar(f);
  const ops: Json = {
    eq: { ...scalar, description: 'Equal to.' },
    in: { description: 'One of these values, or a list $variable.', 'x-expected': 'a list or a $variable', anyOf: [{ type: 'array', minItems: 1, items: scalar }, varRef] },
    exists: existsOp,
    not,
  };
  if (f.type !== 'boolean') ops.matches = matchesOp;
  if (f.type === 'string') {
    ops.glob = {
      description: 'Shell-style glob (picomatch, dot files included), a list of globs or a $variable: `/tmp/**`, `*.sock`.',
      'x-expected': 'a glob, a list of globs or a $variable',
      anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }],
    };
  }
  if (f.type === 'address') {
    ops.cidr = {
      description: 'In this network or any of these networks: `10.0.0.0/8`, `fc00::/7`; IPv4 networks match IPv4-mapped IPv6 addresses.',
      'x-expected': 'a CIDR, a list of CIDRs or a $variable',
      anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }],
    };
  }
  return ops;
}

function matcherDefinition(f: FieldDef, name: string): Json {
  const ops = operators(f, name);
  const shorthand: Json[] = [];
  let expected: string;
  if (f.type === 'number') {
    shorthand.push({ type: 'number' }, { type: 'string', pattern: RANGE_PATTERN }, varRef, { type: 'array', minItems: 1, items: numberItem });
    expected = 'a number, a range like "1024-65535", a list, a $variable or a mapping of operators';
  } else if (f.type === 'boolean') {
    shorthand.push({ type: 'boolean' }, varRef);
    expected = 'true, false, a $variable or a mapping of operators';
  } else if (f.type === 'enum') {
    shorthand.push(enumOf(f), varRef, { type: 'array', minItems: 1, items: { anyOf: [enumOf(f), varRef], 'x-expected': `one of ${f.values!.join(', ')}` } });
    expected = `one of ${f.values!.join(', ')}, a list of them, a $variable or a mapping of operators`;
  } else {
    shorthand.push({ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } });
    expected = 'a string, a list of strings, a $variable or a mapping of operators';
  }
  return {
    'x-expected': expected,
    anyOf: [
      ...shorthand,
      { type: 'object', additionalProperties: false, minProperties: 1, 'x-key-kind': 'operator', 'x-expected': 'an operator', 'x-key-aliases': operatorAliases(ops), properties: ops },
    ],
  };
}

/**
 * What other tools (and habit) call socklint's keys, lower-cased → the key to write: the hint of an unknown-key
 * error (`x-key-aliases`, read by yaml-source.ts) where the spelling is too far for "did you mean". Fields' and
 * operators' are in fields.ts (the compiler says them too, for a waiver's `where:`).
 */
const RULE_KEY_ALIASES: Record<string, string> = {
  level: 'severity', priority: 'severity', name: 'title', summary: 'title', desc: 'description', msg: 'message',
  condition: 'match', conditions: 'match', where: 'match', when: 'match', filter: 'match', query: 'match',
  remediation: 'help', fix: 'help', recommendation: 'help', links: 'references', refs: 'references', labels: 'tags',
  variables: 'vars', params: 'vars', category: 'kind', type: 'kind', threshold: 'aggregate',
};
/** The same for an aggregate's keys. */
const AGGREGATE_ALIASES: Record<string, string> = { threshold: 'gt', above: 'gt', below: 'lt', group: 'groupBy', group_by: 'groupBy', by: 'groupBy', limit: 'top' };

/** The aliases of OPERATOR_ALIASES that name one of `ops`. */
function operatorAliases(ops: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(OPERATOR_ALIASES).filter(([, op]) => op in ops));
}

function matcherName(t: FieldType, f: FieldDef): string {
  if (t === 'enum') return `matcher-enum-${f.name.replace(/\./g, '-')}`;
  return `matcher-${t}`;
}

function fieldDescription(f: FieldDef): string {
  const req = f.group ? ` Needs the \`${f.group}\` field group.` : '';
  const unit = f.unit ? ` Unit: ${f.unit}.` : '';
  return `${f.description}${unit}${req}`;
}

export function buildRuleSchema(): Json {
  const definitions: Json = {};
  const fieldProps: Json = {};
  for (const f of FIELDS) {
    const name = matcherName(f.type, f);
    if (!definitions[name]) definitions[name] = matcherDefinition(f, name);
    fieldProps[f.name] = { $ref: `#/definitions/${name}`, description: fieldDescription(f) };
  }
  definitions.condition = {
    type: 'object',
    description: 'A condition: field matchers and/or combinators. All keys of one mapping must hold (implicit all).',
    'x-key-kind': 'field',
    'x-key-aliases': FIELD_ALIASES,
    'x-expected': 'a mapping of fields and all/any/not',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      all: { type: 'array', minItems: 1, items: { $ref: '#/definitions/condition' }, description: 'Every condition in the list holds.' },
      any: { type: 'array', minItems: 1, items: { $ref: '#/definitions/condition' }, description: 'At least one condition in the list holds.' },
      not: { $ref: '#/definitions/condition', description: 'The condition does not hold (plain negation: also true when the fields are missing).' },
      ...fieldProps,
    },
  };
  definitions.variable = {
    type: 'object',
    additionalProperties: false,
    'x-key-kind': 'key',
    required: ['type', 'default'],
    description: 'A rule variable: config files may override its value per host.',
    properties: {
      type: { enum: [...VARIABLE_TYPES], description: 'number, string, boolean, port-list (numbers 0–65535 and "lo-hi" ranges), number-list, string-list, cidr-list.' },
      default: { description: 'Value used when the config does not override it; must fit `type`.' },
      description: { type: 'string', description: 'What the variable controls (shown in docs/rules.md).' },
    },
  };
  definitions.aggregate = {
    type: 'object',
    additionalProperties: false,
    'x-key-kind': 'key',
    'x-key-aliases': AGGREGATE_ALIASES,
    description: 'Count (or sum/max a field) over the sockets that match, per group, and fire for groups beyond the threshold. Give exactly one of gt/gte/lt/lte/eq.',
    properties: {
      function: { enum: [...AGGREGATE_FUNCTIONS], default: 'count', description: 'count sockets (default), or sum/max of `field`.' },
      field: { enum: [...NUMERIC_FIELDS], description: 'Numeric field summed or maximised (sum/max only).' },
      groupBy: { type: 'array', uniqueItems: true, items: { enum: [...GROUP_KEYS] }, description: 'Group sockets by these keys; one finding per breaking group. A socket without the key (e.g. no -p) groups under null.' },
      gt: { ...numberOperandNoField(), description: 'Fire when the aggregate is greater than this.' },
      gte: { ...numberOperandNoField(), description: 'Fire when the aggregate is at least this.' },
      lt: { ...numberOperandNoField(), description: 'Fire when the aggregate is less than this.' },
      lte: { ...numberOperandNoField(), description: 'Fire when the aggregate is at most this.' },
      eq: { ...numberOperandNoField(), description: 'Fire when the aggregate equals this.' },
      top: { type: 'integer', minimum: 1, maximum: 1000, default: 5, description: 'Offending sockets listed per finding (largest first for sum/max).' },
    },
  };
  definitions.rule = {
    type: 'object',
    additionalProperties: false,
    'x-key-kind': 'key',
    'x-key-aliases': RULE_KEY_ALIASES,
    required: ['id', 'title', 'description', 'kind', 'severity', 'help', 'match', 'message'],
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80, 'x-expected': 'a kebab-case id (lower-case words joined by -)', 'x-error-code': 'bad-id', description: 'Stable kebab-case identifier; used in reports, waivers and baselines. Never reuse or rename.' },
      title: { type: 'string', minLength: 1, maxLength: 120, description: 'One-line summary (SARIF shortDescription).' },
      description: { type: 'string', minLength: 1, description: 'What fires and why it matters (SARIF fullDescription).' },
      kind: { enum: ['security', 'health'], description: 'security: exposure/attack surface; health: operational trouble.' },
      severity: { enum: ['error', 'warning', 'note'], description: 'Default level; config files may override it.' },
      enabled: { type: 'boolean', description: 'false: the rule is off unless a config enables it (`enable: [id]`, for every host or in a hosts: entry), for a rule too costly or too particular to run on every scan. Default true.' },
      securitySeverity: { type: 'number', minimum: 0.1, maximum: 10, description: 'CVSS-like 0.1–10 for security rules (SARIF security-severity): ≥9 critical, ≥7 high, ≥4 medium.' },
      tags: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9]+([-/.][a-z0-9]+)*$', 'x-expected': 'a lower-case tag' }, description: 'Lower-case tags for filtering (exposure, tcp, cis, ...).' },
      references: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'CIS control ids, CWE ids (CWE-200) or URLs.' },
      help: { type: 'string', minLength: 1, description: 'Markdown: why it matters and how to fix it (remediation).' },
      helpUri: { type: 'string', format: 'uri', description: 'Link to a longer explanation.' },
      vars: {
        type: 'object', description: 'Variables with defaults; reference them as `$name` in conditions and aggregates, `{name}` in messages.',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: { $ref: '#/definitions/variable' },
      },
      match: { $ref: '#/definitions/condition', description: 'Which sockets the rule is about. Per-socket rules fire for each match; aggregates count the matches.' },
      aggregate: { $ref: '#/definitions/aggregate' },
      message: { type: 'string', minLength: 1, description: 'Finding message template: {local} {peer} {local.port} {process} {state} any field, {var} variables; aggregates: {group} {group.process} {observed} {threshold} {field}.' },
    },
    defaultSnippets: [
      {
        label: 'per-socket rule',
        description: 'A rule that fires for every matching socket',
        body: {
          id: '${1:my-rule-id}', title: '${2:Title}', kind: '${3|security,health|}', severity: '${4|error,warning,note|}',
          description: '${5:What fires and why.}', help: '${6:Why it matters and how to fix it.}',
          match: { netid: 'tcp', state: 'LISTEN', 'local.scope': { not: 'loopback' } },
          message: '${7:{local\\} ({process\\})}',
        },
      },
      {
        label: 'aggregate rule',
        description: 'Count matching sockets per group and fire over a threshold',
        body: {
          id: '${1:my-rule-id}', title: '${2:Title}', kind: 'health', severity: '${3|warning,error,note|}',
          description: '${4:What fires and why.}', help: '${5:Why it matters and how to fix it.}',
          vars: { threshold: { type: 'number', default: 100 } },
          match: { netid: 'tcp', state: 'CLOSE-WAIT' },
          aggregate: { groupBy: ['process'], gt: '\\$threshold' },
          message: '{observed} sockets of {group.process} (more than {threshold})',
        },
      },
    ],
    if: { properties: { kind: { const: 'security' } }, required: ['kind'] },
    then: { required: ['securitySeverity'] },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: RULE_SCHEMA_ID,
    title: 'socklint rule file',
    description: 'socklint rules: conditions over sockets parsed from `ss` output. Docs: docs/rule-language.md',
    type: 'object',
    additionalProperties: false,
    'x-key-kind': 'key',
    required: ['rules'],
    properties: {
      rules: { type: 'array', minItems: 1, items: { $ref: '#/definitions/rule' }, description: 'The rules of this file.' },
    },
    definitions,
    'x-field-groups': [...FIELD_GROUPS],
  };
}

function numberOperandNoField(): Json {
  return { 'x-expected': 'a number or a $variable', anyOf: [{ type: 'number' }, varRef] };
}

export function renderRuleSchema(): string {
  return `${JSON.stringify(buildRuleSchema(), null, 2)}\n`;
}

export function writeRuleSchema(file = RULE_SCHEMA_PATH): void {
  fs.writeFileSync(file, renderRuleSchema());
}

export const RULE_VALIDATOR_PATH = path.resolve(__dirname, 'rule-validator.generated.ts');
/**
 * The config schema's (schemas/config.schema.json, written by hand) precompiled validator: compiling it at start-up
 * cost every scan with `-c` ~85 ms, on this thread and again on each worker's.
 */
export const CONFIG_SCHEMA_PATH = path.resolve(__dirname, '../../schemas/config.schema.json');
export const CONFIG_VALIDATOR_PATH = path.resolve(__dirname, 'config-validator.generated.ts');

/** The config validator's source (standaloneValidator of schemas/config.schema.json). */
export function renderConfigValidatorSource(): string {
  return standaloneValidator(JSON.parse(fs.readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as object, 'schemas/config.schema.json');
}

/** Standalone ajv code for the rule schema (same options as the runtime instance in yaml-source). */
export function renderRuleValidatorSource(schema: object = buildRuleSchema()): string {
  return standaloneValidator(schema, 'schemas/rule.schema.json');
}

/**
 * ajv's code gathers the errors of a referenced schema (each item of a list of rules, of an `in:` list) with
 * `vErrors = vErrors.concat(sub.errors)`: a copy of all the errors so far per item, quadratic in them (a file of
 * 20,000 bad rules took 23 s to validate). They are appended instead.
 */
function appendErrors(code: string): string {
  const concat = /vErrors = vErrors === null \? ([\w.]+)\.errors : vErrors\.concat\(\1\.errors\);/g;
  const out = code.replace(concat, (_, v: string) => `if (vErrors === null) {vErrors = ${v}.errors;} else {for (const e of ${v}.errors) vErrors.push(e);}`);
  if (/vErrors\.concat/.test(out)) throw new Error('ajv gathers errors in a way appendErrors does not know: see schema-build.ts');
  return out;
}

/** Standalone ajv code validating `schema` (read from `from`), with the options of the runtime instance in yaml-source. */
function standaloneValidator(schema: object, from: string): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const AjvCtor = require('ajv').default as typeof import('ajv').default;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const standalone = require('ajv/dist/standalone').default as (a: unknown, v: unknown) => string;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const addFormats = require('ajv-formats') as (a: unknown) => unknown;
  const ajv = new AjvCtor({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addVocabulary(SCHEMA_ANNOTATIONS);
  addFormats(ajv);
  const code = appendErrors(standalone(ajv, ajv.compile(schema)));
  return `// @ts-nocheck\n/* eslint-disable */\n// GENERATED by src/rules/schema-build.ts from ${from} — do not edit.\n// Regenerate: UPDATE_GENERATED=1 npx jest test/rules\n${code}\n`;
}

export function writeRuleValidator(file = RULE_VALIDATOR_PATH): void {
  fs.writeFileSync(file, renderRuleValidatorSource());
}
