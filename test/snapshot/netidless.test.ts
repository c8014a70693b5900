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
    expect(r.sockets.map((s) => [s.netid, s.local.portName, s.local.port])).toEqual([
      ['raw', 'esp', 50], ['raw', 'ipproto-253', 253], ['raw', 'tcp', 6], ['raw', 'gre', 47], ['raw', 'icmp', 1], ['raw', 'udp', 17],
      ['raw', 'l2tp', 115], ['raw', 'ipv6-icmp', 58],
    ]);
    expect(r.sockets.find((s) => s.local.portName === 'udp')!.netidInferred).toBe('raw: the port field holds the IP protocol udp');
    expect(r.sockets.find((s) => s.local.portName === 'l2tp')!.netidInferred).toMatch(/^raw: same table as line \d+ \(raw: the port field holds the IP protocol esp\)$/);
    expect(r.stats.unknownPorts).toEqual({});
  });

  it('a raw socket of protocol udp alone is raw, not a udp socket on a port named udp', () => {
    const text = fs.readFileSync(path.join(DIR, 'ss-wa.ss'), 'utf8').split('\n');
    const r = parse([text[0], text.find((l) => l.includes(':udp '))!, ''].join('\n'));
    expect(r.sockets.map((s) => [s.netid, s.local.port, s.netidInferred])).toEqual([['raw', 17, 'raw: the port field holds the IP protocol udp']]);
  });

  it('with -n the protocol is a number: udp assumed unless the capture flags say -w', () => {
    expect(read('ss-wan.ss').sockets.map((s) => s.netid)).toEqual(Array(8).fill('udp'));
    expect(read('ss-wan.ss', '-wan').sockets.map((s) => [s.netid, s.local.port])).toEqual([
      ['raw', 50], ['raw', 253], ['raw', 6], ['raw', 47], ['raw', 1], ['raw', 17], ['raw', 115], ['raw', 58],
    ]);
  });

  it('ss -ua: udp assumed, its service names read as udp ports', () => {
    expect(read('ss-ua.ss').sockets.map((s) => [s.netid, s.local.port, s.local.portName])).toEqual([['udp', 269, undefined], ['udp', 514, 'syslog']]);
  });
});
