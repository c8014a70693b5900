import * as fs from 'fs';
import * as path from 'path';
import type { SocketRecord } from '../../src/snapshot/types';
import { CORPUS, expectAccounted, listOut, parseFile } from './helpers';

/** Socket / summary / unparsed counts per corpus file (counted by hand from the text). */
const EXPECTED: Record<string, { sockets: number; summaries?: number; unparsed?: number; header?: number; cont?: number }> = {
  'iproute2-ss/ss1-ipv6-tail.ta.out': { sockets: 3, header: 1 },
  'iproute2-ss/ss1-ipv6-tail.tan.out': { sockets: 3, header: 1 },
  'iproute2-ss/ss1-ipv6-tail.tane.out': { sockets: 3, header: 1 },
  'iproute2-ss/ss1.Htan.out': { sockets: 4, header: 0 },
  'iproute2-ss/ss1.Htna-dport22.out': { sockets: 1, header: 0 },
  'iproute2-ss/ss1.ta.out': { sockets: 4, header: 1 },
  'iproute2-ss/ss1.tan.out': { sockets: 4, header: 1 },
  'iproute2-ss/ss1.tane.out': { sockets: 4, header: 1 },
  'iproute2-ss/ss1.tane.tty120.out': { sockets: 4, header: 1 },
  'iproute2-ss/ss1.tane.tty80.out': { sockets: 4, header: 1 },
  'iproute2-ss/ss1.taneO.out': { sockets: 4, header: 1 },
  'iproute2-ss/ss1.tanoeim.out': { sockets: 4, header: 1, cont: 4 },
  'jc-ss/centos-7.7__ss-sudo-a.out': { sockets: 203, header: 1 },
  'jc-ss/generic__ss-wide.out': { sockets: 155, header: 1 },
  'jc-ss/ubuntu-18.04__ss-sudo-a.out': { sockets: 158, header: 1 },
  'jc-ss/ubuntu-18.04__ss-sudo-tulpen.out': { sockets: 73, header: 1 },
  'wild/01-iproute2-a-tu-wrong-netid.out': { sockets: 7, header: 1 },
  'wild/02-iproute2-a-u-no-netid.out': { sockets: 3, header: 1 },
  'wild/03-iproute2-ipv6-zone-index.out': { sockets: 4, header: 1 },
  'wild/04-iproute2-rtap-resolved-names.out': { sockets: 4, header: 0 },
  'wild/05-iproute2-emoitn-skmem-tcpinfo.out': { sockets: 1, header: 1, cont: 1 },
  'wild/06-iproute2-emoitnO-oneline.out': { sockets: 1, header: 1 },
  'wild/07-iproute2-x-u_seq-grep.out': { sockets: 3, header: 0 },
  'wild/08-iproute2-e-shutdown-arrows.out': { sockets: 4, header: 0 },
  'wild/09-iproute2-tu-chunk-misaligned.out': { sockets: 4, header: 0 },
  'wild/10-insights-rhel6-tupna-old-users.out': { sockets: 15, header: 1 },
  'wild/11-insights-rhel-tupna-virbr0-timewait.out': { sockets: 33, header: 1 },
  'wild/12-inspec-ss-tulpen-fixture.out': { sockets: 9, header: 1 },
  'wild/13-netdata-743-ss-s-kernel-synrecv.out': { sockets: 0, summaries: 1 },
  'wild/14-toolkits-pkg-2-ss-s-centos8-tabs.out': { sockets: 0, summaries: 1 },
  'wild/15-toolkits-pkg-2-ss-s-centos6-7-tabs.out': { sockets: 0, summaries: 1 },
  'wild/16-haproxy-1453-close-wait-no-state-col.out': { sockets: 3, header: 1 },
  'wild/17-anitsh-til-635-tup-anonymized.out': { sockets: 5, header: 1 },
  'wild/18-netdata-2169-ant-syn-sent.out': { sockets: 4, header: 1 },
  'wild/19-pdns-4505-u_str-grep.out': { sockets: 12, header: 0 },
  'wild/20-haproxy-3029-timers-cgroup-fin-wait-2.out': { sockets: 3, header: 0 },
  'wild/21-moby-libnetwork-2682-tnlp-docker-proxy.out': { sockets: 4, header: 1 },
  'wild/22-osquery-4173-tauepnn-udp-ext.out': { sockets: 3, header: 1 },
  'wild/23-pihole-2869-debian10-tulpn.out': { sockets: 8, header: 0 },
  'wild/24-iproute2-issue8-tlnp-etcd2-2015.out': { sockets: 5, header: 1 },
  'wild/25-dietpi-8102-u_str-listen-users.out': { sockets: 4, header: 0 },
  'wild/26-attacksurface-130-ln-netlink.out': { sockets: 14, header: 1 },
  'wild/27-krisai-blog-15-centos7-ltnp-many-httpd.out': { sockets: 3, header: 1 },
  'wild/28-linux-26bfb8b57063-xa-u_dgr-abstract.out': { sockets: 3, header: 1 },
  'wild/29-istio-traffic-redirection-ntlp-pod-netns.out': { sockets: 4, header: 1 },
};

const files = listOut(CORPUS);
const rel = (p: string): string => path.relative(CORPUS, p);
const cache = new Map<string, ReturnType<typeof parseFile>>();
function get(name: string): ReturnType<typeof parseFile> {
  let r = cache.get(name);
  if (!r) {
    r = parseFile(path.join(CORPUS, name));
    cache.set(name, r);
  }
  return r;
}
function sock(name: string, line: number): SocketRecord {
  const s = get(name).sockets.find((x) => x.location.line === line);
  if (!s) throw new Error(`no socket at ${name}:${line}`);
  return s;
}

describe('corpus: every file, every line', () => {
  it('has an expectation for every .out file', () => {
    expect(files.map(rel).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files.map(rel))('%s', (name) => {
    const r = get(name);
    const exp = EXPECTED[name];
    expectAccounted(r.stats);
    expect(r.sockets.length).toBe(exp.sockets);
    expect(r.stats.sockets).toBe(exp.sockets);
    expect(r.summaries.length).toBe(exp.summaries ?? 0);
    expect(r.unparsed).toEqual([]);
    expect(r.stats.kinds.unparsed).toBe(exp.unparsed ?? 0);
    if (exp.header !== undefined) expect(r.stats.kinds.header).toBe(exp.header);
    expect(r.stats.kinds.continuation).toBe(exp.cont ?? 0);
    // main rows + header + continuation + summary lines = all lines
    for (const s of r.sockets) {
      expect(s.location.file).toBe(path.basename(name));
      expect(s.local.address.length).toBeGreaterThan(0);
      expect(s.peer.address.length).toBeGreaterThan(0);
      if (s.netid === 'unknown' || s.netidInferred) expect(typeof s.netidInferred).toBe('string');
    }
    // sockets come out in line order
    const lines = r.sockets.map((s) => s.location.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
});

describe('corpus: iproute2 replays', () => {
  it('ss1.tan: compact layout, wildcard peer, numeric ports', () => {
    const s = sock('iproute2-ss/ss1.tan.out', 2);
    expect(s).toMatchObject({
      netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128,
      local: { address: '0.0.0.0', port: 22 }, peer: { address: '0.0.0.0', port: null },
    });
    expect(s.netidInferred).toMatch(/LISTEN/);
    // the ESTAB rows are decided by the section's LISTEN row
    expect(sock('iproute2-ss/ss1.tan.out', 3).netid).toBe('tcp');
    expect(sock('iproute2-ss/ss1.tan.out', 3).netidInferred).toMatch(/same table as line 2/);
  });

  it('ss1.ta: service names mapped to ports', () => {
    const s = sock('iproute2-ss/ss1.ta.out', 3);
    expect(s.local).toEqual({ address: '10.0.0.1', port: 22, portName: 'ssh' });
    expect(s.peer).toEqual({ address: '10.0.0.1', port: 36266 });
  });

  it('ss1-ipv6-tail: brackets removed, v6only', () => {
    expect(sock('iproute2-ss/ss1-ipv6-tail.tan.out', 3).local).toEqual({ address: 'fec0:42::24', port: 40520 });
    const e = sock('iproute2-ss/ss1-ipv6-tail.tane.out', 2);
    expect(e).toMatchObject({ inode: 413, sk: '4', v6only: true, shutdown: '<->' });
    expect(sock('iproute2-ss/ss1-ipv6-tail.ta.out', 2).local).toEqual({ address: '::', port: 22, portName: 'ssh' });
  });

  it('ss1.tane (+ tty variants, -O): timers, uid, ino, sk', () => {
    for (const f of ['ss1.tane.out', 'ss1.tane.tty120.out', 'ss1.tane.tty80.out', 'ss1.taneO.out', 'ss1.tanoeim.out']) {
      const s = sock(`iproute2-ss/${f}`, f === 'ss1.tanoeim.out' ? 6 : 4);
      expect(s).toMatchObject({
        state: 'ESTAB', local: { address: '10.0.0.1', port: 36266 }, peer: { address: '10.0.0.1', port: 22 },
        timer: { name: 'keepalive', expiresMs: 119 * 60000, retrans: 0 }, uid: 1000, inode: 15057, sk: '7', shutdown: '<->',
      });
      expect(s.skmem).toBeUndefined();
      expect(s.tcp).toBeUndefined();
    }
  });

  it('ss1.tanoeim: empty continuation lines attach to their record; fields from flags', () => {
    const r = get('iproute2-ss/ss1.tanoeim.out');
    expect(r.sockets.map((s) => s.location.line)).toEqual([2, 4, 6, 8]);
    expect(r.stats.fields.has('timer')).toBe(true);
    expect(r.stats.fields.has('extended')).toBe(true);
  });

  it('ss1.Htna-dport22: a lone ESTAB row without Netid is not guessed', () => {
    const s = sock('iproute2-ss/ss1.Htna-dport22.out', 1);
    expect(s.netid).toBe('unknown');
    expect(s.netidInferred).toMatch(/tcp or connected udp/);
    const f = parseFile(path.join(CORPUS, 'iproute2-ss/ss1.Htna-dport22.out'), '-Htna');
    expect(f.sockets[0].netid).toBe('tcp');
    expect(f.sockets[0].netidInferred).toMatch(/-Htna/);
  });

  it('iproute2 .dump files are binary netlink data, not text', () => {
    const dumps = fs.readdirSync(path.join(CORPUS, 'iproute2-ss')).filter((f) => f.endsWith('.dump'));
    expect(dumps.length).toBe(2);
  });
});

describe('corpus: jc fixtures', () => {
  it('centos-7.7 -a: netlink, packet, unix, raw, resolved names', () => {
    const f = 'jc-ss/centos-7.7__ss-sudo-a.out';
    expect(sock(f, 2)).toMatchObject({ netid: 'nl', state: 'UNCONN', recvQ: 768, local: { address: 'rtnl', port: 1220, portName: 'dockerd-current/1220' }, peer: { address: '*', port: null } });
    expect(sock(f, 3).local).toEqual({ address: 'rtnl', port: 0, portName: 'kernel' });
    expect(sock(f, 23).local).toEqual({ address: 'uevent', port: -4118 });
    expect(sock(f, 44)).toMatchObject({ netid: 'p_raw', local: { address: '*', port: null, iface: 'ens33' }, peer: { address: '*', port: null } });
    expect(sock(f, 45)).toMatchObject({ netid: 'u_dgr', local: { address: '/run/systemd/notify', port: 8971, path: '/run/systemd/notify' }, peer: { address: '*', port: 0 } });
    expect(sock(f, 51).local).toEqual({ address: 'public/pickup', port: 22610 });
    const raw = sock(f, 195);
    expect(raw).toMatchObject({ netid: 'raw', local: { address: '::', port: 58, portName: 'ipv6-icmp' } });
    expect(sock(f, 196).local).toEqual({ address: '*', port: 68, portName: 'bootpc' });
    expect(sock(f, 199).local).toEqual({ address: '127.0.0.1', port: 25, portName: 'smtp' });
    expect(sock(f, 204)).toMatchObject({ local: { address: '::1', port: 38134 }, peer: { address: '::1', port: 22, portName: 'ssh' } });
  });

  it('ubuntu-18.04 -a: icmp6 with %iface, vsock, LLDP packet, abstract unix, negative netlink port', () => {
    const f = 'jc-ss/ubuntu-18.04__ss-sudo-a.out';
    const all = get(f).sockets;
    const icmp6 = all.find((s) => s.netid === 'icmp6')!;
    expect(icmp6.local).toEqual({ address: '*', port: 58, portName: 'ipv6-icmp', iface: 'ens33' });
    expect(icmp6.peer).toEqual({ address: '*', port: null });
    const v = all.find((s) => s.netid === 'v_str')!;
    expect(v.local).toEqual({ address: '999900439', port: 1023 });
    expect(v.peer).toEqual({ address: '0', port: 976 });
    expect(all.find((s) => s.netid === 'p_raw')!.local).toEqual({ address: 'LLDP', port: null, iface: 'ens33' });
    expect(all.find((s) => s.local.address === '@ISCSIADM_ABSTRACT_NAMESPACE')!.local).toEqual({ address: '@ISCSIADM_ABSTRACT_NAMESPACE', port: 27357 });
    expect(all.find((s) => s.local.address === 'audit' && s.local.port! < 0)!.local.port).toBe(-1100095455);
    const dns = all.find((s) => s.netid === 'udp' && s.local.iface === 'lo')!;
    expect(dns.local).toEqual({ address: '127.0.0.53', port: 53, portName: 'domain', iface: 'lo' });
  });

  it('ubuntu-18.04 -tulpen: processes and -e fields', () => {
    const all = get('jc-ss/ubuntu-18.04__ss-sudo-tulpen.out').sockets;
    const virbr = all.find((s) => s.local.iface === 'virbr0')!;
    expect(virbr).toMatchObject({ netid: 'udp', local: { address: '0.0.0.0', port: 67 }, processes: [{ name: 'dnsmasq', pid: 2783, fd: 3 }], inode: 43663, sk: '8', shutdown: '<->' });
    const apache = all.find((s) => s.local.port === 80)!;
    expect(apache.processes!.length).toBe(7);
    expect(apache.processes![0]).toEqual({ name: '/usr/sbin/apach', pid: 24795, fd: 3 });
    const resolved = all.find((s) => s.processes?.[0].name === 'systemd-resolve' && s.netid === 'udp')!;
    expect(resolved.uid).toBe(101);
  });

  it('generic ss-wide: cgroup, several processes incl. same name, v6only', () => {
    const all = get('jc-ss/generic__ss-wide.out').sockets;
    const smtp = all.find((s) => s.local.port === 587)!;
    expect(smtp.processes!.map((p) => p.name)).toEqual(['master', 'smtpd', 'smtpd', 'smtpd']);
    expect(smtp.cgroup).toBe('/system.slice/system-postfix.slice/postfix@-.service');
    const lc = all.find((s) => s.local.port === 8443 && s.local.address === '0.0.0.0')!;
    expect(lc.processes).toEqual([{ name: 'liveconfig/SRVR', pid: 3279783, fd: 10 }, { name: 'liveconfig', pid: 3279782, fd: 10 }]);
    const ntp6 = all.find((s) => s.local.iface === 'eth0')!;
    expect(ntp6.local).toEqual({ address: 'fe80::9cc5:aeff:fec5:34ae', port: 123, iface: 'eth0' });
    expect(ntp6.v6only).toBe(true);
    const xinetd = all.find((s) => s.local.port === 6556)!;
    expect(xinetd).toMatchObject({ local: { address: '*' }, peer: { address: '*', port: null }, v6only: false });
    expect(all.find((s) => s.inode === 3006390304)).toBeDefined();
  });

  /** Compare with jc's extraction where jc is right (ss-format.md §19 lists its gaps). */
  it.each([
    'centos-7.7__ss-sudo-a', 'generic__ss-wide', 'ubuntu-18.04__ss-sudo-a', 'ubuntu-18.04__ss-sudo-tulpen',
  ])('agrees with jc on %s', (base) => {
    const jc = JSON.parse(fs.readFileSync(path.join(CORPUS, 'jc-ss', base + '.json'), 'utf8')) as Record<string, any>[];
    const ours = get(`jc-ss/${base}.out`).sockets;
    expect(ours.length).toBe(jc.length);
    const portText = (p: { port: number | null; portName?: string }): string => p.portName ?? (p.port === null ? '*' : String(p.port));
    const strip = (a: string): string => (a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a);
    jc.forEach((j, i) => {
      const o = ours[i];
      expect(o.netid).toBe(j.netid);
      expect(o.state).toBe(j.state);
      expect(o.recvQ).toBe(j.recv_q);
      expect(o.sendQ).toBe(j.send_q);
      if (j.channel !== undefined) {
        expect(`${o.local.address}:${portText(o.local)}`.replace(/\/\d+$/, '')).toBe(j.channel);
        if (j.pid !== undefined) expect(o.local.port).toBe(j.pid);
      } else if (j.link_layer !== undefined) {
        expect(o.local.address).toBe(j.link_layer);
        expect(o.local.iface).toBe(j.interface);
      } else if (j.path !== undefined) {
        expect(o.local.address).toBe(j.path);
        expect(o.local.port).toBe(j.local_port_num);
        expect(o.peer.port).toBe(j.peer_port_num);
      } else {
        expect(o.local.address).toBe(strip(j.local_address));
        expect(portText(o.local)).toBe(j.local_port);
        expect(o.peer.address).toBe(strip(j.peer_address));
        expect(portText(o.peer)).toBe(j.peer_port);
        if (j.interface !== undefined) expect(o.local.iface).toBe(j.interface);
      }
      const opts = j.opts ?? {};
      if (opts.inode_number !== undefined) expect(String(o.inode)).toBe(opts.inode_number);
      if (opts.cookie !== undefined) expect(o.sk).toBe(opts.cookie);
      if (opts.uid_number !== undefined) expect(String(o.uid)).toBe(opts.uid_number);
      if (opts.cgroup !== undefined) expect(o.cgroup).toBe(opts.cgroup);
      if (opts.process_id !== undefined) {
        // jc keys by pid (several fds of one pid collapse); compare the pid set and names
        const pids = [...new Set(o.processes!.map((p) => String(p.pid)))].sort();
        expect(pids).toEqual(Object.keys(opts.process_id).sort());
        for (const [pid, v] of Object.entries<any>(opts.process_id)) {
          expect(o.processes!.some((p) => String(p.pid) === pid && p.name === v.user)).toBe(true);
        }
      }
    });
  });
});

describe('corpus: wild', () => {
  it('01: old layout, unbracketed IPv6, wrong netid kept as printed', () => {
    const f = 'wild/01-iproute2-a-tu-wrong-netid.out';
    expect(sock(f, 4)).toMatchObject({ netid: 'tcp', state: 'UNCONN', local: { address: '::', port: 57879 }, peer: { address: '::', port: null } });
    expect(sock(f, 6)).toMatchObject({ sendQ: 48, local: { address: '1.2.3.5', port: 22, portName: 'ssh' }, peer: { address: '1.2.3.4', port: 45826 } });
    expect(sock(f, 8).local).toEqual({ address: '::', port: 22, portName: 'ssh' });
  });

  it('02: no Netid column, UNCONN → udp with a reason', () => {
    for (const s of get('wild/02-iproute2-a-u-no-netid.out').sockets) {
      expect(s.netid).toBe('udp');
      expect(s.netidInferred).toMatch(/UNCONN/);
    }
    expect(sock('wild/02-iproute2-a-u-no-netid.out', 3).local).toEqual({ address: '*', port: 68, portName: 'bootpc' });
  });

  it('03: IPv6 zone index on old unbracketed addresses', () => {
    const f = 'wild/03-iproute2-ipv6-zone-index.out';
    expect(sock(f, 2).local).toEqual({ address: 'fe80::20c:29ff:fe1f:7406', port: 9999, iface: 'eth1' });
    expect(sock(f, 3).local).toEqual({ address: '::', port: 53, portName: 'domain' });
    expect(sock(f, 5).local).toEqual({ address: 'fe80::20c:29ff:fe1f:7410', port: 99, iface: 'eth2' });
  });

  it('04: resolved host names and rpc names', () => {
    const f = 'wild/04-iproute2-rtap-resolved-names.out';
    expect(sock(f, 1)).toMatchObject({ netid: 'tcp', state: 'LISTEN', local: { address: 'localhost', port: 631, portName: 'ipp' }, processes: [{ name: 'cupsd', pid: 1600, fd: 9 }] });
    expect(sock(f, 2).local).toEqual({ address: '::', port: null, portName: 'rpc.nlockmgr' });
    expect(sock(f, 4).processes).toEqual([{ name: 'rpc.statd', pid: 146164, fd: 12 }]);
  });

  it('05: continuation line with skmem and full TCP info', () => {
    const s = sock('wild/05-iproute2-emoitn-skmem-tcpinfo.out', 2);
    expect(s.netid).toBe('tcp');
    expect(s.netidInferred).toMatch(/TCP info/);
    expect(s.skmem).toEqual({ r: 0, rb: 2227595, t: 0, tb: 2626560, f: 0, w: 0, o: 0, bl: 0, d: 0 });
    expect(s.tcp).toMatchObject({
      flags: ['ts', 'sack'], congestion: 'reno', wscaleSnd: 7, wscaleRcv: 7, rto: 211, rtt: 10.245, rttvar: 16.616,
      ato: 40, mss: 65483, cwnd: 10, bytesAcked: 41865496, send: 511.3e6, pacingRate: 1022.6e6, rcvRtt: 92427.6, minrtt: 0.007,
    });
    expect(s).toMatchObject({ uid: 1974, inode: 48271, sk: '1', shutdown: '<->' });
  });

  it('06: -O oneline folds everything onto the main line', () => {
    const s = sock('wild/06-iproute2-emoitnO-oneline.out', 2);
    expect(s.tcp).toMatchObject({ pmtu: 65535, rcvmss: 536, advmss: 65483, bytesSent: 41868244, deliveryRate: 74837.7e6, delivered: 242512, busy: 1861946, rcvSsthresh: 43690 });
    expect(s.tcp!.flags).toEqual(['ts', 'sack', 'app_limited']);
    expect(s.skmem!.rb).toBe(2227595);
  });

  it('07: u_seq unix paths and inode peers', () => {
    const f = 'wild/07-iproute2-x-u_seq-grep.out';
    expect(sock(f, 1)).toMatchObject({ netid: 'u_seq', state: 'LISTEN', sendQ: 128, local: { address: '/run/udev/control', port: 10966, path: '/run/udev/control' }, peer: { address: '*', port: 0 } });
    expect(sock(f, 2).local).toEqual({ address: '*', port: 115103 });
    expect(sock(f, 2).peer).toEqual({ address: '*', port: 115104 });
  });

  it('08: all four shutdown markers, old sk pointers', () => {
    const all = get('wild/08-iproute2-e-shutdown-arrows.out').sockets;
    expect(all.map((s) => s.shutdown)).toEqual(['-->', '<--', '---', '<->']);
    expect(all[0].sk).toBe('ffff88003a8cea00');
    expect(all.every((s) => s.netid === 'unknown' && /ESTAB/.test(s.netidInferred!))).toBe(true);
  });

  it('09: misaligned render batches; CLOSE-WAIT decides tcp for the section', () => {
    const all = get('wild/09-iproute2-tu-chunk-misaligned.out').sockets;
    expect(all.map((s) => s.state)).toEqual(['CLOSE-WAIT', 'ESTAB', 'ESTAB', 'CLOSE-WAIT']);
    expect(all.every((s) => s.netid === 'tcp')).toBe(true);
    expect(all[0].recvQ).toBe(32);
    expect(all[2].peer).toEqual({ address: '10.0.0.1', port: 443, portName: 'https' });
  });

  it('10: old users format ("sshd",1231,3)', () => {
    const f = 'wild/10-insights-rhel6-tupna-old-users.out';
    expect(sock(f, 10).processes).toEqual([{ name: 'sshd', pid: 1231, fd: 3 }]);
    expect(sock(f, 13).processes).toBeUndefined();
    expect(sock(f, 16).local).toEqual({ address: '::1', port: 25 });
  });

  it('11: %virbr0, queues, TIME-WAIT, users on some rows', () => {
    const f = 'wild/11-insights-rhel-tupna-virbr0-timewait.out';
    expect(sock(f, 3).local).toEqual({ address: '0.0.0.0', port: 67, iface: 'virbr0' });
    expect(sock(f, 11)).toMatchObject({ recvQ: 34560, sendQ: 2560 });
    expect(sock(f, 21)).toMatchObject({ state: 'TIME-WAIT', peer: { address: '10.75.5.17', port: 631 } });
    expect(sock(f, 23).processes).toEqual([{ name: 'firefox', pid: 12645, fd: 213 }]);
    expect(sock(f, 13).local).toEqual({ address: '::1', port: 323 });
  });

  it('12: v4-mapped, unbracketed %iface, 4 processes, empty State field', () => {
    const f = 'wild/12-inspec-ss-tulpen-fixture.out';
    expect(sock(f, 4).local).toEqual({ address: '::ffff:10.0.2.15', port: 9200 });
    expect(sock(f, 5).local).toEqual({ address: 'fe80::a00:27ff:fe32:ed09', port: 9200, iface: 'enp0s3' });
    expect(sock(f, 9).processes!.map((p) => p.pid)).toEqual([583, 582, 580, 579]);
    const last = sock(f, 10);
    expect(last.state).toBeUndefined();
    expect(last.stateInferred).toBeUndefined();
    expect(last).toMatchObject({ netid: 'tcp', recvQ: 0, sendQ: 128, processes: [{ name: 'sendmail', pid: 3965, fd: 4 }], inode: 11604 });
  });

  it('13/14/15: ss -s summaries, old and new, with TABs', () => {
    const s13 = get('wild/13-netdata-743-ss-s-kernel-synrecv.out').summaries[0];
    expect(s13).toMatchObject({ total: 4311, kernel: 4355, tcp: { total: 4595, estab: 3548, closed: 956, orphaned: 8, synrecv: 0, timewait: 954, timewait2: 0, ports: 0 } });
    expect(s13.transport!['*']).toEqual({ total: 4355, ip: null, ipv6: null });
    expect(s13.transport!.TCP).toEqual({ total: 3639, ip: 1859, ipv6: 1780 });
    const s14 = get('wild/14-toolkits-pkg-2-ss-s-centos8-tabs.out').summaries[0];
    expect(s14).toMatchObject({ total: 509, tcp: { total: 129, estab: 32, closed: 79, orphaned: 0, timewait: 17 } });
    expect(s14.kernel).toBeUndefined();
    expect(Object.keys(s14.transport!)).toEqual(['RAW', 'UDP', 'TCP', 'INET', 'FRAG']);
    expect(s14.transport!.INET).toEqual({ total: 56, ip: 29, ipv6: 27 });
    const s15 = get('wild/15-toolkits-pkg-2-ss-s-centos6-7-tabs.out').summaries[0];
    expect(s15).toMatchObject({ total: 2991, kernel: 7497 });
    expect(s15.transport!['*'].total).toBe(7497);
  });

  it('16: no Netid, no State column: neither guessed', () => {
    const all = get('wild/16-haproxy-1453-close-wait-no-state-col.out').sockets;
    expect(all[1]).toMatchObject({ netid: 'unknown', recvQ: 34602, local: { address: '1.2.3.4', port: 37058 }, peer: { address: '4.3.2.1', port: 8082 } });
    expect(all[1].state).toBeUndefined();
    expect(all[1].netidInferred).toBeDefined();
    const withFlags = parseFile(path.join(CORPUS, 'wild/16-haproxy-1453-close-wait-no-state-col.out'), '-tp state CLOSE-WAIT dst 4.3.2.1');
    expect(withFlags.sockets[1]).toMatchObject({ netid: 'tcp', state: 'CLOSE-WAIT' });
    expect(withFlags.sockets[1].stateInferred).toMatch(/single state/);
  });

  it('17: anonymised local address "IP"', () => {
    expect(sock('wild/17-anitsh-til-635-tup-anonymized.out', 2).local).toEqual({ address: 'IP', port: 8000 });
  });

  it('18: SYN-SENT → tcp', () => {
    const s = sock('wild/18-netdata-2169-ant-syn-sent.out', 2);
    expect(s).toMatchObject({ netid: 'tcp', state: 'SYN-SENT', sendQ: 1, peer: { address: '10.1.1.1', port: 8080 } });
  });

  it('19/25: unix paths anchored from the right, with users', () => {
    expect(sock('wild/19-pdns-4505-u_str-grep.out', 1).local).toEqual({ address: '/var/run/pdns.controlsocket', port: 680296, path: '/var/run/pdns.controlsocket' });
    const d = sock('wild/25-dietpi-8102-u_str-listen-users.out', 1);
    expect(d).toMatchObject({ netid: 'u_str', state: 'LISTEN', local: { path: '/tmp/dotnet-diagnostic-803-3580-socket', port: 8326 }, peer: { address: '*', port: 0 }, processes: [{ name: 'Lidarr', pid: 803, fd: 9 }] });
  });

  it('20: pre-6.11 S.FFFms timers mean seconds; cgroup; FIN-WAIT-2', () => {
    const f = 'wild/20-haproxy-3029-timers-cgroup-fin-wait-2.out';
    expect(sock(f, 1).timer).toEqual({ name: 'keepalive', expiresMs: 10000, retrans: 0 });
    expect(sock(f, 2)).toMatchObject({ state: 'FIN-WAIT-2', timer: { name: 'timewait', expiresMs: 4193, retrans: 0 }, inode: 0 });
    expect(sock(f, 3)).toMatchObject({ timer: { expiresMs: 9604 }, cgroup: '/system.slice/sshd.service', sk: '30bf' });
  });

  it('21/24/27/29: listeners without Netid', () => {
    expect(sock('wild/21-moby-libnetwork-2682-tnlp-docker-proxy.out', 5)).toMatchObject({ netid: 'tcp', sendQ: 4096, processes: [{ name: 'docker-proxy', pid: 2075, fd: 4 }] });
    expect(sock('wild/24-iproute2-issue8-tlnp-etcd2-2015.out', 3).processes).toEqual([{ name: 'systemd-resolve', pid: 694, fd: 14 }]);
    expect(sock('wild/27-krisai-blog-15-centos7-ltnp-many-httpd.out', 4).processes!.length).toBe(6);
    const i = sock('wild/29-istio-traffic-redirection-ntlp-pod-netns.out', 3);
    expect(i).toMatchObject({ netid: 'tcp', local: { address: '*', port: 15006 }, peer: { address: '*', port: null } });
    expect(i.processes).toBeUndefined();
  });

  it('22: v6only on old unbracketed IPv6', () => {
    expect(sock('wild/22-osquery-4173-tauepnn-udp-ext.out', 4)).toMatchObject({ local: { address: '::', port: 30666 }, v6only: true, sk: 'ffff88007bde4000' });
  });

  it('26: numeric netlink, negative port id', () => {
    expect(sock('wild/26-attacksurface-130-ln-netlink.out', 12).local).toEqual({ address: '9', port: -1201191808 });
    expect(sock('wild/26-attacksurface-130-ln-netlink.out', 10)).toMatchObject({ recvQ: 4352, local: { address: '4', port: 70833 } });
  });

  it('28: glued PortProcess header, abstract names', () => {
    const all = get('wild/28-linux-26bfb8b57063-xa-u_dgr-abstract.out').sockets;
    expect(all.map((s) => s.local.address)).toEqual(['@A', '@B', '@C']);
    expect(all[1].peer).toEqual({ address: '*', port: 643 });
    expect(all[2].state).toBe('ESTAB');
  });
});

describe('fixtures/real (captured by fixtures/make-fixtures.sh with iproute2 6.1)', () => {
  const dir = path.resolve(__dirname, '../../fixtures/real');
  const real = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ss')) : [];
  it.each(real)('%s parses without unparsed lines', (f) => {
    const r = parseFile(path.join(dir, f));
    expectAccounted(r.stats);
    expect(r.unparsed).toEqual([]);
    if (/\.s\.ss$/.test(f)) expect(r.summaries).toHaveLength(1);
    else expect(r.sockets.length).toBeGreaterThan(0);
    for (const s of r.sockets) {
      if (s.netid === 'unknown') expect(s.netidInferred).toBeDefined();
      if (s.netid.startsWith('u_')) expect(typeof s.local.port).toBe('number');
    }
  });
});
