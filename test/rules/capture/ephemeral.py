#!/usr/bin/env python3
"""Captures the fixture of ephemeral-port-exhaustion (rules/ephemeral-port-exhaustion.test.ss) with the real ss
(iproute2 6.1.0) in a private network namespace: a client holding five local ports towards one server (four
connections open, one in TIME-WAIT after the client closed it), another holding two towards another server, and
a service listening on a port inside the ephemeral range, whose accepted sockets must not count as one group.
Needs root; everything it starts dies with the namespace.

  unshare -n python3 ephemeral.py > capture.ss"""
import ctypes, os, select, socket, subprocess, sys, time

libc = ctypes.CDLL(None)
subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
subprocess.run(['ip', 'addr', 'add', '127.0.0.2/8', 'dev', 'lo'], check=False)


def named(name):
    libc.prctl(15, name.encode()[:15], 0, 0, 0)


def listener(addr, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    return s


def child(name, body):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        named(name)
        keep = body()
        os.write(w, b'1')
        time.sleep(30)
        os._exit(0)
    os.close(w)
    os.read(r, 1)
    return pid


servers = {}


def serve(name, addr, port):
    def body():
        s = listener(addr, port)
        accepted = []
        s.settimeout(0.2)
        # accept what arrives in the next 3 s (the clients connect after this child is ready)
        def loop():
            end = time.time() + 3
            while time.time() < end:
                try:
                    accepted.append(s.accept()[0])
                except socket.timeout:
                    pass
                # a client that closed: close too (its side then goes to TIME-WAIT)
                for a in select.select(accepted, [], [], 0)[0]:
                    if a.recv(1) == b'':
                        accepted.remove(a)
                        a.close()
        if os.fork() == 0:
            named(name)
            loop()
            time.sleep(30)
            os._exit(0)
        return s
    return child(name, body)


pids = [serve('pg-server', '127.0.0.1', 5432), serve('api', '127.0.0.2', 8080), serve('svc', '0.0.0.0', 40000)]


def pooler():
    held = [socket.create_connection(('127.0.0.1', 5432)) for _ in range(5)]
    held.pop().close()  # the client closes first: its side stays in TIME-WAIT, holding the port
    return held


def web():
    return [socket.create_connection(('127.0.0.2', 8080)) for _ in range(2)]


def svc_clients():
    return [socket.create_connection(('127.0.0.1', 40000)) for _ in range(2)]


pids += [child('pooler', pooler), child('web', web), child('svc-client', svc_clients)]
time.sleep(3.5)
sys.stdout.write(subprocess.run(['ss', '-tanpoeim'], check=True, capture_output=True, text=True).stdout)
