/**
 * The table of rows without a Netid column (`ss -M`, `ss -S`: one table, no Netid) is not tcp because a state
 * exists only for stream sockets: MPTCP info or an SCTP association row makes the section mptcp or sctp, the
 * stream-only rows before it included (held a while: MAX_STREAM_HELD, parser.ts).
 */
import { parse } from './helpers';
import { expectAccounted } from './helpers';

// `ss -Mai` (ss 6.1, kernel 6.18, a private network namespace): an MPTCP listener on 127.0.0.1:5555 and one
// connection to it; without -n the port reads `rplay`. Verbatim, padding included.
const MAI = [
  "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process                                                                                                                 ",
  "ESTAB  0      0          127.0.0.1:35402    127.0.0.1:rplay",
  "\t subflows_max:2 remote_key token:be70b51a write_seq:1011094a5594c77a snd_una:1011094a5594c77a rcv_nxt:3b986c088db5cf8e",
  "ESTAB  842    0          127.0.0.1:rplay    127.0.0.1:35402",
  "\t subflows_max:2 remote_key token:9cf96115 write_seq:3b986c088db5cf8e snd_una:3b986c088db5cf8e rcv_nxt:1011094a5594c77a",
  "LISTEN 0      5          127.0.0.1:rplay      0.0.0.0:*    ",
  "\t                                                                                                                      ",
].join('\n') + '\n';

const netids = (text: string, flags?: string) => {
  const r = parse(text, 'test.out', flags);
  expectAccounted(r.stats);
  expect(r.unparsed).toEqual([]);
  return r.sockets.map((s) => [s.state, s.netid]);
};

describe('rows without a Netid column', () => {
  it('are mptcp when a row of the section carries MPTCP info (ss -Mai), its LISTEN row too', () => {
    const r = parse(MAI);
    expect(r.sockets.map((s) => [s.location.line, s.netid, s.netidInferred])).toEqual([
      [2, 'mptcp', 'mptcp: the row carries MPTCP info (subflows_max:2)'],
      [4, 'mptcp', 'mptcp: same table as line 2 (mptcp: the row carries MPTCP info (subflows_max:2))'],
      [6, 'mptcp', 'mptcp: same table as line 2 (mptcp: the row carries MPTCP info (subflows_max:2))'],
    ]);
    // the LISTEN row first
    const lines = MAI.split('\n');
    const listenFirst = [lines[0], lines[5], lines[6], ...lines.slice(1, 5), ''].join('\n');
    expect(netids(listenFirst)).toEqual([['LISTEN', 'mptcp'], ['ESTAB', 'mptcp'], ['ESTAB', 'mptcp']]);
  });

  it('are mptcp on MPTCP info that holds TCP info items too (bytes_sent …), on the row itself (-O), not in a COMM', () => {
    const head = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
    expect(netids(head + 'ESTAB 0 0 127.0.0.1:1 127.0.0.1:2\n\t subflows:1 fallback remote_key token:ab bytes_sent:10 bytes_acked:10 bytes_received:3\n')).toEqual([['ESTAB', 'mptcp']]);
    expect(netids(head + 'LISTEN 0 5 127.0.0.1:2 0.0.0.0:*\nESTAB 0 0 127.0.0.1:1 127.0.0.1:2 users:(("a",pid=1,fd=3)) subflows_max:2 remote_key\n')).toEqual([['LISTEN', 'mptcp'], ['ESTAB', 'mptcp']]);
    expect(netids(head + 'LISTEN 0 5 127.0.0.1:2 0.0.0.0:* users:(("x subflows:1",pid=1,fd=3))\n')).toEqual([['LISTEN', 'tcp']]);
    // tcp info alone: tcp
    expect(netids(head + 'LISTEN 0 5 127.0.0.1:2 0.0.0.0:*\n\t cubic rto:1000 mss:536\n')).toEqual([['LISTEN', 'tcp']]);
  });

  it('are sctp, the whole section, when a row of it is followed by an SCTP association row', () => {
    const text = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' +
      'LISTEN 0 128 0.0.0.0:9999 0.0.0.0:*\nUNCONN 0 0 0.0.0.0:9998 0.0.0.0:*\nLISTEN 0 128 10.0.0.1:5000 0.0.0.0:*\n' +
      ' `- ESTAB 0 0 10.0.0.1%eth0:5000 10.0.0.2:40000\nLISTEN 0 128 0.0.0.0:7000 0.0.0.0:*\n';
    const r = parse(text);
    expect(r.sockets.map((s) => [s.location.line, s.state, s.netid])).toEqual([
      [2, 'LISTEN', 'sctp'], [3, 'UNCONN', 'sctp'], [4, 'LISTEN', 'sctp'], [5, 'ESTAB', 'sctp'], [6, 'LISTEN', 'sctp'],
    ]);
    expect(r.sockets[0].netidInferred).toBe('sctp: same table as line 4 (sctp: followed by an SCTP association row (line 5))');
  });

  it('are tcp when no row of the first few (MAX_STREAM_HELD) shows mptcp or sctp', () => {
    const head = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
    const listen = (p: number) => `LISTEN 0 128 0.0.0.0:${p} 0.0.0.0:*\n`;
    const r = parse(head + 'ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000\n' + Array.from({ length: 70 }, (_, i) => listen(1000 + i)).join(''));
    expect(new Set(r.sockets.map((s) => s.netid))).toEqual(new Set(['tcp']));
    expect(r.sockets[0].netidInferred).toBe('tcp: same table as line 3 (tcp: state LISTEN exists only for stream sockets (mptcp/dccp/sctp print the same))');
  });

  it.each([['-Ma', 'mptcp'], ['--mptcp -a', 'mptcp'], ['-Sa', 'sctp'], ['--sctp', 'sctp'], ['-da', 'dccp'], ['--dccp', 'dccp']])('take the table of the capture flags %s', (flags, netid) => {
    const lines = MAI.split('\n');
    expect(netids([lines[0], lines[1], lines[5], ''].join('\n'), flags)).toEqual([['ESTAB', netid], ['LISTEN', netid]]);
  });
});
