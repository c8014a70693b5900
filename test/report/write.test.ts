import fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { execFileSync, spawn } from 'node:child_process';
import { writeFileAtomic } from '../../src/report';
import { checkWritable } from '../../src/report/write';
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

  test('a new file is 0644 less the umask (reports.md); one replaced keeps its mode whatever the umask', () => {
    const dir = tempDir();
    const old = process.umask(0o027);
    try {
      const fresh = path.join(dir, 'new.json');
      writeFileAtomic(fresh, '{}');
      expect(fs.statSync(fresh).mode & 0o777).toBe(0o640);
      const kept = path.join(dir, 'kept.json');
      fs.writeFileSync(kept, 'old');
      fs.chmodSync(kept, 0o664);
      writeFileAtomic(kept, '{}');
      expect(fs.statSync(kept).mode & 0o777).toBe(0o664);
    } finally {
      process.umask(old);
    }
  });

  test('checkWritable: says before the scan what the write would, leaving nothing behind; a pipe is not opened', () => {
    const dir = tempDir();
    checkWritable(path.join(dir, 'made', 'r.json'));
    expect(fs.readdirSync(path.join(dir, 'made'))).toEqual([]); // the folder made, the probe removed
    fs.writeFileSync(path.join(dir, 'plain'), 'x');
    expect(error(() => checkWritable(path.join(dir, 'plain', 'r.json'), 'baseline')).diagnostics[0].code).toBe('baseline-folder-not-a-folder');
    expect(error(() => checkWritable(dir)).diagnostics[0].code).toBe('report-target-is-folder');
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    checkWritable(fifo); // (opening it would wait for a reader)
    expect(fs.readdirSync(dir).sort()).toEqual(['made', 'pipe', 'plain']);
  });

  test('missing folders are made, as mkdir -p would (0755 less the umask), and the file written', () => {
    const dir = tempDir();
    const old = process.umask(0o027);
    try {
      const out = path.join(dir, 'reports', 'ci', 'out.xml');
      writeFileAtomic(out, 'x');
      expect(fs.readFileSync(out, 'utf8')).toBe('x');
      for (const d of [path.join(dir, 'reports'), path.join(dir, 'reports', 'ci')]) expect(fs.statSync(d).mode & 0o777).toBe(0o750);
      expect(fs.readdirSync(path.join(dir, 'reports', 'ci'))).toEqual(['out.xml']);
    } finally {
      process.umask(old);
    }
  });

  test('a folder that cannot be made (under /proc, under a file): exit 2 naming where, nothing made', () => {
    const nested = error(() => writeFileAtomic('/proc/socklint-no/such/out.json', 'x'));
    expect(nested.exitCode).toBe(2);
    expect(nested.message).toBe("/proc/socklint-no/such/out.json: cannot write report: folder '/proc' does not take new files (choose another path) [report-folder-takes-no-files]");
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plain'), 'I am a file');
    // (the file is found as the path is looked at: ENOTDIR names the folder the report was to go in)
    const under = error(() => writeFileAtomic(path.join(dir, 'plain', 'deeper', 'out.xml'), 'x'));
    expect(under.diagnostics[0].code).toBe('report-folder-not-a-folder');
    expect(fs.readdirSync(dir)).toEqual(['plain']);
  });

  test('a folder that takes no new files (/proc says ENOENT too): not called missing', () => {
    const e = error(() => writeFileAtomic('/proc/socklint-report.json', 'x'));
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0].code).toBe('report-folder-takes-no-files');
    expect(e.message).toBe("/proc/socklint-report.json: cannot write report: folder '/proc' does not take new files (choose another path) [report-folder-takes-no-files]");
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

  describe('a pipe or device at the target is written into, never replaced', () => {
    const catInto = (from: string, to: string) => {
      const cat = spawn('sh', ['-c', `cat '${from}' > '${to}'`], { stdio: 'ignore' });
      return new Promise((resolve) => cat.on('exit', resolve));
    };

    test('a FIFO: its reader gets the report, the FIFO stays', async () => {
      const dir = tempDir();
      const fifo = path.join(dir, 'report.fifo');
      execFileSync('mkfifo', [fifo]);
      const read = catInto(fifo, path.join(dir, 'got'));
      writeFileAtomic(fifo, ['{"a":', '1}\n']);
      await read;
      expect(fs.readFileSync(path.join(dir, 'got'), 'utf8')).toBe('{"a":1}\n');
      expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['got', 'report.fifo']);
    });

    test('a symbolic link to a FIFO (/dev/stdout, >(gzip)) is written through', async () => {
      const dir = tempDir();
      const fifo = path.join(dir, 'p');
      execFileSync('mkfifo', [fifo]);
      fs.symlinkSync(fifo, path.join(dir, 'link'));
      const read = catInto(fifo, path.join(dir, 'got'));
      writeFileAtomic(path.join(dir, 'link'), 'through');
      await read;
      expect(fs.readFileSync(path.join(dir, 'got'), 'utf8')).toBe('through');
      expect(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink()).toBe(true);
    });

    test('a character device (a node like /dev/null) stays one; /dev/full says the disk is full', () => {
      const dir = tempDir();
      const devNull = path.join(dir, 'null');
      execFileSync('mknod', ['-m', '666', devNull, 'c', '1', '3']);
      writeFileAtomic(devNull, 'gone');
      expect(fs.lstatSync(devNull).isCharacterDevice()).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(['null']);
      expect(error(() => writeFileAtomic('/dev/full', 'x')).diagnostics[0].code).toBe('report-disk-full');
      expect(fs.lstatSync('/dev/full').isCharacterDevice()).toBe(true);
    });

    test('a socket is refused', async () => {
      const dir = tempDir();
      const sock = path.join(dir, 's.sock');
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(sock, resolve));
      try {
        const e = error(() => writeFileAtomic(sock, 'x'));
        expect(e.diagnostics[0].code).toBe('report-target-not-a-file');
        expect(fs.lstatSync(sock).isSocket()).toBe(true);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  test('a folder at the target path', () => {
    const dir = tempDir();
    const e = error(() => writeFileAtomic(dir, 'x'));
    expect(e.diagnostics[0].code).toBe('report-target-is-folder');
  });

  describe('content in pieces', () => {
    const MB = 1 << 20;
    /** Pieces of text totalling a few megabytes (batches are about one), multi-byte characters included. */
    function* pieces(count: number, failAt = -1): Generator<string> {
      for (let i = 0; i < count; i++) {
        if (i === failAt) throw new Error('the report could not be produced');
        yield `${i} é ☃ 😀 ${'x'.repeat(1000)}\n`;
      }
    }
    const expected = [...pieces(4000)].join('');

    test('are written whole, in a few large writes', () => {
      const dir = tempDir();
      const file = path.join(dir, 'out.json');
      const spy = jest.spyOn(fs, 'writeSync');
      try {
        writeFileAtomic(file, pieces(4000));
        expect(spy.mock.calls.length).toBeLessThanOrEqual(Math.ceil(Buffer.byteLength(expected) / MB) + 1);
      } finally {
        spy.mockRestore();
      }
      expect(fs.readFileSync(file, 'utf8')).toBe(expected);
      expect(fs.readdirSync(dir)).toEqual(['out.json']);
    });

    test('the bytes are those of the joined text: surrogate pairs split between pieces, at a batch boundary or not', () => {
      const dir = tempDir();
      const file = path.join(dir, 'out.json');
      const cases = [
        [`${'x'.repeat(MB - 1)}\ud83d`, '\ude00 end'],
        ['a\ud83d', '\ude00b', '', '\ud83d', '', '\ude00'],
        ['lone at the end \ud83d'],
        ['lone \ude00', '\ud83d then text'],
        ['', 'x'.repeat(3 * MB), 'y'],
      ];
      for (const pieces of cases) {
        writeFileAtomic(file, pieces);
        expect(fs.readFileSync(file).equals(Buffer.from(pieces.join('')))).toBe(true);
      }
      writeFileAtomic(file, new TextEncoder().encode('bytes'));
      expect(fs.readFileSync(file, 'utf8')).toBe('bytes');
    });

    test('an error while producing them is passed on as it is; old file kept, no temporary file', () => {
      const dir = tempDir();
      const file = path.join(dir, 'out.json');
      fs.writeFileSync(file, 'old');
      // Fails after more than a batch is in the temporary file.
      let thrown: unknown;
      try {
        writeFileAtomic(file, pieces(4000, 3000));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).not.toBeInstanceOf(UserError);
      expect((thrown as Error).message).toBe('the report could not be produced');
      expect(fs.readdirSync(dir)).toEqual(['out.json']);
      expect(fs.readFileSync(file, 'utf8')).toBe('old');
    });

    test('a write failing midway is explained; old file kept, no temporary file', () => {
      const dir = tempDir();
      const file = path.join(dir, 'out.json');
      fs.writeFileSync(file, 'old');
      const write = fs.writeSync;
      let calls = 0;
      const spy = jest.spyOn(fs, 'writeSync').mockImplementation((...args: unknown[]) => {
        if (++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return (write as (...a: unknown[]) => number)(...args);
      });
      try {
        const e = error(() => writeFileAtomic(file, pieces(4000)));
        expect(e.diagnostics[0].code).toBe('report-disk-full');
      } finally {
        spy.mockRestore();
      }
      expect(calls).toBe(2);
      expect(fs.readdirSync(dir)).toEqual(['out.json']);
      expect(fs.readFileSync(file, 'utf8')).toBe('old');
    });
  });
});

