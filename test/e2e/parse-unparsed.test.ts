/**
 * `socklint parse` of a file of junk — an unparsed line per line. ndjson says each on stderr as it is found
 * (they were all held for the end: ~280 MB for 1M lines); the json document, which lists them after the snapshot's
 * sockets, holds them (~175 bytes each) but writes them one at a time, not copied and made into one text (~790 MB
 * for 1M lines), and stops with a one-line out-of-memory error where they would fill the heap, not V8's abort.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, runCli, tmpDir } from './cli';

const dir = tmpDir();
const HEADER = 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n';
const ROW = 'ESTAB  0      0      10.0.1.15:443      10.0.0.9:50000    users:(("nginx",pid=812,fd=9))\n';

/** A snapshot of one socket and `n` lines of junk (92 characters each). */
function junk(name: string, n: number): string {
  const p = path.join(dir, name);
  const lines: string[] = [HEADER, ROW];
  for (let i = 0; i < n; i++) lines.push(`garbage line number ${String(i).padStart(7, '0')} with some text that is not a socket row at all xxxxxxxxxxxxxxx\n`);
  fs.writeFileSync(p, lines.join(''));
  return p;
}

it('ndjson: an unparsed line is said on stderr as it is found, not held for the end', async () => {
  const child = spawn(process.execPath, [CLI, 'parse', '-', '--format', 'ndjson'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout.resume();
  // (more rows after it: the source reads a pipe a chunk at a time)
  child.stdin.write(`${HEADER}${ROW}not ss output\n${ROW.repeat(20000)}`);
  // the input is still open: the warning comes while the parse waits for more
  const deadline = Date.now() + 8000;
  while (!stderr.includes('unparsed line') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const early = stderr;
  child.stdin.end();
  const code = await new Promise<number | null>((r) => child.on('close', r));
  expect(early).toBe('socklint: <stdin>:3: unparsed line: not an ss socket row\n');
  expect(code).toBe(0);
  expect(stderr).toBe(early);
});

describe('json, in a 64 MiB old generation', () => {
  const env = { NODE_OPTIONS: '--max-old-space-size=64' };

  it('lists 200k unparsed lines (V8 aborted the process copying them into one text)', async () => {
    const r = await runCli(['parse', junk('junk-200k.ss', 200000), '--format', 'json'], { env, timeoutMs: 60000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { snapshots: { sockets: unknown[]; unparsed: { line: number; text: string; reason: string }[] }[] };
    expect(doc.snapshots[0].sockets).toHaveLength(1);
    const listed = doc.snapshots[0].unparsed;
    expect(listed).toHaveLength(200000);
    expect(listed[199999]).toEqual({ line: 200002, text: expect.stringMatching(/^garbage line number 0199999 /), reason: 'not an ss socket row' });
  }, 60000);

  it('stops with one line saying what filled the heap where the lines would not fit (V8 aborted the process)', async () => {
    const file = junk('junk-600k.ss', 600000);
    const r = await runCli(['parse', file, '--format', 'json'], { env, timeoutMs: 60000 });
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory|internal error/);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^socklint: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: \\d+ unparsed lines in, the json document's list of them fills \\d+ MiB of the \\d+ MiB Node\\.js may use \\(use --format ndjson .*\\) \\[out-of-memory\\]\\n$`));
  }, 60000);
});
