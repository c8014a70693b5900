/**
 * Waivers and baseline asked as findings are found (runScan, ScanOptions.filtersFrom): a snapshot whose cap was
 * reached is read once, not scanned a second time on one thread; a file split across two threads gives the report
 * of the one-thread scan with each kind of finding (suppressed or not) capped apart across both ranges, and the
 * counts of the filters' copy on the other thread are added to this thread's.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import type { FindingsListed } from '../../src/engine/evaluate';
import { runScan, scanRange, scanSnapshot, scanSplit, suppressorOf, type FindingFilter, type RangeResult, type RangeRunner, type SnapshotResult } from '../../src/engine/scan';
import type { Finding, Suppression } from '../../src/engine/types';
import type { FieldGroup } from '../../src/snapshot/types';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
let file: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-suppress-'));
  file = path.join(dir, 'busy.ss');
  execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tanp', '--seed', '4', '--out', file], { stdio: 'ignore' });
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const WAIVED: Suppression = { kind: 'waiver', reason: 'test waiver', expires: '2099-01-01' };
const BASELINED: Suppression = { kind: 'baseline', reason: 'test baseline' };

/**
 * Suppresses by fingerprint (the same on every thread): a third waived, a third baselined, the rest failing; never
 * findings of send-queue-backlog (mayApply), and counts what it was asked and what it suppressed.
 */
class TestFilter implements FindingFilter {
  asked = 0;
  matched = 0;
  constructor(private readonly fields: FieldGroup[] = []) {}
  mayApply(ruleId: string): boolean {
    return ruleId !== 'send-queue-backlog';
  }
  suppress(f: Finding): Suppression | undefined {
    this.asked++;
    if (f.ruleId === 'send-queue-backlog') throw new Error('asked about a rule it does not apply to');
    const n = parseInt(f.fingerprint.slice(-2), 16) % 3;
    if (n === 2) return undefined;
    this.matched++;
    return n === 0 ? WAIVED : BASELINED;
  }
  report() { return []; }
  fieldsRead(): FieldGroup[] { return this.fields; }
  usage(): number[] { return [this.asked, this.matched]; }
  addUsage(u: unknown): void {
    const [asked, matched] = u as number[];
    this.asked += asked;
    this.matched += matched;
  }
  setUsage(u: unknown): void {
    [this.asked, this.matched] = u as number[];
  }
}

const rulesWith = (cap: number) => ConfiguredRules.load(loadConfig(undefined), [], true, cap);
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('a file split across two threads, its findings asked as they are found', () => {
  /**
   * `target` split in two in this process (the second range as a worker scans it), with filters reading processes on
   * both threads: the result, the start of the second range, and the second range's filter.
   */
  async function splitAsking(target: string) {
    const rules = rulesWith(3);
    const here = new TestFilter(['processes']);
    const there = new TestFilter(['processes']);
    let cutAt = 0;
    const runner = (): RangeRunner => {
      let listed: (b: FindingsListed) => void = () => undefined;
      const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
      return { ready: Promise.resolve(), scan: (task) => { cutAt = task.range.start; return scanRange(task, rules, before, [there]); }, followOn: (b) => listed(b), cancel() {} };
    };
    const split = await scanSplit({ path: target, label: target }, { rules, ...suppressorOf([here]), fieldsRead: ['processes'] }, 0, runner, undefined, {
      from: { now: new Date().toISOString() }, fieldsRead: ['processes'], add: (u) => here.addUsage(u[0]), usage: () => [here.usage()], set: (u) => here.setUsage(u[0]),
    });
    expect(there.asked).toBeGreaterThan(0);
    return { split: split as SnapshotResult, cutAt };
  }

  it('asks the second range\'s findings with the groups the file\'s flags promise, as the first range\'s: no second scan', async () => {
    // `# flags: -tanp`, rows with processes, then (where the cut falls) sockets of no process with unread data:
    // their findings are asked before any row of that range shows a process
    const flagged = path.join(dir, 'flagged.ss');
    const owned = fs.readFileSync(file, 'utf8');
    const unowned = Array.from({ length: 40000 }, (_, i) => `ESTAB      512    0    10.9.${(i >> 8) & 255}.${i & 255}:5000    10.8.0.1:${10000 + (i % 50000)}\n`).join('');
    fs.writeFileSync(flagged, `# flags: -tanp\n${owned}${unowned}`);
    const { split, cutAt } = await splitAsking(flagged);
    expect(cutAt).toBeGreaterThan(Buffer.byteLength(`# flags: -tanp\n${owned}`)); // the second range holds only unowned sockets
    expect(split.fields.has('processes')).toBe(true);
    expect(split.askedOtherFields).toBeUndefined();
  });

  it('asks the second range of a capture made without root (`# uid:`) as having no processes, as the first: no second scan', async () => {
    const hidden = path.join(dir, 'uid-split.ss');
    fs.writeFileSync(hidden, `# uid: 1000\n${fs.readFileSync(file, 'utf8')}`);
    const { split } = await splitAsking(hidden);
    expect(split.fields.has('processes')).toBe(false);
    expect(split.askedOtherFields).toBeUndefined();
  });

  it.each([3, 40, 1000])('gives the one-thread report, each kind capped apart across the ranges (cap %d)', async (cap) => {
    const rules = rulesWith(cap);
    const input = { path: file, label: file };
    const alone = new TestFilter();
    const whole = plain(await scanSnapshot(input, { rules, ...suppressorOf([alone]) }));
    // this thread's filter, and the copy the range's thread makes (as a worker does from filtersFrom)
    const here = new TestFilter();
    const there = new TestFilter();
    let sent: FindingsListed | undefined;
    let second: RangeResult | undefined;
    let suppressedAsked = false;
    const runner = (): RangeRunner => {
      let listed: (b: FindingsListed) => void = () => undefined;
      const before = new Promise<FindingsListed>((resolve) => { listed = resolve; });
      return {
        ready: Promise.resolve(),
        scan: async (task) => { suppressedAsked = task.suppress !== undefined; return (second = await scanRange(task, rules, before, [there])); },
        followOn: (b) => { sent = b; listed(b); },
        cancel() {},
      };
    };
    const split = await scanSplit(input, { rules, ...suppressorOf([here]) }, 0, runner, undefined, {
      from: { now: new Date().toISOString() }, fieldsRead: [], add: (u) => here.addUsage(u[0]), usage: () => [here.usage()], set: (u) => here.setUsage(u[0]),
    });
    expect(split).toBeDefined();
    expect(suppressedAsked).toBe(true);
    expect(sent!.suppressed.some((n) => n > 0)).toBe(true);
    expect(plain(split)).toEqual(whole);
    // the second range listed no more of each kind than the first left room for (followOn): the rest never crossed
    second!.partial.rules.forEach((x, i) => {
      if (x.groups) return;
      const suppressed = x.findings.filter((f) => f.suppressed).length;
      expect(suppressed).toBeLessThanOrEqual(cap - sent!.suppressed[i]);
      expect(x.findings.length - suppressed).toBeLessThanOrEqual(cap - (sent!.counts[i] - sent!.suppressed[i]));
    });
    // every finding asked once, on one thread or the other, and counted here
    expect(there.asked).toBeGreaterThan(0);
    expect([here.asked, here.matched]).toEqual([alone.asked, alone.matched]);
    const r = split as { findings: Finding[]; omitted: { ruleId: string; count: number; suppressed?: Record<string, number> }[] };
    if (cap === 3) {
      // ~120 sockets with unread data in 12,000: each kind fills its own cap, whichever range its findings are in
      const recv = r.findings.filter((f) => f.ruleId === 'recv-queue-backlog');
      expect([recv.filter((f) => !f.suppressed).length, recv.filter((f) => f.suppressed).length]).toEqual([3, 3]);
      const o = r.omitted.find((x) => x.ruleId === 'recv-queue-backlog')!;
      expect(o.suppressed!.waiver).toBeGreaterThan(0);
      expect(o.suppressed!.baseline).toBeGreaterThan(0);
      expect(o.count).toBeGreaterThan(o.suppressed!.waiver + o.suppressed!.baseline); // failing ones past the cap too
    }
  });
});

describe('runScan', () => {
  const scan = async (filter: FindingFilter, filtersFrom: boolean, from = file) => {
    // the snapshot's scans: each chooses its rules once (SnapshotCollector.startEvaluator)
    const rules = rulesWith(5);
    let reads = 0;
    const { report } = await runScan({
      inputs: [{ path: from, label: from }], filters: [filter], version: 'test',
      rules: { rulesFor: (id) => { reads++; return rules.rulesFor(id); }, allRules: () => rules.allRules() },
      ...(filtersFrom ? { filtersFrom: { now: new Date().toISOString() } } : {}),
    });
    return { report: { ...report, startedAt: '', durationMs: 0 }, reads };
  };

  it('reads a capped snapshot once when its filters can be asked as findings are found, with the report of the second scan', async () => {
    const once = await scan(new TestFilter(), true);
    const twice = await scan(new TestFilter(), false);
    expect(once.reads).toBe(1);
    expect(twice.reads).toBe(2); // (without filtersFrom: capped first, then scanned again asking as it finds)
    expect(plain(once.report)).toEqual(plain(twice.report));
    expect(once.report.summary.suppressed).toBeGreaterThan(0);
    expect(once.report.summary.omittedSuppressed).toBeGreaterThan(0);
  });

  it('reads it once when a filter reads field groups that the rows had shown when its findings were asked', async () => {
    const once = await scan(new TestFilter(['processes']), true);
    expect(once.reads).toBe(1);
    expect(plain(once.report)).toEqual(plain((await scan(new TestFilter(['processes']), false)).report));
  });

  it('scans it again, the counts put back, when the groups its findings were asked with are not the snapshot\'s own', async () => {
    // `ss -Htuanp` (no header, whose Process column would say -p; a Netid column: no row waits for a table's
    // decision), its first rows sockets of no process with unread data: their findings are asked without processes
    const late = path.join(dir, 'late-processes.ss');
    const netid = path.join(dir, 'netid.ss');
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '12000', '--layout', 'tuanp', '--seed', '4', '--out', netid], { stdio: 'ignore' });
    const [, ...rows] = fs.readFileSync(netid, 'utf8').split('\n');
    const unowned = [1, 2, 3, 4, 5].map((i) => `tcp   ESTAB      512    0    10.9.0.${i}:5000    10.8.0.1:4000${i}`);
    fs.writeFileSync(late, [...unowned, ...rows].join('\n'));
    const filter = new TestFilter(['processes']);
    const again = await scan(filter, true, late);
    expect(again.reads).toBe(2);
    const apart = new TestFilter(['processes']);
    expect(plain(again.report)).toEqual(plain((await scan(apart, false, late)).report));
    expect(filter.usage()).toEqual(apart.usage()); // asked as often as the scan after the first one asks
    // a group the snapshot never shows, and which no row told before a finding: read once
    expect((await scan(new TestFilter(['tcpinfo']), true)).reads).toBe(1);
  });

  it('asks a capture made without root (`# uid:`) as it has processes: none, from its first finding on', async () => {
    const hidden = path.join(dir, 'uid.ss');
    fs.writeFileSync(hidden, `# uid: 1000\n${fs.readFileSync(file, 'utf8')}`);
    const seen: boolean[] = [];
    const filter = new TestFilter(['processes']);
    const asking: FindingFilter = {
      mayApply: (ruleId, host) => filter.mayApply(ruleId),
      suppress: (f, fields) => { seen.push(fields?.has('processes') ?? true); return filter.suppress(f); },
      report: () => [], fieldsRead: () => filter.fieldsRead(),
      usage: () => filter.usage(), addUsage: (u) => filter.addUsage(u), setUsage: (u) => filter.setUsage(u),
    };
    const once = await scan(asking, true, hidden);
    expect(once.reads).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((has) => !has)).toBe(true);
    expect(plain(once.report)).toEqual(plain((await scan(new TestFilter(['processes']), false, hidden)).report));
  });
});
