/**
 * A rule whose cap is raised past ~120,000 findings (`--max-findings`, or a baseline's, which has none) lists
 * them all: they were passed as arguments, which overflowed the stack (an internal error, exit 4).
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

it('lists 200,000 findings of one rule (a cap raised, or a baseline) without overflowing the stack', () => {
  const ev = evaluator(compile(ruleYaml('    match: {netid: tcp, state: ESTAB}', '')), Infinity);
  const [s] = connections(1);
  for (let i = 0; i < 200000; i++) ev.add(s);
  expect(ev.finish().findings).toHaveLength(200000);
});
