import fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../src/report';
import { UserError } from '../../src/diagnostics';
import { tempDir } from './helpers';

function error(fn: () => void): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('writeFileAtomic', () => {
  test('writes, replaces, and leaves no temporary files', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.sarif');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['out.sarif']);
  });

  test('an existing file keeps its mode', () => {
    const dir = tempDir();
    const file = path.join(dir, 'socklint.prom');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o640);
    writeFileAtomic(file, 'new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });

  test('missing folder: exit 2, names the folder, nothing left behind', () => {
    const dir = tempDir();
    const e = error(() => writeFileAtomic(path.join(dir, 'nope', 'out.xml'), 'x'));
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0].code).toBe('report-folder-missing');
    expect(e.message).toContain(`folder '${path.join(dir, 'nope')}' does not exist`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a path under a regular file (ENOTDIR; stands in for a folder we may not write, as root ignores modes)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plain'), 'I am a file');
    const e = error(() => writeFileAtomic(path.join(dir, 'plain', 'out.xml'), 'x'));
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0].code).toBe('report-folder-not-a-folder');
    expect(e.message).toContain(path.join(dir, 'plain'));
    expect(fs.readdirSync(dir)).toEqual(['plain']);
  });

  test('permission denied is reported as such (simulated: root ignores file modes)', () => {
    const dir = tempDir();
    const spy = jest.spyOn(fs, 'openSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    try {
      const e = error(() => writeFileAtomic(path.join(dir, 'out.xml'), 'x'));
      expect(e.diagnostics[0].code).toBe('report-permission-denied');
      expect(e.message).toContain(`no permission to write in folder '${dir}'`);
    } finally {
      spy.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a failure after the temporary file exists removes it and keeps the old file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(file, 'old');
    const spy = jest.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    try {
      const e = error(() => writeFileAtomic(file, 'new'));
      expect(e.diagnostics[0].code).toBe('report-disk-full');
    } finally {
      spy.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual(['out.json']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });

  test('refuses to replace a symbolic link, and leaves both link and target alone', () => {
    const dir = tempDir();
    const target = path.join(dir, 'real.sarif');
    const link = path.join(dir, 'link.sarif');
    fs.writeFileSync(target, 'real');
    fs.symlinkSync(target, link);
    const e = error(() => writeFileAtomic(link, 'x'));
    expect(e.diagnostics[0].code).toBe('report-target-is-symlink');
    expect(e.message).toContain('symbolic link');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('real');
    expect(fs.readdirSync(dir).sort()).toEqual(['link.sarif', 'real.sarif']);
  });

  test('a folder at the target path', () => {
    const dir = tempDir();
    const e = error(() => writeFileAtomic(dir, 'x'));
    expect(e.diagnostics[0].code).toBe('report-target-is-folder');
  });
});
