/** Live capture: ss version/flags, namespaces, the capture file, and ss vs. the /proc fallback on real sockets. */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../src/diagnostics';
import { CaptureFollower, captureSnapshot, findPidInNetns, formatMeta, liveSnapshot } from '../../src/snapshot/capture';
import { chooseSsFlags, parseSsVersion, resolveNetns, summariseStderr } from '../../src/snapshot/live';
import { parseSsText } from '../../src/snapshot/parser';
import { parseSnapshotFile } from '../../src/snapshot/source';
import type { SocketRecord } from '../../src/snapshot/types';
import { createScenario, netnsUnavailableReason, Scenario, SMALL_SCENARIO, STANDARD_SCENARIO } from '../helpers/netns';

const unavailable = netnsUnavailableReason();
const describeNetns = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`namespace tests skipped: ${unavailable}`);

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-live-test-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An executable standing in for ss: `-V` prints the version, anything else prints `body` (and exits `code`). */
function fakeSs(name: string, body: string, opts: { version?: string; code?: number; stderr?: string } = {}): string {
  const file = path.join(tmp, name);
  const data = path.join(tmp, `${name}.out`);
  fs.writeFileSync(data, body);
  fs.writeFileSync(file, [
    '#!/bin/sh',
    `if [ "$1" = "-V" ]; then echo "ss utility, ${opts.version ?? 'iproute2-6.1.0'}"; exit 0; fi`,
    `echo "$@" > '${data}.args'`,
    `cat '${data}'`,
    opts.stderr ? `printf '%s' '${opts.stderr}' >&2` : '',
    `exit ${opts.code ?? 0}`,
  ].join('\n') + '\n', { mode: 0o755 });
  return file;
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const c of chunks) all.push(Buffer.from(c)); // a chunk is read over by the next one
  return Buffer.concat(all);
}

const SS_TEXT = [
  'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
  'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=1,fd=3)) ino:1 sk:1 cgroup:/ <->',
  'tcp   ESTAB  0      0          10.0.0.1:22      10.0.0.2:5000 users:(("sshd",pid=9,fd=4)) timer:(keepalive,119min,0) ino:2 sk:2 cgroup:/ <->',
  '',
].join('\n');

describe('ss version and flags', () => {
  it('reads current and date-stamped version strings', () => {
    expect(parseSsVersion('ss utility, iproute2-6.1.0\n')).toEqual({ text: 'iproute2-6.1.0', release: [6, 1, 0] });
    expect(parseSsVersion('ss utility, iproute2-v5.10.0-12-gabc')).toEqual({ text: 'iproute2-v5.10.0-12-gabc', release: [5, 10, 0] });
    expect(parseSsVersion('ss utility, iproute2-ss130716')).toEqual({ text: 'iproute2-ss130716', release: [3, 0, 0] });
    expect(parseSsVersion('ss utility, iproute2-ss180129')).toEqual({ text: 'iproute2-ss180129', release: [4, 0, 0] });
    expect(parseSsVersion('ss utility, iproute2-ss200127')).toEqual({ text: 'iproute2-ss200127', release: [5, 5, 0] });
    expect(parseSsVersion('BusyBox v1.36')).toBeUndefined();
  });

  it('asks for -O only where ss has it (5.2+), always with -p (6.7 drops -o/-e/-m/-i output without it)', () => {
    expect(chooseSsFlags(parseSsVersion('iproute2-6.1.0'))).toBe('-tuaxnpmioeO');
    expect(chooseSsFlags(parseSsVersion('iproute2-6.7.0'))).toBe('-tuaxnpmioeO');
    expect(chooseSsFlags(parseSsVersion('iproute2-5.2.0'))).toBe('-tuaxnpmioeO');
    expect(chooseSsFlags(parseSsVersion('iproute2-ss190708'))).toBe('-tuaxnpmioeO');
    expect(chooseSsFlags(parseSsVersion('iproute2-ss190107'))).toBe('-tuaxnpmioe');
    expect(chooseSsFlags(parseSsVersion('iproute2-4.9.0'))).toBe('-tuaxnpmioe');
    expect(chooseSsFlags(undefined)).toBe('-tuaxnpmioe');
  });

  it('summarises repeated stderr lines', () => {
    expect(summariseStderr('Failed to find cgroup2 mount\nFailed to find cgroup2 mount\nother\n')).toEqual(['Failed to find cgroup2 mount (×2)', 'other']);
    const many = summariseStderr(Array.from({ length: 25 }, (_, i) => `line ${i}`).join('\n'));
    expect(many).toHaveLength(11);
    expect(many[10]).toBe('… and 15 more different lines');
  });
});

describe('--netns targets', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(tmp, 'netns');
    fs.mkdirSync(dir);
    fs.symlinkSync(`/proc/${process.pid}/ns/net`, path.join(dir, 'blue'));
    fs.writeFileSync(path.join(dir, 'plain'), ''); // as a failed `ip netns add` leaves one: no namespace mounted
  });

  it('accepts an ip-netns name, pid:N and a namespace file', () => {
    expect(resolveNetns('blue', { netnsDir: dir })).toEqual({ spec: 'blue', nsPath: path.join(dir, 'blue'), name: 'blue', nsenter: 'nsenter' });
    expect(resolveNetns(`pid:${process.pid}`)).toEqual({ spec: `pid:${process.pid}`, nsPath: `/proc/${process.pid}/ns/net`, pid: process.pid, nsenter: 'nsenter' });
    expect(resolveNetns(`/proc/${process.pid}/ns/net`)).toMatchObject({ nsPath: `/proc/${process.pid}/ns/net`, pid: process.pid });
  });

  it('says what is wrong, with a suggestion, as a usage error', () => {
    const err = (spec: string) => { try { resolveNetns(spec, { netnsDir: dir }); } catch (e) { return e as UserError; } throw new Error('no error'); };
    expect(err('bleu')).toBeInstanceOf(UserError);
    expect(err('bleu').exitCode).toBe(2);
    expect(err('bleu').diagnostics[0]).toMatchObject({ code: 'netns-not-found', hint: 'did you mean "blue"?' });
    expect(err('-x').message).toMatch(/not a namespace name/);
    expect(err('../etc').message).toMatch(/no such namespace file/);
    expect(err('pid:999999999').message).toMatch(/no process/);
  });

  it('refuses a file that is not a network namespace, as a usage error', () => {
    const err = (spec: string) => { try { resolveNetns(spec, { netnsDir: dir }); } catch (e) { return e as UserError; } throw new Error('no error'); };
    for (const spec of ['plain', '/etc/passwd', '/dev/null', path.join(dir, 'plain')]) {
      expect(err(spec)).toMatchObject({ exitCode: 2, diagnostics: [{ code: 'netns-not-found', message: `${spec}: is not a namespace file` }] });
    }
    expect(err('/proc/self/ns/mnt')).toMatchObject({ exitCode: 2, diagnostics: [{ message: '/proc/self/ns/mnt: is a mnt namespace, not a network namespace' }] });
    expect(err('/proc/self/ns')).toMatchObject({ exitCode: 2 });
  });
});

describe('capture files', () => {
  it('formats the metadata block in a fixed order, one line per key, no line breaks inside values', () => {
    expect(formatMeta({
      'socklint-snapshot': '1', host: 'db\n1', time: 't', kernel: 'k', ss: 'iproute2-6.1.0', flags: '-tan', netns: '', socklint: '0.1.0', labels: 'a=b',
    })).toBe('# socklint-snapshot: 1\n# host: db 1\n# time: t\n# kernel: k\n# ss: iproute2-6.1.0\n# flags: -tan\n# netns:\n# socklint: 0.1.0\n# labels: a=b\n');
  });

  it('escapes other control characters in metadata values: whatever `ss -V` prints cannot make the capture binary', async () => {
    expect(formatMeta({ 'socklint-snapshot': '1', host: 'h\x1b[2J', time: 't', kernel: 'k', ss: 'iproute2\u0000-6.1', flags: '-tan', netns: '', socklint: '0' }))
      .toContain('# host: h\\x1b[2J\n# time: t\n# kernel: k\n# ss: iproute2\\x00-6.1\n');
    const r = await captureSnapshot({ ssPath: fakeSs('ss-nul-version', SS_TEXT, { version: 'iproute2-6.1.0\\0\\033[1m' }) });
    expect(r.text).toMatch(/^# ss: .*\\x00.*\\x1b\[1m$/m);
    expect(r.text).not.toMatch(/[\u0000\u001b]/);
  });

  it('writes metadata + the raw ss output atomically; the saved lines are exactly what parses', async () => {
    const ss = fakeSs('ss-ok', SS_TEXT);
    const out = path.join(tmp, 'cap1.ss');
    const follow = new CaptureFollower();
    const followed = collect(follow.chunks());
    const r = await captureSnapshot({ output: out, ssPath: ss, host: 'web-1', labels: { role: 'db' }, follow, processColumn: 'socklint' });
    const text = fs.readFileSync(out, 'utf8');
    expect((await followed).toString('utf8')).toBe(text);
    expect(r).toMatchObject({ path: out, bytes: Buffer.byteLength(text), meta: { host: 'web-1', ss: 'iproute2-6.1.0', flags: '-tuaxnpmioeO', netns: '', labels: 'role=db' } });
    // socklint fills in the process column (no socket of this host has inode 1 or 2: the rows stay as printed)
    expect(fs.readFileSync(`${ss}.out.args`, 'utf8').trim()).toBe('-tuaxnmioeO');
    const lines = text.split('\n');
    expect(lines.slice(0, 10).map((l) => l.replace(/: .*/, ''))).toEqual([
      '# socklint-snapshot', '# host', '# time', '# kernel', '# ss', '# flags', '# processes', '# netns:', '# socklint', '# labels',
    ]);
    expect(lines[2]).toMatch(/^# time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[6]).toBe('# processes: socklint, from /proc/PID/fd (ss ran as ss -tuaxnmioeO)');
    expect(lines.slice(10).join('\n')).toBe(SS_TEXT);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('cap1') && f.endsWith('.tmp'))).toEqual([]);

    const sockets: SocketRecord[] = [];
    const stats = await parseSnapshotFile(out, { socket: (s) => sockets.push(s), unparsed: () => { throw new Error('unparsed'); } });
    expect(stats.meta).toMatchObject({ host: 'web-1', flags: '-tuaxnpmioeO', labels: 'role=db' });
    expect(sockets.map((s) => s.location.line)).toEqual([12, 13]);
    expect(lines[sockets[1].location.line - 1]).toContain('10.0.0.2:5000');
  });

  it('a follower reads the capture while ss still writes it, and ends with it (or with its error)', async () => {
    // ss prints its first row, then waits until the test has read that row through the follower
    const go = path.join(tmp, 'follow.go');
    const ss = path.join(tmp, 'ss-follow');
    fs.writeFileSync(ss, [
      '#!/bin/sh',
      'if [ "$1" = "-V" ]; then echo "ss utility, iproute2-6.1.0"; exit 0; fi',
      `printf '%s\n' '${SS_TEXT.split('\n').slice(0, 2).join("' '")}'`,
      `i=0; while [ ! -e '${go}' ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i+1)); done`,
      `printf '%s\n' '${SS_TEXT.split('\n')[2]}'`,
    ].join('\n') + '\n', { mode: 0o755 });
    const out = path.join(tmp, 'follow.ss');
    const follow = new CaptureFollower();
    let done = false;
    const capture = captureSnapshot({ output: out, ssPath: ss, follow }).finally(() => { done = true; });
    let seen = '';
    for await (const c of follow.chunks()) {
      seen += c.toString('utf8');
      if (seen.includes('0.0.0.0:22') && !fs.existsSync(go)) {
        expect(done).toBe(false); // the first row arrived before ss was done
        fs.writeFileSync(go, '');
      }
    }
    await capture;
    expect(seen).toBe(fs.readFileSync(out, 'utf8'));
    expect(seen.endsWith(SS_TEXT)).toBe(true);

    const failing = new CaptureFollower();
    const read = collect(failing.chunks());
    await expect(captureSnapshot({ output: path.join(tmp, 'follow-bad.ss'), ssPath: fakeSs('ss-follow-bad', 'partial\n', { code: 2 }), follow: failing })).rejects.toMatchObject({ exitCode: 3 });
    await expect(read).rejects.toMatchObject({ exitCode: 3 });
  });

  // with socklint's process column, ss writes a private file beside the snapshot and this thread fills the
  // column in: a write failing there while ss was still being started once left ss running unwatched (its
  // exit then read the closed file: EBADF, an uncaught error that ended the process)
  it.each(['ss', 'socklint'] as const)('a disk that fills while ss writes fails the capture (ss itself exits 0 with its output cut short; process column: %s)', async (processColumn) => {
    const small = path.join(tmp, `small-fs-${processColumn}`);
    fs.mkdirSync(small);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small], { stdio: 'ignore' });
    } catch {
      console.warn('full-disk test skipped: cannot mount a tmpfs (not root?)');
      return;
    }
    try {
      fs.writeFileSync(path.join(small, 'fill'), Buffer.alloc(56 * 1024)); // 8 KiB left: the metadata fits, ss's output does not
      const big = path.join(tmp, 'ss-big.out');
      fs.writeFileSync(big, SS_TEXT.repeat(2000));
      const ss = path.join(tmp, 'ss-ignores-errors');
      fs.writeFileSync(ss, [
        '#!/bin/sh',
        'if [ "$1" = "-V" ]; then echo "ss utility, iproute2-6.1.0"; exit 0; fi',
        `cat '${big}' 2>/dev/null`,
        'exit 0', // as ss does: it does not check its writes
      ].join('\n') + '\n', { mode: 0o755 });
      const out = path.join(small, 'cap.ss');
      await expect(captureSnapshot({ output: out, ssPath: ss, processColumn })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('cannot write the snapshot (ENOSPC)') });
      expect(fs.readdirSync(small)).toEqual(['fill']);
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('reports ss failure as a snapshot error and leaves no file behind', async () => {
    const ss = fakeSs('ss-bad', 'partial\n', { code: 1, stderr: 'ss: bad option' });
    const out = path.join(tmp, 'cap2.ss');
    await expect(captureSnapshot({ output: out, ssPath: ss })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('ss: bad option') });
    expect(fs.readdirSync(tmp).filter((f) => f.includes('cap2'))).toEqual([]);
  });

  it('an ss that exits 0 without printing anything (not even its header) is a failed capture, not an empty host', async () => {
    const out = path.join(tmp, 'cap-empty.ss');
    for (const processColumn of ['ss', 'socklint'] as const) {
      await expect(captureSnapshot({ output: out, ssPath: fakeSs('ss-empty', ''), processColumn }))
        .rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('exited 0 without printing anything, not even its header') });
      expect(fs.existsSync(out)).toBe(false);
    }
    // a header alone is a namespace without sockets
    const r = await captureSnapshot({ ssPath: fakeSs('ss-header', 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n') });
    expect(r.text).toMatch(/Netid State/);
  });

  it('an unwritable output is a usage error; a missing folder is made', async () => {
    const ss = fakeSs('ss-ok2', SS_TEXT);
    await expect(captureSnapshot({ output: '/proc/socklint-none/dir/x.ss', ssPath: ss })).rejects.toMatchObject({
      exitCode: 2, diagnostics: [{ code: 'snapshot-write', message: "cannot write the snapshot (ENOENT): folder '/proc' does not take new files" }],
    });
    const made = path.join(tmp, 'no/such/dir/x.ss');
    await captureSnapshot({ output: made, ssPath: ss });
    expect(fs.readFileSync(made, 'utf8')).toContain(SS_TEXT.split('\n')[1]);
  });

  it('a pipe or device at -o is written into, never replaced; a symbolic link to a file or a folder is refused', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'targets-'));
    const ss = fakeSs('ss-targets', SS_TEXT);
    // a FIFO (or /dev/stdout piped): its reader gets the capture, and no private file is left beside it
    const fifo = path.join(dir, 'cap.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('sh', ['-c', `cat '${fifo}' > '${path.join(dir, 'got')}'`], { stdio: 'ignore' });
    const read = new Promise((resolve) => reader.on('exit', resolve));
    await captureSnapshot({ output: fifo, ssPath: ss, processColumn: 'ss' });
    await read;
    expect(fs.readFileSync(path.join(dir, 'got'), 'utf8')).toContain(SS_TEXT.split('\n')[1]);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    // a character device node stays one (as root `socklint capture -o /dev/null` replaced /dev/null), and
    // socklint's process column keeps ss's private file in TMPDIR, not beside the device
    const devNull = path.join(dir, 'null');
    execFileSync('mknod', ['-m', '666', devNull, 'c', '1', '3']);
    await captureSnapshot({ output: devNull, ssPath: ss, processColumn: 'socklint' });
    expect(fs.lstatSync(devNull).isCharacterDevice()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['cap.fifo', 'got', 'null']);
    // a live scan reads its capture back: a pipe cannot keep it
    await expect(captureSnapshot({ output: devNull, ssPath: ss, follow: new CaptureFollower() }))
      .rejects.toMatchObject({ exitCode: 2, diagnostics: [{ code: 'snapshot-target-not-a-file' }] });
    fs.symlinkSync(path.join(dir, 'got'), path.join(dir, 'link.ss'));
    await expect(captureSnapshot({ output: path.join(dir, 'link.ss'), ssPath: ss }))
      .rejects.toMatchObject({ exitCode: 2, diagnostics: [{ code: 'snapshot-target-is-symlink' }] });
    await expect(captureSnapshot({ output: dir, ssPath: ss }))
      .rejects.toMatchObject({ exitCode: 2, diagnostics: [{ code: 'snapshot-target-is-folder' }] });
    expect(fs.readFileSync(path.join(dir, 'got'), 'utf8')).toContain(SS_TEXT.split('\n')[1]);
  });

  it('passes ss stderr on as notices, once per distinct line', async () => {
    const r = await captureSnapshot({ ssPath: fakeSs('ss-noisy', SS_TEXT, { stderr: 'warn\nwarn\n' }) });
    expect(r.notices).toContain('ss: warn (×2)');
    expect(r.text!.endsWith(SS_TEXT)).toBe(true);
  });

  it('falls back to /proc when ss is not installed, and says so', async () => {
    const r = await captureSnapshot({ ssPath: path.join(tmp, 'no-such-ss') });
    expect(r.meta).toMatchObject({ ss: 'none (proc fallback)', source: 'proc', flags: '-tuaxnpoe' });
    expect(r.notices[0]).toMatch(/^ss not found: read \/proc\/net directly/);
    expect(parseSsText(r.text!, { file: 'x' }).unparsed).toEqual([]);
  });

  it('not root: one notice that process information is incomplete', async () => {
    const spy = jest.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      const r = await captureSnapshot({ ssPath: fakeSs('ss-user', SS_TEXT), processColumn: 'ss' });
      expect(r.notices.filter((n) => n.includes('uid 1000'))).toEqual([expect.stringMatching(/ss shows processes only for your own sockets/)]);
      const o = await captureSnapshot({ ssPath: fakeSs('ss-user2', SS_TEXT), processColumn: 'socklint' });
      expect(o.notices.filter((n) => n.includes('uid 1000'))).toEqual([expect.stringMatching(/\/proc\/PID\/fd of other users' processes is unreadable/)]);
      const p = await captureSnapshot({ useProc: true });
      expect(p.notices.filter((n) => n.includes('uid 1000'))).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects labels that would not read back', async () => {
    await expect(captureSnapshot({ labels: { a: 'x,y' }, ssPath: fakeSs('ss-ok3', SS_TEXT) })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('liveSnapshot: temp file removed by dispose(); a saved one stays and is its own label', async () => {
    const ss = fakeSs('ss-ok4', SS_TEXT);
    const t = await liveSnapshot({ ssPath: ss, host: 'h' });
    expect(t).toMatchObject({ label: 'live:h', temporary: true });
    expect(fs.existsSync(t.file)).toBe(true);
    await t.dispose();
    expect(fs.existsSync(t.file)).toBe(false);
    const saved = path.join(tmp, 'saved.ss');
    const s = await liveSnapshot({ ssPath: ss, saveTo: saved });
    await s.dispose();
    expect(s).toMatchObject({ file: saved, label: saved, temporary: false });
    expect(fs.existsSync(saved)).toBe(true);
  });

  it('captures this host with the real ss (whatever sockets it has)', async () => {
    const r = await captureSnapshot({});
    const { unparsed, stats } = parseSsText(r.text!, { file: 'live' });
    expect(r.meta.ss).toMatch(/^iproute2-/);
    expect(unparsed).toEqual([]);
    expect(stats.meta.flags).toBe(r.meta.flags);
  });
});

/** (netid state local) of inet sockets; `[::]` → `*` because /proc cannot tell v6only (ss prints `*` there too). */
function inetKeys(sockets: SocketRecord[]): string[] {
  return sockets
    .filter((s) => s.netid === 'tcp' || s.netid === 'udp')
    .map((s) => `${s.netid} ${s.state} ${s.local.address === '::' ? '*' : s.local.address}:${s.local.port ?? '*'}`)
    .sort();
}

describeNetns('live capture in a namespace scenario', () => {
  let sc: Scenario;
  beforeAll(async () => { sc = await createScenario(SMALL_SCENARIO); });
  afterAll(async () => { await sc?.cleanup(); });

  async function capture(opts: { netns: string; useProc?: boolean }) {
    const r = await captureSnapshot(opts);
    const parsed = parseSsText(r.text!, { file: 'live' });
    expect(parsed.unparsed).toEqual([]);
    return { ...r, parsed };
  }

  it('ss and the /proc fallback see the same inet sockets, both with processes', async () => {
    const viaSs = await capture({ netns: sc.ns });
    const viaProc = await capture({ netns: sc.ns, useProc: true });
    expect(viaSs.meta).toMatchObject({ netns: sc.ns, ss: expect.stringMatching(/^iproute2-/) });
    expect(viaProc.meta).toMatchObject({ netns: sc.ns, source: 'proc' });
    expect(viaSs.notices.filter((n) => n.startsWith('ss:'))).toEqual([]); // nsenter: no "Failed to find cgroup2 mount"
    expect(inetKeys(viaProc.parsed.sockets)).toEqual(inetKeys(viaSs.parsed.sockets));
    for (const { parsed } of [viaSs, viaProc]) {
      const mysql = parsed.sockets.find((s) => s.state === 'LISTEN' && s.local.port === 3306)!;
      expect(mysql.processes).toEqual([expect.objectContaining({ name: 'mysqld', pid: sc.info.pids.mysqld })]);
      expect(parsed.sockets.filter((s) => s.state === 'CLOSE-WAIT' && s.processes?.[0]?.name === 'leaky-app')).toHaveLength(5);
      expect(parsed.sockets.filter((s) => s.state === 'TIME-WAIT')).toHaveLength(5);
      expect(parsed.sockets.find((s) => s.local.port === 9001 && s.state === 'LISTEN')).toMatchObject({ recvQ: 3 });
      expect(parsed.sockets.find((s) => s.peer.port === 9002 && s.timer)?.timer).toMatchObject({ name: 'on', retrans: expect.any(Number) });
      expect(parsed.sockets.find((s) => s.peer.port === 9002 && s.timer)!.timer!.retrans).toBeGreaterThanOrEqual(1);
      expect(parsed.sockets.find((s) => s.local.path === `${sc.unixDir}/app.sock` && s.state === 'LISTEN')).toBeDefined();
    }
    // what only ss knows
    expect(viaSs.parsed.sockets.find((s) => s.local.port === 9001 && s.state === 'LISTEN')).toMatchObject({ sendQ: 2 });
    expect(viaSs.parsed.stats.fields.has('skmem')).toBe(true);
    expect(viaProc.parsed.stats.fields.has('skmem')).toBe(false);
  });

  it('pid:N and /proc/N/ns/net name the same namespace', async () => {
    const pid = sc.info.pids.mysqld;
    const byName = inetKeys((await capture({ netns: sc.ns })).parsed.sockets);
    expect(inetKeys((await capture({ netns: `pid:${pid}` })).parsed.sockets)).toEqual(byName);
    expect(inetKeys((await capture({ netns: `/proc/${pid}/ns/net`, useProc: true })).parsed.sockets)).toEqual(byName);
    expect(findPidInNetns(`/run/netns/${sc.ns}`)).toEqual(expect.any(Number));
  });

  it('without nsenter, a named namespace is entered with `ip netns exec` (ss -e then warns about cgroup2)', async () => {
    const expected = inetKeys((await capture({ netns: sc.ns })).parsed.sockets);
    const r = await captureSnapshot({ netns: sc.ns, nsenterPath: path.join(tmp, 'no-nsenter') });
    expect(r.meta.ss).toMatch(/^iproute2-/);
    expect(inetKeys(parseSsText(r.text!, { file: 'x' }).sockets)).toEqual(expected);
    expect(r.notices).toContainEqual(expect.stringMatching(/^ss: Failed to find cgroup2 mount \(×\d+\)$/));
    const p = await captureSnapshot({ netns: sc.ns, nsenterPath: path.join(tmp, 'no-nsenter'), useProc: true });
    expect(inetKeys(parseSsText(p.text!, { file: 'x' }).sockets)).toEqual(expected);
    // a namespace file has no ip-netns name to fall back to
    await expect(captureSnapshot({ netns: `pid:${sc.info.pids.mysqld}`, nsenterPath: path.join(tmp, 'no-nsenter') }))
      .rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('not found') });
  });

  it('the host capture does not see the namespace sockets', async () => {
    const host = parseSsText((await captureSnapshot({})).text!, { file: 'live' });
    // (unix sockets do show up: the scenario's processes inherit jest's stdio socketpairs)
    const inet = host.sockets.filter((s) => s.netid === 'tcp' || s.netid === 'udp');
    expect(inet.some((s) => s.processes?.some((p) => Object.values(sc.info.pids).includes(p.pid)))).toBe(false);
    expect(inet.some((s) => s.local.port === 3306 && s.state === 'LISTEN')).toBe(false);
  });
});

describeNetns('/proc fallback in a namespace without processes', () => {
  it('reads the tables from inside the namespace (nsenter cat) when no process is in it', async () => {
    const ns = `socklint-test-empty-${process.pid}`;
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      // three TIME-WAIT sockets outlive the process that made them
      execFileSync('ip', ['netns', 'exec', ns, 'python3', '-c', [
        'import socket', 'l = socket.socket(); l.bind(("127.0.0.1", 7001)); l.listen(8)',
        'for _ in range(3):', '    c = socket.create_connection(("127.0.0.1", 7001)); s, _ = l.accept(); c.close(); s.recv(1); s.close()',
      ].join('\n')]);
      expect(findPidInNetns(`/run/netns/${ns}`)).toBeUndefined();
      const r = await captureSnapshot({ netns: ns, useProc: true });
      const { sockets, unparsed } = parseSsText(r.text!, { file: 'x' });
      expect(unparsed).toEqual([]);
      expect(sockets.filter((s) => s.state === 'TIME-WAIT' && s.peer.port === 7001)).toHaveLength(3);
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  });
});

describeNetns('standard scenario through the snapshot file path', () => {
  let sc: Scenario;
  beforeAll(async () => { sc = await createScenario(STANDARD_SCENARIO); });
  afterAll(async () => { await sc?.cleanup(); });

  it('a saved live capture parses back with every socket of the issue scenario', async () => {
    const saved = path.join(tmp, 'standard.ss');
    const live = await liveSnapshot({ netns: sc.ns, saveTo: saved, host: 'scenario' });
    const sockets: SocketRecord[] = [];
    const unparsed: unknown[] = [];
    const stats = await parseSnapshotFile(live.file, { socket: (s) => sockets.push(s), unparsed: (u) => unparsed.push(u) }, { file: live.label });
    expect(unparsed).toEqual([]);
    expect(stats.meta).toMatchObject({ host: 'scenario', netns: sc.ns });
    const count = (pred: (s: SocketRecord) => boolean) => sockets.filter(pred).length;
    expect(count((s) => s.state === 'CLOSE-WAIT' && s.processes?.[0]?.name === 'leaky-app')).toBe(150);
    expect(count((s) => s.state === 'TIME-WAIT' && s.peer.port === 8081)).toBe(1100);
    expect(sockets.find((s) => s.state === 'LISTEN' && s.local.port === 6379)).toMatchObject({ local: { address: '127.0.0.1' }, processes: [{ name: 'redis-server' }] });
    expect(sockets.find((s) => s.state === 'ESTAB' && s.local.port === 9000)).toMatchObject({ recvQ: 4096 });
    expect(sockets.find((s) => s.state === 'LISTEN' && s.local.port === 9001)).toMatchObject({ recvQ: 3, sendQ: 2 });
    expect(sockets.find((s) => s.peer.port === 9003)?.timer).toMatchObject({ name: 'on', retrans: 0 });
    expect(sockets.find((s) => s.local.port === 161 && s.netid === 'udp')).toMatchObject({ state: 'UNCONN', processes: [{ name: 'snmpd' }] });
    expect(sockets.every((s) => s.location.file === saved)).toBe(true);
    expect(fs.readFileSync(saved, 'utf8').split('\n')[sockets[0].location.line - 1]).not.toMatch(/^#/);
  });

  it('the process column socklint fills in is the one ss -p prints, socket for socket', async () => {
    const ours = await captureSnapshot({ netns: sc.ns, processColumn: 'socklint' });
    expect(ours.meta.processes).toMatch(/^socklint, from \/proc\/PID\/fd \(ss ran as ss -tuaxnmioeO?\)$/);
    const theirs = await sc.ss([ours.meta.flags]);
    const owners = (text: string) => new Map(parseSsText(text, { file: 'x' }).sockets
      .filter((s) => !s.netid.startsWith('u_') || s.local.port)
      .map((s) => [`${s.netid} ${s.netid.startsWith('u_') ? s.local.port : s.inode}`, JSON.stringify(s.processes ?? [])]));
    const a = owners(ours.text!);
    const b = owners(theirs);
    const held = [...b].filter(([key, p]) => p !== '[]' && !key.endsWith(' 0'));
    expect(held.length).toBeGreaterThan(150); // leaky-app's CLOSE-WAIT sockets and every server's
    for (const [key, p] of held) expect([key, a.get(key)]).toEqual([key, p]);
    expect([...a].filter(([, p]) => p !== '[]').length).toBe([...b].filter(([, p]) => p !== '[]').length);
  });
});
