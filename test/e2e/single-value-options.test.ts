/**
 * An option that takes one value, given twice, is a usage error naming it (exit 2): yargs hands the command both
 * values as a list, which ended `-c a.yaml -c b.yaml` and `--baseline a --baseline b` in an internal error (exit 4,
 * "a bug: please report it"), `--host a --host b` in "host.trim is not a function", and `-j 1 -j 2` in '"1,2" is
 * not a whole number'. The options that repeat (README: --format, --rules, --label, --redact) still do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tmpDir } from './cli';

const SNAP = 'fixtures/real/small.tanpmioe.ss';

describe('an option that takes one value, given twice', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'disable: [high-rtt]\n');
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'disable: [root-listener-exposed]\n');
  });

  it.each([
    [['scan', SNAP, '-c', 'A', '--config', 'B'], 'config', 'scan'],
    [['scan', SNAP, '--baseline', 'A', '--baseline', 'B'], 'baseline', 'scan'],
    [['scan', SNAP, '--host', 'web-01', '--host', 'web-02'], 'host', 'scan'],
    [['scan', SNAP, '-j', '1', '-j', '2'], 'jobs', 'scan'],
    [['scan', SNAP, '--max-findings', '1', '--max-findings', '2'], 'max-findings', 'scan'],
    [['scan', SNAP, '--fail-on', 'note', '--fail-on', 'none'], 'fail-on', 'scan'],
    [['scan', SNAP, '--ss-flags=-tan', '--ss-flags=-tanp'], 'ss-flags', 'scan'],
    [['scan', SNAP, '--sarif-category', 'a', '--sarif-category', 'b'], 'sarif-category', 'scan'],
    [['parse', SNAP, '-f', 'json', '-f', 'ndjson'], 'format', 'parse'],
    [['baseline', SNAP, '-o', 'x.json', '-o', 'y.json'], 'output', 'baseline'],
    [['capture', '--netns', 'socklint-no-such-netns', '--host', 'a', '--host', 'b'], 'host', 'capture'],
  ])('%j is a usage error naming --%s', async (args, option, command) => {
    const r = await runCli(args.map((a) => (a === 'A' ? path.join(dir, 'a.yaml') : a === 'B' ? path.join(dir, 'b.yaml') : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`socklint: --${option} is given 2 times: it takes one value (give it once; \`socklint ${command} --help\` marks the options that may be repeated [array])\n`);
    expect(r.stdout).toBe('');
  });

  it('the options that repeat take every value', async () => {
    const out = path.join(dir, 'r.json');
    const r = await runCli(['scan', SNAP, '--rules', 'rules/high-rtt.yaml', '--no-default-rules', '--rules', 'rules/socket-drops.yaml',
      '--label', 'role=db', '--label', 'dc=fra', '--format', 'text', '--format', `json=${out}`, '--redact', 'peer.address', '--redact', 'processes.name']);
    expect(r.code).toBe(0); // warnings and notes only
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(report.rules.map((x: { id: string }) => x.id).sort()).toEqual(['high-rtt', 'socket-drops']);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(report.findings)).not.toContain('stuck-api');
    expect(r.stdout).toMatch(/^socklint 0\.1\.0 {2}1 snapshot \(small\.tanpmioe\), 45 sockets, 2 rules\n/);
  });

  it('a boolean given twice takes the last, as yargs does', async () => {
    const r = await runCli(['scan', SNAP, '--color', '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\u001b[');
  });
});

describe('a yes/no option given a value', () => {
  it('--color=always|never|auto is --color, --no-color and the default (always turned colours off)', async () => {
    const always = await runCli(['scan', SNAP, '--color=always']);
    expect([always.code, always.stdout]).toEqual([1, expect.stringContaining('\u001b[')]);
    for (const when of ['never', 'auto', 'false']) {
      const r = await runCli(['scan', SNAP, `--color=${when}`]); // stdout is a pipe here: auto is off
      expect([when, r.code, r.stdout.includes('\u001b['), r.stderr]).toEqual([when, 1, false, '']);
    }
  });

  it.each([
    [['scan', SNAP, '--color=maybe'], "--color is on or off: 'maybe' is neither (write --color or --no-color, or --color=always|never|auto)"],
    [['scan', '--proc=yes'], "--proc is on or off: 'yes' is neither (write --proc or --no-proc, or --proc=true|false)"],
    [['scan', SNAP, '--no-default-rules=1'], "--default-rules is on or off: '1' is neither (write --default-rules or --no-default-rules, or --default-rules=true|false)"],
  ])('%j is a usage error (any value but true was read as false)', async (args, message) => {
    const r = await runCli(args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `socklint: ${message}\n`, '']);
  });
});
