/**
 * Real captures of ss -E (fixtures/events): a row for each tcp and udp socket the kernel destroys. A udp row's Send-Q
 * is -1 (its write memory count less one, at 0), no state filter applies, and ports are named by tcp's services.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSsText } from '../../src/snapshot/parser';
import { createServiceTable } from '../../src/snapshot/services';
import { expectAccounted, parse } from './helpers';

const DIR = path.resolve(__dirname, '../../fixtures/events');
const text = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');
const read = (name: string, flags?: string) => {
  const r = parse(text(name), name, flags);
  expectAccounted(r.stats);
  expect(r.unparsed).toEqual([]);
  return r;
};
/** The client's port of the tcp connection (the kernel chose it when the files were made). */
const CLIENT = Number(/^tcp +UNCONN +0 +0 +127\.0\.0\.1:(\d+) /m.exec(text('ss-En.ss'))![1]);
const UDP_EVENT = 'udp: Send-Q -1, which ss -E prints only for a udp socket it reports destroyed';
/** A port, or the name ss printed for it when it has no one port (`http-alt`: Debian's 8080, IANA's 591, 8008 and 8080). */
const portOf = (e: { port: number | null; portName?: string }) => e.port ?? e.portName ?? null;
const row = (s: { netid: string; state?: string; recvQ?: number; sendQ?: number; local: { port: number | null; portName?: string } }) =>
  [s.netid, s.state, s.recvQ, s.sendQ, portOf(s.local)].join(' ');

describe('ss -E: udp rows with Send-Q -1', () => {
  it.each(['ss-E.ss', 'ss-En.ss', 'ss-Etuen.ss'])('%s: every row a socket, a udp one\'s Send-Q read as 0 (its queue is empty)', (name) => {
    const web = name === 'ss-E.ss' ? 'http-alt' : 8080; // (ss -E without -n)
    expect(read(name).sockets.map(row)).toEqual([
      'udp UNCONN 832 0 5353', 'udp ESTAB 0 0 5354', 'udp UNCONN 0 0 514',
      `tcp UNCONN 2 0 ${web}`, `tcp UNCONN 0 0 ${CLIENT}`, `tcp UNCONN 0 0 ${web}`,
    ]);
  });

  it.each(['ss-Eu.ss', 'ss-Eun.ss', 'ss-EHun.ss', 'ss-Euan.ss'])('%s (no Netid column): the Send-Q -1 tells udp', (name) => {
    const r = read(name);
    expect(r.sockets.map((s) => [s.netid, s.netidInferred, s.recvQ, s.sendQ, s.local.port])).toEqual([
      ['udp', UDP_EVENT, 832, 0, 5353], ['udp', UDP_EVENT, 0, 0, 5354], ['udp', UDP_EVENT, 0, 0, 514],
    ]);
  });

  it('ss -Eu prints no State column but lists UNCONN sockets: the flags do not make them ESTAB', () => {
    const r = read('ss-Eun.ss', '-E -u -n');
    expect(r.sockets.map((s) => [s.netid, s.state, s.stateInferred])).toEqual(Array(3).fill(['udp', undefined, undefined]));
    // (the long option too; without -E, ss -u lists only ESTAB sockets)
    expect(read('ss-Eun.ss', '--events -u -n').sockets.map((s) => s.state)).toEqual([undefined, undefined, undefined]);
    expect(read('ss-Eun.ss', '-u -n').sockets.map((s) => s.state)).toEqual(['ESTAB', 'ESTAB', 'ESTAB']);
  });

  it('ss -E names a udp socket\'s port by tcp\'s services (514 prints as shell, tcp\'s name)', () => {
    // a table where shell is tcp's only, as in netbase's /etc/services
    const services = createServiceTable('shell 514/tcp\nsyslog 514/udp\nmdns 5353/tcp\nmdns 5353/udp\nhttp-alt 8080/tcp\n', false);
    for (const [name, flags] of [['ss-E.ss', undefined], ['ss-Eu.ss', undefined], ['ss-Eu.ss', '-E -u']]) {
      const r = parseSsText(text(name!), { file: name!, services, flags });
      const s = r.sockets.find((x) => x.local.portName === 'shell');
      expect([s?.netid, s?.local.port]).toEqual(['udp', 514]);
      expect(r.stats.unknownPorts).toEqual({});
    }
  });

  it('a Send-Q of -1 anywhere else is no count: the row is unparsed', () => {
    for (const line of [
      'tcp   ESTAB 0 -1 10.0.0.1:8080 10.0.0.2:40000', // tcp's Send-Q is a sequence difference
      'u_str ESTAB 0 -1 /run/x 1234 * 5678',
      'nl    UNCONN 0 -1 rtnl:kernel *',
      'udp   UNCONN 0 -2 0.0.0.0:514 0.0.0.0:*',
    ]) {
      const r = parse(`${line}\n`);
      expectAccounted(r.stats);
      expect(r.sockets).toEqual([]);
      expect(r.unparsed.map((u) => u.reason)).toEqual([expect.stringMatching(/^Send-Q -[12]: not a queue length/)]);
    }
  });
});

describe('ss -Et: closed tcp sockets, UNCONN', () => {
  it('an UNCONN row with a peer port is a closed tcp socket (a udp socket with a peer is ESTAB); the listener follows it', () => {
    const r = read('ss-Et.ss');
    expect(r.sockets.map((s) => [s.netid, portOf(s.local), portOf(s.peer)])).toEqual([['tcp', 'http-alt', CLIENT], ['tcp', CLIENT, 'http-alt'], ['tcp', 'http-alt', null]]);
    expect(r.sockets[0].netidInferred).toMatch(/^tcp: state UNCONN with a peer port/);
    expect(r.sockets[2].netidInferred).toMatch(/^tcp: same table as line 2 /);
  });
});
