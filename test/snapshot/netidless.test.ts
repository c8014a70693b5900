/**
 * Real captures of ss's one-table queries, which print no Netid column (fixtures/netidless: raw, udp, mptcp,
 * netlink): what the rows tell of their table (SsParser.inferNetid), and the ports read for it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectAccounted, parse } from './helpers';

const DIR = path.resolve(__dirname, '../../fixtures/netidless');
const read = (name: string, flags?: string) => {
  const r = parse(fs.readFileSync(path.join(DIR, name), 'utf8'), name, flags);
  expectAccounted(r.stats);
  expect(r.unparsed).toEqual([]);
  return r;
};

describe('ss -w without -n: the port field holds the IP protocol by name', () => {
  it.each(['ss-wa.ss', 'ss-Hwa.ss'])('%s: every row is raw, its port the protocol number (l2tp, also a udp service, too)', (name) => {
    const r = read(name);
    expect(r.sockets.map((s) => [s.netid, s.local.portName, s.local.port]).sort((a, b) => (a[2] as number) - (b[2] as number))).toEqual([
      ['raw', 'icmp', 1], ['raw', 'tcp', 6], ['raw', 'udp', 17], ['raw', 'gre', 47], ['raw', 'esp', 50], ['raw', 'ipv6-icmp', 58],
      ['raw', 'l2tp', 115], ['raw', 'ipproto-253', 253],
    ]);
    expect(r.sockets.find((s) => s.local.portName === 'udp')!.netidInferred).toBe('raw: the port field holds the IP protocol udp');
    expect(r.sockets.find((s) => s.local.portName === 'l2tp')!.netidInferred).toMatch(/^raw: same table as line \d+ \(raw: the port field holds the IP protocol [a-z0-9-]+\)$/);
    expect(r.stats.unknownPorts).toEqual({});
  });

  it('a raw socket of protocol udp alone is raw, not a udp socket on a port named udp', () => {
    const text = fs.readFileSync(path.join(DIR, 'ss-wa.ss'), 'utf8').split('\n');
    const r = parse([text[0], text.find((l) => l.includes(':udp '))!, ''].join('\n'));
    expect(r.sockets.map((s) => [s.netid, s.local.port, s.netidInferred])).toEqual([['raw', 17, 'raw: the port field holds the IP protocol udp']]);
  });

  it('with -n the protocol is a number: udp assumed unless the capture flags say -w', () => {
    expect(read('ss-wan.ss').sockets.map((s) => s.netid)).toEqual(Array(8).fill('udp'));
    expect(read('ss-wan.ss', '-wan').sockets.map((s) => [s.netid, s.local.port]).sort((a, b) => (a[1] as number) - (b[1] as number))).toEqual([
      ['raw', 1], ['raw', 6], ['raw', 17], ['raw', 47], ['raw', 50], ['raw', 58], ['raw', 115], ['raw', 253],
    ]);
  });

  it('ss -ua: udp assumed, its service names read as udp ports', () => {
    expect(read('ss-ua.ss').sockets.map((s) => [s.netid, s.local.port, s.local.portName])).toEqual([['udp', 269, undefined], ['udp', 514, 'syslog']]);
  });
});

describe('netlink and tipc rows: NUMBER:NUMBER addresses', () => {
  const connected = (r: ReturnType<typeof read>) => r.sockets.filter((s) => s.peer.address !== '*');

  it('ss -f netlink -n (no State column): the socket connected to the kernel (peer 0:0) is netlink, assumed', () => {
    const r = read('ss-fnetlink-n.ss');
    expect(new Set(r.sockets.map((s) => s.netid))).toEqual(new Set(['nl']));
    expect(connected(r).map((s) => [s.peer, s.netidInferred])).toEqual([[{ address: '0', port: 0 }, expect.stringMatching(/^nl \(assumed\): .*tipc/)]]);
    expect(connected(read('ss-fnetlink-n.ss', '-f netlink -n'))[0].netidInferred).toBe('nl: the capture flags "-f netlink -n" select only that table');
  });

  it('ss -a -f netlink -n (a State column): netlink, UNCONN as ss prints every netlink socket', () => {
    const r = read('ss-a-fnetlink-n.ss');
    expect(new Set(r.sockets.map((s) => [s.netid, s.state].join(' ')))).toEqual(new Set(['nl UNCONN']));
    expect(connected(r).map((s) => s.netidInferred)).toEqual([expect.stringMatching(/^nl: .*UNCONN as every netlink socket/)]);
  });

  it('ss -f netlink: protocol names', () => {
    expect(new Set(read('ss-fnetlink.ss').sockets.map((s) => s.netid))).toEqual(new Set(['nl']));
  });

  // ss --tipc prints one table, without a Netid column (misc/ss.c tipc_show_sock: NODE:REF, the peer `-` or, for a
  // connected socket, NODE:REF; states LISTEN, ESTAB, UNCONN…). The kernel here has no TIPC (socket(AF_TIPC) fails
  // with EAFNOSUPPORT), so these rows are written in its format.
  const TIPC = 'State  Recv-Q Send-Q Local Address:Port       Peer Address:Port Process\n' +
    'LISTEN 0      0          16781313:3435931016                    -\n' +
    'ESTAB  0      0          16781313:2232352543    16781313:3435931017\n' +
    ' type:STREAM cong:none  drop:0 \n' +
    'ESTAB  0      0          16781313:3435931017    16781313:2232352543\n' +
    'UNCONN 0      0          16781313:1048576000                    -\n';

  it('ss --tipc: a tipc socket with a peer (ESTAB, NODE:REF NODE:REF) is tipc, not netlink', () => {
    const r = parse(TIPC);
    expectAccounted(r.stats);
    expect(r.unparsed).toEqual([]);
    expect(r.sockets.map((s) => [s.state, s.netid, s.peer])).toEqual([
      ['LISTEN', 'unknown', { address: '-', port: null }],
      ['ESTAB', 'ti_st', { address: '16781313', port: 3435931017 }],
      ['ESTAB', 'unknown', { address: '16781313', port: 2232352543 }],
      ['UNCONN', 'unknown', { address: '-', port: null }],
    ]);
    expect(r.sockets[2].netidInferred).toMatch(/^tipc socket \(NODE:REF, peer - or NODE:REF\)/);
    expect(r.stats.undecided).toEqual({ tipc: 3 });
  });

  it('ss --tipc state established (no State column): the flags, else the numbers tell', () => {
    const rows = 'Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' +
      '0 0 16781313:2232352543 16781313:3435931017\n0 0 0:2232352543 0:35\n0 0 0:5 0:6\n0 0 0:-4242 0:0\n';
    expect(parse(rows).sockets.map((s) => s.netid)).toEqual(['unknown', 'unknown', 'nl', 'nl']);
    expect(parse(rows).sockets.map((s) => s.netidInferred!.slice(0, 4))).toEqual(['tipc', 'tipc', 'nl (', 'nl (']);
    const t = parse(rows, 'x', '--tipc state established');
    expect(t.sockets.map((s) => s.netidInferred!.slice(0, 4))).toEqual(['tipc', 'tipc', 'tipc']);
    expect(t.unparsed).toEqual([{ line: 5, text: '0 0 0:-4242 0:0', reason: 'unrecognised tipc address' }]); // (a reference is unsigned)
    expect(parse(rows, 'x', '-f netlink').sockets.map((s) => s.netid)).toEqual(['nl', 'nl', 'nl', 'nl']);
  });
});

describe('ss -M: MPTCP rows print as tcp rows do', () => {
  const tables = (r: ReturnType<typeof read>) => r.sockets.map((s) => `${s.state} ${s.netid}`);

  it('ss -Ma without its flags: tcp, as a LISTEN row decides (the reason says mptcp prints the same)', () => {
    const r = read('ss-Ma.ss');
    expect(tables(r)).toEqual(['ESTAB tcp', 'ESTAB tcp', 'LISTEN tcp']);
    expect(r.sockets[2].netidInferred).toBe('tcp: state LISTEN exists only for stream sockets (mptcp/dccp/sctp print the same)');
    expect(tables(read('ss-Man.ss'))).toEqual(['ESTAB tcp', 'ESTAB tcp', 'LISTEN tcp']);
  });

  it('with its flags (--ss-flags, or a # flags: line) or with -i (MPTCP info): mptcp', () => {
    expect(tables(read('ss-Ma.ss', '-Ma'))).toEqual(['ESTAB mptcp', 'ESTAB mptcp', 'LISTEN mptcp']);
    const text = '# flags: -Man\n' + fs.readFileSync(path.join(DIR, 'ss-Man.ss'), 'utf8');
    expect(parse(text).sockets.map((s) => s.netid)).toEqual(['mptcp', 'mptcp', 'mptcp']);
    expect(tables(read('ss-Mai.ss'))).toEqual(['ESTAB mptcp', 'ESTAB mptcp', 'LISTEN mptcp']);
  });
});

describe('a Netid-less table whose first rows are more than the parser holds while its table is undecided', () => {
  // `ss -tn` of a host with thousands of established connections before its first other state: the rows past
  // MAX_PENDING go out undecided (netid unknown), and the reason of the rules not evaluated on them says why
  const header = 'State      Recv-Q Send-Q Local Address:Port Peer Address:Port';
  const estab = (n: number) => Array.from({ length: n }, (_, i) => `ESTAB      0      0      10.0.0.1:22   10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:4000`);
  it('counts them, with the line that decided the table later', () => {
    const late = parse([header, ...estab(10001), 'CLOSE-WAIT 0      0      10.0.0.1:22   10.9.9.9:4000', ''].join('\n'));
    expect(late.stats.lateDecision).toEqual({ line: 10003, netid: 'tcp', rows: 10000 });
    expect(late.stats.undecided).toEqual({ inet: 10000 });
    // held all along (fewer than MAX_PENDING before the deciding row): nothing to say
    const held = parse([header, ...estab(9999), 'CLOSE-WAIT 0      0      10.0.0.1:22   10.9.9.9:4000', ''].join('\n'));
    expect(held.stats.lateDecision).toBeUndefined();
    expect(held.stats.undecided).toEqual({});
  });
});
