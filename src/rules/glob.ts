/**
 * Glob patterns (picomatch) as users write them in rules (`glob:`) and config (`hosts:`, waivers): whether a
 * pattern is one picomatch can use. picomatch is loaded only when a pattern needs it (start-up time).
 */
import type picomatchType from 'picomatch';
import { linearTester, unboundedQuantifiers } from './linear-regex';

let lib: typeof picomatchType | undefined;

/** picomatch, loaded on first use. */
export function picomatchLib(): typeof picomatchType {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (lib ??= require('picomatch') as typeof picomatchType);
}

/**
 * The text a glob matches when it matches only that text — letters, digits, `_`, `-` and (not first) `.`, as
 * host names and rule ids are written — else undefined. picomatch matches such a pattern exactly (nothing in it
 * is special to it: no `/`, no leading `./` or `!`, no wildcard, bracket, brace or escape), so a caller may test
 * it by equality, or look it up by its text, instead of running a matcher per subject (a config's thousands of
 * waivers for named hosts, each asked about every finding).
 */
export function literalGlob(pattern: string): string | undefined {
  return /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(pattern) ? pattern : undefined;
}

/** A test of subjects against a glob (picomatch's, as users write it in config): an equality for a literal one. */
export function globTester(pattern: string): (subject: string) => boolean {
  const literal = literalGlob(pattern);
  return literal !== undefined ? (subject) => subject === literal : globsMatcher([pattern]);
}

/**
 * A test of subjects against globs as picomatch(globs, options) tests them — true for a subject one of them
 * matches (one equal to a glob's own text does), never for '' — by each glob's regular expression
 * (picomatch.makeRe), called directly. picomatch's matcher makes two objects a call, and a rule pack of hundreds of
 * `glob:` rules, each a matcher of its own behind one call site, cost ~330 ns a call against ~40 (500 such rules on
 * 1M unix sockets: ~300 s). Throws as picomatch does for a pattern it refuses.
 */
export function globsMatcher(globs: readonly string[], options?: picomatchType.PicomatchOptions): (subject: string) => boolean {
  const pm = picomatchLib();
  const res = globs.map((g) => {
    if (g === '') throw new TypeError('Expected pattern to be a non-empty string'); // (as picomatch says it)
    return boundedTest(pm.makeRe(g, options));
  });
  if (globs.length === 1) {
    const [glob] = globs;
    const [test] = res;
    return (s) => s !== '' && (s === glob || test(s));
  }
  return (s) => {
    if (s === '') return false;
    for (let i = 0; i < globs.length; i++) if (s === globs[i] || res[i](s)) return true;
    return false;
  };
}

/** Steps of V8's backtracking a glob's test may take at most (its subject's length to the power of its stars). */
const BACKTRACKING_STEPS = 10000;

/**
 * `re.test`, by V8's own engine where its backtracking is bounded — one star, or a subject short enough for the
 * glob's stars (a process name of 15 characters, `*-*-*`) — else in linear time (linearTester): a glob of several
 * stars on a long subject it does not match took V8 seconds to minutes (`*a*a*a*a*a*a*a*a*b`, 46 characters: 22 s),
 * and snapshots say what the subjects are.
 */
function boundedTest(re: RegExp): (s: string) => boolean {
  const stars = unboundedQuantifiers(re.source);
  if (stars <= 1) return (s) => re.test(s);
  const linear = linearTester(re);
  if (linear === undefined) return (s) => re.test(s);
  const longest = Math.floor(BACKTRACKING_STEPS ** (1 / stars));
  return (s) => (s.length <= longest ? re.test(s) : linear(s));
}

/** What to write instead of a pattern globProblem refuses. */
export const GLOB_HINT = 'close each { ( [ it opens, write ranges low to high ([0-9], {1..3}); a \\ before a character makes it literal';

/**
 * Why picomatch cannot use a glob, or undefined when it can. picomatch never says so itself: a pattern whose
 * regular expression is invalid (`web-{a,b`, `[z-a]`, `a\`) silently becomes one that matches only the pattern's
 * own text, and one longer than its MAX_LENGTH (65,536 characters) throws when it is compiled. A short pattern
 * without { ( [ or \ cannot be invalid: picomatch is not loaded for it.
 */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length <= 1000 && !/[{(\[\\]/.test(pattern)) return undefined;
  const picomatch = picomatchLib();
  if (pattern.length > picomatch.constants.MAX_LENGTH) return `longer than ${picomatch.constants.MAX_LENGTH} characters`;
  if (/(^|[^\\])(\\\\)*\\$/.test(pattern)) return 'it ends with a \\ that escapes nothing';
  const unclosed = unclosedBracket(pattern);
  if (unclosed) return `an unclosed ${unclosed}`;
  try {
    picomatch.makeRe(pattern, { debug: true });
    return undefined;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // "Invalid regular expression: /^(?:web-(a|b)$/: Unterminated group": the regular expression is picomatch's, not the user's
    const tail = /^Invalid regular expression: .*: ([^:]+)$/.exec(reason)?.[1] ?? reason;
    return tail.charAt(0).toLowerCase() + tail.slice(1);
  }
}

/**
 * The `[` or `(` of a glob that is never closed (picomatch takes it as a literal character, and does not say so:
 * `/tmp/[ab*` would match only names with a `[` in them), or undefined. A \ makes the next character literal;
 * inside `[…]` only `]` ends it (a `]` right after `[` or `[!` / `[^` is a member, as in POSIX classes).
 */
function unclosedBracket(pattern: string): '[' | '(' | undefined {
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '!' || pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) return '[';
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
  }
  return depth > 0 ? '(' : undefined;
}
