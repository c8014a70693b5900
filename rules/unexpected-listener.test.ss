# Rule fixture for unexpected-listener (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# Dangerous ports (3306, 53) are left to dangerous-port-exposed; link-local [fe80::] still counts as reachable;
# the unconnected UDP socket of logger on ephemeral port 58751 is a client.
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: unexpected-listener
tcp   LISTEN     0      511                0.0.0.0:3000       0.0.0.0:*     users:(("node",pid=67,fd=7)) ino:137625 sk:91a7 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: unexpected-listener
tcp   LISTEN     0      511              10.20.0.5:8080       0.0.0.0:*     users:(("node",pid=67,fd=9)) ino:137626 sk:91a1 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: unexpected-listener
tcp   LISTEN     3      2                  0.0.0.0:8081       0.0.0.0:*     users:(("slowapp",pid=77,fd=18)) uid:1000 ino:137645 sk:91aa cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d14) bbr cwnd:10 unacked:3
# ruleid: unexpected-listener
udp   UNCONN     0      0                  0.0.0.0:8125       0.0.0.0:*     users:(("statsd",pid=74,fd=15)) uid:1000 ino:137639 sk:9198 cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ruleid: unexpected-listener
tcp   LISTEN     0      128        [fe80::20:5]%v0:9300          [::]:*     users:(("java",pid=68,fd=11)) uid:112 ino:137629 sk:91cc cgroup:/ v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
tcp   LISTEN     0      128                0.0.0.0:22         0.0.0.0:*     users:(("sshd",pid=66,fd=6)) ino:137622 sk:91a3 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
tcp   LISTEN     0      128                   [::]:22            [::]:*     users:(("sshd",pid=66,fd=8)) ino:137623 sk:91ca cgroup:/ v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
tcp   LISTEN     0      511                0.0.0.0:80         0.0.0.0:*     users:(("nginx",pid=70,fd=13)) ino:137635 sk:91a4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
tcp   LISTEN     0      511                0.0.0.0:443        0.0.0.0:*     users:(("nginx",pid=70,fd=11)) ino:137634 sk:91a2 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
udp   UNCONN     0      0                  0.0.0.0:68         0.0.0.0:*     users:(("dhclient",pid=73,fd=14)) ino:137637 sk:919c cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ok: unexpected-listener
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
udp   UNCONN     0      0                10.20.0.5:53         0.0.0.0:*     users:(("dnsmasq",pid=75,fd=16)) ino:137641 sk:919a cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ok: unexpected-listener
tcp   LISTEN     0      511              127.0.0.1:6379       0.0.0.0:*     users:(("redis-server",pid=64,fd=4)) uid:110 ino:138563 sk:91a6 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
udp   UNCONN     0      0                    [::1]:323           [::]:*     users:(("chronyd",pid=76,fd=17)) ino:137643 sk:919f cgroup:/ v6only:1 <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ok: unexpected-listener
tcp   LISTEN     0      128     [::ffff:127.0.0.1]:9200             *:*     users:(("java",pid=68,fd=8)) uid:112 ino:137628 sk:91cd cgroup:/ v6only:0 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: unexpected-listener
udp   UNCONN     0      0                  0.0.0.0:58751      0.0.0.0:*     users:(("logger",pid=91,fd=29)) ino:137686 sk:9199 cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
