/**
 * The compile cache (src/compile-cache.ts) made by `npm run build`: the built CLI's modules come from it on
 * every thread and under the V8 flags a scan sets as it runs, and a module whose text is not the one the cache
 * was made from, a cut or foreign cache file, or one of another Node.js, are compiled from their text.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPILE_CACHE_FILE as SOURCE_SIDE_FILE, readCompileCache, writeCompileCache } from '../src/compile-cache';
import { ROOT, runCli, tmpDir, type RunResult } from './e2e/cli';

const BUILT_CACHE = path.join(ROOT, 'dist/compile-cache.bin');
const REAL = path.join(ROOT, 'fixtures/real');

interface Compiled {
  thread: number;
  module: string;
  outcome: string;
}

/** The modules SOCKLINT_COMPILE_CACHE=trace listed on stderr. */
function traced(stderr: string): Compiled[] {
  const out: Compiled[] = [];
  for (const m of stderr.matchAll(/^socklint: compile cache: thread (\d+) (\S+) (\w+)$/gm)) out.push({ thread: Number(m[1]), module: m[2]!, outcome: m[3]! });
  return out;
}

/** A copy of the built package (dist/, package.json, rules/, schemas/; node_modules linked) whose files a test may change. */
function packageCopy(): string {
  const dir = tmpDir('socklint-compile-cache-');
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  for (const f of ['package.json', 'rules', 'schemas']) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** The copy's CLI run as runCli runs the built one, listing what the compile cache did. */
function runNode(dir: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(dir, 'dist/cli/main.js'), ...args], { env: { ...process.env, NO_COLOR: '1', SOCKLINT_COMPILE_CACHE: 'trace' }, timeout: 60000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? -1) : 0, stdout, stderr, ms: 0 });
    });
  });
}

describe('compile cache', () => {
  test('the build made one, beside the module that reads it', () => {
    expect(fs.existsSync(BUILT_CACHE)).toBe(true);
    expect(path.basename(SOURCE_SIDE_FILE)).toBe(path.basename(BUILT_CACHE));
  });

  test.each([
    ['one file split across two threads', [path.join(REAL, 'small.tanpmioe.ss')]],
    ['several files on worker threads', [path.join(REAL, 'small.tanpmioe.ss'), path.join(REAL, 'small.tanp.ss'), path.join(REAL, 'standard.tanpmioe.ss.gz')]],
  ])('a scan writing every report, %s: every module any thread compiles comes from the cache', async (_, files) => {
    const dir = tmpDir();
    const r = await runCli(['scan', ...files, '-j', '2', '-f', 'text', '-f', `json=${dir}/r.json`, '-f', `sarif=${dir}/r.sarif`, '-f', `junit=${dir}/r.xml`, '-f', `prometheus=${dir}/r.prom`], {
      env: { SOCKLINT_COMPILE_CACHE: 'trace', SOCKLINT_PARALLEL_MIN_BYTES: '1' },
    });
    expect([0, 1]).toContain(r.code);
    const compiled = traced(r.stderr);
    const main = compiled.filter((c) => c.thread === 0).map((c) => c.module);
    // this thread's modules before and after the scan changed V8's flags: the command, the engine, the formatters
    for (const m of ['dist/cli/commands/scan.js', 'dist/snapshot/parser.js', 'dist/report/sarif.js', 'dist/report/junit.js', 'node_modules/junit-report-builder/dist/index.js', 'node_modules/yargs/build/index.cjs']) {
      expect(main).toContain(m);
    }
    expect(compiled.filter((c) => c.outcome !== 'used')).toEqual([]);
  });

  test('a live scan of this host (socklint reading /proc): every module comes from the cache', async () => {
    const r = await runCli(['scan', '--proc', '--fail-on', 'none', '-f', 'json'], { env: { SOCKLINT_COMPILE_CACHE: 'trace' } });
    expect(r.code).toBe(0);
    const compiled = traced(r.stderr);
    expect(compiled.map((c) => c.module)).toEqual(expect.arrayContaining(['dist/snapshot/live.js', 'dist/snapshot/proc.js', 'dist/snapshot/capture.js']));
    expect(compiled.filter((c) => c.outcome !== 'used')).toEqual([]);
  });

  test('V8 flags given at launch (NODE_OPTIONS): the cache is left after the first module V8 rejects', async () => {
    const r = await runCli(['scan', path.join(REAL, 'small.tanp.ss'), '-f', 'json'], {
      env: { SOCKLINT_COMPILE_CACHE: 'trace', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=3000`.trim() },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.sockets).toBeGreaterThan(0);
    const compiled = traced(r.stderr);
    expect(compiled.length).toBeGreaterThan(30);
    expect(compiled[0]!.outcome).toBe('rejected');
    expect(compiled.slice(1).filter((c) => c.outcome !== 'absent')).toEqual([]);
  });

  test('a module whose text changed since the cache was made is compiled from its text, the others from the cache', async () => {
    const dir = packageCopy();
    const file = path.join(dir, 'dist/version.js');
    const text = fs.readFileSync(file, 'utf8');
    // the same length: V8's own check of cached data looks at the length of the text only
    const changed = text.replace('cached = pkg.version;', "cached = '9.9.9'    ;");
    expect(changed.length).toBe(text.length);
    expect(changed).not.toBe(text);
    fs.writeFileSync(file, changed);
    const r = await runNode(dir, ['scan', path.join(REAL, 'small.tanp.ss'), '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).tool.version).toBe('9.9.9');
    const compiled = traced(r.stderr);
    expect(compiled).toContainEqual({ thread: 0, module: 'dist/version.js', outcome: 'absent' });
    expect(compiled.filter((c) => c.module !== 'dist/version.js' && c.outcome !== 'used')).toEqual([]);
  });

  test('`socklint --version` leaves the cache unread (four small modules: it would cost more than it saves)', async () => {
    const r = await runCli(['--version'], { env: { SOCKLINT_COMPILE_CACHE: 'trace' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
    expect(traced(r.stderr)).toEqual([]);
  });

  test.each([
    ['cut in half', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['cut inside its index', (b: Buffer) => b.subarray(0, 40)],
    ['not a cache file', (b: Buffer) => Buffer.alloc(b.length, 0xa5)],
    ['empty', () => Buffer.alloc(0)],
    ['whose index claims 4 GiB', (b: Buffer) => { const c = Buffer.from(b); c.writeUInt32LE(0xffffffff, 'socklint compile cache 2\n'.length); return c; }],
  ])('a cache file %s is not used, and socklint works as without one', async (_, damage) => {
    const dir = packageCopy();
    const file = path.join(dir, 'dist/compile-cache.bin');
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    const version = await runNode(dir, ['--version']);
    expect(version.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
    const scan = await runNode(dir, ['scan', path.join(REAL, 'small.tanp.ss'), '-f', 'json']);
    expect(scan.code).toBe(1);
    expect(JSON.parse(scan.stdout).summary.sockets).toBeGreaterThan(0);
    const compiled = traced(scan.stderr);
    expect(compiled.length).toBeGreaterThan(30);
    expect(compiled.filter((c) => c.outcome !== 'absent')).toEqual([]);
  });

  test("a module's data changed on disk is not given to V8 (a release V8 does not check it: it crashed), the module compiles from its text", async () => {
    const dir = packageCopy();
    const file = path.join(dir, 'dist/compile-cache.bin');
    const contents = readCompileCache(file)!;
    const blob = fs.readFileSync(file);
    const damaged = ['dist/cli/stdout.js', 'dist/diagnostics/index.js'];
    let flipped = 0;
    for (const [k, e] of contents.entries) {
      if (!damaged.includes(k.split('\u0000')[0]!)) continue;
      for (let i = e.at + 200; i < e.at + e.length - 50; i += 37) blob[i]! ^= 0x5a;
      flipped++;
    }
    expect(flipped).toBeGreaterThanOrEqual(2);
    fs.writeFileSync(file, blob);
    const r = await runNode(dir, ['scan', path.join(REAL, 'small.tanp.ss'), '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.sockets).toBeGreaterThan(0);
    const compiled = traced(r.stderr);
    for (const m of damaged) expect(compiled).toContainEqual({ thread: 0, module: m, outcome: 'absent' });
    expect(compiled.filter((c) => !damaged.includes(c.module) && c.outcome !== 'used')).toEqual([]);
  });

  test('a FIFO in the cache file\'s place does not hold the start (nothing writes to it)', async () => {
    const dir = packageCopy();
    const file = path.join(dir, 'dist/compile-cache.bin');
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    const r = await runNode(dir, ['scan', path.join(REAL, 'small.tanp.ss'), '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.sockets).toBeGreaterThan(0);
    expect(traced(r.stderr).filter((c) => c.outcome !== 'absent')).toEqual([]);
  });

  test('a cache made by another Node.js is not used', async () => {
    const dir = packageCopy();
    const file = path.join(dir, 'dist/compile-cache.bin');
    const contents = readCompileCache(file)!;
    expect(contents.node).toBe(process.version);
    writeCompileCache(file, { ...contents, node: 'v0.0.1' });
    expect(readCompileCache(file)!.entries.size).toBe(contents.entries.size);
    const r = await runNode(dir, ['scan', path.join(REAL, 'small.tanp.ss'), '-f', 'json']);
    expect(r.code).toBe(1);
    const compiled = traced(r.stderr);
    expect(compiled.length).toBeGreaterThan(30);
    expect(compiled.filter((c) => c.outcome !== 'absent')).toEqual([]);
  });
});
