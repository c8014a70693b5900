/**
 * The baseline filter (`scan --baseline`): findings whose fingerprint the baseline recorded are suppressed,
 * others are not; a fleet's baseline holds ~99,000 findings, so the filter keeps their fingerprints only and
 * hands every suppressed finding one and the same Suppression.
 */
import { BaselineFilter, buildBaseline } from '../../src/engine/baseline';
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
  expect(filter.report()).toEqual([]);
});
