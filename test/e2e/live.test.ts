/**
 * Live scans as a user runs them: this host (`npm start` runs `socklint scan` with no snapshot), a network
 * namespace through `ss`, the same namespace through the /proc fallback (same exposure and state findings),
 * and a saved capture that scans to the same findings as the live scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createScenario, netnsUnavailableReason, SMALL_SCENARIO, type Scenario } from '../helpers/netns';
import { jsonReport, runCli, tmpDir } from './cli';
import type { Finding, ScanReport } from '../../src/engine/types';

it('scans this host live and prints a text report (what `npm start` does)', async () => {
  const r = await runCli(['scan', '--fail-on', 'none']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^socklint \d+\.\d+\.\d+ {2}1 snapshot \(/);
  expect(r.stdout).toMatch(/\nSummary: .*\d+ sockets?, \d+ unparsed lines?\n$/);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
});

it('stops at once with one line when the capture fails before ss runs (the scan waits for it otherwise)', async () => {
  // the evidence goes next to the SARIF report, where a folder holds its name here
  const sarifDir = tmpDir();
  fs.mkdirSync(path.join(sarifDir, 'socklint-h1.ss'));
  const cases: [string[], RegExp][] = [
    // (a missing folder is made: one under /proc cannot be)
    [['--save-snapshot', '/proc/socklint-none/x.ss'], /^socklint: \/proc\/socklint-none\/x\.ss: cannot write the snapshot \(ENOENT\): folder '\/proc' does not take new files \(choose another path\) \[snapshot-write\]$/m],
    // the error names the --format the user wrote
    [['--host', 'h1', '--format', `sarif=${sarifDir}/out.sarif`], new RegExp(`^socklint: --format sarif=${sarifDir}/out\\.sarif: the live capture it cites, ${sarifDir}/socklint-h1\\.ss: cannot write the snapshot: '${sarifDir}/socklint-h1\\.ss' is a folder \\(name a file inside it\\) \\[snapshot-target-is-folder\\]$`, 'm')],
    // a SARIF report that could not be written is said before the capture starts
    [['--host', 'h1', '--format', 'sarif=/proc/socklint-none/out.sarif'], /^socklint: \/proc\/socklint-none\/out\.sarif: cannot write report: folder '\/proc' does not take new files \(choose another path\) \[report-folder-takes-no-files\]$/m],
    [['--label', 'role=a,b'], /^socklint: --label: "role=a,b": a capture label cannot contain ","/],
    [['--netns', 'no-such-namespace-here'], /^socklint: --netns: no-such-namespace-here: no such network namespace/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['scan', ...args], { timeoutMs: 20000 });
    expect({ args, code: r.code, lines: r.stderr.trim().split('\n').length }).toEqual({ args, code: 2, lines: 1 });
    expect(r.stderr).toMatch(message);
  }
  const noTmp = await runCli(['scan'], { timeoutMs: 20000, env: { TMPDIR: '/nonexistent-tmp' } });
  expect({ code: noTmp.code, stderr: noTmp.stderr }).toEqual({
    code: 2, stderr: 'socklint: /nonexistent-tmp: cannot make a folder for the capture (ENOENT) (set TMPDIR to a writable folder, or give --save-snapshot PATH) [snapshot-write]\n',
  });
});

const unavailable = netnsUnavailableReason();
const describeNetns = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`namespace tests skipped: ${unavailable}`);

describeNetns('live scans of a private namespace', () => {
  let sc: Scenario;
  let dir: string;
  let viaSs: ScanReport;
  let viaProc: ScanReport;
  let saved: ScanReport;
  let sarifDir: string;

  beforeAll(async () => {
    sc = await createScenario({ ...SMALL_SCENARIO, closeWait: { count: 120 } });
    dir = tmpDir();
    sarifDir = path.join(dir, 'out');
    fs.mkdirSync(sarifDir);
    const a = await runCli(['scan', '--netns', sc.ns, '--host', 'ns-host', '--format', 'json', '--format', `sarif=${path.join(sarifDir, 'live.sarif')}`, '--fail-on', 'none']);
    viaSs = jsonReport(a);
    const b = await runCli(['scan', '--netns', sc.ns, '--host', 'ns-host', '--proc', '--format', 'json', '--fail-on', 'none']);
    viaProc = jsonReport(b);
    const c = await runCli(['scan', path.join(sarifDir, 'socklint-ns-host.ss'), '--format', 'json', '--fail-on', 'none']);
    saved = jsonReport(c);
  }, 120000);
  afterAll(async () => {
    await sc?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const exposureAndState = (r: ScanReport) => r.findings
    .filter((f) => ['dangerous-port-exposed', 'unexpected-listener', 'close-wait-excess', 'time-wait-excess', 'recv-queue-backlog'].includes(f.ruleId))
    .map((f: Finding) => (f.socket ? `${f.ruleId} ${f.socket.netid} ${f.socket.local.address}:${f.socket.local.port}` : `${f.ruleId} ${JSON.stringify(f.group)} ${f.observed}`))
    .sort();

  it('finds the namespace exposures through ss', () => {
    expect(viaSs.snapshots[0].host).toBe('ns-host');
    expect(exposureAndState(viaSs)).toEqual(expect.arrayContaining([
      'dangerous-port-exposed tcp 0.0.0.0:3306',
      'dangerous-port-exposed udp 0.0.0.0:161',
      'close-wait-excess {"process":"leaky-app"} 120',
    ]));
  });

  it('gets the same exposure and state findings through the /proc fallback', () => {
    expect(viaProc.snapshots[0].meta?.source).toBe('proc');
    // /proc cannot show IPV6_V6ONLY, so the v6only [::]:8443 listener reads as the dual-stack `*` there
    // (docs/live-capture.md); everything else is identical.
    const v6any = (keys: string[]) => keys.map((k) => k.replace(' :::', ' *:')).sort();
    expect(exposureAndState(viaProc)).toContain('unexpected-listener tcp *:8443');
    expect(v6any(exposureAndState(viaProc))).toEqual(v6any(exposureAndState(viaSs)));
    // ... and the fingerprints agree, so a baseline taken through ss holds for a /proc capture
    const fps = (r: ScanReport) => r.findings.filter((f) => f.ruleId === 'dangerous-port-exposed' || f.ruleId === 'unexpected-listener').map((f) => f.fingerprint).sort();
    expect(fps(viaProc)).toEqual(fps(viaSs));
    // /proc has no skmem or tcp_info: those rules are not evaluated, with the reason, never passed
    const ne = viaProc.notEvaluated.map((n) => n.ruleId);
    expect(ne).toEqual(expect.arrayContaining(['high-rtt', 'socket-memory-pressure']));
    // and the accept-queue rule, which compares Recv-Q with the backlog /proc does not have, is not evaluated
    // either (it is through ss), never passed
    expect(viaProc.findings.filter((f) => f.ruleId === 'listen-queue-overflow')).toEqual([]);
    expect(viaProc.notEvaluated.find((n) => n.ruleId === 'listen-queue-overflow')?.reason).toMatch(/backlog of TCP listeners .* \/proc/);
    expect(viaSs.notEvaluated.map((n) => n.ruleId)).not.toContain('listen-queue-overflow');
  });

  it('keeps the evidence next to the SARIF report, and it scans to the same findings', () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(sarifDir, 'live.sarif'), 'utf8'));
    const uris = new Set(sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris].every((u) => String(u).endsWith('socklint-ns-host.ss'))).toBe(true);
    const key = (r: ScanReport) => r.findings.map((f) => `${f.ruleId} ${f.fingerprint} ${f.location.line}`).sort();
    expect(key(saved)).toEqual(key(viaSs));
  });

  it('with SARIF on stdout, writes no evidence file into the working folder and cites live/<host>.ss', async () => {
    const cwd = path.join(dir, 'cwd');
    fs.mkdirSync(cwd);
    const r = await runCli(['scan', '--netns', sc.ns, '--host', 'ns-host', '--format', 'sarif', '--fail-on', 'none'], { cwd });
    expect(r.code).toBe(0);
    expect(fs.readdirSync(cwd)).toEqual([]);
    const uris = new Set(JSON.parse(r.stdout).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris]).toEqual(['live/ns-host.ss']);
  });
});
