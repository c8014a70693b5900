import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { CORPUS, SYNTHETIC, listOut, parseFile } from './helpers';

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/socket.schema.json'), 'utf8'));

describe('schemas/socket.schema.json', () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);

  it('documents every property', () => {
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties) {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          expect([`${where}.${k}`, typeof v.description]).toEqual([`${where}.${k}`, 'string']);
          walk(v, `${where}.${k}`);
        }
      }
      if (n.definitions) for (const [k, v] of Object.entries(n.definitions as object)) walk(v, k);
    };
    walk(schema, '');
  });

  it('accepts every record parsed from the corpus and the synthetic fixtures', () => {
    let n = 0;
    for (const f of [...listOut(CORPUS), ...listOut(SYNTHETIC)]) {
      for (const s of parseFile(f).sockets) {
        const ok = validate(JSON.parse(JSON.stringify(s)));
        if (!ok) throw new Error(`${f}:${s.location.line}: ${ajv.errorsText(validate.errors)}`);
        n++;
      }
    }
    expect(n).toBeGreaterThan(600);
  });

  it('rejects unknown top-level keys and a bad endpoint', () => {
    const base = { netid: 'tcp', local: { address: '0.0.0.0', port: 22 }, peer: { address: '*', port: null }, location: { file: 'x', line: 1 } };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, bogus: 1 })).toBe(false);
    expect(validate({ ...base, local: { address: '0.0.0.0' } })).toBe(false);
    expect(validate({ ...base, shutdown: '>>' })).toBe(false);
  });
});
