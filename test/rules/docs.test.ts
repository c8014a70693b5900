import * as fs from 'fs';
import * as path from 'path';
import { loadRuleText } from '../../src/rules/pack';
import { FIELDS } from '../../src/rules/fields';
import { formatDiagnostic } from '../../src/diagnostics';

const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/rule-language.md'), 'utf8');

describe('docs/rule-language.md', () => {
  it('its complete rule examples are valid rules', () => {
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^rules:/m.test(b));
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) expect(loadRuleText(b, 'doc.yaml').diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('documents every field', () => {
    for (const f of FIELDS) {
      const name = f.name.startsWith('peer.') ? f.name : f.name;
      expect(doc).toContain(`\`${name}\``);
    }
  });

  it('shows the editor schema line', () => {
    expect(doc).toContain('# yaml-language-server: $schema=../schemas/rule.schema.json');
  });
});
