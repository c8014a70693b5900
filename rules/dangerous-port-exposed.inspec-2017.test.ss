# Rule fixture for dangerous-port-exposed, unexpected-listener and root-listener-exposed on older ss output.
# Source: inspec/inspec test/fixtures/cmd/ss-tulpen (Apache-2.0), lines 1-9 as copied into
# /work/shared/corpus/wild/12-inspec-ss-tulpen-fixture.out (ss -tulpen, 2017, pre-4.15 layout); trailing
# padding stripped. Unbracketed IPv6 (:::22), IPv4-mapped ::ffff:10.0.2.15 (private), link-local fe80::%enp0s3.
# flags: -tulpen
Netid  State      Recv-Q Send-Q                                  Local Address:Port                                                 Peer Address:Port
# ok: dangerous-port-exposed, unexpected-listener
udp    UNCONN     0      0                                                   *:68                                                              *:*                   users:(("dhclient",pid=1146,fd=6)) ino:15168 sk:1 <->
# ok: dangerous-port-exposed, unexpected-listener, root-listener-exposed
tcp    LISTEN     0      128                                                 *:22                                                              *:*                   users:(("sshd",pid=1222,fd=3)) ino:15973 sk:2 <->
# ruleid: dangerous-port-exposed
# ok: unexpected-listener, root-listener-exposed
tcp    LISTEN     0      128                                  ::ffff:10.0.2.15:9200                                                           :::*                   users:(("java",pid=1722,fd=125)) uid:112 ino:19543 sk:8 v6only:0 <->
# ruleid: dangerous-port-exposed
# ok: unexpected-listener
tcp    LISTEN     0      128                   fe80::a00:27ff:fe32:ed09%enp0s3:9200                                                           :::*                   users:(("java",pid=1722,fd=124)) uid:112 ino:19542 sk:9 v6only:1 <->
# ruleid: unexpected-listener
# ok: dangerous-port-exposed, root-listener-exposed
tcp    LISTEN     0      128                                  ::ffff:10.0.2.15:9300                                                           :::*                   users:(("java",pid=1722,fd=117)) uid:112 ino:19502 sk:a v6only:0 <->
# ruleid: unexpected-listener
# ok: dangerous-port-exposed
tcp    LISTEN     0      128                   fe80::a00:27ff:fe32:ed09%enp0s3:9300                                                           :::*                   users:(("java",pid=1722,fd=115)) uid:112 ino:19494 sk:b v6only:1 <->
# ok: dangerous-port-exposed, unexpected-listener, root-listener-exposed
tcp    LISTEN     0      128                                                :::22                                                             :::*                   users:(("sshd",pid=1222,fd=4)) ino:15982 sk:3 v6only:1 <->
# ok: dangerous-port-exposed, unexpected-listener, root-listener-exposed
tcp    LISTEN     0      128                                                                  *:80                                                                  *:*      users:(("nginx",pid=583,fd=8),("nginx",pid=582,fd=8),("nginx",pid=580,fd=8),("nginx",pid=579,fd=8)) ino:14427 sk:ffff8800baf12080 <->
