/** `--baseline FILE` that cannot be read is said in words, as a snapshot's missing file is, not by its errno. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { refusal } from './baseline-refusal';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-baseline-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true }));

it('a missing file is "not found", with how to write one', () => {
  const missing = path.join(dir, 'nosuch.json');
  expect(refusal(missing)).toEqual({ file: missing, code: 'unreadable-baseline', message: 'baseline file not found', hint: 'write it with `socklint baseline SNAPSHOT... -o FILE`' });
});

it('a folder is a folder', () => {
  expect(refusal(dir)).toMatchObject({ file: dir, code: 'unreadable-baseline', message: 'is a folder, not a baseline file' });
});
