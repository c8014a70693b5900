import * as fs from 'fs';
import * as path from 'path';
import { parseSsText, type ParseStats, type SsParser } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';

import { SHARED } from '../report/helpers';

/** The shared material (SOCKLINT_SHARED, else `../shared`): one definition for every suite (test/report/helpers). */
export { SHARED };
export const CORPUS = path.join(SHARED, 'corpus');
export const SYNTHETIC = path.resolve(__dirname, '../../fixtures/synthetic');

/** Parse with the built-in service table only, so results do not depend on the host's /etc/services. */
export function parse(text: string | Buffer, file = 'test.out', flags?: string) {
  return parseSsText(text, { file, services: builtinServices(), flags });
}

export function parseFile(p: string, flags?: string) {
  return parse(fs.readFileSync(p, 'utf8'), path.basename(p), flags);
}

/** Every physical line is accounted for exactly once. */
export function expectAccounted(stats: ParseStats): void {
  const k = stats.kinds;
  const sum = k.socket + k.continuation + k.joined + k.header + k.comment + k.summary + k.blank + k.unparsed;
  expect(sum).toBe(stats.lines);
  expect(stats.unparsed).toBe(k.unparsed);
}

export function listOut(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listOut(p));
    else if (e.name.endsWith('.out')) out.push(p);
  }
  return out.sort();
}

/** `v` with object keys sorted at every level and undefined values dropped (the JSON report's form). */
export function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) o[k] = sortedKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** Deterministic chunk sizes (mulberry32), 1 byte to `max` bytes, a tenth of them single bytes. */
export function chunker(seed: number, max = 4096): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return r < 0.1 ? 1 : 1 + Math.floor(r * r * max);
  };
}

/**
 * Feed `text` to `p` whole (no seed) or in chunks of chunker(seed) sizes, each a fresh buffer overwritten after
 * `write` returns: the parser must not keep one.
 */
export function feed(p: SsParser, text: string, seed?: number): void {
  const buf = Buffer.from(text, 'utf8');
  if (seed === undefined) {
    p.write(buf);
    return;
  }
  const next = chunker(seed);
  for (let i = 0; i < buf.length;) {
    const n = next();
    const chunk = Buffer.from(buf.subarray(i, i + n));
    p.write(chunk);
    chunk.fill(0x41);
    i += n;
  }
}
