/**
 * The rule language: public API for the engine, the config loader and the CLI.
 * See docs/rule-language.md for the language itself.
 */
export type { CompiledRule, CompiledAggregate, AggregateFunction, CompareOp, GroupKey } from './types';
export { loadYamlFile, loadYamlText, schemaValidator, ajvErrorsToDiagnostics, DEFAULT_MAX_BYTES, DEFAULT_MAX_ALIAS_COUNT, DEFAULT_MAX_DEPTH } from './yaml-source';
export type { YamlSource, YamlLoadOptions, PathSegment, ValidateFunction } from './yaml-source';
export { compileRule, tryCompileRule, compileCondition, checkVariableValue, operatorsFor } from './compile';
export type { RuleDefinition, RawRule, VariableDef, VariableType, CompileOptions, CompileResult, PositionSource } from './compile';
export { loadRulePack, loadRuleText, listRules, formatRuleList, ruleFiles, ruleSchema, ruleValidator, DEFAULT_PACK_DIR } from './pack';
export type { RulePack, RuleSummary, LoadRulePackOptions } from './pack';
export { compileRegex, compileRegexAt, MAX_REGEX_LENGTH } from './regex';
export type { CompiledRegex } from './regex';
export { parseCidr, parseCidrAt, parseIp, cidrContains, addressScope, addressFamily, ADDRESS_SCOPES, ADDRESS_FAMILIES } from './address';
export type { Cidr, IpAddress, AddressScope, AddressFamily } from './address';
export { FIELDS, FIELD_BY_NAME, NUMERIC_FIELDS, FIELD_GROUPS, GROUP_FLAGS } from './fields';
export type { FieldDef, FieldType, FieldValue } from './fields';
export { renderRulesReference, REGENERATE_COMMAND } from './reference';
export { runRuleTests, formatRuleTestRun, formatRuleTestResults, parseVarsDirective } from './test-runner';
export type { RuleTestRun, RuleTestResult, RuleTestFailure } from './test-runner';
