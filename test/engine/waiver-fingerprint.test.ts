/**
 * A waiver's `fingerprint:` — lower-case hex as the reports write it: one shown in upper case (a SARIF viewer) is
 * refused with what to write instead of a bare pattern; and one written when an undecided socket was named
 * `unknown` still waives it, as a baseline's entry does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/engine/config';
import { fingerprint, socketFingerprint } from '../../src/engine/fingerprint';
import { WaiverFilter } from '../../src/engine/waivers';
import { BaselineFilter } from '../../src/engine/baseline';
import type { Finding } from '../../src/engine/types';
import { parseSsText } from '../../src/snapshot/parser';

it('an upper-case fingerprint is refused saying what a fingerprint is, not with a regular expression', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklint-waiver-'));
  const file = path.join(dir, 'c.yaml');
  fs.writeFileSync(file, 'waivers:\n  - rule: dangerous-port-exposed\n    fingerprint: 326E9FCF12B9AF61030402A0115C0C0A\n    reason: from a viewer\n    expires: 2099-01-01\n');
  try {
    expect(() => loadConfig(file)).toThrow(expect.objectContaining({
      diagnostics: [expect.objectContaining({
        line: 3, code: 'bad-format',
        message: "'waivers[0].fingerprint': '326E9FCF12B9AF61030402A0115C0C0A' is not 32 lower-case hex digits, a finding's fingerprint as the JSON report writes it (write one a viewer shows in upper case in lower case)",
      })],
    }));
    fs.writeFileSync(file, 'waivers:\n  - rule: dangerous-port-exposed\n    fingerprint: 326e9fcf12b9af61030402a0115c0c0a\n    reason: from a viewer\n    expires: 2099-01-01\n');
    expect(() => loadConfig(file)).not.toThrow();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('a fingerprint recorded when an undecided socket was named `unknown`', () => {
  const [socket] = parseSsText('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nESTAB 5000 0 10.0.0.5:5432 10.0.0.9:50000\n', { file: 'monday.ss' }).sockets;
  const finding: Finding = { ruleId: 'unread-data', level: 'warning', message: 'm', location: socket.location, host: 'db-1', socket, fingerprint: socketFingerprint('unread-data', 'db-1', socket) };
  const former = fingerprint(['socket/v1', 'unread-data', 'db-1', 'unknown|local|10.0.0.5|5432|peer|10.0.0.9']);

  it('is no longer its fingerprint', () => {
    expect(socket.netid).toBe('unknown');
    expect(finding.fingerprint).not.toBe(former);
  });
  it('still waives it', () => {
    const w = new WaiverFilter([{ rule: 'unread-data', fingerprint: former, reason: 'known', expires: '2099-01-01' }], new Date('2026-12-01T00:00:00Z'));
    expect(w.suppress(finding)?.reason).toBe('known');
  });
  it('is still in a baseline', () => {
    const b = new BaselineFilter('base.json', { socklintBaseline: 1, tool: { name: 'socklint', version: '0.1.0' }, createdAt: '2026-12-01T00:00:00Z', findings: [{ fingerprint: former, ruleId: 'unread-data', host: 'db-1', message: 'm' }] });
    expect(b.suppress(finding)?.kind).toBe('baseline');
  });
});
