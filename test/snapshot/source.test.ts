import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Readable } from 'stream';
import { UserError, ExitCode } from '../../src/diagnostics';
import { parseSnapshotFile, type ByteRange } from '../../src/snapshot/source';
import { builtinServices } from '../../src/snapshot/services';
import type { SocketRecord, UnparsedLine } from '../../src/snapshot/types';
import { CORPUS, SYNTHETIC } from './helpers';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-src-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function collector() {
  const sockets: SocketRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  return { sockets, unparsed, sink: { socket: (r: SocketRecord) => sockets.push(r), unparsed: (u: UnparsedLine) => unparsed.push(u) } };
}

async function expectUserError(p: Promise<unknown>, file: string, re: RegExp): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  const u = err as UserError;
  expect(u.exitCode).toBe(ExitCode.snapshot);
  expect(u.message.split('\n')).toHaveLength(1);
  expect(u.message.startsWith(file + ':')).toBe(true);
  expect(u.message).toMatch(re);
}

const TANE = path.join(CORPUS, 'iproute2-ss/ss1.tane.out');

describe('parseSnapshotFile', () => {
  it('reads a plain file', async () => {
    const c = collector();
    const stats = await parseSnapshotFile(TANE, c.sink, { services: builtinServices() });
    expect(stats.sockets).toBe(4);
    expect(c.sockets[0].location).toEqual({ file: TANE, line: 2 });
  });

  it('reads a plain file to its end when it grows while it is read (past the size it had)', async () => {
    const f = path.join(tmp, 'growing.ss');
    const row = (i: number) => `tcp ESTAB 0 0 10.0.0.1:${1000 + i} 10.0.0.2:443\n`;
    fs.writeFileSync(f, 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\n' + row(0) + row(1));
    let grown = false;
    const sockets: SocketRecord[] = [];
    const stats = await parseSnapshotFile(f, {
      socket(r) {
        sockets.push(r);
        if (!grown) {
          grown = true; // the first row is out: the file is read, at its old size, already
          fs.appendFileSync(f, Array.from({ length: 20000 }, (_, i) => row(i + 2)).join(''));
        }
      },
      unparsed() {},
    }, { services: builtinServices() });
    expect(stats.sockets).toBe(20002);
    expect(sockets[20001].local.port).toBe(1000 + 20001);
  });

  it('reads a gzip file (detected by magic bytes, whatever its name)', async () => {
    const gz = path.join(tmp, 'snap.txt');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(TANE)));
    const c = collector();
    const stats = await parseSnapshotFile(gz, c.sink);
    expect(stats.sockets).toBe(4);
    expect(c.sockets[2].timer).toEqual({ name: 'keepalive', expiresMs: 119 * 60000, retrans: 0 });
  });

  it('reads a stdin-like stream given as input (also gzip), file name "-"', async () => {
    const text = fs.readFileSync(TANE);
    const c = collector();
    const chunks = [text.subarray(0, 5), text.subarray(5, 100), text.subarray(100)];
    const stats = await parseSnapshotFile('-', c.sink, { input: Readable.from(chunks) });
    expect(stats.sockets).toBe(4);
    expect(c.sockets[0].location.file).toBe('-');
    const gz = zlib.gzipSync(text);
    const c2 = collector();
    // a 1-byte first chunk: the magic check must still see both bytes
    const stats2 = await parseSnapshotFile('-', c2.sink, { input: Readable.from([gz.subarray(0, 1), gz.subarray(1, 10), gz.subarray(10)]) });
    expect(stats2.sockets).toBe(4);
    expect(c2.sockets).toEqual(c.sockets);
  });

  it('reads UTF-16 text (PowerShell 5\'s `>`: little-endian with a byte-order mark; also big-endian, without a mark, gzip) as the UTF-8 it encodes', async () => {
    const text = fs.readFileSync(path.join(CORPUS, 'wild/08-iproute2-e-shutdown-arrows.out'), 'utf8').replace(/\n/g, '\r\n') + '# é ü ✓\r\n';
    const utf8 = collector();
    const plain = await parseSnapshotFile('-', utf8.sink, { input: Readable.from([Buffer.from(text, 'utf8')]) });
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const forms: [string, Buffer][] = [
      ['le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['be-bom', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['le', le],
      ['le.gz', zlib.gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))],
    ];
    for (const [name, bytes] of forms) {
      const f = path.join(tmp, `u16-${name}.ss`);
      fs.writeFileSync(f, bytes);
      const c = collector();
      const stats = await parseSnapshotFile(f, c.sink, { file: '-' });
      expect({ name, stats: { ...stats, kinds: undefined }, sockets: c.sockets }).toEqual({ name, stats: { ...plain, kinds: undefined }, sockets: utf8.sockets });
    }
    // chunks that cut code units (and the byte-order mark) in two
    const bom = forms[0][1];
    const cut = collector();
    await parseSnapshotFile('-', cut.sink, { input: Readable.from([bom.subarray(0, 1), bom.subarray(1, 7), bom.subarray(7, 333), bom.subarray(333)]) });
    expect(cut.sockets).toEqual(utf8.sockets);
    expect(utf8.sockets.length).toBe(4);
  });

  it('an empty file is not an error', async () => {
    const f = path.join(tmp, 'empty.out');
    fs.writeFileSync(f, '');
    const stats = await parseSnapshotFile(f, collector().sink);
    expect(stats).toMatchObject({ lines: 0, sockets: 0 });
  });

  it.each(['ss1.dump', 'ss1-ipv6-tail.dump'])('rejects the binary netlink dump %s', async (name) => {
    const f = path.join(CORPUS, 'iproute2-ss', name);
    await expectUserError(parseSnapshotFile(f, collector().sink), f, /binary data/);
  });

  it('rejects binary data inside gzip, and text that is mostly NUL bytes', async () => {
    const f = path.join(tmp, 'dump.gz');
    fs.writeFileSync(f, zlib.gzipSync(fs.readFileSync(path.join(CORPUS, 'iproute2-ss/ss1.dump'))));
    await expectUserError(parseSnapshotFile(f, collector().sink), f, /binary/);
    const zeros = path.join(tmp, 'zeros.ss');
    fs.writeFileSync(zeros, Buffer.concat([Buffer.from('State Recv-Q Send-Q Local Address:Port Peer Address:Port\n'), Buffer.alloc(4096)]));
    await expectUserError(parseSnapshotFile(zeros, collector().sink), zeros, /binary data \(NUL bytes\)/);
  });

  it('reads text with a few NUL bytes in its first 64 KiB as it reads them later: their lines are unparsed', async () => {
    const nul = path.join(SYNTHETIC, 'ansi-nul.out');
    const c = collector();
    const stats = await parseSnapshotFile(nul, c.sink);
    expect(stats.sockets).toBe(3);
    expect(c.unparsed.map((u) => u.line)).toEqual([5]);
    // a capture whose disk lost a block (zero-filled after a crash), at its start and far into it
    const row = 'ESTAB 0      0      10.0.0.1:22   10.0.0.2:50000 users:(("sshd",pid=1,fd=3))\n';
    const text = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' + row.repeat(400);
    for (const near of [200, 200_000]) {
      const body = Buffer.from(text.repeat(near > 100_000 ? 8 : 1));
      const at = body.indexOf(10, near) + 1; // (the start of a row)
      const f = path.join(tmp, `hole-${near}.ss`);
      fs.writeFileSync(f, Buffer.concat([body.subarray(0, at), Buffer.alloc(512), body.subarray(at)]));
      const d = collector();
      const s = await parseSnapshotFile(f, d.sink);
      expect(d.unparsed).toHaveLength(1); // the row the hole is in, with the hole
      expect(s.sockets).toBe((near > 100_000 ? 8 : 1) * 400 - 1);
    }
  });

  it('missing file, directory, corrupt and truncated gzip', async () => {
    const missing = path.join(tmp, 'nope.out');
    await expectUserError(parseSnapshotFile(missing, collector().sink), missing, /not found/);
    await expectUserError(parseSnapshotFile(tmp, collector().sink), tmp, /is a folder, not a snapshot file/);
    const bad = path.join(tmp, 'bad.gz');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('this is not deflate data at all')]));
    await expectUserError(parseSnapshotFile(bad, collector().sink), bad, /gzip/);
    const trunc = path.join(tmp, 'trunc.gz');
    const full = zlib.gzipSync(Buffer.from('LISTEN 0 1 0.0.0.0:22 0.0.0.0:*\n'.repeat(1000)));
    fs.writeFileSync(trunc, full.subarray(0, Math.floor(full.length / 2)));
    await expectUserError(parseSnapshotFile(trunc, collector().sink), trunc, /gzip/);
  });

  it('says in words why a path cannot be read, with the snapshot-* code for it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'read-'));
    fs.writeFileSync(path.join(dir, 'a.ss'), 'LISTEN 0 1 0.0.0.0:22 0.0.0.0:*\n');
    fs.symlinkSync(path.join(dir, 'l2.ss'), path.join(dir, 'l1.ss'));
    fs.symlinkSync(path.join(dir, 'l1.ss'), path.join(dir, 'l2.ss'));
    const said = async (name: string) => {
      const file = path.join(dir, name);
      try {
        await parseSnapshotFile(file, collector().sink);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).exitCode).toBe(ExitCode.snapshot);
        return (e as UserError).diagnostics.map((d) => [d.file === file, d.code, d.message, d.hint]);
      }
      throw new Error(`${name} was read`);
    };
    expect(await said('nope.ss')).toEqual([[true, 'snapshot-missing', 'snapshot file not found', undefined]]);
    // `socklint scan a.ss/x`: was "cannot read the snapshot file (ENOTDIR)" [snapshot-unreadable]
    expect(await said('a.ss/x')).toEqual([[true, 'snapshot-missing', 'cannot read the snapshot file (a part of the path is a file, not a folder)', undefined]]);
    expect(await said('l1.ss')).toEqual([[true, 'snapshot-unreadable', 'cannot read the snapshot file (a loop of symbolic links)', undefined]]);
    expect(await said(`${'n'.repeat(300)}.ss`)).toEqual([[true, 'snapshot-unreadable', 'cannot read the snapshot file (the path, or a name in it, is too long)', 'a file or folder name is at most 255 bytes on most file systems']]);
    expect(await said('.')).toEqual([[true, 'snapshot-directory', 'is a folder, not a snapshot file', undefined]]);
    fs.rmSync(dir, { recursive: true });
  });

  it('streams a large file without holding it (1 MiB chunks, 200k sockets)', async () => {
    const f = path.join(tmp, 'big.out');
    const line = 'tcp   ESTAB 0      0      10.0.0.1:22 10.0.0.2:50000 users:(("sshd",pid=1,fd=3)) timer:(keepalive,119min,0) ino:1 sk:1 <->\n';
    fs.writeFileSync(f, 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' + line.repeat(200000));
    let n = 0;
    const stats = await parseSnapshotFile(f, { socket: () => n++, unparsed: () => undefined });
    expect(n).toBe(200000);
    expect(stats.unparsed).toBe(0);
  });

  it('gives other events a turn while it reads a large plain file (a worker\'s messages, split.ts)', async () => {
    const f = path.join(tmp, 'turns.out');
    const line = 'tcp   ESTAB 0      0      10.0.0.1:22 10.0.0.2:50000\n';
    fs.writeFileSync(f, 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\n' + line.repeat(150000)); // ~7 MB
    let n = 0;
    let seenAt = -1;
    const socket = () => {
      if (n++ === 0) setImmediate(() => { seenAt = n; }); // once reading has begun
    };
    const stats = await parseSnapshotFile(f, { socket, unparsed: () => undefined });
    expect(stats.sockets).toBe(150000);
    expect(seenAt).toBeGreaterThan(1); // the callback ran after more rows were read, not after all of them
    expect(seenAt).toBeLessThan(100000);
  });

  it('reads a named pipe (`<(ss -tan)`) as a stream', async () => {
    if (process.platform === 'win32') return;
    const fifo = path.join(tmp, 'pipe.ss');
    require('child_process').execFileSync('mkfifo', [fifo]);
    const text = fs.readFileSync(TANE);
    const writer = new Promise<void>((resolve, reject) => {
      const w = fs.createWriteStream(fifo);
      w.on('error', reject);
      w.end(text, () => resolve());
    });
    const c = collector();
    const [stats] = await Promise.all([parseSnapshotFile(fifo, c.sink), writer]);
    expect(stats.sockets).toBe(4);
    const plain = collector();
    await parseSnapshotFile(TANE, plain.sink, { file: fifo });
    expect(c.sockets).toEqual(plain.sockets);
  });

  it('reads a byte range of a plain file, whose end may be lowered while it reads', async () => {
    const f = path.join(tmp, 'range.out');
    const head = 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\n';
    const line = (i: number) => `tcp   ESTAB 0      0      10.0.0.1:22 10.0.0.2:${String(10000 + i)}\n`;
    const rows = Array.from({ length: 60000 }, (_, i) => line(i)).join(''); // ~3 MB, fixed-width rows
    fs.writeFileSync(f, head + rows);
    const size = fs.statSync(f).size;
    const range: ByteRange = { start: 0, end: size };
    let n = 0;
    // lowered at the first turn (after the first megabyte), to a row boundary
    const cut = head.length + line(0).length * 40000;
    const socket = () => {
      if (n++ === 0) setImmediate(() => { range.end = cut; });
    };
    const stats = await parseSnapshotFile(f, { socket, unparsed: () => undefined }, { range });
    expect(stats.sockets).toBe(40000);
    expect(range.fed).toBe(cut);
  });
});
