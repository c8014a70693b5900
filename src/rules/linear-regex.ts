/**
 * A test of strings against a JavaScript regular expression in time linear in the string: the expressions picomatch
 * makes of globs (`glob:` in rules, host and rule globs in config), which V8 runs by backtracking — a glob of k stars
 * costs up to ~n^k steps on a subject it does not match (`*a*a*a*a*a*a*a*a*b` on a 46-character process name:
 * 22 s), and the subjects come from snapshots. RE2 (re2js) cannot take them: picomatch writes lookaheads
 * (`(?!\.)`, `(?=.)`, `(?!(?:foo)$)` for `!(foo)`).
 *
 * The expression is compiled to a Thompson NFA whose lookaheads are assertions, each answered by a search of its own
 * NFA. A search walks (state, position) pairs depth-first and marks those from which no match can be reached: a pair
 * is explored once, whatever the start, so a test is O(states × length). Only what a test needs: no captures,
 * greedy and lazy quantifiers alike (whether some match exists does not depend on which is tried first).
 *
 * The syntax read is what picomatch writes: literals and escapes, `.`, classes with ranges and `\d\w\s`, groups
 * `(…)`, `(?:…)`, `(?=…)`, `(?!…)`, alternation, `* + ? {n} {n,} {n,m}` (lazy or not), `^` and `$`; flags `s`
 * (and `g`, ignored by a test). Anything else — lookbehind, backreferences, `\b`, named groups, flags i, m, u, y —
 * gives undefined: the caller keeps V8's expression.
 */

type Node =
  | { t: 'char'; test: (c: number) => boolean }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'repeat'; node: Node; min: number; max: number }
  | { t: 'look'; node: Node; negate: boolean }
  | { t: 'bol' }
  | { t: 'eol' };

/** Bounded repetitions are written out: `{1,2}` twice, `{3}` three times. Past this, the expression is not taken. */
const MAX_COUNTED = 64;
/** States of one expression at most (its NFA is written out once per test of a long subject: kept small). */
const MAX_STATES = 4096;

class Unsupported extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly src: string, private readonly dotAll: boolean) {}

  parse(): Node {
    const n = this.alternation();
    if (this.i !== this.src.length) throw new Unsupported();
    return n;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.quantified());
    return { t: 'seq', items };
  }

  private quantified(): Node {
    const atom = this.atom();
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom; // (a `{` that starts no count is a literal in JavaScript: atom() reads it next)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min || min > MAX_COUNTED || (max !== Infinity && max > MAX_COUNTED)) throw new Unsupported();
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy: the same for a test
    if (atom.t === 'bol' || atom.t === 'eol' || atom.t === 'look') throw new Unsupported();
    return { t: 'repeat', node: atom, min, max };
  }

  private atom(): Node {
    const s = this.src;
    const c = s[this.i++];
    switch (c) {
      case '^': return { t: 'bol' };
      case '$': return { t: 'eol' };
      case '.': return this.dotAll ? { t: 'char', test: () => true } : { t: 'char', test: (x) => !isLineTerminator(x) };
      case '[': return this.charClass();
      case '\\': {
        const e = this.escape(false);
        return { t: 'char', test: typeof e === 'number' ? (x) => x === e : e };
      }
      case '(': {
        let look: { negate: boolean } | undefined;
        if (s[this.i] === '?') {
          const k = s[this.i + 1];
          if (k === ':') this.i += 2;
          else if (k === '=' || k === '!') {
            look = { negate: k === '!' };
            this.i += 2;
          } else throw new Unsupported(); // lookbehind, named groups
        }
        const inner = this.alternation();
        if (s[this.i++] !== ')') throw new Unsupported();
        return look ? { t: 'look', node: inner, negate: look.negate } : inner;
      }
      case ')': case '*': case '+': case '?': case undefined:
        throw new Unsupported();
      default: {
        const code = c.charCodeAt(0);
        return { t: 'char', test: (x) => x === code };
      }
    }
  }

  /** After a `\`: the code unit it stands for, or a test (`\d`, `\w`, `\s` and their complements). */
  private escape(inClass: boolean): number | ((c: number) => boolean) {
    const e = this.src[this.i++];
    if (e === undefined) throw new Unsupported();
    switch (e) {
      case 'd': return isDigit;
      case 'D': return (x) => !isDigit(x);
      case 'w': return isWord;
      case 'W': return (x) => !isWord(x);
      case 's': return isSpace;
      case 'S': return (x) => !isSpace(x);
      case 'n': return 10;
      case 'r': return 13;
      case 't': return 9;
      case 'f': return 12;
      case 'v': return 11;
      case '0': return 0;
      case 'x': case 'u': {
        const m = (e === 'x' ? /^[0-9A-Fa-f]{2}/ : /^[0-9A-Fa-f]{4}/).exec(this.src.slice(this.i));
        if (!m) throw new Unsupported();
        this.i += m[0].length;
        return parseInt(m[0], 16);
      }
      default:
        // an escaped punctuation character is itself (in a class, \b is a backspace); a letter or digit is
        // something this reader does not know (\b, \B, backreferences, \c, \p)
        if (inClass && e === 'b') return 8;
        if (/[A-Za-z0-9]/.test(e)) throw new Unsupported();
        return e.charCodeAt(0);
    }
  }

  private charClass(): Node {
    const s = this.src;
    const negate = s[this.i] === '^';
    if (negate) this.i++;
    const tests: ((c: number) => boolean)[] = [];
    const ranges: number[] = [];
    while (this.i < s.length && s[this.i] !== ']') {
      const lo = this.classAtom();
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length && typeof lo === 'number') {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number' || hi < lo) throw new Unsupported();
        ranges.push(lo, hi);
      } else if (typeof lo === 'number') ranges.push(lo, lo);
      else tests.push(lo);
    }
    if (s[this.i++] !== ']') throw new Unsupported();
    const inClass = (x: number): boolean => {
      for (let k = 0; k < ranges.length; k += 2) if (x >= ranges[k] && x <= ranges[k + 1]) return true;
      for (const t of tests) if (t(x)) return true;
      return false;
    };
    return { t: 'char', test: negate ? (x) => !inClass(x) : inClass };
  }

  /** One member of a class: a code unit, or a test (`\d`, `\w`, `\s` and their complements). */
  private classAtom(): number | ((c: number) => boolean) {
    const c = this.src[this.i++];
    return c === '\\' ? this.escape(true) : c.charCodeAt(0);
  }
}

function isDigit(x: number): boolean {
  return x >= 48 && x <= 57;
}

function isWord(x: number): boolean {
  return isDigit(x) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122) || x === 95;
}

function isLineTerminator(x: number): boolean {
  return x === 10 || x === 13 || x === 0x2028 || x === 0x2029;
}

function isSpace(x: number): boolean {
  return (x >= 9 && x <= 13) || x === 32 || x === 0xa0 || x === 0x1680 || (x >= 0x2000 && x <= 0x200a) ||
    x === 0x2028 || x === 0x2029 || x === 0x202f || x === 0x205f || x === 0x3000 || x === 0xfeff;
}

// ── NFA ──

const CHAR = 0;
const SPLIT = 1;
const BOL = 2;
const EOL = 3;
const LOOK = 4;
const MATCH = 5;

interface State {
  kind: number;
  test?: (c: number) => boolean;
  /** CHAR, BOL, EOL, LOOK: the next state; SPLIT: the first. */
  next: number;
  /** SPLIT: the second. */
  alt: number;
  /** LOOK: its expression's start state, and whether it must not match. */
  look: number;
  negate: boolean;
}

class Nfa {
  readonly states: State[] = [];

  add(kind: number, extra: Partial<State> = {}): number {
    if (this.states.length >= MAX_STATES) throw new Unsupported();
    this.states.push({ kind, next: -1, alt: -1, look: -1, negate: false, ...extra });
    return this.states.length - 1;
  }

  /** Compiles `n` to states that go on to `next`; returns its start state. */
  build(n: Node, next: number): number {
    switch (n.t) {
      case 'char': return this.add(CHAR, { test: n.test, next });
      case 'bol': return this.add(BOL, { next });
      case 'eol': return this.add(EOL, { next });
      case 'seq': {
        let at = next;
        for (let k = n.items.length - 1; k >= 0; k--) at = this.build(n.items[k], at);
        return at;
      }
      case 'alt': {
        const starts = n.options.map((o) => this.build(o, next));
        let at = starts[starts.length - 1];
        for (let k = starts.length - 2; k >= 0; k--) at = this.add(SPLIT, { next: starts[k], alt: at });
        return at;
      }
      case 'look': {
        const end = this.add(MATCH);
        const start = this.build(n.node, end);
        return this.add(LOOK, { next, look: start, negate: n.negate });
      }
      case 'repeat': {
        let at = next;
        if (n.max === Infinity) {
          // a loop: SPLIT(body → back to the split, next)
          const split = this.add(SPLIT, { alt: next });
          this.states[split].next = this.build(n.node, split);
          at = split;
        } else {
          for (let k = n.min; k < n.max; k++) at = this.add(SPLIT, { next: this.build(n.node, at), alt: at });
        }
        for (let k = 0; k < n.min; k++) at = this.build(n.node, at);
        return at;
      }
    }
  }
}

/**
 * A test of strings as `re.test` answers, in time linear in the string (see above), or undefined when the
 * expression uses what this reader does not know.
 */
export function linearTester(re: RegExp): ((s: string) => boolean) | undefined {
  if (/[imuyv]/.test(re.flags)) return undefined;
  let nfa: Nfa;
  let start: number;
  try {
    const ast = new Parser(re.source, re.flags.includes('s')).parse();
    nfa = new Nfa();
    const end = nfa.add(MATCH);
    start = nfa.build(ast, end);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const states = nfa.states;
  return (s) => new Search(states, s).test(start);
}

/**
 * The searches of one subject: `dead` marks the (state, position) pairs from which the match state of the state's
 * own expression cannot be reached (each is explored once), `looks` the lookaheads' answers by position.
 */
class Search {
  private readonly width: number;
  private readonly dead: Uint8Array;
  private readonly onStack: Uint8Array;
  private readonly looks = new Map<number, boolean>();

  constructor(private readonly states: State[], private readonly s: string) {
    this.width = s.length + 1;
    this.dead = new Uint8Array(states.length * this.width);
    this.onStack = new Uint8Array(states.length * this.width);
  }

  test(start: number): boolean {
    for (let pos = 0; pos <= this.s.length; pos++) if (this.reaches(start, pos)) return true;
    return false;
  }

  /**
   * Whether the match state of `state`'s expression is reached from `state` at `pos`: depth first, with an explicit
   * stack (a long subject is a deep search). A pair whose successors are all explored without a match is dead —
   * unless one of them was skipped for being on the stack (a loop that consumed nothing), whose answer was not
   * known yet: such a pair, and those below it on the stack, are left to be explored again.
   */
  private reaches(state: number, pos: number): boolean {
    const { states, dead, onStack, width, s } = this;
    if (dead[state * width + pos]) return false;
    // frames of four numbers: state, position, the successor to try next, whether a skipped loop taints it
    const stack: number[] = [state, pos, 0, 0];
    onStack[state * width + pos] = 1;
    while (stack.length > 0) {
      const top = stack.length - 4;
      const st = stack[top];
      const p = stack[top + 1];
      const k = stack[top + 2]++;
      const node = states[st];
      if (node.kind === MATCH) {
        for (let f = 0; f < stack.length; f += 4) onStack[stack[f] * width + stack[f + 1]] = 0;
        return true;
      }
      let succ = -1;
      let at = p;
      if (k === 0) {
        if (node.kind === CHAR) {
          if (p < s.length && node.test!(s.charCodeAt(p))) { succ = node.next; at = p + 1; }
        } else if (node.kind === SPLIT) succ = node.next;
        else if (node.kind === BOL) { if (p === 0) succ = node.next; }
        else if (node.kind === EOL) { if (p === s.length) succ = node.next; }
        else if (this.look(st, p) !== node.negate) succ = node.next;
      } else if (k === 1 && node.kind === SPLIT) succ = node.alt;
      else {
        // done: dead, or (tainted) left for another visit
        onStack[st * width + p] = 0;
        const tainted = stack[top + 3];
        if (!tainted) dead[st * width + p] = 1;
        stack.length = top;
        if (tainted && top > 0) stack[top - 1] = 1;
        continue;
      }
      if (succ < 0) continue;
      const key = succ * width + at;
      if (dead[key]) continue;
      if (onStack[key]) {
        stack[top + 3] = 1;
        continue;
      }
      onStack[key] = 1;
      stack.push(succ, at, 0, 0);
    }
    return false;
  }

  /** Whether the lookahead of LOOK state `st` matches at `pos`. */
  private look(st: number, pos: number): boolean {
    const key = st * this.width + pos;
    let r = this.looks.get(key);
    if (r === undefined) {
      r = this.reaches(this.states[st].look, pos);
      this.looks.set(key, r);
    }
    return r;
  }
}

/**
 * The unbounded quantifiers of an expression (`*`, `+`, `{n,}`), outside classes: a backtracking engine's steps on
 * a subject of length n that it does not match grow up to about n to that power.
 */
export function unboundedQuantifiers(source: string): number {
  let count = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(source.slice(i)))) count++;
  }
  return count;
}
