import { formatters } from '../../src/report';
import { redactReport, redactionTag } from '../../src/report/redact';
import { UserError, escapeControl } from '../../src/diagnostics';
import type { Finding, ScanReport } from '../../src/engine/types';
import type { SocketRecord } from '../../src/snapshot/types';
import { socketFingerprint } from '../../src/engine/fingerprint';
import { CTX, HOSTILE_PATH, HOSTILE_PROCESS, PEER_ADDRESSES, sampleReport, sock } from './fixtures';

const ALL = Object.values(formatters);

describe('--redact', () => {
  test('peer addresses disappear from every output; fingerprints stay', () => {
    const report = sampleReport();
    const fingerprints = report.findings.map((f) => f.fingerprint);
    for (const formatter of ALL) {
      const out = formatter.format(report, { ...CTX, redact: {} });
      for (const peer of PEER_ADDRESSES) expect({ format: formatter.name, leaked: out.includes(peer) }).toEqual({ format: formatter.name, leaked: false });
      if (formatter.name === 'json' || formatter.name === 'sarif') {
        for (const fp of fingerprints) expect(out).toContain(fp);
      }
    }
    // the input is not modified
    expect(report.findings[2].socket!.peer.address).toBe(PEER_ADDRESSES[0]);
  });

  test('masked values are stable tags, equal values equal tags; wildcards stay', () => {
    const r = redactReport(sampleReport());
    const tag = redactionTag(PEER_ADDRESSES[0]);
    expect(tag).toMatch(/^redacted-[0-9a-f]{8}$/);
    expect(r.findings[2].socket!.peer.address).toBe(tag);
    expect(r.findings[2].message).toBe(`mysqld talks to ${tag} from outside the allowed networks`);
    expect(r.findings[5].offenders![0].summary).toBe(`tcp CLOSE-WAIT 10.0.0.1:8080 -> ${tag}:51234 java[900]`);
    expect(r.findings[5].offenders![1].summary).toBe(`tcp CLOSE-WAIT 10.0.0.1:8080 -> [${redactionTag(PEER_ADDRESSES[1])}]:40000 java[900]`);
    expect(r.findings[0].socket!.peer.address).toBe('0.0.0.0');
    expect(r.findings[0].socket!.local.address).toBe('0.0.0.0');
    expect(redactionTag('x', 'salt-a')).not.toBe(redactionTag('x', 'salt-b'));
  });

  test('fields a user names: local.address, processes.name (across arrays), ports keep their type', () => {
    const r = redactReport(sampleReport(), { fields: ['local.address', 'processes.name', 'peer.port'] });
    const estab = r.findings[2].socket!;
    expect(estab.local.address).toBe(redactionTag('10.0.0.5'));
    expect(estab.processes![0].name).toBe(redactionTag('mysqld'));
    expect(estab.peer.port).toBeNull();
    expect(estab.peer.portName).toBe(redactionTag('51234'));
    expect(estab.peer.address).toBe(PEER_ADDRESSES[0]); // not named this time
    expect(r.findings[0].message).toBe(`${redactionTag('mysqld')} listens on 0.0.0.0:3306 (all IPv4 addresses)`);
    expect(r.findings[1].socket!.processes![0].name).toBe(redactionTag(HOSTILE_PROCESS));
    // aggregate groups keyed by a redacted field
    expect(r.findings[5].group!.process).toBe(redactionTag('java'));
    expect(r.findings[5].offenders![0].summary).toContain(`${redactionTag('java')}[900]`);
    const text = formatters.text.format(sampleReport(), { ...CTX, redact: { fields: ['processes.name'] } });
    expect(text).not.toMatch(/mysqld|in\.telnetd|java\[|mongod/);
  });

  test('an unknown field is a usage error with a suggestion', () => {
    expect(() => redactReport(sampleReport(), { fields: ['peer.address', 'proceses.name'] })).toThrow(UserError);
    try {
      redactReport(sampleReport(), { fields: ['proceses.name'] });
    } catch (e) {
      expect((e as UserError).exitCode).toBe(2);
      expect((e as UserError).message).toContain("did you mean 'processes'?");
    }
    expect(() => redactReport(sampleReport(), { fields: ['location.file'] })).toThrow(/unknown socket field 'location.file'/);
    // the rule language's name for it
    expect(() => redactReport(sampleReport(), { fields: ['process.name'] })).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ hint: "did you mean 'processes.name'?" })] }));
  });
});

test('redaction is idempotent: preparing a redacted report again (as the CLI and the formatters both do) changes nothing', () => {
  const once = redactReport(sampleReport(), { fields: ['peer.address', 'processes.name', 'local.port'] });
  const twice = redactReport(once, { fields: ['peer.address', 'processes.name', 'local.port'] });
  expect(twice).toEqual(once);
  const ctx = { ...CTX, redact: {} };
  const prepared = redactReport(sampleReport());
  for (const formatter of ALL) {
    expect(formatter.format(prepared, ctx)).toBe(formatter.format(sampleReport(), ctx));
  }
});

/** Every format's output for `report` redacted with `fields`, joined (each format renders text its own way). */
function allOutputs(report: ScanReport, fields?: string[]): string {
  return ALL.map((f) => f.format(report, { ...CTX, redact: fields ? { fields } : {} })).join('\n');
}

/** sampleReport plus one finding on `s` whose message is `message`, as the engine would render it. */
function withFinding(s: SocketRecord, message: string, extra: Partial<Finding> = {}): ScanReport {
  const report = sampleReport();
  report.findings.push({
    ruleId: 'no-public-db', level: 'error', message, location: s.location, host: 'db-1', socket: s,
    fingerprint: socketFingerprint('no-public-db', 'db-1', s), ...extra,
  });
  return report;
}

describe('--redact: snapshots that could not be scanned', () => {
  test('what their message quotes of the snapshot is masked as an unparsed line is', () => {
    const report: ScanReport = { ...sampleReport(), snapshotErrors: [{ file: 'x.ss', code: 'no-sockets', message: 'holds no parsable socket (1 line, 1 unparsed)', hint: 'first unparsed line 1: ESTAB 0 0 10.0.0.5:22 203.0.113.9:4444' }] };
    const out = redactReport(report, { fields: ['peer.address'] });
    expect(out.snapshotErrors[0].hint).not.toMatch(/203\.0\.113\.9/);
    expect(out.snapshotErrors[0].hint).toMatch(/redacted-[0-9a-f]{8}/);
    expect(out.snapshotErrors[0].message).toBe('holds no parsable socket (1 line, 1 unparsed)');
    expect(report.snapshotErrors[0].hint).toMatch(/203\.0\.113\.9/); // the input is left as it was
  });
});

describe('--redact: ports in rendered text', () => {
  test('a redacted port is masked in `address:port`, `[v6]:port`, `[v6%if]:port` and `*:port`, in every format', () => {
    const report = sampleReport();
    report.findings.push({ ...report.findings[3], message: 'in.telnetd listens on *:23', fingerprint: 'f'.repeat(32) });
    for (const fields of [['local.port'], ['local']]) {
      const r = redactReport(report, { fields });
      expect(r.findings[0].message).toBe(`mysqld listens on 0.0.0.0:${redactionTag('3306')} (all IPv4 addresses)`);
      expect(r.findings[1].message).toContain(`listens on [::]:${redactionTag('5432')} (all addresses)`);
      expect(r.findings[3].message).toBe(`in.telnetd listens on 0.0.0.0:${redactionTag('23')}`);
      expect(r.findings[6].message).toBe(`nobody owns [${fields[0] === 'local' ? redactionTag('fe80::1') : 'fe80::1'}%${fields[0] === 'local' ? redactionTag('eth0') : 'eth0'}]:${redactionTag('8443')}`);
      expect(r.findings[8].message).toBe(`in.telnetd listens on *:${redactionTag('23')}`);
      const out = allOutputs(report, fields);
      expect(out).not.toMatch(/:(3306|5432|8443|27017)\b/);
      expect(out).not.toMatch(/listens on (0\.0\.0\.0|\*):23\b/);
    }
  });

  test('only where the text shows a port: counts, sizes and pids equal to it stay, longer numbers are not touched', () => {
    const ssh = sock({ state: 'ESTAB', recvQ: 22, sendQ: 0, local: { address: '10.0.0.1', port: 22 }, peer: { address: '10.0.0.2', port: 5000 }, processes: [{ name: 'sshd', pid: 22 }], location: { file: 'snapshots/db-1.ss', line: 50 } });
    const report = withFinding(ssh, '22 unread bytes on 10.0.0.1:22 -> 10.0.0.2:5000 (sshd[22]) after 2200 bytes; tcp port 22; ports 22');
    const r = redactReport(report, { fields: ['local.port'] });
    const t = redactionTag('22');
    expect(r.findings[8].message).toBe(`22 unread bytes on 10.0.0.1:${t} -> 10.0.0.2:5000 (sshd[22]) after 2200 bytes; tcp port ${t}; ports ${t}`);
    expect(r.findings[8].socket!.local).toEqual({ address: '10.0.0.1', port: null, portName: t });
    // a bare port that is none of the finding's numbers is masked (a custom message printing `{local.port}/tcp`)
    const web = sock({ local: { address: '10.0.0.1', port: 5000 }, peer: { address: '0.0.0.0', port: null }, location: { file: 'snapshots/db-1.ss', line: 51 } });
    const custom = redactReport(withFinding(web, '5000/tcp is open'), { fields: ['local.port'] });
    expect(custom.findings[8].message).toBe(`${redactionTag('5000')}/tcp is open`);
  });

  test('ports in offender summaries and aggregate groups', () => {
    const r = redactReport(sampleReport(), { fields: ['peer.port'] });
    expect(r.findings[5].offenders!.map((o) => o.summary)).toEqual([
      `tcp CLOSE-WAIT 10.0.0.1:8080 -> ${PEER_ADDRESSES[0]}:${redactionTag('51234')} java[900]`,
      `tcp CLOSE-WAIT 10.0.0.1:8080 -> [${PEER_ADDRESSES[1]}]:${redactionTag('40000')} java[900]`,
      `tcp CLOSE-WAIT 10.0.0.1:8080 -> ${PEER_ADDRESSES[2]}:${redactionTag('40001')} java[900]`,
    ]);
    const report = sampleReport();
    report.findings[5].group = { localPort: 8080 };
    report.findings[5].message = '57 sockets on port 8080 (limit 20)';
    const g = redactReport(report, { fields: ['local.port'] });
    expect(g.findings[5].group).toEqual({ localPort: redactionTag('8080') });
    expect(g.findings[5].message).toBe(`57 sockets on port ${redactionTag('8080')} (limit 20)`);
    expect(g.findings[5].offenders![0].summary).toBe(`tcp CLOSE-WAIT 10.0.0.1:${redactionTag('8080')} -> ${PEER_ADDRESSES[0]}:51234 java[900]`);
    // a destination's port (ephemeral-port-exhaustion groups by it) is masked with peer.port, not local.port
    report.findings[5].group = { localAddress: '10.0.0.1', peerAddress: '10.0.0.1', peerPort: 5432 };
    expect(redactReport(report, { fields: ['peer.port'] }).findings[5].group).toEqual({ localAddress: '10.0.0.1', peerAddress: '10.0.0.1', peerPort: redactionTag('5432') });
    expect(redactReport(report, { fields: ['local.port'] }).findings[5].group).toMatchObject({ peerPort: 5432 });
  });

  test('a resolved port name (`ss -r`) is the same datum: local.port masks portName too', () => {
    const mysql = sock({ local: { address: '0.0.0.0', port: null, portName: 'mysql' }, peer: { address: '0.0.0.0', port: null }, location: { file: 'snapshots/db-1.ss', line: 52 } });
    const r = redactReport(withFinding(mysql, 'tcp port mysql is reachable beyond loopback on 0.0.0.0:mysql'), { fields: ['local.port'] });
    const t = redactionTag('mysql');
    expect(r.findings[8].socket!.local).toEqual({ address: '0.0.0.0', port: null, portName: t });
    expect(r.findings[8].message).toBe(`tcp port ${t} is reachable beyond loopback on 0.0.0.0:${t}`);
  });
});

describe('--redact: values as messages render them', () => {
  test('a process name or unix path with control characters is masked in its escaped form too', () => {
    const name = 'bell\u0007\b\u000b\u000c';
    const path = '/tmp/ring\u0007\u001b[2J.sock';
    const s = sock({ netid: 'u_str', local: { address: path, port: 77, path }, peer: { address: '*', port: 0 }, processes: [{ name, pid: 23026 }], location: { file: 'live:bastion', line: 9 } });
    const message = `unix socket ${escapeControl(path)} (${escapeControl(`${name}[23026]`)}) lives in a world-writable directory`;
    expect(message).toContain('bell\\x07\\x08\\x0b\\x0c[23026]');
    const report = withFinding(s, message);
    const r = redactReport(report, { fields: ['processes.name', 'local.path'] });
    expect(r.findings[8].message).toBe(`unix socket ${redactionTag(path)} (${redactionTag(name)}[23026]) lives in a world-writable directory`);
    // raw (the sample's own messages) and escaped forms, in every format
    const out = allOutputs(report, ['processes.name', 'local.path']);
    // (the path's own text, not any word holding `ring`: SARIF names a `waiver-expiring` notification)
    expect(out).not.toMatch(/bell|\/tmp\/ring|evil|SARIF_BUILDER_INVALID|pwned/);
  });
});

test('a value far longer than any real one (a corrupt snapshot\'s 100,000-character process name) is masked like the others', () => {
  const name = `${'L'.repeat(60000)}.${'M'.repeat(40000)}`;
  const s = sock({ local: { address: '0.0.0.0', port: 3306 }, peer: { address: '0.0.0.0', port: null }, processes: [{ name, pid: 7 }], location: { file: 'db-1.ss', line: 4 } });
  const report = withFinding(s, `${name}[7] listens on 0.0.0.0:3306`);
  const r = redactReport(report, { fields: ['processes.name'] });
  expect(r.findings[8].message).toBe(`${redactionTag(name)}[7] listens on 0.0.0.0:3306`);
  expect(allOutputs(report, ['processes.name'])).not.toMatch(/LLLL|MMMM/);
});

describe('--redact: unix sockets name their address and path alike', () => {
  test.each([['local.path'], ['local.address']])('%s masks both copies, and only on unix sockets', (field) => {
    const r = redactReport(sampleReport(), { fields: [field] });
    const unix = r.findings[7].socket!;
    expect(unix.local.address).toBe(redactionTag(HOSTILE_PATH));
    expect(unix.local.path).toBe(redactionTag(HOSTILE_PATH));
    expect(r.findings[7].message).toBe(`app listens on ${redactionTag(HOSTILE_PATH)}`);
    // an IP socket has no path: local.path leaves its address alone
    expect(r.findings[2].socket!.local.address).toBe(field === 'local.path' ? '10.0.0.5' : redactionTag('10.0.0.5'));
    expect(allOutputs(sampleReport(), [field])).not.toMatch(/pwned|app<|app&lt;|\/run\//);
  });

  test('peer.path masks a unix peer\'s address, and a unix group value', () => {
    const report = sampleReport();
    const s = report.findings[7].socket!;
    s.peer = { address: '/run/peer.sock', port: 9, path: '/run/peer.sock' };
    report.findings[5].group = { localAddress: '/run/grouped.sock' };
    report.findings[5].message = '57 sockets on /run/grouped.sock';
    const r = redactReport(report, { fields: ['peer.path', 'local.path'] });
    expect(r.findings[7].socket!.peer).toEqual({ address: redactionTag('/run/peer.sock'), port: 9, path: redactionTag('/run/peer.sock') });
    expect(r.findings[5].group).toEqual({ localAddress: redactionTag('/run/grouped.sock') });
    expect(r.findings[5].message).toBe(`57 sockets on ${redactionTag('/run/grouped.sock')}`);
  });
});

describe('--redact: unparsed lines', () => {
  const LINES = [
    'ESTAB 0 0 ZZZ garbage 10.0.0.1:3306 secret-db.corp.example:55556 users:(("secretproc",pid=101,fd=5)) rto:204 rtt:0.5/0.25 ino:4242 sk:edb5 cgroup:/system.slice/db.service',
    'ESTAB 0 0 ZZZ garbage 10.0.0.1:3306 [2001:db8::dead:beef]:443 users:(("other proc",pid=102,fd=6),("two",pid=103,fd=7))',
    'ESTAB 0 0 ZZZ fe80::1%eth0:443 2001:db8::cafe:443 ::ffff:192.0.2.77:443',
    'u_str LISTEN 0 16 ZZZ /run/secret/app.sock 224173 @abstract-name 0 users:(("python3.11",pid=104,fd=3))',
    'ESTAB 0 0 ZZZ cut off users:(("truncated-na',
  ];
  function withUnparsed(): ScanReport {
    const report = sampleReport();
    report.snapshots[1].unparsedLines = LINES.map((text, i) => ({ line: 100 + i, text, reason: 'not an ss line' }));
    return report;
  }
  const texts = (r: ScanReport): string[] => r.snapshots[1].unparsedLines.map((l) => l.text);
  const t = redactionTag;

  test('an address field masks every IP, [v6], dotted host name and unix path; the rest of the line stays', () => {
    const r = texts(redactReport(withUnparsed()));
    expect(r[0]).toBe(`ESTAB 0 0 ZZZ garbage ${t('10.0.0.1')}:3306 ${t('secret-db.corp.example')}:55556 users:(("secretproc",pid=101,fd=5)) rto:204 rtt:0.5/0.25 ino:4242 sk:edb5 cgroup:/system.slice/db.service`);
    expect(r[1]).toBe(`ESTAB 0 0 ZZZ garbage ${t('10.0.0.1')}:3306 [${t('2001:db8::dead:beef')}]:443 users:(("other proc",pid=102,fd=6),("two",pid=103,fd=7))`);
    expect(r[2]).not.toMatch(/fe80|2001|cafe|192\.0\.2\.77/);
    expect(r[3]).toBe(`u_str LISTEN 0 16 ZZZ ${t('/run/secret/app.sock')} 224173 ${t('@abstract-name')} 0 users:(("python3.11",pid=104,fd=3))`);
    const out = allOutputs(withUnparsed());
    expect(out).not.toMatch(/secret-db|corp\.example|dead:beef|\/run\/secret|abstract-name/);
  });

  test('a path field masks unix paths only', () => {
    const r = texts(redactReport(withUnparsed(), { fields: ['local.path'] }));
    expect(r[0]).toBe(LINES[0]);
    expect(r[3]).toBe(`u_str LISTEN 0 16 ZZZ ${t('/run/secret/app.sock')} 224173 ${t('@abstract-name')} 0 users:(("python3.11",pid=104,fd=3))`);
  });

  test('processes.name masks every users:((…)) name, as the parsed sockets\' names are tagged', () => {
    const r = texts(redactReport(withUnparsed(), { fields: ['processes.name'] }));
    expect(r[0]).toContain(`users:(("${t('secretproc')}",pid=101,fd=5)) rto:204`);
    expect(r[0]).toContain('10.0.0.1:3306 secret-db.corp.example:55556');
    expect(r[1]).toContain(`users:(("${t('other proc')}",pid=102,fd=6),("${t('two')}",pid=103,fd=7))`);
    expect(r[3]).toContain(`users:(("${t('python3.11')}",pid=104,fd=3))`);
    expect(r[4]).toBe(`ESTAB 0 0 ZZZ cut off users:(("${t('truncated-na')}`);
    expect(allOutputs(withUnparsed(), ['processes.name'])).not.toMatch(/secretproc|other proc|truncated-na|"two"/);
  });

  test('a port field masks the port of every address:port, not ss\'s own key:value items', () => {
    const r = texts(redactReport(withUnparsed(), { fields: ['local.port'] }));
    expect(r[0]).toBe(`ESTAB 0 0 ZZZ garbage 10.0.0.1:${t('3306')} secret-db.corp.example:${t('55556')} users:(("secretproc",pid=101,fd=5)) rto:204 rtt:0.5/0.25 ino:4242 sk:edb5 cgroup:/system.slice/db.service`);
    expect(r[1]).toContain(`[2001:db8::dead:beef]:${t('443')} users`);
    expect(r[2]).toBe(`ESTAB 0 0 ZZZ fe80::1%eth0:${t('443')} 2001:db8::cafe:${t('443')} ::ffff:192.0.2.77:${t('443')}`);
  });

  test('other process parts and key:value fields', () => {
    const r = texts(redactReport(withUnparsed(), { fields: ['processes.pid', 'inode', 'cgroup'] }));
    expect(r[0]).toContain(`users:(("secretproc",pid=${t('101')},fd=5)) rto:204 rtt:0.5/0.25 ino:${t('4242')} sk:edb5 cgroup:${t('/system.slice/db.service')}`);
  });

  test('the same values get the same tags, and redacting again changes nothing', () => {
    for (const fields of [undefined, ['peer', 'local', 'processes'], ['local.port', 'local.path', 'processes.name']]) {
      const once = redactReport(withUnparsed(), { fields });
      expect(redactReport(once, { fields })).toEqual(once);
      expect(redactReport(withUnparsed(), { fields })).toEqual(once);
    }
  });
});

test('fingerprints do not change with any redaction', () => {
  const report = sampleReport();
  const fingerprints = report.findings.map((f) => f.fingerprint);
  for (const fields of [['local.port'], ['local', 'peer', 'processes'], ['local.path'], ['processes.name']]) {
    expect(redactReport(report, { fields }).findings.map((f) => f.fingerprint)).toEqual(fingerprints);
  }
});
