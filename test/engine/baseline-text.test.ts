/**
 * `socklint baseline` records every finding (no cap): a host with a rule matching each of a million sockets
 * records a million. The file is written an entry at a time — its text for 1M is ~200 MB, held whole on top of the
 * findings, and past ~2.7M entries longer than the longest string V8 makes — as JSON.stringify writes it.
 */
import fc from 'fast-check';
import { baselineText, type BaselineFile } from '../../src/engine/baseline';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const baseline: fc.Arbitrary<BaselineFile> = fc.record({
  socklintBaseline: fc.constant(1),
  tool: fc.record({ name: fc.constant('socklint'), version: text }),
  createdAt: fc.constant('2026-12-01T00:00:00.000Z'),
  hosts: fc.array(text, { maxLength: 3 }),
  findings: fc.array(fc.record({ fingerprint: text, ruleId: text, host: text, message: text }), { maxLength: 5 }),
});

it('writes the text JSON.stringify gives a baseline, in pieces of an entry', () => {
  fc.assert(fc.property(baseline, (b) => {
    expect([...baselineText(b)].join('')).toBe(`${JSON.stringify(b, null, 2)}\n`);
  }), { numRuns: 500 });
});

it('never holds the text of more than one entry at once', () => {
  const findings = Array.from({ length: 10000 }, (_, i) => ({ fingerprint: i.toString(16).padStart(32, '0'), ruleId: 'r', host: 'h', message: `m ${i}` }));
  const pieces = [...baselineText({ socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00.000Z', hosts: ['h'], findings })];
  expect(pieces.length).toBeGreaterThan(10000);
  expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(300);
});
