/** `socklint rules list|validate|test|docs`. */
import { ExitCode, UserError } from '../../diagnostics';
import { DEFAULT_PACK_DIR, formatRuleList, listRules, loadRulePack } from '../../rules/pack';
import { printDiagnostics, warn } from '../stdout';

function loadOrFail(paths: string[], includeDefault: boolean) {
  const pack = loadRulePack(paths, { includeDefault });
  if (pack.diagnostics.length > 0) throw new UserError(pack.diagnostics, ExitCode.usage);
  return pack;
}

export async function rulesList(paths: string[], includeDefault: boolean): Promise<number> {
  const pack = loadOrFail(paths, includeDefault || paths.length === 0);
  process.stdout.write(formatRuleList(listRules(pack.definitions)));
  return ExitCode.ok;
}

export async function rulesValidate(paths: string[]): Promise<number> {
  const pack = loadRulePack(paths, { includeDefault: false });
  if (pack.diagnostics.length > 0) {
    printDiagnostics(pack.diagnostics);
    warn(`${pack.diagnostics.length} problem(s) in rule files`);
    return ExitCode.usage;
  }
  process.stdout.write(`${pack.definitions.length} rule(s) valid\n`);
  return ExitCode.ok;
}

export async function rulesTest(paths: string[]): Promise<number> {
  const { runRuleTests, formatRuleTestResults } = await import('../../rules/test-runner');
  const result = runRuleTests(paths.length > 0 ? paths : [DEFAULT_PACK_DIR]);
  process.stdout.write(formatRuleTestResults(result));
  // rule or fixture files that cannot be loaded as written are errors in them (exit 2, as `validate`);
  // cases that do not come out as annotated are failed tests (exit 1)
  if (result.diagnostics.length > 0) return ExitCode.usage;
  return result.failed > 0 ? ExitCode.findings : ExitCode.ok;
}

export async function rulesDocs(paths: string[]): Promise<number> {
  const { renderRulesReference } = await import('../../rules/reference');
  const pack = loadOrFail(paths, paths.length === 0);
  process.stdout.write(renderRulesReference(pack.definitions));
  return ExitCode.ok;
}
