/**
 * Socket records: the facts parsed from one `ss` row (main line + its continuation lines).
 * Field names are the public JSON contract (`schemas/socket.schema.json`, README "Socket records").
 * A field the snapshot did not carry is absent — never 0 or "" in its place.
 */

export interface Location {
  /** The snapshot file as the user named it (`-` for stdin, `live:<host>` for a live capture). */
  file: string;
  /** 1-based line of the socket's main row. */
  line: number;
}

export interface Endpoint {
  /**
   * inet: address without brackets and without `%iface` (`0.0.0.0`, `::`, `*`, `::ffff:10.0.0.1`, or a
   * host name printed by `ss -r`); unix: socket name (`*` unnamed, `@abstract`, `/path`);
   * netlink: protocol (`rtnl`, `0`); packet: ethertype (`*`, `ip`, `[2048]`); vsock: CID.
   */
  address: string;
  /** Numeric port; null for `*` or a name that could not be mapped. unix: the socket inode; netlink: port id. */
  port: number | null;
  /** Port as printed when it was not a number: service name (`mysql`), raw protocol (`ipv6-icmp`), `kernel`, `systemd/1`. */
  portName?: string;
  /** Device from `addr%iface` (local side), or the packet socket's interface. */
  iface?: string;
  /** Unix filesystem path (names starting with `/`). */
  path?: string;
}

export interface ProcessRef {
  name: string;
  pid: number;
  fd?: number;
  tid?: number;
  procCtx?: string;
  sockCtx?: string;
}

export interface Timer {
  /** on | keepalive | timewait | persist | delack | unknown | T3_RTX ... */
  name: string;
  /** Milliseconds until expiry; 0 for the empty TIME (`on,,0`); null when the printed value is absurd/unknown. */
  expiresMs: number | null;
  /** Retransmissions (for `on`) or probes (otherwise). */
  retrans: number;
}

export interface SkMem {
  r?: number; rb?: number; t?: number; tb?: number; f?: number; w?: number; o?: number; bl?: number; d?: number;
}

/** `-i` TCP info. Numbers as numbers, times in ms, rates in bits per second. Unknown keys kept as they come. */
export interface TcpInfo {
  congestion?: string;
  flags?: string[];            // ts sack ecn ecnseen fastopen usec_ts app_limited ...
  wscaleSnd?: number; wscaleRcv?: number;
  rto?: number; backoff?: number; rtt?: number; rttvar?: number; ato?: number;
  mss?: number; pmtu?: number; rcvmss?: number; advmss?: number; cwnd?: number; ssthresh?: number;
  bytesSent?: number; bytesRetrans?: number; bytesAcked?: number; bytesReceived?: number;
  segsOut?: number; segsIn?: number; dataSegsOut?: number; dataSegsIn?: number;
  send?: number; pacingRate?: number; pacingRateMax?: number; deliveryRate?: number;
  lastsnd?: number; lastrcv?: number; lastack?: number;
  delivered?: number; deliveredCe?: number;
  busy?: number; rwndLimited?: number; sndbufLimited?: number;
  unacked?: number; retrans?: number; retransTotal?: number;
  lost?: number; sacked?: number; dsackDups?: number; fackets?: number;
  reordering?: number; reordSeen?: number; rcvRtt?: number; rcvSpace?: number; rcvSsthresh?: number;
  notsent?: number; minrtt?: number; rcvOoopack?: number; sndWnd?: number; rcvWnd?: number; rehash?: number;
  [key: string]: unknown;
}

export interface SocketRecord {
  netid: string;
  /** Present when the Netid column was absent: how `netid` was decided, or why it could not be (`netid` is then `unknown`). */
  netidInferred?: string;
  /** Absent when the State column was absent and the state cannot be known. */
  state?: string;
  /** Present when the State column was absent and the state was decided from the query/layout. */
  stateInferred?: string;
  recvQ?: number;
  sendQ?: number;
  local: Endpoint;
  peer: Endpoint;
  processes?: ProcessRef[];
  timer?: Timer;
  uid?: number;
  inode?: number;
  sk?: string;
  cgroup?: string;
  v6only?: boolean;
  /** `<->` `-->` `<--` `---` */
  shutdown?: string;
  fwmark?: string;
  skmem?: SkMem;
  tcp?: TcpInfo;
  /** Items ss printed that socklint does not model, kept verbatim (key → value, or bare word → true). */
  extra?: Record<string, string | boolean>;
  location: Location;
}

/** `ss -s` output. */
export interface SsSummary {
  total?: number;
  kernel?: number;
  tcp?: { total?: number; estab?: number; closed?: number; orphaned?: number; synrecv?: number; timewait?: number; timewait2?: number; ports?: number };
  /** Transport table rows: RAW UDP TCP INET FRAG `*` → {total, ip, ipv6} (null for `-`). */
  transport?: Record<string, { total: number | null; ip: number | null; ipv6: number | null }>;
  location: Location;
}

export interface UnparsedLine {
  line: number;
  /** The line's text, cut to a sane length for reports. */
  text: string;
  reason: string;
}

/** Which optional field groups a snapshot carries; decides "not evaluated" for rules needing them. */
export type FieldGroup = 'state' | 'queues' | 'processes' | 'timer' | 'extended' | 'skmem' | 'tcpinfo';
