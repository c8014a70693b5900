/**
 * Realistic ScanReports for the formatter tests, built by hand in the engine's shapes (fingerprints and
 * socket summaries come from the engine's own functions). Several hosts, per-socket and aggregate findings,
 * a waived finding, a rule not evaluated, unparsed lines, stdin and live sources, and hostile strings
 * (ANSI escapes, quotes, NUL, <>&, bidi overrides, the node-sarif-builder placeholder marker).
 */
import type { Finding, Level, RuleMeta, ScanReport, SnapshotReport } from '../../src/engine/types';
import type { SocketRecord } from '../../src/snapshot/types';
import { describeSocket } from '../../src/snapshot/describe';
import { groupFingerprint, socketFingerprint } from '../../src/engine/fingerprint';

export const HOSTILE_PROCESS = 'evil\u001b[2J\u001b[31;1m"proc\'<&>\u0000\u202eSARIF_BUILDER_INVALID';
export const HOSTILE_PATH = '/run/\u001b]0;pwned\u0007app<&>]]>.sock';
export const PEER_ADDRESSES = ['203.0.113.77', '2001:db8:77::9', '198.51.100.23'];

export const RULES: RuleMeta[] = [
  {
    id: 'no-public-db',
    title: 'Database port reachable from everywhere',
    description: 'A database listens on a wildcard address, so any host that can route to it can try to log in.',
    level: 'error',
    kind: 'security',
    securitySeverity: 8.1,
    tags: ['database', 'exposure'],
    references: ['CWE-668', 'https://cwe.mitre.org/data/definitions/668.html'],
    help: 'Bind the database to `127.0.0.1` or a private interface, or firewall the port.\n\n```ini\nbind-address = 127.0.0.1\n```',
    helpUri: 'https://socklint.dev/rules/no-public-db',
  },
  {
    id: 'telnet-listening',
    title: 'Telnet is listening',
    description: 'Telnet sends credentials in clear text.',
    level: 'warning',
    kind: 'security',
    tags: ['cleartext'],
    references: ['CIS 2.2.18'],
    help: 'Remove the telnet server; use SSH.',
  },
  {
    id: 'close-wait-excess',
    title: 'Too many CLOSE-WAIT sockets',
    description: 'A process does not close connections its peers closed; it leaks file descriptors.',
    level: 'warning',
    kind: 'health',
    tags: ['reliability'],
    references: [],
    help: 'Find the process and fix its connection handling.',
  },
  {
    id: 'process-unknown',
    title: 'Listening socket without a known process',
    description: 'A listener whose owner cannot be identified.',
    level: 'note',
    kind: 'health',
    tags: [],
    references: [],
    help: 'Capture with `ss -p` as root.',
  },
  {
    id: 'unix-world-socket',
    title: 'Unix socket in a shared directory',
    description: 'A unix socket under /run or /tmp that other users may reach.',
    level: 'note',
    kind: 'security',
    securitySeverity: 3.1,
    tags: ['unix'],
    references: [],
    help: 'Check the socket file permissions.',
  },
];

export function sock(partial: Partial<SocketRecord> & Pick<SocketRecord, 'local' | 'peer' | 'location'>): SocketRecord {
  return { netid: 'tcp', state: 'LISTEN', recvQ: 0, sendQ: 128, ...partial };
}

function socketFinding(ruleId: string, level: Level, host: string, s: SocketRecord, message: string): Finding {
  return { ruleId, level, message, location: s.location, host, socket: s, fingerprint: socketFingerprint(ruleId, host, s) };
}

function snapshot(file: string, host: string, extra: Partial<SnapshotReport> = {}): SnapshotReport {
  return {
    file,
    host,
    sockets: 40,
    lines: 44,
    unparsed: 0,
    unparsedLines: [],
    states: { LISTEN: 12, ESTAB: 20, 'CLOSE-WAIT': 8 },
    rulesEvaluated: RULES.map((r) => r.id),
    ...extra,
  };
}

function summarise(input: Omit<ScanReport, 'summary' | 'snapshotErrors'> & { snapshotErrors?: ScanReport['snapshotErrors'] }): ScanReport {
  const report = { ...input, snapshotErrors: input.snapshotErrors ?? [] };
  const active = report.findings.filter((f) => !f.suppressed);
  const omitted = report.omitted.reduce((n, o) => n + o.count, 0);
  const byLevel = { error: 0, warning: 0, note: 0 };
  for (const f of active) byLevel[f.level]++;
  return {
    ...report,
    summary: {
      findings: active.length + omitted,
      suppressed: report.findings.length - active.length,
      byLevel,
      notEvaluated: report.notEvaluated.length,
      omitted,
      sockets: report.snapshots.reduce((n, s) => n + s.sockets, 0),
      unparsed: report.snapshots.reduce((n, s) => n + s.unparsed, 0),
      snapshots: report.snapshots.length,
      snapshotErrors: report.snapshotErrors.length,
    },
  };
}

export function sampleReport(): ScanReport {
  const web = 'web-1.example.com';
  const db = 'db-1';
  const webFile = 'snapshots/web 1/web-1.ss';
  const dbFile = 'snapshots/db-1.ss';

  const mysql = sock({
    local: { address: '0.0.0.0', port: 3306 },
    peer: { address: '0.0.0.0', port: null, portName: '*' },
    processes: [{ name: 'mysqld', pid: 812, fd: 21 }],
    location: { file: dbFile, line: 14 },
  });
  const pg = sock({
    local: { address: '::', port: 5432 },
    peer: { address: '::', port: null, portName: '*' },
    processes: [{ name: HOSTILE_PROCESS, pid: 901 }],
    location: { file: dbFile, line: 15 },
  });
  const telnet = sock({
    local: { address: '0.0.0.0', port: 23 },
    peer: { address: '*', port: null },
    processes: [{ name: 'in.telnetd', pid: 77 }],
    location: { file: webFile, line: 9 },
  });
  const waivedDb = sock({
    local: { address: '10.0.0.5', port: 27017 },
    peer: { address: '0.0.0.0', port: null },
    processes: [{ name: 'mongod', pid: 450 }],
    location: { file: webFile, line: 11 },
  });
  const unknownOwner = sock({
    local: { address: 'fe80::1', port: 8443, iface: 'eth0' },
    peer: { address: '::', port: null },
    location: { file: '-', line: 3 },
  });
  const estabToPeer = sock({
    state: 'ESTAB',
    local: { address: '10.0.0.5', port: 3306 },
    peer: { address: PEER_ADDRESSES[0], port: 51234 },
    processes: [{ name: 'mysqld', pid: 812 }],
    location: { file: dbFile, line: 30 },
  });
  const unixSock = sock({
    netid: 'u_str',
    local: { address: HOSTILE_PATH, port: 12345, path: HOSTILE_PATH },
    peer: { address: '*', port: 0 },
    processes: [{ name: 'app', pid: 1200 }],
    location: { file: 'live:bastion', line: 2 },
  });

  const closeWaitOffenders = [
    sock({ state: 'CLOSE-WAIT', local: { address: '10.0.0.1', port: 8080 }, peer: { address: PEER_ADDRESSES[0], port: 51234 }, processes: [{ name: 'java', pid: 900 }], location: { file: webFile, line: 40 } }),
    sock({ state: 'CLOSE-WAIT', local: { address: '10.0.0.1', port: 8080 }, peer: { address: PEER_ADDRESSES[1], port: 40000 }, processes: [{ name: 'java', pid: 900 }], location: { file: webFile, line: 41 } }),
    sock({ state: 'CLOSE-WAIT', local: { address: '10.0.0.1', port: 8080 }, peer: { address: PEER_ADDRESSES[2], port: 40001 }, processes: [{ name: 'java', pid: 900 }], location: { file: webFile, line: 42 } }),
  ];
  const group = { state: 'CLOSE-WAIT', process: 'java' };
  const aggregate: Finding = {
    ruleId: 'close-wait-excess',
    level: 'warning',
    message: `57 sockets in CLOSE-WAIT for java (limit 20), e.g. from ${PEER_ADDRESSES[0]}`,
    location: closeWaitOffenders[0].location,
    host: web,
    group,
    observed: 57,
    threshold: 20,
    offenders: closeWaitOffenders.map((s) => ({ location: s.location, summary: describeSocket(s) })),
    offendersOmitted: 54,
    fingerprint: groupFingerprint('close-wait-excess', web, group),
  };

  const findings: Finding[] = [
    socketFinding('no-public-db', 'error', db, mysql, 'mysqld listens on 0.0.0.0:3306 (all IPv4 addresses)'),
    socketFinding('no-public-db', 'error', db, pg, `${HOSTILE_PROCESS} listens on [::]:5432 (all addresses)`),
    socketFinding('no-public-db', 'error', db, estabToPeer, `mysqld talks to ${PEER_ADDRESSES[0]} from outside the allowed networks`),
    socketFinding('telnet-listening', 'warning', web, telnet, 'in.telnetd listens on 0.0.0.0:23'),
    {
      ...socketFinding('no-public-db', 'error', web, waivedDb, 'mongod listens on 10.0.0.5:27017'),
      suppressed: { kind: 'waiver', reason: 'Legacy reporting DB, firewalled \u001b[8m"hidden"', owner: 'dba-team', expires: '2027-01-31', ticket: 'OPS-1234' },
    },
    aggregate,
    socketFinding('process-unknown', 'note', 'edge', unknownOwner, 'nobody owns [fe80::1%eth0]:8443'),
    socketFinding('unix-world-socket', 'note', 'bastion', unixSock, `app listens on ${HOSTILE_PATH}`),
  ];

  return summarise({
    tool: { name: 'socklint', version: '0.1.0', informationUri: 'https://socklint.dev' },
    startedAt: '2026-11-25T18:30:00.000Z',
    durationMs: 1234,
    rules: RULES,
    snapshots: [
      snapshot(webFile, web, { labels: { role: 'web' }, meta: { time: '2026-11-25T18:29:00Z', kernel: '6.1.0' } }),
      snapshot(dbFile, db, {
        unparsed: 2,
        lines: 46,
        unparsedLines: [
          { line: 44, text: `tcp ESTAB 0 0 10.0.0.5:3306 ${PEER_ADDRESSES[2]}:40022 \u001b[31mgarbage`, reason: 'too few columns' },
          { line: 45, text: '<script>&amp;"\'\u0000', reason: 'not an ss line' },
        ],
      }),
      snapshot('-', 'edge', { rulesEvaluated: ['no-public-db', 'telnet-listening', 'process-unknown', 'unix-world-socket'], sockets: 3, lines: 4, states: { LISTEN: 3 }, unknownNetid: 1 }),
      snapshot('live:bastion', 'bastion', { sockets: 5, lines: 6, states: { LISTEN: 2, UNCONN: 3 } }),
    ],
    findings,
    notEvaluated: [{ ruleId: 'close-wait-excess', host: 'edge', file: '-', reason: 'needs the socket state (a State column, or a query that implies it), not captured' }],
    omitted: [{ ruleId: 'telnet-listening', host: web, file: webFile, count: 3 }],
    waivers: [
      { ruleId: 'telnet-listening', reason: 'old lab box', expires: '2025-01-01', status: 'expired', location: { file: 'socklint.yaml', line: 12 } },
    ],
  });
}

/** One host with `count` per-socket findings (for GitHub's 25,000-results cap). */
export function bigReport(count: number, offenders = 0): ScanReport {
  const host = 'big-host';
  const file = 'snapshots/big.ss';
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const s = sock({
      local: { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 3306 },
      peer: { address: '0.0.0.0', port: null },
      processes: [{ name: 'mysqld', pid: 1000 + i }],
      location: { file, line: i + 2 },
    });
    // Every 10th is a note, so the cap's priority (errors first) is observable.
    findings.push(socketFinding('no-public-db', i % 10 === 0 ? 'note' : 'error', host, s, `mysqld listens on ${s.local.address}:3306`));
  }
  if (offenders > 0) {
    const group = { state: 'CLOSE-WAIT' };
    findings.push({
      ruleId: 'close-wait-excess',
      level: 'warning',
      message: `${offenders} sockets in CLOSE-WAIT`,
      location: { file, line: 2 },
      host,
      group,
      observed: offenders,
      threshold: 20,
      offenders: Array.from({ length: offenders }, (_, i) => ({ location: { file, line: i + 2 }, summary: `tcp CLOSE-WAIT 10.0.0.1:8080 -> 10.9.0.${i % 250}:${40000 + i}` })),
      fingerprint: groupFingerprint('close-wait-excess', host, group),
    });
  }
  return summarise({
    tool: { name: 'socklint', version: '0.1.0' },
    startedAt: '2026-11-25T18:30:00.000Z',
    durationMs: 50,
    rules: RULES,
    snapshots: [snapshot(file, host, { sockets: count, lines: count + 1 })],
    findings,
    notEvaluated: [],
    omitted: [],
    waivers: [],
  });
}

export const CTX = { cwd: '/work/project', color: false, now: new Date('2026-11-25T18:31:00Z') };
