import fc from 'fast-check';
import { SsParser } from '../../src/snapshot/parser';
import { builtinServices } from '../../src/snapshot/services';
import type { Endpoint, ProcessRef, SocketRecord, Timer } from '../../src/snapshot/types';
import { expectAccounted, parse } from './helpers';

/** A generated row: its text and the fields the parser must give back. */
interface Gen {
  text: string;
  expect: Partial<SocketRecord>;
}

const services = builtinServices();
const sp = fc.integer({ min: 1, max: 4 }).map((n) => ' '.repeat(n));
const u16 = fc.integer({ min: 1, max: 65535 });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const ipv6 = fc.oneof(
  fc.constant('::'),
  fc.constant('::1'),
  ipv4.map((a) => `::ffff:${a}`),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':')),
  fc.integer({ min: 1, max: 0xffff }).map((x) => `fe80::${x.toString(16)}`),
);
const iface = fc.constantFrom('eth0', 'lo', 'virbr0', 'ens33', 'wlp2s0', 'if7');
const serviceName = fc.constantFrom('ssh', 'domain', 'http', 'https', 'mysql', 'postgresql', 'ipp', 'x11-6', 'http-alt', 'ms-wbt-server');

/** port text → expected {port, portName} */
const inetPort = fc.oneof(
  u16.map((p) => ({ text: String(p), port: p as number | null, portName: undefined as string | undefined })),
  fc.constant({ text: '*', port: null, portName: undefined }),
  serviceName.map((n) => ({ text: n, port: services.lookup(n, 'tcp')!, portName: n })),
  fc.constantFrom('rpc.nfs_acl', 'rpc.statd').map((n) => ({ text: n, port: null, portName: n })),
);

const inetEndpoint = (withIface: boolean): fc.Arbitrary<{ text: string; ep: Endpoint }> =>
  fc.tuple(fc.oneof(ipv4.map((a) => ({ a, v6: false })), ipv6.map((a) => ({ a, v6: true })), fc.constant({ a: '*', v6: false })), inetPort, withIface ? fc.option(iface, { nil: undefined }) : fc.constant(undefined))
    .map(([{ a, v6 }, p, dev]) => {
      const host = v6 ? `[${a}]` : a;
      const text = `${host}${dev ? '%' + dev : ''}:${p.text}`;
      const ep: Endpoint = { address: a, port: p.port };
      if (p.portName !== undefined) ep.portName = p.portName;
      if (dev) ep.iface = dev;
      return { text, ep };
    });

/** Hostile COMM: anything but `)`, newline and NUL (ss cuts at `)`; ≤15 bytes). */
const comm = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', ' ', '"', ',', '(', '=', ':', '/', '-', '_', '.', 'é', '\t'), minLength: 1, maxLength: 15 })
  .filter((s) => !s.includes('\t'));
const proc = fc.record({ name: comm, pid: fc.integer({ min: 1, max: 4194304 }), fd: fc.nat(100000), tid: fc.option(fc.integer({ min: 1, max: 4194304 }), { nil: undefined }) });
const users = fc.array(proc, { minLength: 1, maxLength: 5 }).map((ps) => {
  const text = 'users:(' + ps.map((p) => `("${p.name}",pid=${p.pid},${p.tid !== undefined ? `tid=${p.tid},` : ''}fd=${p.fd})`).join(',') + ')';
  const list: ProcessRef[] = ps.map((p) => (p.tid !== undefined ? { name: p.name, pid: p.pid, tid: p.tid, fd: p.fd } : { name: p.name, pid: p.pid, fd: p.fd }));
  return { text, list };
});

/** TIME text and its ms value (§11 grammar, both pre- and post-6.11 suffixes). */
const timerTime = fc.oneof(
  fc.constant({ t: '', ms: 0 }),
  fc.integer({ min: 1, max: 999 }).map((f) => ({ t: String(f).padStart(3, '0') + 'ms', ms: f })),
  fc.integer({ min: 1, max: 59 }).map((s) => ({ t: `${s}sec`, ms: s * 1000 })),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 999 }), fc.boolean()).map(([s, f, old]) => ({ t: `${s}.${String(f).padStart(3, '0')}${old ? 'ms' : 'sec'}`, ms: s * 1000 + f })),
  fc.integer({ min: 1, max: 600 }).map((m) => ({ t: `${m}min`, ms: m * 60000 })),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 59 })).map(([m, s]) => ({ t: `${m}min${s}sec`, ms: m * 60000 + s * 1000 })),
);
const timer = fc.tuple(fc.constantFrom('on', 'keepalive', 'timewait', 'persist', 'delack', 'unknown'), timerTime, fc.nat(20))
  .map(([name, tt, retrans]) => ({ text: `timer:(${name},${tt.t},${retrans})`, timer: { name, expiresMs: tt.ms, retrans } as Timer }));

const ext = fc.record({
  uid: fc.option(fc.integer({ min: 1, max: 65534 }), { nil: undefined }),
  ino: fc.option(fc.nat(4294967295), { nil: undefined }),
  sk: fc.option(fc.integer({ min: 1, max: 0xffffff }).map((x) => x.toString(16)), { nil: undefined }),
  cgroup: fc.option(fc.constantFrom('/', '/system.slice/sshd.service', '/user.slice/x\\x2dy.scope'), { nil: undefined }),
  v6only: fc.option(fc.boolean(), { nil: undefined }),
  shutdown: fc.option(fc.constantFrom('<->', '-->', '<--', '---'), { nil: undefined }),
});

const STATES = ['ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'UNKNOWN'];

const inetRow: fc.Arbitrary<Gen> = fc.record({
  netid: fc.constantFrom('tcp', 'udp', 'mptcp', 'dccp', 'sctp'),
  state: fc.constantFrom(...STATES),
  rq: fc.nat(1 << 20), sq: fc.nat(1 << 20),
  local: inetEndpoint(true), peer: inetEndpoint(false),
  users: fc.option(users, { nil: undefined }),
  timer: fc.option(timer, { nil: undefined }),
  ext,
  s: fc.array(sp, { minLength: 8, maxLength: 8 }),
}).map((g) => {
  const parts = [g.netid, g.s[0], g.state, g.s[1], String(g.rq), g.s[2], String(g.sq), g.s[3], g.local.text, g.s[4], g.peer.text];
  const exp: Partial<SocketRecord> = { netid: g.netid, state: g.state, recvQ: g.rq, sendQ: g.sq, local: fixProto(g.local.ep, g.netid), peer: fixProto(g.peer.ep, g.netid) };
  if (g.users) { parts.push(' ', g.users.text); exp.processes = g.users.list; }
  if (g.timer) { parts.push(' ', g.timer.text); exp.timer = g.timer.timer; }
  const e = g.ext;
  if (e.uid !== undefined) { parts.push(` uid:${e.uid}`); exp.uid = e.uid; }
  if (e.ino !== undefined) { parts.push(` ino:${e.ino}`); exp.inode = e.ino; }
  if (e.sk !== undefined) { parts.push(` sk:${e.sk}`); exp.sk = e.sk; }
  if (e.cgroup !== undefined) { parts.push(` cgroup:${e.cgroup}`); exp.cgroup = e.cgroup; }
  if (e.v6only !== undefined) { parts.push(` v6only:${e.v6only ? 1 : 0}`); exp.v6only = e.v6only; }
  if (e.shutdown !== undefined) { parts.push(` ${e.shutdown}`); exp.shutdown = e.shutdown; }
  parts.push(g.s[5]);
  return { text: parts.join(''), expect: exp };
});

/** Service names differ per protocol only for a few names; the generator uses tcp ones. */
function fixProto(ep: Endpoint, netid: string): Endpoint {
  if (ep.portName && ep.port !== null && !ep.portName.startsWith('rpc.')) {
    const p = services.lookup(ep.portName, netid === 'udp' ? 'udp' : netid);
    return { ...ep, port: p ?? null };
  }
  return ep;
}

const pathSeg = fc.string({ unit: fc.constantFrom('a', 'b', 'x', '0', '1', '.', '-', '_'), minLength: 1, maxLength: 8 }).map((s) => 'p' + s);
const unixName = fc.oneof(
  fc.constant('*'),
  fc.array(pathSeg, { minLength: 1, maxLength: 4 }).chain((segs) => fc.array(fc.constantFrom('/', ' ', '  '), { minLength: segs.length - 1, maxLength: segs.length - 1 }).map((seps) => '/' + segs.map((s, i) => s + (seps[i] ?? '')).join(''))),
  fc.array(pathSeg, { minLength: 1, maxLength: 3 }).map((segs) => '@' + segs.join('@')),
);
const unixRow: fc.Arbitrary<Gen> = fc.record({
  netid: fc.constantFrom('u_str', 'u_dgr', 'u_seq'),
  state: fc.constantFrom('ESTAB', 'LISTEN', 'UNCONN'),
  rq: fc.nat(1000), sq: fc.nat(1000),
  name: unixName, ino: fc.integer({ min: -2147483648, max: 4294967295 }), peerIno: fc.nat(4294967295),
  users: fc.option(users, { nil: undefined }),
  s: fc.array(sp, { minLength: 6, maxLength: 6 }),
}).map((g) => {
  const local: Endpoint = { address: g.name, port: g.ino < 0 ? g.ino + 2 ** 32 : g.ino }; // ss ≤ 6.5 printed it signed
  if (g.name.startsWith('/')) local.path = g.name;
  const exp: Partial<SocketRecord> = { netid: g.netid, state: g.state, recvQ: g.rq, sendQ: g.sq, local, peer: { address: '*', port: g.peerIno } };
  let text = [g.netid, g.s[0], g.state, g.s[1], g.rq, g.s[2], g.sq, g.s[3], g.name, ' ', g.ino, g.s[4], '* ', g.peerIno].join('');
  if (g.users) { text += ' ' + g.users.text; exp.processes = g.users.list; }
  return { text, expect: exp };
});

const nlRow: fc.Arbitrary<Gen> = fc.record({
  proto: fc.constantFrom('rtnl', 'audit', 'uevent', 'genl', '0', '9'),
  port: fc.oneof(
    fc.constant({ t: 'kernel', port: 0 as number | null, name: 'kernel' as string | undefined }),
    fc.integer({ min: -2147483648, max: 2147483647 }).map((p) => ({ t: String(p), port: p as number | null, name: undefined as string | undefined })),
    fc.tuple(fc.constantFrom('systemd', 'Web Content', 'ss'), fc.integer({ min: 1, max: 99999 })).map(([c, p]) => ({ t: `${c}/${p}`, port: p as number | null, name: `${c}/${p}` as string | undefined })),
  ),
  rq: fc.nat(5000),
}).map((g) => {
  const local: Endpoint = { address: g.proto, port: g.port.port };
  if (g.port.name) local.portName = g.port.name;
  return { text: `nl    UNCONN     ${g.rq}      0      ${g.proto}:${g.port.t}    *`, expect: { netid: 'nl', state: 'UNCONN', recvQ: g.rq, sendQ: 0, local, peer: { address: '*', port: null } } };
});

export const row = fc.oneof({ weight: 4, arbitrary: inetRow }, { weight: 2, arbitrary: unixRow }, { weight: 1, arbitrary: nlRow });
const HEADER = 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess';

function pick(s: SocketRecord): Partial<SocketRecord> {
  const { location: _l, ...rest } = s;
  void _l;
  return rest;
}

describe('property: generated ss rows', () => {
  it('round-trips every generated field', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.constantFrom('\n', '\r\n'), (rows, header, eol) => {
        const text = (header ? HEADER + eol : '') + rows.map((r) => r.text).join(eol) + eol;
        const r = parse(text);
        expectAccounted(r.stats);
        expect(r.unparsed).toEqual([]);
        expect(r.sockets).toHaveLength(rows.length);
        rows.forEach((g, i) => {
          expect(pick(r.sockets[i])).toEqual(g.expect);
          expect(r.sockets[i].location.line).toBe(i + 1 + (header ? 1 : 0));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and accounts for every line under mutation and any chunking', () => {
    const mutation = fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'truncate', 'dup'), fc.nat(), fc.constantFrom(' ', '\t', '\n', ')', '(', '"', ',', ':', '[', ']', '%', '\u0000', '\u001b', 'é', '`- ', 'users:((', 'timer:(', '*'));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.array(mutation, { maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (rows, muts, chunk) => {
        let text = rows.map((r) => r.text).join('\n') + '\n';
        for (const [kind, at, str] of muts) {
          const i = text.length ? at % text.length : 0;
          if (kind === 'insert') text = text.slice(0, i) + str + text.slice(i);
          else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1 + (at % 5));
          else if (kind === 'replace') text = text.slice(0, i) + str + text.slice(i + str.length);
          else if (kind === 'truncate') text = text.slice(0, i);
          else text = text.slice(0, i) + text.slice(0, i) + text.slice(i);
        }
        const buf = Buffer.from(text, 'utf8');
        let sockets = 0;
        let unparsed = 0;
        const p = new SsParser({ file: 'm', services }, { socket: () => sockets++, unparsed: () => unparsed++, summary: () => undefined, comment: () => undefined });
        for (let i = 0; i < buf.length; i += chunk) p.write(buf.subarray(i, i + chunk));
        const stats = p.end();
        expectAccounted(stats);
        expect(stats.sockets).toBe(sockets);
        expect(stats.unparsed).toBe(unparsed);
        const physical = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        expect(stats.lines).toBe(physical);
      }),
      { numRuns: 400 },
    );
  });
});
