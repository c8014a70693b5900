/** The README's sample text report is a real one: it must match what the CLI prints for that capture today. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli } from './cli';

it('README shows the current text report of fixtures/real/small.tanpmioe.ss', async () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /A text report of a real capture \(`socklint scan fixtures\/real\/small\.tanpmioe\.ss`\):\n\n```\n([\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  const r = await runCli(['scan', 'fixtures/real/small.tanpmioe.ss'], { cwd: ROOT });
  expect(r.stdout).toBe(m![1]);
});
