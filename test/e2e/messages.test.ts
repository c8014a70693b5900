/** The built-in rules' messages as a user reads them: right for any count, 1 included ("dropped 1 packets" was not). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonReport, runCli, tmpDir } from './cli';

const SNAPSHOT = [
  '# flags: -tanpmioe',
  'State      Recv-Q Send-Q       Local Address:Port        Peer Address:Port Process',
  'ESTAB      1      0                10.0.0.1:8080            10.0.0.2:51234 users:(("app",pid=10,fd=4)) ino:5 sk:1 cgroup:/ <->',
  '\t skmem:(r1280,rb131072,t0,tb16384,f0,w0,o0,bl0,d1) ts sack cubic rto:200 rtt:0.5/0.25 cwnd:10',
  '',
].join('\n');

it('a count of 1 reads right in socket-drops and recv-queue-backlog, the rules that fire from 1 by default', async () => {
  const r = await runCli(['scan', '-', '--host', 'h', '--format', 'json', '--fail-on', 'none'], { input: SNAPSHOT });
  const messages = Object.fromEntries(jsonReport(r).findings.map((f) => [f.ruleId, f.message]));
  expect({ code: r.code, drops: messages['socket-drops'], queue: messages['recv-queue-backlog'] }).toEqual({
    code: 0,
    drops: 'tcp 10.0.0.1:8080 (app[10]) dropped packets: 1',
    queue: '10.0.0.1:8080 -> 10.0.0.2:51234 (app[10]) has unread bytes: 1',
  });
  // no message of this scan puts a plural noun after a 1
  expect(Object.values(messages).filter((m) => /(^|[\s(])1 (?!is\b|was\b|has\b)[a-z]+s\b/.test(m))).toEqual([]);
});

it('every built-in message with a count reads right when a config threshold of 0 (top-level or a host\'s) lets it fire on 1', async () => {
  const dir = tmpDir();
  const config = path.join(dir, 'zero.yaml');
  fs.writeFileSync(config, [
    'variables:',
    '  close-wait-excess: {threshold: 0}',
    '  send-queue-backlog: {threshold: 0}',
    '  socket-memory-pressure: {threshold_bytes: 0}',
    '  high-rtt: {threshold_ms: 0}',
    'hosts:',
    '  - match: {host: h}',
    '    variables: {time-wait-excess: {threshold: 0}, syn-sent-excess: {threshold: 0}}',
    '',
  ].join('\n'));
  const snapshot = [
    '# flags: -tanpmioe',
    'State      Recv-Q Send-Q       Local Address:Port        Peer Address:Port Process',
    'ESTAB      1      1                10.0.0.1:8080            10.0.0.2:51234 users:(("app",pid=10,fd=4)) ino:5 sk:1 cgroup:/ <->',
    '\t skmem:(r1,rb131072,t1,tb16384,f0,w0,o0,bl0,d1) ts sack cubic rto:200 rtt:1/0.5 cwnd:10',
    'CLOSE-WAIT 0      0                10.0.0.1:8080            10.0.0.3:51235 users:(("app",pid=10,fd=5)) ino:6 sk:2 cgroup:/ <->',
    'TIME-WAIT  0      0                10.0.0.1:8081            10.0.0.4:51236 timer:(timewait,30sec,0) ino:0 sk:3 cgroup:/ <->',
    'SYN-SENT   0      1                10.0.0.1:40000           10.0.0.5:443 users:(("app",pid=10,fd=6)) timer:(on,1sec,0) ino:7 sk:4 cgroup:/ <->',
    'LISTEN     1      0                 0.0.0.0:9001             0.0.0.0:* users:(("api",pid=11,fd=3)) ino:8 sk:5 cgroup:/ <->',
    '',
  ].join('\n');
  const r = await runCli(['scan', '-', '--host', 'h', '-c', config, '--format', 'json', '--fail-on', 'none'], { input: snapshot });
  const messages = Object.fromEntries(jsonReport(r).findings.map((f) => [f.ruleId, f.message]));
  expect({ code: r.code, ...messages }).toMatchObject({
    code: 0,
    'close-wait-excess': 'CLOSE-WAIT sockets held by app: 1 (more than 0)',
    'time-wait-excess': 'TIME-WAIT sockets on the host: 1 (more than 0)',
    'syn-sent-excess': 'connection attempts of app stuck in SYN-SENT: 1 (more than 0)',
    'send-queue-backlog': '10.0.0.1:8080 -> 10.0.0.2:51234 (app[10]) has bytes waiting to be sent or acknowledged: 1',
    'socket-memory-pressure': 'tcp 10.0.0.1:8080 (app[10]) holds bytes in kernel memory: 1 in its receive queue, 1 in its transmit queue',
    'high-rtt': 'round-trip time 1 ms on 10.0.0.1:8080 -> 10.0.0.2:51234 (app[10]) is above 0 ms',
    'listen-queue-overflow': 'accept queue of 0.0.0.0:9001 (api[11]) is full: 1 waiting, backlog 0',
    'socket-drops': 'tcp 10.0.0.1:8080 (app[10]) dropped packets: 1',
    'recv-queue-backlog': '10.0.0.1:8080 -> 10.0.0.2:51234 (app[10]) has unread bytes: 1',
  });
  // no message puts a plural noun after a 1 ("1 CLOSE-WAIT sockets", "1 bytes", "1 connection attempts")
  expect(Object.values(messages).filter((m) => /(^|[\s(])1 (?!is\b|was\b|has\b|in\b|ms\b)([A-Za-z-]+ )?[a-z]+s\b/.test(m))).toEqual([]);
});
