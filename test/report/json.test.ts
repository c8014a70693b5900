import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { formatters } from '../../src/report';
import { CTX, HOSTILE_PROCESS, sampleReport } from './fixtures';
import { ROOT } from './helpers';

const SOCKET_SCHEMA_ID = 'https://socklint.dev/schemas/socket.schema.json';

function reportValidator(): ReturnType<Ajv['compile']> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const socketFile = path.join(ROOT, 'schemas/socket.schema.json');
  if (fs.existsSync(socketFile)) {
    const socket = JSON.parse(fs.readFileSync(socketFile, 'utf8'));
    // Registered under the id report.schema.json refers to, whatever $id/$schema the file itself declares.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { $id, $schema, ...rest } = socket;
    ajv.addSchema(rest, SOCKET_SCHEMA_ID);
  } else {
    ajv.addSchema({ type: 'object', required: ['netid', 'local', 'peer', 'location'] }, SOCKET_SCHEMA_ID);
  }
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8')));
}

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
    expect(Object.keys(JSON.parse(outA))).toEqual(['tool', 'startedAt', 'durationMs', 'summary', 'snapshots', 'rules', 'findings', 'notEvaluated', 'omitted', 'waivers']);
    expect(Object.keys(JSON.parse(outA).findings[0])).toEqual([...Object.keys(JSON.parse(outA).findings[0])].sort());
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
