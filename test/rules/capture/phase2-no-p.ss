State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
LISTEN     0      128              127.0.0.1:5433       0.0.0.0:*     uid:999 ino:138692 sk:91a0 cgroup:/ <->
LISTEN     0      511              10.20.0.5:8080       0.0.0.0:*     ino:137626 sk:91a1 cgroup:/ <->
LISTEN     0      511                0.0.0.0:443        0.0.0.0:*     ino:137634 sk:91a2 cgroup:/ <->
LISTEN     0      128                0.0.0.0:22         0.0.0.0:*     ino:137622 sk:91a3 cgroup:/ <->
LISTEN     0      511                0.0.0.0:80         0.0.0.0:*     ino:137635 sk:91a4 cgroup:/ <->
LISTEN     0      151                0.0.0.0:3306       0.0.0.0:*     uid:27 ino:137620 sk:91a5 cgroup:/ <->
LISTEN     0      511              127.0.0.1:6379       0.0.0.0:*     uid:110 ino:138563 sk:91a6 cgroup:/ <->
LISTEN     0      511                0.0.0.0:3000       0.0.0.0:*     ino:137625 sk:91a7 cgroup:/ <->
LISTEN     0      4096          203.0.113.10:2375       0.0.0.0:*     ino:137632 sk:91a8 cgroup:/ <->
LISTEN     0      5                127.0.0.1:873        0.0.0.0:*     ino:137690 sk:91a9 cgroup:/ <->
LISTEN     3      2                  0.0.0.0:8081       0.0.0.0:*     uid:1000 ino:137645 sk:91aa cgroup:/ <->
LISTEN     0      128              127.0.0.1:9100       0.0.0.0:*     uid:1000 ino:137679 sk:91ab cgroup:/ <->
LISTEN     0      128              127.0.0.1:9000       0.0.0.0:*     ino:137653 sk:91ac cgroup:/ <->
LISTEN     0      128              127.0.0.1:9001       0.0.0.0:*     uid:33 ino:138626 sk:91ad cgroup:/ <->
FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47240 timer:(timewait,51sec,0) ino:0 sk:91ae
SYN-SENT   0      1                10.20.0.5:54366    10.20.0.7:80    timer:(on,408ms,2) ino:138007 sk:a00b cgroup:/ <->
FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47270 timer:(timewait,51sec,0) ino:0 sk:91af
ESTAB      0      0                127.0.0.1:8081     127.0.0.1:60864 uid:1000 ino:0 sk:91b0 cgroup:/ <->
FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47228 timer:(timewait,51sec,0) ino:0 sk:91b1
ESTAB      0      0                127.0.0.1:8081     127.0.0.1:60890 uid:1000 ino:0 sk:91b2 cgroup:/ <->
ESTAB      128512 0                127.0.0.1:9100     127.0.0.1:59774 uid:1000 ino:137682 sk:91b3 cgroup:/ <->
ESTAB      0      0                127.0.0.1:9001     127.0.0.1:42054 uid:33 ino:137678 sk:91b4 cgroup:/ <->
ESTAB      0      4                10.20.0.5:33766    10.20.0.7:5433  timer:(on,248ms,0) uid:999 ino:141356 sk:a00c cgroup:/ <->
FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47242 timer:(timewait,51sec,0) ino:0 sk:91b5
ESTAB      0      3000             10.20.0.5:56452    10.20.0.7:873   timer:(on,460ms,3) ino:141360 sk:a00d cgroup:/ <->
FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47246 timer:(timewait,51sec,0) ino:0 sk:91b6
SYN-SENT   0      1                10.20.0.5:37708    10.20.0.7:443   timer:(on,404ms,2) ino:141378 sk:a00e cgroup:/ <->
SYN-SENT   0      1                10.20.0.5:37722    10.20.0.7:443   timer:(on,404ms,2) ino:141379 sk:a00f cgroup:/ <->
SYN-SENT   0      1                10.20.0.5:37738    10.20.0.7:443   timer:(on,404ms,2) ino:141380 sk:a010 cgroup:/ <->
ESTAB      5000   0                127.0.0.1:9100     127.0.0.1:59762 uid:1000 ino:138679 sk:91b7 cgroup:/ <->
ESTAB      0      0                127.0.0.1:8081     127.0.0.1:60876 uid:1000 ino:0 sk:91b8 cgroup:/ <->
CLOSE-WAIT 1      0                127.0.0.1:47228    127.0.0.1:9000  uid:112 ino:138574 sk:91b9 cgroup:/ -->
CLOSE-WAIT 1      0                127.0.0.1:47240    127.0.0.1:9000  uid:112 ino:138575 sk:91ba cgroup:/ -->
CLOSE-WAIT 1      0                127.0.0.1:47242    127.0.0.1:9000  uid:112 ino:138576 sk:91bb cgroup:/ -->
CLOSE-WAIT 1      0                127.0.0.1:47246    127.0.0.1:9000  uid:112 ino:138577 sk:91bc cgroup:/ -->
CLOSE-WAIT 1      0                127.0.0.1:47270    127.0.0.1:9000  uid:1000 ino:138624 sk:91bd cgroup:/ -->
ESTAB      0      0                127.0.0.1:59762    127.0.0.1:9100  uid:1000 ino:137681 sk:91be cgroup:/ <->
ESTAB      0      3782144          127.0.0.1:59774    127.0.0.1:9100  timer:(persist,5.740ms,0) uid:1000 ino:138680 sk:91bf cgroup:/ <->
TIME-WAIT  0      0                127.0.0.1:41980    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c0
TIME-WAIT  0      0                127.0.0.1:41996    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c1
TIME-WAIT  0      0                127.0.0.1:42034    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c2
TIME-WAIT  0      0                127.0.0.1:42044    127.0.0.1:9001  timer:(timewait,51sec,0) ino:0 sk:91c3
ESTAB      0      0                127.0.0.1:42054    127.0.0.1:9001  ino:138677 sk:91c4 cgroup:/ <->
ESTAB      0      0                127.0.0.1:60864    127.0.0.1:8081  ino:137647 sk:91c5 cgroup:/ <->
ESTAB      0      0                127.0.0.1:60876    127.0.0.1:8081  ino:137648 sk:91c6 cgroup:/ <->
ESTAB      0      0                127.0.0.1:60890    127.0.0.1:8081  ino:137649 sk:91c7 cgroup:/ <->
SYN-SENT   0      1                127.0.0.1:60896    127.0.0.1:8081  timer:(on,1.932ms,6) ino:137650 sk:91c8 cgroup:/ <->
SYN-SENT   0      1                127.0.0.1:60898    127.0.0.1:8081  timer:(on,1.932ms,6) ino:137651 sk:91c9 cgroup:/ <->
LISTEN     0      128                   [::]:22            [::]:*     ino:137623 sk:91ca cgroup:/ v6only:1 <->
LISTEN     0      244                      *:5432             *:*     uid:999 ino:138566 sk:91cb cgroup:/ v6only:0 <->
LISTEN     0      128        [fe80::20:5]%v0:9300          [::]:*     uid:112 ino:137629 sk:91cc cgroup:/ v6only:1 <->
LISTEN     0      128     [::ffff:127.0.0.1]:9200             *:*     uid:112 ino:137628 sk:91cd cgroup:/ v6only:0 <->
LISTEN     0      511                  [::1]:6379          [::]:*     uid:110 ino:138564 sk:91ce cgroup:/ v6only:1 <->
