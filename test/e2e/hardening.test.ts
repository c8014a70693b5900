/**
 * Hostile and broken input through the built CLI: each case asserts the exit code, one clear message naming
 * the file (and line where there is one), no stack trace, and a time bound.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { CLI, ROOT, jsonReport, runCli, tmpDir, type RunResult } from './cli';

const SNAP = path.join(ROOT, 'fixtures/real/small.tanpmioe.ss');
let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function noStack(r: RunResult): void {
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/\[object Object\]|TypeError|ReferenceError|internal error/);
}

function oneLineNaming(r: RunResult, what: string): void {
  noStack(r);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(what);
}

describe('ss output with a header and no row is a host without such sockets, not an unreadable snapshot', () => {
  it('is scanned: its columns are known, and a rule on too few sockets can fail it', async () => {
    const p = file('no-listeners.ss', 'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n'); // ss -tuln where nothing listens
    const r = await runCli(['scan', p, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = jsonReport(r);
    expect(report.snapshots).toEqual([expect.objectContaining({ sockets: 0, unparsed: 0 })]);
    // the State and queue columns are there: the rules on them are evaluated (and pass)
    expect(report.notEvaluated.map((n) => n.ruleId)).not.toContain('unexpected-listener');
    expect(report.notEvaluated.map((n) => n.ruleId)).not.toContain('listen-queue-overflow');
    fs.writeFileSync(path.join(dir, 'https-up.yaml'), [
      'rules:',
      '  - id: https-up',
      '    title: Nothing listens on 443',
      '    kind: health',
      '    severity: error',
      '    description: The web tier must listen on 443.',
      '    help: Start the web server.',
      '    match: {state: LISTEN, local.port: 443}',
      '    aggregate: {function: count, lt: 1}',
      '    message: "{observed} listeners on 443"',
    ].join('\n'));
    const down = await runCli(['scan', p, '--rules', path.join(dir, 'https-up.yaml'), '--format', 'json']);
    expect(down.code).toBe(1);
    expect(jsonReport(down).findings.map((f) => [f.ruleId, f.observed])).toEqual([['https-up', 0]]);
    const parsed = await runCli(['parse', p, '--format', 'ndjson']);
    expect({ code: parsed.code, stdout: parsed.stdout, stderr: parsed.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a finding on no socket (too few of them) points at the snapshot\'s first line, not at a socket it is not about; a max of none is no value', async () => {
    const p = file('some-sockets.ss', 'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\ntcp CLOSE-WAIT 0 0 10.0.0.5:40000 10.0.0.9:80\n');
    const rule = (id: string, aggregate: string) => [
      'rules:', `  - id: ${id}`, '    title: t', '    kind: health', '    severity: error', '    description: d', '    help: h',
      '    match: {state: LISTEN, local.port: 443}', `    aggregate: ${aggregate}`, '    message: "{observed}"',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'absent.yaml'), rule('https-up', '{function: count, lt: 1}'));
    fs.writeFileSync(path.join(dir, 'max-none.yaml'), rule('max-none', '{function: max, field: recvQ, lt: 1}'));
    const r = await runCli(['scan', p, '--no-default-rules', '--rules', path.join(dir, 'absent.yaml'), '--rules', path.join(dir, 'max-none.yaml'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(jsonReport(r).findings.map((f) => [f.ruleId, f.location.line])).toEqual([['https-up', 1]]);
  });
});

describe('unreadable snapshots exit 3 with one line naming the file', () => {
  it('binary junk', async () => {
    const junk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;
    const p = file('junk.bin', junk);
    const r = await runCli(['scan', p]);
    expect(r.code).toBe(3);
    oneLineNaming(r, p);
    expect(r.ms).toBeLessThan(10000);
  });
  it('an empty file', async () => {
    const p = file('empty.ss', '');
    const r = await runCli(['scan', p]);
    expect(r.code).toBe(3);
    oneLineNaming(r, p);
  });
  it('a header followed by lines ss does not print', async () => {
    const p = file('header-junk.ss', 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\nnot a socket row\n');
    const r = await runCli(['scan', p]);
    expect(r.code).toBe(3);
    oneLineNaming(r, p);
    expect(r.stderr).toContain('holds no parsable socket (2 lines, 1 unparsed)');
    const one = file('one-junk.ss', 'not a socket row\n');
    expect((await runCli(['scan', one])).stderr).toContain('holds no parsable socket (1 line, 1 unparsed)');
  });
  it('a folder entry whose name is not UTF-8: named as one that cannot be opened by it, not as missing', async () => {
    const own = fs.mkdtempSync(path.join(dir, 'latin1-'));
    fs.writeFileSync(Buffer.concat([Buffer.from(`${own}/caf`), Buffer.from([0xe9]), Buffer.from('.ss')]), fs.readFileSync(SNAP));
    const r = await runCli(['scan', own]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`socklint: ${own}/caf\ufffd.ss: snapshot file not found: its name is not valid UTF-8, so it cannot be opened by it (rename the file) [snapshot-missing]\n`);
  });
  it('a missing file', async () => {
    const p = path.join(dir, 'missing.ss');
    const r = await runCli(['scan', p]);
    expect(r.code).toBe(3);
    oneLineNaming(r, p);
  });
  it('a directory given to parse', async () => {
    const d = path.join(dir, 'a-folder');
    fs.mkdirSync(d);
    const r = await runCli(['parse', d]);
    expect(r.code).toBe(3);
    oneLineNaming(r, d);
  });
  it('a file this user may not read (run as nobody through setpriv)', async () => {
    const p = file('secret.ss', fs.readFileSync(SNAP));
    fs.chmodSync(p, 0o600);
    fs.chmodSync(dir, 0o755);
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    let out = '';
    let code = 0;
    try {
      execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, require('./cli').CLI, 'scan', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      code = err.status;
      out = err.stderr;
    }
    expect(code).toBe(3);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain(p);
    expect(out).toMatch(/permission/i);
  });
  it('a corrupt gzip file', async () => {
    const gz = require('node:zlib').gzipSync(fs.readFileSync(SNAP)) as Buffer;
    const p = file('cut.ss.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await runCli(['scan', p]);
    expect(r.code).toBe(3);
    noStack(r);
    expect(r.stderr).toContain(p);
  });
});

describe('damaged snapshots still scan; bad lines are counted, not fatal', () => {
  it('noise lines interleaved with real ones: findings still found, noise counted with line numbers', async () => {
    const lines = fs.readFileSync(SNAP, 'utf8').split('\n');
    const noisy: string[] = [];
    // stderr noise lands between records (before a main row), as `ss ... 2>&1` interleaves it
    lines.forEach((l, i) => {
      if (i > 0 && i % 10 === 5 && !l.startsWith('\t')) noisy.push('RTNETLINK answers: Invalid argument');
      noisy.push(l);
    });
    const p = file('noisy.ss', noisy.join('\n'));
    const r = await runCli(['scan', p, '--format', 'json']);
    expect(r.code).toBe(1);
    const rep = jsonReport(r);
    expect(rep.findings.some((f) => f.ruleId === 'dangerous-port-exposed')).toBe(true);
    const noise = noisy.filter((l) => l.startsWith('RTNETLINK')).length;
    expect(rep.snapshots[0].unparsed).toBe(noise);
    expect(rep.snapshots[0].unparsedLines[0]).toEqual(expect.objectContaining({ line: noisy.indexOf('RTNETLINK answers: Invalid argument') + 1, text: 'RTNETLINK answers: Invalid argument' }));
  });
  it('a snapshot cut in the middle of a line', async () => {
    const text = fs.readFileSync(SNAP, 'utf8');
    // cut in the middle of a main row, about two thirds into the file
    const at = text.indexOf('\nLISTEN', Math.floor(text.length * 0.6)) + 15;
    const p = file('cut.ss', text.slice(0, at));
    const r = await runCli(['scan', p, '--format', 'json']);
    noStack(r);
    const rep = jsonReport(r);
    expect(rep.snapshots[0].sockets).toBeGreaterThan(5);
    expect(rep.snapshots[0].unparsed).toBe(1);
  });
  it('CRLF line endings parse like LF', async () => {
    const p = file('crlf.ss', fs.readFileSync(SNAP, 'utf8').replace(/\n/g, '\r\n'));
    const a = jsonReport(await runCli(['scan', SNAP, '--format', 'json', '--host', 'h']));
    const b = jsonReport(await runCli(['scan', p, '--format', 'json', '--host', 'h']));
    expect(b.snapshots[0].sockets).toBe(a.snapshots[0].sockets);
    expect(b.snapshots[0].unparsed).toBe(0);
    expect(b.findings.map((f) => f.fingerprint)).toEqual(a.findings.map((f) => f.fingerprint));
  });
  it('invalid UTF-8 in a process name is kept, and the JSON stays valid', async () => {
    const text = fs.readFileSync(SNAP);
    const at = text.indexOf('"mysqld"') + 1;
    const bad = Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe]), text.subarray(at)]);
    const p = file('utf8.ss', bad);
    const r = await runCli(['scan', p, '--format', 'json']);
    const rep = jsonReport(r);
    const f = rep.findings.find((x) => x.ruleId === 'dangerous-port-exposed')!;
    expect(f.socket!.processes![0].name).toMatch(/mysqld$/);
  });
  it('a 50 MB single line is reported unparsed quickly, with flat memory', async () => {
    const p = path.join(dir, 'long.ss');
    const fd = fs.openSync(p, 'w');
    fs.writeSync(fd, fs.readFileSync(SNAP));
    const chunk = Buffer.alloc(1 << 20, 'A');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '\n');
    fs.closeSync(fd);
    const r = await runCli(['scan', p, '--format', 'json']);
    const rep = jsonReport(r);
    expect(rep.snapshots[0].unparsed).toBe(1);
    expect(rep.snapshots[0].unparsedLines[0].reason).toMatch(/too long/);
    expect(rep.snapshots[0].unparsedLines[0].text.length).toBeLessThan(1000);
    expect(r.ms).toBeLessThan(20000);
  });
  it('parse to a reader that does not keep up: the parse waits, its memory stays flat', async () => {
    if (!fs.existsSync('/proc/self/status')) return; // RSS read from /proc (Linux)
    const p = path.join(dir, 'many.ss');
    execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--sockets', '300000', '--layout', 'tanp', '--seed', '3', '--out', p], { stdio: 'ignore' });
    const child = spawn(process.execPath, [CLI, 'parse', p, '--format', 'ndjson'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pause(); // nobody reads for a while: ~150 MB of NDJSON would pile up in the process
    const rssKb = (): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    let peak = 0;
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 100));
      peak = Math.max(peak, rssKb());
    }
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => { for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++; });
    child.stdout.resume();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(lines).toBe(300000);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(160 * 1024); // KiB; ~200 MiB after 1.5 s, and growing, when the output was queued
  });
  it('100k unparsable lines: counted, the first few listed, and the run finishes', async () => {
    const junk = Array.from({ length: 100000 }, (_, i) => `garbage line ${i} ~~~`).join('\n');
    const p = file('many-bad.ss', fs.readFileSync(SNAP, 'utf8') + junk + '\n');
    const r = await runCli(['scan', p, '--format', 'json']);
    const rep = jsonReport(r);
    expect(rep.snapshots[0].unparsed).toBe(100000);
    expect(rep.snapshots[0].unparsedLines.length).toBeLessThanOrEqual(50);
    expect(r.ms).toBeLessThan(30000);
  });
});

describe('a fleet too large for the memory Node.js may use', () => {
  it('stops with one line naming the snapshot and what to do, exit 2, instead of V8 aborting', async () => {
    // 3,000 snapshots of 20 findings each into a 64 MiB old generation: the findings (~1.5 KB each with their
    // sockets) would not leave the reports room (V8 aborted with a native stack trace, exit 134, before the
    // check). The scan stops after ~1,240 of them; 1,500 were once enough, but since findings take less heap
    // a JUnit report of all 1,500 can fit, depending on the garbage not collected yet.
    const fleet = path.join(dir, 'fleet');
    fs.mkdirSync(fleet);
    for (let i = 0; i < 3000; i++) fs.copyFileSync(SNAP, path.join(fleet, `h${String(i).padStart(4, '0')}.ss`));
    const env = { NODE_OPTIONS: '--max-old-space-size=64' };
    for (const format of [['--format', 'json=' + path.join(dir, 'fleet.json')], ['--format', 'junit=' + path.join(dir, 'fleet.xml')]]) {
      const r = await runCli(['scan', fleet, '-j', '1', ...format], { env, timeoutMs: 60000 });
      expect({ format, code: r.code }).toEqual({ format, code: 2 });
      oneLineNaming(r, '[out-of-memory]');
      expect(r.stderr).toMatch(/^socklint: .*h\d{4}\.ss: after \d+ snapshots, their \d+ findings fill \d+ MiB of the \d+ MiB Node\.js may use/);
      expect(r.stderr).toContain('--max-findings');
      expect(r.stderr).not.toMatch(/FATAL|heap out of memory/);
    }
    // with the memory to spare, the same fleet is scanned and reported
    const ok = await runCli(['scan', fleet, '-j', '1', '--format', 'prometheus=' + path.join(dir, 'fleet.prom')], { timeoutMs: 60000 });
    expect(ok.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'fleet.prom'), 'utf8').match(/^socklint_snapshots_scanned\{/gm)).toHaveLength(3000);
  }, 120000);
});

describe('a snapshot whose aggregate groups outgrow the memory Node.js may use', () => {
  it('stops with one line naming the file and line, exit 2, instead of V8 aborting', async () => {
    // a distinct process name on each of 300k CLOSE-WAIT sockets: close-wait-excess (grouped by process) keeps
    // a group per name; with a 96 MiB old generation V8 aborted (exit 134) before the check
    const lines = ['State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process'];
    for (let i = 0; i < 300000; i++) {
      lines.push(`CLOSE-WAIT 1 0 10.0.0.1:${1024 + (i % 60000)} 10.0.0.2:${2000 + (i >> 10)} users:(("p${i.toString(36)}",pid=${1000 + i},fd=3))`);
    }
    const f = file('groups.ss', `${lines.join('\n')}\n`);
    const r = await runCli(['scan', f, '--format', 'json=' + path.join(dir, 'groups.json')], { env: { NODE_OPTIONS: '--max-old-space-size=96' }, timeoutMs: 60000 });
    expect(r.code).toBe(2);
    oneLineNaming(r, '[out-of-memory]');
    expect(r.stderr).toMatch(/^socklint: .*groups\.ss:\d+: \d+ sockets in, what the rules keep of this snapshot fills \d+ MiB of the \d+ MiB/);
    expect(r.stderr).toContain('grouping by a field with very many distinct values');
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory/);
  }, 90000);
});

describe('hostile strings are printed escaped', () => {
  it('an ANSI escape in a process name cannot reach the terminal through the text report', async () => {
    const text = fs.readFileSync(SNAP, 'utf8').replace('"mysqld"', '"my\x1b[2Jsql\x07d"');
    const p = file('ansi.ss', text);
    const r = await runCli(['scan', p], { env: { NO_COLOR: '' } });
    expect(r.stdout).not.toContain('\x1b[2J');
    expect(r.stdout).not.toContain('\x07');
    expect(r.stdout).toContain('my\\x1b[2Jsql\\x07d');
  });
  it('file and host names on stderr are escaped: no terminal control, no forged second line', async () => {
    const own = fs.mkdtempSync(path.join(dir, 'names-'));
    const evil = 'evil\x1b[2J\x1b]0;pwned\x07\nsocklint: all good\u2028.ss';
    fs.writeFileSync(path.join(own, evil), Buffer.from([0, 1, 2, 0]));
    const r = await runCli(['scan', own, '-f', `json=${path.join(dir, 'names.json')}`]);
    expect(r.code).toBe(3);
    oneLineNaming(r, 'evil\\x1b[2J\\x1b]0;pwned\\x07\\nsocklint: all good\\u2028.ss');
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\u2028]/);
    // a host name from the snapshot's metadata, in the baseline's notice
    const hostile = file('hostile-host.ss', `# host: web\x1b[2J\n${fs.readFileSync(SNAP, 'utf8')}`);
    const base = path.join(dir, 'names-baseline.json');
    expect((await runCli(['baseline', SNAP, '-o', base])).code).toBe(0);
    const b = await runCli(['scan', hostile, '--baseline', base, '-f', `json=${path.join(dir, 'names.json')}`]);
    expect(b.stderr).toContain('has no record of host web\\x1b[2J');
    expect(b.stderr).not.toContain('\x1b');
  });
});

describe('the command line', () => {
  it('an unknown command exits 2 with one line naming the command meant', async () => {
    const r = await runCli(['scna']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: 'socklint: unknown command "scna" (did you mean socklint scan?)\n' });
  });
  it('an unknown flag exits 2 with one line naming the option meant', async () => {
    const r = await runCli(['scan', SNAP, '--formt', 'json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: 'socklint: unknown option --formt (did you mean --format? `socklint scan --help` lists its options)\n' });
  });
  it('every usage error is one line saying what to write instead (yargs\' own took two, the second a generic usage line)', async () => {
    for (const [args, line] of [
      [[], 'name a command: scan, parse, capture, baseline or rules (e.g. socklint scan web-01.ss; `socklint --help` says what each does)'],
      [['rules'], 'name a rules command: list, validate, test or docs (e.g. socklint rules list; `socklint rules --help` says what each does)'],
      [['rules', 'lst'], 'unknown command "lst" (did you mean socklint rules list?)'],
      [['rules', 'frob'], 'unknown rules command "frob" (name one of list, validate, test or docs)'],
      [['scan', '--a', '-Z', SNAP], 'unknown options --a, -Z (`socklint scan --help` lists its options)'],
      [['rules', 'validate'], 'rules validate needs a rule file or folder (e.g. socklint rules validate my-rules/)'],
      [['parse'], 'parse needs a snapshot: a file, folder or glob, or - for stdin (e.g. socklint parse web-01.ss)'],
      [['parse', SNAP, '-f', 'yaml'], '--format: "yaml" is not one of json, ndjson (write --format=json, or another of them) [bad-choice]'],
      [['capture', 'extra'], 'unexpected argument "extra" (`socklint capture --help` says what it takes)'],
      [['scan', '--ss-flags', '-tnp', SNAP], '--ss-flags took no value: \'-tnp\' starts with a dash, so it was read as options (give --ss-flags its value after "=" when it starts with a dash: --ss-flags=-tnp)'],
      // (it was "unknown option --t (it took '…' as its value)")
      [['parse', '--ss-flags', '-tn', SNAP], '--ss-flags took no value: \'-tn\' starts with a dash, so it was read as options (give --ss-flags its value after "=" when it starts with a dash: --ss-flags=-tn)'],
      [['scan', SNAP, '--ss-flags'], 'Not enough arguments following: ss-flags (give --ss-flags its value after "=" when it starts with a dash: --ss-flags=-tnp)'],
      [['scan', SNAP, '--netns', 'x'], '--netns, --proc and --save-snapshot apply to live scans only (drop the SNAPSHOT arguments to scan this host)'],
    ] as const) {
      const r = await runCli([...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `socklint: ${line}\n` });
    }
  });
  it('`--`: a leading one (npx socklint -- …) is dropped; after the command it ends the options, its files are scanned', async () => {
    const v = await runCli(['--', '--version']);
    expect({ code: v.code, out: v.stdout.trim() }).toEqual({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    const dir = tmpDir();
    const odd = path.join(dir, '-odd.ss');
    fs.copyFileSync(SNAP, odd);
    // run from the folder, so that the file's name starts with a dash
    const r = await runCli(['scan', '--format', 'json', '--fail-on', 'none', '--', '-odd.ss'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).snapshots.map((s: { file: string }) => s.file)).toEqual(['-odd.ss']);
    const lead = await runCli(['--', 'scan', '--format', 'json', '--fail-on', 'none', odd]);
    expect(JSON.parse(lead.stdout).snapshots).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('a missing required option is named with its short form', async () => {
    const r = await runCli(['baseline', SNAP]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('socklint: missing required option -o/--output (`socklint baseline --help` says what it takes)\n');
  });
  it('an unknown flag that took the only path as its value is named, not "not enough arguments"', async () => {
    const r = await runCli(['rules', 'validate', '--strict', 'rules/high-rtt.yaml']);
    expect(r.code).toBe(2);
    noStack(r);
    expect(r.stderr).toBe("socklint: unknown option --strict (it took 'rules/high-rtt.yaml' as its value) (`socklint rules validate --help` lists its options)\n");
    // a known negated flag is no unknown one: the missing path is what is reported
    const n = await runCli(['rules', 'validate', '--no-default-rules']);
    expect(n.code).toBe(2);
    expect(n.stderr).toBe('socklint: rules validate needs a rule file or folder (e.g. socklint rules validate my-rules/)\n');
  });
  it('a value not among an option\'s choices is one line, naming them', async () => {
    const r = await runCli(['scan', SNAP, '--fail-on', 'warn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('socklint: --fail-on: "warn" is not one of error, warning, note, none (did you mean --fail-on=warning?) [bad-choice]\n');
    // the value taken from after `--` is quoted as written
    const dashed = await runCli(['scan', '--fail-on', '--', SNAP]);
    expect(dashed.code).toBe(2);
    expect(dashed.stderr).toBe(`socklint: --fail-on: "${SNAP}" is not one of error, warning, note, none (write --fail-on=error, or another of them) [bad-choice]\n`);
  });
  it('an unknown format exits 2 with did-you-mean', async () => {
    const r = await runCli(['scan', SNAP, '--format', 'sarf=x.sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "sarif"/);
  });
  it('two outputs to stdout exit 2', async () => {
    const r = await runCli(['scan', SNAP, '--format', 'json', '--format', 'text']);
    expect(r.code).toBe(2);
    // a path that is this process's stdout (a shell's pipe) is stdout: the two documents once went into it one
    // after another
    const sh = (formats: string) => spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" scan "${SNAP}" ${formats} | cat`], { encoding: 'utf8' });
    const both = sh('--format json=/dev/stdout --format sarif');
    expect({ code: both.status, stdout: both.stdout, stderr: both.stderr }).toEqual({
      code: 2, stdout: '', stderr: 'socklint: --format: json (/dev/stdout) and sarif would both go to stdout (give all but one of them a file: --format KIND=PATH) [stdout-twice]\n',
    });
    const one = sh('--format json=/dev/stdout');
    expect({ code: one.status, stderr: one.stderr, hosts: (JSON.parse(one.stdout) as { snapshots: unknown[] }).snapshots.length }).toEqual({ code: 1, stderr: '', hosts: 1 });
  });
  it('one --format names several outputs separated by commas; a comma before no format name is part of a path', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'list-'));
    const r = await runCli(['scan', SNAP, '--format', 'sarif=a.sarif,junit=b.xml,json'], { cwd: out });
    expect({ code: r.code, stderr: r.stderr, files: fs.readdirSync(out).sort() }).toEqual({ code: 1, stderr: '', files: ['a.sarif', 'b.xml'] });
    expect(jsonReport(r).snapshots).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'a.sarif'), 'utf8')).runs).toHaveLength(1);
    expect(fs.readFileSync(path.join(out, 'b.xml'), 'utf8')).toMatch(/^<\?xml[^>]*>\s*<testsuites/);
    // `b.json` is no format name: the comma is the path's
    const one = await runCli(['scan', SNAP, '-f', 'json=a,b.json', '-f', 'prometheus=c,sarif.prom'], { cwd: out });
    expect({ code: one.code, stderr: one.stderr, files: fs.readdirSync(out).sort() }).toEqual({ code: 1, stderr: '', files: ['a,b.json', 'a.sarif', 'b.xml', 'c,sarif.prom'] });
    // the outputs of a list are checked as those of separate --format options are
    const twice = await runCli(['scan', SNAP, '--format', 'json,text'], { cwd: out });
    expect(twice.code).toBe(2);
    oneLineNaming(twice, '--format: json and text would both go to stdout');
  });
  it('a near miss of a format name after a comma is an error, not part of a file name', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'typo-'));
    const r = await runCli(['scan', SNAP, '--format', 'sarif=a.sarif,junt=b.xml'], { cwd: out });
    expect(r.code).toBe(2);
    oneLineNaming(r, '--format: "sarif=a.sarif,junt=b.xml": "junt" after the comma is no format (did you mean --format sarif=a.sarif,junit=b.xml? formats: text, json, sarif, junit, prometheus) [unknown-format]');
    expect(fs.readdirSync(out)).toEqual([]);
  });
  it('a count that is not a whole number ≥ 1 exits 2 quoting what was written', async () => {
    for (const [args, line] of [
      [['-j', 'abc'], 'socklint: --jobs: "abc" is not a whole number ≥ 1 [bad-number]'],
      [['--jobs', '0'], 'socklint: --jobs: "0" is not a whole number ≥ 1 [bad-number]'],
      [['-j', '1.5'], 'socklint: --jobs: "1.5" is not a whole number ≥ 1 [bad-number]'],
      [['--max-findings', '-3'], 'socklint: --max-findings: "-3" is not a whole number ≥ 1 [bad-number]'],
      [['--max-findings', 'ten'], 'socklint: --max-findings: "ten" is not a whole number ≥ 1 [bad-number]'],
    ] as const) {
      const r = await runCli(['scan', SNAP, ...args]);
      expect({ args, code: r.code, stderr: r.stderr.trim() }).toEqual({ args, code: 2, stderr: line });
    }
    const ok = await runCli(['scan', SNAP, '-j', '2', '--max-findings', '1', '--format', 'json']);
    expect(ok.code).toBe(1);
    expect(jsonReport(ok).findings.filter((f) => f.ruleId === 'unexpected-listener')).toHaveLength(1);
  });
  it('an option without its value exits 2 instead of being left out (a script\'s unset $CONFIG)', async () => {
    // (--fail-on has a default: a bare one at the end, `--fail-on $LEVEL` with LEVEL unset, once gated on errors)
    for (const args of [['--config'], ['--config='], ['-c', ''], ['--host'], ['--baseline', ''], ['--format'], ['--rules'], ['--label='], ['--fail-on'], ['--fail-on=']]) {
      const r = await runCli(['scan', SNAP, ...args]);
      const key = args[0].replace(/=$/, '').replace(/^-c$/, '--config');
      expect({ args, code: r.code, first: r.stderr.split('\n')[0] }).toEqual({ args, code: 2, first: `socklint: ${key} needs a value (e.g. ${key}=VALUE; see \`socklint COMMAND --help\`)` });
      noStack(r);
    }
    const bare = await runCli(['scan', SNAP, '--redact', '--format', 'json']); // bare --redact means "peer addresses"
    expect(bare.code).toBe(1);
    // the environment's one knob, like the options: a value that is no size is an error, whatever -j says
    const knob = await runCli(['scan', SNAP, '-j', '1'], { env: { SOCKLINT_PARALLEL_MIN_BYTES: '64M' } });
    expect(knob.code).toBe(2);
    oneLineNaming(knob, 'SOCKLINT_PARALLEL_MIN_BYTES: "64M" is not a whole number of bytes');
    // ... and before a snapshot it takes the snapshot as its fields: said so, with the way out
    const before = await runCli(['scan', '--redact', SNAP]);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/a bare --redact takes what follows it as its fields: put it after the snapshots, or write --redact=peer\.address/);
    noStack(before);
  });
});

describe('host names', () => {
  it('a blank `# host:` line names no host: the file name does; a U+2028 in one is read back whole', async () => {
    const body = fs.readFileSync(SNAP, 'utf8');
    const blank = file('blank-host.ss', `# socklint-snapshot: 1\n# host: \n${body}`);
    const odd = file('odd-host.ss', `# socklint-snapshot: 1\n# host: web\u2028a\n${body}`);
    const r = await runCli(['scan', blank, odd, '--format', 'json']);
    expect(jsonReport(r).snapshots.map((s) => s.host)).toEqual(['blank-host', 'web\u2028a']);
  });
  it('--host that is blank or holds a line break is refused by scan, baseline and capture', async () => {
    for (const args of [['scan', SNAP, '--host', '  '], ['baseline', SNAP, '--host', 'a\u2028b', '-o', path.join(dir, 'h.json')], ['capture', '--host', 'a\rb', '-o', path.join(dir, 'h.ss')]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      oneLineNaming(r, 'a host name cannot be blank or hold a line break [bad-host]');
    }
  });
});

describe('output paths', () => {
  it('a folder that does not exist is made; one that cannot be (a file in the path): exit 2 naming it', async () => {
    const out = path.join(dir, 'no', 'such', 'out.sarif');
    const made = await runCli(['scan', SNAP, '--format', `sarif=${out}`, '--fail-on', 'none']);
    expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
    const under = path.join(file('a-file', 'x'), 'out.sarif');
    const r = await runCli(['scan', SNAP, '--format', `sarif=${under}`]);
    expect(r.code).toBe(2);
    oneLineNaming(r, under);
  });
  it('a report or baseline that cannot be written is said before the scan: no other report written, no snapshot read', async () => {
    const fine = path.join(dir, 'fine.json');
    const stuck = '/proc/socklint-none/r.sarif';
    // (a snapshot that is no file would be exit 3 after a scan: the output is said first)
    const r = await runCli(['scan', path.join(dir, 'no-such.ss'), '--format', `json=${fine}`, '--format', `sarif=${stuck}`]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2, stderr: `socklint: ${stuck}: cannot write report: folder '/proc' does not take new files (choose another path) [report-folder-takes-no-files]\n`,
    });
    expect(fs.existsSync(fine)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]); // the probe is removed
    const b = await runCli(['baseline', path.join(dir, 'no-such.ss'), '-o', '/proc/socklint-b.json']);
    expect({ code: b.code, stderr: b.stderr }).toEqual({
      code: 2, stderr: "socklint: /proc/socklint-b.json: cannot write baseline: folder '/proc' does not take new files (choose another path) [baseline-folder-takes-no-files]\n",
    });
  });
  it('a symlink target is refused', async () => {
    const real = file('real.json', '{}');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(real, link);
    const r = await runCli(['scan', SNAP, '--format', `json=${link}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/symbolic link/);
    expect(fs.readFileSync(real, 'utf8')).toBe('{}');
  });
  it('two formats to one file, or a report over a snapshot being read, are refused before anything is written', async () => {
    const own = fs.mkdtempSync(path.join(dir, 'same-'));
    const snap = path.join(own, 'web-01.ss');
    fs.copyFileSync(SNAP, snap);
    const twice = await runCli(['scan', snap, '--format', `json=${own}/r.json`, '--format', `sarif=${path.join(own, '.', 'r.json')}`]);
    expect(twice.code).toBe(2);
    oneLineNaming(twice, 'json and sarif would both be written to');
    for (const args of [['scan', own, '--format', `json=${snap}`], ['baseline', snap, '-o', path.join(own, '..', path.basename(own), 'web-01.ss')]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      oneLineNaming(r, 'is a snapshot this run reads; writing it would replace it');
    }
    expect(fs.readFileSync(snap)).toEqual(fs.readFileSync(SNAP));
    expect(fs.readdirSync(own)).toEqual(['web-01.ss']);
  });
  it('several reports at once, no temporary files left behind', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'out-'));
    const r = await runCli(['scan', SNAP, '--format', `sarif=${out}/a.sarif`, '--format', `junit=${out}/TEST-a.xml`, '--format', `json=${out}/a.json`, '--format', `prometheus=${out}/a.prom`, '--format', 'text']);
    expect(r.code).toBe(1);
    expect(fs.readdirSync(out).sort()).toEqual(['TEST-a.xml', 'a.json', 'a.prom', 'a.sarif']);
    expect(r.stdout).toMatch(/Summary:/);
  });
  it('a reader that stops early (| head) on a report streamed to stdout: every file written, exit code the scan\'s', () => {
    const out = fs.mkdtempSync(path.join(dir, 'out-'));
    // Far more JSON than a pipe holds, so the CLI is still writing when head exits.
    const inputs = fs.readdirSync(path.join(ROOT, 'fixtures/real')).filter((f) => f.endsWith('.ss')).map((f) => path.join(ROOT, 'fixtures/real', f));
    const args = [CLI, 'scan', ...inputs, '--format', 'json', '--format', `prometheus=${out}/a.prom`];
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$@" | head -c 1 > /dev/null', 'bash', process.execPath, ...args], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(fs.readdirSync(out)).toEqual(['a.prom']);
  });
  it('stdout on a full device (> /dev/full): exit 2 saying the output was lost, never 0 or 1 in silence', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      for (const args of [['scan', SNAP], ['scan', SNAP, '--format', 'json'], ['parse', SNAP, '--format', 'ndjson'], ['--version']]) {
        const r = spawnSync(process.execPath, [CLI, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        expect({ args, status: r.status, stderr: r.stderr }).toEqual({
          args, status: 2, stderr: 'socklint: stdout: cannot write the output (no space left on the device) [stdout-write-failed]\n',
        });
      }
    } finally {
      fs.closeSync(full);
    }
  });
});

describe('a signal ends a run cleanly', () => {
  /** A folder with a stand-in `ss` (first on PATH) that prints a header, records its pid and waits. */
  function slowSs(): { bin: string; pidFile: string } {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    const pidFile = path.join(bin, 'ss.pid');
    fs.writeFileSync(path.join(bin, 'ss'), [
      '#!/bin/sh',
      'if [ "$1" = "-V" ]; then echo "ss utility, iproute2-6.1.0"; exit 0; fi',
      `echo $$ > '${pidFile}'`,
      'echo "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process"',
      'exec sleep 60',
    ].join('\n') + '\n', { mode: 0o755 });
    return { bin, pidFile };
  }
  /** Whether process `pid` still runs (a zombie, its parent gone, does not). */
  function running(pid: number): boolean {
    try {
      return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  it.each([['SIGINT', 'capture', 130], ['SIGTERM', 'capture', 143], ['SIGTERM', 'scan', 143]])(
    '%s to `socklint %s` while ss runs: ended by it (the shell\'s $? %i), no temporary file or folder left, ss stopped', async (signal, command, code) => {
      const { bin, pidFile } = slowSs();
      const out = fs.mkdtempSync(path.join(dir, 'sig-out-'));
      const tmp = fs.mkdtempSync(path.join(dir, 'sig-tmp-'));
      const args = command === 'capture' ? ['capture', '-o', path.join(out, 'c.ss')] : ['scan', '-f', `json=${path.join(out, 'r.json')}`];
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp, SOCKLINT_PROCESS_COLUMN: 'ss' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d) => { stderr += String(d); });
      const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, sig) => resolve([c, sig])));
      const until = Date.now() + 10000;
      while (!fs.existsSync(pidFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const ss = Number(fs.readFileSync(pidFile, 'utf8'));
      // a capture's temporary snapshot (or a live scan's folder) exists while ss runs
      expect([...fs.readdirSync(out), ...fs.readdirSync(tmp)].length).toBeGreaterThan(0);
      child.kill(signal as NodeJS.Signals);
      // ended by the signal itself, after its cleanup (as a shell sees it: 128 + its number)
      expect(await exited).toEqual([null, signal]);
      expect(128 + os.constants.signals[signal as NodeJS.Signals]).toBe(code);
      expect(stderr).toBe('');
      expect(fs.readdirSync(out)).toEqual([]);
      expect(fs.readdirSync(tmp)).toEqual([]);
      const gone = Date.now() + 5000;
      while (running(ss) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
      expect(running(ss)).toBe(false);
    });
});

describe('rules, config and baseline from a pipe', () => {
  /** A FIFO in the test folder; `text`, when given, is written into it by a shell once a reader opens it. */
  function fifo(name: string, text?: string): string {
    const p = path.join(dir, name);
    execFileSync('mkfifo', [p]);
    if (text !== undefined) spawn('sh', ['-c', `printf '%s' "$1" > '${p}'`, 'sh', text], { stdio: 'ignore', detached: false });
    return p;
  }

  it('a config read from a pipe reaches the worker threads too (they cannot read the pipe again)', async () => {
    const snaps = [SNAP, path.join(ROOT, 'fixtures/real/small.tan.ss'), path.join(ROOT, 'fixtures/real/small.tuaxnpmioe.ss')];
    const env = { ...process.env, SOCKLINT_PARALLEL_MIN_BYTES: '0' };
    const inThread = jsonReport(await runCli(['scan', ...snaps, '-j', '1', '-c', file('cfg-plain.yaml', 'disable: [unexpected-listener]\n'), '-f', 'json', '--fail-on', 'none']));
    const r = await runCli(['scan', ...snaps, '-j', '2', '-c', fifo('cfg.fifo', 'disable: [unexpected-listener]\n'), '-f', 'json', '--fail-on', 'none'], { env });
    noStack(r);
    expect(r.code).toBe(0);
    const viaPipe = jsonReport(r);
    expect(viaPipe.findings.some((f) => f.ruleId === 'unexpected-listener')).toBe(false);
    expect(viaPipe.findings.map((f) => f.fingerprint).sort()).toEqual(inThread.findings.map((f) => f.fingerprint).sort());
  });

  it('a pipe nobody writes into does not keep a signal from ending socklint', async () => {
    const child = spawn(process.execPath, [CLI, 'scan', SNAP, '-c', fifo('never.fifo')], { stdio: 'ignore' });
    const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGTERM');
    const t0 = Date.now();
    expect(await exited).toEqual([null, 'SIGTERM']);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
