/**
 * The process column of a live capture, filled in by socklint instead of by `ss -p`.
 *
 * ss finds each socket's processes in a hash of every `/proc/PID/fd` link it builds first — a fixed 256
 * buckets, walked whole for every socket, so `-p` grows with the square of the sockets processes hold: on
 * this VM 64,000 such sockets took ss 1.5 s with `-p` and 0.4 s without, 180,000 took 25 s. A capture that
 * can do without `-p` (capture.ts: socklint chose the flags, the ss is not 6.7, which drops -o/-e/-m/-i
 * items without it, and the namespace holds enough sockets for -p to cost more: ownerColumnPays) runs ss
 * without `-p`, makes the same /proc walk while ss lists the sockets (proc.ts
 * mapSocketProcesses: same links, same order, looked up by inode), and writes each row with the `users:((…))` item ss -p would
 * have printed, where ss 4.x and later print it: first after the peer address (ss 3.x put a `timer:(…)`
 * before it; the parser reads either order). The file reads as `ss -p` output; `# processes:` in its
 * metadata says who filled the column.
 *
 * The socket's inode: an inet row's `ino:N` item (the live flags include `-e`); a unix row's local "port"
 * (`/path 12345 * 0`: the number before the peer's `*`). A row whose inode cannot be found, or that no
 * process holds, is written as ss printed it — as ss -p prints a socket without owners.
 */
import { unsignedInode } from './parser';
import { usersField, type SocketOwners } from './proc';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const HASH = 0x23;
const U = 0x75;
const UNDERSCORE = 0x5f;

/** Rewrites ss's output (without -p) chunk by chunk; lines may be split anywhere between chunks. */
export class OwnerColumn {
  private partial: Buffer | undefined;
  /** Rows given their processes so far. */
  filled = 0;

  constructor(private readonly owners: SocketOwners) {}

  /** The text to write for `chunk` (its complete lines; the rest waits for the next chunk or end()). */
  push(chunk: Buffer): Buffer {
    const data = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    const last = data.lastIndexOf(LF);
    if (last < 0) {
      this.partial = Buffer.from(data);
      return EMPTY;
    }
    this.partial = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : undefined;
    return this.lines(data, last + 1);
  }

  /** What is left: the last line when ss did not end it with a line feed. */
  end(): Buffer {
    const rest = this.partial;
    this.partial = undefined;
    return rest ? this.lines(rest, rest.length) : EMPTY;
  }

  /** data[0..to) with the process column of each row filled in. */
  private lines(data: Buffer, to: number): Buffer {
    const pieces: Buffer[] = [];
    let copied = 0;
    // where the next ` ino:` is (searched once for the rows up to it: a row without one costs no search of
    // its own), -1 when there is none before `to`
    let nextIno = -2;
    for (let start = 0; start < to;) {
      let end = data.indexOf(LF, start);
      if (end < 0 || end >= to) end = to;
      const c0 = data[start];
      let at: Insertion | undefined;
      if (start === end || c0 === SPACE || c0 === TAB || c0 === HASH) {
        // an empty line, a detail line or a comment: no column
      } else if (c0 === U && data[start + 1] === UNDERSCORE) {
        at = this.unixInsertion(data, start, end);
      } else {
        if (nextIno !== -1 && nextIno < start) nextIno = ino(data, start, to);
        at = this.inetInsertion(data, start, end, nextIno);
      }
      if (at !== undefined) {
        pieces.push(data.subarray(copied, at.offset), Buffer.from(at.text, 'utf8'));
        copied = at.offset;
        this.filled++;
      }
      start = end + 1;
    }
    if (pieces.length === 0) return data.subarray(0, to);
    pieces.push(data.subarray(copied, to));
    return Buffer.concat(pieces);
  }

  /** A tcp/udp row's insertion, `ino` the position of the next ` ino:` (-1: none left in the chunk). */
  private inetInsertion(data: Buffer, start: number, end: number, ino: number): Insertion | undefined {
    // its -e items include `ino:N` (0 for TIME-WAIT): its holders first, as most rows of a busy host have none
    // (TIME-WAIT, queued connections) and need no more than this
    if (ino < 0 || ino >= end) return undefined;
    let n = 0;
    let p = ino + 5;
    for (; p < end && data[p] >= 0x30 && data[p] <= 0x39; p++) n = n * 10 + data[p] - 0x30;
    const procs = p === ino + 5 ? undefined : this.owners.holders(n);
    if (procs === undefined) return undefined;
    // … LOCAL PEER [timer:(…)] [uid:N] ino:N …: the column is before the first of those items
    const { tokens, first } = rowTokens(data, start, end, false);
    return first < 0 ? undefined : placed(data, tokens, first, procs);
  }

  /**
   * A unix row's: … NAME INODE * PEER-INODE [items], the last such triple of the row (an unnamed socket's
   * `Send-Q * INODE` comes first; a name may hold spaces, and anything a process binds — `x ino:5`, `y 9 * 0`
   * — so the triple is looked for from the row's end: no item after it holds a `*` token).
   */
  private unixInsertion(data: Buffer, start: number, end: number): Insertion | undefined {
    const tokens = rowTokens(data, start, end, true, UNIX_MAX_TOKENS).tokens;
    let i = tokens.length / 2 - 3;
    while (i >= 2 && !(isStar(data, tokens, i + 1) && digits(data, tokens, i) !== undefined && digits(data, tokens, i + 2) !== undefined)) i--;
    const procs = i < 2 ? undefined : this.owners.holders(digits(data, tokens, i)!);
    return procs === undefined ? undefined : placed(data, tokens, i + 3, procs);
  }
}

/** Where a `users:((…))` item goes in a row, and its text. */
interface Insertion {
  offset: number;
  text: string;
}

/** Position of the first ` ino:` in data[from..to), or -1. */
function ino(data: Buffer, from: number, to: number): number {
  const at = data.indexOf(INO, from);
  return at >= to ? -1 : at;
}

/**
 * A row's token bounds [s0, e0, s1, e1, …] up to its first item (`first`, -1 when none within MAX_TOKENS).
 * The column is found from the items after it, not by counting columns: ss 4.15–4.19 glue columns that fill
 * their width (`tcpLISTEN0`), RHEL 8's ss among them.
 */
function rowTokens(data: Buffer, start: number, end: number, unix: boolean, whole?: number): { tokens: number[]; first: number } {
  const tokens: number[] = [];
  for (let p = start; p < end && tokens.length < (whole ?? MAX_TOKENS) * 2;) {
    while (p < end && (data[p] === SPACE || data[p] === TAB)) p++;
    if (p >= end) break;
    const s = p;
    while (p < end && data[p] !== SPACE && data[p] !== TAB) p++;
    tokens.push(s, p);
    if (whole === undefined && tokens.length >= 6 && startsItem(data, s, unix)) return { tokens, first: tokens.length / 2 - 1 };
  }
  return { tokens, first: -1 };
}

/** The item for `procs` before token `at` (or after the last token when `at` is past them). */
function placed(data: Buffer, tokens: number[], at: number, procs: string): Insertion | undefined {
  if (at >= tokens.length / 2) return { offset: tokens[2 * at - 1], text: usersField(procs) }; // last in the row
  const offset = tokens[2 * at];
  if (data.toString('latin1', offset, offset + 7) === 'users:(') return undefined; // ss printed it already
  return { offset, text: `${usersField(procs).slice(1)} ` };
}

/** Whether the token at data[s] starts one of the items that follow the process column (ITEMS / UNIX_ITEMS). */
function startsItem(data: Buffer, s: number, unix: boolean): boolean {
  for (const item of unix ? UNIX_ITEMS : ITEMS) {
    if (data[s] === item[0] && data.compare(item, 0, item.length, s, s + item.length) === 0) return true;
  }
  return false;
}
/** What ss prints first after a tcp/udp row's process column: -o's timer, then -e's uid (when not 0) and inode. */
const ITEMS = ['users:(', 'timer:(', 'uid:', 'ino:'].map((t) => Buffer.from(t, 'latin1'));
/** …and after a unix row's: -m's skmem, -e's shutdown arrows, inode of the bound file, device, peers. */
const UNIX_ITEMS = ['users:(', 'skmem:(', '<->', '-->', '<--', '---', 'ino:', 'dev:', 'peers:'].map((t) => Buffer.from(t, 'latin1'));

const EMPTY = Buffer.alloc(0);
const INO = Buffer.from(' ino:', 'latin1');
/** Tokens an inet row is searched for its process column. */
const MAX_TOKENS = 32;
/** …and a unix row, whole (its name is at most 108 bytes; -m and -e add a few items). */
const UNIX_MAX_TOKENS = 1024;

function isStar(data: Buffer, tokens: number[], i: number): boolean {
  return tokens[2 * i + 1] - tokens[2 * i] === 1 && data[tokens[2 * i]] === 0x2a;
}

/**
 * Token i as a unix inode — a whole number, or ss ≤ 6.5's negative print of one from 2^31 on, read as
 * unsignedInode (parser.ts) does — or undefined when it is not one.
 */
function digits(data: Buffer, tokens: number[], i: number): number | undefined {
  const neg = data[tokens[2 * i]] === 0x2d; // -
  const s = tokens[2 * i] + (neg ? 1 : 0);
  const e = tokens[2 * i + 1];
  if (e - s > 15 || e === s) return undefined;
  let n = 0;
  for (let p = s; p < e; p++) {
    const c = data[p];
    if (c < 0x30 || c > 0x39) return undefined;
    n = n * 10 + c - 0x30;
  }
  return neg ? unsignedInode(-n) : n;
}
