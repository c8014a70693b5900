/**
 * A V8 code cache of socklint's own modules and its dependencies, made when socklint is built and read at every
 * start (`dist/compile-cache.bin`).
 *
 * Why: a 100-socket scan spent ~60 ms of its ~250 ms above Node.js' own start compiling JavaScript — every
 * module's text parsed, then each function it runs compiled to bytecode on its first call (junit-report-builder
 * alone is a 788 KB bundle). V8 can save that bytecode and load it again. A cache made as a module is compiled
 * holds little (V8 compiles functions lazily: only the top level is compiled then), which is why
 * `v8-compile-cache` gained nothing measurable here (bench/README.md, session 25); this one is made after
 * training runs of the built CLI (src/build/train-compile-cache.ts: scans writing every report, a split file,
 * a fleet, parse, the rules command), so it holds every function those runs called.
 *
 * Safe by construction: a module is compiled from the cache only when the SHA-256 of its text is the one the
 * cache was made from (V8 itself checks only the text's length), by the same Node.js (V8 rejects data of another
 * version or other flags, and the module is then compiled as usual), and when its data's own SHA-256 matches (a
 * release build of V8 does not check the data past its header: changed bytes made the process segfault). The
 * cache sits in the package, written only by the build, so it is trusted as the code beside it is; socklint
 * never writes it at run time.
 *
 * V8 rejects data made under other V8 flags, and a scan changes some as it runs (a smaller inlining budget, the
 * young generation's growth, `--expose-gc` before large reports): every change goes through `setV8Flag`, and the
 * cache holds a copy of each module for every flag set the training runs went through, so modules loaded
 * later (the report formatters, a worker thread's) find theirs.
 *
 * SOCKLINT_COMPILE_CACHE: unset, the cache is used; `off`, it is not (what it saves, measured); `trace`, it is
 * used and each module compiled is listed on stderr with what the cache did for it (used, rejected by V8,
 * absent); `train=FILE`, used by the build: the modules compiled are added to FILE at exit.
 */
import * as fs from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The cache file, beside this module (dist/). */
export const COMPILE_CACHE_FILE = path.join(__dirname, 'compile-cache.bin');
/** The package's root: modules below it (dist/, node_modules/) are cached under their path from it. */
const ROOT = path.resolve(__dirname, '..');
const MAGIC = 'socklint compile cache 2\n';

/**
 * A module's V8 data in a cache: the hash of the text it was made from, where the data is (or the data), and
 * the data's own hash — V8 (a release build) does not check its data: bytes changed on disk crashed the process.
 */
interface Entry {
  hash: string;
  at: number;
  length: number;
  sum: string;
  data?: Buffer;
}

/**
 * What a cache file holds: a module's entry by `key` (path from ROOT and flag set). Its data is read through
 * `fd`, open for the process's life: a build that replaces the file as socklint runs (a new file renamed into
 * place) leaves this process reading the one whose index it has.
 */
export interface CacheContents {
  fd: number | undefined;
  node: string;
  entries: Map<string, Entry>;
}

/** The key of a module's data made under the flag set `flags` (flagsKey). */
function key(rel: string, flags: string): string {
  return `${rel}\u0000${flags}`;
}

// ---- V8 flags set at run time

/**
 * The V8 flags socklint sets at run time (the reasons are at their callers), with V8's defaults (`node
 * --v8-options`); booleans as 0 and 1.
 */
const RUNTIME_FLAGS = {
  'max-inlined-bytecode-size-cumulative': 920, // cli/commands/scan.ts
  'semi-space-growth-factor': 2, // engine/threads.ts youngGenerationGrows
  'expose-gc': 0, // engine/memory.ts collectBeforeReport
} as const;
type RuntimeFlag = keyof typeof RUNTIME_FLAGS;
const FLAG_NAMES = Object.keys(RUNTIME_FLAGS) as RuntimeFlag[];

/**
 * Their values now, in memory every thread of the process shares (V8's flags are the process's): a worker
 * thread compiles its modules while this thread may be changing them, and takes the cache's copy for the
 * flags V8 has at that moment. Made by the main thread (at its first use), handed to workers in their
 * workerData (withV8Flags), which give it to useCompileCache.
 */
let shared: Int32Array | undefined;
/** The slot after the flags' values: a count that is odd while a thread changes a flag (setV8Flag). */
const CHANGES = FLAG_NAMES.length;
/** The flag sets this thread went through, by flagsKey, with their values (a training run saves a copy of each module for each). */
const flagSetsSeen = new Map<string, number[]>([['', FLAG_NAMES.map((name) => RUNTIME_FLAGS[name])]]);

function flagValues(): Int32Array {
  if (shared === undefined) {
    shared = new Int32Array(new SharedArrayBuffer(4 * (FLAG_NAMES.length + 1)));
    FLAG_NAMES.forEach((name, i) => { shared![i] = RUNTIME_FLAGS[name]; });
  }
  return shared;
}

/** `data` with the flags' shared values, for a worker thread's workerData. */
export function withV8Flags<T extends object>(data: T): T & { v8Flags: SharedArrayBuffer } {
  return { ...data, v8Flags: flagValues().buffer as SharedArrayBuffer };
}

/** The flags that differ from V8's defaults, as one text (`name=value …`): the key of a cached module's copy. */
function flagsKey(values: Int32Array): string {
  const set: string[] = [];
  FLAG_NAMES.forEach((name, i) => {
    const v = Atomics.load(values, i);
    if (v !== RUNTIME_FLAGS[name]) set.push(`${name}=${v}`);
  });
  return set.join(' ');
}

function applyFlag(name: RuntimeFlag, value: number): void {
  // (node:v8 loaded when a flag is set: ~2.5 ms of a start that sets none, as `socklint --version`)
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString(name === 'expose-gc' ? (value !== 0 ? `--${name}` : `--no-${name}`) : `--${name}=${value}`);
}

/**
 * Sets one of RUNTIME_FLAGS for the process (all its threads), as `v8.setFlagsFromString` would: the one way
 * socklint changes V8's flags, so that the compile cache knows which of its copies V8 will take.
 */
export function setV8Flag(name: RuntimeFlag, value: number | boolean | 'default'): void {
  const v = value === 'default' ? RUNTIME_FLAGS[name] : typeof value === 'boolean' ? Number(value) : value;
  const values = flagValues();
  Atomics.add(values, CHANGES, 1);
  applyFlag(name, v);
  Atomics.store(values, FLAG_NAMES.indexOf(name), v);
  Atomics.add(values, CHANGES, 1);
  flagSetsSeen.set(flagsKey(values), FLAG_NAMES.map((_, i) => values[i]!));
}

/** Sets V8's flags to `values` (one per FLAG_NAMES). */
function applyFlags(values: readonly number[]): void {
  FLAG_NAMES.forEach((name, i) => applyFlag(name, values[i]!));
}

// ---- the cache file

/**
 * The index of a cache file (its data is read module by module, entryData: a process keeps none of it);
 * undefined when there is none, or it is not one (then nothing is used).
 */
export function readCompileCache(file: string): CacheContents | undefined {
  let fd: number | undefined;
  try {
    // (non-blocking: a FIFO put there would hold every start in open())
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error('not a file');
    const head = Buffer.alloc(MAGIC.length + 4);
    if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || head.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a cache');
    const size = st.size;
    const headerLength = head.readUInt32LE(MAGIC.length);
    if (headerLength > size - head.length) throw new Error('cut');
    const text = Buffer.alloc(headerLength);
    if (fs.readSync(fd, text, 0, text.length, head.length) !== text.length) throw new Error('cut');
    const start = head.length + text.length;
    const header = JSON.parse(text.toString('utf8')) as { node: string; entries: [string, string, number, number, string][] };
    const entries = new Map<string, Entry>();
    for (const [k, hash, offset, length, sum] of header.entries) {
      const fits = Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length > 0 && start + offset + length <= size;
      if (!fits || typeof k !== 'string' || typeof hash !== 'string' || typeof sum !== 'string') throw new Error('not a cache');
      entries.set(k, { hash, at: start + offset, length, sum });
    }
    return { fd, node: header.node, entries };
  } catch {
    if (fd !== undefined) fs.closeSync(fd);
    return undefined; // unreadable, cut or not ours: modules are compiled as usual
  }
}

/** An entry's V8 data; undefined when it cannot be read (the module is then compiled as usual). */
export function entryData(contents: CacheContents, entry: Entry): Buffer | undefined {
  if (entry.data !== undefined) return entry.data;
  try {
    const data = Buffer.alloc(entry.length);
    const read = contents.fd !== undefined && fs.readSync(contents.fd, data, 0, data.length, entry.at) === data.length;
    return read && digest(data) === entry.sum ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `contents` to `file` whole (a temporary file renamed into place). */
export function writeCompileCache(file: string, contents: CacheContents): void {
  const index: [string, string, number, number, string][] = [];
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [k, e] of contents.entries) {
    const data = entryData(contents, e);
    if (data === undefined) continue;
    index.push([k, e.hash, offset, data.length, digest(data)]);
    parts.push(data);
    offset += data.length;
  }
  const header = Buffer.from(JSON.stringify({ node: contents.node, entries: index }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([Buffer.from(MAGIC, 'latin1'), length, header, ...parts]));
  fs.renameSync(temporary, file);
}

// ---- compiling modules

interface Trained {
  rel: string;
  hash: string;
  script: vm.Script;
}

type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;
type ModuleInternals = typeof Module & {
  wrap(script: string): string;
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<Module>;
};
const ModuleInternal = Module as ModuleInternals;

/** `require` as Node.js' loader gives it to a module's code. */
function requireFor(mod: Module): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) => ModuleInternal._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => ModuleInternal._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = require.main;
  req.extensions = ModuleInternal._extensions;
  req.cache = ModuleInternal._cache;
  return req;
}

let installed = false;

let sha256Hex: ((text: string | Uint8Array, bytes: number) => string) | undefined;
/** While hash.ts loads (digest): it is compiled as usual, not hashed by what it is loaded for. */
let loadingHash = false;

/** The hash a module's text, or its data, is known by in the cache (node:crypto loaded at the first: ~4 ms of a start without a cache). */
function digest(x: string | Uint8Array): string {
  if (sha256Hex === undefined) {
    loadingHash = true;
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      sha256Hex = (require('./hash') as typeof import('./hash')).sha256Hex;
    } finally {
      loadingHash = false;
    }
  }
  return sha256Hex(x, 16);
}

/**
 * Compiles the modules loaded from here on with the cache (SOCKLINT_COMPILE_CACHE, above). Called by the entry
 * points before they load anything else: cli/main.ts (use-compile-cache.ts), and a worker thread's
 * (engine/worker-compile-cache.ts) with the flags' shared values its workerData brings (withV8Flags).
 */
export function useCompileCache(v8Flags?: unknown): void {
  if (v8Flags instanceof SharedArrayBuffer && v8Flags.byteLength === 4 * (FLAG_NAMES.length + 1)) shared = new Int32Array(v8Flags);
  const mode = process.env.SOCKLINT_COMPILE_CACHE ?? '';
  if (installed || mode === 'off') return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const thread = mode === 'trace' ? (require('node:worker_threads') as typeof import('node:worker_threads')).threadId : 0;
  const trace = (rel: string, outcome: 'used' | 'rejected' | 'absent'): void => {
    if (mode === 'trace') fs.writeSync(2, `socklint: compile cache: thread ${thread} ${rel} ${outcome}\n`);
  };
  const trainTo = mode.startsWith('train=') ? mode.slice('train='.length) : undefined;
  let contents: CacheContents | null | undefined; // read at the first module compiled (null: none)
  const trained: Trained[] = [];
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  proto._compile = function (this: Module, content: string, filename: string, format?: string) {
    const rel = path.relative(ROOT, filename);
    if (loadingHash || (format !== undefined && format !== 'commonjs') || rel.startsWith('..') || path.isAbsolute(rel)) return compile.call(this, content, filename, format);
    if (contents === undefined) {
      const read = readCompileCache(trainTo ?? COMPILE_CACHE_FILE);
      contents = read !== undefined && read.node === process.version ? read : null;
    }
    let hash = trainTo !== undefined ? digest(content) : undefined;
    // as Node.js' loader does: a `#!` line is a comment
    const text = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    let script: vm.Script | undefined;
    for (let attempt = 0; script === undefined; attempt++) {
      const values = flagValues();
      const changes = Atomics.load(values, CHANGES);
      const entry = contents?.entries.get(key(rel, flagsKey(values)));
      if (entry !== undefined) hash ??= digest(content);
      const cachedData = entry !== undefined && entry.hash === hash ? entryData(contents!, entry) : undefined;
      if (cachedData === undefined && trainTo === undefined) {
        trace(rel, 'absent');
        return compile.call(this, content, filename, format);
      }
      const made = new vm.Script(ModuleInternal.wrap(text), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      } as vm.ScriptOptions);
      const rejected = cachedData !== undefined && made.cachedDataRejected === true;
      // Rejected while another thread changed V8's flags (between the copy taken and V8's look at it): the
      // copy for the flags now is tried once. Rejected under flags that did not change: flags given at launch
      // (NODE_OPTIONS=--max-old-space-size, which socklint's own messages suggest) — V8 would reject every
      // module's copy, each read for nothing.
      const raced = changes % 2 !== 0 || Atomics.load(values, CHANGES) !== changes;
      if (!rejected || trainTo !== undefined || !raced || attempt > 0) {
        if (rejected && !raced && trainTo === undefined) {
          if (contents?.fd !== undefined) fs.closeSync(contents.fd);
          contents = null;
        }
        trace(rel, cachedData === undefined ? 'absent' : rejected ? 'rejected' : 'used');
        script = made;
      }
    }
    if (trainTo !== undefined) trained.push({ rel, hash: hash!, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...a: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  if (trainTo !== undefined) process.once('exit', () => saveTrained(trainTo, trained, contents ?? undefined));
}

/**
 * Adds the modules this process compiled to the cache file `file` (their data under every flag set the process
 * went through: V8's data names the flags it was made under). A module's data now holds the functions it had
 * from the cache and those this run compiled; the larger of the two is kept.
 */
function saveTrained(file: string, trained: readonly Trained[], before: CacheContents | undefined): void {
  const entries = new Map(before?.entries ?? []);
  for (const [flags, values] of flagSetsSeen) {
    applyFlags(values);
    for (const t of trained) {
      const k = key(t.rel, flags);
      const data = t.script.createCachedData();
      const old = entries.get(k);
      if (old === undefined || old.hash !== t.hash || old.length < data.length) entries.set(k, { hash: t.hash, at: 0, length: data.length, sum: '', data });
    }
  }
  const now = flagValues();
  applyFlags(FLAG_NAMES.map((_, i) => now[i]!));
  writeCompileCache(file, { fd: before?.fd, node: process.version, entries });
}
