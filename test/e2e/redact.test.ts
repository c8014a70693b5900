/** --redact through the CLI: peer addresses gone from every output at once, fingerprints unchanged. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';

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
