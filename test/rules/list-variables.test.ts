/** A list variable as a matcher (`local.port: $ports`) means `in` its items, as a list written out does. */
import { socketFilterOf } from '../../src/rules/compile';
import { compile, formatted, ruleYaml, sock } from './helpers';

const VARS = [
  '    vars:',
  '      ports: {type: port-list, default: [22, "8000-8999"]}',
  '      states: {type: string-list, default: [LISTEN, UNCONN]}',
  '      names: {type: string-list, default: [sshd, dropbear]}',
].join('\n');
/** A rule with VARS on `match` (one line per entry); unused variables are referenced by a message. */
const rule = (...match: string[]) => ruleYaml(`    match:\n${match.map((m) => `      ${m}`).join('\n')}`, VARS).replace('message: "{local} {process}"', 'message: "{ports} {states} {names}"');

describe('$list shorthand', () => {
  it('local.port: $ports and state: $states match one of the items (ranges included)', () => {
    const r = compile(rule('local.port: $ports', 'state: $states'));
    expect(r.match(sock({ local: { port: 22 } }))).toBe(true);
    expect(r.match(sock({ local: { port: 8443 }, state: 'UNCONN' }))).toBe(true);
    expect(r.match(sock({ local: { port: 443 } }))).toBe(false);
    expect(r.match(sock({ local: { port: 22 }, state: 'ESTAB' }))).toBe(false);
    expect(socketFilterOf(r.match)?.states).toEqual(new Set(['LISTEN', 'UNCONN']));
  });

  it('under the field-level not, and on a list field', () => {
    const r = compile(rule('local.port: {not: $ports}', 'process.name: {not: $names}'));
    expect(r.match(sock({ local: { port: 443 }, processes: [{ name: 'nginx', pid: 1, fd: 3 }] }))).toBe(true);
    expect(r.match(sock({ local: { port: 8080 }, processes: [{ name: 'nginx', pid: 1, fd: 3 }] }))).toBe(false);
    expect(r.match(sock({ local: { port: 443 }, processes: [{ name: 'sshd', pid: 1, fd: 3 }] }))).toBe(false);
    const names = compile(rule('process.name: $names', 'local.port: {gte: 0}', 'state: {in: $states}', 'peer.port: {not: {in: $ports}}'));
    expect(names.match(sock({ peer: { port: 5000 }, processes: [{ name: 'dropbear', pid: 1, fd: 3 }] }))).toBe(true);
  });

  it('takes the config\'s value of the variable', () => {
    const r = compile(rule('local.port: $ports', 'state: $states'), { ports: [443] });
    expect(r.match(sock({ local: { port: 443 } }))).toBe(true);
    expect(r.match(sock({ local: { port: 22 } }))).toBe(false);
  });

  it('eq with a list variable is refused with what to write; gt says only what is needed', () => {
    const out = formatted(rule('local.port: {eq: $ports}', 'state: {eq: $states}', 'peer.port: {gt: $ports}', 'process.name: $names'));
    expect(out).toEqual([
      expect.stringMatching(/variable '\$ports' is a port-list; a number is needed here \(to match one of its items, write \{in: \$ports\}\) \[wrong-type\]$/),
      expect.stringMatching(/variable '\$states' must be a string for field 'state', not a list \(to match one of its items, write \{in: \$states\}\) \[wrong-type\]$/),
      expect.stringMatching(/variable '\$ports' is a port-list; a number is needed here \[wrong-type\]$/),
    ]);
  });
});

it('a cidr-list variable as the whole matcher of an address is refused with {cidr: $name}: no address equals a network', () => {
  const text = ruleYaml('    match:\n      local.address: $nets', '    vars:\n      nets: {type: cidr-list, default: [10.0.0.0/8]}');
  expect(formatted(text)).toEqual([expect.stringMatching(/variable '\$nets' must be a string for field 'local.address', not a list \(to match addresses in its networks, write \{cidr: \$nets\}\) \[wrong-type\]$/)]);
});
