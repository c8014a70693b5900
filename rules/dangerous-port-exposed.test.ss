# Rule fixture for dangerous-port-exposed (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# *:5432 is a dual-stack wildcard (reachable over IPv4 too); [::ffff:127.0.0.1] is loopback.
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: dangerous-port-exposed
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: dangerous-port-exposed
tcp   LISTEN     0      244                      *:5432             *:*     users:(("postgres",pid=65,fd=5)) uid:999 ino:138566 sk:91cb cgroup:/ v6only:0 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: dangerous-port-exposed
tcp   LISTEN     0      4096          203.0.113.10:2375       0.0.0.0:*     users:(("dockerd",pid=69,fd=9)) ino:137632 sk:91a8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ruleid: dangerous-port-exposed
udp   UNCONN     0      0                  0.0.0.0:161        0.0.0.0:*     users:(("snmpd",pid=71,fd=12)) ino:138568 sk:919d cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ruleid: dangerous-port-exposed
udp   UNCONN     0      0                10.20.0.5:53         0.0.0.0:*     users:(("dnsmasq",pid=75,fd=16)) ino:137641 sk:919a cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ok: dangerous-port-exposed
tcp   LISTEN     0      511              127.0.0.1:6379       0.0.0.0:*     users:(("redis-server",pid=64,fd=4)) uid:110 ino:138563 sk:91a6 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
tcp   LISTEN     0      511                  [::1]:6379          [::]:*     users:(("redis-server",pid=64,fd=6)) uid:110 ino:138564 sk:91ce cgroup:/ v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
tcp   LISTEN     0      128     [::ffff:127.0.0.1]:9200             *:*     users:(("java",pid=68,fd=8)) uid:112 ino:137628 sk:91cd cgroup:/ v6only:0 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
udp   UNCONN     0      0               127.0.0.53:53         0.0.0.0:*     users:(("systemd-resolve",pid=72,fd=13)) ino:138570 sk:919b cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
# ok: dangerous-port-exposed
tcp   LISTEN     0      128                0.0.0.0:22         0.0.0.0:*     users:(("sshd",pid=66,fd=6)) ino:137622 sk:91a3 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
tcp   LISTEN     0      511                0.0.0.0:443        0.0.0.0:*     users:(("nginx",pid=70,fd=11)) ino:137634 sk:91a2 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
udp   UNCONN     2304   0                127.0.0.1:514        0.0.0.0:*     users:(("rsyslogd",pid=90,fd=28)) ino:138682 sk:919e cgroup:/ <->
	 skmem:(r2304,rb4096,t0,tb212992,f1792,w0,o0,bl0,d299)
# ok: dangerous-port-exposed
tcp   LISTEN     0      5                127.0.0.1:873        0.0.0.0:*     users:(("rsyncd",pid=99,fd=36)) ino:137690 sk:91a9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
tcp   ESTAB      0      4                10.20.0.5:33766    10.20.0.7:5433  users:(("walreceiver",pid=102,fd=39),("walreceiver",pid=101,fd=39)) timer:(on,268ms,0) uid:999 ino:141356 sk:a00c cgroup:/ <->
	 skmem:(r0,rb131072,t836,tb69120,f3260,w836,o0,bl0,d0) ts sack bbr wscale:10,10 rto:356 rtt:101.148/52.658 ato:40 mss:1448 pmtu:1500 rcvmss:1000 advmss:1448 cwnd:22 bytes_sent:12004 bytes_acked:12001 bytes_received:12000 segs_out:17 segs_in:14 data_segs_out:13 data_segs_in:12 bbr:(bw:193066480bps,mrtt:0.06,pacing_gain:2.88672,cwnd_gain:2.88672) send 2519556bps lastsnd:88 lastrcv:5232 lastack:5232 pacing_rate 4244275704bps delivery_rate 193066664bps delivered:13 app_limited busy:1504ms unacked:1 rcv_rtt:114.563 rcv_space:14480 rcv_ssthresh:70173 minrtt:0.06 snd_wnd:70656
# Bound to the loopback device (SO_BINDTODEVICE "lo": ss 6.1 prints 0.0.0.0%lo, [::]%lo): only loopback reaches
# them, whatever the address (captured separately in a private namespace, python3 holding the sockets).
# ok: dangerous-port-exposed
tcp   LISTEN 0      128       0.0.0.0%lo:5432      0.0.0.0:*    users:(("python3",pid=14196,fd=3)) ino:875417 sk:32c38 cgroup:unreachable:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: dangerous-port-exposed
tcp   LISTEN 0      128          [::]%lo:6379         [::]:*    users:(("python3",pid=14196,fd=4)) ino:875418 sk:32c39 cgroup:unreachable:1 v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
