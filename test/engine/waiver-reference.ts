/**
 * A reference copy of how waivers were asked before they were indexed (waiver-index.test.ts,
 * waiver-where-index.test.ts compare WaiverFilter with it), and the waivers of a config written for a test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configWaivers, loadConfig } from '../../src/engine/config';
import { isExpired, type WaiverFilter, type WaiverSpec } from '../../src/engine/waivers';
import type { Finding, NotEvaluated, SnapshotReport, WaiverReport } from '../../src/engine/types';
import type { FieldGroup } from '../../src/snapshot/types';

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
