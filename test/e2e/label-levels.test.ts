/**
 * One host captured with two label sets, a config whose hosts: entry matches one of them and changes rule levels:
 * every report gives each snapshot's findings and series that snapshot's levels (they took the first
 * labelled snapshot's for the whole host in SARIF and Prometheus).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tmpDir } from './cli';
import { sarifValidator } from '../report/helpers';

const SNAP = fs.readFileSync(path.join(ROOT, 'fixtures/real/small.tanpmioe.ss'), 'utf8');

test('SARIF results and Prometheus series of one host carry each snapshot\'s own level', async () => {
  const dir = tmpDir();
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };
  const config = file('socklint.yaml', ['hosts:', '  - match: {labels: {role: db}}', '    severity: {dangerous-port-exposed: warning, close-wait-excess: note}', ''].join('\n'));
  const db = file('db.ss', `# host: dbhost\n# labels: role=db\n${SNAP}`);
  const plain = file('plain.ss', `# host: dbhost\n${SNAP}`);
  const r = await runCli(['scan', db, plain, '-c', config, '--fail-on', 'none', '-f', 'sarif=out.sarif', '-f', 'prometheus=out.prom'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);

  const log = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
  expect(sarifValidator()(log).errors).toBeNull();
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0];
  const dangerous = run.results.filter((x: { ruleId: string }) => x.ruleId === 'dangerous-port-exposed')
    .map((x: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [x.locations[0].physicalLocation.artifactLocation.uri, x.level]);
  expect(dangerous.sort()).toEqual([['db.ss', 'warning'], ['plain.ss', 'error']]);
  // one descriptor per rule: the most severe of the host's levels, and its score (GitHub ranks the alert by it)
  const rule = (id: string) => run.tool.driver.rules.find((x: { id: string }) => x.id === id);
  expect(rule('dangerous-port-exposed')).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '8.6' } });
  expect(rule('close-wait-excess').defaultConfiguration.level).toBe('warning');

  const prom = fs.readFileSync(path.join(dir, 'out.prom'), 'utf8');
  expect(prom).toContain('socklint_findings{host="dbhost",rule="dangerous-port-exposed",severity="warning"} 1\n');
  expect(prom).toContain('socklint_findings{host="dbhost",rule="dangerous-port-exposed",severity="error"} 1\n');
  // no finding: a zero series at each snapshot's level (plain.ss had none at warning)
  expect(prom).toContain('socklint_findings{host="dbhost",rule="close-wait-excess",severity="note"} 0\n');
  expect(prom).toContain('socklint_findings{host="dbhost",rule="close-wait-excess",severity="warning"} 0\n');
});
