import type { Level, SnapshotReport } from '../engine/types';

/**
 * The level a snapshot gives a rule: a `hosts:` entry's for its host and labels (SnapshotReport.levels), else
 * `base`, the config's (rules[].level). Per snapshot, not per host: two snapshots of one host with different
 * labels may give one rule two levels. An own property only: a rule may be called `constructor`.
 */
export function levelIn(snapshot: Pick<SnapshotReport, 'levels'> | undefined, ruleId: string, base: Level): Level {
  const levels = snapshot?.levels;
  return levels !== undefined && Object.hasOwn(levels, ruleId) ? levels[ruleId] : base;
}
