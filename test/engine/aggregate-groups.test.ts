/**
 * An aggregate rule keeps a counter per group, and a rule grouping by a field with a value per socket
 * (`groupBy: [peerAddress]` on a host with a million clients) keeps a group per socket. Only the findings listed
 * are made of its groups: an `lt` rule most groups break made a finding of each (message, fingerprint) to list
 * 1,000. A rule whose cap is raised past ~120,000 findings (`--max-findings`, or a baseline's, which has none)
 * lists them all: they were passed as arguments, which overflowed the stack (an internal error, exit 4).
 */
import { SnapshotEvaluator } from '../../src/engine/evaluate';
import { parseSsText } from '../../src/snapshot/parser';
import type { SocketRecord } from '../../src/snapshot/types';
import { compile, ruleYaml } from '../rules/helpers';

/** `n` established connections, each from a peer of its own (10.x.y.z) to 10.0.1.15:443. */
function connections(n: number): SocketRecord[] {
  const rows = ['Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
  for (let i = 0; i < n; i++) rows.push(`tcp ESTAB 0 0 10.0.1.15:443 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 60000)} users:(("nginx",pid=${1000 + (i % 7)},fd=9))`);
  return parseSsText(`${rows.join('\n')}\n`, { file: 'web-01.ss' }).sockets;
}

function evaluator(rule: ReturnType<typeof compile>, maxFindingsPerRule?: number): SnapshotEvaluator {
  return new SnapshotEvaluator([rule], { file: 'web-01.ss', host: 'web-01', fields: new Set(['state', 'queues', 'processes']), ...(maxFindingsPerRule ? { maxFindingsPerRule } : {}) });
}

const perPeer = (comparison: string) => compile(ruleYaml(`    match: {netid: tcp, state: ESTAB}\n    aggregate: {function: count, groupBy: [peerAddress], ${comparison}}`, '').replace('message: "{local} {process}"', 'message: "{group.peerAddress}: {observed}"'));

it('makes findings of the groups it lists only, the worst first, and counts the others', () => {
  const rule = perPeer('lt: 2');
  let rendered = 0;
  const message = rule.aggregate!.message;
  (rule.aggregate as { message: typeof message }).message = (...a) => { rendered++; return message(...a); };
  const ev = evaluator(rule, 5);
  const sockets = connections(10000);
  for (const s of sockets) ev.add(s);
  ev.add(sockets[7]); // 10.0.0.7 has 2 connections: it does not break `lt: 2`
  const r = ev.finish();
  expect(r.findings.map((f) => f.group)).toEqual([{ peerAddress: '10.0.0.0' }, { peerAddress: '10.0.0.1' }, { peerAddress: '10.0.0.2' }, { peerAddress: '10.0.0.3' }, { peerAddress: '10.0.0.4' }]);
  expect(r.findings[0]).toMatchObject({ observed: 1, threshold: 2, message: '10.0.0.0: 1', offendersOmitted: 0 });
  expect(r.omitted).toEqual([expect.objectContaining({ ruleId: 'test-rule', count: 10000 - 1 - 5 })]);
  expect(rendered).toBe(5); // (10,000 before: every group breaking the comparison)
});

it('lists 200,000 findings of one rule (a cap raised, or a baseline) without overflowing the stack', () => {
  const ev = evaluator(compile(ruleYaml('    match: {netid: tcp, state: ESTAB}', '')), Infinity);
  const [s] = connections(1);
  for (let i = 0; i < 200000; i++) ev.add(s);
  expect(ev.finish().findings).toHaveLength(200000);
});
