/** `socklint rules list|validate|test|docs`. */
import { ExitCode, UserError } from '../../diagnostics';
import { DEFAULT_PACK_DIR, clashesWithDefaultPack, formatRuleList, listRules, loadRulePack } from '../../rules/pack';
import { printDiagnostics, warn } from '../stdout';
import { preloadUserFiles } from '../preload';

async function loadOrFail(paths: string[], includeDefault: boolean) {
  await preloadUserFiles({ rules: paths });
  const pack = loadRulePack(paths, { includeDefault });
  if (pack.diagnostics.length > 0) throw new UserError(pack.diagnostics, ExitCode.usage);
  return pack;
}

export async function rulesList(paths: string[], includeDefault: boolean): Promise<number> {
  const pack = await loadOrFail(paths, includeDefault || paths.length === 0);
  process.stdout.write(formatRuleList(listRules(pack.definitions)));
  return ExitCode.ok;
}

/** `includeDefault`: ids are checked against the built-in pack, as a scan loads the rules beside it. */
export async function rulesValidate(paths: string[], includeDefault = true): Promise<number> {
  await preloadUserFiles({ rules: paths });
  const pack = loadRulePack(paths, { includeDefault: false });
  const problems = [...pack.diagnostics, ...(includeDefault ? clashesWithDefaultPack(pack.definitions) : [])];
  if (problems.length > 0) {
    printDiagnostics(problems);
    warn(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in rule files`);
    return ExitCode.usage;
  }
  process.stdout.write(`${pack.definitions.length} ${pack.definitions.length === 1 ? 'rule' : 'rules'} valid\n`);
  return ExitCode.ok;
}

/** `includeDefault`: ids are checked against the built-in pack, as a scan loads the rules beside it. */
export async function rulesTest(paths: string[], includeDefault = true): Promise<number> {
  const { runRuleTests, formatRuleTestResults } = await import('../../rules/test-runner');
  await preloadUserFiles({ rules: paths });
  const result = runRuleTests(paths.length > 0 ? paths : [DEFAULT_PACK_DIR], includeDefault && paths.length > 0);
  process.stdout.write(formatRuleTestResults(result));
  // rule or fixture files that cannot be loaded as written are errors in them (exit 2, as `validate`);
  // cases that do not come out as annotated are failed tests (exit 1)
  if (result.diagnostics.length > 0) return ExitCode.usage;
  return result.failed > 0 ? ExitCode.findings : ExitCode.ok;
}

/** `includeDefault`: ids are checked against the built-in pack (only the files' rules are documented). */
export async function rulesDocs(paths: string[], includeDefault = true): Promise<number> {
  const { renderRulesReference } = await import('../../rules/reference');
  const pack = await loadOrFail(paths, paths.length === 0);
  const clashes = includeDefault && paths.length > 0 ? clashesWithDefaultPack(pack.definitions) : [];
  if (clashes.length > 0) throw new UserError(clashes, ExitCode.usage);
  // a user's pack is documented as theirs: its header names the command that printed it, not docs/rules.md
  const own = paths.length > 0 ? { paths, command: `socklint rules docs${includeDefault ? '' : ' --no-default-rules'}` } : undefined;
  process.stdout.write(renderRulesReference(pack.definitions, own));
  return ExitCode.ok;
}
