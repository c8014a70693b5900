/**
 * `scan --baseline` of a large baseline in little memory: the file is read a piece at a time and only its
 * fingerprints are kept (src/engine/baseline.ts, loadBaseline). JSON.parse of the whole text held the text and
 * every entry: a baseline of 1M findings took ~1.07 GB to load, and one of 400k (~100 MB) made V8 abort the
 * scan in a 64 MiB old generation (exit 134, a native stack) before a socket was read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baselineText, type BaselineFile } from '../../src/engine/baseline';
import { jsonReport, ROOT, runCli, tmpDir } from './cli';

const dir = tmpDir('socklint-baseline-memory-');
const SNAP = path.join(ROOT, 'fixtures/real/small.tan.ss');

it('a 400k-entry baseline is read in a 64 MiB old generation, and suppresses what it recorded', async () => {
  const small = path.join(dir, 'small.json');
  const made = await runCli(['baseline', SNAP, '--host', 'golden', '-o', small]);
  expect(made.code).toBe(0);
  const recorded = JSON.parse(fs.readFileSync(small, 'utf8')) as BaselineFile;
  expect(recorded.findings.length).toBeGreaterThan(0);
  // the snapshot's own findings among 400k others of another host, as `socklint baseline` writes them
  const others = Array.from({ length: 400000 }, (_, i) => ({
    fingerprint: (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(4),
    ruleId: 'unexpected-listener',
    host: 'fleet-host',
    message: `tcp port ${20000 + (i % 40000)} is listening on 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${20000 + (i % 40000)} (app[1000]) and is not on the allowlist`,
  }));
  const big = path.join(dir, 'big.json');
  const fd = fs.openSync(big, 'w');
  for (const piece of baselineText({ ...recorded, hosts: ['fleet-host', 'golden'], findings: [...others, ...recorded.findings] })) fs.writeSync(fd, piece);
  fs.closeSync(fd);
  expect(fs.statSync(big).size).toBeGreaterThan(90 * 1024 * 1024);

  const r = await runCli(['scan', SNAP, '--host', 'golden', '--baseline', big, '--format', 'json'], { env: { NODE_OPTIONS: '--max-old-space-size=64' }, timeoutMs: 90000 });
  expect(r.stderr).not.toMatch(/FATAL|heap out of memory|out-of-memory/);
  expect(r.code).toBe(0); // every finding was recorded
  const report = jsonReport(r);
  expect(report.findings.length).toBe(recorded.findings.length);
  expect(report.findings.every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
}, 120000);

it('a corrupt baseline is named by its file, line and column on one line, exit 2', async () => {
  const file = path.join(dir, 'corrupt.json');
  const lines = [...baselineText({ socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00.000Z', hosts: ['golden'], findings: Array.from({ length: 5000 }, (_, i) => ({ fingerprint: i.toString(16).padStart(32, '0'), ruleId: 'r', host: 'golden', message: 'm' })) })].join('').split('\n');
  lines[20000] = lines[20000].replace(/,$/, '');
  fs.writeFileSync(file, lines.join('\n'));
  const r = await runCli(['scan', SNAP, '--host', 'golden', '--baseline', file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`socklint: ${file}:20002:7: not JSON: expected ',' or '}', found '"' (write it with \`socklint baseline SNAPSHOT... -o FILE\`) [bad-baseline]\n`);
});
