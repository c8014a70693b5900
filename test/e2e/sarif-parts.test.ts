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

// The parts after the first are checked before the scan, as the paths given are: once it is over, a part written
// over a snapshot (the evidence) or another format's report is lost without a word.
describe('the parts a scan of more than 20 snapshots may write are checked before it', () => {
  it('refuses a part that is a snapshot the scan reads, and leaves it as it was', async () => {
    const sub = path.join(dir, 'evidence');
    fs.mkdirSync(sub);
    const files = hosts(21).map((f, i) => {
      const to = path.join(sub, i === 0 ? 'rep.2.ss' : path.basename(f));
      fs.copyFileSync(f, to);
      return to;
    });
    const before = fs.readFileSync(files[0]);
    const r = await runCli(['scan', sub, '--format', `sarif=${path.join(sub, 'rep.ss')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`socklint: --format: ${files[0]} is a snapshot this run reads, where sarif's part 2 (hosts past 20) would be written; writing it would replace it (write to another path; past 20 hosts, sarif=F.sarif writes F.2.sarif, F.3.sarif, … too, as GitHub takes 20 runs per file) [output-is-input]\n`);
    expect(fs.readFileSync(files[0])).toEqual(before);
    expect(fs.existsSync(path.join(sub, 'rep.ss'))).toBe(false);
    // 20 snapshots make one file: nothing is written there, and nothing refused (the stale parts' check names it)
    const twenty = await runCli(['scan', ...files.slice(0, 20), '--format', `sarif=${path.join(sub, 'rep.ss')}`, '--fail-on', 'none']);
    expect({ code: twenty.code, stderr: twenty.stderr }).toEqual({ code: 0, stderr: `socklint: left ${files[0]} as it is (not SARIF written by socklint); uploading this folder's SARIF files would upload it too\n` });
    expect(fs.readFileSync(files[0])).toEqual(before);
  }, 60000);

  it("refuses another format's file where a part goes, and a part that is a folder, writing nothing", async () => {
    const out = fs.mkdtempSync(path.join(dir, 'parts-'));
    const r = await runCli(['scan', ...hosts(45), '--format', 'sarif=r.sarif', '--format', 'json=r.3.sarif'], { cwd: out });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("socklint: --format: json and sarif's part 3 (hosts past 40) would both be written to r.3.sarif (give each format a file of its own; past 20 hosts, sarif=F.sarif writes F.2.sarif, F.3.sarif, … too, as GitHub takes 20 runs per file) [same-path-twice]\n");
    fs.mkdirSync(path.join(out, 'r.2.sarif'));
    const folder = await runCli(['scan', ...hosts(45), '--format', 'sarif=r.sarif', '--format', 'json=r.json'], { cwd: out });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe("socklint: r.2.sarif: cannot write report: 'r.2.sarif' is a folder (name a file inside it) [report-target-is-folder]\n");
    expect(fs.readdirSync(out)).toEqual(['r.2.sarif']);
  }, 60000);
});
