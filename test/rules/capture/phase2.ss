Netid State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
udp   UNCONN     0      0                  0.0.0.0:8125       0.0.0.0:*     users:(("statsd",pid=74,fd=15)) uid:1000 ino:137639 sk:9198 cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
udp   UNCONN     0      0                  0.0.0.0:58751      0.0.0.0:*     users:(("logger",pid=91,fd=29)) ino:137686 sk:9199 cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
udp   UNCONN     0      0                10.20.0.5:53         0.0.0.0:*     users:(("dnsmasq",pid=75,fd=16)) ino:137641 sk:919a cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
udp   UNCONN     0      0               127.0.0.53:53         0.0.0.0:*     users:(("systemd-resolve",pid=72,fd=13)) ino:138570 sk:919b cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
udp   UNCONN     0      0                  0.0.0.0:68         0.0.0.0:*     users:(("dhclient",pid=73,fd=14)) ino:137637 sk:919c cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
udp   UNCONN     0      0                  0.0.0.0:161        0.0.0.0:*     users:(("snmpd",pid=71,fd=12)) ino:138568 sk:919d cgroup:/ <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
udp   UNCONN     2304   0                127.0.0.1:514        0.0.0.0:*     users:(("rsyslogd",pid=90,fd=28)) ino:138682 sk:919e cgroup:/ <->
	 skmem:(r2304,rb4096,t0,tb212992,f1792,w0,o0,bl0,d299)
udp   UNCONN     0      0                    [::1]:323           [::]:*     users:(("chronyd",pid=76,fd=17)) ino:137643 sk:919f cgroup:/ v6only:1 <->
	 skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
tcp   LISTEN     0      128              127.0.0.1:5433       0.0.0.0:*     users:(("postgres-rep",pid=98,fd=35),("postgres-rep",pid=97,fd=35)) uid:999 ino:138692 sk:91a0 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      511              10.20.0.5:8080       0.0.0.0:*     users:(("node",pid=67,fd=9)) ino:137626 sk:91a1 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      511                0.0.0.0:443        0.0.0.0:*     users:(("nginx",pid=70,fd=11)) ino:137634 sk:91a2 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      128                0.0.0.0:22         0.0.0.0:*     users:(("sshd",pid=66,fd=6)) ino:137622 sk:91a3 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      511                0.0.0.0:80         0.0.0.0:*     users:(("nginx",pid=70,fd=13)) ino:137635 sk:91a4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     users:(("mysqld",pid=63,fd=3)) uid:27 ino:137620 sk:91a5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      511              127.0.0.1:6379       0.0.0.0:*     users:(("redis-server",pid=64,fd=4)) uid:110 ino:138563 sk:91a6 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      511                0.0.0.0:3000       0.0.0.0:*     users:(("node",pid=67,fd=7)) ino:137625 sk:91a7 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      4096          203.0.113.10:2375       0.0.0.0:*     users:(("dockerd",pid=69,fd=9)) ino:137632 sk:91a8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      5                127.0.0.1:873        0.0.0.0:*     users:(("rsyncd",pid=99,fd=36)) ino:137690 sk:91a9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     3      2                  0.0.0.0:8081       0.0.0.0:*     users:(("slowapp",pid=77,fd=18)) uid:1000 ino:137645 sk:91aa cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d14) bbr cwnd:10 unacked:3
tcp   LISTEN     0      128              127.0.0.1:9100       0.0.0.0:*     users:(("consumer",pid=87,fd=25),("consumer",pid=86,fd=25)) uid:1000 ino:137679 sk:91ab cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      128              127.0.0.1:9000       0.0.0.0:*     users:(("upstream",pid=80,fd=20),("upstream",pid=79,fd=20)) ino:137653 sk:91ac cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      128              127.0.0.1:9001       0.0.0.0:*     users:(("webapp",pid=84,fd=23),("webapp",pid=83,fd=23)) uid:33 ino:138626 sk:91ad cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47240 timer:(timewait,51sec,0) ino:0 sk:91ae

tcp   SYN-SENT   0      1                10.20.0.5:54366    10.20.0.7:80    users:(("apt",pid=112,fd=44)) timer:(on,424ms,2) ino:138007 sk:a00b cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47270 timer:(timewait,51sec,0) ino:0 sk:91af

tcp   ESTAB      0      0                127.0.0.1:8081     127.0.0.1:60864 uid:1000 ino:0 sk:91b0 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.029/0.014 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.029) send 90394482759bps lastsnd:9192 lastrcv:9192 lastack:9192 pacing_rate 258333973752bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.029 snd_wnd:65536
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47228 timer:(timewait,51sec,0) ino:0 sk:91b1

tcp   ESTAB      0      0                127.0.0.1:8081     127.0.0.1:60890 uid:1000 ino:0 sk:91b2 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.008/0.004 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.008) send 327680000000bps lastsnd:9188 lastrcv:9188 lastack:9188 pacing_rate 936460800000bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.008 snd_wnd:65536
tcp   ESTAB      128512 0                127.0.0.1:9100     127.0.0.1:59774 users:(("consumer",pid=87,fd=28)) uid:1000 ino:137682 sk:91b3 cgroup:/ <->
	 skmem:(r131840,rb131072,t0,tb3939840,f3328,w0,o0,bl0,d6) ts sack bbr wscale:10,10 rto:200 rtt:0.029/0.014 ato:80 mss:32768 pmtu:65535 rcvmss:47616 advmss:65483 cwnd:10 bytes_received:128512 segs_out:7 segs_in:13 data_segs_in:6 bbr:(bw:0bps,mrtt:0.029) send 90394482759bps lastsnd:7792 lastrcv:7536 lastack:7536 pacing_rate 258333973752bps delivered:1 app_limited rcv_rtt:0.194 rcv_space:65483 rcv_ssthresh:95232 minrtt:0.029 snd_wnd:65536
tcp   ESTAB      0      0                127.0.0.1:9001     127.0.0.1:42054 users:(("webapp",pid=84,fd=25)) uid:33 ino:137678 sk:91b4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.018/0.009 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.018) send 145635555556bps lastsnd:8016 lastrcv:8016 lastack:8016 pacing_rate 416204775192bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.018 snd_wnd:65536
tcp   ESTAB      0      4                10.20.0.5:33766    10.20.0.7:5433  users:(("walreceiver",pid=102,fd=39),("walreceiver",pid=101,fd=39)) timer:(on,268ms,0) uid:999 ino:141356 sk:a00c cgroup:/ <->
	 skmem:(r0,rb131072,t836,tb69120,f3260,w836,o0,bl0,d0) ts sack bbr wscale:10,10 rto:356 rtt:101.148/52.658 ato:40 mss:1448 pmtu:1500 rcvmss:1000 advmss:1448 cwnd:22 bytes_sent:12004 bytes_acked:12001 bytes_received:12000 segs_out:17 segs_in:14 data_segs_out:13 data_segs_in:12 bbr:(bw:193066480bps,mrtt:0.06,pacing_gain:2.88672,cwnd_gain:2.88672) send 2519556bps lastsnd:88 lastrcv:5232 lastack:5232 pacing_rate 4244275704bps delivery_rate 193066664bps delivered:13 app_limited busy:1504ms unacked:1 rcv_rtt:114.563 rcv_space:14480 rcv_ssthresh:70173 minrtt:0.06 snd_wnd:70656
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47242 timer:(timewait,51sec,0) ino:0 sk:91b5

tcp   ESTAB      0      3000             10.20.0.5:56452    10.20.0.7:873   users:(("rsync",pid=106,fd=42),("rsync",pid=104,fd=42)) timer:(on,480ms,3) ino:141360 sk:a00d cgroup:/ <->
	 skmem:(r0,rb131072,t3832,tb69120,f264,w3832,o0,bl0,d0) ts sack bbr wscale:10,10 rto:1632 backoff:3 rtt:0.051/0.025 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:1 bytes_sent:3000 bytes_acked:1 segs_out:5 segs_in:1 data_segs_out:3 bbr:(bw:0bps,mrtt:0.051,pacing_gain:1,cwnd_gain:1) send 227137255bps lastsnd:2620 lastrcv:6968 lastack:6968 pacing_rate 6491245200bps delivered:1 app_limited busy:2620ms unacked:3 lost:3 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.051 snd_wnd:65160
tcp   FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47246 timer:(timewait,51sec,0) ino:0 sk:91b6

tcp   SYN-SENT   0      1                10.20.0.5:37708    10.20.0.7:443   users:(("backup-agent",pid=111,fd=43)) timer:(on,424ms,2) ino:141378 sk:a00e cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
tcp   SYN-SENT   0      1                10.20.0.5:37722    10.20.0.7:443   users:(("backup-agent",pid=111,fd=45)) timer:(on,424ms,2) ino:141379 sk:a00f cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
tcp   SYN-SENT   0      1                10.20.0.5:37738    10.20.0.7:443   users:(("backup-agent",pid=111,fd=46)) timer:(on,424ms,2) ino:141380 sk:a010 cgroup:/ <->
	 skmem:(r0,rb131072,t832,tb16384,f3264,w832,o0,bl0,d0) bbr rto:1000 mss:524 pmtu:1500 rcvmss:88 advmss:1460 cwnd:1 segs_out:1 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 lost:1 rcv_ssthresh:64240
tcp   ESTAB      5000   0                127.0.0.1:9100     127.0.0.1:59762 users:(("consumer",pid=87,fd=27)) uid:1000 ino:138679 sk:91b7 cgroup:/ <->
	 skmem:(r5832,rb131072,t0,tb3939840,f2360,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.041/0.02 ato:40 mss:32768 pmtu:65535 rcvmss:5000 advmss:65483 cwnd:10 bytes_received:5000 segs_out:1 segs_in:3 data_segs_in:1 bbr:(bw:0bps,mrtt:0.041) send 63937560976bps lastsnd:8004 lastrcv:7996 lastack:7996 pacing_rate 182724018232bps delivered:1 app_limited rcv_rtt:6 rcv_space:65483 rcv_ssthresh:107138 minrtt:0.041 snd_wnd:65536
tcp   ESTAB      0      0                127.0.0.1:8081     127.0.0.1:60876 uid:1000 ino:0 sk:91b8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.027/0.013 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 segs_in:2 bbr:(bw:0bps,mrtt:0.027) send 97090370370bps lastsnd:9188 lastrcv:9188 lastack:9188 pacing_rate 277469835240bps delivered:1 app_limited rcv_space:65483 rcv_ssthresh:65483 minrtt:0.027 snd_wnd:65536
tcp   CLOSE-WAIT 1      0                127.0.0.1:47228    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=21)) uid:112 ino:138574 sk:91b9 cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.045/0.022 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 58254222222bps lastsnd:8864 lastrcv:8864 lastack:8860 pacing_rate 166344733208bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.045 snd_wnd:65536
tcp   CLOSE-WAIT 1      0                127.0.0.1:47240    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=23)) uid:112 ino:138575 sk:91ba cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.04/0.02 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 65536000000bps lastsnd:8860 lastrcv:8860 lastack:8860 pacing_rate 187137836008bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.04 snd_wnd:65536
tcp   CLOSE-WAIT 1      0                127.0.0.1:47242    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=24)) uid:112 ino:138576 sk:91bb cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.007/0.003 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 374491428571bps lastsnd:8860 lastrcv:8860 lastack:8860 pacing_rate 1069359043824bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.007 snd_wnd:65536
tcp   CLOSE-WAIT 1      0                127.0.0.1:47246    127.0.0.1:9000  users:(("java-leaky",pid=81,fd=25)) uid:112 ino:138577 sk:91bc cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.007/0.003 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 374491428571bps lastsnd:8860 lastrcv:8860 lastack:8860 pacing_rate 1069359043824bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.007 snd_wnd:65536
tcp   CLOSE-WAIT 1      0                127.0.0.1:47270    127.0.0.1:9000  users:(("worker",pid=82,fd=22)) uid:1000 ino:138624 sk:91bd cgroup:/ -->
	 skmem:(r832,rb131072,t0,tb3939840,f3264,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.045/0.022 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 bytes_received:1 segs_out:3 segs_in:2 send 58254222222bps lastsnd:8552 lastrcv:8552 lastack:8532 pacing_rate 166344733208bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.045 snd_wnd:65536
tcp   ESTAB      0      0                127.0.0.1:59762    127.0.0.1:9100  users:(("producer",pid=88,fd=26)) uid:1000 ino:137681 sk:91be cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.056/0.024 mss:53760 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:5000 bytes_acked:5001 segs_out:3 segs_in:2 data_segs_out:1 bbr:(bw:8777138664bps,mrtt:0.049,pacing_gain:2.88672,cwnd_gain:2.88672) send 84480000000bps lastsnd:7996 lastrcv:8004 lastack:7996 pacing_rate 129060556560bps delivery_rate 8777142856bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.049 snd_wnd:107520
tcp   ESTAB      0      3782144          127.0.0.1:59774    127.0.0.1:9100  users:(("bulk-writer",pid=89,fd=27)) timer:(persist,5.760ms,0) uid:1000 ino:138680 sk:91bf cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb4194304,f2368,w3847872,o0,bl0,d0) ts sack bbr wscale:10,10 rto:208 backoff:5 rtt:4.64/9.184 mss:47616 pmtu:65535 rcvmss:536 advmss:65483 cwnd:16 bytes_sent:176128 bytes_retrans:47616 bytes_acked:128513 segs_out:13 segs_in:8 data_segs_out:6 bbr:(bw:5520694328bps,mrtt:0.046,pacing_gain:2.88672,cwnd_gain:2.88672) send 1313544828bps lastsnd:7536 lastrcv:7792 lastack:896 pacing_rate 162728514256bps delivery_rate 5441828568bps delivered:7 busy:7792ms rwnd_limited:7792ms(100.0%) retrans:0/1 dsack_dups:1 rcv_space:65495 rcv_ssthresh:65495 notsent:3782144 minrtt:0.046
tcp   TIME-WAIT  0      0                127.0.0.1:41980    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c0

tcp   TIME-WAIT  0      0                127.0.0.1:41996    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c1

tcp   TIME-WAIT  0      0                127.0.0.1:42034    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c2

tcp   TIME-WAIT  0      0                127.0.0.1:42044    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c3

tcp   ESTAB      0      0                127.0.0.1:42054    127.0.0.1:9001  users:(("curl",pid=85,fd=24)) ino:138677 sk:91c4 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:200 rtt:0.017/0.008 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.017,pacing_gain:1,cwnd_gain:1) send 154075294118bps lastsnd:8016 lastrcv:8016 lastack:8016 pacing_rate 440324293784bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.017 snd_wnd:65483
tcp   ESTAB      0      0                127.0.0.1:60864    127.0.0.1:8081  users:(("loadgen",pid=78,fd=19)) ino:137647 sk:91c5 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.05/0.025 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.05,pacing_gain:1,cwnd_gain:1) send 52385600000bps lastsnd:9192 lastrcv:9192 lastack:9192 pacing_rate 149710259888bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.05 snd_wnd:65483
tcp   ESTAB      0      0                127.0.0.1:60876    127.0.0.1:8081  users:(("loadgen",pid=78,fd=21)) ino:137648 sk:91c6 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.043/0.021 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.043,pacing_gain:1,cwnd_gain:1) send 60913488372bps lastsnd:9188 lastrcv:9188 lastack:9188 pacing_rate 174081701688bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.043 snd_wnd:65483
tcp   ESTAB      0      0                127.0.0.1:60890    127.0.0.1:8081  users:(("loadgen",pid=78,fd=22)) ino:137649 sk:91c7 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.007/0.003 mss:32741 pmtu:65535 rcvmss:536 advmss:65483 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 bbr:(bw:0bps,mrtt:0.007,pacing_gain:1,cwnd_gain:1) send 374182857143bps lastsnd:9188 lastrcv:9188 lastack:9188 pacing_rate 1069359043824bps delivered:1 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.007 snd_wnd:65483
tcp   SYN-SENT   0      1                127.0.0.1:60896    127.0.0.1:8081  users:(("loadgen",pid=78,fd=23)) timer:(on,1.952ms,6) ino:137650 sk:91c8 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f3264,w832,o0,bl0,d0) bbr rto:4000 backoff:2 mss:524 pmtu:65535 rcvmss:88 advmss:65495 cwnd:1 segs_out:7 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 retrans:1/6 lost:1 rcv_ssthresh:65495
tcp   SYN-SENT   0      1                127.0.0.1:60898    127.0.0.1:8081  users:(("loadgen",pid=78,fd=24)) timer:(on,1.952ms,6) ino:137651 sk:91c9 cgroup:/ <->
	 skmem:(r0,rb131072,t0,tb16384,f3264,w832,o0,bl0,d0) bbr rto:4000 backoff:2 mss:524 pmtu:65535 rcvmss:88 advmss:65495 cwnd:1 segs_out:7 bbr:(bw:0bps,mrtt:0) lastsnd:738176 lastrcv:738176 lastack:738176 app_limited unacked:1 retrans:1/6 lost:1 rcv_ssthresh:65495
tcp   LISTEN     0      128                   [::]:22            [::]:*     users:(("sshd",pid=66,fd=8)) ino:137623 sk:91ca cgroup:/ v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      244                      *:5432             *:*     users:(("postgres",pid=65,fd=5)) uid:999 ino:138566 sk:91cb cgroup:/ v6only:0 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      128        [fe80::20:5]%v0:9300          [::]:*     users:(("java",pid=68,fd=11)) uid:112 ino:137629 sk:91cc cgroup:/ v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      128     [::ffff:127.0.0.1]:9200             *:*     users:(("java",pid=68,fd=8)) uid:112 ino:137628 sk:91cd cgroup:/ v6only:0 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
tcp   LISTEN     0      511                  [::1]:6379          [::]:*     users:(("redis-server",pid=64,fd=6)) uid:110 ino:138564 sk:91ce cgroup:/ v6only:1 <->
	 skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0) bbr cwnd:10
