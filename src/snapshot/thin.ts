/**
 * The byte grammar of a thin row (parser.ts, thinRow): a plain inet socket row read from a Buffer without
 * making strings. Shared by the parser (which reads rows this way) and completeExtensions (fields.ts), which
 * finds the tokens again when a thin record is completed.
 */

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

/**
 * The end of an inet endpoint token at p — `A.B.C.D:PORT`, `*:PORT`, `[V6]:PORT` (hex, ':' and '.' inside),
 * PORT digits (≤ 5) or `*` — followed by a space or the end; -1 for anything else (service names, `%iface`,
 * bare IPv6, a number before the colon: all left to the full parse).
 */
function inetToken(b: Buffer, p: number, end: number): number {
  let i = p;
  const c0 = b[i];
  if (c0 === 42 /* * */) {
    i++;
  } else if (c0 === 91 /* [ */) {
    i++;
    for (;;) {
      const c = b[i];
      if ((c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46) i++;
      else break;
    }
    if (i === p + 1 || b[i] !== 93 /* ] */) return -1;
    i++;
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
    if (dots === 0 || i === p) return -1;
  }
  if (i >= end || b[i] !== 58 /* : */) return -1;
  i++;
  if (b[i] === 42 /* * */) i++;
  else {
    const d = digits(b, i, end);
    if (d === i || d - i > 5) return -1;
    i = d;
  }
  return i === end || b[i] === 32 ? i : -1;
}

/**
 * The end of a plain `users:(("comm",pid=N,fd=N),…)` block at p (COMM of printable ASCII without space,
 * quote, parentheses, comma or backslash), or -1.
 */
function usersBlock(b: Buffer, p: number, end: number): number {
  let i = p;
  for (let k = 0; k < USERS_OPEN.length; k++) if (b[i++] !== USERS_OPEN[k]) return -1;
  for (;;) {
    if (b[i] !== 40 /* ( */ || b[i + 1] !== 34 /* " */) return -1;
    i += 2;
    const c0 = i;
    for (;;) {
      const c = b[i];
      if (c > 32 && c < 127 && c !== 34 && c !== 40 && c !== 41 && c !== 44 && c !== 92) i++;
      else break;
    }
    if (i === c0 || i >= end) return -1;
    for (let k = 0; k < PID_KEY.length; k++) if (b[i++] !== PID_KEY[k]) return -1;
    let d = digits(b, i, end);
    if (d === i || d - i > 10) return -1;
    i = d;
    for (let k = 0; k < FD_KEY.length; k++) if (b[i++] !== FD_KEY[k]) return -1;
    d = digits(b, i, end);
    if (d === i || d - i > 10) return -1;
    i = d;
    if (b[i] !== 41 /* ) */) return -1;
    i++;
    if (b[i] === 41) return i + 1 <= end ? i + 1 : -1;
    if (b[i] !== 44 /* , */) return -1;
    i++;
  }
}
const USERS_OPEN = Buffer.from('users:(', 'latin1');
const PID_KEY = Buffer.from('",pid=', 'latin1');
const FD_KEY = Buffer.from(',fd=', 'latin1');

/**
 * A thin row as a record keeps it: [bytes, row start, row end, 1 when the row starts with a Netid (tcp/udp)].
 * The tokens are found again on completion (rare: only findings and offenders are completed).
 */
export type ThinRow = [Buffer, number, number, number];

/** What readThinTail finds: the queues and the token bounds (users -1 when the row has none). */
export interface ThinTail {
  recvQ: number;
  sendQ: number;
  localStart: number;
  localEnd: number;
  peerStart: number;
  peerEnd: number;
  usersStart: number;
  usersEnd: number;
}

export function newThinTail(): ThinTail {
  return { recvQ: 0, sendQ: 0, localStart: 0, localEnd: 0, peerStart: 0, peerEnd: 0, usersStart: -1, usersEnd: -1 };
}

/** The decimal number b[p..e) (digits, already checked). */
function value(b: Buffer, p: number, e: number): number {
  let v = 0;
  for (let i = p; i < e; i++) v = v * 10 + b[i] - 48;
  return v;
}

/**
 * The rest of a thin row after its State token (p: just past it): `RECVQ SENDQ LOCAL PEER [USERS]`, then
 * nothing but spaces up to `end`. Fills `out`; false for anything else (`out` is then partly filled).
 */
export function readThinTail(b: Buffer, p: number, end: number, out: ThinTail): boolean {
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
  const pS = spaces(b, lE, end);
  const pE = inetToken(b, pS, end);
  if (pE < 0) return false;
  out.localStart = lS;
  out.localEnd = lE;
  out.peerStart = pS;
  out.peerEnd = pE;
  const uS = spaces(b, pE, end);
  if (uS === end) {
    out.usersStart = out.usersEnd = -1;
    return true;
  }
  if (uS === pE) return false;
  const uE = usersBlock(b, uS, end);
  if (uE < 0 || spaces(b, uE, end) !== end) return false;
  out.usersStart = uS;
  out.usersEnd = uE;
  return true;
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
  const [b, start, end, netid] = t;
  const out = newThinTail();
  readThinTail(b, tokenEnd(b, stateStart(b, start, end, netid === 1), end), end, out);
  return out;
}

/** The endpoint a thin row's `ADDR:PORT`, `[V6]:PORT`, `ADDR:*` token reads as (what the full parse makes of it). */
export function thinEndpoint(b: Buffer, from: number, to: number): { address: string; port: number | null } {
  let c = to - 1;
  while (c > from && b[c] !== 58 /* : */) c--;
  const address = b[from] === 91 /* [ */ ? b.toString('latin1', from + 1, c - 1) : b.toString('latin1', from, c);
  if (b[c + 1] === 42 /* * */) return { address, port: null };
  return { address, port: value(b, c + 1, to) };
}
