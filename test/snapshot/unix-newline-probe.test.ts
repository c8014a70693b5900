/**
 * Real ss -H captures that start with more hostile unix names than real rows (fixtures/unix-newline-probe): the column
 * of the table's ports is the rightmost the rows past the first name have, not the one most of them share.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectAccounted, parse } from './helpers';

const DIR = path.resolve(__dirname, '../../fixtures/unix-newline-probe');
const read = (name: string) => {
  const r = parse(fs.readFileSync(path.join(DIR, name), 'utf8'), name);
  expectAccounted(r.stats);
  expect(r.unparsed).toEqual([]);
  return r;
};
const key = (r: ReturnType<typeof read>) => r.sockets.map((s) => [s.netid, s.state, s.local.address, s.local.port, s.peer.port].join(' ')).sort();

describe('a -H table whose first rows are mostly lines of hostile unix names', () => {
  it.each([['ss-Hxa.ss', 'ss-xa.ss'], ['ss-Htuxanp.ss', 'ss-tuxanp.ss']])('%s reads as %s (with its header): no socket @z', (headless, headed) => {
    const h = read(headless);
    const want = read(headed);
    expect(key(h)).toEqual(key(want));
    expect(h.sockets.filter((s) => s.local.address === '@z')).toEqual([]);
    // the three names, each of eight lines
    const names = h.sockets.filter((s) => s.local.path?.startsWith('/tmp/s/'));
    expect(names.map((s) => s.local.path!.split('\n'))).toEqual(['a', 'b', 'c'].map((x) => [`/tmp/s/${x}`, ...Array(7).fill('0 1 @z 7 * 0')]));
    expect(h.stats.kinds.joined).toBe(21);
  });
});
