/**
 * Waivers whose `where:` demands literal values of an address or a process name (`local.address: 10.0.0.5`,
 * `peer.address: {in: […]}`, `process.name: nginx`) are found by the socket's value, as those on a port are
 * (waiver-index.test.ts): asked one by one, 8,000 of them took ~30 s (and more) for 100k findings. The answers are
 * those of asking every waiver in turn, in the config's order (a reference copy of that below), with the same
 * counts — matched, matched while expired, and unchecked where the snapshot lacks what a `where:` reads (a
 * `process.name:` waiver on a capture without -p).
 */
import fc from 'fast-check';
import { WaiverFilter, type WaiverSpec } from '../../src/engine/waivers';
import { askCountingReads, askedOf, assertAsReference, drawnWaiver, expectEachAsReference, findingOf, specs } from './waiver-reference';
import { valueDemandsOf } from '../../src/rules/compile';
import type { SnapshotReport } from '../../src/engine/types';
import type { FieldGroup, SocketRecord } from '../../src/snapshot/types';
import { parseSsText } from '../../src/snapshot/parser';

const NOW = new Date('2026-12-01T00:00:00Z');

interface Sock {
  local: string;
  iface?: string;
  localPort: number;
  peer: string;
  processes?: string[];
}

function socketOf(s: Sock): SocketRecord {
  return {
    netid: 'tcp', state: 'ESTAB', recvQ: 0, sendQ: 0,
    local: { address: s.local, port: s.localPort, ...(s.iface !== undefined ? { iface: s.iface } : {}) }, peer: { address: s.peer, port: 443 },
    ...(s.processes !== undefined ? { processes: s.processes.map((name, i) => ({ name, pid: 100 + i, fd: 3 })) } : {}),
    location: { file: 'h.ss', line: 2 },
  } as SocketRecord;
}

/**
 * `where:` conditions: literal demands of addresses (in the spellings ss prints: the others, brackets or `%iface`,
 * are refused at load), process names and ports, alone and together, beside the forms that demand
 * nothing (operators, `not:`, `any:`, ranges) and those that read a field group most snapshots here lack.
 */
const WHERES = [
  '{local.address: 10.0.0.5}', '{local.address: "::1"}', '{local.address: "::ffff:10.0.0.5"}',
  '{local.address: "fe80::1"}', '{local.address: "*"}', '{local.address: "::"}',
  '{local.address: [10.0.0.5, "::1"]}', '{local.address: {eq: 10.0.0.6}}', '{local.address: {in: ["::ffff:10.0.0.5", 10.0.0.6]}}',
  '{peer.address: 10.0.0.9}', '{peer.address: {in: [10.0.0.9, "fe80::1"]}}',
  '{process.name: nginx}', '{process.name: {in: [nginx, sshd]}}', '{process.name: [sshd]}', '{process.name: {eq: ""}}',
  '{process.name: nginx, local.port: 443}', '{local.address: 10.0.0.5, process.name: sshd}', '{local.address: 10.0.0.5, not: {process.name: nginx}}',
  '{local.address: "::1", tcp.rtt: {gt: 1}}', '{process.name: sshd, tcp.rtt: {gt: 1}}',
  '{local.port: 22}', '{local.port: [22, 443]}', '{peer.port: 443}', '{local.port: 22, local.address: 10.0.0.5}',
  '{local.address: {cidr: 10.0.0.0/8}}', '{local.address: {matches: "^10\\\\."}}', '{local.address: {not: 10.0.0.5}}', '{not: {local.address: 10.0.0.5}}',
  '{local.address: {exists: false}}', '{process.name: {exists: false}}', '{process.name: {not: nginx}}', '{not: {process.name: nginx}}',
  '{process.name: {glob: "ngi*"}}', '{any: [{local.address: 10.0.0.5}, {process.name: nginx}]}', '{all: [{local.address: 10.0.0.5}]}',
  '{local.port: "20-25"}', '{local.iface: eth0}', '{state: ESTAB, local.address: 10.0.0.6}',
];

const ADDRESSES = ['10.0.0.5', '10.0.0.6', '10.0.0.9', '::1', '::ffff:10.0.0.5', '*', '::', 'fe80::1', '0.0.0.0'];
const PROCESSES = [undefined, [], ['nginx'], ['sshd'], ['sshd', 'nginx'], ['nginx', 'nginx'], ['']];
const FIELD_SETS: (ReadonlySet<FieldGroup> | undefined)[] = [
  new Set<FieldGroup>(['state', 'queues', 'processes']), new Set<FieldGroup>(['state', 'queues']),
  new Set<FieldGroup>(['state', 'queues', 'processes', 'tcpinfo']), undefined,
];

describe('where: on addresses and process names', () => {
  let pool: WaiverSpec[];
  beforeAll(() => {
    pool = specs(WHERES.map((w) => `{rule: a-rule, where: ${w}, reason: pool, expires: 2099-01-01}`));
  });

  it('reads demands only of plain values written out', () => {
    const demanded = (i: number) => valueDemandsOf(pool[i].where!).map((d) => `${d.field}=${[...d.values].join('|')}`);
    const at = (where: string) => WHERES.indexOf(where);
    expect(demanded(at('{local.address: "::1"}'))).toEqual(['local.address=::1']);
    expect(demanded(at('{local.address: {in: ["::ffff:10.0.0.5", 10.0.0.6]}}'))).toEqual(['local.address=::ffff:10.0.0.5|10.0.0.6']);
    expect(demanded(at('{process.name: nginx, local.port: 443}'))).toEqual(['process.name=nginx', 'local.port=443']);
    for (const nothing of ['{local.address: {cidr: 10.0.0.0/8}}', '{local.address: {not: 10.0.0.5}}', '{not: {local.address: 10.0.0.5}}', '{process.name: {glob: "ngi*"}}',
      '{any: [{local.address: 10.0.0.5}, {process.name: nginx}]}', '{all: [{local.address: 10.0.0.5}]}', '{local.port: "20-25"}', '{local.address: {exists: false}}']) {
      expect({ nothing, demands: demanded(at(nothing)) }).toEqual({ nothing, demands: [] });
    }
  });

  it('asks, counts and reports as asking every waiver in turn does', () => {
    const waiver = drawnWaiver(['a-rule', 'b-rule', '*-rule', 'a-*', 'nope'], ['web-1', 'db-1', 'web-*', 'nope', '{web,db}-1'], WHERES.length);
    const sock = fc.record({
      local: fc.constantFrom(...ADDRESSES), iface: fc.option(fc.constantFrom('eth0', 'lo'), { nil: undefined }), localPort: fc.constantFrom(22, 443, 8080),
      peer: fc.constantFrom(...ADDRESSES), processes: fc.constantFrom(...PROCESSES),
    });
    assertAsReference(waiver, pool, sock, socketOf, { rules: ['a-rule', 'b-rule', 'c-rule'], hosts: ['web-1', 'web-2', 'db-1'], fieldSets: FIELD_SETS, snapshots: 4, now: NOW });
  });

  it('compares the addresses the parser keeps as the where: condition does, whatever the spelling', () => {
    const text = [
      'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'tcp LISTEN 0 128 [::ffff:10.0.0.5]:22 [::]:* users:(("sshd",pid=7,fd=3))',
      'tcp LISTEN 0 128 [fe80::1%eth0]:22 [::]:* users:(("sshd",pid=7,fd=4))',
      'tcp LISTEN 0 128 10.0.0.5%lo:5432 0.0.0.0:* users:(("postgres",pid=8,fd=5))',
      'tcp LISTEN 0 128 *:80 *:* users:(("nginx",pid=9,fd=6),("nginx",pid=10,fd=6))',
      'tcp ESTAB 0 0 [::1]:443 [::1]:50000 users:(("nginx",pid=9,fd=7))',
      'tcp ESTAB 0 0 10.0.0.5:22 10.0.0.9:50001',
      '',
    ].join('\n');
    const sockets = parseSsText(text, { file: 'h.ss' }).sockets;
    expect(sockets).toHaveLength(6);
    // each alone, and all of them in the config's order
    expectEachAsReference(sockets, WHERES, FIELD_SETS.filter((x): x is ReadonlySet<FieldGroup> => x !== undefined), NOW);
    const asked = askedOf(sockets, NOW);
    // the address as ss printed it, without brackets or %iface, and not made another spelling of the same address
    const waived = (where: string) => asked(specs([`{rule: a-rule, where: ${where}, reason: yes, expires: 2099-01-01}`]), FIELD_SETS[0]!).map((r) => r !== undefined);
    expect(waived('{local.address: 10.0.0.5}')).toEqual([false, false, true, false, false, true]);
    expect(waived('{local.address: "::ffff:10.0.0.5"}')).toEqual([true, false, false, false, false, false]);
    expect(waived('{local.address: "fe80::1"}')).toEqual([false, true, false, false, false, false]);
    // (spelled with brackets or %iface, as ss prints no socket's address, it would match none: refused at load)
    expect(() => specs(['{rule: a-rule, where: {local.address: "fe80::1%eth0"}, reason: yes, expires: 2099-01-01}'])).toThrow(/the interface after % is local\.iface/);
    expect(() => specs(['{rule: a-rule, where: {local.address: "[::1]"}, reason: yes, expires: 2099-01-01}'])).toThrow(/without brackets \(write ::1\)/);
    expect(waived('{local.address: "::1"}')).toEqual([false, false, false, false, true, false]);
    expect(waived('{local.address: "*"}')).toEqual([false, false, false, true, false, false]);
    expect(waived('{process.name: nginx}')).toEqual([false, false, false, true, true, false]);
  });
});

describe('thousands of where: waivers on addresses and process names', () => {
  const N = 2000;
  let config: WaiverSpec[];
  beforeAll(() => {
    const lines: string[] = [];
    const ip = (i: number) => `10.1.${i >> 8}.${i & 255}`;
    for (let i = 0; i < N; i++) lines.push(`{rule: a-rule, where: {local.address: "${ip(i)}"}, reason: address ${i}, expires: 2099-01-01}`);
    for (let i = 0; i < N; i++) lines.push(`{rule: a-rule, where: {peer.address: {in: ["${ip(i)}", "fd00::${(i + 1).toString(16)}"]}}, reason: peer ${i}, expires: 2099-01-01}`);
    for (let i = 0; i < N; i++) lines.push(`{rule: a-rule, where: {process.name: {in: [app-${i}, svc-${i}]}}, reason: process ${i}, expires: 2099-01-01}`);
    config = specs(lines);
  });

  it('a finding is asked of the waivers its addresses and process names may match, not of every one', () => {
    const filter = new WaiverFilter(config, NOW);
    const WITH_P = new Set<FieldGroup>(['state', 'queues', 'processes']);
    const asked = 300;
    const { reasons, reads } = askCountingReads(filter, asked, (i) => {
      const kind = i % 4;
      return socketOf({
        local: kind === 0 ? `10.1.${i >> 8}.${i & 255}` : '192.0.2.1', localPort: 443,
        peer: kind === 1 ? `fd00::${(i + 1).toString(16)}` : '192.0.2.2', processes: kind === 2 ? ['init', `svc-${i}`] : ['other'],
      });
    }, ['local', 'peer', 'processes'], WITH_P);
    expect(reasons.slice(0, 4)).toEqual(['address 0', 'peer 1', 'process 2', undefined]);
    expect(reasons.filter((r) => r !== undefined)).toHaveLength(3 * asked / 4);
    // a few reads a finding: the index's look-ups and the where: of the waivers found; asked in turn, each of the
    // 6,000 waivers' where: read the socket
    expect(reads).toBeLessThan(10 * asked);
  });

  it('on a snapshot without -p, the process.name: waivers are unchecked without asking each of them every finding', () => {
    // each waiver's `requires` read: matches reads it of each waiver it asks about a socket
    let asks = 0;
    const watched = config.map((spec) => {
      const copy = { ...spec };
      Object.defineProperty(copy, 'requires', { get: () => { asks++; return spec.requires; }, enumerable: true });
      return copy;
    });
    const filter = new WaiverFilter(watched, NOW);
    const WITHOUT_P = new Set<FieldGroup>(['state', 'queues']);
    const asked = 300;
    // (those an address: waiver waives do not reach the process.name: waivers, after it in the config)
    const local = (i: number) => (i % 2 === 0 ? `10.1.0.${i % 8}` : '192.0.2.1');
    for (let i = 0; i < asked; i++) filter.suppress(findingOf('a-rule', 'h', socketOf({ local: local(i), localPort: 443, peer: '192.0.2.2' })), WITHOUT_P);
    const report = filter.report([{ host: 'h', rulesEvaluated: ['a-rule'] } as SnapshotReport], []);
    expect(report).toHaveLength(3 * N - 4);
    expect(report.filter((r) => r.whereNotEvaluated)).toHaveLength(N);
    expect(report.slice(-N).every((r) => r.whereNotEvaluated)).toBe(true);
    // each waiver's when its rule's waivers are indexed, then a few a finding; asked in turn, each finding asked
    // the 2,000 process.name: waivers (and all the others)
    expect(asks).toBeLessThan(3 * N + 10 * asked);
  });
});
