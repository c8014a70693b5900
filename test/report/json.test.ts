import fc from 'fast-check';
import { formatters } from '../../src/report';
import { jsonChunks } from '../../src/report/json';
import { prepareReport } from '../../src/report/redact';
import type { ScanReport } from '../../src/engine/types';
import type { FormatContext } from '../../src/report/types';
import { CTX, HOSTILE_PROCESS, bigReport, sampleReport } from './fixtures';
import { reportValidator } from './helpers';

describe('JSON report', () => {
  const validate = reportValidator();

  test('is valid against schemas/report.schema.json', () => {
    const doc = JSON.parse(formatters.json.format(sampleReport(), CTX));
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('round-trips the report exactly, hostile strings included', () => {
    const report = sampleReport();
    const doc = JSON.parse(formatters.json.format(report, CTX));
    expect(doc).toEqual(JSON.parse(JSON.stringify(report)));
    expect(JSON.stringify(doc)).toContain(JSON.stringify(HOSTILE_PROCESS).slice(1, -1));
  });

  test('stable key order: fixed top level, sorted nested keys, independent of construction order', () => {
    const a = sampleReport();
    const b = JSON.parse(JSON.stringify(a), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    const outA = formatters.json.format(a, CTX);
    expect(formatters.json.format(b, CTX)).toBe(outA);
    expect(Object.keys(JSON.parse(outA))).toEqual(['tool', 'startedAt', 'durationMs', 'summary', 'snapshots', 'snapshotErrors', 'rules', 'findings', 'notEvaluated', 'omitted', 'waivers']);
    expect(Object.keys(JSON.parse(outA).findings[0])).toEqual([...Object.keys(JSON.parse(outA).findings[0])].sort());
  });

  test('waivers in force: after waivers, before hostEntries, valid against the schema; none is absent, not empty', () => {
    const report = sampleReport();
    report.waiversInForce = [{ ruleId: 'no-public-db', reason: 'firewalled', expires: '2026-12-10', location: { file: 'c.yaml', line: 3 }, waived: 1 }];
    report.hostEntries = [{ match: { host: 'db-*' }, location: { file: 'c.yaml', line: 9 }, status: 'unused', hostsScanned: 4 }];
    const doc = JSON.parse(formatters.json.format(report, CTX));
    expect(Object.keys(doc).slice(-3)).toEqual(['waivers', 'waiversInForce', 'hostEntries']);
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, waiversInForce: [] })).toBe(false);
    expect(validate({ ...doc, waiversInForce: [{ ...doc.waiversInForce[0], waived: -1 }] })).toBe(false);
    expect(formatters.json.format(report, CTX)).toBe(wholeText(report, CTX));
  });

  test('output has no raw control characters (all escaped by JSON)', () => {
    expect(formatters.json.format(sampleReport(), CTX)).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  test('the schema rejects a report missing required parts', () => {
    const doc = JSON.parse(formatters.json.format(sampleReport(), CTX));
    delete doc.findings[0].fingerprint;
    expect(validate(doc)).toBe(false);
  });
});

/**
 * The report's text by another route: one JSON.stringify of the whole (redacted) report, keys put in order by
 * a replacer (fixed top level, then any other top-level key sorted; nested keys sorted).
 */
function wholeText(input: ScanReport, ctx: FormatContext): string {
  const top = ['tool', 'startedAt', 'durationMs', 'summary', 'snapshots', 'snapshotErrors', 'rules', 'findings', 'notEvaluated', 'omitted', 'waivers', 'waiversInForce', 'hostEntries'];
  const report = prepareReport(input, ctx.redact);
  const text = JSON.stringify(report, (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const own = Object.keys(value).sort();
    const keys = value === report ? [...top, ...own.filter((k) => !top.includes(k))] : own;
    return Object.fromEntries(keys.map((k) => [k, (value as Record<string, unknown>)[k]]));
  }, 2);
  return `${text}\n`;
}

function expectSameText(report: ScanReport, ctx: FormatContext = CTX): void {
  const expected = wholeText(report, ctx);
  expect([...jsonChunks(report, ctx)].join('')).toBe(expected);
  expect(formatters.json.format(report, ctx)).toBe(expected);
}

describe('JSON report in pieces', () => {
  test('joined, they are the whole text: fixtures, redacted, capped', () => {
    expectSameText(sampleReport());
    expectSameText(sampleReport(), { ...CTX, redact: { fields: ['peer.address', 'processes.name'] } });
    expectSameText(bigReport(40, 5));
  });

  test('empty arrays and objects, undefined values, keys the engine may add later, an empty report', () => {
    const report = sampleReport();
    report.findings = [];
    report.waivers = [];
    report.snapshots[0].labels = {};
    report.snapshots[1].meta = { kernel: undefined as unknown as string };
    report.rules[0].helpUri = undefined;
    (report as unknown as Record<string, unknown>).omitted = undefined;
    Object.assign(report, { zeta: { b: [], a: {} }, alpha: [1, undefined, 'x'], empty: [], nothing: undefined });
    expectSameText(report);
    expect(Object.keys(JSON.parse(formatters.json.format(report, CTX)))).toEqual([
      'tool', 'startedAt', 'durationMs', 'summary', 'snapshots', 'snapshotErrors', 'rules', 'findings', 'notEvaluated', 'waivers', 'alpha', 'empty', 'zeta',
    ]);
    expectSameText({} as ScanReport);
    expect(formatters.json.format({} as ScanReport, CTX)).toBe('{}\n');
  });

  test('hostile strings anywhere, keys included', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
      fc.constantFrom('\n', '\r\n', '\u2028', '\u2029', '"', '\\', '\ud83d\ude00', '\u001b[2J', '  ', ',\n  ]'),
    );
    const nasty = fc.string({ unit, maxLength: 16 });
    // `__proto__` as a key is not data (assigning it sets the prototype), whichever way the text is made.
    const key = nasty.filter((k) => k !== '__proto__');
    const nested = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, nasty, fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
    })).value;
    fc.assert(
      fc.property(fc.array(nasty, { minLength: 6, maxLength: 6 }), key, nested, (s, labelKey, extra) => {
        const report = sampleReport();
        report.snapshots[0].host = s[0];
        report.snapshots[0].labels = { [labelKey]: s[1] };
        report.snapshots[1].unparsedLines[0].text = s[2];
        for (const f of report.findings) {
          f.message = `${f.message}${s[3]}`;
          if (f.socket?.processes) f.socket.processes[0].name = s[4];
          if (f.group) f.group[labelKey] = s[5];
        }
        Object.assign(report, { extra });
        expectSameText(report);
      }),
      { numRuns: 150 },
    );
  });

  test('objects of many shapes: the same first key, other keys or another order, more shapes than are kept', () => {
    const report = sampleReport();
    const base = report.findings[0];
    const shapes: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const o: Record<string, unknown> = { first: i };
      const keys = ['b', 'a', `k${i % 7}`, 'c', `z${i % 3}`];
      for (const k of i % 2 ? keys : [...keys].reverse()) o[k] = i;
      if (i % 5 === 0) o.c = undefined;
      shapes.push(o);
    }
    report.findings = shapes.map((group, i) => ({ ...base, fingerprint: `f${i}`, group: group as Record<string, string> }));
    expectSameText(report);
  });

  test('a large report comes in pieces of one finding each, not as one string', () => {
    const report = bigReport(300, 20);
    const pieces = [...jsonChunks(report, CTX)];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    expect(pieces.length).toBeGreaterThan(report.findings.length);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(total / 50);
  });
});
