import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Readable } from 'stream';
import { UserError, ExitCode } from '../../src/diagnostics';
import { parseSnapshotFile } from '../../src/snapshot/source';
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

  it('rejects binary data inside gzip, and NUL bytes in text', async () => {
    const f = path.join(tmp, 'dump.gz');
    fs.writeFileSync(f, zlib.gzipSync(fs.readFileSync(path.join(CORPUS, 'iproute2-ss/ss1.dump'))));
    await expectUserError(parseSnapshotFile(f, collector().sink), f, /binary/);
    const nul = path.join(SYNTHETIC, 'ansi-nul.out');
    await expectUserError(parseSnapshotFile(nul, collector().sink), nul, /NUL/);
  });

  it('missing file, directory, corrupt and truncated gzip', async () => {
    const missing = path.join(tmp, 'nope.out');
    await expectUserError(parseSnapshotFile(missing, collector().sink), missing, /not found/);
    await expectUserError(parseSnapshotFile(tmp, collector().sink), tmp, /directory/);
    const bad = path.join(tmp, 'bad.gz');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('this is not deflate data at all')]));
    await expectUserError(parseSnapshotFile(bad, collector().sink), bad, /gzip/);
    const trunc = path.join(tmp, 'trunc.gz');
    const full = zlib.gzipSync(Buffer.from('LISTEN 0 1 0.0.0.0:22 0.0.0.0:*\n'.repeat(1000)));
    fs.writeFileSync(trunc, full.subarray(0, Math.floor(full.length / 2)));
    await expectUserError(parseSnapshotFile(trunc, collector().sink), trunc, /gzip/);
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
});
