/**
 * `socklint baseline` records every finding (no cap): a host with a rule matching each of a million sockets
 * records a million. The file is written an entry at a time — its text for 1M is ~200 MB, held whole on top of the
 * findings, and past ~2.7M entries longer than the longest string V8 makes — as JSON.stringify writes it; the
 * entries are ordered without making a key per comparison (the built CLI's modules are run for that: `npm test`
 * builds first).
 */
import * as path from 'path';
import { execFileSync } from 'child_process';
import fc from 'fast-check';
import { baselineText, buildBaseline, type BaselineFile } from '../../src/engine/baseline';
import type { Finding, ScanReport } from '../../src/engine/types';

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

it('orders the entries as the texts of host, rule id and fingerprint joined compare (a host may be the start of another)', () => {
  const part = (...xs: string[]) => fc.constantFrom(...xs);
  fc.assert(fc.property(fc.array(fc.record({ host: part('web', 'web-1', 'webr', 'w', 'we\u00e9', '\ud83d\ude00'), ruleId: part('r', 'r-1', 'ab', 'a'), fingerprint: fc.string({ unit: 'binary', maxLength: 3 }) }), { maxLength: 30 }), (entries) => {
    const findings = entries.map((e, i) => ({ ...e, fingerprint: `${e.fingerprint}${i}`, message: 'm', level: 'note', location: { file: 'f', line: 1 } }) as Finding);
    const keys = buildBaseline({ tool: { name: 'socklint', version: '0' }, startedAt: 'x', findings, snapshots: [] } as unknown as ScanReport).findings.map((e) => e.host + e.ruleId + e.fingerprint);
    expect(keys).toEqual(findings.map((f) => f.host + f.ruleId + f.fingerprint).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }), { numRuns: 500 });
});

/** Run in a fresh node with a 1 MiB young generation: the collections while 100k findings are ordered. */
const ORDER = `
const path = require('path');
const { buildBaseline } = require(path.join(process.argv[1], 'dist/engine/baseline'));
const findings = [];
for (let i = 0; i < 100000; i++) findings.push({ ruleId: 'rule-' + (i % 3), host: 'web-' + (i % 11), fingerprint: ((i * 2654435761) % 2 ** 32).toString(16).padStart(32, '0'), message: 'm' });
console.log('BEGIN');
const b = buildBaseline({ tool: { name: 'socklint', version: '0.1.0' }, startedAt: '2026-12-01T00:00:00.000Z', findings, snapshots: [] });
console.log('END ' + JSON.stringify(b.findings.map((e) => e.host + e.ruleId + e.fingerprint).every((k, i, all) => i === 0 || all[i - 1] <= k)));
`;

// ~7 collections, ~390 when each comparison made its two keys
it('orders the entries by host, rule and fingerprint without making their keys in each comparison', () => {
  const out = execFileSync(process.execPath, ['--trace-gc', '--max-semi-space-size=1', '-e', ORDER, path.resolve(__dirname, '../..')], { encoding: 'utf8' });
  const during = out.slice(out.indexOf('BEGIN'), out.indexOf('END'));
  expect(out).toContain('END true');
  expect(during.split('\n').filter((l) => l.includes('Scavenge')).length).toBeLessThan(100);
});
