# Rule fixture for unix-socket-in-world-writable-dir (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -xapme`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/unix.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# flags: -xapme
Netid State  Recv-Q Send-Q        Local Address:Port   Peer Address:PortProcess
# ruleid: unix-socket-in-world-writable-dir
u_str LISTEN 0      16            /tmp/app.sock 137688            * 0    users:(("appserver",pid=92,fd=30)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:2146376 dev:0/65024 peers:
# ruleid: unix-socket-in-world-writable-dir
u_dgr UNCONN 0      0      /dev/shm/worker.sock 138684            * 0    users:(("shm-worker",pid=93,fd=31)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:5 dev:0/27
# ruleid: unix-socket-in-world-writable-dir
u_str LISTEN 0      16      /var/tmp/agent.sock 138690            * 0    users:(("agent",pid=96,fd=34)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:15343619 dev:0/65024 peers:
# ok: unix-socket-in-world-writable-dir
u_str LISTEN 0      16       /run/demo/api.sock 138686            * 0    users:(("api",pid=94,fd=32)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:1466637 dev:0/65024 peers:
# ok: unix-socket-in-world-writable-dir
u_str LISTEN 0      16        /tmp/.X11-unix/X0 138688            * 0    users:(("Xorg",pid=95,fd=33)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:2146391 dev:0/65024 peers:
