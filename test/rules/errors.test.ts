import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync, spawn } from 'child_process';
import { loadRulePack, loadRuleText } from '../../src/rules/pack';
import { compileRule, tryCompileRule } from '../../src/rules/compile';
import { globProblem } from '../../src/rules/glob';
import { addressSpelling } from '../../src/rules/address';
import { loadYamlFile, loadYamlText } from '../../src/rules/yaml-source';
import { ExitCode, UserError, formatDiagnostic } from '../../src/diagnostics';
import { formatted, ruleYaml } from './helpers';

/** Rule lines 1–8 are the fixed header from ruleYaml; the case's own lines start at 9. */
describe('every malformed rule is rejected at file:line:column with one clear reason', () => {
  it('unknown key, with did-you-mean', () => {
    expect(formatted(ruleYaml('    match: {state: LISTEN}\n    severty: error'))).toEqual([
      "r.yaml:10:5: unknown key 'severty' in 'rules[0]' (did you mean 'severity'?) [unknown-key]",
    ]);
  });

  it('a file of thousands of problems shows the first 100 and counts the rest (each was printed; with 300,000 the stack overflowed)', () => {
    const items = Array.from({ length: 5000 }, () => 'a').join(', ');
    const shown = formatted(ruleYaml(`    match:\n      local.port: {in: [${items}]}`));
    expect(shown).toHaveLength(101);
    expect(shown[0]).toMatch(/^r\.yaml:10:25: /);
    expect(shown[100]).toMatch(/^r\.yaml:10:\d+: 4900 more problems from here on, not shown \(fix those above and check again\) \[more-problems\]$/);
    // as many rules, each with its problem: the same
    const rules = Array.from({ length: 1000 }, (_, i) => `  - {id: r${i}, title: T, description: D, kind: health, severity: warning, help: H, match: {local.port: a}}`);
    const many = formatted(`rules:\n${rules.join('\n')}\n`);
    expect([many.length, many[100]]).toEqual([101, expect.stringMatching(/: \d+ more problems from here on, not shown /)]);
    // the count is of all of a file's problems, its schema's and its language's together
    const both = formatted(ruleYaml(`    match:\n      local.port: {in: [${items}]}\n      process.name: {matches: "(java"}`));
    expect([both.length, both[100]]).toEqual([101, expect.stringMatching(/^r\.yaml:10:\d+: 4901 more problems from here on, not shown /)]);
    // rules that pass the schema, each with a language problem (a bad regex): cut the same (each was listed)
    const valid = Array.from({ length: 300 }, (_, i) => `  - {id: r${i}, title: T, description: D, kind: health, severity: warning, help: H, message: M, match: {process.name: {matches: "(java"}}}`);
    const language = formatted(`rules:\n${valid.join('\n')}\n`);
    expect([language.length, language[0], language[100]]).toEqual([101, expect.stringMatching(/^r\.yaml:2:\d+: .*regex/), expect.stringMatching(/^r\.yaml:102:\d+: 200 more problems from here on, not shown /)]);
  });

  it('an address spelled otherwise than ss prints it (compared as text, it would silently match nothing) says what to write', () => {
    const cases: [string, string][] = [
      ['"2001:DB8::1"', "'2001:DB8::1' is not how ss prints this address, so it would match nothing (write 2001:db8::1)"],
      ['"2001:db8:0:0:0:0:0:1"', "'2001:db8:0:0:0:0:0:1' is not how ss prints this address, so it would match nothing (write 2001:db8::1)"],
      ['"0:0:0:0:0:0:10.0.0.1"', "'0:0:0:0:0:0:10.0.0.1' is not how ss prints this address, so it would match nothing (write ::10.0.0.1)"],
      ['"10.000.0.1"', "'10.000.0.1' is not how ss prints this address, so it would match nothing (write 10.0.0.1)"],
      ['"[::1]:6379"', "'[::1]:6379': local.address holds the address without brackets or port (write ::1 and local.port: 6379)"],
      ['"fe80::1%eth0"', "'fe80::1%eth0': the interface after % is local.iface, not part of local.address (write fe80::1 and local.iface: eth0)"],
      ['"10.0.0.1:22"', "'10.0.0.1:22': local.address holds the address without its port (write 10.0.0.1 and local.port: 22)"],
    ];
    for (const [value, message] of cases) {
      expect(formatted(ruleYaml(`    match:\n      local.address: {in: [10.0.0.5, ${value}]}`))).toEqual([`r.yaml:10:38: ${message} [bad-value]`]);
    }
    // every IPv6 address as glibc's inet_ntop (ss's) prints it is fine: 3,000 of them, from python3's socket module
    const printed = execFileSync('python3', ['-c', [
      'import random, socket', 'random.seed(7)',
      'print("\\n".join(socket.inet_ntop(socket.AF_INET6, bytes(random.choice([0, 0, 0, 255, random.randint(0, 255)]) for _ in range(16))) for _ in range(3000)))',
    ].join('\n')], { encoding: 'utf8' }).trim().split('\n');
    expect(printed).toHaveLength(3000);
    expect(printed.filter((a) => addressSpelling(a, 'local.address') !== undefined)).toEqual([]);
    // as ss prints them (and a host name of ss -r, a unix socket's name): fine
    expect(formatted(ruleYaml('    match:\n      local.address: {in: ["::ffff:10.0.0.1", "1:0:0:2::3", "::", "*", db.example.com, /run/x.sock]}'))).toEqual([]);
  });

  it('unknown operator', () => {
    expect(formatted(ruleYaml('    match:\n      recvQ: {gtt: 5}'))).toEqual([
      "r.yaml:10:15: unknown operator 'gtt' (did you mean 'gt'?) [unknown-operator]",
    ]);
  });

  it('unknown field, by spelling and by suffix', () => {
    expect(formatted(ruleYaml('    match:\n      local.prot: 22'))).toEqual([
      "r.yaml:10:7: unknown field 'local.prot' (did you mean 'local.port'?) [unknown-field]",
    ]);
    expect(formatted(ruleYaml('    match:\n      all:\n        - port: 22'))).toEqual([
      "r.yaml:11:11: unknown field 'port' (did you mean 'local.port' or 'peer.port'?) [unknown-field]",
    ]);
  });

  it('a key, field or operator named as other tools or ss name it: the one to write instead', () => {
    // (too far from local.port, process.name, gt, cidr, severity for a did-you-mean by spelling)
    expect(formatted(ruleYaml('    match:\n      sport: 22\n      process: {regex: sshd}\n      recvQ: {">": 5}\n      local.address: {subnet: 10.0.0.0/8}\n    level: error'))).toEqual([
      "r.yaml:10:7: unknown field 'sport' (did you mean 'local.port'?) [unknown-field]",
      "r.yaml:11:7: unknown field 'process' (did you mean 'process.name'?) [unknown-field]",
      "r.yaml:12:15: unknown operator '>' (did you mean 'gt'?) [unknown-operator]",
      "r.yaml:13:23: unknown operator 'subnet' (did you mean 'cidr'?) [unknown-operator]",
      "r.yaml:14:5: unknown key 'level' in 'rules[0]' (did you mean 'severity'?) [unknown-key]",
    ]);
    // an alias names only an operator the field has (a string has no gt), and a word the table does not hold is none
    expect(formatted(ruleYaml('    match:\n      process.name: {above: a}\n    constructor: 1'))).toEqual([
      "r.yaml:10:22: unknown operator 'above' (expected one of: eq, in, exists, not, matches, glob) [unknown-operator]",
      "r.yaml:11:5: unknown key 'constructor' in 'rules[0]' [unknown-key]",
    ]);
  });

  it('wrong type: one message for the union, not a dump of every branch', () => {
    expect(formatted(ruleYaml('    match:\n      recvQ: {gt: abc}'))).toEqual([
      "r.yaml:10:19: 'rules[0].match.recvQ.gt' must be a number, a $variable or {field: <numeric field>}, not the string 'abc' [wrong-type]",
    ]);
    expect(formatted(ruleYaml('    match:\n      local.port: ssh'))).toEqual([
      "r.yaml:10:19: 'rules[0].match.local.port' must be a number, a range like \"1024-65535\", a list, a $variable or a mapping of operators, not the string 'ssh' [wrong-type]",
    ]);
    expect(formatted(ruleYaml('    match: {state: LISTEN}').replace('severity: warning', 'severity: [error]'))).toEqual([
      "r.yaml:6:15: 'rules[0].severity': '[\"error\"]' is not allowed (expected one of: error, warning, note) [unknown-value]",
    ]);
  });

  it('unknown enum value, with did-you-mean (ss filter names too)', () => {
    expect(formatted(ruleYaml('    match:\n      state: LISTENING'))).toEqual([
      "r.yaml:10:14: 'rules[0].match.state': 'LISTENING' is not allowed (did you mean 'LISTEN'?) [unknown-value]",
    ]);
    expect(formatted(ruleYaml('    match:\n      state: {in: [LISTEN, established]}'))).toEqual([
      "r.yaml:10:28: 'rules[0].match.state.in[1]': 'established' is not allowed (did you mean 'ESTAB'?) [unknown-value]",
    ]);
    expect(formatted(ruleYaml('    match:\n      local.scope: {not: {in: [loopback, nne]}}'))).toEqual([
      "r.yaml:10:42: 'rules[0].match.local.scope.not.in[1]': 'nne' is not allowed (did you mean 'none'?) [unknown-value]",
    ]);
  });

  it('bad CIDR, alone and in a list', () => {
    expect(formatted(ruleYaml('    match:\n      peer.address: {cidr: 10.0.0.0/33}'))).toEqual([
      "r.yaml:10:28: bad CIDR '10.0.0.0/33': prefix length '/33' must be a number from 0 to 32 [bad-cidr]",
    ]);
    expect(formatted(ruleYaml('    match:\n      peer.address: {cidr: [10.0.0.0/8, 300.1.1.1/32]}'))).toEqual([
      "r.yaml:10:41: bad CIDR '300.1.1.1/32': '300.1.1.1' is not an IPv4 or IPv6 address [bad-cidr]",
    ]);
  });

  it('a glob picomatch cannot use (it would match only its own text), in the rule and where a config gives it', () => {
    expect(formatted(ruleYaml('    match:\n      local.path: {glob: ["/tmp/**", "/run/{a,b"]}'))).toEqual([
      "r.yaml:10:26: glob pattern \"/run/{a,b\" is not a valid glob: unterminated group (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]",
    ]);
    const text = ruleYaml('    match:\n      local.path: {glob: $dirs}', '    vars:\n      dirs: {type: string-list, default: [/tmp/**]}');
    const def = loadRuleText(text, 'r.yaml').definitions[0];
    const r = tryCompileRule(def, { dirs: ['/var/[9-0]/*'] }, undefined, { overridesFile: 'c.yaml', positionOfOverride: () => ({ line: 3, column: 5 }) });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "c.yaml:3:5: glob pattern \"/var/[9-0]/*\" is not a valid glob: range out of order in character class (the value this file gives 'dirs' of rule 'test-rule') (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]",
    ]);
    expect(formatted(ruleYaml('    match:\n      local.path: {glob: ["/tmp/[ab]/*", "/run/{a,b}/**", "/x/\\\\*"]}'))).toEqual([]);
  });

  it('an unclosed [ or ( (which picomatch would take as a literal character, silently) is a bad glob', () => {
    expect(formatted(ruleYaml('    match:\n      local.path: {glob: "/tmp/[ab*"}'))).toEqual([
      "r.yaml:10:26: glob pattern \"/tmp/[ab*\" is not a valid glob: an unclosed [ (close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal) [bad-glob]",
    ]);
    expect(globProblem('web-(01')).toBe('an unclosed (');
    expect(globProblem('/x/[!]a')).toBe('an unclosed [');
    for (const ok of ['/tmp/[!a]*', '/tmp/[]a]*', '/tmp/[[:alpha:]]*', '@(web|db)-*', '/tmp/\\[x', 'a)b', '/tmp/[a\\]]']) expect([ok, globProblem(ok)]).toEqual([ok, undefined]);
  });

  it('a list that repeats an item names the items counted from 1, as other messages do', () => {
    const text = ruleYaml('    match: {netid: tcp}\n    aggregate: {groupBy: [state, process, state], gt: 1}').replace('"{local} {process}"', '"{observed}"');
    expect(formatted(text)).toEqual([
      "r.yaml:10:43: 'rules[0].aggregate.groupBy' lists the same item twice (items 1 and 3) [duplicate-item]",
    ]);
  });

  it('bad regex, and backreferences refused (RE2)', () => {
    expect(formatted(ruleYaml('    match:\n      process.name: {matches: "(java"}'))).toEqual([
      'r.yaml:10:31: bad regular expression: missing closing ): `(java` [bad-regex]',
    ]);
    expect(formatted(ruleYaml('    match:\n      process.name: {matches: "(a)\\\\1"}'))).toEqual([
      'r.yaml:10:31: bad regular expression: invalid escape sequence: `\\1` (backreferences are not supported: patterns are RE2, linear time) [bad-regex]',
    ]);
  });

  it('a pattern whose repetitions expand past 5,000 states is refused at once, not compiled (0.7 s, 75 MB for 110,000)', () => {
    const huge = `x${'.{0,1000}'.repeat(110)}z`;
    const t0 = Date.now();
    expect(formatted(ruleYaml(`    match:\n      process.name: {matches: "${huge}"}`))).toEqual([
      'r.yaml:10:31: regular expression too large once its repetitions are expanded (~110002 states, at most 5000): use smaller {n,m} counts, or * and + [bad-regex]',
    ]);
    expect(Date.now() - t0).toBeLessThan(500);
    // and together: a rule file of many large-but-legal ones cannot fill the heap either
    const rules = Array.from({ length: 15 }, (_, k) => ruleYaml(`    match:\n      process.name: {matches: "a${k}${'.{0,1000}'.repeat(4)}"}`).replace('test-rule', `r${k}`).replace(/^rules:\n/, ''));
    const all = formatted(`rules:\n${rules.join('')}`);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((d) => /regular expressions too large together \(~\d+ states once their repetitions are expanded, at most 50000\)/.test(d))).toBe(true);
  });

  it('a catastrophic-backtracking pattern compiles and runs in linear time', () => {
    const text = ruleYaml('    match:\n      process.name: {matches: "^(a|a)*(a+)+$"}');
    const pack = loadRuleText(text, 'r.yaml');
    expect(pack.diagnostics).toEqual([]);
    const rule = tryCompileRule(pack.definitions[0]).rule!;
    const s = { netid: 'tcp', local: { address: '*', port: 1 }, peer: { address: '*', port: null }, processes: [{ name: `${'a'.repeat(100_000)}b`, pid: 1 }], location: { file: 'x', line: 1 } };
    const t0 = Date.now();
    expect(rule.match(s)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('unknown variable, with did-you-mean (and no noise about the variable it meant)', () => {
    expect(formatted(ruleYaml('    vars:\n      threshold: {type: number, default: 1}\n    match:\n      recvQ: {gt: $treshold}'))).toEqual([
      "r.yaml:12:19: unknown variable '$treshold' (did you mean '$threshold'?) [unknown-variable]",
    ]);
  });

  it('threshold that is not a number: in the default, and written in the aggregate', () => {
    expect(formatted(ruleYaml('    vars:\n      threshold: {type: number, default: "100"}\n    match:\n      recvQ: {gt: $threshold}'))).toEqual([
      "r.yaml:10:42: default of variable 'threshold' (number) must be a number, not the string '100' [bad-variable]",
    ]);
    expect(formatted(ruleYaml('    match: {state: LISTEN}\n    aggregate:\n      gt: lots').replace('{local} {process}', '{observed}'))).toEqual([
      "r.yaml:11:11: 'rules[0].aggregate.gt' must be a number or a $variable, not the string 'lots' [wrong-type]",
    ]);
    expect(formatted(ruleYaml('    vars:\n      ports: {type: port-list, default: [22]}\n    match: {state: LISTEN}\n    aggregate:\n      gt: $ports').replace('{local} {process}', '{observed}'))).toEqual([
      "r.yaml:13:11: variable '$ports' is a port-list; the threshold must be a number [wrong-type]",
    ]);
  });

  it('missing keys are reported once, at the rule', () => {
    expect(formatted('rules:\n  - id: x\n    title: t\n')).toEqual([
      "r.yaml:2:5: missing required keys 'description', 'kind', 'severity', 'help', 'match', 'message' in 'rules[0]' [missing-key]",
    ]);
    expect(formatted(ruleYaml('    match: {state: LISTEN}').replace('kind: health', 'kind: security'))).toEqual([
      // (the key a security rule's if/then branch requires is described from the rule's own schema)
      "r.yaml:2:5: missing required key 'securitySeverity' in 'rules[0]' (add securitySeverity: CVSS-like 0.1–10 for security rules (SARIF security-severity): ≥9 critical, ≥7 high, ≥4 medium) [missing-key]",
    ]);
  });

  it('ids must be kebab-case', () => {
    expect(formatted(ruleYaml('    match: {state: LISTEN}').replace('id: test-rule', 'id: Test_Rule'))).toEqual([
      "r.yaml:2:9: 'rules[0].id': 'Test_Rule' is not a kebab-case id (lower-case words joined by -) [bad-id]",
    ]);
  });

  it('message placeholders are checked', () => {
    expect(formatted(ruleYaml('    match: {state: LISTEN}').replace('{local} {process}', '{locl} {observed}'))).toEqual([
      "r.yaml:8:14: unknown placeholder '{locl}' in message (did you mean '{local}'?) [unknown-placeholder]",
      "r.yaml:8:14: unknown placeholder '{observed}' in message ({observed} is only available in aggregate rules) [unknown-placeholder]",
    ]);
  });

  it('an aggregate message\'s placeholder hint names each placeholder once (a variable threshold is {threshold})', () => {
    const text = ruleYaml('    vars:\n      threshold: {type: number, default: 5}\n    match: {state: LISTEN}\n    aggregate:\n      groupBy: [process]\n      gt: $threshold')
      .replace('{local} {process}', '{nosuch} {observed}');
    expect(formatted(text)).toEqual([
      "r.yaml:8:14: unknown placeholder '{nosuch}' in message (available: {observed} {threshold} {field} {group} {group.process}) [unknown-placeholder]",
    ]);
  });

  it('field references, ranges, aggregates', () => {
    expect(formatted(ruleYaml('    match:\n      recvQ: {gte: {field: sendq}}'))).toEqual([
      "r.yaml:10:28: 'rules[0].match.recvQ.gte.field': 'sendq' is not allowed (did you mean 'sendQ'?) [unknown-value]",
    ]);
    expect(formatted(ruleYaml('    match:\n      recvQ: {between: [10, 1]}'))).toEqual([
      "r.yaml:10:24: 'between' range is empty: 10 > 1 (write [low, high]) [bad-range]",
    ]);
    expect(formatted(ruleYaml('    match: {state: LISTEN}\n    aggregate:\n      groupBy: [process]').replace('{local} {process}', '{observed}'))).toEqual([
      'r.yaml:11:7: aggregate needs a comparison: one of gt, gte, lt, lte, eq (e.g. gt: $threshold) [missing-key]',
    ]);
  });

  it('a port compared with a number no IP port has, where the rule is on IP tables or on none (a unix socket\'s port is its inode)', () => {
    const hint = 'write a port from 0 to 65535';
    expect(formatted(ruleYaml('    match:\n      local.port: 70000'))).toEqual([
      `r.yaml:10:19: local.port 70000 is outside the ports of an IP socket (0–65535); only a unix socket's local.port (its inode) goes higher (${hint}, or add netid: [u_str, u_dgr, u_seq] to compare unix sockets' inodes) [bad-port]`,
    ]);
    expect(formatted(ruleYaml('    match:\n      netid: [tcp, udp]\n      local.port: [22, 70000]\n      peer.port: {gte: -1}'))).toEqual([
      `r.yaml:11:24: local.port 70000 is outside the ports of a tcp/udp socket (0–65535); only a unix socket's local.port (its inode) goes higher (${hint}) [bad-port]`,
      `r.yaml:12:24: peer.port -1 is outside the ports of a tcp/udp socket (0–65535); only a unix socket's peer.port (its inode) goes higher (${hint}) [bad-port]`,
    ]);
    // nested: the table named around the condition holds inside it, under any and not too
    expect(formatted(ruleYaml('    match:\n      netid: tcp\n      any:\n        - local.port: "60000-70000"\n        - not: {peer.port: {between: [1, 99999]}}'))).toEqual([
      `r.yaml:12:23: local.port range "60000-70000" reaches outside the ports of a tcp socket (0–65535); only a unix socket's local.port (its inode) goes higher (${hint}) [bad-port]`,
      `r.yaml:13:42: peer.port 99999 is outside the ports of a tcp socket (0–65535); only a unix socket's peer.port (its inode) goes higher (${hint}) [bad-port]`,
    ]);
    // a unix socket's inode, or a table that cannot be told: no complaint
    expect(formatted(ruleYaml('    match:\n      netid: u_str\n      local.port: {gt: 70000}'))).toEqual([]);
    expect(formatted(ruleYaml('    match:\n      netid: {not: tcp}\n      local.port: 70000'))).toEqual([]);
    expect(formatted(ruleYaml('    match:\n      any: [{netid: u_str}, {state: LISTEN}]\n      local.port: 70000'))).toEqual([]);
    expect(formatted(ruleYaml('    match:\n      netid: tcp\n      local.port: {between: [0, 65535]}'))).toEqual([]);
  });

  it('a port value a config gives a variable is checked where the config writes it', () => {
    const text = ruleYaml('    match:\n      netid: tcp\n      local.port: {gt: $floor}', '    vars:\n      floor: {type: number, default: 1024}');
    const def = loadRuleText(text, 'r.yaml').definitions[0];
    const r = tryCompileRule(def, { floor: 70000 }, undefined, { overridesFile: 'c.yaml', positionOfOverride: () => ({ line: 4, column: 14 }) });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "c.yaml:4:14: local.port 70000 is outside the ports of a tcp socket (0–65535); only a unix socket's local.port (its inode) goes higher (the value this file gives 'floor' of rule 'test-rule') (write a port from 0 to 65535) [bad-port]",
    ]);
  });

  it('YAML syntax: tabs, duplicate keys, empty files', () => {
    expect(formatted('rules:\n\t- id: x\n')).toEqual(['r.yaml:2:1: Tabs are not allowed as indentation [yaml-syntax]']);
    expect(formatted(ruleYaml('    match: {state: LISTEN}\n    title: again'))).toEqual([
      "r.yaml:10:5: duplicate key 'title' in this mapping [duplicate-key]",
    ]);
    expect(formatted('')).toEqual(['r.yaml:1:1: the file is empty; expected a mapping [empty-file]']);
  });

  it('a rule, or a list of rules, written without the `rules:` key around it: one message that says to add it', () => {
    const rule = 'id: my-rule\ntitle: x\nseverty: error\nmatch:\n  state: LISTEN\n';
    expect(formatted(`# my rule\n${rule}`)).toEqual([
      'r.yaml:2:1: this rule is not inside a `rules:` list (start the file with a line `rules:` and make the rule a list item under it: ' +
        '`  - id: ...`, its other keys indented to line up with `id`; see docs/rule-language.md) [rules-not-listed]',
    ]);
    expect(formatted(`- ${rule.replace(/\n(?=.)/g, '\n  ')}- id: other\n  match: {state: LISTEN}\n`)).toEqual([
      'r.yaml:1:1: this list of rules is not under a `rules:` key (start the file with a line `rules:` and indent the list under it; ' +
        'see docs/rule-language.md) [rules-not-listed]',
    ]);
    // under `rules:` without its `- `
    expect(formatted(`rules:\n${rule.replace(/^(?=.)/gm, '  ')}`)).toEqual([
      'r.yaml:2:3: `rules:` holds a rule, not a list of rules (make it a list item: `- ` before `id:`, the rule\'s other keys indented to line up ' +
        'with `id`; see docs/rule-language.md) [rules-not-listed]',
    ]);
    // a rule's `severity:` is also a config key: the rule is still told as a rule, not as a config
    expect(formatted('id: my-rule\nseverity: error\nmatch: {state: LISTEN}\n')).toEqual([
      expect.stringMatching(/^r\.yaml:1:1: this rule is not inside a `rules:` list \(.*\) \[rules-not-listed\]$/),
    ]);
    // other mappings and lists keep the schema's own messages
    expect(formatted('id: x\nkind: health\n')).toEqual([
      "r.yaml:1:1: missing required key 'rules' (add rules: The rules of this file) [missing-key]",
      "r.yaml:1:1: unknown key 'id' (expected one of: rules) [unknown-key]",
      "r.yaml:2:1: unknown key 'kind' (expected one of: rules) [unknown-key]",
    ]);
    expect(formatted('- a\n- b\n')).toEqual(['r.yaml:1:1: the document must be a mapping, not a list [wrong-type]']);
  });

  it('collects every error of a file before failing, and never prints [object Object]', () => {
    const text = [
      'rules:',
      '  - id: Bad_Id',
      '    title: t',
      '    description: d',
      '    kind: health',
      '    severity: fatal',
      '    help: h',
      '    message: "{nope}"',
      '    match:',
      '      state: LISTENING',
      '      peer.address: {cidr: 1.2.3.4/40}',
      '      process.name: {matches: "["}',
      '      recvQ: {gtt: 1}',
      '',
    ].join('\n');
    const out = formatted(text);
    expect(out.map((l) => l.split(': ')[0])).toEqual([
      'r.yaml:2:9', // bad id
      'r.yaml:6:15', // severity
      'r.yaml:8:14', // placeholder
      'r.yaml:10:14', // state
      'r.yaml:11:28', // CIDR
      'r.yaml:12:31', // regex
      'r.yaml:13:15', // operator
    ]);
    for (const l of out) expect(l).not.toMatch(/\[object Object\]|undefined/);
  });
});

describe('resource limits', () => {
  it('refuses alias bombs quickly', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const t0 = Date.now();
    const src = loadYamlText(text, 'bomb.yaml');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(src.diagnostics.map(formatDiagnostic)).toEqual([
      'bomb.yaml:2:10: too many alias expansions (more than 100); refusing a possible YAML alias bomb (write the values out instead of nesting aliases) [alias-bomb]',
    ]);
  });

  it('refuses absurd nesting (flow and block) before the parser recurses', () => {
    const flow = `rules: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    let t0 = Date.now();
    expect(loadYamlText(flow, 'deep.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'deep.yaml:1:72: nesting deeper than 64 levels is refused (flatten the document) [too-deep]',
    ]);
    expect(Date.now() - t0).toBeLessThan(500);
    const block = `rules:\n${'- '.repeat(5000)}x\n`;
    t0 = Date.now();
    expect(loadYamlText(block, 'deep.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'deep.yaml:2:129: nesting deeper than 64 levels is refused (flatten the document) [too-deep]',
    ]);
    let indented = '';
    for (let i = 0; i < 70; i++) indented += `${'  '.repeat(i)}k${i}:\n`;
    expect(loadYamlText(indented, 'deep.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'deep.yaml:65:129: nesting deeper than 64 levels is refused (flatten the document) [too-deep]',
    ]);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('refuses huge files without parsing them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-rules-'));
    const file = path.join(dir, 'huge.yaml');
    fs.writeFileSync(file, `rules:\n${'  # padding padding padding padding padding padding padding padding\n'.repeat(20_000)}`);
    const t0 = Date.now();
    const src = loadYamlFile(file);
    expect(Date.now() - t0).toBeLessThan(200);
    expect(src.diagnostics.map(formatDiagnostic)).toEqual([
      `${file}: file is 1.3 MiB, larger than the 1 MiB limit (split it into several files) [file-too-large]`,
    ]);
    expect(loadYamlText('x'.repeat(2048), 't.yaml', undefined, { maxBytes: 1024 }).diagnostics[0].code).toBe('file-too-large');
    fs.rmSync(dir, { recursive: true });
  });

  it('a second YAML document is named as one, in the words of the file, not of the YAML library', () => {
    expect(loadYamlText('rules: []\n---\nrules: []\n', 'm.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'm.yaml:2:1: a second YAML document (`---`): a rule or config file is one document [yaml-syntax]',
    ]);
  });

  it('a file that is not UTF-8 is named with where, not read with its bytes replaced', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-rules-'));
    const at = (name: string, bytes: Buffer) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return loadYamlFile(file).diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
    };
    const head = Buffer.from('rules:\n  - id: x\n    title: "R');
    expect(at('latin1.yaml', Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('dis"\n')]))).toEqual([
      '3:14 not-utf8 the file is not UTF-8: byte 0xe9 here is not part of a UTF-8 character',
    ]);
    expect(at('utf16.yaml', Buffer.from('\ufeffrules: []\n', 'utf16le'))).toEqual(['1:1 not-utf8 the file is UTF-16 (by its byte-order mark), not UTF-8']);
    // a bad first byte is at 1:1 (it was placed after the file's last LF: 1:-10)
    expect(at('first.yaml', Buffer.concat([Buffer.from([0xff]), Buffer.from('rules: []\n')]))).toEqual(['1:1 not-utf8 the file is not UTF-8: byte 0xff here is not part of a UTF-8 character']);
    // overlong, a surrogate, past U+10FFFF, cut short at the end: each is where it starts
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(at('bad.yaml', Buffer.concat([Buffer.from('# ok é\n# '), Buffer.from(bad)]))).toEqual([`2:3 not-utf8 the file is not UTF-8: byte 0x${bad[0].toString(16)} here is not part of a UTF-8 character`]);
    }
    // UTF-8 with a byte-order mark, and every plane, read as before
    expect(at('ok.yaml', Buffer.from('\ufeff# é € 𝄞\nrules: []\n'))).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  it('reads a pipe or device only up to the limit (/dev/zero, a FIFO that goes on), and a directory is named one', async () => {
    const t0 = Date.now();
    expect(loadYamlFile('/dev/zero').diagnostics.map(formatDiagnostic)).toEqual([
      '/dev/zero: file goes on past the 1 MiB limit (a pipe or device) (split it into several files) [file-too-large]',
    ]);
    expect(Date.now() - t0).toBeLessThan(2000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-rules-'));
    const fifo = path.join(dir, 'endless.yaml');
    execFileSync('mkfifo', [fifo]);
    // a writer that would go on for 8 MiB; the reader stops after one and the writer gets EPIPE
    const writer = spawn('sh', ['-c', `yes '# aaaa' | head -c 8388608 > '${fifo}'`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    expect(loadYamlFile(fifo).diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
    await exited;
    // a small file through a FIFO is read whole
    const small = spawn('sh', ['-c', `printf 'rules: []\\n' > '${fifo}'`], { stdio: 'ignore' });
    const smallExited = new Promise((resolve) => small.on('exit', resolve));
    expect(loadYamlFile(fifo).value).toEqual({ rules: [] });
    await smallExited;
    expect(loadYamlFile(dir).diagnostics.map(formatDiagnostic)).toEqual([`${dir}: is a folder, not a YAML file [not-a-file]`]);
    fs.rmSync(dir, { recursive: true });
  });

  it('reports unreadable files as diagnostics', () => {
    expect(loadYamlFile('/nonexistent/socklint.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      '/nonexistent/socklint.yaml: YAML file not found [unreadable-file]',
    ]);
  });

  it('says in words why a path cannot be read: a file in the path, a loop of symbolic links, a name too long', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-yaml-read-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.yaml'), 'rules: []\n');
      fs.symlinkSync(path.join(dir, 'l2.yaml'), path.join(dir, 'l1.yaml'));
      fs.symlinkSync(path.join(dir, 'l1.yaml'), path.join(dir, 'l2.yaml'));
      const said = (name: string) => loadYamlFile(path.join(dir, name)).diagnostics.map((d) => [d.code, d.message, d.hint]);
      expect(said('a.yaml/x.yaml')).toEqual([['unreadable-file', 'cannot read the YAML file (a part of the path is a file, not a folder)', undefined]]);
      expect(said('l1.yaml')).toEqual([['unreadable-file', 'cannot read the YAML file (a loop of symbolic links)', undefined]]);
      expect(said(`${'n'.repeat(300)}.yaml`)).toEqual([['unreadable-file', 'cannot read the YAML file (the path, or a name in it, is too long)', 'a file or folder name is at most 255 bytes on most file systems']]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('across files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-pack-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), ruleYaml('    match: {state: LISTEN}'));
    fs.writeFileSync(path.join(dir, 'b.yaml'), `# another file\n${ruleYaml('    match: {state: ESTAB}')}`);
    fs.writeFileSync(path.join(dir, 'c.yaml'), ruleYaml('    match: {state: LISTN}').replace('test-rule', 'other-rule'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  it('duplicate ids point at the second definition and name the first; all files are checked', () => {
    const pack = loadRulePack([dir], { includeDefault: false });
    expect(pack.diagnostics.map(formatDiagnostic)).toEqual([
      `${path.join(dir, 'b.yaml')}:3:9: rule id 'test-rule' is already defined (first defined at ${path.join(dir, 'a.yaml')}:2:9; ids must be unique) [duplicate-id]`,
      `${path.join(dir, 'c.yaml')}:9:20: 'rules[0].match.state': 'LISTN' is not allowed (did you mean 'LISTEN'?) [unknown-value]`,
    ]);
    expect(pack.definitions.map((d) => d.id)).toEqual(['test-rule']);
  });

  it('the id of a rule whose file has schema errors counts too: its duplicates are reported with them, at once', () => {
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'x.yaml'), ruleYaml('    match: {local.prot: 22}'));
    fs.writeFileSync(path.join(broken, 'y.yaml'), ruleYaml('    match: {local.port: 22}'));
    const pack = loadRulePack([broken], { includeDefault: false });
    expect(pack.diagnostics.map((d) => `${path.basename(d.file)}:${d.line} ${d.code}`)).toEqual(['x.yaml:9 unknown-field', 'y.yaml:2 duplicate-id']);
  });

  it('a pack rule id that clashes with the default pack is a duplicate too', () => {
    const clash = path.join(dir, 'clash');
    fs.mkdirSync(clash);
    fs.writeFileSync(path.join(clash, 'x.yaml'), ruleYaml('    match: {state: LISTEN}').replace('test-rule', 'high-rtt'));
    const pack = loadRulePack([clash], { includeDefault: true });
    expect(pack.diagnostics.map((d) => d.code)).toEqual(['duplicate-id']);
  });

  it('a named snapshot or a folder without rule files is an error, not "no rules" (a rule fixture is skipped)', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const snap = path.join(dir, 'web-01.ss');
    const fixture = path.join(dir, 'test-rule.test.ss');
    fs.writeFileSync(snap, 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\n');
    fs.writeFileSync(fixture, '# ruleid: test-rule\n');
    const pack = loadRulePack([empty, snap, fixture, path.join(dir, 'a.yaml')], { includeDefault: false });
    expect(pack.diagnostics.map(formatDiagnostic)).toEqual([
      `${empty}: no rule files (.yaml, .yml) in this directory (name the folder or the YAML files that hold your rules) [no-rule-files]`,
      `${snap}: this is a snapshot (.ss), not a rule file (snapshots to scan follow the options on their own: socklint scan --rules my-rules/ web-01.ss) [not-a-rule-file]`,
    ]);
    expect(pack.definitions.map((d) => d.id)).toEqual(['test-rule']);
    fs.rmSync(snap);
    fs.rmSync(fixture);
  });
});

describe('variable and level overrides (config)', () => {
  const text = ruleYaml('    vars:\n      threshold: {type: number, default: 100}\n      ports: {type: port-list, default: [22]}\n    match:\n      recvQ: {gt: $threshold}\n      local.port: {in: $ports}');
  const def = () => loadRuleText(text, 'r.yaml').definitions[0];
  const opts = { overridesFile: 'socklint.yaml', positionOfOverride: (name: string) => ({ line: name === 'treshold' ? 7 : 8, column: 9 }) };

  it('applies valid overrides and the level override', () => {
    const r = compileRule(def(), { threshold: 5, ports: [22, '8000-8080'] }, 'error', opts);
    expect(r.level).toBe('error');
    expect(r.meta.level).toBe('error');
  });

  it('rejects unknown variables and wrong types with the config position', () => {
    const r = tryCompileRule(def(), { treshold: 5, ports: [22, 70000] }, undefined, opts);
    expect(r.rule).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "socklint.yaml:7:9: rule 'test-rule' has no variable 'treshold' (did you mean 'threshold'?) [unknown-variable]",
      "socklint.yaml:8:9: variable 'ports' of rule 'test-rule' (port-list) item 2: 70000 is not a port (0–65535) [bad-variable]",
    ]);
  });

  it('compileRule throws a UserError with exit code 2', () => {
    try {
      compileRule(def(), { threshold: 'many' }, undefined, opts);
      throw new Error('expected a UserError');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).exitCode).toBe(ExitCode.usage);
      expect((e as UserError).diagnostics[0].message).toBe("variable 'threshold' of rule 'test-rule' (number) must be a number, not the string 'many'");
    }
  });
});
