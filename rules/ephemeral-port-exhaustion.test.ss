# Rule fixture for ephemeral-port-exhaustion (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tanpoeim`, captured in a private network namespace by
# test/rules/capture/ephemeral.py (every row, trailing padding stripped).
# threshold=3: pooler holds 5 local ports towards 127.0.0.1:5432 (4 open, 1 in TIME-WAIT) and breaks it;
# web holds 2 towards 127.0.0.2:8080; pg-server's and svc's accepted sockets (local port 5432, or 40000
# inside the range, each towards its own client port) and the listeners are not counted together.
# flags: -tanpoeim
# vars: threshold=3
State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
# ok: ephemeral-port-exhaustion
LISTEN    0      16           0.0.0.0:40000      0.0.0.0:*     users:(("svc",pid=2639,fd=5),("svc",pid=2638,fd=5)) ino:322407 sk:acd3 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: ephemeral-port-exhaustion
LISTEN    0      16         127.0.0.2:8080       0.0.0.0:*     users:(("api",pid=2637,fd=4),("api",pid=2636,fd=4)) ino:322405 sk:acd4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: ephemeral-port-exhaustion
LISTEN    0      16         127.0.0.1:5432       0.0.0.0:*     users:(("pg-server",pid=2635,fd=3),("pg-server",pid=2634,fd=3)) ino:322403 sk:acd5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:5432     127.0.0.1:40062 users:(("pg-server",pid=2635,fd=6)) ino:322410 sk:acd6 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.009/0.004 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.009) send 291271111111bps lastsnd:3520 lastrcv:3520 lastack:3520 pacing_rate 832409595032bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.009 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.2:8080     127.0.0.1:41702 users:(("api",pid=2637,fd=6)) ino:322864 sk:acd7 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.028/0.014 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.028) send 93622857143bps lastsnd:3512 lastrcv:3512 lastack:3512 pacing_rate 267560190296bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.028 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:39036    127.0.0.1:40000 users:(("svc-client",pid=2642,fd=8)) ino:322866 sk:acd8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.025/0.012 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.025,pacing_gain:1,cwnd_gain:1) send 104771200000bps lastsnd:3508 lastrcv:3508 lastack:3508 pacing_rate 299420519776bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.025 snd_wnd:65483
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:39050    127.0.0.1:40000 users:(("svc-client",pid=2642,fd=11)) ino:322867 sk:acd9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.008/0.004 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.008,pacing_gain:1,cwnd_gain:1) send 327410000000bps lastsnd:3508 lastrcv:3508 lastack:3508 pacing_rate 935689180072bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.008 snd_wnd:65483
# ruleid: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:40050    127.0.0.1:5432  users:(("pooler",pid=2640,fd=6)) ino:322858 sk:acda cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.031/0.015 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.031,pacing_gain:1,cwnd_gain:1) send 84492903226bps lastsnd:3520 lastrcv:3520 lastack:3520 pacing_rate 241468168304bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.031 snd_wnd:65483
# ruleid: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:40062    127.0.0.1:5432  users:(("pooler",pid=2640,fd=8)) ino:322859 sk:acdb cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.008/0.004 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.008,pacing_gain:1,cwnd_gain:1) send 327410000000bps lastsnd:3520 lastrcv:3520 lastack:3520 pacing_rate 935689180072bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.008 snd_wnd:65483
# ruleid: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:40072    127.0.0.1:5432  users:(("pooler",pid=2640,fd=9)) ino:322860 sk:acdc cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.006/0.003 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.006,pacing_gain:1,cwnd_gain:1) send 436546666667bps lastsnd:3520 lastrcv:3520 lastack:3520 pacing_rate 1247585543688bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.006 snd_wnd:65483
# ruleid: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:40086    127.0.0.1:5432  users:(("pooler",pid=2640,fd=11)) ino:322861 sk:acdd cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.005/0.002 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.005,pacing_gain:1,cwnd_gain:1) send 523856000000bps lastsnd:3520 lastrcv:3520 lastack:3520 pacing_rate 1497102688120bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.005 snd_wnd:65483
# ruleid: ephemeral-port-exhaustion
TIME-WAIT 0      0          127.0.0.1:40098    127.0.0.1:5432  timer:(timewait,56sec,0) ino:0 sk:acde
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:41702    127.0.0.2:8080  users:(("web",pid=2641,fd=7)) ino:322414 sk:acdf cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.077/0.038 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.077,pacing_gain:1,cwnd_gain:1) send 34016623377bps lastsnd:3512 lastrcv:3512 lastack:3512 pacing_rate 97214450416bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.077 snd_wnd:65483
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:41708    127.0.0.2:8080  users:(("web",pid=2641,fd=9)) ino:322415 sk:ace0 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.008/0.004 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.008,pacing_gain:1,cwnd_gain:1) send 327410000000bps lastsnd:3512 lastrcv:3512 lastack:3512 pacing_rate 935689180072bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.008 snd_wnd:65483
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:5432     127.0.0.1:40086 users:(("pg-server",pid=2635,fd=8)) ino:322412 sk:ace1 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.008/0.004 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.008) send 327680000000bps lastsnd:3520 lastrcv:3520 lastack:3520 pacing_rate 936460800000bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.008 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:40000    127.0.0.1:39050 users:(("svc",pid=2639,fd=8)) ino:322418 sk:ace2 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.009/0.004 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.009) send 291271111111bps lastsnd:3512 lastrcv:3512 lastack:3512 pacing_rate 832409595032bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.009 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:5432     127.0.0.1:40072 users:(("pg-server",pid=2635,fd=7)) ino:322411 sk:ace3 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.007/0.003 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.007) send 374491428571bps lastsnd:3524 lastrcv:3524 lastack:3524 pacing_rate 1070240895144bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.007 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:40000    127.0.0.1:39036 users:(("svc",pid=2639,fd=7)) ino:322417 sk:ace4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.018/0.009 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.018) send 145635555556bps lastsnd:3512 lastrcv:3512 lastack:3512 pacing_rate 416204775192bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.018 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.2:8080     127.0.0.1:41708 users:(("api",pid=2637,fd=7)) ino:322865 sk:ace5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.008/0.004 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.008) send 327680000000bps lastsnd:3516 lastrcv:3516 lastack:3516 pacing_rate 936460800000bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.008 snd_wnd:65536
# ok: ephemeral-port-exhaustion
ESTAB     0      0          127.0.0.1:5432     127.0.0.1:40050 users:(("pg-server",pid=2635,fd=5)) ino:322409 sk:ace6 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.02/0.01 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.02) send 131072000000bps lastsnd:3524 lastrcv:3524 lastack:3524 pacing_rate 374584320000bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.02 snd_wnd:65536
