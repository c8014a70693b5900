/** --redact through the CLI: peer addresses gone from every output at once, fingerprints unchanged. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';
import { reportValidator } from '../report/helpers';

const SNAP = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');

it('masks peer addresses in text, JSON, SARIF, JUnit and Prometheus, and keeps the fingerprints', async () => {
  const dir = tmpDir();
  // a customer's address as the peer of an established connection
  const text = fs.readFileSync(SNAP, 'utf8').replace(/127\.0\.0\.1:36690/g, '198.51.100.77:36690');
  const snap = path.join(dir, 'web.ss');
  fs.writeFileSync(snap, text);
  const outs = ['json', 'sarif', 'junit', 'prometheus'].map((k) => `${k}=${path.join(dir, `out.${k}`)}`);
  const plain = await runCli(['scan', snap, ...outs.map((o) => ['--format', o]).flat(), '--format', 'text']);
  expect(plain.stdout + fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).toContain('198.51.100.77');
  const before = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));

  const red = await runCli(['scan', snap, '--redact', ...outs.map((o) => ['--format', o]).flat(), '--format', 'text']);
  expect(red.code).toBe(plain.code);
  expect(red.stdout).not.toContain('198.51.100.77');
  for (const k of ['json', 'sarif', 'junit', 'prometheus']) {
    expect(fs.readFileSync(path.join(dir, `out.${k}`), 'utf8')).not.toContain('198.51.100.77');
  }
  const after = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
  expect(after.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(before.findings.map((f: { fingerprint: string }) => f.fingerprint));
  const backend = after.findings.find((f: { socket?: { local: { port: number } } }) => f.socket?.local.port === 9000);
  expect(backend.socket.peer.address).toMatch(/^redacted-[0-9a-f]{8}$/);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('rejects a field it cannot redact, naming it', async () => {
  const r = await runCli(['scan', SNAP, '--redact', 'peer.adress']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/peer\.adress/);
  expect(r.stderr).toMatch(/peer\.address/);
});

describe('nothing redacted leaks into messages, unparsed lines or the other copy of a datum', () => {
  // A port in messages, a process name with control characters (messages escape it), a unix socket (its path is
  // both address and path), and an unparsed line with an `ss -r` host name and a process name.
  const SS = [
    'Netid State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
    'tcp   LISTEN     0      128    0.0.0.0:3306        0.0.0.0:*         users:(("mysqld",pid=100,fd=3))',
    'tcp   LISTEN     0      128    0.0.0.0:5432        0.0.0.0:*         users:(("bell\u0007\bpg",pid=103,fd=3))',
    'u_str LISTEN     0      16     /tmp/e2e-redact/app.sock 224173      * 0   users:(("unix-app",pid=104,fd=3))',
    'tcp   ESTAB      0      0      ZZZ garbage 10.0.0.1:3306 secret-db.corp.example:55556 users:(("secretproc",pid=101,fd=5))',
    '',
  ].join('\n');
  const FORMATS = ['json', 'sarif', 'junit', 'prometheus', 'text'];

  async function outputs(fields: string[]): Promise<string> {
    const dir = tmpDir();
    const snap = path.join(dir, 'host.ss');
    fs.writeFileSync(snap, SS);
    const formats = FORMATS.flatMap((k) => ['--format', `${k}=${path.join(dir, `out.${k}`)}`]);
    const redact = fields.length === 0 ? ['--redact'] : fields.flatMap((f) => ['--redact', f]);
    const r = await runCli(['scan', snap, ...formats, ...redact]);
    expect(r.code).toBe(1);
    const all = FORMATS.map((k) => fs.readFileSync(path.join(dir, `out.${k}`), 'utf8')).join('\n') + r.stderr;
    fs.rmSync(dir, { recursive: true, force: true });
    return all;
  }

  it.each([
    [['local.port'], /\b3306\b|\b5432\b|\b55556\b/],
    [['local'], /\b3306\b|\b5432\b|e2e-redact|10\.0\.0\.1/],
    [['processes.name'], /mysqld|bell|secretproc|unix-app/],
    [[], /secret-db|corp\.example/],
    [['local.path'], /e2e-redact|app\.sock/],
    [['local.address'], /e2e-redact|app\.sock|10\.0\.0\.1/],
  ])('--redact %j', async (fields, originals) => {
    const all = await outputs(fields);
    expect(all.match(originals)).toBeNull();
  });
});

describe('a redacted report is still a valid report', () => {
  // pids, fds, uids and inodes of -e -p rows, a unix socket, and extra items
  const SS = [
    'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
    'tcp   LISTEN 0      128    0.0.0.0:3306       0.0.0.0:*         users:(("mysqld",pid=100,fd=3)) uid:27 ino:4411 sk:1 cgroup:/system.slice/mysql.service <->',
    'tcp   ESTAB  0      0      10.0.0.1:3306      10.0.0.9:55556    timer:(keepalive,119min,0) users:(("mysqld",pid=100,fd=9)) uid:27 ino:4412 sk:2 fwmark:0x2a <->',
    'u_str LISTEN 0      16     /run/app.sock 224173 * 0             users:(("unix-app",pid=104,fd=3)) ino:31 dev:0xfd01 <->',
    '',
  ].join('\n');

  it.each([['processes'], ['processes.pid'], ['processes.fd'], ['uid'], ['inode'], ['sk'], ['cgroup'], ['fwmark'], ['extra'], ['local'], ['peer']])(
    '--redact %s: masked, not left out (a missing pid broke the schema, a missing uid read as root)', async (field) => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'h.ss'), SS);
      const out = path.join(dir, 'r.json');
      const r = await runCli(['scan', path.join(dir, 'h.ss'), '--fail-on', 'none', '--redact', field, '--format', `json=${out}`, '--format', 'text']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const report = JSON.parse(fs.readFileSync(out, 'utf8'));
      const validate = reportValidator();
      expect([validate(report), validate.errors ?? null]).toEqual([true, null]);
      const sockets = report.findings.map((f: { socket?: Record<string, unknown> }) => f.socket).filter(Boolean);
      expect(sockets.length).toBeGreaterThan(0);
      if (field === 'uid' || field === 'inode') {
        const masked = sockets.filter((s: Record<string, unknown>) => field in s);
        expect([masked.length > 0, masked.every((s: Record<string, unknown>) => s[field] === null)]).toEqual([true, true]);
      }
      if (field.startsWith('processes')) {
        const procs = sockets.flatMap((s: { processes?: Record<string, unknown>[] }) => s.processes ?? []);
        expect(procs.length).toBeGreaterThan(0);
        for (const p of procs) expect(p.pid).toBe(field === 'processes.fd' ? 100 : null);
        expect(r.stdout).not.toMatch(/\[null\]|\[undefined\]/); // the text's `mysqld[100]` without its pid
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });

  it.each([['timer'], ['timer.expiresMs'], ['state'], ['recvQ'], ['tcp.rtt'], ['skmem']])('--redact %s is refused: it identifies no one', async (field) => {
    const r = await runCli(['scan', SNAP, '--redact', field]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`socklint: --redact: '${field}' identifies no host, user or peer: it says what the socket is doing (leave it out; --redact masks local, peer, processes, uid, inode, sk, cgroup, fwmark, extra) [not-redactable]\n`);
  });
});
