import { STATE_FILTERS, parseFlags, type FlagInfo } from './parser';
import type { SocketFilter } from '../rules/compile';

/**
 * Which sockets a capture can list at all, from the ss flags it was taken with: its tables (`-t`, `-x`, `-A`,
 * `-f`…) and its state filter (`-a`, `-l`, `state …`, `exclude …`, or ss's default). A rule that can only match
 * sockets such a capture never lists (close-wait-excess on `ss -tlnp`, a unix rule on `ss -t`) has nothing to
 * pass on: it is reported as not evaluated, not as passing.
 *
 * Deliberately generous where iproute2 versions differ: ss ≥ 4.x shows connected states only by default
 * (`SS_CONN`), older ones also the defaults of each table they list (UNCONN for unix datagram, packet and
 * netlink sockets); the union of both is taken, so no socket any version lists is ever said to be missing.
 * A filter expression (`sport = :22`, `dst 10/8`) narrows what is listed too, but not by table or state: it is
 * not read here.
 *
 * `ss -E` (`--events`) lists no table at all: it prints a row for each tcp and udp socket the kernel reports
 * destroyed (ss.c handle_follow_request: the sock_diag destroy groups of those two tables only), whatever -a, -l or
 * `state …` say (no state filter applies to them). A tcp socket is closed by then (UNCONN); a udp socket is in the
 * state it had, UNCONN or ESTAB (connected). So such a capture never lists a listener, a tcp connection or a unix
 * socket, whatever else its flags name (fixtures/events).
 */
export interface Coverage {
  /** The netids the capture lists; undefined: every table. */
  netids?: ReadonlySet<string>;
  /** The states it lists, of those ss's state filter knows (STATE_BITS); undefined: every state. */
  states?: ReadonlySet<string>;
  /** The states it lists of some netids, where they are fewer than `states` (ss -E: tcp UNCONN only). */
  statesOf?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Taken with ss -E: the sockets the kernel destroyed as ss ran, not a table of the host's sockets. */
  events?: true;
  /** The line of the row that showed it (ParseStats.events), when the flags did not say -E. */
  eventsLine?: number;
  /** The flags, as the capture gave them (for messages). */
  flags: string;
}

/** ss's state filter bits (ss.c SS_*), by the state names rows carry. */
const STATE_BITS = ['ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING'];
const ALL = new Set(STATE_BITS);
const minus = (from: ReadonlySet<string>, ...states: string[]): Set<string> => new Set([...from].filter((s) => !states.includes(s)));
/** ss.c SS_CONN: the default state filter — every state but LISTEN, UNCONN (SS_CLOSE), TIME-WAIT and SYN-RECV. */
const CONNECTED = minus(ALL, 'LISTEN', 'UNCONN', 'TIME-WAIT', 'SYN-RECV');

/**
 * `state NAME` / `exclude NAME` names (ss.c scan_state) → the states they stand for: the single states the parser
 * knows (STATE_FILTERS), ss's other spellings of two of them, and its groups.
 */
const STATE_NAMES: Record<string, ReadonlySet<string>> = {
  ...Object.fromEntries(Object.entries(STATE_FILTERS).map(([name, state]) => [name, new Set([state])])),
  'syn-rcv': new Set(['SYN-RECV']), close: new Set(['UNCONN']), all: ALL,
  connected: minus(ALL, 'UNCONN', 'LISTEN'), synchronized: minus(ALL, 'UNCONN', 'LISTEN', 'SYN-SENT'),
  bucket: new Set(['SYN-RECV', 'TIME-WAIT']), big: minus(ALL, 'SYN-RECV', 'TIME-WAIT'),
};

/** Table groups of parseFlags → their netids (raw sockets show as `icmp6` or `???` for some protocols). */
const GROUP_NETIDS: Record<string, string[]> = {
  '*unix': ['u_str', 'u_dgr', 'u_seq'],
  '*packet': ['p_raw', 'p_dgr'],
  '*inet': ['tcp', 'udp', 'raw', 'icmp6', '???', 'dccp', 'mptcp', 'sctp'],
  '*vsock': ['v_str', 'v_dgr'],
  '*tipc': ['ti_st', 'ti_dg', 'ti_rd', 'ti_sq', 'ti_un'],
  '*xdp': ['xdp'],
  raw: ['raw', 'icmp6', '???'],
};

/** Tables whose default states (ss.c default_dbs) go beyond SS_CONN in some iproute2 version. */
const UNCONN_BY_DEFAULT = new Set(['u_dgr', '*unix', '*packet', 'nl', '*xdp', '*tipc']);

/** What a capture taken with `flags` can list (see Coverage). */
export function captureCoverage(flags: string): Coverage {
  const info = parseFlags(flags);
  if (info.letters.has('E')) return { flags: flags.trim(), ...eventsOf(info) };
  return { flags: flags.trim(), ...netidsOf(info), ...statesOf(info) };
}

/** The states of the sockets ss -E reports destroyed, by table: a tcp socket is closed; a udp one unconnected or connected. */
const EVENT_STATES: ReadonlyMap<string, ReadonlySet<string>> = new Map([['tcp', new Set(['UNCONN'])], ['udp', new Set(['UNCONN', 'ESTAB'])]]);

/** What an ss -E capture lists: of the tables its flags name (none named: all), tcp and udp, in EVENT_STATES. */
function eventsOf(info: FlagInfo): Pick<Coverage, 'netids' | 'states' | 'statesOf' | 'events'> {
  const named = netidsOf(info).netids; // (undefined: every table, or a group not known here)
  const netids = new Set([...EVENT_STATES.keys()].filter((n) => named === undefined || named.has(n)));
  const states = new Set([...netids].flatMap((n) => [...EVENT_STATES.get(n)!]));
  return { netids, states, statesOf: new Map([...netids].map((n) => [n, EVENT_STATES.get(n)!])), events: true };
}

function netidsOf(info: FlagInfo): { netids?: Set<string> } {
  if (info.tables.size === 0) return {};
  const netids = new Set<string>();
  for (const t of info.tables) {
    const members = GROUP_NETIDS[t] ?? (t.startsWith('*') ? undefined : [t]);
    if (members === undefined) return {}; // `*all`, or a group not known here: every table
    for (const n of members) netids.add(n);
  }
  return { netids };
}

function statesOf(info: FlagInfo): { states?: Set<string> } {
  if (info.stateWords.length > 0) {
    // `state`/`exclude` replace -a/-l: the first `state` starts from none, the first `exclude` from all
    const states = info.stateWords[0].exclude ? new Set(ALL) : new Set<string>();
    for (const { exclude, name } of info.stateWords) {
      const named = STATE_NAMES[name];
      if (named === undefined) return {}; // a name ss does not know (it refuses them): say nothing
      for (const s of named) exclude ? states.delete(s) : states.add(s);
    }
    return { states };
  }
  if (info.letters.has('a')) return {}; // with -l too: whichever came last, nothing is said to be missing
  if (info.letters.has('l')) return { states: new Set(['LISTEN', 'UNCONN']) };
  const tables = info.tables.size === 0 ? ['*all'] : [...info.tables]; // no table named: ss lists them all
  if (tables.some((t) => t.startsWith('*') && t !== '*all' && !(t in GROUP_NETIDS))) return {}; // a group not known here
  const defaults = new Set(CONNECTED);
  if (tables.some((t) => t === '*all' || UNCONN_BY_DEFAULT.has(t))) defaults.add('UNCONN');
  if (tables.includes('*tipc')) defaults.add('LISTEN'); // ss.c TIPC_SS_CONN
  return { states: defaults };
}

/** Whether a capture of this coverage can list a socket of this netid and state (undefined: any). */
export function covers(c: Coverage, netid: string | undefined, state: string | undefined): boolean {
  if (netid === 'unknown') return true; // its table could not be told: it may be any
  if (netid !== undefined && c.netids !== undefined && !c.netids.has(netid)) return false;
  const states = (netid !== undefined ? c.statesOf?.get(netid) : undefined) ?? c.states;
  // a state outside ss's filter bits (NEW-SYN-RECV, BOUND-INACTIVE, UNKNOWN…) or none: the filter does not tell
  return states === undefined || state === undefined || !ALL.has(state) || states.has(state);
}

/** The ss option that lists a table's sockets. */
export const TABLE_OPTIONS: Readonly<Record<string, string>> = {
  tcp: '-t', udp: '-u', raw: '-w', mptcp: '-M', sctp: '-S', dccp: '-d', u_str: '-x', u_dgr: '-x', u_seq: '-x', p_raw: '-0', p_dgr: '-0',
  nl: '-A netlink', v_str: '--vsock', v_dgr: '--vsock', xdp: '--xdp', ti_st: '--tipc', ti_dg: '--tipc', ti_rd: '--tipc', ti_sq: '--tipc',
};

/**
 * How a capture lists the sockets a rule's filter admits, for the rule reference: "tcp in state CLOSE-WAIT:
 * listed by ss -t with -a (not -l)"; undefined when the rule admits any socket.
 */
export function listedBy(f: SocketFilter | undefined): string | undefined {
  if (!f || (!f.netids && !f.states)) return undefined;
  const what = `${f.netids ? [...f.netids].map((n) => `\`${n}\``).join(', ') : 'any table'}${f.states ? ` in state ${[...f.states].map((s) => `\`${s}\``).join(', ')}` : ''}`;
  const how = ['ss'];
  if (f.netids) how.push([...new Set([...f.netids].map((n) => TABLE_OPTIONS[n] ?? '-A'))].join(' / '));
  if (f.states) {
    const listening = captureCoverage('-l');
    how.push([...f.states].some((s) => covers(listening, undefined, s)) ? 'with -a or -l' : 'with -a (not -l)');
  }
  return `${what}: listed by ${how.join(' ')}`;
}
