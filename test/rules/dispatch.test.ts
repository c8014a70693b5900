/**
 * The netid/state demands of a compiled condition (socketFilterOf), by which the engine skips rules that
 * cannot match a socket: necessary conditions only, never narrower than the predicate itself.
 */
import { socketFilterOf } from '../../src/rules/compile';
import { SnapshotEvaluator } from '../../src/engine/evaluate';
import { NETIDS, STATES } from '../../src/rules/fields';
import { compile, matcher, ruleYaml, sock } from './helpers';

const sorted = (s: ReadonlySet<string> | undefined) => (s ? [...s].sort() : undefined);
const filterOf = (match: string) => {
  const f = socketFilterOf(matcher(match).match);
  return f ? { netids: sorted(f.netids), states: sorted(f.states) } : undefined;
};

it('reads shorthand, eq and in demands on netid and state at the top level', () => {
  expect(filterOf('netid: tcp\nstate: LISTEN')).toEqual({ netids: ['tcp'], states: ['LISTEN'] });
  expect(filterOf('state: {in: [ESTAB, CLOSE-WAIT]}')).toEqual({ netids: undefined, states: ['CLOSE-WAIT', 'ESTAB'] });
  expect(filterOf('netid: {eq: udp}\nrecvQ: {gt: 0}')).toEqual({ netids: ['udp'], states: undefined });
  expect(filterOf('netid: [u_str, u_dgr]')).toEqual({ netids: ['u_dgr', 'u_str'], states: undefined });
});

it('takes the union over any-branches only when every branch demands the field', () => {
  expect(filterOf('any:\n  - {netid: tcp, state: LISTEN}\n  - {netid: udp, state: UNCONN}')).toEqual({ netids: ['tcp', 'udp'], states: ['LISTEN', 'UNCONN'] });
  expect(filterOf('any:\n  - {netid: tcp, state: LISTEN}\n  - {recvQ: {gt: 0}}')).toBeUndefined();
  expect(filterOf('any:\n  - {netid: tcp}\n  - {netid: udp, state: UNCONN}')).toEqual({ netids: ['tcp', 'udp'], states: undefined });
});

it('demands what any matcher on netid or state admits of their vocabularies: negations, matches, variables', () => {
  expect(filterOf('state: {not: LISTEN}')?.states).toEqual(STATES.filter((s) => s !== 'LISTEN').sort());
  expect(filterOf('state: {matches: "^LIST"}')).toEqual({ netids: undefined, states: ['LISTEN'] });
  expect(filterOf('state: {not: {in: [ESTAB, LISTEN]}}\nnetid: {matches: "^u_"}')).toEqual({
    netids: ['u_dgr', 'u_seq', 'u_str'], states: STATES.filter((s) => s !== 'LISTEN' && s !== 'ESTAB').sort(),
  });
  const withVar = compile(ruleYaml('    match:\n      state: {in: $states}', '    vars:\n      states: {type: string-list, default: [LISTEN]}'));
  expect(socketFilterOf(withVar.match)?.states).toEqual(new Set(['LISTEN']));
  expect(filterOf('recvQ: {gt: 0}')).toBeUndefined();
  // what admits every name, or a socket without a state (only a combinator not on state does), demands nothing
  expect(filterOf('state: {exists: true}')).toBeUndefined();
  expect(filterOf('netid: {matches: ""}')).toBeUndefined();
  expect(filterOf('state: {exists: false}')).toBeUndefined();
  expect(filterOf('not: {state: LISTEN}')).toBeUndefined();
});

it('netid: {not: tcp} and not: {netid: tcp} admit every other table, and unknown only when named', () => {
  const others = NETIDS.filter((n) => n !== 'tcp' && n !== 'unknown').sort();
  expect(filterOf('netid: {not: tcp}')).toEqual({ netids: others, states: undefined });
  expect(filterOf('not: {netid: tcp}')).toEqual({ netids: others, states: undefined });
  expect(filterOf('not: {netid: [tcp, udp]}\nnetid: {matches: "^(tcp|udp|raw)$"}')).toEqual({ netids: ['raw'], states: undefined });
  // a socket whose table no row told may be tcp: `not: tcp` leaves it to the undecided check (as `in: [udp, raw]` does)
  expect(filterOf('netid: {not: tcp}')!.netids).not.toContain('unknown');
  expect(filterOf('netid: {in: [udp, unknown]}')!.netids).toEqual(['udp', 'unknown']);
  expect(filterOf('netid: {matches: "^unk"}')!.netids).toEqual(['unknown']);
  expect(filterOf('netid: {not: unknown}')).toBeUndefined();
});

it('the evaluator finds with a derived filter what the predicate alone finds (but undecided sockets, left to their check)', () => {
  for (const c of ['netid: {not: tcp}', 'not: {netid: tcp}', 'state: {not: LISTEN}', 'state: {matches: "^(LISTEN|UNCONN)$"}\nnetid: {not: {in: [udp]}}', 'netid: {in: [udp, unknown]}']) {
    const rule = matcher(c);
    const socks = ['tcp', 'udp', 'u_str', 'unknown'].flatMap((netid) => ['ESTAB', 'LISTEN', 'UNCONN', undefined].map((state) => sock({ netid, state })));
    const ev = new SnapshotEvaluator([rule], { file: 'f', host: 'h', fields: new Set(['state']) });
    for (const s of socks) ev.add(s);
    const found = ev.finish().findings.map((f) => f.socket);
    const named = socketFilterOf(rule.match)?.netids?.has('unknown') ?? true;
    expect({ c, found }).toEqual({ c, found: socks.filter((s) => rule.match(s) && (named || s.netid !== 'unknown')) });
  }
});

it('the evaluator finds with dispatch what the predicate alone finds', () => {
  const rule = matcher('any:\n  - {netid: tcp, state: LISTEN, local.port: 22}\n  - {netid: udp, state: UNCONN, local.port: 53}');
  const socks = [
    sock({ netid: 'tcp', state: 'LISTEN', local: { port: 22 } }),
    sock({ netid: 'udp', state: 'LISTEN', local: { port: 22 } }),
    sock({ netid: 'udp', state: 'UNCONN', local: { port: 53 } }),
    sock({ netid: 'tcp', state: 'UNCONN', local: { port: 53 } }),
    sock({ netid: 'tcp', state: undefined, local: { port: 22 } }),
  ];
  const ev = new SnapshotEvaluator([rule], { file: 'f', host: 'h', fields: new Set(['state']) });
  for (const s of socks) ev.add(s);
  const found = ev.finish().findings.map((f) => f.socket);
  expect(found).toEqual(socks.filter((s) => rule.match(s)));
  expect(found).toHaveLength(2);
});

it('leaves out of the residual test exactly the conjuncts the filter decides', () => {
  const conditions = [
    'netid: tcp\nstate: ESTAB\nrecvQ: {gt: 0}',
    'netid: [tcp, udp]\nstate: {in: [LISTEN, UNCONN]}\nlocal.port: 53',
    'netid: tcp\nany:\n  - {state: LISTEN}\n  - {recvQ: {gt: 0}}',
    'state: {eq: CLOSE-WAIT}\nnot: {netid: udp}',
    'any:\n  - {netid: tcp, state: LISTEN}\n  - {netid: udp, state: UNCONN}',
    'netid: tcp\nstate: {not: LISTEN}',
    'netid: {not: udp}\nstate: {matches: "^(ESTAB|UNCONN)$"}\nrecvQ: {gt: 0}',
  ];
  const socks = [];
  for (const netid of ['tcp', 'udp', 'u_str']) {
    for (const state of ['ESTAB', 'LISTEN', 'UNCONN', 'CLOSE-WAIT', undefined]) {
      for (const recvQ of [0, 5]) socks.push(sock({ netid, state, recvQ, local: { port: recvQ ? 53 : 22 } }));
    }
  }
  let residuals = 0;
  for (const c of conditions) {
    const rule = matcher(c);
    const f = socketFilterOf(rule.match);
    if (f?.residual) residuals++;
    for (const s of socks) {
      const admitted = !f || ((!f.netids || f.netids.has(s.netid)) && (!f.states || (s.state !== undefined && f.states.has(s.state))));
      if (admitted) expect({ c, s, test: (f?.residual ?? rule.match)(s) }).toEqual({ c, s, test: rule.match(s) });
    }
  }
  expect(residuals).toBeGreaterThanOrEqual(4);
});

it('reads plain-number demands on local.port and peer.port, and nothing from ranges, variables or other operators', () => {
  const valueOf = (match: string) => {
    const v = socketFilterOf(matcher(match).match)?.value;
    return v ? { field: v.field, values: [...v.values].sort((a, b) => a - b) } : undefined;
  };
  expect(valueOf('local.port: 22')).toEqual({ field: 'local.port', values: [22] });
  expect(valueOf('state: LISTEN\nlocal.port: [443, 80]')).toEqual({ field: 'local.port', values: [80, 443] });
  expect(valueOf('peer.port: {in: [25, 587]}')).toEqual({ field: 'peer.port', values: [25, 587] });
  expect(valueOf('peer.port: {eq: 53}\nnetid: udp')).toEqual({ field: 'peer.port', values: [53] });
  expect(valueOf('local.port: {gt: 1024}')).toBeUndefined();
  expect(valueOf('local.port: "1-1023"')).toBeUndefined();
  expect(valueOf('local.port: {not: 22}')).toBeUndefined();
  expect(valueOf('not: {local.port: 22}')).toBeUndefined();
  expect(valueOf('any:\n  - {local.port: 22}\n  - {local.port: 23}')).toBeUndefined();
  const withVar = compile(ruleYaml('    match:\n      local.port: {in: $ports}', '    vars:\n      ports: {type: number-list, default: [22]}'));
  expect(socketFilterOf(withVar.match)?.value).toBeUndefined();
});

it('many rules on port values, looked up by the socket\'s port, find what each rule\'s predicate finds', () => {
  // 60 rules: one port or a list, on the local or the peer side, some with a state or netid too, some
  // aggregates; and rules on other fields beside them
  const rules = Array.from({ length: 60 }, (_, i) => {
    const side = i % 3 === 0 ? 'local.port' : 'peer.port';
    const ports = i % 4 === 0 ? `[${1000 + (i % 7)}, ${1000 + ((i * 3) % 11)}]` : `${1000 + (i % 13)}`;
    const extra = i % 5 === 0 ? '\n      state: ESTAB' : i % 5 === 1 ? '\n      netid: tcp' : '';
    const agg = i % 9 === 0 ? '\n    aggregate: {function: count, groupBy: [process], gt: 1}' : '';
    const text = ruleYaml(`    match:\n      ${side}: ${ports}${extra}${agg}`).replace('test-rule', `port-${i}`);
    return compile(agg ? text.replace('    message: "{local} {process}"\n', '    message: "{observed} sockets of {group.process}"\n') : text);
  });
  rules.push(
    compile(ruleYaml('    match:\n      recvQ: {gt: 3}').replace('test-rule', 'queued')),
    compile(ruleYaml('    match:\n      state: LISTEN\n      local.port: {gt: 1005}').replace('test-rule', 'high-listener')),
  );
  let seed = 7;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const socks = Array.from({ length: 3000 }, () => sock({
    netid: ['tcp', 'udp'][next(2)],
    state: ['ESTAB', 'LISTEN', 'UNCONN'][next(3)],
    recvQ: next(6),
    local: { port: next(4) === 0 ? null : 1000 + next(15) },
    peer: { address: '10.0.0.2', port: next(5) === 0 ? null : 1000 + next(15) },
    processes: [{ name: ['a', 'b'][next(2)], pid: 1, fd: 3 }],
  }));
  const ev = new SnapshotEvaluator(rules, { file: 'f', host: 'h', fields: new Set(['state', 'queues', 'processes']), maxFindingsPerRule: 100000 });
  for (const s of socks) ev.add(s);
  const { findings } = ev.finish();
  for (const rule of rules) {
    const found = findings.filter((f) => f.ruleId === rule.meta.id);
    if (rule.aggregate) {
      const counts = new Map<string, number>();
      for (const s of socks) if (rule.match(s)) counts.set(s.processes![0].name, (counts.get(s.processes![0].name) ?? 0) + 1);
      expect({ id: rule.meta.id, groups: found.map((f) => [f.group!.process, f.observed]).sort() })
        .toEqual({ id: rule.meta.id, groups: [...counts].filter(([, n]) => n > 1).sort() });
    } else {
      expect({ id: rule.meta.id, sockets: found.map((f) => f.socket!.location.line) })
        .toEqual({ id: rule.meta.id, sockets: socks.filter((s) => rule.match(s)).map((s) => s.location.line) });
    }
  }
  expect(findings.length).toBeGreaterThan(2000);
});

it('a negated netid leaves undecided sockets to their check: not evaluated, unless sockets of known table already failed it', () => {
  const estab = (netid: string, recvQ: number) => sock({ netid, state: 'ESTAB', recvQ, local: { address: '10.0.0.1', port: 443 } });
  const run = (socks: ReturnType<typeof sock>[]) => {
    const ev = new SnapshotEvaluator([matcher('not: {netid: udp}\nrecvQ: {gt: 0}')], { file: 'f', host: 'h', fields: new Set(['state', 'queues']) });
    for (const s of socks) ev.add(s);
    return ev.finish(undefined, { inet: 1 });
  };
  // the undecided socket may be udp: no finding of its own, and nothing to say without the tcp one
  expect(run([estab('tcp', 0), estab('unknown', 7000)]).notEvaluated).toHaveLength(1);
  const failed = run([estab('tcp', 7000), estab('tcp', 0), estab('unknown', 7000)]);
  expect(failed.evaluated).toEqual(['test-rule']);
  expect(failed.findings.map((f) => f.socket!.netid)).toEqual(['tcp']);
});
