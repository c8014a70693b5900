import fc from 'fast-check';
import { loadYamlText, schemaValidator } from '../../src/rules/yaml-source';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../../src/rules/address';
import { formatDiagnostic } from '../../src/diagnostics';

/** The loader is generic: the config loader uses it with its own schema. */
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    version: { const: 1 },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'reason'],
        properties: {
          rule: { type: 'string' },
          reason: { type: 'string' },
          expires: { type: 'string', format: 'date' },
          hosts: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        },
      },
    },
  },
};

describe('loadYamlText with any schema', () => {
  const load = (text: string) => loadYamlText(text, 'socklint.yaml', schemaValidator(schema));

  it('gives positions of values and keys by path', () => {
    const src = load('waivers:\n  - rule: high-rtt\n    reason: "far away"\n    hosts: [a, b]\n');
    expect(src.diagnostics).toEqual([]);
    expect(src.positionOf(['waivers', 0, 'hosts', 1])).toEqual({ line: 4, column: 16 });
    expect(src.keyPositionOf(['waivers', 0, 'reason'])).toEqual({ line: 3, column: 5 });
    expect(src.positionOf(['waivers', 0, 'nope'])).toEqual({ line: 2, column: 5 });
  });

  it('maps additionalProperties to the key, required to the map, formats and unions to the value', () => {
    const src = load('version: 2\nwaivers:\n  - rule: x\n    reson: y\n    expires: 2026-13-45\n    hosts: {a: 1}\n');
    expect(src.diagnostics.map(formatDiagnostic)).toEqual([
      "socklint.yaml:1:10: 'version' must be 1 [unknown-value]",
      "socklint.yaml:3:5: missing required key 'reason' in 'waivers[0]' [missing-key]",
      "socklint.yaml:4:5: unknown key 'reson' in 'waivers[0]' (did you mean 'reason'?) [unknown-key]",
      "socklint.yaml:5:14: 'waivers[0].expires': '2026-13-45' is not a valid date [bad-format]",
      "socklint.yaml:6:12: 'waivers[0].hosts' must be a string or a list, not a mapping [wrong-type]",
    ]);
  });

  it('reports YAML syntax errors with positions and no value', () => {
    const src = load('waivers:\n  - rule: "x\n');
    expect(src.value).toBeUndefined();
    expect(src.diagnostics.map(formatDiagnostic)).toEqual(['socklint.yaml:3:1: Missing closing "quote [yaml-syntax]']);
  });

  it("refuses YAML 1.1's typed values and custom tags, which no rule or config holds (a large !!binary once overflowed the stack)", () => {
    const src = load(`waivers:\n  - rule: !!binary ${'aGVsbG8='.repeat(30000)}\n    reason: !foo "x"\n    expires: !!timestamp 2027-01-01\n    hosts: !!set {a: null}\n`);
    expect(src.value).toBeUndefined();
    const hint = ' (write the value without a tag: a rule or config holds strings, numbers, booleans, lists and mappings) [yaml-tag]';
    expect(src.diagnostics.map(formatDiagnostic)).toEqual([
      `socklint.yaml:2:11: YAML tag !!binary is not supported${hint}`,
      `socklint.yaml:3:13: YAML tag !foo is not supported${hint}`,
      `socklint.yaml:4:14: YAML tag !!timestamp is not supported${hint}`,
      `socklint.yaml:5:12: YAML tag !!set is not supported${hint}`,
    ]);
    // YAML's core tags are values as any others
    expect(load('waivers:\n  - rule: !!str 123\n    reason: !!str yes\n').diagnostics).toEqual([]);
  });

  it('shows the first three syntax errors and counts the cascade after them (a stray ``` line made 145 lines of errors)', () => {
    const lines = ['# the example, pasted with its fence', '```yaml', '# socklint.yaml', 'waivers: []'];
    for (let i = 0; i < 20; i++) lines.push(`key${i}: {a: [1, 2]}`);
    const src = load(`${lines.join('\n')}\n`);
    expect(src.value).toBeUndefined();
    const shown = src.diagnostics.map(formatDiagnostic);
    expect(shown).toHaveLength(4);
    expect(shown[0]).toBe('socklint.yaml:2:1: Plain value cannot start with reserved character ` [yaml-syntax]');
    expect(shown[3]).toMatch(/^socklint\.yaml:\d+:\d+: \d+ more YAML syntax errors from here on, not shown \(most follow from the first: fix it and check again\) \[yaml-syntax\]$/);
  });
});

describe('CIDR properties', () => {
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
  const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

  it('IPv4 membership equals a bitwise prefix comparison, also for the IPv4-mapped form', () => {
    fc.assert(fc.property(v4, v4, fc.nat(32), (net, ip, len) => {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const network = ((toInt(net) & mask) >>> 0);
      const text = `${[24, 16, 8, 0].map((s) => (network >>> s) & 255).join('.')}/${len}`;
      const c = parseCidr(text) as Cidr;
      const expected = ((toInt(ip) & mask) >>> 0) === network;
      return cidrContains(c, parseIp(ip)!) === expected && cidrContains(c, parseIp(`::ffff:${ip}`)!) === expected;
    }));
  });

  it('IPv6 text forms with :: compression parse to the same address', () => {
    const group = fc.nat(0xffff).map((n) => n.toString(16));
    fc.assert(fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const full = parseIp(groups.join(':'))!;
      const zeroed = [...groups.slice(0, 3), '0', '0', ...groups.slice(5)];
      const compressed = `${zeroed.slice(0, 3).join(':')}::${zeroed.slice(5).join(':')}`;
      return full !== undefined && parseIp(compressed)!.value === parseIp(zeroed.join(':'))!.value;
    }));
  });
});
