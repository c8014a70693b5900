/** Compact one-line renderings of sockets for people: `tcp 0.0.0.0:3306 mysqld[812]`. */
import type { Endpoint, SocketRecord } from './types';

export function formatEndpoint(e: Endpoint, netid: string): string {
  if (netid.startsWith('u_')) return e.address;
  // a netlink socket's port as ss printed it: `NetworkManager/878`, `kernel` (its number alone is a PID)
  const port = e.port === null || (netid === 'nl' && e.portName !== undefined) ? (e.portName ?? '*') : String(e.port);
  const address = e.address.includes(':') ? `[${e.address}]` : e.address;
  const iface = e.iface ? `%${e.iface}` : '';
  return `${address}${iface}:${port}`;
}

/** `tcp ESTAB 10.0.0.1:443 -> 10.0.0.9:51234 nginx[812]`; the peer is left out when unconnected. */
export function describeSocket(s: SocketRecord): string {
  const parts = [s.netid];
  if (s.state) parts.push(s.state);
  parts.push(formatEndpoint(s.local, s.netid));
  const peer = s.peer;
  const unconnected = peer.address === '*' || peer.port === null || (peer.port === 0 && s.netid.startsWith('u_'));
  if (!unconnected) parts.push('->', formatEndpoint(peer, s.netid));
  if (s.processes && s.processes.length > 0) {
    // (a pid masked by --redact is null in the report's copy: the name alone)
    const shown = s.processes.slice(0, 3).map((p) => (typeof p.pid === 'number' ? `${p.name}[${p.pid}]` : p.name));
    if (s.processes.length > 3) shown.push(`+${s.processes.length - 3}`);
    parts.push(shown.join(','));
  }
  return parts.join(' ');
}
