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

function compileUncached(source: string, opts: RegexOptions): RegexResult {
  if (source.length > MAX_REGEX_LENGTH) return { error: `regular expression longer than ${MAX_REGEX_LENGTH} characters` };
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
