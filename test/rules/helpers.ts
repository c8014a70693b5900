import type { SocketRecord } from '../../src/snapshot/types';
import { loadRuleText } from '../../src/rules/pack';
import { tryCompileRule } from '../../src/rules/compile';
import type { CompiledRule } from '../../src/rules/types';
import { formatDiagnostic } from '../../src/diagnostics';

/** A rule file around the given `match:` block (indented for the rule mapping) and extra keys. */
export function ruleYaml(body: string, head = ''): string {
  return [
    'rules:',
    '  - id: test-rule',
    '    title: Test rule',
    '    description: A rule under test.',
    '    kind: health',
    '    severity: warning',
    '    help: Fix it.',
    '    message: "{local} {process}"',
    ...(head ? head.split('\n') : []),
    ...body.split('\n'),
    '',
  ].join('\n');
}

/** Diagnostics of a rule text as `line:column code` strings (file name `r.yaml`). */
export function problems(text: string): string[] {
  return loadRuleText(text, 'r.yaml').diagnostics.map((d) => `${d.line ?? '-'}:${d.column ?? '-'} ${d.code}`);
}

export function formatted(text: string): string[] {
  return loadRuleText(text, 'r.yaml').diagnostics.map(formatDiagnostic);
}

/** Compile the single rule of a text; fails the test on diagnostics. */
export function compile(text: string, overrides: Record<string, unknown> = {}): CompiledRule {
  const pack = loadRuleText(text, 'r.yaml');
  if (pack.diagnostics.length) throw new Error(pack.diagnostics.map(formatDiagnostic).join('\n'));
  const r = tryCompileRule(pack.definitions[0], overrides);
  if (!r.rule) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.rule;
}

/** Compile `match:` alone. */
export function matcher(match: string): CompiledRule {
  return compile(ruleYaml(`    match:\n${match.split('\n').map((l) => `      ${l}`).join('\n')}`));
}

let line = 1;
export function sock(over: Partial<Omit<SocketRecord, 'local' | 'peer'>> & { local?: Partial<SocketRecord['local']>; peer?: Partial<SocketRecord['peer']> } = {}): SocketRecord {
  const { local, peer, ...rest } = over;
  return {
    netid: 'tcp',
    state: 'LISTEN',
    recvQ: 0,
    sendQ: 128,
    ...rest,
    local: { address: '0.0.0.0', port: 22, ...(local ?? {}) },
    peer: { address: '0.0.0.0', port: null, ...(peer ?? {}) },
    location: { file: 'test.ss', line: line++ },
  };
}
