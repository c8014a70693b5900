/**
 * The formats' consumers' checks on REAL scans: every real capture in fixtures/real and the shared wild
 * corpus scanned in one run by the built CLI, then SARIF against the official 2.1.0 schema and GitHub's
 * ingestion rules (Microsoft SARIF Multitool, `--rule-kind Gh;Sarif`), JUnit against the XSD (xmllint).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, SHARED, runCli, tmpDir } from './cli';
import { JUNIT_XSD, announceSkip, findMultitool, multitoolValidate, sarifValidator, which, withoutRootSkipped } from '../report/helpers';

let dir: string;
type SarifLog = { runs: { automationDetails: { id: string }; results: Record<string, any>[]; tool: { driver: Record<string, any> } }[] };
/** All runs of all SARIF files written (GitHub takes at most 20 runs per file, so 40+ hosts make 3 files). */
let sarif: SarifLog;
let sarifFiles: string[];
let sarifPath: string;
let junitPath: string;
let code: number;
let inputCount: number;

beforeAll(async () => {
  dir = tmpDir();
  // relative paths, as a CI job runs it from the checkout
  const inputs = [
    ...fs.readdirSync(path.join(ROOT, 'fixtures/real')).filter((f) => /\.ss(\.gz)?$/.test(f)).map((f) => `fixtures/real/${f}`),
    ...fs.readdirSync(path.join(SHARED, 'corpus/wild')).filter((f) => f.endsWith('.out')).map((f) => path.relative(ROOT, path.join(SHARED, 'corpus/wild', f))),
  ];
  inputCount = inputs.length;
  sarifPath = path.join(dir, 'socklint.sarif');
  junitPath = path.join(dir, 'TEST-socklint.xml');
  const r = await runCli(['scan', ...inputs, '--format', `sarif=${sarifPath}`, '--format', `junit=${junitPath}`, '--fail-on', 'none'], { cwd: ROOT });
  code = r.code;
  sarifFiles = fs.readdirSync(dir).filter((f) => f.endsWith('.sarif')).sort().map((f) => path.join(dir, f));
  const logs = sarifFiles.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as SarifLog);
  for (const log of logs) expect(log.runs.length).toBeLessThanOrEqual(20);
  sarif = { runs: logs.flatMap((l) => l.runs) };
  expect(r.stderr).toMatch(/more than GitHub's 20 runs per SARIF file: wrote .*socklint\.sarif, .*socklint\.2\.sarif, .*socklint\.3\.sarif/);
}, 120000);
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

it('scanned every snapshot', () => {
  expect(code).toBe(0);
  expect(sarif.runs.length).toBeGreaterThan(10);
});

it('SARIF is valid against the official 2.1.0 schema', () => {
  const validate = sarifValidator();
  expect(sarifFiles.length).toBe(3);
  for (const f of sarifFiles) {
    const v = validate(JSON.parse(fs.readFileSync(f, 'utf8')));
    expect(v.errors ?? []).toEqual([]);
    expect(v.valid).toBe(true);
  }
});

it('SARIF meets what GitHub code scanning requires', () => {
  const ids = sarif.runs.map((r) => r.automationDetails.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const run of sarif.runs) {
    expect(run.automationDetails.id).toMatch(/^socklint\/[^/]+\/$/);
    expect(run.tool.driver.name).toBe('socklint');
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toBeTruthy();
      expect(rule.help.markdown).toBeTruthy();
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      if (rule.properties.tags.includes('security')) expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    for (const result of run.results) {
      expect(result.ruleId).toBeTruthy();
      expect(result.message.text).toBeTruthy();
      expect(['error', 'warning', 'note']).toContain(result.level);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|\\/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}/);
    }
  }
  const results = sarif.runs.flatMap((r) => r.results);
  expect(results.length).toBeGreaterThan(50);
  // the location is the socket's own line in its snapshot
  const mysql = results.find((r) => r.ruleId === 'dangerous-port-exposed' && r.locations[0].physicalLocation.artifactLocation.uri === 'fixtures/real/small.tanpmioe.ss');
  const line = fs.readFileSync(path.join(ROOT, 'fixtures/real/small.tanpmioe.ss'), 'utf8').split('\n')[mysql!.locations[0].physicalLocation.region.startLine - 1];
  expect(line).toMatch(/0\.0\.0\.0:3306 .*mysqld/);
});

const multitool = findMultitool();
if (!multitool) announceSkip('SARIF Multitool on a real scan', 'install @microsoft/sarif-multitool');
(multitool ? it : it.skip)('SARIF passes the SARIF Multitool with GitHub ingestion rules', () => {
  for (const f of sarifFiles) {
    const { status, problems } = multitoolValidate(multitool!, f, path.join(dir, 'validation.json'));
    expect(problems).toEqual([]);
    expect(status).toBe(0);
  }
}, 180000);

const xmllint = which('xmllint');
if (!xmllint) announceSkip('JUnit XSD validation on a real scan', 'xmllint not found (apt-get install libxml2-utils)');
(xmllint ? it : it.skip)('JUnit is valid against the XSD (root skipped attribute aside)', () => {
  const fixed = path.join(dir, 'fixed.xml');
  fs.writeFileSync(fixed, withoutRootSkipped(fs.readFileSync(junitPath, 'utf8')));
  const r = spawnSync(xmllint!, ['--noout', '--schema', JUNIT_XSD, fixed], { encoding: 'utf8' });
  expect(r.stderr).toContain('validates');
  expect(r.status).toBe(0);
  const xml = fs.readFileSync(junitPath, 'utf8');
  // one suite per snapshot (two captures of one host are two suites; SARIF has one run per host)
  expect((xml.match(/<testsuite /g) ?? []).length).toBe(inputCount);
});
