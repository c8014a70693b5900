/** Several snapshots in one run: folders, globs, gzip, stdin, worker threads; findings kept per snapshot/host. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';
import type { ScanReport } from '../../src/engine/types';

const SNAP = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');
let dir: string;
beforeAll(() => {
  dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'fleet'));
  for (const h of ['web-01', 'web-02', 'db-01', 'db-02']) fs.copyFileSync(SNAP, path.join(dir, 'fleet', `${h}.ss`));
  fs.writeFileSync(path.join(dir, 'fleet', 'lb-01.ss.gz'), zlib.gzipSync(fs.readFileSync(SNAP)));
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const stable = (r: ScanReport) => ({
  snapshots: r.snapshots.map((s) => ({ ...s })),
  findings: r.findings.map((f) => ({ ...f })),
  notEvaluated: r.notEvaluated,
  summary: r.summary,
});

it('scans a folder (with a .gz file) per host, the same on worker threads as in one thread', async () => {
  const one = await runCli(['scan', path.join(dir, 'fleet'), '--format', 'json', '-j', '1']);
  // small inputs stay in one thread by default: force the worker threads
  const two = await runCli(['scan', path.join(dir, 'fleet'), '--format', 'json', '-j', '2'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' } });
  expect(one.code).toBe(1);
  expect(two.code).toBe(1);
  const a = jsonReport(one);
  const b = jsonReport(two);
  expect(a.snapshots.map((s) => s.host)).toEqual(['db-01', 'db-02', 'lb-01', 'web-01', 'web-02']);
  expect(stable(b)).toEqual(stable(a));
  // this thread and two workers take files as they finish: the same report
  const three = await runCli(['scan', path.join(dir, 'fleet'), '--format', 'json', '-j', '3'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' } });
  expect(stable(jsonReport(three))).toEqual(stable(a));
  const perHost = (h: string) => a.findings.filter((f) => f.host === h).length;
  expect(perHost('lb-01')).toBe(perHost('web-01'));
  expect(perHost('lb-01')).toBeGreaterThan(0);
  // the same exposure on two hosts is two findings with two fingerprints
  const fp = a.findings.filter((f) => f.ruleId === 'dangerous-port-exposed').map((f) => f.fingerprint);
  expect(new Set(fp).size).toBe(5);
});

it('expands globs itself and reads stdin as `-`', async () => {
  const glob = await runCli(['scan', path.join(dir, 'fleet', 'web-*.ss'), '--format', 'json']);
  expect(jsonReport(glob).snapshots.map((s) => s.host)).toEqual(['web-01', 'web-02']);
  const stdin = await runCli(['scan', '-', '--format', 'json'], { input: fs.readFileSync(SNAP, 'utf8') });
  const r = jsonReport(stdin);
  expect(r.snapshots).toEqual([expect.objectContaining({ file: '-', host: 'stdin', sockets: 45 })]);
  expect(r.findings.every((f) => f.location.file === '-')).toBe(true);
});

it('exits 3 naming the file when one input is missing, and still reports the others', async () => {
  const r = await runCli(['scan', SNAP, path.join(dir, 'nope.ss'), '--format', 'json']);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain('nope.ss');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(jsonReport(r).snapshots).toHaveLength(1);
});

it('caps listed findings per rule and says how many were left out', async () => {
  const r = jsonReport(await runCli(['scan', SNAP, '--format', 'json', '--max-findings', '1']));
  const listed = r.findings.filter((f) => f.ruleId === 'unexpected-listener');
  expect(listed).toHaveLength(1);
  const omitted = r.omitted.find((o) => o.ruleId === 'unexpected-listener');
  expect(omitted?.count).toBeGreaterThan(0);
  expect(r.summary.omitted).toBe(r.omitted.reduce((n, o) => n + o.count, 0));
});
