/**
 * The baseline filter (`scan --baseline`): findings whose fingerprint the baseline recorded are suppressed,
 * others are not; a fleet's baseline holds ~99,000 findings, so the filter keeps their fingerprints only and
 * hands every suppressed finding one and the same Suppression.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASELINE_MAX_BYTES, BaselineFilter, buildBaseline, loadBaseline } from '../../src/engine/baseline';
import { UserError } from '../../src/diagnostics';
import type { Finding } from '../../src/engine/types';
import { sampleReport } from '../report/fixtures';

it('suppresses exactly the recorded fingerprints, all with one Suppression naming the file and date', () => {
  const report = sampleReport();
  const recorded = report.findings.slice(0, 3);
  const baseline = buildBaseline({ ...report, findings: recorded });
  const filter = new BaselineFilter('base.json', baseline);
  const fresh: Finding = { ...report.findings[4], fingerprint: 'f'.repeat(32) };
  expect(filter.suppress(fresh)).toBeUndefined();
  const given = recorded.map((f) => filter.suppress(f));
  expect(given[0]).toEqual({ kind: 'baseline', reason: `already in baseline base.json (recorded ${report.startedAt.slice(0, 10)})` });
  for (const s of given) expect(s).toBe(given[0]);
  // the fingerprints are its own: emptying the parsed file afterwards changes nothing
  baseline.findings.length = 0;
  expect(filter.suppress(recorded[1])).toBe(given[0]);
  expect(filter.report([])).toEqual([]);
});

it('names the scanned hosts it has no record of, including baselines written before hosts were recorded', () => {
  const report = sampleReport();
  const hosts = [...new Set(report.snapshots.map((s) => s.host))];
  const baseline = buildBaseline(report);
  expect(baseline.hosts).toEqual([...hosts].sort());
  const filter = new BaselineFilter('base.json', baseline);
  expect(filter.unknownHosts(hosts)).toBeUndefined();
  expect(filter.unknownHosts([...hosts, 'candidate'])).toMatch(/^base\.json has no record of host candidate \(it was recorded for .*\), so every finding of that host counts as new/);
  // a host scanned with no findings is still recorded: its later findings are new, and that is no surprise
  const quiet = buildBaseline({ ...report, findings: [] });
  expect(new BaselineFilter('quiet.json', quiet).unknownHosts(hosts)).toBeUndefined();
  // an older file without `hosts`: the hosts of its findings
  const { hosts: _dropped, ...old } = buildBaseline({ ...report, findings: report.findings.filter((f) => f.host === hosts[0]) });
  const many = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
  expect(new BaselineFilter('old.json', old).unknownHosts(many)).toMatch(/no record of host c1, c2, c3, c4, c5 and 2 more \(it was recorded for .*\), so every finding of those hosts/);
});

describe('loadBaseline refuses what buildBaseline could not have written, with exit 2 and the reason', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-baseline-'));
  afterAll(() => fs.rmSync(dir, { recursive: true }));
  const good = () => JSON.parse(JSON.stringify(buildBaseline(sampleReport()))) as Record<string, unknown>;
  const load = (name: string, data: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
    return () => loadBaseline(file);
  };
  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).exitCode).toBe(2);
      return (e as UserError).diagnostics[0].message;
    }
    throw new Error('accepted');
  };

  it('a baseline it wrote, also with a byte-order mark, loads', () => {
    expect(load('ok.json', good())().findings.length).toBeGreaterThan(0);
    expect(load('bom.json', `\ufeff${JSON.stringify(good())}`)().socklintBaseline).toBe(1);
  });

  it.each<[string, (b: Record<string, unknown>) => unknown, RegExp]>([
    ['no createdAt', (b) => { delete b.createdAt; return b; }, /"createdAt" is missing \(the date and time it was made\)/],
    ['createdAt an object', (b) => ({ ...b, createdAt: {} }), /"createdAt" is not a date and time/],
    ['createdAt a list', (b) => ({ ...b, createdAt: [1, {}] }), /"createdAt" is not a date and time/],
    ['another format', (b) => ({ ...b, socklintBaseline: 2 }), /"socklintBaseline" is 2, expected 1/],
    ['hosts not texts', (b) => ({ ...b, hosts: [1] }), /"hosts" is not a list of host names/],
    ['a finding without ruleId', (b) => ({ ...b, findings: [{ ...(b.findings as object[])[0], ruleId: null }] }), /findings\[0\] needs the texts/],
    ['a fingerprint socklint does not write', (b) => ({ ...b, findings: [{ ...(b.findings as object[])[0], fingerprint: 'zz' }] }), /findings\[0\]\.fingerprint "zz" is not a fingerprint \(32 hex digits\)/],
    ['a list', () => [], /not a JSON object/],
  ])('%s', (name, change, message) => {
    expect(refusal(load(`${name}.json`, change(good())))).toMatch(message);
  });

  it('a device that goes on is read only up to the limit', () => {
    expect(refusal(() => loadBaseline('/dev/zero'))).toBe(`file goes on past the ${BASELINE_MAX_BYTES / (1024 * 1024)} MiB limit (a pipe or device)`);
  });
});
