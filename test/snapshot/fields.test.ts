/** Extension items read in place (src/snapshot/fields.ts): the fast paths read what the general ones do. */
import * as fs from 'fs';
import * as path from 'path';
import { SEEN_BAD, TCP_NUMERIC, badItemsReason, parseExtensions, parseSkmem } from '../../src/snapshot/fields';
import { TCP_COUNT_NAMES } from '../../src/snapshot/thin';
import type { SocketRecord } from '../../src/snapshot/types';

describe('skmem:(…): the standard nine items as one object, anything else item by item, alike', () => {
  const standard = 'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0';
  it.each([
    standard,
    'r4096,rb6291456,t2304,tb87040,f1792,w0,o0,bl0,d17',
    'r-0,rb1,t-5,tb2,f3,w4,o5,bl6,d7', // signs: not counts (reported, not read)
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0', // no d (older kernels)
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0,x9', // an item after d
    'rb131072,r0,t0,tb16384,f0,w0,o0,bl0,d0', // another order
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d', // an empty value
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d1x', // not a number
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0,', // a trailing comma
    'r0,,rb131072,t0,tb16384,f0,w0,o0,bl0,d0', // an empty item
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d99999999999999999999999', // too large
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d9007199254740992', // above 2^53 - 1
    'r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d9007199254740991', // 2^53 - 1
    'r1,r2,t0,tb16384,f0,w0,o0,bl0,d0', // a key twice
    'rx1,r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0', // a key of other letters
  ])('%s', (inner) => {
    const text = `skmem:(${inner})`;
    const rec = { netid: 'tcp', local: { address: '', port: 0 }, peer: { address: '', port: 0 } } as unknown as SocketRecord;
    const bits = parseExtensions(rec, text, 0, text.length, false);
    const unknown: string[] = [];
    const bad: string[] = [];
    const expected = parseSkmem(inner, unknown, bad);
    expect(rec.skmem).toEqual(expected);
    expect(Object.keys(rec.skmem!)).toEqual(Object.keys(expected)); // the same key order (parse's NDJSON)
    expect(rec.extra?.skmem).toEqual(unknown.length ? unknown.join(',') : undefined);
    // an item of a known key whose count does not read is reported (the parser's unparsed line), not kept
    expect((bits & SEEN_BAD) !== 0).toBe(bad.length > 0);
    for (const item of bad) expect(badItemsReason()).toContain(item);
    if (bad.length) expect(unknown).not.toEqual(expect.arrayContaining(bad));
  });
});

describe('extra items', () => {
  const blank = (): SocketRecord => ({ netid: 'u_str', local: { address: '', port: 0 }, peer: { address: '', port: 0 } } as unknown as SocketRecord);
  const put = (rec: SocketRecord, text: string): void => {
    parseExtensions(rec, text, 0, text.length, true);
  };

  it('keep every item of a repeated key, as key#2, key#3 …, whichever record was filled in between', () => {
    const a = blank();
    const b = blank();
    put(a, 'peers:1 zzz=1 zzz=2');
    put(b, 'zzz=9 zzz=8');
    put(a, 'zzz=3 peers:2'); // a again, after b: its items are counted from the record itself
    expect(a.extra).toEqual({ peers: '1', zzz: '1', 'zzz#2': '2', 'zzz#3': '3', 'peers#2': '2' });
    expect(b.extra).toEqual({ zzz: '9', 'zzz#2': '8' });
  });

  it('stop at 256 items per record, also when it is filled in two turns', () => {
    const a = blank();
    const b = blank();
    put(a, Array.from({ length: 200 }, (_, i) => `k${i}=1`).join(' '));
    put(b, 'k=1');
    put(a, Array.from({ length: 100 }, (_, i) => `m${i}=1`).join(' '));
    expect(Object.keys(a.extra!)).toHaveLength(257);
    expect(a.extra!['extra-truncated']).toBe(true);
    expect(a.extra!.m55).toBe('1');
    expect(a.extra!.m56).toBeUndefined();
    expect(b.extra).toEqual({ k: '1' });
  });
});

describe('bbr:(…) and dctcp:(…) items', () => {
  const rec = (): SocketRecord => ({ netid: 'tcp', local: { address: '', port: 0 }, peer: { address: '', port: 0 } }) as unknown as SocketRecord;

  it('keep the well-formed sub-items when one has no `key:`, and report the item', () => {
    const r = rec();
    const text = 'bbr:(bw:1Mbps,junk,mrtt:2.5) rtt:1/2';
    expect(parseExtensions(r, text, 0, text.length, false) & SEEN_BAD).toBe(SEEN_BAD);
    expect(r.tcp).toEqual({ bbr: { bw: 1e6, mrtt: 2.5 }, rtt: 1, rttvar: 2 });
    expect(badItemsReason()).toContain('bbr:(bw:1Mbps,junk,mrtt:2.5): "junk" is not NAME:VALUE (read without it)');
  });

  it.each([['dctcp:(:1)', '":1"'], ['bbr:()', '""'], ['bbr:(bw:1Mbps,)', '""'], ['bbr:(bw:1Mbps,mrtt)', '"mrtt"']])('report %s', (text, sub) => {
    expect(parseExtensions(rec(), text, 0, text.length, false) & SEEN_BAD).toBe(SEEN_BAD);
    expect(badItemsReason()).toContain(`${text}: ${sub} is not NAME:VALUE`);
  });

  it.each(['bbr:(bw:1Mbps,mrtt:2.5,pacing_gain:2.88672)', 'dctcp:(ce_state:0,alpha:1,ab_ecn:0,ab_tot:0)', 'dctcp:fallback_mode'])('read %s without a report', (text) => {
    expect(parseExtensions(rec(), text, 0, text.length, false) & SEEN_BAD).toBe(0);
  });

  // ss prints bbr:(…) only, dctcp:(…) or a word: anything else would not be the object socket.schema.json says
  it.each([['bbr:x', 'not (NAME:VALUE,…)'], ['bbr:5', 'not (NAME:VALUE,…)'], ['dctcp:(x', '"(" not closed'], ['bbr:(bw:1Mbps rtt:1/2', '"(" not closed']])('report %s and leave it unread', (text, why) => {
    const r = rec();
    expect(parseExtensions(r, text, 0, text.length, false) & SEEN_BAD).toBe(SEEN_BAD);
    expect(badItemsReason()).toContain(why);
    expect(r.tcp?.bbr).toBeUndefined();
    expect(r.tcp?.dctcp).toBeUndefined();
    expect(r.tcp?.rtt).toBeUndefined(); // (swallowed by the open parenthesis: reported with it, not read)
  });
});

describe('numeric TCP info items', () => {
  const rec = (): SocketRecord => ({ netid: 'tcp', local: { address: '', port: 0 }, peer: { address: '', port: 0 } }) as unknown as SocketRecord;
  const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/socket.schema.json'), 'utf8')) as { properties: { tcp: { properties: Record<string, { type?: string }> } } };
  const types = schema.properties.tcp.properties;

  it('read as whole numbers exactly the items socket.schema.json types integer', () => {
    for (const [printed, camel] of Object.entries(TCP_NUMERIC)) {
      expect({ printed, integer: TCP_COUNT_NAMES.includes(printed) }).toEqual({ printed, integer: types[camel].type === 'integer' });
    }
  });

  it.each(['mss:1.5', 'cwnd:10.25', 'bytes_acked:3.5'])('report a count with a fraction (%s), not read', (text) => {
    const r = rec();
    expect(parseExtensions(r, text, 0, text.length, false) & SEEN_BAD).toBe(SEEN_BAD);
    expect(badItemsReason()).toContain(`${text}: not a whole number`);
    expect(r.tcp).toBeUndefined();
  });

  it.each([['rto:201.5', 'rto', 201.5], ['cwnd:1e+06', 'cwnd', 1e6], ['minrtt:0.108', 'minrtt', 0.108]])('read %s', (text, key, v) => {
    const r = rec();
    expect(parseExtensions(r, text, 0, text.length, false) & SEEN_BAD).toBe(0);
    expect((r.tcp as unknown as Record<string, number>)[key]).toBe(v);
  });
});
