/**
 * `glob:` matchers (and config globs that are not plain names) test a subject with each glob's regular expression,
 * as picomatch's matcher would answer: picomatch's matcher makes two objects per call, and a pack of hundreds of
 * `glob:` rules — each a matcher of its own behind one call site — cost ~330 ns a call against ~40 for the
 * expression (500 rules on 1M unix sockets: ~300 s).
 */
import fc from 'fast-check';
import { globsMatcher, globTester } from '../../src/rules/glob';
import { compile, ruleYaml } from './helpers';
import type { SocketRecord } from '../../src/snapshot/types';

/** Calls of matchers picomatch() made (jest.mock below): the rules' matchers make none. */
let matcherCalls = 0;
jest.mock('picomatch', () => {
  const actual = jest.requireActual('picomatch');
  return Object.assign((pattern: string | string[], options?: object) => {
    const m = actual(pattern, options);
    return (s: string) => {
      matcherCalls++;
      return m(s);
    };
  }, actual);
});
const picomatch = jest.requireActual('picomatch') as (p: string | string[], o?: object) => (s: string) => boolean;

const PARTS = ['/', 'tmp', 'run', '.', '..', '*', '**', '?', 'a', 'b', '[ab]', '[!a]', '{a,b}', '\\*', '!', '-', '.sock', '@', '\n', '+(a)', '(a|b)', 'x'];
const glob = fc.array(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
const subject = fc.oneof(fc.array(fc.constantFrom(...PARTS, 'c', '/tmp/'), { maxLength: 6 }).map((p) => p.join('')), glob, fc.string({ maxLength: 8 }));

it('answers as picomatch does, for a list of globs, with and without the rules\' options', () => {
  fc.assert(fc.property(fc.array(glob, { minLength: 1, maxLength: 3 }), fc.array(subject, { maxLength: 8 }), fc.boolean(), (globs, subjects, ruleOptions) => {
    const options = ruleOptions ? { dot: true, flags: 's' } : undefined;
    let theirs: ((s: string) => boolean) | undefined;
    try {
      theirs = picomatch(globs, options);
    } catch {
      expect(() => globsMatcher(globs, options)).toThrow();
      return;
    }
    const ours = globsMatcher(globs, options);
    for (const s of subjects) expect(ours(s)).toBe(theirs(s));
    if (globs.length === 1) for (const s of subjects) expect(globTester(globs[0])(s)).toBe(picomatch(globs[0])(s));
  }), { numRuns: 3000 });
});

it("a rule's glob: matcher calls no picomatch matcher per socket", () => {
  const rule = compile(ruleYaml('    match: {local.path: {glob: ["/tmp/**", "/var/run/*.sock"]}}'));
  const socket = (path: string) => ({ netid: 'u_str', state: 'LISTEN', local: { address: path, port: 1, path }, peer: { address: '*', port: null }, location: { file: 'f', line: 1 } }) as unknown as SocketRecord;
  matcherCalls = 0;
  const answers = ['/tmp/app/sock', '/var/run/a.sock', '/var/lib/a.sock', '/tmp/x\ny'].map((p) => rule.match(socket(p)));
  expect(answers).toEqual([true, true, false, true]);
  expect(matcherCalls).toBe(0);
});
