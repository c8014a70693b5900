/**
 * Unix names (and /proc-fallback peer names) with newlines: ss prints names raw, so one socket spans several
 * physical lines, and a later line may look like a row of its own — a name `/tmp/a\ntcp LISTEN … 0.0.0.0:23 …`
 * must not make a tcp listener. Where the column of the table's ports is known (the header's `Port`, or the row
 * before), a unix row whose first line ends before it holds a name that goes on, and ends on the line where its
 * INODE reaches the column (SsParser.portCol, heldName, parser.ts); elsewhere the lines of a unix row whose address
 * its first line does not complete are joined while they may still be its address (tryNameJoin).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import { scanSnapshot } from '../../src/engine/scan';
import { samePort } from '../../src/engine/split';
import { SsParser, type ParseStats } from '../../src/snapshot/parser';
import { completeExtensions, extensionWants } from '../../src/snapshot/fields';
import { builtinServices } from '../../src/snapshot/services';
import type { SocketRecord, UnparsedLine } from '../../src/snapshot/types';
import { chunker, expectAccounted, parse } from './helpers';

// `ss -xapn` and `ss -A unix_stream -apn` (ss 6.1, kernel 6.18, a private network namespace) over sockets a
// python3 process bound to '/tmp/a\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* users:(("telnetd",pid=1,fd=3))',
// '/tmp/b\nx\ny z' (and a connection to it), '/tmp/c\n', '\0abs\nline2', '/tmp/f\n\n\ng', 'rel\nname' (a
// relative path) and a datagram socket '/tmp/d\n1 * 2'. Verbatim, padding included.
const XAPN = [
  "Netid State  Recv-Q Send-Q                                                               Local Address:Port   Peer Address:Port  Process                             ",
  "u_str ESTAB  0      0                                                                     /tmp/b",
  "x",
  "y z 182828            * 182827 users:((\"python3\",pid=19569,fd=6)) ",
  "u_str LISTEN 0      1      /tmp/a",
  "tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* users:((\"telnetd\",pid=1,fd=3)) 182825            * 0      users:((\"python3\",pid=19569,fd=3)) ",
  "u_str LISTEN 0      1                                                                     /tmp/b",
  "x",
  "y z 182826            * 0      users:((\"python3\",pid=19569,fd=4)) ",
  "u_str LISTEN 0      1                                                                          /tmp/c",
  " 182829            * 0      users:((\"python3\",pid=19569,fd=7)) ",
  "u_str LISTEN 0      1                                                                       /tmp/f",
  "",
  "",
  "g 182831            * 0      users:((\"python3\",pid=19569,fd=9)) ",
  "u_str LISTEN 0      1                                                                         rel",
  "name 182832            * 0      users:((\"python3\",pid=19569,fd=11))",
  "u_dgr UNCONN 0      0                                                                     /tmp/d",
  "1 * 2 182833            * 0      users:((\"python3\",pid=19569,fd=12))",
  "u_str ESTAB  0      0                                                                                * 182827            * 182828 users:((\"python3\",pid=19569,fd=5)) ",
  "u_str LISTEN 0      1                                                                       @abs",
  "line2 182830            * 0      users:((\"python3\",pid=19569,fd=8)) ",
].join('\n') + '\n';
const USTREAM = [
  "State  Recv-Q Send-Q                                                               Local Address:Port   Peer Address:Port  Process                             ",
  "ESTAB  0      0                                                                     /tmp/b",
  "x",
  "y z 182828            * 182827 users:((\"python3\",pid=19569,fd=6)) ",
  "LISTEN 0      1      /tmp/a",
  "tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* users:((\"telnetd\",pid=1,fd=3)) 182825            * 0      users:((\"python3\",pid=19569,fd=3)) ",
  "LISTEN 0      1                                                                     /tmp/b",
  "x",
  "y z 182826            * 0      users:((\"python3\",pid=19569,fd=4)) ",
  "LISTEN 0      1                                                                          /tmp/c",
  " 182829            * 0      users:((\"python3\",pid=19569,fd=7)) ",
  "LISTEN 0      1                                                                       /tmp/f",
  "",
  "",
  "g 182831            * 0      users:((\"python3\",pid=19569,fd=9)) ",
  "LISTEN 0      1                                                                         rel",
  "name 182832            * 0      users:((\"python3\",pid=19569,fd=11))",
  "ESTAB  0      0                                                                                * 182827            * 182828 users:((\"python3\",pid=19569,fd=5)) ",
  "LISTEN 0      1                                                                       @abs",
  "line2 182830            * 0      users:((\"python3\",pid=19569,fd=8)) ",
].join('\n') + '\n';

/** The parse of `text`, whole, in chunks and a byte at a time (the same each way). */
function all(text: string | Buffer, flags?: string): { sockets: SocketRecord[]; unparsed: UnparsedLine[]; stats: ParseStats } {
  const r = parse(text, 'test.out', flags);
  expectAccounted(r.stats);
  const want = JSON.stringify({ sockets: r.sockets, unparsed: r.unparsed, stats: { ...r.stats, fields: [...r.stats.fields] } });
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (const next of [() => 1, chunker(7, 64)]) {
    const sockets: SocketRecord[] = [];
    const unparsed: UnparsedLine[] = [];
    const p = new SsParser({ file: 'test.out', services: builtinServices(), flags }, { socket: (s) => sockets.push(s), unparsed: (u) => unparsed.push(u) });
    for (let i = 0; i < buf.length;) {
      const n = next();
      p.write(buf.subarray(i, i + n));
      i += n;
    }
    const stats = p.end();
    expect(JSON.stringify({ sockets, unparsed, stats: { ...stats, fields: [...stats.fields] } })).toBe(want);
  }
  return r;
}

const NAMES = [
  '/tmp/b\nx\ny z', '/tmp/a\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* users:(("telnetd",pid=1,fd=3))', '/tmp/b\nx\ny z', '/tmp/c\n',
  '/tmp/f\n\n\ng', 'rel\nname', '/tmp/d\n1 * 2', '*', '@abs\nline2',
];

const rows = (r: { sockets: SocketRecord[] }) => r.sockets.map((s) => [s.netid, s.location.line, s.local.address, s.local.port, s.peer.port, s.processes?.map((p) => `${p.name}/${p.fd}`)]);

describe('a unix name with newlines', () => {
  it('is one socket, its name holding them, not a row of each line (ss -xapn)', () => {
    const r = all(XAPN);
    expect(r.unparsed).toEqual([]);
    expect(r.sockets.map((s) => s.local.address)).toEqual(NAMES);
    expect(rows(r).slice(0, 3)).toEqual([
      ['u_str', 2, NAMES[0], 182828, 182827, ['python3/6']],
      ['u_str', 5, NAMES[1], 182825, 0, ['python3/3']], // no telnetd, no tcp socket
      ['u_str', 7, NAMES[2], 182826, 0, ['python3/4']],
    ]);
    expect(r.sockets.find((s) => s.netid === 'u_dgr')).toMatchObject({ local: { address: '/tmp/d\n1 * 2', port: 182833, path: '/tmp/d\n1 * 2' }, location: { line: 18 } });
    expect(r.sockets.every((s) => s.processes?.length === 1 && s.processes[0].name === 'python3')).toBe(true);
    expect(r.stats.kinds).toMatchObject({ socket: 9, joined: 12, unparsed: 0 });
  });

  it('is one socket in a table without a Netid column (ss -A unix_stream -apn), a path or an abstract name telling it unix', () => {
    const r = all(USTREAM);
    // ('rel\nname' is a relative path: a Netid-less row of it does not tell it is unix)
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[16, 'row has no peer address'], [17, 'not an ss socket row']]);
    expect(r.sockets.map((s) => [s.netid, s.local.address])).toEqual(NAMES.filter((n) => n !== 'rel\nname' && !n.startsWith('/tmp/d')).map((n) => ['unknown', n]));
    expect(rows(r)[1]).toEqual(['unknown', 5, NAMES[1], 182825, 0, ['python3/3']]);
    // the capture flags tell the table
    expect(all(USTREAM, '-A unix_stream -apn').sockets.map((s) => s.netid)).toEqual(Array(7).fill('u_str'));
  });

  it('may be a peer name (ss reading /proc names the peer)', () => {
    const r = all('u_str ESTAB 0 0 * 1234 /tmp/a\nb 1235\nu_str ESTAB 0 0 /tmp/a\nb 1235 /x 1234 users:(("srv",pid=1,fd=3))\n');
    expect(r.unparsed).toEqual([]);
    expect(r.sockets.map((s) => [s.location.line, s.local, s.peer, s.processes])).toEqual([
      [1, { address: '*', port: 1234 }, { address: '/tmp/a\nb', port: 1235, path: '/tmp/a\nb' }, undefined],
      [3, { address: '/tmp/a\nb', port: 1235, path: '/tmp/a\nb' }, { address: '/x', port: 1234, path: '/x' }, [{ name: 'srv', pid: 1, fd: 3 }]],
    ]);
  });

  it('with a COMM with a newline after it: both joined', () => {
    const r = all('u_str LISTEN 0 1 /tmp/a\nb 5 * 0 users:(("x\ny",pid=1,fd=3))\n');
    expect(r.sockets.map((s) => [s.local.address, s.processes])).toEqual([['/tmp/a\nb', [{ name: 'x\ny', pid: 1, fd: 3 }]]]);
    expect(r.stats.kinds).toMatchObject({ socket: 1, joined: 2 });
  });
});

describe('a unix row without its address, that later lines do not complete', () => {
  const MYSQLD = 'tcp LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* users:(("mysqld",pid=79,fd=7))\n';
  const NOT_UNIX = 'unrecognised unix address (expected NAME INODE PEER INODE)';

  it('is reported, and the lines held after it are read as rows of their own', () => {
    for (const end of ['', 'u_str LISTEN 0 1 /tmp/z\n', 'x'.repeat(600) + '\n']) {
      const r = all('u_str LISTEN 0 1 /tmp/a\n' + MYSQLD + MYSQLD.replace('3306', '3307') + end);
      expect(r.sockets.slice(0, 2).map((s) => [s.netid, s.location.line, s.local.port])).toEqual([['tcp', 2, 3306], ['tcp', 3, 3307]]);
      expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([[1, NOT_UNIX], ...(end === '' ? [] : [[4, end.startsWith('x') ? 'not an ss socket row' : NOT_UNIX]])]);
      expect(r.stats.kinds.joined).toBe(0);
    }
  });

  it('is not joined into a name longer than 108 bytes', () => {
    const long = 'u_str LISTEN 0 1 /tmp/a\n' + 'y'.repeat(110) + ' 5 * 0\n';
    expect(all(long).unparsed.map((u) => u.line)).toEqual([1, 2]);
    const fits = 'u_str LISTEN 0 1 /tmp/a\n' + 'y'.repeat(100) + ' 5 * 0\n';
    expect(all(fits).sockets.map((s) => s.local.address)).toEqual(['/tmp/a\n' + 'y'.repeat(100)]);
  });

  it('makes no clean record boundary while its lines are held (a split scan then reads the file whole)', () => {
    const p = new SsParser({ file: 'test.out' }, { socket() {}, unparsed() {} });
    p.write('u_str LISTEN 0 1 /tmp/a\n');
    expect(p.checkpoint()).toBeUndefined();
    p.write('tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 182825 * 0\n');
    // (a table without a header holds its first unix row's lines until the rows past its longest name tell its column)
    expect(p.checkpoint()).toBeUndefined();
    for (let i = 0; i < 11; i++) p.write(`tcp LISTEN 0 128 0.0.0.0:${30 + i} 0.0.0.0:*\n`);
    expect(p.checkpoint()).toBeDefined();
    // (and holds at most 64 KiB of them)
    const q = new SsParser({ file: 'test.out' }, { socket() {}, unparsed() {} });
    q.write('u_str LISTEN 0 1 /tmp/a 5 * 0\n' + `tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:*${' x'.repeat(40000)}\n`);
    expect(q.checkpoint()).toBeDefined();
  });
});

// `ss -xapn`, `ss -A unix_stream -apn` and `ss -xapne` (ss 6.1, kernel 6.18, a private network namespace) over
// sockets a python3 process bound to names whose first line reads as a whole unix row: '/tmp/sockl-ut/x 1 * 2\ntcp
// LISTEN 0 128 0.0.0.0:23 0.0.0.0:*', '/tmp/sockl-ut/y 3 * 4\ntcp LISTEN 0 128 0.0.0.0:24 0.0.0.0:* 5 * 6\nudp UNCONN
// 0 0 0.0.0.0:53 0.0.0.0:*', '/tmp/sockl-ut/z 7 * 8\nLISTEN 0 128 [::]:25 [::]:* users:(("sshd",pid=1,fd=3))' and a
// datagram socket '\0sockl 9 * 10\nudp UNCONN 0 0 0.0.0.0:69 0.0.0.0:*'. Verbatim, padding included.
const WHOLE_XAPN = [
  "Netid State  Recv-Q Send-Q                                                                                         Local Address:Port   Peer Address:PortProcess                           ",
  "u_str LISTEN 0      1                                                /tmp/sockl-ut/x 1 * 2",
  "tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 279370            * 0    users:((\"python3\",pid=3567,fd=3))",
  "u_str LISTEN 0      1      /tmp/sockl-ut/y 3 * 4",
  "tcp LISTEN 0 128 0.0.0.0:24 0.0.0.0:* 5 * 6",
  "udp UNCONN 0 0 0.0.0.0:53 0.0.0.0:* 279371            * 0    users:((\"python3\",pid=3567,fd=4))",
  "u_str LISTEN 0      1                              /tmp/sockl-ut/z 7 * 8",
  "LISTEN 0 128 [::]:25 [::]:* users:((\"sshd\",pid=1,fd=3)) 279372            * 0    users:((\"python3\",pid=3567,fd=5))",
  "u_dgr UNCONN 0      0                                                          @sockl 9 * 10",
  "udp UNCONN 0 0 0.0.0.0:69 0.0.0.0:* 279373            * 0    users:((\"python3\",pid=3567,fd=6))",
].join('\n') + '\n';
const WHOLE_USTREAM = [
  "State  Recv-Q Send-Q                                                                                         Local Address:Port   Peer Address:PortProcess                           ",
  "LISTEN 0      1                                                /tmp/sockl-ut/x 1 * 2",
  "tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 279370            * 0    users:((\"python3\",pid=3567,fd=3))",
  "LISTEN 0      1      /tmp/sockl-ut/y 3 * 4",
  "tcp LISTEN 0 128 0.0.0.0:24 0.0.0.0:* 5 * 6",
  "udp UNCONN 0 0 0.0.0.0:53 0.0.0.0:* 279371            * 0    users:((\"python3\",pid=3567,fd=4))",
  "LISTEN 0      1                              /tmp/sockl-ut/z 7 * 8",
  "LISTEN 0 128 [::]:25 [::]:* users:((\"sshd\",pid=1,fd=3)) 279372            * 0    users:((\"python3\",pid=3567,fd=5))",
].join('\n') + '\n';
const WHOLE_XAPNE = [
  "Netid State  Recv-Q Send-Q                                                                                         Local Address:Port   Peer Address:PortProcess                                                              ",
  "u_str LISTEN 0      1                                                /tmp/sockl-ut/x 1 * 2",
  "tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 279370            * 0    users:((\"python3\",pid=3567,fd=3)) <-> ino:2189170 dev:0/65024 peers:",
  "u_str LISTEN 0      1      /tmp/sockl-ut/y 3 * 4",
  "tcp LISTEN 0 128 0.0.0.0:24 0.0.0.0:* 5 * 6",
  "udp UNCONN 0 0 0.0.0.0:53 0.0.0.0:* 279371            * 0    users:((\"python3\",pid=3567,fd=4)) <-> ino:2189186 dev:0/65024 peers:",
  "u_str LISTEN 0      1                              /tmp/sockl-ut/z 7 * 8",
  "LISTEN 0 128 [::]:25 [::]:* users:((\"sshd\",pid=1,fd=3)) 279372            * 0    users:((\"python3\",pid=3567,fd=5)) <-> ino:2189218 dev:0/65024 peers:",
  "u_dgr UNCONN 0      0                                                          @sockl 9 * 10",
  "udp UNCONN 0 0 0.0.0.0:69 0.0.0.0:* 279373            * 0    users:((\"python3\",pid=3567,fd=6)) <->                               ",
].join('\n') + '\n';
// (`ss -xan` of the same sockets: no process column)
const WHOLE_XAN = [
  "Netid State  Recv-Q Send-Q                                                                                         Local Address:Port   Peer Address:PortProcess",
  "u_str LISTEN 0      1                                                /tmp/sockl-ut/x 1 * 2",
  "tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 279370            * 0          ",
  "u_str LISTEN 0      1      /tmp/sockl-ut/y 3 * 4",
  "tcp LISTEN 0 128 0.0.0.0:24 0.0.0.0:* 5 * 6",
  "udp UNCONN 0 0 0.0.0.0:53 0.0.0.0:* 279371            * 0          ",
  "u_str LISTEN 0      1                              /tmp/sockl-ut/z 7 * 8",
  "LISTEN 0 128 [::]:25 [::]:* users:((\"sshd\",pid=1,fd=3)) 279372            * 0          ",
  "u_dgr UNCONN 0      0                                                          @sockl 9 * 10",
  "udp UNCONN 0 0 0.0.0.0:69 0.0.0.0:* 279373            * 0          ",
].join('\n') + '\n';

const WHOLE_NAMES = [
  '/tmp/sockl-ut/x 1 * 2\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:*',
  '/tmp/sockl-ut/y 3 * 4\ntcp LISTEN 0 128 0.0.0.0:24 0.0.0.0:* 5 * 6\nudp UNCONN 0 0 0.0.0.0:53 0.0.0.0:*',
  '/tmp/sockl-ut/z 7 * 8\nLISTEN 0 128 [::]:25 [::]:* users:(("sshd",pid=1,fd=3))',
  '@sockl 9 * 10\nudp UNCONN 0 0 0.0.0.0:69 0.0.0.0:*',
];

/**
 * The records of `text` as the evaluator gets them — thin rows where the rules allow (extensionWants), each
 * completed in socket() — and the line kinds.
 */
function viaThin(text: string | Buffer): { sockets: SocketRecord[]; kinds: ParseStats['kinds'] } {
  const sockets: SocketRecord[] = [];
  const wants = extensionWants(['netid', 'state', 'recvQ', 'sendQ']);
  const p = new SsParser({ file: 'test.out', services: builtinServices() }, {
    socket: (s) => {
      completeExtensions(s);
      sockets.push(s);
    },
    unparsed() {},
    extensionWants: () => wants,
  });
  p.write(text);
  return { sockets, kinds: p.end().kinds };
}

describe('a unix name with newlines whose first line reads as a whole unix row', () => {
  it('is one socket, and its later lines no rows of other tables (ss -xapn, -xapne, -xan)', () => {
    for (const text of [WHOLE_XAPN, WHOLE_XAPNE, WHOLE_XAN]) {
      const r = all(text);
      expect(r.unparsed).toEqual([]);
      expect(r.sockets.map((s) => [s.netid, s.location.line, s.local.address, s.local.port, s.peer.address, s.peer.port])).toEqual([
        ['u_str', 2, WHOLE_NAMES[0], 279370, '*', 0],
        ['u_str', 4, WHOLE_NAMES[1], 279371, '*', 0],
        ['u_str', 7, WHOLE_NAMES[2], 279372, '*', 0],
        ['u_dgr', 9, WHOLE_NAMES[3], 279373, '*', 0],
      ]);
      expect(r.stats.kinds).toMatchObject({ socket: 4, joined: 5, unparsed: 0 });
      if (text !== WHOLE_XAN) expect(r.sockets.map((s) => s.processes)).toEqual([3, 4, 5, 6].map((fd) => [{ name: 'python3', pid: 3567, fd }]));
      else expect(r.sockets.every((s) => s.processes === undefined)).toBe(true);
    }
    expect(all(WHOLE_XAPNE).sockets.map((s) => [s.shutdown, s.extra?.ino])).toEqual([['<->', '2189170'], ['<->', '2189186'], ['<->', '2189218'], ['<->', undefined]]);
  });

  it('is one socket in a table without a Netid column (ss -A unix_stream -apn)', () => {
    const r = all(WHOLE_USTREAM);
    expect(r.unparsed).toEqual([]);
    expect(r.sockets.map((s) => [s.netid, s.location.line, s.local.address, s.local.port])).toEqual([
      ['unknown', 2, WHOLE_NAMES[0], 279370], ['unknown', 4, WHOLE_NAMES[1], 279371], ['unknown', 7, WHOLE_NAMES[2], 279372],
    ]);
    expect(all(WHOLE_USTREAM, '-A unix_stream -apn').sockets.map((s) => s.netid)).toEqual(['u_str', 'u_str', 'u_str']);
  });

  it('is read so where rows are read thin too', () => {
    for (const text of [WHOLE_XAPN, WHOLE_XAN, WHOLE_USTREAM]) {
      const full = all(text);
      const thin = viaThin(text);
      expect(JSON.stringify(thin.sockets)).toBe(JSON.stringify(full.sockets));
      expect(thin.kinds).toEqual(full.stats.kinds);
    }
  });

  it('a row of another table after a unix row stays one when it has no bare number or * after its addresses, or the lines make no unix row', () => {
    const U = 'u_str LISTEN 0 1 /x 1 * 2\n';
    const rows2 = (text: string) => all(text).sockets.map((s) => [s.netid, s.location.line, s.local.address, s.local.port]);
    // items only (-e, -i words, a COMM holding numbers and *): real rows
    expect(rows2(U + 'tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* users:(("a 5 * 6",pid=1,fd=3)) uid:5 ino:7 sk:1 cgroup:/ <-> ts sack cubic\n')).toEqual([
      ['u_str', 1, '/x', 1], ['tcp', 2, '0.0.0.0', 23],
    ]);
    // bare numbers, but the lines would make a name longer than 108 bytes, or no NAME INODE PEER INODE
    expect(rows2(U + `tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* ${'x'.repeat(100)} 5 * 6\n`)).toEqual([['u_str', 1, '/x', 1], ['tcp', 2, '0.0.0.0', 23]]);
    expect(rows2(U + 'tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 5 *\n')).toEqual([['u_str', 1, '/x', 1], ['tcp', 2, '0.0.0.0', 23]]);
    // a unix row after a unix row is one of its own; so is a row after a comment line
    expect(rows2(U + 'u_str LISTEN 0 1 /y 3 * 4\n')).toEqual([['u_str', 1, '/x', 1], ['u_str', 2, '/y', 3]]);
    expect(rows2(U + '# note\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 5 * 6\n')).toEqual([['u_str', 1, '/x', 1], ['tcp', 3, '0.0.0.0', 23]]);
    // a bare number after a row of another table that no unix row precedes: kept in extra, as before
    expect(all('tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 5 * 6\n').sockets.map((s) => s.extra)).toEqual([{ 5: true, '*': true, 6: true }]);
  });

  it('whose later line is a packet row is one socket too; so is one whose first line was joined', () => {
    const r = all('u_str ESTAB 0 0 /x 1 * 2\np_raw UNCONN 0 0 *:eth0 * 5 * 6\nudp UNCONN 0 0 0.0.0.0:53 0.0.0.0:* 7 * 8\n');
    expect(r.sockets.map((s) => [s.netid, s.local.address, s.local.port, s.peer.port])).toEqual([
      ['u_str', '/x 1 * 2\np_raw UNCONN 0 0 *:eth0 * 5 * 6\nudp UNCONN 0 0 0.0.0.0:53 0.0.0.0:*', 7, 8],
    ]);
    const j = all('u_str LISTEN 0 1 /a\nb 1 * 2\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 5 * 0 users:(("py",pid=9,fd=3))\n');
    expect(j.sockets.map((s) => [s.netid, s.local.address, s.local.port, s.processes])).toEqual([
      ['u_str', '/a\nb 1 * 2\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:*', 5, [{ name: 'py', pid: 9, fd: 3 }]],
    ]);
    expect(j.stats.kinds).toMatchObject({ socket: 1, joined: 2 });
  });
});

describe('a byte range (a parser started from a seed) whose first row may end a unix row before it', () => {
  const seeded = (text: string): ParseStats => {
    const p = new SsParser({ file: 'test.out', seed: { lineNo: 40, meta: {} } }, { socket() {}, unparsed() {} });
    p.write(text);
    return p.end();
  };

  it('notes it, so that a split scan reads the file whole', () => {
    expect(seeded('tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 279370            * 0    users:(("python3",pid=3567,fd=3))\n').lineNotes).toBe(1);
    // rows that end no unix row, and a later row of the range
    expect(seeded('tcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* users:(("sshd",pid=1,fd=3))\nu_str LISTEN 0 1 /x 1 * 2\n').lineNotes).toBe(0);
    expect(seeded('tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:* 5 * 6\n').lineNotes).toBe(0);
  });
});

// Real captures (fixtures/unix-newline/README.md): sockets bound at names whose later lines are whole rows of
// other tables, whole unix rows, or the start of one; ss 6.1 with and without -p, -O, -H, -a, -t and a Netid column.
const CAPTURES = path.resolve(__dirname, '../../fixtures/unix-newline');
const captures = fs.readdirSync(CAPTURES).filter((f) => f.endsWith('.ss')).sort();
const HOSTILE = [
  '/tmp/s/x 1 * 2\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:*\ny',
  '@z 5 * 6\nu_str LISTEN 0 1 @evil 7 * 8\nq',
  '@y 3 * 4\nu_str LISTEN 0 1 /tmp/evil',
  '@\ntcp LISTEN 0 128 0.0.0.0:26 0.0.0.0:*\nk',
  '@r 1 * 2\r\ntcp LISTEN 0 128 0.0.0.0:25 0.0.0.0:*\r\nw',
  '@u\ufffd 1 * 2\ntcp LISTEN 0 128 0.0.0.0:27 \ufffd0.0.0.0:*\nz',
];
const DGRAM = '@w 9 * 10\nudp UNCONN 0 0 0.0.0.0:69 0.0.0.0:*\nv';
/** The child's socket: a truncated UTF-8 sequence in its name's last line, and in its process name (-p). */
const CHILD = '@n 1 * 2\nudp UNCONN 0 0 0.0.0.0:70 0.0.0.0:*\nm\ufffd';
/** A capture's bytes as ss wrote them, one latin1 character each (Buffer.from(…, 'latin1') gives them back). */
const capture = (f: string) => fs.readFileSync(path.join(CAPTURES, f), 'latin1');
const bytes = (text: string) => Buffer.from(text, 'latin1');
const flagsOf = (f: string) => f.slice(2, -3);

describe('real captures of names whose later lines read as rows (fixtures/unix-newline)', () => {
  it('are all there', () => expect(captures.length).toBeGreaterThanOrEqual(15));

  it.each(captures)('%s: each name is one socket with its INODE and process, and no line of a name is a row', (f) => {
    const r = all(bytes(capture(f)));
    const p = flagsOf(f).includes('p');
    const stream = f.includes('unix_stream');
    const unix = r.sockets.filter((s) => s.netid.startsWith('u_') || s.netid === 'unknown');
    const names = ['/tmp/s/srv', '/tmp/s/srv', '*', ...HOSTILE, ...(stream ? [] : [DGRAM]), ...(p ? [] : [CHILD])];
    expect(unix.map((s) => s.local.address).sort()).toEqual(names.sort());
    // the rows of other tables are the real ones: netlink (-a) and the tcp listener on 127.0.0.1:8080
    expect(r.sockets.filter((s) => !unix.includes(s)).every((s) => s.netid === 'nl' || (s.netid === 'tcp' && (s.local.port ?? s.local.portName) === (flagsOf(f).includes('n') ? 8080 : 'http-alt')))).toBe(true);
    // the INODEs are the sockets' own (> 1000), not the numbers in the names
    expect(unix.every((s) => typeof s.local.port === 'number' && s.local.port > 1000)).toBe(true);
    if (p) expect(unix.every((s) => s.processes?.length === 1 && s.processes[0].name === 'python3')).toBe(true);
    // with -p, where the child's row ends cannot be told (a U+FFFD on both sides of its INODE's column): reported
    expect(r.unparsed.map((u) => u.reason)).toEqual(p ? [expect.stringMatching(/^unix socket name with newlines and bytes that are not UTF-8/)] : []);
    if (p) expect(r.unparsed[0].text.endsWith('@n 1 * 2')).toBe(true);
  });

  it('read the same saved through a terminal (CR LF line ends)', () => {
    for (const f of captures) {
      const text = capture(f);
      const names = (t: string) => all(bytes(t)).sockets.map((s) => [s.netid, s.location.line, s.local.address, s.local.port]);
      expect(names(text.replace(/\n/g, '\r\n'))).toEqual(names(text));
    }
  });

  it('are read so where rows are read thin too', () => {
    for (const f of captures) {
      const text = bytes(capture(f));
      const full = all(text);
      const thin = viaThin(text);
      expect(JSON.stringify(thin.sockets)).toBe(JSON.stringify(full.sockets));
      expect(thin.kinds).toEqual(full.stats.kinds);
    }
  });

  it('give no finding on the ports in the names (dangerous-port-exposed)', async () => {
    const rules = ConfiguredRules.load(loadConfig(undefined), [], true, 1000);
    for (const f of captures) {
      const file = path.join(CAPTURES, f);
      const r = await scanSnapshot({ path: file, label: f }, { rules });
      expect('findings' in r && r.findings.filter((x) => x.ruleId === 'dangerous-port-exposed')).toEqual([]);
    }
  });

  it('are read as before where a table is not aligned so (an edited file): its unix rows as they read', () => {
    const header = 'Netid State  Recv-Q Send-Q                 Local Address:Port   Peer Address:Port Process\n';
    const rows = 'u_str LISTEN 0 1 /a 10 * 0\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nu_str ESTAB 0 0 * 11 * 12\nu_str ESTAB 0 0 * 12 * 11\n';
    const read = (t: string) => all(t).sockets.map((s) => [s.netid, s.local.address, s.local.port, s.peer.port]);
    expect(read(header + rows)).toEqual(read(rows));
    expect(read(header + rows)).toEqual([['u_str', '/a', 10, 0], ['tcp', '0.0.0.0', 22, null], ['u_str', '*', 11, 12], ['u_str', '*', 12, 11]]);
    // a short row after a longer one, the row after it with INODE * PEERINODE where the column of the one before
    // falls: its PEERINODE is not where that row's was (peerCol), so no name is made of them
    const odd = [
      'u_dgr     LISTEN    1777821    16         /yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy   1360972  *    1172253',
      'u_dgr   UNCONN      17 16    @é 6   *       1127382',
      'LISTEN   1133081      639531   /run/x.sock 552847 *   9',
    ].join('\n') + '\n';
    expect(all(odd).sockets.map((s) => [s.location.line, s.local.address, s.local.port])).toEqual([
      [1, '/yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy  ', 1360972], [2, '@é', 6], [3, '/run/x.sock', 552847],
    ]);
  });

  it('are read by each render batch\'s own column (ss >= 4.20 may widen the columns every ~5 MiB of output)', () => {
    const text = capture('ss-xa.ss');
    const [header, ...body] = text.split('\n');
    // a second batch one column wider: ss pads each row's first line (a name's later lines are the name's)
    const starts = new Set(all(bytes(text)).sockets.map((s) => s.location.line - 2));
    const wider = body.map((l, i) => (starts.has(i) ? l.replace(/^(\S+ +\S+ +\S+ +\S+ +)/, '$1 ') : l));
    const r = all(bytes([header, ...body.slice(0, -1), ...wider].join('\n')));
    expect(r.unparsed).toEqual([]);
    const names = all(bytes(text)).sockets.map((s) => s.local.address);
    expect(r.sockets.map((s) => s.local.address)).toEqual([...names, ...names]);
  });
});

/**
 * The lines a capture holds from its start until its rows tell the column of ports — a capture without a header
 * that starts with a unix row (SsParser.probeLine) — as the first cut after which the parser has a clean boundary.
 */
function probeEnd(lines: string[]): number {
  if (!/^u_/.test(lines[0])) return 0;
  const p = new SsParser({ file: 'test.out', services: builtinServices() }, { socket() {}, unparsed() {} });
  for (let k = 1; k < lines.length; k++) {
    p.write(bytes(lines[k - 1] + '\n'));
    if (p.checkpoint() !== undefined) return k - 1;
  }
  return lines.length;
}

describe('a capture cut into two byte ranges at any line (as split.ts cuts)', () => {
  /** A parser collecting what it makes. */
  const collector = (seed?: ReturnType<SsParser['checkpoint']>) => {
    const out = { sockets: [] as SocketRecord[], unparsed: [] as UnparsedLine[] };
    const p = new SsParser({ file: 'test.out', services: builtinServices(), seed }, { socket: (s) => out.sockets.push(s), unparsed: (u) => out.unparsed.push(u) });
    return { p, out };
  };

  it('gives the parse of the whole file, or the cut is refused: inside a name, or where the second range would read a name by the wrong column', () => {
    let atUnix = 0;
    for (const f of captures) {
      const text = capture(f);
      const whole = parse(bytes(text));
      const rows = new Map(whole.sockets.map((s) => [s.location.line, s.local.address.includes('\n')]));
      const lines = text.split('\n');
      for (let k = 1; k < lines.length - 1; k++) {
        // lines[k] is line k + 1: the start of a row of one line, of a name with newlines, or neither (a later line of one)
        const name = rows.get(k + 1);
        const first = collector();
        first.p.write(bytes(lines.slice(0, k).join('\n') + '\n'));
        const seed = first.p.checkpoint();
        if (seed === undefined) {
          // inside a name; or, in a capture without a header that starts with a unix row, among the lines held until
          // rows tell the column (SsParser.probeLine)
          if (k > probeEnd(lines)) expect({ f, k, name }).toEqual({ f, k, name: undefined });
          continue;
        }
        const second = collector(seed);
        second.p.write(bytes(lines.slice(k).join('\n')));
        const s2 = second.p.end();
        const s1 = first.p.end();
        const taken = s2.lineNotes === 0 && samePort(seed, s2);
        if (name !== undefined) expect({ f, k, taken }).toEqual({ f, k, taken: !name });
        if (!taken) continue;
        if (/^u_/.test(lines[k])) atUnix++;
        expect(JSON.stringify([...first.out.sockets, ...second.out.sockets])).toBe(JSON.stringify(whole.sockets));
        expect([...first.out.unparsed, ...second.out.unparsed]).toEqual(whole.unparsed);
        for (const [key, n] of Object.entries(whole.stats.kinds)) expect(s1.kinds[key as keyof ParseStats['kinds']] + s2.kinds[key as keyof ParseStats['kinds']]).toBe(n);
      }
    }
    // (a range that starts at a unix row of one line reads it by that row's column, the first range's)
    expect(atUnix).toBeGreaterThan(25); // (fewer in the -H captures' first lines, held until rows tell the column)
  });
});

// Real captures without a header whose first row is such a name (fixtures/unix-newline-first/README.md): no header
// or row before it tells the column of ports, which the rows after its name do (SsParser.probeLine).
describe('real captures without a header whose first row is a name with newlines (fixtures/unix-newline-first)', () => {
  const FIRST = path.resolve(__dirname, '../../fixtures/unix-newline-first');
  const read = (f: string) => all(fs.readFileSync(path.join(FIRST, f)));
  const sockets = (r: ReturnType<typeof read>) => r.sockets.map((s) => [s.netid, s.local, s.peer, s.processes]);

  it.each([
    ['tcp', '-Hxa', '-xa'], ['tcp', '-Hxap', '-xa'], ['tcp', '-Htuxanp', '-tuxanp'],
    ['unix', '-Hxa', '-xa'], ['unix', '-Hxap', '-xa'], ['unix', '-Htuxanp', '-tuxanp'],
  ])('%s ss%s: its lines make one socket, as with a header (ss%s)', (tag, flags, headed) => {
    const r = read(`${tag}.ss${flags}.ss`);
    expect(r.unparsed).toEqual([]);
    expect(r.sockets.filter((s) => s.local.port === 23)).toEqual([]);
    expect(r.sockets[0].local.address).toMatch(/^\/tmp\/s\/x 1 \* 2\ntcp LISTEN 0 128 0\.0\.0\.0:23 0\.0\.0\.0:\*\n(y|u_str LISTEN 0 1 @evil)$/);
    // (the same sockets, but for the process column: -Hxap's is compared by its table's shape alone)
    const h = sockets(read(`${tag}.ss${headed}.ss`));
    const shape = (x: unknown[][]) => (flags === '-Hxap' ? x.map((s) => s.slice(0, 3)) : x);
    expect(shape(sockets(r))).toEqual(shape(h));
  });
});
