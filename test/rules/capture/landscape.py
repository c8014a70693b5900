#!/usr/bin/env python3
"""Builds a small, realistic socket landscape inside private network and PID namespaces and captures
it with the real ss (iproute2 6.1.0). The default pack's fixtures (rules/*.test.ss) are rows of
these captures. Needs root, veth and the tbf qdisc; everything it starts dies with the namespace.

  mkdir -p out && unshare -n -p -f -m --mount-proc python3 landscape.py out

Writes phase2.ss (ss -tuanpoeim), phase2-no-p.ss (ss -tanoe), unix.ss (ss -xapme) and more.
A veth peer in a second namespace (peer.py) gives a 64 kbit/s token-bucket path (high RTT) and a
link that goes down (retransmissions, SYN-SENT); loopback gives the rest."""
import ctypes, os, socket, subprocess, sys, time, signal
import encodings.idna  # noqa: F401  (children drop to uids that cannot read the stdlib under /root)

OUT = sys.argv[1]
libc = ctypes.CDLL(None)

def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)

sh('ip link set lo up')
PEER = 'sl-rules-peer'
sh(f'ip netns add {PEER}')
sh(f'ip link add v0 type veth peer name v1 && ip link set v1 netns {PEER}')
sh('ip link set v0 up && ip addr add 10.20.0.5/24 dev v0 && ip addr add 203.0.113.10/24 dev v0 && ip -6 addr add fd00:20::5/64 dev v0 nodad')
sh('ip -6 addr add fe80::20:5/64 dev v0 nodad')
sh(f'ip netns exec {PEER} sh -c "ip link set lo up; ip link set v1 up; ip addr add 10.20.0.7/24 dev v1"')
peer = subprocess.Popen(['ip', 'netns', 'exec', PEER, sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'peer.py')])
time.sleep(0.8)

children = []

def spawn(name, fn, uid=None):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        libc.prctl(15, name.encode()[:15], 0, 0, 0)
        try:
            if uid is not None:
                os.setgid(uid); os.setuid(uid)
            fn()
            os.write(w, b'k'); os.close(w)
            while True:
                time.sleep(100)
        except Exception as e:
            sys.stderr.write(f'{name}: {e!r}\n')
            os._exit(1)
    os.close(w)
    os.read(r, 1)
    children.append(pid)
    return pid

def tcp_listen(addr, port, backlog=128, family=socket.AF_INET, v6only=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((addr, port))
    s.listen(backlog)
    return s

def udp_bind(addr, port, family=socket.AF_INET, rcvbuf=None):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    return s

G = {}

def connect_to(addr):
    c = socket.socket(socket.AF_INET6 if ':' in addr[0] else socket.AF_INET, socket.SOCK_STREAM)
    c.connect(addr)
    return c

# Listeners
def mysqld():
    G['a'] = tcp_listen('0.0.0.0', 3306, 151)
spawn('mysqld', mysqld, uid=27)
def redis():
    G['a'] = tcp_listen('127.0.0.1', 6379, 511)
    G['b'] = tcp_listen('::1', 6379, 511, socket.AF_INET6, 1)
spawn('redis-server', redis, uid=110)
def postgres():
    G['a'] = tcp_listen('::', 5432, 244, socket.AF_INET6, 0)
spawn('postgres', postgres, uid=999)
def sshd():
    G['a'] = tcp_listen('0.0.0.0', 22, 128)
    G['b'] = tcp_listen('::', 22, 128, socket.AF_INET6, 1)
spawn('sshd', sshd)
def node():
    G['a'] = tcp_listen('0.0.0.0', 3000, 511)
    G['b'] = tcp_listen('10.20.0.5', 8080, 511)
spawn('node', node)
def tcp_listen_scoped():
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(('fe80::20:5', 9300, 0, socket.if_nametoindex('v0')))
    s.listen(128)
    return s
def java_es():
    G['a'] = tcp_listen('::ffff:127.0.0.1', 9200, 128, socket.AF_INET6, 0)
    G['b'] = tcp_listen_scoped()
spawn('java', java_es, uid=112)
def docker():
    G['a'] = tcp_listen('203.0.113.10', 2375, 4096)
spawn('dockerd', docker)
def nginx():
    G['a'] = tcp_listen('0.0.0.0', 443, 511)
    G['b'] = tcp_listen('0.0.0.0', 80, 511)
spawn('nginx', nginx)

# UDP
spawn('snmpd', lambda: G.setdefault('a', udp_bind('0.0.0.0', 161)))
spawn('systemd-resolve', lambda: G.setdefault('a', udp_bind('127.0.0.53', 53)))
spawn('dhclient', lambda: G.setdefault('a', udp_bind('0.0.0.0', 68)))
spawn('statsd', lambda: G.setdefault('a', udp_bind('0.0.0.0', 8125)), uid=1000)
spawn('dnsmasq', lambda: G.setdefault('a', udp_bind('10.20.0.5', 53)))
spawn('chronyd', lambda: G.setdefault('a', udp_bind('::1', 323, socket.AF_INET6)))

# Accept-queue overflow: backlog 2, never accept.
spawn('slowapp', lambda: G.setdefault('a', tcp_listen('0.0.0.0', 8081, 2)), uid=1000)
def loadgen():
    G['c'] = []
    for _ in range(5):
        c = socket.socket(); c.setblocking(False)
        try:
            c.connect(('127.0.0.1', 8081))
        except BlockingIOError:
            pass
        G['c'].append(c)
    time.sleep(0.3)
spawn('loadgen', loadgen)

# An upstream that accepts and closes at once: clients that do not close end in CLOSE-WAIT.
def upstream():
    s = tcp_listen('127.0.0.1', 9000, 128)
    G['a'] = s
    pid = os.fork()
    if pid == 0:
        while True:
            c, _ = s.accept()
            c.close()
spawn('upstream', upstream)
def leaky(n):
    def f():
        G['c'] = []
        for _ in range(n):
            c = connect_to(('127.0.0.1', 9000))
            G['c'].append(c)
        time.sleep(0.3)
    return f
spawn('java-leaky', leaky(4), uid=112)
spawn('worker', leaky(1), uid=1000)

# TIME-WAIT: the client closes first.
def web():
    s = tcp_listen('127.0.0.1', 9001, 128)
    G['a'] = s
    pid = os.fork()
    if pid == 0:
        conns = []
        while True:
            c, _ = s.accept()
            conns.append(c)
            c.settimeout(0.2)
            try:
                if c.recv(10) == b'':
                    c.close()
            except Exception:
                pass
spawn('webapp', web, uid=33)
def curl_tw():
    for _ in range(4):
        c = connect_to(('127.0.0.1', 9001))
        time.sleep(0.05)
        c.close()
    G['keep'] = connect_to(('127.0.0.1', 9001))
spawn('curl', curl_tw)

# SYN-SENT: dummy0 drops everything.
def syn(n, dst, port):
    def f():
        G['c'] = []
        for _ in range(n):
            c = socket.socket(); c.setblocking(False)
            try:
                c.connect((dst, port))
            except BlockingIOError:
                pass
            G['c'].append(c)
    return f

# Receive backlog: a consumer that never reads; a stalled reader that makes the writer queue up.
def consumer():
    s = tcp_listen('127.0.0.1', 9100, 128)
    G['a'] = s
    G['c'] = []
    pid = os.fork()
    if pid == 0:
        conns = []
        while True:
            c, _ = s.accept()
            conns.append(c)
spawn('consumer', consumer, uid=1000)
def producer(size):
    def f():
        c = connect_to(('127.0.0.1', 9100))
        c.setblocking(False)
        sent = 0
        try:
            while sent < size:
                sent += c.send(b'x' * min(65536, size - sent))
        except BlockingIOError:
            pass
        G['c'] = c
        time.sleep(0.2)
    return f
spawn('producer', producer(5000), uid=1000)
spawn('bulk-writer', producer(8 * 1024 * 1024), uid=1000)

# UDP drops: tiny receive buffer, nobody reads.
def syslogd():
    G['a'] = udp_bind('127.0.0.1', 514, rcvbuf=2048)
spawn('rsyslogd', syslogd)
def logger():
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(300):
        c.sendto(b'<13>test message ' + b'x' * 900, ('127.0.0.1', 514))
    G['c'] = c
spawn('logger', logger)

# Unix sockets.
os.makedirs('/run/demo', exist_ok=True)
os.chmod('/run/demo', 0o777)
os.makedirs('/tmp/.X11-unix', exist_ok=True)
for p in ['/tmp/app.sock', '/dev/shm/worker.sock', '/run/demo/api.sock', '/tmp/.X11-unix/X0', '/var/tmp/agent.sock']:
    try:
        os.unlink(p)
    except FileNotFoundError:
        pass
def unix_listen(path, kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_UNIX, kind)
    s.bind(path)
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    return s
spawn('appserver', lambda: G.setdefault('a', unix_listen('/tmp/app.sock')), uid=1000)
spawn('shm-worker', lambda: G.setdefault('a', unix_listen('/dev/shm/worker.sock', socket.SOCK_DGRAM)), uid=1000)
spawn('api', lambda: G.setdefault('a', unix_listen('/run/demo/api.sock')), uid=1000)
spawn('Xorg', lambda: G.setdefault('a', unix_listen('/tmp/.X11-unix/X0')))
spawn('agent', lambda: G.setdefault('a', unix_listen('/var/tmp/agent.sock')))

# High RTT, then loss: a replica connection sees 150 ms RTT; an rsync connection retransmits.
def replica_server():
    s = tcp_listen('127.0.0.1', 5433, 128)
    G['a'] = s
    pid = os.fork()
    if pid == 0:
        conns = []
        while True:
            c, _ = s.accept()
            conns.append(c)
            pid2 = os.fork()
            if pid2 == 0:
                while True:
                    d = c.recv(100)
                    if not d:
                        os._exit(0)
                    c.send(d)
spawn('postgres-rep', replica_server, uid=999)
spawn('rsyncd', lambda: G.setdefault('a', tcp_listen('127.0.0.1', 873, 5)))

time.sleep(0.5)
subprocess.run(['ss', '-tuanpoeim'], stdout=open(f'{OUT}/phase1.ss', 'w'))

# Connections for phase 2, established before netem.
rep_r, rep_w = os.pipe()
def replica_client():
    c = connect_to(('10.20.0.7', 5433))
    G['c'] = c
    pid = os.fork()
    if pid == 0:
        os.read(rep_r, 1)
        for _ in range(12):
            c.send(b'p' * 1000)
            got = 0
            while got < 1000:
                got += len(c.recv(2000))
        os.read(rep_r, 1)
        c.send(b'last')  # in flight when ss runs: timer on, no retransmission yet
        while True:
            time.sleep(100)
spawn('walreceiver', replica_client, uid=999)
rs_r, rs_w = os.pipe()
def rsync_client():
    c = connect_to(('10.20.0.7', 873))
    G['c'] = c
    pid = os.fork()
    if pid == 0:
        os.read(rs_r, 1)
        c.send(b'y' * 3000)
        while True:
            time.sleep(100)
spawn('rsync', rsync_client)
time.sleep(0.3)

sh('tc qdisc replace dev v0 root tbf rate 64kbit burst 1600 latency 3s')
os.write(rep_w, b'g')
time.sleep(4)
sh(f'ip netns exec {PEER} ip link set v1 down')
os.write(rs_w, b'g')
spawn('backup-agent', syn(3, '10.20.0.7', 443))
spawn('apt', syn(1, '10.20.0.7', 80))
time.sleep(2.5)
os.write(rep_w, b'g')
time.sleep(0.05)
subprocess.run(['ss', '-tuanpoeim'], stdout=open(f'{OUT}/phase2.ss', 'w'))
subprocess.run(['ss', '-tanoe'], stdout=open(f'{OUT}/phase2-no-p.ss', 'w'))
subprocess.run(['ss', '-xapme'], stdout=open(f'{OUT}/unix.ss', 'w'))
subprocess.run(['ss', '-tano'], stdout=open(f'{OUT}/phase2-tano.ss', 'w'))
subprocess.run(['ss', '-s'], stdout=open(f'{OUT}/summary.ss', 'w'))

for p in ['/tmp/app.sock', '/dev/shm/worker.sock', '/var/tmp/agent.sock', '/tmp/.X11-unix/X0']:
    try:
        os.unlink(p)
    except FileNotFoundError:
        pass

import shutil
peer.kill()
subprocess.run(['ip', 'netns', 'del', PEER])
shutil.rmtree('/run/demo', ignore_errors=True)
