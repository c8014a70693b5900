/**
 * A last line that no newline ends (fixtures/cut-last-line: real captures, and their first bytes): a file cut mid-line
 * (head -c, a full disk) or saved without its final newline. A row whose text tells it is whole is read; one whose last
 * token may be cut is reported — not read when that token is part of its addresses, read without it when it is an item.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mayBeCut, SsParser } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import type { SocketRecord, UnparsedLine } from '../../src/snapshot/types';
import { expectAccounted, feed, parse } from './helpers';

const DIR = path.resolve(__dirname, '../../fixtures/cut-last-line');
const text = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');
/** (one file name for every file: the records of two are compared) */
const read = (name: string) => {
  const r = parse(text(name), 'x.ss');
  expectAccounted(r.stats);
  return r;
};
const CUT = /^the last line, which no newline ends \(a file cut mid-line, by head -c or a full disk, ends so\), ends in /;
const full = read('full.ss');
const last = full.sockets[full.sockets.length - 1];

describe('a last line cut short', () => {
  it('the whole capture: three sockets, nothing unparsed', () => {
    expect(full.unparsed).toEqual([]);
    expect(full.sockets).toHaveLength(3);
    expect(last.inode).toBeGreaterThan(0);
  });

  it('cut in its peer port: the row is not read (a socket at a port it may not have), and the line is reported', () => {
    const r = read('peer-port.ss');
    expect(r.sockets).toEqual(full.sockets.slice(0, 2));
    expect(r.unparsed).toEqual([{ line: 4, text: text('peer-port.ss').split('\n')[3], reason: expect.stringMatching(CUT) }]);
    expect(r.unparsed[0].reason).toContain(', part of its addresses, which may be cut short: the row is not read (if the file is whole, its final newline taken off, add it back: echo >> FILE)');
    expect(r.stats.kinds).toMatchObject({ socket: 2, unparsed: 1 });
  });

  it('cut in the padding after a column: every token before it is whole, the row is read', () => {
    const r = read('padding.ss');
    expect(r.unparsed).toEqual([]);
    const { inode, sk, cgroup, shutdown, ...main } = last;
    expect(r.sockets).toEqual([...full.sockets.slice(0, 2), main]);
    expect([inode, sk, cgroup, shutdown].every((x) => x !== undefined)).toBe(true);
  });

  it('cut in an item after the addresses: the socket is read without it, and the line reported', () => {
    const r = read('ino.ss');
    const { inode, sk, cgroup, shutdown, ...main } = last;
    expect(r.sockets).toEqual([...full.sockets.slice(0, 2), main]);
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[4, expect.stringMatching(/ends in "ino:\d\d", an item that may be cut short: the socket is read without it/)]]);
    expect(r.stats.kinds).toMatchObject({ socket: 2, unparsed: 1 });
    // an item that may be whole is left out all the same: nothing tells
    const s = read('sk.ss');
    expect(s.sockets[2]).toEqual({ ...main, inode });
    expect(s.unparsed.map((u) => u.reason)).toEqual([expect.stringMatching(/ends in "sk:[0-9a-f]+", an item/)]);
  });

  it('cut in a TCP info line (ss -i): the line is read without its last item, and reported', () => {
    const whole = read('tani.ss');
    const r = read('tani-info.ss');
    expect(whole.unparsed).toEqual([]);
    const w = whole.sockets[whole.sockets.length - 1];
    const got = r.sockets[r.sockets.length - 1];
    expect(w.tcp!.rcvSpace).toBeGreaterThan(0);
    // the items before it, as the whole line's (those after it are gone)
    expect({ ...got, tcp: undefined }).toEqual({ ...w, tcp: undefined });
    expect(got.tcp!.rcvSpace).toBeUndefined();
    expect(Object.keys(got.tcp!).length).toBeGreaterThan(10);
    for (const [k, v] of Object.entries(got.tcp!)) expect([k, v]).toEqual([k, w.tcp![k]]);
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[r.stats.lines, expect.stringMatching(/ends in "rcv_space:\d", an item that may be cut short: the line is read without it/)]]);
  });

  it('a whole file without its final newline is read as with it: ending in <->, or in padding (ss 6.1 pads every row)', () => {
    for (const [name, whole] of [['no-newline.ss', text('full.ss')], ['tan-no-newline.ss', text('tan-no-newline.ss') + '\n']]) {
      const r = read(name);
      expect(r.unparsed).toEqual([]);
      expect(r.sockets).toEqual(parse(whole, 'x.ss').sockets);
    }
  });

  it('a whole file stripped of its padding too ends in a port that may be cut: reported, as socklint cannot tell it from a cut one', () => {
    const r = read('tan-stripped.ss');
    expect(r.sockets).toEqual(parse(text('tan-no-newline.ss') + '\n', 'x.ss').sockets.slice(0, -1));
    expect(r.unparsed.map((u) => u.reason)).toEqual([expect.stringMatching(/part of its addresses, which may be cut short/)]);
    // the hint's fix reads it whole
    expect(read2(text('tan-stripped.ss') + '\n').unparsed).toEqual([]);
  });

  it('fed in chunks, the same', () => {
    for (const name of ['peer-port.ss', 'ino.ss', 'tani-info.ss', 'tan-stripped.ss', 'no-newline.ss']) {
      const want = read(name);
      for (const seed of [1, 2, 3]) {
        const got = chunked(text(name), seed);
        expect({ name, seed, sockets: got.sockets, unparsed: got.unparsed }).toEqual({ name, seed, sockets: want.sockets, unparsed: want.unparsed });
      }
    }
  });
});

describe('mayBeCut: whether a last line without a newline ends in a token that may be cut', () => {
  it.each([
    ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:5432', true],
    ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:http', true],
    ['u_str ESTAB 0 0 /run/x 1234 * 5678', true],
    ['nl UNCONN 0 0 rtnl:kernel 0:1234', true],
    ['tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5432 ino:12 sk:1', true],
    ['\t cubic rtt:0.0', true],
    ['LISTEN 0 128 0.0.0.0:22 0.0.0.0:*', false],
    ['LISTEN 0 128 0.0.0.0:22 0.0.0.0:*     ', false],
    ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:5432\r', false],
    ['LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))', false],
    ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:5432 timer:(keepalive,119min,0)', false],
    ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:5432 ino:1 sk:2 <->', false],
    ['u_str ESTAB 0 0 /run/x 1234 * 0', false],
    ['nl UNCONN 0 0 rtnl:kernel 0:0', false],
    ['LISTEN 0 0 16781313:3435931016 -', false],
    ['LISTEN 0 128 [::]:22 [::]:* v6only:1', false],
    ['u_str ESTAB 0 0 /run/x 1234 * 10', true],
    ['ESTAB 0 0 10.0.0.1:22 10.0.0.2:5432 rtt:0', true],
    ['\t cubic rtt:0.019/0', true],
    ['', false],
  ])('%j: %s', (line, want) => {
    expect(mayBeCut(line)).toBe(want);
  });
});

function read2(t: string) {
  return parse(t, 'x.ss');
}

function chunked(t: string, seed: number): { sockets: SocketRecord[]; unparsed: UnparsedLine[] } {
  const sockets: SocketRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const p = new SsParser({ file: 'x.ss', services: builtinServices() }, { socket: (r) => sockets.push(r), unparsed: (u) => unparsed.push(u) });
  feed(p, t, seed);
  p.end();
  return { sockets, unparsed };
}
