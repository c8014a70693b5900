/**
 * Sockets whose table cannot be told (netid `unknown`: a capture without a Netid column whose rows show
 * neither tcp nor udp, as `ss -tnp` on a quiet host prints) are counted by the parser, and a rule whose
 * outcome depends on their table is reported as not evaluated — never as passing.
 */
import { parseSsText } from '../../src/snapshot/parser';
import { SnapshotEvaluator, undecidedReason } from '../../src/engine/evaluate';
import type { CompiledRule } from '../../src/rules/types';
import type { SocketRecord } from '../../src/snapshot/types';
import { compile, matcher } from '../rules/helpers';

const HEADER = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process';
const ESTAB_ONLY = `${HEADER}\nESTAB 0 0 10.0.0.1:22 10.0.0.9:5555\nESTAB 7000 0 10.0.0.1:443 10.0.0.9:5556\n`;
const netids = (text: string, flags?: string): string[] => parseSsText(text, { file: 'f', flags }).sockets.map((s) => s.netid);

describe('the parser', () => {
  it('counts the sockets of a Netid-less table it cannot decide, by what they may be', () => {
    const r = parseSsText(ESTAB_ONLY, { file: 'f' });
    expect(r.sockets.map((s) => s.netid)).toEqual(['unknown', 'unknown']);
    expect(r.sockets[0].netidInferred).toMatch(/--ss-flags/);
    expect(r.stats.undecided).toEqual({ inet: 2 });
    const unix = parseSsText('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 /run/a.sock 12345 * 0\n', { file: 'f' });
    expect(unix.stats.undecided).toEqual({ unix: 1 });
    const packet = parseSsText('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nUNCONN 0 0 ip:eth1 *\n', { file: 'f' });
    expect(packet.stats.undecided).toEqual({ packet: 1 });
    const stateless = parseSsText('Recv-Q Send-Q Local Address:Port Peer Address:Port\n0 0 10.0.0.1:53 10.0.0.2:4444\n', { file: 'f' });
    expect(stateless.stats.undecided).toEqual({ inet: 1 });
  });

  it('counts nothing once a row decides the table, the rows before it included', () => {
    const r = parseSsText(`${ESTAB_ONLY}TIME-WAIT 0 0 10.0.0.1:80 10.0.0.9:5557\n`, { file: 'f' });
    expect(r.sockets.map((s) => s.netid)).toEqual(['tcp', 'tcp', 'tcp']);
    expect(r.stats.undecided).toEqual({});
    expect(parseSsText(`${HEADER}\nu_str ESTAB 0 0 /run/a 1 * 2\n`, { file: 'f' }).stats.undecided).toEqual({});
  });

  it('takes the table from the capture flags it is given; a "# flags:" line in the snapshot wins over them', () => {
    expect(netids(ESTAB_ONLY, '-tnp')).toEqual(['tcp', 'tcp']);
    expect(parseSsText(ESTAB_ONLY, { file: 'f', flags: '-tnp' }).stats.undecided).toEqual({});
    expect(netids(`# flags: -unp\n${ESTAB_ONLY}`, '-tnp')).toEqual(['udp', 'udp']);
    expect(netids(`# flags: -unp\n${ESTAB_ONLY}`)).toEqual(['udp', 'udp']);
    // -A names of single unix tables; ss 6.1's -A packet_raw / packet_dgram list every packet socket (no filter)
    expect(netids('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 /run/a.sock 12345 * 0\n', '-A unix_seqpacket')).toEqual(['u_seq']);
    expect(netids('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nUNCONN 0 0 ip:eth1 *\n', '-A packet_dgram')).toEqual(['unknown']);
    // flags of another class do not relabel rows: tcp flags over a unix row leave it undecided
    expect(netids('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 /run/a.sock 12345 * 0\n', '-tnp')).toEqual(['unknown']);
  });
});

describe('the evaluator', () => {
  const aggregate = (op: string, threshold: number): CompiledRule => compile([
    'rules:', '  - id: few-tcp', '    title: t', '    description: d', '    kind: health', '    severity: warning', '    help: h',
    '    match: {netid: tcp, state: ESTAB}', `    aggregate: {function: count, ${op}: ${threshold}}`, '    message: "{observed}"', '',
  ].join('\n'));
  const run = (rules: CompiledRule[], socks: SocketRecord[], undecided: Record<string, number>) => {
    const ev = new SnapshotEvaluator(rules, { file: 'f', host: 'h', fields: new Set(['state', 'queues']) });
    for (const s of socks) ev.add(s);
    return ev.finish(undefined, undecided);
  };
  const estab = (netid: string, recvQ: number): SocketRecord =>
    ({ netid, state: 'ESTAB', recvQ, sendQ: 0, local: { address: '10.0.0.1', port: 443 }, peer: { address: '10.0.0.9', port: 5000 }, location: { file: 'f', line: 2 } });

  it('does not evaluate a rule on a netid that undecided sockets may have', () => {
    const r = run([matcher('netid: tcp\nrecvQ: {gt: 0}')], [estab('unknown', 7000)], { inet: 1 });
    expect(r.evaluated).toEqual([]);
    expect(r.notEvaluated).toHaveLength(1);
    expect(r.notEvaluated[0].reason).toMatch(/^needs each socket's table \(netid\), which 1 socket lacks — .*--ss-flags=-tnp/);
  });

  it('says how many sockets lack a table in words that fit one snapshot or many (the text report groups them)', () => {
    expect(undecidedReason(1, ['inet'])).toMatch(/^needs each socket's table \(netid\), which 1 socket lacks — rows without a Netid column/);
    expect(undecidedReason(3, ['unix', 'other'])).toMatch(/^needs each socket's table \(netid\), which 3 sockets lack — unix rows .*; rows whose table cannot be told/);
    // rows a later row showed the table of, too many to hold until then (ParseStats.lateDecision): said so
    const late = { line: 10003, netid: 'tcp', rows: 10000 };
    expect(undecidedReason(10000, ['inet'], late)).toMatch(/--ss-flags=-tnp.*\) \(10000 of them came before line 10003 showed their table is tcp: socklint holds 10,000 such rows while it waits\)$/);
    expect(undecidedReason(3, ['unix'], late)).not.toMatch(/came before/);
  });

  it('evaluates rules that do not read the netid, or whose netids undecided sockets cannot have', () => {
    const r = run([matcher('recvQ: {gt: 0}'), matcher('netid: [u_str, u_seq]\nstate: LISTEN'), matcher('netid: unknown')], [estab('unknown', 7000)], { inet: 1 });
    expect(r.evaluated).toEqual(['test-rule', 'test-rule', 'test-rule']);
    expect(r.findings).toHaveLength(2); // recvQ > 0 and netid: unknown
    const unix = run([matcher('netid: [u_str, u_seq]\nstate: LISTEN')], [], { unix: 3 });
    expect(unix.notEvaluated[0].reason).toMatch(/which 3 sockets .*unix rows/);
  });

  it('does not evaluate a rule that reads the netid in other ways (negation, grouping) when any socket is undecided', () => {
    expect(run([matcher('not: {netid: udp}')], [], { packet: 1 }).evaluated).toEqual([]);
    expect(run([matcher('not: {netid: udp}')], [], {}).evaluated).toEqual(['test-rule']);
  });

  it('keeps a failure that the undecided sockets cannot undo: per-socket findings, or a count above its threshold', () => {
    const socks = [estab('tcp', 7000), estab('tcp', 0), estab('unknown', 7000)];
    const perSocket = run([matcher('netid: tcp\nrecvQ: {gt: 0}')], socks, { inet: 1 });
    expect(perSocket.evaluated).toEqual(['test-rule']);
    expect(perSocket.findings).toHaveLength(1);
    expect(run([aggregate('gt', 1)], socks, { inet: 1 }).findings).toHaveLength(1);
    // a count below its threshold may be one the undecided sockets would have raised; one that passed may not pass
    expect(run([aggregate('lt', 3)], socks, { inet: 1 }).notEvaluated).toHaveLength(1);
    expect(run([aggregate('gt', 5)], socks, { inet: 1 }).notEvaluated).toHaveLength(1);
    // a negated netid leaves the undecided sockets to their check (f8ab6eb): a known-table failure stands, and
    // without one the rule is not evaluated
    expect(run([matcher('not: {netid: udp}\nrecvQ: {gt: 0}')], socks, { inet: 1 }).evaluated).toEqual(['test-rule']);
    expect(run([matcher('not: {netid: udp}\nrecvQ: {gt: 0}')], [estab('unknown', 7000)], { inet: 1 }).notEvaluated).toHaveLength(1);
  });
});
