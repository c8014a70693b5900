/**
 * Waivers from the config: accepted findings with a reason and an expiry date. A live waiver marks matching
 * findings suppressed; an expired one stops suppressing and is listed as expired; one that matched nothing
 * is listed as unused, so stale waivers do not pile up.
 */
import picomatch from 'picomatch';
import type { Location, SocketRecord } from '../snapshot/types';
import type { Finding, SnapshotReport, Suppression, WaiverReport } from './types';
import type { FindingFilter } from './scan';

export interface WaiverSpec {
  rule: string;
  host?: string;
  /** Compiled `where` condition (rule language). */
  where?: (s: SocketRecord) => boolean;
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
      hostMatch: spec.host ? picomatch(spec.host) : () => true,
      expired: isExpired(spec.expires, now),
      matched: 0,
      matchedWhileExpired: 0,
      suppression: { kind: 'waiver', reason: spec.reason, expires: spec.expires, ...(spec.owner ? { owner: spec.owner } : {}), ...(spec.ticket ? { ticket: spec.ticket } : {}) },
    }));
  }

  private matches(w: WaiverState, f: Finding): boolean {
    const { spec } = w;
    if (!w.ruleMatch(f.ruleId) || !w.hostMatch(f.host)) return false;
    if (spec.fingerprint && spec.fingerprint !== f.fingerprint) return false;
    if (spec.where) {
      if (!f.socket || !spec.where(f.socket)) return false;
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

  suppress(f: Finding): Suppression | undefined {
    for (const w of this.waivers) {
      if (!this.matches(w, f)) continue;
      if (w.expired) { w.matchedWhileExpired++; continue; }
      w.matched++;
      return w.suppression;
    }
    return undefined;
  }

  report(snapshots: readonly SnapshotReport[] = []): WaiverReport[] {
    const out: WaiverReport[] = [];
    for (const w of this.waivers) {
      if (!w.expired && w.matched > 0) continue;
      const { spec } = w;
      const checked = w.expired || snapshots.some((s) => w.hostMatch(s.host) && s.rulesEvaluated.some((id) => w.ruleMatch(id)));
      out.push({
        ruleId: spec.rule,
        reason: spec.reason,
        expires: spec.expires,
        ...(spec.owner ? { owner: spec.owner } : {}),
        ...(spec.ticket ? { ticket: spec.ticket } : {}),
        ...(spec.location ? { location: spec.location } : {}),
        status: w.expired ? 'expired' : 'unused',
        ...(checked ? {} : { ruleNotEvaluated: true as const }),
      });
    }
    return out;
  }
}
