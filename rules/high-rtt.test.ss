# Rule fixture for high-rtt (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tuanpoeim`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# walreceiver talks through a 64 kbit/s token bucket: rtt 101 ms.
# flags: -tuanpoeim
Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: high-rtt
tcp   ESTAB      0      4                10.20.0.5:33766    10.20.0.7:5433  users:(("walreceiver",pid=102,fd=39),("walreceiver",pid=101,fd=39)) timer:(on,268ms,0) uid:999 ino:141356 sk:a00c cgroup:/ <->
	 skmem:(r0,rb131072,t836,tb69120,f3260,w836,o0,bl0,d0) ts sack bbr wscale:10,10 rto:356 rtt:101.148/52.658 ato:40 mss:1448 pmtu:1500 rcvmss:1000 advmss:1448 cwnd:22 bytes_sent:12004 bytes_acked:12001 bytes_received:12000 segs_out:17 segs_in:14 data_segs_out:13 data_segs_in:12 bbr:(bw:193066480bps,mrtt:0.06,pacing_gain:2.88672,cwnd_gain:2.88672) send 2519556bps lastsnd:88 lastrcv:5232 lastack:5232 pacing_rate 4244275704bps delivery_rate 193066664bps delivered:13 app_limited busy:1504ms unacked:1 rcv_rtt:114.563 rcv_space:14480 rcv_ssthresh:70173 minrtt:0.06 snd_wnd:70656
# ok: high-rtt
tcp   ESTAB      0      3782144          127.0.0.1:59774    127.0.0.1:9100  users:(("bulk-writer",pid=89,fd=27)) timer:(persist,5.760ms,0) uid:1000 ino:138680 sk:91bf cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb4194304,f2368,w3847872,o0,bl0,d0) ts sack bbr wscale:10,10 rto:208 backoff:5 rtt:4.64/9.184 mss:47616 pmtu:65535 rcvmss:536 advmss:65483 cwnd:16 bytes_sent:176128 bytes_retrans:47616 bytes_acked:128513 segs_out:13 segs_in:8 data_segs_out:6 bbr:(bw:5520694328bps,mrtt:0.046,pacing_gain:2.88672,cwnd_gain:2.88672) send 1313544828bps lastsnd:7536 lastrcv:7792 lastack:896 pacing_rate 162728514256bps delivery_rate 5441828568bps delivered:7 busy:7792ms rwnd_limited:7792ms(100.0%) retrans:0/1 dsack_dups:1 rcv_space:65495 rcv_ssthresh:65495 notsent:3782144 minrtt:0.046
# ok: high-rtt
tcp   ESTAB      0      3000             10.20.0.5:56452    10.20.0.7:873   users:(("rsync",pid=106,fd=42),("rsync",pid=104,fd=42)) timer:(on,480ms,3) ino:141360 sk:a00d cgroup:/ <->
	 skmem:(r0,rb131072,t3832,tb69120,f264,w3832,o0,bl0,d0) ts sack bbr wscale:10,10 rto:1632 backoff:3 rtt:0.051/0.025 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:1 bytes_sent:3000 bytes_acked:1 segs_out:5 segs_in:1 data_segs_out:3 bbr:(bw:0bps,mrtt:0.051,pacing_gain:1,cwnd_gain:1) send 227137255bps lastsnd:2620 lastrcv:6968 lastack:6968 pacing_rate 6491245200bps delivered:1 app_limited busy:2620ms unacked:3 lost:3 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.051 snd_wnd:65160
# ok: high-rtt
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
# ok: high-rtt
tcp   SYN-SENT   0      1                10.20.0.5:37708    10.20.0.7:443   users:(("backup-agent",pid=111,fd=43)) timer:(on,424ms,2) ino:141378 sk:a00e cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
