/** /proc/net fallback: decoding the kernel's text tables and rendering them as ss text. No root needed. */
import * as fs from 'fs';
import fsModule from 'fs'; // the object proc.ts calls through (a spy on it is seen there)
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { captureSnapshot } from '../../src/snapshot/capture';
import { parseTimerTime } from '../../src/snapshot/fields';
import { parseSsText } from '../../src/snapshot/parser';
import {
  decodeIPv4, decodeIPv6Bytes, fileTableReader, formatTimerTime, mapSocketProcesses, parseProcInetLine,
  parseProcUnixLine, renderProc,
} from '../../src/snapshot/proc';
import { formatIPv6 } from '../../src/rules/address';

// Lines captured from /proc/net/* in a test namespace (kernel 6.18) — see fixtures/real/README.md.
const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP = {
  listenFull: '   0: 00000000:2329 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 129280 4 000000006dfb3553 100 0 0 10 0',
  retransmitting: '   8: 0100007F:CB28 0200007F:232A 01 000003E8:00000000 01:00000123 00000005     0        0 129317 2 000000007cdcb659 652 0 0 1 -1',
  closeWait: '   9: 0100007F:1F90 0100007F:8B54 08 00000000:00000001 00:00000000 00000000     0        0 129295 1 00000000d2328698 20 4 0 10 -1',
  timeWait: '  12: 0100007F:9CAE 0100007F:1F91 06 00000000:00000000 03:00001372 00000000     0        0 0 3 0000000002c5ee92',
  unread: '  14: 0100007F:2328 0100007F:A8F6 01 00000000:00001000 00:00000000 00000000     0        0 129283 1 0000000012a7ff7a 20 4 12 10 -1',
  synSent: '  22: 0100007F:C3EA 0100007F:2329 02 00000001:00000000 01:0000005F 00000006     0        0 129311 2 00000000dbd07e11 400 0 0 1 -1',
  otherUser: '   3: 0100007F:0016 0100007F:D431 01 00000000:00000000 04:00000032 00000000  1000        3 5555 1 0000000000000000 20 4 0 10 -1',
};
const TCP6 = {
  dualStackListen: '   0: 00000000000000000000000000000000:20FC 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 129292 1 000000008c77bdfd 100 0 0 10 0',
  mapped: '   2: 0000000000000000FFFF00000100007F:20FC 0000000000000000FFFF00000100007F:CCF4 01 00000000:00000000 00:00000000 00000000     0        0 129315 1 00000000488ccb09 20 0 0 10 -1',
  keepalive: '   4: 00000000000000000000000001000000:C804 00000000000000000000000001000000:20FB 01 00000000:00000000 02:000AF886 00000000     0        0 129312 2 00000000594e8d9b 20 0 0 10 -1',
};
const UDP = {
  unconn: '10277: 00000000:00A1 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 129279 2 0000000004323a46 0',
};
const UDP6 = {
  connected: ' 1351: 00000000000000000000000001000000:DDC3 00000000000000000000000001000000:0009 01 00000000:00000000 00:00000000 00000000     0        0 129314 2 0000000075834343 0',
};
const UNIX_HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';
const UNIX = {
  listen: '0000000001ea3fea: 00000002 00000000 00010000 0001 01 129287 /tmp/sl-ref-unix/app.sock',
  listenSpace: '00000000abc751f6: 00000002 00000000 00010000 0001 01 129288 /tmp/sl-ref-unix/my app.sock',
  accepted: '0000000052a36628: 00000003 00000000 00000000 0001 03 129290 /tmp/sl-ref-unix/app.sock',
  unnamed: '00000000aaf757da: 00000003 00000000 00000000 0001 03 129316',
  abstractDgram: '00000000b10faea0: 00000002 00000000 00000000 0002 01 129289 @socklint-test',
  seqpacket: '0000000000000000: 00000002 00000000 00000000 0005 01 4242 @sd@seq',
};

describe('address decoding', () => {
  it('IPv4 hex is a little-endian u32', () => {
    expect(decodeIPv4('0100007F')).toBe('127.0.0.1');
    expect(decodeIPv4('00000000')).toBe('0.0.0.0');
    expect(decodeIPv4('0202A8C0')).toBe('192.168.2.2');
    expect(() => decodeIPv4('0100007')).toThrow();
  });

  it('IPv6 hex is four little-endian u32 words', () => {
    expect(formatIPv6(decodeIPv6Bytes('00000000000000000000000001000000'))).toBe('::1');
    expect(formatIPv6(decodeIPv6Bytes('00000000000000000000000000000000'))).toBe('::');
    expect(formatIPv6(decodeIPv6Bytes('0000000000000000FFFF00000100007F'))).toBe('::ffff:127.0.0.1');
    // fe80::1 and 2001:db8::1:2 as the kernel prints them
    expect(formatIPv6(decodeIPv6Bytes('000080FE000000000000000001000000'))).toBe('fe80::1');
    expect(formatIPv6(decodeIPv6Bytes('B80D0120000000000000000002000100'))).toBe('2001:db8::1:2');
  });

  it('formats like inet_ntop: longest zero run, first on ties, no single-word compression, dotted IPv4 tails', () => {
    const b = (words: number[]) => { const buf = Buffer.alloc(16); words.forEach((w, i) => buf.writeUInt16BE(w, i * 2)); return buf; };
    expect(formatIPv6(b([1, 0, 0, 2, 0, 0, 0, 3]))).toBe('1:0:0:2::3');
    expect(formatIPv6(b([1, 0, 0, 2, 0, 0, 3, 4]))).toBe('1::2:0:0:3:4');
    expect(formatIPv6(b([1, 0, 2, 3, 4, 5, 6, 7]))).toBe('1:0:2:3:4:5:6:7');
    expect(formatIPv6(b([0, 0, 0, 0, 0, 0, 0x0a00, 1]))).toBe('::10.0.0.1');
    expect(formatIPv6(b([0xfe80, 0, 0, 0, 0, 0, 0, 0]))).toBe('fe80::');
  });

  it('always denotes the same address as the bytes (checked against the WHATWG URL parser)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (bytes, sparse) => {
      const buf = Buffer.from(bytes);
      if (sparse) for (let i = 0; i < 16; i += 1) if (bytes[i] % 3 !== 0) buf[i] = 0; // more zero runs
      const full = [...Array(8).keys()].map((i) => buf.readUInt16BE(i * 2).toString(16)).join(':');
      expect(new URL(`http://[${formatIPv6(buf)}]/`).hostname).toBe(new URL(`http://[${full}]/`).hostname);
    }), { numRuns: 500 });
  });

  it('hex words round-trip: decodeIPv6Bytes undoes the per-word byte swap', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      let hex = '';
      for (let w = 0; w < 4; w++) hex += Buffer.from(bytes.slice(w * 4, w * 4 + 4)).readUInt32LE(0).toString(16).toUpperCase().padStart(8, '0');
      expect([...decodeIPv6Bytes(hex)]).toEqual([...bytes]);
    }));
  });
});

describe('/proc/net/tcp lines', () => {
  it('decodes state, queues, uid and inode', () => {
    const s = parseProcInetLine(TCP.unread, 'tcp', 4);
    expect(s).toMatchObject({
      netid: 'tcp', state: 'ESTAB', local: { address: '127.0.0.1', port: 9000 }, peer: { address: '127.0.0.1', port: 43254 },
      recvQ: 4096, sendQ: 0, uid: 0, inode: 129283,
    });
    expect(s.timer).toBeUndefined();
    expect(parseProcInetLine(TCP.otherUser, 'tcp', 4).uid).toBe(1000);
  });

  it('LISTEN: rx_queue is the accept queue; the backlog is not in /proc (Send-Q 0)', () => {
    expect(parseProcInetLine(TCP.listenFull, 'tcp', 4)).toMatchObject({ state: 'LISTEN', recvQ: 3, sendQ: 0, local: { address: '0.0.0.0', port: 9001 }, peer: { address: '0.0.0.0', port: 0 } });
  });

  it('maps every state code the kernel prints', () => {
    const codes: Record<string, string> = {
      '01': 'ESTAB', '02': 'SYN-SENT', '03': 'SYN-RECV', '04': 'FIN-WAIT-1', '05': 'FIN-WAIT-2', '06': 'TIME-WAIT', '07': 'UNCONN',
      '08': 'CLOSE-WAIT', '09': 'LAST-ACK', '0A': 'LISTEN', '0B': 'CLOSING', '0C': 'SYN-RECV', '7F': 'UNKNOWN',
    };
    for (const [hex, name] of Object.entries(codes)) {
      expect(parseProcInetLine(TCP.closeWait.replace(' 08 ', ` ${hex} `), 'tcp', 4).state).toBe(name);
    }
    expect(parseProcInetLine(UDP.unconn, 'udp', 4).state).toBe('UNCONN');
    expect(parseProcInetLine(UDP6.connected, 'udp', 6).state).toBe('ESTAB');
  });

  it('timers: tm->when is in USER_HZ ticks; the count is retrnsmt for `on`, probes for keepalive/persist', () => {
    expect(parseProcInetLine(TCP.retransmitting, 'tcp', 4).timer).toEqual({ name: 'on', expiresMs: 2910, retrans: 5 });
    expect(parseProcInetLine(TCP.synSent, 'tcp', 4).timer).toEqual({ name: 'on', expiresMs: 950, retrans: 6 });
    expect(parseProcInetLine(TCP.timeWait, 'tcp', 4).timer).toEqual({ name: 'timewait', expiresMs: 49780, retrans: 0 });
    expect(parseProcInetLine(TCP6.keepalive, 'tcp', 6).timer).toEqual({ name: 'keepalive', expiresMs: 7189820, retrans: 0 });
    expect(parseProcInetLine(TCP.otherUser, 'tcp', 4).timer).toEqual({ name: 'persist', expiresMs: 500, retrans: 3 });
    expect(parseProcInetLine(TCP.timeWait.replace('03:00001372', '07:00000000'), 'tcp', 4).timer).toEqual({ name: 'unknown', expiresMs: 0, retrans: 0 });
  });

  it('IPv6: dual-stack wildcard, IPv4-mapped and loopback', () => {
    expect(parseProcInetLine(TCP6.dualStackListen, 'tcp', 6)).toMatchObject({ local: { address: '::', port: 8444 }, state: 'LISTEN' });
    expect(parseProcInetLine(TCP6.mapped, 'tcp', 6)).toMatchObject({ local: { address: '::ffff:127.0.0.1', port: 8444 }, peer: { address: '::ffff:127.0.0.1', port: 52468 } });
    expect(parseProcInetLine(TCP6.keepalive, 'tcp', 6)).toMatchObject({ local: { address: '::1', port: 51204 }, peer: { address: '::1', port: 8443 } });
  });

  it('rejects malformed lines', () => {
    expect(() => parseProcInetLine(TCP_HEADER, 'tcp', 4)).toThrow();
    expect(() => parseProcInetLine('   0: zz:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', 'tcp', 4)).toThrow();
    expect(() => parseProcInetLine(TCP.unread.slice(0, 60), 'tcp', 4)).toThrow();
  });
});

describe('/proc/net/unix lines', () => {
  it('decodes type, state (SO_ACCEPTCON = LISTEN) and name', () => {
    expect(parseProcUnixLine(UNIX.listen)).toEqual({ netid: 'u_str', state: 'LISTEN', inode: 129287, name: '/tmp/sl-ref-unix/app.sock' });
    expect(parseProcUnixLine(UNIX.accepted)).toMatchObject({ state: 'ESTAB', name: '/tmp/sl-ref-unix/app.sock' });
    expect(parseProcUnixLine(UNIX.unnamed)).toMatchObject({ netid: 'u_str', state: 'ESTAB', name: '*' });
    expect(parseProcUnixLine(UNIX.abstractDgram)).toEqual({ netid: 'u_dgr', state: 'UNCONN', inode: 129289, name: '@socklint-test' });
    expect(parseProcUnixLine(UNIX.seqpacket)).toMatchObject({ netid: 'u_seq', name: '@sd@seq' });
  });

  it('keeps a path with spaces whole (the path is the rest of the line; ss itself truncates it)', () => {
    expect(parseProcUnixLine(UNIX.listenSpace).name).toBe('/tmp/sl-ref-unix/my app.sock');
  });

  it('rejects the header', () => {
    expect(() => parseProcUnixLine(UNIX_HEADER)).toThrow();
  });
});

describe('timer TIME text', () => {
  it('prints the ss 6.11+ forms', () => {
    const table: [number, string][] = [
      [0, ''], [10, '010ms'], [238, '238ms'], [1000, '1sec'], [3050, '3.050sec'], [3500, '3.500sec'], [9373, '9.373sec'],
      [10000, '10sec'], [12500, '12sec'], [60000, '1min'], [61500, '1min1sec'], [119000, '1min59sec'], [600000, '10min'],
      [7189820, '119min'],
    ];
    for (const [ms, text] of table) expect(formatTimerTime(ms)).toBe(text);
  });

  it("round-trips through the parser's TIME reader (up to ss's own rounding)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 3600 * 1000 }), (ms) => {
      const m = Math.floor(ms / 60000);
      const s = Math.floor((ms % 60000) / 1000);
      const expected = m >= 10 ? m * 60000 : m > 0 ? m * 60000 + s * 1000 : s >= 10 ? s * 1000 : ms;
      expect(parseTimerTime(formatTimerTime(ms))).toBe(expected);
    }));
  });
});

/** A fake proc root: net/* tables plus pid dirs with comm and fd symlinks to socket:[INODE]. */
function fakeProc(tables: Record<string, string>, procs: { pid: number; comm: string; fds: Record<number, string> }[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-proc-'));
  fs.mkdirSync(path.join(root, 'net'));
  for (const [name, text] of Object.entries(tables)) fs.writeFileSync(path.join(root, 'net', name), text);
  for (const p of procs) {
    fs.mkdirSync(path.join(root, String(p.pid), 'fd'), { recursive: true });
    fs.writeFileSync(path.join(root, String(p.pid), 'comm'), p.comm + '\n');
    for (const [fd, target] of Object.entries(p.fds)) fs.symlinkSync(target, path.join(root, String(p.pid), 'fd', fd));
  }
  return root;
}

/** The /proc fallback's text of the tree at `root`, and what it found besides sockets. */
async function rendered(root: string) {
  let text = '';
  const scan = await renderProc(fileTableReader(root), root, (t) => { text += t; });
  return { text, scan };
}

describe('rendering /proc as ss text', () => {
  let root: string;
  beforeAll(() => {
    root = fakeProc(
      {
        tcp: [TCP_HEADER, TCP.listenFull, TCP.retransmitting, TCP.timeWait, TCP.unread, TCP.otherUser, 'garbage line here'].join('\n') + '\n',
        tcp6: [TCP_HEADER, TCP6.dualStackListen, TCP6.mapped, TCP6.keepalive].join('\n') + '\n',
        udp: [TCP_HEADER, UDP.unconn].join('\n') + '\n',
        unix: [UNIX_HEADER, UNIX.listen, UNIX.listenSpace, UNIX.unnamed, UNIX.abstractDgram].join('\n') + '\n',
      },
      [
        { pid: 100, comm: 'stuck-api', fds: { 3: 'socket:[129280]', 4: '/dev/null', 5: 'pipe:[77]' } },
        { pid: 200, comm: 'loadgen', fds: { 7: 'socket:[129317]', 8: 'socket:[129312]', 9: 'socket:[129316]' } },
        { pid: 201, comm: 'loadgen', fds: { 3: 'socket:[129317]' } }, // forked child sharing the socket
        { pid: 300, comm: 'a",pid=5)x\u0007y', fds: { 4: 'socket:[129283]' } }, // hostile comm
        { pid: 400, comm: 'my app', fds: { 6: 'socket:[129288]' } },
      ],
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('maps inodes to every (pid, fd) holding them, sanitising names like ss 7.0', () => {
    const { processes } = mapSocketProcesses(root);
    expect(processes.holders(129280)).toBe('("stuck-api",pid=100,fd=3)');
    // in ss -p's order: the highest PID first (a forked child before its parent)
    expect(processes.holders(129317)).toBe('("loadgen",pid=201,fd=3),("loadgen",pid=200,fd=7)');
    expect(processes.holders(129283)).toBe('("a",pid=5",pid=300,fd=4)');
    expect(processes.holders(999)).toBeUndefined();
    expect(processes.links).toBe(7);
  });

  it('counts a process whose fd links are denied (listed, not readable) as unreadable, once', () => {
    const real = fsModule.readlinkSync;
    const spy = jest.spyOn(fsModule, 'readlinkSync').mockImplementation(((p: fs.PathLike, o?: unknown) => {
      if (String(p).includes(`${path.sep}200${path.sep}fd${path.sep}`)) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return real(p, o as undefined);
    }) as typeof fs.readlinkSync);
    try {
      const { processes, unreadable } = mapSocketProcesses(root);
      expect(unreadable).toBe(1); // pid 200 has three denied links
      expect(processes.holders(129317)).toBe('("loadgen",pid=201,fd=3)');
      expect(processes.holders(129312)).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  it('renders text the ss parser reads back field for field', async () => {
    const { text, scan } = await rendered(root);
    expect(scan.problems).toEqual([expect.stringMatching(/^tcp: .*garbage line here/)]);
    expect(scan.problemCount).toBe(1);
    const { sockets, unparsed } = parseSsText(text, { file: 'proc', flags: '-tuaxnpoe' });
    expect(unparsed).toEqual([]);
    expect(sockets).toHaveLength(5 + 3 + 1 + 4); // every table line but the garbage one
    const find = (netid: string, port: number | null) => sockets.find((s) => s.netid === netid && s.local.port === port)!;
    expect(find('tcp', 9001)).toMatchObject({ state: 'LISTEN', recvQ: 3, sendQ: 0, local: { address: '0.0.0.0' }, processes: [{ name: 'stuck-api', pid: 100, fd: 3 }], inode: 129280 });
    expect(find('tcp', 52008)).toMatchObject({ state: 'ESTAB', sendQ: 1000, timer: { name: 'on', expiresMs: 2910, retrans: 5 }, processes: [{ pid: 201 }, { pid: 200 }] });
    expect(find('tcp', 40110)).toMatchObject({ state: 'TIME-WAIT', timer: { name: 'timewait', expiresMs: 49000, retrans: 0 }, inode: 0 });
    expect(find('tcp', 40110).processes).toBeUndefined();
    expect(find('tcp', 22)).toMatchObject({ uid: 1000, timer: { name: 'persist', retrans: 3 } });
    expect(find('tcp', 9000)).toMatchObject({ recvQ: 4096, processes: [{ name: 'a",pid=5', pid: 300, fd: 4 }] });
    expect(find('tcp', 8444)).toMatchObject({ local: { address: '*' }, peer: { address: '*', port: null } });
    expect(find('tcp', 51204)).toMatchObject({ local: { address: '::1' }, peer: { address: '::1', port: 8443 }, timer: { name: 'keepalive', expiresMs: 119 * 60000 } });
    expect(sockets.find((s) => s.local.address === '::ffff:127.0.0.1')).toBeDefined();
    expect(find('udp', 161)).toMatchObject({ state: 'UNCONN', local: { address: '0.0.0.0' }, inode: 129279 });
    expect(sockets.find((s) => s.netid === 'u_str' && s.local.path === '/tmp/sl-ref-unix/my app.sock')).toMatchObject({ state: 'LISTEN', processes: [{ name: 'my app', pid: 400 }] });
    expect(sockets.find((s) => s.netid === 'u_dgr')).toMatchObject({ state: 'UNCONN', local: { address: '@socklint-test' } });
  });

  it('captureSnapshot({ useProc }) writes the metadata the parser turns into field groups', async () => {
    const r = await captureSnapshot({ useProc: true, procRoot: root, host: 'h1', now: new Date('2026-01-02T03:04:05Z') });
    expect(r.text!.split('\n').slice(0, 9)).toEqual([
      '# socklint-snapshot: 1', '# host: h1', '# time: 2026-01-02T03:04:05.000Z', `# kernel: ${os.release()}`,
      '# ss: none (proc fallback)', '# flags: -tuaxnpoe', '# netns:', expect.stringMatching(/^# socklint: \d+\.\d+\.\d+/), '# source: proc',
    ]);
    expect(r.notices.some((n) => n.includes('could not be decoded'))).toBe(true);
    const { stats, unparsed } = parseSsText(r.text!, { file: 'live:h1' });
    expect(unparsed).toEqual([]);
    expect(stats.meta).toMatchObject({ source: 'proc', ss: 'none (proc fallback)', flags: '-tuaxnpoe', host: 'h1' });
    expect([...stats.fields].sort()).toEqual(['extended', 'processes', 'queues', 'state', 'timer']);
  });

  it('writes a table of 200,000 sockets row by row as it reads it (it used to be held, and padded, whole)', async () => {
    const n = 200000;
    const lines = [TCP_HEADER];
    for (let i = 0; i < n; i++) {
      lines.push(`${i}: 0100007F:${(1024 + (i % 60000)).toString(16).toUpperCase().padStart(4, '0')} 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 ${1000000 + i} 1 0 20 4 30 10 -1`);
    }
    const big = fakeProc({ tcp: `${lines.join('\n')}\n` }, [{ pid: 7, comm: 'proxy', fds: { 3: `socket:[${1000000 + n - 1}]` } }]);
    try {
      let rows = 0;
      let largest = 0;
      let last = '';
      const scan = await renderProc(fileTableReader(big), big, (t) => {
        rows += t.split('\n').length - 1;
        largest = Math.max(largest, t.length);
        last = t;
      });
      expect(scan.problemCount).toBe(0);
      expect(rows).toBe(n + 1); // and the header
      expect(largest).toBeLessThan(70 * 1024);
      expect(last.trimEnd().split('\n').pop()).toMatch(/ users:\(\("proxy",pid=7,fd=3\)\) ino:1199999$/);
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it('splits the tables at LF only: a unix path holding a CR stays one row (and one socket)', async () => {
    const cr = fakeProc({ unix: [UNIX_HEADER, '00000000abc751f7: 00000002 00000000 00010000 0001 01 129299 /tmp/a\rb.sock', UNIX.listen].join('\n') + '\n' }, []);
    try {
      const { text, scan } = await rendered(cr);
      expect(scan.problemCount).toBe(0);
      expect(text.split('\n').filter((l) => l.startsWith('u_str'))).toEqual([
        expect.stringContaining('/tmp/a\rb.sock 129299'), expect.stringContaining('/tmp/sl-ref-unix/app.sock 129287'),
      ]);
      const { sockets, unparsed } = parseSsText(text, { file: 'proc', flags: '-tuaxnpoe' });
      expect(unparsed).toEqual([]);
      expect(sockets.map((x) => x.local.path)).toEqual(['/tmp/a\rb.sock', '/tmp/sl-ref-unix/app.sock']);
    } finally {
      fs.rmSync(cr, { recursive: true, force: true });
    }
  });

  it('leaves out the connections waiting in a unix listener\'s queue (inode 0), as ss does', async () => {
    const queued = '0000000000000000: 00000002 00000000 00000000 0001 02     0 /tmp/sl-ref-unix/app.sock';
    const root = fakeProc({ unix: [UNIX_HEADER, UNIX.listen, queued, queued, UNIX.accepted].join('\n') + '\n' }, []);
    try {
      const { text, scan } = await rendered(root);
      expect(scan.problemCount).toBe(0);
      expect(parseSsText(text, { file: 'proc', flags: '-tuaxnpoe' }).sockets.map((x) => [x.state, x.local.port])).toEqual([['LISTEN', 129287], ['ESTAB', 129290]]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a table that cannot be read fails the capture with one line naming it (exit 3)', async () => {
    const broken = fakeProc({}, []);
    fs.mkdirSync(path.join(broken, 'net', 'tcp')); // a read of it fails (EISDIR)
    try {
      await expect(rendered(broken)).rejects.toMatchObject({
        exitCode: 3, message: `${path.join(broken, 'net', 'tcp')}: cannot read the socket table (EISDIR) [live-capture-failed]`,
      });
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('a missing table is skipped (IPv6 disabled), a missing proc root gives an empty table', async () => {
    const empty = fakeProc({ tcp: TCP_HEADER + '\n' + TCP.listenFull + '\n' }, []);
    try {
      const { sockets } = parseSsText((await rendered(empty)).text, { file: 'proc', flags: '-tuaxnpoe' });
      expect(sockets).toHaveLength(1);
      expect(sockets[0].processes).toBeUndefined();
      const none = await rendered(path.join(empty, 'nope'));
      expect(none.text.split('\n')).toEqual([expect.stringMatching(/^Netid +State +Recv-Q +Send-Q/), '']);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
