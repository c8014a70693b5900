/**
 * Baselines: `socklint baseline` records today's findings by fingerprint; `scan --baseline` then marks the
 * findings already recorded as suppressed (kind `baseline`), so only new exposures fail a golden-image gate.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Tokenizer, TokenizerError, TokenParser, TokenParserError, TokenType, type ParsedElementInfo, type ParsedTokenInfo } from '@streamparser/json';
import { readTextLimited } from '../read-limited';
import { notUtf8, tooLarge } from '../rules/yaml-source';
import { ExitCode, UserError } from '../diagnostics';
import type { Finding, ScanReport, SnapshotReport, Suppression, WaiverReport } from './types';
import type { FindingFilter } from './scan';
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
  let source: ByteSource;
  try {
    source = openBaseline(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError({ file, code: 'unreadable-baseline', ...readProblem(e as NodeJS.ErrnoException) }, ExitCode.usage);
  }
  const reader = new BaselineReader(source);
  try {
    return reader.read();
  } catch (e) {
    if (e instanceof NotUtf8) throw notUtf8Error(file);
    if (!(e instanceof BadBaseline)) throw e;
    const where = e.at === undefined ? {} : reader.where(e.at);
    const message = e.json ? `not JSON: ${e.message}` : `not a socklint baseline (version ${BASELINE_FORMAT}): ${e.message}`;
    throw new UserError({ file, ...where, code: 'bad-baseline', message, hint: WRITE_IT }, ExitCode.usage);
  } finally {
    source.close();
  }
}

/** Why the baseline file could not be read, in words, as a snapshot's is said (not a bare errno). */
function readProblem(e: NodeJS.ErrnoException): { message: string; hint?: string } {
  switch (e.code) {
    case 'ENOENT':
      return { message: 'baseline file not found', hint: WRITE_IT };
    case 'EISDIR':
      return { message: 'is a folder, not a baseline file' };
    case 'EACCES':
    case 'EPERM':
      return { message: 'cannot read the baseline file (permission denied)' };
    default:
      return { message: `cannot read the baseline file (${e.code ?? e.message})` };
  }
}

/** The bytes of a file a piece at a time, and again from any place of it (to say where it goes wrong). */
interface ByteSource {
  /** The next piece, of whole UTF-8 characters (NotUtf8 where they are not), or undefined at the end. */
  next: () => Uint8Array | undefined;
  /** Reads into `buf` what the file holds from byte `position` on: how many bytes (0 past its end). */
  readAt: (buf: Buffer, position: number) => number;
  close: () => void;
}

/** Bytes read at a time (what the file's pieces and its rereading to say where take each). */
const READ_BYTES = 64 * 1024;

/** The baseline's bytes were not UTF-8: readTextLimited says where. */
class NotUtf8 extends Error {}

/**
 * A regular file is read a piece at a time; a pipe or a device through readTextLimited (which has what
 * preloadStreams read of a pipe, and reads a device only up to the limit), as one piece. Throws UserError for a
 * file over the limit, fs errors as they are.
 */
function openBaseline(file: string): ByteSource {
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
  // (Buffer's isUtf8 of what a read holds of whole characters: 240 MB in ~50 ms, a fatal TextDecoder's streaming
  // decode in ~200–600)
  const buf = Buffer.allocUnsafe(READ_BYTES + 4);
  let carried = 0; // the bytes of a character cut at the end of the last read, moved to the start
  let read = 0;
  let open = true;
  let given = 0; // the bytes of the last piece, moved out of the way of the next read
  return {
    next: () => {
      if (given > 0) {
        buf.copy(buf, 0, given, given + carried);
        given = 0;
      }
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
        carried = end - cut;
        if (cut === 0) continue;
        if (!isUtf8(buf.subarray(0, cut))) throw new NotUtf8();
        given = cut;
        return buf.subarray(0, cut);
      }
      return undefined;
    },
    readAt: (into, position) => fs.readSync(fd, into, 0, into.length, position),
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

function wholeText(file: string): ByteSource {
  const read = readTextLimited(file, BASELINE_MAX_BYTES);
  if ('tooLarge' in read) throw new UserError(tooLarge(file, read.size, BASELINE_MAX_BYTES), ExitCode.usage);
  if ('notUtf8' in read) throw new UserError(notUtf8(file, read.notUtf8), ExitCode.usage);
  const bytes = Buffer.from(read.text, 'utf8');
  let given = false;
  return {
    next: () => (given ? undefined : ((given = true), bytes)),
    readAt: (into, position) => (position < bytes.length ? bytes.copy(into, 0, position) : 0),
    close: () => undefined,
  };
}

/** Where a regular file's bytes stop being UTF-8, as readTextLimited says it (only then is the file read whole). */
function notUtf8Error(file: string): UserError {
  const read = readTextLimited(file, BASELINE_MAX_BYTES);
  if ('notUtf8' in read) return new UserError(notUtf8(file, read.notUtf8), ExitCode.usage);
  return new UserError({ file, code: 'not-utf8', message: 'the file is not UTF-8' }, ExitCode.usage); // (changed since)
}

/** The file is not JSON (`json`), or not a baseline buildBaseline could have written; where (a byte offset of the JSON text), when one place is. */
class BadBaseline extends Error {
  constructor(message: string, readonly json: boolean, readonly at?: number) {
    super(message);
  }
}

/** `message`: why the file is not a baseline, where `at` (the offset a value or an entry starts at). */
function problem(message: string, at?: number): never {
  throw new BadBaseline(message, false, at);
}

/** The tokens' types, read once: each `TokenType.X` calls a getter of the library's CommonJS exports (it showed in profiles of 1M entries). */
const { LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COLON, COMMA, STRING, NUMBER, TRUE, FALSE, NULL, SEPARATOR } = TokenType;

/** Nesting of arrays and objects read: no baseline needs more than three. */
const MAX_DEPTH = 64;

/** What the JSON text may have next: what a message says was expected. */
const enum Next { value, key, colon, comma, end }

/**
 * Reads a baseline's JSON text with @streamparser/json, fed a piece at a time: its tokenizer hands each token
 * (and where it starts) to its token parser, which hands back, of the values it builds, only those of the
 * baseline's keys and each entry of `findings` (dropping each from its parent, keepStack false), so that one
 * entry is held at a time. The entries are checked as they come, by the byte their text starts at; which
 * member of the top-level object a token is in, what may come next (for the words of an error) and how deep
 * it is are followed here from the tokens the parser took.
 */
class BaselineReader {
  /** (texts gathered as bytes and decoded once each, in a buffer of the size its README suggests: ~8% faster than as pieces joined) */
  private readonly tokenizer = new Tokenizer({ stringBufferSize: 64 * 1024 });
  private readonly parser = new TokenParser({ paths: ['$.socklintBaseline', '$.createdAt', '$.hosts', '$.findings.*'], keepStack: false });
  /** The bytes of a byte-order mark left out of what the tokenizer was given (offsets are of what it was). */
  private bom = 0;
  /** Bytes given to the tokenizer. */
  private fed = 0;
  /** The last token given to the parser, and its offset (-1: none yet). */
  private token = SEPARATOR;
  private tokenAt = -1;
  private next = Next.value;
  /** Whether each array or object the next token is in is an object. */
  private readonly objects: boolean[] = [];
  /** The key of the top-level member being read, and where its value starts. */
  private key = '';
  private at = 0;
  /** Where the top-level value starts, when it is not an object. */
  private notObject: number | undefined;
  /** Where the value of `findings` starts, when it is not a list. */
  private notList: number | undefined;
  /** The list of `findings` being read, and where its entry being read starts. */
  private entries: RecordedFindings | undefined;
  private entryAt = 0;
  private readonly seen = new Set<string>();
  private format: unknown;
  private createdAt: string | undefined;
  private hosts: string[] | undefined;
  private findings: RecordedFindings | undefined;

  constructor(private readonly source: ByteSource) {
    this.tokenizer.onToken = (t) => this.take(t);
    this.parser.onValue = (v) => this.value(v);
    this.tokenizer.onEnd = () => {
      if (!this.parser.isEnded) this.parser.end();
    };
    this.parser.onEnd = () => {
      if (!this.tokenizer.isEnded) this.tokenizer.end();
    };
  }

  read(): LoadedBaseline {
    for (let piece = this.source.next(); piece !== undefined; piece = this.source.next()) {
      if (this.fed === 0 && this.bom === 0 && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf) {
        this.bom = 3; // from an editor
        piece = piece.subarray(3);
      }
      const bytes = piece;
      this.feed(() => this.tokenizer.write(bytes), false);
      this.fed += bytes.length;
    }
    if (!this.tokenizer.isEnded) this.feed(() => this.tokenizer.end(), true);
    if (this.tokenAt < 0) throw new BadBaseline('the file ends where a value should be', true, this.fed);
    if (this.notObject !== undefined) problem('not a JSON object', this.notObject);
    if (this.format === undefined) problem(`"socklintBaseline" is missing, expected ${BASELINE_FORMAT}`);
    if (this.createdAt === undefined) problem('"createdAt" is not a date and time');
    if (this.findings === undefined) problem('"findings" is not a list');
    const hosts = this.hosts;
    return { socklintBaseline: BASELINE_FORMAT, createdAt: this.createdAt, ...(hosts !== undefined ? { hosts } : {}), findings: this.findings };
  }

  /** The line and column (1-based, in UTF-16 code units as the editors count) of `at`, an offset of the JSON text. */
  where(at: number): { line: number; column: number } {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    const end = at + this.bom;
    let line = 1;
    let column = 1;
    for (let pos = 0; pos < end;) {
      const n = this.source.readAt(buf.subarray(0, Math.min(READ_BYTES, end - pos)), pos);
      if (n === 0) break;
      const bytes = buf.subarray(0, n);
      let lineStart = 0;
      for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
        line++;
        lineStart = i + 1;
        column = 1;
      }
      for (let i = lineStart; i < n; i++) column += units(bytes[i]);
      pos += n;
    }
    return { line, column };
  }

  /** Runs `feed` (the tokenizer's write or end), saying in words what it found that is not JSON. */
  private feed(feed: () => void, atEnd: boolean): void {
    try {
      feed();
    } catch (e) {
      if (e instanceof BadBaseline) throw e;
      if (e instanceof TokenParserError) throw this.json(this.expected(this.character(this.tokenAt)), this.tokenAt);
      if (e instanceof TokenizerError) throw this.badText(e.message, atEnd);
      // (the token parser's end: the file ended inside an array or an object, or after a key)
      if (atEnd && !this.parser.isEnded) throw this.json(this.expected('end of the file'), this.fed);
      throw e;
    }
  }

  /** A token, before (what the baseline's keys and entries are, where they start) and after the parser has it. */
  private take(t: ParsedTokenInfo): void {
    const { token, offset } = t;
    this.token = token;
    this.tokenAt = offset;
    const depth = this.objects.length;
    if (this.next === Next.value && token !== RIGHT_BRACE && token !== RIGHT_BRACKET) {
      if (depth === 0 && token !== LEFT_BRACE) this.notObject = offset;
      else if (depth === 1) this.member(token, offset);
      else if (depth === 2 && this.entries !== undefined) this.entryAt = offset;
      if ((token === LEFT_BRACE || token === LEFT_BRACKET) && depth >= MAX_DEPTH) {
        throw this.json(`arrays and objects nested more than ${MAX_DEPTH} deep`, offset);
      }
    }
    this.parser.write(t);
    switch (token) {
      case LEFT_BRACE:
      case LEFT_BRACKET:
        this.objects.push(token === LEFT_BRACE);
        this.next = token === LEFT_BRACE ? Next.key : Next.value;
        return;
      case RIGHT_BRACE:
      case RIGHT_BRACKET:
        this.objects.pop();
        break;
      case COLON:
        this.next = Next.value;
        return;
      case COMMA:
        this.next = this.objects[this.objects.length - 1] ? Next.key : Next.value;
        return;
      case STRING:
        if (this.next === Next.key) {
          this.next = Next.colon;
          if (depth === 1) this.key = t.value as string;
          return;
        }
    }
    // a value ended
    this.next = this.objects.length === 0 ? Next.end : Next.comma;
    if (this.objects.length === 1 && this.notList !== undefined) problem('"findings" is not a list', this.notList);
  }

  /** The value of the top-level member `key` starts with `token` at `offset`. */
  private member(token: TokenType, offset: number): void {
    const key = this.key;
    this.at = offset;
    if (this.seen.has(key)) problem(`${JSON.stringify(key)} is given twice`, offset);
    if (key === 'socklintBaseline' || key === 'createdAt' || key === 'hosts' || key === 'findings') this.seen.add(key);
    this.entries = undefined;
    if (key !== 'findings') return;
    if (token !== LEFT_BRACKET) this.notList = offset; // (said once the value is read)
    else this.entries = this.findings = new RecordedFindings();
  }

  /** A value the parser built: a baseline key's (of the top-level object), or an entry of `findings`. */
  private value({ value, key, stack }: ParsedElementInfo): void {
    const at = this.at;
    if (stack.length === 2 && this.entries !== undefined) {
      const e = value as Partial<Record<keyof BaselineEntry, unknown>> | null;
      const i = this.entries.length;
      if (typeof e !== 'object' || e === null || !isText(e.fingerprint) || !isText(e.ruleId) || !isText(e.host) || !isText(e.message)) {
        problem(`findings[${i}] needs the texts "fingerprint", "ruleId", "host" and "message"`, this.entryAt);
      }
      // (a fingerprint socklint never writes would match nothing, and the finding it was meant for would fail)
      if (!this.entries.add(e.fingerprint as string, e.ruleId as string, e.host as string)) {
        problem(`findings[${i}].fingerprint ${JSON.stringify((e.fingerprint as string).slice(0, 40))} is not a fingerprint (32 hex digits)`, this.entryAt);
      }
    } else if (key === 'socklintBaseline') {
      this.format = value;
      if (value !== BASELINE_FORMAT) problem(`"socklintBaseline" is ${JSON.stringify(value)}, expected ${BASELINE_FORMAT}`, at);
    } else if (key === 'createdAt') {
      if (!isText(value) || Number.isNaN(Date.parse(value))) problem('"createdAt" is not a date and time', at);
      this.createdAt = value;
    } else if (key === 'hosts') {
      if (!(Array.isArray(value) && value.every(isText))) problem('"hosts" is not a list of host names', at);
      this.hosts = value as string[];
    }
  }

  private json(message: string, at: number): BadBaseline {
    return new BadBaseline(message, true, at);
  }

  /** What the text should have had next, said of what it has (`found`). */
  private expected(found: string): string {
    switch (this.next) {
      case Next.key:
        return `expected a key in quotes, found ${found}`;
      case Next.colon:
        return `expected ':' after the key, found ${found}`;
      case Next.comma:
        return `expected ',' or '${this.objects[this.objects.length - 1] ? '}' : ']'}', found ${found}`;
      case Next.end:
        return `unexpected ${found} after ${this.notObject === undefined ? "the baseline's closing '}'" : 'the value'}`;
      default:
        return found === 'end of the file' ? 'the file ends where a value should be' : `unexpected ${found}`;
    }
  }

  /**
   * What the tokenizer refused, in words, where: its error says at what byte (`absolute position`), and in what
   * state — between tokens, or in a text in quotes, a number or a `true`, `false` or `null`, which is said where
   * it starts (the text's first byte past the last token).
   */
  private badText(error: string, atEnd: boolean): BadBaseline {
    const position = /absolute position "(\d+)"/.exec(error)?.[1];
    const state = /state:? ([A-Z_0-9]+)/.exec(error)?.[1];
    if (state === undefined || (position === undefined && !atEnd)) return this.json(error, Math.max(this.tokenAt, 0)); // (its words, past the last token read)
    const p = atEnd ? this.fed : Number(position);
    if (!/^(STRING|NUMBER|TRUE|FALSE|NULL)/.test(state)) {
      const at = state.startsWith('BOM') ? 0 : p; // (a first character whose first byte a byte-order mark's is)
      return this.json(this.expected(this.character(at)), at);
    }
    const start = this.tokenStart(p);
    const inText = state.startsWith('STRING');
    if (!(this.next === Next.value || (inText && this.next === Next.key))) return this.json(this.expected(this.character(start)), start);
    if (inText) {
      const why = atEnd ? 'is not closed'
        : state !== 'STRING_DEFAULT' ? 'holds a \\ that is no JSON escape'
        : this.byte(p) === 0x0a ? 'is not closed on its line' : 'holds a control character';
      return this.json(`a text in quotes ${why}`, start);
    }
    if (state.startsWith('NUMBER')) {
      let end = start;
      while (end - start < 40 && isNumberByte(this.byte(end))) end++;
      return this.json(`${JSON.stringify(this.text(start, end))} is not a number`, start);
    }
    return this.json(`unexpected ${this.character(start)}`, start);
  }

  /** Where the token that the tokenizer was in when it stopped at `p` starts: past the last token and white space. */
  private tokenStart(p: number): number {
    let pos = this.tokenAt;
    if (pos < 0) pos = 0;
    else if (this.token === STRING) {
      for (pos++; pos < p && this.byte(pos) !== 0x22; pos++) if (this.byte(pos) === 0x5c) pos++;
      pos++;
    } else if (this.token === NUMBER) {
      while (pos < p && isNumberByte(this.byte(pos))) pos++;
    } else pos += this.token === FALSE ? 5 : this.token === TRUE || this.token === NULL ? 4 : 1;
    while (pos < p && isSpace(this.byte(pos))) pos++;
    return Math.min(pos, p);
  }

  /** What byte() read last of the file, from `start` to `end`. */
  private peeked: { buf: Buffer; start: number; end: number } | undefined;

  /** The byte of the JSON text at `pos` (read again from the file), or -1 past its end. */
  private byte(pos: number): number {
    const w = (this.peeked ??= { buf: Buffer.allocUnsafe(READ_BYTES), start: 0, end: 0 });
    if (pos < w.start || pos >= w.end) {
      w.start = pos;
      w.end = pos + this.source.readAt(w.buf, pos + this.bom);
      if (pos >= w.end) return -1;
    }
    return w.buf[pos - w.start];
  }

  private text(start: number, end: number): string {
    const bytes: number[] = [];
    for (let i = start; i < end; i++) bytes.push(this.byte(i));
    return Buffer.from(bytes).toString('utf8');
  }

  /** The character at `pos`, in words, for a message. */
  private character(pos: number): string {
    const b = this.byte(pos);
    if (b < 0) return 'end of the file';
    const c = this.text(pos, pos + (b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2)).codePointAt(0) as number;
    return c < 0x20 || c === 0x7f ? `character U+${c.toString(16).padStart(4, '0').toUpperCase()}` : `'${String.fromCodePoint(c)}'`;
  }
}

/** UTF-16 code units the UTF-8 byte `b` starts (none for a continuation byte, two for a four-byte character). */
const units = (b: number): number => ((b & 0xc0) === 0x80 ? 0 : b >= 0xf0 ? 2 : 1);
/** JSON's white space. */
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
/** What a number's text is read as, right or wrong (`-+.eE0-9`). */
const isNumberByte = (b: number): boolean => (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45;

const isText = (v: unknown): v is string => typeof v === 'string';

/** A text of its own: one cut from a longer one (a slice) would keep the whole. */
const own = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

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
  readsFields(): boolean {
    return false;
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
