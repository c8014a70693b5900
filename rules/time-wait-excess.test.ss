# Rule fixture for time-wait-excess (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# FIN-WAIT-2 sockets with a timewait timer are not TIME-WAIT and are not counted.
# flags: -tuanpoeim
# vars: threshold=2
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: time-wait-excess
tcp   TIME-WAIT  0      0                127.0.0.1:41980    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c0
# ruleid: time-wait-excess
tcp   TIME-WAIT  0      0                127.0.0.1:41996    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c1
# ruleid: time-wait-excess
tcp   TIME-WAIT  0      0                127.0.0.1:42034    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c2
# ruleid: time-wait-excess
tcp   TIME-WAIT  0      0                127.0.0.1:42044    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c3
# ok: time-wait-excess
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47270 timer:(timewait,51sec,0) ino:0 sk:91af
# ok: time-wait-excess
tcp   ESTAB      0      0                127.0.0.1:42054    127.0.0.1:9001  users:(("curl",pid=85,fd=24)) ino:138677 sk:91c4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.017/0.008 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.017,pacing_gain:1,cwnd_gain:1) send 154075294118bps lastsnd:8016 lastrcv:8016 lastack:8016 pacing_rate 440324293784bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.017 snd_wnd:65483
