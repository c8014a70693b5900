/** SARIF on stdout cannot be split into files of 20 hosts as `sarif=PATH` is: past 20 hosts stderr says so. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';

const SNAPSHOT = path.join(ROOT, 'fixtures/real/small.tanp.ss');

function hosts(dir: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const file = path.join(dir, `host-${String(i).padStart(2, '0')}.ss`);
    if (!fs.existsSync(file)) fs.copyFileSync(SNAPSHOT, file);
    return file;
  });
}

test('21 hosts to stdout: one document, and a warning that names sarif=PATH', async () => {
  const dir = tmpDir();
  const r = await runCli(['scan', ...hosts(dir, 21), '--format', 'sarif', '--fail-on', 'none']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).runs).toHaveLength(21);
  expect(r.stderr).toContain("socklint: 21 hosts are more than GitHub's 20 runs per SARIF file: stdout got them all in one document, which GitHub code scanning rejects (--format sarif=PATH splits it: sarif=socklint.sarif writes socklint.sarif, socklint.2.sarif, … of 20 hosts each; see docs/reports.md)\n");
  const twenty = await runCli(['scan', ...hosts(dir, 20), '--format', 'sarif', '--fail-on', 'none']);
  expect(twenty.stderr).not.toContain('more than GitHub');
});
