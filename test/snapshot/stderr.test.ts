/**
 * ss's error messages (stderr) in a capture taken with `2>&1` (parser.ts, STDERR_MESSAGES, SsParser.stderrGlued):
 * reported with their line, never read into a socket — also when one was written into the middle of a line of the
 * table, whose rest follows it (fixtures/stderr/README.md): the line is read joined to its rest.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SsParser } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import { completeExtensions, extensionWants } from '../../src/snapshot/fields';
import type { SocketRecord, UnparsedLine } from '../../src/snapshot/types';
import { expectAccounted, feed, parse, sortedKeys } from './helpers';

const DIR = path.resolve(__dirname, '../../fixtures/stderr');
const REAL = path.resolve(__dirname, '../../fixtures/real');
const CGROUP = 'Failed to find cgroup2 mount';
const CGROUP_WHAT = "ss -e could not map a socket's cgroup to its path (its cgroup: item reads unreachable:ID)";
const GLUED = /^ss error message \(stderr\) written into a line of its output: /;

/** The records without their line numbers (those of a capture and of its stdout alone differ). */
const records = (sockets: SocketRecord[]): unknown[] =>
  sockets.map((s) => sortedKeys({ ...s, location: undefined, netidInferred: s.netidInferred?.replace(/line \d+/g, 'line N') }));

/**
 * What ss wrote on stdout, from a capture of stdout and stderr whose messages are `message` lines: those left out,
 * and a line that ends in one joined to its rest (the next line that is not one).
 */
function stdoutOf(text: string, message: string): string {
  const out: string[] = [];
  let start: string | undefined;
  for (const line of text.split('\n')) {
    if (line === message) continue;
    if (line.endsWith(message)) {
      start = line.slice(0, -message.length);
      continue;
    }
    out.push((start ?? '') + line);
    start = undefined;
  }
  return out.join('\n');
}

describe('real captures with 2>&1 (fixtures/stderr)', () => {
  it('ss -tanpe in ip netns exec: the messages before the header are reported, the sockets read', () => {
    const r = parse(fs.readFileSync(path.join(DIR, 'ss-tanpe.ss'), 'utf8'));
    expectAccounted(r.stats);
    expect(r.unparsed).toEqual([1, 2, 3, 4, 5, 6].map((line) => ({ line, text: CGROUP, reason: `ss error message (stderr): ${CGROUP_WHAT}` })));
    expect(r.sockets.map((s) => [s.state, s.local.port, s.cgroup, s.extra])).toEqual([
      ['LISTEN', 10002, 'unreachable:1', undefined], ['LISTEN', 10001, 'unreachable:1', undefined], ['LISTEN', 10000, 'unreachable:1', undefined],
      ['ESTAB', 38894, 'unreachable:1', undefined], ['ESTAB', 10000, 'unreachable:1', undefined],
    ]);
  });

  const excerpts = fs.readdirSync(DIR).filter((f) => f.endsWith('.excerpt.ss')).sort();

  it('hold the four cuts', () => {
    expect(excerpts).toEqual(['ss-tanem.excerpt.ss', 'ss-tanemi--inet-sockopt.excerpt.ss', 'ss-tanemi.excerpt.ss', 'ss-tanmieO.excerpt.ss']);
  });

  it.each(excerpts)('%s: the line a message was written into is read joined to its rest, as ss wrote it', (name) => {
    const text = fs.readFileSync(path.join(DIR, name), 'utf8');
    const lines = text.split('\n');
    const glued = lines.findIndex((l) => l.endsWith(CGROUP) && l !== CGROUP) + 1;
    expect(glued).toBeGreaterThan(0);
    for (const seed of [undefined, 3]) {
      const p = new SsParser({ file: name, services: builtinServices() }, { socket: (s) => sockets.push(s), unparsed: (u) => unparsed.push(u) });
      const sockets: SocketRecord[] = [];
      const unparsed: UnparsedLine[] = [];
      feed(p, text, seed);
      const stats = p.end();
      expectAccounted(stats);
      // every message, with its line; the one in the middle of a line (only its text) with its own reason
      const messages = lines.flatMap((l, i) => (l.endsWith(CGROUP) ? [i + 1] : []));
      expect(unparsed.map((u) => [u.line, u.text])).toEqual(messages.map((line) => [line, CGROUP]));
      expect(unparsed.filter((u) => GLUED.test(u.reason)).map((u) => u.line)).toEqual([glued]);
      // the sockets of what ss wrote on stdout, that one at the line the message was written into
      expect(records(sockets)).toEqual(records(parse(stdoutOf(text, CGROUP)).sockets));
      expect(sockets.some((s) => s.location.line === glued)).toBe(true);
      expect(sockets.filter((s) => s.extra !== undefined && Object.keys(s.extra).some((k) => k !== 'inet-sockopt'))).toEqual([]);
    }
  });

  it('ss -tanemi: the row cut inside its cgroup: item keeps its cgroup, skmem and TCP info', () => {
    const r = parse(fs.readFileSync(path.join(DIR, 'ss-tanemi.excerpt.ss'), 'utf8'));
    const s = r.sockets.find((x) => x.location.line === 29)!;
    expect(s).toMatchObject({ state: 'LISTEN', local: { port: 14981 }, cgroup: 'unreachable:1', shutdown: '<->', skmem: { rb: 131072 }, tcp: { cwnd: 10 } });
    expect(s.extra).toBeUndefined();
  });
});

describe('a message written into any byte of a line (the real capture fixtures/real/small.tanp.ss, cut)', () => {
  const text = fs.readFileSync(path.join(REAL, 'small.tanp.ss'), 'utf8');
  const MSG = 'RTNETLINK answers: Invalid argument\n';
  const wants = extensionWants(['netid', 'state', 'recvQ', 'sendQ', 'timer.name', 'local.port', 'peer.port']);

  function run(input: string, thin: boolean): { sockets: SocketRecord[]; unparsed: UnparsedLine[] } {
    const sockets: SocketRecord[] = [];
    const unparsed: UnparsedLine[] = [];
    const p = new SsParser({ file: 'x.ss', services: builtinServices() }, {
      socket: (r) => {
        completeExtensions(r);
        sockets.push(r);
      },
      unparsed: (u) => unparsed.push(u),
      ...(thin ? { extensionWants: () => wants } : {}),
    });
    p.write(input);
    expectAccounted(p.end());
    return { sockets, unparsed };
  }

  const base = records(run(text, false).sockets);
  const baseJson = JSON.stringify(base);

  it('reads the same sockets and reports the message (whole parse and thin rows)', () => {
    let glued = 0;
    // every eleventh byte, and each line's first and last three (within its State, before and after its newline)
    const near = (at: number) => [1, 2, 3].some((d) => text[at - d] === '\n' || text[at + d - 1] === '\n');
    for (let at = 1; at < text.length; at++) {
      if (text[at - 1] === '\n') continue; // a message at the start of a line is a line of its own
      if (at % 11 !== 0 && !near(at)) continue;
      const extra = at % 3 === 0 ? MSG + 'Dump was interrupted and may be inconsistent.\n' : MSG;
      const input = text.slice(0, at) + extra + text.slice(at);
      const line = text.slice(0, at).split('\n').length;
      for (const thin of [false, true]) {
        const r = run(input, thin);
        const recs = records(r.sockets);
        if (JSON.stringify(recs) !== baseJson) expect({ at, thin, recs }).toEqual({ at, thin, recs: base });
        expect(r.unparsed[0]).toEqual({ line, text: 'RTNETLINK answers: Invalid argument', reason: expect.stringMatching(GLUED) });
        expect(r.unparsed.length).toBe(at % 3 === 0 ? 2 : 1);
        glued++;
      }
    }
    expect(glued).toBeGreaterThan(1000);
  });

  it('reports a message at the end of the input whose line never got its rest, and reads none of it', () => {
    const lines = text.split('\n');
    const r = run(lines.slice(0, 4).join('\n') + '\n' + lines[4].slice(0, 20) + MSG, false);
    expect(r.sockets.map((s) => s.location.line)).toEqual([2, 3, 4]);
    expect(r.unparsed).toEqual([{ line: 5, text: 'RTNETLINK answers: Invalid argument', reason: expect.stringMatching(GLUED) }]);
  });

  it('does not take the end of a row for one when the next line is a row (a cgroup path of ss --cgroup may end so)', () => {
    const head = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
    const cgroup = 'ESTAB 0 0 10.0.0.1:40000 10.0.0.2:443 cgroup:/user.slice/user-1000.slice/user@1000.service/x RTNETLINK answers: Invalid argument\n';
    for (const text of [
      head + cgroup + 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:* cgroup:/system.slice/ssh.service\n',
      head + cgroup, // (the last line: no rest came)
      head + 'LISTEN 0 128 0.0.0.0:mount 0.0.0.0:*\nESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 cgroup:/a/EOF on netlink\n' + cgroup,
    ]) {
      for (const thin of [false, true]) {
        const r = run(text, thin);
        expect(r.unparsed).toEqual([]);
        expect(r.sockets.map((s) => s.location.line)).toEqual(text.split('\n').slice(1, -1).map((_, i) => i + 2));
      }
    }
    const r = run(head + cgroup + 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n', false);
    expect(r.sockets[1]).toMatchObject({ state: 'LISTEN', local: { port: 22 } });
  });
});
