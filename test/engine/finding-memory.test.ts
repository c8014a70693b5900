/**
 * A fleet scan keeps every finding until its reports are written (1,000 snapshots of 10k sockets: ~99,000
 * findings), so what one finding costs on the heap sets the scan's peak memory. These tests measure it: the
 * processes and flags lists are of their own size, the process entries and fingerprints are flat, a completed
 * socket keeps its shape, and findings share one copy of each repeated text.
 *
 * Heap sizes are measured in a process of their own (the built CLI's modules, `npm test` builds first): in a
 * Jest worker, what earlier test files left behind is freed whenever Jest gets to it, between two readings.
 * That process runs V8 on one thread and keeps bytecode: with concurrent compilation and bytecode flushing,
 * one reading in three held ~150 KB more (~130 bytes a finding here).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';

const ROOT = path.resolve(__dirname, '../..');
const GENERATE = path.join(ROOT, 'bench/generate.js');
const dirs: Record<string, string> = {};

beforeAll(() => {
  for (const [layout, count] of [['tanp', 12], ['tanpmioe', 4]] as const) {
    const dir = dirs[layout] = fs.mkdtempSync(path.join(os.tmpdir(), `socklint-findings-${layout}-`));
    for (let i = 0; i < count; i++) {
      execFileSync(process.execPath, [GENERATE, '--sockets', '10k', '--layout', layout, '--seed', String(700 + i), '--out', path.join(dir, `snap-${i}.ss`)], { stdio: 'pipe' });
    }
  }
});

afterAll(() => { for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true }); });

/** Run in a fresh `node --expose-gc`: scans the folder argv[1] with the default pack on this thread. */
const MEASURE = `
const fs = require('fs'), path = require('path');
const [root, dir, what] = process.argv.slice(1);
const { fileInputs, runScan, shareStrings } = require(path.join(root, 'dist/engine/scan'));
const { loadRulesAndConfig } = require(path.join(root, 'dist/cli/commands/shared'));
const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
(async () => {
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  const { rules } = loadRulesAndConfig({ rules: [], defaultRules: true });
  let findings = (await runScan({ inputs: fileInputs(files), rules, jobs: 1, version: 'test' })).report.findings;
  const n = findings.length;
  // counted in loops: with Array#filter callbacks reading socket.tcp.flags, V8 kept the findings through gc()
  // (a heap snapshot's collection freed them), and the heap freed below read ~200 bytes a finding
  const out = { n, withProcesses: 0, withFlags: 0 };
  for (const f of findings) {
    if (f.socket && f.socket.processes) out.withProcesses++;
    if (f.socket && f.socket.tcp && f.socket.tcp.flags) out.withFlags++;
  }
  if (what === 'kept') {
    // freed in two halves of the same make (every other finding, then the rest), the smaller cost taken: a
    // collection may also free something the scan left that no finding holds (V8's number-to-string cache,
    // up to 256 KB, ~220 bytes a finding here), and it falls into one half only
    const held = used();
    let even = 0;
    for (let i = 0; i < n; i += 2) findings[even++] = findings[i]; // in place: the array is the report's too
    findings.length = even;
    const mid = used();
    findings.length = 0;
    out.perFinding = Math.min((held - mid) / (n - even), (mid - used()) / even);
  } else {
    // findings as a worker thread sends them: a structured clone, with and without shareStrings
    const base = used();
    let copied = structuredClone(findings);
    out.copied = (used() - base) / n;
    copied = undefined;
    let shared = structuredClone(findings);
    shareStrings(shared, new Map());
    out.shared = (used() - base) / n;
    out.same = JSON.stringify(shared) === JSON.stringify(findings);
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

function measure(layout: string, what: 'kept' | 'shared'): Record<string, number | boolean> {
  const text = execFileSync(process.execPath, ['--expose-gc', '--single-threaded', '--no-flush-bytecode', '-e', MEASURE, ROOT, dirs[layout], what], { encoding: 'utf8' });
  const result = JSON.parse(text) as Record<string, number | boolean>;
  if (process.env.SOCKLINT_TEST_VERBOSE) process.stderr.write(`${layout} ${what}: ${text}\n`);
  return result;
}

// before: processes and flags lists grown by push, entries and fingerprints that kept more than their text, a
// completed -tanpmioe socket turned into a dictionary by deleting its fields out of order (~920 and ~2,500;
// now ~670 and ~1,520; each of those changes undone alone exceeds a limit — checked)
it.each([['tanp', 700], ['tanpmioe', 1600]])('a %s finding with its socket costs under %d bytes of heap', (layout, limit) => {
  const r = measure(layout as string, 'kept');
  const n = r.n as number;
  expect(n).toBeGreaterThan(800);
  expect(r.withProcesses as number).toBeGreaterThan(n / 2);
  if (layout === 'tanpmioe') expect(r.withFlags as number).toBeGreaterThan(n / 2);
  expect(r.perFinding as number).toBeGreaterThan(300); // measured something
  expect(r.perFinding as number).toBeLessThan(limit as number);
});

it("shares the repeated texts of a worker's findings (a copy between threads gives each its own) and changes no value", () => {
  const r = measure('tanp', 'shared');
  expect(r.same).toBe(true);
  // rule id, level, host, file, netid, state, how the netid was told, process names: ~120 bytes a finding here
  expect((r.copied as number) - (r.shared as number)).toBeGreaterThan(80);
});
