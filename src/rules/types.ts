/**
 * The contract between the rule language (src/rules) and the engine (src/engine).
 * Rules are compiled once per (rule, variable set) into plain predicates; the engine streams sockets
 * through them and never looks at YAML.
 */
import type { FieldGroup, SocketRecord } from '../snapshot/types';
import type { Level, RuleMeta } from '../engine/types';

export type AggregateFunction = 'count' | 'sum' | 'max';
export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
/** What an aggregate may be grouped by. */
export type GroupKey = 'state' | 'process' | 'localPort' | 'peerAddress' | 'netid' | 'localAddress' | 'peerPort';

export interface CompiledAggregate {
  fn: AggregateFunction;
  /** For sum/max: reads the numeric field from a socket (undefined when the socket lacks it). */
  value?: (s: SocketRecord) => number | undefined;
  /** Field name as written in the rule (for messages). */
  field?: string;
  groupBy: GroupKey[];
  op: CompareOp;
  threshold: number;
  /** Offenders listed per finding. */
  top: number;
  /** Render the finding message for one breaking group. */
  message(group: Record<string, string | number | null>, observed: number, threshold: number): string;
}

export interface CompiledRule {
  meta: RuleMeta;
  /** Field groups the rule reads (for listings and docs). */
  requires: FieldGroup[];
  /**
   * Socket fields (src/rules/fields.ts names) the condition and the aggregate read — not the message, which
   * is rendered from a complete record. Absent: unknown (the parser then reads everything).
   */
  reads?: string[];
  /**
   * The groups a snapshot lacks for this rule to be evaluated (empty: evaluable). Stricter than `requires`
   * for `any`: one evaluable branch is enough. A non-empty answer makes the rule "not evaluated".
   */
  missingFields(available: ReadonlySet<FieldGroup>): FieldGroup[];
  /** Per-socket condition (for aggregates: which sockets are counted). */
  match(s: SocketRecord): boolean;
  /** Per-socket rules: the finding message for a matching socket. */
  message(s: SocketRecord): string;
  /** Present for aggregate rules. */
  aggregate?: CompiledAggregate;
  /** Effective level after config overrides. */
  level: Level;
}
