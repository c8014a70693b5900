/** Extension items read in place (src/snapshot/fields.ts): the fast paths read what the general ones do. */
import { parseExtensions, parseSkmem } from '../../src/snapshot/fields';
import type { SocketRecord } from '../../src/snapshot/types';

describe('skmem:(…): the standard nine items as one object, anything else item by item, alike', () => {
  const standard = 'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0';
  it.each([
    standard,
    'r4096,rb6291456,t2304,tb87040,f1792,w0,o0,bl0,d17',
    'r-0,rb1,t-5,tb2,f3,w4,o5,bl6,d7', // signs as parseIntStrict reads them
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0', // no d (older kernels)
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0,x9', // an item after d
    'rb131072,r0,t0,tb16384,f0,w0,o0,bl0,d0', // another order
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d', // an empty value
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d1x', // not a number
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0,', // a trailing comma
    'r0,,rb131072,t0,tb16384,f0,w0,o0,bl0,d0', // an empty item
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d99999999999999999999999', // too large
    'r1,r2,t0,tb16384,f0,w0,o0,bl0,d0', // a key twice
  ])('%s', (inner) => {
    const text = `skmem:(${inner})`;
    const rec = { netid: 'tcp', local: { address: '', port: 0 }, peer: { address: '', port: 0 } } as unknown as SocketRecord;
    parseExtensions(rec, text, 0, text.length, false);
    const unknown: string[] = [];
    const expected = parseSkmem(inner, unknown);
    expect(rec.skmem).toEqual(expected);
    expect(Object.keys(rec.skmem!)).toEqual(Object.keys(expected)); // the same key order (parse's NDJSON)
    expect(rec.extra?.skmem).toEqual(unknown.length ? unknown.join(',') : undefined);
  });
});
