/**
 * Streaming parser for `ss` text output (reference: shared/docs/ss-format.md). Bytes in, SocketRecords,
 * summaries, comments and unparsed lines out. Lines are split on the Buffer; only the current record
 * (plus, when the Netid column is missing, a bounded queue of rows whose table is still undecided) is kept.
 * Never throws on input.
 */
import {
  ALL_WANTED, SEEN_BAD, SEEN_EXTENDED, SEEN_PROCESSES, SEEN_SKIPPED, SEEN_SKMEM, SEEN_TCPINFO, SEEN_TIMER, SEEN_UNTERMINATED,
  DEFERRED_EXTENSIONS, MAX_COUNT, badItemsReason, checkThinItems, completeExtensions, countRange, deferExtensions, looksLikeExtension, openComm, parseExtensions,
  parseIntRange, parseUsers, parseIntStrict, readThinItems, wholeEndpoints, type ExtensionWants,
} from './fields';
import {
  EMPTY_EP, NEEDS_EXTENDED, NEEDS_SKMEM, NEEDS_TCP, declareStates, isHexDigit, latin1, lineTextEnd, newSpaceWords, newThinItems, newThinTail, readThinTail, spaceWordsOf,
  MAX_PORT, THIN_NETID, THIN_PORTS_ONLY, ownThinRow, portColon, extendedOnly, stateOf, stateStart, thinItems, thinKeys, thinPortEndpoint, thinProcesses, thinTokens, tokenEnd, type KeyTable, type ThinRow,
} from './thin';
import { PROTOCOLS, defaultServices, protocolNumber, type ServiceTable } from './services';
import type { Endpoint, FieldGroup, SocketRecord, SsSummary, UnparsedLine } from './types';
import { addressScope } from '../rules/address';

export interface ParserOptions {
  /** As the user named it; goes into every record's location.file. */
  file: string;
  /** Defaults to the built-in table (+ /etc/services when present). */
  services?: ServiceTable;
  /**
   * The ss flags the snapshot was captured with, when it does not say (a `# flags:` line wins): decides the
   * table of rows without a Netid column ('-tan' → tcp) and the state of rows without a State column.
   */
  flags?: string;
  /** Start as if the lines before had been read (a byte range of a snapshot that starts at a record boundary). */
  seed?: ParserSeed;
}

/**
 * What a parser carries from one record to the next, at a clean record boundary: enough to parse the rest
 * of the file in another parser exactly as this one would (see SsParser.checkpoint).
 */
export interface ParserSeed {
  /** Lines read so far. */
  lineNo: number;
  layout?: Layout;
  /** Raw ss flags in effect (options or `# flags:` metadata). */
  flags?: string;
  decision?: Decision;
  meta: Record<string, string>;
  /** Whether the file's lines end in CR LF (its first line's, or its last header's, do). */
  crlf?: boolean;
  /**
   * From checkpoint: the columns of the table's local and peer ports there (SsParser.portCol, peerCol), which a byte
   * range does not start from (it starts without them) but may assume for its first unix row (ParseStats.startPort,
   * startPeer): the scan compares them.
   */
  port?: number;
  peer?: number;
  /**
   * Table headers read so far: what the tables a byte range reads are numbered from (ParseStats.firstRows), renumbered
   * by the scan after the first range's count at its end (scan.ts, repeatedAcross).
   */
  tables?: number;
  /**
   * From checkpoint: the rows of the current table read so far, when fewer than those a table's rows are compared by
   * (ParseStats.repeated): as many of the next byte range's first rows (ParseStats.startRows) the file's parse compares.
   * A parser started from the seed does not read it.
   */
  rows?: number;
}

export interface ParseSink {
  socket(rec: SocketRecord): void;
  unparsed(u: UnparsedLine): void;
  summary?(s: SsSummary): void;
  /** `#` comment lines (metadata and annotations). line is 1-based. */
  comment?(line: number, text: string): void;
  /** Capture metadata (`# key: value` lines before the table), as each is read. */
  meta?(key: string, value: string): void;
  /**
   * The extension items the consumer reads of a socket in `state` (undefined: any state) — undefined while
   * it cannot say yet (asked again for later rows). Inet records are then parsed lazily: items nobody reads
   * (and, for a plain row, its addresses and processes unless read: thinRow) may be left unread until
   * completeExtensions (fields.ts) is called on the record,
   * which a consumer must do before it shows or keeps one — before socket() returns, as a thin record
   * reads the chunk passed to write(), which the caller may reuse afterwards; or it makes the record keep its
   * own bytes then (keepOwnBytes) and completes it later.
   */
  extensionWants?(state: string | undefined): ExtensionWants | undefined;
  /**
   * Back-pressure: a promise to wait for before more input is parsed (the consumer's output is full), or
   * undefined. Asked by parseSnapshotFile (source.ts) after each chunk; the parser itself never waits.
   */
  wait?(): Promise<void> | undefined;
  /**
   * The field groups the rows have shown so far (ParseStats.fields but the flags' promises), each time they grow,
   * before the socket that grew them: for a consumer that must decide before the end (waivers asked as findings
   * are found on a snapshot read once).
   */
  fields?(shown: ReadonlySet<FieldGroup>): void;
}

/** How each physical line was used; the counts add up to `lines`. */
export interface LineKinds {
  /** Socket main rows (but those counted as unparsed). */
  socket: number;
  /** TAB-led (tipc: space-led) continuation lines, and `-O`-less extension lines (but those counted as unparsed). */
  continuation: number;
  /** Physical lines joined onto the previous row (newline inside a `users:((` COMM, or inside a unix name). */
  joined: number;
  header: number;
  comment: number;
  /** `ss -s` lines (incl. its blank lines). */
  summary: number;
  blank: number;
  /**
   * Lines not parsed, and lines parsed only in part, each reported as an UnparsedLine: a header line with text
   * after its column titles (its columns still apply), a socket row or continuation line whose `users:((` group
   * never closes (its socket is still made, without the process entry left open).
   */
  unparsed: number;
}

export interface ParseStats {
  lines: number;
  sockets: number;
  unparsed: number;
  /**
   * Texts made that name a line number (a Netid decision's reason, an SCTP association note), a first row of a
   * byte range that may be the last line of a unix row before the range (afterUnix), and a unix row of a byte range
   * read before a row told the column of its table's ports (portCol): a byte range parsed with line numbers
   * relative to its start (split.ts) is only exact without them.
   */
  lineNotes: number;
  /**
   * In a parser started from a seed (a byte range) whose first unix row came before any row told the columns of the
   * table's ports: the columns that row was read by (its INODE's, its PEERINODE's) — right only if the file's parse
   * had them there (ParserSeed.port and peer at the range's start), which split.ts checks.
   */
  startPort?: number;
  startPeer?: number;
  /** The field groups the rows show, and those the capture flags promise (not the header's columns: headerFields). */
  fields: Set<FieldGroup>;
  /**
   * The groups the capture flags ask for that every row of a capture shows when it has them (-e extended, -m skmem,
   * -i tcpinfo) and no row showed: not taken as captured (ss 6.7 printed none of them without -p; a file given the
   * wrong flags), so the rules that need them are not evaluated, with this said (addFlagFields).
   */
  unshown?: FieldGroup[];
  /**
   * The field groups the columns of the last table header carry (state, queues): what a snapshot without any row
   * carries (`ss -tln` where nothing listens, an empty namespace; scan.ts, availableFields). Apart from fields: the
   * parse of a byte range (split.ts) cannot tell whether the snapshot has a row elsewhere.
   */
  headerFields: FieldGroup[];
  /**
   * Sockets whose table could not be told (netid `unknown`: rows without a Netid column that show neither tcp
   * nor udp, or unix/packet/tipc rows of such a section), by what they may be. Only the kinds that occur.
   */
  undecided: Partial<Record<UndecidedKind, number>>;
  /**
   * Ports of inet sockets that ss printed as a service name socklint cannot map to a number (port null: a name
   * from the capturing host's own /etc/services), by `SIDE NETID STATE` (`local tcp LISTEN`; no state: `local
   * tcp -`): rules on that port cannot see them (evaluate.ts, finish). Only the keys that occur.
   */
  unknownPorts: Record<string, number>;
  /** Those names and how many ports each is (the first UNKNOWN_PORT_NAMES names). */
  unknownPortNames: Record<string, number>;
  /**
   * Lines of the first two `# socklint-snapshot:` lines (each begins a capture): a second one is a file holding
   * several captures (`cat a.ss b.ss`, `capture >> host.ss`), which is not one snapshot (notOneSnapshot).
   */
  captures: number[];
  /**
   * The first table a Netid-less section was told to be (the row deciding it: its line, the table) after more rows
   * than the parser holds while it waits (MAX_PENDING) had gone out undecided (netid `unknown`: `rows` of them) —
   * `ss -tn` of a host with tens of thousands of established connections before its first other state. Said in
   * the reason of the rules not evaluated on them (evaluate.ts, undecidedReason).
   */
  lateDecision?: { line: number; netid: string; rows: number };
  /**
   * Line of the first netstat table header (`Proto Recv-Q Send-Q Local Address Foreign Address State`): netstat
   * output, whose rows read as ss rows would lose their state (printed after the addresses) — not a snapshot
   * (notOneSnapshot).
   */
  netstat?: number;
  /**
   * Line of the first row whose Send-Q is -1, which only ss -E (events) prints (a udp socket the kernel reports
   * destroyed): a capture of destroyed sockets, not of the host's, whatever its flags say or whether it says them
   * (scan.ts takes its coverage as ss -E's, so no rule is evaluated on it).
   */
  events?: number;
  /**
   * A socket listed again under a later table header than its first listing (its line, and that first one's):
   * a file holding several ss runs one after another (`ss -tan >> log` each minute, `(ss -tlnp; ss -tanp)`),
   * whose sockets would count once per run (notOneSnapshot). The first REMEMBERED_ROWS rows of each table are
   * compared: a run lists its listeners first, and they are there again in the next run.
   */
  repeated?: { line: number; first: number };
  /**
   * The rows compared for `repeated`, as [socketKey, table, line] (table: the count of headers before it): what
   * the scan of a split file compares across its two ranges (scan.ts, repeatedAcross). Set at the end of a parse
   * that read a table header.
   */
  firstRows?: [string, number, number][];
  /**
   * The row at which comparing stopped, as [socketKey, table, line]: the first row of a new socket once the rows
   * compared held REMEMBERED_MAX sockets (a file of hundreds of tables). No row after it is compared, in a whole
   * parse or in a split one's merge (scan.ts, repeatedAcross), so both give the same answer.
   */
  firstRowsFull?: [string, number, number];
  /**
   * In the parse of a byte range (started from a seed): its first rows before any table header, at most
   * REMEMBERED_ROWS, as [socketKey, line]. Rows of the table the range starts in, which the whole file's parse
   * compares for `repeated` when that table began less than REMEMBERED_ROWS rows before the range: as many as
   * ParserSeed.rows of the range before it leaves (scan.ts, repeatedAcross).
   */
  startRows?: [string, number][];
  meta: Record<string, string>;
  kinds: LineKinds;
}

/**
 * The snapshot error of a file that is not one snapshot: a second socklint capture in it (its sockets would be the
 * first capture's host's, read with the first one's flags), or a second ss run (ParseStats.repeated) — either way
 * the sockets both list would count twice.
 */
export function notOneSnapshot(stats: ParseStats): { code: string; message: string; hint: string; line: number } | undefined {
  if (stats.netstat !== undefined) {
    return {
      code: 'netstat-output',
      line: stats.netstat,
      message: 'holds netstat output (its table header), not ss output: its rows would be read without their state, which netstat prints after the addresses',
      hint: 'capture with ss instead: ss -tuanp > FILE, or socklint capture -o FILE',
    };
  }
  if (stats.captures.length >= 2) {
    return {
      code: 'several-captures',
      line: stats.captures[1],
      message: `holds a second socklint capture (the first begins at line ${stats.captures[0]}): one snapshot file holds one capture`,
      hint: 'give each capture its own file (socklint capture -o DIR writes DIR/HOST-TIME.ss) and scan the folder; to split this one: csplit -z -f part- FILE \'/^# socklint-snapshot:/\' \'{*}\'',
    };
  }
  const r = stats.repeated;
  if (r === undefined) return undefined;
  return {
    code: 'several-runs',
    line: r.line,
    message: `lists again, under a new table header, the socket of line ${r.first}: the file holds several ss runs one after another, whose sockets would count once per run`,
    hint: 'give each run its own file (socklint capture -o DIR writes DIR/HOST-TIME.ss) and scan the folder; to split this one at its headers: csplit -z -f part- FILE \'/^\\(Netid\\|State\\|Recv-Q\\)/\' \'{*}\'',
  };
}

/**
 * Whether a parse that found no socket read ss's header and nothing it could not parse (`ss -tln` where
 * nothing listens, an empty namespace captured live): a host without such sockets, not an unreadable file.
 * A socklint capture of `ss -H` has no header to read: its metadata says so. (Its metadata alone, without the
 * header its flags promise, is a capture that failed after writing it: `capture > f.ss` whose ss never ran.)
 */
export function emptyCapture(stats: ParseStats): boolean {
  if (stats.sockets !== 0 || stats.unparsed !== 0) return false;
  if (stats.kinds.header > 0) return true;
  const flags = stats.meta['socklint-snapshot'] !== undefined ? stats.meta.flags : undefined;
  return flags !== undefined && parseFlags(flags).letters.has('H');
}

/** What to say of a snapshot without a socket that is no empty capture (the `no-sockets` snapshot error). */
export function noSocketsProblem(stats: ParseStats, firstUnparsed?: UnparsedLine): { message: string; hint: string } {
  if (stats.unparsed === 0 && stats.kinds.header === 0 && stats.meta['socklint-snapshot'] !== undefined) {
    return { message: 'holds socklint capture metadata but no ss output', hint: 'the capture failed after writing it: capture again, and check its exit code' };
  }
  const message = `holds no parsable socket (${stats.lines} ${stats.lines === 1 ? 'line' : 'lines'}, ${stats.unparsed} unparsed)`;
  return { message, hint: stats.unparsed > 0 && firstUnparsed ? `first unparsed line ${firstUnparsed.line}: ${firstUnparsed.reason}` : 'is this the output of ss?' };
}

/** What a socket whose netid is `unknown` may be. */
export type UndecidedKind = 'inet' | 'unix' | 'packet' | 'tipc' | 'other';

/** The kind of a socket of netid `unknown`, told by its netidInferred (ParseStats.undecided counts by it). */
export function undecidedKind(rec: SocketRecord): UndecidedKind {
  return (rec.netidInferred !== undefined && UNDECIDED_KIND.get(rec.netidInferred)) || 'other';
}

// ───────────────────────────── vocabularies ─────────────────────────────

const NETIDS = new Set([
  'tcp', 'udp', 'raw', 'icmp6', '???', 'mptcp', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl',
  'v_str', 'v_dgr', 'ti_st', 'ti_dg', 'ti_rd', 'ti_sq', 'ti_un', 'xdp', 'unknown',
]);
/** Each name → its one interned string (fast compares and Map lookups downstream). */
const NETID_CANON = new Map([...NETIDS].map((x) => [x, x]));
/** Longest first, for glued `u_strESTAB`. */
const NETIDS_BY_LENGTH = [...NETIDS].sort((a, b) => b.length - a.length);

const STATES = new Set([
  'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK',
  'LISTEN', 'CLOSING', 'UNKNOWN', 'UNDEF', 'CLOSED', 'NEW-SYN-RECV', 'BOUND-INACTIVE',
]);
const STATES_BY_LENGTH = [...STATES].sort((a, b) => b.length - a.length);
declareStates(STATES);
const STATE_CANON = new Map([...STATES].map((x) => [x, x]));

/** States that only stream (connection-oriented) sockets have. */
const STREAM_ONLY = new Set([
  'LISTEN', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSING',
  'NEW-SYN-RECV',
]);

const STREAM_ONLY_REASON = new Map(
  [...STREAM_ONLY].map((st) => [st, `tcp: state ${st} exists only for stream sockets (mptcp/dccp/sctp print the same)`]),
);

const NL_PROTOS = new Set([
  'rtnl', 'unused', 'usersock', 'fw', 'tcpdiag', 'sock_diag', 'nflog', 'xfrm', 'selinux', 'iscsi', 'audit',
  'fiblookup', 'connector', 'nft', 'ip6fw', 'dec-rt', 'uevent', 'genl', 'scsi-trans', 'ecryptfs', 'rdma',
  'crypto', 'smc',
]);

/** `state FILTER` names → the state ss prints. */
export const STATE_FILTERS: Record<string, string> = {
  established: 'ESTAB', 'syn-sent': 'SYN-SENT', 'syn-recv': 'SYN-RECV', 'fin-wait-1': 'FIN-WAIT-1',
  'fin-wait-2': 'FIN-WAIT-2', 'time-wait': 'TIME-WAIT', closed: 'UNCONN', 'close-wait': 'CLOSE-WAIT',
  'last-ack': 'LAST-ACK', listening: 'LISTEN', listen: 'LISTEN', closing: 'CLOSING', unconnected: 'UNCONN',
  'bound-inactive': 'UNCONN',
};

/** The column titles of a header line, in the order ss prints them (each one optional; glued or spaced: §2). */
const HEADER_TITLES = ['Netid', 'State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port', 'Process'];

/**
 * Where the text after the column titles that header line s starts with (at p) starts: s.length when only
 * whitespace follows them.
 */
function titlesEnd(s: string, p: number): number {
  for (const title of HEADER_TITLES) {
    if (!s.startsWith(title, p)) continue;
    p += title.length;
    while (p < s.length && isWs(s.charCodeAt(p))) p++;
  }
  return p;
}

/** Why the text after the column titles of header line s is unparsed. */
function headerRestReason(s: string): string {
  // ss ends lines with LF; a file whose line ends were turned into CR alone is one line, its header's
  return s.includes('\r') ?
    'text after the column titles of a header line, with CR characters in it: rows separated by CR alone (not LF or CR LF) are not read' :
    'text after the column titles of a header line';
}

const enum Cls { INET, UNIX, NL, PACKET, VSOCK, TIPC, XDP }

const TIPC_TYPES: Record<string, string> = { STREAM: 'ti_st', DGRAM: 'ti_dg', RDM: 'ti_rd', SEQPACKET: 'ti_sq' };

function classOf(netid: string): Cls {
  switch (netid) {
    case 'u_str': case 'u_dgr': case 'u_seq': return Cls.UNIX;
    case 'nl': return Cls.NL;
    case 'p_raw': case 'p_dgr': return Cls.PACKET;
    case 'v_str': case 'v_dgr': return Cls.VSOCK;
    case 'xdp': return Cls.XDP;
    default:
      return netid.startsWith('ti_') ? Cls.TIPC : Cls.INET;
  }
}

/** What a row of each address class is, for a row without a Netid column (its table undecided). */
const CLASS_NAME: Record<Cls, string> = {
  [Cls.INET]: 'inet', [Cls.UNIX]: 'unix', [Cls.NL]: 'netlink', [Cls.PACKET]: 'packet', [Cls.VSOCK]: 'vsock', [Cls.TIPC]: 'tipc', [Cls.XDP]: 'xdp',
};

/** The kind of undecided socket (netid `unknown`) of each address class. */
const CLASS_KIND: Partial<Record<Cls, UndecidedKind>> = { [Cls.INET]: 'inet', [Cls.UNIX]: 'unix', [Cls.PACKET]: 'packet', [Cls.TIPC]: 'tipc' };

/**
 * The kind of undecided socket that may really have `netid` (its address class's), or undefined when only one
 * of kind `other` may (netlink, vsock and xdp rows always tell their table).
 */
export function undecidedKindOf(netid: string): UndecidedKind | undefined {
  return CLASS_KIND[classOf(netid)];
}

/** Buffer's own decoder, without toString's per-call encoding lookup (same output as toString('utf8')). */
interface Utf8Sliceable {
  utf8Slice(start: number, end: number): string;
}

/** The KeyTable of a state's wants (shared by the parsers of a scan's snapshots, as the wants are). */
const KEY_TABLES = new WeakMap<ExtensionWants, KeyTable | null>();

/**
 * A TCP info item nearly every `ss -i` line has, read by thin rows whatever the rules want: a record has a `tcp`
 * object when its row has TCP info (a rule reading an absent item reads its default only then), and a thin row
 * whose TCP info holds no item it reads cannot make one — it was left to the full parse, every such row of a
 * `-tanpmioe` capture scanned without high-rtt (`rtt:` the only item of the rest as common): ~35 % of the scan.
 */
const TCP_PRESENT_KEYS = ['cwnd'];

function keysOf(w: ExtensionWants): KeyTable | null {
  let t = KEY_TABLES.get(w);
  if (t === undefined) {
    t = w.searchKeys ? thinKeys([...new Set([...w.searchKeys, ...TCP_PRESENT_KEYS])]) : null;
    KEY_TABLES.set(w, t);
  }
  return t;
}

const MAX_LINE_BYTES = 1 << 20; // longer lines are reported 'line too long'
const REPORT_CHARS = 300; // text kept in UnparsedLine
const COMM_BYTES = 15; // a COMM is at most 15 bytes (the kernel's TASK_COMM_LEN 16, with its NUL)
const USERS_NOT_CLOSED = 'users:(( group not closed: the socket is kept, without the process entry left open';
// why a unix row read by the column of its table's ports (SsParser.portCol) is not read so, or reported
const UNIX_NOT_AT_COLUMN = 'unix address without INODE PEER INODE where the column of the ports is';
const UNIX_NAME_UNDECIDED = 'unix socket name with newlines and bytes that are not UTF-8: the line its row ends on cannot be told';
/** A unix name is at most 108 bytes (sun_path; ss shows an abstract name's NULs as `@`). */
const UNIX_NAME_BYTES = 108;
/**
 * The address text of a unix row without NAME INODE PEER INODE on its line that is held while later lines may
 * complete it (names with newlines): two names, two inodes and the padding between them.
 */
const UNIX_HELD_BYTES = 512;
/** netstat's table headers (`netstat -tuanp`, `netstat -xa`), which no ss prints. */
const NETSTAT_HEADER = /^\s*Proto\s+(Recv-Q\s+Send-Q\s+Local\s+Address\s+Foreign\s+Address|RefCnt\s+Flags\s+Type\s+State\s+I-Node)/;
/** The first line of a socklint capture (capture.ts writes `# socklint-snapshot: 1`), as metadata is read. */
const CAPTURE_MARK = /^#\s*socklint-snapshot:/;
/** Tables whose ports are IP ports (a name there is a service name, or a raw socket's protocol). */
const INET_NETIDS: ReadonlySet<string> = new Set(['tcp', 'udp', 'raw', 'sctp', 'dccp', 'mptcp']);
/** Unknown service names ParseStats.unknownPortNames keeps (each snapshot's; the count of ports is whole). */
const UNKNOWN_PORT_NAMES = 100;
export const MAX_PENDING = 10000; // rows held while the table (Netid) of a Netid-less section is undecided
/**
 * Rows of stream-only states held for a sign of mptcp or sctp (MPTCP info, an SCTP association row) before
 * they are settled tcp: few, so that a Netid-less tcp capture soon streams again (thin rows, split scans).
 */
const MAX_STREAM_HELD = 64;
/** Lines streamAhead reads at most (the rows of other states between the stream-only ones included). */
const MAX_AHEAD_LINES = 4096;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

function cut(text: string): string {
  return text.length > REPORT_CHARS ? text.slice(0, REPORT_CHARS) + '…' : text;
}

/**
 * The bytes s[from..to) took in the input, at least: its UTF-8 length, but each U+FFFD counted as one byte (the
 * decoder makes one of each invalid sequence, which may have been a single byte).
 */
function inputBytes(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += charBytes(s.charCodeAt(i));
  return n;
}

/** The UTF-8 bytes of UTF-16 code unit c (a surrogate: half of its pair's 4), U+FFFD counted as one. */
function charBytes(c: number): number {
  return c < 0x80 || c === 0xfffd ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
}

/**
 * The index of line s (whose UTF-8 took `total` bytes) at which its first `q` bytes end: -1 when that is inside a
 * character or past the line, NaN when it cannot be told (a U+FFFD, which the decoder makes of one to three bytes,
 * both before and after it).
 */
function indexAtByte(s: string, total: number, q: number): number {
  if (q < 0 || q > total) return -1;
  if (total === s.length) return q; // a byte a character
  let b = 0;
  let i = 0;
  for (; b < q; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfffd) break;
    b += charBytes(c);
  }
  if (b >= q) return b === q ? i : -1;
  // counted from the end of the line
  let a = total;
  let e = s.length;
  while (a > q) {
    const c = s.charCodeAt(--e);
    if (c === 0xfffd) return NaN;
    a -= charBytes(c);
  }
  return a === q ? e : -1;
}

/**
 * Where the COMM ends in the rest of a process entry, s[0..close) (close: the entry's `)`), as parseUsers
 * (fields.ts) reads an entry: at the last `",pid=`, or in the ≤3.13 form `"COMM",PID,FD` at the last `",`;
 * -1 when the entry holds neither.
 */
function commEnd(s: string, close: number): number {
  const e = s.lastIndexOf('",pid=', close - 6);
  if (e >= 0) return e;
  return /",-?\d+,/.test(s.slice(0, close)) ? s.lastIndexOf('",', close - 2) : -1;
}

/** `users:((` anchors of a unix row tried for its process column, and NAME tokens read (longer rows are given up). */
const MAX_UNIX_ANCHORS = 16;
const MAX_UNIX_NAME_TOKENS = 4096;

/**
 * Where the `users:((…))` group at s[at] ends if it is one ss -p prints — closed by `))`, each entry
 * `("COMM",…)` with a COMM of at most 15 bytes — as parseUsers (fields.ts) reads it; -2 when s[..n) ends inside
 * it (a COMM with a newline), its entries that far being such; -1 when it is not one (text a unix name holds).
 */
function processColumnEnd(s: string, at: number, n: number): number {
  const end = parseUsers(s, at, false).end;
  const to = end < 0 ? n : end;
  if (end >= 0 && (end > n || s.charCodeAt(end - 2) !== 41 /* ) */ || (end < n && !isWs(s.charCodeAt(end))))) return -1;
  let i = at + 7; // after `users:(`
  while (i < to && s.charCodeAt(i) === 40 /* ( */) {
    if (s.charCodeAt(i + 1) !== 34 /* " */) return -1;
    const close = s.indexOf(')', i + 1);
    if (close < 0 || close >= to) break; // the entry the row ends in
    const entry = s.slice(i + 1, close);
    const c = commEnd(entry, entry.length);
    if (c < 1 || inputBytes(entry, 1, c) > COMM_BYTES) return -1;
    i = close + 1;
    while (s.charCodeAt(i) === 44 /* , */) i++;
  }
  return end < 0 ? -2 : end;
}

// ───────────────────────────── flags ─────────────────────────────

export interface FlagInfo {
  letters: Set<string>;
  /** The socket tables the flags name: netids, `*GROUP` for several (`*unix`, `*inet`, `*all`…); empty: none named. */
  tables: ReadonlySet<string>;
  /** The state filter's words in order (`state NAME` / `exclude NAME`, lowercased). */
  stateWords: { exclude: boolean; name: string }[];
  /** The single socket table the flags select, if exactly one. */
  table?: string;
  /** The single state a `state X` filter selects. */
  state?: string;
  raw: string;
  /** netidInferred of rows whose table the flags settle (built once). */
  tableReason?: string;
  /** stateInferred of rows whose state the flags settle (built once). */
  stateReason?: string;
}

const LONG_FLAGS: Record<string, string> = {
  '--tcp': 't', '--udp': 'u', '--raw': 'w', '--unix': 'x', '--sctp': 'S', '--mptcp': 'M', '--dccp': 'd',
  '--packet': '0', '--processes': 'p', '--info': 'i', '--memory': 'm', '--extended': 'e', '--options': 'o',
  '--all': 'a', '--listening': 'l', '--numeric': 'n', '--no-header': 'H', '--oneline': 'O', '--context': 'Z',
  '--contexts': 'z', '--threads': 'T', '--events': 'E',
};
/**
 * `-A` names → the table, or `*GROUP` for several (`-A packet_raw` / `packet_dgram` list every packet socket,
 * ss 6.1 does not filter them by type).
 */
const QUERY_TABLES: Record<string, string> = {
  tcp: 'tcp', udp: 'udp', raw: 'raw', sctp: 'sctp', mptcp: 'mptcp', dccp: 'dccp', netlink: 'nl',
  unix_stream: 'u_str', unix_dgram: 'u_dgr', unix_seqpacket: 'u_seq', packet_raw: '*packet', packet_dgram: '*packet',
  // (ss.c filter_db_parse: each table's netid is a name of it too; `-A vsock` lists both vsock tables)
  u_str: 'u_str', u_dgr: 'u_dgr', u_seq: 'u_seq', p_raw: '*packet', p_dgr: '*packet',
  vsock_stream: 'v_str', v_str: 'v_str', vsock_dgram: 'v_dgr', v_dgr: 'v_dgr',
};
const TABLE_LETTERS: Record<string, string> = { t: 'tcp', u: 'udp', w: 'raw', S: 'sctp', M: 'mptcp', d: 'dccp', x: '*unix' };
/** Short options that take an argument (`-A udp`, `-Audp`), and their long names. */
const ARG_OPTIONS: Record<string, string> = { A: '--query', f: '--family', D: '--diag', F: '--filter', N: '--net' };
const ARG_LONG = new Set(Object.values(ARG_OPTIONS));
/** Long options that name a family as `-f NAME` does. */
const LONG_FAMILIES: Record<string, string> = { '--tipc': 'tipc', '--vsock': 'vsock', '--xdp': 'xdp' };
/** `-f` names (and -4, -6, -0) → what ss lists of that family when no table named is one of its. */
const FAMILY_GROUPS: Record<string, string> = {
  inet: '*inet', inet6: '*inet', unix: '*unix', link: '*packet', packet: '*packet', netlink: 'nl', vsock: '*vsock', tipc: '*tipc',
  xdp: '*xdp',
};
const LETTER_FAMILIES: Record<string, string> = { 4: 'inet', 6: 'inet6', 0: 'packet' };

/** The family group (FAMILY_GROUPS value) a table or group belongs to; undefined: every family (`*all`). */
function familyOf(t: string): string | undefined {
  if (t === '*all') return undefined;
  if (t.startsWith('u_')) return '*unix';
  if (t.startsWith('p_')) return '*packet';
  if (t.startsWith('v_') || t.startsWith('*vsock')) return '*vsock';
  if (t.startsWith('*') || t === 'nl' || t === 'xdp') return t;
  return '*inet';
}

export function parseFlags(raw: string): FlagInfo {
  const letters = new Set<string>();
  const tables = new Set<string>();
  const families = new Set<string>();
  const states: string[] = [];
  const stateWords: FlagInfo['stateWords'] = [];
  const words = raw.trim().split(/\s+/);
  // an option's argument: `--query=udp`, `-Audp`, or the next word
  const option = (name: string, arg: string): void => {
    for (const t of arg.split(',')) {
      if (!t) continue;
      if (name === '--query') tables.add(QUERY_TABLES[t] ?? '*' + t); // multi-table ones (unix, inet, packet…)
      else if (name === '--family') families.add(t);
    }
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      if (ARG_LONG.has(name)) option(name, eq < 0 ? words[++i] ?? '' : w.slice(eq + 1));
      if (LONG_FAMILIES[name] !== undefined) families.add(LONG_FAMILIES[name]);
      const l = LONG_FLAGS[name];
      if (l) letters.add(l);
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let c = 1; c < w.length; c++) {
        const ch = w[c];
        const name = ARG_OPTIONS[ch];
        if (name !== undefined) {
          option(name, c + 1 < w.length ? w.slice(c + 1) : words[++i] ?? '');
          break;
        }
        letters.add(ch);
      }
      continue;
    }
    if ((w === 'state' || w === 'exclude' || w === 'excl') && i + 1 < words.length) {
      if (w === 'state') states.push(words[i + 1].toLowerCase());
      else states.push('*');
      stateWords.push({ exclude: w !== 'state', name: words[i + 1].toLowerCase() });
      i++;
    }
  }
  for (const l of letters) {
    if (TABLE_LETTERS[l]) tables.add(TABLE_LETTERS[l]);
    if (LETTER_FAMILIES[l]) families.add(LETTER_FAMILIES[l]);
  }
  // a family adds its tables only when none named is one of them (ss: `-t -f inet` lists tcp only, `-t -f unix` both)
  const named = [...tables];
  for (const f of families) {
    const group = FAMILY_GROUPS[f] ?? '*' + f;
    if (!named.some((t) => familyOf(t) === undefined || familyOf(t) === group)) tables.add(group);
  }
  const info: FlagInfo = { letters, tables, stateWords, raw };
  if (tables.size === 1) {
    const t = [...tables][0];
    if (!t.startsWith('*')) info.table = t;
  }
  if (states.length === 1 && STATE_FILTERS[states[0]]) info.state = STATE_FILTERS[states[0]];
  return info;
}

// ───────────────────────────── parser ─────────────────────────────

/** The columns the last table header announced. */
export interface Layout {
  netid: boolean;
  state: boolean;
  queues: boolean;
  process: boolean;
}

type Ev =
  /** held: a Netid-less row that waits for its section's decision (Strength.WEAK or STREAM), else NA. */
  | { k: 0; rec: SocketRecord; held: Strength }
  | { k: 1; u: UnparsedLine }
  | { k: 2; line: number; text: string }
  | { k: 3; s: SsSummary };

/** The table of a Netid-less section, settled by one of its rows. */
export interface Decision {
  netid: string;
  line: number;
  reason: string;
  /** netidInferred of the rows it settles (one string for all of them). */
  sameTable: string;
}

export class SsParser {
  private readonly opts: ParserOptions;
  private readonly sink: ParseSink;
  private readonly services: ServiceTable;
  private flags?: FlagInfo;

  // line assembly
  private parts: Buffer[] = [];
  private partLen = 0;
  private overlong = false;
  private lineNo = 0;
  private ended = false;

  // record state
  private cur?: SocketRecord;
  /**
   * A row that ended inside a COMM (`users:((`), waiting for the rest; comm: the COMM's bytes so far, newlines
   * counted; sure: a unix row read where portCol put its INODE (at: that index). Or (lines set) a unix row whose
   * address the physical lines so far (text: them joined; bytes, crs: each one's UTF-8 bytes and whether a CR was
   * taken off its end) do not complete, a name with newlines perhaps — with port set, one whose INODE has not
   * reached that column yet (held: the bytes of its lines so far, each newline counted). Or (glued set) a line that
   * ends in an ss error message (stderr) written into it, its text before the message and that text's UTF-8 bytes,
   * waiting for the rest of the line (stderrGlued). Or (probe set) the lines from a unix row on, held until rows
   * after them tell the column of the table's ports (probeColumn).
   */
  private join?: {
    text: string; line: number; comm: number; sure?: boolean; at?: number;
    lines?: string[]; bytes?: number[]; crs?: boolean[]; port?: number; held?: number; glued?: Glued; probe?: Probe;
  };
  /** Whether the table being read has held its lines for its column once (probeColumn): a table does so once. */
  private probed = false;
  private layout?: Layout;
  private inTop = true; // still in the leading `#` metadata block
  private summary?: SsSummary;
  private summaryRows = false;
  /** Whether `summary` has had its Total line. */
  private summaryTotal = false;

  // Netid inference for Netid-less sections
  private decision?: Decision;
  private queue: Ev[] = [];

  private readonly stats: ParseStats = {
    lines: 0,
    sockets: 0,
    unparsed: 0,
    lineNotes: 0,
    fields: new Set(),
    headerFields: [],
    undecided: {},
    unknownPorts: {},
    unknownPortNames: {},
    captures: [],
    meta: {},
    kinds: { socket: 0, continuation: 0, joined: 0, header: 0, comment: 0, summary: 0, blank: 0, unparsed: 0 },
  };
  /** Table headers read (ParseStats.repeated). */
  private tables = 0;
  /** Rows of the current Netid-less section that went out undecided, held past MAX_PENDING (ParseStats.lateDecision). */
  private releasedWeak = 0;
  /** Rows of the current table so far, up to REMEMBERED_ROWS. */
  private tableRows = 0;
  /** The first rows of each table, by socketKey: the table and line of their first listing. */
  private firstRows?: Map<string, { table: number; line: number }>;
  /** In a byte range, its first rows before any header (ParseStats.startRows), while fewer than REMEMBERED_ROWS. */
  private startRows?: [string, number][];
  private seen = 0;
  /** `seen` as ParseSink.fields was last told it. */
  private seenTold = 0;
  /** Address class of `cur` when its Netid column was absent (netid decided in finishRecord), else -1. */
  private curCls = -1;
  /** Line of an SCTP association row that followed `cur` (0: none). */
  private curSctp = 0;
  /** An MPTCP info item of `cur` when its Netid column was absent (mptcpItem), or UDP_EVENT. */
  private curMptcp: string | undefined;
  /** Rows of the queue held as Strength.STREAM. */
  private streamHeld = 0;
  /** Set by parseRow for a Netid-less inet row: an MPTCP info item of its line, or UDP_EVENT (a Send-Q of -1). */
  private rowMptcp: string | undefined;
  /** Set by parseRow for a Netid-less row. */
  private rowCls = -1;
  /** Set by parseRow for a row it made a record of: whether it is a unix row, and where its extension text starts. */
  private rowUnix = false;
  private rowExt = 0;
  /** Set by parseRow with rowExt: the length of the row's text from its extension text on (its trailing blanks off). */
  private rowExtTail = 0;
  /**
   * The input's last line when no newline ended it and its text ends in a token that may be cut short (mayBeCut),
   * else 0: a file cut mid-line (`ss … | head -c N`, a disk that filled) ends so (cutRow).
   */
  private cutLine = 0;
  /**
   * The text (its physical lines joined) and first line of `cur` when it is a unix row read in full that the next
   * line may go on (afterUnix: a name with a newline whose first line reads as a whole row), RANGE_START at the
   * start of a byte range (a seeded parser: the row before it is not known), else undefined.
   */
  private curUnixText: string | undefined;
  private curUnixLine = 0;
  /**
   * The byte column where every row of the table being read has its local port — a unix socket's INODE. ss ≥ 4.15
   * prints each column as wide as its widest entry (or spread over a terminal's width), the addresses right-aligned,
   * so the column is where `Port` starts in the header and where the row before had its local port (a row of one
   * line; ss ≥ 4.20 may widen the columns every ~5 MiB of output). A unix name is printed raw, newlines and all, and
   * padded as a whole: a unix row whose first line ends before the column has a name that goes on, and ends on the
   * line where its INODE reaches the column, every byte of the name counted (heldName) — no line of such a name,
   * whatever it looks like, is read as a row. PORT_UNKNOWN where no header or row told it, and after a unix row
   * read without it (tryNameJoin, afterUnix); PORT_RANGE_START at the start of a byte range.
   */
  private portCol = PORT_UNKNOWN;
  /**
   * The byte column of the peer ports as portCol is of the local ones (a unix socket's PEERINODE, after its peer's
   * name `*`): where a unix row read by portCol must have its PEERINODE too, when known.
   */
  private peerCol = PORT_UNKNOWN;
  /** The UTF-8 bytes of the physical line being read (its CR and BOM taken off), and whether a CR was. */
  private lineBytes = 0;
  private lineCr = false;
  /**
   * Whether lines end in CR LF (a capture saved through a terminal): as the first line or the last header does. Else
   * a CR at the end of a line is a unix name's, and counts as one of its bytes (heldName).
   */
  private crlf = false;
  /** Set by parseRow for a unix row it read: where its INODE and PEERINODE start in the text it was given. */
  private rowInodeAt = -1;
  private rowPeerInodeAt = -1;
  /** Set by parseRow for a row of another table it read: where its local and peer ports start (-1: unknown). */
  private rowPort = -1;
  private rowPeerPort = -1;
  /** Set by inetEndpoint: where the port of the endpoint it read last starts. */
  private endpointPort = -1;
  /** Set by parseRow for a row whose `users:((` group does not close; rowComm: the bytes of its JOIN's COMM so far. */
  private rowTruncated = false;
  private rowComm = 0;
  /** Set by parseRow for a row with items that do not read (SEEN_BAD): why. */
  private rowBad: string | undefined;
  /** An exception thrown by the sink, passed through untouched. */
  private sinkError: unknown = NO_SINK_ERROR;
  private readonly lazyArg = { want: ALL_WANTED, known: 0 };
  /** Extension text of the row parseRow made last / of `cur`, when parsed lazily: [text, from, to, …]. */
  private segs: (string | number)[] = [];
  private rowLazy = false;
  private rowSkipped = false;
  private curLazy = false;
  private curSkipped = false;
  /**
   * Per state: null when rows must be parsed in full, else the keys thinRow searches a row's extension text
   * for; `keys` null when extension text cannot be searched (rows with it are then parsed in full); `users`
   * when the processes are read, `row` when the endpoints are (both are then made at once).
   */
  private readonly thinStates = new Map<string, { keys: KeyTable | null; users: boolean; row: boolean; ports: boolean } | null>();
  /** What thinRow finds in extension text (one object, reused). */
  private readonly thinFound = newThinItems();
  /** The ThinRow `cur` was read as (its bytes are copied before write() returns), else undefined. */
  private curThin: ThinRow | undefined;
  /** What thinRow reads of a row's tail (one object, reused). */
  private readonly thinTail = newThinTail();
  /** The chunk thinRow reads as float64 words (trimSpaces). */
  private readonly words = newSpaceWords();
  /**
   * The chunk write() is reading and where the line it reads starts in it (-1: the line is not whole in it, or
   * write() is not reading): what streamAhead looks at.
   */
  private lineChunk: Buffer | undefined;
  private lineAt = -1;
  /** The number of that line. */
  private lineAtNo = 0;
  /** What streamAhead reads of a row's tail (its own: thinRow's may be in use). */
  private readonly aheadTail = newThinTail();

  constructor(opts: ParserOptions, sink: ParseSink) {
    this.opts = opts;
    this.sink = sink;
    this.services = opts.services ?? defaultServices();
    if (opts.flags) this.flags = parseFlags(opts.flags);
    const seed = opts.seed;
    if (seed) {
      this.lineNo = seed.lineNo;
      if (seed.layout) this.layout = { ...seed.layout };
      this.flags = seed.flags !== undefined ? parseFlags(seed.flags) : undefined;
      if (seed.decision) this.decision = { ...seed.decision };
      this.inTop = false;
      Object.assign(this.stats.meta, seed.meta);
      this.curUnixText = RANGE_START;
      this.portCol = PORT_RANGE_START;
      this.peerCol = PORT_UNKNOWN;
      this.crlf = seed.crlf === true;
      this.tables = seed.tables ?? 0;
      // a range starts deep in its table: the rows compared are those of the tables it finds, and its first rows
      // before any header are kept apart (startRows) for the merge, which knows how many rows of that table came before
      this.tableRows = REMEMBERED_ROWS;
      this.startRows = [];
    }
  }

  /**
   * Ends the current record and returns the state the next line would be parsed with, or undefined when
   * that state is not a clean record boundary (a joined line, an `ss -s` summary or undecided Netid-less
   * rows still pending, or still in the leading metadata). Call between lines, before end().
   */
  checkpoint(): ParserSeed | undefined {
    if (this.ended || this.partLen > 0 || this.overlong || this.join || this.inTop) return undefined;
    try {
      this.flushRecord();
    } catch (e) {
      if (e === this.sinkError) throw e;
      this.internalError(e);
    }
    if (this.queue.length > 0 || this.summary) return undefined;
    const d = this.decision;
    return {
      lineNo: this.lineNo,
      ...(this.layout ? { layout: { ...this.layout } } : {}),
      ...(this.flags ? { flags: this.flags.raw } : {}),
      ...(d ? { decision: { netid: d.netid, line: d.line, reason: d.reason, sameTable: d.sameTable } } : {}),
      meta: { ...this.stats.meta },
      ...(this.crlf ? { crlf: true } : {}),
      port: this.portCol,
      peer: this.peerCol,
      ...(this.tables > 0 ? { tables: this.tables } : {}),
      ...(this.tableRows < REMEMBERED_ROWS ? { rows: this.tableRows } : {}),
    };
  }

  write(chunk: Buffer | string): void {
    if (this.ended) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    const n = buf.length;
    if (this.lineNo === 0 && this.partLen === 0) {
      // (the first line may be a thin row, which onLine does not see)
      const nl = buf.indexOf(10);
      if (nl > 0) this.crlf = buf[nl - 1] === 13;
    }
    this.lineChunk = buf;
    while (start <= n) {
      let nl = buf.indexOf(10, start);
      if (nl < 0) {
        if (start < n) this.appendPart(buf, start, n);
        break;
      }
      try {
        if (this.partLen > 0 || this.overlong || nl - start > MAX_LINE_BYTES) {
          this.lineAt = -1;
          this.appendPart(buf, start, nl);
          this.takeLine();
        } else if (nl === start && this.join === undefined && this.summary === undefined && this.lineNo > 0) {
          // a run of empty lines (not in a name a unix row holds, nor in an ss -s summary, whose lines they are):
          // counted at once, as lineOf counts each (a gzip of two billion newlines took nine minutes line by line)
          let last = nl;
          while (last + 1 < n && buf[last + 1] === 10) last++;
          const k = last - start + 1;
          this.lineNo += k;
          this.stats.lines += k;
          this.stats.kinds.blank += k;
          this.lineCr = false;
          this.lineBytes = 0;
          nl = last;
        } else {
          this.lineAt = start;
          this.lineAtNo = this.lineNo + 1;
          const thin = this.thinRow(buf, start, nl);
          if (thin < 0) this.onLine((buf as unknown as Utf8Sliceable).utf8Slice(start, nl), false, nl - start);
          else nl = thin;
        }
      } catch (e) {
        if (e === this.sinkError) throw e; // the consumer's own exception: not ours to hide
        this.internalError(e);
      }
      start = nl + 1;
    }
    this.lineChunk = undefined;
    this.lineAt = -1;
    const t = this.curThin;
    // the record is still open: keep its row (and continuation line), not the caller's buffer
    if (t !== undefined && t[0] === buf) ownThinRow(t);
  }

  /**
   * A plain inet row — `[tcp|udp] STATE RECVQ SENDQ ADDR:PORT ADDR:PORT [users:(("comm",pid=N,fd=N),…)] [EXT]`,
   * single spaces or padding, ASCII, numeric or named ports — of a table with State and queue columns (or of
   * output without a header, `ss -H`, where the full parse reads the tokens of such a row the same way), in a
   * state whose rules (the sink's extensionWants) can be told what they read: made into a record straight
   * from the bytes, without its addresses and processes unless a rule reads them (or a port is named), which
   * completeExtensions adds from the bytes kept (a consumer completes a record it keeps before socket()
   * returns, as the evaluator does, or gives it its own bytes first: keepOwnBytes).
   * Extension text — EXT, and a TAB continuation line (`-i -m` items) that follows in the same chunk — is
   * searched for the items the rules read (thinItems), as a lazy pass would search it (searchRest in
   * fields.ts); its row then is kept with its continuation line.
   * Returns the end of the last line used (the row's, or its continuation line's), or -1 for anything else
   * (and for the last row of a chunk, or one more than one continuation line follows): left to the full
   * parse, with nothing changed but perhaps the record before ended (which the full parse of the row does
   * first). The record is the full parse's in every field a rule reads.
   */
  private thinRow(b: Buffer, start: number, nl: number): number {
    const l = this.layout;
    if (
      (l !== undefined && (!l.state || !l.queues)) || this.summary !== undefined || this.join !== undefined ||
      this.curUnixText !== undefined || this.queue.length !== 0 || this.sink.extensionWants === undefined || nl + 1 >= b.length
    ) return -1;
    let netid: string | undefined;
    if (b[start + 3] === 32 && b[start] === 116 && b[start + 1] === 99 && b[start + 2] === 112) netid = 'tcp';
    else if (b[start + 3] === 32 && b[start] === 117 && b[start + 1] === 100 && b[start + 2] === 112) netid = 'udp';
    // a Netid column must hold tcp or udp; without a header, a row without one starts with its state
    else if (l?.netid) return -1;
    const words = spaceWordsOf(this.words, b);
    const end = lineTextEnd(b, start, nl, words);
    const p = stateStart(b, start, end, netid !== undefined);
    const e = tokenEnd(b, p, end);
    const state = stateOf(b, p, e);
    if (state === undefined) return -1;
    let thin = this.thinStates.get(state);
    if (thin === undefined) {
      const w = this.sink.extensionWants(state);
      if (w === undefined) return -1;
      thin = w !== ALL_WANTED ? { keys: keysOf(w), users: w.users, row: w.row, ports: w.ports } : null;
      this.thinStates.set(state, thin);
    }
    if (thin === null || this.noSendQ(state)) return -1;
    const tail = this.thinTail;
    if (!readThinTail(b, e, end, tail, thin.users) || mayEndInStderr(b, start, end)) return -1;

    // a continuation line: the whole of it in this chunk, and no second one after it
    let last = nl;
    let contStart = -1;
    let contEnd = -1;
    if (b[nl + 1] === 9 /* TAB */) {
      contStart = nl + 2;
      last = b.indexOf(10, nl + 1);
      if (last < 0 || last + 1 >= b.length || last - contStart > MAX_LINE_BYTES) return -1;
      contEnd = lineTextEnd(b, contStart, last, words);
      if (mayEndInStderr(b, contStart, contEnd)) return -1;
    }
    const next = b[last + 1];
    if (next === 9 || next === 32) return -1; // (another) continuation line follows
    const detailed = contStart >= 0 || tail.extStart >= 0;
    const found = this.thinFound;
    let rowItems = 0;
    let rowChecks = 0;
    if (detailed) {
      // extension text: found items are read below; skipped ones must belong to groups the snapshot has shown
      const keys = thin.keys;
      if (keys === null) return -1;
      found.n = 0;
      found.needs = 0;
      found.m = 0;
      if (tail.extStart >= 0 && !thinItems(b, tail.extStart, end, keys, found)) return -1;
      rowItems = found.n;
      rowChecks = found.m;
      if (contStart >= 0 && !thinItems(b, contStart, contEnd, keys, found)) return -1;
    }

    // The record before ends here, as the full parse would end it first (mainLine). Then this one must not
    // wait in the queue (it is emitted while `b` is valid): no rows wait, and its table is known, decided or
    // given by the capture flags (`# flags: -tanp`).
    this.flushRecord();
    if (this.queue.length !== 0 || (netid === undefined && !this.netidlessThin())) return -1;

    // The endpoints are read now when a rule reads them, or a port is a service name (ss without -n), by the
    // full parse's own reading of the two tokens (the parser's service table, the Netid column's protocol,
    // tcp without one); their port numbers alone when the rules read no more of them; else on completion, from
    // the bytes (thinEndpoint).
    let local = EMPTY_EP;
    let peer = EMPTY_EP;
    let flags = netid === undefined ? 0 : THIN_NETID;
    if (thin.ports && !thin.row && !tail.named) {
      local = thinPortEndpoint(b, tail.localStart, tail.localEnd);
      peer = thinPortEndpoint(b, tail.peerStart, tail.peerEnd);
      flags |= THIN_PORTS_ONLY;
    } else if (tail.named || thin.row) {
      const text = latin1(b, tail.localStart, tail.peerEnd);
      const proto = netid === 'udp' ? 'udp' : 'tcp';
      const raw = this.rawPort(netid);
      const l = this.inetEndpoint(text, 0, tail.localEnd - tail.localStart, proto, raw);
      const r = this.inetEndpoint(text, tail.peerStart - tail.localStart, text.length, proto, raw);
      if (l === undefined || r === undefined || typeof l === 'string' || typeof r === 'string') return -1;
      local = l;
      peer = r;
    }

    const t: ThinRow = detailed ? [b, start, end, flags, contStart, contEnd] : [b, start, end, flags];
    const lineNo = this.lineNo + 1;
    const location = { file: this.opts.file, line: lineNo };
    // made in its final shape: a Netid-less row always gets netidInferred (finishRecord), and the deferral
    const { recvQ, sendQ } = tail;
    const rec: SocketRecord = netid === undefined
      ? { netid: 'unknown', local, peer, location, state, recvQ, sendQ, netidInferred: undefined, [DEFERRED_EXTENSIONS]: t } as SocketRecord
      : { netid, local, peer, location, state, recvQ, sendQ, [DEFERRED_EXTENSIONS]: t } as SocketRecord;
    let seen = 0;
    if (tail.usersStart >= 0) {
      seen = SEEN_PROCESSES;
      // a plain users:(…) block (readThinTail), read as the full parse reads it
      if (thin.users) {
        const processes = thinProcesses(b, tail);
        if (processes.length > 0) rec.processes = processes;
      }
    }
    if (detailed) {
      // the found items, as a lazy pass reads them (each line's as one extension text), and the unread ones
      // that must be checked to read (a lazy pass reads one that does not, to report it: the full parse's)
      this.thinSeen = 0;
      if (!this.thinLine(rec, b, 0, rowItems, 0, rowChecks) || !this.thinLine(rec, b, rowItems, found.n, rowChecks, found.m)) return -1;
      seen |= this.thinSeen;
      // skipped items: of groups shown before (or by the found ones), and TCP info only beside a tcp object
      // (the full parse would make one of it)
      const needs = (found.needs & NEEDS_EXTENDED ? SEEN_EXTENDED : 0) | (found.needs & NEEDS_SKMEM ? SEEN_SKMEM : 0) |
        (found.needs & NEEDS_TCP ? SEEN_TCPINFO : 0);
      if (((this.seen | seen) & needs) !== needs || (found.needs & NEEDS_TCP && rec.tcp === undefined)) return -1;
    }

    // the rows are the full parse's plain socket row and continuation line (onLine → mainLine → parseRow, extend)
    this.lineNo = contStart >= 0 ? lineNo + 1 : lineNo;
    this.stats.lines += contStart >= 0 ? 2 : 1;
    if (contStart >= 0) this.stats.kinds.continuation++;
    this.inTop = false;
    this.stats.kinds.socket++;
    this.seen |= seen;
    this.cur = rec;
    this.curThin = t;
    this.curLazy = false;
    this.curSkipped = false;
    this.curCls = netid === undefined ? Cls.INET : -1;
    this.curSctp = 0;
    this.curMptcp = undefined;
    return last;
  }

  /** SEEN_* bits of the items thinLine read. */
  private thinSeen = 0;

  /**
   * The found items [i0, i1) of one line of a thin row read into `rec` (their SEEN_* bits ORed into thinSeen),
   * and its items to check [c0, c1) checked; false when one does not read (the row is then the full parse's,
   * which reports it).
   */
  private thinLine(rec: SocketRecord, b: Buffer, i0: number, i1: number, c0: number, c1: number): boolean {
    if (i1 === i0 && c1 === c0) return true;
    const f = this.thinFound.found;
    const k = this.thinFound.check;
    // one text for both lists (text order each): from the first of them to the last
    const from = i1 === i0 ? k[2 * c0] : c1 === c0 ? f[2 * i0] : Math.min(f[2 * i0], k[2 * c0]);
    const to = i1 === i0 ? k[2 * c1 - 1] : c1 === c0 ? f[2 * i1 - 1] : Math.max(f[2 * i1 - 1], k[2 * c1 - 1]);
    const text = latin1(b, from, to);
    if (c1 > c0 && !checkThinItems(text, from, k, c0, c1)) return false;
    if (i1 > i0) {
      const bits = readThinItems(rec, text, from, f, i0, i1);
      if (bits & SEEN_BAD) return false;
      this.thinSeen |= bits;
    }
    return true;
  }

  end(): ParseStats {
    if (!this.ended) {
      try {
        if (this.partLen > 0 || this.overlong) this.takeLine(true);
        while (this.join) this.flushJoin();
        this.flushRecord();
        this.endSummary();
        this.flushQueue();
      } catch (e) {
        if (e === this.sinkError) throw e;
        this.internalError(e);
      }
      this.ended = true;
      this.finishFields();
      this.endStartRows();
      if (this.firstRows !== undefined && this.stats.kinds.header > 0) {
        this.stats.firstRows = [...this.firstRows].map(([key, { table, line }]) => [key, table, line]);
      }
    }
    return this.stats;
  }

  // ── line assembly ──

  private appendPart(buf: Buffer, from: number, to: number): void {
    if (this.overlong) {
      this.partLen += to - from;
      return;
    }
    if (this.partLen + (to - from) > MAX_LINE_BYTES) {
      const keep = Math.max(0, REPORT_CHARS * 4 - this.partLen);
      if (keep > 0) this.parts.push(Buffer.from(buf.subarray(from, Math.min(to, from + keep))));
      this.overlong = true;
      this.partLen += to - from;
      return;
    }
    // copy: the caller may reuse its buffer
    this.parts.push(Buffer.from(buf.subarray(from, to)));
    this.partLen += to - from;
  }

  /** The line held in parts read; last: the input's last line, which no newline ended (end()). */
  private takeLine(last = false): void {
    const text = Buffer.concat(this.parts).toString('utf8');
    const overlong = this.overlong;
    const bytes = this.partLen;
    this.parts = [];
    this.partLen = 0;
    this.overlong = false;
    if (last && !overlong && mayBeCut(text)) this.cutLine = this.lineNo + 1;
    this.onLine(text, overlong, bytes);
  }

  private internalError(e: unknown): void {
    // A parser bug must not take the run down: report it against the current line.
    this.cur = undefined;
    this.curThin = undefined;
    this.curUnixText = undefined;
    this.curCls = -1;
    this.curLazy = false;
    this.join = undefined;
    this.unparsed(this.lineNo, '', `internal parser error: ${e instanceof Error ? e.message : String(e)}`, false);
  }

  // ── output ──

  private deliver(ev: Ev): void {
    if (this.queue.length > 0 || (ev.k === 0 && ev.held !== Strength.NA)) {
      this.queue.push(ev);
      if (this.queue.length >= MAX_PENDING) this.flushQueue();
      return;
    }
    this.emit(ev);
  }

  private emit(ev: Ev): void {
    try {
      this.emitTo(ev);
    } catch (e) {
      this.sinkError = e;
      throw e;
    }
  }

  /** emit({k: 0, rec}) without making the event (finishRecord's common case). */
  private emitSocket(rec: SocketRecord): void {
    try {
      this.stats.sockets++;
      if (this.seen !== this.seenTold && this.sink.fields) this.tellFields();
      if (rec.netid === 'unknown') this.countUndecided(rec);
      if ((rec.local.port === null && rec.local.portName !== undefined) || (rec.peer.port === null && rec.peer.portName !== undefined)) {
        this.countUnknownPorts(rec);
      }
      if (this.tableRows < REMEMBERED_ROWS) this.rememberRow(rec);
      else if (this.startRows !== undefined) this.rememberStartRow(rec);
      this.sink.socket(rec);
    } catch (e) {
      this.sinkError = e;
      throw e;
    }
  }

  /** ParseStats.startRows: a first row of a byte range before any header. */
  private rememberStartRow(rec: SocketRecord): void {
    const rows = this.startRows!;
    rows.push([socketKey(rec), rec.location.line]);
    if (rows.length >= REMEMBERED_ROWS) this.endStartRows();
  }

  /** No more startRows (enough of them, or a header). */
  private endStartRows(): void {
    if (this.startRows !== undefined && this.startRows.length > 0) this.stats.startRows = this.startRows;
    this.startRows = undefined;
  }

  /** ParseStats.repeated: one of the first rows of a table, compared with those of the tables before it. */
  private rememberRow(rec: SocketRecord): void {
    this.tableRows++;
    if (this.stats.repeated !== undefined || this.stats.firstRowsFull !== undefined) return;
    const key = socketKey(rec);
    const rows = (this.firstRows ??= new Map());
    const known = rows.get(key);
    // (the same key twice in one table is two sockets: SO_REUSEPORT listeners, unconnected udp sockets)
    if (known !== undefined) {
      if (known.table !== this.tables) this.stats.repeated = { line: rec.location.line, first: known.line };
    } else if (rows.size < REMEMBERED_MAX) {
      rows.set(key, { table: this.tables, line: rec.location.line });
    } else {
      this.stats.firstRowsFull = [key, this.tables, rec.location.line]; // (hundreds of tables: the first ones)
    }
  }

  private tellFields(): void {
    this.seenTold = this.seen;
    this.sink.fields!(seenGroups(this.seen, new Set()));
  }

  private countUndecided(rec: SocketRecord): void {
    const kind = undecidedKind(rec);
    const u = this.stats.undecided;
    u[kind] = (u[kind] ?? 0) + 1;
  }

  /**
   * ParseStats.unknownPorts of an inet socket (or one of unknown table that is inet) with a port ss named; a local
   * port of a loopback socket apart (`… loopback`): no rule that leaves loopback out is concerned by it.
   */
  private countUnknownPorts(rec: SocketRecord): void {
    if (!INET_NETIDS.has(rec.netid) && !(rec.netid === 'unknown' && undecidedKind(rec) === 'inet')) return;
    for (const [side, ep] of [['local', rec.local], ['peer', rec.peer]] as const) {
      if (ep.port !== null || ep.portName === undefined) continue;
      const loopback = side === 'local' && (ep.iface === 'lo' || addressScope(ep.address) === 'loopback');
      const key = `${side} ${rec.netid} ${rec.state ?? '-'}${loopback ? ' loopback' : ''}`;
      const u = this.stats.unknownPorts;
      u[key] = (u[key] ?? 0) + 1;
      const names = this.stats.unknownPortNames;
      if (names[ep.portName] !== undefined) names[ep.portName]++;
      else if (Object.keys(names).length < UNKNOWN_PORT_NAMES) names[ep.portName] = 1;
    }
  }

  private emitTo(ev: Ev): void {
    switch (ev.k) {
      case 0:
        this.emitSocket(ev.rec);
        break;
      case 1:
        this.stats.unparsed++;
        this.sink.unparsed(ev.u);
        break;
      case 2:
        if (this.sink.comment) this.sink.comment(ev.line, ev.text);
        break;
      case 3:
        if (this.sink.summary) this.sink.summary(ev.s);
        break;
    }
  }

  private flushQueue(): void {
    if (this.queue.length === 0) return;
    if (this.decision === undefined) this.settleStream();
    this.streamHeld = 0;
    const q = this.queue;
    this.queue = [];
    if (this.decision === undefined) for (const ev of q) if (ev.k === 0 && ev.held === Strength.WEAK) this.releasedWeak++;
    for (const ev of q) this.emit(ev);
  }

  private unparsed(line: number, text: string, reason: string, count = true): void {
    if (count) this.stats.kinds.unparsed++;
    this.deliver({ k: 1, u: { line, text: cut(text), reason } });
  }

  // ── line dispatch ──

  /** Physical line `raw`, of `bytes` UTF-8 bytes. */
  private onLine(raw: string, overlong: boolean, bytes: number): void {
    const lineNo = ++this.lineNo;
    this.stats.lines++;
    let text = raw;
    let e = text.length;
    this.lineCr = e > 0 && text.charCodeAt(e - 1) === 13;
    if (this.lineCr) {
      text = text.slice(0, --e);
      bytes--;
    }
    if (lineNo === 1) this.crlf = this.lineCr;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      bytes -= 3;
    }
    if (overlong) {
      while (this.join) this.flushJoin();
      this.flushRecord();
      this.unparsed(lineNo, text, 'line too long');
      return;
    }
    this.lineOf(text, lineNo, bytes);
  }

  /**
   * Physical line `lineNo` (its CR and BOM taken off), of `bytes` UTF-8 bytes; whole: one that ends in text of an ss
   * error message that is its own (gluedRest).
   */
  private lineOf(text: string, lineNo: number, bytes: number, whole = false): void {
    this.lineBytes = bytes;
    if (this.join) {
      if (this.tryJoin(text, lineNo)) return;
    }
    const c0 = text.charCodeAt(0);
    if (c0 !== 35 /* # */ && !whole && this.stderrGlued(text, lineNo, bytes)) return;
    if (c0 === 35 /* # */) {
      this.flushRecord();
      this.stats.kinds.comment++;
      if (this.stats.captures.length < 2 && CAPTURE_MARK.test(text)) this.stats.captures.push(lineNo);
      if (this.inTop) {
        const m = /^#\s*([A-Za-z0-9_.-]+):\s?(.*)$/s.exec(text); // s: a U+2028 in a value is part of it
        const value = m?.[2].trim();
        if (m && value === '') {
          delete this.stats.meta[m[1]]; // `# netns: ` (the host's own): nothing said, so absent, not "" (reports.md)
        } else if (m && value !== undefined) {
          this.stats.meta[m[1]] = value;
          this.sink.meta?.(m[1], value);
          if (m[1] === 'flags') this.flags = parseFlags(m[2]); // the capture's own record wins over opts.flags
        }
      }
      this.deliver({ k: 2, line: lineNo, text });
      return;
    }
    if (c0 === 9 /* TAB */) {
      if (this.cur) {
        this.continuation(text, 1, lineNo);
      } else {
        this.unparsed(lineNo, text, 'continuation line without a socket row');
      }
      return;
    }
    // whitespace-only
    let p = 0;
    while (p < text.length && isWs(text.charCodeAt(p))) p++;
    if (p === text.length) {
      if (this.summary) {
        this.stats.kinds.summary++;
        if (this.summaryRows) this.endSummary();
      } else this.stats.kinds.blank++;
      return;
    }
    this.inTop = false;
    if (
      c0 === 32 && this.cur && text.startsWith('type:', p) &&
      (this.cur.netid.startsWith('ti_') || this.curCls === Cls.TIPC)
    ) {
      this.continuation(text, p, lineNo);
      return;
    }
    if (this.summary) {
      const read = this.summaryLine(text, p);
      if (read === true) {
        this.stats.kinds.summary++;
        return;
      }
      if (read !== false) {
        this.unparsed(lineNo, text, read);
        return;
      }
      this.endSummary();
    }
    if (text.startsWith('Total:', p)) {
      this.flushRecord();
      this.flushQueue();
      this.summary = { location: { file: this.opts.file, line: lineNo } };
      this.summaryRows = false;
      this.summaryTotal = false;
      const read = this.summaryLine(text, p);
      if (read === true) this.stats.kinds.summary++;
      else this.unparsed(lineNo, text, read === false ? 'ss -s Total line of another form (Total: N [(kernel N)])' : read);
      return;
    }
    if (text.charCodeAt(p) === 80 /* P */ && NETSTAT_HEADER.test(text)) {
      this.stats.netstat ??= lineNo;
      this.unparsed(lineNo, text, 'netstat table header: netstat output, not ss');
      return;
    }
    if (this.isHeader(text, p)) {
      this.flushRecord();
      this.flushQueue();
      this.decision = undefined;
      this.releasedWeak = 0;
      this.layout = {
        netid: text.startsWith('Netid', p),
        state: text.includes('State'),
        queues: text.includes('Recv-Q'),
        process: text.includes('Process'),
      };
      this.portCol = headerPort(text, 'Local Address:');
      this.peerCol = headerPort(text, 'Peer Address:');
      this.probed = false;
      this.crlf = this.lineCr;
      this.tables++;
      this.tableRows = 0;
      this.endStartRows();
      // nothing is dropped unseen: text after the titles (a row glued on, junk) is reported
      const rest = titlesEnd(text, p);
      if (rest < text.length) this.unparsed(lineNo, text.slice(rest), headerRestReason(text));
      else this.stats.kinds.header++;
      return;
    }
    this.mainLine(text, lineNo, false);
  }

  private isHeader(s: string, p: number): boolean {
    const c = s.charCodeAt(p);
    if (c !== 78 && c !== 83 && c !== 82 && c !== 76) return false; // N S R L
    return (
      (s.startsWith('Netid', p) || s.startsWith('State', p) || s.startsWith('Recv-Q', p) ||
        s.startsWith('Send-Q', p) || s.startsWith('Local', p)) &&
      (s.includes('Address:Port') || s.includes('Local Address'))
    );
  }

  private flushRecord(): void {
    const r = this.cur;
    if (!r) return;
    this.cur = undefined;
    this.curThin = undefined;
    this.curUnixText = undefined;
    this.finishRecord(r);
  }

  /**
   * Ends the join: a row that ended inside a COMM is truncated; a unix row that later lines did not complete
   * is reported, and the lines held after it are read as lines of their own (which may start a join again); a
   * unix row held for its column (heldName) is read again without it.
   */
  private flushJoin(): void {
    if (!this.join) return;
    const j = this.join;
    if (j.glued !== undefined) {
      // no rest came (ss was stopped, or the file cut): a row is read as it is, the start of one is not read
      this.join = undefined;
      const g = j.glued;
      if (!g.reported && this.rowsBoth(j.text, undefined, j.line)) this.wholeLine(g, j.line);
      else this.reportGlued(g, j.line);
      return;
    }
    if (j.port !== undefined) {
      this.readHeldAgain();
      return;
    }
    if (j.probe !== undefined) {
      this.endProbe();
      return;
    }
    this.join = undefined;
    if (j.lines === undefined) {
      this.mainLine(j.text, j.line, true, j.sure, j.at);
      return;
    }
    this.stats.kinds.joined -= j.lines.length - 1;
    const bytes = this.lineBytes;
    const cr = this.lineCr;
    this.mainLine(j.lines[0], j.line, true);
    for (let i = 1; i < j.lines.length; i++) this.replayLine(j, i);
    this.lineBytes = bytes;
    this.lineCr = cr;
  }

  /** Line i of join j read again as a line of its own. */
  private replayLine(j: NonNullable<SsParser['join']>, i: number): void {
    this.lineCr = j.crs![i];
    this.lineOf(j.lines![i], j.line + i, j.bytes![i]);
  }

  /**
   * A row ended inside a COMM (`users:((`): join the next physical line if it continues the COMM — the rest
   * of it, `…",pid=N,fd=N))…` (a TAB or space may start it), or a line of it that another newline ends. A COMM
   * is at most 15 bytes, its newlines counted: a line that would make it longer (say the next socket row,
   * `tcp LISTEN … users:(("mysqld",pid=79,fd=7))`) is not part of it, and the row it ends is truncated.
   */
  private tryJoin(text: string, lineNo: number): boolean {
    const j = this.join!;
    if (j.glued !== undefined) return this.gluedRest(text, lineNo);
    if (j.probe !== undefined) return this.probeLine(text);
    if (j.port !== undefined) return this.heldName(text, lineNo);
    if (j.lines !== undefined) return this.tryNameJoin(text, lineNo);
    const close = text.indexOf(')');
    const c0 = text.charCodeAt(0);
    let comm = Infinity; // the COMM's bytes with this line
    if (c0 !== 35 /* # */) {
      if (close >= 0) {
        const e = commEnd(text, close);
        if (e >= 0) comm = j.comm + inputBytes(text, 0, e);
      } else if (c0 !== 9 /* TAB */) {
        comm = j.comm + inputBytes(text, 0, text.length) + 1;
      }
    }
    if (comm > COMM_BYTES) {
      this.join = undefined;
      this.mainLine(j.text, j.line, true, j.sure, j.at);
      return false;
    }
    j.text += '\n' + text;
    j.comm = comm;
    this.stats.kinds.joined++;
    if (close >= 0) {
      this.join = undefined;
      this.mainLine(j.text, j.line, true, j.sure, j.at);
    }
    return true;
  }

  /**
   * Physical line `lineNo` (text, of `bytes` UTF-8 bytes) when it ends in an ss error message after other text
   * (STDERR_MESSAGES): ss writes its table to a file in blocks, its errors at once, so with `2>&1` a message that came
   * while the end of a block was still unwritten is written into a line, whose rest follows the message's newline —
   * after any further messages: `\tinet-sockopt` + `Failed to find cgroup2 mount`, then `: ( is_icsk mc_loop mc_all)`
   * some lines later. The line waits for its rest (gluedRest). False for any other line.
   */
  private stderrGlued(text: string, lineNo: number, bytes: number): boolean {
    const m = text.length > 0 ? stderrEnd(text) : undefined;
    if (m === undefined || m.at === 0) return false;
    // (the message is ASCII: a byte a character)
    const glued: Glued = { message: text.slice(m.at), what: m.what, whole: text, bytes, cr: this.lineCr, reported: false };
    this.join = { text: text.slice(0, m.at), line: lineNo, comm: 0, glued };
    return true;
  }

  /**
   * Line `text` after a line that ends in an ss error message (stderrGlued): another message, a line of its own, is
   * reported; the empty line (the message came at the end of the line) or any other line is the rest of the line,
   * which is read joined to its start — but for a row after a row: the rest of a row never reads as a row of its own,
   * so the text that ends the first one is its own, not a message (a cgroup path, ss --cgroup's last item, may hold
   * `… RTNETLINK answers: Invalid argument`), and both are read as they are.
   */
  private gluedRest(text: string, lineNo: number): boolean {
    const j = this.join!;
    const g = j.glued!;
    const m = stderrEnd(text);
    if (m !== undefined && m.at === 0) {
      this.reportGlued(g, j.line);
      this.unparsed(lineNo, text, `ss error message (stderr): ${m.what}`);
      return true;
    }
    this.join = undefined;
    if (!g.reported && this.rowsBoth(j.text, text, j.line, lineNo)) {
      this.wholeLine(g, j.line);
      return this.join !== undefined && this.tryJoin(text, lineNo);
    }
    this.reportGlued(g, j.line);
    this.lineOf(j.text + text, j.line, g.bytes - g.message.length + this.lineBytes);
    return true;
  }

  /** The message of a line that ends in one (stderrGlued), reported once: the line, parsed in part, counts as unparsed. */
  private reportGlued(g: Glued, line: number): void {
    if (g.reported) return;
    g.reported = true;
    this.unparsed(line, g.message, `ss error message (stderr) written into a line of its output: ${g.what} (the line is read without it, joined to its rest: the next line that is not such a message)`);
  }

  /** The line g, which ends in text of a message that is its own (gluedRest), read as it is. */
  private wholeLine(g: Glued, line: number): void {
    const bytes = this.lineBytes;
    const cr = this.lineCr;
    this.lineCr = g.cr;
    this.lineOf(g.whole, line, g.bytes, true);
    this.lineBytes = bytes;
    this.lineCr = cr;
  }

  /** Whether a (of line la) and b (of line lb; none: true) both read as socket rows, each with its addresses. */
  private rowsBoth(a: string, b: string | undefined, la: number, lb = la): boolean {
    return typeof this.peekRow(a, la) !== 'string' && (b === undefined || typeof this.peekRow(b, lb) !== 'string');
  }

  /**
   * Line `text` (of `lineNo`) read as a row only to tell what it is (rowsBoth, probeLine): the items it shows and
   * the extension text of the record being read (which a row read clears) are as they were; what row() tells of the
   * row (rowUnix, rowPort, …) is kept.
   */
  private peekRow(text: string, lineNo: number): SocketRecord | string {
    const seen = this.seen;
    const segs = this.segs;
    const r = this.row(text, lineNo, true);
    this.seen = seen;
    this.segs = segs;
    return r;
  }

  /** Holds physical line `text` (of lineBytes UTF-8 bytes, its CR taken off or not) in the join being read. */
  private holdLine(j: NonNullable<SsParser['join']>, text: string): void {
    j.lines!.push(text);
    j.bytes!.push(this.lineBytes);
    j.crs!.push(this.lineCr);
  }

  /**
   * A unix row whose address its lines so far do not complete (a name or peer name with a newline: ss prints
   * names raw), where the column of the table's ports is not known (else heldName): join the next physical line
   * while the address text stays within UNIX_HELD_BYTES, and take the lines as one row once they read as one whose
   * names are at most UNIX_NAME_BYTES each. Else the first line is reported (as a row of one line would be), and the
   * others are read as lines of their own — `/tmp/a` + `tcp LISTEN … 0.0.0.0:23 …` is no tcp listener, unless no
   * unix name can have made it.
   */
  private tryNameJoin(text: string, lineNo: number): boolean {
    const j = this.join!;
    const joined = j.text + '\n' + text;
    const seen = this.seen;
    let rec = this.row(joined, j.line, false);
    if (rec === NAME_JOIN) {
      this.holdLine(j, text);
      j.text = joined;
      this.stats.kinds.joined++;
      return true;
    }
    if (typeof rec !== 'string' && longUnixName(rec)) rec = 'unix name longer than 108 bytes';
    if (typeof rec === 'string' && rec !== JOIN) {
      this.seen = seen; // (items of a row that is not one)
      this.flushJoin();
      return this.join !== undefined && this.tryJoin(text, lineNo);
    }
    this.join = undefined;
    this.stats.kinds.joined++;
    this.takeRow(rec, joined, j.line);
    return true;
  }

  /**
   * Line `text` of a unix row whose name goes on past its first line (settle: the line ends before portCol): the
   * row ends on the line where the column falls — ss pads the name as a whole, so its INODE is there, counting
   * every byte of the name and one for each of its newlines — and each line before is part of the name, whatever
   * it looks like (`tcp LISTEN … 0.0.0.0:23 0.0.0.0:*`, `u_str LISTEN 0 1 /tmp/x 5 * 0`). The lines are held until
   * then: at most the column's bytes. A row with no INODE where the column falls is no row of a table ss aligned
   * so (an edited file, a new render batch): its lines are read again without the column (readHeldAgain).
   */
  private heldName(text: string, lineNo: number): boolean {
    const j = this.join!;
    const [t, bytes] = this.nameLine(text);
    const port = j.port!;
    const start = j.held!;
    const joined = j.text + '\n' + t;
    if (start + bytes <= port) {
      this.holdLine(j, text);
      j.text = joined;
      j.held = start + bytes + 1;
      this.stats.kinds.joined++;
      return true;
    }
    const i = indexAtByte(t, bytes, port - start);
    if (i !== i) {
      // where the column falls in this line cannot be told: the row is reported, none of its lines made a row
      this.join = undefined;
      this.stats.kinds.joined++;
      this.unparsed(j.line, j.lines![0], UNIX_NAME_UNDECIDED);
      return true;
    }
    if (i > 0) {
      const seen = this.seen;
      const at = j.text.length + 1 + i;
      const rec = this.row(joined, j.line, false, at);
      if ((rec === JOIN || (typeof rec !== 'string' && !longUnixName(rec))) && this.atPeerColumn(joined, at, port)) {
        this.join = undefined;
        this.stats.kinds.joined++;
        this.takeRow(rec, joined, j.line, true, at);
        return true;
      }
      this.seen = seen; // (items of a row that is not one)
    }
    this.readHeldAgain();
    return this.join !== undefined && this.tryJoin(text, lineNo);
  }

  /**
   * Line `text` after a unix row read where no header or row told the column of the table's ports (a table without a
   * header, `ss -H`, that starts with a unix row): the lines are held until rows tell it. The first row may be a name
   * with newlines whose lines read as rows (`/x 1 * 2\ntcp LISTEN 0 128 0.0.0.0:23 0.0.0.0:*\ny`), which only the column
   * tells apart (settle, heldName); no row within the first row's longest name can tell it, as it may be a line of that
   * name. The rows after it can: ss ≥ 4.15 prints every row of a table with its local port (a unix socket's INODE) at
   * one column, and no line of a name with newlines has a port or INODE of its own there — a name's bytes, newlines
   * counted, push the real INODE to that column, so any INODE or port on a shorter line of it comes before. So the
   * rightmost column the rows past that name have is the table's — not the one most of them share: hostile names, each
   * line of theirs left of the column, may make up most of those rows — once PROBE_ROWS rows have it (or the lines held
   * reach PROBE_LINES or PROBE_BYTES, or the input ends); then every line held is read again with it. Without rows that
   * tell one (ss ≤ 4.14's unaligned output) they are read as without a column. Rows that are all lines of names, up to
   * that limit, still tell a wrong column: which the first real row after them corrects (settle).
   */
  private probeLine(text: string): boolean {
    const j = this.join!;
    const pr = j.probe!;
    this.holdLine(j, text);
    pr.extent += this.lineBytes + 1;
    if (pr.extent > UNIX_NAME_BYTES + 1 && text.charCodeAt(0) !== 9 /* TAB */) {
      if (typeof this.peekRow(text, j.line + j.lines!.length - 1) !== 'string') {
        const unix = this.rowUnix;
        const port = byteOffset(text, unix ? this.rowInodeAt : this.rowPort);
        const peer = byteOffset(text, unix ? this.rowPeerInodeAt : this.rowPeerPort);
        if (port > 0) {
          pr.ports.push(port);
          pr.peers.push(peer);
          if (port > pr.max) {
            pr.max = port;
            pr.atMax = 0;
          }
          if (port === pr.max) pr.atMax++;
        }
      }
    }
    if (pr.atMax >= PROBE_ROWS || j.lines!.length >= PROBE_LINES || pr.extent > PROBE_BYTES) this.endProbe();
    return true;
  }

  /** The lines held for the table's column (probeLine) read again, with the column their rows tell (if any). */
  private endProbe(): void {
    const j = this.join!;
    const { ports, peers } = j.probe!;
    this.join = undefined;
    // the rightmost: a line of a name never has a port or INODE at the table's column or past it, however many such
    // lines there are (hostile names that make up most of the rows)
    let port = PORT_UNKNOWN;
    for (const p of ports) if (p > port) port = p;
    let peer = PORT_UNKNOWN;
    for (let i = 0; i < ports.length; i++) {
      if (ports[i] !== port) continue;
      if (peer === PORT_UNKNOWN) peer = peers[i];
      else if (peers[i] !== peer) peer = PORT_UNKNOWN - 1; // the rows of that column disagree on their peers'
    }
    this.portCol = port;
    this.peerCol = peer < 0 ? PORT_UNKNOWN : peer;
    const bytes = this.lineBytes;
    const cr = this.lineCr;
    for (let i = 0; i < j.lines!.length; i++) this.replayLine(j, i);
    this.lineBytes = bytes;
    this.lineCr = cr;
  }

  /**
   * The lines of a unix row held for its column (heldName) read again as they are read without one (a table ss did not
   * align so: edited, or ss ≤ 4.14 — or a file whose bytes were changed after ss wrote them, a name's bad bytes made
   * U+FFFD or the file converted, which the column cannot tell apart): the column is forgotten until a row tells it.
   */
  private readHeldAgain(): void {
    const j = this.join!;
    const lines = j.lines!;
    this.join = undefined;
    const bytes = this.lineBytes;
    const cr = this.lineCr;
    this.portCol = PORT_UNKNOWN;
    this.peerCol = PORT_UNKNOWN;
    this.stats.kinds.joined -= lines.length - 1;
    this.lineBytes = j.bytes![0];
    this.lineCr = j.crs![0];
    this.mainLine(lines[0], j.line, false);
    for (let i = 1; i < lines.length; i++) this.replayLine(j, i);
    this.lineBytes = bytes;
    this.lineCr = cr;
  }

  /**
   * The line being read as a line of a unix name, and its bytes: in a file whose lines end in LF alone, a CR taken
   * off its end is the name's.
   */
  private nameLine(text: string): [string, number] {
    return this.lineCr && !this.crlf ? [text + '\r', this.lineBytes + 1] : [text, this.lineBytes];
  }

  // ── summary (`ss -s`) ──

  /**
   * A line of the `ss -s` summary: true when it is one and read, false when it is not one, or why it is one
   * that does not read in full (a number beyond 2^53, an item of the TCP line of another form): what reads of
   * it is kept, and the line is reported.
   */
  private summaryLine(s: string, p: number): boolean | string {
    const sum = this.summary!;
    const t = s.slice(p);
    let m: RegExpExecArray | null;
    if ((m = /^Total:\s+(-?\d+)(?:\s+\(kernel\s+(-?\d+)\))?\s*$/.exec(t))) {
      if (this.summaryTotal) return false;
      this.summaryTotal = true;
      const bad: string[] = [];
      const total = summaryNumber(m[1], 'Total', bad);
      if (total !== undefined) sum.total = total;
      const kernel = m[2] !== undefined ? summaryNumber(m[2], 'kernel', bad) : undefined;
      if (kernel !== undefined) sum.kernel = kernel;
      return bad.length ? summaryReason(bad) : true;
    }
    if ((m = /^TCP:\s+(-?\d+)\s+\(([^)]*)\)(?:,\s*ports\s+(-?\d+))?\s*$/.exec(t))) {
      const bad: string[] = [];
      const tcp: NonNullable<SsSummary['tcp']> = {};
      const total = summaryNumber(m[1], 'TCP', bad);
      if (total !== undefined) tcp.total = total;
      for (const item of m[2].split(',')) {
        const mm = /^\s*([a-z]+)\s+(-?\d+)(?:\/(-?\d+))?\s*$/.exec(item);
        const key = mm?.[1];
        if (!mm || !(key === 'estab' || key === 'closed' || key === 'orphaned' || key === 'synrecv' || key === 'timewait') || (mm[3] !== undefined && key !== 'timewait')) {
          if (item.trim() !== '' || m[2].trim() !== '') bad.push(`"${cut(item.trim())}": not an item of the TCP line (estab N, closed N, orphaned N, synrecv N, timewait N[/N])`);
          continue;
        }
        const v = summaryNumber(mm[2], key, bad);
        if (v !== undefined) tcp[key] = v;
        if (mm[3] !== undefined) {
          const v2 = summaryNumber(mm[3], 'timewait', bad);
          if (v2 !== undefined) tcp.timewait2 = v2;
        }
      }
      if (m[3] !== undefined) {
        const ports = summaryNumber(m[3], 'ports', bad);
        if (ports !== undefined) tcp.ports = ports;
      }
      sum.tcp = tcp;
      return bad.length ? summaryReason(bad) : true;
    }
    if (/^Transport\s+Total\s+IP\s+IPv6\s*$/.test(t)) {
      sum.transport = sum.transport ?? {};
      return true;
    }
    if (sum.transport && (m = /^(\*|[A-Z][A-Z0-9]*)\s+(-?\d+|-)\s+(-?\d+|-)\s+(-?\d+|-)\s*$/.exec(t))) {
      this.summaryRows = true;
      const bad: string[] = [];
      const num = (x: string, what: string): number | null | undefined => (x === '-' ? null : summaryNumber(x, what, bad));
      const total = num(m[2], `${m[1]} Total`);
      const ip = num(m[3], `${m[1]} IP`);
      const ipv6 = num(m[4], `${m[1]} IPv6`);
      // (a row with a number that does not read is left out: its three columns go together)
      if (total === undefined || ip === undefined || ipv6 === undefined) return summaryReason(bad);
      sum.transport[m[1]] = { total, ip, ipv6 };
      return true;
    }
    return false;
  }

  private endSummary(): void {
    const s = this.summary;
    if (!s) return;
    this.summary = undefined;
    this.summaryRows = false;
    this.deliver({ k: 3, s });
  }

  // ── socket rows ──

  /**
   * A continuation line of `cur`, its text from `from`: reported when its `users:((` group does not close, or
   * an item of it does not read, as a row is.
   */
  private continuation(s: string, from: number, lineNo: number): void {
    if (this.curCls === Cls.INET && this.decision === undefined && this.curMptcp === undefined) this.curMptcp = mptcpItem(s, from, s.length);
    // a thin row took only the continuation line right after it (thinRow): one after a blank line is read here,
    // into the record made whole first — its completion would read only the bytes the thin row kept
    if (this.curThin !== undefined) completeExtensions(this.cur!);
    let text = s;
    let cutWhy: string | undefined;
    if (lineNo === this.cutLine) {
      // the input's last line, ended by no newline in an item that may be cut short (cutRow): read without it
      const n = trimmedLength(s);
      let t = n;
      while (t > from && !isWs(s.charCodeAt(t - 1))) t--;
      cutWhy = `${CUT_LINE} "${cut(s.slice(t, n))}", an item that may be cut short: the line is read without it (${CUT_HINT})`;
      text = s.slice(0, t);
    }
    const bits = this.extend(this.cur!, text, from);
    if (bits & (SEEN_UNTERMINATED | SEEN_BAD)) {
      const bad = bits & SEEN_BAD ? badItemsReason() : undefined;
      const why = bits & SEEN_UNTERMINATED ? (bad !== undefined ? `${USERS_NOT_CLOSED}; ${bad}` : USERS_NOT_CLOSED) : bad!;
      this.unparsed(lineNo, s, cutWhy !== undefined ? `${cutWhy}; ${why}` : why);
    } else if (cutWhy !== undefined) this.unparsed(lineNo, s, cutWhy);
    else this.stats.kinds.continuation++;
  }

  /** Reads extension text s[from..] into `rec`; returns the SEEN_* bits. */
  private extend(rec: SocketRecord, s: string, from: number): number {
    // padded continuation lines: the native trimEnd is much faster than scanning the padding
    const to = s.trimEnd().length;
    if (to <= from) return 0;
    if (this.curLazy) {
      // an inet record (parseRow): its text is kept for completeExtensions
      const bits = parseExtensions(rec, s, from, to, false, this.lazyArgs(rec));
      this.segs.push(s, from, to);
      if (bits & SEEN_SKIPPED) this.curSkipped = true;
      this.seen |= bits;
      return bits;
    }
    const bits = parseExtensions(rec, s, from, to, classOf(rec.netid) === Cls.UNIX || this.curCls === Cls.UNIX);
    this.seen |= bits;
    return bits;
  }

  /**
   * Arguments of a lazy extension pass over `rec`'s text, or undefined while the sink has not said what it
   * reads. A state still undefined (it may be inferred later) asks for what any state needs.
   */
  private lazyArgs(rec: SocketRecord): { want: ExtensionWants; known: number } | undefined {
    const w = this.sink.extensionWants?.(rec.state);
    if (w === undefined || w === ALL_WANTED) return undefined;
    this.lazyArg.want = w;
    this.lazyArg.known = this.seen;
    return this.lazyArg;
  }

  private finishRecord(rec: SocketRecord): void {
    if (this.curLazy) {
      if (this.curSkipped) {
        deferExtensions(rec, this.segs);
        this.segs = [];
      }
      this.curLazy = false;
      this.curSkipped = false;
    }
    let held = Strength.NA;
    if (this.curCls >= 0) {
      const strength = this.inferNetid(rec, this.curCls as Cls, this.curSctp, this.curMptcp);
      if (strength !== Strength.NA) held = this.decide(rec, strength);
      if (rec.state === undefined) this.inferState(rec);
      this.curCls = -1;
      this.curSctp = 0;
      this.curMptcp = undefined;
    }
    if (rec.state !== undefined) this.seen |= SEEN_STATE;
    if (rec.recvQ !== undefined) this.seen |= SEEN_QUEUES;
    if (held === Strength.NA && this.queue.length === 0) this.emitSocket(rec); // the common case, without an event object
    else {
      this.deliver({ k: 0, rec, held });
      if (held === Strength.STREAM && (++this.streamHeld >= MAX_STREAM_HELD || (this.streamHeld === 1 && this.streamAhead(rec)))) this.flushQueue();
    }
  }

  /**
   * Whether holding `rec`, the section's first stream-only row (finishRecord), can only end as flushing the queue now
   * does: deciding the table from it (settleStream). So it does when the lines ahead in the chunk, from the one being
   * read, which follows rec's row (rec has no continuation line, and no line read later joined to another came between),
   * are plain Netid-less rows — a state, the queues, two inet addresses with numeric ports, perhaps a plain users:(…)
   * block and `ss -e` items (extendedOnly), nothing more, no continuation or association line — up to the one that
   * fills the hold (MAX_STREAM_HELD stream-only rows) and the line after it: no row among them can show mptcp or
   * sctp, settle the table itself (TCP info, a timer, a raw protocol's name, a udp event), or read otherwise once the
   * table is decided (UNCONN with a peer, vsock CID:PORT addresses: none here). The rows after it are then read thin,
   * where small `ss -tanp` snapshots read their first ~64 rows (and more of other states between them) in full (a
   * fleet of 1,000 × 200 sockets: ~9 % of its scan, bench/README.md). Only where thin rows are read (a sink that says
   * what it reads); false whenever the lines are not all in the chunk.
   */
  private streamAhead(rec: SocketRecord): boolean {
    const b = this.lineChunk;
    let p = this.lineAt;
    if (b === undefined || p < 0 || this.sink.extensionWants === undefined || rec.location.line !== this.lineAtNo - 1) return false;
    const words = spaceWordsOf(this.words, b);
    let left = MAX_STREAM_HELD - 1;
    for (let lines = 0; lines < MAX_AHEAD_LINES; lines++) {
      const nl = b.indexOf(10, p);
      if (nl < 0 || nl - p > MAX_LINE_BYTES) return false;
      const end = lineTextEnd(b, p, nl, words);
      const e = tokenEnd(b, p, end);
      const state = stateOf(b, p, e);
      const stream = state !== undefined && STREAM_ONLY.has(state);
      if (!stream && state !== 'ESTAB') return false;
      const t = this.aheadTail;
      if (!readThinTail(b, e, end, t) || (t.extStart >= 0 && !extendedOnly(b, t.extStart, end)) || t.named || mayEndInStderr(b, p, end)) return false;
      p = nl + 1;
      // (the line after the last: a state's or a header's capital letter, not a continuation or association line)
      if (stream && --left === 0) return p < b.length && b[p] >= 65 && b[p] <= 90;
    }
    return false;
  }

  /**
   * Netid-less inet row: settle its table from the section's decision, or make a strong decision for the
   * section (and re-label the queued rows), or queue it (a weak row, or a stream-only state's provisional
   * tcp, which mptcp or sctp rows of the section may still make theirs). Returns how it is held (NA: not).
   */
  private decide(rec: SocketRecord, strength: Strength): Strength {
    const d = this.decision;
    if (d) {
      if ((strength === Strength.WEAK || (strength === Strength.STREAM && STREAM_TABLES.has(d.netid))) && rec.netid !== d.netid && fitsTable(rec, d.netid)) {
        rec.netid = d.netid;
        rec.netidInferred = d.sameTable;
        this.portsOf(rec);
      }
      return Strength.NA;
    }
    if (strength === Strength.STRONG) {
      this.decideFrom(rec);
      return Strength.NA;
    }
    return strength;
  }

  /** The section's table is rec's (a strong row, or the first stream-only one): the rows held follow it. */
  private decideFrom(rec: SocketRecord): void {
    this.stats.lineNotes++;
    const netid = rec.netid;
    const sameTable = `${netid}: same table as line ${rec.location.line} (${rec.netidInferred})`;
    this.decision = { netid, line: rec.location.line, reason: rec.netidInferred!, sameTable };
    if (this.releasedWeak > 0) this.stats.lateDecision ??= { line: rec.location.line, netid, rows: this.releasedWeak };
    for (const ev of this.queue) {
      if (ev.k !== 0 || ev.held === Strength.NA) continue;
      if (ev.rec !== rec && ev.rec.netid !== netid && (ev.held === Strength.WEAK || STREAM_TABLES.has(netid)) && fitsTable(ev.rec, netid)) {
        ev.rec.netid = netid;
        ev.rec.netidInferred = sameTable;
        this.portsOf(ev.rec);
      }
      ev.held = Strength.NA;
    }
    this.flushQueue();
  }

  /**
   * Rows held without a decision go out (a new table, the end, or MAX_PENDING of them): a stream-only state
   * makes them tcp, as the first row of one decides (nothing showed mptcp or sctp).
   */
  private settleStream(): void {
    for (const ev of this.queue) {
      if (ev.k === 0 && ev.held === Strength.STREAM) {
        this.decideFrom(ev.rec);
        return;
      }
    }
  }

  /**
   * Row s of line `lineNo`: its first line, or (joined) its lines joined, which are not to be joined further — sure
   * and at as takeRow takes them.
   */
  private mainLine(s: string, lineNo: number, joined: boolean, sure = false, at?: number): void {
    if (this.cur && this.curCls >= 0 && startsAssociation(s)) this.curSctp = lineNo;
    if (this.curUnixText !== undefined && this.curSctp === 0) {
      this.afterUnix(s, lineNo, joined);
      return;
    }
    const before = this.curThin;
    this.flushRecord();
    const seen = this.seen;
    const rec = this.row(s, lineNo, joined, at);
    if (joined || !this.rowUnix) {
      this.takeRow(rec, s, lineNo, sure, at);
      return;
    }
    // a row read thin tells the columns where a unix row after it needs them (no cost per thin row)
    if (before !== undefined) this.thinColumns(before);
    this.settle(rec, seen, s, lineNo);
  }

  /**
   * Takes s, the first line of a unix row, read as rec (seen: the SEEN_* bits before it was read). In a table whose
   * port column is known (portCol) the row is read by it: a line that ends before the column is the start of a name
   * that goes on (heldName); any other line is the whole row, its INODE where the column is — unless none is there
   * (a new render batch, a table ss did not align so), when the row is read as it reads, and tells the column.
   */
  private settle(rec: SocketRecord | string, seen: number, s: string, lineNo: number): void {
    if (this.portCol === PORT_RANGE_START && this.stats.meta.source !== 'proc') {
      this.rangeStartRow(rec, s, lineNo);
      return;
    }
    const port = this.alignedPort();
    if (port < 0) {
      if (this.portCol === PORT_UNKNOWN && !this.probed && this.stats.meta.source !== 'proc') {
        this.probed = true;
        this.seen = seen; // (read again with the column)
        this.join = { text: s, line: lineNo, comm: 0, lines: [s], bytes: [this.lineBytes], crs: [this.lineCr], probe: { extent: 0, ports: [], peers: [], max: PORT_UNKNOWN, atMax: 0 } };
        return;
      }
      this.takeRow(rec, s, lineNo);
      return;
    }
    if (this.lineBytes + (this.lineCr && !this.crlf ? 1 : 0) <= port - 2) {
      const [t, held] = this.nameLine(s);
      this.seen = seen; // (items of a row that is not one)
      this.join = { text: t, line: lineNo, comm: 0, lines: [s], bytes: [this.lineBytes], crs: [this.lineCr], port, held: held + 1 };
      return;
    }
    const bytes = this.lineBytes;
    const at = indexAtByte(s, bytes, port);
    if (at !== at) {
      // where the column falls cannot be told (bytes that are not UTF-8), but the row has no other line
      this.takeRow(rec, s, lineNo, true);
      return;
    }
    if (at > 0) {
      if (this.rowInodeAt === at && (rec === JOIN || typeof rec !== 'string') && this.atPeerColumn(s, at, port)) {
        this.takeRow(rec, s, lineNo, true, at);
        return;
      }
      this.seen = seen;
      const r = this.row(s, lineNo, false, at);
      if ((r === JOIN || typeof r !== 'string') && this.atPeerColumn(s, at, port)) {
        this.takeRow(r, s, lineNo, true, at);
        return;
      }
      this.seen = seen;
      rec = this.row(s, lineNo, false);
    }
    this.takeRow(rec, s, lineNo);
  }

  /**
   * Whether the unix row parseRow just read from s, its INODE at index `at` and byte column `port`, has its PEERINODE
   * where peerCol is (when known): ss pads the INODE and the peer's name to their columns' widths.
   */
  private atPeerColumn(s: string, at: number, port: number): boolean {
    const peer = this.rowPeerInodeAt;
    if (this.peerCol < 0 || peer < 0) return true;
    const span = s.slice(at, peer);
    return span.indexOf('\ufffd') >= 0 || port + inputBytes(span, 0, span.length) === this.peerCol;
  }

  /** The columns a row read thin tells, for a unix row after it (read only then: no cost per thin row). */
  private thinColumns(t: ThinRow): void {
    const tail = thinTokens(t);
    this.portCol = afterColon(t, tail.localStart, tail.localEnd);
    this.peerCol = afterColon(t, tail.peerStart, tail.peerEnd);
  }

  /** portCol for a unix row about to be read: PORT_UNKNOWN when not known. */
  private alignedPort(): number {
    // (socklint's own /proc text pads its columns as ss does not: proc.ts)
    return this.stats.meta.source === 'proc' || this.portCol < 0 || this.portCol > MAX_PORT_COLUMN ? PORT_UNKNOWN : this.portCol;
  }

  /**
   * The first unix row of a byte range, before a row told the column of its table's ports, which the file's parse
   * may know there: a row of one line is taken as one whose INODE is where the column is (the column it then tells
   * is ParseStats.startPort, which the scan checks against the file's parse); any other is noted (lineNotes).
   */
  private rangeStartRow(rec: SocketRecord | string, s: string, lineNo: number): void {
    const at = this.rowInodeAt;
    const read = at > 0 && (rec === JOIN || typeof rec !== 'string');
    const port = read ? byteOffset(s, at) : PORT_UNKNOWN;
    const peer = read ? byteOffset(s, this.rowPeerInodeAt) : PORT_UNKNOWN;
    this.portCol = port;
    this.peerCol = peer;
    if (port >= 0 && peer >= 0) {
      this.stats.startPort = port;
      this.stats.startPeer = peer;
      this.takeRow(rec, s, lineNo, true, at);
      return;
    }
    this.stats.lineNotes++;
    this.takeRow(rec, s, lineNo);
  }

  /**
   * Row s after a unix row (cur) that read in full where the column of the table's ports was not known (else its
   * name's lines are read by it: settle, heldName). ss prints unix names raw: the name `/x 1 * 2\ntcp LISTEN 0 128
   * 0.0.0.0:23 0.0.0.0:*` makes the lines `u_str LISTEN 0 1 /x 1 * 2` (a whole unix row of its own) and `tcp LISTEN 0
   * 128 0.0.0.0:23 0.0.0.0:* 169871 * 0`, whose INODE * PEERINODE no row of another table ends with: its text after
   * the addresses and process column holds a bare number or `*` (bareItem). Such a row, when the unix row's lines
   * and it read as one unix row with names of at most 108 bytes, is that row's last line: one socket, whose name
   * holds the newline (and a name of several such lines is joined one line at a time). A unix row after it, or a
   * row without such text, is a row of its own.
   */
  private afterUnix(s: string, lineNo: number, joined: boolean): void {
    const before = this.curUnixText!;
    this.curUnixText = undefined;
    const seen = this.seen;
    let rec = this.row(s, lineNo, joined);
    if (typeof rec !== 'string' && !this.rowUnix && bareItem(s, this.rowExt, trimmedLength(s))) {
      if (before === RANGE_START) {
        // the first row of a byte range: the unix row it may end is before the range, unseen (the file is read whole)
        this.stats.lineNotes++;
      } else {
        this.seen = seen; // (the items of a row that is not one)
        const text = before + '\n' + s;
        const line = this.curUnixLine;
        const u = this.row(text, line, true);
        if (typeof u !== 'string' && this.rowUnix && !this.rowTruncated && this.rowBad === undefined && !longUnixName(u)) {
          // the unix row read alone is dropped unseen: its first line stays counted as the socket's, s is joined
          this.cur = undefined;
          this.curThin = undefined;
          this.stats.kinds.socket--;
          this.stats.kinds.joined++;
          this.takeRow(u, text, line);
          return;
        }
        this.seen = seen;
        rec = this.row(s, lineNo, joined);
      }
    }
    this.flushRecord();
    if (joined || !this.rowUnix) this.takeRow(rec, s, lineNo);
    else this.settle(rec, seen, s, lineNo);
  }

  /**
   * Whether the "port" of an inet row of `netid` (undefined: no Netid column) is an IP protocol (`0.0.0.0:udp`, a raw
   * socket's): its Netid says raw, or, without one, the capture flags select only raw sockets (`ss -wa`).
   */
  private rawPort(netid: string | undefined): boolean {
    return netid === undefined ? this.flags?.table === 'raw' : netid === 'raw' || netid === 'icmp6' || netid === '???';
  }

  /** parseRow, an exception it throws made the row's reason. */
  private row(s: string, lineNo: number, joined: boolean, at?: number): SocketRecord | string {
    try {
      return this.parseRow(s, lineNo, joined, at);
    } catch (e) {
      return `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /**
   * What parseRow made of row s (of `lineNo`): the record, a join, or the reason the row is unparsed. sure: a unix row
   * read by the column of its table's ports (settle, heldName; at: where its INODE is in s), which the next line
   * cannot go on; else a unix row of one line tells that column.
   */
  private takeRow(rec: SocketRecord | string, s: string, lineNo: number, sure = false, at?: number): void {
    if (rec === JOIN) {
      this.join = { text: s, line: lineNo, comm: this.rowComm, sure, at };
      return;
    }
    if (rec === NAME_JOIN) {
      this.join = { text: s, line: lineNo, comm: 0, lines: [s], bytes: [this.lineBytes], crs: [this.lineCr] };
      return;
    }
    if (typeof rec === 'string') {
      // a joined row that failed: its extra physical lines were counted as joined; report the first
      this.unparsed(lineNo, s, rec);
      return;
    }
    // a truncated row (the process entry left open is lost), or one with items that do not read: its socket is
    // made, and the line is reported
    let why = this.rowTruncated ? (this.rowBad !== undefined ? `${USERS_NOT_CLOSED}; ${this.rowBad}` : USERS_NOT_CLOSED) : this.rowBad;
    if (why === undefined && this.cutLine !== 0 && this.cutLine === lineNo + newlines(s)) {
      const cut = this.cutRow(s, lineNo, at);
      if (typeof cut === 'string') {
        this.unparsed(lineNo, s, cut);
        return;
      }
      rec = cut.rec;
      why = cut.why;
    }
    if (why !== undefined) this.unparsed(lineNo, s, why);
    else this.stats.kinds.socket++;
    this.cur = rec;
    this.curLazy = this.rowLazy;
    this.curSkipped = this.rowSkipped;
    this.curCls = this.rowCls;
    this.curSctp = 0;
    this.curMptcp = this.rowMptcp;
    if (!this.rowUnix) {
      if (this.rowPort >= 0) this.portCol = this.rowPort;
      if (this.rowPeerPort >= 0) this.peerCol = this.rowPeerPort;
    } else if (!sure) {
      if (why === undefined) {
        this.curUnixText = s;
        this.curUnixLine = lineNo;
      }
      const line = s.indexOf('\n') < 0;
      this.portCol = line ? byteOffset(s, this.rowInodeAt) : PORT_UNKNOWN;
      this.peerCol = line ? byteOffset(s, this.rowPeerInodeAt) : PORT_UNKNOWN;
    }
  }

  /**
   * Row s (of `lineNo`, at: as takeRow takes it), which parseRow read, when its last line is the input's last, ended by
   * no newline in a token that may be cut short (cutLine). ss ends every line with a newline (ss 5.4 alone lost the
   * last one), so a file that ends without one may have been cut there — but also saved by a tool that took the newline
   * off, or trimmed the file (the row then whole): which one, its text cannot tell where its last token is a number or
   * a name (`127.0.0.1:22` cut to `127.0.0.1:2` is a port too). A row whose last token is part of its addresses is not
   * read (the reason, returned): a socket at a port it may not have is worse than the line reported. One whose last
   * token is an item after them is read without that item (the record, and why its line is reported).
   */
  private cutRow(s: string, lineNo: number, at?: number): { rec: SocketRecord; why: string } | string {
    const n = trimmedLength(s);
    let t = n;
    while (t > 0 && !isWs(s.charCodeAt(t - 1)) && s.charCodeAt(t - 1) !== 10) t--;
    const token = cut(s.slice(t, n));
    if (t < n - this.rowExtTail) return `${CUT_LINE} "${token}", part of its addresses, which may be cut short: the row is not read (${CUT_HINT})`;
    const why = `${CUT_LINE} "${token}", an item that may be cut short: the socket is read without it (${CUT_HINT})`;
    const rec = this.row(s.slice(0, t), lineNo, true, at);
    if (typeof rec === 'string') return `${CUT_LINE} "${token}", an item that may be cut short, and without it: ${rec === JOIN || rec === NAME_JOIN ? 'unrecognised row' : rec}`;
    const bad = this.rowTruncated ? (this.rowBad !== undefined ? `${USERS_NOT_CLOSED}; ${this.rowBad}` : USERS_NOT_CLOSED) : this.rowBad;
    return { rec, why: bad !== undefined ? `${why}; ${bad}` : why };
  }

  /**
   * Whether a row in `state` gets no Send-Q: read from /proc, a listener's Send-Q is its (empty) transmit
   * queue, not the backlog; it is left out rather than let `Recv-Q >= backlog` compare against a 0 that means
   * nothing (a rule that reads it is not evaluated: procGaps, evaluate.ts).
   */
  private noSendQ(state: string | undefined): boolean {
    return state === 'LISTEN' && this.stats.meta.source === 'proc';
  }

  /**
   * Parse one main row. Returns a record, the JOIN marker (the row ends inside a COMM), the NAME_JOIN marker (a
   * unix row whose address may go on on the next line), or a reason string. `joined`: the lines are not to be
   * joined further; at: the index of a unix row's INODE (settle, heldName).
   */
  private parseRow(s0: string, lineNo: number, joined: boolean, at?: number): SocketRecord | string {
    this.rowCls = -1;
    this.rowMptcp = undefined;
    this.rowTruncated = false;
    this.rowBad = undefined;
    this.rowUnix = false;
    let ins = 0; // spaces put into s (glued columns of ss 4.15–4.19), all before its addresses
    let s = s0;
    let n = trimmedLength(s);
    let p = 0;
    while (p < n && isWs(s.charCodeAt(p))) p++;
    if (p >= n) return 'empty row';

    // token 1: Netid (or State / queue when the Netid column is absent)
    let e = tokEnd(s, p, n);
    let tok = s.slice(p, e);
    let netid: string | undefined = NETID_CANON.get(tok);
    let association = false;
    // the first token is already the State when the Netid column is absent
    let canonState = netid === undefined ? STATE_CANON.get(tok) : undefined;
    if (netid !== undefined) {
      p = e;
    } else if (canonState === undefined && tok !== '`-' && parseIntStrict(tok) === undefined) {
      // 4.15–4.19 glued `u_strESTAB`
      for (const id of NETIDS_BY_LENGTH) {
        if (tok.length > id.length && tok.startsWith(id) && startsWithState(tok.slice(id.length))) {
          s = s.slice(0, p + id.length) + ' ' + s.slice(p + id.length);
          n++;
          ins++;
          netid = id;
          p += id.length;
          break;
        }
      }
    }

    // State
    let state: string | undefined;
    if (canonState === undefined) {
      p = skipWs(s, p, n);
      e = tokEnd(s, p, n);
      tok = s.slice(p, e);
      canonState = STATE_CANON.get(tok);
    }
    if (canonState !== undefined) {
      state = canonState;
      p = e;
    } else if (tok === '`-') {
      association = true;
      p = skipWs(s, e, n);
      e = tokEnd(s, p, n);
      tok = s.slice(p, e);
      if (tok.length === 0) return 'SCTP association row without a state';
      state = tok;
      p = e;
    } else {
      for (const st of STATES_BY_LENGTH) {
        if (tok.length > st.length && tok.startsWith(st) && parseIntStrict(tok.slice(st.length)) !== undefined) {
          // glued `LISTEN0`
          s = s.slice(0, p + st.length) + ' ' + s.slice(p + st.length);
          n++;
          ins++;
          state = st;
          p += st.length;
          break;
        }
      }
    }

    // Recv-Q Send-Q
    let recvQ: number | undefined;
    let sendQ: number | undefined;
    /** Where a Send-Q of -1 is (udpEvent), else -1. */
    let destroyed = -1;
    if (!this.layout || this.layout.queues) {
      // a queue is a count (0 to 2^53 - 1): a row with a number that is not one is unparsed, and so is one
      // without numbers right after its state where the header says the queues are
      const columns = this.layout !== undefined && (state !== undefined || association);
      const p1 = skipWs(s, p, n);
      const e1 = tokEnd(s, p1, n);
      if (integral(s, p1, e1)) {
        const q1 = countRange(s, p1, e1);
        if (q1 !== q1) return queueReason('Recv-Q', s, p1, e1);
        const p2 = skipWs(s, e1, n);
        const e2 = tokEnd(s, p2, n);
        if (integral(s, p2, e2)) {
          let q2 = countRange(s, p2, e2);
          if (q2 !== q2) {
            // ss -E: a udp socket destroyed (checked below, once its table is known)
            if (e2 - p2 !== 2 || !s.startsWith('-1', p2)) return queueReason('Send-Q', s, p2, e2);
            q2 = 0;
            destroyed = p2;
          }
          recvQ = q1;
          sendQ = q2;
          p = e2;
        } else if (columns && p2 < n) return queueReason('Send-Q', s, p2, e2);
      } else if (columns && p1 < n) return queueReason('Recv-Q', s, p1, e1);
    }
    if (netid === undefined && state === undefined && recvQ === undefined && !association) {
      const l = this.layout;
      if (!l || l.netid || l.state || l.queues) return unrecognised(s0);
    }

    // addresses
    p = skipWs(s, p, n);
    if (p >= n) {
      // (a unix name may start with a newline: settle holds such a row's line)
      this.rowUnix = netid !== undefined && classOf(netid) === Cls.UNIX;
      return 'row ends before the local address';
    }
    let cls: Cls;
    if (association) {
      netid = 'sctp'; // only SCTP prints association rows
      cls = Cls.INET;
    } else if (netid !== undefined) {
      cls = classOf(netid);
    } else {
      cls = guessClass(s, p, n);
      const vsock = vsockTables(this.flags);
      if (vsock === true || (vsock === undefined && (cls === Cls.INET || cls === Cls.NL) && this.vsockOnly(s, p, state))) cls = Cls.VSOCK;
      else if (cls === Cls.NL && numberPair(s, p, guessedE1) && numberPair(s, guessedP2, guessedE2)) cls = this.nlOrTipc(s, p, state);
    }
    this.rowUnix = cls === Cls.UNIX;
    if (destroyed >= 0 && (cls !== Cls.INET || association || (netid !== undefined && netid !== 'udp'))) return queueReason('Send-Q', s, destroyed, destroyed + 2);

    const location = { file: this.opts.file, line: lineNo };
    // read from /proc, a unix socket's queues are not known (printed 0 0): left out, as a listener's backlog is
    if (cls === Cls.UNIX && this.stats.meta.source === 'proc') recvQ = undefined;
    const withSendQ = recvQ !== undefined && !this.noSendQ(state);
    let rec: SocketRecord;
    if (state !== undefined && withSendQ) {
      // the usual row, made in its final shape at once (the keys in the order the other branch adds them)
      rec = { netid: netid ?? 'unknown', local: EMPTY_EP, peer: EMPTY_EP, location, state, recvQ, sendQ };
    } else {
      rec = { netid: netid ?? 'unknown', local: EMPTY_EP, peer: EMPTY_EP, location };
      if (state !== undefined) rec.state = state;
      if (recvQ !== undefined) rec.recvQ = recvQ;
      if (withSendQ) rec.sendQ = sendQ;
    }

    let extStart: number;
    // (ss -E names every port by tcp's services, a udp socket's too: udp 514 prints as `shell`, tcp's name for it)
    const proto = destroyed >= 0 ? 'tcp' : netid === 'udp' ? 'udp' : netid === 'sctp' ? 'sctp' : netid === 'dccp' ? 'dccp' : 'tcp';
    switch (cls) {
      case Cls.UNIX: {
        const r = this.unixAddresses(rec, s, p, n, at === undefined ? undefined : at + ins);
        if (typeof r === 'string') {
          // a name with a newline goes on on the next line (tryNameJoin)
          return at === undefined && !joined && inputBytes(s, p, s.length) + 1 <= UNIX_HELD_BYTES ? NAME_JOIN : r;
        }
        this.rowInodeAt -= ins;
        this.rowPeerInodeAt -= ins;
        extStart = r;
        break;
      }
      case Cls.NL: {
        const r = netlinkAddresses(rec, s, p, n);
        if (typeof r === 'string') return r;
        // PROTO:PORTID, the protocol name without a colon (a process name in PORTID may hold one); the peer `*` or
        // GROUP:PORTID
        const e1 = tokEnd(s, p, n);
        const c = s.indexOf(':', p);
        this.rowPort = c >= 0 && c < e1 ? c + 1 - ins : -1;
        const p2 = skipWs(s, e1, n);
        this.rowPeerPort = peerPortAt(s, p2, tokEnd(s, p2, n)) - ins;
        extStart = r;
        break;
      }
      default: {
        // guessClass already found the two address tokens of a Netid-less row
        const guessed = netid === undefined && !association;
        const e1 = guessed ? guessedE1 : tokEnd(s, p, n);
        const p2 = guessed ? guessedP2 : skipWs(s, e1, n);
        const e2 = guessed ? guessedE2 : tokEnd(s, p2, n);
        if (p2 >= n) return 'row has no peer address';
        extStart = e2;
        const raw = this.rawPort(netid);
        // inet addresses are read in place (the common case: no token strings made)
        const l = cls === Cls.INET ? this.inetEndpoint(s, p, e1, proto, raw) : this.endpoint(cls, s.slice(p, e1), proto, raw);
        const lp = this.endpointPort;
        const r = cls === Cls.INET ? this.inetEndpoint(s, p2, e2, proto, raw) : this.endpoint(cls, s.slice(p2, e2), proto, raw);
        if (typeof l === 'string') return `local ${l}`;
        if (typeof r === 'string') return `peer ${r}`;
        if (!l || !r) return cls === Cls.INET ? unrecognised(s0) : `unrecognised ${netid ?? CLASS_NAME[cls]} address`;
        rec.local = l;
        rec.peer = r;
        if (cls === Cls.INET) {
          this.rowPort = lp - ins;
          this.rowPeerPort = this.endpointPort - ins;
        } else {
          const c = lastColon(s, p, e1);
          this.rowPort = c >= 0 ? c + 1 - ins : -1;
          this.rowPeerPort = peerPortAt(s, p2, e2) - ins;
        }
        break;
      }
    }

    this.rowExt = extStart;
    this.rowExtTail = n - extStart;
    // Inet rows whose sink says what it reads are parsed lazily (a joined or association row never is).
    const lazy = cls === Cls.INET && !joined && !association ? this.lazyArgs(rec) : undefined;
    this.rowLazy = lazy !== undefined;
    this.rowSkipped = false;
    if (this.segs.length !== 0) this.segs = [];
    if (extStart < n) {
      const bits = parseExtensions(rec, s, extStart, n, cls === Cls.UNIX, lazy);
      if (lazy) {
        this.segs.push(s, extStart, n);
        if (bits & SEEN_SKIPPED) this.rowSkipped = true;
      }
      if (bits & SEEN_UNTERMINATED) {
        // a COMM with a newline in it (ss ≤ 6.x prints it raw) continues on the next line, which tryJoin joins
        // while the COMM stays within its 15 bytes (its start on this line and the newline count)
        const c = openComm();
        if (!joined && c >= 0) {
          this.rowComm = inputBytes(s, c, s.length) + 1;
          if (this.rowComm <= COMM_BYTES) return JOIN;
        }
        this.rowTruncated = true;
      }
      // items that do not read (a pid, a count out of range …): the socket is kept without them, the row reported
      if (bits & SEEN_BAD) this.rowBad = badItemsReason();
      this.seen |= bits;
    }

    // Netid / State inference
    if (association) {
      rec.netidInferred = 'sctp: association row (`- STATE, empty Netid) under its endpoint row';
      (rec.extra ??= {}).association = true;
    } else if (netid === undefined) {
      // decided in finishRecord, once continuation lines (TCP info) are in
      this.rowCls = cls;
      if (destroyed >= 0) this.rowMptcp = UDP_EVENT;
      else if (cls === Cls.INET && this.decision === undefined && extStart < n) this.rowMptcp = mptcpItem(s, extStart, n);
    } else {
      if (rec.state === undefined) this.inferState(rec);
    }
    if (destroyed >= 0) this.stats.events ??= lineNo;
    return rec;
  }

  /** The addresses of a unix row from s[p], its INODE at index `at` when that is known (SsParser.portCol). */
  private unixAddresses(rec: SocketRecord, s: string, p: number, n: number, at?: number): number | string {
    // NAME INODE PEERNAME PEERINODE [users:((…))] [ext]; a name may hold spaces — and anything a process binds,
    // ` 999 * 0 users:(("sshd",pid=1,fd=1))` too. After the peer's inode come items only, none a bare number
    // but the inodes a listener's `peers:` list ends the row with: the real PEERINODE is the row's last number
    // (the name's fake ones come before it), and a `users:((` whose group ends before that number is a name's.
    // One space separates NAME and INODE (ss right-aligns the name before it): the name keeps its own trailing ones.
    const starts: number[] = [];
    const ends: number[] = [];
    // token indexes of `users:((` (ss prints two parentheses: a process name holding `users:(` makes a token
    // with one, which is no anchor)
    const users: number[] = [];
    let i = p;
    while (i < n) {
      i = skipWs(s, i, n);
      if (i >= n) break;
      if (s.startsWith('users:((', i)) users.push(starts.length);
      const e = tokEnd(s, i, n);
      starts.push(i);
      ends.push(e);
      i = e;
    }
    const m = starts.length;
    const num = (k: number): boolean => {
      const v = parseIntRange(s, starts[k], ends[k]);
      return v === v;
    };
    // NAME is every token before INODE (token j), PEER the one after it
    const take = (j: number): void => {
      rec.local = unixEndpoint(s.slice(starts[0], starts[j] - 1), parseIntRange(s, starts[j], ends[j]));
      rec.peer = unixEndpoint(s.slice(starts[j + 1], ends[j + 1]), parseIntRange(s, starts[j + 2], ends[j + 2]));
      this.rowInodeAt = starts[j];
      this.rowPeerInodeAt = starts[j + 2];
    };
    // where the INODE is known: it and the peer are there, items (or the process column) after them
    const ends3 = (j: number): boolean => j + 3 >= m || looksLikeExtension(s.slice(starts[j + 3], ends[j + 3]));
    if (at !== undefined) {
      const j = s.charCodeAt(at - 1) === 32 ? starts.indexOf(at) : -1;
      if (j < 1 || !num(j) || j + 2 >= m || !num(j + 2) || !ends3(j)) return UNIX_NOT_AT_COLUMN;
      take(j);
      return j + 3 < m ? starts[j + 3] : n;
    }
    let lastNum = m - 1;
    while (lastNum >= 0 && !num(lastNum)) lastNum--;
    if (lastNum === m - 1) {
      let t = lastNum;
      while (t >= 0 && num(t)) t--;
      if (t >= 0 && ends[t] - starts[t] === 6 && s.startsWith('peers:', starts[t])) {
        lastNum = t - 1;
        while (lastNum >= 0 && !num(lastNum)) lastNum--;
      }
    }
    // the process column, when the capture may have one (-p; -Z, -z and -T before ss 6.7): the first `users:((`
    // after a NAME INODE PEER INODE whose group is one ss prints (closed, COMMs of at most 15 bytes — which
    // ` INODE * 0 users:((` is not) with no number after it (a row that ends inside a COMM: none after its
    // `users:((`). Among the first few only: a name (at most 108 bytes) holds no more.
    const l = this.flags?.letters;
    if (!l || l.has('p') || l.has('Z') || l.has('z') || l.has('T')) {
      let tried = 0;
      for (const k of users) {
        const j = k - 3;
        if (j < 1 || !num(j) || !num(j + 2)) continue;
        if (++tried > MAX_UNIX_ANCHORS) break;
        const end = processColumnEnd(s, starts[k], n);
        if (end === -1) continue;
        if (lastNum >= 0 && starts[lastNum] >= (end < 0 ? starts[k] : end)) continue;
        take(j);
        return starts[k];
      }
    }
    // no process column: NAME INODE PEER INODE ends at the last number, followed by an item (or the end)
    const j = lastNum - 2;
    if (j < 1 || j > MAX_UNIX_NAME_TOKENS || !num(j)) return 'unrecognised unix address (expected NAME INODE PEER INODE)';
    if (!ends3(j)) return 'unrecognised unix address (expected NAME INODE PEER INODE)';
    take(j);
    return j + 3 < m ? starts[j + 3] : n;
  }

  private endpoint(cls: Cls, tok: string, proto: string, raw: boolean): Endpoint | undefined {
    switch (cls) {
      case Cls.PACKET: {
        if (tok === '*') return { address: '*', port: null };
        const c = tok.lastIndexOf(':');
        if (c <= 0) return undefined;
        const ep: Endpoint = { address: tok.slice(0, c), port: null };
        const dev = tok.slice(c + 1);
        if (dev && dev !== '*') ep.iface = dev;
        return ep;
      }
      case Cls.XDP: {
        if (tok === '*') return { address: '*', port: null };
        const c = tok.lastIndexOf(':');
        if (c <= 0) return { address: tok, port: null };
        const dev = tok.slice(0, c);
        const q = tok.slice(c + 1);
        const ep: Endpoint = { address: dev, port: null, iface: dev };
        if (q.startsWith('q')) {
          const v = parseIntStrict(q.slice(1));
          if (v !== undefined) ep.port = v;
        }
        ep.portName = q;
        return ep;
      }
      case Cls.VSOCK:
      case Cls.TIPC: {
        if (tok === '*' || tok === '-') return { address: tok, port: null };
        const c = tok.lastIndexOf(':');
        if (c <= 0) return undefined;
        // a port or reference (u32) printed as a number that does not read: the row is unparsed
        if (integral(tok, c + 1, tok.length) && !(countRange(tok, c + 1, tok.length) >= 0)) return undefined;
        return portOf({ address: tok.slice(0, c), port: null }, tok.slice(c + 1), undefined, proto, false);
      }
      default: {
        const ep = this.inetEndpoint(tok, 0, tok.length, proto, raw);
        return typeof ep === 'string' ? undefined : ep;
      }
    }
  }

  /**
   * The inet endpoint s[from..to): `ADDR:PORT`, `[V6]:PORT`, `[V6]%IFACE:PORT`, `ADDR%IFACE:PORT`; undefined when
   * it is not one, or why not (`port 99999: …`) when its port is a number but not a port (0 to 65535).
   */
  private inetEndpoint(s: string, from: number, to: number, proto: string, raw: boolean): Endpoint | string | undefined {
    let addrTo: number;
    let addrFrom = from;
    let iface: string | undefined;
    let c: number;
    if (s.charCodeAt(from) === 91 /* [ */) {
      const close = s.indexOf(']', from);
      if (close < 0 || close >= to) return undefined;
      addrFrom = from + 1;
      addrTo = close;
      c = lastColon(s, close + 1, to);
      if (c < 0) return undefined;
      if (s.charCodeAt(close + 1) === 37 /* % */) iface = s.slice(close + 2, c);
      else if (c !== close + 1) return undefined;
    } else {
      c = lastColon(s, from, to);
      if (c < 0) return undefined;
      addrTo = c;
    }
    for (let i = addrFrom; i < addrTo; i++) {
      if (s.charCodeAt(i) === 37 /* % */) {
        if (iface === undefined) iface = s.slice(i + 1, addrTo);
        addrTo = i;
        break;
      }
    }
    if (addrTo === addrFrom || c + 1 === to) return undefined;
    this.endpointPort = c + 1;
    const ep: Endpoint = { address: s.slice(addrFrom, addrTo), port: null };
    if (iface) ep.iface = iface;
    const v = parseIntRange(s, c + 1, to);
    if (v >= 0 && v <= MAX_PORT && s.charCodeAt(c + 1) !== 45 /* - */) {
      ep.port = v; // what portOf makes of a number, without the port's string
      return ep;
    }
    if (integral(s, c + 1, to)) return `port ${cut(s.slice(c + 1, to))}: not a port number (0 to 65535)`;
    // (a NUL or other control character: a damaged file, not a service name of the capturing host's)
    if (/[\x00-\x1f\x7f]/.test(s.slice(c + 1, to))) return 'port with a control character in it (a damaged file, not a service name)';
    return portOf(ep, s.slice(c + 1, to), this.services, proto, raw);
  }

  /**
   * Whether a row without a Netid column may be read thin: the table is known and inet — decided by the rows, or
   * given by the capture flags (not vsock tables only). Asked of every such row: worked out again only when the
   * decision or the flags are others (each is a new object).
   */
  private netidlessThin(): boolean {
    const t = this.thinTable;
    if (t !== undefined && t.decision === this.decision && t.flags === this.flags) return t.thin;
    const thin = (this.decision === undefined ? this.flags?.table !== undefined : classOf(this.decision.netid) === Cls.INET)
      && vsockTables(this.flags) !== true;
    this.thinTable = { decision: this.decision, flags: this.flags, thin };
    return thin;
  }

  private thinTable?: { decision: Decision | undefined; flags: FlagInfo | undefined; thin: boolean };

  /**
   * Whether the two address tokens of a Netid-less row (guessClass found them; from s[p]) can only be a vsock
   * socket's: CID:PORT each (decimal, or `*` for any), as ss prints vsock addresses (misc/ss.c vsock_addr_print). A CID
   * is a bare number, which no inet address is; a netlink peer is `*` or GROUP:PORTID, a tipc one `-` or NODE:REF. So
   * `3:1024 *:*` (a listener bound to a CID) and `*:1024 2:5000` are vsock; `3:1024 2:5000` is only in a state no
   * netlink socket (always UNCONN) nor tipc one with a peer (ESTAB) has (SYN-SENT, CLOSING…); `*:1024 *:*` reads as
   * an inet listener on every address — vsock only in a section a vsock row decided (or by the capture flags). A
   * section decided another table keeps its rows.
   */
  private vsockOnly(s: string, p: number, state: string | undefined): boolean {
    const a = vsockAddress(s, p, guessedE1);
    const b = vsockAddress(s, guessedP2, guessedE2);
    if (a === VSOCK_NOT || b === VSOCK_NOT) return false;
    const d = this.decision;
    if (d !== undefined) return classOf(d.netid) === Cls.VSOCK;
    if (a === VSOCK_ANY) return b === VSOCK_CID;
    if (b === VSOCK_ANY) return s.startsWith('*:*', guessedP2) && guessedE2 - guessedP2 === 3;
    return state !== undefined && state !== 'ESTAB' && state !== 'UNCONN';
  }

  /**
   * The table of a row without a Netid column whose addresses are both NUMBER:NUMBER (from s[p]): a netlink socket
   * connected to a peer (ss -n: PROTOCOL:PORTID GROUP:PORTID, `0:9889 0:0`) or a tipc socket with one (NODE:REF
   * NODE:REF; ss --tipc has no Netid column). ss prints every netlink socket UNCONN, a tipc socket has a peer only when
   * ESTAB (misc/ss.c, netlink_show_one, tipc_show_sock). Without a State column: the capture flags (-f netlink, --tipc),
   * else the numbers — a netlink protocol is below 32 and its port ids are signed 32-bit, a tipc node and reference
   * unsigned — else netlink (inferNetid says it was assumed).
   */
  private nlOrTipc(s: string, p: number, state: string | undefined): Cls {
    if (state !== undefined) return state === 'UNCONN' ? Cls.NL : Cls.TIPC;
    const t = this.flags?.tables;
    if (t !== undefined && t.has('nl') !== t.has('*tipc')) return t.has('nl') ? Cls.NL : Cls.TIPC;
    const colon = s.indexOf(':', p);
    const node = parseIntRange(s, p, colon);
    const numbers = [node, parseIntRange(s, colon + 1, guessedE1)];
    const c2 = s.indexOf(':', guessedP2);
    numbers.push(parseIntRange(s, guessedP2, c2), parseIntRange(s, c2 + 1, guessedE2));
    if (numbers.some((v) => v < 0)) return Cls.NL;
    return node > NETLINK_PROTOCOLS || numbers.some((v) => v > 0x7fffffff) ? Cls.TIPC : Cls.NL;
  }

  private inferNetid(rec: SocketRecord, cls: Cls, sctpLine: number, mptcp: string | undefined): Strength {
    const f = this.flags;
    if (f && f.table && classOf(f.table) === cls) {
      rec.netid = f.table;
      rec.netidInferred = f.tableReason ??= `${f.table}: the capture flags "${f.raw.trim()}" select only that table`;
      if (mptcp !== UDP_EVENT) this.portsOf(rec); // (ss -E names a udp socket's ports by tcp's services)
      return Strength.NA;
    }
    if (sctpLine > 0) {
      this.stats.lineNotes++;
      rec.netid = 'sctp';
      rec.netidInferred = `sctp: followed by an SCTP association row (line ${sctpLine})`;
      return Strength.STRONG;
    }
    switch (cls) {
      case Cls.UNIX:
        rec.netid = 'unknown';
        rec.netidInferred = UNIX_UNDECIDED;
        return Strength.NA;
      case Cls.NL:
        rec.netid = 'nl';
        rec.netidInferred = rec.peer.address === '*' ? NL_UNCONNECTED : rec.state !== undefined ? NL_CONNECTED : NL_ASSUMED;
        return Strength.NA;
      case Cls.PACKET:
        rec.netid = 'unknown';
        rec.netidInferred = PACKET_UNDECIDED;
        return Strength.NA;
      case Cls.XDP:
        rec.netid = 'xdp';
        rec.netidInferred = 'xdp: address form IFACE:qN';
        return Strength.NA;
      case Cls.VSOCK:
        // a vsock dgram socket is always UNCONN (it has no connection: its sk_state stays TCP_CLOSE)
        if (rec.state !== undefined && rec.state !== 'UNCONN') {
          rec.netid = 'v_str';
          rec.netidInferred = `v_str: vsock address form CID:PORT in state ${rec.state} (a vsock dgram socket is UNCONN)`;
          return Strength.STRONG;
        }
        rec.netid = 'unknown';
        rec.netidInferred = VSOCK_UNDECIDED;
        return Strength.WEAK;
      case Cls.TIPC: {
        const t = rec.extra?.type;
        const id = typeof t === 'string' ? TIPC_TYPES[t] : undefined;
        rec.netid = id ?? 'unknown';
        rec.netidInferred = id
          ? `${id}: tipc address form NODE:REF and --tipcinfo type:${t as string}`
          : TIPC_UNDECIDED;
        // NODE:REF NODE:REF (ESTAB) is a connected vsock socket's CID:PORT CID:PORT too: held, for a vsock row of the
        // section to decide (fitsTable)
        return id === undefined && rec.peer.address !== '-' ? Strength.WEAK : Strength.NA;
      }
      default:
        break;
    }
    if (mptcp === UDP_EVENT) {
      rec.netid = 'udp';
      rec.netidInferred = UDP_EVENT_REASON;
      return Strength.STRONG;
    }
    if (mptcp !== undefined) {
      rec.netid = 'mptcp';
      rec.netidInferred = `mptcp: the row carries MPTCP info (${mptcp})`;
      return Strength.STRONG;
    }
    const st = rec.state;
    if (st !== undefined && STREAM_ONLY.has(st)) {
      // tcp, unless a row of the section shows mptcp or sctp (held until then: decide); TCP info settles it
      rec.netid = 'tcp';
      rec.netidInferred = STREAM_ONLY_REASON.get(st)!;
      return rec.tcp !== undefined || (rec.timer !== undefined && rec.timer.name !== 'unknown') ? Strength.STRONG : Strength.STREAM;
    }
    if (rec.tcp !== undefined || (rec.timer !== undefined && rec.timer.name !== 'unknown')) {
      rec.netid = 'tcp';
      rec.netidInferred = rec.tcp !== undefined ? 'tcp: the row carries TCP info' : `tcp: the row carries a ${rec.timer!.name} timer`;
      return Strength.STRONG;
    }
    const lp = rec.local.portName;
    if (lp !== undefined && this.protocolName(lp)) {
      rec.netid = 'raw';
      rec.netidInferred = `raw: the port field holds the IP protocol ${lp}`;
      this.portsOf(rec);
      return Strength.STRONG;
    }
    if (st === 'UNCONN' && this.decision === undefined && (rec.peer.port !== null || rec.peer.portName !== undefined)) {
      // (a udp or raw socket connects as ESTAB, and forgets its peer when it disconnects; a tcp socket keeps it when
      // it closes: ss -E prints each one it reports destroyed so). Once the section is decided the row follows it, as a
      // thin row (thinRow), whose endpoints may be left unread, does.
      rec.netid = 'tcp';
      rec.netidInferred = CLOSED_WITH_PEER;
      return Strength.STREAM;
    }
    if (st === 'UNCONN') {
      rec.netid = 'udp';
      rec.netidInferred = 'udp (assumed): UNCONN inet socket without a Netid column could also be raw or a closed tcp socket';
    } else if (st === 'ESTAB') {
      rec.netid = 'unknown';
      rec.netidInferred = ESTAB_UNDECIDED;
    } else {
      rec.netid = 'unknown';
      rec.netidInferred = STATELESS_UNDECIDED;
    }
    return Strength.WEAK;
  }

  /**
   * Whether a port ss printed as `name` is an IP protocol, a raw socket's (`udp`, `gre`, `ipproto-253`), which no tcp
   * or udp port is: a protocol name that is no service name (`l2tp` is both: port 1701 too).
   */
  private protocolName(name: string): boolean {
    return protocolNumber(name) !== undefined && this.services.lookup(name, 'tcp') === undefined && this.services.lookup(name, 'udp') === undefined;
  }

  /**
   * The ports ss printed as names of a row without a Netid column, read again for the table it was given: parseRow
   * read them as a tcp socket's service names (`0.0.0.0:udp` of ss -w is a raw socket's protocol 17, not a service).
   */
  private portsOf(rec: SocketRecord): void {
    const netid = rec.netid;
    const raw = netid === 'raw';
    if (!raw && netid !== 'udp' && netid !== 'sctp' && netid !== 'dccp') return;
    for (const ep of [rec.local, rec.peer]) {
      if (ep.portName === undefined) continue;
      ep.port = null;
      portOf(ep, ep.portName, this.services, netid, raw);
    }
  }

  private inferState(rec: SocketRecord): void {
    // only when the State column is absent (not merely empty on a row of a table that has it)
    if (this.layout && this.layout.state) return;
    const f = this.flags;
    // ss -E lists the sockets the kernel destroys, whatever their state: no state filter applies (ss -Eu prints
    // UNCONN rows without a State column)
    if (f?.letters.has('E')) return;
    if (f && f.state) {
      rec.state = f.state;
      rec.stateInferred = f.stateReason ??= `the capture flags "${f.raw.trim()}" filter on a single state`;
      return;
    }
    const id = rec.netid;
    if (id === 'nl' || id === 'p_raw' || id === 'p_dgr') {
      rec.state = 'UNCONN';
      rec.stateInferred = `${id} sockets are listed as UNCONN unless a state filter is given`;
      return;
    }
    if (id === 'udp' && f && !f.letters.has('a') && !f.letters.has('l')) {
      rec.state = 'ESTAB';
      rec.stateInferred = 'ss -u without -a/-l lists only connected (ESTAB) udp sockets';
    }
  }

  private finishFields(): void {
    const f = seenGroups(this.seen, this.stats.fields);
    const layout = this.layout;
    if (layout?.state) this.stats.headerFields.push('state');
    if (layout?.queues) this.stats.headerFields.push('queues');
    if (!this.flags) return;
    addFlagFields(this.flags, f);
    const unshown = ROW_SHOWN_GROUPS.filter(([letter, group]) => this.flags!.letters.has(letter) && !f.has(group)).map(([, group]) => group);
    if (unshown.length > 0) this.stats.unshown = unshown;
  }
}

/** The flags whose group every row of a capture shows when it has it (-e: ino:/sk:, -m: skmem:, -i: TCP info). */
const ROW_SHOWN_GROUPS: [string, FieldGroup][] = [['e', 'extended'], ['m', 'skmem'], ['i', 'tcpinfo']];

/** Adds to `into` the field groups of SEEN_* bits `b`. */
function seenGroups(b: number, into: Set<FieldGroup>): Set<FieldGroup> {
  if (b & SEEN_STATE) into.add('state');
  if (b & SEEN_QUEUES) into.add('queues');
  if (b & SEEN_PROCESSES) into.add('processes');
  if (b & SEEN_TIMER) into.add('timer');
  if (b & SEEN_EXTENDED) into.add('extended');
  if (b & SEEN_SKMEM) into.add('skmem');
  if (b & SEEN_TCPINFO) into.add('tcpinfo');
  return into;
}

/**
 * Adds to `into` the field groups that capture flags promise whatever the rows show: those every row may lack
 * (-p: a process only where ss may see it; -o/-e: a timer only where one is pending). -e, -m and -i promise
 * nothing: each row that has their items shows them, so the rows tell (ParseStats.unshown).
 */
export function addFlagFields(flags: FlagInfo, into: Set<FieldGroup>): Set<FieldGroup> {
  const l = flags.letters;
  if (l.has('p')) into.add('processes');
  if (l.has('o') || l.has('e')) into.add('timer');
  return into;
}

/**
 * How a Netid-less row tells its table: NA (its own, or undecidable), STRONG (decides the section), WEAK (follows
 * the section's decision), STREAM (a stream-only state: tcp unless the section's decision is mptcp or sctp).
 */
const enum Strength { NA, STRONG, WEAK, STREAM }

/** The tables whose sockets have stream-only states. */
const STREAM_TABLES = new Set(['tcp', 'mptcp', 'sctp', 'dccp', 'v_str']);

/**
 * MPTCP info items (ss -M -i: net/mptcp's mptcp_info) that TCP info (nor a `tcp-ulp-mptcp` subflow's, with its
 * `token:`) never has: key:value items, and the bare `remote_key` and `fallback`.
 */
const MPTCP_ITEM = /(?:^|[ \t])((?:subflows(?:_max|_total)?|add_addr_(?:signal|accepted)(?:_max)?|local_addr_(?:used|max)|csum_enabled|endp_laminar_max|write_seq|snd_una|rcv_nxt|last_(?:data_sent|data_recv|ack_recv)):\S*|remote_key(?=[ \t]|$)|fallback(?=[ \t]|$))/g;

/** The first MPTCP info item in extension text s[from..to), outside a `users:((…))` group (a COMM may hold anything). */
function mptcpItem(s: string, from: number, to: number): string | undefined {
  MPTCP_ITEM.lastIndex = from > 0 ? from - 1 : 0; // (the whitespace before an item at `from`)
  for (let m = MPTCP_ITEM.exec(s); m !== null && m.index < to; m = MPTCP_ITEM.exec(s)) {
    const at = m.index + m[0].length - m[1].length;
    if (at + m[1].length > to) return undefined;
    const users = s.lastIndexOf('users:((', at);
    if (users < from || s.indexOf('))', users) < at) return m[1];
  }
  return undefined;
}

// netidInferred of the rows whose table cannot be told (netid `unknown`), and the kind each one counts as
const UNIX_UNDECIDED = 'unix socket without a Netid column: stream, datagram and seqpacket cannot be told apart';
const PACKET_UNDECIDED = 'packet socket address form (PROTO:IFACE, peer *) without a Netid column: p_raw or p_dgr';
const VSOCK_UNDECIDED = 'vsock socket (CID:PORT) without a Netid column, UNCONN: v_str or v_dgr cannot be told apart';
const TIPC_UNDECIDED = 'tipc socket (NODE:REF, peer - or NODE:REF) without a Netid column: ti_st/ti_dg/ti_rd/ti_sq cannot be told apart';
// netidInferred of netlink rows without a Netid column (nlOrTipc)
const NL_UNCONNECTED = 'nl: netlink address form PROTOCOL:PORTID with peer *';
const NL_CONNECTED = 'nl: netlink address form PROTOCOL:PORTID with peer GROUP:PORTID, in state UNCONN as every netlink socket (a tipc socket with a peer is ESTAB)';
const NL_ASSUMED = 'nl (assumed): netlink address form PROTOCOL:PORTID with peer GROUP:PORTID, which a tipc socket with a peer (NODE:REF NODE:REF) may print too without a State column (give the capture flags: --ss-flags or a "# flags:" line)';
/**
 * SsParser.rowMptcp / curMptcp of a Netid-less row whose Send-Q is -1: ss -E (events) prints a udp socket the kernel
 * destroys so — its write memory counter, which ss shows less one (sk_wmem_alloc_get), has dropped to 0 with the
 * socket's last reference — and never a tcp one (tcp's Send-Q is a sequence difference). Its Send-Q is read as 0.
 */
const UDP_EVENT = '\u0000udp-event';
const CLOSED_WITH_PEER = 'tcp: state UNCONN with a peer port: a closed stream socket (udp and raw sockets with a peer are ESTAB; mptcp/dccp/sctp print the same)';
const UDP_EVENT_REASON = 'udp: Send-Q -1, which ss -E prints only for a udp socket it reports destroyed';
/**
 * Whether capture flags select vsock tables only (`-A vsock_stream`, `-A v_dgr`: one table, no Netid column):
 * true; tables, none of them vsock: false; no table, or vsock and others: undefined (the rows tell).
 */
function vsockTables(flags: FlagInfo | undefined): boolean | undefined {
  const t = flags?.tables;
  if (t === undefined || t.size === 0) return undefined;
  let v = 0;
  for (const x of t) if (x === 'v_str' || x === 'v_dgr' || x === '*vsock') v++;
  return v === t.size ? true : v === 0 ? false : undefined;
}

/** What an address token is as a vsock address (vsockAddress). */
const VSOCK_NOT = 0;
const VSOCK_ANY = 1;
const VSOCK_CID = 2;

/** The address token s[from..to) as a vsock one, CID:PORT: VSOCK_ANY for the CID `*`, VSOCK_CID for a number, else VSOCK_NOT. */
function vsockAddress(s: string, from: number, to: number): number {
  const c = s.indexOf(':', from);
  if (c <= from || c >= to - 1) return VSOCK_NOT;
  const port = to - c === 2 && s.charCodeAt(c + 1) === 42 /* * */ ? 0 : countRange(s, c + 1, to);
  if (!(port >= 0 && port <= 0xffffffff)) return VSOCK_NOT;
  if (c - from === 1 && s.charCodeAt(from) === 42) return VSOCK_ANY;
  const cid = countRange(s, from, c);
  return cid >= 0 && cid <= 0xffffffff ? VSOCK_CID : VSOCK_NOT;
}

/**
 * Whether a Netid-less row held for its section's decision may take the table `netid` the section was decided: a vsock
 * row only a vsock table, and a vsock table only rows whose addresses a vsock socket prints (CID:PORT, numbers or `*`).
 */
function fitsTable(rec: SocketRecord, netid: string): boolean {
  if (rec.netidInferred === VSOCK_UNDECIDED || rec.netidInferred === TIPC_UNDECIDED) return classOf(netid) === Cls.VSOCK;
  return classOf(netid) !== Cls.VSOCK || (vsockEndpoint(rec.local) && vsockEndpoint(rec.peer));
}

function vsockEndpoint(ep: Endpoint): boolean {
  return ep.portName === undefined && ep.iface === undefined && (ep.address === '*' || /^\d{1,10}$/.test(ep.address));
}

/** Netlink protocols are numbered below 32 (the kernel's MAX_LINKS). */
const NETLINK_PROTOCOLS = 31;
const ESTAB_UNDECIDED = 'ESTAB inet socket without a Netid column: tcp or connected udp (give the capture flags to decide: --ss-flags or a "# flags:" line)';
const STATELESS_UNDECIDED = 'inet socket without Netid and State columns: the table cannot be told from the row (give the capture flags: --ss-flags or a "# flags:" line)';
const UNDECIDED_KIND = new Map<string, UndecidedKind>([
  [UNIX_UNDECIDED, 'unix'], [PACKET_UNDECIDED, 'packet'], [TIPC_UNDECIDED, 'tipc'], [ESTAB_UNDECIDED, 'inet'], [STATELESS_UNDECIDED, 'inet'],
]);

/** Field groups of the main columns, in the same bit set as fields.ts SEEN_* (which use bits 0–6). */
const SEEN_STATE = 1 << 8;
const SEEN_QUEUES = 1 << 9;

const NO_SINK_ERROR = Symbol("no sink error");
const JOIN = '\u0000join';
const NAME_JOIN = '\u0000name';
/** SsParser.curUnixText at the start of a byte range. */
const RANGE_START = '';
/** The rows of each table compared with the tables before it (ParseStats.repeated), and the sockets compared at most. */
export const REMEMBERED_ROWS = 64;
export const REMEMBERED_MAX = 16384;

/** What tells a socket from another in a listing: its table, state and both ends (a unix socket's port is its inode). */
function socketKey(rec: SocketRecord): string {
  const end = (e: SocketRecord['local']): string => `${e.address}%${e.iface ?? ''}:${e.port ?? e.portName ?? '*'}`;
  // (a thin row's endpoints may be unread yet: two sockets of other addresses would read alike)
  const [local, peer] = wholeEndpoints(rec);
  return `${rec.netid} ${rec.state ?? '-'} ${end(local)} ${end(peer)}`;
}

/** SsParser.portCol when no header or row has told it. */
const PORT_UNKNOWN = -1;
/** SsParser.portCol at the start of a byte range (rangeStartRow). */
const PORT_RANGE_START = -2;
/** A column of ports further out (a header padded to a terminal of thousands of columns) is not used: rows held stay few. */
const MAX_PORT_COLUMN = 1 << 14;

/** The UTF-8 bytes of s before index i, or PORT_UNKNOWN when a U+FFFD (one to three bytes) is among them. */
function byteOffset(s: string, i: number): number {
  let n = 0;
  for (let k = 0; k < i; k++) {
    const c = s.charCodeAt(k);
    if (c === 0xfffd) return PORT_UNKNOWN;
    n += charBytes(c);
  }
  return n;
}

/**
 * Where the port of peer address token s[from..to) starts: after its last `:`, or (a peer without one: `*`, `-`) where
 * its empty port would (ss prints the address right-aligned, the port after it).
 */
function peerPortAt(s: string, from: number, to: number): number {
  const c = lastColon(s, from, to);
  return c >= 0 ? c + 1 : to;
}

/** Where the port of the address token [from, to) of thin row t starts in its line: after the token's last `:`. */
function afterColon(t: ThinRow, from: number, to: number): number {
  const c = portColon(t[0], from, to);
  return t[0][c] === 58 /* : */ ? c + 1 - t[1] : PORT_UNKNOWN;
}

/** Where `Port` starts after `title` (`Local Address:`, `Peer Address:`) in a header line, or PORT_UNKNOWN. */
function headerPort(s: string, title: string): number {
  const i = s.indexOf(title);
  return i >= 0 && s.startsWith('Port', i + title.length) ? i + title.length : PORT_UNKNOWN;
}

/**
 * A number of the `ss -s` summary (sockstat counters: `closed` may be computed negative), or undefined when it
 * is beyond ±(2^53 - 1) — it would not be held exactly — and why in `bad`.
 */
function summaryNumber(text: string, what: string, bad: string[]): number | undefined {
  const v = Number(text);
  if (Number.isSafeInteger(v)) return v;
  bad.push(`${what} ${cut(text)}: not a number from -(2^53-1) to 2^53-1`);
  return undefined;
}

function summaryReason(bad: string[]): string {
  return `ss -s line not read in full: ${bad.join('; ')}`;
}


/** Whether s[from..to) is a decimal integer: digits, perhaps after a `-`. */
function integral(s: string, from: number, to: number): boolean {
  if (from < to && s.charCodeAt(from) === 45 /* - */) from++;
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Why a row whose `column` (Recv-Q or Send-Q) is the number s[from..to), but not a queue length, is unparsed. */
function queueReason(column: string, s: string, from: number, to: number): string {
  return `${column} ${cut(s.slice(from, to))}: not a queue length (0 to ${MAX_COUNT})`;
}

function unrecognised(s: string): string {
  const t = s.trimStart();
  for (const m of STDERR_MESSAGES) if (t.startsWith(m.head)) return `ss error message (stderr): ${m.what}`;
  if (t.startsWith('Unexpected EOF reading')) return 'ss error message (stderr): truncated TCPDIAG_FILE replay';
  if (t.startsWith('TCPDIAG answered')) return 'ss error message (stderr): a TCPDIAG_FILE replay';
  if (t.startsWith('ss:') || t.startsWith('Usage:')) return 'ss error or usage message';
  return 'not an ss socket row';
}

// ───────────────────────────── ss's stderr in its output ─────────────────────────────

/** The columns of the rows past a first unix row's longest name (SsParser.probeLine). */
interface Probe {
  /** The bytes of the lines after the unix row, each with its newline. */
  extent: number;
  /** The column of each row's local port (a unix socket's INODE), and of its peer's. */
  ports: number[];
  peers: number[];
  /** The rightmost of those columns, and the rows at it. */
  max: number;
  atMax: number;
}

/** Rows at the rightmost column, past the first unix row's longest name, that tell the table's (SsParser.probeLine). */
const PROBE_ROWS = 8;
/** Lines held for them at most (a name of 108 newlines, and rows), and their bytes. */
const PROBE_LINES = UNIX_NAME_BYTES + 64;
const PROBE_BYTES = 64 * 1024;

/** A line that ends in an ss error message written into it (SsParser.stderrGlued): the message, the line, its bytes. */
interface Glued {
  message: string;
  what: string;
  whole: string;
  bytes: number;
  /** Whether a CR was taken off the line's end. */
  cr: boolean;
  /** Whether the message has been reported (a line after it confirmed it). */
  reported: boolean;
}

/** A C-locale strerror() text, as perror() prints it after `PREFIX: ` (`Invalid argument`, `Unknown error 524`). */
const STRERROR = /^[A-Z][A-Za-z0-9 ,'/()-]*$/;
const NUMBER = /^-?\d+$/;
const NETLINK_OPEN = 'ss could not open a netlink socket (the sockets it would have listed are missing)';
const NETLINK_READ = 'a netlink read failed (the sockets it would have listed are missing)';
const CGROUP = 'ss -e could not map a socket\'s cgroup to its path (its cgroup: item reads unreachable:ID)';

/**
 * What ss and the iproute2 library code it runs write on stderr while it lists sockets (misc/ss.c, lib/libnetlink.c,
 * lib/fs.c, lib/cg_map.c), each ended by a newline: `head` and what must follow it to the end of the line (none: the
 * whole message). A capture taken with `2>&1` holds them between its lines — before the header on a small table (ss
 * renders the table at its end), or written into the middle of a line when ss rendered part of a large table already
 * (every ~5 MiB of output): stdout reaches the file in blocks, stderr at once (SsParser.stderrGlued).
 */
const STDERR_MESSAGES: readonly { head: string; tail?: RegExp; what: string }[] = [
  { head: 'RTNETLINK answers: ', tail: STRERROR, what: 'the kernel refused a netlink query' },
  { head: 'Cannot open netlink socket: ', tail: STRERROR, what: NETLINK_OPEN },
  { head: 'Cannot bind netlink socket: ', tail: STRERROR, what: NETLINK_OPEN },
  { head: 'Cannot getsockname: ', tail: STRERROR, what: NETLINK_OPEN },
  { head: 'SO_SNDBUF: ', tail: STRERROR, what: NETLINK_OPEN },
  { head: 'SO_RCVBUF: ', tail: STRERROR, what: NETLINK_OPEN },
  { head: 'Wrong address length ', tail: NUMBER, what: NETLINK_OPEN },
  { head: 'Wrong address family ', tail: NUMBER, what: NETLINK_OPEN },
  { head: 'Cannot talk to rtnetlink: ', tail: STRERROR, what: 'ss could not send a netlink query' },
  { head: 'netlink receive error ', tail: /^[A-Za-z0-9 ,'/-]+ \(\d+\)$/, what: NETLINK_READ },
  { head: 'EOF on netlink', what: NETLINK_READ },
  { head: 'Message truncated', what: NETLINK_READ },
  { head: 'DONE truncated', what: NETLINK_READ },
  { head: 'ERROR truncated', what: NETLINK_READ },
  { head: '!!!Remnant of size ', tail: NUMBER, what: NETLINK_READ },
  { head: 'malloc error: not enough buffer', what: 'ss ran out of memory' },
  { head: 'Dump was interrupted and may be inconsistent.', what: 'the kernel restarted its socket dump: the list may miss or repeat sockets' },
  { head: 'Error: ', tail: /^[^:]*\.$/, what: 'the kernel\'s netlink error message' },
  { head: 'Warning: ', tail: /^[^:]*\.$/, what: 'the kernel\'s netlink warning' },
  { head: 'Failed to find cgroup2 mount', what: CGROUP },
  { head: 'Failed to open cgroup2 mount', what: CGROUP },
  { head: 'Failed to open cgroup2 by ID', what: CGROUP },
  { head: 'Failed to read value of symbolic link ', tail: /^\/proc\/self\/fd\/\d+$/, what: CGROUP },
  { head: 'Failed to allocate memory for cgroup2 path', what: CGROUP },
  { head: 'Failed to setup cgroup2 directory', what: CGROUP },
  { head: 'Failed to open mounts file: ', tail: STRERROR, what: CGROUP },
  { head: 'Failed to get cgroup2 ID: ', tail: STRERROR, what: CGROUP },
  { head: 'Failed to mount cgroup2: ', tail: STRERROR, what: CGROUP },
  { head: 'Failed to mount cgroup2. Are CGROUPS enabled in your kernel?', what: CGROUP },
  { head: 'Invalid cgroup2 ID', what: CGROUP },
  { head: 'Invalid cgroup2 path', what: CGROUP },
  { head: 'Invalid size of cgroup2 ID', what: CGROUP },
];

/**
 * Whether the line b[start..end) (its trailing spaces off) may end in a message of STDERR_MESSAGES, as stderrEnd first
 * tells from its last word (a thin row is left to the full parse then, which looks for one): a thin row ends in an
 * address, an item or a process group, whose last word is glued to a `:`, `*`, `(` or `-`.
 */
function mayEndInStderr(b: Buffer, start: number, end: number): boolean {
  let p = end - 1;
  if (b[p] === 41 /* ) */) {
    p--;
    while (p > start && b[p] >= 48 && b[p] <= 57) p--;
    return p < end - 2 && b[p] === 40 /* ( */ && b[p - 1] === 32;
  }
  if (!wordChar(b[p]) && b[p] !== 63 /* ? */) return false;
  while (p > start && wordChar(b[p - 1])) p--;
  return b[p - 1] === 32 || (b[p - 1] === 47 /* / */ && latin1(b, Math.max(start, p - 14), p) === '/proc/self/fd/');
}

/** The words a message of STDERR_MESSAGES may put before the number it ends with (`Unknown error 524`: strerror's). */
const NUMBER_WORDS = new Set(['size', 'length', 'family', 'error']);

/** Whether c is an ASCII letter, digit or `.`: what the last word of a message of STDERR_MESSAGES is made of. */
function wordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46;
}

/**
 * Where the message of STDERR_MESSAGES that ends line s starts, and what it is; undefined when the line ends in none.
 * A row of ss ends in an address, an item, a process group or padding, never in a bare word (`mount`, `argument`), a
 * number after size/length/family/error or `(N)`, which every message does: lines that end otherwise are not searched.
 */
function stderrEnd(s: string): { at: number; what: string } | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let p = n - 1;
  const c = s.charCodeAt(p);
  if (c === 41 /* ) */) {
    // `netlink receive error TEXT (ERRNO)`
    p--;
    while (p > 0 && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p--;
    if (p === n - 2 || s.charCodeAt(p) !== 40 /* ( */ || s.charCodeAt(p - 1) !== 32) return undefined;
  } else if (c >= 48 && c <= 57) {
    while (p > 0 && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p--;
    if (s.charCodeAt(p) === 45 /* - */) p--;
    const sep = s.charCodeAt(p);
    if (sep === 47 /* / */) {
      if (!s.startsWith('/proc/self/fd/', p - 13)) return undefined;
    } else {
      if (sep !== 32) return undefined;
      let w = p;
      while (w > 0 && wordChar(s.charCodeAt(w - 1))) w--;
      if (!NUMBER_WORDS.has(s.slice(w, p))) return undefined;
    }
  } else if (wordChar(c) || c === 63 /* ? */) {
    while (p > 0 && wordChar(s.charCodeAt(p - 1))) p--;
    if (p === 0 || s.charCodeAt(p - 1) !== 32) return undefined;
  } else {
    return undefined;
  }
  let found: { at: number; what: string } | undefined;
  for (const m of STDERR_MESSAGES) {
    let at: number;
    if (m.tail === undefined) {
      if (!s.endsWith(m.head)) continue;
      at = n - m.head.length;
    } else {
      at = s.lastIndexOf(m.head);
      if (at < 0 || !m.tail.test(s.slice(at + m.head.length))) continue;
    }
    if (found === undefined || at < found.at) found = { at, what: m.what };
  }
  return found;
}

const CUT_LINE = 'the last line, which no newline ends (a file cut mid-line, by head -c or a full disk, ends so), ends in';
const CUT_HINT = 'if the file is whole, its final newline taken off, add it back: echo >> FILE';

/** The newlines in s (a row of several physical lines holds them). */
function newlines(s: string): number {
  let k = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) k++;
  return k;
}

/**
 * Whether the input's last line, `text`, which no newline ends, may be cut short: it ends in a token, not in the
 * padding ss puts after a column (the cut, if any, fell between tokens) or a CR (a CR LF file: only its LF is off),
 * and that token may be the start of a longer one — which a port `*` (`0.0.0.0:*`, a netlink peer `*`), a tipc peer `-`,
 * a closed `(…)` group (`users:((…))`, `timer:(…)`, `skmem:(…)`), a shutdown marker, `v6only:1` or a number 0 (ss
 * prints no number with a leading 0: a unix row's `* 0`, a netlink peer `0:0`) is not.
 */
export function mayBeCut(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  const c = text.charCodeAt(n - 1);
  if (isWs(c) || c === 42 /* * */ || c === 41 /* ) */) return false;
  let t = n;
  while (t > 0 && !isWs(text.charCodeAt(t - 1))) t--;
  const token = text.slice(t);
  if (token === '-' || token === '<->' || token === '-->' || token === '<--' || token === '---' || token === 'v6only:1') return false;
  // (`rtt:0` may be the start of `rtt:0.5`: only a whole 0 or a NUMBER:0 pair is an integer)
  return !(token === '0' || /^-?\d+:0$/.test(token));
}

/** s.trimStart().startsWith('`- ') without making the trimmed string (non-ASCII leading space: the slow way). */
function startsAssociation(s: string): boolean {
  let k = 0;
  let c = s.charCodeAt(0);
  while (k < s.length && (isWs(c) || c === 10)) c = s.charCodeAt(++k);
  if (c > 127) return s.trimStart().startsWith('`- ');
  return c === 96 /* ` */ && s.startsWith('`- ', k);
}

/**
 * s.trimEnd().length. A row that ends in no blank (compact output) is not searched; a padded one (ss pads
 * the last column to the terminal's width: hundreds of spaces on every row of a -tuaxnpmioe capture) is
 * left to V8's trimEnd, ~3× faster over the padding than a charCodeAt loop (200k padded unix rows:
 * 0.3 s of a 1.4 s scan went into that loop).
 */
function trimmedLength(s: string): number {
  const n = s.length;
  const c = n > 0 ? s.charCodeAt(n - 1) : 0;
  return c === 32 || (c >= 9 && c <= 13) || c > 127 ? s.trimEnd().length : n;
}

function skipWs(s: string, p: number, n: number): number {
  while (p < n && isWs(s.charCodeAt(p))) p++;
  return p;
}

function tokEnd(s: string, p: number, n: number): number {
  while (p < n && !isWs(s.charCodeAt(p))) p++;
  return p;
}

/** The last ':' in s[from..to), or -1 (lastIndexOf without the runtime call: addresses are short). */
function lastColon(s: string, from: number, to: number): number {
  let i = to - 1;
  while (i >= from && s.charCodeAt(i) !== 58) i--;
  return i >= from ? i : -1;
}

function startsWithState(t: string): boolean {
  for (const st of STATES_BY_LENGTH) {
    if (t.startsWith(st)) {
      const rest = t.slice(st.length);
      return rest.length === 0 || parseIntStrict(rest) !== undefined;
    }
  }
  return false;
}

/** Whether s[from..to) is NUMBER:NUMBER (decimal, perhaps signed). */
function numberPair(s: string, from: number, to: number): boolean {
  const c = s.indexOf(':', from);
  return c > from && c < to && integral(s, from, c) && integral(s, c + 1, to);
}

/** Token bounds guessClass found (the local and peer address tokens), for the row it was called for. */
let guessedE1 = 0;
let guessedP2 = 0;
let guessedE2 = 0;

/**
 * Whether the address token s[p..e), whose first `:` is at `colon`, is an IPv6 address that ss ≤ 4.12 printed
 * without brackets (`2001:db8::15:443`, `::ffff:10.0.2.15:9200`): a group of 1–4 hex digits, then a second
 * `:` further on. A netlink address (`4:6364`, `rtnl:kernel`, `0:NetworkManager/878`) has one `:` unless
 * its process name holds one.
 */
function unbracketedV6(s: string, p: number, colon: number, e: number): boolean {
  if (colon - p > 4) return false;
  for (let i = p; i < colon; i++) if (!isHexDigit(s.charCodeAt(i))) return false;
  const second = s.indexOf(':', colon + 1);
  return second > 0 && second < e;
}

function guessClass(s: string, p: number, n: number): Cls {
  const e1 = tokEnd(s, p, n);
  const p2 = skipWs(s, e1, n);
  const e2 = tokEnd(s, p2, n);
  guessedE1 = e1;
  guessedP2 = p2;
  guessedE2 = e2;
  // a unix name: a path or an abstract name (no inet, netlink, packet … address starts so)
  const a0 = s.charCodeAt(p);
  if (a0 === 47 /* / */ || a0 === 64 /* @ */) return Cls.UNIX;
  const b0 = s.charCodeAt(p2);
  if (b0 === 45 /* - */ || (b0 >= 48 && b0 <= 57)) {
    const v = parseIntRange(s, p2, e2);
    if (v === v) return Cls.UNIX;
    if (e2 - p2 === 1) return Cls.TIPC; // `-`
  }
  const colon = s.indexOf(':', p);
  if (colon > p && colon < e1 && !unbracketedV6(s, p, colon, e1)) {
    const c0 = s.charCodeAt(p);
    if (c0 >= 48 && c0 <= 57) {
      const v = parseIntRange(s, p, colon);
      if (v === v) return Cls.NL;
    } else if (c0 >= 97 && c0 <= 122 /* a-z */ && NL_PROTOS.has(s.slice(p, colon))) return Cls.NL;
  }
  if (e2 - p2 === 1 && b0 === 42 /* * */) {
    if (/:q\d+$/.test(s.slice(p, e1))) return Cls.XDP;
    return Cls.PACKET;
  }
  return Cls.INET;
}

/**
 * A unix socket's inode as ss ≥ 6.6 prints it: ss ≤ 6.5 printed it signed, inodes from 2^31 on negative (`/x -6`
 * for 4294967290), which then read as the later version's number (baselines and peer links match across them).
 */
export function unsignedInode(inode: number): number {
  return inode < 0 && inode >= -0x80000000 ? inode + 0x100000000 : inode;
}

/** The bytes of a unix endpoint's name (inputBytes: at least). */
function unixNameBytes(ep: Endpoint): number {
  return inputBytes(ep.address, 0, ep.address.length);
}

/**
 * Whether the extension text s[from..to) of a row holds a bare number or a bare `*` outside its `users:((…))`
 * groups: items only follow the addresses (key:value, key=value, `(…)` groups, shutdown markers, the bare words
 * of -i), never such a token, but a unix row's INODE * PEERINODE does (afterUnix). A token is whitespace-ended
 * outside balanced parentheses, as parseExtensions (fields.ts) reads it.
 */
function bareItem(s: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    i = skipWs(s, i, to);
    if (i >= to) break;
    if (s.startsWith('users:((', i)) {
      const end = parseUsers(s, i, false).end;
      if (end < 0 || end > to) return false;
      i = end;
      continue;
    }
    let e = i;
    for (let depth = 0; e < to; e++) {
      const c = s.charCodeAt(e);
      if (c === 40 /* ( */) depth++;
      else if (c === 41 /* ) */) {
        if (depth > 0) depth--;
      } else if (depth === 0 && isWs(c)) break;
    }
    if (integral(s, i, e) || (e - i === 1 && s.charCodeAt(i) === 42 /* * */)) return true;
    i = e;
  }
  return false;
}

/** Whether a unix record has a name longer than a unix name can be: its lines are not one row. */
function longUnixName(rec: SocketRecord): boolean {
  return unixNameBytes(rec.local) > UNIX_NAME_BYTES || unixNameBytes(rec.peer) > UNIX_NAME_BYTES;
}

function unixEndpoint(name: string, inode: number): Endpoint {
  const ep: Endpoint = { address: name, port: unsignedInode(inode) };
  if (name.charCodeAt(0) === 47 /* / */) ep.path = name;
  return ep;
}

/** Netlink: local `PROTO:PORT` (PORT may be `COMM/PID` with spaces in COMM), peer `*` or `G:P`. */
function netlinkAddresses(rec: SocketRecord, s: string, p: number, n: number): number | string {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = p;
  while (i < n && starts.length < 4096) {
    i = skipWs(s, i, n);
    if (i >= n) break;
    const e = tokEnd(s, i, n);
    starts.push(i);
    ends.push(e);
    i = e;
  }
  const m = starts.length;
  // extFrom = first index from which every token is an extension item
  let extFrom = m;
  while (extFrom > 0 && looksLikeExtension(s.slice(starts[extFrom - 1], ends[extFrom - 1]))) extFrom--;
  for (let k = 1; k < m; k++) {
    if (k + 1 < extFrom) continue;
    const t = s.slice(starts[k], ends[k]);
    if (t !== '*' && !/^-?\d+:-?\d+$/.test(t)) continue;
    const local = s.slice(starts[0], ends[k - 1]);
    const c = local.indexOf(':');
    if (c <= 0) return 'unrecognised netlink address';
    // port ids are signed 32-bit: a number beyond 2^53 is not read
    if (integral(local, c + 1, local.length) && parseIntStrict(local.slice(c + 1)) === undefined) return NETLINK_PORT;
    rec.local = netlinkEndpoint(local.slice(0, c), local.slice(c + 1));
    if (t === '*') rec.peer = { address: '*', port: null };
    else {
      const c2 = t.indexOf(':', 1);
      const port = parseIntStrict(t.slice(c2 + 1));
      if (port === undefined) return NETLINK_PORT;
      rec.peer = { address: t.slice(0, c2), port };
    }
    return k + 1 < m ? starts[k + 1] : n;
  }
  return 'unrecognised netlink address';
}

const NETLINK_PORT = 'netlink port id beyond 2^53 (not a number from -2^53 to 2^53)';

function netlinkEndpoint(proto: string, port: string): Endpoint {
  const ep: Endpoint = { address: proto, port: null };
  const v = parseIntStrict(port);
  if (v !== undefined) {
    ep.port = v;
    return ep;
  }
  if (port === '*') return ep; // port id -1: unbound
  ep.portName = port;
  if (port === 'kernel') ep.port = 0;
  else {
    const slash = port.lastIndexOf('/');
    if (slash >= 0) {
      const pid = parseIntStrict(port.slice(slash + 1));
      if (pid !== undefined) ep.port = pid;
    }
  }
  return ep;
}

function portOf(ep: Endpoint, port: string, services: ServiceTable | undefined, proto: string, raw: boolean): Endpoint {
  if (port === '*') return ep;
  const v = parseIntStrict(port);
  if (v !== undefined) {
    ep.port = v;
    return ep;
  }
  ep.portName = port;
  if (raw) {
    const pn = protocolNumber(port);
    if (pn !== undefined) {
      ep.port = pn;
      return ep;
    }
  }
  if (services && !port.startsWith('rpc.')) {
    const sv = services.lookup(port, proto);
    if (sv !== undefined) ep.port = sv;
  }
  return ep;
}

/** Convenience for tests/small inputs. */
export function parseSsText(
  text: string | Buffer,
  opts: ParserOptions,
): {
  sockets: SocketRecord[];
  unparsed: UnparsedLine[];
  summaries: SsSummary[];
  comments: { line: number; text: string }[];
  stats: ParseStats;
} {
  const sockets: SocketRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const summaries: SsSummary[] = [];
  const comments: { line: number; text: string }[] = [];
  const p = new SsParser(opts, {
    socket: (r) => sockets.push(r),
    unparsed: (u) => unparsed.push(u),
    summary: (s) => summaries.push(s),
    comment: (line, t) => comments.push({ line, text: t }),
  });
  p.write(text);
  const stats = p.end();
  return { sockets, unparsed, summaries, comments, stats };
}

export { PROTOCOLS };
export type { ServiceTable };
