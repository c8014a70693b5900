/**
 * The engine on real kernel sockets: the standard namespace scenario (a service on 0.0.0.0:3306, one on
 * 127.0.0.1:6379, 150 CLOSE-WAIT, 1100 TIME-WAIT, an unread receive queue, a full accept queue, a really
 * retransmitting socket and one with a running retransmit timer but no retransmission) captured with `ss`
 * and scanned by the built CLI. Asserts the exact findings, including the ones that must not appear.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createScenario, netnsUnavailableReason, STANDARD_SCENARIO, type Scenario } from '../helpers/netns';
import { jsonReport, runCli, tmpDir } from './cli';
import type { Finding, ScanReport } from '../../src/engine/types';

const unavailable = netnsUnavailableReason();
const describeNetns = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`namespace tests skipped: ${unavailable}`);

const HEADER = (flags: string) => `# socklint-snapshot: 1\n# host: e2e-host\n# flags: ${flags}\n`;

describeNetns('scan on real sockets in a private namespace', () => {
  let sc: Scenario;
  let dir: string;
  const reports: Record<string, ScanReport> = {};
  const codes: Record<string, number> = {};
  const FLAG_SETS = ['-tanpmioe', '-tan', '-tuanpmioe', '-tanpmioeO'];

  beforeAll(async () => {
    sc = await createScenario(STANDARD_SCENARIO);
    dir = tmpDir();
    // Capture every flag set first (TIME-WAIT lasts 60 s), then scan.
    for (const flags of FLAG_SETS) {
      const out = await sc.ss([flags]);
      fs.writeFileSync(path.join(dir, `snap${flags}.ss`), HEADER(flags) + out);
    }
    const live = await runCli(['capture', '--netns', sc.ns, '--host', 'e2e-host', '-o', path.join(dir, 'captured.ss')]);
    if (live.code !== 0) throw new Error(`capture failed: ${live.stderr}`);
    for (const name of [...FLAG_SETS.map((f) => `snap${f}.ss`), 'captured.ss']) {
      const r = await runCli(['scan', path.join(dir, name), '--format', 'json']);
      codes[name] = r.code;
      reports[name] = jsonReport(r);
    }
  }, 180000);

  afterAll(async () => {
    await sc?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const rich = () => reports['snap-tanpmioe.ss'];
  const of = (r: ScanReport, rule: string): Finding[] => r.findings.filter((f) => f.ruleId === rule);
  const local = (f: Finding) => `${f.socket!.local.address}:${f.socket!.local.port}`;

  it('exits 1 because of error-level findings, and names the host from the metadata', () => {
    expect(codes['snap-tanpmioe.ss']).toBe(1);
    expect(rich().snapshots[0].host).toBe('e2e-host');
    expect(rich().snapshots[0].unparsed).toBe(0);
  });

  it('flags 0.0.0.0:3306 as a dangerous exposure, and not the loopback 127.0.0.1:6379', () => {
    const tcp = of(rich(), 'dangerous-port-exposed').filter((f) => f.socket!.netid === 'tcp');
    expect(tcp.map(local)).toEqual(['0.0.0.0:3306']);
    expect(tcp[0].socket!.processes![0].name).toBe('mysqld');
    expect(tcp[0].level).toBe('error');
    for (const f of rich().findings) {
      if (f.socket) expect(local(f)).not.toBe('127.0.0.1:6379');
    }
  });

  it('reports 150 CLOSE-WAIT grouped on the leaking process', () => {
    const cw = of(rich(), 'close-wait-excess');
    expect(cw).toHaveLength(1);
    expect(cw[0].group).toEqual({ process: 'leaky-app' });
    expect(cw[0].observed).toBe(150);
    expect(cw[0].threshold).toBe(100);
    expect(cw[0].offenders!.length).toBeGreaterThan(0);
    expect(cw[0].offenders![0].location.line).toBeGreaterThan(1);
  });

  it('reports the 1100 TIME-WAIT over the 1000 threshold', () => {
    const tw = of(rich(), 'time-wait-excess');
    expect(tw).toHaveLength(1);
    expect(tw[0].observed).toBeGreaterThanOrEqual(1100);
    expect(tw[0].threshold).toBe(1000);
  });

  it('reports the unread receive queue on 127.0.0.1:9000', () => {
    const rq = of(rich(), 'recv-queue-backlog');
    const backend = rq.filter((f) => local(f) === '127.0.0.1:9000');
    expect(backend).toHaveLength(1);
    expect(backend[0].socket!.recvQ).toBe(4096);
  });

  it('reports the full accept queue of 0.0.0.0:9001 and no other listener', () => {
    const lq = of(rich(), 'listen-queue-overflow');
    expect(lq.map(local)).toEqual(['0.0.0.0:9001']);
  });

  it('reports the really retransmitting socket and not the timer:(on,…,0) one', () => {
    const rt = of(rich(), 'retransmitting');
    const peers = rt.map((f) => `${f.socket!.peer.address}:${f.socket!.peer.port}`);
    expect(peers).toContain('127.0.0.2:9002');
    expect(peers).not.toContain('127.0.0.3:9003');
    const pending = rt.filter((f) => f.socket!.timer?.name === 'on' && f.socket!.timer.retrans === 0 && !(f.socket!.tcp?.backoff) && !(f.socket!.tcp?.retrans));
    expect(pending).toEqual([]);
  });

  it('does not flag loopback listeners as unexpected', () => {
    for (const f of of(rich(), 'unexpected-listener')) {
      expect(f.socket!.local.address).not.toMatch(/^(127\.|::1$)/);
    }
    expect(of(rich(), 'unexpected-listener').map(local)).toEqual(expect.arrayContaining(['0.0.0.0:8080', '0.0.0.0:9001']));
  });

  it('produces exactly these findings, and nothing else', () => {
    const key = (f: Finding) => {
      if (!f.socket) return `${f.ruleId} ${JSON.stringify(f.group)} ${f.observed}`;
      const s = f.socket;
      const ephemeral = s.local.port !== null && s.local.port >= 32768;
      return `${f.ruleId} ${s.netid} ${ephemeral ? `-> ${s.peer.address}:${s.peer.port}` : `${s.local.address}:${s.local.port}`}`;
    };
    // socket-drops and socket-memory-pressure depend on how fast the kernel fills the slow reader's buffers
    // (timing); they are checked for presence only.
    const timing = new Set(['socket-drops', 'socket-memory-pressure']);
    // A connection to the listener whose accept queue is full may be caught resending its SYN (the listener drops
    // it: a real retransmission) when the machine is loaded enough that ss runs before the kernel's next retry
    // settles; seen at load 10 on two cores. It may be there, and is the only retransmitting socket that may.
    const mayRetransmit = 'retransmitting tcp -> 127.0.0.1:9001';
    expect(of(rich(), 'socket-memory-pressure').map(key)).toContain('socket-memory-pressure tcp 127.0.0.1:9004');
    expect(rich().findings.filter((f) => !timing.has(f.ruleId) && key(f) !== mayRetransmit).map(key).sort()).toEqual([
      'close-wait-excess {"process":"leaky-app"} 150',
      'dangerous-port-exposed tcp 0.0.0.0:3306',
      'listen-queue-overflow tcp 0.0.0.0:9001',
      'recv-queue-backlog tcp 127.0.0.1:9000',
      'recv-queue-backlog tcp 127.0.0.1:9004',
      'recv-queue-backlog tcp 127.0.0.2:9002',
      'recv-queue-backlog tcp 127.0.0.3:9003',
      'retransmitting tcp -> 127.0.0.2:9002',
      'root-listener-exposed tcp *:8444',
      'root-listener-exposed tcp 0.0.0.0:3306',
      'root-listener-exposed tcp 0.0.0.0:8080',
      'root-listener-exposed tcp 0.0.0.0:9001',
      'root-listener-exposed tcp :::8443',
      'send-queue-backlog tcp -> 127.0.0.1:9004',
      'time-wait-excess {} 1100',
      'unexpected-listener tcp *:8444',
      'unexpected-listener tcp 0.0.0.0:8080',
      'unexpected-listener tcp 0.0.0.0:9001',
      'unexpected-listener tcp :::8443',
    ]);
  });

  it('marks rules not evaluated when the flag set lacks their fields (ss -tan: no -p/-i/-m)', () => {
    const tan = reports['snap-tan.ss'];
    const ne = tan.notEvaluated.map((n) => n.ruleId);
    expect(ne).toEqual(expect.arrayContaining(['high-rtt', 'socket-memory-pressure']));
    for (const n of tan.notEvaluated) expect(n.reason).toMatch(/needs /);
    expect(rich().notEvaluated.map((n) => n.ruleId)).not.toContain('high-rtt');
  });

  it('gives the same exposure the same fingerprint across flag sets', () => {
    const fp = (r: ScanReport, rule: string, addr: string) => of(r, rule).filter((f) => f.socket && local(f) === addr).map((f) => f.fingerprint);
    const base = fp(rich(), 'dangerous-port-exposed', '0.0.0.0:3306');
    expect(base).toHaveLength(1);
    for (const name of ['snap-tan.ss', 'snap-tuanpmioe.ss', 'snap-tanpmioeO.ss', 'captured.ss']) {
      expect(fp(reports[name], 'dangerous-port-exposed', '0.0.0.0:3306')).toEqual(base);
    }
    const cwFp = (r: ScanReport) => of(r, 'time-wait-excess').map((f) => f.fingerprint);
    expect(cwFp(reports['snap-tan.ss'])).toEqual(cwFp(rich()));
  });

  it('scans `socklint capture --netns` output to the same exposures as the raw ss capture', () => {
    const key = (r: ScanReport) => r.findings.filter((f) => f.ruleId === 'dangerous-port-exposed' || f.ruleId === 'unexpected-listener')
      .map((f) => `${f.ruleId} ${f.socket!.netid} ${local(f)}`).sort();
    expect(key(reports['captured.ss'])).toEqual(key(reports['snap-tuanpmioe.ss']));
  });
});
