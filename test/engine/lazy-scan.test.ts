/**
 * A scan parses lazily (only the extension items the rules that can match a socket's state read; see
 * test/snapshot/lazy.test.ts for the parser side). Whatever the rules, the evaluation must be the one a full
 * parse gives: same findings (with complete socket records), offenders, groups and "not evaluated" verdicts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { SsParser } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import { SnapshotEvaluator } from '../../src/engine/evaluate';
import { loadRulePack, loadRuleText } from '../../src/rules/pack';
import { compileRule } from '../../src/rules/compile';
import type { CompiledRule } from '../../src/rules/types';
import { CORPUS, SYNTHETIC, listOut, sortedKeys } from '../snapshot/helpers';
import { FIELDS } from '../../src/rules/fields';
import type { SocketRecord } from '../../src/snapshot/types';
import { isThin } from '../../src/snapshot/fields';

const services = builtinServices();

/** Rules reading what the default pack does not: other TCP info, flags, -e items, family, process counts. */
const EXTRA_RULES = `
rules:
  - id: big-acked
    title: t
    kind: health
    severity: note
    description: d
    help: h
    match: {tcp.bytesAcked: {gt: 1000000}, tcp.flags: sack}
    message: "{local} acked {tcp.bytesAcked}"
  - id: not-cubic
    title: t
    kind: health
    severity: note
    description: d
    help: h
    match: {netid: tcp, not: {tcp.congestion: cubic}, tcp.rto: {lt: 300}}
    message: "{local} {tcp.congestion}"
  - id: dual-stack-open
    title: t
    kind: security
    severity: warning
    securitySeverity: 5.0
    description: d
    help: h
    match: {state: [LISTEN, UNCONN], local.family: dual, shutdown: {exists: true}}
    message: "{local} {cgroup}"
  - id: many-per-process
    title: t
    kind: health
    severity: note
    description: d
    help: h
    match: {netid: tcp, process.count: {gte: 1}}
    aggregate: {function: max, field: tcp.lastsnd, groupBy: [process], gt: 0, top: 2}
    message: "{group.process}: {observed}"
`;

/**
 * Rules whose outcome on a thin row depends on its netid and state only (evaluated once per dispatch list),
 * true there: what a snapshot without TCP info, skmem or timers makes of them must not change.
 */
const BARE_RULES = `
rules:
  - id: no-tcp-info
    title: t
    kind: health
    severity: note
    description: d
    help: h
    match: {netid: tcp, state: [ESTAB, TIME-WAIT], tcp.rtt: {exists: false}, not: {skmem.d: {gt: 0}}}
    aggregate: {function: count, groupBy: [state], gt: 0, top: 3}
    message: "{group.state}: {observed}"
  - id: timerless
    title: t
    kind: health
    severity: note
    description: d
    help: h
    match: {any: [{timer.name: {exists: false}}, {tcp.backoff: {gt: 0}}], netid: tcp}
    message: "{local} {timer.name}"
`;

function rulesOf(text?: string): CompiledRule[] {
  const pack = text ? loadRuleText(text, 'extra.yaml') : loadRulePack([]);
  expect(pack.diagnostics).toEqual([]);
  return pack.definitions.map((d) => compileRule(d));
}

function evaluate(text: string, rules: CompiledRule[], lazy: boolean): string {
  const ev = new SnapshotEvaluator(rules, { file: 'x.ss', host: 'h', fields: new Set() });
  const unparsed: string[] = [];
  const p = new SsParser({ file: 'x.ss', services }, {
    socket: (r) => ev.add(r),
    unparsed: (u) => { unparsed.push(`${u.line}: ${u.reason}`); },
    ...(lazy ? { extensionWants: (state: string | undefined) => ev.wantsFor(state) } : {}),
  });
  if (lazy) {
    // in chunks that are overwritten after each write, as a stream's may be: thin records read their chunk
    const buf = Buffer.from(text, 'utf8');
    for (let i = 0, k = 0; i < buf.length; k++) {
      const n = 1 + ((k * 7919) % 5000);
      const chunk = Buffer.from(buf.subarray(i, i + n));
      p.write(chunk);
      chunk.fill(0x20);
      i += n;
    }
  } else p.write(text);
  const stats = p.end();
  // key order aside (a completed record gets its extension fields last; every report sorts keys)
  return JSON.stringify(sortedKeys({ evaluation: ev.finish(stats.fields), unparsed }));
}

function inputs(): [string, string][] {
  const files = listOut(CORPUS);
  for (const dir of [SYNTHETIC, path.resolve(__dirname, '../../fixtures/real'), path.resolve(__dirname, '../../fixtures/unix-newline')]) {
    for (const f of fs.readdirSync(dir)) if (/\.(ss|out|txt)$/.test(f)) files.push(path.join(dir, f));
  }
  const out: [string, string][] = files.sort().map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')]);
  const gen = path.resolve(__dirname, '../../bench/generate.js');
  for (const layout of ['tanp', 'tanpmioe']) {
    out.push([`generated ${layout}`, execFileSync(process.execPath, [gen, '--sockets', '3000', '--layout', layout, '--seed', '11'], { encoding: 'utf8', maxBuffer: 64 << 20 })]);
  }
  // plain rows (read thin) among rows with TCP info, skmem and timers: the snapshot has those field groups
  const rows = ['State Recv-Q Send-Q Local Address:Port Peer Address:Port Process', 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))'];
  for (let i = 0; i < 300; i++) {
    const peer = `10.0.${i % 7}.${i % 250}:${5000 + i}`;
    if (i % 5 === 0) rows.push(`ESTAB 0 ${i} 10.0.0.1:22 ${peer} users:(("sshd",pid=${i},fd=4)) timer:(on,200ms,${i % 3})`, `\tskmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d${i % 2}) cubic rtt:${i}/1 backoff:${i % 2}`);
    else if (i % 3 === 0) rows.push(`TIME-WAIT 0 0 10.0.0.1:22 ${peer}`);
    else rows.push(`ESTAB ${i % 4} 0 10.0.0.1:22 ${peer} users:(("sshd",pid=${i},fd=4))`);
  }
  out.push(['thin rows among detailed ones', rows.join('\n') + '\n']);
  // detail lines after a blank, TAB-only or CR line: a thin row takes only the line right after it, the full
  // parse attaches them all (the record's completion must keep what the later lines gave)
  const gaps = ['State Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
  for (let i = 0; i < 60; i++) {
    gaps.push(`ESTAB 0 0 10.0.0.1:22 10.0.1.${i}:${6000 + i} users:(("sshd",pid=${i},fd=4)) ino:${i + 1} sk:${i.toString(16)} <->`);
    if (i % 4 !== 3) gaps.push(`\tskmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d0) cubic rtt:${i}/1`);
    if (i % 4 !== 0) gaps.push(['', '\t', '\r'][i % 3], `\tskmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d${i}) cubic rtt:${100 + i}/1 timer:(on,200ms,${i % 3})`);
  }
  out.push(['detail lines after a gap', gaps.join('\n') + '\n']);
  // items that do not read, once the snapshot has shown every field group (a lazy pass then searches the text)
  const odd = ['bbr:(bw:1Mbps,junk)', 'dctcp:(junk)', 'bbr:(bw:-1,:,1:2)', 'mss:1.5', 'cwnd:1e+06', 'bbr:5', 'bbr:x', 'dctcp:fallback_mode', 'tcp-ulp-mptcp:(x', 'rtt:1/2 bbr:(bw:1Mbps'];
  const items = ['State Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
  for (let i = 0; i < 5; i++) items.push(`ESTAB 0 0 10.0.0.1:22 10.0.0.9:${i + 1} users:(("sshd",pid=1,fd=3)) ino:1${i} sk:1 <->`, '\t skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d0) bbr rtt:25/10 cwnd:10 timer:(on,200ms,0)');
  odd.forEach((item, i) => {
    const st = ['ESTAB', 'TIME-WAIT', 'LISTEN', 'CLOSE-WAIT'][i % 4];
    items.push(`${st} 0 0 10.0.0.1:22 10.0.0.9:${100 + i} users:(("sshd",pid=1,fd=3)) ino:9${i} sk:1 <->${i % 2 ? ` ${item}` : ''}`, `\t skmem:(r0,rb1,t0,tb2,f0,w0,o0,bl0,d0) bbr rtt:25/10 cwnd:10 ${i % 2 ? '' : item}`);
    items.push(`ESTAB 0 0 10.0.0.1:22 10.0.0.3:${200 + i} users:(("sshd",pid=1,fd=4))`);
  });
  out.push(['items that do not read', items.join('\n') + '\n']);
  return out;
}

describe('lazy parsing in a scan', () => {
  const all = inputs();
  it.each([['the default pack', undefined], ['rules reading other items', EXTRA_RULES], ['rules true on thin rows', BARE_RULES]])('evaluates as a full parse does, in any chunks (%s)', (_name, text) => {
    const rules = rulesOf(text);
    for (const [name, input] of all) {
      const lazy = evaluate(input, rules, true);
      const full = evaluate(input, rules, false);
      if (lazy !== full) throw new Error(`${name}: lazy evaluation differs from the full parse`);
    }
  });

  it('treats as constant on thin rows only fields that read TCP info, skmem or timers (evaluate.ts, bareField)', () => {
    // two thin-like records (no extension items) that differ in every main column
    const a: SocketRecord = { netid: 'tcp', local: { address: '10.0.0.1', port: 22 }, peer: { address: '10.0.0.2', port: 5000 }, location: { file: 'a', line: 1 }, state: 'ESTAB', recvQ: 0, sendQ: 0 };
    const b: SocketRecord = { netid: 'tcp', local: { address: '0.0.0.0', port: 3306 }, peer: { address: '*', port: null }, location: { file: 'b', line: 9 }, state: 'ESTAB', recvQ: 70000, sendQ: 12 };
    const bare = FIELDS.filter((f) => /^(tcp|skmem|timer)\./.test(f.name));
    expect(bare.length).toBeGreaterThan(20);
    for (const f of bare) expect({ field: f.name, value: f.get(b) }).toEqual({ field: f.name, value: f.get(a) });
  });

  it('a part that follows another completes only the records of the findings it lists, after the parse (settle)', () => {
    const [rule] = rulesOf(`
rules:
  - id: estab
    title: t
    kind: health
    severity: note
    description: d
    help: h
    match: {netid: tcp, state: ESTAB}
    message: "{local} -> {peer} ({process})"
`);
    const rows = ['Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
    for (let i = 0; i < 12; i++) rows.push(`tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:${5000 + i} users:(("sshd",pid=${i + 1},fd=4))`);
    rows.push('tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*'); // a chunk's last row is parsed in full
    // the part of a split file that follows one listing 3 findings, with a cap of 5: room for 2
    const ev = new SnapshotEvaluator([rule], { file: 'x.ss', host: 'h', fields: new Set(), maxFindingsPerRule: 5, follows: true });
    const seen: SocketRecord[] = [];
    const p = new SsParser({ file: 'x.ss', services }, {
      socket: (r) => { seen.push(r); ev.add(r); },
      unparsed: () => undefined,
      extensionWants: (state) => ev.wantsFor(state),
    });
    const chunk = Buffer.from(`${rows.join('\n')}\n`, 'utf8');
    p.write(chunk);
    chunk.fill(0x20); // the parser's caller may reuse its chunk: the listed records keep their own bytes
    p.end();
    seen.pop();
    expect(seen).toHaveLength(12);
    expect(seen.every((r) => isThin(r))).toBe(true); // thin rows, read from the chunk; none completed while parsing
    ev.followOn({ ruleIds: ['estab'], counts: [3], suppressed: [0] });
    const part = ev.partial();
    expect(part.rules[0].omitted).toBe(10);
    expect(part.rules[0].findings.map((f) => f.message)).toEqual(['10.0.0.1:22 -> 10.0.0.2:5000 (sshd[1])', '10.0.0.1:22 -> 10.0.0.2:5001 (sshd[2])']);
    expect(seen.map((r) => isThin(r))).toEqual([false, false, ...new Array<boolean>(10).fill(true)]); // the dropped ten never were
  });

  it('reads less for sockets in states fewer rules look at', () => {
    const rules = rulesOf();
    const ev = new SnapshotEvaluator(rules, { file: 'x.ss', host: 'h', fields: new Set() });
    expect(ev.wantsFor('CLOSE-WAIT').users).toBe(true); // close-wait-excess groups by process
    expect(ev.wantsFor('ESTAB').users).toBe(false);
    expect(ev.wantsFor(undefined).users).toBe(true);
    expect(ev.wantsFor('ESTAB').keys[2]).toBe(true); // skmem: socket-drops reads skmem.d in every state
  });
});
