/**
 * An expired waiver is listed with the findings it would still waive — open because it expired — in the text, JSON
 * and SARIF reports, counted the same on one thread, on worker threads (several snapshots) and with one snapshot
 * split across two threads, past --max-findings too.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

const RULE = 'recv-queue-backlog';
let dir: string;
let files: string[];
let config: string;
/** The rule's findings in each file, every one listed (no waiver, no cap). */
let found: number[];

beforeAll(async () => {
  dir = tmpDir();
  files = [4, 5, 6].map((seed) => {
    const file = path.join(dir, `host-${seed}.ss`);
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tanp', '--seed', String(seed), '--out', file], { stdio: 'ignore' });
    return file;
  });
  config = path.join(dir, 'socklint.yaml');
  fs.writeFileSync(config, `waivers:\n  - rule: ${RULE}\n    reason: backlogs accepted until the upgrade\n    expires: 2020-01-31\n`);
  const all = jsonReport(await runCli(['scan', ...files, '--format', 'json', '--max-findings', '100000', '--fail-on', 'none', '-j', '1']));
  found = files.map((f) => all.findings.filter((x) => x.ruleId === RULE && x.location.file === f).length);
  expect(Math.min(...found)).toBeGreaterThan(10);
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** A scan with the config, 3 findings listed per rule and snapshot: its JSON report. */
async function scan(snapshots: string[], jobs: number, env: NodeJS.ProcessEnv = {}, more: string[] = []) {
  const r = await runCli(['scan', ...snapshots, '-c', config, '--max-findings', '3', '-j', String(jobs), '--format', 'json', ...more], { env });
  expect(r.code).toBe(1);
  return jsonReport(r);
}

it('lists the findings an expired waiver would waive, past the cap, on one thread and on several', async () => {
  const one = await scan(files, 1);
  expect(one.waivers).toEqual([expect.objectContaining({ ruleId: RULE, status: 'expired', expires: '2020-01-31', matchedWhileExpired: sum(found) })]);
  // they are open: listed up to the cap, the rest counted as not listed, none waived
  const listed = one.findings.filter((f) => f.ruleId === RULE);
  expect(listed).toHaveLength(9);
  expect(listed.every((f) => f.suppressed === undefined)).toBe(true);
  expect(sum(one.omitted.filter((o) => o.ruleId === RULE).map((o) => o.count))).toBe(sum(found) - 9);
  // worker threads, each asking its own copy of the waivers and handing its counts back
  const workers = await scan(files, 2, { SOCKLINT_PARALLEL_MIN_BYTES: '0' });
  expect(workers.waivers).toEqual(one.waivers);
});

it('counts a snapshot split across two threads once', async () => {
  const r = await scan([files[0]], 2, { SOCKLINT_PARALLEL_MIN_BYTES: String(256 * 1024) });
  expect(r.waivers.map((w) => w.matchedWhileExpired)).toEqual([found[0]]);
  expect(r.summary.sockets).toBe(12000);
});

it('says so in the text report and in the SARIF notification', async () => {
  const sarif = path.join(dir, 'r.sarif');
  const r = await runCli(['scan', ...files, '-c', config, '--max-findings', '3', '-j', '1', '--format', 'text', '--format', `sarif=${sarif}`]);
  expect(r.stdout).toContain(`socklint.yaml:2  ${RULE}: expired 2020-01-31, would have waived ${sum(found)} findings (not waived now: renew it with a new expiry, or remove it) — backlogs accepted until the upgrade`);
  const runs = JSON.parse(fs.readFileSync(sarif, 'utf8')).runs as { invocations: { toolConfigurationNotifications?: { descriptor: { id: string }; message: { text: string }; properties?: Record<string, unknown> }[] }[] }[];
  expect(runs).toHaveLength(3);
  for (const run of runs) {
    const n = run.invocations[0].toolConfigurationNotifications!.find((x) => x.descriptor.id === 'waiver-expired')!;
    expect(n.message.text).toBe(`The waiver for ${RULE} expired on 2020-01-31 and would have waived ${sum(found)} findings of this scan, not waived now (renew it with a new expiry, or remove it): backlogs accepted until the upgrade`);
    expect(n.properties).toEqual({ matchedWhileExpired: sum(found) });
  }
});
