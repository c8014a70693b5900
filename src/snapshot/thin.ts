/**
 * The byte grammar of a thin row (parser.ts, thinRow): a plain inet socket row read from a Buffer without
 * making strings. Shared by the parser (which reads rows this way) and completeExtensions (fields.ts), which
 * finds the tokens again when a thin record is completed.
 */
import type { Endpoint, ProcessRef } from './types';

/** Buffer's own latin1 decoder, without toString's per-call encoding lookup. */
interface Latin1Sliceable {
  latin1Slice(start: number, end: number): string;
}

/** b[start..end) as latin1 (a thin row's tokens are printable ASCII, where latin1 and UTF-8 agree). */
export function latin1(b: Buffer, start: number, end: number): string {
  return (b as unknown as Latin1Sliceable).latin1Slice(start, end);
}

/** Each state's bytes, by length (and the state): `states` are the parser's interned names. */
const STATE_BYTES: Buffer[][] = [];
const STATE_NAMES: string[][] = [];

/** Declares the state names stateOf knows (the parser's, once). */
export function declareStates(states: Iterable<string>): void {
  for (const st of states) {
    (STATE_BYTES[st.length] ??= []).push(Buffer.from(st, 'latin1'));
    (STATE_NAMES[st.length] ??= []).push(st);
  }
}

/** The state b[p..e) spells, or undefined. */
export function stateOf(b: Buffer, p: number, e: number): string | undefined {
  const cands = STATE_BYTES[e - p];
  if (cands === undefined) return undefined;
  next: for (let k = 0; k < cands.length; k++) {
    const c = cands[k];
    for (let i = 0; i < c.length; i++) if (b[p + i] !== c[i]) continue next;
    return STATE_NAMES[e - p][k];
  }
  return undefined;
}

function spaces(b: Buffer, p: number, end: number): number {
  while (p < end && b[p] === 32) p++;
  return p;
}

function digits(b: Buffer, p: number, end: number): number {
  while (p < end && b[p] >= 48 && b[p] <= 57) p++;
  return p;
}

/** Whether b[p..e) starts with `prefix`. */
function startsWith(b: Buffer, p: number, e: number, prefix: Buffer): boolean {
  if (e - p < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (b[p + k] !== prefix[k]) return false;
  return true;
}

/** A letter: what a service name starts with. */
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** A letter, a digit, `-`, `_` or `.`: what service and interface names are made of (and one byte more each). */
function isWordByte(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46;
}

/** A byte of a service name after its first: a word byte or `+`. */
function isNameByte(c: number): boolean {
  return isWordByte(c) || c === 43;
}

/** A hex digit, either case. */
export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/** Whether the port of the token inetToken read last is a service name (set by it: no second walk of the token). */
let portNamed = false;

/**
 * The end of an inet endpoint token at p — `A.B.C.D:PORT`, `*:PORT`, `[V6]:PORT` (hex, ':' and '.' inside),
 * `V6:PORT` (unbracketed, ss ≤ 4.12), PORT digits (≤ 5), `*` or a service name (ss without -n: `https`,
 * `x11-6`) — each address perhaps with `%IFNAME` before its port's colon — followed by a space or the end; -1
 * for anything else (a number before the colon, an interface name of other bytes: left to the full parse).
 */
function inetToken(b: Buffer, p: number, end: number): number {
  let i = p;
  const c0 = b[i];
  if (c0 === 42 /* * */) {
    i = ifaceEnd(b, i + 1);
  } else if (c0 === 91 /* [ */) {
    i++;
    for (;;) {
      const c = b[i];
      if (isHexDigit(c) || c === 58 /* : */ || c === 46 /* . */) i++;
      else break;
    }
    if (i === p + 1 || b[i] !== 93 /* ] */) return -1;
    i++;
    i = ifaceEnd(b, i);
  } else {
    let dots = 0;
    for (;;) {
      const c = b[i];
      if (c >= 48 && c <= 57) i++;
      else if (c === 46) {
        dots++;
        i++;
      } else break;
    }
    if (dots === 0 || i === p) i = unbracketedV6(b, p, end);
    else i = ifaceEnd(b, i);
  }
  if (i < 0 || i >= end || b[i] !== 58 /* : */) return -1;
  i++;
  const c = b[i];
  portNamed = false;
  if (c >= 48 && c <= 57) {
    const d = digits(b, i, end);
    // a port is 0…65535 (a row with another number is the full parse's to report)
    if (d - i > 5 || (d - i === 5 && b[i] >= 54 /* 6 */ && value(b, i, d) > MAX_PORT)) return -1;
    i = d;
  } else if (c === 42 /* * */) {
    i++;
  } else if (isLetter(c)) {
    portNamed = true;
    i++;
    while (i < end && isNameByte(b[i])) i++;
  } else {
    return -1;
  }
  return i === end || b[i] === 32 ? i : -1;
}

/**
 * An IPv6 address as ss ≤ 4.12 printed it, without brackets (`2001:db8::15:443`, `:::22`, `::ffff:10.0.2.15:9200`):
 * the index of the token's last `:` (before its port) when the address before it is hex digits, `:` and `.`
 * with a `:` in it, and its first group is at most four hex digits (what the full parse reads as inet, not as
 * a netlink `PROTO:PORTID`: parser.ts, guessClass); else -1.
 */
function unbracketedV6(b: Buffer, p: number, end: number): number {
  const e = tokenEnd(b, p, end);
  let last = e - 1;
  while (last > p && b[last] !== 58 /* : */) last--;
  let first = -1;
  let i = p;
  for (; i < last; i++) {
    const c = b[i];
    if (c === 58) {
      if (first < 0) first = i;
    } else if (c === 37 /* % */) {
      break;
    } else if (!(isHexDigit(c) || (c === 46 /* . */ && first >= 0))) return -1;
  }
  if (i < last && ifaceEnd(b, i) !== last) return -1;
  return first >= 0 && first - p <= 4 ? last : -1;
}

/** A byte of an interface name as thin rows take it, a word byte or `@` (Linux allows more; those rows go to the full parse). */
function isIfaceByte(c: number): boolean {
  return isWordByte(c) || c === 64;
}

/**
 * The end of a `%IFNAME` at i (a socket bound to a device: `127.0.0.53%lo:53`, `[fe80::1]%eth0:546`), i when there
 * is none, -1 when the name is empty or holds a byte isIfaceByte does not take.
 */
function ifaceEnd(b: Buffer, i: number): number {
  if (b[i] !== 37 /* % */) return i;
  const s = ++i;
  while (isIfaceByte(b[i])) i++;
  return i === s || b[i] !== 58 /* : */ ? -1 : i;
}

/**
 * The end of a plain `users:(("comm",pid=N,fd=N),…)` block at p (COMM of printable ASCII without space,
 * quote, parentheses, comma or backslash; N at most 2^31 - 1), or -1. Each entry's bounds go into `entries`: COMM start and end,
 * PID start and end, FD start and end (thinProcesses makes the processes of them).
 */
function usersBlock(b: Buffer, p: number, end: number, entries: number[] | undefined): number {
  if (!startsWith(b, p, end, USERS_OPEN)) return -1;
  let i = p + USERS_OPEN.length;
  if (entries !== undefined) entries.length = 0;
  for (;;) {
    if (b[i] !== 40 /* ( */ || b[i + 1] !== 34 /* " */) return -1;
    i += 2;
    const c0 = i;
    for (;;) {
      const c = b[i];
      if (c > 32 && c < 127 && c !== 34 && c !== 40 && c !== 41 && c !== 44 && c !== 92) i++;
      else break;
    }
    if (i === c0 || !startsWith(b, i, end, PID_KEY)) return -1;
    entries?.push(c0, i);
    i += PID_KEY.length;
    let d = digits(b, i, end);
    if (d === i || d - i > 10 || (d - i === 10 && value(b, i, d) > MAX_ID)) return -1;
    entries?.push(i, d);
    i = d;
    if (!startsWith(b, i, end, FD_KEY)) return -1;
    i += FD_KEY.length;
    d = digits(b, i, end);
    if (d === i || d - i > 10 || (d - i === 10 && value(b, i, d) > MAX_ID)) return -1;
    entries?.push(i, d);
    i = d;
    if (b[i] !== 41 /* ) */) return -1;
    i++;
    if (b[i] === 41) return i + 1 <= end ? i + 1 : -1;
    if (b[i] !== 44 /* , */) return -1;
    i++;
  }
}
/** Largest port of an inet socket (a u16). */
export const MAX_PORT = 65535;
/** Largest pid, tid and fd: pid_t and file descriptors are C ints (ss prints them with %d). */
export const MAX_ID = 0x7fffffff;
const USERS_OPEN = Buffer.from('users:(', 'latin1');
const PID_KEY = Buffer.from('",pid=', 'latin1');
const FD_KEY = Buffer.from(',fd=', 'latin1');

/**
 * A thin row as a record keeps it: [bytes, row start, row end, THIN_* flags], and for a row whose extension
 * items were searched (thinItems) also [continuation start, continuation end] (-1, -1 without a continuation
 * line). The tokens are found again on completion (rare: only findings and offenders are completed).
 */
export type ThinRow = [Buffer, number, number, number] | [Buffer, number, number, number, number, number];
/** ThinRow flag: the row starts with a Netid (tcp/udp). */
export const THIN_NETID = 1;
/** ThinRow flag: the record's endpoints hold their ports only (thinPortEndpoint); completion reads them whole. */
export const THIN_PORTS_ONLY = 2;

/**
 * What readThinTail finds: the queues and the token bounds (users -1 when the row has none; extStart -1 when
 * nothing follows the addresses and users, else where the extension text after them starts), and whether a
 * port is a service name.
 */
export interface ThinTail {
  recvQ: number;
  sendQ: number;
  localStart: number;
  localEnd: number;
  peerStart: number;
  peerEnd: number;
  usersStart: number;
  usersEnd: number;
  /** The users block's entries, six bounds each (usersBlock), when readThinTail was asked for them. */
  users: number[];
  extStart: number;
  named: boolean;
}

export function newThinTail(): ThinTail {
  return { recvQ: 0, sendQ: 0, localStart: 0, localEnd: 0, peerStart: 0, peerEnd: 0, usersStart: -1, usersEnd: -1, users: [], extStart: -1, named: false };
}

/**
 * The processes of a plain users block, from the entries' bounds readThinTail found: `{ name, pid, fd }` each,
 * as the full parse reads them (parseUsers; COMM is printable ASCII, so latin1 is its UTF-8 reading).
 */
export function thinProcesses(b: Buffer, t: ThinTail): ProcessRef[] {
  const e = t.users;
  const entry = (k: number): ProcessRef => ({ name: latin1(b, e[k], e[k + 1]), pid: value(b, e[k + 2], e[k + 3]), fd: value(b, e[k + 4], e[k + 5]) });
  if (e.length === 6) return [entry(0)]; // the usual one process: a list of its size at once
  const processes: ProcessRef[] = [];
  for (let k = 0; k < e.length; k += 6) processes.push(entry(k));
  return ownSize(processes);
}

/**
 * A list grown by `push`, in a list of its own size: V8 reserves room for 17 entries at the first push, and
 * a socket kept by a finding keeps its lists (processes, tcp flags) until the reports (~130 bytes a list).
 */
export function ownSize<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

/**
 * The endpoints of a thin row before it is completed: its addresses are read on completion (thinEndpoint),
 * unless a rule reads them or a port is a service name — then the parser reads both at once, as the full
 * parse does (its service table, the row's protocol).
 */
export const EMPTY_EP: Endpoint = { address: '', port: null };

/** The decimal number b[p..e) (digits, already checked). */
function value(b: Buffer, p: number, e: number): number {
  let v = 0;
  for (let i = p; i < e; i++) v = v * 10 + b[i] - 48;
  return v;
}

/**
 * The rest of a thin row after its State token (p: just past it): `RECVQ SENDQ LOCAL PEER [USERS] [EXT]`, and
 * spaces up to `end`. EXT (extension text: -e, -o, -O items), when present, is not read here (see
 * thinItems). Fills `out` (the users block's entries only when `users`: a rule reads processes); false for
 * anything else (`out` is then partly filled).
 */
export function readThinTail(b: Buffer, p: number, end: number, out: ThinTail, users = false): boolean {
  p = spaces(b, p, end);
  let e = digits(b, p, end);
  if (e === p || e - p > 15 || b[e] !== 32) return false;
  out.recvQ = value(b, p, e);
  p = spaces(b, e, end);
  e = digits(b, p, end);
  if (e === p || e - p > 15 || b[e] !== 32) return false;
  out.sendQ = value(b, p, e);
  const lS = spaces(b, e, end);
  const lE = inetToken(b, lS, end);
  if (lE < 0 || b[lE] !== 32) return false;
  const named = portNamed;
  const pS = spaces(b, lE, end);
  const pE = inetToken(b, pS, end);
  if (pE < 0) return false;
  out.localStart = lS;
  out.localEnd = lE;
  out.peerStart = pS;
  out.peerEnd = pE;
  out.named = named || portNamed;
  out.usersStart = out.usersEnd = out.extStart = -1;
  const uS = spaces(b, pE, end);
  if (uS === end) return true;
  if (uS === pE) return false;
  let xS = uS;
  if (b[uS] === 117 /* u */) {
    const uE = usersBlock(b, uS, end, users ? out.users : undefined);
    if (uE >= 0) {
      out.usersStart = uS;
      out.usersEnd = uE;
      xS = spaces(b, uE, end);
      if (xS === end) return true;
      if (xS === uE) return false;
    }
  }
  out.extStart = xS;
  return true;
}

/**
 * Makes `t` keep a copy of its own bytes (its row, and its continuation line) instead of the chunk it was read
 * from, so that it outlives the chunk, which the parser's caller may reuse.
 */
export function ownThinRow(t: ThinRow): void {
  const from = t[1];
  const to = t.length === 6 && t[4] >= 0 ? t[5] : t[2];
  t[0] = Buffer.from(t[0].subarray(from, to));
  t[2] -= from;
  t[1] = 0;
  if (t.length === 6 && t[4] >= 0) {
    t[4] -= from;
    t[5] -= from;
  }
}

/** Where the State token of a row that starts at `start` begins: after `tcp `/`udp ` when it has a Netid. */
export function stateStart(b: Buffer, start: number, end: number, netid: boolean): number {
  return netid ? spaces(b, start + 3, end) : start;
}

/** The end of the token at p (the next space or `end`). */
export function tokenEnd(b: Buffer, p: number, end: number): number {
  while (p < end && b[p] !== 32) p++;
  return p;
}

/** The tokens of a thin row (the parser has read it with readThinTail already). */
export function thinTokens(t: ThinRow): ThinTail {
  const [b, start, end, flags] = t;
  const out = newThinTail();
  readThinTail(b, tokenEnd(b, stateStart(b, start, end, (flags & THIN_NETID) !== 0), end), end, out);
  return out;
}

/**
 * The endpoint a thin row's `ADDR:PORT`, `[V6]:PORT`, `V6:PORT`, `ADDR:*` token reads as (what the full parse makes of it);
 * numeric ports only: a row with a service name has its endpoints read by the parser (EMPTY_EP), as has one
 * whose endpoints a rule reads.
 */
export function thinEndpoint(b: Buffer, from: number, to: number): Endpoint {
  const c = portColon(b, from, to);
  let addrEnd = from;
  while (addrEnd < c && b[addrEnd] !== 37 /* % */) addrEnd++;
  const address = b[from] === 91 /* [ */ ? b.toString('latin1', from + 1, addrEnd - 1) : b.toString('latin1', from, addrEnd);
  const ep: Endpoint = { address, port: portAfter(b, c, to) };
  if (addrEnd < c) ep.iface = b.toString('latin1', addrEnd + 1, c);
  return ep;
}

/**
 * The endpoint of a thin row's address token (as thinEndpoint) while only its port is read: the address is
 * left empty until the record is completed (a rule set that reads no more of the endpoints: ExtensionWants.ports).
 */
export function thinPortEndpoint(b: Buffer, from: number, to: number): Endpoint {
  return { address: '', port: portAfter(b, portColon(b, from, to), to) };
}

/** The `:` before the port of a thin row's address token b[from..to) (its last one; `from` when it has none after it). */
export function portColon(b: Buffer, from: number, to: number): number {
  let c = to - 1;
  while (c > from && b[c] !== 58 /* : */) c--;
  return c;
}

/** The port after the colon c of an address token ending at `to`: null for `*`. */
function portAfter(b: Buffer, c: number, to: number): number | null {
  return b[c + 1] === 42 /* * */ ? null : value(b, c + 1, to);
}

/**
 * The end of a line's text b[p..nl) (nl: its LF) without a CR before the LF — a CRLF line, as a capture saved
 * through a terminal has them (`ssh -t host ss …`), ends there as the full parse's onLine reads it — and without
 * its trailing spaces (trimSpaces).
 */
export function lineTextEnd(b: Buffer, p: number, nl: number, words: SpaceWords): number {
  return trimSpaces(b, p, nl > p && b[nl - 1] === 13 /* CR */ ? nl - 1 : nl, words);
}

/** Eight spaces read as one float64 (a padded line is compared eight bytes at a time). */
const SPACES8 = new Float64Array(new Uint8Array(8).fill(32).buffer)[0];

/**
 * A chunk's memory as float64 words, which trimSpaces reads, and where the chunk starts in it. Made once per
 * chunk (spaceWordsOf): a Buffer's `.buffer` and `.byteOffset` are getters V8 does not inline, and asking them
 * for every row cost 4–6 % of a scan's time (A/B, 1M `-tanp` and 250k `-tanpmioe`).
 */
export interface SpaceWords {
  chunk: Buffer | undefined;
  words: Float64Array<ArrayBufferLike>;
  base: number;
}

export function newSpaceWords(): SpaceWords {
  return { chunk: undefined, words: new Float64Array(0), base: 0 };
}

/** `w` for the chunk `b` (the view made again only when b's memory is not the last chunk's). */
export function spaceWordsOf(w: SpaceWords, b: Buffer): SpaceWords {
  if (b !== w.chunk) {
    w.chunk = b;
    w.base = b.byteOffset;
    if (b.buffer !== w.words.buffer) w.words = new Float64Array(b.buffer, 0, b.buffer.byteLength >> 3);
  }
  return w;
}

/**
 * The end of b[p..end) without its trailing spaces. `ss` pads rows and continuation lines to the terminal's
 * width: long padding is compared eight bytes at a time through `w` (spaceWordsOf(…, b)).
 */
export function trimSpaces(b: Buffer, p: number, end: number, w: SpaceWords): number {
  if (end - p >= 32 && b[end - 1] === 32) {
    const base = w.base;
    const words = w.words;
    while (((base + end) & 7) !== 0) {
      if (b[end - 1] !== 32) return end;
      end--;
    }
    let i = (base + end) / 8;
    const lo = Math.ceil((base + p) / 8);
    while (i > lo && words[i - 1] === SPACES8) i--;
    end = i * 8 - base;
  }
  while (end > p && b[end - 1] === 32) end--;
  return end;
}

// ── extension items of a thin row (parser.ts, thinRow) ──

/** What a thin row's extension text needs, besides its wanted items (ThinItems.needs). */
export const NEEDS_EXTENDED = 1;
export const NEEDS_SKMEM = 2;
/** A skipped token may be a TCP info item: the record must have a tcp object, and TCP info must be known. */
export const NEEDS_TCP = 4;

/** The tokens thinItems found and what the ones it skipped need. */
export interface ThinItems {
  /** [start, end) of each token a wanted key starts, in text order: `n` pairs. */
  found: number[];
  n: number;
  /** NEEDS_* bits of the skipped tokens. */
  needs: number;
  /**
   * [start, end) of each skipped token whose value must be read to know that it reads (checkThinItems in
   * fields.ts), in text order: `m` pairs. A rate key's (`send`) runs to the end of the token after it.
   */
  check: number[];
  m: number;
}

export function newThinItems(): ThinItems {
  return { found: [], n: 0, needs: 0, check: [], m: 0 };
}

/** `key:` prefixes as bytes, by their first byte. */
export type KeyTable = (Buffer[] | undefined)[];

/** The wanted `key:` prefixes of a state (ExtensionWants.searchKeys), as thinItems looks them up. */
export function thinKeys(keys: readonly string[]): KeyTable {
  const t: KeyTable = new Array<Buffer[] | undefined>(128).fill(undefined);
  for (const k of keys) (t[k.charCodeAt(0)] ??= []).push(Buffer.from(`${k}:`, 'latin1'));
  return t;
}

/**
 * Items of the -e group (SEEN_EXTENDED) and of skmem (SEEN_SKMEM), never TCP info: KEY_KIND's kinds 4–8 and
 * 17, and 2–3, in fields.ts (which imports this file). An item missing here counts as TCP info: stricter,
 * never wrong.
 */
const EXTENDED_NAMES = ['ino', 'sk', 'cgroup', 'uid', 'fwmark', 'v6only'];
const SKMEM_NAMES = ['skmem', 'mem'];
const EXTENDED_KEYS = thinKeys(EXTENDED_NAMES);
const SKMEM_KEYS = thinKeys(SKMEM_NAMES);
/** TCP info items a value of digits alone does not make readable (they end in `ms`, or are `(…)`). */
const UNIT_KEYS = thinKeys(['busy', 'rwnd_limited', 'sndbuf_limited', 'bbr']);
/**
 * The numeric TCP info items ss prints as whole numbers (`%u`, `%llu`, `%d`): a decimal value of one is not read
 * (socket.schema.json types them integer). The others of fields.ts's TCP_NUMERIC (rto, ato, rcv_rtt …) are `%g`.
 */
export const TCP_COUNT_NAMES = [
  'backoff', 'mss', 'pmtu', 'rcvmss', 'advmss', 'cwnd', 'ssthresh', 'bytes_sent', 'bytes_retrans', 'bytes_acked',
  'bytes_received', 'segs_out', 'segs_in', 'data_segs_out', 'data_segs_in', 'delivered', 'delivered_ce', 'unacked',
  'lost', 'sacked', 'dsack_dups', 'fackets', 'reordering', 'reord_seen', 'rcv_space', 'rcv_ssthresh', 'notsent',
  'rcv_ooopack', 'snd_wnd', 'rcv_wnd', 'rehash',
];
/** …and those a decimal (`0.108`) does not: counts, and items that end in `ms`. */
const NOT_DECIMAL_NAMES = ['retrans', 'wscale', 'busy', 'rwnd_limited', 'sndbuf_limited', 'bbr', ...TCP_COUNT_NAMES];
const NOT_DECIMAL_KEYS = thinKeys(NOT_DECIMAL_NAMES);
/** The items whose value may be A,B / A/B / Nms (as thinItems tells them: A, B, N up to 15 digits). */
const COMMA_KEYS = thinKeys(['wscale']);
const SLASH_KEYS = thinKeys(['retrans', 'rtt']);
const MS_KEYS = thinKeys(['busy']);

/**
 * What a value after a `:` in thin text is, as thinItems tells it from the bytes it walks (A and B: 1 to 15
 * digits): A (PLAIN), A.B with at most 15 digits in all (DECIMAL), A,B (COMMA), A/B (SLASH), Ams (MS), or
 * something else (OTHER, or no value at all).
 */
const OTHER = 0;
const PLAIN = 1;
const DECIMAL = 2;
const COMMA = 3;
const SLASH = 4;
const MS = 5;

/**
 * Whether the value (of `shape`) of TCP info item (or unknown item) b[s..] whose first `:` is at `colon` may not
 * read: a value of these shapes reads for any key but these (TCP info of another form; an unknown key reads
 * whatever its value, but telling it apart is the check's).
 */
function valueUnsure(b: Buffer, s: number, colon: number, shape: number): boolean {
  const c0 = b[s];
  const f = KEY_FLAGS[shapeSlot(c0, colon - s)];
  const general = (f & SHAPE_KEY) === 0;
  switch (shape) {
    case PLAIN: return !general && startsWithAny(b, s, colon + 1, UNIT_KEYS[c0]);
    case DECIMAL: return (f & NOT_DECIMAL_KEY) !== 0 && startsWithAny(b, s, colon + 1, NOT_DECIMAL_KEYS[c0]); // (a count's key is general)
    case COMMA: return general || !startsWithAny(b, s, colon + 1, COMMA_KEYS[c0]);
    case SLASH: return general || !startsWithAny(b, s, colon + 1, SLASH_KEYS[c0]);
    case MS: return general || !startsWithAny(b, s, colon + 1, MS_KEYS[c0]);
    default: return true;
  }
}

/**
 * Whether b[p..e) is `(KEY COUNT,KEY COUNT…)`, each KEY lower-case letters and each COUNT 1 to 15 digits: what
 * the skmem:( and mem:( items of every kernel are, and which reads whatever its keys (an unknown one goes to
 * extra).
 */
function plainSkmem(b: Buffer, p: number, e: number): boolean {
  if (b[p] !== 40 /* ( */ || b[e - 1] !== 41 /* ) */) return false;
  e--;
  for (let i = p + 1; ;) {
    const k = i;
    while (i < e && b[i] >= 97 && b[i] <= 122) i++;
    const d = digits(b, i, e);
    if (i === k || d === i || d - i > 15) return false;
    if (d === e) return true;
    if (b[d] !== 44 /* , */) return false;
    i = d + 1;
  }
}

/** Where the part of the value valueShape read ends. */
let shapeEnd = 0;

/**
 * The shape of the value at b[p..] (a token's, which a space or `end` ends); shapeEnd is then where the bytes
 * it read end (its numbers: the rest of the token, if any, is not of a shape).
 */
function valueShape(b: Buffer, p: number, end: number): number {
  let d = digits(b, p, end);
  shapeEnd = d;
  const n1 = d - p;
  if (n1 === 0 || n1 > 15) return OTHER;
  if (d === end || b[d] === 32) return PLAIN;
  const c = b[d];
  if (c === 109 /* m */) {
    if (d + 2 <= end && b[d + 1] === 115 /* s */ && (d + 2 === end || b[d + 2] === 32)) {
      shapeEnd = d + 2;
      return MS;
    }
    return OTHER;
  }
  if (c !== 46 /* . */ && c !== 44 /* , */ && c !== 47 /* / */) return OTHER;
  const e = digits(b, ++d, end);
  const n2 = e - d;
  if (n2 === 0 || (e !== end && b[e] !== 32)) return OTHER;
  shapeEnd = e;
  if (c === 46) return n1 + n2 <= 15 ? DECIMAL : OTHER;
  return n2 > 15 ? OTHER : c === 44 ? COMMA : SLASH;
}

/** Whether b[s..p) is N bps, N 1 to 15 digits (a rate that reads: rateMeasure in fields.ts). */
function plainRate(b: Buffer, s: number, p: number): boolean {
  const d = digits(b, s, p);
  return d > s && d - s <= 15 && p - d === 3 && b[d] === 98 /* b */ && b[d + 1] === 112 /* p */ && b[d + 2] === 115 /* s */;
}

/** The bare keys of a rate (`send 10Mbps`): the rate is the token after them. */
const RATE_NAMES = ['send', 'pacing_rate', 'delivery_rate'];
const RATE_TOKENS = RATE_NAMES.map((t) => Buffer.from(t, 'latin1'));

/**
 * What a key may be, by its first byte and length (shapeSlot; a bare token's: the token), as bits: one array read
 * spares the other keys the lookups (made only when a bit says the key may be one of a list). SHAPE_KEY: one
 * of UNIT_KEYS … MS_KEYS, whose value's shape does not decide alone whether it reads. RATE_KEY: a rate key.
 * COUNT_KEY, V6ONLY_KEY: of the -e items (EXTENDED_KEYS, no two of which share a first byte and a length), uid
 * and ino (counts: read when their value is 1 to 15 digits, below 2^53), v6only (0 or 1). EXTENDED_KEY,
 * SKMEM_KEY, NOT_DECIMAL_KEY: one of EXTENDED_KEYS, of SKMEM_KEYS, of NOT_DECIMAL_KEYS.
 */
const SHAPE_KEY = 1;
const RATE_KEY = 2;
const COUNT_KEY = 4;
const V6ONLY_KEY = 8;
const EXTENDED_KEY = 16;
const SKMEM_KEY = 32;
const NOT_DECIMAL_KEY = 64;
const KEY_FLAGS = new Uint8Array(128 * 16);
for (const k of ['busy', 'rwnd_limited', 'sndbuf_limited', 'retrans', 'wscale', 'rtt', 'bbr']) KEY_FLAGS[shapeSlot(k.charCodeAt(0), k.length)] |= SHAPE_KEY;
for (const k of RATE_NAMES) KEY_FLAGS[shapeSlot(k.charCodeAt(0), k.length)] |= RATE_KEY;
for (const k of ['uid', 'ino']) KEY_FLAGS[shapeSlot(k.charCodeAt(0), k.length)] |= COUNT_KEY;
KEY_FLAGS[shapeSlot(118 /* v */, 6)] |= V6ONLY_KEY;
for (const k of EXTENDED_NAMES) KEY_FLAGS[shapeSlot(k.charCodeAt(0), k.length)] |= EXTENDED_KEY;
for (const k of SKMEM_NAMES) KEY_FLAGS[shapeSlot(k.charCodeAt(0), k.length)] |= SKMEM_KEY;
for (const k of NOT_DECIMAL_NAMES) KEY_FLAGS[shapeSlot(k.charCodeAt(0), k.length)] |= NOT_DECIMAL_KEY;

/** KEY_FLAGS's slot of a key of first byte c0 (printable ASCII) and `length` (lengths from 15 on share one). */
function shapeSlot(c0: number, length: number): number {
  return c0 * 16 + (length < 15 ? length : 15);
}
/** `ss -e`'s shutdown state of a socket (fields.ts reads them; thinItems skips them). */
export const SHUTDOWN_MARKERS = ['<->', '-->', '<--', '---'];
const SHUTDOWN_TOKENS = SHUTDOWN_MARKERS.map((t) => Buffer.from(t, 'latin1'));
const BPF_TOKEN = Buffer.from('bpf', 'latin1');
const ULP_TOKEN = Buffer.from('tcp-ulp-', 'latin1');

/**
 * Whether the extension text b[p..end) is `ss -e` items alone (uid:, ino:, sk:, cgroup:, v6only:, fwmark:, a
 * shutdown marker), each a token of printable ASCII: text that tells nothing of a Netid-less row's table (no TCP or
 * MPTCP info, no timer) — what SsParser.streamAhead lets a row have.
 */
export function extendedOnly(b: Buffer, p: number, end: number): boolean {
  for (;;) {
    while (p < end && b[p] === 32) p++;
    if (p >= end) return true;
    const s = p;
    let colon = -1;
    for (; p < end && b[p] !== 32; p++) {
      if (b[p] < 33 || b[p] > 126) return false;
      if (b[p] === 58 && colon < 0) colon = p;
    }
    if (colon > 0 ? !startsWithAny(b, s, colon + 1, EXTENDED_KEYS[b[s]]) : !(p - s === 3 && isAny(b, s, p, SHUTDOWN_TOKENS))) return false;
  }
}

/** How thinItems treats each byte: 0 part of a token, or one of these. */
const SPACE = 1;
const BAD = 2; // not printable ASCII, or `"`
const COLON = 3;
const OPEN = 4;
const BYTE_CLASS = new Uint8Array(256).map((_, c) =>
  c === 32 ? SPACE : c < 33 || c > 126 || c === 34 ? BAD : c === 58 ? COLON : c === 40 ? OPEN : 0);

function startsWithAny(b: Buffer, p: number, e: number, prefixes: readonly Buffer[] | undefined): boolean {
  if (prefixes === undefined) return false;
  for (let k = 0; k < prefixes.length; k++) if (startsWith(b, p, e, prefixes[k])) return true;
  return false;
}

/** Whether b[p..e) is one of `tokens`. */
function isAny(b: Buffer, p: number, e: number, tokens: readonly Buffer[]): boolean {
  for (let k = 0; k < tokens.length; k++) if (tokens[k].length === e - p && startsWith(b, p, e, tokens[k])) return true;
  return false;
}

/** Appends the token b[s..e) to the ones whose value must be checked (ThinItems.check). */
function addCheck(out: ThinItems, s: number, e: number): void {
  out.check[out.m * 2] = s;
  out.check[out.m * 2 + 1] = e;
  out.m++;
}

/**
 * Extension text b[p..end) of a thin row (after its users, or a continuation line after its TAB), trimmed:
 * appends the tokens that start with one of `keys` to `out.found` and ORs into `out.needs` what the others
 * need to be left unread; of those, the ones whose value may not read (not a plain count of up to 15 digits,
 * or of a key that wants more) go to `out.check`, to be checked without being read. False when the text is not
 * simple enough for that — what searchRest (fields.ts) requires of text it searches (NOT_SIMPLE), and stricter:
 * printable ASCII and spaces only, no `"`, no `:` before a space or the end, every `(` closed before a space or
 * another `(` (so tokens are exactly the runs between spaces), no `users:(` block, bpf program or tcp-ulp block.
 */
export function thinItems(b: Buffer, p: number, end: number, keys: KeyTable, out: ThinItems): boolean {
  let rate = -1; // the start of a rate key whose rate (the next token) is still to come
  let rateEnd = -1; // and its end
  for (;;) {
    while (p < end && b[p] === 32) p++;
    if (p >= end) {
      if (rate >= 0) addCheck(out, rate, rateEnd); // a rate key that ends the text: checked alone (it has no rate)
      return true;
    }
    const s = p;
    let colon = -1;
    let shape = OTHER; // of the value after the first `:`
    for (; p < end; p++) {
      const c = b[p];
      if (c > 58 ? c < 127 : c > 41 && c < 58) continue; // letters, digits, most punctuation: BYTE_CLASS 0
      const k = BYTE_CLASS[c];
      if (k === SPACE) break;
      if (k === BAD) return false;
      if (k === COLON) {
        if (p + 1 >= end || b[p + 1] === 32) return false;
        if (colon < 0) {
          colon = p;
          // the value's digits (mostly the whole value: PLAIN), or its numbers when it is of another shape, then
          // the rest as before
          let d = digits(b, p + 1, end);
          if (d === end || b[d] === 32) shape = d - p <= 16 ? PLAIN : OTHER;
          else {
            shape = valueShape(b, p + 1, end);
            d = shapeEnd;
          }
          p = d - 1;
        }
      } else if (k === OPEN) {
        // closed before a space or another `(`
        let q = p + 1;
        while (q < end && b[q] !== 41 && b[q] !== 40 && b[q] !== 32) q++;
        if (q >= end || b[q] !== 41 /* ) */) return false;
      }
    }
    if (rate >= 0) {
      // the rate key's token and this one after it are checked, unless this is N bps (N: 1 to 15 digits), which reads
      if (!plainRate(b, s, p)) addCheck(out, rate, p);
      rate = -1;
    }
    // a users:(…) block readThinTail did not take (malformed, or a second one) is the full parse's to read
    const c0 = b[s];
    if ((c0 === 117 && startsWith(b, s, p, USERS_OPEN)) || (c0 === 98 && startsWith(b, s, p, BPF_TOKEN)) || (c0 === 116 && startsWith(b, s, p, ULP_TOKEN))) {
      return false;
    }
    // what the key may be, by its first byte and length (a bare token's: the whole token)
    const f = KEY_FLAGS[shapeSlot(c0, (colon > 0 ? colon : p) - s)];
    let check = false;
    if (colon > 0 && keys[c0] !== undefined && startsWithAny(b, s, p, keys[c0])) {
      out.found[out.n * 2] = s;
      out.found[out.n * 2 + 1] = p;
      out.n++;
    } else if (colon > 0 && (f & EXTENDED_KEY) !== 0 && startsWithAny(b, s, colon + 1, EXTENDED_KEYS[c0])) {
      out.needs |= NEEDS_EXTENDED;
      // uid, ino: a count; v6only: 0 or 1 (sk, cgroup, fwmark: any text)
      check = (f & COUNT_KEY) !== 0 ? shape !== PLAIN : (f & V6ONLY_KEY) !== 0 && !(p - colon === 2 && (b[p - 1] === 48 || b[p - 1] === 49));
    } else if (colon > 0 && (f & SKMEM_KEY) !== 0 && startsWithAny(b, s, colon + 1, SKMEM_KEYS[c0])) {
      out.needs |= NEEDS_SKMEM;
      check = !plainSkmem(b, colon + 1, p);
    } else if (colon < 0 && p - s === 3 && startsWithAny(b, s, p, SHUTDOWN_TOKENS)) {
      out.needs |= NEEDS_EXTENDED;
    } else {
      out.needs |= NEEDS_TCP | NEEDS_EXTENDED; // TCP info, or an unknown item (`a=b` ones are -e items)
      if (colon > 0) check = (shape !== PLAIN || (f & SHAPE_KEY) !== 0) && valueUnsure(b, s, colon, shape);
      else if ((f & RATE_KEY) !== 0 && isAny(b, s, p, RATE_TOKENS)) {
        rate = s;
        rateEnd = p;
      }
    }
    if (check) addCheck(out, s, p);
  }
}
