/**
 * Raw sockets print the IP protocol where the port is (`0.0.0.0:udp`, `*:ipv6-icmp`, `0.0.0.0:ipproto-253`). Without
 * a Netid column (`ss -wa`), the capture flags tell the table: the port text is then read as a protocol, as a
 * `raw` Netid column makes it read.
 */
import { SsParser } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import { completeExtensions, extensionWants } from '../../src/snapshot/fields';
import type { SocketRecord } from '../../src/snapshot/types';
import { parse } from './helpers';

// `ss -wa` and `ss -wap` (ss 6.1, kernel 6.18, a private network namespace) over raw sockets a python3 process opened
// for IPPROTO_UDP, IPPROTO_ICMP, protocol 253 and IPPROTO_ICMPV6. Verbatim, padding included.
const WA = [
  "State  Recv-Q Send-Q Local Address:Port        Peer Address:PortProcess",
  "UNCONN 0      0            0.0.0.0:udp              0.0.0.0:*          ",
  "UNCONN 0      0            0.0.0.0:icmp             0.0.0.0:*          ",
  "UNCONN 0      0            0.0.0.0:ipproto-253      0.0.0.0:*          ",
  "UNCONN 0      0                  *:ipv6-icmp              *:*          ",
].join('\n') + '\n';
const WAP = [
  "State  Recv-Q Send-Q Local Address:Port        Peer Address:PortProcess                           ",
  "UNCONN 0      0            0.0.0.0:udp              0.0.0.0:*    users:((\"python3\",pid=9405,fd=3))",
  "UNCONN 0      0            0.0.0.0:icmp             0.0.0.0:*    users:((\"python3\",pid=9405,fd=4))",
  "UNCONN 0      0            0.0.0.0:ipproto-253      0.0.0.0:*    users:((\"python3\",pid=9405,fd=6))",
  "UNCONN 0      0                  *:ipv6-icmp              *:*    users:((\"python3\",pid=9405,fd=5))",
].join('\n') + '\n';

const PORTS = [
  ['0.0.0.0', 17, 'udp'], ['0.0.0.0', 1, 'icmp'], ['0.0.0.0', 253, 'ipproto-253'], ['*', 58, 'ipv6-icmp'],
];
const ports = (socks: SocketRecord[]) => socks.map((s) => [s.netid, s.local.address, s.local.port, s.local.portName]);

/** The records as the evaluator gets them: thin rows where the rules allow, each completed in socket(). */
function viaThin(text: string, flags: string): SocketRecord[] {
  const out: SocketRecord[] = [];
  const wants = extensionWants(['netid', 'state', 'local.port']);
  const p = new SsParser({ file: 'test.out', services: builtinServices(), flags }, {
    socket: (s) => {
      completeExtensions(s);
      out.push(s);
    },
    unparsed() {},
    extensionWants: () => wants,
  });
  p.write(text);
  p.end();
  return out;
}

describe('raw sockets without a Netid column', () => {
  it('read their port as the IP protocol when the capture flags select raw (ss -wa, -wap, -A raw)', () => {
    for (const text of [WA, WAP]) {
      for (const flags of ['-wa', '-wap', '-A raw -a']) {
        const r = parse(text, 'test.out', flags);
        expect(r.unparsed).toEqual([]);
        expect(ports(r.sockets)).toEqual(PORTS.map((p) => ['raw', ...p]));
        expect(ports(viaThin(text, flags))).toEqual(PORTS.map((p) => ['raw', ...p]));
      }
      // the capture's own `# flags:` line
      expect(ports(parse('# flags: -wa\n' + text).sockets)).toEqual(PORTS.map((p) => ['raw', ...p]));
    }
  });

  it('as a raw Netid column makes them read', () => {
    const r = parse('Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\nraw UNCONN 0 0 0.0.0.0:udp 0.0.0.0:*\n');
    expect(ports(r.sockets)).toEqual([['raw', '0.0.0.0', 17, 'udp']]);
  });
});
