/**
 * Stable fingerprints: the same exposure gets the same id whatever run, PID, ephemeral port, line number
 * or `ss` flag set produced it. Inputs are only facts every flag set carries (netid, addresses, ports).
 */
import { sha256Hex } from '../hash';
import type { Endpoint, SocketRecord } from '../snapshot/types';

/** Linux's default ephemeral range starts at 32768; ports at/above it on the client side are not identity. */
const EPHEMERAL_START = 32768;

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
 * The part of a socket that names the service it belongs to: a listener or unconnected socket is its local
 * endpoint; a connected socket is named by the side that is not ephemeral (the server side), so that
 * reconnects from new ephemeral ports keep their fingerprint.
 */
export function socketIdentity(s: SocketRecord): string {
  const unix = s.netid.startsWith('u_');
  if (unix) return `${s.netid}|${s.local.address}`;
  const connected = s.peer.port !== null && s.peer.address !== '*' && s.peer.address !== '0.0.0.0' && s.peer.address !== '::';
  if (!connected) return `${s.netid}|local|${endpointKey(s.local)}`;
  const localEphemeral = s.local.port !== null && s.local.port >= EPHEMERAL_START;
  const peerEphemeral = s.peer.port !== null && s.peer.port >= EPHEMERAL_START;
  if (localEphemeral && !peerEphemeral) return `${s.netid}|to|${endpointKey(s.peer)}|from|${s.local.address}`;
  return `${s.netid}|local|${endpointKey(s.local)}|peer|${s.peer.address}`;
}

export function fingerprint(parts: string[]): string {
  return sha256Hex(parts.join('\u0000'), 16);
}

export function socketFingerprint(ruleId: string, host: string, s: SocketRecord): string {
  return fingerprint(['socket/v1', ruleId, host, socketIdentity(s)]);
}

export function groupFingerprint(ruleId: string, host: string, group: Record<string, string | number | null>): string {
  const key = Object.keys(group).sort().map((k) => `${k}=${group[k] === null ? '' : String(group[k])}`).join(',');
  return fingerprint(['aggregate/v1', ruleId, host, key]);
}
