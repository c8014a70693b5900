/**
 * A config may hold thousands of waivers (one per accepted finding, by fingerprint; one per host; one per port),
 * and a scan asks them about every finding — all of them, past the per-rule cap, when a snapshot is scanned again
 * to decide which findings are waived. Each finding is asked only of the waivers its rule, host, fingerprint and
 * port do not rule out, and the report of unused waivers asks each waiver about the hosts its rule ran on, not about
 * every snapshot: 1,000 fingerprint waivers and 100k findings took ~175 s, a fleet of 1,000 snapshots with 8,000
 * waivers for named hosts ~41 s (~3.6 s without them). The work is counted here in glob tests (rule and host
 * patterns), and the answers are those of asking every waiver in turn (a reference copy of that below).
 */
import fc from 'fast-check';
import { WaiverFilter, waiverHostMatcher, type WaiverSpec } from '../../src/engine/waivers';
import { drawnWaiver, expectAsReference, hex, specs } from './waiver-reference';
import { literalGlob } from '../../src/rules/glob';
import type { Finding, SnapshotReport } from '../../src/engine/types';
import type { FieldGroup, SocketRecord } from '../../src/snapshot/types';

/** Subjects tested against rule and host patterns: by picomatch's matchers, and by the literal ones of globTester. */
let globTests = 0;
jest.mock('picomatch', () => {
  const actual = jest.requireActual('picomatch');
  return Object.assign((pattern: string, options?: object) => {
    const test = actual(pattern, options);
    return (subject: string) => {
      globTests++;
      return test(subject);
    };
  }, actual);
});
jest.mock('../../src/rules/glob', () => {
  const actual = jest.requireActual('../../src/rules/glob');
  return {
    ...actual,
    globTester: (pattern: string) => {
      const test = actual.globTester(pattern);
      return (subject: string) => {
        globTests++;
        return test(subject);
      };
    },
  };
});

const NOW = new Date('2026-12-01T00:00:00Z');

function finding(ruleId: string, host: string, port: number, fingerprint: string, process?: string): Finding {
  const socket = {
    netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128, local: { address: '0.0.0.0', port }, peer: { address: '0.0.0.0', port: null },
    ...(process ? { processes: [{ name: process, pid: 7, fd: 3 }] } : {}), location: { file: `${host}.ss`, line: 2 },
  } as SocketRecord;
  return { ruleId, level: 'warning', message: 'm', location: socket.location, host, socket, fingerprint };
}

const ALL_FIELDS = new Set<FieldGroup>(['state', 'queues', 'processes']);

describe('thousands of waivers', () => {
  const N = 1000;
  let config: WaiverSpec[];
  beforeAll(() => {
    const lines: string[] = [];
    for (let i = 0; i < N; i++) lines.push(`{rule: unexpected-listener, fingerprint: "${hex(i)}", reason: fingerprint ${i}, expires: 2099-01-01}`);
    for (let i = 0; i < N; i++) lines.push(`{rule: unexpected-listener, where: {local.port: ${20000 + i}}, reason: port ${20000 + i}, expires: 2099-01-01}`);
    for (let i = 0; i < N; i++) lines.push(`{rule: unexpected-listener, host: web-${i}, where: {process.name: app-${i}}, reason: host web-${i}, expires: 2099-01-01}`);
    config = specs(lines);
  });

  it('a finding is asked of the waivers that may match it, not of every one', () => {
    const filter = new WaiverFilter(config, NOW);
    globTests = 0;
    const asked = 300;
    const reasons: (string | undefined)[] = [];
    for (let i = 0; i < asked; i++) {
      const kind = i % 3;
      const f = kind === 0 ? finding('unexpected-listener', 'db-1', 8080, hex(i))
        : kind === 1 ? finding('unexpected-listener', 'db-1', 20000 + i, hex(N + i))
        : finding('unexpected-listener', `web-${i}`, 8080, hex(N + i), `app-${i}`);
      reasons.push(filter.suppress(f, ALL_FIELDS)?.reason);
    }
    expect(reasons.slice(0, 3)).toEqual(['fingerprint 0', 'port 20001', 'host web-2']);
    expect(reasons.every((r) => r !== undefined)).toBe(true);
    // every waiver's rule pattern once (the rule's waivers are found once), then a few tests per finding; asking
    // every waiver in turn made 2 × 3,000 tests per finding (its rule and host patterns)
    expect(globTests).toBeLessThan(3 * N + 10 * asked);
  });

  it('the unused ones are reported after asking about the hosts scanned, not about every snapshot', () => {
    const filter = new WaiverFilter(config, NOW);
    const snapshots: SnapshotReport[] = [];
    for (let i = 0; i < 2 * N; i++) snapshots.push({ host: `host-${i % N}`, rulesEvaluated: ['unexpected-listener', 'dangerous-port-exposed'] } as SnapshotReport);
    globTests = 0;
    const listed = filter.report(snapshots, []);
    expect(listed).toHaveLength(3 * N);
    expect(listed[2 * N]).toMatchObject({ host: 'web-0', status: 'unused', noHostMatched: true });
    expect(listed[0]).toEqual(expect.not.objectContaining({ noHostMatched: true }));
    // each waiver's rule pattern against the rule ids the scan ran (2), its host a look-up: asking every
    // snapshot made ~2,000 host tests per waiver
    expect(globTests).toBeLessThan(3 * N * 3);
  });
});

it('asks and reports as asking every waiver in turn does', () => {
  const wheres = ['{local.port: 22}', '{local.port: [22, 80]}', '{local.port: {in: [443]}}', '{peer.port: 443}', '{process.name: sshd}', '{local.port: 22, process.name: sshd}', '{not: {local.port: 22}}', '{local.port: "20-25"}'];
  const pool = specs(wheres.map((w) => `{rule: a-rule, where: ${w}, reason: pool, expires: 2099-01-01}`));
  const RULES = ['a-rule', 'b-rule', 'c-rule'];
  const HOSTS = ['web-1', 'web-2', 'db-1'];
  const waiver = drawnWaiver(['a-rule', 'b-rule', '*-rule', 'a-*', 'nope'], ['web-1', 'db-1', 'web-*', 'nope', '{web,db}-1'], pool.length);
  const sock = fc.record({
    rule: fc.constantFrom(...RULES), host: fc.constantFrom(...HOSTS), port: fc.constantFrom(22, 80, 443, 8080),
    fingerprint: fc.constantFrom(hex(1), hex(2), hex(3)), process: fc.option(fc.constantFrom('sshd', 'nginx'), { nil: undefined }), withP: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(waiver, { maxLength: 12 }), fc.array(sock, { maxLength: 20 }), fc.array(fc.tuple(fc.constantFrom(...HOSTS, 'lb-1'), fc.subarray(RULES), fc.subarray(RULES)), { maxLength: 4 }), (ws, socks, snaps) => {
    const asked = socks.map((s) => ({
      finding: finding(s.rule, s.host, s.port, s.fingerprint, s.process), fields: s.withP ? ALL_FIELDS : new Set<FieldGroup>(['state', 'queues']),
    }));
    expectAsReference(ws, pool, asked, snaps, NOW);
  }), { numRuns: 300 });
});

it('a pattern of plain name characters is a literal, matched as picomatch matches it', () => {
  const picomatch = jest.requireActual('picomatch') as (p: string) => (s: string) => boolean;
  expect(literalGlob('web-01.example.com')).toBe('web-01.example.com');
  for (const p of ['web-*', 'db-?', '{a,b}', 'web-[01]', './a', '.hidden', 'a/b', '!a', 'a\\-b', '']) expect(literalGlob(p)).toBeUndefined();
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,8}$/), fc.string({ maxLength: 10 }), fc.boolean(), (p, other, same) => {
    const s = same ? p : other;
    expect(waiverHostMatcher(p)(s)).toBe(picomatch(p)(s));
  }), { numRuns: 2000 });
});
