/**
 * Parsers for the detail items of an `ss` row (docs: shared/docs/ss-format.md §9–§13): `users:(…)`,
 * `timer:(…)`, `skmem:(…)`, TCP info and the other extension items. Pure functions on strings;
 * they scan with indexOf/charCodeAt and never throw on malformed text.
 */
import type { ProcessRef, SkMem, SocketRecord, TcpInfo, Timer } from './types';
import { EMPTY_EP, SHUTDOWN_MARKERS, ownSize, ownThinRow, thinEndpoint, thinTokens, type ThinRow } from './thin';

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

/** parseNumber of s[from..to), from char codes when it is a plain decimal; NaN when not a number. */
function numberRange(s: string, from: number, to: number): number {
  const v = fastNumber(s, from, to);
  return v === v ? v : parseNumber(s.slice(from, to)) ?? NaN;
}

/** `%g`-style number (`92427.6`, `1.23457e+06`, `0.005`) or undefined. */
export function parseNumber(s: string): number | undefined {
  if (s.length === 0 || s.length > 40) return undefined;
  const c = s.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45 || c === 46)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
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
  const n = t.length;
  if (n === 0) return 0;
  let i = 0;
  let ms = 0;
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
  if (nd === 0 || nd > 12) return null;
  if (t.startsWith('min', i)) {
    ms += d * 60000;
    i += 3;
    if (i === n) return ms > MAX_TIMER_MS ? null : ms;
    d = 0;
    nd = 0;
    while (i < n) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      d = d * 10 + c;
      nd++;
      i++;
    }
    if (nd === 0 || nd > 12) return null;
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
    if (i === fs) return null;
    const rest = n - i;
    if (!((rest === 3 && t.startsWith('sec', i)) || (rest === 2 && t.startsWith('ms', i)))) return null;
    ms += d * 1000 + Math.round(Number('0.' + t.slice(fs, i)) * 1000);
  } else {
    const rest = n - i;
    if (rest === 3 && t.startsWith('sec', i)) ms += d * 1000;
    else if (rest === 2 && t.startsWith('ms', i)) ms += d;
    else return null;
  }
  return ms > MAX_TIMER_MS ? null : ms;
}

/** Inner text of `timer:(…)` → Timer; undefined when not of the `NAME,TIME,COUNT` shape. */
export function parseTimer(inner: string): Timer | undefined {
  const a = inner.indexOf(',');
  const b = inner.lastIndexOf(',');
  if (a < 0 || b === a) return undefined;
  const name = inner.slice(0, a);
  const retrans = parseIntStrict(inner.slice(b + 1));
  if (!name || retrans === undefined) return undefined;
  return { name, expiresMs: parseTimerTime(inner.slice(a + 1, b)), retrans };
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

const SKMEM_KEYS = ['rb', 'tb', 'bl', 'r', 't', 'f', 'w', 'o', 'd'] as const;

/** Inner text of `skmem:(r0,rb2227595,t0,…)` (longest prefix first) → SkMem. Unknown items go to `unknown`. */
export function parseSkmem(inner: string, unknown?: string[]): SkMem {
  const m: SkMem = {};
  let start = 0;
  while (start <= inner.length) {
    let end = inner.indexOf(',', start);
    if (end < 0) end = inner.length;
    const item = inner.slice(start, end);
    if (item) {
      let done = false;
      for (const k of SKMEM_KEYS) {
        if (item.startsWith(k)) {
          const v = parseIntStrict(item.slice(k.length));
          if (v !== undefined) {
            m[k] = v;
            done = true;
          }
          break;
        }
      }
      if (!done && unknown) unknown.push(item);
    }
    start = end + 1;
  }
  return m;
}

/** Where skmemItem's item ended: just past its `,` (or `to` + 1). */
let skmemNext = 0;

/**
 * The value of the skmem item at s[p..] when its key is the char k0 (and k1, unless -1), read up to the next
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
  return parseIntRange(s, v, end);
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

/** parseSkmem on s[from..to) without slicing each item (same result, same key order). */
function parseSkmemRange(s: string, from: number, to: number, unknown: string[]): SkMem {
  const std = standardSkmem(s, from, to);
  if (std !== undefined) return std;
  const m: SkMem = {};
  let start = from;
  while (start <= to) {
    let end = s.indexOf(',', start);
    if (end < 0 || end > to) end = to;
    if (end > start) {
      const c0 = s.charCodeAt(start);
      const c1 = start + 1 < end ? s.charCodeAt(start + 1) : -1;
      let k: (typeof SKMEM_KEYS)[number] | undefined;
      let kl = 1;
      if (c0 === 114 /* r */ && c1 === 98 /* b */) (k = 'rb'), (kl = 2);
      else if (c0 === 116 /* t */ && c1 === 98 /* b */) (k = 'tb'), (kl = 2);
      else if (c0 === 98 /* b */ && c1 === 108 /* l */) (k = 'bl'), (kl = 2);
      else if (c0 === 114) k = 'r';
      else if (c0 === 116) k = 't';
      else if (c0 === 102) k = 'f';
      else if (c0 === 119) k = 'w';
      else if (c0 === 111) k = 'o';
      else if (c0 === 100) k = 'd';
      const v = k === undefined ? NaN : parseIntRange(s, start + kl, end);
      if (v === v) m[k!] = v;
      else unknown.push(s.slice(start, end));
    }
    start = end + 1;
  }
  return m;
}

/** Old `mem:(r0,w0,f0,t0)`: r=rmem_alloc, w=wmem_queued… mapped onto SkMem letters (t = total → `t`). */
export function parseOldMem(inner: string): SkMem {
  return parseSkmem(inner);
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
 * Parse `users:(ENTRY,ENTRY…)` starting at `start` (the index of `users:(`) — only its end when `entries` is
 * false (a lazy pass that no rule needs processes from). An entry runs from its `(`
 * to the next `)` (ss cuts COMM at the first `)`); COMM is everything before the last `",pid=`
 * (or, in the ≤3.13 positional form `("comm",PID,FD)`, before the last `",`).
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
    if (entries) {
      const p = parseUserEntry(s.slice(i + 1, close));
      if (p) processes.push(p);
    }
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

function setUserKey(p: ProcessRef, k: number, e: string, from: number, to: number): void {
  switch (k) {
    case 0: p.pid = parseIntRange(e, from, to); break;
    case 1: { const v = parseIntRange(e, from, to); if (v === v) p.tid = v; break; }
    case 2: { const v = parseIntRange(e, from, to); if (v === v) p.fd = v; break; }
    case 3: p.procCtx = e.slice(from, to); break;
    default: p.sockCtx = e.slice(from, to); break;
  }
}

function parseUserEntry(e: string): ProcessRef | undefined {
  if (e.charCodeAt(0) !== 34 /* " */) return undefined;
  let q = e.lastIndexOf('",pid=');
  if (q >= 0) {
    // the usual entry, `"COMM",pid=N,fd=N`: made in its final shape (properties added later take a block of
    // their own, which a socket in a finding keeps)
    const comma = e.indexOf(',', q + 6);
    if (comma > 0 && e.startsWith('fd=', comma + 1) && e.indexOf(',', comma + 4) < 0) {
      const pid = parseIntRange(e, q + 6, comma);
      const fd = parseIntRange(e, comma + 4, e.length);
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
    return p.pid === p.pid ? p : undefined;
  }
  // ≤3.13: ("comm",PID,FD)
  q = e.lastIndexOf('",');
  if (q < 0) return undefined;
  const comma = e.indexOf(',', q + 2);
  const pid = parseIntRange(e, q + 2, comma < 0 ? e.length : comma);
  if (pid !== pid) return undefined;
  const p: ProcessRef = { name: e.slice(1, q), pid };
  if (comma >= 0) {
    const fd = parseIntRange(e, comma + 1, e.length);
    if (fd === fd) p.fd = fd;
  }
  return p;
}

// ───────────────────────────── extension items ─────────────────────────────

/** TCP info numeric keys (snake_case as printed → camelCase in TcpInfo). */
const TCP_NUMERIC: Record<string, string> = {
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
  if (colon > 0) {
    // key:value with a lower-case key: ino:, dev:, peers:, uid:, sk:, skmem:(, timer:(, cgroup:
    for (let i = 0; i < colon; i++) {
      const c = tok.charCodeAt(i);
      if (!((c >= 97 && c <= 122) || c === 95 || c === 45 || (c >= 48 && c <= 57))) return false;
    }
    return true;
  }
  const eq = tok.indexOf('=');
  return eq > 0 && /^[a-z_]+$/.test(tok.slice(0, eq));
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
/** TCP_NUM_ID of the fields set by kinds 9…12 (rtt, retrans, wscale, busy). */
const PAIR_FIRST_ID = ['rtt', 'retrans', 'wscaleSnd', 'busy'].map((k) => TCP_NUM_ID.get(k)!);
const PAIR_SECOND_ID = ['rttvar', 'retransTotal', 'wscaleRcv', 'busy'].map((k) => TCP_NUM_ID.get(k)!);
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

/**
 * `A/B` (rtt/rttvar, retrans/total) or `A,B` (wscale): sets `first` (and `second` when B parses);
 * false when A is not a number, so the caller keeps the item verbatim.
 */
function setTcpPair(val: string, sep: string, parse: (t: string) => number | undefined, first: string, second: string): boolean {
  const at = val.indexOf(sep);
  const a = parse(at < 0 ? val : val.slice(0, at));
  if (a === undefined) return false;
  setTcpNum(first, a);
  if (at >= 0) {
    const b = parse(val.slice(at + 1));
    if (b !== undefined) setTcpNum(second, b);
  }
  return true;
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
    keys: new Array<boolean>(18).fill(false), tcpLo: 0, tcpHi: 0, bare: new Array<boolean>(5).fill(false), users: false, row: false, search: null, searchKeys: null,
  };
  let rates = false;
  for (const f of fields) {
    if (f.startsWith('local.') || f.startsWith('peer.')) w.row = true;
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
export const ALL_WANTED: ExtensionWants = { keys: new Array<boolean>(18).fill(true), tcpLo: -1, tcpHi: -1, bare: new Array<boolean>(5).fill(true), users: true, row: true, search: null, searchKeys: null };

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

/** Set while searchRest reads the items it found (each is scanned alone). */
let searching = false;

/**
 * The rest s[from..to) of a lazy pass, when everything in it but the wanted items may stay unread (the
 * record has its tcp object, the snapshot has shown every field group): the wanted `key:` items are found
 * by search and read in text order. False (nothing read) when the text is not simple enough to search.
 */
function searchRest(rec: SocketRecord, s: string, from: number, to: number, keys: RegExp): number | false {
  const r = s.slice(from, to);
  if (NOT_SIMPLE.test(r)) return false;
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
    // (read by the parser already when a rule reads them or a port is named)
    if (rec.local === EMPTY_EP) rec.local = thinEndpoint(b, k.localStart, k.localEnd);
    if (rec.peer === EMPTY_EP) rec.peer = thinEndpoint(b, k.peerStart, k.peerEnd);
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
  return seen;
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
  return seen;
}

/** Starts a pass over one extension text: nothing accumulated; what a lazy pass wants (null: everything). */
function beginPass(w: ExtensionWants | null, k: number): void {
  accLo = 0;
  accHi = 0;
  accCongestion = undefined;
  accFlags = undefined;
  accObj = undefined;
  want = w;
  known = k;
  openAt = -1;
}

/**
 * The `key:value` item s[start..end) — its key hashed to `h` (as scanExtensions hashes it), its value from
 * `vs` — read into `rec`, or left unread by a lazy pass (`before`: the SEEN_* bits of the items before it in
 * this text). Returns its SEEN_* bits.
 */
function keyValueItem(rec: SocketRecord, s: string, start: number, vs: number, end: number, h: number, unix: boolean, ulp: string, before: number): number {
  const slot = lookupRange(KEY_TABLE, h, s, start, vs - 1);
  const kind = slot < 0 ? 0 : KEY_TABLE.kinds[slot];
  if (want !== null && skipKey(kind, rec, known | before)) {
    return SEEN_SKIPPED;
  }
  if (kind >= TCP_KIND_BASE && !unix) {
    // numeric TCP info item (rto, mss, cwnd, bytes_acked …): no strings made when it reads
    const v = numberRange(s, vs, end);
    if (v === v) {
      setTcpId(kind - TCP_KIND_BASE, v);
      return SEEN_TCPINFO;
    }
  } else if (kind === 2 /* skmem */ && s.charCodeAt(vs) === 40 && s.charCodeAt(end - 1) === 41 && end - vs >= 2) {
    const unknown: string[] = [];
    const m = parseSkmemRange(s, vs + 1, end - 1, unknown);
    rec.skmem = rec.skmem ? Object.assign(rec.skmem, m) : m;
    if (unknown.length) putExtra(rec, 'skmem', unknown.join(','));
    return SEEN_SKMEM;
  } else if (kind >= 9 && kind <= 12) {
    // rtt:A/B, retrans:A/B, wscale:A,B, busy:Nms read in place; anything unusual takes the general path
    let a = NaN;
    let b = NaN;
    let sep = -1;
    if (kind === 12) {
      if (end - vs > 2 && s.charCodeAt(end - 2) === 109 /* m */ && s.charCodeAt(end - 1) === 115 /* s */) {
        a = fastNumber(s, vs, end - 2);
      }
    } else {
      sep = s.indexOf(kind === 11 ? ',' : '/', vs);
      if (sep >= end) sep = -1;
      const ae = sep < 0 ? end : sep;
      a = kind === 9 ? fastNumber(s, vs, ae) : parseIntRange(s, vs, ae);
      if (sep >= 0) b = kind === 9 ? fastNumber(s, sep + 1, end) : parseIntRange(s, sep + 1, end);
    }
    if (a === a && (sep < 0 || b === b)) {
      setTcpId(PAIR_FIRST_ID[kind - 9], a);
      if (sep >= 0) setTcpId(PAIR_SECOND_ID[kind - 9], b);
      return SEEN_TCPINFO;
    }
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
        return SEEN_TIMER;
      }
      putExtra(rec, key, val);
      return 0;
    }
    case 2: /* skmem */
    case 3: /* mem */
      if (inner !== undefined) {
        const unknown: string[] = [];
        const m = key === 'skmem' ? parseSkmem(inner, unknown) : parseOldMem(inner);
        rec.skmem = rec.skmem ? Object.assign(rec.skmem, m) : m;
        if (unknown.length) putExtra(rec, 'skmem', unknown.join(','));
        return SEEN_SKMEM;
      }
      putExtra(rec, key, val);
      return 0;
    case 4: /* uid */ {
      const v = parseIntStrict(val);
      if (v !== undefined && !unix) {
        rec.uid = v;
        return SEEN_EXTENDED;
      }
      putExtra(rec, key, val);
      return 0;
    }
    case 5: /* ino */ {
      const v = parseIntStrict(val);
      if (v !== undefined && !unix) rec.inode = v;
      else putExtra(rec, key, val); // unix: the filesystem inode of the bound path
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
      putExtra(rec, key, val);
      return 0;
    case 9: /* rtt */
      if (setTcpPair(val, '/', parseNumber, 'rtt', 'rttvar')) return SEEN_TCPINFO;
      putExtra(rec, key, val);
      return 0;
    case 10: /* retrans */
      if (setTcpPair(val, '/', parseIntStrict, 'retrans', 'retransTotal')) return SEEN_TCPINFO;
      putExtra(rec, key, val);
      return 0;
    case 11: /* wscale */
      if (setTcpPair(val, ',', parseIntStrict, 'wscaleSnd', 'wscaleRcv')) return SEEN_TCPINFO;
      putExtra(rec, key, val);
      return 0;
    case 12: /* busy */ {
      const v = val.endsWith('ms') ? parseNumber(val.slice(0, -2)) : undefined;
      if (v !== undefined) {
        setTcpNum('busy', v);
        return SEEN_TCPINFO;
      }
      putExtra(rec, key, val);
      return 0;
    }
    case 13: /* rwnd_limited */
    case 14: /* sndbuf_limited */ {
      // 12ms(3.4%)
      const ms = val.indexOf('ms');
      const v = ms > 0 ? parseNumber(val.slice(0, ms)) : undefined;
      if (v !== undefined) {
        const camel = key === 'rwnd_limited' ? 'rwndLimited' : 'sndbufLimited';
        setTcpNum(camel, v);
        const open = val.indexOf('(');
        const pct = val.indexOf('%');
        if (open > 0 && pct > open) {
          const p = parseNumber(val.slice(open + 1, pct));
          if (p !== undefined) setTcpNum(camel + 'Pct', p);
        }
        return SEEN_TCPINFO;
      }
      putExtra(rec, key, val);
      return 0;
    }
    case 15: /* bbr */
    case 16: /* dctcp */ {
      const t = (accObj ??= {});
      if (inner !== undefined) {
        const o: Record<string, number | string> = {};
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
      // an unknown item, or a numeric TCP info item (rto, mss …) whose value did not read as a number above
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
      const u = parseUsers(s, i, want === null || want.users);
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
    let h = 0; // hashRange of the token up to its first ':' (the key), or of the whole token
    {
      let depth = 0;
      for (let j = i; j < to; j++) {
        const cj = s.charCodeAt(j);
        if (cj > 41) {
          // letters, digits and most punctuation: only ':' matters
          if (colon < 0) {
            if (cj === 58 /* : */) colon = j - start;
            else h = (Math.imul(h, 31) + cj) | 0;
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
        // the first ':' is at or before q, in the part already scanned; a '(' may be inside the quotes
        if (paren < 0) {
          const pp = s.indexOf('(', start);
          paren = pp >= 0 && pp < end ? pp - start : -1;
        }
      }
    }
    i = end;
    if (colon > 0 && (paren < 0 || colon < paren)) {
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
      let slash = s.indexOf('/', j);
      if (slash >= e2) slash = -1;
      const r = rateKey === undefined ? undefined : rateRange(s, j, slash < 0 ? e2 : slash);
      if (r !== undefined) {
        setTcpNum(rateKey, r);
        if (slash >= 0 && rateKey === 'pacingRate') {
          const mx = rateRange(s, slash + 1, e2);
          if (mx !== undefined) setTcpNum('pacingRateMax', mx);
        }
        seen |= SEEN_TCPINFO;
        i = e2;
      } else putExtra(rec, tok, true);
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
