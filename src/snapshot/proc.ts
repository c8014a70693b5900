/**
 * `/proc/net` fallback for hosts without `ss`: reads /proc/net/{tcp,tcp6,udp,udp6,unix}, maps socket
 * inodes to processes through /proc/PID/fd links (`socket:[INODE]`) and /proc/PID/comm, and renders the
 * result as ss-compatible text (the layout of `ss -tuaxnpoe`: Netid column, `users:((…))`,
 * `timer:(…)`, `uid:N ino:N`) so it goes through the same parser, can be saved as evidence and
 * re-scanned. Kernel formats: net/ipv4/tcp_ipv4.c (get_tcp4_sock, get_timewait4_sock, get_openreq4),
 * net/ipv4/udp.c, net/unix/af_unix.c (unix_seq_show).
 *
 * The text is written row by row as the tables are read (renderProc): memory holds the inode → process map,
 * not the host's sockets (a table of 300,000 sockets used to be read, decoded and padded whole).
 *
 * What /proc cannot tell (documented in docs/live-capture.md): no -m/-i data, no v6only (an IPv6
 * wildcard is printed `*`, as ss's own /proc path does), no cgroup/sk cookie/shutdown state, no unix
 * queues or peer inodes, and a LISTEN socket's Send-Q (its backlog) is unknown — printed 0, as ss does.
 */
// Default import: calls go through the module object at call time (tests can spy on fs).
import fs from 'fs';
import * as path from 'path';
import { ExitCode, UserError } from '../diagnostics';
import { formatIPv6 } from '../rules/address';

/** What the rendered text carries, for the `# flags:` metadata line (no -m/-i: skmem/tcpinfo not evaluated). */
export const PROC_FLAGS = '-tuaxnpoe';

/** The kernel prints timer expiry in clock ticks (USER_HZ), which is 100 on every Linux architecture. */
const USER_HZ = 100;

const TCP_STATES: Record<number, string> = {
  0x01: 'ESTAB', 0x02: 'SYN-SENT', 0x03: 'SYN-RECV', 0x04: 'FIN-WAIT-1', 0x05: 'FIN-WAIT-2', 0x06: 'TIME-WAIT',
  0x07: 'UNCONN', 0x08: 'CLOSE-WAIT', 0x09: 'LAST-ACK', 0x0a: 'LISTEN', 0x0b: 'CLOSING', 0x0c: 'SYN-RECV',
  0x0d: 'UNCONN',
};

/** `tr` column → ss timer name (1 retransmit/probe/TLP, 2 keepalive, 3 TIME-WAIT, 4 zero-window probe). */
const TIMER_NAMES: Record<number, string> = { 1: 'on', 2: 'keepalive', 3: 'timewait', 4: 'persist' };

export interface ProcInetSocket {
  netid: 'tcp' | 'udp';
  family: 4 | 6;
  local: { address: string; port: number };
  peer: { address: string; port: number };
  /** `st` column, kernel TCP state number (UDP uses 7 unconnected, 1 connected). */
  stateCode: number;
  state: string;
  recvQ: number;
  sendQ: number;
  /** Timer as ss shows it; absent when no timer is pending. */
  timer?: { name: string; expiresMs: number; retrans: number };
  uid: number;
  inode: number;
}

export interface ProcUnixSocket {
  netid: 'u_str' | 'u_dgr' | 'u_seq';
  state: string;
  inode: number;
  /** Bound name: `/path` (may contain spaces), `@abstract`, or `*` when unnamed. */
  name: string;
}

/** Hex `01020304` (little-endian u32 as /proc prints it) → dotted quad. */
export function decodeIPv4(hex: string): string {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) throw new Error(`bad IPv4 hex "${hex}"`);
  const b = Buffer.from(hex, 'hex');
  return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
}

/** 32 hex digits = four u32 words, each printed in host (little-endian) order → 16 network-order bytes. */
export function decodeIPv6Bytes(hex: string): Buffer {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new Error(`bad IPv6 hex "${hex}"`);
  const out = Buffer.alloc(16);
  for (let w = 0; w < 4; w++) {
    const word = Buffer.from(hex.slice(w * 8, w * 8 + 8), 'hex');
    for (let i = 0; i < 4; i++) out[w * 4 + i] = word[3 - i];
  }
  return out;
}

function parseHex(s: string | undefined, what: string): number {
  if (s === undefined || !/^[0-9A-Fa-f]+$/.test(s)) throw new Error(`bad ${what} "${s ?? ''}"`);
  return parseInt(s, 16);
}

function parseDec(s: string | undefined, what: string): number {
  if (s === undefined || !/^-?\d+$/.test(s)) throw new Error(`bad ${what} "${s ?? ''}"`);
  return parseInt(s, 10);
}

function splitAddr(field: string, family: 4 | 6): { address: string; port: number } {
  const colon = field.indexOf(':');
  if (colon < 0) throw new Error(`bad address "${field}"`);
  const hex = field.slice(0, colon);
  const address = family === 4 ? decodeIPv4(hex) : formatIPv6(decodeIPv6Bytes(hex));
  return { address, port: parseHex(field.slice(colon + 1), 'port') };
}

/**
 * One data line of /proc/net/{tcp,tcp6,udp,udp6}. Throws on a malformed line (the caller reports it).
 * Columns: sl local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
 * - tm->when is clock ticks (USER_HZ) until expiry, 0 once expired;
 * - retrnsmt = icsk_retransmits, `timeout` = icsk_probes_out: the count ss shows is the former for the
 *   retransmit timer and the latter for keepalive/persist, as inet_diag reports it;
 * - LISTEN: rx_queue is the accept-queue length; tx_queue is 0 (the backlog is not in /proc).
 */
export function parseProcInetLine(line: string, netid: 'tcp' | 'udp', family: 4 | 6): ProcInetSocket {
  const f = line.trim().split(/\s+/);
  if (f.length < 10 || !f[0].endsWith(':')) throw new Error('not a /proc/net socket line');
  const local = splitAddr(f[1], family);
  const peer = splitAddr(f[2], family);
  const stateCode = parseHex(f[3], 'state');
  const [txHex, rxHex] = f[4].split(':');
  const [trHex, whenHex] = f[5].split(':');
  const tr = parseHex(trHex, 'timer');
  const when = parseHex(whenHex, 'timer expiry');
  const retrnsmt = parseHex(f[6], 'retransmit count');
  const uid = parseDec(f[7], 'uid');
  const probes = parseDec(f[8], 'probe count');
  const inode = parseDec(f[9], 'inode');
  const state = netid === 'udp'
    ? (stateCode === 0x01 ? 'ESTAB' : stateCode === 0x07 ? 'UNCONN' : TCP_STATES[stateCode] ?? 'UNKNOWN')
    : TCP_STATES[stateCode] ?? 'UNKNOWN';
  const sock: ProcInetSocket = {
    netid, family, local, peer, stateCode, state,
    recvQ: parseHex(rxHex, 'rx_queue'), sendQ: parseHex(txHex, 'tx_queue'), uid, inode,
  };
  if (tr !== 0) {
    sock.timer = {
      name: TIMER_NAMES[tr] ?? 'unknown',
      expiresMs: Math.round((when * 1000) / USER_HZ),
      retrans: tr === 1 ? retrnsmt : tr === 3 ? 0 : probes,
    };
  }
  return sock;
}

const UNIX_TYPES: Record<number, ProcUnixSocket['netid']> = { 1: 'u_str', 2: 'u_dgr', 5: 'u_seq' };
/** socket_state: SS_UNCONNECTED 1, SS_CONNECTING 2, SS_CONNECTED 3, SS_DISCONNECTING 4. */
const UNIX_STATES: Record<number, string> = { 1: 'UNCONN', 2: 'SYN-SENT', 3: 'ESTAB', 4: 'CLOSING' };
const SO_ACCEPTCON = 0x10000;

/**
 * One data line of /proc/net/unix: `Num RefCount Protocol Flags Type St Inode [Path]`. The path is the
 * rest of the line, so names with spaces survive (ss's own /proc reader cuts them at the first space);
 * a path containing a newline cannot be told apart from the next line (the kernel does not escape it).
 * Abstract names are printed with `@` for the leading (and every) NUL.
 */
export function parseProcUnixLine(line: string): ProcUnixSocket {
  const m = /^\s*[0-9A-Fa-f]+:\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\d+)(?: ([^]*))?$/.exec(line);
  if (!m) throw new Error('not a /proc/net/unix line');
  const flags = parseInt(m[3], 16);
  const type = parseInt(m[4], 16);
  const st = parseInt(m[5], 16);
  const name = m[7] !== undefined && m[7] !== '' ? m[7] : '*';
  return {
    netid: UNIX_TYPES[type] ?? 'u_dgr',
    state: flags & SO_ACCEPTCON ? 'LISTEN' : UNIX_STATES[st] ?? 'UNKNOWN',
    inode: parseInt(m[6], 10),
    name,
  };
}

/**
 * The lines of one /proc/net table as seen from the target network namespace, its header line first; none
 * when the table does not exist (tcp6 with IPv6 disabled).
 */
export type NetTableReader = (table: string) => AsyncIterable<string>;

/** Reader for `<root>/net/<table>` (root = /proc, /proc/PID for another namespace, or a test tree). */
export function fileTableReader(root: string): NetTableReader {
  return async function* lines(table) {
    const file = path.join(root, 'net', table);
    try {
      const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: TABLE_READ_BYTES });
      await new Promise<void>((resolve, reject) => input.once('ready', () => resolve()).once('error', reject));
      yield* linesOf(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      throw new UserError({ file, code: 'live-capture-failed', message: `cannot read the socket table (${code ?? (e as Error).message})` }, ExitCode.snapshot);
    }
  };
}
const TABLE_READ_BYTES = 256 * 1024;

/**
 * The lines of a table's text as it streams in, split at LF only: the kernel prints a unix socket's path
 * as it is, and one holding a CR stays one line (readline would cut it there).
 */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
    const lines = text.split('\n');
    rest = lines.pop()!;
    yield* lines;
  }
  if (rest !== '') yield rest;
}

/** What reading the tables found besides sockets. */
export interface ProcScanResult {
  /** Lines that could not be decoded (the first few, `table: reason: text`) and how many there were. */
  problems: string[];
  problemCount: number;
  /** /proc/PID/fd directories that could not be read (other users' processes when not root). */
  unreadableFdDirs: number;
}
const PROBLEMS_KEPT = 10;

/** The tables in the order their rows are written: unix, then udp, then tcp (as ss lists them). */
const TABLES: { table: string; netid: 'tcp' | 'udp' | 'unix'; family: 4 | 6 }[] = [
  { table: 'unix', netid: 'unix', family: 4 },
  { table: 'udp', netid: 'udp', family: 4 }, { table: 'udp6', netid: 'udp', family: 6 },
  { table: 'tcp', netid: 'tcp', family: 4 }, { table: 'tcp6', netid: 'tcp', family: 6 },
];

/**
 * The processes holding each socket, from a walk of /proc (mapSocketProcesses): for each socket inode, every
 * (PID, fd) holding it in ss -p's order. Kept in typed arrays sorted by inode (~20 bytes a link): the map is
 * held while a capture is written, and a busy host's processes hold hundreds of thousands of sockets.
 */
export class SocketOwners {
  private readonly inodes: Float64Array;
  /** Indexes of the links, by inode, then in the order they were found. */
  private readonly order: Uint32Array;
  private readonly pids: Uint32Array;
  private readonly fds: Uint32Array;

  constructor(private readonly names: ReadonlyMap<number, string>, inodes: readonly number[], pids: readonly number[], fds: readonly number[]) {
    this.inodes = Float64Array.from(inodes);
    this.pids = Uint32Array.from(pids);
    this.fds = Uint32Array.from(fds);
    const by = this.inodes;
    this.order = new Uint32Array(inodes.length).map((_, i) => i).sort((x, y) => by[x] - by[y] || x - y);
  }

  /** Sockets held (links to them: a socket held by two processes counts twice). */
  get links(): number {
    return this.order.length;
  }

  /** The holders of socket `inode` as ss prints them inside `users:(…)`, or undefined when no process holds it. */
  holders(inode: number): string | undefined {
    const { order, inodes } = this;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inodes[order[mid]] < inode) lo = mid + 1;
      else hi = mid;
    }
    let text: string | undefined;
    for (let k = lo; k < order.length && inodes[order[k]] === inode; k++) {
      const i = order[k];
      const entry = `("${this.names.get(this.pids[i])}",pid=${this.pids[i]},fd=${this.fds[i]})`;
      text = text === undefined ? entry : `${text},${entry}`;
    }
    return text;
  }
}

/**
 * Walk `<procRoot>/[0-9]*\/fd` for `socket:[INODE]` links: every socket a process holds. Names come
 * from `<procRoot>/PID/comm` (what ss reads from /proc/PID/stat), cut at the first `)` and with control
 * characters replaced by `.` exactly as ss 7.0 prints them, so a hostile name cannot break the row. A
 * socket's processes are listed in ss -p's order: ss walks /proc by ascending PID and fd and puts each link
 * at the head of its hash chain, so it prints the highest PID (and fd) first — a forked server's workers
 * before its master.
 */
export function mapSocketProcesses(procRoot: string): { processes: SocketOwners; unreadable: number } {
  const names = new Map<number, string>();
  const inodes: number[] = [];
  const pidOf: number[] = [];
  const fdOf: number[] = [];
  let unreadable = 0;
  let pids: string[];
  try {
    pids = fs.readdirSync(procRoot).filter((n) => /^\d+$/.test(n));
  } catch {
    pids = [];
  }
  pids.sort((a, b) => Number(b) - Number(a));
  // a folder we may not list, or one that lists but whose links are denied (PID 1's in some containers):
  // that process's sockets get no process, which the caller reports
  const denied = (e: unknown): boolean => {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM';
  };
  for (const pid of pids) {
    const fdDir = path.join(procRoot, pid, 'fd');
    let fds: string[];
    try {
      fds = fs.readdirSync(fdDir);
    } catch (e) {
      if (denied(e)) unreadable++;
      continue; // exited meanwhile, or not ours
    }
    fds.sort((a, b) => Number(b) - Number(a));
    const pidNumber = Number(pid);
    let linksDenied = false;
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`${fdDir}/${fd}`);
      } catch (e) {
        if (!linksDenied && denied(e)) {
          linksDenied = true;
          unreadable++;
        }
        continue; // (or closed meanwhile)
      }
      // `socket:[INODE]`
      if (!target.startsWith('socket:[') || target.charCodeAt(target.length - 1) !== 93 /* ] */) continue;
      const inode = Number(target.slice(8, -1));
      if (!Number.isSafeInteger(inode)) continue;
      if (!names.has(pidNumber)) names.set(pidNumber, readComm(procRoot, pid));
      inodes.push(inode);
      pidOf.push(pidNumber);
      fdOf.push(Number(fd));
    }
  }
  return { processes: new SocketOwners(names, inodes, pidOf, fdOf), unreadable };
}

function readComm(procRoot: string, pid: string): string {
  let comm: string;
  try {
    comm = fs.readFileSync(path.join(procRoot, pid, 'comm'), 'utf8').replace(/\n$/, '');
  } catch {
    comm = '';
  }
  const paren = comm.indexOf(')');
  if (paren >= 0) comm = comm.slice(0, paren);
  return comm.replace(/[\u0000-\u001f\u007f]/g, '.');
}

// ───────────────────────────── rendering ─────────────────────────────

/** Milliseconds → ss's TIME text (6.11+ form: `3.500sec`, never the old ambiguous `3.500ms`). */
export function formatTimerTime(ms: number): string {
  if (!(ms > 0)) return '';
  const m = Math.floor(ms / 60000);
  let s = Math.floor((ms % 60000) / 1000);
  let f = ms % 1000;
  let out = '';
  if (m > 0) {
    out += `${m}min`;
    f = 0;
    if (m >= 10) s = 0;
  }
  if (s > 0) {
    out += String(s);
    if (s >= 10) f = 0;
    out += f !== 0 ? '.' : 'sec';
  }
  if (f > 0) out += String(f).padStart(3, '0') + (s > 0 ? 'sec' : 'ms');
  return out;
}

function inetEndpoint(e: { address: string; port: number }, family: 4 | 6): string {
  const port = e.port === 0 ? '*' : String(e.port);
  if (family === 6 && e.address === '::') return `*:${port}`; // v6only is unknown: ss's /proc path prints `*`
  return family === 6 ? `[${e.address}]:${port}` : `${e.address}:${port}`;
}

/** ` users:(("name",pid=N,fd=N),…)` as ss -p prints it (with the space before it) of mapSocketProcesses' text; '' for none. */
export function usersField(holders: string | undefined): string {
  return holders === undefined ? '' : ` users:(${holders})`;
}

/** Column widths of the rendered rows (Netid … Peer Address:Port): wider values push the row on, as in ss. */
const WIDTHS = [5, 10, 6, 6, 25, 25];

function row(cells: string[], rest: string): string {
  return cells.map((c, i) => (i === 4 || i === 5 ? c.padStart(WIDTHS[i]) : c.padEnd(WIDTHS[i]))).join(' ') + rest;
}

/** The header row of the rendered text. */
export const PROC_HEADER = row(['Netid', 'State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port'], ' Process');

function unixRow(u: ProcUnixSocket, processes: SocketOwners): string {
  return row([u.netid, u.state, '0', '0', `${u.name} ${u.inode}`, '* 0'], usersField(processes.holders(u.inode))).trimEnd();
}

function inetRow(s: ProcInetSocket, processes: SocketOwners): string {
  let ext = usersField(processes.holders(s.inode));
  if (s.timer) ext += ` timer:(${s.timer.name},${formatTimerTime(s.timer.expiresMs)},${s.timer.retrans})`;
  if (s.uid !== 0) ext += ` uid:${s.uid}`;
  ext += ` ino:${s.inode}`;
  return row([s.netid, s.state, String(s.recvQ), String(s.sendQ), inetEndpoint(s.local, s.family), inetEndpoint(s.peer, s.family)], ext);
}

/**
 * ss-compatible text (`ss -tuaxnpoe` layout: a header, then unix, udp and tcp rows, one line each, no
 * continuation lines) of the tables `readTable` gives, written to `write` in pieces as they are read: a
 * line that cannot be decoded is counted (and the first few kept), never thrown.
 */
export async function renderProc(readTable: NetTableReader, procRoot: string, write: (text: string) => void): Promise<ProcScanResult> {
  const { processes, unreadable } = mapSocketProcesses(procRoot);
  const problems: string[] = [];
  let problemCount = 0;
  let out = `${PROC_HEADER}\n`;
  for (const { table, netid, family } of TABLES) {
    let header = true;
    for await (const line of readTable(table)) {
      if (header || line.trim() === '') {
        header = false;
        continue;
      }
      try {
        if (netid === 'unix') {
          const u = parseProcUnixLine(line);
          // inode 0: a connection waiting in a listener's queue (the listener's name, no socket file yet),
          // which ss's socket dump does not list either
          if (u.inode !== 0) out += `${unixRow(u, processes)}\n`;
        } else out += `${inetRow(parseProcInetLine(line, netid, family), processes)}\n`;
      } catch (e) {
        if (problemCount++ < PROBLEMS_KEPT) problems.push(`${table}: ${(e as Error).message}: ${line.trim().slice(0, 200)}`);
      }
      if (out.length >= WRITE_CHARS) {
        write(out);
        out = '';
      }
    }
  }
  write(out);
  return { problems, problemCount, unreadableFdDirs: unreadable };
}
const WRITE_CHARS = 64 * 1024;
