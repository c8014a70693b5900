# Rule fixture for syn-sent-excess (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# backup-agent has 3 attempts (> 2); apt has 1 and loadgen 2.
# flags: -tuanpoeim
# vars: threshold=2
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: syn-sent-excess
tcp   SYN-SENT   0      1                10.20.0.5:37708    10.20.0.7:443   users:(("backup-agent",pid=111,fd=43)) timer:(on,424ms,2) ino:141378 sk:a00e cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
# ruleid: syn-sent-excess
tcp   SYN-SENT   0      1                10.20.0.5:37722    10.20.0.7:443   users:(("backup-agent",pid=111,fd=45)) timer:(on,424ms,2) ino:141379 sk:a00f cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
# ruleid: syn-sent-excess
tcp   SYN-SENT   0      1                10.20.0.5:37738    10.20.0.7:443   users:(("backup-agent",pid=111,fd=46)) timer:(on,424ms,2) ino:141380 sk:a010 cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
# ok: syn-sent-excess
tcp   SYN-SENT   0      1                10.20.0.5:54366    10.20.0.7:80    users:(("apt",pid=112,fd=44)) timer:(on,424ms,2) ino:138007 sk:a00b cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
# ok: syn-sent-excess
tcp   SYN-SENT   0      1                127.0.0.1:60896    127.0.0.1:8081  users:(("loadgen",pid=78,fd=23)) timer:(on,1.952ms,6) ino:137650 sk:91c8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f3264,w832,o0,bl0,d0) bbr rto:4000 backoff:2 mss:524 pmtu:65535 rcvmss:88 advmss:65495 cwnd:1 segs_out:7 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 retrans:1/6 lost:1 rcv_ssthresh:65495
# ok: syn-sent-excess
tcp   SYN-SENT   0      1                127.0.0.1:60898    127.0.0.1:8081  users:(("loadgen",pid=78,fd=24)) timer:(on,1.952ms,6) ino:137651 sk:91c9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f3264,w832,o0,bl0,d0) bbr rto:4000 backoff:2 mss:524 pmtu:65535 rcvmss:88 advmss:65495 cwnd:1 segs_out:7 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 retrans:1/6 lost:1 rcv_ssthresh:65495
# ok: syn-sent-excess
tcp   ESTAB      0      0                127.0.0.1:60864    127.0.0.1:8081  users:(("loadgen",pid=78,fd=19)) ino:137647 sk:91c5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.05/0.025 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.05,pacing_gain:1,cwnd_gain:1) send 52385600000bps lastsnd:9192 lastrcv:9192 lastack:9192 pacing_rate 149710259888bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.05 snd_wnd:65483
