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

it('a file in the path, a loop of symbolic links, a name too long: said in words, not by errno', () => {
  fs.writeFileSync(path.join(dir, 'a.json'), '{}');
  fs.symlinkSync(path.join(dir, 'l2.json'), path.join(dir, 'l1.json'));
  fs.symlinkSync(path.join(dir, 'l1.json'), path.join(dir, 'l2.json'));
  const notDir = path.join(dir, 'a.json', 'x.json');
  expect(refusal(notDir)).toEqual({ file: notDir, code: 'unreadable-baseline', message: 'cannot read the baseline file (a part of the path is a file, not a folder)' });
  const loop = path.join(dir, 'l1.json');
  expect(refusal(loop)).toEqual({ file: loop, code: 'unreadable-baseline', message: 'cannot read the baseline file (a loop of symbolic links)' });
  const long = path.join(dir, `${'n'.repeat(300)}.json`);
  expect(refusal(long)).toEqual({
    file: long, code: 'unreadable-baseline', message: 'cannot read the baseline file (the path, or a name in it, is too long)',
    hint: 'a file or folder name is at most 255 bytes on most file systems',
  });
});
