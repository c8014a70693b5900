/**
 * The fields a rule can read from a SocketRecord: name, value type, the snapshot field group that
 * carries it (for "not evaluated") and how to read it. The rule schema's condition keys are generated
 * from this table (`src/rules/schema-build.ts`), so editors complete exactly these names.
 */
import type { FieldGroup, SocketRecord, Endpoint } from '../snapshot/types';
import { addressFamily, addressScope, ADDRESS_FAMILIES, ADDRESS_SCOPES } from './address';

/** number: numeric operators; string: text operators; address: + cidr; enum: closed vocabulary; boolean. */
export type FieldType = 'number' | 'string' | 'address' | 'enum' | 'boolean';

export type FieldValue = number | string | boolean;

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Snapshot field group needed; null when every snapshot carries the field. */
  group: FieldGroup | null;
  description: string;
  /** Closed vocabulary for `enum` fields (schema enum, completion, did-you-mean). */
  values?: readonly string[];
  /** Values are a list (processes, tcp flags): a matcher holds when any element satisfies it. */
  list?: boolean;
  unit?: string;
  /** Read the value(s); undefined when the socket does not carry the field. */
  get(s: SocketRecord): FieldValue | FieldValue[] | undefined;
}

/** Kept equal to the parser's vocabularies (src/snapshot/parser.ts). */
export const STATES = ['ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'UNKNOWN', 'UNDEF', 'CLOSED', 'NEW-SYN-RECV', 'BOUND-INACTIVE'] as const;
export const NETIDS = ['tcp', 'udp', 'raw', 'icmp6', '???', 'mptcp', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl', 'v_str', 'v_dgr', 'ti_st', 'ti_dg', 'ti_rd', 'ti_sq', 'ti_un', 'xdp', 'unknown'] as const;
export const TIMER_NAMES = ['on', 'keepalive', 'timewait', 'persist', 'delack', 'unknown', 'T3_RTX'] as const;
export const SHUTDOWN_MARKERS = ['<->', '-->', '<--', '---'] as const;

const NON_INET = /^(u_|p_|nl$|v_|ti_|xdp$)/;

function scopeOf(s: SocketRecord, e: Endpoint): FieldValue {
  if (NON_INET.test(s.netid)) return 'none';
  // bound to the loopback device (`0.0.0.0%lo:5432`: SO_BINDTODEVICE): whatever its address, only loopback reaches it
  if (e.iface === 'lo') return 'loopback';
  return addressScope(e.address);
}

/** Per ss: tcp_info items are printed only when non-zero (rto when not 3000 ms, reordering when not 3). */
const TCP_DEFAULTS: Record<string, number | undefined> = { rto: 3000, reordering: 3, ssthresh: undefined };

function tcpNumber(key: string) {
  return (s: SocketRecord): number | undefined => {
    const t = s.tcp;
    if (!t) return undefined;
    const v = t[key];
    if (typeof v === 'number') return v;
    if (v !== undefined) return undefined;
    return Object.prototype.hasOwnProperty.call(TCP_DEFAULTS, key) ? TCP_DEFAULTS[key] : 0;
  };
}

const endpointFields = (side: 'local' | 'peer'): FieldDef[] => {
  const e = (s: SocketRecord) => s[side];
  const what = side === 'local' ? 'Local' : 'Peer';
  return [
    { name: `${side}.address`, type: 'address', group: null, description: `${what} address as ss printed it, without brackets or %iface: \`0.0.0.0\`, \`*\` (dual-stack wildcard), \`::\`, \`::ffff:10.0.0.1\`; unix: the socket name.`, get: (s) => e(s)?.address },
    { name: `${side}.port`, type: 'number', group: null, description: `${what} port as a number (the parser maps service names such as \`ssh\`, \`mysql\`); absent for \`*\`. Unix: the socket inode.`, get: (s) => e(s)?.port ?? undefined },
    { name: `${side}.portName`, type: 'string', group: null, description: `${what} port as printed when it was not a number (\`mysql\`, \`ipv6-icmp\`, \`kernel\`).`, get: (s) => e(s)?.portName },
    { name: `${side}.iface`, type: 'string', group: null, description: `${what} device from \`addr%iface\` (SO_BINDTODEVICE or link-local zone).`, get: (s) => e(s)?.iface },
    { name: `${side}.path`, type: 'string', group: null, description: `${what} unix socket filesystem path (names starting with \`/\`).`, get: (s) => e(s)?.path },
    {
      name: `${side}.scope`, type: 'enum', group: null, values: ADDRESS_SCOPES,
      description: `${what} address scope: loopback (127/8, ::1, ::ffff:127.x, localhost), wildcard (\`*\`, 0.0.0.0, ::), private (RFC 1918, 100.64/10 CGNAT, fc00::/7), link-local (169.254/16, fe80::/10), multicast, public, none (unix, netlink, packet, unresolved names).`,
      get: (s) => (e(s) ? scopeOf(s, e(s)) : undefined),
    },
    {
      name: `${side}.family`, type: 'enum', group: null, values: ADDRESS_FAMILIES,
      description: `Which IP family reaches the ${side} address: ipv4 (incl. ::ffff:a.b.c.d), ipv6, dual (\`*\`, and \`::\` unless v6only:1 — reachable over IPv4 too), unix, other.`,
      get: (s) => (e(s) ? addressFamily(s.netid, e(s).address, s.v6only) : undefined),
    },
  ];
};

const skmemField = (key: string, description: string): FieldDef => ({
  name: `skmem.${key}`, type: 'number', group: 'skmem', unit: key === 'd' ? 'packets' : 'bytes', description,
  get: (s) => {
    const v = s.skmem?.[key as keyof NonNullable<SocketRecord['skmem']>];
    return typeof v === 'number' ? v : undefined;
  },
});

const tcpField = (key: string, description: string, unit?: string): FieldDef => ({
  name: `tcp.${key}`, type: 'number', group: 'tcpinfo', unit, description, get: tcpNumber(key),
});

export const FIELDS: readonly FieldDef[] = [
  { name: 'netid', type: 'enum', group: null, values: NETIDS, description: 'Socket table: tcp, udp, raw, u_str (unix stream), u_dgr, u_seq, nl (netlink), p_raw, mptcp, sctp, ...', get: (s) => s.netid },
  { name: 'state', type: 'enum', group: 'state', values: STATES, description: 'Socket state as ss prints it: LISTEN, ESTAB, TIME-WAIT, CLOSE-WAIT, SYN-SENT, UNCONN, ...', get: (s) => s.state },
  { name: 'recvQ', type: 'number', group: 'queues', unit: 'bytes', description: 'Recv-Q: unread bytes; for LISTEN sockets the current accept-queue length.', get: (s) => s.recvQ },
  { name: 'sendQ', type: 'number', group: 'queues', unit: 'bytes', description: 'Send-Q: unsent/unacknowledged bytes; for LISTEN sockets the backlog limit.', get: (s) => s.sendQ },
  ...endpointFields('local'),
  ...endpointFields('peer'),
  { name: 'process.name', type: 'string', group: 'processes', list: true, description: 'Name (comm) of a process holding the socket (ss -p). Matches when any process matches. Attacker-controlled text.', get: (s) => s.processes?.map((p) => p.name) },
  { name: 'process.pid', type: 'number', group: 'processes', list: true, description: 'PID of a process holding the socket (ss -p). Matches when any process matches.', get: (s) => s.processes?.map((p) => p.pid) },
  { name: 'process.count', type: 'number', group: 'processes', description: 'How many (process, fd) entries hold the socket (ss -p).', get: (s) => s.processes?.length },
  { name: 'timer.name', type: 'enum', group: 'timer', values: TIMER_NAMES, description: 'Pending timer (ss -o): on (retransmit/probe), keepalive, timewait, persist, delack, unknown.', get: (s) => s.timer?.name },
  { name: 'timer.expiresMs', type: 'number', group: 'timer', unit: 'ms', description: 'Milliseconds until the timer expires.', get: (s) => s.timer?.expiresMs ?? undefined },
  { name: 'timer.retrans', type: 'number', group: 'timer', description: 'Timer count: retransmissions for `on`, probes otherwise.', get: (s) => s.timer?.retrans },
  { name: 'uid', type: 'number', group: 'extended', description: 'Owner uid of an inet socket (ss -e; ss omits uid 0, so it reads 0 when -e fields are present; ss prints no uid for unix sockets: absent there).', get: (s) => (s.uid !== undefined ? s.uid : s.inode !== undefined ? 0 : undefined) },
  { name: 'inode', type: 'number', group: 'extended', description: 'Socket inode (ss -e); 0 for TIME-WAIT, request and orphaned sockets.', get: (s) => s.inode },
  { name: 'cgroup', type: 'string', group: 'extended', description: 'cgroup v2 path (ss -e / --cgroup), e.g. /system.slice/sshd.service.', get: (s) => s.cgroup },
  { name: 'v6only', type: 'boolean', group: 'extended', description: 'IPV6_V6ONLY of an IPv6 socket (ss -e).', get: (s) => s.v6only },
  { name: 'shutdown', type: 'enum', group: 'extended', values: SHUTDOWN_MARKERS, description: 'Shutdown marker (ss -e): <-> both open, --> receive side shut, <-- send side shut, --- both.', get: (s) => s.shutdown },
  { name: 'fwmark', type: 'string', group: 'extended', description: 'SO_MARK as printed (0x...), ss -e.', get: (s) => s.fwmark },
  skmemField('r', 'skmem r: receive queue memory allocated (rmem_alloc), bytes.'),
  skmemField('rb', 'skmem rb: receive buffer size (SO_RCVBUF), bytes.'),
  skmemField('t', 'skmem t: transmit queue memory allocated (wmem_alloc), bytes.'),
  skmemField('tb', 'skmem tb: send buffer size (SO_SNDBUF), bytes.'),
  skmemField('f', 'skmem f: forward-allocated memory, bytes.'),
  skmemField('w', 'skmem w: queued write memory (wmem_queued), bytes.'),
  skmemField('o', 'skmem o: option memory, bytes.'),
  skmemField('bl', 'skmem bl: backlog queue, bytes.'),
  skmemField('d', 'skmem d: packets dropped before reaching the socket.'),
  { name: 'tcp.congestion', type: 'string', group: 'tcpinfo', description: 'Congestion control algorithm (cubic, bbr, reno, ...).', get: (s) => (typeof s.tcp?.congestion === 'string' ? s.tcp.congestion : undefined) },
  { name: 'tcp.flags', type: 'string', group: 'tcpinfo', list: true, description: 'TCP option flags (ts, sack, ecn, ecnseen, fastopen, app_limited, ...). Matches when any flag matches.', get: (s) => (s.tcp ? (Array.isArray(s.tcp.flags) ? s.tcp.flags : []) : undefined) },
  tcpField('rtt', 'Smoothed round-trip time (srtt).', 'ms'),
  tcpField('rttvar', 'Round-trip time variation.', 'ms'),
  tcpField('rto', 'Retransmission timeout (3000 when ss omitted it).', 'ms'),
  tcpField('ato', 'Delayed-ACK timeout.', 'ms'),
  tcpField('minrtt', 'Minimum observed RTT.', 'ms'),
  tcpField('rcvRtt', 'Receiver-side RTT estimate.', 'ms'),
  tcpField('backoff', 'Exponential backoff count of the retransmission timer (0 when absent).'),
  tcpField('retrans', 'Retransmitted segments currently unacknowledged (first number of retrans:A/B).'),
  tcpField('retransTotal', 'Total retransmissions over the connection (second number of retrans:A/B).'),
  tcpField('lost', 'Segments considered lost.'),
  tcpField('unacked', 'Unacknowledged segments; on LISTEN sockets the current accept queue.'),
  tcpField('sacked', 'Selectively acknowledged segments.'),
  tcpField('cwnd', 'Congestion window (segments).', 'segments'),
  tcpField('ssthresh', 'Slow-start threshold (absent when infinite).', 'segments'),
  tcpField('mss', 'Maximum segment size.', 'bytes'),
  tcpField('pmtu', 'Path MTU.', 'bytes'),
  tcpField('rcvmss', 'Receive-side MSS estimate.', 'bytes'),
  tcpField('advmss', 'Advertised MSS.', 'bytes'),
  tcpField('bytesSent', 'Bytes sent.', 'bytes'),
  tcpField('bytesRetrans', 'Bytes retransmitted.', 'bytes'),
  tcpField('bytesAcked', 'Bytes acknowledged.', 'bytes'),
  tcpField('bytesReceived', 'Bytes received.', 'bytes'),
  tcpField('segsOut', 'Segments sent.'),
  tcpField('segsIn', 'Segments received.'),
  tcpField('dataSegsOut', 'Data segments sent.'),
  tcpField('dataSegsIn', 'Data segments received.'),
  tcpField('send', 'Send rate estimate (cwnd·mss/rtt).', 'bits/s'),
  tcpField('pacingRate', 'Pacing rate.', 'bits/s'),
  tcpField('deliveryRate', 'Delivery rate.', 'bits/s'),
  tcpField('lastsnd', 'Time since the last send.', 'ms'),
  tcpField('lastrcv', 'Time since the last receive.', 'ms'),
  tcpField('lastack', 'Time since the last ACK.', 'ms'),
  tcpField('delivered', 'Segments delivered.'),
  tcpField('busy', 'Time the connection was busy sending.', 'ms'),
  tcpField('rwndLimited', 'Time limited by the receive window.', 'ms'),
  tcpField('sndbufLimited', 'Time limited by the send buffer.', 'ms'),
  tcpField('reordering', 'Reordering metric (3 when ss omitted it).'),
  tcpField('reordSeen', 'Reordering events seen.'),
  tcpField('dsackDups', 'Duplicate segments reported by DSACK.'),
  tcpField('notsent', 'Bytes not yet sent (in the write queue).', 'bytes'),
  tcpField('rcvSpace', 'Receive space estimate.', 'bytes'),
  tcpField('rcvSsthresh', 'Receive slow-start threshold.', 'bytes'),
  tcpField('rcvOoopack', 'Out-of-order packets received.'),
  tcpField('sndWnd', 'Peer-advertised send window.', 'bytes'),
  tcpField('rcvWnd', 'Advertised receive window.', 'bytes'),
];

export const FIELD_BY_NAME: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((f) => [f.name, f]));

/**
 * What other tools, ss's filters and habit call the socket's fields and the operators, lower-cased → the name to
 * write: the hint of an unknown-field or unknown-operator error, where the spelling is too far for "did you mean"
 * (the schema's `x-key-aliases`, schema-build.ts; the compiler's own check of a waiver's `where:`).
 */
export const FIELD_ALIASES: Record<string, string> = {
  proto: 'netid', protocol: 'netid', type: 'netid', status: 'state', sport: 'local.port', dport: 'peer.port',
  src: 'local.address', source: 'local.address', laddr: 'local.address', bind: 'local.address',
  dst: 'peer.address', dest: 'peer.address', destination: 'peer.address', raddr: 'peer.address', remote: 'peer.address',
  process: 'process.name', program: 'process.name', comm: 'process.name', command: 'process.name', exe: 'process.name', pid: 'process.pid',
  user: 'uid', 'recv-q': 'recvQ', 'send-q': 'sendQ', recvq: 'recvQ', sendq: 'sendQ',
};
export const OPERATOR_ALIASES: Record<string, string> = {
  regex: 'matches', regexp: 'matches', re: 'matches', pattern: 'matches', match: 'matches', '=~': 'matches',
  equals: 'eq', equal: 'eq', is: 'eq', '==': 'eq', '=': 'eq', oneof: 'in', one_of: 'in', anyof: 'in',
  '>': 'gt', greaterthan: 'gt', above: 'gt', '>=': 'gte', min: 'gte', '<': 'lt', lessthan: 'lt', below: 'lt', '<=': 'lte', max: 'lte',
  range: 'between', subnet: 'cidr', network: 'cidr', wildcard: 'glob', present: 'exists',
};
export const NUMERIC_FIELDS: readonly string[] = FIELDS.filter((f) => f.type === 'number').map((f) => f.name);
export const FIELD_GROUPS: readonly FieldGroup[] = ['state', 'queues', 'processes', 'timer', 'extended', 'skmem', 'tcpinfo'];

/** The ss flag that produces each field group (for docs and "not evaluated" reasons). */
export const GROUP_FLAGS: Readonly<Record<FieldGroup, string>> = {
  state: 'the State column: ss -a / -l, or a single-state query the parser can infer',
  queues: 'the Recv-Q/Send-Q columns (absent only with -Q)',
  processes: 'ss -p, as root',
  timer: 'ss -o or -e',
  extended: 'ss -e',
  skmem: 'ss -m',
  tcpinfo: 'ss -i',
};
