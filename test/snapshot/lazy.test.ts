/**
 * Lazy extension parsing (a scan reads only the items its rules need): for every input, every field a rule
 * set reads has the value the full parse gives, the snapshot shows the same field groups, and a completed
 * record is the full parse's record.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import fc from 'fast-check';
import { SsParser, type ParseStats } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import { ALL_WANTED, DEFERRED_EXTENSIONS, completeExtensions, extensionWants, type ExtensionWants } from '../../src/snapshot/fields';
import type { SocketRecord } from '../../src/snapshot/types';
import { FIELDS } from '../../src/rules/fields';
import { loadRulePack } from '../../src/rules/pack';
import { compileRule } from '../../src/rules/compile';
import { CORPUS, SYNTHETIC, listOut, sortedKeys as sorted } from './helpers';

const services = builtinServices();
const REAL = path.resolve(__dirname, '../../fixtures/real');

function run(text: string, wants?: ExtensionWants): { recs: SocketRecord[]; stats: ParseStats } {
  const recs: SocketRecord[] = [];
  const p = new SsParser({ file: 'x.ss', services }, {
    socket: (r) => recs.push(r),
    unparsed: () => undefined,
    ...(wants ? { extensionWants: () => wants } : {}),
  });
  p.write(text);
  return { recs, stats: p.end() };
}

/** The lazy parse of `text` for a rule set reading `fields` agrees with the full parse. */
function check(text: string, fields: string[], label: string): number {
  const full = run(text);
  const wants = extensionWants(fields);
  const lazy = run(text, wants);
  expect(lazy.recs.length).toBe(full.recs.length);
  expect([...lazy.stats.fields].sort()).toEqual([...full.stats.fields].sort());
  const defs = FIELDS.filter((f) => fields.includes(f.name));
  let deferred = 0;
  lazy.recs.forEach((r, i) => {
    const e = full.recs[i];
    for (const f of defs) {
      const got = f.get(r);
      const want = f.get(e);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        throw new Error(`${label}: line ${e.location.line}: ${f.name} is ${JSON.stringify(got)} lazily, ${JSON.stringify(want)} in full`);
      }
    }
    if ((r as { [DEFERRED_EXTENSIONS]?: unknown })[DEFERRED_EXTENSIONS]) deferred++;
    completeExtensions(r);
    expect(sorted(r)).toEqual(sorted(e));
  });
  return deferred;
}

const DEFAULT_PACK_READS = [...new Set(loadRulePack([]).definitions.flatMap((d) => compileRule(d).reads ?? []))];
const FIELD_SETS: [string, string[]][] = [
  ['default pack', DEFAULT_PACK_READS],
  ['nothing beyond the main columns', ['netid', 'state', 'local.port']],
  ['tcp.rtt', ['tcp.rtt']],
  ['tcp.backoff', ['tcp.backoff']],
  ['uid', ['uid']],
  ['skmem.d', ['skmem.d']],
  ['tcp.flags + congestion', ['tcp.flags', 'tcp.congestion']],
  ['local.family', ['local.family']],
  ['shutdown + cgroup', ['shutdown', 'cgroup']],
  ['tcp.bytesAcked + tcp.rcvSpace', ['tcp.bytesAcked', 'tcp.rcvSpace']],
];

function inputs(): string[] {
  const files = [...listOut(CORPUS)];
  for (const dir of [SYNTHETIC, REAL]) {
    for (const f of fs.readdirSync(dir)) if (/\.(ss|out|txt)$/.test(f)) files.push(path.join(dir, f));
  }
  return files.sort();
}

describe('lazy extension parsing', () => {
  it('knows which items a rule field needs', () => {
    expect(extensionWants(['netid', 'state', 'process.name', 'timer.name'])).not.toBe(ALL_WANTED);
    expect(extensionWants(['extra.whatever'])).toBe(ALL_WANTED);
    expect(extensionWants(['tcp.noSuchItem'])).toBe(ALL_WANTED);
    expect(DEFAULT_PACK_READS).toEqual(expect.arrayContaining(['tcp.rtt', 'skmem.d', 'uid', 'timer.name', 'process.name']));
  });

  it.each(FIELD_SETS)('agrees with the full parse on every corpus file and fixture (%s)', (name, fields) => {
    for (const f of inputs()) check(fs.readFileSync(f, 'utf8'), fields, `${path.basename(f)} (${name})`);
  });

  it('leaves most TCP info of an ss -tanpmioe capture unread, and completes it exactly', () => {
    const gen = path.resolve(__dirname, '../../bench/generate.js');
    const text = execFileSync(process.execPath, [gen, '--sockets', '2000', '--layout', 'tanpmioe', '--seed', '7'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const [name, fields] of FIELD_SETS) {
      const deferred = check(text, fields, `generated (${name})`);
      if (name === 'default pack') expect(deferred).toBeGreaterThan(700);
    }
  });

  it('agrees with the full parse on hostile extension text (property)', () => {
    const token = fc.constantFrom(
      'rtt:1.5/0.75', 'rtt:abc', 'rtt:', 'retrans:0/3', 'retrans:x', 'backoff:2', 'backoff:-', 'rto:204', 'rto:bad', 'cubic', 'bbr',
      'ts', 'sack', 'app_limited', 'send', 'send 1Mbps', 'pacing_rate 2Mbps/3Mbps', 'delivery_rate x', 'skmem:(r1,rb2,t3,tb4,f5,w6,o7,bl8,d9)',
      'skmem:(r1', 'mem:(r1,w2,f3,t4)', 'timer:(on,200ms,1)', 'timer:(keepalive,1min,0)', 'timer:(bad', 'uid:1000', 'uid:x', 'ino:123',
      'ino:x', 'sk:ff', 'cgroup:/a b', 'v6only:1', 'v6only:2', '<->', '-->', 'fwmark:0x1', 'key: value', 'peers:', 'tcp-ulp-tls',
      'version: 1.3', 'bbr:(bw:1Mbps,mrtt:0.5)', 'dctcp:(ce_state:0,alpha:1)', 'bbr:(bw:1Mbps,junk)', 'dctcp:(:1)', 'bbr:()', 'bbr:x', 'rwnd_limited:12ms(3.4%)', 'busy:5ms', 'wscale:7,7',
      'x=1', 'stats(rx dropped:1)', 'users:(("a b",pid=1,fd=2))', 'lost:3', 'unacked:4', 'bytes_acked:99', 'minrtt:0.1', '"quoted',
      'a:"b c"', 'zc_ro_tx', 'bpf filter (1): 0x28', 'x:(a rtt:5 b)', 'y:(c(d) rtt:6)', 'z:(q', ')', 'w:(p)rtt:7', 'minrtt:9',
      'rcv_rtt:8', 'skmem:(r5,d9) mem:(r1,w2,f3,t4)', 'tcp-ulp-tls rtt:3', 'send rtt:4', 'ino:5 sk:1', 'timer:(on,1sec,2) rtt:200',
      'mss:1.5', 'cwnd:10.0', 'cwnd:1e+06', 'bbr:5', 'bbr:(bw:1Mbps', 'dctcp:(x', 'tcp-ulp-mptcp:(x', 'bbr:(bw:1Mbps,:,1:2)',
    );
    const line = fc.array(token, { minLength: 0, maxLength: 12 }).map((t) => t.join(' '));
    const row = fc.tuple(fc.constantFrom('ESTAB', 'LISTEN', 'UNCONN', 'TIME-WAIT'), line, fc.option(line, { nil: undefined }), fc.boolean())
      .map(([st, main, cont, netid]) => `${netid ? 'tcp   ' : ''}${st} 0 0 10.0.0.1:80 10.0.0.2:5555 ${main}\n${cont !== undefined ? `\t${cont}\n` : ''}`);
    const text = fc.array(row, { minLength: 1, maxLength: 6 }).map((rows) => rows.join(''));
    fc.assert(fc.property(text, fc.constantFrom(...FIELD_SETS), (t, [name, fields]) => {
      check(t, fields, name);
    }), { numRuns: 400 });
  });
});
