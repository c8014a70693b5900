/**
 * Waivers from the config: accepted findings with a reason and an expiry date. A live waiver marks matching
 * findings suppressed; an expired one stops suppressing and is listed as expired; one that matched nothing
 * is listed as unused, so stale waivers do not pile up.
 */
import picomatch from 'picomatch';
import type { FieldGroup, Location, SocketRecord } from '../snapshot/types';
import type { Finding, NotEvaluated, SnapshotReport, Suppression, WaiverReport } from './types';
import type { FindingFilter } from './scan';
import { formerFingerprint } from './fingerprint';

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
  ruleMatch: (id: string) => boolean;
  hostMatch: (host: string) => boolean;
  expired: boolean;
  matched: number;
  matchedWhileExpired: number;
  /** Findings of its rule and hosts its `where` could not be asked about: their snapshots lacked what it reads. */
  unchecked: number;
  /** What it marks each finding it waives with: one object for all of them (a fleet's may be thousands). */
  suppression: Suppression;
}

/** A waiver is in force through the whole of its `expires` day (UTC). */
export function isExpired(expires: string, now: Date): boolean {
  const end = Date.parse(`${expires}T23:59:59.999Z`);
  return Number.isNaN(end) || now.getTime() > end;
}

/**
 * A waiver's group value against a finding's: `null` is the group of sockets without the key (`process: null`,
 * a capture without ss -p), never a process named "null", and the string "null" never that group; otherwise as
 * text, so `localPort: "5432"` is port 5432.
 */
function sameGroupValue(found: string | number | null, waived: string | number | null): boolean {
  return found === null || waived === null ? found === waived : String(found) === String(waived);
}

export class WaiverFilter implements FindingFilter {
  private readonly waivers: WaiverState[];
  constructor(specs: WaiverSpec[], now: Date) {
    this.waivers = specs.map((spec) => ({
      spec,
      ruleMatch: picomatch(spec.rule),
      hostMatch: waiverHostMatcher(spec.host),
      expired: isExpired(spec.expires, now),
      matched: 0,
      matchedWhileExpired: 0,
      unchecked: 0,
      suppression: { kind: 'waiver', reason: spec.reason, expires: spec.expires, ...(spec.owner ? { owner: spec.owner } : {}), ...(spec.ticket ? { ticket: spec.ticket } : {}) },
    }));
  }

  private matches(w: WaiverState, f: Finding, fields: ReadonlySet<FieldGroup> | undefined): boolean {
    const { spec } = w;
    if (!w.ruleMatch(f.ruleId) || !w.hostMatch(f.host)) return false;
    if (spec.fingerprint && spec.fingerprint !== f.fingerprint && spec.fingerprint !== formerFingerprint(f)) return false;
    if (spec.where) {
      if (!f.socket) return false;
      if (fields !== undefined && spec.requires?.some((g) => !fields.has(g))) {
        w.unchecked++;
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

  mayApply(ruleId: string, host: string): boolean {
    return this.waivers.some((w) => !w.expired && w.ruleMatch(ruleId) && w.hostMatch(host));
  }

  /** `fields`: the field groups of the finding's snapshot (scan.ts availableFields), which a `where` may need. */
  suppress(f: Finding, fields?: ReadonlySet<FieldGroup>): Suppression | undefined {
    for (const w of this.waivers) {
      if (!this.matches(w, f, fields)) continue;
      if (w.expired) { w.matchedWhileExpired++; continue; }
      w.matched++;
      return w.suppression;
    }
    return undefined;
  }

  /**
   * Expired waivers, and live ones that matched nothing, with why when it is not the findings being gone: its
   * rule was not evaluated on its hosts (nothing was checked), or disabled there, or its host glob matched none
   * of the hosts of a scan of several, or its `where` could not be asked about its rule's findings (their
   * snapshots lacked the fields it reads). A waiver for hosts a scan of one host does not cover is not listed: a
   * config shared by a fleet holds waivers for other hosts (as ConfiguredRules.hostEntries leaves its `hosts:`).
   */
  report(snapshots: readonly SnapshotReport[] = [], notEvaluated: readonly NotEvaluated[] = []): WaiverReport[] {
    const hostsScanned = new Set(snapshots.map((s) => s.host)).size;
    const out: WaiverReport[] = [];
    for (const w of this.waivers) {
      if (!w.expired && w.matched > 0) continue;
      const { spec } = w;
      let why: Pick<WaiverReport, 'ruleNotEvaluated' | 'ruleDisabled' | 'noHostMatched' | 'whereNotEvaluated'> = {};
      const covered = snapshots.filter((s) => w.hostMatch(s.host));
      if (covered.length === 0) {
        if (spec.host !== undefined && hostsScanned >= 2) why = { noHostMatched: true };
        // nothing of its hosts was scanned: one host's scan with a fleet's config, or no snapshot at all
        else if (spec.host !== undefined || !w.expired) continue;
      } else if (!covered.some((s) => s.rulesEvaluated.some((id) => w.ruleMatch(id)))) {
        const reported = notEvaluated.some((n) => w.ruleMatch(n.ruleId) && w.hostMatch(n.host));
        if (!reported) why = { ruleDisabled: true };
        else if (!w.expired) why = { ruleNotEvaluated: true };
      } else if (!w.expired && w.unchecked > 0) why = { whereNotEvaluated: true };
      out.push({
        ruleId: spec.rule,
        ...(spec.host !== undefined ? { host: spec.host } : {}),
        reason: spec.reason,
        expires: spec.expires,
        ...(spec.owner ? { owner: spec.owner } : {}),
        ...(spec.ticket ? { ticket: spec.ticket } : {}),
        ...(spec.location ? { location: spec.location } : {}),
        status: w.expired ? 'expired' : 'unused',
        ...why,
      });
    }
    return out;
  }
}

/** A waiver's `host:` glob as a test of a host name (none: every host), as the filter and reports match it. */
export function waiverHostMatcher(host: string | undefined): (host: string) => boolean {
  return host !== undefined ? picomatch(host) : () => true;
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
