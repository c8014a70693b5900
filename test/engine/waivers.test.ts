/**
 * Waivers (config `waivers:`): a live waiver marks the findings it matches, each with the same Suppression
 * (its reason, expiry, owner, ticket); an expired one marks none and is reported as expired; one that matched
 * nothing is reported as unused.
 */
import { WaiverFilter } from '../../src/engine/waivers';
import { sampleReport } from '../report/fixtures';

it('marks the findings it matches with one Suppression per waiver, and reports expired and unused waivers', () => {
  const findings = sampleReport().findings;
  const ruleId = findings[0].ruleId;
  const matching = findings.filter((f) => f.ruleId === ruleId);
  const filter = new WaiverFilter([
    { rule: ruleId, reason: 'accepted risk', expires: '2099-12-31', owner: 'ops', ticket: 'OPS-1' },
    { rule: ruleId, reason: 'old one', expires: '2000-01-01' },
    { rule: 'no-such-rule', reason: 'stale', expires: '2099-12-31' },
  ], new Date('2026-11-30T00:00:00Z'));
  const given = findings.map((f) => filter.suppress(f));
  const marked = given.filter((s) => s !== undefined);
  expect(marked).toHaveLength(matching.length);
  expect(marked[0]).toEqual({ kind: 'waiver', reason: 'accepted risk', expires: '2099-12-31', owner: 'ops', ticket: 'OPS-1' });
  for (const s of marked) expect(s).toBe(marked[0]);
  expect(filter.report().map((w) => [w.ruleId, w.status])).toEqual([[ruleId, 'expired'], ['no-such-rule', 'unused']]);
});
