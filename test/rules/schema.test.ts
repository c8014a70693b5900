import * as fs from 'fs';
import * as path from 'path';
import { buildRuleSchema, renderConfigValidatorSource, renderRuleSchema, renderRuleValidatorSource, CONFIG_VALIDATOR_PATH, RULE_SCHEMA_PATH, RULE_VALIDATOR_PATH } from '../../src/rules/schema-build';
import { FIELDS } from '../../src/rules/fields';
import { operatorsFor } from '../../src/rules/compile';
import { ruleFiles, ruleValidator, DEFAULT_PACK_DIR } from '../../src/rules/pack';
import { loadYamlFile, schemaValidator } from '../../src/rules/yaml-source';

const REGENERATE = 'UPDATE_GENERATED=1 npx jest test/rules';

describe('schemas/rule.schema.json', () => {
  if (process.env.UPDATE_GENERATED) {
    fs.writeFileSync(RULE_SCHEMA_PATH, renderRuleSchema());
    fs.writeFileSync(RULE_VALIDATOR_PATH, renderRuleValidatorSource());
    fs.writeFileSync(CONFIG_VALIDATOR_PATH, renderConfigValidatorSource());
  }

  it(`is generated from the field table (regenerate: ${REGENERATE})`, () => {
    expect(fs.readFileSync(RULE_SCHEMA_PATH, 'utf8')).toBe(renderRuleSchema());
  });

  it(`has an up-to-date precompiled validator (regenerate: ${REGENERATE})`, () => {
    expect(fs.readFileSync(RULE_VALIDATOR_PATH, 'utf8')).toBe(renderRuleValidatorSource());
  });

  it(`schemas/config.schema.json has an up-to-date precompiled validator too (regenerate: ${REGENERATE})`, () => {
    expect(fs.readFileSync(CONFIG_VALIDATOR_PATH, 'utf8')).toBe(renderConfigValidatorSource());
  });

  it('lists every field, with its operators, and a description for editors', () => {
    const schema = buildRuleSchema() as { definitions: Record<string, { properties?: Record<string, { $ref?: string; description?: string }>; anyOf?: { properties?: object }[] }> };
    const props = schema.definitions.condition.properties!;
    for (const f of FIELDS) {
      expect(props[f.name]?.description).toBeTruthy();
      const def = schema.definitions[props[f.name].$ref!.split('/').pop()!];
      const opsBranch = def.anyOf!.find((b) => b.properties)!;
      expect(Object.keys(opsBranch.properties!).sort()).toEqual([...operatorsFor(f)].sort());
    }
  });

  it('validates every shipped rule file', () => {
    const { files, diagnostics } = ruleFiles([DEFAULT_PACK_DIR]);
    expect(diagnostics).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(11);
    const runtime = schemaValidator(JSON.parse(fs.readFileSync(RULE_SCHEMA_PATH, 'utf8')));
    for (const file of files) {
      expect(loadYamlFile(file, ruleValidator()).diagnostics).toEqual([]);
      expect(loadYamlFile(file, runtime).diagnostics).toEqual([]);
      expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/rule.schema.json');
    }
  });

  it('is a valid draft-07 schema', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const Ajv = require('ajv').default;
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/rule.schema.json'), 'utf8')))).toBe(true);
  });
});
