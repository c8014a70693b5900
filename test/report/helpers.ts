/** Shared test helpers: schema validators and optional external tools (skipped with a visible message). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

export const SHARED = process.env.SOCKLINT_SHARED ?? '/work/shared';
export const ROOT = path.resolve(__dirname, '../..');

export function sarifValidator(): (doc: unknown) => { valid: boolean; errors: unknown } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv-draft-04');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const addFormats = require('ajv-formats');
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas/sarif-schema-2.1.0.json'), 'utf8'));
  const validate = ajv.compile(schema);
  return (doc) => {
    const valid = validate(doc) as boolean;
    return { valid, errors: validate.errors };
  };
}

export function which(command: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function tempDir(prefix = 'socklint-report-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Announce a skipped external check so it shows in the jest output, not just as "skipped". */
export function announceSkip(what: string, why: string): void {
  // CI installs every tool these checks need (.ci/run): there a missing tool is a failure, not a skip.
  if (process.env.CI) throw new Error(`${what} cannot run in CI: ${why}`);
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${what}: ${why}`);
}
