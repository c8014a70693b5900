/** `ss -s` summaries in snapshots: scan and parse keep the same one, and a summary alone says why no rule ran. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED, jsonReport, runCli, tmpDir } from './cli';

const WILD = path.join(SHARED, 'corpus/wild');
const SS_S = path.join(WILD, '13-netdata-743-ss-s-kernel-synrecv.out');
let dir: string;
beforeAll(() => { dir = tmpDir(); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it('scan and parse keep the first of several summaries (ss -s >> file)', async () => {
  const f = path.join(dir, 'two.out');
  fs.writeFileSync(f, `${fs.readFileSync(path.join(WILD, '15-toolkits-pkg-2-ss-s-centos6-7-tabs.out'), 'utf8')}\n${fs.readFileSync(SS_S, 'utf8')}`);
  const scan = jsonReport(await runCli(['scan', f, '--format', 'json']));
  const parse = JSON.parse((await runCli(['parse', f])).stdout);
  expect(scan.snapshots[0].summary).toEqual(parse.snapshots[0].summary);
  expect(scan.snapshots[0].summary?.location.line).toBe(1);
});

it('a summary alone: every rule not evaluated for want of a socket list, not of some ss flag', async () => {
  const r = await runCli(['scan', SS_S, '--format', 'json']);
  expect(r.code).toBe(0);
  const rep = jsonReport(r);
  expect(rep.notEvaluated.length).toBeGreaterThan(0);
  expect(new Set(rep.notEvaluated.map((n) => n.reason))).toEqual(new Set([
    'needs a list of sockets, which an ss -s summary (counts only) is not: capture with ss -tuanp, or socklint capture',
  ]));
  expect((await runCli(['scan', SS_S, '--fail-on-not-evaluated'])).code).toBe(1);
});

it('the text report shows each summary\'s totals in one line', async () => {
  const r = await runCli(['scan', SS_S]);
  expect(r.stdout).toContain('ss -s summaries (1)\n');
  expect(r.stdout).toMatch(/13-netdata-743-ss-s-kernel-synrecv\.out:1 {2}4,311 sockets \(kernel 4,355\); TCP 4,595 \(estab 3,548, closed 956, orphaned 8, synrecv 0, timewait 954, ports 0\); RAW 3; UDP 321; INET 3,963; FRAG 0\n/);
});
