/**
 * An aggregate rule keeps a counter per group, and a rule grouping by a field with a value per socket
 * (`groupBy: [peerAddress]` on a host with a million clients) keeps a group per socket: what one group holds sets
 * the scan's memory, and the findings made of the groups its time. A group keeps its count, value and first
 * offenders — no record of its values (made for the groups that become findings) and no key text of its own —
 * and only the findings listed are made: an `lt` rule most groups break made a finding of each (message,
 * fingerprint) to list 1,000. A cap raised past ~120,000 (or a baseline's, which has none) listed them without
 * overflowing the stack.
 *
 * The heap per group is measured in a process of its own, as test/engine/finding-memory.test.ts does (the built
 * CLI's modules: `npm test` builds first).
 */
import * as path from 'path';
import { execFileSync } from 'child_process';
import { SnapshotEvaluator } from '../../src/engine/evaluate';
import { parseSsText } from '../../src/snapshot/parser';
import type { SocketRecord } from '../../src/snapshot/types';
import { compile, ruleYaml } from '../rules/helpers';

const ROOT = path.resolve(__dirname, '../..');

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

it('keeps a group by the value it groups by, without a record of its own until it becomes a finding', () => {
  const multi = compile(ruleYaml('    match: {netid: tcp}\n    aggregate: {function: count, groupBy: [process, localPort], gt: 1}', '').replace('message: "{local} {process}"', 'message: "{group}"'));
  for (const [rule, keys] of [[perPeer('gt: 1'), ['10.0.0.0', '10.0.0.1']], [multi, ['s5:nginxn443;']]] as const) {
    const ev = evaluator(rule);
    const [a, b] = connections(2);
    for (const s of [a, b, a]) ev.add(s);
    const groups = ev.partial().rules[0].groups!;
    expect(groups.map(([key]) => key)).toEqual(keys);
    for (const [, g] of groups) expect(Object.keys(g).sort()).toEqual(['count', 'offenders', 'value']);
    expect(ev.finish().findings[0].group).toEqual(rule === multi ? { process: 'nginx', localPort: 443 } : { peerAddress: '10.0.0.0' });
  }
});

it('lists 200,000 findings of one rule (a cap raised, or a baseline) without overflowing the stack', () => {
  const ev = evaluator(compile(ruleYaml('    match: {netid: tcp, state: ESTAB}', '')), Infinity);
  const [s] = connections(1);
  for (let i = 0; i < 200000; i++) ev.add(s);
  expect(ev.finish().findings).toHaveLength(200000);
});

/** Run in a fresh `node --expose-gc`: the heap an evaluator holds per group after 20,000 distinct peers. */
const MEASURE = `
const path = require('path');
const [root] = process.argv.slice(1);
const { SnapshotEvaluator } = require(path.join(root, 'dist/engine/evaluate'));
const { loadRuleText } = require(path.join(root, 'dist/rules/pack'));
const { tryCompileRule } = require(path.join(root, 'dist/rules/compile'));
const { parseSsText } = require(path.join(root, 'dist/snapshot/parser'));
const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const text = 'rules:\\n  - id: per-peer\\n    title: t\\n    kind: health\\n    severity: note\\n    description: d\\n    help: h\\n'
  + '    match: {netid: tcp, state: ESTAB}\\n    aggregate: {function: count, groupBy: [peerAddress], gt: 100}\\n    message: "{group.peerAddress}"\\n';
const rule = tryCompileRule(loadRuleText(text, 'r.yaml').definitions[0], {}).rule;
const n = 20000;
const rows = ['Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
for (let i = 0; i < n; i++) rows.push('tcp ESTAB 0 0 10.0.1.15:443 10.' + ((i >> 16) & 255) + '.' + ((i >> 8) & 255) + '.' + (i & 255) + ':' + (1024 + i) + ' users:(("nginx",pid=1000,fd=9))');
const ev = new SnapshotEvaluator([rule], { file: 'web-01.ss', host: 'web-01', fields: new Set(['state', 'queues', 'processes']) });
const before = used();
// one socket parsed at a time, as a scan reads them: a group holds no more of it than it keeps
for (let i = 1; i <= n; i++) ev.add(parseSsText(rows[0] + '\\n' + rows[i] + '\\n', { file: 'web-01.ss' }).sockets[0]);
const after = used();
process.stdout.write(JSON.stringify({ groups: ev.kept().groups, perGroup: (after - before) / n }));
`;

// before: a key text and a record of the group's values per group, and an offender list reserving 17 slots (~600
// bytes a group; now ~380)
it('a group of one socket costs under 480 bytes of heap', () => {
  const r = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--single-threaded', '--no-flush-bytecode', '-e', MEASURE, ROOT], { encoding: 'utf8' })) as { groups: number; perGroup: number };
  if (process.env.SOCKLINT_TEST_VERBOSE) process.stderr.write(`per group: ${r.perGroup}\n`);
  expect(r.groups).toBe(20000);
  expect(r.perGroup).toBeGreaterThan(150); // measured something
  expect(r.perGroup).toBeLessThan(480);
});

it('tells the groups of several keys apart whatever their values hold, and gives each back as it was', () => {
  // process names that look like the key's own marks, a name spelt "null", a socket without a process (null), and
  // names that run into the next value if their length were not known
  const names = ['a;n1;', 's3:abc', 'null', 'z;', '', 'n443;', '12', 'b'];
  const rows = ['Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
  names.forEach((n, i) => rows.push(`tcp ESTAB 0 0 10.0.1.15:443 10.0.0.${i}:5000 users:((${JSON.stringify(n)},pid=${100 + i},fd=9))`));
  rows.push('tcp ESTAB 0 0 10.0.1.15:443 10.0.0.99:5000');
  rows.push('tcp ESTAB 0 0 10.0.1.15:444 10.0.0.99:5000');
  const sockets = parseSsText(`${rows.join('\n')}\n`, { file: 'web-01.ss' }).sockets;
  const rule = compile(ruleYaml('    match: {netid: tcp}\n    aggregate: {function: count, groupBy: [process, localPort, peerPort], gt: 0}', '').replace('message: "{local} {process}"', 'message: "{group}"'));
  const ev = evaluator(rule);
  for (const s of [...sockets, ...sockets]) ev.add(s);
  const found = ev.finish().findings;
  expect(found.map((f) => [f.group, f.observed])).toEqual([
    ...names.map((n) => [{ process: n, localPort: 443, peerPort: 5000 }, 2]),
    [{ process: null, localPort: 443, peerPort: 5000 }, 2],
    [{ process: null, localPort: 444, peerPort: 5000 }, 2],
  ]);
});
