# Rule fixture for listen-queue-overflow (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# LISTEN 3/2: accept queue (Recv-Q) past the backlog (Send-Q): full (the kernel queues backlog + 1).
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: listen-queue-overflow
tcp   LISTEN     3      2                  0.0.0.0:8081       0.0.0.0:*     users:(("slowapp",pid=77,fd=18)) uid:1000 ino:137645 sk:91aa cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d14) bbr cwnd:10 unacked:3
# ok: listen-queue-overflow
tcp   LISTEN     0      128              127.0.0.1:9100       0.0.0.0:*     users:(("consumer",pid=87,fd=25),("consumer",pid=86,fd=25)) uid:1000 ino:137679 sk:91ab cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: listen-queue-overflow
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: listen-queue-overflow
tcp   LISTEN     0      5                127.0.0.1:873        0.0.0.0:*     users:(("rsyncd",pid=99,fd=36)) ino:137690 sk:91a9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: listen-queue-overflow
tcp   ESTAB      128512 0                127.0.0.1:9100     127.0.0.1:59774 users:(("consumer",pid=87,fd=28)) uid:1000 ino:137682 sk:91b3 cgroup:/ <->
	 skmem:(r131840,rb131072,t0,tb3939840,f3328,w0,o0,bl0,d6) ts sack bbr wscale:10,10 rto:200 rtt:0.029/0.014 ato:80 mss:32768 pmtu:65535 rcvmss:47616 advmss:65483 cwnd:10 bytes_received:128512 segs_out:7 segs_in:13 data_segs_in:6 bbr:(bw:0bps,mrtt:0.029) send 90394482759bps lastsnd:7792 lastrcv:7536 lastack:7536 pacing_rate 258333973752bps delivered:1 app_limited rcv_rtt:0.194 rcv_space:65483 rcv_ssthresh:95232 minrtt:0.029 snd_wnd:65536
