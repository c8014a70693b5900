/**
 * Parsers for the detail items of an `ss` row (docs: shared/docs/ss-format.md §9–§13): `users:(…)`,
 * `timer:(…)`, `skmem:(…)`, TCP info and the other extension items. Pure functions on strings;
 * they scan with indexOf/charCodeAt and never throw on malformed text.
 */
import type { Endpoint, ProcessRef, SkMem, SocketRecord, TcpInfo, Timer } from './types';
import { EMPTY_EP, MAX_ID, SHUTDOWN_MARKERS, TCP_COUNT_NAMES, THIN_PORTS_ONLY, ownSize, ownThinRow, thinEndpoint, thinTokens, type ThinRow, type ThinTail } from './thin';

// ───────────────────────────── numbers ─────────────────────────────

/** Decimal integer (optionally negative) or undefined. */
export function parseIntStrict(s: string): number | undefined {
  const v = parseIntRange(s, 0, s.length);
  return v === v ? v : undefined; // NaN check
}

/** Decimal integer in s[from..to) (optionally negative), NaN when not one. No allocation. */
export function parseIntRange(s: string, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && s.charCodeAt(i) === 45 /* - */) {
    neg = true;
    i++;
  }
  const digits = to - i;
  if (digits <= 0 || digits > 20) return NaN;
  let v = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  if (digits > 15 && !Number.isSafeInteger(v)) return NaN;
  return neg ? -v : v;
}

/** parseRate of s[from..to) reading the number from char codes when it is a plain decimal. */
function rateRange(s: string, from: number, to: number): number | undefined {
  if (to - from < 4 || s.charCodeAt(to - 3) !== 98 || s.charCodeAt(to - 2) !== 112 || s.charCodeAt(to - 1) !== 115) {
    return parseRate(s.slice(from, to));
  }
  let end = to - 3;
  let mult = 1;
  const u = s.charCodeAt(end - 1);
  if (u === 107 || u === 75) mult = 1e3;
  else if (u === 77) mult = 1e6;
  else if (u === 71) mult = 1e9;
  else if (u === 84) mult = 1e12;
  if (mult !== 1) end--;
  const v = fastNumber(s, from, end);
  if (v !== v) return parseRate(s.slice(from, to));
  return Math.round(v * mult * 1000) / 1000;
}

/** A decimal number as C's `%g`/`%f` print one: sign, digits, fraction, exponent (not `0x10`, `1_0`, `Infinity`). */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `%g`-style number (`92427.6`, `1.23457e+06`, `0.005`) or undefined. */
export function parseNumber(s: string): number | undefined {
  if (s.length === 0 || s.length > 40 || !DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

// What a value may be. Every kernel counter ss prints (queues, skmem, TCP info) is unsigned, and most are
// 64-bit (bytes_acked, bytes_received, segs_out, busy …): they could in principle exceed 2^53, but only after
// exabytes or 285 millennia of milliseconds. Numbers here are JavaScript numbers, exact only up to
// Number.MAX_SAFE_INTEGER (2^53 - 1): a larger value, like a negative one, NaN or an infinity, is not read
// (its 18446744073709551616 would become 18446744073709552000) but reported as an unparsed item of its line
// (badValue), never stored rounded, nor in `extra`. The decision is the simplest honest one: a value is either
// exact or reported.

/** What a count may be: a non-negative integer up to this (Number.MAX_SAFE_INTEGER). */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** s[from..to) as a count (decimal digits only, at most MAX_COUNT), else NaN. */
export function countRange(s: string, from: number, to: number): number {
  return from < to && s.charCodeAt(from) !== 45 /* - */ ? parseIntRange(s, from, to) : NaN;
}

/** s[from..to) as a process id, thread id or fd (decimal digits only, at most MAX_ID), else NaN. */
function idRange(s: string, from: number, to: number): number {
  const v = countRange(s, from, to);
  return v <= MAX_ID ? v : NaN;
}

/** s[from..to) as a measure (a `%g` number, neither negative nor above MAX_COUNT), else NaN. */
export function measureRange(s: string, from: number, to: number): number {
  if (from >= to || s.charCodeAt(from) === 45 /* - */) return NaN;
  const v = fastNumber(s, from, to); // (at most 15 digits: below 10^15)
  if (v === v) return v;
  const w = parseNumber(s.slice(from, to)) ?? NaN;
  return w <= MAX_COUNT ? w : NaN;
}

/** A rate (rateRange) that is a measure: neither negative nor above MAX_COUNT; else NaN. */
function rateMeasure(s: string, from: number, to: number): number {
  if (from >= to || s.charCodeAt(from) === 45 /* - */) return NaN;
  const v = rateRange(s, from, to);
  return v !== undefined && v <= MAX_COUNT ? v : NaN;
}

// ───────────────────────────── timer ─────────────────────────────

/** Largest believable timer (1 day); above that the kernel reported a wrapped value. */
const MAX_TIMER_MS = 24 * 3600 * 1000;

/**
 * TIME of `timer:(NAME,TIME,COUNT)` in ms: `""` → 0, `010ms`, `238ms`, `1sec`, `3.050sec`,
 * `3.500ms` (pre-6.11: the fraction form always ended in `ms` and meant seconds), `12sec`, `1min`,
 * `1min59sec`, `119min`. Null when unreadable or absurd.
 */
export function parseTimerTime(t: string): number | null {
  const v = timerTime(t);
  return v >= 0 && v <= MAX_TIMER_MS ? v : null;
}

/** parseTimerTime's ms: NaN when `t` is not of the grammar, Infinity when absurdly long (more than 12 digits). */
function timerTime(t: string): number {
  const n = t.length;
  if (n === 0) return 0;
  let i = 0;
  let ms = 0;
  let huge = false;
  // first number
  let d = 0;
  let nd = 0;
  while (i < n) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    d = d * 10 + c;
    nd++;
    i++;
  }
  if (nd === 0) return NaN;
  if (nd > 12) huge = true;
  if (t.startsWith('min', i)) {
    ms += d * 60000;
    i += 3;
    if (i === n) return huge ? Infinity : ms;
    d = 0;
    nd = 0;
    while (i < n) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      d = d * 10 + c;
      nd++;
      i++;
    }
    if (nd === 0) return NaN;
    if (nd > 12) huge = true;
  }
  // d is seconds (before '.' or 'sec') or milliseconds (before 'ms' with no '.')
  if (i < n && t.charCodeAt(i) === 46 /* . */) {
    i++;
    const fs = i;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === fs) return NaN;
    const rest = n - i;
    if (!((rest === 3 && t.startsWith('sec', i)) || (rest === 2 && t.startsWith('ms', i)))) return NaN;
    ms += d * 1000 + Math.round(Number('0.' + t.slice(fs, i)) * 1000);
  } else {
    const rest = n - i;
    if (rest === 3 && t.startsWith('sec', i)) ms += d * 1000;
    else if (rest === 2 && t.startsWith('ms', i)) ms += d;
    else return NaN;
  }
  return huge ? Infinity : ms;
}

/** Whether the TIME of the timer parseTimer read last was not of the grammar (its expiresMs is then null). */
let timerUnreadable = false;

/**
 * Inner text of `timer:(…)` → Timer; undefined when not of the `NAME,TIME,COUNT` shape. A TIME that is not of
 * the grammar (not merely absurd: more than a day, a wrapped kernel value) gives expiresMs null, and sets
 * timerUnreadable (the item is then reported).
 */
export function parseTimer(inner: string): Timer | undefined {
  const a = inner.indexOf(',');
  const b = inner.lastIndexOf(',');
  if (a < 0 || b === a) return undefined;
  const name = inner.slice(0, a);
  const retrans = countRange(inner, b + 1, inner.length);
  if (!name || retrans !== retrans) return undefined;
  const ms = timerTime(inner.slice(a + 1, b));
  timerUnreadable = ms !== ms;
  return { name, expiresMs: ms >= 0 && ms <= MAX_TIMER_MS ? ms : null, retrans };
}

// ───────────────────────────── rates ─────────────────────────────

/** `511.3Mbps`, `9.92Mbps`, `55Gbps`, `8kbps`, `1e+03kbps`, `524288000000bps` → bits per second. */
export function parseRate(s: string): number | undefined {
  if (!s.endsWith('bps')) return undefined;
  let end = s.length - 3;
  let mult = 1;
  const u = s.charCodeAt(end - 1);
  switch (u) {
    case 107: /* k */
    case 75: // K
      mult = 1e3;
      end--;
      break;
    case 77: // M
      mult = 1e6;
      end--;
      break;
    case 71: // G
      mult = 1e9;
      end--;
      break;
    case 84: // T
      mult = 1e12;
      end--;
      break;
    default:
      break;
  }
  const v = parseNumber(s.slice(0, end));
  if (v === undefined) return undefined;
  // round away binary noise (1022.6 * 1e6)
  return Math.round(v * mult * 1000) / 1000;
}

// ───────────────────────────── skmem ─────────────────────────────

/**
 * Inner text of `skmem:(r0,rb2227595,t0,…)` → SkMem. An item is a key (its leading lower-case letters) and a
 * count: an item of another key goes to `unknown` (kept in extra), one of a known key (r rb t tb f w o bl d)
 * whose count does not read (a sign, more than 2^53 - 1, no digits) to `bad` (reported, not read).
 */
export function parseSkmem(inner: string, unknown?: string[], bad?: string[]): SkMem {
  return parseSkmemRange(inner, 0, inner.length, unknown, bad);
}

/** Where skmemItem's item ended: just past its `,` (or `to` + 1). */
let skmemNext = 0;

/**
 * The count of the skmem item at s[p..] when its key is the char k0 (and k1, unless -1), read up to the next
 * `,` or `to` as parseSkmemRange reads it (NaN otherwise); skmemNext is then just past it.
 */
function skmemItem(s: string, p: number, to: number, k0: number, k1: number): number {
  if (p > to || s.charCodeAt(p) !== k0) return NaN;
  let v = p + 1;
  if (k1 >= 0) {
    if (s.charCodeAt(v) !== k1) return NaN;
    v++;
  }
  let end = s.indexOf(',', v);
  if (end < 0 || end > to) end = to;
  skmemNext = end + 1;
  return s.charCodeAt(v) !== 45 /* - */ ? parseIntRange(s, v, end) : NaN; // countRange
}

/**
 * `r…,rb…,t…,tb…,f…,w…,o…,bl…,d…` — what every kernel since 4.x prints — as one object literal (one shape for
 * every socket, which the rules' reads of skmem.r, .t, .d find at once), or undefined for anything else.
 */
function standardSkmem(s: string, from: number, to: number): SkMem | undefined {
  const r = skmemItem(s, from, to, 114, -1);
  const rb = skmemItem(s, skmemNext, to, 114, 98);
  const t = skmemItem(s, skmemNext, to, 116, -1);
  const tb = skmemItem(s, skmemNext, to, 116, 98);
  const f = skmemItem(s, skmemNext, to, 102, -1);
  const w = skmemItem(s, skmemNext, to, 119, -1);
  const o = skmemItem(s, skmemNext, to, 111, -1);
  const bl = skmemItem(s, skmemNext, to, 98, 108);
  const d = skmemItem(s, skmemNext, to, 100, -1);
  // every item read (NaN is the only value unequal to itself), and nothing after the last
  if (r !== r || rb !== rb || t !== t || tb !== tb || f !== f || w !== w || o !== o || bl !== bl || d !== d || skmemNext !== to + 1) {
    return undefined;
  }
  return { r, rb, t, tb, f, w, o, bl, d };
}

/** The SkMem key of the letters s[from..to) (an item's key), or undefined. */
function skmemKey(s: string, from: number, to: number): keyof SkMem | undefined {
  const c0 = s.charCodeAt(from);
  if (to - from === 1) {
    switch (c0) {
      case 114: return 'r';
      case 116: return 't';
      case 102: return 'f';
      case 119: return 'w';
      case 111: return 'o';
      case 100: return 'd';
      default: return undefined;
    }
  }
  if (to - from !== 2) return undefined;
  const c1 = s.charCodeAt(from + 1);
  if (c0 === 114 /* r */ && c1 === 98 /* b */) return 'rb';
  if (c0 === 116 /* t */ && c1 === 98 /* b */) return 'tb';
  if (c0 === 98 /* b */ && c1 === 108 /* l */) return 'bl';
  return undefined;
}

/** parseSkmem on s[from..to) without slicing each item. */
function parseSkmemRange(s: string, from: number, to: number, unknown?: string[], bad?: string[]): SkMem {
  const std = standardSkmem(s, from, to);
  if (std !== undefined) return std;
  const m: SkMem = {};
  let start = from;
  while (start <= to) {
    let end = s.indexOf(',', start);
    if (end < 0 || end > to) end = to;
    if (end > start) {
      let v = start;
      while (v < end && s.charCodeAt(v) >= 97 && s.charCodeAt(v) <= 122) v++;
      const k = v > start ? skmemKey(s, start, v) : undefined;
      if (k === undefined) unknown?.push(s.slice(start, end));
      else {
        const n = countRange(s, v, end);
        if (n === n) m[k] = n;
        else bad?.push(s.slice(start, end));
      }
    }
    start = end + 1;
  }
  return m;
}

/** Old `mem:(r0,w0,f0,t0)`: r=rmem_alloc, w=wmem_queued… mapped onto SkMem letters (t = total → `t`). */
export function parseOldMem(inner: string, unknown?: string[], bad?: string[]): SkMem {
  return parseSkmem(inner, unknown, bad);
}

// ───────────────────────────── users ─────────────────────────────

export interface UsersResult {
  processes: ProcessRef[];
  /** Index just after the closing `)` of the group, or -1 when the line ended inside the group. */
  end: number;
  /**
   * With end -1: where the COMM of the entry the line ended in starts (just after its `("`), or -1 when the
   * line ended before one (a COMM with a newline in it is the only way ss ends a line inside the group).
   */
  open: number;
}

/**
 * Parse `users:(ENTRY,ENTRY…)` starting at `start` (the index of `users:(`) — its entries are checked but not
 * kept when `entries` is false (a lazy pass that no rule needs processes from: an entry that does not read is
 * reported whatever the rules). An entry runs from its `(` to the next `)` (ss cuts COMM at the first `)`);
 * COMM is everything before the last `",pid=` (or, in the ≤3.13 positional form `("comm",PID,FD)`, before the
 * last `",`).
 */
export function parseUsers(s: string, start: number, entries = true): UsersResult {
  const processes: ProcessRef[] = [];
  let i = start + 7; // after 'users:('
  const n = s.length;
  for (;;) {
    if (i >= n) return usersResult(processes, -1, -1);
    const c = s.charCodeAt(i);
    if (c === 41 /* ) */) return usersResult(processes, i + 1, -1);
    if (c === 44 /* , */) {
      i++;
      continue;
    }
    if (c !== 40 /* ( */) return usersResult(processes, i, -1); // malformed: stop here
    const close = s.indexOf(')', i + 1);
    if (close < 0) return usersResult(processes, -1, s.charCodeAt(i + 1) === 34 /* " */ ? i + 2 : -1);
    const p = parseUserEntry(s.slice(i + 1, close));
    if (p && entries) processes.push(p);
    i = close + 1;
  }
}

function usersResult(processes: ProcessRef[], end: number, open: number): UsersResult {
  return { processes: ownSize(processes), end, open };
}

const USER_KEYS = ['pid', 'tid', 'fd', 'proc_ctx', 'sock_ctx'];

/** Which of USER_KEYS starts at e[i] followed by '=' (index), or -1. */
function userKeyAt(e: string, i: number): number {
  for (let k = 0; k < USER_KEYS.length; k++) {
    const key = USER_KEYS[k];
    if (e.startsWith(key, i) && e.charCodeAt(i + key.length) === 61 /* = */) return k;
  }
  return -1;
}

const NOT_AN_ID = 'not a number from 0 to 2^31-1';

/** Reports entry `e` (the text between its parentheses), whose `what` does not read. */
function badEntry(e: string, what: string): void {
  noteBad(`users:(( entry (${e})`, `${what} ${NOT_AN_ID}`);
}

function setUserKey(p: ProcessRef, k: number, e: string, from: number, to: number): void {
  switch (k) {
    case 0: p.pid = idRange(e, from, to); break;
    case 1: {
      const v = idRange(e, from, to);
      if (v === v) p.tid = v;
      else badEntry(e, 'tid');
      break;
    }
    case 2: {
      const v = idRange(e, from, to);
      if (v === v) p.fd = v;
      else badEntry(e, 'fd');
      break;
    }
    case 3: p.procCtx = e.slice(from, to); break;
    default: p.sockCtx = e.slice(from, to); break;
  }
}

/**
 * The process of entry `e`, or undefined (reported: noteBad) when it has no COMM and pid that read. An fd or
 * tid that does not read is reported too, and left out of the process.
 */
function parseUserEntry(e: string): ProcessRef | undefined {
  if (e.charCodeAt(0) !== 34 /* " */) {
    noteBad(`users:(( entry (${e})`, 'not of the form ("COMM",pid=N,fd=N)');
    return undefined;
  }
  let q = e.lastIndexOf('",pid=');
  if (q >= 0) {
    // the usual entry, `"COMM",pid=N,fd=N`: made in its final shape (properties added later take a block of
    // their own, which a socket in a finding keeps)
    const comma = e.indexOf(',', q + 6);
    if (comma > 0 && e.startsWith('fd=', comma + 1) && e.indexOf(',', comma + 4) < 0) {
      const pid = idRange(e, q + 6, comma);
      const fd = idRange(e, comma + 4, e.length);
      if (pid === pid && fd === fd) return { name: e.slice(1, q), pid, fd };
    }
    const p: ProcessRef = { name: e.slice(1, q), pid: NaN };
    // key=value pairs from q+2; proc_ctx / sock_ctx values may contain ',': a value runs to the next ",key="
    let i = q + 2;
    const n = e.length;
    let k = userKeyAt(e, i);
    while (k >= 0) {
      const vs = i + USER_KEYS[k].length + 1;
      let j = vs;
      let next = -1;
      for (;;) {
        j = e.indexOf(',', j);
        if (j < 0) {
          j = n;
          break;
        }
        next = userKeyAt(e, j + 1);
        if (next >= 0) break;
        j++;
      }
      setUserKey(p, k, e, vs, j);
      if (j >= n) break;
      i = j + 1;
      k = next;
    }
    if (p.pid === p.pid) return p;
    badEntry(e, 'pid');
    return undefined;
  }
  // ≤3.13: ("comm",PID,FD)
  q = e.lastIndexOf('",');
  if (q < 0) {
    noteBad(`users:(( entry (${e})`, 'not of the form ("COMM",pid=N,fd=N)');
    return undefined;
  }
  const comma = e.indexOf(',', q + 2);
  const pid = idRange(e, q + 2, comma < 0 ? e.length : comma);
  if (pid !== pid) {
    badEntry(e, 'pid');
    return undefined;
  }
  const p: ProcessRef = { name: e.slice(1, q), pid };
  if (comma >= 0) {
    const fd = idRange(e, comma + 1, e.length);
    if (fd === fd) p.fd = fd;
    else badEntry(e, 'fd');
  }
  return p;
}

// ───────────────────────────── extension items ─────────────────────────────

/** TCP info numeric keys (snake_case as printed → camelCase in TcpInfo). */
export const TCP_NUMERIC: Record<string, string> = {
  rto: 'rto', backoff: 'backoff', ato: 'ato', qack: 'qack', mss: 'mss', pmtu: 'pmtu', rcvmss: 'rcvmss',
  advmss: 'advmss', cwnd: 'cwnd', ssthresh: 'ssthresh', bytes_sent: 'bytesSent', bytes_retrans: 'bytesRetrans',
  bytes_acked: 'bytesAcked', bytes_received: 'bytesReceived', segs_out: 'segsOut', segs_in: 'segsIn',
  data_segs_out: 'dataSegsOut', data_segs_in: 'dataSegsIn', lastsnd: 'lastsnd', lastrcv: 'lastrcv',
  lastack: 'lastack', delivered: 'delivered', delivered_ce: 'deliveredCe', unacked: 'unacked', lost: 'lost',
  sacked: 'sacked', dsack_dups: 'dsackDups', fackets: 'fackets', reordering: 'reordering',
  reord_seen: 'reordSeen', rcv_rtt: 'rcvRtt', rcv_space: 'rcvSpace', rcv_ssthresh: 'rcvSsthresh',
  notsent: 'notsent', minrtt: 'minrtt', rcv_ooopack: 'rcvOoopack', snd_wnd: 'sndWnd', rcv_wnd: 'rcvWnd',
  rehash: 'rehash',
};

/** Bare TCP flags printed by `-i` with `-o`/`-e` (and `app_limited`, `/proc` `bidir`). */
const TCP_FLAGS = new Set(['ts', 'usec_ts', 'sack', 'ecn', 'ecnseen', 'fastopen', 'app_limited', 'bidir']);

/** Congestion-control module names seen in the wild (any other bare word is kept in `extra`). */
export const CONGESTION = new Set([
  'cubic', 'reno', 'bbr', 'bbr2', 'bbr3', 'dctcp', 'westwood', 'vegas', 'htcp', 'hybla', 'illinois', 'scalable',
  'lp', 'veno', 'yeah', 'cdg', 'nv', 'bic', 'highspeed', 'lia', 'olia', 'balia', 'wvegas', 'prague', 'brutal',
]);

const SUBKEY_CAMEL: Record<string, string> = {
  bw: 'bw', mrtt: 'mrtt', pacing_gain: 'pacingGain', cwnd_gain: 'cwndGain', ce_state: 'ceState', alpha: 'alpha',
  ab_ecn: 'abEcn', ab_tot: 'abTot',
};

const RATE_KEYS: Record<string, string> = { send: 'send', pacing_rate: 'pacingRate', delivery_rate: 'deliveryRate' };

const SHUTDOWN = new Set(SHUTDOWN_MARKERS);

/** Bare-token kinds: 1 rate key, 2 shutdown marker, 3 TCP flag, 4 congestion algorithm. */
const BARE_KIND = new Map<string, number>([
  ...Object.keys(RATE_KEYS).map((k): [string, number] => [k, 1]),
  ...[...SHUTDOWN_MARKERS].map((k): [string, number] => [k, 2]),
  ...[...TCP_FLAGS].map((k): [string, number] => [k, 3]),
  ...[...CONGESTION].map((k): [string, number] => [k, 4]),
]);

/** key:value dispatch: one hash lookup instead of a chain of string compares. */
const KEY_KIND = new Map<string, number>([
  ['timer', 1],
  ['skmem', 2],
  ['mem', 3],
  ['uid', 4],
  ['ino', 5],
  ['sk', 6],
  ['fwmark', 7],
  ['cgroup', 8],
  ['rtt', 9],
  ['retrans', 10],
  ['wscale', 11],
  ['busy', 12],
  ['rwnd_limited', 13],
  ['sndbuf_limited', 14],
  ['bbr', 15],
  ['dctcp', 16],
  ['v6only', 17],
]);


/** Which field groups an extension pass touched (bit flags, cheap to OR into parser stats). */
export const SEEN_PROCESSES = 1;
export const SEEN_TIMER = 2;
export const SEEN_EXTENDED = 4;
export const SEEN_SKMEM = 8;
export const SEEN_TCPINFO = 16;
/**
 * A `users:((` group ran to the end of the text without its closing `)`: the record gets `users-truncated` in
 * its extra (openComm: where the COMM left open starts).
 */
export const SEEN_UNTERMINATED = 32;
/** A lazy pass (see ExtensionWants) left items unread: the record must be completed before it is shown. */
export const SEEN_SKIPPED = 64;
/**
 * An item of a known key whose value does not read (a pid, a count or a measure out of range, `rtt:NaN/NaN`,
 * `v6only:2`…): it is not read — neither rounded nor kept in extra — and the parser reports its line as
 * unparsed (badItemsReason says why). Every pass finds these, a lazy one too (an item it leaves unread is
 * checked: itemReads), so what is reported does not depend on the rules.
 */
export const SEEN_BAD = 128;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12;
}

/** End of the token starting at `i`: whitespace ends it, except inside balanced `(…)` (xdp `stats(rx dropped:N,…)`). */
function tokenEnd(s: string, i: number, n: number): number {
  let depth = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) {
      if (depth > 0) depth--;
    } else if (depth === 0 && isWs(c)) return i;
  }
  return n;
}

function extraOf(rec: SocketRecord): Record<string, string | boolean> {
  let x = rec.extra;
  if (!x) {
    x = {};
    rec.extra = x;
  }
  return x;
}

/** Most `extra` items kept per record (a hostile line could hold hundreds of thousands of tokens). */
export const MAX_EXTRA_ITEMS = 256;

/**
 * The count of items in the extra object put into last, and the next `#N` to try per repeated key: a record's
 * items are put one after another, so one object's book is kept, and rebuilt from the object (its key count)
 * when another's turn comes — which keeps a hostile row of 100k items linear without a WeakMap entry and a
 * Map per record (200k unix rows with -e items: putExtra 134 ms of a 1.1 s scan with them).
 */
let bookOf: object | undefined;
let bookCount = 0;
let bookNext: Map<string, number> | undefined;

/** Put a value into extra without losing an earlier item of the same key (`key#2`, `key#3`…). */
function putExtra(rec: SocketRecord, key: string, value: string | boolean): void {
  const x = extraOf(rec);
  if (bookOf !== x) {
    bookOf = x;
    bookCount = Object.keys(x).length;
    bookNext = undefined;
  }
  if (bookCount >= MAX_EXTRA_ITEMS) {
    x['extra-truncated'] = true;
    return;
  }
  bookCount++;
  if (!(key in x)) {
    x[key] = value;
    return;
  }
  let i = bookNext?.get(key) ?? 2;
  while (`${key}#${i}` in x) i++;
  x[`${key}#${i}`] = value;
  (bookNext ??= new Map()).set(key, i + 1);
}

/** True when the token at s[i..] starts an extension item (used to find where unix/netlink addresses end). */
export function looksLikeExtension(tok: string): boolean {
  if (SHUTDOWN.has(tok)) return true;
  if (tok.startsWith('users:(')) return true;
  const colon = tok.indexOf(':');
  const eq = tok.indexOf('=');
  // key=value whose value may hold ':' (netlink -Z `proc_ctx=system_u:system_r:kernel_t:s0`)
  if (eq > 0 && (colon < 0 || eq < colon)) return /^[a-z_]+$/.test(tok.slice(0, eq));
  if (colon > 0) {
    // key:value with a lower-case key: ino:, dev:, peers:, uid:, sk:, skmem:(, timer:(, cgroup:
    for (let i = 0; i < colon; i++) {
      const c = tok.charCodeAt(i);
      if (!((c >= 97 && c <= 122) || c === 95 || c === 45 || (c >= 48 && c <= 57))) return false;
    }
    return true;
  }
  return false;
}

// ── TCP info accumulation ──
// Numeric TCP info items are collected into a scratch array and turned into the `tcp` object in one go by a
// per-key-set builder that returns an object literal: dynamic `obj[key] = v` stores for ~25 keys per socket
// are the single biggest cost of `-i` captures. The builder source is made only from the constant key names
// below, never from input.

const TCP_NUM_KEYS: string[] = [
  ...new Set([
    ...Object.values(TCP_NUMERIC), 'rtt', 'rttvar', 'retrans', 'retransTotal', 'wscaleSnd', 'wscaleRcv', 'busy',
    'rwndLimited', 'rwndLimitedPct', 'sndbufLimited', 'sndbufLimitedPct', 'send', 'pacingRate', 'pacingRateMax',
    'deliveryRate',
  ]),
];
const TCP_NUM_ID = new Map<string, number>(TCP_NUM_KEYS.map((k, i) => [k, i]));
if (TCP_NUM_KEYS.length > 64) throw new Error('TCP_NUM_KEYS exceeds the 64-bit presence mask');
/** KEY_KIND values ≥ this are numeric TCP info keys: TCP_KIND_BASE + their TCP_NUM_ID. */
const TCP_KIND_BASE = 1000;
for (const [printed, camel] of Object.entries(TCP_NUMERIC)) KEY_KIND.set(printed, TCP_KIND_BASE + TCP_NUM_ID.get(camel)!);
/** 1 for the TCP_NUM_ID of an item that reads only as a whole number (TCP_COUNT_NAMES). */
const TCP_COUNT_ID = new Uint8Array(TCP_NUM_KEYS.length);
for (const k of TCP_COUNT_NAMES) TCP_COUNT_ID[TCP_NUM_ID.get(TCP_NUMERIC[k])!] = 1;

/** The value of numeric TCP info item `id` (TCP_NUM_ID) in s[from..to), else NaN: a measure, or a count. */
function tcpNumber(id: number, s: string, from: number, to: number): number {
  const v = measureRange(s, from, to);
  return TCP_COUNT_ID[id] === 0 || Number.isInteger(v) ? v : NaN;
}

// ── allocation-free token dispatch ──
// Open-addressing tables over char codes: a recognised key/bare token is found (and its interned name reused)
// without slicing a string out of the line first.

interface CharTable {
  names: string[];
  kinds: Int32Array;
  mask: number;
  maxLen: number;
}

/**
 * Hash of s[from..to): its characters above `)` (41) folded (tables and lookups add the length). scanExtensions
 * folds the same characters while it looks for the end of a token, so a lookup reads a key only once more, to
 * compare it. A name with characters ≤ 41 is never in a table, so skipping them can only miss, never mismatch.
 */
function hashRange(s: string, from: number, to: number): number {
  let h = 0;
  for (let j = from; j < to; j++) {
    const c = s.charCodeAt(j);
    if (c > 41) h = (Math.imul(h, 31) + c) | 0;
  }
  return h;
}

function makeTable(m: Map<string, number>): CharTable {
  let size = 16;
  while (size < m.size * 4) size *= 2;
  const t: CharTable = { names: new Array<string>(size).fill(''), kinds: new Int32Array(size), mask: size - 1, maxLen: 0 };
  for (const [k, kind] of m) {
    let p = (hashRange(k, 0, k.length) + k.length) & t.mask;
    while (t.names[p] !== '') p = (p + 1) & t.mask;
    t.names[p] = k;
    t.kinds[p] = kind;
    if (k.length > t.maxLen) t.maxLen = k.length;
  }
  return t;
}

/** Slot of s[from..to) in `t`, or -1; `h` is hashRange(s, from, to). */
function lookupRange(t: CharTable, h: number, s: string, from: number, to: number): number {
  const len = to - from;
  if (len <= 0 || len > t.maxLen) return -1;
  let p = (h + len) & t.mask;
  for (;;) {
    const k = t.names[p];
    if (k.length === 0) return -1;
    if (k.length === len) {
      let j = 0;
      while (j < len && k.charCodeAt(j) === s.charCodeAt(from + j)) j++;
      if (j === len) return p;
    }
    p = (p + 1) & t.mask;
  }
}

const KEY_TABLE = makeTable(KEY_KIND);
/** TCP_NUM_ID of the fields set by kinds 9…14 (rtt, retrans, wscale, busy, rwnd_limited, sndbuf_limited). */
const PAIR_FIRST_ID = ['rtt', 'retrans', 'wscaleSnd', 'busy', 'rwndLimited', 'sndbufLimited'].map((k) => TCP_NUM_ID.get(k)!);
const PAIR_SECOND_ID = ['rttvar', 'retransTotal', 'wscaleRcv', 'busy', 'rwndLimitedPct', 'sndbufLimitedPct'].map((k) => TCP_NUM_ID.get(k)!);
const BARE_TABLE = makeTable(BARE_KIND);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/**
 * Plain decimal (`-`? digits `.` digits, ≤ 15 significant digits) in s[from..to), read from char codes;
 * NaN when the text is outside that fast path (the caller then uses parseNumber). Exact integer mantissa
 * divided by an exact power of ten is correctly rounded, so this equals Number() of the same text.
 */
function fastNumber(s: string, from: number, to: number): number {
  if (to - from > 16) return NaN;
  let i = from;
  let neg = false;
  if (i < to && s.charCodeAt(i) === 45 /* - */) {
    neg = true;
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 /* . */ && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

const accVals = new Float64Array(64);
let accLo = 0;
let accHi = 0;
let accCongestion: string | undefined;
let accFlags: string[] | undefined;
let accObj: Record<string, unknown> | undefined; // bbr / dctcp objects

type TcpBuilder = (v: Float64Array) => TcpInfo;
const builders = new Map<number, Map<number, TcpBuilder>>();
let builderCount = 0;

function setTcpNum(key: string, v: number): void {
  setTcpId(TCP_NUM_ID.get(key)!, v);
}

/** Whether TCP_NUM_ID `id` is set in the 64-bit mask lo/hi. */
function hasId(lo: number, hi: number, id: number): boolean {
  return ((id < 32 ? lo >>> id : hi >>> (id - 32)) & 1) !== 0;
}

/** Whether this pass has TCP info to put in the record's tcp object. */
function tcpAccumulated(): boolean {
  return accLo !== 0 || accHi !== 0 || accCongestion !== undefined || accFlags !== undefined || accObj !== undefined;
}

function setTcpId(id: number, v: number): void {
  accVals[id] = v;
  if (id < 32) accLo |= 1 << id;
  else accHi |= 1 << (id - 32);
}

/** The last builder builderFor returned, and for which fields (rows of a snapshot mostly have the same). */
let lastBuilder: TcpBuilder | undefined;
let lastLo = 0;
let lastHi = 0;

function builderFor(lo: number, hi: number): TcpBuilder | undefined {
  if (lastBuilder !== undefined && lo === lastLo && hi === lastHi) return lastBuilder;
  const b = builderForFields(lo, hi);
  if (b !== undefined) {
    lastBuilder = b;
    lastLo = lo;
    lastHi = hi;
  }
  return b;
}

function builderForFields(lo: number, hi: number): TcpBuilder | undefined {
  let m = builders.get(lo);
  let b = m?.get(hi);
  if (b) return b;
  if (builderCount >= 4096) return undefined; // pathological variety: fall back to plain stores
  const fields: string[] = [];
  for (let id = 0; id < TCP_NUM_KEYS.length; id++) {
    if (hasId(lo, hi, id)) fields.push(`${JSON.stringify(TCP_NUM_KEYS[id])}: v[${id}]`);
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  b = new Function('v', `return { ${fields.join(', ')} };`) as TcpBuilder;
  if (!m) {
    m = new Map();
    builders.set(lo, m);
  }
  m.set(hi, b);
  builderCount++;
  return b;
}

function flushTcp(rec: SocketRecord): void {
  if (!tcpAccumulated()) return;
  let t = rec.tcp;
  if (accLo !== 0 || accHi !== 0) {
    const b = t ? undefined : builderFor(accLo, accHi);
    if (b) {
      t = b(accVals);
      rec.tcp = t;
    } else {
      t ??= rec.tcp = {};
      for (let id = 0; id < TCP_NUM_KEYS.length; id++) {
        if (hasId(accLo, accHi, id)) t[TCP_NUM_KEYS[id]] = accVals[id];
      }
    }
  }
  t ??= rec.tcp = {};
  if (accCongestion !== undefined) {
    if (t.congestion === undefined) t.congestion = accCongestion;
    else putExtra(rec, accCongestion, true);
  }
  if (accFlags !== undefined) {
    if (t.flags) for (const f of accFlags) t.flags.push(f);
    else t.flags = accFlags.length === 1 ? accFlags : ownSize(accFlags); // ([tok], one flag: its own size already)
  }
  if (accObj !== undefined) for (const k of Object.keys(accObj)) t[k] = accObj[k];
  accLo = 0;
  accHi = 0;
  accCongestion = undefined;
  accFlags = undefined;
  accObj = undefined;
}

// ── lazy extension parsing ──
// A scan only needs the extension items its rules read; TCP info is most of an `-i` capture and most of it
// is read by no rule. A lazy pass tokenizes exactly as the full one but leaves unread the items no rule
// wants, as long as that changes nothing a rule can observe: the values of wanted items, whether the record
// has a `tcp` object at all (absent TCP info items read as their defaults only when it exists), the timer
// (Netid inference reads it) and the field groups the snapshot shows (SEEN_* bits already known).
// Records shown in a report are completed first (completeExtensions): the full pass over the same text.

/** Which extension items a rule set reads (built by extensionWants from field names). */
export interface ExtensionWants {
  /** By KEY_KIND (< TCP_KIND_BASE). */
  keys: boolean[];
  /** Bit per TCP_NUM_ID of numeric TCP info items. */
  tcpLo: number;
  tcpHi: number;
  /** By bare-token kind (2 shutdown, 3 flag, 4 congestion; rates are always read). */
  bare: boolean[];
  /** The processes of `users:(…)`. */
  users: boolean;
  /** The addresses and ports of the main row (else a plain row may be read without them: see thinRow in parser.ts). */
  row: boolean;
  /**
   * The port numbers of the main row, and nothing else of its endpoints (`local.port`, `peer.port`): a thin row reads
   * them from its bytes, its addresses only when completed. Implied by `row`.
   */
  ports: boolean;
  /**
   * Finds the `key:` of every wanted key:value item and of `timer:` at a token start — what a lazy pass
   * searches for instead of walking every token, once nothing else in the text can matter (see searchRest);
   * null when a wanted item is a bare token (flags, congestion, shutdown, rates), which no search finds.
   */
  search: RegExp | null;
  /** The keys `search` finds (null with it). */
  searchKeys: string[] | null;
}

/** The items behind rule fields (src/rules/fields.ts names) other than the main columns, users and timer. */
const WANTED_KEY_KINDS: Record<string, number[]> = {
  uid: [4, 5], // uid reads 0 when -e items (ino) are present and uid is not
  inode: [5],
  fwmark: [7],
  cgroup: [8],
  v6only: [17],
  'local.family': [17],
  'peer.family': [17],
  'tcp.rtt': [9],
  'tcp.rttvar': [9],
  'tcp.retrans': [10],
  'tcp.retransTotal': [10],
  'tcp.wscaleSnd': [11],
  'tcp.wscaleRcv': [11],
  'tcp.busy': [12],
  'tcp.rwndLimited': [13],
  'tcp.rwndLimitedPct': [13],
  'tcp.sndbufLimited': [14],
  'tcp.sndbufLimitedPct': [14],
};
const MAIN_FIELD = /^(netid|state|recvQ|sendQ|(local|peer)\.(address|port|portName|iface|path|scope)|timer\.[a-zA-Z]+)$/;
/** Rates are read from a bare key and the token after it: always parsed, and never searched for. */
const RATE_FIELD = /^tcp\.(send|pacingRate|pacingRateMax|deliveryRate)$/;

/**
 * What a rule set reading `fields` (rule field names) needs from extension text; ALL_WANTED when some field
 * is not known here (then everything is parsed).
 */
export function extensionWants(fields: Iterable<string>): ExtensionWants {
  const w: ExtensionWants = {
    keys: new Array<boolean>(18).fill(false), tcpLo: 0, tcpHi: 0, bare: new Array<boolean>(5).fill(false), users: false, row: false, ports: false, search: null, searchKeys: null,
  };
  let rates = false;
  for (const f of fields) {
    if (f === 'local.port' || f === 'peer.port') w.ports = true;
    else if (f.startsWith('local.') || f.startsWith('peer.')) w.row = true;
    if (MAIN_FIELD.test(f)) continue; // main columns; timer and rates are always read
    if (RATE_FIELD.test(f)) {
      rates = true;
      continue;
    }
    if (f.startsWith('process.')) {
      w.users = true;
      continue;
    }
    const kinds = WANTED_KEY_KINDS[f];
    if (kinds) {
      for (const k of kinds) w.keys[k] = true;
      continue;
    }
    if (f.startsWith('skmem.')) w.keys[2] = w.keys[3] = true;
    else if (f === 'shutdown') w.bare[2] = true;
    else if (f === 'tcp.flags') w.bare[3] = true;
    else if (f === 'tcp.congestion') w.bare[4] = true;
    else {
      const id = f.startsWith('tcp.') ? TCP_NUM_ID.get(f.slice(4)) : undefined;
      if (id === undefined) return ALL_WANTED;
      if (id < 32) w.tcpLo |= 1 << id;
      else w.tcpHi |= 1 << (id - 32);
    }
  }
  if (!rates && !w.bare.some(Boolean)) {
    const keys = ['timer'];
    for (const [key, kind] of KEY_KIND) {
      const id = kind - TCP_KIND_BASE;
      if (kind < TCP_KIND_BASE ? w.keys[kind] : hasId(w.tcpLo, w.tcpHi, id)) keys.push(key);
    }
    // a key (names are [a-z0-9_]) at a token start: after whitespace (isWs) or at the start of the text
    w.search = new RegExp(`(?:^|[\\t\\n\\v\\f\\r ])(?:${keys.join('|')}):`, 'g');
    w.searchKeys = keys;
  }
  return w;
}

/** Every item wanted: a lazy pass is the full one. */
export const ALL_WANTED: ExtensionWants = { keys: new Array<boolean>(18).fill(true), tcpLo: -1, tcpHi: -1, bare: new Array<boolean>(5).fill(true), users: true, row: true, ports: true, search: null, searchKeys: null };

/** UsersResult.open of the unterminated `users:((` group of the last pass (SEEN_UNTERMINATED), else -1. */
let openAt = -1;

/**
 * Where the COMM of the process entry left open by the last parseExtensions pass starts (SEEN_UNTERMINATED: the
 * text ended inside a `users:((` group), or -1 when the text ended before a COMM began.
 */
export function openComm(): number {
  return openAt;
}

/** Set for the duration of a lazy pass. */
let want: ExtensionWants | null = null;
/** SEEN_* bits the snapshot has shown before this pass (a skipped item must not be the first of its group). */
let known = 0;

/** Whether the record has (or this pass will give it) a tcp object. */
function tcpPresent(rec: SocketRecord): boolean {
  return rec.tcp !== undefined || tcpAccumulated();
}

/** Every field group extension text can show: once all are known, no unread item can be the first of one. */
const ALL_GROUPS = SEEN_PROCESSES | SEEN_TIMER | SEEN_EXTENDED | SEEN_SKMEM | SEEN_TCPINFO;

/**
 * Text in which tokens are exactly the runs between whitespace and a `key:` after whitespace starts a key:value
 * item: none of the tokenizer's special cases — quotes, `key: value`, users:(…), a bpf program, a tcp-ulp block,
 * a `(` without its `)` before whitespace or another `(`.
 */
const NOT_SIMPLE = /"|:\s|users:\(|bpf filter|tcp-ulp-|\([^()\s]*(?:[\s(]|$)/;

/**
 * An item of a known key in simple text (NOT_SIMPLE does not match it) whose value might not read: a lazy pass
 * that searches the text (searchRest) does not look at the items it does not find, so it walks text where
 * this matches instead, as it would walk text that is not simple. It matches every item that does not read
 * (keyValueItem's SEEN_BAD, and a rate key whose rate does not), and some that do (`rto:1e+06`, `send 10000.0Mbps`:
 * forms of old ss versions, or the exponent form, that it does not try to tell apart). (`timer:` is always
 * searched for, so always read.)
 */
const MAYBE_BAD = (() => {
  const ws = '[\\t\\n\\v\\f\\r ]';
  const end = `(?=${ws}|$)`;
  const m = '\\d{1,15}(?:\\.\\d{1,20})?'; // a measure (≤ 36 characters, < 10^15)
  const n = '\\d{1,15}'; // a count
  const rate = '(?:\\d{1,3}(?:\\.\\d{1,20})?[kKMGT]?|\\d{1,15}(?:\\.\\d{1,20})?)bps'; // < 10^15 bits per second
  const sk = '[a-z]+\\d{1,15}';
  const sub = '[^,():\\s]+:[^,()\\s]*'; // a bbr:( or dctcp:( sub-item: NAME:VALUE, NAME not empty (unnamedSubItem)
  const items = [
    `(?:${Object.keys(TCP_NUMERIC).filter((k) => !TCP_COUNT_NAMES.includes(k)).join('|')}):(?!${m}${end})`,
    `(?:${TCP_COUNT_NAMES.join('|')}):(?!${n}${end})`,
    `rtt:(?!${m}(?:/${m})?${end})`,
    `retrans:(?!${n}(?:/${n})?${end})`,
    `wscale:(?!${n}(?:,${n})?${end})`,
    `busy:(?!${m}ms${end})`,
    `(?:rwnd_limited|sndbuf_limited):(?!${m}ms(?:\\(${m}%\\))?${end})`,
    `(?:uid|ino):(?!${n}${end})`,
    `v6only:(?![01]${end})`,
    `(?:skmem|mem):(?!\\(${sk}(?:,${sk})*\\)${end})`,
    `bbr:(?!\\(${sub}(?:,${sub})*\\)${end})`,
    `dctcp:\\((?!${sub}(?:,${sub})*\\)${end})`,
    `(?:send|delivery_rate)${end}(?!${ws}+${rate}${end})`,
    `pacing_rate${end}(?!${ws}+${rate}(?:/${rate})?${end})`,
  ];
  return new RegExp(`(?:^|${ws})(?:${items.join('|')})`);
})();

/** Set while searchRest reads the items it found (each is scanned alone). */
let searching = false;

/**
 * The rest s[from..to) of a lazy pass, when everything in it but the wanted items may stay unread (the
 * record has its tcp object, the snapshot has shown every field group): the wanted `key:` items are found
 * by search and read in text order. False (nothing read) when the text is not simple enough to search.
 */
function searchRest(rec: SocketRecord, s: string, from: number, to: number, keys: RegExp): number | false {
  const r = s.slice(from, to);
  if (NOT_SIMPLE.test(r) || MAYBE_BAD.test(r)) return false;
  let seen = SEEN_SKIPPED;
  searching = true;
  keys.lastIndex = 0;
  for (let m = keys.exec(r); m !== null; m = keys.exec(r)) {
    let k = m.index;
    if (isWs(r.charCodeAt(k))) k++;
    let e = k;
    while (e < r.length && !isWs(r.charCodeAt(e))) e++;
    keys.lastIndex = e; // the next item starts after this one's token
    seen |= scanExtensions(rec, s, from + k, from + e, false);
  }
  searching = false;
  return seen;
}

/** Whether the lazy pass may leave key:value item `kind` unread (bits: SEEN_* so far). */
function skipKey(kind: number, rec: SocketRecord, bits: number): boolean {
  const w = want!;
  if (kind >= TCP_KIND_BASE) {
    const id = kind - TCP_KIND_BASE;
    if (hasId(w.tcpLo, w.tcpHi, id)) return false;
    return (bits & SEEN_TCPINFO) !== 0 && tcpPresent(rec);
  }
  if (kind === 0) return true; // unknown key → extra, which no rule field reads
  if (kind === 1 || w.keys[kind]) return false; // timer: Netid inference reads it
  if (kind <= 3) return (bits & SEEN_SKMEM) !== 0;
  if (kind <= 8 || kind === 17) return (bits & SEEN_EXTENDED) !== 0;
  return (bits & SEEN_TCPINFO) !== 0 && tcpPresent(rec); // rtt, retrans, wscale, busy, *_limited, bbr, dctcp
}

/** Whether the lazy pass may leave bare token kind `bare` (from BARE_TABLE) unread. */
function skipBare(bare: number, rec: SocketRecord, bits: number): boolean {
  if (bare <= 1 || want!.bare[bare]) return false; // a rate consumes the next token only when it reads
  if (bare === 2) return (bits & SEEN_EXTENDED) !== 0;
  return (bits & SEEN_TCPINFO) !== 0 && tcpPresent(rec);
}

/** Items every lazy or full pass may set on a record (what completeExtensions resets). */
const EXTENSION_FIELDS: ReadonlySet<string> = new Set(['processes', 'timer', 'uid', 'inode', 'sk', 'fwmark', 'cgroup', 'v6only', 'shutdown', 'skmem', 'tcp', 'extra']);

/**
 * Removes the extension fields a lazy pass read, the last added first: V8 takes the last property added back
 * off an object's shape, while deleting any other turns the object into a dictionary (a socket kept by a
 * finding then cost ~240 bytes more, and every read of it a hash lookup).
 */
function dropExtensionFields(rec: SocketRecord): void {
  const keys = Object.keys(rec);
  for (let i = keys.length - 1; i >= 0; i--) {
    if (EXTENSION_FIELDS.has(keys[i])) delete (rec as unknown as Record<string, unknown>)[keys[i]];
  }
}

/**
 * Where a lazily parsed record keeps what it left unread: its extension text [text, from, to, …] in the order
 * it was read, or for a thin row (parser.ts, thinRow) the row's bytes (ThinRow).
 */
export const DEFERRED_EXTENSIONS = Symbol('socklint.deferredExtensions');

type Deferred = SocketRecord & { [DEFERRED_EXTENSIONS]?: (string | number)[] | ThinRow };

/**
 * Whether `rec` is a thin record not completed yet without any extension item (no TCP info, skmem, timer,
 * -e items): a plain row whose addresses and processes are still unread.
 */
export function isThin(rec: SocketRecord): boolean {
  const d = (rec as Deferred)[DEFERRED_EXTENSIONS];
  return d !== undefined && d.length === 4 && typeof d[0] !== 'string';
}

/** Marks `rec` as parsed lazily from these segments, or as a thin row (see completeExtensions). */
export function deferExtensions(rec: SocketRecord, segments: (string | number)[] | ThinRow): void {
  (rec as Deferred)[DEFERRED_EXTENSIONS] = segments;
}

/**
 * Makes a record not completed yet independent of the chunk it was parsed from (a thin row reads its bytes
 * there), so that it may be completed after the parser's socket() call returns. No-op otherwise.
 */
export function keepOwnBytes(rec: SocketRecord): void {
  const segs = (rec as Deferred)[DEFERRED_EXTENSIONS];
  if (segs !== undefined && typeof segs[0] !== 'string') ownThinRow(segs as ThinRow);
}

/**
 * The endpoints of thin row `t` (its tokens `k`) as the full parse reads them: those the parser read already (a rule
 * reads them, or a port is named) as they are, the others (EMPTY_EP, or their ports alone when the rules read no more:
 * THIN_PORTS_ONLY) from its bytes.
 */
function thinRowEndpoints(rec: SocketRecord, t: ThinRow, k: ThinTail): [Endpoint, Endpoint] {
  const whole = (t[3] & THIN_PORTS_ONLY) !== 0;
  return [
    whole || rec.local === EMPTY_EP ? thinEndpoint(t[0], k.localStart, k.localEnd) : rec.local,
    whole || rec.peer === EMPTY_EP ? thinEndpoint(t[0], k.peerStart, k.peerEnd) : rec.peer,
  ];
}

/**
 * `rec`'s endpoints as the full parse reads them, without completing it: a thin row's not read yet are read from
 * its bytes (what a record's identity needs before the rules see it: the parser's repeated-run check).
 */
export function wholeEndpoints(rec: SocketRecord): [Endpoint, Endpoint] {
  const segs = (rec as Deferred)[DEFERRED_EXTENSIONS];
  if (segs === undefined || typeof segs[0] === 'string') return [rec.local, rec.peer];
  const t = segs as ThinRow;
  if ((t[3] & THIN_PORTS_ONLY) === 0 && rec.local !== EMPTY_EP && rec.peer !== EMPTY_EP) return [rec.local, rec.peer];
  return thinRowEndpoints(rec, t, thinTokens(t));
}

/** Parses the items a lazy pass left unread, so `rec` is what the full parse makes of it. No-op otherwise. */
export function completeExtensions(rec: SocketRecord): void {
  const d = rec as Deferred;
  const segs = d[DEFERRED_EXTENSIONS];
  if (segs === undefined) return;
  d[DEFERRED_EXTENSIONS] = undefined;
  let texts = segs as (string | number)[];
  if (typeof segs[0] !== 'string') {
    const t = segs as ThinRow;
    const b = t[0];
    const k = thinTokens(t);
    [rec.local, rec.peer] = thinRowEndpoints(rec, t, k);
    if (t.length === 4) {
      if (k.usersStart >= 0) {
        if (rec.processes !== undefined) delete rec.processes; // read already (the rules read processes)
        const text = b.toString('utf8', k.usersStart, k.usersEnd);
        parseExtensions(rec, text, 0, text.length, false);
      }
      return;
    }
    // the row's extension text and its continuation line (both end trimmed), as the full parse reads them
    const row = b.toString('utf8', k.peerEnd, t[2]);
    texts = [row, 0, row.length];
    if (t[4] >= 0) {
      const cont = b.toString('utf8', t[4], t[5]);
      texts.push(cont, 0, cont.length);
    }
  }
  dropExtensionFields(rec);
  for (let i = 0; i < texts.length; i += 3) parseExtensions(rec, texts[i] as string, texts[i + 1] as number, texts[i + 2] as number, false);
}

/**
 * Reads the tokens s[found[2i] - base, found[2i + 1] - base) for i in [from, to) — the wanted items of a thin
 * row's extension text (thinItems in thin.ts), which `s` holds from offset `base` — into `rec`, as one
 * extension text whose tokens they are. Returns SEEN_* bits.
 */
export function readThinItems(rec: SocketRecord, s: string, base: number, found: readonly number[], from: number, to: number): number {
  beginPass(null, 0);
  let seen = 0;
  for (let i = from; i < to; i++) {
    // a `key:value` token (thinItems found it by its key, so it has a `:`) whose bounds are known: read as
    // scanExtensions reads one, without walking the token again to find them
    const start = found[2 * i] - base;
    const end = found[2 * i + 1] - base;
    const colon = s.indexOf(':', start);
    seen |= keyValueItem(rec, s, start, colon + 1, end, hashRange(s, start, colon), false, '', seen);
  }
  flushTcp(rec);
  return badCount === 0 ? seen : seen | SEEN_BAD;
}

/**
 * Whether the tokens s[check[2i] - base, check[2i + 1] - base) for i in [from, to) — items of a thin row's
 * extension text that thinItems (thin.ts) leaves unread but cannot tell read from its bytes: a `key:value`
 * item, or a rate key with the token after it (`send 10Mbps`) — would all read in a full pass (none would be
 * SEEN_BAD). Nothing is read into a record.
 */
export function checkThinItems(s: string, base: number, check: readonly number[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const start = check[2 * i] - base;
    const end = check[2 * i + 1] - base;
    let sp = s.indexOf(' ', start);
    if (sp < 0 || sp > end) sp = end;
    const colon = s.indexOf(':', start);
    if (colon >= 0 && colon < sp) {
      // (a `(` before the colon: not a key:value item, and no known key holds one)
      const slot = lookupRange(KEY_TABLE, hashRange(s, start, colon), s, start, colon);
      if (slot >= 0 && !itemReads(KEY_TABLE.kinds[slot], s, colon + 1, end)) return false;
    } else {
      const rateKey = RATE_KEYS[s.slice(start, sp)];
      if (rateKey === undefined) continue;
      let j = sp;
      while (j < end && s.charCodeAt(j) === 32) j++;
      if (!rateReads(rateKey, s, j, end)) return false;
    }
  }
  return true;
}

/**
 * Scan extension text s[from..to) into `rec` (users, timer, -e items, skmem, tcp info, unknown → extra).
 * Returns SEEN_* bits. `unix` switches `ino:`/`dev:` to the unix meaning (filesystem inode → extra).
 * With `lazy`, items `lazy.want` does not name may be left unread (SEEN_SKIPPED then says so; `lazy.known`:
 * the SEEN_* bits of what was parsed before). Never lazy for unix text.
 */
export function parseExtensions(rec: SocketRecord, s: string, from: number, to: number, unix: boolean, lazy?: { want: ExtensionWants; known: number }): number {
  beginPass(lazy !== undefined && !unix && lazy.want !== ALL_WANTED ? lazy.want : null, lazy !== undefined ? lazy.known : 0);
  const seen = scanExtensions(rec, s, from, to, unix);
  flushTcp(rec);
  return badCount === 0 ? seen : seen | SEEN_BAD;
}

/** The items of the last pass that did not read (SEEN_BAD): `item — why` each, at most MAX_BAD_SHOWN. */
let badItems: string[] = [];
let badCount = 0;
const MAX_BAD_SHOWN = 3;
/** Longest item text quoted in a reason (a hostile item may be a megabyte). */
const BAD_ITEM_CHARS = 80;

/** Notes that `item` (its text) did not read, and why. */
function noteBad(item: string, why: string): void {
  badCount++;
  if (badItems.length < MAX_BAD_SHOWN) badItems.push(`${item.length > BAD_ITEM_CHARS ? item.slice(0, BAD_ITEM_CHARS) + '…' : item}: ${why}`);
}

/** What the last pass over extension text (parseExtensions, readThinItems) reported with SEEN_BAD. */
export function badItemsReason(): string {
  const more = badCount - badItems.length;
  return `${badCount === 1 ? 'an item' : `${badCount} items`} not read (the socket is kept without ${badCount === 1 ? 'it' : 'them'}): ` +
    badItems.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Starts a pass over one extension text: nothing accumulated; what a lazy pass wants (null: everything). */
function beginPass(w: ExtensionWants | null, k: number): void {
  if (badCount !== 0) {
    badItems = [];
    badCount = 0;
  }
  accLo = 0;
  accHi = 0;
  accCongestion = undefined;
  accFlags = undefined;
  accObj = undefined;
  want = w;
  known = k;
  openAt = -1;
}

/** Why a value does not read (badValue). */
const NOT_A_MEASURE = 'not a number from 0 to 2^53-1';
const NOT_A_COUNT = 'not a whole number from 0 to 2^53-1';
/** Why an item of kind 9…14 does not read, by kind - 9. */
const PAIR_FORM = [
  'not A or A/B, numbers from 0 to 2^53-1', 'not A or A/B, whole numbers from 0 to 2^53-1', 'not A or A,B, whole numbers from 0 to 2^53-1',
  'not Nms, N a number from 0 to 2^53-1', 'not Nms or Nms(P%), numbers from 0 to 2^53-1', 'not Nms or Nms(P%), numbers from 0 to 2^53-1',
];
const NOT_A_RATE = 'not followed by a rate (NUMBER[kMGT]bps, from 0 to 2^53-1 bits per second)';

/** Reports the item s[start..end), whose value does not read, and why; returns its SEEN_* bits (none). */
function badValue(s: string, start: number, end: number, why: string): number {
  noteBad(s.slice(start, end), why);
  return 0;
}

/** The values readTcpPair read: the first, and the second (NaN when the item has none). */
let pairA = NaN;
let pairB = NaN;

/**
 * The value s[vs..end) of an item of kind 9…14 (rtt:A/B, retrans:A/B, wscale:A,B, busy:Nms, rwnd_limited:Nms(P%),
 * sndbuf_limited:Nms(P%)) into pairA and pairB; false when it does not read.
 */
function readTcpPair(kind: number, s: string, vs: number, end: number): boolean {
  pairB = NaN;
  if (kind >= 12) {
    // Nms, and for *_limited an optional (P%)
    let ms = end;
    if (kind > 12 && s.charCodeAt(end - 1) === 41 /* ) */) {
      const open = s.indexOf('(', vs);
      if (open < 0 || open >= end || s.charCodeAt(end - 2) !== 37 /* % */) return false;
      pairB = measureRange(s, open + 1, end - 2);
      if (pairB !== pairB) return false;
      ms = open;
    }
    if (ms - vs <= 2 || s.charCodeAt(ms - 2) !== 109 /* m */ || s.charCodeAt(ms - 1) !== 115 /* s */) return false;
    pairA = measureRange(s, vs, ms - 2);
    return pairA === pairA;
  }
  let sep = s.indexOf(kind === 11 ? ',' : '/', vs);
  if (sep >= end) sep = -1;
  const read = kind === 9 ? measureRange : countRange;
  pairA = read(s, vs, sep < 0 ? end : sep);
  if (pairA !== pairA) return false;
  if (sep < 0) return true;
  pairB = read(s, sep + 1, end);
  return pairB === pairB;
}

/** The values rateReads read: the rate, and pacing_rate's maximum (NaN when there is none). */
let rateA = NaN;
let rateB = NaN;

/**
 * The rate of rate key `rateKey` (RATE_KEYS) in the token s[j..e2) after it — `RATE`, or `RATE/MAX` for
 * pacing_rate — into rateA and rateB; false when it does not read.
 */
function rateReads(rateKey: string, s: string, j: number, e2: number): boolean {
  let slash = s.indexOf('/', j);
  if (slash >= e2) slash = -1;
  rateB = NaN;
  rateA = rateMeasure(s, j, slash < 0 ? e2 : slash);
  if (rateA !== rateA) return false;
  if (slash < 0) return true;
  if (rateKey !== 'pacingRate') return false;
  rateB = rateMeasure(s, slash + 1, e2);
  return rateB === rateB;
}

/** Scratch lists of parseSkmemRange (emptied after each use). */
const skmemUnknown: string[] = [];
const skmemBad: string[] = [];

/**
 * Whether the inet `key:value` item of kind `kind` (not 0: a known key) with value s[vs..end) reads: what
 * keyValueItem does not report with SEEN_BAD. A lazy pass leaves an item unread only when it does.
 */
function itemReads(kind: number, s: string, vs: number, end: number): boolean {
  if (kind >= TCP_KIND_BASE) return tcpNumber(kind - TCP_KIND_BASE, s, vs, end) >= 0;
  switch (kind) {
    case 1: /* timer */
      return s.charCodeAt(vs) === 40 && s.charCodeAt(end - 1) === 41 && end - vs >= 2 && parseTimer(s.slice(vs + 1, end - 1)) !== undefined && !timerUnreadable;
    case 2: /* skmem */
    case 3: /* mem */ {
      if (end - vs < 2 || s.charCodeAt(vs) !== 40 || s.charCodeAt(end - 1) !== 41) return false;
      parseSkmemRange(s, vs + 1, end - 1, undefined, skmemBad);
      const ok = skmemBad.length === 0;
      skmemBad.length = 0;
      return ok;
    }
    case 4: /* uid */
    case 5: /* ino */
      return countRange(s, vs, end) >= 0;
    case 17: /* v6only */
      return end - vs === 1 && (s.charCodeAt(vs) === 48 || s.charCodeAt(vs) === 49);
    case 15: /* bbr */
    case 16: /* dctcp */
      // (NAME:VALUE,…), each sub-item named; dctcp's may be a word instead
      if (end - vs >= 2 && s.charCodeAt(vs) === 40 && s.charCodeAt(end - 1) === 41) return unnamedSubItem(s, vs + 1, end - 1) < 0;
      return kind === 16 && s.charCodeAt(vs) !== 40;
    default:
      return kind >= 9 && kind <= 14 ? readTcpPair(kind, s, vs, end) : true; // sk, fwmark, cgroup: any text
  }
}

/**
 * Where the first comma-separated sub-item of s[from..to) (a bbr:(…) or dctcp:(…) item's) that is not NAME:VALUE,
 * NAME not empty, starts; -1 when each is.
 */
function unnamedSubItem(s: string, from: number, to: number): number {
  for (let i = from; ;) {
    let comma = s.indexOf(',', i);
    if (comma < 0 || comma > to) comma = to;
    const colon = s.indexOf(':', i);
    if (colon <= i || colon >= comma) return i;
    if (comma === to) return -1;
    i = comma + 1;
  }
}

/**
 * The `key:value` item s[start..end) — its key hashed to `h` (as scanExtensions hashes it), its value from
 * `vs` — read into `rec`, or left unread by a lazy pass (`before`: the SEEN_* bits of the items before it in
 * this text). Returns its SEEN_* bits. An item of a known key whose value does not read is reported
 * (noteBad), not read.
 */
function keyValueItem(rec: SocketRecord, s: string, start: number, vs: number, end: number, h: number, unix: boolean, ulp: string, before: number): number {
  const slot = lookupRange(KEY_TABLE, h, s, start, vs - 1);
  const kind = slot < 0 ? 0 : KEY_TABLE.kinds[slot];
  // (an item that would not read is read, to be reported as the full parse reports it)
  if (want !== null && skipKey(kind, rec, known | before) && (kind === 0 || itemReads(kind, s, vs, end))) {
    return SEEN_SKIPPED;
  }
  if (kind >= TCP_KIND_BASE) {
    if (!unix) {
      // numeric TCP info item (rto, mss, cwnd, bytes_acked …): no strings made when it reads
      const id = kind - TCP_KIND_BASE;
      const v = tcpNumber(id, s, vs, end);
      if (v === v) {
        setTcpId(id, v);
        return SEEN_TCPINFO;
      }
      return badValue(s, start, end, TCP_COUNT_ID[id] === 0 ? NOT_A_MEASURE : NOT_A_COUNT);
    }
  } else if (kind === 2 || kind === 3) {
    // skmem:(…), mem:(…)
    if (end - vs >= 2 && s.charCodeAt(vs) === 40 && s.charCodeAt(end - 1) === 41) {
      const m = parseSkmemRange(s, vs + 1, end - 1, skmemUnknown, skmemBad);
      rec.skmem = rec.skmem ? Object.assign(rec.skmem, m) : m;
      const key = KEY_TABLE.names[slot];
      if (skmemUnknown.length) {
        putExtra(rec, key, skmemUnknown.join(','));
        skmemUnknown.length = 0;
      }
      if (skmemBad.length) {
        for (const item of skmemBad) noteBad(`${key}:(…) item ${item}`, NOT_A_COUNT);
        skmemBad.length = 0;
      }
      return SEEN_SKMEM;
    }
    return badValue(s, start, end, 'not (ITEM,ITEM…)');
  } else if (kind >= 9 && kind <= 14) {
    // rtt:A/B, retrans:A/B, wscale:A,B, busy:Nms, rwnd_limited:Nms(P%), sndbuf_limited:Nms(P%), read in place
    if (readTcpPair(kind, s, vs, end)) {
      setTcpId(PAIR_FIRST_ID[kind - 9], pairA);
      if (pairB === pairB) setTcpId(PAIR_SECOND_ID[kind - 9], pairB);
      return SEEN_TCPINFO;
    }
    return badValue(s, start, end, PAIR_FORM[kind - 9]);
  }
  const key = slot < 0 ? s.slice(start, vs - 1) : KEY_TABLE.names[slot];
  const val = s.slice(vs, end);
  const c = val.charCodeAt(0);
  const inner = c === 40 && val.charCodeAt(val.length - 1) === 41 ? val.slice(1, -1) : undefined;
  switch (kind) {
    case 1: /* timer */ {
      const t = inner !== undefined ? parseTimer(inner) : undefined;
      if (t) {
        rec.timer = t;
        // (kept, without its expiry)
        if (timerUnreadable) noteBad(s.slice(start, end), 'TIME not of the form [Mmin][S[.FFF]sec|FFFms]');
        return SEEN_TIMER;
      }
      return badValue(s, start, end, 'not timer:(NAME,TIME,COUNT), COUNT a whole number');
    }
    case 4: /* uid */
    case 5: /* ino */ {
      if (unix) {
        putExtra(rec, key, val); // unix: ino is the filesystem inode of the bound path
        return kind === 5 ? SEEN_EXTENDED : 0;
      }
      const v = countRange(s, vs, end);
      if (v !== v) return badValue(s, start, end, NOT_A_COUNT);
      if (kind === 4) rec.uid = v;
      else rec.inode = v;
      return SEEN_EXTENDED;
    }
    case 6: /* sk */
      rec.sk = val;
      return SEEN_EXTENDED;
    case 7: /* fwmark */
      rec.fwmark = val;
      return SEEN_EXTENDED;
    case 8: /* cgroup */
      rec.cgroup = val;
      return SEEN_EXTENDED;
    case 17: /* v6only */
      if (val === '0' || val === '1') {
        rec.v6only = val === '1';
        return SEEN_EXTENDED;
      }
      return badValue(s, start, end, 'not 0 or 1');
    case 15: /* bbr */
    case 16: /* dctcp */ {
      // bbr:(…) always; dctcp:(…) or a word (`fallback_mode`)
      if (inner === undefined && (kind === 15 || c === 40)) return badValue(s, start, end, 'not (NAME:VALUE,…)');
      const t = (accObj ??= {});
      if (inner !== undefined) {
        const o: Record<string, number | string> = {};
        // (a sub-item that is not NAME:VALUE is reported, the others kept, as a timer without its expiry is)
        const unnamed = unnamedSubItem(s, vs + 1, end - 1);
        if (unnamed >= 0) {
          const to = s.indexOf(',', unnamed);
          noteBad(s.slice(start, end), `"${s.slice(unnamed, to < 0 || to > end - 1 ? end - 1 : to)}" is not NAME:VALUE (read without it)`);
        }
        for (const item of inner.split(',')) {
          const k = item.indexOf(':');
          if (k <= 0) continue;
          const rawName = item.slice(0, k);
          const name = SUBKEY_CAMEL[rawName] ?? rawName.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
          const raw = item.slice(k + 1);
          const v = raw.endsWith('bps') ? parseRate(raw) : parseNumber(raw);
          o[name] = v !== undefined ? v : raw;
        }
        t[key] = o;
      } else t[key] = val;
      return SEEN_TCPINFO;
    }
    default:
      // an unknown item (or a TCP info item of a unix socket): kept as it comes
      putExtra(rec, ulp ? `${ulp}.${key}` : key, val);
      return 0;
  }
}

function scanExtensions(rec: SocketRecord, s: string, from: number, to: number, unix: boolean): number {
  let seen = 0;
  let i = from;
  let ulp = ''; // inside `tcp-ulp-NAME` block: `key: value` items belong to it
  let searchable = want !== null && want.search !== null && !searching;
  while (i < to) {
    let c = s.charCodeAt(i);
    if (isWs(c)) {
      i++;
      continue;
    }
    if (searchable && ulp === '' && ((known | seen) & ALL_GROUPS) === ALL_GROUPS && tcpPresent(rec)) {
      const found = searchRest(rec, s, i, to, want!.search!);
      if (found !== false) return seen | found;
      searchable = false; // not simple: walk it
    }
    // users:( has its own grammar (COMM may hold unbalanced parens/quotes)
    if (c === 117 /* u */ && s.startsWith('users:(', i)) {
      const u = parseUsers(s, i, want === null || want.users); // (its entries checked either way)
      if (want !== null && !want.users) seen |= SEEN_SKIPPED;
      if (u.processes.length) {
        if (rec.processes) for (const pr of u.processes) rec.processes.push(pr);
        else rec.processes = u.processes;
      }
      seen |= SEEN_PROCESSES;
      if (u.end < 0 || u.end > to) {
        if (u.end < 0) {
          // (a row that continues on the next line, a COMM with a newline in it, is joined and read again)
          (rec.extra ??= {})['users-truncated'] = true;
          seen |= SEEN_UNTERMINATED;
          openAt = u.open;
        }
        i = to;
        break;
      }
      i = u.end;
      continue;
    }
    // `-b`: `bpf filter (N):  0x28 0 0 12, …` — keep the program text as one item
    if (c === 98 /* b */ && s.startsWith('bpf filter', i)) {
      putExtra(rec, 'bpf', s.slice(i + 10, to).trim());
      i = to;
      break;
    }
    // token end (whitespace outside balanced `(…)`) and its first `"`, `:` and `(` (offsets), in one pass
    const start = i;
    let end = to;
    let dq = -1;
    let colon = -1;
    let paren = -1;
    let eqKey = false; // an '=' before the first ':' (`key=value`, its value may hold ':')
    let h = 0; // hashRange of the token up to its first ':' (the key), or of the whole token
    let depth = 0; // of its `(…)` where it ends
    {
      for (let j = i; j < to; j++) {
        const cj = s.charCodeAt(j);
        if (cj > 41) {
          // letters, digits and most punctuation: only ':' and '=' matter
          if (colon < 0) {
            if (cj === 58 /* : */) colon = j - start;
            else {
              if (cj === 61 /* = */) eqKey = true;
              h = (Math.imul(h, 31) + cj) | 0;
            }
          }
        } else if (cj === 40 /* ( */) {
          if (paren < 0) paren = j - start;
          depth++;
        } else if (cj === 41 /* ) */) {
          if (depth > 0) depth--;
        } else if (cj === 34 /* " */) {
          if (dq < 0) dq = j - start;
        } else if (depth === 0 && isWs(cj)) {
          end = j;
          break;
        }
      }
    }
    // `key:"quoted value with spaces"` (/proc fallback `opt:"…"`)
    const q = dq > 0 && s.charCodeAt(start + dq - 1) === 58 /* : */ ? dq - 1 : -1;
    if (q > 0 && (q + 2 === end - start || s.charCodeAt(end - 1) !== 34)) {
      const close = s.indexOf('"', start + q + 2);
      if (close > 0 && close < to) {
        end = close + 1;
        depth = 0;
        // the first ':' is at or before q, in the part already scanned; a '(' may be inside the quotes
        if (paren < 0) {
          const pp = s.indexOf('(', start);
          paren = pp >= 0 && pp < end ? pp - start : -1;
        }
      }
    }
    i = end;
    if (depth > 0) {
      // a `(` never closed took the rest of the text into this token: none of it is read
      noteBad(s.slice(start, end), '"(" not closed (the rest of the line is not read)');
      break;
    }
    if (colon > 0 && !eqKey && (paren < 0 || colon < paren)) {
      const vs = start + colon + 1;
      if (vs === end) {
        const key = s.slice(start, vs - 1);
        let val = '';
        // `key: value` (kTLS, unix `peers:` list, inet-sockopt: ( … ))
        if (key === 'peers' && unix) {
          const list: string[] = [];
          for (;;) {
            let j = i;
            while (j < to && isWs(s.charCodeAt(j))) j++;
            const e2 = tokenEnd(s, j, to);
            const t2 = s.slice(j, e2);
            if (t2.length === 0 || parseIntStrict(t2) === undefined) break;
            list.push(t2);
            i = e2;
          }
          putExtra(rec, 'peers', list.join(' '));
          seen |= SEEN_EXTENDED;
          continue;
        }
        let j = i;
        while (j < to && isWs(s.charCodeAt(j))) j++;
        if (j < to) {
          const e2 = tokenEnd(s, j, to);
          val = s.slice(j, e2);
          i = e2;
        }
        putExtra(rec, ulp ? `${ulp}.${key}` : key, val);
        continue;
      }
      seen |= keyValueItem(rec, s, start, vs, end, h, unix, ulp, seen);
      continue;
    }
    // not key:value
    const bslot = colon < 0 ? lookupRange(BARE_TABLE, h, s, start, end) : -1; // no bare name holds a ':'
    const bare = bslot < 0 ? 0 : BARE_TABLE.kinds[bslot];
    if (want !== null && bare !== 0 && skipBare(bare, rec, known | seen)) {
      seen |= SEEN_SKIPPED;
      continue;
    }
    const tok = bslot < 0 ? s.slice(start, end) : BARE_TABLE.names[bslot];
    const rateKey = bare === 1 ? RATE_KEYS[tok] : undefined;
    if (rateKey !== undefined) {
      let j = i;
      while (j < to && isWs(s.charCodeAt(j))) j++;
      const e2 = tokenEnd(s, j, to);
      if (rateReads(rateKey, s, j, e2)) {
        setTcpNum(rateKey, rateA);
        if (rateB === rateB) setTcpNum('pacingRateMax', rateB);
        seen |= SEEN_TCPINFO;
        i = e2;
      } else if (e2 > j && s.endsWith('bps', e2)) {
        // a rate that does not read (`send -5bps`, `send 1e400bps`): reported with its key
        noteBad(`${tok} ${s.slice(j, e2)}`, NOT_A_RATE);
        i = e2;
      } else noteBad(tok, NOT_A_RATE); // (the token after it, if any, is an item of its own)
      continue;
    }
    if (bare === 2) {
      rec.shutdown = tok;
      seen |= SEEN_EXTENDED;
      continue;
    }
    if (bare === 3) {
      if (accFlags) accFlags.push(tok);
      else accFlags = [tok];
      seen |= SEEN_TCPINFO;
      continue;
    }
    if (bare === 4) {
      if (accCongestion === undefined && rec.tcp?.congestion === undefined) accCongestion = tok;
      else putExtra(rec, tok, true);
      seen |= SEEN_TCPINFO;
      continue;
    }
    if (tok.startsWith('tcp-ulp-')) {
      ulp = tok.slice(8);
      putExtra(rec, 'tcp-ulp', ulp);
      seen |= SEEN_TCPINFO;
      continue;
    }
    const eq = tok.indexOf('=');
    if (eq > 0 && paren < 0) {
      putExtra(rec, tok.slice(0, eq), tok.slice(eq + 1)); // netlink sk= cb= groups=, proc_ctx=
      seen |= SEEN_EXTENDED;
      continue;
    }
    if (paren > 0 && tok.charCodeAt(tok.length - 1) === 41) {
      // packet ring_rx(…), fanout(…), xdp rx(…) stats(…); flags( running ) arrives as one balanced token
      putExtra(rec, tok.slice(0, paren), tok.slice(paren + 1, -1).trim());
      continue;
    }
    if (ulp && (tok === 'zc_ro_tx' || tok === 'no_pad_rx')) {
      putExtra(rec, `${ulp}.${tok}`, true);
      continue;
    }
    putExtra(rec, tok, true);
  }
  return seen;
}
