/**
 * Numbers are exact or reported (src/snapshot/fields.ts, "What a value may be"): a value beyond 2^53 - 1, a
 * negative one where the kernel's counter is unsigned, NaN or an infinity, a port beyond 65535, a pid beyond
 * 2^31 - 1 is neither rounded nor kept in `extra`: its row is an unparsed line (a port, a queue), or its item is
 * left out of the socket and the line reported (TCP info, skmem, -e items, a process entry, a rate). What is
 * reported never depends on the rules (the lazy and thin parses check what they leave unread).
 */
import * as path from 'path';
import { execFileSync } from 'child_process';
import fc from 'fast-check';
import { SsParser, type ParseStats } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import { completeExtensions, extensionWants, type ExtensionWants } from '../../src/snapshot/fields';
import type { SocketRecord, UnparsedLine } from '../../src/snapshot/types';
import { expectAccounted, feed, parse, sortedKeys } from './helpers';

const HEADER = 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
const services = builtinServices();

/** The one unparsed line of `text`'s parse (and the parse), checking that every line is accounted for. */
function only(text: string) {
  const r = parse(text);
  expectAccounted(r.stats);
  expect(r.unparsed).toHaveLength(1);
  return { ...r, u: r.unparsed[0] };
}

describe('process entries', () => {
  it('report an entry whose pid does not read, with its COMM, and keep the socket (no entry is dropped silently)', () => {
    for (const pid of ['99999999999999999999', '18446744073709551616', '2147483648', '-1', '1e3', '']) {
      const text = `${HEADER}LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* users:(("mysqld",pid=${pid},fd=3),("other",pid=7,fd=4))\n`;
      const { sockets, u, stats } = only(text);
      expect(stats.kinds.socket).toBe(0);
      expect(u).toMatchObject({ line: 2 });
      expect(u.reason).toContain('"mysqld"');
      expect(u.reason).toContain('pid');
      expect(sockets).toHaveLength(1);
      expect(sockets[0].processes).toEqual([{ name: 'other', pid: 7, fd: 4 }]);
    }
  });

  it('keep an entry whose fd or tid does not read without it, and report it', () => {
    const { sockets, u } = only(`${HEADER}ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("sshd",pid=812,tid=99999999999999999999,fd=-3))\n`);
    expect(sockets[0].processes).toEqual([{ name: 'sshd', pid: 812 }]);
    expect(u.reason).toMatch(/2 items not read.*tid.*fd/);
  });

  it('read the largest ids (2^31 - 1) and ss ≤ 3.13 positional entries', () => {
    const r = parse(`${HEADER}ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("a",pid=2147483647,fd=2147483647),("b",4194304,0))\n`);
    expect(r.unparsed).toEqual([]);
    expect(r.sockets[0].processes).toEqual([{ name: 'a', pid: 2147483647, fd: 2147483647 }, { name: 'b', pid: 4194304, fd: 0 }]);
  });
});

describe('TCP info, skmem and -e items', () => {
  const row = (cont: string, ext = 'ino:1 sk:1 <->') => `${HEADER}ESTAB 0 0 10.0.0.1:8081 10.0.0.2:40000 users:(("app1",pid=100,fd=3)) ${ext}\n\t ${cont}\n`;

  it.each([
    ['skmem:(r0,rb1,t0,tb1,f0,w0,o0,bl0,d18446744073709551616) cubic rtt:1/2', 'd18446744073709551616'],
    ['skmem:(r0,rb1,t0,tb1,f0,w0,o0,bl0,d-5) cubic rtt:1/2', 'd-5'],
    ['skmem:(r0,rb1,t0,tb1,f0,w0,o0,bl0,d9007199254740992) cubic rtt:1/2', 'd9007199254740992'],
    ['cubic rtt:1e309/1', 'rtt:1e309/1'],
    ['cubic rtt:NaN/NaN', 'rtt:NaN/NaN'],
    ['cubic rtt:-3/0', 'rtt:-3/0'],
    ['cubic rtt:1/x', 'rtt:1/x'],
    ['cubic rto:18446744073709551616 rtt:1/2', 'rto:18446744073709551616'],
    ['cubic lastsnd:9007199254740993 rtt:1/2', 'lastsnd:9007199254740993'],
    ['cubic segs_out:999999999999999999991 rtt:1/2', 'segs_out:999999999999999999991'],
    ['cubic cwnd:-1 rtt:1/2', 'cwnd:-1'],
    ['cubic rto:0x10 rtt:1/2', 'rto:0x10'],
    ['cubic rtt:1/2 retrans:0.5/3', 'retrans:0.5/3'],
    ['cubic wscale:7,-7 rtt:1/2', 'wscale:7,-7'],
    ['cubic rtt:1/2 busy:5', 'busy:5'],
    ['cubic rtt:1/2 busy:5ms rwnd_limited:5ms(x%)', 'rwnd_limited:5ms(x%)'],
    ['cubic rtt:1/2 send -5bps', 'send -5bps'],
    ['cubic rtt:1/2 send 1e400bps', 'send 1e400bps'],
    ['cubic rtt:1/2 pacing_rate 1Mbps/NaNbps', 'pacing_rate 1Mbps/NaNbps'],
    ['cubic rtt:1/2 delivery_rate', 'delivery_rate'],
  ])('%s: reported (%s), not read, not in extra', (cont, item) => {
    const { sockets, u, stats } = only(row(cont));
    expect(u.line).toBe(3);
    expect(u.reason).toContain(item);
    expect(stats.kinds.continuation).toBe(0);
    const s = sockets[0];
    expect(s.extra).toBeUndefined();
    expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity|e\+/);
    expect(s.netid).toBe('tcp'); // the socket is kept, with what reads
  });

  it.each([
    ['uid:18446744073709551616', 'uid:18446744073709551616'],
    ['ino:-1 sk:1', 'ino:-1'],
    ['v6only:2', 'v6only:2'],
    ['timer:(on,200ms,-1)', 'timer:(on,200ms,-1)'],
  ])('%s on the row: the row reported (%s), its socket kept', (ext, item) => {
    const { sockets, u } = only(row('cubic rtt:1/2', ext));
    expect(u.line).toBe(2);
    expect(u.reason).toContain(item);
    expect(sockets[0].tcp).toMatchObject({ rtt: 1, rttvar: 2 });
    expect(sockets[0].extra).toBeUndefined();
  });

  it('keep a timer whose TIME is not of the grammar without its expiry, and report it; an absurd one is null, as before', () => {
    const { sockets, u } = only(row('cubic rtt:1/2', 'timer:(keepalive,NaNsec,0)'));
    expect(sockets[0].timer).toEqual({ name: 'keepalive', expiresMs: null, retrans: 0 });
    expect(u.reason).toContain('timer:(keepalive,NaNsec,0)');
    const absurd = parse(row('cubic rtt:1/2', 'timer:(on,9999999min,0)'));
    expect(absurd.unparsed).toEqual([]);
    expect(absurd.sockets[0].timer).toEqual({ name: 'on', expiresMs: null, retrans: 0 });
  });

  it('read values up to 2^53 - 1 exactly, and the forms ss prints', () => {
    const r = parse(row('skmem:(r9007199254740991,rb1,t0,tb1,f0,w0,o0,bl0,d0) ts sack cubic wscale:7,7 rto:204 rtt:0.032/0.015 ' +
      'bytes_acked:9007199254740991 rcv_rtt:1.23457e+06 send 1.5Tbps pacing_rate 9.92Mbps/1e+03kbps delivery_rate 55Gbps busy:5ms ' +
      'rwnd_limited:12ms(3.4%) retrans:0/41', 'timer:(on,3.500ms,2) uid:1000 ino:0 sk:1 v6only:1 <->'));
    expect(r.unparsed).toEqual([]);
    const s = r.sockets[0];
    expect(s.skmem!.r).toBe(9007199254740991);
    expect(s.tcp).toMatchObject({
      bytesAcked: 9007199254740991, rcvRtt: 1234570, rtt: 0.032, rttvar: 0.015, send: 1.5e12, pacingRate: 9.92e6, pacingRateMax: 1e6,
      deliveryRate: 55e9, busy: 5, rwndLimited: 12, rwndLimitedPct: 3.4, retrans: 0, retransTotal: 41, wscaleSnd: 7, wscaleRcv: 7,
    });
    expect(s.timer).toEqual({ name: 'on', expiresMs: 3500, retrans: 2 });
    expect(s.extra).toBeUndefined();
  });

  it('keep unknown skmem and mem items in extra (only known keys must read)', () => {
    const r = parse(row('skmem:(r0,rb1,t0,tb1,f0,w0,o0,bl0,d0,x9) mem:(r1,w2,f3,t4,q5) cubic rtt:1/2'));
    expect(r.unparsed).toEqual([]);
    expect(r.sockets[0].extra).toEqual({ skmem: 'x9', mem: 'q5' });
  });
});

describe('main columns', () => {
  it.each([
    ['LISTEN 0 128 0.0.0.0:99999 0.0.0.0:*', 'local port 99999'],
    ['LISTEN 0 128 0.0.0.0:-1 0.0.0.0:*', 'local port -1'],
    ['LISTEN 0 128 0.0.0.0:4294967296 0.0.0.0:*', 'local port 4294967296'],
    ['ESTAB 0 0 10.0.0.1:65536 10.0.0.2:40000', 'local port 65536'],
    ['ESTAB 0 0 10.0.0.1:22 [::1]:99999999999999999999', 'peer port 99999999999999999999'],
    ['LISTEN -7 128 0.0.0.0:22 0.0.0.0:*', 'Recv-Q -7'],
    ['ESTAB 9007199254740993 0 10.0.0.1:8080 10.0.0.2:40000', 'Recv-Q 9007199254740993'],
    ['ESTAB 18446744073709551616 0 10.0.0.1:8080 10.0.0.2:40000', 'Recv-Q 18446744073709551616'],
    ['ESTAB 0 -2 10.0.0.1:8080 10.0.0.2:40000', 'Send-Q -2'], // (-1 is ss -E's udp socket destroyed: events.test.ts)
    ['ESTAB 0 9007199254740992 10.0.0.1:8080 10.0.0.2:40000', 'Send-Q 9007199254740992'],
    ['ESTAB 1e3 0 10.0.0.1:8080 10.0.0.2:40000', 'Recv-Q 1e3'], // (where the header says the queues are)
  ])('%s: an unparsed line naming the column (%s)', (line, why) => {
    // with a header, and without one (ss -H: a number in the queue's place is its)
    for (const text of why.includes('1e3') ? [`${HEADER}${line}\n`] : [`${HEADER}${line}\n`, `tcp   ${line}\n`]) {
      const r = parse(text);
      expectAccounted(r.stats);
      expect(r.sockets).toEqual([]);
      expect(r.unparsed).toHaveLength(1);
      expect(r.unparsed[0].reason).toContain(why);
    }
  });

  it('read ports 0 and 65535 and queues up to 2^53 - 1', () => {
    const r = parse(`${HEADER}LISTEN 9007199254740991 0 0.0.0.0:65535 0.0.0.0:0\nESTAB 0 00012 10.0.0.1:0 10.0.0.2:065535\n`);
    expect(r.unparsed).toEqual([]);
    expect(r.sockets.map((s) => [s.recvQ, s.sendQ, s.local.port, s.peer.port])).toEqual([[9007199254740991, 0, 65535, 0], [0, 12, 0, 65535]]);
  });
});

describe('ss -s', () => {
  it('reports a number beyond 2^53 - 1 instead of rounding it, and keeps what reads', () => {
    const text = 'Total: 18446744073709551616 (kernel 9007199254740993)\nTCP:   -5 (estab 32, closed 79, orphaned 0, timewait 17)\n\n' +
      'Transport Total     IP        IPv6\nRAW\t  0         0         0\nUDP\t  6         4         2\nTCP\t  99999999999999999999        25        25\n\n';
    const r = parse(text);
    expectAccounted(r.stats);
    expect(r.unparsed.map((u) => [u.line, u.reason.includes('Total 18446744073709551616') || u.reason.includes('TCP Total 99999999999999999999')]))
      .toEqual([[1, true], [7, true]]);
    expect(r.summaries).toHaveLength(1);
    const s = r.summaries[0];
    expect(s.total).toBeUndefined();
    expect(s.kernel).toBeUndefined();
    expect(s.tcp).toEqual({ total: -5, estab: 32, closed: 79, orphaned: 0, timewait: 17 }); // closed may be computed negative
    expect(s.transport).toEqual({ RAW: { total: 0, ip: 0, ipv6: 0 }, UDP: { total: 6, ip: 4, ipv6: 2 } });
  });

  it('reports an item of the TCP line it does not know', () => {
    const r = parse('Total: 5\nTCP:   3 (estab 1, closed 1, weird 2)\n');
    expect(r.unparsed.map((u) => u.line)).toEqual([2]);
    expect(r.unparsed[0].reason).toContain('weird 2');
    expect(r.summaries[0].tcp).toEqual({ total: 3, estab: 1, closed: 1 });
  });
});

// ── whatever the rules: the lazy parse (items no rule reads left unread) and the thin one report the same ──

interface Run {
  recs: SocketRecord[];
  unparsed: UnparsedLine[];
  stats: ParseStats;
}

function run(text: string, wants?: ExtensionWants, seed?: number): Run {
  const recs: SocketRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const p = new SsParser({ file: 'x.ss', services }, {
    socket: (r) => {
      completeExtensions(r); // (before socket() returns: a thin record reads the chunk)
      recs.push(r);
    },
    unparsed: (u) => unparsed.push(u),
    ...(wants ? { extensionWants: () => wants } : {}),
  });
  feed(p, text, seed);
  return { recs, unparsed, stats: p.end() };
}

/** Rule field sets: none of them reads the items that do not read in the texts below, but the first. */
const FIELD_SETS: string[][] = [
  ['netid', 'state', 'tcp.rtt', 'tcp.rto', 'tcp.lastsnd', 'skmem.d', 'uid', 'process.name', 'tcp.send'],
  ['netid', 'state'],
  ['netid', 'state', 'tcp.backoff'],
  ['netid', 'state', 'tcp.rtt', 'tcp.retrans', 'skmem.d', 'timer.name'], // (the default pack's ESTAB reads, much like)
  ['netid', 'state', 'local.port', 'process.pid'],
  ['netid', 'state', 'cgroup', 'tcp.cwnd'],
  ['netid', 'state', 'tcp.rtt'], // (TCP info read, skmem left unread)
];

function agree(text: string, label: string): void {
  const full = run(text);
  expectAccounted(full.stats);
  for (const fields of FIELD_SETS) {
    const wants = extensionWants(fields);
    for (const seed of [undefined, 3]) {
      const got = run(text, wants, seed);
      const what = `${label} [${fields.join(' ')}]${seed === undefined ? '' : ' in chunks'}`;
      expect({ what, unparsed: got.unparsed }).toEqual({ what, unparsed: full.unparsed });
      expect({ what, kinds: got.stats.kinds, fields: [...got.stats.fields].sort() }).toEqual({ what, kinds: full.stats.kinds, fields: [...full.stats.fields].sort() });
      expect({ what, recs: sortedKeys(got.recs) }).toEqual({ what, recs: sortedKeys(full.recs) });
    }
  }
}

/** Rows that show every field group and a tcp object first (so a lazy pass may leave the rest unread). */
const FIRST = 'ESTAB 0 0 10.0.0.1:22 10.0.0.2:5 users:(("a",pid=1,fd=2)) timer:(on,1sec,0) uid:1 ino:1 sk:1 <->\n' +
  '\t skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) ts sack cubic wscale:7,7 rto:204 rtt:1/2 mss:1448 send 10Mbps\n';
const PLAIN_ROW = 'ESTAB 0 0 10.0.0.1:22 10.0.0.2:6 ino:2 sk:2\n';

describe('what is reported does not depend on the rules', () => {
  const rows: [string, string][] = [
    // [row's extension text, continuation line]: one item that does not read, in the text a lazy pass searches
    // (searchRest), walks or a thin row skips
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) ts sack cubic rto:204 rtt:1/2 mss:1448 segs_out:99999999999999999999 lastrcv:5'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d-3) ts sack cubic rto:204 rtt:1/2'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 cwnd:-10'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 minrtt:NaN'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 ato:1e309'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 wscale:7.5,7'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 retrans:0/1.5'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 busy:12'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 retrans:1.5 lastsnd:5'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 busy:1.5 lastsnd:5'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 rto:1/5'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 ato:4,4'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 lastsnd:5ms'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 busy:3ms sndbuf_limited:1ms(-1%)'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 send -10bps lastsnd:4'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 pacing_rate 10bps/99999999999999999999bps'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 delivery_rate'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2 send rto:5'],
    ['uid:1 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:-1/2'],
    ['uid:99999999999999999999 ino:1 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['uid:1 ino:1.5 sk:1 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['uid:1 ino:1 sk:1 v6only:7 <->', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['users:(("x",pid=99999999999,fd=1)) uid:1 ino:1 sk:1', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['users:(("x",pid=2147483648,fd=1)) uid:1 ino:1 sk:1', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['users:(("x",pid=1,fd=2147483648)) uid:1 ino:1 sk:1', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['timer:(on,1sec,-1) uid:1 ino:1 sk:1', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
    ['timer:(on,-1sec,1) uid:1 ino:1 sk:1', 'skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d3) cubic rtt:1/2'],
  ];
  it.each(rows)('%s / %s', (ext, cont) => {
    const row = `ESTAB 0 0 10.0.0.1:22 10.0.0.2:7 ${ext}\n\t ${cont}\n`;
    // the bad row between plain ones (read thin), and last (read in full: a chunk's last row), -O (one line)
    const texts = [HEADER + FIRST + row + PLAIN_ROW + PLAIN_ROW, HEADER + FIRST + PLAIN_ROW + row, HEADER + FIRST + row.replace('\n\t', '') + PLAIN_ROW];
    for (const text of texts) {
      expect(parse(text).unparsed.length).toBeGreaterThan(0);
      agree(text, JSON.stringify(text));
    }
  });

  it('a row whose port or queue is out of range among plain rows (read thin), and its process ids', () => {
    for (const bad of [
      'ESTAB 0 0 10.0.0.1:99999 10.0.0.2:5', 'ESTAB 0 0 10.0.0.1:22 10.0.0.2:65536', 'ESTAB 0 0 10.0.0.1:22 [::1]:70000', 'ESTAB 9007199254740993 0 10.0.0.1:22 10.0.0.2:5',
      'ESTAB 0 0 10.0.0.1:22 10.0.0.2:5 users:(("x",pid=2147483648,fd=3))', 'ESTAB 0 0 10.0.0.1:22 10.0.0.2:5 users:(("x",pid=3,fd=4294967295))',
    ]) {
      for (const header of [HEADER, '# flags: -tanp\n' + HEADER, 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n']) {
        const row = (l: string) => (header.startsWith('Netid') ? `tcp ${l}\n` : `${l}\n`);
        const text = header + row(FIRST.split('\n')[0]) + row('ESTAB 0 0 10.0.0.1:22 10.0.0.2:6') + row(bad) + row('ESTAB 0 0 10.0.0.1:22 10.0.0.2:8') + row('ESTAB 0 0 10.0.0.1:22 10.0.0.2:9');
        expect(parse(text).unparsed).toHaveLength(1);
        agree(text, JSON.stringify(text));
      }
    }
  });

  it('generated -tanpmioe sockets with numbers out of range put in (property)', () => {
    const gen = path.resolve(__dirname, '../../bench/generate.js');
    const lines = execFileSync(process.execPath, [gen, '--sockets', '200', '--layout', 'tanpmioe', '--seed', '9'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
    const header = `${lines[0]}\n`;
    const sockets: string[] = [];
    for (const l of lines.slice(1)) {
      if (l === '') continue;
      if (l.startsWith('\t') && sockets.length > 0) sockets[sockets.length - 1] += `\n${l}`;
      else sockets.push(l);
    }
    const numbers = ['-', '-0', '99999999999999999999', '9007199254740993', '9007199254740991', 'e309', 'e+06', '.5', 'NaN', 'x', '0x', '5ms', '/7', ',7', '(1%)', '999999'];
    const mutation = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...numbers), fc.boolean());
    fc.assert(
      fc.property(fc.array(fc.nat(sockets.length - 1), { minLength: 3, maxLength: 8 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (picks, muts) => {
        const rows = picks.map((i) => sockets[i]);
        for (const [r, at, piece, before] of muts) {
          // next to a digit: a number made longer, negative, fractional, exponential, of another form
          const line = rows[r % rows.length];
          const digits = [...line.matchAll(/\d/g)].map((m) => m.index);
          if (digits.length === 0) continue;
          const pos = digits[at % digits.length] + (before ? 0 : 1);
          rows[r % rows.length] = line.slice(0, pos) + piece + line.slice(pos);
        }
        const text = header + rows.join('\n') + '\n';
        agree(text, JSON.stringify(text));
      }),
      { numRuns: 150, seed: Number(process.env.SEED ?? 1) },
    );
  });
});
