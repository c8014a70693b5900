/**
 * A fleet scan keeps every finding until its reports are written (1,000 snapshots of 10k sockets: ~99,000
 * findings), so what one finding costs on the heap sets the scan's peak memory. These tests measure it: the
 * processes and flags lists are of their own size, the process entries and fingerprints are flat, a completed
 * socket keeps its shape, and findings share one copy of each repeated text.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { execFileSync } from 'child_process';
import { fileInputs, runScan, shareStrings } from '../../src/engine/scan';
import { loadRulesAndConfig } from '../../src/cli/commands/shared';
import { COLLECT_FROM_FINDINGS, collectBeforeReport } from '../../src/engine/memory';
import type { Finding } from '../../src/engine/types';

const GENERATE = path.resolve(__dirname, '../../bench/generate.js');
const dirs: Record<string, string> = {};

beforeAll(() => {
  for (const [layout, count] of [['tanp', 12], ['tanpmioe', 4]] as const) {
    const dir = dirs[layout] = fs.mkdtempSync(path.join(os.tmpdir(), `socklint-findings-${layout}-`));
    for (let i = 0; i < count; i++) {
      execFileSync(process.execPath, [GENERATE, '--sockets', '10k', '--layout', layout, '--seed', String(700 + i), '--out', path.join(dir, `snap-${i}.ss`)]);
    }
  }
});

afterAll(() => { for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true }); });

/** The heap in use after a full collection. */
function heapUsed(): number {
  expect(collectBeforeReport(COLLECT_FROM_FINDINGS)).toBe(true);
  return v8.getHeapStatistics().used_heap_size;
}

async function scanFindings(layout: string): Promise<Finding[]> {
  const files = fs.readdirSync(dirs[layout]).sort().map((f) => path.join(dirs[layout], f));
  const { rules } = loadRulesAndConfig({ rules: [], defaultRules: true });
  const { report } = await runScan({ inputs: fileInputs(files), rules, jobs: 1, version: 'test' });
  return report.findings;
}

// before: processes and flags lists grown by push, entries and fingerprints that kept more than their text, a
// completed -tanpmioe socket turned into a dictionary by deleting its fields out of order (~950 and ~2,500)
it.each([['tanp', 800], ['tanpmioe', 1800]])('a %s finding with its socket costs under %d bytes of heap', async (layout, limit) => {
  let findings: Finding[] | undefined = await scanFindings(layout as string);
  const n = findings.length;
  expect(n).toBeGreaterThan(800);
  expect(findings.filter((f) => f.socket?.processes !== undefined).length).toBeGreaterThan(n / 2);
  if (layout === 'tanpmioe') expect(findings.filter((f) => f.socket?.tcp?.flags !== undefined).length).toBeGreaterThan(n / 2);
  const held = heapUsed();
  findings.length = 0;
  findings = undefined;
  const perFinding = (held - heapUsed()) / n;
  if (process.env.SOCKLINT_TEST_VERBOSE) process.stderr.write(`${layout}: ${perFinding} bytes a finding\n`);
  expect(perFinding).toBeGreaterThan(300); // measured something
  expect(perFinding).toBeLessThan(limit as number);
});

it("shares the repeated texts of a worker's findings (a copy between threads gives each its own) and changes no value", async () => {
  const findings = await scanFindings('tanp');
  const n = findings.length;
  const base = heapUsed();
  let copied: Finding[] | undefined = structuredClone(findings);
  const copiedCost = heapUsed() - base;
  copied = undefined;
  let shared: Finding[] | undefined = structuredClone(findings);
  shareStrings(shared, new Map());
  const sharedCost = heapUsed() - base;
  expect(JSON.stringify(shared)).toBe(JSON.stringify(findings));
  shared = undefined;
  expect(copied).toBeUndefined();
  // rule id, level, host, file, netid, state, how the netid was told, process names: ~140 bytes a finding here
  if (process.env.SOCKLINT_TEST_VERBOSE) process.stderr.write(`${copiedCost / n} vs ${sharedCost / n} bytes a finding\n`);
  expect((copiedCost - sharedCost) / n).toBeGreaterThan(80);
});
