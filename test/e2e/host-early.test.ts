/**
 * `scan --host` over captures of several hosts is refused (exit 2, mixed-hosts) as their headers tell, before
 * the snapshots are scanned: a fleet's files were all scanned first, then refused. What a header cannot tell
 * (stdin, a pipe, a header past 64 KiB) is still found after the scan (inputs.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { ROOT, runCli, tmpDir } from './cli';
import { recordedHosts } from '../../src/engine/inputs';

const TABLE = fs.readFileSync(path.join(ROOT, 'fixtures/real/small.tanpmioe.ss'), 'utf8');
const dir = tmpDir();
const write = (name: string, text: string | Buffer): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const capture = (host: string, name: string): string => write(name, `# socklint-snapshot: 1\n# host: ${host}\n${TABLE}`);

const fifo = path.join(dir, 'pipe.ss');
const haveFifo = spawnSync('mkfifo', [fifo]).status === 0;

(haveFifo ? it : it.skip)('refuses before reading any snapshot: a pipe no one writes to is never opened', async () => {
  const web = capture('web-01', 'a-web.ss');
  const db = capture('db-01', 'b-db.ss');
  const out = path.join(dir, 'mixed.json');
  // the scan would wait on the pipe for ever; the refusal comes first, worded as after a scan
  const r = await runCli(['scan', web, fifo, db, '--host', 'prod', '--format', `json=${out}`], { timeoutMs: 30000 });
  expect([r.code, r.stderr, fs.existsSync(out)]).toEqual([
    2,
    `socklint: --host: "prod" would report captures of 2 hosts as one: web-01 (${web}), db-01 (${db}) (drop --host: each is named by its # host: line; or give --host the snapshots of one host only) [mixed-hosts]\n`,
    false,
  ]);
});

(haveFifo ? it : it.skip)('socklint baseline --host refuses them the same way, before reading any', async () => {
  const web = capture('web-01', 'c-web.ss');
  const db = capture('db-01', 'd-db.ss');
  const out = path.join(dir, 'mixed-baseline.json');
  const r = await runCli(['baseline', web, fifo, db, '--host', 'prod', '-o', out], { timeoutMs: 30000 });
  expect([r.code, r.stderr, fs.existsSync(out)]).toEqual([
    2,
    `socklint: --host: "prod" would report captures of 2 hosts as one: web-01 (${web}), db-01 (${db}) (drop --host: each is named by its # host: line; or give --host the snapshots of one host only) [mixed-hosts]\n`,
    false,
  ]);
});

describe('recordedHosts: the host a capture header records, as the scan reads it, or undefined', () => {
  const cases: [string, string | Buffer, string | undefined][] = [
    ['plain.ss', `# socklint-snapshot: 1\n# host: alpha\n${TABLE}`, 'alpha'],
    ['bom-crlf.ss', `\ufeff# host: beta\r\n# time: x\r\n${TABLE.replace(/\n/g, '\r\n')}`, 'beta'],
    ['upper.ss', `# HOST: gamma\n${TABLE}`, 'gamma'],
    ['blank-lines.ss', `\n   \n# host: delta\n\t\n${TABLE}`, 'delta'],
    ['spaces.ss', `#   host:   iota  \n${TABLE}`, 'iota'],
    ['blank.ss', `# host:\n${TABLE}`, ''],
    ['none.ss', TABLE, ''],
    // a # host: line after the table is no capture metadata
    ['after.ss', `${TABLE}# host: late\n`, ''],
    // past the first 4 KiB read
    ['long.ss', `# host: first\n${`# note: ${'x'.repeat(100)}\n`.repeat(60)}# host: epsilon\n${TABLE}`, 'epsilon'],
    // past 64 KiB: only the scan can tell
    ['very-long.ss', `# host: first\n${`# note: ${'x'.repeat(100)}\n`.repeat(700)}# host: zeta\n${TABLE}`, undefined],
    // (its rows repeated, not the table: a header again would be another ss run, refused as several-runs)
    ['gz.ss.gz', zlib.gzipSync(`# host: lambda\n${TABLE}${TABLE.slice(TABLE.indexOf('\n') + 1).repeat(49)}`), 'lambda'],
    ['utf16.ss', Buffer.from(`\ufeff# host: mu\r\n${TABLE}`, 'utf16le'), 'mu'],
    ['binary.ss', Buffer.alloc(8192, 0), undefined],
  ];
  it.each(cases)('%s', async (name, text, host) => {
    const file = write(name, text);
    expect(await recordedHosts([file])).toEqual([host]);
    if (host) {
      // the scan names it so
      const r = await runCli(['scan', file, '--format', 'json', '--fail-on', 'none']);
      expect(JSON.parse(r.stdout).snapshots[0].host).toBe(host);
    }
  });
  it('stdin, a pipe and a missing file are left to the scan', async () => {
    expect(await recordedHosts(['-', path.join(dir, 'missing.ss'), ...(haveFifo ? [fifo] : [])])).toEqual(haveFifo ? [undefined, undefined, undefined] : [undefined, undefined]);
  });
});
