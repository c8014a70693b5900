/**
 * Stable fingerprints: the same exposure gets the same id whatever run, PID, ephemeral port, line number
 * or `ss` flag set produced it. Inputs are only facts every flag set carries (netid, addresses, ports).
 */
import { sha256Hex } from '../hash';
import type { Endpoint, SocketRecord } from '../snapshot/types';
import { undecidedKind, type UndecidedKind } from '../snapshot/parser';
import type { Finding } from './types';

/**
 * Linux's default ephemeral range (net.ipv4.ip_local_port_range, 32768–60999): a port in it on one side of a
 * connection, and not on the other, is the client's, and not identity. Ports from 61000 (ActiveMQ's 61616)
 * are services.
 */
const EPHEMERAL_START = 32768;
const EPHEMERAL_END = 60999;

function ephemeral(port: number | null): boolean {
  return port !== null && port >= EPHEMERAL_START && port <= EPHEMERAL_END;
}

/**
 * `*` (dual-stack) and `::` (v6only) are the same IPv6 wildcard bind; only the v6only flag differs, which
 * the /proc fallback cannot see. One identity for both keeps a baseline valid across ss and /proc captures.
 */
function addressKey(address: string): string {
  return address === '*' ? '::' : address;
}

function endpointKey(e: Endpoint): string {
  const port = e.port === null ? (e.portName ?? '*') : String(e.port);
  return `${addressKey(e.address)}|${port}`;
}

/**
 * The table a socket whose table could not be told (a capture without a Netid column) most likely is: another
 * capture of the same host, where some row decided the table (a CLOSE-WAIT row makes an `ss -tn` table tcp),
 * lists the same socket with that netid, and it must keep its fingerprint there. Told by the parser's
 * undecidedKind; a socket of no such kind (`other`) stays `unknown`.
 */
function likelyNetid(s: SocketRecord): string {
  // an inet row (ESTAB: tcp or connected udp; no State column): tcp, the table ss is asked for most
  return LIKELY_NETID[undecidedKind(s)] ?? s.netid;
}

const LIKELY_NETID: Partial<Record<UndecidedKind, string>> = { inet: 'tcp', unix: 'u_str', packet: 'p_raw', tipc: 'ti_st' };

/**
 * The part of a socket that names the service it belongs to: a listener or unconnected socket is its local
 * endpoint; a connected socket is named by the side that is not ephemeral (the server side), so that
 * reconnects from new ephemeral ports keep their fingerprint. (Which side listens is not known when a finding
 * is made — listeners may come later in the file, or in another thread's part of it — so the ports decide.)
 * A socket of undecided table is named as the table it most likely is (likelyNetid).
 */
export function socketIdentity(s: SocketRecord): string {
  const netid = s.netid === 'unknown' ? likelyNetid(s) : s.netid;
  // an unnamed unix socket (`*`: a client's, a socketpair) has no name of its own, and every one of a host was
  // one identity, so a baseline entry for rsyslogd's accepted a new process's drops: the names of its processes
  // tell them apart where -p shows them
  if (netid.startsWith('u_')) return s.local.address === '*' ? `${netid}|*${processNames(s)}` : `${netid}|${s.local.address}`;
  // a netlink socket's port is its owner's PID (`rtnl:NetworkManager/878`) or an id the kernel made up: its
  // protocol and owner's name are what stays when the process restarts
  if (netid === 'nl') return `nl|${s.local.address}|${netlinkOwner(s)}`;
  const connected = s.peer.port !== null && s.peer.address !== '*' && s.peer.address !== '0.0.0.0' && s.peer.address !== '::';
  if (!connected) return `${netid}|local|${endpointKey(s.local)}`;
  const localEphemeral = ephemeral(s.local.port);
  const peerEphemeral = ephemeral(s.peer.port);
  // neither port in the range (a host whose range was moved below it, NAT): the lower one is the service's
  const toPeer = localEphemeral !== peerEphemeral
    ? localEphemeral
    : !localEphemeral && s.local.port !== null && s.peer.port !== null && s.peer.port < s.local.port;
  if (toPeer) return `${netid}|to|${endpointKey(s.peer)}|from|${s.local.address}`;
  // (both in the range — a client of a service on 50051 — cannot be told from the ports: the local side)
  return `${netid}|local|${endpointKey(s.local)}|peer|${s.peer.address}`;
}

/** `|name,name` of a socket's processes (sorted, once each), or nothing without -p. */
function processNames(s: SocketRecord): string {
  if (s.processes === undefined || s.processes.length === 0) return '';
  return `|${[...new Set(s.processes.map((p) => p.name))].sort().join(',')}`;
}

/** Who a netlink socket belongs to: the COMM of ss's `COMM/PID`, `kernel` (port 0), or its processes' names. */
function netlinkOwner(s: SocketRecord): string {
  const name = s.local.portName;
  if (name !== undefined) return name.replace(/\/-?\d+$/, '');
  if (s.local.port === 0) return 'kernel';
  return processNames(s).slice(1) || '*';
}

export function fingerprint(parts: string[]): string {
  return sha256Hex(parts.join('\u0000'), 16);
}

export function socketFingerprint(ruleId: string, host: string, s: SocketRecord): string {
  return fingerprint(['socket/v1', ruleId, host, socketIdentity(s)]);
}

/**
 * The fingerprint a finding on a socket of undecided table had before such a socket was named by its likely
 * table (netid `unknown` then), or undefined: baselines and waivers written with it still match the finding.
 */
export function formerFingerprint(f: Finding): string | undefined {
  const s = f.socket;
  if (s === undefined || s.netid !== 'unknown' || s.netidInferred === undefined) return undefined;
  return socketFingerprint(f.ruleId, f.host, { ...s, netidInferred: undefined });
}

export function groupFingerprint(ruleId: string, host: string, group: Record<string, string | number | null>): string {
  const key = Object.keys(group).sort().map((k) => `${k}=${group[k] === null ? '' : String(group[k])}`).join(',');
  return fingerprint(['aggregate/v1', ruleId, host, key]);
}
