/**
 * Regular expressions in user files are RE2 (re2js): matching time is linear in the input, so no
 * rule or waiver can hang a scan with catastrophic backtracking. Backreferences and lookarounds are
 * refused at load time with a diagnostic.
 */
import type { RE2JS as RE2JSClass } from 're2js';
import type { Diagnostic } from '../diagnostics';

/** re2js is loaded on first use (~40 ms), and each pattern compiled once per process. */
let re2: typeof RE2JSClass | undefined;
const compiled = new Map<string, RegexResult>();

export interface CompiledRegex {
  source: string;
  /** Unanchored search, like grep: use `^…$` to match the whole value. */
  test(input: string): boolean;
}

export type RegexResult = { regex: CompiledRegex } | { error: string };

export interface RegexOptions {
  caseInsensitive?: boolean;
}

/** Longest pattern accepted; RE2 programs grow with the pattern, and no rule needs more. */
export const MAX_REGEX_LENGTH = 1000;

export function compileRegex(source: string, opts: RegexOptions = {}): RegexResult {
  const key = `${opts.caseInsensitive ? 'i' : '-'}${source}`;
  let r = compiled.get(key);
  if (!r) {
    r = compileUncached(source, opts);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, r);
  }
  return r;
}

/**
 * States a pattern may expand to (regexSize), and all patterns of the process together. re2js builds a
 * bounded repetition out of copies (`.{0,1000}`: 1,000 optional dots) and keeps them: measured ~350 bytes
 * and ~5 µs per state (10 patterns of 3,000: 10 MB, 0.15 s), so one legal 992-character pattern (`x` then
 * `.{0,1000}` 110 times) took 0.7 s and 75 MB, and a 1 MiB rule file of such patterns ended the process out
 * of memory. (RE2 in C++ bounds this with its max_mem; re2js checks only nested repetitions.) Real patterns
 * are far below: the default pack's largest is under 100.
 */
export const MAX_REGEX_SIZE = 5_000;
export const MAX_REGEX_SIZE_TOTAL = 50_000;
let totalSize = 0;

function compileUncached(source: string, opts: RegexOptions): RegexResult {
  if (source.length > MAX_REGEX_LENGTH) return { error: `regular expression longer than ${MAX_REGEX_LENGTH} characters` };
  const size = regexSize(source);
  if (size > MAX_REGEX_SIZE) {
    return { error: `regular expression too large once its repetitions are expanded (~${size} states, at most ${MAX_REGEX_SIZE}): use smaller {n,m} counts, or * and +` };
  }
  if (totalSize + size > MAX_REGEX_SIZE_TOTAL) {
    return { error: `regular expressions too large together (~${totalSize + size} states once their repetitions are expanded, at most ${MAX_REGEX_SIZE_TOTAL}): use smaller {n,m} counts, or * and +` };
  }
  totalSize += size;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (!re2) re2 = (require('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS;
  const RE2JS = re2;
  try {
    const re = RE2JS.compile(source, opts.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    return { regex: { source, test: (input: string) => re.test(input) } };
  } catch (e) {
    const err = e as { error?: string; message?: string };
    let reason = err.message ?? String(e);
    reason = reason.replace(/^error parsing regexp: /, '');
    if (/\\[1-9]/.test(source) && /escape/.test(reason)) reason += ' (backreferences are not supported: patterns are RE2, linear time)';
    else if (/\(\?[=!<]/.test(source)) reason += ' (lookarounds are not supported: patterns are RE2, linear time)';
    return { error: `bad regular expression: ${reason}` };
  }
}

/** compileRegex for callers that report at a position (config waivers): the error as a Diagnostic. */
export function compileRegexAt(source: string, where: { file: string; line?: number; column?: number }, opts: RegexOptions = {}): { regex: CompiledRegex } | { diagnostic: Diagnostic } {
  const r = compileRegex(source, opts);
  if ('regex' in r) return r;
  return { diagnostic: { ...where, code: 'bad-regex', message: r.error } };
}

/**
 * An upper estimate of the states RE2 compiles `source` to: 1 per character, class or anchor; a group the sum
 * of its parts; `x{n,m}` max(n, m) copies of x (`{n,}` n + 1); `*`, `+`, `?` one more. Syntax it does not
 * know counts as characters: RE2 reports the errors.
 */
export function regexSize(source: string): number {
  let i = 0;
  const n = source.length;
  // one alternation (up to `)` or the end): the size of each branch, summed
  const alternation = (): number => {
    let total = sequence();
    while (i < n && source[i] === '|') {
      i++;
      total += sequence() + 1;
    }
    return total;
  };
  const sequence = (): number => {
    let total = 0;
    while (i < n && source[i] !== '|' && source[i] !== ')') {
      let atom = 1;
      const c = source[i];
      if (c === '(') {
        i++;
        if (source[i] === '?') {
          // (?P<name>…), (?:…), (?i:…), (?i): the name and flags are no states; (?i) is no group either
          const rest = source.slice(i, i + 256);
          const named = /^\?P?<[^>]*>/.exec(rest);
          const flags = named ? null : /^\?[a-zA-Z-]*([:)])/.exec(rest);
          i += (named ?? flags)?.[0].length ?? 0;
          if (flags?.[1] === ')') continue;
        }
        atom = alternation() + 1;
        if (source[i] === ')') i++;
      } else if (c === '[') {
        // a class: one state, whatever it holds (`[]a]` and `[^]a]` start with a `]`)
        i++;
        if (source[i] === '^') i++;
        if (source[i] === ']') i++;
        while (i < n && source[i] !== ']') {
          if (source[i] === '\\') i++;
          else if (source.startsWith('[:', i)) {
            const e = source.indexOf(':]', i + 2);
            if (e > 0) i = e + 1;
          }
          i++;
        }
        i++;
      } else if (c === '\\') {
        i++;
        if (source[i] === 'Q') {
          // \Q…\E: each literal character a state
          const e = source.indexOf('\\E', i + 1);
          const end = e < 0 ? n : e;
          atom = Math.max(1, end - i - 1);
          i = e < 0 ? n : e + 2;
        } else if ((source[i] === 'p' || source[i] === 'P' || source[i] === 'x') && source[i + 1] === '{') {
          const e = source.indexOf('}', i);
          i = e < 0 ? n : e + 1;
        } else i++;
      } else i++;
      // its quantifiers (`a{2}{3}` is RE2's error to give; counted as one would expand it)
      for (;;) {
        const q = source[i];
        if (q === '*' || q === '+' || q === '?') {
          atom += 1;
          i++;
        } else if (q === '{') {
          const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i, i + 24));
          if (!m) break;
          const lo = Number(m[1]);
          const hi = m[2] === undefined ? lo : m[3] === '' ? lo + 1 : Number(m[3]);
          atom *= Math.max(1, lo, hi);
          i += m[0].length;
        } else break;
        if (source[i] === '?') i++; // lazy
      }
      total += atom;
    }
    return total;
  };
  let total = 0;
  for (;;) {
    total += alternation();
    if (i >= n) return total;
    i++; // an unbalanced `)`: RE2 reports it
  }
}
