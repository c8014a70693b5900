import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadRulePack } from '../../src/rules/pack';
import { renderRulesReference, REGENERATE_COMMAND } from '../../src/rules/reference';
import { ruleYaml } from './helpers';

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

describe('the Needs row', () => {
  /** The Needs cell of a rule of this `match:` body. */
  function needs(body: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-needs-'));
    try {
      fs.writeFileSync(path.join(dir, 'r.yaml'), ruleYaml(`    match:\n${body}`));
      const pack = loadRulePack([dir], { includeDefault: false });
      expect(pack.diagnostics).toEqual([]);
      return /\| Needs \| (.*) \|\n/.exec(renderRulesReference(pack.definitions))![1];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('names what the engine needs to evaluate the rule, not every group an any: branch reads', () => {
    // retransmitting runs on an ss -o capture through its timer branch (its backoff branch's not: needs the timer)
    const pack = loadRulePack([], { includeDefault: true });
    expect(renderRulesReference(pack.definitions)).toContain('| Needs | `timer` (ss -o or -e); otherwise reported as not evaluated. Reads `tcpinfo` (ss -i) too, where the capture has it |');
    expect(needs('      any:\n        - process.name: nginx\n        - tcp.rtt: {gt: 100}'))
      .toBe('either `processes` (ss -p, as root), or `tcpinfo` (ss -i); otherwise reported as not evaluated');
    expect(needs('      process.name: nginx\n      tcp.rtt: {gt: 100}'))
      .toBe('`processes` (ss -p, as root), `tcpinfo` (ss -i); otherwise reported as not evaluated');
    expect(needs('      state: LISTEN')).toMatch(/^`state` /);
    expect(needs('      local.port: 22')).toBe('nothing beyond the basic columns');
  });
});
