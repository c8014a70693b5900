/**
 * Fingerprints are a contract: baselines and waivers written by earlier versions name findings by them. The
 * values below were made by `createHash('sha256')` of the documented inputs; whichever hash call this Node.js
 * uses (sha256Hex) must keep them.
 */
import { createHash } from 'node:crypto';
import { formerFingerprint, groupFingerprint, socketFingerprint } from '../../src/engine/fingerprint';
import type { Finding } from '../../src/engine/types';
import { sha256Hex } from '../../src/hash';
import { parseSsText } from '../../src/snapshot/parser';
import type { SocketRecord } from '../../src/snapshot/types';

const location = { file: 'web-01.ss', line: 3 };

it('keeps the fingerprints of a connected socket, a wildcard listener and an aggregate group', () => {
  const client = { netid: 'tcp', state: 'ESTAB', local: { address: '10.0.1.15', port: 41234 }, peer: { address: '10.0.2.30', port: 6379 }, recvQ: 0, sendQ: 0, location } as SocketRecord;
  const listener = { netid: 'tcp', state: 'LISTEN', local: { address: '*', port: 22 }, peer: { address: '*', port: null }, recvQ: 0, sendQ: 0, location } as SocketRecord;
  expect(socketFingerprint('recv-queue-backlog', 'web-01', client)).toBe('d68f3dee2ff7b4f2eff6e95010b96095');
  expect(socketFingerprint('dangerous-port-exposed', 'wéb-01', listener)).toBe('0f6682e754034581becf80c30dc520ee');
  expect(groupFingerprint('close-wait-excess', 'web-01', { state: null, process: 'java' })).toBe('072119d3cea1a30af40841195fdb9612');
});

it('hashes as createHash does, for ASCII, other UTF-8 and lone surrogates alike', () => {
  for (const text of ['', 'socket/v1\u0000r\u0000h\u0000tcp|local|::|22', 'wéb-01 日本 🚀', 'a\ud800b', 'x'.repeat(100000)]) {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  }
});

describe('a connection is named by its service side, so that reconnects keep their fingerprint', () => {
  const conn = (lport: number, pport: number) => ({ netid: 'tcp', state: 'ESTAB', local: { address: '10.0.0.5', port: lport }, peer: { address: '10.0.0.9', port: pport }, recvQ: 9, sendQ: 0, location }) as SocketRecord;
  const fp = (lport: number, pport: number) => socketFingerprint('recv-queue-backlog', 'h', conn(lport, pport));
  it.each([
    ['a client from the ephemeral range to a low port', 41234, 45678, 443],
    ['a client to a service at or above 61000 (ActiveMQ)', 41234, 45678, 61616],
    ['a client whose range was moved below 32768', 20001, 20002, 443],
  ])('%s', (_what, a, b, service) => {
    expect(fp(a, service)).toBe(fp(b, service));
  });
  it('a server on a low port, clients from any range', () => {
    expect(fp(443, 20001)).toBe(fp(443, 45678));
    expect(fp(443, 61500)).toBe(fp(443, 45678));
  });
  it('keeps the fingerprints the ports told before (a client from the range to a port below it, a server below it)', () => {
    expect(fp(41234, 6379)).toBe(socketFingerprint('recv-queue-backlog', 'h', conn(50000, 6379)));
    // the same strings as before the range got an end: an inbound connection to 443 from 20001
    expect(fp(443, 20001)).toBe(sha256Hex(['socket/v1', 'recv-queue-backlog', 'h', 'tcp|local|10.0.0.5|443|peer|10.0.0.9'].join('\u0000'), 16));
    expect(fp(41234, 443)).toBe(sha256Hex(['socket/v1', 'recv-queue-backlog', 'h', 'tcp|to|10.0.0.9|443|from|10.0.0.5'].join('\u0000'), 16));
  });
});

describe('a socket whose table could not be told is named as the table it most likely is', () => {
  const HEADER = 'State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process';
  /** The sockets of an `ss -tnp`-like capture (no Netid column) of these rows, or of `-Ntnp`-like ones with `netid`. */
  const parse = (rows: string[], netid?: string) =>
    parseSsText(netid ? `Netid ${HEADER}\n${rows.map((r) => `${netid} ${r}`).join('\n')}\n` : `${HEADER}\n${rows.join('\n')}\n`, { file: 'f' }).sockets;
  const estab = 'ESTAB      6000   0          10.0.0.5:5432   10.0.0.9:50333 users:(("postgres",pid=25,fd=3))';
  const fp = (s: SocketRecord) => socketFingerprint('unread-data', 'db-1', s);

  it('an ESTAB row alone (undecided) and with a CLOSE-WAIT row that decides tcp: one fingerprint', () => {
    const [alone] = parse([estab]);
    const [decided] = parse([estab, 'CLOSE-WAIT 1      0          10.0.0.5:5432   10.0.0.8:50444 users:(("postgres",pid=26,fd=3))']);
    expect([alone.netid, decided.netid]).toEqual(['unknown', 'tcp']);
    expect(fp(alone)).toBe(fp(decided));
    expect(fp(alone)).toBe(fp(parse([estab], 'tcp')[0])); // and as an ss -tanp capture (with Netid) names it
  });

  it('an undecided unix socket as u_str, by its name (not its inode, which changes)', () => {
    const [undecided] = parse(['LISTEN     0      128    /run/app.sock 1234 * 0']);
    const [stream] = parse(['LISTEN     0      128    /run/app.sock 5678 * 0'], 'u_str');
    expect(undecided.netid).toBe('unknown');
    expect(fp(undecided)).toBe(fp(stream));
  });

  it('keeps the fingerprint of every socket whose table is known, and tells the former one of an undecided socket', () => {
    const [decided] = parse([estab], 'tcp');
    expect(fp(decided)).toBe(sha256Hex(['socket/v1', 'unread-data', 'db-1', 'tcp|local|10.0.0.5|5432|peer|10.0.0.9'].join('\u0000'), 16));
    const [alone] = parse([estab]);
    const finding = (s: SocketRecord) => ({ ruleId: 'unread-data', host: 'db-1', socket: s }) as Finding;
    expect(formerFingerprint(finding(alone))).toBe(sha256Hex(['socket/v1', 'unread-data', 'db-1', 'unknown|local|10.0.0.5|5432|peer|10.0.0.9'].join('\u0000'), 16));
    expect(formerFingerprint(finding(decided))).toBeUndefined();
  });
});

describe('sockets without a stable name of their own', () => {
  const unix = (inode: number, peer: number, proc?: string) => ({
    netid: 'u_dgr', state: 'ESTAB', local: { address: '*', port: inode }, peer: { address: '*', port: peer }, location,
    ...(proc ? { processes: [{ name: proc, pid: inode % 1000, fd: 4 }] } : {}),
  }) as SocketRecord;
  const fp = (s: SocketRecord) => socketFingerprint('socket-drops', 'h1', s);

  it('unnamed unix sockets are told apart by their processes (one baseline entry for rsyslogd\'s accepted a new process\'s drops)', () => {
    expect(fp(unix(26030, 1057, 'rsyslogd'))).not.toBe(fp(unix(39999, 2000, 'evil-new')));
    expect(fp(unix(26030, 1057, 'rsyslogd'))).toBe(fp(unix(41234, 1300, 'rsyslogd'))); // restarted: new inodes
    // without -p nothing tells them: the fingerprint they always had
    expect(fp(unix(26030, 1057))).toBe(sha256Hex(['socket/v1', 'socket-drops', 'h1', 'u_dgr|*'].join('\u0000'), 16));
  });

  it('a netlink socket by its protocol and owner, not the PID or kernel-made id in its port', () => {
    const nl = (port: number, portName?: string) => ({ netid: 'nl', state: 'UNCONN', local: { address: 'rtnl', port, ...(portName ? { portName } : {}) }, peer: { address: '*', port: null }, location }) as SocketRecord;
    expect(fp(nl(878, 'NetworkManager/878'))).toBe(fp(nl(1204, 'NetworkManager/1204')));
    expect(fp(nl(878, 'NetworkManager/878'))).not.toBe(fp(nl(900, 'systemd-network/900')));
    expect(fp(nl(-1100095455))).toBe(fp(nl(-2001)));
    expect(fp(nl(0, 'kernel'))).toBe(sha256Hex(['socket/v1', 'socket-drops', 'h1', 'nl|rtnl|kernel'].join('\u0000'), 16));
  });
});
