/**
 * Waivers whose `where:` names a unix socket's path (`local.path`, `peer.path`), a process's PID (`process.pid`) or a
 * cgroup (`cgroup`): the same answers and counts as asking every waiver in turn, in the config's order (a reference
 * copy of that: waiver-reference.ts) — whether or not such waivers are found by the socket's value, as those on an
 * address, a process name or a port are (waiver-where-index.test.ts). A `process.pid:` waiver reads processes (ss -p),
 * a `cgroup:` one extended details (ss -e): on a snapshot without them it does not apply, and is unchecked.
 */
import fc from 'fast-check';
import { WaiverFilter, type WaiverSpec } from '../../src/engine/waivers';
import { askCountingReads, askedOf, assertAsReference, drawnWaiver, expectEachAsReference, specs } from './waiver-reference';
import type { FieldGroup, SocketRecord } from '../../src/snapshot/types';
import { parseSsText } from '../../src/snapshot/parser';

const NOW = new Date('2026-12-01T00:00:00Z');

interface Sock {
  /** A unix socket's name (a path when it starts with /), or undefined for a tcp socket. */
  local?: string;
  peer?: string;
  pids?: number[];
  cgroup?: string;
}

function socketOf(s: Sock): SocketRecord {
  const unix = (name: string | undefined, port: number) => (name === undefined ? { address: '*', port } : { address: name, port, ...(name.startsWith('/') ? { path: name } : {}) });
  return {
    ...(s.local !== undefined || s.peer !== undefined
      ? { netid: 'u_str', state: 'ESTAB', local: unix(s.local, 1000), peer: unix(s.peer, 1001) }
      : { netid: 'tcp', state: 'ESTAB', local: { address: '10.0.0.5', port: 22 }, peer: { address: '10.0.0.9', port: 50000 } }),
    recvQ: 0, sendQ: 0,
    ...(s.pids !== undefined ? { processes: s.pids.map((pid) => ({ name: 'app', pid, fd: 3 })) } : {}),
    ...(s.cgroup !== undefined ? { cgroup: s.cgroup } : {}),
    location: { file: 'h.ss', line: 2 },
  } as SocketRecord;
}

/**
 * `where:` conditions: literal paths, PIDs and cgroups, alone, in lists, together and beside other demands, and the
 * forms that demand nothing (operators, `not:`, `any:`, globs, ranges).
 */
const WHERES = [
  '{local.path: /run/app.sock}', '{local.path: {in: [/run/app.sock, /run/db.sock]}}', '{local.path: [/run/db.sock]}', '{local.path: {eq: "@abstract"}}',
  '{peer.path: /run/app.sock}', '{peer.path: {in: [/run/db.sock, /tmp/x]}}', '{local.path: /run/app.sock, peer.path: /run/db.sock}',
  '{process.pid: 100}', '{process.pid: [100, 200]}', '{process.pid: {in: [200, 300]}}', '{process.pid: {eq: 300}}',
  '{cgroup: /system.slice/app.service}', '{cgroup: {in: [/system.slice/app.service, /user.slice]}}', '{cgroup: [/user.slice]}',
  '{cgroup: /system.slice/app.service, process.pid: 100}', '{local.path: /run/app.sock, process.pid: 200}', '{cgroup: /user.slice, local.address: "10.0.0.5"}',
  '{process.pid: 100, process.name: app}', '{local.path: /run/app.sock, local.port: 1000}',
  '{local.path: {glob: "/run/*"}}', '{local.path: {matches: "^/run/"}}', '{local.path: {not: /run/app.sock}}', '{not: {local.path: /run/app.sock}}',
  '{process.pid: "100-200"}', '{process.pid: {gt: 150}}', '{process.pid: {not: 100}}', '{cgroup: {glob: "/system.slice/*"}}', '{cgroup: {exists: false}}',
  '{any: [{cgroup: /user.slice}, {process.pid: 100}]}', '{local.path: {exists: true}}',
];

const NAMES = [undefined, '/run/app.sock', '/run/db.sock', '/tmp/x', '@abstract', 'app.sock'];
const PIDS = [undefined, [], [100], [200], [100, 300], [300, 300]];
const CGROUPS = [undefined, '/system.slice/app.service', '/user.slice', '/system.slice/app.service/sub'];
const FIELD_SETS: (ReadonlySet<FieldGroup> | undefined)[] = [
  new Set<FieldGroup>(['state', 'queues', 'processes', 'extended']), new Set<FieldGroup>(['state', 'queues']),
  new Set<FieldGroup>(['state', 'queues', 'processes']), new Set<FieldGroup>(['state', 'queues', 'extended']), undefined,
];

describe('where: on unix paths, PIDs and cgroups', () => {
  let pool: WaiverSpec[];
  beforeAll(() => {
    pool = specs(WHERES.map((w) => `{rule: a-rule, where: ${w}, reason: pool, expires: 2099-01-01}`));
  });

  it('asks, counts and reports as asking every waiver in turn does', () => {
    const waiver = drawnWaiver(['a-rule', 'b-rule', '*-rule', 'nope'], ['web-1', 'db-*', 'nope'], WHERES.length);
    const sock = fc.record({
      unix: fc.boolean(), local: fc.constantFrom(...NAMES), peer: fc.constantFrom(...NAMES), pids: fc.constantFrom(...PIDS), cgroup: fc.constantFrom(...CGROUPS),
    });
    assertAsReference(waiver, pool, sock, (s) => socketOf({ ...(s.unix ? { local: s.local, peer: s.peer } : {}), pids: s.pids, cgroup: s.cgroup }), {
      rules: ['a-rule', 'b-rule'], hosts: ['web-1', 'db-1'], fieldSets: FIELD_SETS, snapshots: 3, now: NOW,
    });
  });

  it('on sockets the parser read, as asking every waiver in turn does', () => {
    const text = [
      'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'u_str LISTEN 0 4096 /run/app.sock 1000 * 0 users:(("app",pid=100,fd=3)) ino:1000 sk:1 cgroup:/system.slice/app.service <->',
      'u_str ESTAB 0 0 /run/app.sock 1001 * 1002 users:(("app",pid=100,fd=4),("app",pid=300,fd=4)) ino:1001 sk:2 cgroup:/system.slice/app.service <->',
      'u_str ESTAB 0 0 @abstract 1003 * 1004 users:(("other",pid=200,fd=5)) ino:1003 sk:3 cgroup:/user.slice <->',
      'u_dgr UNCONN 0 0 /run/db.sock 1005 * 0 users:(("db",pid=300,fd=6)) ino:1005 sk:4 cgroup:/user.slice <->',
      'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=7,fd=3)) ino:1006 sk:5 cgroup:/system.slice/sshd.service <->',
      '',
    ].join('\n');
    const sockets = parseSsText(text, { file: 'h.ss' }).sockets;
    expect(sockets.map((s) => [s.local.path, s.processes?.map((p) => p.pid), s.cgroup])).toEqual([
      ['/run/app.sock', [100], '/system.slice/app.service'], ['/run/app.sock', [100, 300], '/system.slice/app.service'],
      [undefined, [200], '/user.slice'], ['/run/db.sock', [300], '/user.slice'], [undefined, [7], '/system.slice/sshd.service'],
    ]);
    // each alone, and all of them in the config's order
    expectEachAsReference(sockets, WHERES, FIELD_SETS.filter((x): x is ReadonlySet<FieldGroup> => x !== undefined), NOW);
    const asked = askedOf(sockets, NOW);
    const waived = (where: string, fields = FIELD_SETS[0]!) => asked(specs([`{rule: a-rule, where: ${where}, reason: yes, expires: 2099-01-01}`]), fields).map((r) => r !== undefined);
    expect(waived('{local.path: /run/app.sock}')).toEqual([true, true, false, false, false]);
    expect(waived('{local.path: "@abstract"}')).toEqual([false, false, false, false, false]); // a name, no path
    expect(waived('{process.pid: 300}')).toEqual([false, true, false, true, false]);
    expect(waived('{cgroup: /user.slice}')).toEqual([false, false, true, true, false]);
    expect(waived('{cgroup: /user.slice}', FIELD_SETS[2]!)).toEqual([false, false, false, false, false]); // without ss -e
    expect(waived('{process.pid: 300}', FIELD_SETS[3]!)).toEqual([false, false, false, false, false]); // without ss -p
  });
});

/**
 * Such waivers are found by value (compile.ts DEMAND_FIELDS), as address and process-name ones are: asked of every
 * one, 300 findings made ~930,000 reads here, and a scan of 100k unix sockets with 2,000 `local.path:` waivers took
 * ~14 s (~2.8 s found by value).
 */
describe('thousands of where: waivers on unix paths, PIDs and cgroups', () => {
  const N = 2000;
  let config: WaiverSpec[];
  beforeAll(() => {
    const lines: string[] = [];
    for (let i = 0; i < N; i++) lines.push(`{rule: a-rule, where: {local.path: /run/app-${i}.sock}, reason: path ${i}, expires: 2099-01-01}`);
    for (let i = 0; i < N; i++) lines.push(`{rule: a-rule, where: {process.pid: {in: [${10000 + i}, ${20000 + i}]}}, reason: pid ${i}, expires: 2099-01-01}`);
    for (let i = 0; i < N; i++) lines.push(`{rule: a-rule, where: {cgroup: /system.slice/app-${i}.service}, reason: cgroup ${i}, expires: 2099-01-01}`);
    config = specs(lines);
  });

  it('a finding is asked of the waivers its path, PIDs and cgroup may match, not of every one', () => {
    const filter = new WaiverFilter(config, new Date('2026-12-01T00:00:00Z'));
    const ALL = new Set<FieldGroup>(['state', 'queues', 'processes', 'extended']);
    const asked = 300;
    const { reasons, reads } = askCountingReads(filter, asked, (i) => {
      const kind = i % 4;
      return socketOf({
        local: kind === 0 ? `/run/app-${i}.sock` : '/run/other.sock', peer: undefined,
        pids: kind === 1 ? [1, 20000 + i] : [1], cgroup: kind === 2 ? `/system.slice/app-${i}.service` : '/user.slice',
      });
    }, ['local', 'peer', 'processes', 'cgroup'], ALL);
    expect(reasons.slice(0, 4)).toEqual(['path 0', 'pid 1', 'cgroup 2', undefined]);
    expect(reasons.filter((r) => r !== undefined)).toHaveLength(3 * asked / 4);
    // a few reads a finding: the index's look-ups and the where: of the waivers found; asked in turn, each of the
    // 6,000 waivers' where: read the socket
    expect(reads).toBeLessThan(10 * asked);
  });
});
