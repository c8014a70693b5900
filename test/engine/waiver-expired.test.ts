/**
 * An expired waiver waives nothing, but what it would still waive is what its owner needs to hear: the findings it
 * matches that no waiver in force waives, open because it expired (WaiverReport.matchedWhileExpired). They are
 * counted as they are asked, wherever that is — as findings are found, past the per-rule cap too, on this thread and
 * on the thread that scans the second range of a split file (whose counts are handed back) — or after the scan, a
 * snapshot where its rule reached the cap being scanned again: the count is the same either way.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import type { FindingsListed } from '../../src/engine/evaluate';
import { runScan, scanRange, scanSnapshot, scanSplit, suppressorOf, type RangeRunner } from '../../src/engine/scan';
import { WaiverFilter, type WaiverSpec } from '../../src/engine/waivers';
import type { Finding, SnapshotReport } from '../../src/engine/types';
import type { SocketRecord } from '../../src/snapshot/types';
import { specs } from './waiver-reference';

const ROOT = path.resolve(__dirname, '../..');
const NOW = new Date('2026-12-01T00:00:00Z');

function finding(ruleId: string, port: number, host = 'web-1'): Finding {
  const socket = {
    netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128, local: { address: '0.0.0.0', port }, peer: { address: '0.0.0.0', port: null },
    location: { file: `${host}.ss`, line: 2 },
  } as SocketRecord;
  return { ruleId, level: 'warning', message: 'm', location: socket.location, host, socket, fingerprint: '0'.repeat(32) };
}

/** Each waiver's matchedWhileExpired, by reason (undefined: not listed, or not expired). */
function counts(filter: WaiverFilter, ruleIds = ['a-rule', 'b-rule']): Record<string, number | undefined> {
  const snapshots = [{ host: 'web-1', rulesEvaluated: ruleIds } as SnapshotReport];
  return Object.fromEntries(filter.report(snapshots, []).map((w) => [w.reason, w.matchedWhileExpired]));
}

describe('what an expired waiver would still waive', () => {
  let config: WaiverSpec[];
  beforeAll(() => {
    config = specs([
      '{rule: a-rule, where: {local.port: 22}, reason: ssh (expired), expires: 2020-01-01}',
      '{rule: a-rule, where: {local.port: 22}, reason: ssh again (expired), expires: 2021-06-30}',
      '{rule: a-rule, where: {local.port: 80}, reason: http (live), expires: 2099-01-01}',
      '{rule: a-rule, reason: everything (expired), expires: 2020-01-01}',
      '{rule: b-rule, host: db-*, reason: db only (expired), expires: 2020-01-01}',
    ]);
  });

  it('counts a finding it matches that no live waiver waives, wherever the live one is in the config', () => {
    const filter = new WaiverFilter(config, NOW);
    for (const port of [22, 22, 22, 80, 80, 443]) expect(filter.suppress(finding('a-rule', port))?.reason).toBe(port === 80 ? 'http (live)' : undefined);
    filter.suppress(finding('b-rule', 22)); // another host's waiver
    expect(counts(filter)).toEqual({
      // port 22 three times: open, and each of the expired waivers that matches it would waive it again
      'ssh (expired)': 3, 'ssh again (expired)': 3,
      // port 80: waived by the live waiver before it, so not open for want of it; 22 and 443 are
      'everything (expired)': 4,
      // (no snapshot of db-* in a scan of one host: not listed)
    });
  });

  it('is 0 on an expired waiver that matched nothing, and absent on an unused one', () => {
    const filter = new WaiverFilter(specs([
      '{rule: a-rule, where: {local.port: 22}, reason: expired, expires: 2020-01-01}',
      '{rule: a-rule, where: {local.port: 23}, reason: unused, expires: 2099-01-01}',
    ]), NOW);
    filter.suppress(finding('a-rule', 443));
    const report = filter.report([{ host: 'web-1', rulesEvaluated: ['a-rule'] } as SnapshotReport], []);
    expect(report.map((w) => [w.reason, w.status, w.matchedWhileExpired])).toEqual([['expired', 'expired', 0], ['unused', 'unused', undefined]]);
  });

  it('its rule is asked about as findings are found (mayApply), though it waives nothing', () => {
    const filter = new WaiverFilter(config, NOW);
    expect(filter.mayApply('a-rule', 'web-1')).toBe(true);
    expect(filter.mayApply('b-rule', 'db-1')).toBe(true); // only an expired waiver: still asked, to count
    expect(filter.mayApply('b-rule', 'web-1')).toBe(false); // none for this host
    expect(filter.mayApply('c-rule', 'db-1')).toBe(false);
  });

  it('counts of a copy on another thread are added (usage/addUsage), and setUsage puts counts back as they were', () => {
    const here = new WaiverFilter(config, NOW);
    const there = new WaiverFilter(config, NOW);
    here.suppress(finding('a-rule', 22));
    there.suppress(finding('a-rule', 22));
    there.suppress(finding('a-rule', 443));
    const before = here.usage();
    here.addUsage(there.usage());
    expect(counts(here)).toEqual({ 'ssh (expired)': 2, 'ssh again (expired)': 2, 'everything (expired)': 3 });
    // a part asked again (a split file scanned whole after all): back to what it was before, then asked anew
    here.setUsage(before);
    expect(here.usage()).toEqual(before);
    expect(counts(here)).toEqual({ 'ssh (expired)': 1, 'ssh again (expired)': 1, 'everything (expired)': 1 });
  });
});

describe('in a scan', () => {
  let dir: string;
  let file: string;
  /** recv-queue-backlog's findings of the file (~100 in 12,000 sockets), listed without a cap. */
  let found: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-expired-'));
    file = path.join(dir, 'busy.ss');
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tanp', '--seed', '4', '--out', file], { stdio: 'ignore' });
    const all = await scanSnapshot({ path: file, label: file }, { rules: rulesWith(100000) });
    found = 'findings' in all ? all.findings.filter((f) => f.ruleId === 'recv-queue-backlog').length : 0;
    expect(found).toBeGreaterThan(50);
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const rulesWith = (cap: number) => ConfiguredRules.load(loadConfig(undefined), [], true, cap);
  const EXPIRED = '{rule: recv-queue-backlog, reason: backlog accepted, expires: 2020-01-01}';
  // a `where:` on processes: asked after the scan, once the snapshot's field groups are known
  const READS_FIELDS = '{rule: unexpected-listener, where: {process.name: nobody}, reason: reads fields, expires: 2099-01-01}';
  const expiredCount = (filter: WaiverFilter, snapshots: SnapshotReport[]) =>
    filter.report(snapshots, []).find((w) => w.reason === 'backlog accepted')?.matchedWhileExpired;

  it.each([
    ['as findings are found', [EXPIRED], true],
    ['as findings are found, a waiver reading field groups among them', [EXPIRED, READS_FIELDS], true],
    ['after the scan, the capped snapshot scanned again', [EXPIRED, READS_FIELDS], false],
  ])('counts every finding it matches, those past the cap too: %s', async (_how, lines, inStream) => {
    const filter = new WaiverFilter(specs(lines), NOW);
    expect(filter.fieldsRead()).toEqual(lines.includes(READS_FIELDS) ? ['processes'] : []);
    const { report } = await runScan({
      inputs: [{ path: file, label: file }], rules: rulesWith(3), filters: [filter], version: 'test', ...(inStream ? { filtersFrom: { now: NOW.toISOString() } } : {}),
    });
    expect(report.findings.filter((f) => f.ruleId === 'recv-queue-backlog')).toHaveLength(3);
    expect(report.omitted.find((o) => o.ruleId === 'recv-queue-backlog')?.count).toBe(found - 3);
    expect(report.waivers.find((w) => w.reason === 'backlog accepted')?.matchedWhileExpired).toBe(found);
    expect(expiredCount(filter, report.snapshots)).toBe(found);
  });

  it('counts a file split across two threads once: this thread its range, the other thread\'s copy the rest', async () => {
    const rules = rulesWith(3);
    const config = specs([EXPIRED]);
    const here = new WaiverFilter(config, NOW);
    const there = new WaiverFilter(config, NOW);
    const runner = (): RangeRunner => {
      let listed: (b: FindingsListed) => void = () => undefined;
      const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
      return { ready: Promise.resolve(), scan: (task) => scanRange(task, rules, before, [there]), followOn: (b) => listed(b), cancel() {} };
    };
    const split = await scanSplit({ path: file, label: file }, { rules, ...suppressorOf([here]) }, 0, runner, undefined, {
      from: { now: NOW.toISOString() }, fieldsRead: [], add: (u) => here.addUsage(u[0]), usage: () => [here.usage()], set: (u) => here.setUsage(u[0]),
    });
    expect(split !== undefined && 'snapshot' in split).toBe(true);
    const counted = (f: WaiverFilter) => f.usage()[1];
    expect(counted(there)).toBeGreaterThan(0);
    expect(counted(here)).toBe(found); // its own range's, and the other thread's added
    expect(expiredCount(here, [(split as { snapshot: SnapshotReport }).snapshot])).toBe(found);
  });
});
