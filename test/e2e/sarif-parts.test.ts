/**
 * More than 20 hosts make several SARIF files (out.sarif, out.2.sarif, …). A nightly scan that writes to the
 * same place and sees fewer hosts than the night before must not leave the earlier parts behind: the folder is
 * what upload-sarif is given, and GitHub would keep the alerts of hosts no longer scanned.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';

let dir: string;
const SNAPSHOT = path.join(ROOT, 'fixtures/real/small.tanp.ss');

function hosts(n: number): string[] {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, 'snapshots', `host-${String(i).padStart(2, '0')}.ss`);
    if (!fs.existsSync(file)) fs.copyFileSync(SNAPSHOT, file);
    files.push(file);
  }
  return files;
}

beforeAll(() => {
  dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'snapshots'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("removes the parts an earlier scan of more hosts wrote, and nothing that is not socklint's", async () => {
  const out = path.join(dir, 'out.sarif');
  const part = (n: number): string => path.join(dir, `out.${n}.sarif`);
  let r = await runCli(['scan', ...hosts(45), '--format', `sarif=${out}`, '--fail-on', 'none']);
  expect(r.code).toBe(0);
  expect(fs.existsSync(part(3))).toBe(true);
  expect(fs.existsSync(part(4))).toBe(false);
  // part 3 as an earlier build wrote it (indented); part 4 someone else's; part 5 past the gap it leaves
  fs.writeFileSync(part(3), JSON.stringify(JSON.parse(fs.readFileSync(part(3), 'utf8')), null, 2));
  fs.writeFileSync(part(4), '{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"other"}}}]}\n');
  fs.copyFileSync(part(2), part(5));

  r = await runCli(['scan', ...hosts(5), '--format', `sarif=${out}`, '--fail-on', 'none']);
  expect(r.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(out, 'utf8')).runs).toHaveLength(5);
  expect(fs.existsSync(part(2))).toBe(false);
  expect(fs.existsSync(part(3))).toBe(false);
  expect(fs.readFileSync(part(4), 'utf8')).toContain('"other"');
  expect(fs.existsSync(part(5))).toBe(true);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toEqual([
    `socklint: removed ${part(2)}, ${part(3)}: SARIF an earlier scan of more hosts wrote beyond this one's files`,
    `socklint: left ${part(4)} as it is (not SARIF written by socklint); uploading this folder's SARIF files would upload it too`,
  ]);

  // nothing stale: nothing said
  fs.rmSync(part(4));
  fs.rmSync(part(5));
  r = await runCli(['scan', ...hosts(5), '--format', `sarif=${out}`, '--fail-on', 'none']);
  expect(r.stderr).toBe('');
}, 60000);
