#!/usr/bin/env python3
"""Selects rows of the real captures in this folder into the default pack's annotated fixtures
(rules/<id>.test.ss). Run from anywhere: python3 test/rules/capture/select-fixtures.py
Keys are whitespace tokens that must appear, in order, on exactly one socket row."""
import os, sys, re
HERE = os.path.dirname(os.path.abspath(__file__))
CAP = HERE + '/'
RULES = os.path.normpath(os.path.join(HERE, '../../../rules'))
def load(name):
    lines = open(CAP + name).read().split('\n')
    header = lines[0]
    recs = []
    cur = None
    for l in lines[1:]:
        if not l:
            continue
        if l.startswith('\t'):
            cur.append(l)
        else:
            cur = [l]
            recs.append(cur)
    return header, recs

def fixture(rule, capname, cmd, entries, vars=None, note=None, out=None):
    header, recs = load(capname)
    used = set()
    body = []
    for key, ann in entries:
        kt = key.split()
        def has(line):
            toks = line.split()
            j = 0
            for t in toks:
                if j < len(kt) and t == kt[j]:
                    j += 1
            return j == len(kt)
        hits = [i for i, r in enumerate(recs) if has(r[0])]
        if len(hits) != 1:
            sys.exit(f'{rule}: key {key!r} matches {len(hits)} records')
        i = hits[0]
        if i in used:
            sys.exit(f'{rule}: {key!r} used twice')
        used.add(i)
        for a in ann:
            body.append(f'# {a}')
        body.extend(recs[i])
    head = [
        f'# Rule fixture for {rule} (see docs/rule-language.md, "Rule tests").',
        f'# Real ss output: iproute2 ss 6.1.0, `{cmd}`, captured in a private network namespace by',
        f'# test/rules/capture/landscape.py (full capture: test/rules/capture/{capname}); rows selected by',
        '# test/rules/capture/select-fixtures.py, trailing padding stripped.',
    ]
    if note:
        head += [f'# {n}' for n in note]
    flags = re.search(r'ss (-\S+)', cmd).group(1)
    head.append(f'# flags: {flags}')
    if vars:
        head.append(f'# vars: {vars}')
    text = '\n'.join(head + [header] + body) + '\n'
    open(out or f'{RULES}/{rule}.test.ss', 'w').write(text)

R = lambda r: [f'ruleid: {r}']
O = lambda r: [f'ok: {r}']
P2 = ('phase2.ss', 'ss -tuanpoeim')

r = 'dangerous-port-exposed'
fixture(r, *P2, [
  ('0.0.0.0:3306', R(r)), ('*:5432', R(r)), ('203.0.113.10:2375', R(r)), ('0.0.0.0:161', R(r)), ('10.20.0.5:53', R(r)),
  ('127.0.0.1:6379', O(r)), ('[::1]:6379', O(r)), ('[::ffff:127.0.0.1]:9200', O(r)), ('127.0.0.53:53', O(r)),
  ('0.0.0.0:22', O(r)), ('0.0.0.0:443', O(r)), ('127.0.0.1:514', O(r)), ('LISTEN 127.0.0.1:873', O(r)), ('10.20.0.5:33766', O(r)),
], note=['*:5432 is a dual-stack wildcard (reachable over IPv4 too); [::ffff:127.0.0.1] is loopback.'])

r = 'unexpected-listener'
fixture(r, *P2, [
  ('0.0.0.0:3000', R(r)), ('10.20.0.5:8080', R(r)), ('LISTEN 0.0.0.0:8081', R(r)), ('0.0.0.0:8125', R(r)), ('[fe80::20:5]%v0:9300', R(r)),
  ('0.0.0.0:22', O(r)), ('[::]:22', O(r)), ('0.0.0.0:80', O(r)), ('0.0.0.0:443', O(r)), ('0.0.0.0:68', O(r)),
  ('0.0.0.0:3306', O(r)), ('10.20.0.5:53', O(r)), ('127.0.0.1:6379', O(r)), ('[::1]:323', O(r)), ('[::ffff:127.0.0.1]:9200', O(r)),
  ('0.0.0.0:58751', O(r)),
], note=['Dangerous ports (3306, 53) are left to dangerous-port-exposed; link-local [fe80::] still counts as reachable;',
         'the unconnected UDP socket of logger on ephemeral port 58751 is a client.'])

r = 'close-wait-excess'
fixture(r, *P2, [
  ('CLOSE-WAIT 127.0.0.1:47228', R(r)), ('CLOSE-WAIT 127.0.0.1:47240', R(r)), ('CLOSE-WAIT 127.0.0.1:47242', R(r)), ('CLOSE-WAIT 127.0.0.1:47246', R(r)),
  ('CLOSE-WAIT 127.0.0.1:47270', O(r)), ('FIN-WAIT-2 127.0.0.1:9000 127.0.0.1:47240', O(r)), ('ESTAB 127.0.0.1:59762 127.0.0.1:9100', O(r)),
], vars='threshold=2', note=['threshold=2: java-leaky (4 CLOSE-WAIT) breaks it, worker (1) does not.'])

r = 'close-wait-excess'
fixture(r, 'phase2-no-p.ss', 'ss -tanoe', [
  ('CLOSE-WAIT 127.0.0.1:47228', R(r)), ('CLOSE-WAIT 127.0.0.1:47240', R(r)), ('CLOSE-WAIT 127.0.0.1:47242', R(r)), ('CLOSE-WAIT 127.0.0.1:47246', R(r)), ('CLOSE-WAIT 127.0.0.1:47270', R(r)),
  ('FIN-WAIT-2 127.0.0.1:9000 127.0.0.1:47240', O(r)), ('ESTAB 127.0.0.1:59762 127.0.0.1:9100', O(r)),
], vars='threshold=4', note=['Without -p every socket groups under process "unknown" (null): the rule is still evaluated', 'and the group is the host total (5 > 4).'],
  out=f'{RULES}/close-wait-excess.no-processes.test.ss')

r = 'time-wait-excess'
fixture(r, *P2, [
  ('TIME-WAIT 127.0.0.1:41980', R(r)), ('TIME-WAIT 127.0.0.1:41996', R(r)), ('TIME-WAIT 127.0.0.1:42034', R(r)), ('TIME-WAIT 127.0.0.1:42044', R(r)),
  ('FIN-WAIT-2 127.0.0.1:9000 127.0.0.1:47270', O(r)), ('ESTAB 127.0.0.1:42054 127.0.0.1:9001', O(r)),
], vars='threshold=2', note=['FIN-WAIT-2 sockets with a timewait timer are not TIME-WAIT and are not counted.'])

r = 'syn-sent-excess'
fixture(r, *P2, [
  ('10.20.0.5:37708', R(r)), ('10.20.0.5:37722', R(r)), ('10.20.0.5:37738', R(r)),
  ('10.20.0.5:54366', O(r)), ('SYN-SENT 127.0.0.1:60896', O(r)), ('SYN-SENT 127.0.0.1:60898', O(r)), ('ESTAB 127.0.0.1:60864 127.0.0.1:8081', O(r)),
], vars='threshold=2', note=['backup-agent has 3 attempts (> 2); apt has 1 and loadgen 2.'])

r = 'listen-queue-overflow'
fixture(r, *P2, [
  ('LISTEN 0.0.0.0:8081', R(r)),
  ('LISTEN 127.0.0.1:9100', O(r)), ('0.0.0.0:3306', O(r)), ('LISTEN 127.0.0.1:873', O(r)), ('ESTAB 127.0.0.1:9100 127.0.0.1:59774', O(r)),
], note=['LISTEN 3/2: accept queue (Recv-Q) has reached the backlog (Send-Q).'])

r = 'recv-queue-backlog'
fixture(r, *P2, [
  ('ESTAB 127.0.0.1:9100 127.0.0.1:59774', R(r)), ('ESTAB 127.0.0.1:9100 127.0.0.1:59762', R(r)),
  ('CLOSE-WAIT 127.0.0.1:47228', O(r)), ('127.0.0.1:514', O(r)), ('ESTAB 127.0.0.1:59762 127.0.0.1:9100', O(r)), ('LISTEN 0.0.0.0:8081', O(r)),
])

r = 'send-queue-backlog'
fixture(r, *P2, [
  ('ESTAB 127.0.0.1:59774 127.0.0.1:9100', R(r)),
  ('10.20.0.5:56452', O(r)), ('10.20.0.5:33766', O(r)), ('ESTAB 127.0.0.1:59762 127.0.0.1:9100', O(r)),
])

r = 'high-rtt'
fixture(r, *P2, [
  ('10.20.0.5:33766', R(r)),
  ('ESTAB 127.0.0.1:59774 127.0.0.1:9100', O(r)), ('10.20.0.5:56452', O(r)), ('0.0.0.0:3306', O(r)), ('10.20.0.5:37708', O(r)),
], note=['walreceiver talks through a 64 kbit/s token bucket: rtt 101 ms.'])

r = 'retransmitting'
fixture(r, *P2, [
  ('10.20.0.5:56452', R(r)), ('10.20.0.5:37708', R(r)), ('SYN-SENT 127.0.0.1:60896', R(r)),
  ('10.20.0.5:33766', O(r)), ('ESTAB 127.0.0.1:59774 127.0.0.1:9100', O(r)), ('TIME-WAIT 127.0.0.1:41980', O(r)), ('ESTAB 127.0.0.1:59762 127.0.0.1:9100', O(r)),
], note=['rsync: timer:(on,…,3) backoff:3 (peer link down); SYN-SENT retries count too.',
         'walreceiver: timer:(on,268ms,0) only, data in flight — normal, must not fire.',
         'bulk-writer: backoff:5 of the persist (zero-window probe) timer — a slow reader, not loss.'])

r = 'socket-memory-pressure'
fixture(r, *P2, [
  ('ESTAB 127.0.0.1:9100 127.0.0.1:59774', R(r)),
  ('ESTAB 127.0.0.1:9100 127.0.0.1:59762', O(r)), ('127.0.0.1:514', O(r)), ('10.20.0.5:56452', O(r)), ('0.0.0.0:3306', O(r)),
])

r = 'socket-drops'
fixture(r, *P2, [
  ('127.0.0.1:514', R(r)), ('LISTEN 0.0.0.0:8081', R(r)), ('ESTAB 127.0.0.1:9100 127.0.0.1:59774', R(r)),
  ('10.20.0.5:53', O(r)), ('ESTAB 127.0.0.1:9100 127.0.0.1:59762', O(r)),
], note=['rsyslogd (tiny SO_RCVBUF) dropped 299 datagrams; the full accept queue of slowapp dropped 14 SYNs.'])

r = 'unix-socket-in-world-writable-dir'
fixture(r, 'unix.ss', 'ss -xapme', [
  ('/tmp/app.sock', R(r)), ('/dev/shm/worker.sock', R(r)), ('/var/tmp/agent.sock', R(r)),
  ('/run/demo/api.sock', O(r)), ('/tmp/.X11-unix/X0', O(r)),
])

r = 'root-listener-exposed'
fixture(r, *P2, [
  ('0.0.0.0:3000', R(r)), ('10.20.0.5:8080', R(r)), ('203.0.113.10:2375', R(r)),
  ('0.0.0.0:22', O(r)), ('0.0.0.0:443', O(r)), ('LISTEN 0.0.0.0:8081', O(r)), ('0.0.0.0:3306', O(r)), ('*:5432', O(r)), ('LISTEN 127.0.0.1:873', O(r)),
], note=['ss -e omits uid: for root; slowapp (uid 1000), mysqld (27), postgres (999) are not root.'])
print('ok')
