/**
 * A waiver's `where:` on the fields of a snapshot that lacks them: it does not apply there (the finding stays
 * open), as a rule needing those fields is not evaluated — `not: {process.name: leaky-app}` held of every socket
 * of a capture without -p, leaky-app's own included — and an unused one says it could not be checked.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configWaivers, loadConfig } from '../../src/engine/config';
import { WaiverFilter, waiverCause } from '../../src/engine/waivers';
import type { Finding } from '../../src/engine/types';
import type { FieldGroup, SocketRecord } from '../../src/snapshot/types';

const CONFIG = `waivers:
  - rule: dangerous-port-exposed
    where: {process.name: mysqld}
    reason: mysqld is fine here
    expires: 2099-01-01
  - rule: unexpected-listener
    where: {not: {process.name: leaky-app}}
    reason: everything but leaky-app accepted
    expires: 2099-01-01
  - rule: unexpected-listener
    where: {local.port: 9001}
    reason: port 9001 accepted
    expires: 2099-01-01
`;

function waivers(): WaiverFilter {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waiver-'));
  const file = path.join(dir, 'socklint.yaml');
  fs.writeFileSync(file, CONFIG);
  try {
    return new WaiverFilter(configWaivers(loadConfig(file)), new Date('2026-12-01T00:00:00Z'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A listener's finding; `process` absent: a capture without -p. */
function finding(ruleId: string, port: number, process?: string): Finding {
  const socket = {
    netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128, local: { address: '0.0.0.0', port }, peer: { address: '0.0.0.0', port: null },
    ...(process ? { processes: [{ name: process, pid: 7, fd: 3 }] } : {}), location: { file: 'web-01.ss', line: 2 },
  } as SocketRecord;
  return { ruleId, level: 'warning', message: 'm', location: socket.location, host: 'web-01', socket, fingerprint: '0'.repeat(32) };
}

const WITH_P = new Set<FieldGroup>(['state', 'queues', 'processes']);
const WITHOUT_P = new Set<FieldGroup>(['state', 'queues']);
const snapshots = [{ host: 'web-01', rulesEvaluated: ['dangerous-port-exposed', 'unexpected-listener'] }] as unknown as Parameters<WaiverFilter['report']>[0];

it('waives by process where the snapshot lists processes', () => {
  const w = waivers();
  expect(w.suppress(finding('unexpected-listener', 8080, 'leaky-app'), WITH_P)).toBeUndefined();
  expect(w.suppress(finding('unexpected-listener', 8081, 'nginx'), WITH_P)?.reason).toBe('everything but leaky-app accepted');
  expect(w.suppress(finding('dangerous-port-exposed', 3306, 'mysqld'), WITH_P)?.reason).toBe('mysqld is fine here');
  expect((w.report(snapshots)).map((n) => [n.reason, n.whereNotEvaluated])).toEqual([['port 9001 accepted', undefined]]);
});

it('does not waive by process where the snapshot has none: the finding stays open, and the waiver says why it matched nothing', () => {
  const w = waivers();
  expect(w.suppress(finding('unexpected-listener', 8080), WITHOUT_P)).toBeUndefined(); // leaky-app's, not known as such
  expect(w.suppress(finding('dangerous-port-exposed', 3306), WITHOUT_P)).toBeUndefined();
  // a where: on fields every capture has still waives
  expect(w.suppress(finding('unexpected-listener', 9001), WITHOUT_P)?.reason).toBe('port 9001 accepted');
  const listed = w.report(snapshots);
  expect(listed.map((n) => [n.reason, n.status, n.whereNotEvaluated])).toEqual([
    ['mysqld is fine here', 'unused', true],
    ['everything but leaky-app accepted', 'unused', true],
  ]);
  expect(waiverCause(listed[0])).toBe("its where condition reads fields that snapshots with its rule's findings lack, so it was not checked there");
});

it('an unused waiver whose where: was checked says nothing more (its findings are gone)', () => {
  const w = waivers();
  w.suppress(finding('dangerous-port-exposed', 3306, 'mariadbd'), WITH_P);
  const listed = w.report(snapshots);
  expect(listed.find((n) => n.reason === 'mysqld is fine here')).not.toHaveProperty('whereNotEvaluated');
});

it('counts put back (a snapshot asked about again) count a waiver unchecked again when it is', () => {
  const w = waivers();
  const before = w.usage();
  expect(w.suppress(finding('dangerous-port-exposed', 3306), WITHOUT_P)).toBeUndefined();
  w.setUsage(before);
  expect(w.report(snapshots).map((n) => n.whereNotEvaluated)).toEqual([undefined, undefined, undefined]);
  // the snapshot asked anew: unchecked again, as the first time
  expect(w.suppress(finding('dangerous-port-exposed', 3306), WITHOUT_P)).toBeUndefined();
  expect(w.report(snapshots).find((n) => n.reason === 'mysqld is fine here')?.whereNotEvaluated).toBe(true);
});
