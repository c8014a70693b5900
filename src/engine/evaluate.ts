/**
 * Streaming evaluation of compiled rules over one snapshot. Sockets are seen once, as they are parsed;
 * per-socket rules keep at most `maxFindingsPerRule` findings (the rest are counted), aggregates keep
 * counters and a few offenders per group — never the sockets themselves — so memory stays flat.
 */
import type { FieldGroup, Location, SocketRecord } from '../snapshot/types';
import type { CompiledRule, CompareOp, GroupKey } from '../rules/types';
import { leavesLoopbackOut, socketFilterOf, type SocketFilter } from '../rules/compile';
import { FIELD_BY_NAME, NETIDS, STATES } from '../rules/fields';
import type { Finding, NotEvaluated, Offender, Omitted, Suppression } from './types';
import { describeSocket } from '../snapshot/describe';
import { ALL_WANTED, completeExtensions, extensionWants, isThin, keepOwnBytes, type ExtensionWants } from '../snapshot/fields';
import { groupFingerprint, socketFingerprint } from './fingerprint';
import { MAX_PENDING, undecidedKindOf, type ParseStats, type UndecidedKind } from '../snapshot/parser';
import { covers, TABLE_OPTIONS, type Coverage } from '../snapshot/coverage';
import { defaultServices } from '../snapshot/services';

export interface EvaluatorContext {
  file: string;
  host: string;
  /** Field groups the snapshot carries; may be filled in after parsing (see finish). */
  fields: Set<FieldGroup>;
  /** Per rule and snapshot; findings past it are counted in `omitted`. Default 1000. */
  maxFindingsPerRule?: number;
  /**
   * The sockets seen follow those of another evaluator (the second byte range of a split file), whose
   * findings come first: findings are made only when they are read (settle), once followOn has said how many
   * this part may list — the rest are never made.
   */
  follows?: boolean;
  /**
   * Waivers and baseline, asked of each finding as it is found (a per-socket rule's) or made (an aggregate's),
   * before the cap: the cap then counts the unsuppressed findings and the suppressed ones apart, so findings
   * that will be waived do not crowd out the ones that fail (runScan: see its comment on when).
   */
  suppress?: (f: Finding) => Suppression | undefined;
  /**
   * The rules `suppress` is asked about (a filter may apply to them on this host: FindingFilter.mayApply); the
   * others list their findings as without it — the same outcome, without making a finding of every match.
   */
  suppresses?: (ruleId: string) => boolean;
}

export interface EvaluationResult {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  omitted: Omitted[];
  /** Rule ids that were evaluated (passing or failing). */
  evaluated: string[];
  /**
   * Of `evaluated`, the rules evaluated only because their findings failed them whatever sockets they did not see
   * (certainFailure), with the reason they would not have been otherwise: not evaluated after all when every one
   * of those findings turns out waived or baselined (unfailed) — they failed nothing, and the unseen sockets may.
   */
  provisional?: NotEvaluated[];
}

export const DEFAULT_MAX_FINDINGS_PER_RULE = 1000;

const FIELD_NEEDS: Record<FieldGroup, string> = {
  state: 'the socket state (a State column, or a query that implies it)',
  queues: 'Recv-Q/Send-Q',
  processes: 'process information (ss -p, as root)',
  timer: 'timer information (ss -o or -e)',
  extended: 'extended socket details (ss -e)',
  skmem: 'socket memory (ss -m)',
  tcpinfo: 'TCP internals (ss -i)',
};

/**
 * The flag of a group that rows of a capture with that flag may all lack: `ss -o` prints a timer only where one
 * is pending, `ss -p` a process only where ss may see it.
 */
const SOMETIMES_SHOWN: Partial<Record<FieldGroup, string>> = { timer: '-o', processes: '-p' };

/**
 * `flagsKnown` false: the snapshot does not say what it was captured with, so its rows told the groups — and a
 * group no row shows may have been asked for all the same (`ss -o` where no timer was pending).
 *
 * The reasons here are worded for one snapshot or many: the text report writes a reason once for every snapshot
 * that shares it ("3 snapshots: needs socket memory (ss -m), not captured").
 */
export function missingFieldsReason(missing: FieldGroup[], flagsKnown = true, unshown: readonly FieldGroup[] = []): string {
  const asked = missing.filter((f) => unshown.includes(f));
  if (asked.length > 0) {
    // the flags say -m (…) and no row shows it
    return `needs ${missing.map((f) => FIELD_NEEDS[f]).join(' and ')}, which no row shows though the capture's flags ask for ` +
      `${asked.length === 1 ? 'it' : 'them'}: ss 6.7 prints no -e, -m, -i or -o item without -p (capture with -p), or the flags are not the capture's`;
  }
  const reason = `needs ${missing.map((f) => FIELD_NEEDS[f]).join(' and ')}, not captured`;
  if (flagsKnown) return reason;
  const flags = missing.map((f) => SOMETIMES_SHOWN[f]).filter((x) => x !== undefined);
  // `ss -t state established` prints no State column: the query it was run with is what tells the state
  const stateQuery = missing.includes('state');
  if (flags.length === 0 && !stateQuery) return reason;
  const ran = [...flags, ...(stateQuery ? ['a state filter such as state established'] : [])].join(' and ');
  return `${reason} (${flags.length === 0 ? '' : `no row shows ${flags.length === 1 ? 'it' : 'them'}: `}if ss was run with ${ran}, say so with --ss-flags)`;
}

/**
 * What a rule needs that a /proc capture (`# source: proc`: the fallback when ss is missing, or --proc) does not
 * carry for some sockets, though it carries the field group: a TCP listener's backlog (ss prints it as Send-Q;
 * /proc does not have it) and a unix socket's queues (/proc/net/unix has none). The parser leaves those values
 * out; a rule that reads them on such sockets would pass for want of a value, so it is not evaluated.
 */
function procGaps(rule: CompiledRule, filter: SocketFilter | undefined): string[] {
  const reads = (field: string) => rule.reads === undefined || rule.reads.includes(field);
  const gaps: string[] = [];
  if (reads('sendQ') && accepts(filter, 'tcp', 'LISTEN')) gaps.push('the backlog of TCP listeners (Send-Q)');
  if ((reads('recvQ') || reads('sendQ')) && (!filter?.netids || UNIX_NETIDS.some((n) => filter.netids!.has(n)))) {
    gaps.push('the Recv-Q/Send-Q of unix sockets');
  }
  return gaps;
}
const UNIX_NETIDS = ['u_str', 'u_dgr', 'u_seq'];

export function procGapsReason(gaps: readonly string[]): string {
  return `needs ${gaps.join(' and ')}, which a capture read from /proc (# source: proc) does not carry: capture with ss`;
}

/**
 * Whether a capture of this coverage may list a socket the filter admits (some netid and state of the filter's
 * that it lists). A rule with none is not evaluated: a capture that cannot show such sockets (close-wait-excess on
 * `ss -tlnp`) says nothing about them, and passing it would tell a CI gate the host is clean.
 */
function listable(f: SocketFilter, c: Coverage): boolean {
  const netids = f.netids ? [...f.netids] : [undefined];
  const states = f.states ? [...f.states] : [undefined];
  return netids.some((n) => states.some((s) => covers(c, n, s)));
}

/** Why no rule is evaluated on an `ss -E` capture (Coverage.events): told by its flags, or by a row (its line). */
function eventsReason(line: number | undefined): string {
  const told = line === undefined ? '' : ` (line ${line}'s Send-Q of -1 is ss -E's)`;
  return 'needs the sockets a host has, which a capture taken with ss -E (events) does not list: it lists the tcp and udp sockets ' +
    `the kernel destroyed as it ran${told}; capture without -E (ss -tuanp)`;
}

export function unlistedReason(f: SocketFilter, c: Coverage): string {
  const or = (xs: Iterable<string>): string => [...xs].join(', ').replace(/, ([^,]*)$/, ' or $1');
  // a set admitting most names (`netid: {not: tcp}`) is told by the ones it leaves out
  const most = (admitted: ReadonlySet<string>, all: readonly string[]): string[] | undefined => {
    const out = all.filter((x) => x !== 'unknown' && !admitted.has(x));
    return admitted.size > out.length ? out : undefined;
  };
  const netidsBut = f.netids && most(f.netids, NETIDS);
  const statesBut = f.states && most(f.states, STATES);
  const tables = !f.netids ? '' : netidsBut ? `of any table but ${or(netidsBut)} ` : `${or(f.netids)} `;
  const what = netidsBut ? `sockets ${tables}` : `${tables}sockets`;
  const states = !f.states ? '' : statesBut ? ` in any state but ${or(statesBut)}` : ` in state ${or(f.states)}`;
  const tableless = f.netids !== undefined && ![...f.netids].some((n) => covers(c, n, undefined));
  const options = tableless ? (netidsBut ? ['-A all'] : [...new Set([...f.netids!].map((n) => TABLE_OPTIONS[n] ?? '-A'))]) : [];
  const fix = tableless ? `capture with ss ${or(options)} (the table${f.netids!.size > 1 ? 's' : ''})` : 'capture with ss -a (every state)';
  return `needs ${what.trimEnd()}${states}, which a capture taken with ${c.flags} does not list: ${fix}`;
}

/** Why sockets of each undecided kind (netid `unknown`) have no table, and how to give them one. */
const UNDECIDED_WHY: Record<UndecidedKind, string> = {
  inet: 'rows without a Netid column that show neither tcp nor udp; give the capture\'s flags (--ss-flags=-tnp, or a first line "# flags: -tnp")',
  unix: 'unix rows without a Netid column (u_str, u_dgr or u_seq); give the capture\'s -A (--ss-flags="-A unix_stream") or capture with ss -x, which prints the column',
  packet: 'packet rows without a Netid column (p_raw or p_dgr; ss -A packet_raw lists both kinds): capture with ss -0, which prints the column',
  tipc: 'tipc rows without a Netid column: capture with --tipcinfo or with another table beside it',
  other: 'rows whose table cannot be told from the row',
};
const UNDECIDED_KINDS = Object.keys(UNDECIDED_WHY) as UndecidedKind[];

export function undecidedReason(count: number, kinds: readonly UndecidedKind[], late?: ParseStats['lateDecision']): string {
  const why = kinds.map((k) => UNDECIDED_WHY[k]).join('; ');
  // (rows a later row showed the table of: too many went before it for the parser to hold them until then)
  const then = late !== undefined && kinds.includes('inet')
    ? ` (${late.rows} of them came before line ${late.line} showed their table is ${late.netid}: socklint holds ${MAX_PENDING.toLocaleString('en-US')} such rows while it waits)`
    : '';
  return `needs each socket's table (netid), which ${count === 1 ? '1 socket lacks' : `${count} sockets lack`} — ${why}${then}`;
}

/**
 * The kinds of undecided sockets (netid `unknown`) a rule's outcome depends on: none when it does not read
 * the netid, or asks for `unknown` itself; those that may have one of the netids its filter admits; else all.
 */
function undecidedConcern(rule: CompiledRule, filter: SocketFilter | undefined): readonly UndecidedKind[] {
  if (rule.reads !== undefined && !rule.reads.includes('netid')) return [];
  const netids = filter?.netids;
  if (!netids) return UNDECIDED_KINDS;
  if (netids.has('unknown')) return [];
  const kinds = new Set<UndecidedKind>(['other']); // an `other` socket may have any netid
  for (const n of netids) {
    const k = undecidedKindOf(n);
    if (k !== undefined) kinds.add(k);
  }
  return UNDECIDED_KINDS.filter((k) => kinds.has(k));
}

/**
 * Whether a rule has failed whatever sockets it did not see: it has findings (this many), and is per-socket or
 * counts upwards (more sockets cannot undo a finding).
 */
function certainFailure(rule: CompiledRule, findings: number): boolean {
  const op = rule.aggregate?.op;
  return findings > 0 && (op === undefined || op === 'gt' || op === 'gte');
}

/**
 * How many ports a rule's outcome depends on that ss printed as service names socklint does not know
 * (ParseStats.unknownPorts, by `SIDE NETID STATE`): those of the sides it reads, of sockets its filter admits.
 * Sockets of unknown table are the undecided check's.
 */
function unknownPortConcern(rule: CompiledRule, filter: SocketFilter | undefined, counts: Record<string, number>): number {
  let n = 0;
  for (const key in counts) {
    const [side, netid, state, scope] = key.split(' ');
    if (rule.reads !== undefined && !rule.reads.includes(`${side}.port`)) continue;
    if (scope === 'loopback' && leavesLoopbackOut(rule.match)) continue; // (`127.0.0.1:http-alt` and an exposure rule)
    if (filter?.netids !== undefined && !filter.netids.has(netid)) continue;
    if (filter?.states !== undefined && !filter.states.has(state)) continue;
    n += counts[key];
  }
  return n;
}

/**
 * Why a rule was not evaluated for ports ss printed as names (unknownPortConcern): `rpc.NAME` is an RPC program
 * ss asked rpcbind about (its port is not in any table); other names are the capturing host's /etc/services'.
 */
export function unknownPortsReason(count: number, names: readonly string[], services = defaultServices()): string {
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  // a name given several ports (http-alt: 591, 8008, 8080) is told only by ss -n; one no source knows, by adding it
  const several = names.filter((n) => services.ports(n).length > 1);
  const unknown = names.some((n) => !n.startsWith('rpc.') && !several.includes(n));
  const which = several.length === 0 ? '' : `; ${several.slice(0, 3).map((n) => `${n} is ${services.ports(n).join(', ')}`).join('; ')}${several.length > 3 ? '; …' : ''} in one /etc/services or another`;
  return `needs port numbers, which ${count === 1 ? '1 port lacks' : `${count} ports lack`}: ss printed names socklint cannot map to ports (${shown}) — capture with ss -n${unknown ? ', or add the service names to /etc/services on the host that runs socklint' : ''}${which}`;
}

export function groupValue(s: SocketRecord, key: GroupKey): string | number | null {
  switch (key) {
    case 'state': return s.state ?? null;
    case 'process': return s.processes?.[0]?.name ?? null;
    case 'localPort': return s.local.port;
    case 'peerAddress': return s.peer.address;
    case 'netid': return s.netid;
    case 'localAddress': return s.local.address;
    case 'peerPort': return s.peer.port;
  }
}

/**
 * The GroupId of a socket for several `groupBy` keys: each value as a type letter and its text — `z;` null,
 * `n443;` a number, `s5:nginx` a string (its length first, so any text may follow) — in the order of `by`.
 * (JSON.stringify of an array of the values, as before, was the largest cost of a rule grouping a million
 * connections by three keys.)
 */
function multiKey(s: SocketRecord, by: readonly GroupKey[]): string {
  let key = '';
  for (let i = 0; i < by.length; i++) {
    const v = groupValue(s, by[i]);
    key += v === null ? 'z;' : typeof v === 'number' ? `n${v};` : `s${v.length}:${v}`;
  }
  return key;
}

/** The record of a group ({process: 'java'}) from its GroupId, as the rule groups by `by`. */
function groupOf(by: readonly GroupKey[], key: GroupId): Record<string, string | number | null> {
  const group: Record<string, string | number | null> = {};
  if (by.length === 1) group[by[0]] = key;
  else if (by.length > 1) {
    const k = key as string;
    let p = 0;
    for (const name of by) {
      const t = k[p];
      if (t === 'z') {
        group[name] = null;
        p += 2;
      } else if (t === 'n') {
        const end = k.indexOf(';', p);
        group[name] = Number(k.slice(p + 1, end));
        p = end + 1;
      } else {
        const colon = k.indexOf(':', p);
        const n = Number(k.slice(p + 1, colon));
        group[name] = k.slice(colon + 1, colon + 1 + n);
        p = colon + 1 + n;
      }
    }
  }
  return group;
}

export function compare(op: CompareOp, observed: number, threshold: number): boolean {
  switch (op) {
    case 'gt': return observed > threshold;
    case 'gte': return observed >= threshold;
    case 'lt': return observed < threshold;
    case 'lte': return observed <= threshold;
    case 'eq': return observed === threshold;
  }
}

/**
 * What names a group in a rule's map of groups (count): the socket's value of the rule's one `groupBy` key as it
 * is (a Map tells the string "22" from the number 22, and null from "null"), multiKey's text for several
 * keys, '[]' without groupBy — one form per rule, so they cannot be confused. The group's record ({process:
 * 'java'}) is made from it only for a group that becomes a finding (groupOf): a rule grouping by a field with a
 * value per socket (peerAddress) keeps a group per socket, and each object and text a group holds counts (1M
 * distinct peers: ~600 bytes a group, with a key text and a record made for each).
 */
type GroupId = string | number | null;

interface GroupState {
  count: number;
  value: number;
  /** Offenders with their sort value (largest first for sum/max). */
  offenders: { value: number; offender: Offender }[];
}

/** The findings a rule lists, and the ones it counts past its cap (decide). */
interface Listing {
  findings: Finding[];
  /** How many of `findings` are suppressed (EvaluatorContext.suppress): they have a cap of their own. */
  suppressedListed: number;
  /** Suppressed findings listed at most (`cap` is of the others). */
  capSuppressed: number;
  omitted: number;
  /** How many of `omitted` were suppressed, by kind (EvaluatorContext.suppress). */
  suppressedOmitted?: Partial<Record<Suppression['kind'], number>>;
  /** Findings listed at most (the evaluator's cap, or less: what a preceding part leaves, see followOn). */
  cap: number;
}

interface RuleState extends Listing {
  rule: CompiledRule;
  /** Asked of each of its findings as they are found (EvaluatorContext.suppress), when it may apply to the rule. */
  suppress: ((f: Finding) => Suppression | undefined) | undefined;
  /** Netids/states outside which the rule cannot match (from its condition), if known. */
  filter?: SocketFilter;
  /** The rule's condition for a socket the filter admits. */
  test: (s: SocketRecord) => boolean;
  /**
   * The rule reads nothing but netid, state and TCP info, skmem and timer fields: on a thin record (which has
   * none of those items) its outcome depends on netid and state only, and is computed once per dispatch list.
   */
  bareConstant: boolean;
  /** The kinds of undecided sockets whose table the rule's outcome depends on (undecidedConcern). */
  concern: readonly UndecidedKind[];
  /** Sockets matched after `findings`, listed but not made into findings yet (settle; EvaluatorContext.follows). */
  pending: SocketRecord[];
  groups?: Map<GroupId, GroupState>;
  /** A socket its filter admits was seen (offered to it by dispatch), in this part or a following one. */
  offered: boolean;
}

/** The findings each rule of an evaluator lists (listed, followOn). */
export interface FindingsListed {
  ruleIds: string[];
  counts: number[];
  /** How many of `counts` are suppressed (EvaluatorContext.suppress): the cap counts them apart. */
  suppressed: number[];
}

/**
 * What an evaluator saw of a part of a snapshot (a byte range scanned on another thread), in a form that
 * crosses threads (structured clone) and merges into the evaluator of the part before it.
 */
export interface EvaluatorPartial {
  ruleIds: string[];
  rules: { findings: Finding[]; omitted: number; suppressedOmitted?: Listing['suppressedOmitted']; offered: boolean; groups?: [GroupId, GroupState][] }[];
}

function offenderOf(s: SocketRecord): Offender {
  completeExtensions(s);
  return { location: s.location, summary: describeSocket(s) };
}

/** The rules that can match a (netid, state), and their outcome on thin records (-1: not known yet; 0/1). */
interface Dispatch {
  rules: RuleState[];
  bare: Int8Array;
  /**
   * Rules that demand a port value (SocketFilter.value), by the field and its value, when enough of them do
   * that one lookup beats testing each: not in `rules`.
   */
  byValue?: { get: (s: SocketRecord) => unknown; rules: Map<number, RuleState[]> }[];
}

/**
 * Rules of a dispatch list demanding values of one port field from which they are looked up by the socket's
 * value instead of each being tested: 500 rules on `peer.port: N` (no state) made a 1M-socket scan 13.8 s, every
 * socket meeting every rule's predicate; below this many, testing them is as cheap.
 */
const VALUE_DISPATCH_MIN = 8;

/** Fields whose value on a thin record is the same for every record (they read items a thin row never has). */
function bareField(f: string): boolean {
  return f === 'netid' || f === 'state' || f.startsWith('tcp.') || f.startsWith('skmem.') || f.startsWith('timer.');
}

/** Distinct (netid, state) pairs whose rule lists are cached; more (hostile association states) are not. */
const MAX_DISPATCH = 512;

function accepts(f: SocketFilter | undefined, netid: string, state: string | undefined): boolean {
  if (!f) return true;
  if (f.netids && !f.netids.has(netid)) return false;
  if (f.states && (state === undefined || !f.states.has(state))) return false;
  return true;
}

/**
 * What a rule list reads, overall and per state, shared by the evaluators of every snapshot with the same
 * rules (a fleet scan has thousands of snapshots and the same few rule lists): keyed by the rules' identities.
 */
const wantsOf = new Map<string, { wants: ExtensionWants; byState: Map<string, ExtensionWants> }>();
const ruleIds = new WeakMap<CompiledRule, number>();
let nextRuleId = 0;
const MAX_SHARED_WANTS = 256;

function sharedWants(rules: readonly CompiledRule[]): { wants: ExtensionWants; byState: Map<string, ExtensionWants> } {
  const key = rules.map((r) => {
    let id = ruleIds.get(r);
    if (id === undefined) ruleIds.set(r, (id = nextRuleId++));
    return id;
  }).join(',');
  let w = wantsOf.get(key);
  if (w === undefined) {
    w = { wants: rules.every((r) => r.reads) ? extensionWants(rules.flatMap((r) => r.reads!)) : ALL_WANTED, byState: new Map() };
    if (wantsOf.size < MAX_SHARED_WANTS) wantsOf.set(key, w);
  }
  return w;
}

/**
 * Lists `f` or counts it as omitted: a suppressed finding (waived, baselined) and the others each up to their
 * cap, so that findings that will be waived do not crowd out the ones that fail (EvaluatorContext.suppress).
 */
function list(st: Listing, f: Finding): void {
  const why = f.suppressed;
  if (why !== undefined ? st.suppressedListed >= st.capSuppressed : st.findings.length - st.suppressedListed >= st.cap) {
    st.omitted++;
    if (why !== undefined) (st.suppressedOmitted ??= {})[why.kind] = (st.suppressedOmitted[why.kind] ?? 0) + 1;
    return;
  }
  st.findings.push(f);
  if (why !== undefined) st.suppressedListed++;
}

export class SnapshotEvaluator {
  private readonly states: RuleState[];
  private readonly cap: number;
  /** netid → state → the rules (in rule order) that can match such a socket. */
  private readonly dispatch = new Map<string, Map<string | undefined, Dispatch>>();
  private dispatchSize = 0;
  /**
   * The extension items the rules read: the parser may leave others unread (lazy records), and a record is
   * completed before a finding shows it.
   */
  readonly wants: ExtensionWants;
  /** What the rules that can match a socket in each state read: shared by evaluators of the same rules. */
  private readonly wantsByState: Map<string, ExtensionWants>;

  constructor(rules: CompiledRule[], private readonly ctx: EvaluatorContext) {
    this.cap = ctx.maxFindingsPerRule ?? DEFAULT_MAX_FINDINGS_PER_RULE;
    this.states = rules.map((rule) => {
      const filter = socketFilterOf(rule.match);
      // dispatch (rulesFor) only offers a rule sockets its filter admits: test what is left of its condition
      const bareConstant = rule.reads !== undefined && rule.reads.every(bareField);
      const suppress = ctx.suppress !== undefined && (ctx.suppresses?.(rule.meta.id) ?? true) ? ctx.suppress : undefined;
      return {
        rule, filter, test: filter?.residual ?? rule.match, bareConstant, concern: undecidedConcern(rule, filter),
        findings: [], suppressedListed: 0, pending: [], omitted: 0, cap: this.cap, capSuppressed: this.cap, groups: rule.aggregate ? new Map() : undefined,
        offered: false, suppress,
      };
    });
    const shared = sharedWants(rules);
    this.wants = shared.wants;
    this.wantsByState = shared.byState;
  }

  /** The dispatch list rulesFor gave last, and for what: rows of a table come in runs of one netid and state. */
  private lastNetid: string | undefined;
  private lastState: string | undefined;
  private lastDispatch: Dispatch | undefined;

  private rulesFor(netid: string, state: string | undefined): Dispatch {
    if (netid === this.lastNetid && state === this.lastState && this.lastDispatch !== undefined) return this.lastDispatch;
    const d = this.lookupDispatch(netid, state);
    this.lastNetid = netid;
    this.lastState = state;
    this.lastDispatch = d;
    return d;
  }

  private lookupDispatch(netid: string, state: string | undefined): Dispatch {
    let byState = this.dispatch.get(netid);
    let d = byState?.get(state);
    if (d) return d;
    let rules = this.states.filter((st) => accepts(st.filter, netid, state));
    for (const st of rules) st.offered = true;
    let byValue: Dispatch['byValue'];
    for (const field of ['local.port', 'peer.port'] as const) {
      const keyed = rules.filter((st) => st.filter?.value?.field === field);
      if (keyed.length < VALUE_DISPATCH_MIN) continue;
      const index = new Map<number, RuleState[]>();
      for (const st of keyed) {
        for (const v of st.filter!.value!.values) {
          const list = index.get(v);
          if (list) list.push(st);
          else index.set(v, [st]);
        }
      }
      (byValue ??= []).push({ get: FIELD_BY_NAME.get(field)!.get, rules: index });
      rules = rules.filter((st) => st.filter?.value?.field !== field);
    }
    d = { rules, bare: new Int8Array(rules.length).fill(-1), ...(byValue ? { byValue } : {}) };
    if (this.dispatchSize < MAX_DISPATCH) {
      if (!byState) this.dispatch.set(netid, (byState = new Map()));
      byState.set(state, d);
      this.dispatchSize++;
    }
    return d;
  }

  /** What the rules that can match a socket in `state` read (undefined: any state; see ParseSink.extensionWants). */
  wantsFor(state: string | undefined): ExtensionWants {
    if (state === undefined || this.wants === ALL_WANTED) return this.wants;
    let w = this.wantsByState.get(state);
    if (w === undefined) {
      if (this.wantsByState.size >= MAX_DISPATCH) return this.wants;
      const reads = this.states.filter((st) => !st.filter?.states || st.filter.states.has(state)).flatMap((st) => st.rule.reads!);
      w = extensionWants(reads);
      this.wantsByState.set(state, w);
    }
    return w;
  }

  add(s: SocketRecord): void {
    const d = this.rulesFor(s.netid, s.state);
    const states = d.rules;
    const thin = isThin(s);
    for (let i = 0; i < states.length; i++) {
      const st = states[i];
      if (thin && st.bareConstant) {
        let b = d.bare[i];
        if (b < 0) d.bare[i] = b = st.test(s) ? 1 : 0;
        if (b === 0) continue;
      } else if (!st.test(s)) continue;
      this.hit(st, s);
    }
    const byValue = d.byValue;
    if (byValue !== undefined) {
      for (let i = 0; i < byValue.length; i++) {
        const v = byValue[i].get(s);
        const candidates = typeof v === 'number' ? byValue[i].rules.get(v) : undefined;
        if (candidates === undefined) continue;
        for (let k = 0; k < candidates.length; k++) if (candidates[k].test(s)) this.hit(candidates[k], s);
      }
    }
  }

  /**
   * `s` matches the rule of `st`: a finding (up to the cap), or a count in its group. A part that follows
   * another keeps the socket instead, its record with its own bytes, until settle.
   */
  private hit(st: RuleState, s: SocketRecord): void {
    if (st.groups) this.count(st, s);
    else if (st.suppress !== undefined) this.decide(st, this.socketFinding(st.rule, s), st.suppress);
    else if (st.findings.length + st.pending.length >= st.cap) st.omitted++;
    else if (this.ctx.follows) {
      keepOwnBytes(s);
      st.pending.push(s);
    } else st.findings.push(this.socketFinding(st.rule, s));
  }

  /** Asks `suppress` about `f`, then lists it or counts it as omitted (list). */
  private decide(st: Listing, f: Finding, suppress: (f: Finding) => Suppression | undefined): void {
    const why = suppress(f);
    if (why !== undefined) f.suppressed = why;
    list(st, f);
  }

  /**
   * Makes the findings of the sockets a following part kept (hit). Called before findings are read (partial,
   * mergeFollowing, finish). Why not always so: a finding made later costs as much (the code that completes a
   * record is not warm yet either way: 250k `-tanpmioe`, ~150 ms for 5,000 findings made at the end against
   * ~140 ms as they matched), and the records waiting with their bytes, completed in a burst, raised the peak
   * of a 100 × 10k `-tanpmioe` fleet by ~7 MiB.
   */
  settle(): void {
    for (const st of this.states) {
      const p = st.pending;
      if (p.length === 0) continue;
      st.pending = [];
      for (let i = 0; i < p.length; i++) st.findings.push(this.socketFinding(st.rule, p[i]));
    }
  }

  /**
   * Makes up to `budget` of the findings settle would make (the first sockets kept of the first rule that has
   * some), false when none is left: a following part waiting for followOn makes them a few at a time, answering
   * its message between them. Those past the room followOn then leaves are dropped (followOn trims findings made
   * as it trims sockets kept): made in time the thread would otherwise spend waiting.
   */
  settleSome(budget: number): boolean {
    for (const st of this.states) {
      const p = st.pending;
      if (p.length === 0) continue;
      const k = Math.min(budget, p.length);
      for (let i = 0; i < k; i++) st.findings.push(this.socketFinding(st.rule, p[i]));
      st.pending = k === p.length ? [] : p.slice(k);
      return true;
    }
    return false;
  }

  private socketFinding(rule: CompiledRule, s: SocketRecord): Finding {
    completeExtensions(s);
    return {
      ruleId: rule.meta.id,
      level: rule.level,
      message: rule.message(s),
      location: s.location,
      host: this.ctx.host,
      socket: s,
      fingerprint: socketFingerprint(rule.meta.id, this.ctx.host, s),
    };
  }

  private count(st: RuleState, s: SocketRecord): void {
    const agg = st.rule.aggregate!;
    let value = 1;
    if (agg.fn !== 'count') {
      const v = agg.value?.(s);
      if (v === undefined) return;
      value = v;
    }
    const by = agg.groupBy;
    const key: GroupId = by.length === 0 ? '[]' : by.length === 1 ? groupValue(s, by[0]) : multiKey(s, by);
    let g = st.groups!.get(key);
    if (!g) {
      // its first socket: its value is the group's count (1), sum or max; its first offender is in an array of its
      // own size (an empty array pushed to reserves 17 slots)
      st.groups!.set(key, { count: 1, value, offenders: agg.top > 0 ? [{ value, offender: offenderOf(s) }] : [] });
      return;
    }
    g.count++;
    if (agg.fn === 'count') g.value++;
    else if (agg.fn === 'sum') g.value += value;
    else if (value > g.value) g.value = value;
    // Keep the `top` offenders: the first ones for count, the largest values for sum/max.
    if (g.offenders.length < agg.top) {
      g.offenders.push({ value, offender: offenderOf(s) });
      if (agg.fn !== 'count') g.offenders.sort((a, b) => b.value - a.value);
    } else if (agg.fn !== 'count' && agg.top > 0 && value > g.offenders[g.offenders.length - 1].value) {
      g.offenders[g.offenders.length - 1] = { value, offender: offenderOf(s) };
      g.offenders.sort((a, b) => b.value - a.value);
    }
  }

  /** How much it keeps: findings listed so far and aggregate groups (memory.ts). */
  kept(): { findings: number; groups: number } {
    let findings = 0;
    let groups = 0;
    for (const st of this.states) {
      findings += st.findings.length + st.pending.length;
      groups += st.groups?.size ?? 0;
    }
    return { findings, groups };
  }

  /** The state so far, for merging into the evaluator of the preceding part (see mergeFollowing). */
  partial(): EvaluatorPartial {
    this.settle();
    return {
      ruleIds: this.states.map((st) => st.rule.meta.id),
      rules: this.states.map((st) => ({
        findings: st.findings, omitted: st.omitted, offered: st.offered,
        ...(st.suppressedOmitted ? { suppressedOmitted: st.suppressedOmitted } : {}), ...(st.groups ? { groups: [...st.groups] } : {}),
      })),
    };
  }

  /** Whether `ruleIds` are this evaluator's rules, in its order (another part's, for followOn and mergeFollowing). */
  private hasRules(ruleIds: readonly string[]): boolean {
    return ruleIds.length === this.states.length && ruleIds.every((id, i) => id === this.states[i].rule.meta.id);
  }

  /** How many findings each rule lists so far (an aggregate rule: 0), as a following part's followOn takes it. */
  listed(): FindingsListed {
    return {
      ruleIds: this.states.map((st) => st.rule.meta.id),
      counts: this.states.map((st) => (st.groups ? 0 : st.findings.length + st.pending.length)),
      suppressed: this.states.map((st) => (st.groups ? 0 : st.suppressedListed)),
    };
  }

  /**
   * This evaluator sees the sockets that follow those of an evaluator (same rules) that lists `before`
   * findings: a per-socket rule lists no more than the cap leaves (mergeFollowing would count the rest as
   * omitted anyway), so those are not made (a finding completes its record and hashes its fingerprint) nor
   * copied to the thread that merges. The findings listed already past that room are counted as omitted now.
   * Suppressed findings and the others have a room each (EvaluatorContext.suppress). Ignored when the rules
   * differ (the merge then fails).
   */
  followOn(before: FindingsListed): void {
    if (!this.hasRules(before.ruleIds)) return;
    this.states.forEach((st, i) => {
      if (st.groups) return;
      const suppressed = before.suppressed[i];
      st.cap = Math.max(0, Math.min(st.cap, this.cap - (before.counts[i] - suppressed)));
      st.capSuppressed = Math.max(0, Math.min(st.capSuppressed, this.cap - suppressed));
      if (st.suppress !== undefined) {
        // (decided as found: none pending) listed again, each kind within its room
        const found = st.findings;
        st.findings = [];
        st.suppressedListed = 0;
        for (const f of found) list(st, f);
        return;
      }
      const listed = st.findings.length + st.pending.length;
      if (listed > st.cap) {
        st.omitted += listed - st.cap;
        if (st.findings.length > st.cap) st.findings.length = st.cap;
        st.pending.length = st.cap - st.findings.length;
      }
    });
  }

  /**
   * Adds what another evaluator (same rules) saw of the sockets that follow this one's, with the result
   * the sequential scan has: findings capped in socket order, group counters added in first-seen group
   * order, offenders the first (count) or the largest, earliest first (sum/max) `top`. False when the rules differ.
   */
  mergeFollowing(p: EvaluatorPartial): boolean {
    if (!this.hasRules(p.ruleIds)) return false;
    this.settle(); // this part's findings come first
    this.states.forEach((st, i) => {
      const r = p.rules[i];
      st.offered ||= r.offered;
      if (!st.groups) {
        for (const f of r.findings) list(st, f);
        st.omitted += r.omitted;
        for (const [kind, n] of Object.entries(r.suppressedOmitted ?? {}) as [Suppression['kind'], number][]) {
          (st.suppressedOmitted ??= {})[kind] = (st.suppressedOmitted[kind] ?? 0) + n;
        }
        return;
      }
      const agg = st.rule.aggregate!;
      for (const [key, g2] of r.groups ?? []) {
        const g = st.groups.get(key);
        if (!g) {
          st.groups.set(key, g2);
          continue;
        }
        g.count += g2.count;
        if (agg.fn === 'max') g.value = Math.max(g.value, g2.value);
        else g.value += g2.value;
        const all = g.offenders.concat(g2.offenders);
        if (agg.fn !== 'count') all.sort((a, b) => b.value - a.value); // stable: earlier first among equals
        g.offenders = all.slice(0, agg.top);
      }
    });
    return true;
  }

  /**
   * Ends the snapshot. `fields` may be given now when they were only known after parsing; `undecided` counts
   * the sockets whose table could not be told (ParseStats.undecided); `source` is the capture's (`# source:`
   * metadata: `proc` carries less, see procGaps). A rule whose outcome depends on their table is not
   * evaluated — unless it failed anyway on sockets whose table is known (it admits only named netids, and is
   * per-socket or counts upwards), which the sockets it did not see cannot undo.
   */
  finish(
    fields?: Set<FieldGroup>, undecided: Partial<Record<UndecidedKind, number>> = {}, source?: string, flagsKnown = true, coverage?: Coverage,
    ports: Pick<ParseStats, 'unknownPorts' | 'unknownPortNames' | 'lateDecision' | 'unshown'> = { unknownPorts: {}, unknownPortNames: {} },
  ): EvaluationResult {
    this.settle();
    const available = fields ?? this.ctx.fields;
    const result: EvaluationResult = { findings: [], notEvaluated: [], omitted: [], evaluated: [] };
    for (const st of this.states) {
      const id = st.rule.meta.id;
      if (coverage?.events) {
        // destroyed sockets, not the host's: a finding on one (a udp listener gone since) would be a false alarm
        // (said first: what else the capture lacks matters only in one taken without -E)
        result.notEvaluated.push({ ruleId: id, host: this.ctx.host, file: this.ctx.file, reason: eventsReason(coverage.eventsLine) });
        continue;
      }
      const missing = st.rule.missingFields(available);
      if (missing.length > 0) {
        result.notEvaluated.push({ ruleId: id, host: this.ctx.host, file: this.ctx.file, reason: missingFieldsReason(missing, flagsKnown, ports.unshown) });
        continue;
      }
      const gaps = source === 'proc' ? procGaps(st.rule, st.filter) : [];
      if (gaps.length > 0) {
        result.notEvaluated.push({ ruleId: id, host: this.ctx.host, file: this.ctx.file, reason: procGapsReason(gaps) });
        continue;
      }
      if (coverage !== undefined && !st.offered && st.filter !== undefined && !listable(st.filter, coverage)) {
        result.notEvaluated.push({ ruleId: id, host: this.ctx.host, file: this.ctx.file, reason: unlistedReason(st.filter, coverage) });
        continue;
      }
      // an aggregate's findings are made now: those listed (all of them when each is asked of waivers and baseline)
      const suppress = st.suppress;
      const made = st.groups ? this.aggregateFindings(st, suppress !== undefined ? Infinity : this.cap) : { findings: st.findings, count: st.findings.length };
      const findings = made.findings;
      const unseen = st.concern.filter((k) => (undecided[k] ?? 0) > 0);
      const unnamed = unknownPortConcern(st.rule, st.filter, ports.unknownPorts);
      const gap = unseen.length > 0
        ? { failed: st.filter?.netids !== undefined && certainFailure(st.rule, made.count), reason: () => undecidedReason(unseen.reduce((sum, k) => sum + undecided[k]!, 0), unseen, ports.lateDecision) }
        : unnamed > 0 ? { failed: certainFailure(st.rule, made.count), reason: () => unknownPortsReason(unnamed, Object.keys(ports.unknownPortNames)) } : undefined;
      if (gap !== undefined) {
        const unevaluated = { ruleId: id, host: this.ctx.host, file: this.ctx.file, reason: gap.reason() };
        if (!gap.failed) {
          result.notEvaluated.push(unevaluated);
          continue;
        }
        (result.provisional ??= []).push(unevaluated);
      }
      result.evaluated.push(id);
      let listed: Finding[];
      if (suppress !== undefined && st.groups) {
        // an aggregate's findings are made now: decided in their order (worst first), each kind capped
        const per: Listing = { findings: [], suppressedListed: 0, omitted: 0, cap: st.cap, capSuppressed: st.cap };
        for (const f of findings) this.decide(per, f, suppress);
        listed = per.findings;
        st.suppressedOmitted = per.suppressedOmitted;
      } else listed = suppress !== undefined || findings.length <= this.cap ? findings : findings.slice(0, this.cap);
      const omitted = st.omitted + (made.count - listed.length);
      // (one at a time: spread as arguments, a list of ~120,000 findings — a cap raised, or a baseline's none —
      // overflowed the stack)
      for (const f of listed) result.findings.push(f);
      if (omitted > 0) result.omitted.push({ ruleId: id, host: this.ctx.host, file: this.ctx.file, count: omitted, ...(st.suppressedOmitted ? { suppressed: st.suppressedOmitted } : {}) });
    }
    return result;
  }

  /**
   * The groups whose value breaks the rule's comparison, worst first, as findings: the first `limit` of them, the
   * others counted (`count` is of them all). A rule with a group per socket and a comparison most groups break (an
   * `lt`: every peer with fewer than N connections) made a finding of each — its message rendered, its fingerprint
   * hashed — for a million groups, to list 1,000.
   */
  private aggregateFindings(st: RuleState, limit: number): { findings: Finding[]; count: number } {
    const agg = st.rule.aggregate!;
    const groups = st.groups!;
    // Without grouping there is exactly one group, which exists even when nothing matched
    // (so "fewer than N listeners" can fire on an empty snapshot).
    if (agg.groupBy.length === 0 && groups.size === 0) {
      groups.set('[]', { count: 0, value: 0, offenders: [] });
    }
    const breaking: { key: GroupId; g: GroupState }[] = [];
    for (const [key, g] of groups) {
      // the largest value of no socket is no value: nothing to compare (a count or a sum of none is 0)
      if (agg.fn === 'max' && g.count === 0) continue;
      if (compare(agg.op, g.value, agg.threshold)) breaking.push({ key, g });
    }
    // Worst groups first, so a capped list keeps the ones that matter.
    const descending = agg.op === 'gt' || agg.op === 'gte' || agg.op === 'eq';
    breaking.sort((a, b) => (descending ? b.g.value - a.g.value : a.g.value - b.g.value));
    const findings = breaking.slice(0, limit).map(({ key, g }): Finding => {
      const group = groupOf(agg.groupBy, key);
      const offenders = g.offenders.map((o) => o.offender);
      return {
        ruleId: st.rule.meta.id,
        level: st.rule.level,
        message: agg.message(group, g.value, agg.threshold),
        // a group without offenders (fewer than N sockets, or none) is the snapshot's as a whole: its first line,
        // not a socket that has nothing to do with it
        location: offenders[0]?.location ?? { file: this.ctx.file, line: 1 },
        host: this.ctx.host,
        group,
        observed: g.value,
        threshold: agg.threshold,
        offenders,
        offendersOmitted: g.count - offenders.length,
        fingerprint: groupFingerprint(st.rule.meta.id, this.ctx.host, group),
      };
    });
    return { findings, count: breaking.length };
  }
}
