/**
 * The last step of `npm run build`: makes dist/compile-cache.bin (src/compile-cache.ts) by running the built CLI
 * as users do — every report format, a file split across two threads, several files on worker threads, a config
 * with a waiver and a baseline, a live scan and a capture of the build host (read-only), parse, the rules command
 * — each run adding the modules it compiled, and the functions it called, to the cache.
 *
 *   node dist/build/train-compile-cache.js
 *
 * A run that fails fails the build: the CLI just built does not work (a live run may find no ss or /proc/net on
 * the build host: exits 2 and 3 are taken; a crash, 4, is not).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMPILE_CACHE_FILE, readCompileCache, writeCompileCache } from '../compile-cache';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const REAL = path.join(ROOT, 'fixtures/real');

function train(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-train-'));
  const out = path.join(tmp, 'compile-cache.bin');
  const at = (name: string): string => path.join(tmp, name);
  const reports = (tag: string): string[] => ['-f', 'text', '-f', `json=${at(`${tag}.json`)}`, '-f', `sarif=${at(`${tag}.sarif`)}`, '-f', `junit=${at(`${tag}.xml`)}`, '-f', `prometheus=${at(`${tag}.prom`)}`];
  const detailed = path.join(REAL, 'small.tanpmioe.ss');
  const plain = path.join(REAL, 'small.tanp.ss');
  fs.writeFileSync(at('config.yaml'), 'waivers:\n  - rule: dangerous-port-exposed\n    where: {local.port: 3306}\n    reason: compile cache training\n    expires: 2999-01-01\n');
  const runs: { argv: string[]; env?: NodeJS.ProcessEnv; exits?: number[] }[] = [
    { argv: ['--version'] },
    { argv: ['--help'] },
    { argv: ['scan', '--help'] },
    { argv: ['scan', detailed, path.join(REAL, 'small.tuaxnpmioe.ss'), ...reports('one')], exits: [0, 1] },
    { argv: ['scan', plain, ...reports('plain')], exits: [0, 1] },
    // one file split across two threads, and several files on a worker thread
    { argv: ['scan', detailed, '-j', '2', ...reports('split')], env: { SOCKLINT_PARALLEL_MIN_BYTES: '1' }, exits: [0, 1] },
    { argv: ['scan', plain, detailed, path.join(REAL, 'standard.tanpmioe.ss.gz'), '-j', '2', ...reports('fleet')], env: { SOCKLINT_PARALLEL_MIN_BYTES: '1' }, exits: [0, 1] },
    { argv: ['baseline', detailed, '-o', at('baseline.json')] },
    { argv: ['scan', detailed, '-c', at('config.yaml'), '--baseline', at('baseline.json'), ...reports('config')], exits: [0, 1] },
    // this host, live (ss, and socklint's own /proc reader): read-only; a build host without them still builds
    { argv: ['scan', '--fail-on', 'none', '-f', `json=${at('live.json')}`], exits: [0, 1, 2, 3] },
    { argv: ['scan', '--proc', '--fail-on', 'none', '-f', `json=${at('proc.json')}`], exits: [0, 1, 2, 3] },
    { argv: ['capture', '-o', `${at('captures')}/`], exits: [0, 2, 3] },
    { argv: ['parse', detailed] },
    { argv: ['parse', detailed, '--format', 'ndjson'] },
    { argv: ['rules', 'list'] },
    { argv: ['rules', 'validate', path.join(ROOT, 'rules')] },
    { argv: ['rules', 'test'] },
  ];
  try {
    for (const r of runs) {
      const p = spawnSync(process.execPath, [CLI, ...r.argv], {
        env: { ...process.env, ...r.env, SOCKLINT_COMPILE_CACHE: `train=${out}` },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      if (p.error !== undefined || !(r.exits ?? [0]).includes(p.status ?? -1)) {
        throw new Error(`socklint ${r.argv.join(' ')} ended with ${p.error?.message ?? `exit ${p.status ?? p.signal}`}: ${p.stderr.trim().split('\n')[0] ?? ''}`);
      }
    }
    // written whole and renamed into place: a socklint running now keeps reading the file it opened
    const trained = readCompileCache(out);
    if (trained === undefined) throw new Error(`the training runs left no compile cache in ${out}`);
    writeCompileCache(COMPILE_CACHE_FILE, trained);
    if (trained.fd !== undefined) fs.closeSync(trained.fd);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  train();
} catch (e) {
  process.stderr.write(`train-compile-cache: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
