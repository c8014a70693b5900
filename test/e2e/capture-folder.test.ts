/**
 * `socklint capture -o DIR`: each capture a new file in the folder, named after the host and the capture's time
 * (what a cron job appending to one file, `capture >> host.ss`, should do instead), its path printed for scripts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tmpDir } from './cli';
import { keepAsNew, snapshotPath } from '../../src/snapshot/capture';

let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it('names the file HOST-YYYYMMDDTHHMMSSZ.ss after the recorded host and time, prints its path, and never writes over one', async () => {
  const out = path.join(dir, 'snapshots');
  fs.mkdirSync(out);
  const first = await runCli(['capture', '-o', out, '--host', 'web/01 x']);
  const second = await runCli(['capture', '-o', `${out}/`, '--host', 'web/01 x']);
  for (const r of [first, second]) expect(r.code).toBe(0);
  const paths = [first.stdout.trim(), second.stdout.trim()];
  expect(paths[0]).not.toBe(paths[1]);
  for (const p of paths) {
    expect(path.dirname(p)).toBe(out);
    const m = /^web_01_x-(\d{8}T\d{6}Z)(?:-\d+)?\.ss$/.exec(path.basename(p));
    expect(m).not.toBeNull();
    const text = fs.readFileSync(p, 'utf8');
    expect(text).toContain('# host: web/01 x\n');
    // the name's time is the capture's `# time:`, to the second
    const time = /^# time: (\S+)$/m.exec(text)![1];
    expect(new Date(time).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')).toBe(m![1]);
  }
  expect(fs.readdirSync(out).sort()).toEqual(paths.map((p) => path.basename(p)).sort());
  // the folder scans as two snapshots of the host
  const scan = await runCli(['scan', out, '--format', 'json', '--fail-on', 'none']);
  expect(scan.code).toBe(0);
  expect(JSON.parse(scan.stdout).snapshots.map((s: { host: string }) => s.host)).toEqual(['web/01 x', 'web/01 x']);
});

it('a folder that is not there yet is made: -o DIR/ (a path ending in /), or the folder of -o FILE', async () => {
  const fresh = path.join(dir, 'new', 'captures');
  const r = await runCli(['capture', '-o', `${fresh}/`, '--host', 'db-2']);
  expect(r.code).toBe(0);
  expect(path.dirname(r.stdout.trim())).toBe(fresh);
  expect(fs.readdirSync(fresh)).toEqual([path.basename(r.stdout.trim())]);
  const file = path.join(dir, 'other', 'deeper', 'db-2.ss');
  const f = await runCli(['capture', '-o', file, '--host', 'db-2']);
  expect({ code: f.code, stdout: f.stdout }).toEqual({ code: 0, stdout: '' });
  expect(fs.readFileSync(file, 'utf8')).toMatch(/^# socklint-snapshot: 1\n# host: db-2\n/);
  // under a file: no folder can be made there
  const under = await runCli(['capture', '-o', `${file}/`, '--host', 'db-2']);
  expect(under.code).toBe(2);
  expect(under.stderr).toMatch(/^socklint: .*db-2\.ss\/db-2-\d{8}T\d{6}Z\.ss: cannot write the snapshot: a part of '.*db-2\.ss' is a file, not a folder \[snapshot-folder-not-a-folder\]\n$/);
});

it('scan --save-snapshot DIR keeps the live capture there under the same name, and the report cites it', async () => {
  const out = path.join(dir, 'evidence');
  fs.mkdirSync(out);
  const r = await runCli(['scan', '--save-snapshot', out, '--host', 'edge-1', '--format', 'json', '--fail-on', 'none']);
  expect(r.code).toBe(0);
  const files = fs.readdirSync(out);
  expect(files).toEqual([expect.stringMatching(/^edge-1-\d{8}T\d{6}Z\.ss$/)]);
  expect(JSON.parse(r.stdout).snapshots[0].file).toBe(path.join(out, files[0]));
  expect(fs.readFileSync(path.join(out, files[0]), 'utf8')).toMatch(/^# socklint-snapshot: 1\n# host: edge-1\n/);
});

it('a capture of the same second gets -2, -3 …; a host name is reduced to characters every file system keeps', () => {
  const d = tmpDir();
  try {
    const when = new Date('2026-12-02T12:10:40.634Z');
    const a = snapshotPath(d, 'db-1.example.com', when);
    expect(path.basename(a)).toBe('db-1.example.com-20261202T121040Z.ss');
    fs.writeFileSync(a, '');
    expect(path.basename(snapshotPath(d, 'db-1.example.com', when))).toBe('db-1.example.com-20261202T121040Z-2.ss');
    expect(path.basename(snapshotPath(d, '../../etc', when))).toBe('__.._etc-20261202T121040Z.ss'); // no / and no leading dot
    expect(path.basename(snapshotPath(d, '', when))).toBe('host-20261202T121040Z.ss');
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

it('a name another process took while the capture ran is not written over: the next one is taken, or a live scan refused', () => {
  const d = tmpDir();
  try {
    const when = new Date('2026-12-02T12:10:40.634Z');
    const wanted = snapshotPath(d, 'db-1', when); // free when the capture started …
    fs.writeFileSync(wanted, 'the other capture\n'); // … taken before it ended
    const tmp = path.join(d, '.capture.tmp');
    fs.writeFileSync(tmp, 'this capture\n');
    const kept = keepAsNew(tmp, wanted, 'next', 'db-1', when);
    expect(path.basename(kept)).toBe('db-1-20261202T121040Z-2.ss');
    expect([fs.readFileSync(wanted, 'utf8'), fs.readFileSync(kept, 'utf8')]).toEqual(['the other capture\n', 'this capture\n']);
    expect(fs.existsSync(tmp)).toBe(false);
    // a free name: kept as it is
    fs.writeFileSync(tmp, 'third\n');
    const free = path.join(d, 'free.ss');
    expect(keepAsNew(tmp, free, 'refuse', 'db-1', when)).toBe(free);
    // a live scan's reports cite the name: refused (the caller removes its temporary file)
    fs.writeFileSync(tmp, 'fourth\n');
    expect(() => keepAsNew(tmp, wanted, 'refuse', 'db-1', when)).toThrow(expect.objectContaining({
      exitCode: 2, message: `${wanted}: cannot keep the capture: another capture of this host took its name meanwhile (run it again: each capture gets a name of its own) [snapshot-write]`,
    }));
    expect(fs.readFileSync(wanted, 'utf8')).toBe('the other capture\n');
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
