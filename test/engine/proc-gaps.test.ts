/**
 * A capture read from /proc (`# source: proc`: ss missing, or --proc) has a Recv-Q/Send-Q column, but not a
 * TCP listener's backlog (ss's Send-Q) nor a unix socket's queues. The parser leaves those values out, and a
 * rule that reads them on such sockets is reported as not evaluated — never as passing for want of a value.
 */
import { parseSsText } from '../../src/snapshot/parser';
import { SnapshotEvaluator } from '../../src/engine/evaluate';
import { compile, ruleYaml } from '../rules/helpers';

const PROC = [
  '# socklint-snapshot: 1',
  '# source: proc',
  '# flags: -tuaxnpoe',
  'Netid State  Recv-Q Send-Q   Local Address:Port  Peer Address:Port Process',
  'tcp   LISTEN 3      0              0.0.0.0:9001       0.0.0.0:* users:(("api",pid=12,fd=3)) ino:129280',
  'tcp   ESTAB  0      1000         127.0.0.1:52008    127.0.0.2:9002 users:(("loadgen",pid=13,fd=33)) ino:129317',
  'u_str ESTAB  0      0      /run/x.sock 1234 * 0 users:(("a",pid=1,fd=3))',
  '',
].join('\n');
const SS = PROC.replace('# source: proc\n', '').replace('LISTEN 3      0 ', 'LISTEN 3      4 ');

function outcome(text: string, match: string) {
  const parsed = parseSsText(text, { file: 'f' });
  const rule = compile(ruleYaml(match));
  const ev = new SnapshotEvaluator([rule], { file: 'f', host: 'h', fields: parsed.stats.fields });
  for (const s of parsed.sockets) ev.add(s);
  return ev.finish(parsed.stats.fields, parsed.stats.undecided, parsed.stats.meta.source);
}

describe('a capture read from /proc', () => {
  it('leaves out what it does not know: a listener\'s backlog, a unix socket\'s queues', () => {
    const [listen, estab, unix] = parseSsText(PROC, { file: 'f' }).sockets;
    expect(listen).toMatchObject({ state: 'LISTEN', recvQ: 3 });
    expect(listen.sendQ).toBeUndefined();
    expect(estab).toMatchObject({ recvQ: 0, sendQ: 1000 });
    expect(unix.netid).toBe('u_str');
    expect(unix.recvQ).toBeUndefined();
    expect(unix.sendQ).toBeUndefined();
    // the same rows from ss keep them
    const fromSs = parseSsText(SS, { file: 'f' }).sockets;
    expect(fromSs[0].sendQ).toBe(4);
    expect(fromSs[2]).toMatchObject({ recvQ: 0, sendQ: 0 });
  });

  it.each([
    ['an accept-queue rule', '    match:\n      netid: tcp\n      state: LISTEN\n      recvQ: {gte: {field: sendQ}}', /backlog of TCP listeners/],
    ['a rule on Send-Q of any state', '    match:\n      sendQ: {gt: 0}', /backlog of TCP listeners \(Send-Q\) and the Recv-Q\/Send-Q of unix sockets/],
    ['a rule on unix queues', '    match:\n      netid: [u_str, u_seq]\n      recvQ: {gt: 0}', /^needs the Recv-Q\/Send-Q of unix sockets, which a capture read from \/proc/],
  ])('does not evaluate %s, which passes for want of a value', (_name, match, reason) => {
    const r = outcome(PROC, match);
    expect(r.evaluated).toEqual([]);
    expect(r.notEvaluated[0].reason).toMatch(reason);
    expect(outcome(SS, match).evaluated).toEqual(['test-rule']);
  });

  it.each([
    ['a rule on Send-Q of established TCP', '    match:\n      netid: tcp\n      state: ESTAB\n      sendQ: {gt: 0}', 1],
    ['a rule on a listener\'s accept queue alone', '    match:\n      state: LISTEN\n      netid: tcp\n      recvQ: {gt: 0}', 1],
    ['a rule on unix paths', '    match:\n      netid: u_str\n      local.path: {glob: "/run/**"}', 1],
  ])('evaluates %s, which /proc carries', (_name, match, findings) => {
    const r = outcome(PROC, match);
    expect(r.notEvaluated).toEqual([]);
    expect(r.findings).toHaveLength(findings);
  });
});
