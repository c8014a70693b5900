/** A snapshot report's metadata says what the scan made of the capture's header lines. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfiguredRules, loadConfig } from '../../src/engine/config';
import { scanSnapshot, type SnapshotResult } from '../../src/engine/scan';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-meta-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const TABLE = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n';

async function scan(text: string): Promise<SnapshotResult> {
  const file = path.join(dir, 'x.ss');
  fs.writeFileSync(file, text);
  const r = await scanSnapshot({ path: file, label: file }, { rules: ConfiguredRules.load(loadConfig(undefined), [], true) });
  if (!('snapshot' in r)) throw new Error(r.message);
  return r;
}

it('names the host a repeated `# host:` line gives last, in its metadata too', async () => {
  const r = await scan(`# host: one\n# Host: two\n${TABLE}`);
  expect(r.snapshot.host).toBe('two');
  expect(r.snapshot.meta).toEqual({ host: 'two' });
});

it('takes metadata from the lines before the table only', async () => {
  const r = await scan(`# host: web-01\n# Source: ss\n${TABLE}# Note: after\n# host: other\n`);
  expect(r.snapshot.host).toBe('web-01');
  expect(r.snapshot.meta).toEqual({ host: 'web-01', source: 'ss' });
});
