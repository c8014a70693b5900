/**
 * The netid/state demands of a compiled condition (socketFilterOf), by which the engine skips rules that
 * cannot match a socket: necessary conditions only, never narrower than the predicate itself.
 */
import { socketFilterOf } from '../../src/rules/compile';
import { SnapshotEvaluator } from '../../src/engine/evaluate';
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

it('demands nothing for negations, other operators and variables', () => {
  expect(filterOf('state: {not: LISTEN}')).toBeUndefined();
  expect(filterOf('state: {matches: "^LIST"}')).toBeUndefined();
  expect(filterOf('not: {netid: tcp}')).toBeUndefined();
  expect(filterOf('recvQ: {gt: 0}')).toBeUndefined();
  const withVar = compile(ruleYaml('    match:\n      state: {in: $states}', '    vars:\n      states: {type: string-list, default: [LISTEN]}'));
  expect(socketFilterOf(withVar.match)).toBeUndefined();
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
