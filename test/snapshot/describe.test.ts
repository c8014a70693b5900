/** One-line renderings of sockets in messages and reports (src/snapshot/describe.ts). */
import { describeSocket, formatEndpoint } from '../../src/snapshot/describe';
import type { SocketRecord } from '../../src/snapshot/types';

const location = { file: 'h.ss', line: 2 };

it('an endpoint as ss prints it: IPv6 in brackets, the interface, a port or its name', () => {
  expect(formatEndpoint({ address: '10.0.0.1', port: 22 }, 'tcp')).toBe('10.0.0.1:22');
  expect(formatEndpoint({ address: 'fe80::1', port: 53, iface: 'eth0' }, 'udp')).toBe('[fe80::1]%eth0:53');
  expect(formatEndpoint({ address: '0.0.0.0', port: null, portName: 'myappx' }, 'tcp')).toBe('0.0.0.0:myappx');
  expect(formatEndpoint({ address: '/run/a.sock', port: 1234, path: '/run/a.sock' }, 'u_str')).toBe('/run/a.sock');
});

it('a netlink socket by the owner ss printed, not the PID alone (rtnl:878 named no one)', () => {
  expect(formatEndpoint({ address: 'rtnl', port: 878, portName: 'NetworkManager/878' }, 'nl')).toBe('rtnl:NetworkManager/878');
  expect(formatEndpoint({ address: 'rtnl', port: 0, portName: 'kernel' }, 'nl')).toBe('rtnl:kernel');
  expect(formatEndpoint({ address: 'audit', port: -1100095455 }, 'nl')).toBe('audit:-1100095455');
});

it('a pid masked by --redact (null in the report\'s copy) leaves the name alone', () => {
  const s = { netid: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 3306 }, peer: { address: '0.0.0.0', port: null }, location,
    processes: [{ name: 'mysqld', pid: null as unknown as number }, { name: 'helper', pid: 7 }] } as SocketRecord;
  expect(describeSocket(s)).toBe('tcp LISTEN 0.0.0.0:3306 mysqld,helper[7]');
});
