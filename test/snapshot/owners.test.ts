/**
 * The process column socklint fills in when ss runs without -p (src/snapshot/owners.ts): ss -p's own output,
 * with its `users:((…))` items taken out, comes back byte for byte — whatever the chunking — given the owners
 * those items named; and a capture made that way says so and asks ss for no -p (except from ss 6.7).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { captureSnapshot, ownerColumnPays } from '../../src/snapshot/capture';
import { OwnerColumn } from '../../src/snapshot/owners';
import { parseSsText } from '../../src/snapshot/parser';
import { SocketOwners } from '../../src/snapshot/proc';
import { runCli } from '../e2e/cli';

const REAL = path.join(__dirname, '../../fixtures/real');

/** ss -p output without its users:((…)) items (what ss prints without -p), and the owners they named. */
function withoutUsers(text: string): { bare: string; owners: SocketOwners } {
  const names = new Map<number, string>();
  const inodes: number[] = [];
  const pids: number[] = [];
  const fds: number[] = [];
  for (const s of parseSsText(text, { file: 'x' }).sockets) {
    for (const p of s.processes ?? []) {
      names.set(p.pid, p.name);
      inodes.push(s.netid.startsWith('u_') ? s.local.port! : s.inode!);
      pids.push(p.pid);
      fds.push(p.fd!);
    }
  }
  const bare = text.replace(/users:\(\(.*?\)\) /g, '');
  return { bare, owners: new SocketOwners(names, inodes, pids, fds) };
}

function fill(owners: SocketOwners, text: string, cuts: number[] = []): { out: string; filled: number } {
  const column = new OwnerColumn(owners);
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < buf.length)].sort((a, b) => a - b)) {
    parts.push(column.push(buf.subarray(from, cut)));
    from = cut;
  }
  parts.push(column.push(buf.subarray(from)), column.end());
  return { out: Buffer.concat(parts).toString('utf8'), filled: column.filled };
}

describe('the process column filled in by socklint', () => {
  for (const name of ['small.tuaxnpmioeO.ss', 'small.tuaxnpmioe.ss']) {
    test(`${name}: ss -p's rows come back byte for byte (tcp, udp, unix — named, unnamed, a path with a space)`, () => {
      const text = fs.readFileSync(path.join(REAL, name), 'utf8');
      const { bare, owners } = withoutUsers(text);
      expect(bare).not.toContain('users:');
      const { out, filled } = fill(owners, bare);
      expect(filled).toBe(text.match(/users:\(\(/g)!.length);
      expect(out).toBe(text);
    });
  }

  test('rows whose columns ss 4.15–4.19 glued together (`u_strESTAB`, `LISTEN0`) get their column too', () => {
    const glued = fs.readFileSync(path.join(REAL, 'small.tuaxnpmioeO.ss'), 'utf8').split('\n').map((l) => {
      if (l.startsWith('u_str')) return l.replace(/^(u_str)\s+(\S+)/, '$1$2');
      if (l.startsWith('tcp')) return l.replace(/^(tcp\s+\S+)\s+(\d+)/, '$1$2');
      return l;
    }).join('\n');
    expect(glued).toMatch(/^u_strESTAB /m);
    expect(glued).toMatch(/^tcp +LISTEN0 /m);
    const { bare, owners } = withoutUsers(glued);
    const { out, filled } = fill(owners, bare);
    expect(filled).toBe(glued.match(/users:\(\(/g)!.length);
    expect(out).toBe(glued);
  });

  test('lines cut anywhere between chunks (a UTF-8 character, a row, a detail line) come back the same', () => {
    // (the last row: a name with a space and UTF-8, held by a process whose name is UTF-8, no line feed at the end)
    const text = `${fs.readFileSync(path.join(REAL, 'small.tuaxnpmioe.ss'), 'utf8')}u_str ESTAB 0 0 /tmp/caf\u00e9 \u00e9.sock 777777 * 0 users:(("\u00e9-app",pid=4242,fd=9)) skmem:(r0)`;
    const { bare, owners } = withoutUsers(text);
    expect(owners.holders(777777)).toBe('("\u00e9-app",pid=4242,fd=9)');
    fc.assert(fc.property(fc.array(fc.nat(Buffer.byteLength(bare)), { maxLength: 40 }), (cuts) => {
      expect(fill(owners, bare, cuts).out).toBe(text);
    }), { numRuns: 200 });
  });

  test('rows no process holds, TIME-WAIT (ino:0), the header, comments and rows ss already filled stay as they are', () => {
    const names = new Map([[7, 'srv']]);
    const owners = new SocketOwners(names, [5001, 5002], [7, 7], [3, 4]);
    const rows = [
      '# a comment ino:5001',
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'tcp   LISTEN 0      128    0.0.0.0:22         0.0.0.0:*         ino:5009 sk:1 <->',
      'tcp   TIME-WAIT 0   0      10.0.0.1:80        10.0.0.2:5000     timer:(timewait,50sec,0) ino:0 sk:2',
      'tcp   ESTAB  0      0      10.0.0.1:22        10.0.0.2:5001     users:(("sshd",pid=9,fd=4)) ino:5001 sk:3 <->',
      'tcp   ESTAB  0      0      10.0.0.1:22        10.0.0.2:5002     timer:(keepalive,119min,0) ino:5002 sk:4 <->',
      '\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) ino:5001',
      'u_str LISTEN 0      5      /run/x.sock 5001   * 0',
      '',
    ].join('\n');
    const { out, filled } = fill(owners, rows);
    expect(filled).toBe(2);
    expect(out.split('\n')).toEqual([
      '# a comment ino:5001',
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'tcp   LISTEN 0      128    0.0.0.0:22         0.0.0.0:*         ino:5009 sk:1 <->',
      'tcp   TIME-WAIT 0   0      10.0.0.1:80        10.0.0.2:5000     timer:(timewait,50sec,0) ino:0 sk:2',
      'tcp   ESTAB  0      0      10.0.0.1:22        10.0.0.2:5001     users:(("sshd",pid=9,fd=4)) ino:5001 sk:3 <->',
      'tcp   ESTAB  0      0      10.0.0.1:22        10.0.0.2:5002     users:(("srv",pid=7,fd=4)) timer:(keepalive,119min,0) ino:5002 sk:4 <->',
      '\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) ino:5001',
      'u_str LISTEN 0      5      /run/x.sock 5001   * 0 users:(("srv",pid=7,fd=3))',
      '',
    ]);
  });

  test('a unix name that holds items, a fake NAME INODE * PEER triple or a fake process column: the row\'s own owner, as ss -p names it', () => {
    const owners = new SocketOwners(new Map([[7, 'realowner'], [1, 'sshd']]), [6001, 6002, 6003, 6004, 6005, 999], [7, 7, 7, 7, 7, 1], [3, 4, 5, 6, 8, 1]);
    const names = ['/t/z ino:5', '/t/s skmem:(r0)', '/t/p peers: 1 2 3', '/t/a -->', '/t/y 999 * 0 users:(("sshd",pid=1,fd=1))'];
    const rows = names.map((n, i) => `u_str LISTEN 0 1 ${n} ${6001 + i} * 0 <-> ino:${70 + i} dev:0/2 peers: 11 22 33`);
    const { out, filled } = fill(owners, `${rows.join('\n')}\n`);
    expect(filled).toBe(5);
    const parsed = parseSsText(`Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n${out}`, { file: 'x' }).sockets;
    expect(parsed.map((x) => [x.local.path, x.local.port, x.processes?.map((p) => p.name)])).toEqual(
      names.map((n, i) => [n, 6001 + i, ['realowner']]),
    );
  });

  test('ss ≤ 6.5\'s negative unix inode is the socket\'s (a number a name holds before it is not)', () => {
    const owners = new SocketOwners(new Map([[7, 'realowner'], [1, 'sshd']]), [4294967290, 5], [7, 1], [3, 1]);
    const { out, filled } = fill(owners, 'u_str LISTEN 0 1 /t/y 5 * 0 -6 * 0\n');
    expect(filled).toBe(1);
    expect(out).toBe('u_str LISTEN 0 1 /t/y 5 * 0 -6 * 0 users:(("realowner",pid=7,fd=3))\n');
    const parsed = parseSsText(`# flags: -xlp\n${out}`, { file: 'x' }).sockets;
    expect(parsed.map((x) => [x.local.path, x.local.port, x.processes?.map((p) => p.name)])).toEqual([['/t/y 5 * 0', 4294967290, ['realowner']]]);
  });

  test('a socket held by several processes lists them in the order found (ss -p: highest PID first)', () => {
    const owners = new SocketOwners(new Map([[30, 'worker'], [20, 'master']]), [9, 9, 8], [30, 20, 20], [6, 6, 5]);
    expect(owners.holders(9)).toBe('("worker",pid=30,fd=6),("master",pid=20,fd=6)');
    expect(owners.holders(8)).toBe('("master",pid=20,fd=5)');
    expect(owners.holders(7)).toBeUndefined();
    expect(owners.holders(10)).toBeUndefined();
  });
});

describe('a capture whose process column socklint fills in', () => {
  let tmp: string;
  beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-owners-')); });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** An executable standing in for ss (version `version`) that records its arguments and prints `body`. */
  function fakeSs(name: string, body: string, version: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(`${file}.out`, body);
    fs.writeFileSync(file, [
      '#!/bin/sh',
      `if [ "$1" = "-V" ]; then echo "ss utility, ${version}"; exit 0; fi`,
      `echo "$@" > '${file}.args'`,
      `cat '${file}.out'`,
    ].join('\n') + '\n', { mode: 0o755 });
    return file;
  }

  // a socket this test process holds: its inode is in the host's /proc, and the capture must name this process
  let server: import('net').Server;
  let inode: number;
  beforeAll(async () => {
    const net = await import('net');
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    inode = Number(/socket:\[(\d+)\]/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))![1]);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const row = (ino: number) => `tcp   LISTEN 0      511        127.0.0.1:4000      0.0.0.0:*     ino:${ino} sk:1 cgroup:/ <->\n`;
  const HEADER = 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';

  test('runs ss without -p, records it, and names the process holding the socket', async () => {
    const ss = fakeSs('ss-61', HEADER + row(inode), 'iproute2-6.1.0');
    const out = path.join(tmp, 'filled.ss');
    const r = await captureSnapshot({ output: out, ssPath: ss, processColumn: 'socklint' });
    expect(fs.readFileSync(`${ss}.args`, 'utf8').trim()).toBe('-tuaxnmioeO');
    expect(r.meta).toMatchObject({ flags: '-tuaxnpmioeO', processes: 'socklint, from /proc/PID/fd (ss ran as ss -tuaxnmioeO)' });
    const text = fs.readFileSync(out, 'utf8');
    expect(r.bytes).toBe(Buffer.byteLength(text));
    const [socket] = parseSsText(text, { file: out }).sockets;
    expect(socket.processes).toEqual([{ name: fs.readFileSync('/proc/self/comm', 'utf8').trim().slice(0, 15), pid: process.pid, fd: expect.any(Number) }]);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]); // ss's own file is gone too
  });

  test('a capture of many rows, returned as text (read from ss\'s file in pieces), is the same as one saved to a file', async () => {
    const rows = Array.from({ length: 9000 }, (_, i) => row(i === 8999 ? inode : 1000 + i)).join('');
    const ss = fakeSs('ss-big', HEADER + rows, 'iproute2-6.1.0');
    const asText = await captureSnapshot({ ssPath: ss, now: new Date(0), processColumn: 'socklint' });
    const out = path.join(tmp, 'big.ss');
    await captureSnapshot({ ssPath: ss, now: new Date(0), output: out, processColumn: 'socklint' });
    expect(Buffer.byteLength(asText.text!)).toBeGreaterThan(3 * 256 * 1024);
    expect(asText.text).toBe(fs.readFileSync(out, 'utf8'));
    const body = asText.text!.split('\n').filter((l) => l.startsWith('tcp'));
    expect(body).toHaveLength(9000);
    expect(body.filter((l) => l.includes(`users:(("`)).length).toBe(1); // the first pieces pass through as read
    expect(body[8999]).toMatch(new RegExp(`0\\.0\\.0\\.0:\\*     users:\\(\\("[^"]*",pid=${process.pid},fd=\\d+\\)\\) ino:${inode} `));
  });

  test('ss 6.7 (drops -o/-e/-m/-i items without -p), an unknown ss and flags of the caller\'s own keep ss\'s -p', async () => {
    for (const [name, version, flags, expected] of [
      ['ss-67', 'iproute2-6.7.0', undefined, '-tuaxnpmioeO'],
      ['ss-unknown', 'iproute2-weird', undefined, '-tuaxnpmioe'],
      ['ss-own', 'iproute2-6.1.0', '-tanp', '-tanp'],
    ] as const) {
      const ss = fakeSs(name, HEADER + row(inode), version);
      const r = await captureSnapshot({ ssPath: ss, processColumn: 'socklint', ...(flags ? { flags } : {}) });
      expect(fs.readFileSync(`${ss}.args`, 'utf8').trim()).toBe(expected);
      expect(r.meta.processes).toBeUndefined();
      expect(r.text).not.toContain('users:'); // the fake ss printed none, and socklint added none
    }
  });

  test('without a place for ss\'s own file (TMPDIR not writable) `socklint capture` uses ss\'s -p after all', async () => {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const ss = fakeSs('bin/ss', HEADER + row(inode), 'iproute2-6.1.0');
    const r = await runCli(['capture'], { env: { PATH: `${bin}:${process.env.PATH}`, TMPDIR: path.join(tmp, 'no-such-folder'), SOCKLINT_PROCESS_COLUMN: 'socklint' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(`${ss}.args`, 'utf8').trim()).toBe('-tuaxnpmioeO');
    expect(r.stdout).toContain('# flags: -tuaxnpmioeO\n# netns:');
  });
});

describe('who fills in the process column when nothing says', () => {
  let root: string;
  beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-sockstat-')); });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const sockstat = (dir: string, used: number) => {
    fs.mkdirSync(path.join(root, dir, 'net'), { recursive: true });
    fs.writeFileSync(path.join(root, dir, 'net', 'sockstat'), `sockets: used ${used}\nTCP: inuse 5 orphan 0 tw 90000 alloc 7 mem 1\n`);
  };
  const ns = (pid?: number) => ({ spec: pid ? `pid:${pid}` : 'blue', nsPath: path.join(root, 'no-such-ns'), nsenter: 'nsenter', ...(pid ? { pid } : {}) });

  test('socklint from 8,000 sockets in the namespace scanned (its sockstat; TIME-WAIT not counted), ss below', () => {
    sockstat('self', 7999);
    expect(ownerColumnPays(undefined, root)).toBe(false);
    sockstat('self', 8000);
    expect(ownerColumnPays(undefined, root)).toBe(true);
    sockstat('4242', 120000);
    sockstat('4243', 40);
    expect(ownerColumnPays(ns(4242), root)).toBe(true);
    expect(ownerColumnPays(ns(4243), root)).toBe(false); // a quiet container on a busy host
  });

  test('socklint when the count cannot be read (a namespace no process is in, no sockstat)', () => {
    expect(ownerColumnPays(ns(), root)).toBe(true);
    expect(ownerColumnPays(ns(4244), root)).toBe(true);
  });

  test('SOCKLINT_PROCESS_COLUMN decides instead; another value is a one-line error', async () => {
    const r = await runCli(['capture', '-o', path.join(root, 'x.ss')], { env: { SOCKLINT_PROCESS_COLUMN: 'both' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^socklint: SOCKLINT_PROCESS_COLUMN: "both" is neither ss nor socklint \(unset it/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const ss = await runCli(['capture'], { env: { SOCKLINT_PROCESS_COLUMN: 'ss' } });
    expect(ss.code).toBe(0);
    expect(ss.stdout).not.toContain('# processes:');
  });
});
