/** Shared test helpers: schema validators and optional external tools (skipped with a visible message). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export const ROOT = path.resolve(__dirname, '../..');
/** The shared material sits beside the repository (`../shared`), in a developer's tree and in CI alike. */
export const SHARED = process.env.SOCKLINT_SHARED ?? path.resolve(ROOT, '../shared');

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

/** The temporary folders a test file made: removed when it ends, whatever its tests did (they had piled up in /tmp). */
const madeDirs: string[] = [];
// registered when a test file loads this module (a hook cannot be added from inside a test)
afterAll(() => {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'socklint-report-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** Announce a skipped external check so it shows in the jest output, not just as "skipped". */
export function announceSkip(what: string, why: string): void {
  // CI installs every tool these checks need (.ci/run): there a missing tool is a failure, not a skip.
  if (process.env.CI) throw new Error(`${what} cannot run in CI: ${why}`);
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${what}: ${why}`);
}

/**
 * Microsoft's SARIF Multitool (GitHub's ingestion rules: `--rule-kind Gh;Sarif`): the devDependency
 * @microsoft/sarif-multitool, or SARIF_MULTITOOL=/path/to/Sarif.Multitool.
 */
export function findMultitool(): string | undefined {
  if (process.env.SARIF_MULTITOOL && fs.existsSync(process.env.SARIF_MULTITOOL)) return process.env.SARIF_MULTITOOL;
  try {
    const pkg = require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`);
    const bin = path.join(path.dirname(pkg), process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `Sarif.Multitool validate`; returns its exit status and every error/warning it reported. */
export function multitoolValidate(multitool: string, input: string, output: string): { status: number | null; problems: string[] } {
  const run = spawnSync(multitool, ['validate', input, '--rule-kind', 'Gh;Sarif', '--output', output, '--log', 'ForceOverwrite'], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  const validation = JSON.parse(fs.readFileSync(output, 'utf8')) as { runs: { results?: { level?: string; ruleId?: string; message: { text?: string; arguments?: unknown } }[] }[] };
  const problems = (validation.runs[0].results ?? [])
    .filter((r) => r.level === 'error' || r.level === 'warning' || r.level === undefined)
    .map((r) => `${r.ruleId}: ${r.message.text ?? JSON.stringify(r.message.arguments)}`);
  // a file it did not validate (past its size limit: "No valid analysis targets") has no results either
  if (/no valid analysis targets/i.test(`${run.stdout}${run.stderr}`)) problems.push(`the Multitool did not validate ${input}: ${run.stdout.trim()}`);
  return { status: run.status, problems };
}

/** The JUnit XSD allows no `skipped` on <testsuites>; junit-report-builder always writes it (the known exception). */
export function withoutRootSkipped(xml: string): string {
  return xml.replace(/(<testsuites\b[^>]*?) skipped="\d+"/, '$1');
}

export const JUNIT_XSD = path.join(SHARED, 'schemas/junit.xsd');

const SOCKET_SCHEMA_ID = 'https://socklint.dev/schemas/socket.schema.json';

/** schemas/report.schema.json compiled with the socket schema it refers to. */
export function reportValidator(): ReturnType<Ajv['compile']> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const socketFile = path.join(ROOT, 'schemas/socket.schema.json');
  if (fs.existsSync(socketFile)) {
    const socket = JSON.parse(fs.readFileSync(socketFile, 'utf8'));
    // Registered under the id report.schema.json refers to, whatever $id/$schema the file itself declares.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { $id, $schema, ...rest } = socket;
    ajv.addSchema(rest, SOCKET_SCHEMA_ID);
  } else {
    ajv.addSchema({ type: 'object', required: ['netid', 'local', 'peer', 'location'] }, SOCKET_SCHEMA_ID);
  }
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8')));
}
