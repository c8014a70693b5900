/**
 * `--redact`: mask socket fields (peer addresses by default) in a copy of the report, so every format shows
 * the same tags. A masked value becomes `redacted-<8 hex>` (HMAC-SHA256 of the value): equal values get equal
 * tags, so "these 40 CLOSE-WAIT sockets all talk to one peer" stays visible without the peer.
 * Fingerprints are not touched: the engine computed them from the real values, so alerts keep matching.
 *
 * One datum, every copy: a unix socket's name is both its `address` and its `path`, and a port is `port` and
 * `portName`, so redacting either one masks both.
 *
 * Free text the engine rendered before redaction (messages, offender summaries, aggregate groups) is redacted
 * by replacing every original value seen in the report's sockets and offender summaries, both as it is and as
 * messages render it (control characters escaped, `\x07`). A port is a number, so it is replaced only where the
 * text shows it as a port (`address:port`, `[v6]:port`, `*:port`, `port N`), or standing alone when no count or
 * size of the same finding has that value: a count that happens to equal a redacted port stays readable.
 *
 * Unparsed lines were not understood, so in them every token that could hold a redacted field is masked: for an
 * address field every IP address, `[v6]`, dotted host name and unix path (`/…`, `@…`), for a path field every
 * unix path, for a port field the port of every `address:port`, for a `processes` field its part of every
 * `users:((…))` entry (the quoted name, `pid=`, `fd=`…), and for `uid`, `inode`, `sk`, `cgroup` and `fwmark` the
 * value of their `uid:`, `ino:`, `sk:`, `cgroup:`, `fwmark:` item.
 */
import { createHmac } from 'node:crypto';
import type { Finding, ScanReport } from '../engine/types';
import type { SocketRecord } from '../snapshot/types';
import { ExitCode, UserError, didYouMean, escapeControl } from '../diagnostics';
import type { RedactOptions } from './types';

export const DEFAULT_REDACT_FIELDS = ['peer.address', 'peer.path'];

/**
 * SocketRecord fields a user may name (the first path segment): those that can tell who or what a socket is —
 * addresses, ports, paths, interfaces, processes, the user, kernel identities (inode, sk cookie or pointer,
 * cgroup, fwmark) and the -e items socklint keeps verbatim. `location` is not data and stays.
 */
export const REDACTABLE_FIELDS = ['local', 'peer', 'processes', 'uid', 'inode', 'sk', 'cgroup', 'fwmark', 'extra'] as const;

/**
 * Fields of the record that identify no one: what the socket is doing (its state, queues, timers, memory, TCP
 * state). Masking one hid nothing and broke the record (a timer without its required expiresMs), so naming one
 * is a usage error that says so.
 */
const MEASUREMENTS = ['netid', 'state', 'timer', 'skmem', 'tcp', 'shutdown', 'recvQ', 'sendQ', 'v6only', 'netidInferred', 'stateInferred'];

/** Sub-fields of the structured fields (extra is open-ended and takes any key). */
const SUBFIELDS: Record<string, readonly string[]> = {
  local: ['address', 'port', 'portName', 'iface', 'path'],
  peer: ['address', 'port', 'portName', 'iface', 'path'],
  processes: ['name', 'pid', 'fd', 'tid', 'procCtx', 'sockCtx'],
};

/** Values that say "no address" rather than name one: masking them would only hide that a socket is unconnected. */
const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '[::]', '0']);

/** Aggregate group keys (src/rules/types GroupKey) and the socket field each one shows (state and netid: none redactable). */
const GROUP_FIELDS: Record<string, string> = {
  peerAddress: 'peer.address',
  localAddress: 'local.address',
  process: 'processes.name',
  localPort: 'local.port',
  peerPort: 'peer.port',
};

const DEFAULT_SALT = 'socklint-redact/v1';
const TAG = /^redacted-[0-9a-f]{8}$/;

/** Masked already (a tag) or nothing to mask (a wildcard): redaction is idempotent. */
function leaveAlone(value: string): boolean {
  return WILDCARDS.has(value) || TAG.test(value);
}

export function redactionTag(value: string, salt?: string): string {
  return `redacted-${createHmac('sha256', salt || DEFAULT_SALT).update(value).digest('hex').slice(0, 8)}`;
}

function unknownField(field: string, hint: string): never {
  throw new UserError({ file: '--redact', code: 'unknown-redact-field', message: `unknown socket field '${field}'`, hint }, ExitCode.usage);
}

/** Check user-named field paths; throws a UserError (exit 2) naming the bad one with a suggestion. */
export function checkRedactFields(fields: string[]): void {
  const known: readonly string[] = REDACTABLE_FIELDS;
  for (const field of fields) {
    const [root, sub] = field.split('.');
    if (MEASUREMENTS.includes(root)) {
      throw new UserError({
        file: '--redact', code: 'not-redactable', message: `'${field}' identifies no host, user or peer: it says what the socket is doing`,
        hint: `leave it out; --redact masks ${known.join(', ')}`,
      }, ExitCode.usage);
    }
    if (!known.includes(root) || field.split('.').some((s) => s === '')) {
      // the rule language's `process.name` is the record's processes[].name
      const suggestion = root === 'process' ? `processes.${sub ?? 'name'}` : didYouMean(root, known);
      // `--redact web-01.ss`: a bare --redact (peer addresses) took the snapshot that follows it as its value
      const snapshot = /[/\\]|\.ss(\.gz)?$/.test(field);
      unknownField(field, suggestion ? `did you mean '${suggestion}'?` : snapshot
        ? `a bare --redact takes what follows it as its fields: put it after the snapshots, or write --redact=peer.address`
        : `fields start with one of: ${known.join(', ')}`);
    }
    const subs = SUBFIELDS[root];
    if (sub !== undefined && subs && !subs.includes(sub)) {
      const candidates = subs.map((x) => `${root}.${x}`);
      const suggestion = didYouMean(field, candidates);
      unknownField(field, suggestion ? `did you mean '${suggestion}'?` : `${root} has: ${candidates.join(', ')}`);
    }
  }
}

/** What the text around a port must look like for it to be replaced (see Masker.replaceIn). */
interface TextMode {
  /** Unparsed lines: a port counts only after something address-like (they hold `rto:204`, `ino:5`...). */
  unparsed?: boolean;
  /**
   * A port standing alone (not after `address:` or the word `port`) is replaced unless its number is in this set
   * (the finding's own counts and sizes; asked for only when such a port turns up); without one, it is never
   * replaced (offender summaries, unparsed lines).
   */
  bareUnless?: () => ReadonlySet<string>;
}

/** `port `/`ports ` right before a number. */
const PORT_WORD = /(?:^|[^A-Za-z])ports? $/i;
/**
 * An endpoint's address (IPv4, `[v6]`, v6, a dotted name, `*`, masked already) and `%iface`, with the `:` of its
 * port: the source of the two patterns below.
 */
const ADDRESS_COLON = String.raw`(?:(?:\d{1,3}\.){3}\d{1,3}|\[[^\]\s]*\]|\*|redacted-[0-9a-f]{8}|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?:%[^\s:]+)?:`;
/** An endpoint's address and `%iface` right before the `:` of its port. */
const ADDRESS_BEFORE_PORT = new RegExp(`${ADDRESS_COLON}$`);

class Masker {
  /** value → tag. */
  private readonly tags = new Map<string, string>();
  /** Every form free text may hold an original in (as it is, control characters escaped) → its tag. */
  private readonly forms = new Map<string, string>();
  /** Forms noted from a port (`port`, `portName`) and forms noted from any other field. */
  private readonly portForms = new Set<string>();
  private readonly otherForms = new Set<string>();
  constructor(private readonly salt: string | undefined) {}

  tag(value: string): string {
    let tag = this.tags.get(value);
    if (!tag) {
      tag = redactionTag(value, this.salt);
      this.tags.set(value, tag);
    }
    return tag;
  }

  /** A value that should be masked in free text too (wildcards are left alone). */
  note(value: string | number | null | undefined, port = false): void {
    if (value === null || value === undefined) return;
    const text = String(value);
    if (leaveAlone(text)) return;
    const tag = this.tag(text);
    this.forms.set(text, tag);
    (port ? this.portForms : this.otherForms).add(text);
    // Messages render socket text with control characters escaped (`bell\x07`); an escaped form that is some
    // other value as it is keeps that value's tag (either tag hides it).
    const escaped = escapeControl(text);
    if (escaped !== text && !this.forms.has(escaped)) {
      this.forms.set(escaped, tag);
      (port ? this.portForms : this.otherForms).add(escaped);
    }
  }

  /** Mask the value at `segments` under `container[key]` in place, noting what it masks. */
  maskAt(container: Record<string, unknown>, segments: readonly string[], parent?: string): void {
    const [head, ...rest] = segments;
    if (!(head in container)) return;
    const value = container[head];
    if (rest.length > 0) {
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object') this.maskAt(item as Record<string, unknown>, rest, head);
      } else if (value && typeof value === 'object') {
        this.maskAt(value as Record<string, unknown>, rest, head);
      }
      return;
    }
    this.maskWhole(container, head, parent === 'local' || parent === 'peer');
  }

  private maskWhole(container: Record<string, unknown>, key: string, inEndpoint: boolean): void {
    const value = container[key];
    const isPort = inEndpoint && (key === 'port' || key === 'portName');
    if (typeof value === 'string') {
      if (leaveAlone(value)) return;
      this.note(value, isPort);
      container[key] = this.tag(value);
    } else if (typeof value === 'number') {
      this.note(value, isPort);
      // Ports keep their type (number | null); the tag goes to portName so equal ports still look equal.
      if (key === 'port') {
        // a resolved name (`ss -r`) names the same port: it goes too
        if (typeof container.portName === 'string') this.note(container.portName, isPort);
        container.port = null;
        container.portName = this.tag(String(value));
      } else {
        // null, not left out: the schema requires a process's pid, and a missing uid would read as 0 (root)
        container[key] = null;
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.maskWhole(value as unknown as Record<string, unknown>, String(i), false);
    } else if (value && typeof value === 'object') {
      const endpoint = key === 'local' || key === 'peer';
      for (const k of Object.keys(value)) this.maskWhole(value as Record<string, unknown>, k, endpoint);
    }
  }

  /**
   * Replace every noted original in free text with its tag (longest first, whole tokens only). A value right
   * after a `:` is part of something longer (`::ffff:10.0.0.1`, `rto:204`) unless it is a port after an
   * address; a port elsewhere only as `mode` allows.
   */
  replaceIn(text: string, mode: TextMode = {}): string {
    if (this.forms.size === 0 || text === '') return text;
    return text.replace(this.pattern(), (m: string, offset: number) => {
      const tag = this.forms.get(m);
      if (tag === undefined) return m;
      const afterColon = offset > 0 && text.charCodeAt(offset - 1) === 58; /* : */
      if (this.otherForms.has(m) && !afterColon) return tag;
      if (!this.portForms.has(m)) return m;
      if (afterColon) {
        if (mode.unparsed) return ADDRESS_BEFORE_PORT.test(text.slice(Math.max(0, offset - 80), offset)) ? tag : m;
        // socklint renders a port after a colon only in an endpoint: `10.0.0.1:3306`, `[::]:22`, `*:80`
        return offset > 1 && !/[\s:]/.test(text[offset - 2]) ? tag : m;
      }
      if (PORT_WORD.test(text.slice(Math.max(0, offset - 6), offset))) return tag;
      return mode.bareUnless && !mode.bareUnless().has(m) ? tag : m;
    });
  }

  private cached?: { size: number; re: RegExp };
  private pattern(): RegExp {
    if (this.cached && this.cached.size === this.forms.size) return this.cached.re;
    const alternatives = [...this.forms.keys()].sort((a, b) => b.length - a.length).map(literalPattern);
    // Whole tokens: not inside a longer name or address. A following `:port` is fine (`203.0.113.7:443`);
    // a longer IPv6 address that merely starts with an original gets that part masked (over-masking, never a leak).
    const re = new RegExp(`(?<![A-Za-z0-9_.-])(?:${alternatives.join('|')})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'g');
    this.cached = { size: this.forms.size, re };
    return re;
  }
}

/**
 * `value` as a pattern that matches it literally. V8 refuses one literal longer than ~32,000 characters ("Regular
 * expression too large": a corrupt snapshot's 40,000-byte process name ended the scan, exit 4): a long one is
 * written as groups of at most LITERAL_CHUNK characters, each escaped on its own.
 */
function literalPattern(value: string): string {
  const escape = (v: string): string => v.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  if (value.length <= LITERAL_CHUNK) return escape(value);
  const groups: string[] = [];
  for (let i = 0; i < value.length; i += LITERAL_CHUNK) groups.push(`(?:${escape(value.slice(i, i + LITERAL_CHUNK))})`);
  return groups.join('');
}

const LITERAL_CHUNK = 4096;

interface SummaryParts {
  unix: boolean;
  local?: Endpoint;
  peer?: Endpoint;
  processes: string[];
}

interface Endpoint {
  address: string;
  port?: string;
}

/** An endpoint as `formatEndpoint` prints it: `[v6]%if:port`, `v4%if:port`, unix name. */
function parseEndpoint(token: string, unix: boolean): Endpoint {
  if (unix) return { address: token };
  const colon = token.lastIndexOf(':');
  const port = colon > 0 && colon < token.length - 1 ? token.slice(colon + 1) : undefined;
  if (token.startsWith('[')) {
    const close = token.indexOf(']');
    return close > 0 ? { address: token.slice(1, close), port: colon > close ? port : undefined } : { address: token };
  }
  const hostPart = colon > 0 ? token.slice(0, colon) : token;
  const percent = hostPart.indexOf('%');
  return { address: percent > 0 ? hostPart.slice(0, percent) : hostPart, port };
}

/** Best-effort parse of an offender summary written by `describeSocket` (`netid [STATE] local [-> peer] procs`). */
function parseSummary(summary: string): SummaryParts {
  const tokens = summary.split(' ');
  const unix = tokens[0]?.startsWith('u_') ?? false;
  const arrow = tokens.indexOf('->');
  const localIndex = arrow > 0 ? arrow - 1 : /^[A-Z][A-Z0-9-]*$/.test(tokens[1] ?? '') ? 2 : 1;
  const afterEndpoints = arrow > 0 ? arrow + 2 : localIndex + 1;
  const processText = tokens.slice(afterEndpoints).join(' ');
  const processes = [...processText.matchAll(/([^,]+?)\[\d+\]/g)].map((m) => m[1]);
  return {
    unix,
    local: tokens[localIndex] !== undefined ? parseEndpoint(tokens[localIndex], unix) : undefined,
    peer: arrow > 0 && tokens[arrow + 1] !== undefined ? parseEndpoint(tokens[arrow + 1], unix) : undefined,
    processes,
  };
}

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w])/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
/** A host name with a dot whose last label starts with a letter (`db.corp.example`; not `0.25`, `python3.11`). */
const HOST_NAME = /(?<![\w.@/%-])(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*(?![\w-]|\.\w)/g;
/** A unix socket name: a token starting with `/` or `@` (ss prints `*` for none). */
const UNIX_NAME = /(?<!\S)[/@]\S+/g;
/** The port of an `address:port` (address IPv4, `[v6]`, v6, dotted name, `*`, masked), a number or a service name. */
const ENDPOINT_PORT = new RegExp(String.raw`(?<=${ADDRESS_COLON})(?:\d+|[A-Za-z][\w-]*)(?![\w.:\]-])`, 'g');
/** Where the name of the next `("name",pid=…` (or old `("name",123,…`) entry of a users:((…)) ends. */
const USER_NAME_END = /",(?:pid=|\d|redacted-[0-9a-f]{8}[,)])/g;
/** The other parts of a users:((…)) entry: `pid=`, `tid=`, `fd=`, `proc_ctx=`, `sock_ctx=`. */
const USER_ITEM = /(?<![\w])(pid|tid|fd|proc_ctx|sock_ctx)=([^,()\s]+)/g;
const USER_ITEM_FIELDS: Record<string, string> = { pid: 'pid', tid: 'tid', fd: 'fd', proc_ctx: 'procCtx', sock_ctx: 'sockCtx' };
/** Socket fields ss prints as a `key:value` item, by key. */
const ITEM_FIELDS: Record<string, string> = { uid: 'uid', ino: 'inode', sk: 'sk', cgroup: 'cgroup', fwmark: 'fwmark' };
const ITEM = /(?<![\w])(uid|ino|sk|cgroup|fwmark):(\S+)/g;

/** What the redacted fields mean for text socklint did not render from a socket. */
interface Scope {
  /** IP addresses (and host names) of this side. */
  address: (side: Side) => boolean;
  /** Unix socket names of this side (a unix socket's address is its path). */
  unixName: (side: Side) => boolean;
  port: (side: Side) => boolean;
  processName: boolean;
  /** users:((…)) items other than the name (`pid`, `fd`...) and `key:value` items (`ino`, `cgroup`...) by key. */
  userItems: Set<string>;
  items: Set<string>;
}
type Side = 'local' | 'peer';
const SIDES: readonly Side[] = ['local', 'peer'];

function isUnixName(value: string): boolean {
  return value.startsWith('/') || value.startsWith('@');
}

/** A copy of `report` with the named socket fields masked everywhere they appear. */
export function redactReport(report: ScanReport, options: RedactOptions = {}): ScanReport {
  const fields = options.fields && options.fields.length > 0 ? options.fields : DEFAULT_REDACT_FIELDS;
  checkRedactFields(fields);
  const copy: ScanReport = structuredClone(report);
  const masker = new Masker(options.salt);
  const isRedacted = (field: string): boolean => fields.some((r) => field === r || field.startsWith(`${r}.`));
  const scope: Scope = {
    address: (side) => isRedacted(`${side}.address`),
    unixName: (side) => isRedacted(`${side}.address`) || isRedacted(`${side}.path`),
    port: (side) => isRedacted(`${side}.port`) || isRedacted(`${side}.portName`),
    processName: isRedacted('processes.name'),
    userItems: new Set(Object.keys(USER_ITEM_FIELDS).filter((k) => isRedacted(`processes.${USER_ITEM_FIELDS[k]}`))),
    items: new Set(Object.keys(ITEM_FIELDS).filter((k) => isRedacted(ITEM_FIELDS[k]))),
  };
  // The fields to mask in a socket, with the other copies of the same datum: portName with port (and back),
  // and for a unix socket its path with its address (and back).
  const ipPaths = withAliases(fields, false);
  const unixPaths = withAliases(fields, true);

  // 1. Structured values: the sockets, and aggregate groups keyed by a redacted field.
  for (const finding of copy.findings) {
    if (finding.socket) {
      const socket = finding.socket as unknown as Record<string, unknown>;
      for (const p of isUnixSocket(finding.socket) ? unixPaths : ipPaths) masker.maskAt(socket, p);
    }
    if (finding.group) {
      for (const [key, value] of Object.entries(finding.group)) {
        if (value === null || leaveAlone(String(value)) || !groupRedacted(key, String(value), scope, isRedacted)) continue;
        masker.note(value, key === 'localPort');
        finding.group[key] = masker.tag(String(value));
      }
    }
  }
  // 2. Values only present in rendered offender summaries.
  for (const finding of copy.findings) {
    for (const offender of finding.offenders ?? []) {
      const parts = parseSummary(offender.summary);
      for (const side of SIDES) {
        const endpoint = parts[side];
        if (!endpoint) continue;
        if (parts.unix ? scope.unixName(side) : scope.address(side)) masker.note(endpoint.address);
        if (scope.port(side) && endpoint.port !== undefined) masker.note(endpoint.port, true);
      }
      if (scope.processName) parts.processes.forEach((p) => masker.note(p));
    }
  }
  // 3. Free text.
  copy.findings.forEach((finding, i) => {
    let numbers: Set<string> | undefined;
    redactFindingText(masker, finding, () => (numbers ??= findingNumbers(report.findings[i])));
  });
  for (const snapshot of copy.snapshots) {
    for (const line of snapshot.unparsedLines) line.text = redactUnparsed(masker, line.text, scope);
  }
  // (a snapshot that could not be scanned may quote its first unparsed line)
  for (const e of copy.snapshotErrors) {
    e.message = redactUnparsed(masker, e.message, scope);
    if (e.hint !== undefined) e.hint = redactUnparsed(masker, e.hint, scope);
  }
  const none = new Set<string>();
  for (const n of copy.notEvaluated) n.reason = masker.replaceIn(n.reason, { bareUnless: () => none });
  return copy;
}

function isUnixSocket(s: SocketRecord): boolean {
  return s.netid.startsWith('u_') || s.local.path !== undefined || s.peer.path !== undefined;
}

/** Field paths to mask, each once, with the other copies of a datum the user named. */
function withAliases(fields: readonly string[], unix: boolean): string[][] {
  const out = new Map<string, string[]>();
  const add = (f: string): void => void out.set(f, f.split('.'));
  for (const f of fields) {
    add(f);
    const m = /^(local|peer)\.(address|path|port|portName)$/.exec(f);
    if (!m) continue;
    const [, side, sub] = m;
    if (sub === 'port') add(`${side}.portName`);
    if (sub === 'portName') add(`${side}.port`);
    if (unix && sub === 'address') add(`${side}.path`);
    if (unix && sub === 'path') add(`${side}.address`);
  }
  return [...out.values()];
}

function groupRedacted(key: string, value: string, scope: Scope, isRedacted: (f: string) => boolean): boolean {
  switch (key) {
    case 'localAddress': return scope.address('local') || (scope.unixName('local') && isUnixName(value));
    case 'peerAddress': return scope.address('peer') || (scope.unixName('peer') && isUnixName(value));
    case 'localPort': return scope.port('local');
    case 'peerPort': return scope.port('peer');
    default: {
      const field = GROUP_FIELDS[key];
      return field !== undefined && isRedacted(field);
    }
  }
}

/**
 * The numbers a finding's message may show besides its ports (queue sizes, counters, pids, the observed count
 * and the threshold): a bare number equal to a redacted port is left alone when it is one of these.
 */
function findingNumbers(finding: Finding | undefined): Set<string> {
  const numbers = new Set<string>();
  if (!finding) return numbers;
  const add = (v: unknown): void => {
    if (typeof v === 'number' && Number.isInteger(v)) numbers.add(String(v));
  };
  add(finding.observed);
  add(finding.threshold);
  for (const [key, value] of Object.entries(finding.group ?? {})) if (key !== 'localPort') add(value);
  const walk = (v: unknown): void => {
    if (typeof v === 'number') add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  if (finding.socket) {
    for (const [key, value] of Object.entries(finding.socket)) {
      if (key === 'local' || key === 'peer') {
        for (const [k, x] of Object.entries(value as object)) if (k !== 'port') walk(x);
      } else if (key !== 'location') {
        walk(value);
      }
    }
  }
  return numbers;
}

function redactFindingText(masker: Masker, finding: Finding, numbers: () => ReadonlySet<string>): void {
  finding.message = masker.replaceIn(finding.message, { bareUnless: numbers });
  // describeSocket prints ports only in endpoints; a bare number there is a pid
  for (const offender of finding.offenders ?? []) offender.summary = masker.replaceIn(offender.summary);
  if (finding.group) {
    for (const [key, value] of Object.entries(finding.group)) {
      if (typeof value === 'string') finding.group[key] = masker.replaceIn(value, { bareUnless: numbers });
    }
  }
}

/** An unparsed line: the originals seen, then every token that could hold a redacted field (header comment). */
function redactUnparsed(masker: Masker, text: string, scope: Scope): string {
  const mask = (m: string): string => (leaveAlone(m) ? m : masker.tag(m));
  let out = masker.replaceIn(text, { unparsed: true });
  if (SIDES.some(scope.unixName)) out = out.replace(UNIX_NAME, mask);
  if (SIDES.some(scope.address)) {
    out = out
      .replace(IPV4, mask)
      .replace(IPV6, (m) => (/^[0-9:]*$/.test(m) && !m.includes('::') && m.split(':').length < 4 ? m : mask(m)))
      .replace(HOST_NAME, mask);
  }
  if (SIDES.some(scope.port)) out = out.replace(ENDPOINT_PORT, mask);
  if (scope.processName) out = maskUserNames(out, mask);
  if (scope.userItems.size > 0) {
    out = out.replace(USER_ITEM, (m, key: string, value: string) => (scope.userItems.has(key) ? `${key}=${mask(value)}` : m));
  }
  if (scope.items.size > 0) {
    out = out.replace(ITEM, (m, key: string, value: string) => (scope.items.has(key) ? `${key}:${mask(value)}` : m));
  }
  return out;
}

/** Mask the name of every `("name",pid=…` entry; a cut-off last entry's name runs to the end of the text. */
function maskUserNames(text: string, mask: (name: string) => string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('("', from);
    if (open < 0) break;
    const start = open + 2;
    USER_NAME_END.lastIndex = start;
    const end = USER_NAME_END.exec(text)?.index ?? text.length;
    out += text.slice(from, start) + mask(text.slice(start, end));
    from = end;
    if (end === text.length) break;
  }
  return out + text.slice(from);
}

/**
 * The report a formatter should render: redacted once per (report, options) when ctx asks for it.
 * Formatters call this, so a caller cannot forget redaction for one of several formats.
 */
const cache = new WeakMap<ScanReport, Map<string, ScanReport>>();
/** Reports this module produced: preparing one again (the CLI prepares once, formatters again) is a no-op. */
const redactedReports = new WeakSet<ScanReport>();
export function prepareReport(report: ScanReport, redact: RedactOptions | undefined): ScanReport {
  if (!redact || redactedReports.has(report)) return report;
  const key = JSON.stringify([redact.fields ?? [], redact.salt ?? '']);
  let byOptions = cache.get(report);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(report, byOptions);
  }
  let redacted = byOptions.get(key);
  if (!redacted) {
    redacted = redactReport(report, redact);
    redactedReports.add(redacted);
    byOptions.set(key, redacted);
  }
  return redacted;
}
