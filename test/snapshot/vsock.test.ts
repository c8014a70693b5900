/**
 * vsock rows. ss prints a vsock address as CID:PORT, each a decimal u32 or `*` for any (misc/ss.c vsock_addr_print),
 * with Netid v_str / v_dgr. ss --vsock (-f vsock, -A vsock) lists both tables, with a Netid column; -A vsock_stream
 * (v_str) or -A vsock_dgram (v_dgr) lists one, without it. The kernel here cannot list vsock sockets (it has AF_VSOCK
 * but no vsock_diag: ss --vsock prints its header only, and the sock_diag request for AF_VSOCK answers ENOENT), so
 * these rows are written in that format under the headers this machine's ss 6.1 prints for those queries.
 */
import { parseFlags } from '../../src/snapshot/parser';
import { expectAccounted, parse } from './helpers';

// `ss -a --vsock` and `ss -a -A vsock_stream` (headers as printed here)
const WITH_NETID = 'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n';
const NO_NETID = 'State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n';
const LISTENER = 'LISTEN 0      0                 *:22              *:*          \n';
const BOUND = 'LISTEN 0      0                 3:1024            *:*          \n';
const CONNECTED = 'ESTAB  0      0                 3:1024            2:3456789012 \n';
const CONNECTING = 'SYN-SENT 0    0                 3:3456789013      2:9999       \n';

const read = (text: string, flags?: string) => {
  const r = parse(text, 'v.ss', flags);
  expectAccounted(r.stats);
  expect(r.unparsed).toEqual([]);
  return r;
};
const rows = (r: ReturnType<typeof read>) => r.sockets.map((s) => [s.netid, s.state, `${s.local.address}:${s.local.port ?? '*'}`, `${s.peer.address}:${s.peer.port ?? '*'}`]);

describe('vsock rows with a Netid column (ss -a --vsock, ss -a)', () => {
  it('read as CID:PORT, ports beyond 65535 too', () => {
    const r = read(WITH_NETID + ['v_str ' + LISTENER, 'v_str ' + CONNECTED, 'v_dgr UNCONN 0      0                 *:*               *:*          \n'].join(''));
    expect(rows(r)).toEqual([['v_str', 'LISTEN', '*:22', '*:*'], ['v_str', 'ESTAB', '3:1024', '2:3456789012'], ['v_dgr', 'UNCONN', '*:*', '*:*']]);
  });
});

describe('vsock rows without a Netid column (ss -a -A vsock_stream)', () => {
  it('with the capture flags: vsock, not a tcp listener on port 22 nor tipc', () => {
    for (const flags of ['-a -A vsock_stream', '-a -A v_str', '-aAvsock_stream', '-a --query=vsock_stream']) {
      const r = read(NO_NETID + LISTENER + CONNECTED + CONNECTING, flags);
      expect(rows(r)).toEqual([['v_str', 'LISTEN', '*:22', '*:*'], ['v_str', 'ESTAB', '3:1024', '2:3456789012'], ['v_str', 'SYN-SENT', '3:3456789013', '2:9999']]);
      expect(r.sockets[0].netidInferred).toBe(`v_str: the capture flags "${flags}" select only that table`);
    }
    expect(rows(read(NO_NETID + 'UNCONN 0      0                 *:*               *:*          \n', '-a -A vsock_dgram'))).toEqual([['v_dgr', 'UNCONN', '*:*', '*:*']]);
  });

  it('-A names each table as ss does: its netid, vsock_stream / vsock_dgram, the unix and packet aliases', () => {
    expect([...parseFlags('-A vsock_stream').tables]).toEqual(['v_str']);
    expect([...parseFlags('-A v_dgr').tables]).toEqual(['v_dgr']);
    expect([...parseFlags('-A vsock').tables]).toEqual(['*vsock']);
    expect([...parseFlags('-A u_str,u_seq').tables]).toEqual(['u_str', 'u_seq']);
    expect([...parseFlags('-A p_raw').tables]).toEqual(['*packet']);
    expect(parseFlags('-A v_str').table).toBe('v_str');
  });

  it('without flags: a row only vsock prints (a CID, a bare number, beside *:*; or CID:PORT pairs in a state no netlink or tipc row with a peer has) decides the section, and the listeners held before it follow', () => {
    const r = read(NO_NETID + LISTENER + CONNECTED + BOUND + 'LISTEN 0      0                 *:23              *:*          \n');
    expect(rows(r)).toEqual([
      ['v_str', 'LISTEN', '*:22', '*:*'], ['v_str', 'ESTAB', '3:1024', '2:3456789012'], ['v_str', 'LISTEN', '3:1024', '*:*'], ['v_str', 'LISTEN', '*:23', '*:*'],
    ]);
    expect(r.sockets[2].netidInferred).toBe('v_str: vsock address form CID:PORT in state LISTEN (a vsock dgram socket is UNCONN)');
    expect(r.sockets[0].netidInferred).toBe(`v_str: same table as line 4 (${r.sockets[2].netidInferred})`);
    expect(rows(read(NO_NETID + CONNECTING))).toEqual([['v_str', 'SYN-SENT', '3:3456789013', '2:9999']]);
    expect(rows(read(NO_NETID + 'ESTAB  0      0                 *:1024            2:5000       \n'))).toEqual([['v_str', 'ESTAB', '*:1024', '2:5000']]);
    // UNCONN: stream or dgram
    const u = read(NO_NETID + 'UNCONN 0      0                 3:1024            *:*          \n');
    expect(u.sockets.map((s) => [s.netid, s.netidInferred])).toEqual([['unknown', 'vsock socket (CID:PORT) without a Netid column, UNCONN: v_str or v_dgr cannot be told apart']]);
  });

  it('without flags, *:PORT *:* alone is an inet listener on every address (which it prints the same), and CID:PORT pairs ESTAB stay undecided', () => {
    const r = read(NO_NETID + LISTENER + CONNECTED);
    expect(r.sockets.map((s) => s.netid)).toEqual(['tcp', 'unknown']);
    expect(r.sockets[1].netidInferred).toMatch(/^tipc socket/);
  });

  it('a section decided another table keeps its rows: a tcp capture\'s *:22 stays tcp, and a bare number address is no vsock there', () => {
    // (a row with a keepalive timer is tcp: it decides the section)
    const r = parse(NO_NETID + 'ESTAB  0      0          10.0.0.1:22    10.0.0.2:40000 timer:(keepalive,119min,0)\n' + LISTENER + BOUND, 't.ss');
    expect(r.sockets.map((s) => s.netid)).toEqual(['tcp', 'tcp']);
    expect(r.unparsed.map((u) => u.line)).toEqual([4]);
  });
});
