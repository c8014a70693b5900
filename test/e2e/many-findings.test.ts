/**
 * A scan whose cap is raised past ~120,000 findings of one snapshot (`--max-findings`) reports them all: the
 * scan gathered each snapshot's findings by spreading them as arguments, which overflowed the stack (an
 * internal error, exit 4).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tmpDir } from './cli';

it('250,000 findings of one snapshot, --max-findings 1000000: all counted, no internal error', async () => {
  const dir = tmpDir();
  try {
    const rows = ['State Recv-Q Send-Q Local Address:Port Peer Address:Port'];
    for (let i = 0; i < 250_000; i++) rows.push(`ESTAB 0 0 10.0.1.15:443 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 60000)}`);
    const snap = path.join(dir, 'web-01.ss');
    fs.writeFileSync(snap, `${rows.join('\n')}\n`);
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.writeFileSync(path.join(dir, 'rules', 'r.yaml'), [
      'rules:', '  - id: every-estab', '    title: every established socket', '    description: d', '    kind: health',
      '    severity: warning', '    help: h', '    match: {state: ESTAB}', '    message: "{local}"', '',
    ].join('\n'));
    const prom = path.join(dir, 'r.prom');
    const r = await runCli(['scan', snap, '--no-default-rules', '--rules', path.join(dir, 'rules'), '--max-findings', '1000000', '-j', '1', '--format', `prometheus=${prom}`], { timeoutMs: 60_000 });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(prom, 'utf8')).toContain('socklint_findings{host="web-01",rule="every-estab",severity="warning"} 250000\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
