# Rule fixture for close-wait-excess (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# threshold=2: java-leaky (4 CLOSE-WAIT) breaks it, worker (1) does not.
# flags: -tuanpoeim
# vars: threshold=2
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: close-wait-excess
tcp   CLOSE-WAIT 1      0                127.0.0.1:47228    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=21)) uid:112 ino:138574 sk:91b9 cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.045/0.022 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 58254222222bps lastsnd:8864 lastrcv:8864 lastack:8860 pacing_rate 166344733208bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.045 snd_wnd:65536
# ruleid: close-wait-excess
tcp   CLOSE-WAIT 1      0                127.0.0.1:47240    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=23)) uid:112 ino:138575 sk:91ba cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.04/0.02 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 65536000000bps lastsnd:8860 lastrcv:8860 lastack:8860 pacing_rate 187137836008bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.04 snd_wnd:65536
# ruleid: close-wait-excess
tcp   CLOSE-WAIT 1      0                127.0.0.1:47242    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=24)) uid:112 ino:138576 sk:91bb cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.007/0.003 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 374491428571bps lastsnd:8860 lastrcv:8860 lastack:8860 pacing_rate 1069359043824bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.007 snd_wnd:65536
# ruleid: close-wait-excess
tcp   CLOSE-WAIT 1      0                127.0.0.1:47246    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=25)) uid:112 ino:138577 sk:91bc cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.007/0.003 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 374491428571bps lastsnd:8860 lastrcv:8860 lastack:8860 pacing_rate 1069359043824bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.007 snd_wnd:65536
# ok: close-wait-excess
tcp   CLOSE-WAIT 1      0                127.0.0.1:47270    127.0.0.1:9000  users:(("worker",pid=82,fd=22)) uid:1000 ino:138624 sk:91bd cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.045/0.022 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 58254222222bps lastsnd:8552 lastrcv:8552 lastack:8532 pacing_rate 166344733208bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.045 snd_wnd:65536
# ok: close-wait-excess
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47240 timer:(timewait,51sec,0) ino:0 sk:91ae
# ok: close-wait-excess
tcp   ESTAB      0      0                127.0.0.1:59762    127.0.0.1:9100  users:(("producer",pid=88,fd=26)) uid:1000 ino:137681 sk:91be cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.056/0.024 mss:53760 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:5000 bytes_acked:5001 segs_out:3 segs_in:2 data_segs_out:1 bbr:(bw:8777138664bps,mrtt:0.049,pacing_gain:2.88672,cwnd_gain:2.88672) send 84480000000bps lastsnd:7996 lastrcv:8004 lastack:7996 pacing_rate 129060556560bps delivery_rate 8777142856bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.049 snd_wnd:107520
