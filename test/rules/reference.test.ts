import * as fs from 'fs';
import * as path from 'path';
import { loadRulePack } from '../../src/rules/pack';
import { renderRulesReference, REGENERATE_COMMAND } from '../../src/rules/reference';

describe('docs/rules.md', () => {
  it(`matches the default pack (regenerate: npm run build && ${REGENERATE_COMMAND})`, () => {
    const pack = loadRulePack([], { includeDefault: true });
    expect(pack.diagnostics).toEqual([]);
    const expected = renderRulesReference(pack.definitions);
    const actual = fs.readFileSync(path.resolve(__dirname, '../../docs/rules.md'), 'utf8');
    if (actual !== expected) {
      throw new Error(`docs/rules.md is out of date with the rule pack. Regenerate it:\n  npm run build && ${REGENERATE_COMMAND}`);
    }
  });

  it('documents severity, what fires, remediation and variables of every rule', () => {
    const pack = loadRulePack([], { includeDefault: true });
    const md = renderRulesReference(pack.definitions);
    for (const d of pack.definitions) {
      expect(md).toContain(`## ${d.id}`);
      for (const v of Object.keys(d.vars)) expect(md).toContain(`| \`${v}\` |`);
    }
    expect(md).toContain('| Severity | error (security severity 8.6) |');
    expect(md).toContain('[CWE-1327](https://cwe.mitre.org/data/definitions/1327.html)');
  });
});
