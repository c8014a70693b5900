# Rule fixture for root-listener-exposed (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# ss -e omits uid: for root; slowapp (uid 1000), mysqld (27), postgres (999) are not root.
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: root-listener-exposed
tcp   LISTEN     0      511                0.0.0.0:3000       0.0.0.0:*     users:(("node",pid=67,fd=7)) ino:137625 sk:91a7 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: root-listener-exposed
tcp   LISTEN     0      511              10.20.0.5:8080       0.0.0.0:*     users:(("node",pid=67,fd=9)) ino:137626 sk:91a1 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: root-listener-exposed
tcp   LISTEN     0      4096          203.0.113.10:2375       0.0.0.0:*     users:(("dockerd",pid=69,fd=9)) ino:137632 sk:91a8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: root-listener-exposed
tcp   LISTEN     0      128                0.0.0.0:22         0.0.0.0:*     users:(("sshd",pid=66,fd=6)) ino:137622 sk:91a3 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: root-listener-exposed
tcp   LISTEN     0      511                0.0.0.0:443        0.0.0.0:*     users:(("nginx",pid=70,fd=11)) ino:137634 sk:91a2 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: root-listener-exposed
tcp   LISTEN     3      2                  0.0.0.0:8081       0.0.0.0:*     users:(("slowapp",pid=77,fd=18)) uid:1000 ino:137645 sk:91aa cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d14) bbr cwnd:10 unacked:3
# ok: root-listener-exposed
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: root-listener-exposed
tcp   LISTEN     0      244                      *:5432             *:*     users:(("postgres",pid=65,fd=5)) uid:999 ino:138566 sk:91cb cgroup:/ v6only:0 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: root-listener-exposed
tcp   LISTEN     0      5                127.0.0.1:873        0.0.0.0:*     users:(("rsyncd",pid=99,fd=36)) ino:137690 sk:91a9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
