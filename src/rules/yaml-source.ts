/**
 * YAML with positions: parse a user's file, refuse hostile input quickly (size, nesting, alias bombs),
 * validate it with a JSON Schema (ajv) and turn every problem into a Diagnostic that cites
 * file:line:column. Generic: the rule loader and the config loader both use it.
 */
import { readTextLimited } from '../read-limited';
import { readProblem } from '../read-problem';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, Node } from 'yaml';
import { aliasOf, byPosition, didYouMean, type Diagnostic, type Position } from '../diagnostics';

export type PathSegment = string | number;
export type { ValidateFunction };

export interface YamlLoadOptions {
  /** Refuse files larger than this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Refuse documents that expand more aliases than this (default 100; yaml's own guard). */
  maxAliasCount?: number;
  /** Refuse documents nested deeper than this many collections (default 64). */
  maxDepth?: number;
}

export interface YamlSource {
  file: string;
  /** The plain JS value (undefined when the file could not be parsed at all). */
  value: unknown;
  /** Every problem found: YAML syntax, resource limits, schema violations. Empty when all is well. */
  diagnostics: Diagnostic[];
  /** Where the value at `path` starts (the closest existing ancestor when the path does not exist). */
  positionOf(path: readonly PathSegment[]): Position;
  /** Where the key of the map entry at `path` starts (falls back to positionOf). */
  keyPositionOf(path: readonly PathSegment[]): Position;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_ALIAS_COUNT = 100;
export const DEFAULT_MAX_DEPTH = 64;
/** A line indented further than this is nesting no rule needs; refusing it early avoids deep recursion in the parser. */
const MAX_INDENT_COLUMNS = 256;

const START: Position = { line: 1, column: 1 };

/** yaml is loaded on first use: a cached default pack never needs it (startup time matters). */
let yamlModule: typeof import('yaml') | undefined;
function Y(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (!yamlModule) yamlModule = require('yaml') as typeof import('yaml');
  return yamlModule;
}

/** Read and load a YAML file. A file that cannot be read becomes a diagnostic, never an exception. */
export function loadYamlFile(file: string, validate?: ValidateFunction, opts: YamlLoadOptions = {}): YamlSource {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let text: string;
  try {
    const read = readTextLimited(file, maxBytes);
    if ('tooLarge' in read) return failed(file, tooLarge(file, read.size, maxBytes));
    if ('notUtf8' in read) return failed(file, notUtf8(file, read.notUtf8));
    text = read.text;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'not-a-file' : 'unreadable-file';
    return failed(file, { file, code, ...readProblem(e, 'YAML file') });
  }
  return loadYamlText(text, file, validate, opts);
}

/** Load YAML from text (tests, stdin). `file` is only used in diagnostics. */
export function loadYamlText(text: string, file: string, validate?: ValidateFunction, opts: YamlLoadOptions = {}): YamlSource {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) return failed(file, tooLarge(file, size, maxBytes));

  const { LineCounter, parseDocument } = Y();
  const lineCounter = new LineCounter();
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  // Cheap structural pre-scan: the yaml parser recurses per nesting level, so absurd nesting costs
  // seconds and the stack before it fails. Refuse it from the raw text first.
  const deep = scanNesting(text, maxDepth);
  if (deep) {
    return failed(file, {
      file, line: deep.line, column: deep.column, code: 'too-deep',
      message: `nesting deeper than ${deep.limit} levels is refused`,
      hint: 'flatten the document',
    });
  }

  let doc: Document.Parsed;
  try {
    // (resolveKnownTags: false: YAML 1.1's !!binary, !!set, !!timestamp … are not made into Buffers, Sets and Dates,
    // which the checks below would walk as mappings — a !!binary of 200 KB overflowed the stack — but refused)
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error', keepSourceTokens: false, resolveKnownTags: false });
  } catch (e) {
    return failed(file, { file, code: 'yaml-syntax', message: `cannot parse YAML: ${(e as Error).message}` });
  }

  const positionOf = (path: readonly PathSegment[]): Position => {
    const found = findNode(doc, path);
    const range = found.node?.range ?? found.key?.range;
    return range ? pos(range[0]) : START;
  };
  const keyPositionOf = (path: readonly PathSegment[]): Position => {
    const found = findNode(doc, path);
    if (found.exact && found.key?.range) return pos(found.key.range[0]);
    return positionOf(path);
  };
  const source = (value: unknown, diagnostics: Diagnostic[]): YamlSource => ({ file, value, diagnostics, positionOf, keyPositionOf });

  const syntax: Diagnostic[] = [];
  for (const err of doc.errors) {
    const p = pos(err.pos[0]);
    const resource = err.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(err.message);
    syntax.push({
      file, line: p.line, column: p.column,
      code: resource ? 'too-deep' : err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      message: resource ? 'nesting too deep to parse'
        : err.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(text, err.pos[0])
        // (the library's words for it name its API: `please use YAML.parseAllDocuments()`)
        : /multiple documents/i.test(err.message) ? 'a second YAML document (`---`): a rule or config file is one document'
        : firstLine(err.message),
    });
    if (resource) break;
  }
  // an explicit tag (`!!binary`, `!foo`) that is none of YAML's core ones: a value of a kind no rule or config holds
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const p = pos(w.pos[0]);
    const tag = (/^Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? 'this tag').replace(/^tag:yaml\.org,2002:/, '!!');
    syntax.push({
      file, line: p.line, column: p.column, code: 'yaml-tag', message: `YAML tag ${tag} is not supported`,
      hint: 'write the value without a tag: a rule or config holds strings, numbers, booleans, lists and mappings',
    });
  }
  if (syntax.length > 0) return source(undefined, firstSyntaxErrors(dedupe(syntax)));

  const depthProblem = checkDepth(doc.contents, maxDepth);
  if (depthProblem && depthProblem.range) {
    const p = pos(depthProblem.range[0]);
    return source(undefined, [{ file, line: p.line, column: p.column, code: 'too-deep', message: `nesting deeper than ${maxDepth} levels is refused`, hint: 'flatten the document' }]);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = (e as Error).message;
    if (/alias/i.test(msg) && /exhaustion|excessive/i.test(msg)) {
      const firstAlias = findFirstAlias(doc.contents);
      const p = firstAlias?.range ? pos(firstAlias.range[0]) : START;
      return source(undefined, [{
        file, line: p.line, column: p.column, code: 'alias-bomb',
        message: `too many alias expansions (more than ${opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT}); refusing a possible YAML alias bomb`,
        hint: 'write the values out instead of nesting aliases',
      }]);
    }
    if (/alias/i.test(msg)) {
      const firstAlias = findFirstAlias(doc.contents);
      const p = firstAlias?.range ? pos(firstAlias.range[0]) : START;
      return source(undefined, [{ file, line: p.line, column: p.column, code: 'yaml-syntax', message: firstLine(msg) }]);
    }
    return source(undefined, [{ file, code: 'yaml-syntax', message: `cannot read YAML value: ${firstLine(msg)}` }]);
  }

  // (all of them: a rule file's are shown with its language problems, a config's alone — firstProblems)
  const diagnostics = validate && !validate(value) ? ajvErrorsToDiagnostics(validate.errors ?? [], { file, positionOf, keyPositionOf, value }) : [];
  return source(value, diagnostics);
}

// ---------------------------------------------------------------------------------------------------
// ajv: one instance, schemas compiled once and cached.

let ajvInstance: Ajv | undefined;
const validators = new WeakMap<object, ValidateFunction>();

/** Annotation keywords our schemas carry for editors and for error mapping. */
export const SCHEMA_ANNOTATIONS = ['x-key-kind', 'x-expected', 'x-error-code', 'x-aliases', 'x-key-aliases', 'x-group', 'x-type', 'markdownDescription', 'defaultSnippets'];

/** allErrors: report everything at once; verbose: errors carry parentSchema (for x-key-kind / x-expected). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, allowUnionTypes: true } as const;

function ajv(): Ajv {
  if (!ajvInstance) {
    // Loaded on first use: the rule loader runs on a precompiled validator and never pays for ajv.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const AjvCtor = require('ajv').default as typeof Ajv;
    ajvInstance = new AjvCtor({ ...AJV_OPTIONS });
    ajvInstance.addVocabulary(SCHEMA_ANNOTATIONS);
    // Formats are only needed by schemas that use them (config: dates, URIs); load lazily.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addFormats = require('ajv-formats') as (a: Ajv) => Ajv;
    addFormats(ajvInstance);
  }
  return ajvInstance;
}

/** Compile a JSON Schema once per process (cached by schema object). */
export function schemaValidator(schema: object): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv().compile(schema);
    validators.set(schema, v);
  }
  return v;
}

interface ErrorContext {
  file: string;
  value: unknown;
  positionOf(path: readonly PathSegment[]): Position;
  keyPositionOf(path: readonly PathSegment[]): Position;
}

type SchemaLike = Record<string, unknown> | undefined;

/**
 * Turn ajv errors into one diagnostic per real problem: union (anyOf/oneOf) noise collapsed to the
 * branch that got furthest, additionalProperties pointing at the offending key, required at the map.
 */
export function ajvErrorsToDiagnostics(errors: readonly ErrorObject[], ctx: ErrorContext): Diagnostic[] {
  const errs = mergeRequired(collapseUnions(errors.filter((e) => e.keyword !== 'if')));
  // the keys each object may have, by its path: a key missing from an if/then branch (a security rule's
  // securitySeverity) is described where the object's own schema (the if's parent) lists it
  const keysAt = new Map<string, Record<string, SchemaLike>>();
  for (const e of errors) {
    const props = (e.parentSchema as SchemaLike)?.properties;
    if (props && typeof props === 'object' && !keysAt.has(e.instancePath)) keysAt.set(e.instancePath, props as Record<string, SchemaLike>);
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errs) {
    const d = describeError(e, ctx, keysAt.get(e.instancePath));
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(byPosition);
}

/** One "missing required keys" error per map instead of one per key. */
function mergeRequired(errs: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  const out: ErrorObject[] = [];
  for (const e of errs) {
    if (e.keyword !== 'required') {
      out.push(e);
      continue;
    }
    const prev = byPath.get(e.instancePath);
    if (prev) {
      const list = prev.params.missing as string[];
      if (!list.includes(String(e.params.missingProperty))) list.push(String(e.params.missingProperty));
    } else {
      const merged = { ...e, params: { ...e.params, missing: [String(e.params.missingProperty)] } };
      byPath.set(e.instancePath, merged);
      out.push(merged);
    }
  }
  return out;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pathFromPointer(pointer: string, value: unknown): PathSegment[] {
  const out: PathSegment[] = [];
  let cur: unknown = value;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function depthOf(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1;
}

const TYPE_LIKE = new Set(['type', 'const', 'pattern', 'anyOf', 'oneOf', 'union']);

/** Errors that only say "this is the wrong kind of value" (an enum checked against a mapping is one). */
function typeLike(e: ErrorObject): boolean {
  if (TYPE_LIKE.has(e.keyword)) return true;
  return e.keyword === 'enum' && e.data !== null && typeof e.data === 'object';
}

/**
 * Each union error (anyOf/oneOf) with the errors of its branches replaced by those of the branch that got furthest.
 * A union's branch errors are those under its instance path (ErrorSet.under), so the work is that of each union's
 * own errors: a rule file with thousands of bad list items took minutes when every union scanned every error.
 */
function collapseUnions(input: readonly ErrorObject[]): ErrorObject[] {
  const errs = new ErrorSet(input);
  const unions = input
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length || depthOf(b.instancePath) - depthOf(a.instancePath));
  for (const u of unions) {
    if (!errs.has(u)) continue;
    const prefix = `${u.schemaPath}/`;
    const branchErrs = errs.under(u.instancePath).filter((e) => e !== u && e.schemaPath.startsWith(prefix));
    if (branchErrs.length === 0) continue; // oneOf matched several branches: keep ajv's own message
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of branchErrs) {
      const idx = e.schemaPath.slice(prefix.length).split('/')[0];
      const list = byBranch.get(idx) ?? [];
      list.push(e);
      byBranch.set(idx, list);
    }
    const baseDepth = depthOf(u.instancePath);
    let best: ErrorObject[] | undefined;
    let bestDepth = baseDepth;
    for (const list of byBranch.values()) {
      const d = list.reduce((max, e) => Math.max(max, depthOf(e.instancePath)), -1);
      // A branch whose errors are not plain type mismatches at the union's own level also "got further".
      // Type mismatches (and a string that is not a $variable, a range, ...) say "wrong kind of value";
      // anything else (an unknown key, a bad enum value, a deeper error) says this branch was meant.
      const typeOnly = list.every((e) => depthOf(e.instancePath) === baseDepth && typeLike(e));
      const score = typeOnly ? baseDepth : Math.max(d, baseDepth + 0.5);
      if (score > bestDepth || (score === bestDepth && best && list.length < best.length && score > baseDepth)) {
        best = list;
        bestDepth = score;
      }
    }
    errs.delete(u);
    for (const e of branchErrs) errs.delete(e);
    if (best) {
      // Recursive definitions (a matcher's `not:`) can file deeper errors under the wrong branch
      // index; a plain type mismatch at the union's level is noise next to them.
      const deeper = best.some((e) => depthOf(e.instancePath) > baseDepth);
      for (const e of deeper ? best.filter((e) => !(depthOf(e.instancePath) === baseDepth && typeLike(e))) : best) errs.add(e);
    } else {
      const types = new Set<string>();
      for (const e of branchErrs) {
        if (e.keyword === 'type') String(e.params.type).split(',').forEach((t) => types.add(t));
        else if (e.keyword === 'pattern') types.add('string');
      }
      errs.add({
        keyword: 'union',
        instancePath: u.instancePath,
        schemaPath: u.schemaPath,
        params: { types: [...types] },
        parentSchema: u.parentSchema,
        data: u.data,
        message: `must be ${joinOr([...types].map(article))}`,
      });
    }
  }
  return errs.list();
}

/**
 * Errors in the order an array would hold them as they are removed and appended (each added one goes last), found
 * by instance path: those at a path and below it, without looking at the others.
 */
class ErrorSet {
  private readonly order = new Map<ErrorObject, number>();
  private readonly byPath = new Map<string, Set<ErrorObject>>();
  /** The instance paths of the input, sorted: those below a path are one run of them (`P/` ≤ path < `P0`). */
  private readonly paths: string[];
  private next = 0;

  constructor(input: readonly ErrorObject[]) {
    for (const e of input) this.add(e);
    this.paths = [...this.byPath.keys()].sort();
  }

  has(e: ErrorObject): boolean {
    return this.order.has(e);
  }

  add(e: ErrorObject): void {
    this.order.delete(e);
    this.order.set(e, this.next++);
    let at = this.byPath.get(e.instancePath);
    if (!at) this.byPath.set(e.instancePath, (at = new Set()));
    at.add(e);
  }

  delete(e: ErrorObject): void {
    if (this.order.delete(e)) this.byPath.get(e.instancePath)?.delete(e);
  }

  /** The errors at `path` and below it, in order. */
  under(path: string): ErrorObject[] {
    const found = [...this.byPath.get(path) ?? []];
    // ('/' is followed by '0' in code order: the paths below P sort from `P/` to before `P0`)
    for (let i = lowerBound(this.paths, `${path}/`), end = lowerBound(this.paths, `${path}0`); i < end; i++) {
      for (const e of this.byPath.get(this.paths[i]) ?? []) found.push(e);
    }
    return found.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  list(): ErrorObject[] {
    return [...this.order.keys()];
  }
}

/** The first index of sorted `list` whose item is not below `key` (code-unit order, as Array.sort). */
function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function article(t: string): string {
  return t === 'integer' ? 'an integer' : t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t === 'null' ? 'null' : `a ${t}`;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * `add key: what it is` for each of `keys` the schema describes (the hint of a missing-key error), or undefined;
 * none for more than three keys (a wall of text: the file is far from its schema, which the docs show whole).
 */
function whatToWrite(keys: readonly string[], props: Record<string, SchemaLike> | undefined): string | undefined {
  if (keys.length > 3) return undefined;
  const said = keys.flatMap((k) => {
    const d = props?.[k]?.description;
    return typeof d === 'string' ? [`${k}: ${d.replace(/\.$/, '')}`] : [];
  });
  return said.length > 0 ? `add ${said.join(' — and ')}` : undefined;
}

function describeError(e: ErrorObject, ctx: ErrorContext, keys?: Record<string, SchemaLike>): Diagnostic {
  const path = pathFromPointer(e.instancePath, ctx.value);
  const parent = e.parentSchema as SchemaLike;
  const name = describePath(path);
  const at = (p: Position) => ({ file: ctx.file, line: p.line, column: p.column });
  const expected = typeof parent?.['x-expected'] === 'string' ? (parent['x-expected'] as string) : undefined;
  const codeOverride = typeof parent?.['x-error-code'] === 'string' ? (parent['x-error-code'] as string) : undefined;

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const kind = (parent?.['x-key-kind'] as string | undefined) ?? 'key';
      const candidates = Object.keys((parent?.properties as object | undefined) ?? {});
      const suffixed = kind === 'field' ? candidates.filter((c) => c.endsWith(`.${key}`)) : [];
      // what other tools call it (`level:` as SARIF says, `regex:`, `ignore:`): x-key-aliases, by lower-case key
      const alias = aliasOf(parent?.['x-key-aliases'] as Record<string, string> | undefined, key);
      const suggestion = alias ?? (suffixed.length ? suffixed.slice(0, 3).join("' or '") : didYouMean(key, candidates));
      const where = path.length ? ` in ${name}` : '';
      const code = kind === 'field' ? 'unknown-field' : kind === 'operator' ? 'unknown-operator' : 'unknown-key';
      const noun = kind === 'field' ? 'field' : kind === 'operator' ? 'operator' : 'key';
      const hint = suggestion ? `did you mean '${suggestion}'?` : candidates.length && candidates.length <= 12 ? `expected one of: ${candidates.join(', ')}` : undefined;
      return { ...at(ctx.keyPositionOf([...path, key])), code, message: `unknown ${noun} '${key}'${kind === 'key' ? where : ''}`, ...(hint ? { hint } : {}) };
    }
    case 'required': {
      const missing = (e.params.missing as string[] | undefined) ?? [String(e.params.missingProperty)];
      const list = missing.map((k) => `'${k}'`).join(', ');
      const hint = whatToWrite(missing, { ...keys, ...(parent?.properties as Record<string, SchemaLike> | undefined) });
      return { ...at(ctx.positionOf(path)), code: 'missing-key', message: `missing required key${missing.length > 1 ? 's' : ''} ${list}${path.length ? ` in ${name}` : ''}`, ...(hint ? { hint } : {}) };
    }
    case 'type':
      if (path.length === 0 && (e.data === null || e.data === undefined)) {
        return { ...at(START), code: 'empty-file', message: `the file is empty; expected a mapping${expected ? ` (${expected})` : ''}` };
      }
    {
      // a mapping where a list belongs is most often one item written without its `- `
      const oneItem = String(e.params.type) === 'array' && e.data !== null && typeof e.data === 'object' && !Array.isArray(e.data);
      return {
        ...at(ctx.positionOf(path)), code: codeOverride ?? 'wrong-type', message: `${name} must be ${expected ?? joinOr(String(e.params.type).split(',').map(article))}, not ${typeName(e.data)}`,
        ...(oneItem ? { hint: 'if it is one item, make it a list item: `- ` before its first key, its other keys indented to line up with it' } : {}),
      };
    }
    case 'union':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'wrong-type', message: `${name} must be ${expected ?? joinOr((e.params.types as string[]).map(article))}, not ${typeName(e.data)}` };
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const alias = typeof e.data === 'string' ? aliasOf(parent?.['x-aliases'] as Record<string, string> | undefined, e.data) : undefined;
      const suggestion = alias ?? (typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined);
      const list = allowed.length > 10 ? `${allowed.slice(0, 10).join(', ')}, …` : allowed.join(', ');
      return {
        ...at(ctx.positionOf(path)), code: codeOverride ?? 'unknown-value',
        message: `${name}: '${shortValue(e.data)}' is not allowed`,
        hint: suggestion ? `did you mean '${suggestion}'?` : `expected one of: ${list}`,
      };
    }
    case 'const':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'unknown-value', message: `${name} must be ${JSON.stringify(e.params.allowedValue)}` };
    case 'pattern':
    case 'format':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'bad-format', message: `${name}: '${shortValue(e.data)}' is not ${expected ?? (e.keyword === 'format' ? `a valid ${e.params.format}` : `in the expected format (${e.params.pattern})`)}` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'out-of-range', message: `${name} must be ${e.params.comparison} ${e.params.limit}, not ${shortValue(e.data)}` };
    case 'minItems': case 'maxItems':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'bad-value', message: `${name} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${e.params.limit} item${e.params.limit === 1 ? '' : 's'}` };
    case 'minProperties':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'bad-value', message: `${name} must not be empty${expected ? ` (expected ${expected})` : ''}` };
    case 'minLength': case 'maxLength':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'bad-value', message: `${name} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${e.params.limit} characters long` };
    case 'uniqueItems':
      return { ...at(ctx.positionOf([...path, e.params.i as number])), code: codeOverride ?? 'duplicate-item', message: `${name} lists the same item twice (items ${(e.params.j as number) + 1} and ${(e.params.i as number) + 1})` };
    case 'not':
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'bad-value', message: `${name} is not allowed here${expected ? ` (${expected})` : ''}` };
    default:
      return { ...at(ctx.positionOf(path)), code: codeOverride ?? 'schema', message: `${name} ${e.message ?? 'is invalid'}` };
  }
}

function describePath(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the document';
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return `'${s}'`;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string '${shortValue(v)}'`;
  return `${typeof v} ${String(v)}`;
}

export function shortValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---------------------------------------------------------------------------------------------------
// Node lookup and resource checks.

interface Found {
  node: Node | null | undefined;
  key: Node | null | undefined;
  exact: boolean;
}

function findNode(doc: Document.Parsed, path: readonly PathSegment[]): Found {
  const { isAlias, isMap, isPair, isScalar, isSeq } = Y();
  let node: unknown = doc.contents;
  let key: Node | null | undefined;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) === String(seg) : String(p.key) === String(seg)));
      if (!pair) return { node: node as Node, key, exact: false };
      key = pair.key as Node;
      // A key with no value (`key:`) has no value node; point at the key.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return { node: node as Node, key, exact: false };
      key = undefined;
      node = item;
    } else {
      return { node: node as Node, key, exact: false };
    }
  }
  return { node: node as Node, key, exact: true };
}

function checkDepth(root: unknown, maxDepth: number): Node | undefined {
  const { isAlias, isMap, isPair, isScalar, isSeq } = Y();
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (isMap(n) || isSeq(n)) {
      if (d >= maxDepth) return n;
      for (const item of n.items) {
        if (isPair(item)) {
          stack.push([item.value, d + 1]);
          stack.push([item.key, d + 1]);
        } else stack.push([item, d + 1]);
      }
    }
  }
  return undefined;
}

function findFirstAlias(root: unknown): Node | undefined {
  const { isAlias, isMap, isPair, isScalar, isSeq } = Y();
  const stack: unknown[] = [root];
  let first: Node | undefined;
  while (stack.length) {
    const n = stack.pop();
    if (isAlias(n)) {
      if (!first || (n.range && first.range && n.range[0] < first.range[0])) first = n;
    } else if (isMap(n) || isSeq(n)) {
      for (const item of n.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return first;
}

/**
 * Approximate nesting from the raw text: flow brackets outside quotes and comments, and indentation.
 * Over-approximates only for odd plain scalars full of brackets, which no rule needs.
 */
function scanNesting(text: string, maxDepth: number): { line: number; column: number; limit: number } | undefined {
  let depth = 0;
  let line = 1;
  let col = 0;
  let lineStart = true;
  let indent = 0;
  let blockIndicators = 0;
  let quote: '"' | "'" | null = null;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    col++;
    if (c === '\n') {
      line++; col = 0; lineStart = true; indent = 0; blockIndicators = 0; comment = false;
      if (quote === "'") { /* single-quoted scalars may span lines */ }
      continue;
    }
    if (comment) continue;
    if (lineStart) {
      if (c === ' ') {
        indent++;
        if (indent > MAX_INDENT_COLUMNS) return { line, column: col, limit: maxDepth };
        continue;
      }
      if ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
        blockIndicators++;
        indent++;
        if (blockIndicators > maxDepth || indent > MAX_INDENT_COLUMNS) return { line, column: col, limit: maxDepth };
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === '\\' && quote === '"') { i++; col++; continue; }
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (prev === undefined || /[\s,[{:]/.test(prev)) quote = c;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) { comment = true; continue; }
    if (c === '[' || c === '{') {
      depth++;
      if (depth > maxDepth) return { line, column: col, limit: maxDepth };
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

function failed(file: string, d: Diagnostic): YamlSource {
  return { file, value: undefined, diagnostics: [d], positionOf: () => START, keyPositionOf: () => START };
}

/** A file that is not UTF-8 (read-limited.ts says where). */
export function notUtf8(file: string, at: { line: number; column: number; byte: number; utf16?: true }): Diagnostic {
  if (at.utf16) return { file, line: 1, column: 1, code: 'not-utf8', message: 'the file is UTF-16 (by its byte-order mark), not UTF-8', hint: 'save it as UTF-8' };
  return {
    file, line: at.line, column: at.column, code: 'not-utf8',
    message: `the file is not UTF-8: byte 0x${at.byte.toString(16).padStart(2, '0')} here is not part of a UTF-8 character`,
    hint: 'save it as UTF-8 (Latin-1 é is one byte, 0xE9; in UTF-8 it is two)',
  };
}

/** `size` undefined: a pipe or device that went on past the limit. */
export function tooLarge(file: string, size: number | undefined, max: number): Diagnostic {
  const what = size === undefined ? `goes on past the ${formatBytes(max)} limit (a pipe or device)` : `is ${formatBytes(size)}, larger than the ${formatBytes(max)} limit`;
  return { file, code: 'file-too-large', message: `file ${what}`, hint: 'split it into several files' };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

function duplicateKeyMessage(text: string, offset: number): string {
  const m = /^["']?([^"':\n]{1,80})["']?\s*:/.exec(text.slice(offset, offset + 100));
  return m ? `duplicate key '${m[1].trim()}' in this mapping` : 'duplicate key in this mapping';
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Syntax errors shown of a file: one mistake (a stray line, an unclosed bracket) makes the parser report every token after it. */
const SYNTAX_ERRORS_SHOWN = 3;

/** The first SYNTAX_ERRORS_SHOWN syntax errors, then one line counting the rest (firstShown). */
function firstSyntaxErrors(ds: Diagnostic[]): Diagnostic[] {
  return firstShown(ds, SYNTAX_ERRORS_SHOWN, 'yaml-syntax', 'YAML syntax errors', 'most follow from the first: fix it and check again');
}

/** Problems shown of one file; the rest are counted in one more line (a file of 300,000 bad items printed each). */
const PROBLEMS_SHOWN = 100;

/**
 * The first PROBLEMS_SHOWN of a file's problems (in order), and a count of the rest: given all of them (a rule
 * file's schema and language problems together, a config's schema problems), so that the count is of all.
 */
export function firstProblems(ds: Diagnostic[]): Diagnostic[] {
  return firstShown(ds, PROBLEMS_SHOWN, 'more-problems', 'problems', 'fix those above and check again');
}

/** The first `shown` of `ds`, then one line, `code`, counting the rest (`what`) where the first of them is. */
function firstShown(ds: Diagnostic[], shown: number, code: string, what: string, hint: string): Diagnostic[] {
  if (ds.length <= shown + 1) return ds;
  const rest = ds[shown];
  return [
    ...ds.slice(0, shown),
    { file: rest.file, line: rest.line, column: rest.column, code, message: `${ds.length - shown} more ${what} from here on, not shown`, hint },
  ];
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
