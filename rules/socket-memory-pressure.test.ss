# Rule fixture for socket-memory-pressure (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: socket-memory-pressure
tcp   ESTAB      128512 0                127.0.0.1:9100     127.0.0.1:59774 users:(("consumer",pid=87,fd=28)) uid:1000 ino:137682 sk:91b3 cgroup:/ <->
	 skmem:(r131840,rb131072,t0,tb3939840,f3328,w0,o0,bl0,d6) ts sack bbr wscale:10,10 rto:200 rtt:0.029/0.014 ato:80 mss:32768 pmtu:65535 rcvmss:47616 advmss:65483 cwnd:10 bytes_received:128512 segs_out:7 segs_in:13 data_segs_in:6 bbr:(bw:0bps,mrtt:0.029) send 90394482759bps lastsnd:7792 lastrcv:7536 lastack:7536 pacing_rate 258333973752bps delivered:1 app_limited rcv_rtt:0.194 rcv_space:65483 rcv_ssthresh:95232 minrtt:0.029 snd_wnd:65536
# ok: socket-memory-pressure
tcp   ESTAB      5000   0                127.0.0.1:9100     127.0.0.1:59762 users:(("consumer",pid=87,fd=27)) uid:1000 ino:138679 sk:91b7 cgroup:/ <->
	 skmem:(r5832,rb131072,t0,tb3939840,f2360,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.041/0.02 ato:40 mss:32768 pmtu:65535 rcvmss:5000 advmss:65483 cwnd:10 bytes_received:5000 segs_out:1 segs_in:3 data_segs_in:1 bbr:(bw:0bps,mrtt:0.041) send 63937560976bps lastsnd:8004 lastrcv:7996 lastack:7996 pacing_rate 182724018232bps delivered:1 app_limited rcv_rtt:6 rcv_space:65483 rcv_ssthresh:107138 minrtt:0.041 snd_wnd:65536
# ok: socket-memory-pressure
udp   UNCONN     2304   0                127.0.0.1:514        0.0.0.0:*     users:(("rsyslogd",pid=90,fd=28)) ino:138682 sk:919e cgroup:/ <->
	 skmem:(r2304,rb4096,t0,tb212992,f1792,w0,o0,bl0,d299)
# ok: socket-memory-pressure
tcp   ESTAB      0      3000             10.20.0.5:56452    10.20.0.7:873   users:(("rsync",pid=106,fd=42),("rsync",pid=104,fd=42)) timer:(on,480ms,3) ino:141360 sk:a00d cgroup:/ <->
	 skmem:(r0,rb131072,t3832,tb69120,f264,w3832,o0,bl0,d0) ts sack bbr wscale:10,10 rto:1632 backoff:3 rtt:0.051/0.025 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:1 bytes_sent:3000 bytes_acked:1 segs_out:5 segs_in:1 data_segs_out:3 bbr:(bw:0bps,mrtt:0.051,pacing_gain:1,cwnd_gain:1) send 227137255bps lastsnd:2620 lastrcv:6968 lastack:6968 pacing_rate 6491245200bps delivered:1 app_limited busy:2620ms unacked:3 lost:3 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.051 snd_wnd:65160
# ok: socket-memory-pressure
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
