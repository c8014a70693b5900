/**
 * Waivers from the config: accepted findings with a reason and an expiry date. A live waiver marks matching
 * findings suppressed; an expired one stops suppressing and is listed as expired, with how many findings it would
 * still waive (no longer waived: open, unless the baseline takes them); one that matched nothing is listed as unused, so stale waivers do not pile up.
 */
import type { FieldGroup, Location, SocketRecord } from '../snapshot/types';
import type { Finding, NotEvaluated, SnapshotReport, Suppression, WaiverInForce, WaiverReport, WaiverText } from './types';
import type { FindingFilter } from './scan';
import { formerFingerprint } from './fingerprint';
import { globTester, literalGlob } from '../rules/glob';
import { FIELD_BY_NAME } from '../rules/fields';
import { valueDemandsOf, type ValueDemand } from '../rules/compile';

export interface WaiverSpec {
  rule: string;
  host?: string;
  /** Compiled `where` condition (rule language). */
  where?: (s: SocketRecord) => boolean;
  /**
   * The field groups `where` reads (compileCondition's `requires`): on a snapshot that lacks one, the waiver
   * does not apply, as a rule needing them is not evaluated there — `not: {process.name: x}` would otherwise
   * hold of every socket of a capture without -p, x's own included.
   */
  requires?: FieldGroup[];
  group?: Record<string, string | number | null>;
  fingerprint?: string;
  reason: string;
  expires: string;
  owner?: string;
  ticket?: string;
  location?: Location;
}

interface WaiverState {
  spec: WaiverSpec;
  /** Its place in the config: the first waiver in the file that matches a finding waives it. */
  order: number;
  ruleMatch: (id: string) => boolean;
  hostMatch: (host: string) => boolean;
  expired: boolean;
  matched: number;
  /**
   * Expired: the findings it matches that no waiver in force waives — open because it expired, which renewing it
   * would waive again (WaiverReport.matchedWhileExpired). Those a later live waiver waives are not counted.
   */
  matchedWhileExpired: number;
  /** Whether a finding of its rule and hosts reached it that its `where` could not be asked about: its snapshot lacked what it reads. */
  unchecked: boolean;
  /** What it marks each finding it waives with: one object for all of them (a fleet's may be thousands). */
  suppression: Suppression;
}

/** A waiver is in force through the whole of its `expires` day (UTC). */
export function isExpired(expires: string, now: Date): boolean {
  const end = waiverEnd(expires);
  return Number.isNaN(end) || now.getTime() >= end;
}

/** When a waiver that `expires` (YYYY-MM-DD) stops waiving, in ms since the epoch: the start of the next day, UTC (NaN: no date). */
export function waiverEnd(expires: string): number {
  return Date.parse(`${expires}T00:00:00.000Z`) + DAY_MS;
}

const DAY_MS = 86_400_000;

/** How many days ahead reports name waivers about to expire (text, SARIF, JUnit), unless the config says (waiverNoticeDays). */
export const EXPIRY_NOTICE_DAYS = 14;

/**
 * The waivers in force whose last day (UTC) is today or within the next `days` - 1 days of `now`, soonest first
 * (the config's order among equals), with the whole days left before it (0: today is its last day).
 */
export function lapsingSoon(waivers: readonly WaiverInForce[] | undefined, now: Date, days = EXPIRY_NOTICE_DAYS): { w: WaiverInForce; daysLeft: number }[] {
  const out: { w: WaiverInForce; daysLeft: number }[] = [];
  for (const w of waivers ?? []) {
    const daysLeft = lapsesIn(w.expires, now, days);
    if (daysLeft !== undefined) out.push({ w, daysLeft });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

/**
 * The whole days before a waiver that `expires` (YYYY-MM-DD) lapses (0: `now` is in its last day, UTC), when its
 * last day is within the next `days` days; undefined otherwise (later, over, or no date).
 */
export function lapsesIn(expires: string, now: Date, days = EXPIRY_NOTICE_DAYS): number | undefined {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const daysLeft = Math.round((waiverEnd(expires) - today) / DAY_MS) - 1;
  return daysLeft >= 0 && daysLeft < days ? daysLeft : undefined;
}

/**
 * A waiver's group value against a finding's: `null` is the group of sockets without the key (`process: null`,
 * a capture without ss -p), never a process named "null", and the string "null" never that group; otherwise as
 * text, so `localPort: "5432"` is port 5432.
 */
function sameGroupValue(found: string | number | null, waived: string | number | null): boolean {
  return found === null || waived === null ? found === waived : String(found) === String(waived);
}

/** Waivers in the config's order, split by their `host:`: found by a host name without testing each glob. */
interface ByHost {
  /** Those whose `host:` is a plain name (literalGlob), by it. */
  named: Map<string, WaiverState[]>;
  /** The others (no `host:`, or a glob): their hostMatch decides. */
  other: WaiverState[];
}

/**
 * The waivers whose `rule:` matches one rule id, indexed so that a finding is asked only of those that may match
 * it: the fingerprint waivers are found by the finding's fingerprint (WaiverFilter.byFingerprint), those whose
 * `where:` demands values of a field (an address, a process name, a port: valueDemand) by the socket's value of
 * it, the rest by host.
 */
interface RuleWaivers {
  /** Every waiver of the rule (mayApply). */
  all: ByHost;
  /** Neither a fingerprint nor a value demand. */
  general: ByHost;
  /** Those with a value demand: one index per field and set of field groups their `where:` reads. */
  byValue: ValueIndex[];
}

/** Waivers whose `where:` demands values of one field (valueDemand), by the values, all reading the same field groups. */
interface ValueIndex {
  /** The field's value of a socket; of a list field (process.name), its values: any of them may be the one. */
  get: (s: SocketRecord) => unknown;
  list: boolean;
  /**
   * The field groups their `where:` reads (WaiverSpec.requires). On a snapshot lacking one, none of them applies, and
   * each the finding reaches is unchecked whatever the socket's value (WaiverReport.whereNotEvaluated): markUnchecked.
   */
  requires: readonly FieldGroup[];
  waivers: Map<unknown, WaiverState[]>;
  /**
   * Those not yet unchecked, by host, in the config's order: once one is, a finding that reaches it again changes
   * nothing the report says (with thousands of `process.name:` waivers, each finding of a capture without -p would
   * ask them all).
   */
  notYetUnchecked: ByHost;
}

function byHost(waivers: readonly WaiverState[]): ByHost {
  const index: ByHost = { named: new Map(), other: [] };
  for (const w of waivers) {
    const name = w.spec.host === undefined ? undefined : literalGlob(w.spec.host);
    if (name === undefined) index.other.push(w);
    else index.named.get(name)?.push(w) ?? index.named.set(name, [w]);
  }
  return index;
}

/**
 * The field and values a waiver's `where:` demands (a top-level `local.address: 10.0.0.5`, `process.name: {in: […]}`,
 * `local.port: 5432`: a socket with none of them cannot match; valueDemandsOf), by which it is looked up: the first
 * of those it demands. A fingerprint waiver is found by its fingerprint instead.
 */
function valueDemand(spec: WaiverSpec): ValueDemand | undefined {
  if (spec.where === undefined || spec.fingerprint !== undefined) return undefined;
  return valueDemandsOf(spec.where)[0];
}

/** Whether a snapshot of field groups `fields` (undefined: not known, taken as all) lacks one of `requires`. */
function lacks(fields: ReadonlySet<FieldGroup> | undefined, requires: readonly FieldGroup[]): boolean {
  return fields !== undefined && requires.some((g) => !fields.has(g));
}

/**
 * Marks unchecked the waivers of `pending` (not yet unchecked, in the config's order) before the order `stop` that
 * cover `host`, as WaiverFilter.matches would, and leaves out of `pending` those that are.
 */
function markUnchecked(pending: WaiverState[] | undefined, host: string, stop: number): void {
  if (pending === undefined) return;
  let kept = 0;
  let i = 0;
  for (; i < pending.length && pending[i].order < stop; i++) {
    const w = pending[i];
    if (!w.unchecked && w.hostMatch(host)) w.unchecked = true;
    if (!w.unchecked) pending[kept++] = w;
  }
  if (kept === i) return;
  while (i < pending.length) pending[kept++] = pending[i++];
  pending.length = kept;
}

/**
 * Merges lists of waivers, each in the config's order, into one in that order, each waiver once (a socket of two
 * processes finds a waiver naming both by each name).
 */
function inOrder(lists: readonly (readonly WaiverState[])[]): readonly WaiverState[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0];
  const out: WaiverState[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (at[i] < lists[i].length && (best < 0 || lists[i][at[i]].order < lists[best][at[best]].order)) best = i;
    }
    if (best < 0) return out;
    const w = lists[best][at[best]++];
    if (out[out.length - 1] !== w) out.push(w);
  }
}

export class WaiverFilter implements FindingFilter {
  private readonly waivers: WaiverState[];
  /** The waivers naming a fingerprint, by it. */
  private readonly byFingerprint = new Map<string, WaiverState[]>();
  /** The waivers of each rule id asked about so far (rule ids are those of the loaded rules: a few). */
  private readonly byRule = new Map<string, RuleWaivers>();

  constructor(specs: WaiverSpec[], now: Date) {
    this.waivers = specs.map((spec, order) => ({
      spec,
      order,
      ruleMatch: globTester(spec.rule),
      hostMatch: waiverHostMatcher(spec.host),
      expired: isExpired(spec.expires, now),
      matched: 0,
      matchedWhileExpired: 0,
      unchecked: false,
      suppression: { kind: 'waiver', reason: spec.reason, expires: spec.expires, ...(spec.owner ? { owner: spec.owner } : {}), ...(spec.ticket ? { ticket: spec.ticket } : {}) },
    }));
    for (const w of this.waivers) {
      const fp = w.spec.fingerprint;
      if (fp !== undefined) this.byFingerprint.get(fp)?.push(w) ?? this.byFingerprint.set(fp, [w]);
    }
  }

  private forRule(ruleId: string): RuleWaivers {
    let r = this.byRule.get(ruleId);
    if (r !== undefined) return r;
    const all = this.waivers.filter((w) => w.ruleMatch(ruleId));
    // by field and field groups read
    const byValue = new Map<string, { field: string; requires: readonly FieldGroup[]; waivers: Map<unknown, WaiverState[]>; all: WaiverState[] }>();
    const general: WaiverState[] = [];
    for (const w of all) {
      if (w.spec.fingerprint !== undefined) continue;
      const demand = valueDemand(w.spec);
      if (demand === undefined) { general.push(w); continue; }
      const requires = w.spec.requires ?? [];
      const key = `${demand.field} ${requires.join(' ')}`;
      let index = byValue.get(key);
      if (index === undefined) byValue.set(key, (index = { field: demand.field, requires, waivers: new Map(), all: [] }));
      index.all.push(w);
      for (const v of demand.values) index.waivers.get(v)?.push(w) ?? index.waivers.set(v, [w]);
    }
    r = {
      all: byHost(all),
      general: byHost(general),
      byValue: [...byValue.values()].map(({ field, requires, waivers, all: theirs }) => {
        const def = FIELD_BY_NAME.get(field)!;
        return { get: def.get, list: def.list === true, requires, waivers, notYetUnchecked: byHost(theirs) };
      }),
    };
    this.byRule.set(ruleId, r);
    return r;
  }

  /** The waivers that may match `f`, in the config's order: those its rule, host, fingerprint and socket's values do not rule out. */
  private candidates(r: RuleWaivers, f: Finding, fields: ReadonlySet<FieldGroup> | undefined, former: string | undefined): readonly WaiverState[] {
    const lists: (readonly WaiverState[])[] = [];
    const add = (l: readonly WaiverState[] | undefined) => { if (l !== undefined && l.length > 0) lists.push(l); };
    add(r.general.named.get(f.host));
    add(r.general.other);
    // (a waiver with a `where:` matches no finding without a socket, nor counts it as unchecked)
    if (f.socket !== undefined) {
      for (const index of r.byValue) {
        if (lacks(fields, index.requires)) continue; // none of them applies: suppress marks them unchecked
        const v = index.get(f.socket);
        if (!index.list) add(index.waivers.get(v));
        else if (Array.isArray(v)) for (const x of v) add(index.waivers.get(x));
      }
    }
    add(this.byFingerprint.get(f.fingerprint));
    if (former !== undefined) add(this.byFingerprint.get(former));
    return inOrder(lists);
  }

  private matches(w: WaiverState, f: Finding, fields: ReadonlySet<FieldGroup> | undefined, former: string | undefined): boolean {
    const { spec } = w;
    if (!w.ruleMatch(f.ruleId) || !w.hostMatch(f.host)) return false;
    if (spec.fingerprint && spec.fingerprint !== f.fingerprint && spec.fingerprint !== former) return false;
    if (spec.where) {
      if (!f.socket) return false;
      if (lacks(fields, spec.requires ?? [])) {
        w.unchecked = true;
        return false;
      }
      if (!spec.where(f.socket)) return false;
    }
    if (spec.group) {
      if (!f.group) return false;
      for (const [k, v] of Object.entries(spec.group)) {
        if (!(k in f.group) || !sameGroupValue(f.group[k], v)) return false;
      }
    }
    return true;
  }

  /**
   * True for an expired waiver too: it waives nothing, but the findings it matches are counted (matchedWhileExpired),
   * and a scan asks only the rules a filter may apply to as it finds (the others' findings past the cap are not made)
   * and scans again a snapshot where such a rule reached its cap.
   */
  mayApply(ruleId: string, host: string): boolean {
    const { all } = this.forRule(ruleId);
    return (all.named.get(host)?.length ?? 0) > 0 || all.other.some((w) => w.hostMatch(host));
  }

  /** The field groups the waivers' `where:` read (`requires`), which suppress asks `fields` about. */
  fieldsRead(): FieldGroup[] {
    return [...new Set(this.waivers.flatMap((w) => (w.spec.where !== undefined ? w.spec.requires ?? [] : [])))];
  }

  /** Each waiver's counts, in the config's order: matched, matched while expired, unchecked (1 or 0). */
  usage(): number[] {
    // (asked before every snapshot of a scan, for setUsage: one array filled in a loop, not an array per waiver)
    const ws = this.waivers;
    const out = new Array<number>(3 * ws.length);
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      out[3 * i] = w.matched;
      out[3 * i + 1] = w.matchedWhileExpired;
      out[3 * i + 2] = w.unchecked ? 1 : 0;
    }
    return out;
  }

  /** Adds the counts of a copy of this filter (same config, same time) on another thread. */
  addUsage(usage: unknown): void {
    const u = usage as number[];
    this.waivers.forEach((w, i) => {
      w.matched += u[3 * i];
      w.matchedWhileExpired += u[3 * i + 1];
      if (u[3 * i + 2] > 0) w.unchecked = true;
    });
  }

  /**
   * Puts the counts back to what usage() gave earlier: for a scan that asked this filter about part of a snapshot
   * and then reads the whole snapshot again asking it anew (a split file scanned whole after all), which would
   * otherwise count that part's findings twice.
   */
  setUsage(usage: unknown): void {
    const u = usage as number[];
    this.waivers.forEach((w, i) => {
      w.matched = u[3 * i];
      w.matchedWhileExpired = u[3 * i + 1];
      w.unchecked = u[3 * i + 2] > 0;
    });
    // the indexes' lists of waivers not yet counted unchecked (markUnchecked) are made again from these counts: a
    // waiver put back to unchecked = false must be counted again when the snapshot is read anew
    this.byRule.clear();
  }

  /** `fields`: the field groups of the finding's snapshot (scan.ts availableFields), which a `where` may need. */
  suppress(f: Finding, fields?: ReadonlySet<FieldGroup>): Suppression | undefined {
    // (the fingerprint it had before undecided sockets were named by their likely table: a hash, made once)
    const former = this.byFingerprint.size > 0 ? formerFingerprint(f) : undefined;
    const r = this.forRule(f.ruleId);
    let waiver: WaiverState | undefined;
    // the expired waivers that match it, counted once no live one is found to waive it (one, most often)
    let expired: WaiverState | WaiverState[] | undefined;
    for (const w of this.candidates(r, f, fields, former)) {
      if (!this.matches(w, f, fields, former)) continue;
      if (w.expired) {
        expired = expired === undefined ? w : Array.isArray(expired) ? (expired.push(w), expired) : [expired, w];
        continue;
      }
      waiver = w;
      break;
    }
    if (waiver !== undefined) waiver.matched++;
    else if (expired !== undefined) {
      if (Array.isArray(expired)) for (const w of expired) w.matchedWhileExpired++;
      else expired.matchedWhileExpired++;
    }
    // the waivers found by value that the snapshot lacks the fields of, and the finding reaches (those before the
    // one that waives it): asked in turn, each would count it unchecked
    if (f.socket !== undefined) {
      const stop = waiver?.order ?? Infinity;
      for (const index of r.byValue) {
        if (!lacks(fields, index.requires)) continue;
        markUnchecked(index.notYetUnchecked.named.get(f.host), f.host, stop);
        markUnchecked(index.notYetUnchecked.other, f.host, stop);
      }
    }
    return waiver?.suppression;
  }

  /**
   * Expired waivers, and live ones that matched nothing, with why when it is not the findings being gone: its
   * rule was not evaluated on its hosts (nothing was checked), or disabled there, or its host glob matched none
   * of the hosts of a scan of several, or its `where` could not be asked about its rule's findings (their
   * snapshots lacked the fields it reads). A waiver for hosts a scan of one host does not cover is not listed: a
   * config shared by a fleet holds waivers for other hosts (as ConfiguredRules.hostEntries leaves its `hosts:`).
   *
   * Asked of the hosts each rule ran on, not of every snapshot (a fleet's thousands), and a waiver for a named host
   * finds it by its name: a fleet's config of thousands of such waivers is not asked about every snapshot.
   */
  report(snapshots: readonly SnapshotReport[] = [], notEvaluated: readonly NotEvaluated[] = []): WaiverReport[] {
    // by rule id: the hosts it was evaluated on (some snapshot of them), and those it was reported not evaluated on
    const evaluatedOn = new Map<string, Set<string>>();
    const notEvaluatedOn = new Map<string, Set<string>>();
    const add = (into: Map<string, Set<string>>, ruleId: string, host: string) => {
      into.get(ruleId)?.add(host) ?? into.set(ruleId, new Set([host]));
    };
    const scanned = new Set<string>();
    for (const s of snapshots) {
      scanned.add(s.host);
      for (const id of s.rulesEvaluated) add(evaluatedOn, id, s.host);
    }
    for (const n of notEvaluated) add(notEvaluatedOn, n.ruleId, n.host);
    const hostsScanned = scanned.size;
    const ruleIds = [...new Set([...evaluatedOn.keys(), ...notEvaluatedOn.keys()])];
    const out: WaiverReport[] = [];
    for (const w of this.waivers) {
      if (!w.expired && w.matched > 0) continue;
      const { spec } = w;
      let why: Pick<WaiverReport, 'ruleNotEvaluated' | 'ruleDisabled' | 'noHostMatched' | 'whereNotEvaluated'> = {};
      const ids = ruleIds.filter((id) => w.ruleMatch(id));
      if (!coversAny(w, scanned)) {
        if (spec.host !== undefined && hostsScanned >= 2) why = { noHostMatched: true };
        // nothing of its hosts was scanned: one host's scan with a fleet's config, or no snapshot at all
        else if (spec.host !== undefined || !w.expired) continue;
      } else if (!ids.some((id) => coversAny(w, evaluatedOn.get(id)))) {
        const reported = ids.some((id) => coversAny(w, notEvaluatedOn.get(id)));
        if (!reported) why = { ruleDisabled: true };
        else if (!w.expired) why = { ruleNotEvaluated: true };
      } else if (!w.expired && w.unchecked) why = { whereNotEvaluated: true };
      out.push({
        ...waiverText(spec),
        status: w.expired ? 'expired' : 'unused',
        ...(w.expired ? { matchedWhileExpired: w.matchedWhileExpired } : {}),
        ...why,
      });
    }
    return out;
  }

  /**
   * The waivers in force (not expired) for some host of `snapshots`, in the config's order, with the findings each
   * waived (a fleet's config holds waivers for hosts a scan of one does not cover: those are left out).
   */
  inForce(snapshots: readonly SnapshotReport[]): WaiverInForce[] {
    const scanned = new Set(snapshots.map((s) => s.host));
    // (one that waived a finding covers that finding's host: a fleet's thousands of host globs are not all tested)
    return this.waivers.filter((w) => !w.expired && (w.matched > 0 || coversAny(w, scanned))).map((w) => ({ ...waiverText(w.spec), waived: w.matched }));
  }
}

/** What reports say of a waiver, as the config writes it. */
function waiverText(spec: WaiverSpec): WaiverText {
  return {
    ruleId: spec.rule,
    ...(spec.host !== undefined ? { host: spec.host } : {}),
    reason: spec.reason,
    expires: spec.expires,
    ...(spec.owner ? { owner: spec.owner } : {}),
    ...(spec.ticket ? { ticket: spec.ticket } : {}),
    ...(spec.location ? { location: spec.location } : {}),
  };
}

/** Whether some host of `hosts` is one the waiver covers. */
function coversAny(w: WaiverState, hosts: ReadonlySet<string> | undefined): boolean {
  if (hosts === undefined) return false;
  if (w.spec.host === undefined) return hosts.size > 0;
  const name = literalGlob(w.spec.host);
  if (name !== undefined) return hosts.has(name);
  for (const h of hosts) if (w.hostMatch(h)) return true;
  return false;
}

/** A waiver's `host:` glob as a test of a host name (none: every host), as the filter and reports match it. */
export function waiverHostMatcher(host: string | undefined): (host: string) => boolean {
  return host !== undefined ? globTester(host) : () => true;
}

/**
 * Why a waiver needs attention beyond its status, in words every report shows (none: an unused waiver whose
 * findings are gone, or an expired one to renew or remove).
 */
export function waiverCause(w: WaiverReport): string | undefined {
  if (w.noHostMatched) return 'its host pattern matched no scanned host';
  if (w.ruleDisabled) return 'its rule is disabled';
  if (w.ruleNotEvaluated) return 'its rule was not evaluated where it applies';
  if (w.whereNotEvaluated) return "its where condition reads fields that snapshots with its rule's findings lack, so it was not checked there";
  return undefined;
}
