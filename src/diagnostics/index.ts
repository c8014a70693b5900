/**
 * User-facing errors. Every problem in a user's input becomes a Diagnostic that names file:line:column,
 * says what is wrong in one line and, where it helps, what to write instead. The CLI alone prints them
 * and picks exit codes; nothing else writes to stderr or calls process.exit.
 */

export interface Position {
  line: number;
  column: number;
}

/** Exit codes: the contract CI gates on (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  snapshot: 3,
  internal: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface Diagnostic {
  file: string;
  /** 1-based; absent when the problem is the file as a whole. */
  line?: number;
  column?: number;
  /** kebab-case error code, e.g. `unknown-key`, `bad-cidr`. */
  code: string;
  message: string;
  /** "did you mean ..." / what to write instead. */
  hint?: string;
  /** The rule whose definition the problem is in, when it is about one rule (its id defined twice). */
  ruleId?: string;
}

/** Orders the diagnostics of one file as the file reads: by line, then column (one without a position first). */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** The message, and the hint after it in parentheses when there is one. */
export function messageWithHint(d: Pick<Diagnostic, 'message' | 'hint'>): string {
  return `${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (where === '') return messageWithHint(d);
  if (d.line !== undefined) {
    where += `:${d.line}`;
    if (d.column !== undefined) where += `:${d.column}`;
  }
  return `${where}: ${messageWithHint(d)} [${d.code}]`;
}

/** An error the CLI reports as diagnostics with an exit code, without a stack trace. */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: ExitCodeValue;
  constructor(diagnostics: Diagnostic[] | Diagnostic, exitCode: ExitCodeValue) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'UserError';
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * What `word` (any case) stands for in `aliases` (lower-case words → the name to write), or undefined; a word
 * the table does not hold as its own key (`constructor`) is none.
 */
export function aliasOf(aliases: Readonly<Record<string, string>> | undefined, word: string): string | undefined {
  const w = word.toLowerCase();
  return aliases !== undefined && Object.hasOwn(aliases, w) && typeof aliases[w] === 'string' ? aliases[w] : undefined;
}

/** The closest candidate within a sensible distance, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Escape control characters (C0, DEL, C1, and the ANSI ESC) so hostile text cannot drive a terminal. */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    switch (c) {
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
}
