/**
 * Ports ss printed as names socklint cannot map (ParseStats.unknownPorts): a rule that reads that port is not
 * evaluated when such sockets are among those it admits — never passing on a listener it could not see.
 */
import { SnapshotEvaluator, unknownPortsReason } from '../../src/engine/evaluate';
import type { CompiledRule } from '../../src/rules/types';
import type { SocketRecord } from '../../src/snapshot/types';
import { matcher } from '../rules/helpers';

const listener = (port: number | null, portName?: string): SocketRecord => ({
  netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128, local: { address: '0.0.0.0', port, ...(portName ? { portName } : {}) },
  peer: { address: '0.0.0.0', port: null }, location: { file: 'f', line: 2 },
});
const run = (rules: CompiledRule[], socks: SocketRecord[], unknownPorts: Record<string, number>, names = ['myappx']) => {
  const ev = new SnapshotEvaluator(rules, { file: 'f', host: 'h', fields: new Set(['state', 'queues']) });
  for (const s of socks) ev.add(s);
  return ev.finish(undefined, {}, undefined, true, undefined, { unknownPorts, unknownPortNames: Object.fromEntries(names.map((n) => [n, 1])) });
};

it('does not evaluate a rule on the port when a socket it admits has an unmapped port name', () => {
  const r = run([matcher('state: LISTEN\nlocal.port: {in: [1521, 3306]}')], [listener(null, 'myappx')], { 'local tcp LISTEN': 1 });
  expect(r.evaluated).toEqual([]);
  expect(r.notEvaluated.map((n) => n.reason)).toEqual([
    'needs port numbers, which 1 port lacks: ss printed names socklint cannot map to ports (myappx) — capture with ss -n, or add the service names to /etc/services on the host that runs socklint',
  ]);
});

it('evaluates rules that do not read that side\'s port, or whose filter does not admit those sockets', () => {
  const socks = [listener(null, 'myappx')];
  const counts = { 'local tcp LISTEN': 1 };
  expect(run([matcher('state: LISTEN\nrecvQ: {gt: 0}')], socks, counts).evaluated).toEqual(['test-rule']);
  expect(run([matcher('state: LISTEN\npeer.port: 5')], socks, counts).evaluated).toEqual(['test-rule']);
  expect(run([matcher('state: ESTAB\nlocal.port: 22')], socks, counts).evaluated).toEqual(['test-rule']);
  expect(run([matcher('netid: udp\nlocal.port: 22')], socks, counts).evaluated).toEqual(['test-rule']);
  expect(run([matcher('state: ESTAB\npeer.port: 22')], socks, { 'peer tcp ESTAB': 2 }).evaluated).toEqual([]);
});

it('keeps a failure the unmapped ports cannot undo', () => {
  const r = run([matcher('state: LISTEN\nlocal.port: {in: [1521, 3306]}')], [listener(3306), listener(null, 'myappx')], { 'local tcp LISTEN': 1 });
  expect(r.evaluated).toEqual(['test-rule']);
  expect(r.findings).toHaveLength(1);
});

it('names RPC programs without sending the user to /etc/services, and shortens long lists', () => {
  expect(unknownPortsReason(3, ['rpc.nlockmgr', 'rpc.status'])).toBe(
    'needs port numbers, which 3 ports lack: ss printed names socklint cannot map to ports (rpc.nlockmgr, rpc.status) — capture with ss -n');
  expect(unknownPortsReason(7, ['a', 'b', 'c', 'd', 'e', 'f'])).toMatch(/\(a, b, c, d, e, …\) — capture with ss -n, or add/);
});
