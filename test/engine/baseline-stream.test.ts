/**
 * `scan --baseline` reads the baseline file a piece at a time (loadBaseline), keeping its fingerprints in a
 * compact table, not the file's text and the entries JSON.parse made of it (~1.07 GB at the peak for 1M
 * findings). It accepts and refuses what JSON.parse and the former checks did — in any layout, across the
 * pieces it reads — and names the line (and column) where a file goes wrong.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { baselineText, BaselineFilter, loadBaseline, RecordedFindings, type BaselineFile } from '../../src/engine/baseline';
import { UserError } from '../../src/diagnostics';
import { refusal } from './baseline-refusal';
import type { Finding } from '../../src/engine/types';
import { tempDir } from '../report/helpers';

const dir = tempDir('socklint-baseline-stream-');
let n = 0;
function write(text: string | Buffer): string {
  const file = path.join(dir, `b${n++}.json`);
  fs.writeFileSync(file, text);
  return file;
}

/** What the former reader refused (JSON.parse, then its checks) or kept, for a baseline text. */
function reference(text: string): { refused: true } | { refused: false; fingerprints: Set<string>; hosts: string[]; createdAt: string; entries: number } {
  let b: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    b = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { refused: true };
  }
  const isText = (v: unknown) => typeof v === 'string';
  if (typeof b !== 'object' || b === null || Array.isArray(b) || b.socklintBaseline !== 1 || !isText(b.createdAt) || Number.isNaN(Date.parse(b.createdAt))) return { refused: true };
  if (b.hosts !== undefined && !(Array.isArray(b.hosts) && b.hosts.every(isText))) return { refused: true };
  if (!Array.isArray(b.findings)) return { refused: true };
  for (const e of b.findings) {
    if (typeof e !== 'object' || e === null || !isText(e.fingerprint) || !isText(e.ruleId) || !isText(e.host) || !isText(e.message)) return { refused: true };
    if (!/^[0-9a-f]{32}$/.test(e.fingerprint)) return { refused: true };
  }
  return { refused: false, fingerprints: new Set(b.findings.map((e: { fingerprint: string }) => e.fingerprint)), hosts: b.hosts ?? [...new Set(b.findings.map((e: { host: string }) => e.host))], createdAt: b.createdAt, entries: b.findings.length };
}

const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
// texts with what JSON escapes, and characters of two, three and four bytes in UTF-8
const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0001', 'é', '€', '\ud83d\ude00', '\u2028', '/'), fc.string({ unit: 'grapheme-ascii', maxLength: 1 })), maxLength: 20 });
const entry = fc.record({ fingerprint: hex, ruleId: text, host: text, message: text });
const baseline: fc.Arbitrary<BaselineFile> = fc.record({
  socklintBaseline: fc.constant(1),
  tool: fc.record({ name: fc.constant('socklint'), version: text }),
  createdAt: fc.constant('2026-12-01T00:00:00.000Z'),
  hosts: fc.array(text, { maxLength: 3 }),
  findings: fc.array(entry, { maxLength: 8 }),
});
/** The layouts a baseline may come in: as socklint writes it, compact, CRLF, another indent, with a BOM. */
const layout = fc.constantFrom(
  (b: BaselineFile) => [...baselineText(b)].join(''),
  (b: BaselineFile) => JSON.stringify(b),
  (b: BaselineFile) => JSON.stringify(b, null, 2).replace(/\n/g, '\r\n'),
  (b: BaselineFile) => JSON.stringify(b, null, '\t'),
  (b: BaselineFile) => `\ufeff${JSON.stringify(b, null, 1)}\n\n`,
  (b: BaselineFile) => JSON.stringify({ extra: [1, -2.5e3, true, null, { a: [] }], ...b, more: 'x' }),
);

function same(file: string, text: string): void {
  const want = reference(text);
  if (want.refused) {
    expect(refusal(file).code).toMatch(/^(bad-baseline|not-utf8)$/);
    return;
  }
  const got = loadBaseline(file);
  expect(got.findings.length).toBe(want.entries);
  expect(got.createdAt).toBe(want.createdAt);
  const filter = new BaselineFilter(file, got);
  expect([...filter.hosts]).toEqual([...new Set(want.hosts)]);
  expect([...want.fingerprints].filter((fp) => !got.findings.has(fp))).toEqual([]);
}

it('reads every layout of a baseline as JSON.parse did', () => {
  fc.assert(fc.property(baseline, layout, (b, show) => {
    const t = show(b);
    same(write(t), t);
  }), { numRuns: 300 });
});

it('refuses what JSON.parse refused, and accepts what it accepted, when a baseline is cut or one character changed', () => {
  const b: BaselineFile = { socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00.000Z', hosts: ['h"1', 'é'], findings: [
    { fingerprint: 'a'.repeat(32), ruleId: 'r-1', host: 'h"1', message: 'say \\"x\\" \u2028 €' },
    { fingerprint: '0'.repeat(32), ruleId: 'r-2', host: 'é', message: '' },
  ] };
  fc.assert(fc.property(layout, fc.nat(), fc.constantFrom('', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '1', '-', 'e', 't', 'n', '\u0000', 'é', 'x', '0'), fc.boolean(), (show, at, c, cut) => {
    const whole = show(b);
    const i = at % (whole.length + 1);
    const t = cut ? whole.slice(0, i) : whole.slice(0, i) + c + whole.slice(i + 1);
    same(write(t), t);
  }), { numRuns: 1500 });
});

it('reads a file larger than one piece, with characters, escapes and entries cut where a piece ends', () => {
  // ~9 MB: pieces of 64 KiB end inside texts, escapes and UTF-8 sequences of every length
  const findings = Array.from({ length: 40000 }, (_, i) => ({
    fingerprint: (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(4),
    ruleId: `rule-${i % 7}`,
    host: i % 3 === 0 ? 'wéb-€-\ud83d\ude00' : 'db',
    message: `${'é'.repeat(i % 5)}"${'\\'.repeat(i % 3)}\ud83d\ude00 ${'x'.repeat(i % 61)}`,
  }));
  const b: BaselineFile = { socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00.000Z', findings };
  for (const t of [[...baselineText(b)].join(''), JSON.stringify(b)]) same(write(t), t);
});

it('refuses a file that is not UTF-8, saying where, also past the first piece', () => {
  const good = [...baselineText({ socklintBaseline: 1, tool: { name: 'socklint', version: '0' }, createdAt: '2026-12-01T00:00:00.000Z', findings: Array.from({ length: 2000 }, (_, i) => ({ fingerprint: i.toString(16).padStart(32, '0'), ruleId: 'r', host: 'h', message: 'm'.repeat(40) })) })].join('');
  const lines = good.split('\n');
  lines[7000] = `${lines[7000].slice(0, 10)}\u00e9${lines[7000].slice(10)}`;
  const bytes = Buffer.from(lines.join('\n'), 'utf8');
  const at = bytes.indexOf(Buffer.from('\u00e9', 'utf8'));
  bytes[at] = 0xe9; // Latin-1 é
  bytes[at + 1] = 0x20;
  expect(bytes.length).toBeGreaterThan(128 * 1024);
  expect(refusal(write(bytes))).toMatchObject({ code: 'not-utf8', line: 7001, column: 11 });
  // a sequence cut by the end of the file
  expect(refusal(write(Buffer.concat([Buffer.from(good.trimEnd(), 'utf8'), Buffer.from([0xe2, 0x82])])))).toMatchObject({ code: 'not-utf8' });
});

describe('names the line where a baseline goes wrong', () => {
  const findings = Array.from({ length: 3000 }, (_, i) => ({ fingerprint: i.toString(16).padStart(32, '0'), ruleId: 'r', host: 'h', message: `m ${i}` }));
  const b: BaselineFile = { socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00.000Z', hosts: ['h'], findings };
  const lines = [...baselineText(b)].join('').split('\n');
  /** The line of the entry's `"fingerprint"` key for entry `i` (1-based), in the text socklint writes. */
  const fingerprintLine = (i: number) => lines.indexOf(`      "fingerprint": "${findings[i].fingerprint}",`) + 1;

  it('not JSON: the line and column of the first character that is not, past the first piece', () => {
    const at = fingerprintLine(2500);
    const broken = [...lines];
    broken[at - 1] = broken[at - 1].replace('",', '"');
    const d = refusal(write(broken.join('\n')));
    expect(d).toMatchObject({ code: 'bad-baseline', line: at + 1, column: 7 });
    expect(d.message).toBe('not JSON: expected \',\' or \'}\', found \'"\'');
    expect(new UserError(d, 2).message).toMatch(/^\S+\.json:\d+:7: not JSON: /);
  });
  it('a text not closed on its line is said at its start, and the file is not read on', () => {
    const at = fingerprintLine(10);
    const broken = [...lines];
    broken[at] = broken[at].replace('"r",', '"r,');
    expect(refusal(write(broken.join('\n')))).toMatchObject({ code: 'bad-baseline', line: at + 1, column: 17, message: 'not JSON: a text in quotes is not closed on its line' });
  });
  it('an entry that is not one: the line it starts on', () => {
    const at = fingerprintLine(2999);
    const broken = [...lines];
    broken[at - 1] = broken[at - 1].replace(/"[0-9a-f]{32}"/, '"ABC"');
    expect(refusal(write(broken.join('\n')))).toMatchObject({ code: 'bad-baseline', line: at - 1, message: 'not a socklint baseline (version 1): findings[2999].fingerprint "ABC" is not a fingerprint (32 hex digits)' });
    const other = [...lines];
    other[at] = '      "ruleId": 7,';
    expect(refusal(write(other.join('\n')))).toMatchObject({ line: at - 1, message: expect.stringContaining('findings[2999] needs the texts') });
  });
  it('a key given twice, nesting past 64, what follows the baseline', () => {
    expect(refusal(write(lines.join('\n').replace('"hosts":', '"findings": [],\n  "hosts":'))).message).toMatch(/"findings" is given twice$/);
    expect(refusal(write(`{"x": ${'['.repeat(100)}${']'.repeat(100)}}`))).toMatchObject({ line: 1, message: 'not JSON: arrays and objects nested more than 64 deep' });
    expect(refusal(write(`${lines.join('\n')}\n{}`))).toMatchObject({ line: lines.length + 1, column: 1, message: 'not JSON: unexpected \'{\' after the baseline\'s closing \'}\'' });
  });
});

it('RecordedFindings holds exactly the fingerprints added (32 lower-case hex digits), as a Set of their texts would', () => {
  fc.assert(fc.property(fc.array(fc.oneof(hex, fc.constant('0'.repeat(32)), fc.constant('f'.repeat(32))), { maxLength: 3000 }), fc.array(hex, { maxLength: 50 }), (added, others) => {
    const r = new RecordedFindings();
    for (const fp of added) expect(r.add(fp, 'rule', 'host')).toBe(true);
    const set = new Set(added);
    for (const fp of [...added, ...others]) expect(r.has(fp)).toBe(set.has(fp));
    expect(r.length).toBe(added.length);
  }), { numRuns: 100 });
  const r = new RecordedFindings();
  for (const bad of ['A'.repeat(32), 'a'.repeat(31), 'a'.repeat(33), `${'a'.repeat(31)}g`, '']) {
    expect(r.add(bad, 'rule', 'host')).toBe(false);
    expect(r.has(bad)).toBe(false);
  }
  expect(r.length).toBe(0);
});

it('the filter made from a file suppresses as the one made from the entries, and says the same of hosts and rules', () => {
  const findings = Array.from({ length: 500 }, (_, i) => ({ fingerprint: (i * 40503).toString(16).padStart(32, 'c'), ruleId: `rule-${i % 4}`, host: `h${i % 3}`, message: 'm' }));
  const b: BaselineFile = { socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00.000Z', findings };
  const fromFile = new BaselineFilter('base.json', loadBaseline(write([...baselineText(b)].join(''))));
  const fromEntries = new BaselineFilter('base.json', b);
  for (const f of [...findings, { ...findings[0], fingerprint: 'e'.repeat(32) }]) {
    const finding = { ...f } as unknown as Finding;
    expect(fromFile.suppress(finding)).toEqual(fromEntries.suppress(finding));
  }
  for (const host of ['h0', 'h1', 'h2', 'h3']) for (const rule of ['rule-0', 'rule-3', 'rule-4']) expect(fromFile.mayApply(rule, host)).toBe(fromEntries.mayApply(rule, host));
  expect(fromFile.unknownHosts(['h0', 'x'])).toBe(fromEntries.unknownHosts(['h0', 'x']));
  expect([...fromFile.hosts]).toEqual(['h0', 'h1', 'h2']);
});
