/**
 * Address facts rules ask about: scope (loopback, wildcard, private, ...), family (dual-stack
 * wildcards), CIDR membership. Pure functions over the address text the parser stores
 * (no brackets, no `%iface`): `0.0.0.0`, `*`, `::`, `::ffff:127.0.0.1`, `fe80::1`, `localhost`.
 */

export type AddressScope = 'loopback' | 'wildcard' | 'private' | 'link-local' | 'multicast' | 'public' | 'none';
export const ADDRESS_SCOPES: readonly AddressScope[] = ['loopback', 'wildcard', 'private', 'link-local', 'multicast', 'public', 'none'];

export type AddressFamily = 'ipv4' | 'ipv6' | 'dual' | 'unix' | 'other';
export const ADDRESS_FAMILIES: readonly AddressFamily[] = ['ipv4', 'ipv6', 'dual', 'unix', 'other'];

/** An IP address as a 128-bit big integer; IPv4 stored as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
export interface IpAddress {
  value: bigint;
  /** True when written as IPv4 or as IPv4-mapped IPv6. */
  v4: boolean;
}

export interface Cidr {
  text: string;
  network: bigint;
  /** Prefix length in the 128-bit space (IPv4 /n becomes /96+n). */
  prefix: number;
  v4: boolean;
  /**
   * Whether the network holds IPv4 addresses: written as IPv4, or an IPv6 network inside the IPv4-mapped range
   * (`::ffff:10.0.0.0/104`, `::ffff:0:0/96`). Other IPv6 networks (`::/0`, `::/1`) hold IPv6 addresses only,
   * though IPv4 is stored in their 128-bit space.
   */
  holdsV4: boolean;
  /** The prefix as a 128-bit mask (made once: a rule tests it on every socket). */
  mask: bigint;
  /** When it holdsV4: the low 32 bits of network and mask, as unsigned numbers (cidrContainsV4); else 0. */
  v4Network: number;
  v4Mask: number;
  /** Network and mask as four unsigned 32-bit words, most significant first (cidrContainsWords). */
  networkWords: Uint32Array;
  maskWords: Uint32Array;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;
const ALL_ONES = (1n << 128n) - 1n;

/**
 * The dotted-quad IPv4 address `text` (four parts of 1–3 digits, each ≤ 255) as an
 * unsigned 32-bit number, or -1 for any other text — read without strings or BigInt: rules test the address of
 * every socket, and most are IPv4.
 */
export function ipv4Number(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      part = part * 10 + c - 48;
    } else if (c === 46 /* . */) {
      if (digits === 0 || part > 255 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else return -1;
  }
  return digits === 0 || part > 255 || dots !== 3 ? -1 : v * 256 + part;
}

/** ipv6Words' groups before the words are made (one array: a scan tests an address per socket). */
const GROUPS = new Uint16Array(8);

/**
 * The IPv6 address `text` — hex groups of 1–4 digits (eight, or fewer around one `::`), perhaps ending in an IPv4
 * address as its last two groups — as four unsigned 32-bit words, most significant first, written into `out`; false for any other text
 * (`out` then holds nothing of use). Without strings or BigInt, as ipv4Number.
 */
export function ipv6Words(text: string, out: Uint32Array): boolean {
  const n = text.length;
  let i = 0;
  let groups = 0;
  let gap = -1; // the group index where `::` stands
  if (n >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const start = i;
    let v = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (h < 0) break;
      v = v * 16 + h;
    }
    if (i < n && text.charCodeAt(i) === 46 /* . */) {
      // an IPv4 tail: the rest of the text, two groups
      const a = ipv4Number(text.slice(start));
      if (a < 0 || groups > 6) return false;
      GROUPS[groups++] = a >>> 16;
      GROUPS[groups++] = a & 0xffff;
      i = n;
      break;
    }
    if (i === start || i - start > 4 || groups === 8) return false;
    GROUPS[groups++] = v;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58 /* : */) return false;
    if (text.charCodeAt(i + 1) === 58) {
      if (gap >= 0) return false;
      gap = groups;
      i += 2;
    } else if (++i === n) return false; // a single `:` at the end
  }
  if (gap < 0 ? groups !== 8 : groups > 7) return false;
  // the groups after `::` move to the end; zeros between
  const zeros = 8 - groups;
  for (let w = 0; w < 4; w++) {
    let word = 0;
    for (let k = 2 * w; k < 2 * w + 2; k++) {
      const g = gap < 0 || k < gap ? GROUPS[k] : k < gap + zeros ? 0 : GROUPS[k - zeros];
      word = word * 65536 + g;
    }
    out[w] = word;
  }
  return true;
}

/** The dotted-quad IPv4 address `text` as a number (ipv4Number's, as a BigInt), or undefined. */
export function parseIPv4(text: string): bigint | undefined {
  const a = ipv4Number(text);
  return a < 0 ? undefined : BigInt(a);
}

/** The words of parseIPv6 and canonical (ipv6Words). */
const WORDS = new Uint32Array(4);

/** The IPv6 address `text` as a 128-bit number (ipv6Words' words, as a BigInt), or undefined. */
export function parseIPv6(text: string): bigint | undefined {
  if (!ipv6Words(text, WORDS)) return undefined;
  return (BigInt(WORDS[0]) << 96n) | (BigInt(WORDS[1]) << 64n) | (BigInt(WORDS[2]) << 32n) | BigInt(WORDS[3]);
}

/** Parse an IPv4 or IPv6 address (no brackets, optional `%zone` ignored). */
export function parseIp(text: string): IpAddress | undefined {
  const t = stripZone(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  const v4 = parseIPv4(t);
  if (v4 !== undefined) return { value: V4_MAPPED_PREFIX | v4, v4: true };
  const v6 = parseIPv6(t);
  if (v6 === undefined) return undefined;
  return { value: v6, v4: (v6 >> 32n) === 0xffffn };
}

/** Text form of 16 IPv6 bytes the way glibc's inet_ntop prints it (what ss shows). */
export function formatIPv6(b: Buffer): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(b.readUInt16BE(i * 2));
  // longest run (≥ 2) of zero words, first one on ties
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const v4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, not ::/::1) keep the dotted tail
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
    return bestLen === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += words[i].toString(16) + (i < 7 ? ':' : '');
  }
  return s;
}

function v4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/**
 * Why `text`, the value of an address field in a rule, can never equal an address ss prints, and what to write:
 * brackets, a `%iface`, a `:port`, or an IP address spelled otherwise than ss spells it (upper case, groups not
 * compressed, leading zeros) — compared as text, it would silently match nothing. Undefined for anything else
 * (the way ss prints it, a host name of `ss -r`, a unix socket's name).
 */
export function addressSpelling(text: string, field: string): { message: string; hint: string } | undefined {
  const side = field.slice(0, field.indexOf('.'));
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(text);
  if (bracketed && parseIp(bracketed[1]) !== undefined) {
    return { message: `'${text}': ${field} holds the address without brackets${bracketed[2] ? ' or port' : ''}`, hint: `write ${canonical(bracketed[1]) ?? bracketed[1]}${bracketed[2] ? ` and ${side}.port: ${bracketed[2]}` : ''}` };
  }
  const zone = text.indexOf('%');
  if (zone > 0 && parseIp(text.slice(0, zone)) !== undefined) {
    return { message: `'${text}': the interface after % is ${side}.iface, not part of ${field}`, hint: `write ${canonical(text.slice(0, zone))} and ${side}.iface: ${text.slice(zone + 1)}` };
  }
  const withPort = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(text);
  if (withPort && parseIp(withPort[1]) !== undefined) {
    return { message: `'${text}': ${field} holds the address without its port`, hint: `write ${canonical(withPort[1])} and ${side}.port: ${withPort[2]}` };
  }
  const as = canonical(text);
  if (as !== undefined && as !== text) return { message: `'${text}' is not how ss prints this address, so it would match nothing`, hint: `write ${as}` };
  return undefined;
}

/** An IP address `text` as ss prints it (a dotted quad without leading zeros; IPv6: formatIPv6), or undefined. */
function canonical(text: string): string | undefined {
  const v4 = ipv4Number(text);
  if (v4 >= 0) return v4Text(v4);
  if (!ipv6Words(text, WORDS)) return undefined;
  const bytes = Buffer.alloc(16);
  WORDS.forEach((w, i) => bytes.writeUInt32BE(w, i * 4));
  return formatIPv6(bytes);
}

function stripZone(t: string): string {
  const i = t.indexOf('%');
  return i >= 0 ? t.slice(0, i) : t;
}

/**
 * Parse `10.0.0.0/8`, `fc00::/7`, `::ffff:10.0.0.0/104` or a bare address (a /32 or /128 host).
 * Returns an error text for diagnostics instead of throwing.
 */
export function parseCidr(text: string): Cidr | { error: string } {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash >= 0 ? t.slice(0, slash) : t;
  const ip = parseIp(addrText);
  if (!ip) return { error: `'${addrText}' is not an IPv4 or IPv6 address` };
  const isV4Text = parseIPv4(stripZone(addrText)) !== undefined;
  const max = isV4Text ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const lenText = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > max) return { error: `prefix length '/${lenText}' must be a number from 0 to ${max}` };
    len = Number(lenText);
  }
  const prefix = isV4Text ? 96 + len : len;
  const mask = prefix === 0 ? 0n : (ALL_ONES << BigInt(128 - prefix)) & ALL_ONES;
  const network = ip.value & mask;
  if (network !== ip.value) {
    return { error: `'${t}' has host bits set; the network is ${formatNetwork(network, isV4Text)}/${len}` };
  }
  const holdsV4 = prefix >= 96 && (network >> 32n) === 0xffffn;
  return {
    text: t, network, prefix, v4: isV4Text, holdsV4, mask,
    v4Network: holdsV4 ? Number(network & 0xffffffffn) : 0, v4Mask: holdsV4 ? Number(mask & 0xffffffffn) : 0,
    networkWords: words(network), maskWords: words(mask),
  };
}

/** A 128-bit value as four unsigned 32-bit words, most significant first. */
function words(v: bigint): Uint32Array {
  return Uint32Array.from([96n, 64n, 32n, 0n], (shift) => Number((v >> shift) & 0xffffffffn));
}

function formatNetwork(v: bigint, v4: boolean): string {
  if (v4) {
    const n = Number(v & 0xffffffffn);
    return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * Membership test; an IPv4 network matches IPv4-mapped IPv6 addresses too (same 128-bit space), and an IPv6
 * network matches IPv4 addresses only when it lies in the IPv4-mapped range (Cidr.holdsV4): `::/0` is not "any
 * address".
 */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (ip.v4 && !cidr.holdsV4) return false;
  return (ip.value & cidr.mask) === cidr.network;
}

/** cidrContains for an IPv4 address read by ipv4Number (an IPv4 address lies in a network that holdsV4 only). */
export function cidrContainsV4(cidr: Cidr, a: number): boolean {
  return cidr.holdsV4 && (a & cidr.v4Mask) >>> 0 === cidr.v4Network;
}

/** Whether ipv6Words' words are an IPv4-mapped address (::ffff:a.b.c.d), which IpAddress calls v4. */
function mappedV4(w: Uint32Array): boolean {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
}

/** cidrContains for an address read by ipv6Words. */
export function cidrContainsWords(cidr: Cidr, w: Uint32Array): boolean {
  if (!cidr.holdsV4 && mappedV4(w)) return false;
  const m = cidr.maskWords;
  const net = cidr.networkWords;
  return (w[0] & m[0]) >>> 0 === net[0] && (w[1] & m[1]) >>> 0 === net[1] && (w[2] & m[2]) >>> 0 === net[2] && (w[3] & m[3]) >>> 0 === net[3];
}

function mustCidr(t: string): Cidr {
  const c = parseCidr(t);
  if ('error' in c) throw new Error(c.error);
  return c;
}

const LOOPBACK = [mustCidr('127.0.0.0/8'), mustCidr('::1/128')];
const LINK_LOCAL = [mustCidr('169.254.0.0/16'), mustCidr('fe80::/10')];
/** RFC 1918, RFC 6598 shared address space (CGNAT; not reachable from the internet), IPv6 ULA. */
const PRIVATE = [mustCidr('10.0.0.0/8'), mustCidr('172.16.0.0/12'), mustCidr('192.168.0.0/16'), mustCidr('100.64.0.0/10'), mustCidr('fc00::/7')];
const MULTICAST = [mustCidr('224.0.0.0/4'), mustCidr('ff00::/8')];
const WILDCARD_V4 = mustCidr('0.0.0.0/32');
const WILDCARD_V6 = mustCidr('::/128');

/** Host names `ss -r` prints for loopback. */
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'localhost6', 'localhost6.localdomain6', 'ip6-localhost', 'ip6-loopback']);

/**
 * Scope of an address as printed by ss. `*` and `::`/`0.0.0.0` are `wildcard`; IPv4-mapped addresses
 * are classified by their IPv4 part; names other than localhost, unix paths, netlink/packet
 * addresses are `none`.
 */
const scopeCache = new Map<string, AddressScope>();

export function addressScope(address: string | undefined): AddressScope {
  if (address === undefined || address === '') return 'none';
  const a = ipv4Number(address);
  if (a >= 0) return scopeBy((c) => cidrContainsV4(c, a)); // (no cache: as fast as a lookup, and a million peers would churn it)
  if (ipv6Words(address, SCRATCH)) return scopeBy((c) => cidrContainsWords(c, SCRATCH));
  let scope = scopeCache.get(address);
  if (scope === undefined) {
    scope = classify(address);
    // Bounded: a snapshot has few distinct addresses, a hostile one must not grow memory without end.
    if (scopeCache.size > 50_000) scopeCache.clear();
    scopeCache.set(ownCopy(address), scope);
  }
  return scope;
}

/**
 * The address as a string of its own: a parsed address is usually a slice of its whole `ss` line, and a
 * cache key must not keep that line alive.
 */
export function ownCopy(text: string): string {
  // the concatenation is flattened into a new string; the slice of it keeps only that (exact for any text)
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** The words addressScope and addressFamily read an IPv6 address into. */
const SCRATCH = new Uint32Array(4);

/**
 * The scope of an address by what `holds` says of the special networks — one ladder for the address's every
 * form: IPv4 as a number (ipv4Number), IPv6 as words (ipv6Words), anything else as an IpAddress (parseIp).
 */
function scopeBy(holds: (c: Cidr) => boolean): AddressScope {
  if (holds(WILDCARD_V4) || holds(WILDCARD_V6)) return 'wildcard';
  if (LOOPBACK.some(holds)) return 'loopback';
  if (LINK_LOCAL.some(holds)) return 'link-local';
  if (MULTICAST.some(holds)) return 'multicast';
  if (PRIVATE.some(holds)) return 'private';
  return 'public';
}

function classify(address: string): AddressScope {
  if (address === '*') return 'wildcard';
  const ip = parseIp(address);
  if (!ip) return LOOPBACK_NAMES.has(address.toLowerCase()) ? 'loopback' : 'none';
  return scopeBy((c) => cidrContains(c, ip));
}

const INET_NETIDS = new Set(['tcp', 'udp', 'raw', 'dccp', 'sctp', 'mptcp', 'icmp6', '???', '']);

/**
 * Which IP family can reach a local address. `*` (dual-stack, ss 4.14+) and `::` unless the socket
 * is known to be v6only are `dual`: reachable over IPv4 too. Auditing prefers the reading that
 * exposes more.
 */
export function addressFamily(netid: string, address: string | undefined, v6only?: boolean): AddressFamily {
  if (netid.startsWith('u_')) return 'unix';
  if (address === undefined) return 'other';
  if (address === '*') return INET_NETIDS.has(netid) ? 'dual' : 'other';
  if (ipv4Number(address) >= 0) return 'ipv4';
  if (ipv6Words(address, SCRATCH)) {
    if (mappedV4(SCRATCH)) return 'ipv4';
    return SCRATCH[0] === 0 && SCRATCH[1] === 0 && SCRATCH[2] === 0 && SCRATCH[3] === 0 ? (v6only === true ? 'ipv6' : 'dual') : 'ipv6';
  }
  const ip = parseIp(address);
  if (!ip) return LOOPBACK_NAMES.has(address.toLowerCase()) ? 'ipv4' : 'other';
  if (ip.v4) return 'ipv4';
  if (ip.value === 0n) return v6only === true ? 'ipv6' : 'dual';
  return 'ipv6';
}

/** parseCidr for callers that report at a position (config waivers): the error as a Diagnostic. */
export function parseCidrAt(text: string, where: { file: string; line?: number; column?: number }): { cidr: Cidr } | { diagnostic: { file: string; line?: number; column?: number; code: string; message: string } } {
  const c = parseCidr(text);
  if ('error' in c) return { diagnostic: { ...where, code: 'bad-cidr', message: `bad CIDR '${text}': ${c.error}` } };
  return { cidr: c };
}
