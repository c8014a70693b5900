/**
 * A reference copy of how waivers were asked before they were indexed (waiver-index.test.ts,
 * waiver-where-index.test.ts compare WaiverFilter with it), and the waivers of a config written for a test.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configWaivers, loadConfig } from '../../src/engine/config';
import { WaiverFilter, isExpired, type WaiverSpec } from '../../src/engine/waivers';
import type { Finding, NotEvaluated, SnapshotReport, WaiverReport } from '../../src/engine/types';
import type { FieldGroup, SocketRecord } from '../../src/snapshot/types';

// (the real matcher: a test file may mock picomatch to count its tests)
const picomatch = jest.requireActual('picomatch') as (p: string) => (s: string) => boolean;

/**
 * The waivers as they were asked before any was indexed: every waiver in the config's order, of every finding; for
 * the report, every snapshot. Counts as WaiverFilter.usage does: matched, matched while expired (by an expired waiver, of a
 * finding no live one waives), unchecked.
 */
export class Reference {
  private readonly ws;
  constructor(specs: WaiverSpec[], now: Date) {
    this.ws = specs.map((spec) => ({
      spec, rule: picomatch(spec.rule), host: spec.host !== undefined ? picomatch(spec.host) : () => true, expired: isExpired(spec.expires, now),
      matched: 0, matchedWhileExpired: 0, unchecked: 0,
    }));
  }
  suppress(f: Finding, fields?: ReadonlySet<FieldGroup>): string | undefined {
    // an expired waiver that matches counts the finding only when no live one waives it (it is open because it expired)
    const expired: (typeof this.ws)[number][] = [];
    for (const w of this.ws) {
      const { spec } = w;
      if (!w.rule(f.ruleId) || !w.host(f.host)) continue;
      if (spec.fingerprint && spec.fingerprint !== f.fingerprint) continue;
      if (spec.where) {
        if (!f.socket) continue;
        if (fields !== undefined && spec.requires?.some((g) => !fields.has(g))) { w.unchecked++; continue; }
        if (!spec.where(f.socket)) continue;
      }
      if (w.expired) { expired.push(w); continue; }
      w.matched++;
      return spec.reason;
    }
    for (const w of expired) w.matchedWhileExpired++;
    return undefined;
  }
  usage(): number[] {
    return this.ws.flatMap((w) => [w.matched, w.matchedWhileExpired, w.unchecked]);
  }
  report(snapshots: SnapshotReport[], notEvaluated: NotEvaluated[]): Partial<WaiverReport>[] {
    const hostsScanned = new Set(snapshots.map((s) => s.host)).size;
    const out: Partial<WaiverReport>[] = [];
    for (const w of this.ws) {
      if (!w.expired && w.matched > 0) continue;
      let why: Partial<WaiverReport> = {};
      const covered = snapshots.filter((s) => w.host(s.host));
      if (covered.length === 0) {
        if (w.spec.host !== undefined && hostsScanned >= 2) why = { noHostMatched: true };
        else if (w.spec.host !== undefined || !w.expired) continue;
      } else if (!covered.some((s) => s.rulesEvaluated.some((id) => w.rule(id)))) {
        const reported = notEvaluated.some((n) => w.rule(n.ruleId) && w.host(n.host));
        if (!reported) why = { ruleDisabled: true };
        else if (!w.expired) why = { ruleNotEvaluated: true };
      } else if (!w.expired && w.unchecked > 0) why = { whereNotEvaluated: true };
      out.push({ reason: w.spec.reason, status: w.expired ? 'expired' : 'unused', ...(w.expired ? { matchedWhileExpired: w.matchedWhileExpired } : {}), ...why });
    }
    return out;
  }
}

/** WaiverFilter.report in the shape Reference.report gives (its texts and flags). */
export function reportOf(filter: WaiverFilter, snapshots: SnapshotReport[], notEvaluated: NotEvaluated[]): Partial<WaiverReport>[] {
  return filter.report(snapshots, notEvaluated).map((r) => {
    const { reason, status, matchedWhileExpired, noHostMatched, ruleDisabled, ruleNotEvaluated, whereNotEvaluated } = r;
    return { reason, status, ...(matchedWhileExpired !== undefined ? { matchedWhileExpired } : {}), ...(noHostMatched ? { noHostMatched } : {}), ...(ruleDisabled ? { ruleDisabled } : {}), ...(ruleNotEvaluated ? { ruleNotEvaluated } : {}), ...(whereNotEvaluated ? { whereNotEvaluated } : {}) };
  });
}

/** The waivers of a config file written from `lines` (one flow mapping each). */
export function specs(lines: string[]): WaiverSpec[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waivers-'));
  const file = path.join(dir, 'socklint.yaml');
  fs.writeFileSync(file, `waivers:\n${lines.map((l) => `  - ${l}\n`).join('')}`);
  try {
    return configWaivers(loadConfig(file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A finding of `ruleId` on `host` about `socket`. */
export function findingOf(ruleId: string, host: string, socket: SocketRecord, fingerprint = '0'.repeat(32)): Finding {
  return { ruleId, level: 'warning', message: 'm', location: socket.location, host, socket, fingerprint };
}

/** WaiverFilter.usage (or the Reference's), each waiver's unchecked count as whether it is any (all the report asks). */
export function usageOf(filter: { usage(): number[] }): number[] {
  return filter.usage().map((n, i) => (i % 3 === 2 ? Math.min(n, 1) : n));
}

/** A waiver a property test draws: its `where:` (an index into a pool of them), expired or not. */
export interface DrawnWaiver {
  rule: string;
  host?: string;
  fingerprint?: string;
  where?: number;
  expired: boolean;
}

/** Fingerprint `i` (32 hex digits). */
export const hex = (i: number): string => i.toString(16).padStart(32, '0');

/** A waiver of one of `rules` (globs), on one of `hosts` or none, by fingerprint 1 or 2 or none, with one of `wheres` `where:` conditions or none. */
export function drawnWaiver(rules: string[], hosts: string[], wheres: number): fc.Arbitrary<DrawnWaiver> {
  return fc.record({
    rule: fc.constantFrom(...rules),
    host: fc.option(fc.constantFrom(...hosts), { nil: undefined }),
    fingerprint: fc.option(fc.constantFrom(hex(1), hex(2)), { nil: undefined }),
    where: fc.option(fc.integer({ min: 0, max: wheres - 1 }), { nil: undefined }),
    expired: fc.boolean(),
  });
}

/** One question a property test asks: a finding, the field groups of its snapshot, and whether a copy of the filter is asked. */
export interface Asked {
  finding: Finding;
  fields?: ReadonlySet<FieldGroup>;
  /** Asked of a copy of the filter (a worker thread's), whose counts the filter then adds. */
  copy?: boolean;
}

/**
 * The drawn waivers `ws` (their `where:` from `pool`) asked `asked` by WaiverFilter and by the Reference: the same
 * answers, the same counts (unchecked read as any, all the report asks) and the same report on `snaps` (host, rules
 * evaluated, rules not evaluated).
 */
export function expectAsReference(ws: readonly DrawnWaiver[], pool: readonly WaiverSpec[], asked: readonly Asked[], snaps: readonly (readonly [string, string[], string[]])[], now: Date): void {
  const list: WaiverSpec[] = ws.map((w, i) => ({
    rule: w.rule, ...(w.host !== undefined ? { host: w.host } : {}), ...(w.fingerprint !== undefined ? { fingerprint: w.fingerprint } : {}),
    ...(w.where !== undefined ? { where: pool[w.where].where, ...(pool[w.where].requires ? { requires: pool[w.where].requires } : {}) } : {}),
    reason: `waiver ${i}`, expires: w.expired ? '2020-01-01' : '2099-01-01',
  }));
  const filter = new WaiverFilter(list, now);
  const copy = new WaiverFilter(list, now);
  const reference = new Reference(list, now);
  for (const a of asked) expect((a.copy ? copy : filter).suppress(a.finding, a.fields)?.reason).toBe(reference.suppress(a.finding, a.fields));
  filter.addUsage(copy.usage());
  expect(usageOf(filter)).toEqual(usageOf(reference));
  const snapshots = snaps.map(([host, evaluated]) => ({ host, rulesEvaluated: evaluated }) as SnapshotReport);
  const notEvaluated = snaps.flatMap(([host, , not]) => not.map((ruleId) => ({ ruleId, host, file: `${host}.ss`, reason: 'r' })));
  expect(reportOf(filter, snapshots, notEvaluated)).toEqual(reference.report(snapshots, notEvaluated));
}

/**
 * The property of the `where:` index suites: drawn waivers (`waiver`, their `where:` from `pool`) asked of findings
 * of one of `rules` on one of `hosts` (fingerprint 1, 2 or 3) about a socket `socketFor` makes of what `sock` draws —
 * the finding with or without its socket, on a snapshot with one of `fieldSets`, asked of the filter or of a copy —
 * and reported on up to `snapshots` drawn snapshots: as the Reference does (expectAsReference), in 400 runs.
 */
export function assertAsReference<S>(
  waiver: fc.Arbitrary<DrawnWaiver>, pool: readonly WaiverSpec[], sock: fc.Arbitrary<S>, socketFor: (s: S) => SocketRecord,
  opts: { rules: string[]; hosts: string[]; fieldSets: readonly (ReadonlySet<FieldGroup> | undefined)[]; snapshots: number; now: Date },
): void {
  const { rules, hosts, fieldSets } = opts;
  const question = fc.record({
    rule: fc.constantFrom(...rules), host: fc.constantFrom(...hosts), fingerprint: fc.constantFrom(hex(1), hex(2), hex(3)),
    fields: fc.integer({ min: 0, max: fieldSets.length - 1 }), socket: fc.boolean(), copy: fc.boolean(),
  });
  const snapshot = fc.tuple(fc.constantFrom(...hosts, 'lb-1'), fc.subarray(rules), fc.subarray(rules));
  fc.assert(fc.property(fc.array(waiver, { maxLength: 14 }), fc.array(fc.tuple(question, sock), { maxLength: 24 }), fc.array(snapshot, { maxLength: opts.snapshots }), (ws, drawn, snaps) => {
    const asked = drawn.map(([q, s]) => {
      const finding = findingOf(q.rule, q.host, socketFor(s), q.fingerprint);
      if (!q.socket) delete finding.socket;
      return { finding, fields: fieldSets[q.fields], copy: q.copy };
    });
    expectAsReference(ws, pool, asked, snaps, opts.now);
  }), { numRuns: 400 });
}

/**
 * What `filter` answers the findings (of a-rule on host h, on a snapshot with `fields`) about `count` sockets made by
 * `socketFor`, and how many times their `where:` read one of `keys` of them: each predicate call makes one read.
 */
export function askCountingReads(
  filter: WaiverFilter, count: number, socketFor: (i: number) => SocketRecord, keys: readonly (keyof SocketRecord)[], fields: ReadonlySet<FieldGroup>,
): { reasons: (string | undefined)[]; reads: number } {
  let reads = 0;
  const reasons: (string | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const plain = socketFor(i);
    const socket = { ...plain } as SocketRecord;
    for (const key of keys) {
      const value = plain[key];
      Object.defineProperty(socket, key, { get: () => { reads++; return value; }, enumerable: true });
    }
    reasons.push(filter.suppress(findingOf('a-rule', 'h', socket), fields)?.reason);
  }
  return { reasons, reads };
}

/**
 * What WaiverFilter with `list` answers each of `sockets` (a finding of a-rule on host h, on a snapshot with `fields`),
 * checked equal to the Reference's answers and counts.
 */
export function askedOf(sockets: readonly SocketRecord[], now: Date): (list: WaiverSpec[], fields: ReadonlySet<FieldGroup>) => (string | undefined)[] {
  return (list, fields) => {
    const filter = new WaiverFilter(list, now);
    const reference = new Reference(list, now);
    const got = sockets.map((s) => filter.suppress(findingOf('a-rule', 'h', s), fields)?.reason);
    expect(got).toEqual(sockets.map((s) => reference.suppress(findingOf('a-rule', 'h', s), fields)));
    expect(usageOf(filter)).toEqual(usageOf(reference));
    return got;
  };
}

/** askedOf `sockets` with waivers of a-rule whose `where:` are `wheres` (every seventh from the fourth expired): all of them in the config's order, and each alone, on each of `fieldSets`. */
export function expectEachAsReference(sockets: readonly SocketRecord[], wheres: readonly string[], fieldSets: readonly ReadonlySet<FieldGroup>[], now: Date): void {
  const asked = askedOf(sockets, now);
  const lines = wheres.map((w, i) => `{rule: a-rule, where: ${w}, reason: "where ${i}", expires: ${i % 7 === 3 ? '2020-01-01' : '2099-01-01'}}`);
  for (const fields of fieldSets) {
    const all = specs(lines);
    asked(all, fields);
    for (let i = 0; i < all.length; i++) asked([all[i]], fields);
  }
}
