/**
 * A folder of more snapshot files than a call takes arguments (~120,000: a fleet's cron folder) is expanded:
 * its files were spread as arguments, which overflowed the stack (an internal error, exit 4).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandSnapshotArgs } from '../../src/engine/inputs';

it('expands a folder of 150,000 snapshot files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-many-'));
  try {
    for (let i = 0; i < 150_000; i++) fs.writeFileSync(path.join(dir, `host-${i}.ss`), '');
    const files = expandSnapshotArgs([dir]);
    expect(files).toHaveLength(150_000);
    expect(new Set(files).size).toBe(150_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
