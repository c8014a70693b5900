/** The built-in rules' messages as a user reads them: right for any count, 1 included ("dropped 1 packets" was not). */
import { jsonReport, runCli } from './cli';

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
