/**
 * `any` needs one evaluable branch — a branch the snapshot cannot evaluate is false, which can only miss a finding —
 * but a branch that holds for want of a field (a `not` in it, `exists: false`) would invent one: its groups are needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FieldGroup } from '../../src/snapshot/types';
import { loadRuleText } from '../../src/rules/pack';
import { tryCompileRule } from '../../src/rules/compile';
import { matcher, sock } from './helpers';

const groups = (...g: FieldGroup[]): Set<FieldGroup> => new Set(g);

describe('any: a branch that could hold for want of a field needs its groups', () => {
  it('not: in an all: branch (port 22 not held by sshd, or telnet): not evaluated without -p, instead of firing on sshd', () => {
    const r = matcher('netid: tcp\nstate: LISTEN\nany: [{all: [{local.port: 22}, {not: {process.name: sshd}}]}, {local.port: 23}]');
    expect(r.missingFields(groups('state'))).toEqual(['processes']);
    expect(r.missingFields(groups('state', 'processes'))).toEqual([]);
    // what the rule would have said without -p: sshd's listener has no process, so `not` holds
    expect(r.match(sock({ local: { port: 22 } }))).toBe(true);
  });

  it('a bare not: branch, and exists: false', () => {
    expect(matcher('any: [{not: {process.name: sshd}}, {local.port: 22}]').missingFields(groups())).toEqual(['processes']);
    expect(matcher('any: [{process.name: {exists: false}}, {local.port: 22}]').missingFields(groups())).toEqual(['processes']);
    // the field-level not does not hold of a missing field: still one evaluable branch is enough
    expect(matcher('any: [{process.name: {not: sshd}}, {local.port: 22}]').missingFields(groups())).toEqual([]);
  });

  it('a branch that a missing field makes false anyway needs nothing more (its not cannot make it hold)', () => {
    const r = matcher('any: [{timer.name: "on"}, {tcp.backoff: {gt: 0}, not: {timer.name: persist}}, {tcp.retrans: {gt: 0}}]');
    expect(r.missingFields(groups('timer'))).toEqual([]); // -o: tcp.backoff is missing, its branch is false
    expect(r.missingFields(groups('timer', 'tcpinfo'))).toEqual([]);
    expect(r.missingFields(groups('tcpinfo'))).toEqual(['timer']); // -i alone: backoff of a persist timer would count
    expect(r.missingFields(groups())).toEqual(['timer']);
  });

  it('positive branches: one evaluable branch is still enough', () => {
    const r = matcher('any: [{process.name: sshd}, {tcp.rtt: {gt: 100}}, {skmem.d: {gt: 0}}]');
    expect(r.missingFields(groups('skmem'))).toEqual([]);
    expect(r.missingFields(groups())).toEqual(['processes']);
  });

  it('the default pack: retransmitting runs on an -o capture through its timer branch, not on -i alone', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../rules/retransmitting.yaml'), 'utf8');
    const rule = tryCompileRule(loadRuleText(text, 'retransmitting.yaml').definitions[0]).rule!;
    expect(rule.missingFields(groups('state', 'queues', 'timer'))).toEqual([]);
    expect(rule.missingFields(groups('state', 'queues', 'timer', 'tcpinfo'))).toEqual([]);
    // bulk-writer's backoff is its persist timer's (the fixture's `ok:` row): without -o it would be a finding
    expect(rule.missingFields(groups('state', 'queues', 'tcpinfo'))).toEqual(['timer']);
  });
});
