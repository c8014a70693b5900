import fc from 'fast-check';
import { addressFamily, addressScope, cidrContains, cidrContainsV4, cidrContainsWords, ipv4Number, ipv6Words, parseCidr, parseIp, type Cidr } from '../../src/rules/address';
import { referenceIPv4, referenceIPv6 } from './ip-reference';
import { compileRegex } from '../../src/rules/regex';
import { compile, matcher, ruleYaml, sock } from './helpers';

describe('address scope', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.0.0.53', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['localhost', 'loopback'],
    ['*', 'wildcard'],
    ['0.0.0.0', 'wildcard'],
    ['::', 'wildcard'],
    ['10.1.2.3', 'private'],
    ['172.31.255.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.128.0.1', 'public'],
    ['fd00:20::5', 'private'],
    ['::ffff:10.0.2.15', 'private'],
    ['169.254.10.1', 'link-local'],
    ['fe80::a00:27ff:fe32:ed09', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'public'],
    ['224.0.0.251', 'multicast'],
    ['ff02::fb', 'multicast'],
    ['8.8.8.8', 'public'],
    ['2001:db8::1', 'public'],
    ['myhost.example.org', 'none'],
    ['', 'none'],
  ])('%s is %s', (addr, scope) => {
    expect(addressScope(addr)).toBe(scope);
  });

  it('classifies through the field, with unix and netlink as none', () => {
    const r = matcher('local.scope: none');
    expect(r.match(sock({ netid: 'u_str', local: { address: '*', port: 1077 } }))).toBe(true);
    expect(r.match(sock({ netid: 'nl', local: { address: 'rtnl', port: 0 } }))).toBe(true);
    expect(r.match(sock({ local: { address: '*' } }))).toBe(false);
  });

  it('a socket bound to the loopback device (0.0.0.0%lo, [::]%lo) is loopback whatever its address; other devices do not change it', () => {
    const loopback = matcher('local.scope: loopback');
    expect(loopback.match(sock({ local: { address: '0.0.0.0', port: 5432, iface: 'lo' } }))).toBe(true);
    expect(loopback.match(sock({ local: { address: '::', port: 6379, iface: 'lo' } }))).toBe(true);
    expect(loopback.match(sock({ local: { address: '*', port: 6379, iface: 'lo' } }))).toBe(true);
    expect(matcher('local.scope: wildcard').match(sock({ local: { address: '0.0.0.0', port: 53, iface: 'eth0' } }))).toBe(true);
    expect(matcher('local.scope: private').match(sock({ local: { address: '10.0.0.5', port: 53, iface: 'vrf-blue' } }))).toBe(true);
  });
});

describe('address family (dual-stack)', () => {
  it('treats * and :: as dual-stack, reachable over IPv4', () => {
    expect(addressFamily('tcp', '*')).toBe('dual');
    expect(addressFamily('tcp', '::')).toBe('dual');
    expect(addressFamily('tcp', '::', false)).toBe('dual');
    expect(addressFamily('tcp', '::', true)).toBe('ipv6');
    expect(addressFamily('tcp', '0.0.0.0')).toBe('ipv4');
    expect(addressFamily('tcp', '::ffff:10.0.0.1')).toBe('ipv4');
    expect(addressFamily('tcp', 'fe80::1')).toBe('ipv6');
    expect(addressFamily('u_str', '/run/x.sock')).toBe('unix');
    expect(addressFamily('p_raw', '*')).toBe('other');
  });

  it('matches through local.family with v6only from -e', () => {
    const r = matcher('local.family: {in: [ipv4, dual]}');
    expect(r.match(sock({ local: { address: '::' } }))).toBe(true);
    expect(r.match(sock({ local: { address: '::' }, v6only: true }))).toBe(false);
    expect(r.match(sock({ local: { address: '*' } }))).toBe(true);
  });
});

describe('CIDR', () => {
  const c = (t: string) => parseCidr(t) as Cidr;
  const ip = (t: string) => parseIp(t)!;

  it('ss\'s dual-stack wildcard `*` is in every CIDR that holds 0.0.0.0 or ::', () => {
    const star = sock({ local: { address: '*' } });
    expect(matcher('local.address: {cidr: 0.0.0.0/0}').match(star)).toBe(true);
    expect(matcher('local.address: {cidr: "::/0"}').match(star)).toBe(true);
    expect(matcher('local.address: {cidr: 0.0.0.0/32}').match(star)).toBe(true);
    expect(matcher('local.address: {cidr: 10.0.0.0/8}').match(star)).toBe(false);
    expect(matcher('local.address: {not: {cidr: 0.0.0.0/0}}').match(star)).toBe(false);
  });

  it('parses IPv4, IPv6 and hosts', () => {
    expect(cidrContains(c('10.0.0.0/8'), ip('10.255.0.1'))).toBe(true);
    expect(cidrContains(c('10.0.0.0/8'), ip('11.0.0.1'))).toBe(false);
    expect(cidrContains(c('fc00::/7'), ip('fd12::1'))).toBe(true);
    expect(cidrContains(c('fc00::/7'), ip('fe80::1'))).toBe(false);
    expect(cidrContains(c('192.0.2.7'), ip('192.0.2.7'))).toBe(true);
    expect(cidrContains(c('0.0.0.0/0'), ip('203.0.113.5'))).toBe(true);
    expect(cidrContains(c('::/0'), ip('2001:db8::1'))).toBe(true);
  });

  it('matches IPv4 networks against IPv4-mapped IPv6 addresses', () => {
    expect(cidrContains(c('10.0.0.0/8'), ip('::ffff:10.0.2.15'))).toBe(true);
    expect(cidrContains(c('127.0.0.0/8'), ip('::ffff:127.0.0.1'))).toBe(true);
    expect(cidrContains(c('::ffff:10.0.0.0/104'), ip('10.1.1.1'))).toBe(true);
  });

  it('an IPv6 network holds no IPv4 address unless it lies in the IPv4-mapped range (::/0 is not "any address")', () => {
    for (const v4 of ['10.0.0.5', '8.8.8.8', '0.0.0.0', '::ffff:10.0.2.15']) {
      expect([v4, cidrContains(c('::/0'), ip(v4)), cidrContains(c('::/1'), ip(v4))]).toEqual([v4, false, false]);
      expect([v4, cidrContains(c('::ffff:0:0/96'), ip(v4))]).toEqual([v4, true]);
    }
    expect(cidrContains(c('::/1'), ip('fd00::1'))).toBe(false);
    expect(cidrContains(c('::/0'), ip('fd00::1'))).toBe(true);
    expect(matcher('local.address: {not: {cidr: "::/0"}}').match(sock({ local: { address: '10.0.0.5' } }))).toBe(true);
  });

  it('ignores brackets and zones', () => {
    expect(cidrContains(c('fe80::/10'), ip('fe80::1%eth0'))).toBe(true);
    expect(cidrContains(c('fe80::/10'), ip('[fe80::1]'))).toBe(true);
  });

  it('explains bad networks', () => {
    expect(parseCidr('10.0.0.0/33')).toEqual({ error: "prefix length '/33' must be a number from 0 to 32" });
    expect(parseCidr('10.0.0.1/8')).toEqual({ error: "'10.0.0.1/8' has host bits set; the network is 10.0.0.0/8" });
    expect(parseCidr('10.0.0/8')).toEqual({ error: "'10.0.0' is not an IPv4 or IPv6 address" });
    expect(parseCidr('fe80:::1/10')).toHaveProperty('error');
  });

  it('reads IPv4 text without BigInt (ipv4Number, cidrContainsV4, scopes) exactly as the 128-bit path does (property)', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')), fc.constantFrom('', '256', '1000', '-1', 'a', ' 1'));
    const text = fc.oneof(
      fc.tuple(octet, octet, octet, octet).map((p) => p.join('.')),
      fc.array(octet, { minLength: 1, maxLength: 6 }).map((p) => p.join('.')),
      fc.string({ maxLength: 16 }), fc.constantFrom('127.0.0.1', '0.0.0.0', '169.254.1.1', '224.0.0.1', '100.64.0.1', '172.31.255.255', '::ffff:10.0.0.1', '10.0.0.1%eth0'),
    );
    const nets = ['0.0.0.0/0', '10.0.0.0/8', '172.16.0.0/12', '192.0.2.7', '255.255.255.255/32', '128.0.0.0/1', '::/0', '::ffff:0:0/96', '::ffff:10.0.0.0/104', 'fc00::/7'].map((t) => parseCidr(t) as Cidr);
    fc.assert(fc.property(text, (t) => {
      const v4 = referenceIPv4(t);
      const a = ipv4Number(t);
      expect(a).toBe(v4 === undefined ? -1 : Number(v4));
      if (a >= 0) for (const n of nets) expect([t, n.text, cidrContainsV4(n, a)]).toEqual([t, n.text, cidrContains(n, parseIp(t)!)]);
    }), { numRuns: 3000 });
    // a scope of every /8 and the edges of each special network, against the same address written IPv4-mapped (the 128-bit path)
    for (const t of ['0.0.0.0', '0.0.0.1', '127.255.255.255', '128.0.0.0', '169.254.0.0', '169.255.0.0', '223.255.255.255', '224.0.0.0', '239.255.255.255', '240.0.0.0',
      '100.63.255.255', '100.64.0.0', '100.127.255.255', '100.128.0.0', '172.15.255.255', '172.16.0.0', '172.31.255.255', '172.32.0.0', '192.167.255.255', '192.168.0.0', '192.169.0.0',
      ...Array.from({ length: 256 }, (_, i) => `${i}.1.2.3`)]) {
      expect([t, addressScope(t)]).toEqual([t, addressScope(`::ffff:${t}`)]);
      expect(addressFamily('tcp', t)).toBe('ipv4');
    }
  });

  it('reads IPv6 text without BigInt (ipv6Words, cidrContainsWords, scopes, families) exactly as the 128-bit path does (property)', () => {
    const group = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)), fc.constantFrom('0', '00000', 'FFFF', 'fFfF', '', 'g', '1.2.3.4', '255.255.255.255', '1.2.3', '01.2.3.4', ' 1'));
    const text = fc.oneof(
      fc.array(group, { minLength: 1, maxLength: 9 }).map((g) => g.join(':')),
      fc.tuple(fc.array(group, { maxLength: 8 }), fc.array(group, { maxLength: 8 })).map(([l, r]) => `${l.join(':')}::${r.join(':')}`),
      fc.string({ maxLength: 20 }).map((t) => t.replace(/[^0-9a-fA-F:.]/g, ':')), fc.string({ maxLength: 12 }),
      fc.constantFrom('::', ':::', '::1', '1::', ':1::2', '1:::2', '::ffff:10.0.0.1', '::ffff:0.0.0.0', 'fe80::1', 'ff02::1', 'fd00::1', '2001:db8::1', '::ffff:127.0.0.1', '::1.2.3.4',
        '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:1.2.3.4', '1::2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:7:', '10.0.0.1', 'ffff', ''),
    );
    const nets = ['0.0.0.0/0', '10.0.0.0/8', '127.0.0.0/8', '::/0', '::/1', '::/128', '::1/128', 'fe80::/10', 'fc00::/7', '2001:db8::/32', '2001:db8:0:0:8000::/65', '::ffff:0:0/96', '::ffff:10.0.0.0/104', 'ff00::/8', '8000::/1']
      .map((t) => parseCidr(t) as Cidr);
    const w = new Uint32Array(4);
    fc.assert(fc.property(text, (t) => {
      const v6 = referenceIPv6(t);
      const ok = ipv6Words(t, w);
      expect([t, ok]).toEqual([t, v6 !== undefined]);
      if (!ok) return;
      expect([t, ...w]).toEqual([t, ...[96n, 64n, 32n, 0n].map((s) => Number((v6! >> s) & 0xffffffffn))]);
      const ip = parseIp(t)!;
      for (const n of nets) expect([t, n.text, cidrContainsWords(n, w)]).toEqual([t, n.text, cidrContains(n, ip)]);
      // scope and family: the same as the 128-bit path gives the address written another way (uncompressed, no IPv4 tail)
      const full = [96n, 64n, 32n, 0n].flatMap((s) => { const x = Number((v6! >> s) & 0xffffffffn); return [(x >>> 16).toString(16), (x & 0xffff).toString(16)]; }).join(':');
      expect([t, addressScope(t), addressFamily('tcp', t), addressFamily('tcp', t, true)]).toEqual([t, addressScope(`[${full}]`), addressFamily('tcp', `[${full}]`), addressFamily('tcp', `[${full}]`, true)]);
    }), { numRuns: 4000 });
  });

  it('works through the cidr operator, lists included', () => {
    const r = matcher('peer.address: {cidr: [10.0.0.0/8, "2001:db8::/32"]}');
    expect(r.match(sock({ peer: { address: '10.9.8.7', port: 5 } }))).toBe(true);
    expect(r.match(sock({ peer: { address: '::ffff:10.9.8.7', port: 5 } }))).toBe(true);
    expect(r.match(sock({ peer: { address: '2001:db8:1::9', port: 5 } }))).toBe(true);
    expect(r.match(sock({ peer: { address: '192.0.2.1', port: 5 } }))).toBe(false);
    expect(r.match(sock({ peer: { address: '*', port: null } }))).toBe(false);
  });
});

describe('numeric operators', () => {
  const s = (port: number) => sock({ local: { address: '0.0.0.0', port } });

  it('shorthands: scalar is eq, list is in, "lo-hi" is a range', () => {
    expect(matcher('local.port: 22').match(s(22))).toBe(true);
    expect(matcher('local.port: 22').match(s(23))).toBe(false);
    const list = matcher('local.port: [22, "8000-8999", 443]');
    expect([22, 8000, 8500, 8999, 443].map((p) => list.match(s(p)))).toEqual([true, true, true, true, true]);
    expect([21, 7999, 9000].map((p) => list.match(s(p)))).toEqual([false, false, false]);
    expect(matcher('local.port: "1024-65535"').match(s(1024))).toBe(true);
  });

  it('gt/gte/lt/lte/between are inclusive where they say so', () => {
    expect(matcher('local.port: {gt: 1023}').match(s(1024))).toBe(true);
    expect(matcher('local.port: {gt: 1024}').match(s(1024))).toBe(false);
    expect(matcher('local.port: {gte: 1024}').match(s(1024))).toBe(true);
    expect(matcher('local.port: {lt: 1024}').match(s(1023))).toBe(true);
    expect(matcher('local.port: {lte: 1023}').match(s(1024))).toBe(false);
    const b = matcher('local.port: {between: [1000, 2000]}');
    expect([999, 1000, 2000, 2001].map((p) => b.match(s(p)))).toEqual([false, true, true, false]);
    expect(matcher('local.port: {gt: 1000, lt: 2000}').match(s(1500))).toBe(true);
  });

  it('compares two fields of the same socket', () => {
    const r = matcher('recvQ: {gte: {field: sendQ}}');
    expect(r.match(sock({ recvQ: 3, sendQ: 2 }))).toBe(true);
    expect(r.match(sock({ recvQ: 2, sendQ: 2 }))).toBe(true);
    expect(r.match(sock({ recvQ: 1, sendQ: 2 }))).toBe(false);
    expect(r.match(sock({ recvQ: 1, sendQ: undefined }))).toBe(false);
    expect(r.requires).toEqual(['queues']);
  });

  it('missing fields never match, except exists: false; field-level not needs the field', () => {
    const noPort = sock({ local: { address: '*', port: null } });
    expect(matcher('local.port: {gt: 0}').match(noPort)).toBe(false);
    expect(matcher('local.port: {not: 22}').match(noPort)).toBe(false);
    expect(matcher('local.port: {exists: false}').match(noPort)).toBe(true);
    expect(matcher('local.port: {exists: true}').match(noPort)).toBe(false);
    expect(matcher('not: {local.port: 22}').match(noPort)).toBe(true);
    expect(matcher('local.port: {not: {in: [22, 80]}}').match(s(443))).toBe(true);
    expect(matcher('local.port: {not: {in: [22, 80]}}').match(s(80))).toBe(false);
  });
});

describe('text operators', () => {
  it('matches is an unanchored RE2 search', () => {
    const r = matcher('process.name: {matches: "^(java|node)$"}');
    expect(r.match(sock({ processes: [{ name: 'nginx', pid: 1 }, { name: 'java', pid: 2 }] }))).toBe(true);
    expect(r.match(sock({ processes: [{ name: 'javac', pid: 2 }] }))).toBe(false);
    expect(r.match(sock({}))).toBe(false);
    expect(matcher('process.name: {matches: "(?i)NGINX"}').match(sock({ processes: [{ name: 'nginx', pid: 1 }] }))).toBe(true);
  });

  it('list fields: a matcher holds when any element does; not when none does', () => {
    const any = matcher('process.name: sshd');
    const two = sock({ processes: [{ name: 'sshd', pid: 1 }, { name: 'bash', pid: 2 }] });
    expect(any.match(two)).toBe(true);
    expect(matcher('process.name: {not: sshd}').match(two)).toBe(false);
    expect(matcher('process.name: {not: sshd}').match(sock({ processes: [{ name: 'bash', pid: 2 }] }))).toBe(true);
    expect(matcher('process.pid: {gt: 1, lt: 3}').match(two)).toBe(true);
  });

  it('glob matches unix paths', () => {
    const r = matcher('local.path: {glob: "/tmp/**"}');
    expect(r.match(sock({ netid: 'u_str', local: { address: '/tmp/a/b.sock', port: 1, path: '/tmp/a/b.sock' } }))).toBe(true);
    expect(r.match(sock({ netid: 'u_str', local: { address: '/run/b.sock', port: 1, path: '/run/b.sock' } }))).toBe(false);
  });

  it('glob wildcards match every byte a unix path may hold, CR and LF included', () => {
    const unix = (p: string) => sock({ netid: 'u_str', local: { address: p, port: 1, path: p } });
    for (const p of ['/tmp/x\r.sock', '/tmp/a\nb/c.sock', '/tmp/\u2028.sock', '/tmp/.hidden\t.sock']) {
      expect(matcher('local.path: {glob: "/tmp/**"}').match(unix(p))).toBe(true);
    }
    expect(matcher('local.path: {glob: "/tmp/*.sock"}').match(unix('/tmp/x\r.sock'))).toBe(true);
    expect(matcher('local.path: {glob: "/tmp/?.sock"}').match(unix('/tmp/\n.sock'))).toBe(true);
    expect(matcher('local.path: {glob: "/tmp/*.sock"}').match(unix('/tmp/a\n/b.sock'))).toBe(false);
  });

  it('glob reads a path with . or .. segments as the place it names (ss prints it as bind() got it; * and ** never match such a segment)', () => {
    const unix = (p: string) => sock({ netid: 'u_str', local: { address: p, port: 1, path: p } });
    const tmp = matcher('local.path: {glob: "/tmp/**"}');
    for (const p of ['/tmp/.X11-unix/../evil', '/tmp/./x.sock', '/tmp/a/../b', '/var/../tmp/x']) expect([p, tmp.match(unix(p))]).toEqual([p, true]);
    for (const p of ['/tmp/../etc/x.sock', '/tmp/a/../../run/x']) expect([p, tmp.match(unix(p))]).toEqual([p, false]);
    // an allowlist is not escaped by one either
    const outside = matcher('local.path: {not: {glob: ["/run/app/**"]}}');
    expect([outside.match(unix('/run/app/../../tmp/x')), outside.match(unix('/run/app/./x'))]).toEqual([true, false]);
    expect(tmp.match(unix('/tmp/..x'))).toBe(true); // a name, not a segment
  });

  it('state in a list, netid equality', () => {
    const r = matcher('state: [LISTEN, UNCONN]\nnetid: udp');
    expect(r.match(sock({ netid: 'udp', state: 'UNCONN' }))).toBe(true);
    expect(r.match(sock({ netid: 'tcp', state: 'LISTEN' }))).toBe(false);
  });

  it('RE2 stays linear on inputs that make backtracking engines explode', () => {
    const r = compileRegex('^(a+)+$');
    if ('error' in r) throw new Error(r.error);
    const evil = `${'a'.repeat(50_000)}!`;
    const t0 = Date.now();
    expect(r.regex.test(evil)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('combinators', () => {
  it('all / any / not and implicit all of a mapping', () => {
    const r = matcher([
      'netid: tcp',
      'any:',
      '  - local.port: 22',
      '  - all:',
      '      - local.port: {gte: 8000}',
      '      - not: {local.scope: loopback}',
    ].join('\n'));
    expect(r.match(sock({ local: { address: '127.0.0.1', port: 22 } }))).toBe(true);
    expect(r.match(sock({ local: { address: '0.0.0.0', port: 8080 } }))).toBe(true);
    expect(r.match(sock({ local: { address: '127.0.0.1', port: 8080 } }))).toBe(false);
    expect(r.match(sock({ netid: 'udp', local: { address: '0.0.0.0', port: 22 } }))).toBe(false);
  });
});

describe('tcp info and timers', () => {
  it('reads absent tcp info numbers as their ss defaults when the socket has tcp info', () => {
    expect(matcher('tcp.backoff: 0').match(sock({ tcp: { rtt: 1 } }))).toBe(true);
    expect(matcher('tcp.rto: 3000').match(sock({ tcp: { rtt: 1 } }))).toBe(true);
    expect(matcher('tcp.backoff: 0').match(sock({}))).toBe(false);
    expect(matcher('tcp.ssthresh: {exists: false}').match(sock({ tcp: {} }))).toBe(true);
  });

  it('retransmitting: a pending on-timer with count 0 does not fire', () => {
    const r = compile(require('fs').readFileSync(require('path').join(__dirname, '../../rules/retransmitting.yaml'), 'utf8'));
    const estab = { state: 'ESTAB', peer: { address: '10.0.0.9', port: 5432 } };
    expect(r.match(sock({ ...estab, timer: { name: 'on', expiresMs: 200, retrans: 0 }, tcp: { unacked: 1 } }))).toBe(false);
    expect(r.match(sock({ ...estab, timer: { name: 'on', expiresMs: 200, retrans: 2 }, tcp: {} }))).toBe(true);
    expect(r.match(sock({ ...estab, timer: { name: 'keepalive', expiresMs: 200, retrans: 0 }, tcp: { retrans: 1 } }))).toBe(true);
    expect(r.match(sock({ ...estab, tcp: { backoff: 2 } }))).toBe(true);
    expect(r.match(sock({ ...estab, timer: { name: 'persist', expiresMs: 5, retrans: 0 }, tcp: { backoff: 5 } }))).toBe(false);
    expect(r.requires).toEqual(['timer', 'tcpinfo']);
  });

  it('uid reads 0 when -e fields are present but ss left uid out', () => {
    expect(matcher('uid: 0').match(sock({ inode: 1234 }))).toBe(true);
    expect(matcher('uid: 0').match(sock({}))).toBe(false);
    expect(matcher('uid: 0').match(sock({ inode: 1, uid: 1000 }))).toBe(false);
  });
});

describe('requires: field groups the rule reads', () => {
  it.each([
    ['local.port: 22', []],
    ['state: LISTEN', ['state']],
    ['recvQ: {gt: 0}', ['queues']],
    ['process.name: x', ['processes']],
    ['timer.name: keepalive', ['timer']],
    ['cgroup: {matches: docker}', ['extended']],
    ['v6only: true', ['extended']],
    ['skmem.d: {gt: 0}', ['skmem']],
    ['tcp.rtt: {gt: 1}', ['tcpinfo']],
    ['any: [{skmem.r: {gt: 1}}, {tcp.cwnd: {lt: 2}}]\nstate: ESTAB', ['state', 'skmem', 'tcpinfo']],
  ])('%s → %j', (m, groups) => {
    expect(matcher(m).requires).toEqual(groups);
  });

  it('any: one evaluable branch is enough; under not, every branch is needed (a missing one would make the negation true)', () => {
    const any = matcher('any: [{process.name: sshd}, {tcp.rtt: {gt: 100}}]');
    expect(any.missingFields(new Set(['processes']))).toEqual([]);
    const negated = matcher('state: LISTEN\nnot: {any: [{process.name: sshd}, {tcp.rtt: {gt: 100}}]}');
    expect(negated.missingFields(new Set(['state', 'processes']))).toEqual(['tcpinfo']);
    expect(negated.missingFields(new Set(['state', 'tcpinfo']))).toEqual(['processes']);
    expect(negated.missingFields(new Set(['state', 'processes', 'tcpinfo']))).toEqual([]);
    // two negations: an any again
    const twice = matcher('not: {not: {any: [{process.name: sshd}, {tcp.rtt: {gt: 100}}]}}');
    expect(twice.missingFields(new Set(['tcpinfo']))).toEqual([]);
    // an any inside an any under not: all of both
    const nested = matcher('not: {any: [{any: [{process.name: sshd}, {skmem.d: {gt: 0}}]}, {local.port: 22}]}');
    expect(nested.missingFields(new Set(['processes']))).toEqual(['skmem']);
  });

  it('grouping by process and {process} in messages do not require -p', () => {
    const r = compile(ruleYaml([
      '    match: {state: CLOSE-WAIT}',
      '    aggregate: {groupBy: [process], gt: 1}',
    ].join('\n')).replace('message: "{local} {process}"', 'message: "{group.process}: {observed}"'));
    expect(r.requires).toEqual(['state']);
    expect(r.aggregate!.message({ process: null }, 3, 1)).toBe('unknown: 3');
    expect(r.aggregate!.message({ process: 'java' }, 3, 1)).toBe('java: 3');
  });
});

describe('messages', () => {
  it('renders socket fields, endpoints and processes, escaping control characters', () => {
    const r = compile(ruleYaml('    match: {netid: tcp}').replace('message: "{local} {process}"', 'message: "{netid} {local} -> {peer} {process} port {local.port} rq {recvQ} rtt {tcp.rtt}"'));
    const s = sock({ local: { address: '::1', port: 6379 }, peer: { address: '::1', port: 4000 }, processes: [{ name: 'evil\u001b[31m', pid: 7 }] });
    expect(r.message(s)).toBe('tcp [::1]:6379 -> [::1]:4000 evil\\x1b[31m[7] port 6379 rq 0 rtt ?');
  });

  it('renders variables and aggregate values', () => {
    const r = compile(ruleYaml([
      '    vars:',
      '      limit: {type: number, default: 5}',
      '    match: {state: TIME-WAIT}',
      '    aggregate: {gte: $limit}',
    ].join('\n')).replace('message: "{local} {process}"', 'message: "{observed} of {field} in {group}, limit {threshold} ({limit}) {{literal}}"'));
    expect(r.aggregate!.threshold).toBe(5);
    expect(r.aggregate!.op).toBe('gte');
    expect(r.aggregate!.message({}, 7, 5)).toBe('7 of sockets in all sockets, limit 5 (5) {literal}');
  });
});

describe('variables and overrides', () => {
  const text = ruleYaml([
    '    vars:',
    '      ports: {type: port-list, default: [22]}',
    '      threshold: {type: number, default: 100}',
    '    match:',
    '      local.port: {in: $ports}',
    '      recvQ: {gt: $threshold}',
  ].join('\n'));

  it('uses defaults and overrides', () => {
    const s = sock({ local: { address: '0.0.0.0', port: 80 }, recvQ: 50 });
    expect(compile(text).match(s)).toBe(false);
    expect(compile(text, { ports: [80, '8000-8100'], threshold: 10 }).match(s)).toBe(true);
  });
});
