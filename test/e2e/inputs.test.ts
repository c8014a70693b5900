/** Several snapshots in one run: folders, globs, gzip, stdin, worker threads; findings kept per snapshot/host. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI, ROOT, jsonReport, runCli, tmpDir } from './cli';
import type { ScanReport } from '../../src/engine/types';

const SNAP = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');
let dir: string;
beforeAll(() => {
  dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'fleet'));
  for (const h of ['web-01', 'web-02', 'db-01', 'db-02']) fs.copyFileSync(SNAP, path.join(dir, 'fleet', `${h}.ss`));
  fs.writeFileSync(path.join(dir, 'fleet', 'lb-01.ss.gz'), zlib.gzipSync(fs.readFileSync(SNAP)));
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const stable = (r: ScanReport) => ({
  snapshots: r.snapshots.map((s) => ({ ...s })),
  findings: r.findings.map((f) => ({ ...f })),
  notEvaluated: r.notEvaluated,
  summary: r.summary,
});

it('scans a folder (with a .gz file) per host, the same on worker threads as in one thread', async () => {
  const one = await runCli(['scan', path.join(dir, 'fleet'), '--format', 'json', '-j', '1']);
  // small inputs stay in one thread by default: force the worker threads
  const two = await runCli(['scan', path.join(dir, 'fleet'), '--format', 'json', '-j', '2'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' } });
  expect(one.code).toBe(1);
  expect(two.code).toBe(1);
  const a = jsonReport(one);
  const b = jsonReport(two);
  expect(a.snapshots.map((s) => s.host)).toEqual(['db-01', 'db-02', 'lb-01', 'web-01', 'web-02']);
  expect(stable(b)).toEqual(stable(a));
  // this thread and two workers take files as they finish: the same report
  const three = await runCli(['scan', path.join(dir, 'fleet'), '--format', 'json', '-j', '3'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' } });
  expect(stable(jsonReport(three))).toEqual(stable(a));
  const perHost = (h: string) => a.findings.filter((f) => f.host === h).length;
  expect(perHost('lb-01')).toBe(perHost('web-01'));
  expect(perHost('lb-01')).toBeGreaterThan(0);
  // the same exposure on two hosts is two findings with two fingerprints
  const fp = a.findings.filter((f) => f.ruleId === 'dangerous-port-exposed').map((f) => f.fingerprint);
  expect(new Set(fp).size).toBe(5);
});

it('skips the reports, configs and notes a folder holds besides its snapshots, and says so; a named one is read', async () => {
  const folder = path.join(dir, 'with-reports');
  fs.mkdirSync(folder);
  fs.copyFileSync(SNAP, path.join(folder, 'web-01.ss'));
  // a first scan writes its reports (and a README) into the folder it scanned
  const first = await runCli(['scan', folder, '--format', `json=${path.join(folder, 'report.json')}`, '--format', `sarif=${path.join(folder, 'report.SARIF')}`]);
  expect(first.code).toBe(1);
  fs.writeFileSync(path.join(folder, 'README.md'), 'snapshots of the web tier\n');
  const again = await runCli(['scan', folder, '--format', 'json']);
  expect(again.code).toBe(1);
  expect(jsonReport(again).snapshots.map((s) => s.host)).toEqual(['web-01']);
  expect(again.stderr).toBe(`socklint: not read as snapshots (reports, configs or notes, by their extension): ${['README.md', 'report.SARIF', 'report.json'].map((f) => path.join(folder, f)).join(', ')}\n`);
  const named = await runCli(['scan', path.join(folder, 'report.json'), '--format', 'json']);
  expect(named.code).toBe(3);
  expect(named.stderr).toMatch(/report\.json: holds no parsable socket/);
  fs.rmSync(path.join(folder, 'web-01.ss'));
  const none = await runCli(['scan', folder]);
  expect(none.code).toBe(3);
  expect(none.stderr).toMatch(/folder holds no snapshot files, only \.json, \.sarif, \.md files \(name a file to read it whatever its name\)/);
});

it('does not search a folder\'s subfolders (dated ones a cron job keeps), and says so: named on stderr, or, with no snapshot beside them, in the error with a glob that reaches them', async () => {
  const folder = path.join(dir, 'dated');
  fs.mkdirSync(path.join(folder, '2026-12-01'), { recursive: true });
  fs.mkdirSync(path.join(folder, '.cache'));
  fs.copyFileSync(SNAP, path.join(folder, '2026-12-01', 'web-01.ss'));
  const none = await runCli(['scan', folder, '--format', 'json']);
  expect(none.code).toBe(3);
  expect(jsonReport(none).snapshotErrors).toEqual([expect.objectContaining({ file: folder, code: 'empty-folder' })]);
  const glob = `${folder}/**/*.ss`;
  expect(none.stderr).toBe(`socklint: ${folder}: folder holds no snapshot files, only subfolders (2026-12-01/) (subfolders are not searched: name one, or use a glob that reaches them, '${glob}') [empty-folder]\n`);
  // the glob it suggests reaches them (socklint expands it: quoted, or where the shell has no **)
  const deep = await runCli(['scan', glob, '--format', 'json']);
  expect(jsonReport(deep).snapshots.map((s) => s.file)).toEqual([path.join(folder, '2026-12-01', 'web-01.ss')]);
  // beside a snapshot, the subfolder is named as the reports a folder holds are
  fs.copyFileSync(SNAP, path.join(folder, 'web-02.ss'));
  const today = await runCli(['scan', `${folder}/`, '--format', 'json']);
  expect(jsonReport(today).snapshots.map((s) => s.host)).toEqual(['web-02']);
  expect(today.stderr).toBe(`socklint: subfolders not searched (name them, or use a glob such as '${glob}'): ${path.join(folder, '2026-12-01')}/\n`);
});

it('reads a symbolic link in a folder as what it points to: a linked snapshot once (latest.ss beside its target), a dangling link reported missing, a linked folder named as a subfolder and never walked', async () => {
  const folder = path.join(dir, 'links');
  fs.mkdirSync(path.join(folder, 'archive'), { recursive: true });
  fs.copyFileSync(SNAP, path.join(folder, 'archive', 'web-01.ss'));
  fs.copyFileSync(SNAP, path.join(folder, 'web-02.ss'));
  fs.symlinkSync(path.join('archive', 'web-01.ss'), path.join(folder, 'web-01.ss'));
  fs.symlinkSync('web-02.ss', path.join(folder, 'web-02-latest.ss'));
  fs.symlinkSync('archive', path.join(folder, 'old'));
  fs.symlinkSync('.', path.join(folder, 'loop'));
  const r = await runCli(['scan', folder, '--format', 'json']);
  expect(jsonReport(r).snapshots.map((s) => path.basename(s.file))).toEqual(['web-01.ss', 'web-02.ss']);
  expect(r.stderr).toContain(`${path.join(folder, 'archive')}/, ${path.join(folder, 'loop')}/, ${path.join(folder, 'old')}/\n`);
  const deep = await runCli(['scan', `${folder}/**/*.ss`, '--format', 'json']);
  expect(jsonReport(deep).snapshots.map((s) => path.relative(folder, s.file))).toEqual(['archive/web-01.ss', 'web-02.ss']);
  fs.symlinkSync('gone.ss', path.join(folder, 'zz.ss'));
  const dangling = await runCli(['scan', folder, '--format', 'json']);
  expect(dangling.code).toBe(3);
  expect(jsonReport(dangling).snapshotErrors).toEqual([expect.objectContaining({ file: path.join(folder, 'zz.ss'), code: 'snapshot-missing' })]);
});

it('an argument that names no file (an empty folder, a glob matching nothing) is named in every report: exit 3, the others scanned', async () => {
  const empty = path.join(dir, 'empty-folder');
  fs.mkdirSync(empty);
  const junit = path.join(dir, 'not-found.xml');
  const r = await runCli(['scan', empty, SNAP, path.join(dir, 'nothing-*.ss'), '--format', 'json', '--format', `junit=${junit}`]);
  expect(r.code).toBe(3);
  const report = jsonReport(r);
  expect(report.snapshots).toHaveLength(1);
  expect(report.snapshotErrors.map((e) => [e.file, e.code])).toEqual([[empty, 'empty-folder'], [path.join(dir, 'nothing-*.ss'), 'no-match']]);
  expect(report.summary.snapshotErrors).toBe(2);
  expect(fs.readFileSync(junit, 'utf8')).toMatch(/type="no-match"/);
  expect(r.stderr).toMatch(/empty-folder: folder holds no snapshot files \[empty-folder\]/);
  // parse and baseline (no report to name it in) stop at it as before
  expect((await runCli(['parse', empty])).code).toBe(3);
});

it('expands globs itself and reads stdin as `-`', async () => {
  const glob = await runCli(['scan', path.join(dir, 'fleet', 'web-*.ss'), '--format', 'json']);
  expect(jsonReport(glob).snapshots.map((s) => s.host)).toEqual(['web-01', 'web-02']);
  const stdin = await runCli(['scan', '-', '--format', 'json'], { input: fs.readFileSync(SNAP, 'utf8') });
  const r = jsonReport(stdin);
  expect(r.snapshots).toEqual([expect.objectContaining({ file: '-', host: 'stdin', sockets: 45 })]);
  expect(r.findings.every((f) => f.location.file === '-')).toBe(true);
});

describe('--host with several snapshots names them all: captures of that one host', () => {
  const CAPTURE = path.join(ROOT, 'fixtures/real/socklint-capture.ss.ss'); // # host: fixture-host
  const captureOf = (host: string, name: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, fs.readFileSync(CAPTURE, 'utf8').replace(/^# host: fixture-host$/m, `# host: ${host}`));
    return p;
  };

  it('refuses captures whose # host: lines name different hosts (exit 2, no report), in scan and baseline', async () => {
    const web = captureOf('web-01', 'web-01-capture.ss');
    const db = captureOf('db-01', 'db-01-capture.ss');
    const out = path.join(dir, 'mixed.json');
    const line = `socklint: --host: "prod" would report captures of 2 hosts as one: web-01 (${web}), db-01 (${db}) (drop --host: each is named by its # host: line; or give --host the snapshots of one host only) [mixed-hosts]\n`;
    const scan = await runCli(['scan', web, db, '--host', 'prod', '--format', `json=${out}`]);
    expect([scan.code, scan.stderr, fs.existsSync(out)]).toEqual([2, line, false]);
    // stdin is <stdin> there too
    const piped = await runCli(['scan', web, '-', '--host', 'prod', '--format', 'json'], { input: fs.readFileSync(db, 'utf8') });
    expect([piped.code, piped.stderr]).toEqual([2, line.replace(db, '<stdin>')]);
    const base = await runCli(['baseline', web, db, '--host', 'prod', '-o', out]);
    expect([base.code, base.stderr, fs.existsSync(out)]).toEqual([2, line, false]);
    // without --host each is its own host
    expect(jsonReport(await runCli(['scan', web, db, '--format', 'json', '--fail-on', 'none'])).snapshots.map((s) => s.host)).toEqual(['web-01', 'db-01']);
  });

  it('scans captures named by their files as one host, and says so; captures of one recorded host silently', async () => {
    const two = path.join(dir, 'fleet', 'web-02.ss');
    const r = await runCli(['scan', SNAP, two, '--host', 'web-01', '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(jsonReport(r).snapshots.map((s) => s.host)).toEqual(['web-01', 'web-01']);
    expect(r.stderr).toBe('socklint: --host web-01 names all 2 snapshots: they are reported as one host (their own names: small.tanpmioe, web-02)\n');
    const monday = captureOf('web-01', 'monday.ss');
    const tuesday = captureOf('web-01', 'tuesday.ss');
    const same = await runCli(['scan', monday, tuesday, '--host', 'web', '--format', 'json', '--fail-on', 'none']);
    expect([same.code, same.stderr, jsonReport(same).snapshots.map((s) => s.host)]).toEqual([0, '', ['web', 'web']]);
    const one = await runCli(['scan', SNAP, '--host', 'web-01', '--format', 'json', '--fail-on', 'none']);
    expect([one.code, one.stderr]).toEqual([0, '']);
  });
});

it('names stdin `<stdin>` wherever a person reads it: stderr, the text report and JUnit (SARIF cites the file stdin.ss)', async () => {
  const junk = 'not ss output\n';
  const scan = await runCli(['scan', '-', '--format', 'text', '--format', `junit=${path.join(dir, 'stdin.xml')}`, '--format', `sarif=${path.join(dir, 'stdin.sarif')}`], { input: junk });
  expect(scan.code).toBe(3);
  expect(scan.stderr).toMatch(/^socklint: <stdin>: holds no parsable socket .*\[no-sockets\]\n$/);
  expect(scan.stdout).toMatch(/\n {2}<stdin> {2}holds no parsable socket/);
  expect(fs.readFileSync(path.join(dir, 'stdin.xml'), 'utf8')).toContain('<testsuite name="socklint (&lt;stdin>)"');
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'stdin.sarif'), 'utf8'));
  expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe('stdin.ss');
  const parse = await runCli(['parse', '-', '--format', 'ndjson'], { input: `${fs.readFileSync(SNAP, 'utf8')}${junk}` });
  expect(parse.code).toBe(0);
  expect(parse.stderr).toMatch(/^socklint: <stdin>:\d+: unparsed line: not an ss socket row\n$/);
  const base = await runCli(['baseline', '-', '-o', path.join(dir, 'stdin-baseline.json')], { input: junk });
  expect(base.code).toBe(3);
  expect(base.stderr).toMatch(/^socklint: <stdin>: holds no parsable socket/);
});

it('reads a file redirected to stdin (`scan - < file`) from its offset, as a pipe gives it; gzip too', async () => {
  const text = fs.readFileSync(SNAP);
  const skipped = Buffer.from('a line the shell script read before socklint ran\n');
  const file = path.join(dir, 'redirected.ss');
  fs.writeFileSync(file, Buffer.concat([skipped, text]));
  const piped = await runCli(['scan', '-', '--format', 'json'], { input: text.toString('utf8') });
  const run = (f: string, skip: number) => {
    const fd = fs.openSync(f, 'r');
    try {
      if (skip > 0) fs.readSync(fd, Buffer.alloc(skip), 0, skip, null); // moves the offset the child inherits
      return spawnSync(process.execPath, [CLI, 'scan', '-', '--format', 'json'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    } finally {
      fs.closeSync(fd);
    }
  };
  const redirected = run(file, skipped.length);
  expect(redirected.stderr).toBe('');
  expect(stable(JSON.parse(redirected.stdout))).toEqual(stable(jsonReport(piped)));
  expect(JSON.parse(redirected.stdout).summary.sockets).toBe(45);
  const gz = path.join(dir, 'redirected.ss.gz');
  fs.writeFileSync(gz, zlib.gzipSync(text));
  expect(stable(JSON.parse(run(gz, 0).stdout))).toEqual(stable(jsonReport(piped)));
});

it('exits 3 naming the file when one input is missing, and still reports the others', async () => {
  const r = await runCli(['scan', SNAP, path.join(dir, 'nope.ss'), '--format', 'json']);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain('nope.ss');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(jsonReport(r).snapshots).toHaveLength(1);
});

it('caps listed findings per rule and says how many were left out', async () => {
  const r = jsonReport(await runCli(['scan', SNAP, '--format', 'json', '--max-findings', '1']));
  const listed = r.findings.filter((f) => f.ruleId === 'unexpected-listener');
  expect(listed).toHaveLength(1);
  const omitted = r.omitted.find((o) => o.ruleId === 'unexpected-listener');
  expect(omitted?.count).toBeGreaterThan(0);
  expect(r.summary.omitted).toBe(r.omitted.reduce((n, o) => n + o.count, 0));
});

describe('the queue of a scan on several threads (scanInWorkers)', () => {
  // the built modules: a worker runs dist/engine/worker.js
  /* eslint-disable @typescript-eslint/no-require-imports */
  const threads = require(path.join(ROOT, 'dist/engine/threads')) as typeof import('../../src/engine/threads');
  const scan = require(path.join(ROOT, 'dist/engine/scan')) as typeof import('../../src/engine/scan');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const setup = { rules: [], defaultRules: true, config: undefined, maxFindingsPerRule: undefined };

  type Message = { index?: number; result?: { snapshot?: { file: string; sockets: number }; code?: string }; error?: string; done?: true };
  /** What a worker sends for the queue `inputs` when this thread has already taken the first `taken` files. */
  function workerMessages(inputs: { path: string; label: string }[], taken: number): Promise<Message[]> {
    const queue = { queue: inputs, claim: new SharedArrayBuffer(4) };
    new Int32Array(queue.claim)[0] = taken;
    const worker = threads.startScanWorker({ setup, labels: {}, queue });
    const got: Message[] = [];
    return new Promise((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (msg: Message) => {
        got.push(msg);
        if (msg.done || msg.error !== undefined) void worker.terminate().then(() => resolve(got));
      });
    });
  }

  it('takes each index once, from a counter shared by the threads', () => {
    const shared = { queue: ['a', 'b', 'c'], claim: new Int32Array(new SharedArrayBuffer(4)) };
    expect([scan.claimNext(shared), scan.claimNext(shared), scan.claimNext(shared), scan.claimNext(shared), scan.claimNext(shared)])
      .toEqual([0, 1, 2, undefined, undefined]);
  });

  it('a worker scans the files no thread has taken yet, in order, says which each result is for, then that it is done', async () => {
    const files = ['db-01.ss', 'db-02.ss', 'web-01.ss', 'missing.ss', 'web-02.ss'].map((f) => ({ path: path.join(dir, 'fleet', f), label: f }));
    const got = await workerMessages(files, 2);
    expect(got.map((m) => m.index ?? 'done')).toEqual([2, 3, 4, 'done']);
    expect(got[0].result?.snapshot).toEqual(expect.objectContaining({ file: 'web-01.ss', sockets: 45 }));
    // an unreadable file is that file's result (a diagnostic), and the queue goes on
    expect(got[1].result).toEqual(expect.objectContaining({ code: 'snapshot-missing' }));
    expect(got[2].result?.snapshot).toEqual(expect.objectContaining({ file: 'web-02.ss', sockets: 45 }));
    // nothing left: done at once
    expect(await workerMessages(files, files.length)).toEqual([{ done: true }]);
  });

  it('a worker takes files from its queue while this thread gives the event loop no turn', async () => {
    // This thread reads small files without a break: a queue sent in answer to the worker's "ready" message
    // waited for a turn that never came, and the worker sat idle through the scan.
    const files = ['db-01.ss', 'db-02.ss', 'web-01.ss', 'web-02.ss'].map((f) => ({ path: path.join(dir, 'fleet', f), label: f }));
    const queue = { queue: files, claim: new SharedArrayBuffer(4) };
    const claim = new Int32Array(queue.claim);
    const worker = threads.startScanWorker({ setup, labels: {}, queue });
    try {
      const deadline = Date.now() + 20000;
      while (Atomics.load(claim, 0) < files.length && Date.now() < deadline) Atomics.wait(claim, 0, Atomics.load(claim, 0), 50);
      expect(Atomics.load(claim, 0)).toBeGreaterThanOrEqual(files.length);
    } finally {
      await worker.terminate();
    }
  });

  it('reads stdin in this thread, also when a worker is free to take it', async () => {
    // this thread is busy with a large first file while the worker boots and takes files: a worker's
    // process.stdin is not the process's (it read as empty: "holds no parsable socket")
    const big = path.join(dir, 'first-big.ss');
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '100000', '--layout', 'tanp', '--out', big], { stdio: 'ignore' });
    const small = (h: string) => path.join(dir, 'fleet', `${h}.ss`);
    const r = await runCli(['scan', big, small('db-01'), '-', small('db-02'), small('web-01'), '--format', 'json', '-j', '2'], {
      input: fs.readFileSync(SNAP, 'utf8'), env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' }, timeoutMs: 30000,
    });
    expect(r.stderr).toBe('');
    expect(jsonReport(r).snapshots.map((s) => [s.file, s.sockets])).toEqual([
      [big, 100000], [small('db-01'), 45], ['-', 45], [small('db-02'), 45], [small('web-01'), 45],
    ]);
  });

  it('scans a fleet shared by this thread and a worker as one thread does', async () => {
    // files large enough that this thread is still scanning when the worker has booted
    const fleet = path.join(dir, 'fleet-big');
    fs.mkdirSync(fleet);
    const one = path.join(fleet, 'h00.ss');
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '20000', '--layout', 'tanp', '--out', one], { stdio: 'ignore' });
    for (let i = 1; i < 16; i++) fs.copyFileSync(one, path.join(fleet, `h${String(i).padStart(2, '0')}.ss`));
    const a = jsonReport(await runCli(['scan', fleet, '--format', 'json', '-j', '1'], { timeoutMs: 30000 }));
    const b = jsonReport(await runCli(['scan', fleet, '--format', 'json', '-j', '2'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '0' }, timeoutMs: 30000 }));
    expect(b.snapshots.map((s) => s.host)).toHaveLength(16);
    expect(stable(b)).toEqual(stable(a));
  });
});
