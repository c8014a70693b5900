/**
 * Baselines: `socklint baseline` records today's findings by fingerprint; `scan --baseline` then marks the
 * findings already recorded as suppressed (kind `baseline`), so only new exposures fail a golden-image gate.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { readTextLimited } from '../read-limited';
import { notUtf8, tooLarge } from '../rules/yaml-source';
import { ExitCode, UserError } from '../diagnostics';
import { readProblem } from '../read-problem';
import type { Finding, ScanReport, SnapshotReport, Suppression, WaiverReport } from './types';
import type { FindingFilter } from './scan';
import type { FieldGroup } from '../snapshot/types';
import { compareText } from '../compare';
import { listed } from '../report/text';
import { formerFingerprint } from './fingerprint';

export const BASELINE_FORMAT = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  host: string;
  message: string;
}

export interface BaselineFile {
  socklintBaseline: number;
  tool: { name: string; version: string };
  createdAt: string;
  /** The hosts scanned, with or without findings (absent from baselines written before hosts were recorded: then their findings' hosts). */
  hosts?: string[];
  findings: BaselineEntry[];
}

/**
 * The findings to record (not suppressed, one per fingerprint), ordered by the text of host, rule id and
 * fingerprint joined (byJoinedKey).
 */
export function buildBaseline(report: ScanReport): BaselineFile {
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  for (const f of report.findings) {
    if (f.suppressed || seen.has(f.fingerprint)) continue; // (a waived finding's waiver decides: it fails once that ends)
    seen.add(f.fingerprint);
    findings.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, host: f.host, message: f.message });
  }
  findings.sort(byJoinedKey);
  const hosts = [...new Set(report.snapshots.map((s) => s.host))].sort(compareText);
  return { socklintBaseline: BASELINE_FORMAT, tool: { name: report.tool.name, version: report.tool.version }, createdAt: report.startedAt, hosts, findings };
}

/**
 * compareText of `host + ruleId + fingerprint`, without joining them: joined in each comparison, ordering 1M
 * findings made ~40M texts of garbage (~6 s of a 31 s `socklint baseline`, with their collections), and a key
 * kept per entry costs ~150 MB at 1M. Entries of one host and rule (most comparisons) compare their fingerprints.
 */
function byJoinedKey(a: BaselineEntry, b: BaselineEntry): number {
  if (a.host === b.host && a.ruleId === b.ruleId) return compareText(a.fingerprint, b.fingerprint);
  // by UTF-16 code unit along the three texts of each, as if joined
  const part = (e: BaselineEntry, i: number): string => (i === 0 ? e.host : i === 1 ? e.ruleId : e.fingerprint);
  let ai = 0;
  let ao = 0;
  let bi = 0;
  let bo = 0;
  for (;;) {
    while (ai < 3 && ao === part(a, ai).length) { ai++; ao = 0; }
    while (bi < 3 && bo === part(b, bi).length) { bi++; bo = 0; }
    if (ai === 3 || bi === 3) return ai === bi ? 0 : ai === 3 ? -1 : 1;
    const ca = part(a, ai).charCodeAt(ao++);
    const cb = part(b, bi).charCodeAt(bo++);
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
}

/**
 * The baseline's file text (`JSON.stringify(b, null, 2)` and a newline) in pieces, an entry at a time: the text of
 * a baseline of 1M findings is ~200 MB, which would be held on top of the findings; a larger one would pass the
 * longest string V8 can make.
 */
export function* baselineText(b: BaselineFile): Generator<string, void, undefined> {
  const { findings, ...head } = b;
  // the other keys as JSON.stringify indents them, `findings` last as buildBaseline orders them
  const top = JSON.stringify({ ...head, findings: [] }, null, 2);
  if (findings.length === 0) {
    yield `${top}\n`;
    return;
  }
  yield `${top.slice(0, -'[]\n}'.length)}[\n`;
  for (let i = 0; i < findings.length; i++) {
    yield `    ${JSON.stringify(findings[i], null, 2).replace(/\n/g, '\n    ')}${i < findings.length - 1 ? ',' : ''}\n`;
  }
  yield '  ]\n}\n';
}

/**
 * The largest baseline read: a fleet of 1,000 hosts with ~99,000 findings writes ~19 MB, 1M findings of one host
 * ~240 MB. The limit keeps a pipe or device given by mistake (`--baseline /dev/zero`) from being read without end.
 */
export const BASELINE_MAX_BYTES = 256 * 1024 * 1024;

const WRITE_IT = 'write it with `socklint baseline SNAPSHOT... -o FILE`';

/**
 * What `scan --baseline` keeps of a baseline file (loadBaseline): its findings as RecordedFindings, not as the
 * parsed entries.
 */
export interface LoadedBaseline {
  socklintBaseline: typeof BASELINE_FORMAT;
  createdAt: string;
  /** As recorded (absent from baselines written before hosts were recorded). */
  hosts?: string[];
  findings: RecordedFindings;
}

/**
 * Reads a baseline file as a stream, a piece at a time, keeping its fingerprints (RecordedFindings) and the few
 * texts around them, never the file's text nor its entries: JSON.parse of the text of 1M findings (~240 MB)
 * held it, the entries parsed from it and, in the filter, a Set of their fingerprints and of their hosts and
 * rules at once — a scan of a 1M-socket snapshot against its own baseline peaked at ~2 GB, ~1.07 GB of it
 * reading the baseline. A file that is not a baseline is named with the line (and column) where it goes wrong.
 */
export function loadBaseline(file: string): LoadedBaseline {
  let source: TextSource;
  try {
    source = openBaseline(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError({ file, code: 'unreadable-baseline', ...readProblem(e, 'baseline file'), ...((e as NodeJS.ErrnoException).code === 'ENOENT' ? { hint: WRITE_IT } : {}) }, ExitCode.usage);
  }
  try {
    return readBaseline(new JsonReader(source.next));
  } catch (e) {
    if (e instanceof NotUtf8) throw notUtf8Error(file);
    if (!(e instanceof BadBaseline)) throw e;
    const where = e.line === undefined ? {} : { line: e.line, column: e.column };
    const message = e.json ? `not JSON: ${e.message}` : `not a socklint baseline (version ${BASELINE_FORMAT}): ${e.message}`;
    throw new UserError({ file, ...where, code: 'bad-baseline', message, hint: WRITE_IT }, ExitCode.usage);
  } finally {
    source.close();
  }
}

/** The text of a file a piece at a time (`next` gives undefined at its end), and how to let go of the file. */
interface TextSource {
  next: () => string | undefined;
  close: () => void;
}

/**
 * Bytes read at a time. A text longer than ~128 KiB is made in V8's space for large objects, at a cost: 240 MB
 * read as texts of 256 KiB took ~2 s, of 64 KiB ~50 ms.
 */
const READ_BYTES = 64 * 1024;

/** The baseline's bytes were not UTF-8: readTextLimited says where. */
class NotUtf8 extends Error {}

/**
 * A regular file is read a piece at a time, as UTF-8; a pipe or a device through readTextLimited (which has what
 * preloadStreams read of a pipe, and reads a device only up to the limit), as one piece. Throws UserError for a
 * file over the limit, fs errors as they are.
 */
function openBaseline(file: string): TextSource {
  if (!fs.statSync(file).isFile()) return wholeText(file); // (a pipe's open waits for its writer: stat it first)
  const fd = fs.openSync(file, 'r');
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  if (!st.isFile() || st.size > BASELINE_MAX_BYTES) {
    fs.closeSync(fd);
    if (!st.isFile()) return wholeText(file); // (replaced since)
    throw new UserError(tooLarge(file, st.size, BASELINE_MAX_BYTES), ExitCode.usage);
  }
  // (Buffer's isUtf8, then toString, of what a read holds of whole characters: 240 MB in ~50 ms, a fatal
  // TextDecoder's streaming decode in ~200–600)
  const buf = Buffer.allocUnsafe(READ_BYTES + 4);
  let carried = 0; // the bytes of a character cut at the end of the last read, moved to the start
  let read = 0;
  let open = true;
  return {
    next: () => {
      while (open) {
        const n = fs.readSync(fd, buf, carried, READ_BYTES, null);
        read += n;
        if (read > BASELINE_MAX_BYTES) throw new UserError(tooLarge(file, read, BASELINE_MAX_BYTES), ExitCode.usage); // (grown since)
        if (n === 0) {
          open = false;
          if (carried > 0) throw new NotUtf8();
          return undefined;
        }
        const end = carried + n;
        const cut = wholeCharacters(buf, end);
        if (!isUtf8(buf.subarray(0, cut))) throw new NotUtf8();
        const text = buf.toString('utf8', 0, cut);
        buf.copy(buf, 0, cut, end);
        carried = end - cut;
        if (text.length > 0) return text;
      }
      return undefined;
    },
    close: () => {
      open = false;
      fs.closeSync(fd);
    },
  };
}

/** Where the last character that `bytes` holds whole among its first `end` ends (a UTF-8 sequence cut by a read starts there). */
function wholeCharacters(bytes: Buffer, end: number): number {
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte
    const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > end ? i : end;
  }
  return end; // (no lead byte among the last four: not UTF-8, which isUtf8 says)
}

function wholeText(file: string): TextSource {
  const read = readTextLimited(file, BASELINE_MAX_BYTES);
  if ('tooLarge' in read) throw new UserError(tooLarge(file, read.size, BASELINE_MAX_BYTES), ExitCode.usage);
  if ('notUtf8' in read) throw new UserError(notUtf8(file, read.notUtf8), ExitCode.usage);
  let text: string | undefined = read.text;
  return { next: () => { const t = text; text = undefined; return t; }, close: () => undefined };
}

/** Where a regular file's bytes stop being UTF-8, as readTextLimited says it (only then is the file read whole). */
function notUtf8Error(file: string): UserError {
  const read = readTextLimited(file, BASELINE_MAX_BYTES);
  if ('notUtf8' in read) return new UserError(notUtf8(file, read.notUtf8), ExitCode.usage);
  return new UserError({ file, code: 'not-utf8', message: 'the file is not UTF-8' }, ExitCode.usage); // (changed since)
}

/** The file is not JSON (`json`), or not a baseline buildBaseline could have written; where, when one place is. */
class BadBaseline extends Error {
  constructor(message: string, readonly json: boolean, readonly line?: number, readonly column?: number) {
    super(message);
  }
}

/** Nesting of arrays and objects the reader follows: no baseline needs more than three. */
const MAX_DEPTH = 64;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_CHARS = /[-+.eE0-9]*/y;
/** What a JSON text may not hold unescaped. */
const CONTROL = /[\u0000-\u001f]/;

/**
 * A JSON text read from `next` a piece at a time, as JSON.parse reads it (the same texts are refused), by a
 * recursive descent that hands each value to its caller: only the piece being read is held, and what a token
 * needs of the next. Lines are counted for the diagnostics.
 */
class JsonReader {
  private text = '';
  /** The next character's index in `text`. */
  private pos = 0;
  /** How many characters came before `text`. */
  private base = 0;
  private line = 1;
  /** Characters before the current line. */
  private lineStart = 0;
  private ended = false;

  constructor(private readonly next: () => string | undefined) {}

  /** Adds the next piece to what is held from `pos` on (the token being read): false at the end. */
  private more(): boolean {
    if (this.ended) return false;
    const piece = this.next();
    if (piece === undefined) {
      this.ended = true;
      return false;
    }
    this.base += this.pos;
    this.text = this.pos < this.text.length ? this.text.slice(this.pos) + piece : piece;
    this.pos = 0;
    return true;
  }

  /** The line and column of the next character. */
  where(): { line: number; column: number } {
    return { line: this.line, column: this.base + this.pos - this.lineStart + 1 };
  }

  fail(message: string, at = this.where()): never {
    throw new BadBaseline(message, true, at.line, at.column);
  }

  /** The next character past white space (its code), or -1 at the end of the text. */
  skip(): number {
    for (;;) {
      if (this.pos >= this.text.length && !this.more()) return -1;
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.pos++;
      else if (c === 0x0a) {
        this.pos++;
        this.line++;
        this.lineStart = this.base + this.pos;
      } else return c;
    }
  }

  /** Steps over the character skip() returned. */
  take(): void {
    this.pos++;
  }

  /** Whether the next character (not past white space) is a byte-order mark. */
  atByteOrderMark(): boolean {
    return (this.pos < this.text.length || this.more()) && this.text.charCodeAt(this.pos) === 0xfeff;
  }

  /** The string at the next character (a `"`). */
  string(): string {
    const at = this.where();
    let i = this.pos + 1;
    for (;;) {
      const q = this.text.indexOf('"', i);
      if (q < 0) {
        // (a string holds no line break: one that is not closed on its line is not read to the end of the file)
        const scanned = this.text.length - this.pos;
        if (this.text.indexOf('\n', i) >= 0) this.fail('a text in quotes is not closed on its line', at);
        if (!this.more()) this.fail('a text in quotes is not closed', at);
        i = this.pos + scanned;
        continue;
      }
      let k = q - 1;
      while (k > this.pos && this.text.charCodeAt(k) === 0x5c) k--;
      if ((q - 1 - k) % 2 === 1) {
        i = q + 1; // an escaped quote
        continue;
      }
      const raw = this.text.slice(this.pos + 1, q);
      let value = raw;
      if (CONTROL.test(raw)) this.fail(raw.includes('\n') ? 'a text in quotes is not closed on its line' : 'a text in quotes holds a control character', at);
      if (raw.includes('\\')) {
        try {
          value = JSON.parse(this.text.slice(this.pos, q + 1)) as string;
        } catch {
          this.fail('a text in quotes holds a \\ that is no JSON escape', at);
        }
      }
      this.pos = q + 1;
      return value;
    }
  }

  private number(): number {
    const at = this.where();
    let end: number;
    for (;;) {
      NUMBER_CHARS.lastIndex = this.pos;
      NUMBER_CHARS.test(this.text);
      end = NUMBER_CHARS.lastIndex;
      if (end < this.text.length || !this.more()) break;
    }
    const token = this.text.slice(this.pos, end);
    if (!NUMBER.test(token)) this.fail(`${JSON.stringify(token.slice(0, 40))} is not a number`, at);
    this.pos = end;
    return Number(token);
  }

  private literal(): boolean | null {
    while (this.text.length - this.pos < 5 && this.more());
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(`unexpected ${this.unexpected()}`);
  }

  /** The next character in words, for a message. */
  unexpected(): string {
    if (this.pos >= this.text.length && !this.more()) return 'end of the file';
    const c = this.text.codePointAt(this.pos) as number;
    return c < 0x20 || c === 0x7f ? `character U+${c.toString(16).padStart(4, '0').toUpperCase()}` : `'${String.fromCodePoint(c)}'`;
  }

  /** The next value (past white space), or with `keep` false only read. */
  value(depth: number, keep = true): unknown {
    const c = this.skip();
    if (c === 0x22) return this.string();
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) this.fail(`arrays and objects nested more than ${MAX_DEPTH} deep`);
      return c === 0x7b ? this.object(depth + 1, keep) : this.array(depth + 1, keep);
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74 || c === 0x66 || c === 0x6e) return this.literal();
    return this.fail(c < 0 ? 'the file ends where a value should be' : `unexpected ${this.unexpected()}`);
  }

  private object(depth: number, keep: boolean): Record<string, unknown> | undefined {
    const o: Record<string, unknown> | undefined = keep ? {} : undefined;
    this.members((key) => {
      const v = this.value(depth, keep);
      if (o === undefined) return;
      // (as JSON.parse makes it: a key of its own, not the prototype; an object made without one is ~4 times slower to fill)
      if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
      else o[key] = v;
    });
    return o;
  }

  /** The members of the object at the next character (a `{`): `member` reads each one's value. */
  members(member: (key: string) => void): void {
    this.take();
    let c = this.skip();
    if (c === 0x7d) {
      this.take();
      return;
    }
    for (;;) {
      if (c !== 0x22) this.fail(`expected a key in quotes, found ${this.unexpected()}`);
      const key = this.string();
      if (this.skip() !== 0x3a) this.fail(`expected ':' after the key, found ${this.unexpected()}`);
      this.take();
      member(key);
      c = this.skip();
      if (c === 0x2c) {
        this.take();
        c = this.skip();
      } else if (c === 0x7d) {
        this.take();
        return;
      } else this.fail(`expected ',' or '}', found ${this.unexpected()}`);
    }
  }

  private array(depth: number, keep: boolean): unknown[] | undefined {
    const a: unknown[] | undefined = keep ? [] : undefined;
    this.elements(() => {
      const v = this.value(depth, keep);
      a?.push(v);
    });
    return a;
  }

  /** The elements of the array at the next character (a `[`): `element` reads each one. */
  elements(element: () => void): void {
    this.take();
    if (this.skip() === 0x5d) {
      this.take();
      return;
    }
    for (;;) {
      element();
      const c = this.skip();
      if (c === 0x2c) this.take();
      else if (c === 0x5d) {
        this.take();
        return;
      } else this.fail(`expected ',' or ']', found ${this.unexpected()}`);
    }
  }
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** A text of its own: one cut from a piece of the file (a slice) would keep the whole piece. */
const own = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** `message`: why the file is not a baseline, where `at` (the line and column a key or an entry starts at). */
function problem(message: string, at?: { line: number; column: number }): never {
  throw new BadBaseline(message, false, at?.line, at?.column);
}

/**
 * The baseline `json` holds, refused (BadBaseline) where it is not one buildBaseline could have written: its
 * keys are checked as they come, each of its findings as it is read (by the line it starts on), and what is
 * missing at the end.
 */
function readBaseline(json: JsonReader): LoadedBaseline {
  if (json.atByteOrderMark()) json.take(); // from an editor
  if (json.skip() !== 0x7b) {
    const at = json.where();
    json.value(0, false);
    if (json.skip() >= 0) json.fail(`unexpected ${json.unexpected()} after the value`);
    return problem('not a JSON object', at);
  }
  const object = json.where(); // (a key it lacks is said there)
  let format: unknown;
  let createdAt: string | undefined;
  let hosts: string[] | undefined;
  let findings: RecordedFindings | undefined;
  const seen = new Set<string>();
  json.members((key) => {
    json.skip();
    const at = json.where();
    if (seen.has(key)) problem(`${JSON.stringify(key)} is given twice`, at);
    if (key === 'socklintBaseline' || key === 'createdAt' || key === 'hosts' || key === 'findings') seen.add(key);
    if (key === 'socklintBaseline') {
      format = json.value(1);
      if (format !== BASELINE_FORMAT) problem(`"socklintBaseline" is ${JSON.stringify(format)}, expected ${BASELINE_FORMAT}`, at);
    } else if (key === 'createdAt') {
      const v = json.value(1);
      if (!isText(v) || Number.isNaN(Date.parse(v))) problem('"createdAt" is not a date and time', at);
      createdAt = own(v as string);
    } else if (key === 'hosts') {
      const v = json.value(1);
      if (!(Array.isArray(v) && v.every(isText))) problem('"hosts" is not a list of host names', at);
      hosts = (v as string[]).map(own);
    } else if (key === 'findings') {
      if (json.skip() !== 0x5b) {
        json.value(1, false);
        problem('"findings" is not a list', at);
      }
      findings = new RecordedFindings();
      const recorded = findings;
      json.elements(() => {
        json.skip();
        const start = json.where();
        const e = json.value(1) as Partial<Record<keyof BaselineEntry, unknown>> | null;
        const i = recorded.length;
        if (typeof e !== 'object' || e === null || !isText(e.fingerprint) || !isText(e.ruleId) || !isText(e.host) || !isText(e.message)) {
          problem(`findings[${i}] needs the texts "fingerprint", "ruleId", "host" and "message"`, start);
        }
        // (a fingerprint socklint never writes would match nothing, and the finding it was meant for would fail)
        if (!recorded.add(e.fingerprint as string, e.ruleId as string, e.host as string)) {
          problem(`findings[${i}].fingerprint ${JSON.stringify((e.fingerprint as string).slice(0, 40))} is not a fingerprint (32 hex digits)`, start);
        }
      });
    } else json.value(1, false);
  });
  if (json.skip() >= 0) json.fail(`unexpected ${json.unexpected()} after the baseline's closing '}'`);
  if (format === undefined) problem(`"socklintBaseline" is missing, expected ${BASELINE_FORMAT}`, object);
  if (createdAt === undefined) problem('"createdAt" is missing (the date and time it was made)', object);
  if (findings === undefined) problem('"findings" is missing (the list of findings it accepts)', object);
  return { socklintBaseline: BASELINE_FORMAT, createdAt: createdAt as string, ...(hosts !== undefined ? { hosts } : {}), findings: findings as RecordedFindings };
}

/**
 * Fingerprints (32 hex digits: 128 bits) as four 32-bit numbers each in a table of open addressing, at most
 * three quarters full: ~21–43 bytes a fingerprint (1M: 32 MiB), where a Set of their texts took ~66 bytes
 * (and a text cut from the file kept the piece it was cut from). A fingerprint that is not 32 lower-case hex
 * digits is in none.
 */
class FingerprintSet {
  /** Four words a slot; a free slot holds four zeros (the fingerprint of 32 zeros is `zero`). */
  private words = new Int32Array(4 * 1024);
  private mask = 1023;
  private zero = false;
  size = 0;

  /** Adds `fingerprint`: false when it is not one (32 lower-case hex digits). */
  add(fingerprint: string): boolean {
    if (!toWords(fingerprint)) return false;
    if (isZero()) {
      if (!this.zero) this.size++;
      this.zero = true;
      return true;
    }
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) {
      this.grow(); // (which reads the others into WORDS)
      toWords(fingerprint);
    }
    if (this.put()) this.size++;
    return true;
  }

  has(fingerprint: string): boolean {
    if (!toWords(fingerprint)) return false;
    return isZero() ? this.zero : this.find() >= 0;
  }

  /** The slot holding WORDS (not all zero), or when none does, -1 less the free slot that ends their run. */
  private find(): number {
    const { words, mask } = this;
    for (let i = hashWords() & mask; ; i = (i + 1) & mask) {
      const w = i * 4;
      const a = words[w];
      const b = words[w + 1];
      const c = words[w + 2];
      const d = words[w + 3];
      if (a === WORDS[0] && b === WORDS[1] && c === WORDS[2] && d === WORDS[3]) return i;
      if ((a | b | c | d) === 0) return -1 - i;
    }
  }

  /** Puts WORDS (not all zero) in the free slot that ends their run, unless they are in it: whether they were put. */
  private put(): boolean {
    const i = this.find();
    if (i >= 0) return false;
    this.words.set(WORDS, (-1 - i) * 4);
    return true;
  }

  private grow(): void {
    const old = this.words;
    this.words = new Int32Array(old.length * 2);
    this.mask = this.words.length / 4 - 1;
    for (let w = 0; w < old.length; w += 4) {
      if ((old[w] | old[w + 1] | old[w + 2] | old[w + 3]) === 0) continue;
      WORDS.set(old.subarray(w, w + 4));
      this.put();
    }
  }
}

/** The fingerprint toWords read last. */
const WORDS = new Int32Array(4);
/** Per process, so that no file's fingerprints can be made to fall on one run of the table. */
const SEED = (Math.random() * 0x100000000) | 0;

const isZero = (): boolean => (WORDS[0] | WORDS[1] | WORDS[2] | WORDS[3]) === 0;

/** Reads `hex` into WORDS: false unless it is 32 lower-case hex digits. */
function toWords(hex: string): boolean {
  if (hex.length !== 32) return false;
  for (let w = 0; w < 4; w++) {
    let v = 0;
    for (let i = w * 8, end = i + 8; i < end; i++) {
      const c = hex.charCodeAt(i);
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d < 0) return false;
      v = (v << 4) | d;
    }
    WORDS[w] = v;
  }
  return true;
}

/** A 32-bit hash of WORDS (murmur3's finalizer over the four, seeded). */
function hashWords(): number {
  let h = SEED;
  for (let w = 0; w < 4; w++) {
    h = Math.imul(h ^ WORDS[w], 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A baseline's findings as a scan asks them (BaselineFilter): their fingerprints, the pairs of host and rule
 * they are of, their hosts — not the entries (their messages are for people reading the file).
 */
export class RecordedFindings {
  /** The entries read. */
  length = 0;
  private readonly fingerprints = new FingerprintSet();
  /** `host\0ruleId`. */
  private readonly pairs = new Set<string>();
  private readonly hostSet = new Set<string>();
  private lastHost: string | undefined;
  private lastRule: string | undefined;

  static of(entries: readonly BaselineEntry[]): RecordedFindings {
    const r = new RecordedFindings();
    for (const e of entries) r.add(e.fingerprint, e.ruleId, e.host);
    return r;
  }

  /** Adds a finding: false (and nothing added) when `fingerprint` is not one fingerprint.ts writes (32 lower-case hex digits). */
  add(fingerprint: string, ruleId: string, host: string): boolean {
    if (!this.fingerprints.add(fingerprint)) return false;
    this.length++;
    // (entries come ordered by host and rule: most are of the pair before)
    if (host === this.lastHost && ruleId === this.lastRule) return true;
    this.lastHost = own(host);
    this.lastRule = own(ruleId);
    this.pairs.add(`${this.lastHost}\0${this.lastRule}`);
    this.hostSet.add(this.lastHost);
    return true;
  }

  has(fingerprint: string): boolean {
    return this.fingerprints.has(fingerprint);
  }

  /** Whether a finding of `ruleId` on `host` is recorded. */
  recorded(ruleId: string, host: string): boolean {
    return this.pairs.has(`${host}\0${ruleId}`);
  }

  hosts(): string[] {
    return [...this.hostSet];
  }
}

/**
 * Keeps the baseline's fingerprints only (RecordedFindings: not its entries), and gives every finding it
 * suppresses the same Suppression, whose text does not vary: a scan of a fleet of 99,000 findings against its own
 * baseline peaked at ~250 MiB with an object and a text made per finding.
 */
export class BaselineFilter implements FindingFilter {
  private readonly recorded: RecordedFindings;
  private readonly suppression: Suppression;
  /** The hosts the baseline was recorded for: a finding's fingerprint includes its host. */
  readonly hosts: ReadonlySet<string>;
  /** `baseline`: as loadBaseline read it, or as buildBaseline made it. */
  constructor(readonly file: string, baseline: BaselineFile | LoadedBaseline) {
    this.recorded = baseline.findings instanceof RecordedFindings ? baseline.findings : RecordedFindings.of(baseline.findings);
    this.hosts = new Set(baseline.hosts ?? this.recorded.hosts());
    this.suppression = { kind: 'baseline', reason: `already in baseline ${file} (recorded ${baseline.createdAt.slice(0, 10)})` };
  }

  /**
   * A notice for the scanned hosts the baseline has no record of, or undefined: fingerprints include the host
   * name, so a candidate named after its file (`candidate.ss` → `candidate`) matches nothing of a baseline
   * recorded as `golden`, and every finding would come back as new without a word.
   */
  unknownHosts(scanned: Iterable<string>): string | undefined {
    const missing = [...new Set(scanned)].filter((h) => !this.hosts.has(h));
    if (missing.length === 0) return undefined;
    const recorded = [...this.hosts];
    return `${this.file} has no record of host ${listed(missing)} (it was recorded for ${recorded.length > 0 ? listed(recorded) : 'no host'}), `
      + `so every finding of ${missing.length === 1 ? 'that host' : 'those hosts'} counts as new; fingerprints include the host name: `
      + 'give `socklint baseline` and `socklint scan` the same --host (or capture both with the same `# host:` line)';
  }
  mayApply(ruleId: string, host: string): boolean {
    return this.recorded.recorded(ruleId, host);
  }
  /** It asks fingerprints only: the same whether or not a snapshot's field groups are known. */
  fieldsRead(): FieldGroup[] {
    return [];
  }
  suppress(f: Finding): Suppression | undefined {
    if (this.recorded.has(f.fingerprint)) return this.suppression;
    const former = formerFingerprint(f);
    return former !== undefined && this.recorded.has(former) ? this.suppression : undefined;
  }
  report(_snapshots: readonly SnapshotReport[]): WaiverReport[] {
    return [];
  }
}
