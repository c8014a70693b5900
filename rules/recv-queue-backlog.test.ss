# Rule fixture for recv-queue-backlog (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: recv-queue-backlog
tcp   ESTAB      128512 0                127.0.0.1:9100     127.0.0.1:59774 users:(("consumer",pid=87,fd=28)) uid:1000 ino:137682 sk:91b3 cgroup:/ <->
	 skmem:(r131840,rb131072,t0,tb3939840,f3328,w0,o0,bl0,d6) ts sack bbr wscale:10,10 rto:200 rtt:0.029/0.014 ato:80 mss:32768 pmtu:65535 rcvmss:47616 advmss:65483 cwnd:10 bytes_received:128512 segs_out:7 segs_in:13 data_segs_in:6 bbr:(bw:0bps,mrtt:0.029) send 90394482759bps lastsnd:7792 lastrcv:7536 lastack:7536 pacing_rate 258333973752bps delivered:1 app_limited rcv_rtt:0.194 rcv_space:65483 rcv_ssthresh:95232 minrtt:0.029 snd_wnd:65536
# ruleid: recv-queue-backlog
tcp   ESTAB      5000   0                127.0.0.1:9100     127.0.0.1:59762 users:(("consumer",pid=87,fd=27)) uid:1000 ino:138679 sk:91b7 cgroup:/ <->
	 skmem:(r5832,rb131072,t0,tb3939840,f2360,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.041/0.02 ato:40 mss:32768 pmtu:65535 rcvmss:5000 advmss:65483 cwnd:10 bytes_received:5000 segs_out:1 segs_in:3 data_segs_in:1 bbr:(bw:0bps,mrtt:0.041) send 63937560976bps lastsnd:8004 lastrcv:7996 lastack:7996 pacing_rate 182724018232bps delivered:1 app_limited rcv_rtt:6 rcv_space:65483 rcv_ssthresh:107138 minrtt:0.041 snd_wnd:65536
# ok: recv-queue-backlog
tcp   CLOSE-WAIT 1      0                127.0.0.1:47228    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=21)) uid:112 ino:138574 sk:91b9 cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.045/0.022 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 58254222222bps lastsnd:8864 lastrcv:8864 lastack:8860 pacing_rate 166344733208bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.045 snd_wnd:65536
# ok: recv-queue-backlog
udp   UNCONN     2304   0                127.0.0.1:514        0.0.0.0:*     users:(("rsyslogd",pid=90,fd=28)) ino:138682 sk:919e cgroup:/ <->
	 skmem:(r2304,rb4096,t0,tb212992,f1792,w0,o0,bl0,d299)
# ok: recv-queue-backlog
tcp   ESTAB      0      0                127.0.0.1:59762    127.0.0.1:9100  users:(("producer",pid=88,fd=26)) uid:1000 ino:137681 sk:91be cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.056/0.024 mss:53760 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:5000 bytes_acked:5001 segs_out:3 segs_in:2 data_segs_out:1 bbr:(bw:8777138664bps,mrtt:0.049,pacing_gain:2.88672,cwnd_gain:2.88672) send 84480000000bps lastsnd:7996 lastrcv:8004 lastack:7996 pacing_rate 129060556560bps delivery_rate 8777142856bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.049 snd_wnd:107520
# ok: recv-queue-backlog
tcp   LISTEN     3      2                  0.0.0.0:8081       0.0.0.0:*     users:(("slowapp",pid=77,fd=18)) uid:1000 ino:137645 sk:91aa cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d14) bbr cwnd:10 unacked:3
