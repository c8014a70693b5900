# Rule fixture for close-wait-excess (see docs/rule-language.md, "Rule tests").
# Real ss output: iproute2 ss 6.1.0, `ss -tanoe`, captured in a private network namespace by
# test/rules/capture/landscape.py (full capture: test/rules/capture/phase2-no-p.ss); rows selected by
# test/rules/capture/select-fixtures.py, trailing padding stripped.
# Without -p every socket groups under process "unknown" (null): the rule is still evaluated
# and the group is the host total (5 > 4).
# flags: -tanoe
# vars: threshold=4
State      Recv-Q Send-Q       Local Address:Port  Peer Address:Port Process
# ruleid: close-wait-excess
CLOSE-WAIT 1      0                127.0.0.1:47228    127.0.0.1:9000  uid:112 ino:138574 sk:91b9 cgroup:/ -->
# ruleid: close-wait-excess
CLOSE-WAIT 1      0                127.0.0.1:47240    127.0.0.1:9000  uid:112 ino:138575 sk:91ba cgroup:/ -->
# ruleid: close-wait-excess
CLOSE-WAIT 1      0                127.0.0.1:47242    127.0.0.1:9000  uid:112 ino:138576 sk:91bb cgroup:/ -->
# ruleid: close-wait-excess
CLOSE-WAIT 1      0                127.0.0.1:47246    127.0.0.1:9000  uid:112 ino:138577 sk:91bc cgroup:/ -->
# ruleid: close-wait-excess
CLOSE-WAIT 1      0                127.0.0.1:47270    127.0.0.1:9000  uid:1000 ino:138624 sk:91bd cgroup:/ -->
# ok: close-wait-excess
FIN-WAIT-2 0      0                127.0.0.1:9000     127.0.0.1:47240 timer:(timewait,51sec,0) ino:0 sk:91ae
# ok: close-wait-excess
ESTAB      0      0                127.0.0.1:59762    127.0.0.1:9100  uid:1000 ino:137681 sk:91be cgroup:/ <->
