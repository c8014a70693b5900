/**
 * ephemeral-port-exhaustion on its real capture (rules/ephemeral-port-exhaustion.test.ss): off unless a config
 * enables it (its file says `enabled: false`), grouped by local address, peer address and peer port (the
 * `peerPort` group key), waivable by that group, and the same group whether ss printed the destination's port
 * as a number or as its service name (`ss` without -n).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, jsonReport, runCli, tmpDir } from './cli';

const SNAP = path.join(ROOT, 'rules/ephemeral-port-exhaustion.test.ss');
const RULE = 'ephemeral-port-exhaustion';
let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/** The JSON report of a scan of `snap` with `config` (a clean one: nothing on stderr). */
async function scanWith(snap: string, config: string, ...args: string[]) {
  const r = await runCli(['scan', snap, ...args, '-c', write('socklint.yaml', config), '--format', 'json', '--fail-on', 'none']);
  expect(r.stderr).toBe('');
  return jsonReport(r);
}

async function findings(snap: string, config: string) {
  return (await scanWith(snap, config)).findings.filter((f) => f.ruleId === RULE);
}

const THRESHOLD_3 = `enable: [${RULE}]\nvariables:\n  ${RULE}: {threshold: 3}\n`;

it('is off by default: not run, not listed among the scan\'s rules, until a config enables it', async () => {
  const ran = async (config: string, host = 'edge') => {
    const report = await scanWith(SNAP, config, '--host', host);
    return { listed: report.rules.some((x) => x.id === RULE), found: report.findings.filter((f) => f.ruleId === RULE).length };
  };
  const low = `variables:\n  ${RULE}: {threshold: 3}\n`;
  expect(await ran(low)).toEqual({ listed: false, found: 0 });
  expect(await ran(`enable: [${RULE}]\n${low}`)).toEqual({ listed: true, found: 1 });
  const perHost = `${low}hosts:\n  - match: {host: "db-*"}\n    enable: [${RULE}]\n`;
  expect(await ran(perHost, 'db-1')).toEqual({ listed: true, found: 1 });
  expect(await ran(perHost, 'edge')).toEqual({ listed: true, found: 0 });
  // not under the default threshold (20,000 sockets towards one destination)
  expect(await ran(`enable: [${RULE}]\n`)).toEqual({ listed: true, found: 0 });
  const without = await runCli(['scan', SNAP, '--format', 'json', '--fail-on', 'none']);
  expect(jsonReport(without).rules.map((x) => x.id)).not.toContain(RULE);
});

it('a rule both disabled and enabled at one level is refused, naming where', async () => {
  const c = write('both.yaml', `disable: [${RULE}]\nenable: [${RULE}]\n`);
  const r = await runCli(['scan', SNAP, '-c', c]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe(`socklint: ${c}:2:10: rule "${RULE}" is both disabled and enabled here (keep it in one of the two lists) [conflicting-keys]`);
});

it('fires once for the destination whose sockets break the threshold, open and in TIME-WAIT alike', async () => {
  const [f, ...rest] = await findings(SNAP, THRESHOLD_3);
  expect(rest).toEqual([]);
  expect(f.group).toEqual({ localAddress: '127.0.0.1', peerAddress: '127.0.0.1', peerPort: 5432 });
  expect(f.observed).toBe(5);
  expect(f.message).toBe('sockets from 127.0.0.1 to 127.0.0.1 port 5432 holding an ephemeral port: 5 (more than 3)');
  expect(f.offenders!.map((o) => o.summary.split(' ')[1])).toEqual(['ESTAB', 'ESTAB', 'ESTAB', 'ESTAB', 'TIME-WAIT']);
});

it('a waiver names the destination by its group, peerPort included', async () => {
  const waiver = (port: number) => `${THRESHOLD_3}waivers:\n  - rule: ${RULE}\n    group: {peerAddress: 127.0.0.1, peerPort: ${port}}\n    reason: the pool is being fixed\n    expires: 2099-01-01\n`;
  expect((await findings(SNAP, waiver(5432))).map((f) => f.suppressed?.reason)).toEqual(['the pool is being fixed']);
  expect((await findings(SNAP, waiver(8080))).map((f) => f.suppressed)).toEqual([undefined]);
});

it('groups a port ss printed by its service name (ss without -n) with the same port as a number', async () => {
  const text = fs.readFileSync(SNAP, 'utf8').split('\n');
  // two of the five rows name the destination's port (postgresql is 5432)
  let named = 0;
  const mixed = text.map((l) => (named < 2 && /^ESTAB .*127\.0\.0\.1:5432 {2}users/.test(l) ? (named++, l.replace('127.0.0.1:5432 ', '127.0.0.1:postgresql ')) : l));
  expect(named).toBe(2);
  const [f, ...rest] = await findings(write('mixed.ss', mixed.join('\n')), THRESHOLD_3);
  expect(rest).toEqual([]);
  expect(f.group).toEqual({ localAddress: '127.0.0.1', peerAddress: '127.0.0.1', peerPort: 5432 });
  expect(f.observed).toBe(5);
});
