/**
 * Nothing is silently dropped (found by fuzzing): a row whose `users:((` group never closes must not swallow
 * the rows after it as the "rest" of a COMM (a COMM is at most 15 bytes), and text after a header line's
 * column titles is reported. Checked as the parser sees them whole, a byte at a time, and (thin.test.ts)
 * with rows read thin.
 */
import { SsParser, emptyCapture, type ParseStats } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import type { SocketRecord, UnparsedLine } from '../../src/snapshot/types';
import { expectAccounted, parse } from './helpers';

const HEADER = 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
const MYSQLD = 'tcp   LISTEN 0      128    0.0.0.0:3306       0.0.0.0:*         users:(("mysqld",pid=79,fd=7))\n';
const TRUNCATED = 'users:(( group not closed: the socket is kept, without the process entry left open';
const AFTER_TITLES = 'text after the column titles of a header line';

/** The parse of `text`, whole and a byte at a time (the same either way). */
function both(text: string): { sockets: SocketRecord[]; unparsed: UnparsedLine[]; stats: ParseStats } {
  const r = parse(text);
  expectAccounted(r.stats);
  const sockets: SocketRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const p = new SsParser({ file: 'test.out', services: builtinServices() }, { socket: (s) => sockets.push(s), unparsed: (u) => unparsed.push(u) });
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i++) p.write(buf.subarray(i, i + 1));
  const stats = p.end();
  expect(JSON.stringify({ sockets, unparsed, stats: { ...stats, fields: [...stats.fields] } }))
    .toBe(JSON.stringify({ sockets: r.sockets, unparsed: r.unparsed, stats: { ...r.stats, fields: [...r.stats.fields] } }));
  return r;
}

const ports = (socks: SocketRecord[]) => socks.map((s) => s.local.port);

describe('a users:(( group that does not close', () => {
  it('does not swallow the next row: its socket is kept without the entry left open, and the line reported', () => {
    const r = both(HEADER + 'tcp   LISTEN 0      128    0.0.0.0:8086       0.0.0.0:*         users:(("a\n' + MYSQLD);
    expect(ports(r.sockets)).toEqual([8086, 3306]);
    expect(r.sockets[0].processes).toBeUndefined();
    expect(r.sockets[0].extra).toEqual({ 'users-truncated': true });
    expect(r.sockets[1]).toMatchObject({ location: { line: 3 }, processes: [{ name: 'mysqld', pid: 79, fd: 7 }] });
    expect(r.sockets[1].extra).toBeUndefined();
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[2, TRUNCATED]]);
    expect(r.unparsed[0].text).toContain(':8086');
    expect(r.stats.kinds).toMatchObject({ socket: 1, unparsed: 1, joined: 0 });
  });

  it('nor when the group ends its line before a COMM began (a stray `users:((`)', () => {
    const r = both(HEADER + 'udp   UNCONN 0      0      127.0.0.53%lo:53     0.0.0.0:*         users:(("systemd-resolve",pid=1117,fd=12)) ino:29400 sk:7 <->   users:((\n' + MYSQLD);
    expect(ports(r.sockets)).toEqual([53, 3306]);
    // the entries that did close are read
    expect(r.sockets[0]).toMatchObject({ processes: [{ name: 'systemd-resolve', pid: 1117, fd: 12 }], inode: 29400, extra: { 'users-truncated': true } });
    expect(r.sockets[1].processes).toEqual([{ name: 'mysqld', pid: 79, fd: 7 }]);
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[2, TRUNCATED]]);
  });

  it('joins the lines of a COMM with newlines while it fits in 15 bytes, its newlines counted', () => {
    const row = (port: number, users: string) => `tcp LISTEN 0 1 0.0.0.0:${port} 0.0.0.0:* users:((${users}\n`;
    // 14 + 1 bytes
    let r = both(row(1, '"abcdefghijklmn') + '",pid=1,fd=2))\n');
    expect(r.sockets[0].processes).toEqual([{ name: 'abcdefghijklmn\n', pid: 1, fd: 2 }]);
    expect(r.unparsed).toEqual([]);
    // 7 + 1 + 7, over three lines 2 + 1 + 3 + 1 + 8, a multi-byte character 2 bytes: ab\ncdé\nfghijk
    r = both(row(1, '"abcdefg') + 'hijklmn",pid=1,fd=2))\n' + row(2, '"ab') + 'cdé\nfghijk",pid=2,fd=3)) ino:5\n');
    expect(r.sockets.map((s) => s.processes)).toEqual([[{ name: 'abcdefg\nhijklmn', pid: 1, fd: 2 }], [{ name: 'ab\ncdé\nfghijk', pid: 2, fd: 3 }]]);
    expect(r.sockets[1].inode).toBe(5);
    expect(r.stats.kinds.joined).toBe(3);
    // the ≤3.13 form
    expect(both(row(1, '"a') + 'b",1,2))\n').sockets[0].processes).toEqual([{ name: 'a\nb', pid: 1, fd: 2 }]);
  });

  it('does not join a line that would make the COMM longer than 15 bytes', () => {
    const row = (users: string) => `tcp LISTEN 0 1 0.0.0.0:1 0.0.0.0:* users:((${users}\n`;
    for (const [first, next] of [
      ['"abcdefghijklmno', '",pid=1,fd=2))'], // 15 + 1 before the next line
      ['"abcdefgh', 'ijklmno",pid=1,fd=2))'], // 8 + 1 + 7
      ['"abcdefghijklm', 'é",pid=1,fd=2))'], // 13 + 1 + 2
      ['"a', 'bcdefghijklmn'], // a line of it, 2 + 13 + 1 with the newline after it
      ['"a', 'b\ncdefghijklmn",pid=1,fd=2))'], // the third line
    ]) {
      const r = both(row(first) + next + '\n' + MYSQLD);
      expect({ first, ports: ports(r.sockets) }).toEqual({ first, ports: [1, 3306] });
      expect(r.sockets[0]).toMatchObject({ extra: { 'users-truncated': true } });
      expect(r.sockets[0].processes).toBeUndefined();
      expect(r.unparsed[0]).toMatchObject({ line: 1, reason: TRUNCATED });
      // the lines that are not a socket row are reported too
      expect(r.unparsed.length).toBeGreaterThan(1);
    }
  });

  it('on a continuation line is reported too', () => {
    const r = both(`${HEADER}tcp LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* users:(("mysqld",pid=79,fd=7))\n\tskmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d0) cubic users:(("x\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n`);
    expect(ports(r.sockets)).toEqual([3306, 22]);
    expect(r.sockets[0]).toMatchObject({ processes: [{ name: 'mysqld', pid: 79, fd: 7 }], skmem: { rb: 1 }, extra: { 'users-truncated': true } });
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[3, TRUNCATED]]);
    expect(r.stats.kinds).toMatchObject({ socket: 2, continuation: 0, unparsed: 1 });
  });

  it('at the end of the input, after some joined lines, is reported too', () => {
    const r = both('tcp LISTEN 0 1 0.0.0.0:1 0.0.0.0:* users:(("a\nb\n');
    expect(r.sockets).toHaveLength(1);
    expect(r.sockets[0].extra).toEqual({ 'users-truncated': true });
    expect(r.unparsed).toEqual([{ line: 1, text: 'tcp LISTEN 0 1 0.0.0.0:1 0.0.0.0:* users:(("a\nb', reason: TRUNCATED }]);
    expect(r.stats.kinds).toMatchObject({ socket: 0, joined: 1, unparsed: 1, blank: 0 });
  });
});

describe('a header line', () => {
  it('reports the text after its column titles, and its columns still apply', () => {
    const r = both('State Recv-Q Send-Q Local Address:Port Peer Address:Port Process  LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* garbage\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n');
    expect(r.unparsed).toEqual([{ line: 1, text: 'LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* garbage', reason: AFTER_TITLES }]);
    expect(r.sockets).toHaveLength(1);
    expect(r.sockets[0]).toMatchObject({ netid: 'tcp', state: 'LISTEN', local: { port: 22 }, location: { line: 2 } });
    expect(r.stats.kinds).toMatchObject({ header: 0, unparsed: 1, socket: 1 });
  });

  it('whose rows were separated by CR alone is a capture without a parsable socket, and says why', () => {
    for (const text of [
      'State Recv-Q Send-Q Local Address:Port Peer Address:Port\rLISTEN 0 128 0.0.0.0:3306 0.0.0.0:*\r',
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process   \r\rtcp LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* users:(("mysqld",pid=79,fd=7))\rtcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\r\n',
    ]) {
      const r = both(text);
      expect(r.sockets).toEqual([]);
      expect(r.unparsed).toHaveLength(1);
      expect(r.unparsed[0].line).toBe(1);
      expect(r.unparsed[0].text.startsWith('LISTEN 0 128') || r.unparsed[0].text.startsWith('tcp LISTEN 0 128')).toBe(true);
      expect(r.unparsed[0].reason).toMatch(/^text after the column titles of a header line, with CR characters in it: rows separated by CR alone/);
      // so not a host without such sockets: the CLI says the snapshot holds no parsable socket (exit 3)
      expect(emptyCapture(r.stats)).toBe(false);
    }
  });

  it('of titles only — spaced, glued, padded, CRLF — has nothing to report', () => {
    for (const h of [
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess        ',
      'Recv-Q Send-Q Local Address:Port    Peer Address:PortProcess',
      'Netid  State      Recv-Q Send-Q Local Address:Port                 Peer Address:Port   ',
      'NetidState Recv-Q Send-Q Local Address:Port Peer Address:Port',
      'Netid State Local Address:Port Peer Address:Port Process',
      'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\r',
    ]) {
      const r = both(`${h}\n`);
      expect({ h, unparsed: r.unparsed, kinds: r.stats.kinds, empty: emptyCapture(r.stats) })
        .toEqual({ h, unparsed: [], kinds: expect.objectContaining({ header: 1, unparsed: 0 }), empty: true });
    }
  });

  it('with a title garbled reports the text from there, and its columns still apply', () => {
    const r = both('Netid "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n');
    expect(r.unparsed).toEqual([{ line: 1, text: '"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess', reason: AFTER_TITLES }]);
    expect(r.sockets).toHaveLength(1);
    expect(r.sockets[0]).toMatchObject({ netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128, local: { port: 22 } });
  });
});
