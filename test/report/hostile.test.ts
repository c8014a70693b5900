/**
 * Property test: whatever bytes a snapshot carries (process names, paths, hosts, messages, unparsed lines),
 * every format stays well-formed: SARIF schema-valid JSON, well-formed XML, escaped terminal text, parseable
 * Prometheus lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { formatters } from '../../src/report';
import type { ScanReport } from '../../src/engine/types';
import { CTX, sampleReport } from './fixtures';
import { sarifValidator, tempDir, which } from './helpers';

/** Any UTF-16 code unit, lone surrogates and C0/C1 controls included, plus a few nasty sequences. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  fc.constantFrom('\u001b[2J', '\u001b]0;x\u0007', ']]>', '<!--', '&amp;', '"', "'", '\\', '\n', '{', '}', '%', 'SARIF_BUILDER_INVALID'),
);
const nasty = fc.string({ unit: codeUnit, maxLength: 24 });

function hostile(report: ScanReport, s: string[]): ScanReport {
  const host = s[0] || 'h';
  const r = structuredClone(report);
  r.snapshots[0].host = host;
  r.snapshots[0].unparsedLines = [{ line: 3, text: s[1], reason: s[2] }];
  r.snapshots[0].unparsed = 1;
  r.snapshots[0].labels = { [s[3] || 'k']: s[4] };
  for (const f of r.findings) {
    if (f.host === 'web-1.example.com') f.host = host;
    f.message = `${f.message} ${s[5]}`;
    if (f.socket?.processes) f.socket.processes[0].name = s[6];
    if (f.suppressed) f.suppressed.reason = s[7];
  }
  r.notEvaluated[0].reason = s[8];
  r.rules[0].title = `${r.rules[0].title}${s[9]}`;
  return r;
}

const validateSarif = sarifValidator();
const xmllint = which('xmllint');

test('every format stays well-formed with arbitrary strings', () => {
  const xmlDir = tempDir();
  let n = 0;
  fc.assert(
    fc.property(fc.array(nasty, { minLength: 10, maxLength: 10 }), (strings) => {
      const report = hostile(sampleReport(), strings);
      const sarif = JSON.parse(formatters.sarif.format(report, CTX));
      expect(validateSarif(sarif).valid).toBe(true);
      expect(new Set(sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).size).toBe(sarif.runs.length);
      JSON.parse(formatters.json.format(report, CTX));
      const text = formatters.text.format(report, { ...CTX, color: true });
      expect(text.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      const xml = formatters.junit.format(report, CTX);
      expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      fs.writeFileSync(path.join(xmlDir, `r${n++}.xml`), xml);
      const prom = formatters.prometheus.format(report, CTX);
      for (const line of prom.trimEnd().split('\n')) {
        expect(line).toMatch(/^(# (HELP|TYPE) \S+ .*|[a-z_]+(\{([a-z_]+="([^"\\\n]|\\[\\"n])*",?)*\})? \S+)$/);
      }
    }),
    { numRuns: 60 },
  );
  if (xmllint) {
    const files = fs.readdirSync(xmlDir).map((f) => path.join(xmlDir, f));
    const r = spawnSync(xmllint, ['--noout', ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }
});
