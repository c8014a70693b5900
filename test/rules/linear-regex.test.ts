/**
 * linearTester answers as V8's RegExp test does, on the expressions picomatch makes of globs (and others of the
 * syntax it reads), in time linear in the subject.
 */
import fc from 'fast-check';
import { linearTester, unboundedQuantifiers } from '../../src/rules/linear-regex';
import { globsMatcher } from '../../src/rules/glob';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const picomatch = require('picomatch') as { makeRe(g: string, o?: object): RegExp };

const PARTS = ['/', 'tmp', 'run', '.', '..', '*', '**', '?', 'a', 'b', '[ab]', '[!a]', '[a-c]', '{a,b}', '{1..3}', '\\*', '!', '-', '.sock', '@', '\n',
  '+(a)', '*(a|b)', '?(b)', '@(a|b)', '!(a)', '(a|b)', 'x', '[[:digit:]]', '1'];
const glob = fc.array(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 7 }).map((p) => p.join(''));
const subject = fc.oneof(
  fc.array(fc.constantFrom(...PARTS, 'c', '/tmp/', '2', 'aaaa'), { maxLength: 8 }).map((p) => p.join('')),
  fc.string({ maxLength: 10 }),
  glob,
);

it('answers as RegExp.test on the expressions picomatch makes of globs, with and without the rules\' options', () => {
  let taken = 0;
  let all = 0;
  fc.assert(fc.property(glob, fc.array(subject, { minLength: 1, maxLength: 10 }), fc.boolean(), (g, subjects, ruleOptions) => {
    let re: RegExp;
    try {
      re = picomatch.makeRe(g, ruleOptions ? { dot: true, flags: 's' } : undefined);
    } catch {
      return;
    }
    all++;
    const linear = linearTester(re);
    if (linear === undefined) return;
    taken++;
    for (const s of subjects) expect({ g, s, answer: linear(s) }).toEqual({ g, s, answer: re.test(s) });
  }), { numRuns: 2000 });
  // (it reads nearly all of them: what it does not, V8 tests)
  expect(taken / all).toBeGreaterThan(0.95);
});

it('answers as RegExp.test on expressions of the syntax it reads', () => {
  const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\.', '\\d', '\\w', '\\s', '[a-c\\d]', '\\/', 'x', '^', '$');
  const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('node'), fc.constantFrom('*', '+', '?', '*?', '+?', '{2}', '{1,3}', '{0,}', '')).map(([n, q]) => (/^[\^$]$/.test(n as string) ? n as string : `(?:${n as string})${q}`)),
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((xs) => (xs as string[]).join('')),
      fc.tuple(tie('node'), tie('node')).map(([x, y]) => `(?:${x as string}|${y as string})`),
      fc.tuple(fc.constantFrom('(?=', '(?!'), tie('node')).map(([l, n]) => `${l}${n as string})`),
      tie('node').map((n) => `(${n as string})`),
    ),
  })).node;
  fc.assert(fc.property(expr, fc.boolean(), fc.array(fc.array(fc.constantFrom('a', 'b', 'x', '.', '/', '1', ' ', '\n'), { maxLength: 8 }).map((cs) => cs.join('')), { minLength: 1, maxLength: 6 }), (source, dotAll, subjects) => {
    const re = new RegExp(source, dotAll ? 's' : '');
    const linear = linearTester(re);
    expect(linear).toBeDefined();
    for (const s of subjects) expect({ source, s, answer: linear!(s) }).toEqual({ source, s, answer: re.test(s) });
  }), { numRuns: 2000 });
});

it('takes what it does not read to V8 (undefined): lookbehind, backreferences, \\b, flags i, u', () => {
  for (const re of [/(?<=a)b/, /(a)\1/, /\bword/, /a/i, /a/u, /(?<n>a)/]) expect(linearTester(re)).toBeUndefined();
});

it('a glob of many stars on a long subject it does not match is answered at once (V8 took 22 s on 46 characters)', () => {
  const glob = '*a*a*a*a*a*a*a*a*b';
  expect(unboundedQuantifiers(picomatch.makeRe(glob, { dot: true, flags: 's' }).source)).toBe(9);
  const test = globsMatcher([glob], { dot: true, flags: 's' });
  const started = process.hrtime.bigint();
  expect(test('a'.repeat(5000))).toBe(false);
  expect(test(`${'a'.repeat(5000)}b`)).toBe(true);
  // (a bound no backtracking run meets: 5000 characters and nine stars)
  expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(20000);
});
