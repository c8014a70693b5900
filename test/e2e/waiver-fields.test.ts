/**
 * A waiver's `where:` on process fields, scanned on one host's capture with and without -p: with -p it waives as
 * written; without, it waives nothing (leaky-app's listener, which `not: {process.name: leaky-app}` was written to
 * keep open, stays open) and each unused waiver says it could not be checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonReport, runCli, tmpDir } from './cli';

const HEADER = 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process';
const ROWS: [string, string][] = [
  ['0.0.0.0:8080', 'leaky-app'],
  ['0.0.0.0:8081', 'nginx'],
  ['0.0.0.0:3306', 'mysqld'],
];
const CONFIG = `waivers:
  - rule: dangerous-port-exposed
    where: {process.name: mysqld}
    reason: mysqld is fine here
    expires: 2099-01-01
  - rule: unexpected-listener
    where: {not: {process.name: leaky-app}}
    reason: everything but leaky-app accepted
    expires: 2099-01-01
`;

let dir: string;
const file = (name: string) => path.join(dir, name);
beforeAll(() => {
  dir = tmpDir();
  fs.writeFileSync(file('socklint.yaml'), CONFIG);
  const rows = (p: boolean) => ROWS.map(([at, name], i) => `LISTEN 0      128    ${at}  0.0.0.0:*${p ? ` users:(("${name}",pid=${100 + i},fd=3))` : ''}`);
  fs.writeFileSync(file('web-01.tanp.ss'), `# flags: -tanp\n${HEADER}\n${rows(true).join('\n')}\n`);
  fs.writeFileSync(file('web-01.tan.ss'), `# flags: -tan\n${HEADER}\n${rows(false).join('\n')}\n`);
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** Each finding's rule, port and whether it is waived; and the waivers listed, with whereNotEvaluated. */
async function scan(snapshot: string, ...more: string[]) {
  const r = await runCli(['scan', '--host', 'web-01', '-c', file('socklint.yaml'), ...more, '--format', 'json', file(snapshot)]);
  const report = jsonReport(r);
  return {
    findings: report.findings.filter((f) => ['unexpected-listener', 'dangerous-port-exposed'].includes(f.ruleId))
      .map((f) => [f.ruleId, f.socket?.local.port, f.suppressed !== undefined]).sort(),
    waivers: report.waivers.map((w) => [w.reason, w.status, (w as { whereNotEvaluated?: true }).whereNotEvaluated ?? false]),
  };
}

it('with -p: waives mysqld, and every listener but leaky-app', async () => {
  expect(await scan('web-01.tanp.ss')).toEqual({
    findings: [['dangerous-port-exposed', 3306, true], ['unexpected-listener', 8080, false], ['unexpected-listener', 8081, true]],
    waivers: [],
  });
});

it('without -p: waives nothing, and says the waivers could not be checked', async () => {
  expect(await scan('web-01.tan.ss')).toEqual({
    findings: [['dangerous-port-exposed', 3306, false], ['unexpected-listener', 8080, false], ['unexpected-listener', 8081, false]],
    waivers: [['mysqld is fine here', 'unused', true], ['everything but leaky-app accepted', 'unused', true]],
  });
});

it('from stdin (read once: waivers asked as findings are found), by what its flags promise and its rows have shown', async () => {
  const stdin = async (name: string, ...more: string[]) => {
    const r = await runCli(['scan', '--host', 'web-01', '-c', file('socklint.yaml'), ...more, '--format', 'json', '-'], { input: fs.readFileSync(file(name), 'utf8') });
    return jsonReport(r).findings.filter((f) => f.suppressed !== undefined).map((f) => f.socket?.local.port).sort();
  };
  expect(await stdin('web-01.tan.ss')).toEqual([]);
  expect(await stdin('web-01.tanp.ss')).toEqual([3306, 8081]);
  // without a # flags: line, --ss-flags says what the capture holds; without either, the rows shown so far
  const bare = (name: string) => fs.readFileSync(file(name), 'utf8').replace(/^# flags: .*\n/, '');
  fs.writeFileSync(file('bare.tan.ss'), bare('web-01.tan.ss'));
  fs.writeFileSync(file('bare.tanp.ss'), bare('web-01.tanp.ss'));
  expect(await stdin('bare.tan.ss', '--ss-flags=-tan')).toEqual([]);
  expect(await stdin('bare.tan.ss')).toEqual([]);
  expect(await stdin('bare.tanp.ss')).toEqual([3306, 8081]);
});
