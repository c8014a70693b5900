/**
 * `--redact`: mask socket fields (peer addresses by default) in a copy of the report, so every format shows
 * the same tags. A masked value becomes `redacted-<8 hex>` (HMAC-SHA256 of the value): equal values get equal
 * tags, so "these 40 CLOSE-WAIT sockets all talk to one peer" stays visible without the peer.
 * Fingerprints are not touched: the engine computed them from the real values, so alerts keep matching.
 *
 * Free text the engine rendered before redaction (messages, offender summaries, unparsed lines) is redacted by
 * replacing every original value seen in the report's sockets, and the peer/local/process parts parsed from
 * offender summaries. Unparsed lines could not be parsed, so when an address field is redacted every
 * address-looking token in them is masked.
 */
import { createHmac } from 'node:crypto';
import type { Finding, ScanReport } from '../engine/types';
import type { SocketRecord } from '../snapshot/types';
import { ExitCode, UserError, didYouMean } from '../diagnostics';
import type { RedactOptions } from './types';

export const DEFAULT_REDACT_FIELDS = ['peer.address', 'peer.path'];

/** SocketRecord fields a user may name (the first path segment). `location` is not data and stays. */
export const REDACTABLE_FIELDS = [
  'netid', 'state', 'local', 'peer', 'processes', 'timer', 'uid', 'inode', 'sk', 'cgroup', 'fwmark', 'extra',
  'skmem', 'tcp', 'shutdown', 'recvQ', 'sendQ', 'v6only', 'netidInferred', 'stateInferred',
] as const;

/** Sub-fields of the structured fields (tcp and extra are open-ended and take any key). */
const SUBFIELDS: Record<string, readonly string[]> = {
  local: ['address', 'port', 'portName', 'iface', 'path'],
  peer: ['address', 'port', 'portName', 'iface', 'path'],
  processes: ['name', 'pid', 'fd', 'tid', 'procCtx', 'sockCtx'],
  timer: ['name', 'expiresMs', 'retrans'],
  skmem: ['r', 'rb', 't', 'tb', 'f', 'w', 'o', 'bl', 'd'],
};

/** Values that say "no address" rather than name one: masking them would only hide that a socket is unconnected. */
const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '[::]', '0']);

/** Aggregate group keys (src/rules/types GroupKey) and the socket field each one shows. */
const GROUP_FIELDS: Record<string, string> = {
  peerAddress: 'peer.address',
  localAddress: 'local.address',
  process: 'processes.name',
  localPort: 'local.port',
  state: 'state',
  netid: 'netid',
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
    if (!known.includes(root) || field.split('.').some((s) => s === '')) {
      const suggestion = didYouMean(root, known);
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

class Masker {
  /** original → tag, for free-text replacement. */
  readonly seen = new Map<string, string>();
  constructor(private readonly salt: string | undefined) {}

  tag(value: string): string {
    let tag = this.seen.get(value);
    if (!tag) {
      tag = redactionTag(value, this.salt);
      this.seen.set(value, tag);
    }
    return tag;
  }

  /** A value that should be masked in free text too (wildcards are left alone). */
  note(value: string | number | null | undefined): void {
    if (value === null || value === undefined) return;
    const text = String(value);
    if (!leaveAlone(text)) this.tag(text);
  }

  /** Mask the value at `segments` under `container[key]` in place. */
  maskAt(container: Record<string, unknown>, segments: string[]): void {
    const [head, ...rest] = segments;
    if (!(head in container)) return;
    const value = container[head];
    if (rest.length > 0) {
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object') this.maskAt(item as Record<string, unknown>, rest);
      } else if (value && typeof value === 'object') {
        this.maskAt(value as Record<string, unknown>, rest);
      }
      return;
    }
    this.maskWhole(container, head);
  }

  private maskWhole(container: Record<string, unknown>, key: string): void {
    const value = container[key];
    if (typeof value === 'string') {
      if (leaveAlone(value)) return;
      container[key] = this.tag(value);
    } else if (typeof value === 'number') {
      this.note(value);
      // Ports keep their type (number | null); the tag goes to portName so equal ports still look equal.
      if (key === 'port') {
        container.port = null;
        container.portName = this.tag(String(value));
      } else {
        delete container[key];
      }
    } else if (typeof value === 'boolean') {
      delete container[key];
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.maskWhole(value as unknown as Record<string, unknown>, String(i));
    } else if (value && typeof value === 'object') {
      for (const k of Object.keys(value)) this.maskWhole(value as Record<string, unknown>, k);
    }
  }

  /** Replace every noted original in free text with its tag (longest first, whole tokens only). */
  replaceIn(text: string): string {
    if (this.seen.size === 0 || text === '') return text;
    return text.replace(this.pattern(), (m) => this.seen.get(m) ?? m);
  }

  private cached?: { size: number; re: RegExp };
  private pattern(): RegExp {
    if (this.cached && this.cached.size === this.seen.size) return this.cached.re;
    const alternatives = [...this.seen.keys()]
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    // Whole tokens: not inside a longer name or address. A following `:port` is fine (`203.0.113.7:443`);
    // a longer IPv6 address that merely starts with an original gets that part masked (over-masking, never a leak).
    const re = new RegExp(`(?<![A-Za-z0-9_.:-])(?:${alternatives.join('|')})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'g');
    this.cached = { size: this.seen.size, re };
    return re;
  }
}

interface SummaryParts {
  unix: boolean;
  local?: string;
  peer?: string;
  processes: string[];
}

/** Address part of an endpoint as `formatEndpoint` prints it: `[v6]%if:port`, `v4%if:port`, unix name. */
function endpointAddress(token: string, unix: boolean): string {
  if (unix) return token;
  if (token.startsWith('[')) {
    const close = token.indexOf(']');
    return close > 0 ? token.slice(1, close) : token;
  }
  const colon = token.lastIndexOf(':');
  const hostPart = colon > 0 ? token.slice(0, colon) : token;
  const percent = hostPart.indexOf('%');
  return percent > 0 ? hostPart.slice(0, percent) : hostPart;
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
    local: tokens[localIndex] !== undefined ? endpointAddress(tokens[localIndex], unix) : undefined,
    peer: arrow > 0 && tokens[arrow + 1] !== undefined ? endpointAddress(tokens[arrow + 1], unix) : undefined,
    processes,
  };
}

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w])/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;

/** A copy of `report` with the named socket fields masked everywhere they appear. */
export function redactReport(report: ScanReport, options: RedactOptions = {}): ScanReport {
  const fields = options.fields && options.fields.length > 0 ? options.fields : DEFAULT_REDACT_FIELDS;
  checkRedactFields(fields);
  const copy: ScanReport = structuredClone(report);
  const masker = new Masker(options.salt);
  const paths = fields.map((f) => f.split('.'));
  const redacted = new Set(fields);
  const isRedacted = (field: string): boolean =>
    [...redacted].some((r) => field === r || field.startsWith(`${r}.`));

  // 1. Structured values: the sockets, and aggregate groups keyed by a redacted field.
  for (const finding of copy.findings) {
    if (finding.socket) for (const p of paths) maskCollect(masker, finding.socket, p);
    if (finding.group) {
      for (const [key, value] of Object.entries(finding.group)) {
        const field = GROUP_FIELDS[key];
        if (field && isRedacted(field) && value !== null && !leaveAlone(String(value))) {
          finding.group[key] = masker.tag(String(value));
        }
      }
    }
  }
  // 2. Values only present in rendered offender summaries.
  for (const finding of copy.findings) {
    for (const offender of finding.offenders ?? []) {
      const parts = parseSummary(offender.summary);
      if (isRedacted('peer.address') && parts.peer) masker.note(parts.peer);
      if (isRedacted('local.address') && parts.local) masker.note(parts.local);
      if (isRedacted('processes.name')) parts.processes.forEach((p) => masker.note(p));
    }
  }
  // 3. Free text.
  const maskAddresses = fields.some((f) => f === 'peer' || f === 'local' || f.endsWith('.address'));
  for (const finding of copy.findings) redactFindingText(masker, finding);
  for (const snapshot of copy.snapshots) {
    for (const line of snapshot.unparsedLines) {
      let text = masker.replaceIn(line.text);
      if (maskAddresses) text = maskAddressTokens(masker, text);
      line.text = text;
    }
  }
  for (const n of copy.notEvaluated) n.reason = masker.replaceIn(n.reason);
  return copy;
}

function maskCollect(masker: Masker, socket: SocketRecord, segments: string[]): void {
  // Note the originals first so free text can be matched, then mask in place.
  collect(socket as unknown as Record<string, unknown>, segments, (v) => masker.note(v));
  masker.maskAt(socket as unknown as Record<string, unknown>, segments);
}

function collect(value: unknown, segments: string[], sink: (v: string | number) => void): void {
  if (value === null || value === undefined) return;
  if (segments.length === 0) {
    if (typeof value === 'string' || typeof value === 'number') sink(value);
    else if (typeof value === 'object') for (const v of Object.values(value)) collect(v, [], sink);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, segments, sink);
    return;
  }
  if (typeof value === 'object') collect((value as Record<string, unknown>)[segments[0]], segments.slice(1), sink);
}

function redactFindingText(masker: Masker, finding: Finding): void {
  finding.message = masker.replaceIn(finding.message);
  for (const offender of finding.offenders ?? []) offender.summary = masker.replaceIn(offender.summary);
  if (finding.group) {
    for (const [key, value] of Object.entries(finding.group)) {
      if (typeof value === 'string') finding.group[key] = masker.replaceIn(value);
    }
  }
}

function maskAddressTokens(masker: Masker, text: string): string {
  const mask = (m: string): string => (leaveAlone(m) ? m : masker.tag(m));
  return text.replace(IPV4, mask).replace(IPV6, (m) => (/^[0-9:]*$/.test(m) && !m.includes('::') && m.split(':').length < 4 ? m : mask(m)));
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
