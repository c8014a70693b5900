#!/bin/sh
# The baseline socklint is measured against: the classic `ss | awk | grep` checks an SRE writes,
# run on a saved snapshot (ss -tanp / ss -tanpmioe / ss -tuanp output). AWK=gawk picks another awk.
#
#   sh bench/awk-checks.sh FILE
#
# Deliberately written the usual way, one physical line at a time. It is fast, and it is wrong on
# multi-line output (ss -m/-i): rtt and skmem live on the TAB-led continuation line, so those hits
# cannot be tied back to a socket/process, and `timer:(on` does not tell a pending timer from a
# retransmitting one. That is the point of the comparison.
set -eu
f=${1:?usage: awk-checks.sh FILE}

echo "== states, dangerous listeners, queues: $f"
"${AWK:-awk}" '
NR == 1 { o = ($1 == "Netid") ? 1 : 0; next }   # header; -tuanp adds the Netid column
/^[ \t]/ { next }                                 # continuation lines (-m/-i)
{
  st = $(1 + o); rq = $(2 + o); sq = $(3 + o); loc = $(4 + o)
  states[st]++
  if (st == "LISTEN" || st == "UNCONN") {
    n = split(loc, a, ":"); port = a[n]
    if (loc ~ /^(0\.0\.0\.0|\*|\[::\]):/ && port ~ /^(21|23|25|53|111|135|139|445|161|1433|1521|2375|3306|3389|5432|5900|6379|9200|11211|27017)$/) {
      exposed++
      if (exposed <= 10) print "EXPOSED " st " " loc " " $NF
    }
    if (st == "LISTEN" && rq + 0 > 0 && rq + 0 >= sq + 0) { accq++; print "ACCEPT-QUEUE-FULL " loc " " rq "/" sq }
  } else {
    if (rq + 0 > 0) recvq++
    if (sq + 0 > 0) sendq++
  }
}
END {
  for (s in states) printf "state %-12s %d\n", s, states[s]
  printf "exposed %d\naccept-queue-full %d\nrecv-q>0 %d\nsend-q>0 %d\n", exposed, accq, recvq, sendq
}' "$f"

echo "== retransmit timers"
printf 'timer:(on %s\n' "$(grep -c 'timer:(on' "$f" || true)"

echo "== rtt >= 100 ms, skmem r/t > 8192"
"${AWK:-awk}" '
match($0, / rtt:[0-9.]+/) {
  if (substr($0, RSTART + 5, RLENGTH - 5) + 0 >= 100) highrtt++
}
match($0, /skmem:\(r[0-9]+/) {
  r = substr($0, RSTART + 7, RLENGTH - 7)
  t = match($0, /,t[0-9]+,/) ? substr($0, RSTART + 2, RLENGTH - 3) : 0
  if (r + 0 > 8192 || t + 0 > 8192) bigmem++
}
END { printf "rtt>=100 %d\nskmem>8192 %d\n", highrtt, bigmem }' "$f"
