#!/usr/bin/env python3
"""Build real sockets inside the current network namespace and keep them alive.

Run as:  ip netns exec NS python3 netns-scenario.py '<spec JSON>'
(test/helpers/netns.ts and fixtures/make-fixtures.sh do this; spec keys are the part
names below, each `true` or an options object; absent/false skips the part).

Every server side runs in its own process, forked before the driver opens any socket (so
it holds no client socket) and renamed with prctl(PR_SET_NAME): the kernel `comm`, which
`ss -p` and /proc/PID/comm show, becomes `mysqld`, `redis-server`, `leaky-app`, ... The
driver process (comm `loadgen`) owns the client sides that must stay open. The driver
prints one line `READY {json}` when every socket is in place, then waits until its stdin
closes or SIGTERM arrives, and then kills and reaps the role processes (which also get
SIGKILL through PR_SET_PDEATHSIG if the driver dies). Only loopback and wildcard binds
are used.
"""
import ctypes, json, os, resource, signal, socket, subprocess, sys, time

PR_SET_NAME = 15
PR_SET_PDEATHSIG = 1
libc = ctypes.CDLL(None, use_errno=True)
KEEP = []  # sockets that must stay open (dropping the last reference closes them)


def set_comm(name):
    libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def run(*argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(argv), r.stderr.strip()))


def listener(host, port, backlog=128, family=socket.AF_INET, kind=socket.SOCK_STREAM, v6only=None):
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    s.bind((host, port))
    if kind == socket.SOCK_STREAM:
        s.listen(backlog)
    KEEP.append(s)
    return s


def accept_n(ls, n):
    for _ in range(n):
        KEEP.append(ls.accept()[0])


# ---- server sides: setup(p) runs in the role process and returns the work to do after
# the driver was told "listening" (None = nothing to do). Defaults: (comm, options). ----

def serve_plain(host, port):
    return lambda p: listener(host, p.get('port', port), p.get('backlog', 128)) and None


def serve_udp(p):
    listener('0.0.0.0', p.get('port', 161), kind=socket.SOCK_DGRAM)


def serve_close_wait(p):  # accept and never close
    n = p.get('count', 150)
    ls = listener('0.0.0.0', p.get('port', 8080), n + 16)
    return lambda: accept_n(ls, n)


def serve_time_wait(p):  # wait for the client's FIN, then close (passive closer)
    n = p.get('count', 1100)
    ls = listener('127.0.0.1', p.get('port', 8081), 4096)

    def loop():
        for _ in range(n):
            c = ls.accept()[0]
            while c.recv(4096):
                pass
            c.close()
    return loop


def serve_never_read(port):
    def setup(p):
        ls = listener('127.0.0.1', p.get('port', port), 16)
        return lambda: accept_n(ls, 1)
    return setup


def serve_accept_queue(p):  # never accept
    listener('0.0.0.0', p.get('port', 9001), p.get('backlog', 2))


def serve_ipv6(p):
    a = listener('::', p.get('port', 8443), 16, socket.AF_INET6, v6only=True)
    b = listener('::', p.get('dualStackPort', 8444), 16, socket.AF_INET6, v6only=False)
    return lambda: (accept_n(a, 1), accept_n(b, 1))


def unix_paths(p):
    return [os.path.join(p['dir'], n) for n in p.get('names', ['app.sock'])]


def serve_unix(p):
    socks = []
    os.makedirs(p['dir'], exist_ok=True)
    for path in unix_paths(p):
        if os.path.exists(path):
            os.unlink(path)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(16)
        socks.append(s)
        KEEP.append(s)
    if p.get('abstract', 'socklint-test'):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind('\0' + p.get('abstract', 'socklint-test'))
        KEEP.append(s)
    return lambda: accept_n(socks[0], 1)


def retransmit_targets(p):
    t = []
    if p.get('retransmitting', True):
        t.append(('127.0.0.2', p.get('port', 9002)))
    if p.get('pending', True):
        t.append(('127.0.0.3', p.get('pendingPort', 9003)))
    return t


def serve_retransmit(p):
    socks = [listener(h, port, 16) for h, port in retransmit_targets(p)]
    return lambda: [accept_n(s, 1) for s in socks]


PARTS = {  # key: (default comm, setup)
    'mysql': ('mysqld', serve_plain('0.0.0.0', 3306)),
    'redis': ('redis-server', serve_plain('127.0.0.1', 6379)),
    'udp': ('snmpd', serve_udp),
    'closeWait': ('leaky-app', serve_close_wait),
    'timeWait': ('web', serve_time_wait),
    'unreadRecvQ': ('backend', serve_never_read(9000)),
    'zeroWindow': ('slow-reader', serve_never_read(9004)),
    'acceptQueueFull': ('stuck-api', serve_accept_queue),
    'ipv6': ('tls-proxy', serve_ipv6),
    'unix': ('unix-app', serve_unix),
    'retransmit': ('sink', serve_retransmit),
}


def role_main(key, p, ready_fd, stop_fd):
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    set_comm(p.get('name', PARTS[key][0]))
    work = PARTS[key][1](p)
    os.write(ready_fd, b'L\n')
    if work:
        work()
    os.write(ready_fd, b'D\n')
    while os.read(stop_fd, 4096):  # until the driver closes its end (or dies)
        pass


class Role:
    """A forked server process. Forked (not exec'd: interpreter start-up for a dozen roles costs
    seconds) before the driver opens any socket, so it inherits none; it closes every other
    inherited descriptor too and talks to the driver over two pipes."""

    def __init__(self, key, p):
        self.key = key
        ready_r, ready_w = os.pipe()
        stop_r, stop_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                for std in (0, 1, 2):  # errors travel over the ready pipe
                    os.dup2(devnull, std)
                keep = {0, 1, 2, ready_w, stop_r}
                for fd in [int(f) for f in os.listdir('/proc/self/fd')]:
                    if fd not in keep:
                        try:
                            os.close(fd)
                        except OSError:
                            pass
                role_main(key, p, ready_w, stop_r)
            except BaseException as e:
                try:
                    os.write(ready_w, ('E %r\n' % e).encode())
                except OSError:
                    pass
            os._exit(0)
        os.close(ready_w)
        os.close(stop_r)
        self.pid = pid
        self.ready = os.fdopen(ready_r, 'r')
        self.stop_w = stop_w

    def wait(self, what):
        line = self.ready.readline().strip()
        if line != what:
            raise RuntimeError('role %s did not get to %s: %s' % (self.key, what, line or 'exited'))

    def kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def reap(self):
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


# ---- client sides (driver) ----

def drive(key, p, role, held):
    if key == 'closeWait':  # client closes, the server never does
        clients = [socket.create_connection(('127.0.0.1', p.get('port', 8080))) for _ in range(p.get('count', 150))]
        role.wait('D')
        for c in clients:
            c.close()
    elif key == 'timeWait':  # client is the active closer -> client-side TIME-WAIT
        # Keep every TIME-WAIT (these sysctls are per network namespace): tcp_tw_reuse=2 (the
        # default) lets connect() to loopback reuse a TIME-WAIT port, and a stray RST (server
        # answering a spuriously retransmitted FIN's ACK after it closed) would kill a
        # TIME-WAIT socket unless tcp_rfc1337=1.
        for name, value in (('tcp_tw_reuse', '0'), ('tcp_rfc1337', '1')):
            with open('/proc/sys/net/ipv4/' + name, 'w') as f:
                f.write(value)
        for _ in range(p.get('count', 1100)):
            socket.create_connection(('127.0.0.1', p.get('port', 8081))).close()
        role.wait('D')
    elif key == 'unreadRecvQ':
        c = socket.create_connection(('127.0.0.1', p.get('port', 9000)))
        role.wait('D')
        c.sendall(b'q' * p.get('bytes', 4096))
        held.append(c)
    elif key == 'zeroWindow':  # fill the peer's buffers until the window closes (persist timer)
        c = socket.create_connection(('127.0.0.1', p.get('port', 9004)))
        role.wait('D')
        c.setblocking(False)
        chunk, stalls, deadline = b'z' * 65536, 0, time.time() + 3
        while time.time() < deadline and stalls < 5:
            try:
                c.send(chunk)
                stalls = 0
            except BlockingIOError:
                stalls += 1
                time.sleep(0.05)
        held.append(c)
    elif key == 'acceptQueueFull':  # Linux completes backlog+1 connections, then drops SYNs
        port = p.get('port', 9001)
        for _ in range(p.get('backlog', 2) + 1):
            held.append(socket.create_connection(('127.0.0.1', port)))
        time.sleep(0.05)
        for _ in range(p.get('synSent', 1)):
            s = socket.socket()
            s.setblocking(False)
            try:
                s.connect(('127.0.0.1', port))
            except BlockingIOError:
                pass
            held.append(s)
    elif key == 'ipv6':
        c6 = socket.create_connection(('::1', p.get('port', 8443)))
        c6.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        c4 = socket.create_connection(('127.0.0.1', p.get('dualStackPort', 8444)))
        u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        u6.bind(('::1', 0))
        u6.connect(('::1', 9))  # connected UDP shows as ESTAB
        role.wait('D')
        held += [c6, c4, u6]
    elif key == 'unix':
        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        u.connect(unix_paths(p)[0])
        role.wait('D')
        held.append(u)
    elif key == 'retransmit':
        # lo gets an htb root whose default class is unlimited; traffic to 127.0.0.2/.3 goes to a
        # tbf at 8 bit/s, so a data segment sits in the qdisc: no ACK comes back and the
        # retransmission timer runs. 127.0.0.2 has the default RTO (retransmits at ~0.2, 0.6, 1.4 s
        # ...: timer:(on,...,N>=1)); 127.0.0.3 gets a local route with rto_min 60s, so its
        # timer:(on,~59sec,0) shows data in flight with no retransmission yet.
        targets = retransmit_targets(p)
        clients = [socket.create_connection(t) for t in targets]
        role.wait('D')
        run('tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '1')
        run('tc', 'class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '10gbit', 'quantum', '200000')
        for i, (host, _) in enumerate(targets):
            cls = '1:%d' % (i + 2)
            run('tc', 'class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', cls, 'htb', 'rate', '10gbit', 'quantum', '200000')
            run('tc', 'qdisc', 'add', 'dev', 'lo', 'parent', cls, 'handle', '%d:' % (i + 20), 'tbf', 'rate', '8bit', 'burst', '2000', 'limit', '100000')
            run('tc', 'filter', 'add', 'dev', 'lo', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', host + '/32', 'flowid', cls)
        for c in clients:
            c.send(b'p' * 1900)  # spends the tbf's initial burst
        time.sleep(0.05)
        for c in clients:
            c.send(b'r' * 1000)  # stuck in the qdisc: never ACKed
        held += clients
        time.sleep(p.get('waitMs', 700) / 1000)  # first RTO ~200 ms: let the count reach >= 1
    else:
        role.wait('D')


def part(spec, key):
    p = spec.get(key)
    if p is None or p is False:
        return None
    return {} if p is True else p


def main():
    spec = json.loads(sys.argv[1])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    client_name = spec.get('clientName', 'loadgen')
    set_comm(client_name)
    unknown = [k for k in spec if k not in PARTS and k != 'clientName']
    if unknown:
        raise RuntimeError('unknown scenario part(s): ' + ', '.join(unknown))
    if part(spec, 'retransmit') is not None and part(spec, 'retransmit').get('pending', True):
        run('ip', 'route', 'add', 'local', '127.0.0.3', 'dev', 'lo', 'table', 'local', 'rto_min', '60s')
    parts = [(k, part(spec, k)) for k in PARTS if part(spec, k) is not None]
    roles = {k: Role(k, p) for k, p in parts}  # fork every server before the driver opens a socket
    held = []
    info = {'pids': {client_name: os.getpid()}, 'parts': {}}
    for k, p in parts:
        roles[k].wait('L')
        name = p.get('name', PARTS[k][0])
        info['pids'][name] = roles[k].pid
        info['parts'][k] = {'name': name, 'pid': roles[k].pid}
    for k, p in parts:  # retransmit last: its qdisc slows nothing else down, but keep it simple
        drive(k, p, roles[k], held)
    sys.stdout.write('READY ' + json.dumps(info) + '\n')
    sys.stdout.flush()

    def stop(*_):
        for r in roles.values():
            r.kill()
        for r in roles.values():
            r.reap()  # reaped before we exit: cleanup() returns with every process gone
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while sys.stdin.buffer.read(4096):  # stdin closing (owner gone) ends the scenario
            pass
    except Exception:
        pass
    stop()


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        import traceback
        frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
        sys.stdout.write('FAILED %s (line %d)\n' % (e, frames[-1].lineno if frames else 0))
        sys.stdout.flush()
        os._exit(1)
