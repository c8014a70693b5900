#!/usr/bin/env node
'use strict';
/*
 * Deterministic generator of realistic `ss` snapshots for the socklint benchmark.
 *
 *   node bench/generate.js --sockets N --layout tanp|tanpmioe|tuanp [--seed S] [--out FILE]
 *                          [--timer-style 6.1|6.11]
 *
 * Output imitates iproute2 6.1 in compact (non-tty) mode, as in fixtures/real/*.ss:
 *  - tanp      `ss -tanp`       one line per socket, header without Netid, Process column padded
 *  - tanpmioe  `ss -tanpmioe`   main line + TAB-led continuation line (skmem + tcp_info); the extension
 *                               text is right-padded so that main-line tail + continuation line have
 *                               the same width (6.1 pads the last column); timers, uid/ino/sk/cgroup,
 *                               v6only, shutdown markers
 *  - tuanp     `ss -tuanp`      Netid column, UDP sockets first (as ss prints them), then TCP
 *
 * ss renders its output in batches (it buffers ~5 MiB, then computes column widths for that batch);
 * we do the same, so output is streamed batch by batch and never holds more than ~5 MiB of records.
 *
 * N counts every record (listeners and UDP sockets included). The same --seed gives byte-identical
 * output. Timer values follow ss's formatting (§11 of ss-format.md); with the 6.1 style a fractional
 * second is printed with the `ms` suffix (`1.200ms` = 1.2 s), with 6.11 style as `1.200sec`.
 */
const fs = require('fs');

// ---------------------------------------------------------------------------------------------
// args
function parseArgs(argv) {
  const o = { sockets: 10000, layout: 'tanp', seed: 1, out: null, timerStyle: '6.1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--sockets' || a === '-n') o.sockets = parseCount(next());
    else if (a === '--layout') o.layout = next();
    else if (a === '--seed') o.seed = Number(next()) >>> 0;
    else if (a === '--out' || a === '-o') o.out = next();
    else if (a === '--timer-style') o.timerStyle = next();
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: node bench/generate.js --sockets N --layout tanp|tanpmioe|tuanp [--seed S] [--out FILE] [--timer-style 6.1|6.11]\n' +
          '  N accepts suffixes k/m (10k, 1m)\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!['tanp', 'tanpmioe', 'tuanp'].includes(o.layout)) throw new Error(`unknown layout ${o.layout}`);
  if (!['6.1', '6.11'].includes(o.timerStyle)) throw new Error(`unknown timer style ${o.timerStyle}`);
  if (!(o.sockets >= 1)) throw new Error('--sockets must be >= 1');
  return o;
}

function parseCount(s) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(String(s));
  if (!m) throw new Error(`bad count ${s}`);
  const mult = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]];
  return Math.round(Number(m[1]) * mult);
}

// ---------------------------------------------------------------------------------------------
// PRNG: mulberry32 (deterministic, fast, 32-bit state)
function makeRng(seed) {
  let a = (seed ^ 0x9e3779b9) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  // log-uniform in [lo, hi)
  const logu = (lo, hi) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)));
  return { next, int, pick, chance, logu };
}

// ---------------------------------------------------------------------------------------------
// formatting helpers
/** %g-ish with µs resolution as ss prints ms values (rtt:0.523/0.261, minrtt:23.1). */
function fms(x) {
  const r = Math.round(x * 1000) / 1000;
  return String(r);
}

/** ss timer TIME (§11): integer milliseconds -> text. */
function ftimer(ms, style) {
  ms = Math.max(0, Math.round(ms));
  const m = Math.floor(ms / 60000);
  let s = Math.floor((ms % 60000) / 1000);
  let f = ms % 1000;
  let out = '';
  if (m > 0) {
    out += `${m}min`;
    f = 0;
    if (m >= 10) s = 0;
  }
  let printedS = false;
  if (s > 0) {
    out += String(s);
    printedS = true;
    if (s >= 10) f = 0;
    out += f !== 0 ? '.' : 'sec';
  }
  if (f > 0) {
    out += String(f).padStart(3, '0');
    out += printedS && style === '6.11' ? 'sec' : 'ms';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// the simulated host
const HOST4 = '10.0.1.15';
const HOST6 = '[2001:db8:1::15]';

// name, pid, uid (0 = root: ss omits uid:), cgroup
const PROCS = {
  sshd: { name: 'sshd', pids: [812], uid: 0, cg: '/system.slice/ssh.service' },
  nginxMaster: { name: 'nginx', pids: [1190], uid: 0, cg: '/system.slice/nginx.service' },
  nginx: { name: 'nginx', pids: [1191, 1192, 1193, 1194], uid: 0, cg: '/system.slice/nginx.service' },
  mysqld: { name: 'mysqld', pids: [1405], uid: 110, cg: '/system.slice/mysql.service' },
  redis: { name: 'redis-server', pids: [1322], uid: 111, cg: '/system.slice/redis-server.service' },
  postgres: { name: 'postgres', pids: [1520], uid: 112, cg: '/system.slice/system-postgresql.slice/postgresql@15-main.service' },
  memcached: { name: 'memcached', pids: [1288], uid: 113, cg: '/system.slice/memcached.service' },
  java: { name: 'java', pids: [2301], uid: 1001, cg: '/system.slice/orders-api.service' },
  envoy: { name: 'envoy', pids: [2410], uid: 1002, cg: '/system.slice/envoy.service' },
  node: { name: 'node', pids: [2533], uid: 1003, cg: '/system.slice/events-worker.service' },
  leaky: { name: 'leaky-app', pids: [2688], uid: 1004, cg: '/system.slice/leaky-app.service' },
  python: { name: 'python3', pids: [2790, 2791], uid: 1005, cg: '/system.slice/report-gen.service' },
  exporter: { name: 'node_exporter', pids: [998], uid: 65534, cg: '/system.slice/prometheus-node-exporter.service' },
  resolved: { name: 'systemd-resolve', pids: [601], uid: 990, cg: '/system.slice/systemd-resolved.service' },
  containerd: { name: 'containerd', pids: [930], uid: 0, cg: '/system.slice/containerd.service' },
  snmpd: { name: 'snmpd', pids: [1010], uid: 0, cg: '/system.slice/snmpd.service' },
  chronyd: { name: 'chronyd', pids: [640], uid: 108, cg: '/system.slice/chrony.service' },
  curl: { name: 'curl', pids: [30211], uid: 1000, cg: '/user.slice/user-1000.slice/session-3.scope' },
};

// fixed listeners: [proc, family(4|6|dual|lo4), addr, port, backlog, recvQ]
const LISTENERS = [
  ['sshd', 4, '0.0.0.0', 22, 128, 0],
  ['sshd', 6, '[::]', 22, 128, 0],
  ['nginxMaster', 4, '0.0.0.0', 80, 511, 0],
  ['nginxMaster', 4, '0.0.0.0', 443, 511, 0],
  ['nginxMaster', 6, '[::]', 443, 511, 0],
  ['mysqld', 4, '0.0.0.0', 3306, 151, 0], // dangerous: database on the wildcard
  ['mysqld', 4, '127.0.0.1', 33060, 70, 0],
  ['redis', 4, '0.0.0.0', 6379, 511, 0], // dangerous: redis on the wildcard
  ['postgres', 4, '127.0.0.1', 5432, 244, 0],
  ['memcached', 4, '127.0.0.1', 11211, 1024, 0],
  ['java', 'dual', '*', 8080, 100, 101], // accept queue overflowing
  ['java', 4, '127.0.0.1', 8081, 50, 0],
  ['envoy', 4, '0.0.0.0', 10000, 1024, 0],
  ['envoy', 4, '127.0.0.1', 9901, 128, 0],
  ['leaky', 4, '0.0.0.0', 8090, 128, 0],
  ['exporter', 'dual', '*', 9100, 4096, 0],
  ['resolved', 4, '127.0.0.53%lo', 53, 4096, 0],
  ['resolved', 4, '127.0.0.54', 53, 4096, 0],
  ['containerd', 4, '127.0.0.1', 41377, 4096, 0],
];

// ---------------------------------------------------------------------------------------------
class Generator {
  constructor(opts) {
    this.o = opts;
    this.rng = makeRng(opts.seed);
    this.fd = new Map(); // pid -> next fd
    const r = this.rng;
    this.ino = r.int(20000000, 40000000);
    this.sk = r.int(0x10000, 0x80000);
    this.mioe = opts.layout === 'tanpmioe';
    this.netid = opts.layout === 'tuanp';
  }

  nextFd(pid) {
    const v = this.fd.get(pid) || 10 + (pid % 7);
    this.fd.set(pid, v + 1);
    return v;
  }

  users(procKey, forcePid) {
    const p = PROCS[procKey];
    const pid = forcePid || (p.pids.length === 1 ? p.pids[0] : this.rng.pick(p.pids));
    return ` users:(("${p.name}",pid=${pid},fd=${this.nextFd(pid)}))`;
  }

  // -e fields: uid (omitted for root), ino, sk, cgroup, [v6only], shutdown marker
  efields(procKey, { v6only = null, marker = '<->', tw = false } = {}) {
    const sk = (this.sk++).toString(16);
    if (tw) return ` ino:0 sk:${sk}`;
    const p = PROCS[procKey];
    let s = '';
    if (p.uid) s += ` uid:${p.uid}`;
    s += ` ino:${this.ino++} sk:${sk} cgroup:${p.cg}`;
    if (v6only !== null) s += ` v6only:${v6only}`;
    s += ` ${marker}`;
    return s;
  }

  eph() {
    return this.rng.int(32768, 60999);
  }

  clientPeer() {
    const r = this.rng;
    // internet clients: mostly IPv4, some IPv6
    const x = r.next();
    if (x < 0.12) return [`[2001:db8:${r.int(0x100, 0xfff).toString(16)}:${r.int(1, 0xffff).toString(16)}::${r.int(1, 0xfff).toString(16)}]`, r.int(1024, 65535)];
    if (x < 0.5) return [`198.51.${r.int(0, 255)}.${r.int(1, 254)}`, r.int(1024, 65535)];
    if (x < 0.8) return [`203.0.${r.int(0, 255)}.${r.int(1, 254)}`, r.int(1024, 65535)];
    return [`192.0.2.${r.int(1, 254)}`, r.int(1024, 65535)];
  }

  skmem({ rq = 0, sq = 0, listen = false, drops = 0, v6 = false } = {}) {
    const r = this.rng;
    const rb = listen ? 131072 : r.pick([131072, 131072, 369280, 1048576, 6291456]);
    const tb = listen ? 16384 : r.pick([16384, 46080, 87040, 332800, 2626560, 4194304]);
    const rmem = rq > 0 ? Math.ceil((rq * 1.25) / 256) * 256 + 256 : 0;
    const wmem = sq > 0 ? Math.ceil((sq * 1.1) / 256) * 256 + (v6 ? 512 : 256) : 0;
    const fwd = rmem || wmem ? r.pick([0, 1280, 2304, 3328, 4096]) : 0;
    const wq = sq > 0 ? wmem + r.int(0, 4) * 256 : 0;
    return `skmem:(r${rmem},rb${rb},t${wmem},tb${tb},f${fwd},w${wq},o0,bl0,d${drops})`;
  }

  /** tcp_info for a connected socket (the continuation line, §13). */
  tcpinfo(c) {
    const r = this.rng;
    const v6 = c.v6;
    const mss = v6 ? 1428 : 1448;
    const rtt = c.rtt;
    const rttvar = rtt * (0.3 + r.next() * 0.4);
    let rto = Math.max(201, Math.round(200 + rtt + 4 * rttvar));
    if (c.backoff) rto = Math.min(120000, rto * (1 << c.backoff));
    const cwnd = c.cwnd;
    const segsOut = r.int(3, 2000000);
    const segsIn = Math.max(2, Math.round(segsOut * (0.5 + r.next())));
    const bytesSent = c.sender ? segsOut * r.int(200, mss) : r.int(0, 3000);
    const bytesRecv = c.receiver ? segsIn * r.int(100, mss) : r.int(0, 2000);
    const parts = ['ts', 'sack', c.cc, `wscale:${c.wscale}`, `rto:${rto}`];
    if (c.backoff) parts.push(`backoff:${c.backoff}`);
    parts.push(`rtt:${fms(rtt)}/${fms(rttvar)}`);
    if (c.receiver) parts.push('ato:40');
    parts.push(`mss:${mss}`, 'pmtu:1500', `rcvmss:${c.receiver ? r.pick([536, 1448, mss]) : 536}`, `advmss:${mss}`, `cwnd:${cwnd}`);
    if (c.ssthresh) parts.push(`ssthresh:${c.ssthresh}`);
    if (bytesSent) parts.push(`bytes_sent:${bytesSent}`);
    if (c.retransTotal) parts.push(`bytes_retrans:${c.retransTotal * mss}`);
    if (bytesSent) parts.push(`bytes_acked:${Math.max(1, bytesSent - (c.sq || 0) - (c.retransTotal ? mss : 0))}`);
    if (bytesRecv) parts.push(`bytes_received:${bytesRecv}`);
    parts.push(`segs_out:${segsOut}`, `segs_in:${segsIn}`);
    if (c.sender) parts.push(`data_segs_out:${Math.max(1, segsOut - r.int(1, 3))}`);
    if (c.receiver) parts.push(`data_segs_in:${Math.max(1, segsIn - r.int(1, 3))}`);
    const send = Math.round((cwnd * mss * 8) / (rtt / 1000));
    parts.push('send', `${send}bps`);
    const lastsnd = r.int(0, 120000);
    parts.push(`lastsnd:${lastsnd}`, `lastrcv:${r.int(0, 120000)}`, `lastack:${Math.max(0, lastsnd - r.int(0, 50))}`);
    parts.push('pacing_rate', `${Math.round(send * (c.cc === 'bbr' ? 1.25 : 2))}bps`);
    if (c.sender) parts.push('delivery_rate', `${Math.round(send * (0.05 + r.next() * 0.9))}bps`);
    parts.push(`delivered:${Math.max(1, Math.round(segsOut * 0.98))}`);
    if (c.appLimited) parts.push('app_limited');
    if (c.sender && !c.appLimited) parts.push(`busy:${r.int(1, 900000)}ms`);
    if (c.sq) parts.push(`unacked:${Math.max(1, Math.ceil(c.sq / mss))}`);
    if (c.retransOut || c.retransTotal) parts.push(`retrans:${c.retransOut}/${c.retransTotal}`);
    if (c.retransOut) parts.push(`lost:${c.retransOut}`);
    if (c.retransTotal && r.chance(0.3)) parts.push(`dsack_dups:${r.int(1, c.retransTotal)}`);
    if (c.receiver) parts.push(`rcv_rtt:${fms(rtt * (1 + r.next() * 3))}`);
    parts.push(`rcv_space:${r.pick([14480, 28960, 57920, 115840])}`, `rcv_ssthresh:${r.pick([64076, 64088, 128800, 3144448])}`);
    if (c.notsent) parts.push(`notsent:${c.notsent}`);
    parts.push(`minrtt:${fms(rtt * (0.4 + r.next() * 0.5))}`);
    parts.push(`snd_wnd:${r.pick([64256, 65280, 131072, 262144, 501760, 3145728])}`);
    return ' ' + parts.join(' ');
  }

  /** one TCP connection record (ESTAB / CLOSE-WAIT / SYN-SENT / FIN-WAIT-2 / TIME-WAIT). */
  tcpRecord(state) {
    const r = this.rng;
    let proc, local, lport, peer, pport;
    let inbound = false;
    let v6 = false;
    // choose the flow
    const k = r.next();
    if (state === 'CLOSE-WAIT') {
      if (r.chance(0.85)) {
        proc = 'leaky';
        local = HOST4;
        lport = this.eph();
        peer = `10.0.4.${r.int(10, 40)}`;
        pport = 443;
      } else {
        proc = 'python';
        local = HOST4;
        lport = this.eph();
        peer = `10.0.2.${r.int(21, 22)}`;
        pport = 5432;
      }
    } else if (state === 'SYN-SENT') {
      proc = r.pick(['envoy', 'java', 'curl']);
      local = HOST4;
      lport = this.eph();
      peer = `10.0.9.${r.int(1, 254)}`;
      pport = r.pick([443, 8443, 9200]);
    } else if (k < 0.45) {
      // inbound https/http to nginx
      proc = 'nginx';
      inbound = true;
      const [pa, pp] = this.clientPeer();
      v6 = pa.startsWith('[');
      local = v6 ? HOST6 : HOST4;
      lport = r.chance(0.88) ? 443 : 80;
      peer = pa;
      pport = pp;
    } else if (k < 0.55) {
      proc = 'java';
      inbound = true;
      local = HOST4;
      lport = 8080;
      peer = `10.0.5.${r.int(2, 250)}`;
      pport = this.eph();
    } else if (k < 0.65) {
      proc = 'java';
      local = HOST4;
      lport = this.eph();
      peer = `10.0.2.${r.int(21, 22)}`;
      pport = 5432;
    } else if (k < 0.72) {
      proc = 'java';
      local = HOST4;
      lport = this.eph();
      peer = '10.0.2.30';
      pport = 6379;
    } else if (k < 0.86) {
      proc = 'envoy';
      local = HOST4;
      lport = this.eph();
      peer = `10.0.3.${r.int(1, 40)}`;
      pport = 8443;
      if (r.chance(0.1)) {
        v6 = true;
        local = HOST6;
        peer = `[2001:db8:3::${r.int(1, 0x40).toString(16)}]`;
      }
    } else if (k < 0.93) {
      proc = 'node';
      local = HOST4;
      lport = this.eph();
      peer = `10.0.2.${r.int(41, 43)}`;
      pport = 9092;
    } else if (k < 0.995) {
      // loopback: java -> local postgres / memcached
      proc = r.chance(0.7) ? 'java' : 'python';
      local = '127.0.0.1';
      lport = this.eph();
      peer = '127.0.0.1';
      pport = r.chance(0.6) ? 5432 : 11211;
    } else {
      proc = 'sshd';
      inbound = true;
      local = HOST4;
      lport = 22;
      peer = `192.0.2.${r.int(1, 254)}`;
      pport = this.eph();
    }
    const rec = { netid: 'tcp', state, rq: 0, sq: 0, local, lport, peer, pport, tail: '', ext: '', cont: '' };
    const internet = proc === 'nginx';

    if (state === 'TIME-WAIT' || state === 'FIN-WAIT-2') {
      // no process, no -e cgroup; an empty continuation line in -m/-i output
      if (this.mioe) {
        rec.ext = ` timer:(timewait,${ftimer(r.int(500, 59999), this.o.timerStyle)},0)${this.efields(null, { tw: true })}`;
        rec.cont = '\t';
      }
      return rec;
    }

    rec.tail = this.users(proc);

    // queues
    if (state === 'CLOSE-WAIT') {
      rec.rq = r.chance(0.9) ? 1 : r.int(2, 40000);
    } else if (state === 'SYN-SENT') {
      rec.sq = 1;
    } else {
      if (r.chance(0.012)) rec.rq = r.chance(0.5) ? r.int(1, 4000) : r.int(4001, 400000);
      if (r.chance(0.04)) rec.sq = r.chance(0.9) ? r.int(1, 65536) : r.int(65537, 4200000);
    }

    if (!this.mioe) return rec;

    // ---- -o timer, -e fields
    let timer = '';
    const retransmitting = state === 'ESTAB' && r.chance(0.006);
    const c = {
      v6,
      rtt: internet ? r.logu(8, 90) : r.logu(0.03, 2.5),
      cwnd: r.chance(0.7) ? 10 : r.int(2, 120),
      cc: r.chance(0.85) ? 'cubic' : 'bbr',
      wscale: internet ? r.pick(['7,7', '8,7', '9,7', '6,7']) : '7,7',
      sender: r.chance(0.7),
      receiver: r.chance(0.8),
      appLimited: r.chance(0.6),
      sq: rec.sq,
      backoff: 0,
      retransOut: 0,
      retransTotal: 0,
      ssthresh: 0,
      notsent: 0,
    };
    if (state === 'ESTAB' && r.chance(0.02)) c.rtt = r.logu(100, 450); // high RTT
    if (r.chance(0.06)) c.retransTotal = r.int(1, 60); // historic retransmits: retrans:0/N
    if (c.retransTotal) c.ssthresh = r.int(2, 60);

    if (state === 'SYN-SENT') {
      const n = r.int(0, 4);
      timer = ` timer:(on,${ftimer(r.int(10, 8000), this.o.timerStyle)},${n})`;
    } else if (retransmitting) {
      c.backoff = r.int(1, 5);
      c.retransOut = r.int(1, 3);
      c.retransTotal += c.backoff;
      if (!rec.sq) rec.sq = c.sq = r.int(100, 60000);
      timer = ` timer:(on,${ftimer(r.pick([1200, 1650, 3300, 6600, 13200]), this.o.timerStyle)},${c.backoff})`;
    } else if (rec.sq > 0) {
      if (rec.sq > 65536 && r.chance(0.5)) timer = ` timer:(persist,${ftimer(r.int(200, 60000), this.o.timerStyle)},0)`;
      else timer = ` timer:(on,${ftimer(r.pick([200, 204, 208, 212, 232, 300]), this.o.timerStyle)},0)`;
      if (rec.sq > 65536 && r.chance(0.5)) c.notsent = rec.sq - r.int(0, 65536);
    } else if (state === 'ESTAB' && r.chance(0.25)) {
      const keep = r.chance(0.7) ? 119 * 60000 + r.int(0, 59999) : r.int(1000, 7200000);
      timer = ` timer:(keepalive,${ftimer(keep, this.o.timerStyle)},0)`;
    }
    rec.ext =
      rec.tail +
      timer +
      this.efields(proc, { marker: state === 'CLOSE-WAIT' ? '-->' : '<->' });
    rec.tail = '';

    const drops = r.chance(0.003) ? r.int(1, 500) : 0;
    if (state === 'SYN-SENT') {
      rec.cont =
        `\t ${this.skmem({ sq: 0, drops })} ${c.cc} rto:${1000 * (1 << r.int(0, 3))} backoff:${r.int(0, 3)} mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 ssthresh:7` +
        ` segs_out:${r.int(1, 5)} lastsnd:${r.int(10, 9000)} lastrcv:${r.int(100000, 900000)} lastack:${r.int(100000, 900000)} unacked:1 rcv_ssthresh:64240`;
    } else {
      rec.cont = `\t ${this.skmem({ rq: rec.rq, sq: rec.sq, drops, v6 })}${this.tcpinfo(c)}`;
    }
    return rec;
  }

  listenRecord(spec) {
    const [procKey, fam, addr, port, backlog, recvQ] = spec;
    const rec = { netid: 'tcp', state: 'LISTEN', rq: recvQ, sq: backlog, local: addr, lport: port, peer: fam === 4 ? '0.0.0.0' : fam === 6 ? '[::]' : '*', pport: '*', tail: '', ext: '', cont: '' };
    rec.tail = this.users(procKey);
    if (this.mioe) {
      const v6only = fam === 6 ? 1 : fam === 'dual' ? 0 : null;
      rec.ext = rec.tail + this.efields(procKey, { v6only });
      rec.tail = '';
      const p = PROCS[procKey];
      let info = ` cubic cwnd:10`;
      if (recvQ) info += ` unacked:${recvQ}`;
      rec.cont = `\t ${this.skmem({ listen: true, drops: recvQ ? this.rng.int(100, 5000) : 0 })}${info}`;
      void p;
    }
    return rec;
  }

  udpRecords(n) {
    // tuanp only (no -e/-o/-m/-i): UNCONN services and connected clients
    const r = this.rng;
    const fixed = [
      ['snmpd', '0.0.0.0', 161, 'UNCONN'], // dangerous UDP port on the wildcard
      ['resolved', '127.0.0.53%lo', 53, 'UNCONN'],
      ['resolved', '127.0.0.54', 53, 'UNCONN'],
      ['chronyd', '127.0.0.1', 323, 'UNCONN'],
      ['chronyd', '[::1]', 323, 'UNCONN'],
      ['chronyd', '0.0.0.0', 123, 'UNCONN'],
      ['memcached', '127.0.0.1', 11211, 'UNCONN'],
    ];
    const out = [];
    for (let i = 0; i < n; i++) {
      let rec;
      if (i < fixed.length) {
        const [p, a, port, st] = fixed[i];
        rec = { netid: 'udp', state: st, rq: 0, sq: 0, local: a, lport: port, peer: a.startsWith('[') ? '[::]' : '0.0.0.0', pport: '*', tail: this.users(p), ext: '', cont: '' };
      } else {
        const p = r.pick(['java', 'envoy', 'node', 'python', 'nginx']);
        rec = { netid: 'udp', state: 'ESTAB', rq: r.chance(0.02) ? r.int(1, 200000) : 0, sq: 0, local: HOST4, lport: this.eph(), peer: r.chance(0.8) ? '10.0.0.2' : '10.0.0.3', pport: 53, tail: this.users(p), ext: '', cont: '' };
      }
      out.push(rec);
    }
    return out;
  }

  /** yields records (listeners first, as the kernel's listening hash comes first in the dump). */
  *records() {
    const r = this.rng;
    const N = this.o.sockets;
    let left = N;
    if (this.netid) {
      const nUdp = Math.min(left, Math.max(7, Math.round(N * 0.005)));
      for (const rec of this.udpRecords(nUdp)) yield rec;
      left -= nUdp;
    }
    // listeners: the fixed set plus a few more on big hosts
    const listeners = LISTENERS.slice();
    const extra = Math.floor(N / 20000);
    for (let i = 0; i < extra; i++) listeners.push(['java', 4, '0.0.0.0', 18000 + i, 4096, 0]);
    for (const spec of listeners) {
      if (left <= 0) return;
      yield this.listenRecord(spec);
      left--;
    }
    // connection states (kernel established hash: states interleaved)
    while (left > 0) {
      const x = r.next();
      let st;
      if (x < 0.56) st = 'ESTAB';
      else if (x < 0.9) st = 'TIME-WAIT';
      else if (x < 0.95) st = 'CLOSE-WAIT';
      else if (x < 0.99) st = 'FIN-WAIT-2';
      else st = 'SYN-SENT';
      yield this.tcpRecord(st);
      left--;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// rendering: ss 6.1 compact mode, per batch widths
const BATCH_BYTES = 5 * 1024 * 1024; // ss buffers ~5 MiB (5 x 1 MiB chunks) before rendering

function renderBatch(recs, layout, withHeader) {
  const netid = layout === 'tuanp';
  const mioe = layout === 'tanpmioe';
  const H = { netid: 'Netid', state: 'State', rq: 'Recv-Q', sq: 'Send-Q', la: 'Local Address:', lp: 'Port', pa: 'Peer Address:', pp: 'Port' };
  let wN = withHeader ? 5 : 0,
    wS = withHeader ? 5 : 0,
    wR = 6,
    wQ = 6,
    wLA = withHeader ? H.la.length : 0,
    wLP = withHeader ? 4 : 0,
    wPA = withHeader ? H.pa.length : 0,
    wPP = withHeader ? 4 : 0,
    wT = withHeader ? 'Process'.length : 0;
  const n = recs.length;
  const rqs = new Array(n),
    sqs = new Array(n),
    las = new Array(n),
    lps = new Array(n),
    pas = new Array(n),
    pps = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = recs[i];
    if (r.netid.length > wN) wN = r.netid.length;
    if (r.state.length > wS) wS = r.state.length;
    const rq = String(r.rq),
      sq = String(r.sq);
    rqs[i] = rq;
    sqs[i] = sq;
    if (rq.length > wR) wR = rq.length;
    if (sq.length > wQ) wQ = sq.length;
    const la = r.local + ':',
      pa = r.peer + ':';
    las[i] = la;
    pas[i] = pa;
    const lp = String(r.lport),
      pp = String(r.pport);
    lps[i] = lp;
    pps[i] = pp;
    if (la.length > wLA) wLA = la.length;
    if (pa.length > wPA) wPA = pa.length;
    if (lp.length > wLP) wLP = lp.length;
    if (pp.length > wPP) wPP = pp.length;
    const t = mioe ? r.ext.length + r.cont.length : r.tail.length;
    if (t > wT) wT = t;
  }
  const parts = [];
  if (withHeader) {
    let h = '';
    if (netid) h += H.netid.padEnd(wN) + ' ';
    h += H.state.padEnd(wS) + ' ' + H.rq.padEnd(wR) + ' ' + H.sq.padEnd(wQ) + ' ' + H.la.padStart(wLA) + H.lp.padEnd(wLP) + ' ' + H.pa.padStart(wPA) + H.pp.padEnd(wPP);
    h += mioe ? 'Process'.padEnd(Math.max(7, wT - 2)) : 'Process'.padEnd(wT);
    parts.push(h);
  }
  for (let i = 0; i < n; i++) {
    const r = recs[i];
    let line = '';
    if (netid) line += r.netid.padEnd(wN) + ' ';
    line += r.state.padEnd(wS) + ' ' + rqs[i].padEnd(wR) + ' ' + sqs[i].padEnd(wQ) + ' ' + las[i].padStart(wLA) + lps[i].padEnd(wLP) + ' ' + pas[i].padStart(wPA) + pps[i].padEnd(wPP);
    if (mioe) {
      line += r.ext;
      if (r.cont) line += '\n' + r.cont.padEnd(wT - r.ext.length);
      else if (r.ext.length < wT) line += ''.padEnd(wT - r.ext.length);
    } else {
      line += r.tail.padEnd(wT);
    }
    parts.push(line);
  }
  return parts.join('\n') + '\n';
}

function writeAll(fd, s) {
  const buf = Buffer.from(s, 'latin1');
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      throw e;
    }
  }
  return buf.length;
}

function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate.js: ${e.message}\n`);
    process.exit(2);
  }
  const tmp = o.out ? `${o.out}.tmp-${process.pid}` : null;
  const fd = o.out ? fs.openSync(tmp, 'w') : 1;
  const g = new Generator(o);
  let batch = [];
  let approx = 0;
  let first = true;
  let bytes = 0;
  let count = 0;
  const flush = () => {
    bytes += writeAll(fd, renderBatch(batch, o.layout, first));
    first = false;
    batch = [];
    approx = 0;
  };
  for (const rec of g.records()) {
    batch.push(rec);
    count++;
    approx += 60 + rec.tail.length + rec.ext.length + rec.cont.length;
    if (approx >= BATCH_BYTES) flush();
  }
  if (batch.length || first) flush();
  if (o.out) {
    fs.closeSync(fd);
    fs.renameSync(tmp, o.out);
    process.stderr.write(`generate.js: ${count} sockets, ${o.layout}, seed ${o.seed}, ${(bytes / 1048576).toFixed(1)} MiB -> ${o.out}\n`);
  }
}

if (require.main === module) main();

module.exports = { makeRng, ftimer, fms, parseCount };
