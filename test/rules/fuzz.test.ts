import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadRuleText } from '../../src/rules/pack';
import { formatDiagnostic } from '../../src/diagnostics';

/** Random damage to a valid rule never crashes the loader, and every diagnostic is positioned and readable. */
const base = {
  rules: [{
    id: 'fuzz-rule', title: 't', description: 'd', kind: 'security', severity: 'error', securitySeverity: 5, help: 'h',
    vars: { threshold: { type: 'number', default: 3 }, ports: { type: 'port-list', default: [22, '8000-8100'] } },
    match: { netid: 'tcp', state: 'LISTEN', 'local.port': { in: '$ports' }, recvQ: { gt: '$threshold' }, any: [{ 'local.scope': 'public' }, { 'peer.address': { cidr: '10.0.0.0/8' } }] },
    aggregate: { groupBy: ['process'], gt: '$threshold' },
    message: '{observed} in {group.process}',
  }],
};

type Json = unknown;
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

const junk = fc.oneof(
  fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null),
  fc.constantFrom('$nope', '$threshold', '1-2', '10.0.0.0/99', '(unclosed', 'LISTENING', '{x}', '*'),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('gt', 'in', 'nope', 'not', 'cidr', 'local.port', 'all'), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 2 }),
);

describe('rule loader under random damage', () => {
  it('returns positioned, readable diagnostics and never throws', () => {
    const all = paths(base).filter((p) => p.length > 0);
    fc.assert(fc.property(fc.nat(all.length - 1), junk, fc.boolean(), (i, value, addKey) => {
      const doc = JSON.parse(JSON.stringify(base));
      const p = all[i];
      let parent = doc;
      for (const seg of p.slice(0, -1)) parent = parent[seg];
      const last = p[p.length - 1];
      if (addKey && parent && typeof parent === 'object' && !Array.isArray(parent)) parent[`${String(last)}x`] = value;
      else parent[last] = value;
      const pack = loadRuleText(stringify(doc), 'fuzz.yaml');
      for (const d of pack.diagnostics) {
        expect(d.line).toBeGreaterThan(0);
        expect(d.column).toBeGreaterThan(0);
        const text = formatDiagnostic(d);
        expect(text).not.toMatch(/\[object Object\]|undefined|NaN/);
        expect(text.length).toBeLessThan(600);
      }
      return true;
    }), { numRuns: 300 });
  });
});
