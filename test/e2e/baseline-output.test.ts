/** `socklint baseline -o`: `-` is stdout, as for `capture -o -` and `--format KIND=-`; write errors name a baseline. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';

const SNAP = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');

describe('baseline -o', () => {
  test('- writes the baseline to stdout, and no file named -', async () => {
    const dir = tmpDir();
    const r = await runCli(['baseline', SNAP, '--host', 'h', '-o', '-'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
    const baseline = JSON.parse(r.stdout);
    expect(Array.isArray(baseline.findings)).toBe(true);
    expect(r.stderr).toContain(`socklint: recorded ${baseline.findings.length} finding(s) from 1 snapshot(s) on stdout\n`);
    // the same baseline as a file holds
    const file = path.join(dir, 'b.json');
    expect((await runCli(['baseline', SNAP, '--host', 'h', '-o', file])).code).toBe(0);
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect({ ...baseline, createdAt: undefined }).toEqual({ ...written, createdAt: undefined });
  });

  test('a symbolic link is refused as a baseline, not a report', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'real.json'), 'old');
    fs.symlinkSync('real.json', path.join(dir, 'link.json'));
    const r = await runCli(['baseline', SNAP, '-o', 'link.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write baseline: 'link.json' is a symbolic link, not replaced (write to the file it points to (real.json) instead) [baseline-target-is-symlink]");
    expect(r.stderr).not.toContain('report');
    expect(fs.readFileSync(path.join(dir, 'real.json'), 'utf8')).toBe('old');
  });
});
