#!/bin/bash
# A quick lab check of examples/fileservices.yaml with the hatools CLI, as root, after `dotnet build -c Release`:
# lab up (profiles pacemaker + fileservices), -WhatIf plan, bootstrap from bare nodes, reads through every VIP over
# SMB and NFSv4 from the host, SMB write read over NFS, status, crash of vip1's holder with the seconds until SMB and
# NFS answer through vip1, boot and re-run, where vip1 is then, ARP answers, teardown, lab down. Holds the lab lease.
# Timings are printed, not asserted (tests/HaTools.LabTests/FileServicesLabTests.cs is the test).
set -u
exec 9>/tmp/hatools-lab-lease
echo "waiting for the lease $(date +%T)"; flock 9; echo "lease taken $(date +%T)"
W=$(cd "$(dirname "$0")/../../.." && pwd -P)
R=$W
H=$W/src/HaTools.Cli/bin/Release/net10.0/hatools
lab() { bash "$R/tests/lab/lab.sh" "$@"; }
trap 'echo "lab down $(date +%T)"; lab down >/dev/null 2>&1' EXIT
HATOOLS_LAB_PROFILES="pacemaker fileservices" lab up 3 || exit 1
F=$W/examples/fileservices.yaml
echo "== what-if"; $H bootstrap --what-if "$F" | tail -20
echo "== bootstrap"; s=$(date +%s.%N); $H bootstrap "$F"; rc=$?; e=$(date +%s.%N); echo "bootstrap rc=$rc in $(echo "$e - $s" | bc) s"
SH=/tmp/hatools-lab/shared
ls -la $SH $SH/export $SH/.ctdb 2>&1
echo hello-from-host > $SH/export/hello.txt; chmod 0644 $SH/export/hello.txt; stat -c "export mode %a" $SH/export
want=$(sha256sum < $SH/export/hello.txt)
t0=$(date +%s.%N)
for i in $(seq 1 60); do timeout 5 nfs-cat "nfs://198.18.0.101/export/hello.txt?version=4&nfsport=2049" >/dev/null 2>&1 && break; sleep 0.5; done
echo "first good NFS read via .101: $(echo "$(date +%s.%N) - $t0" | bc) s after the bootstrap returned (try $i)"
for v in 101 102 103; do
  for i in $(seq 1 30); do got=$(timeout 20 smbclient //198.18.0.$v/hafs -N -m SMB3 -c 'get hello.txt -' 2>/dev/null | sha256sum); [ "$got" = "$want" ] && break; sleep 1; done
  echo "smb 198.18.0.$v: $([ "$got" = "$want" ] && echo OK || echo FAIL)"
  got=$(timeout 20 nfs-cat "nfs://198.18.0.$v/export/hello.txt?version=4&nfsport=2049" 2>&1 | sha256sum)
  echo "nfs 198.18.0.$v: $([ "$got" = "$want" ] && echo OK || echo FAIL)"
done
echo written-over-smb > /tmp/hatools-fs-check-w.txt
timeout 20 smbclient //198.18.0.101/hafs -N -m SMB3 -c 'put /tmp/hatools-fs-check-w.txt w.txt' 2>&1 | tail -2
echo "nfs read of the smb write via .102: $(timeout 20 nfs-cat 'nfs://198.18.0.102/export/w.txt?version=4&nfsport=2049' 2>&1)"
lab exec node1 -- sh -c 'tail -30 /var/log/ganesha/ganesha.log; cat /etc/ganesha/ganesha.conf | grep -A3 CLIENT' 2>&1 | tail -40
echo "== status"; $H status --cluster "$F"
$H status --cluster "$F" --json > /tmp/hatools-fs-check-status.json; echo "json $(wc -c < /tmp/hatools-fs-check-status.json) bytes"
echo "== failover: crash the holder of vip1"
h=$(lab exec node2 -- crm_resource --locate -r vip1 2>/dev/null | awk '{print $NF}'); echo "vip1 on $h"
t0=$(date +%s.%N); lab crash "$h"
nfs_t=""; smb_t=""
for i in $(seq 1 400); do
  [ -z "$nfs_t" ] && timeout 1 nfs-cat "nfs://198.18.0.101/export/hello.txt?version=4&nfsport=2049" 2>/dev/null | grep -q hello-from-host && nfs_t=$(echo "$(date +%s.%N) - $t0" | bc)
  [ -z "$smb_t" ] && timeout 1 smbclient //198.18.0.101/hafs -N -m SMB3 -c 'get hello.txt -' 2>/dev/null | grep -q hello-from-host && smb_t=$(echo "$(date +%s.%N) - $t0" | bc)
  [ -n "$nfs_t" ] && [ -n "$smb_t" ] && break; sleep 0.1
done
echo "after the crash of $h: NFS through vip1 back at ${nfs_t:-never} s, SMB at ${smb_t:-never} s"
n2=$(lab exec node2 -- crm_resource --locate -r vip1 2>/dev/null | awk '{print $NF}'); [ "$h" = node2 ] && n2=$(lab exec node3 -- crm_resource --locate -r vip1 2>/dev/null | awk '{print $NF}'); echo "vip1 now on $n2"
lab boot "$h"
echo "== re-run brings $h back"; s=$(date +%s.%N); $H bootstrap "$F" | grep -E "^(start|quorum|fs-wait|health|configure|push) " ; e=$(date +%s.%N); echo "re-run with $h returning in $(echo "$e - $s" | bc) s"
sleep 5
echo "vip1 after $h returned (failback stay): $(lab exec node2 -- crm_resource --locate -r vip1 2>/dev/null | awk '{print $NF}')"
for v in 101 102 103; do echo "arping 198.18.0.$v: $(arping -I hatools0 -c 2 -w 3 198.18.0.$v 2>/dev/null | grep -o '\[[0-9A-Fa-f:]*\]' | sort -u | tr '\n' ' ')"; done
$H status --cluster "$F" | sed -n '/File services/,$p'
echo "== re-run"; s=$(date +%s.%N); $H bootstrap "$F" | awk '{print $1, $2, $3}' | sort | uniq -c | sort -rn | head -30; e=$(date +%s.%N); echo "re-run in $(echo "$e - $s" | bc) s"
echo "== teardown"; $H teardown --yes --cluster "$F"; echo "teardown rc=$?"
for n in node1 node2 node3; do echo "-- $n"; lab exec $n -- sh -c 'ls -la /etc/ctdb /etc/samba /etc/ganesha | grep -v "^total"; pidof ctdbd smbd ganesha.nfsd; ls /var/lib/ctdb/*/ 2>/dev/null | head -3; head -3 /etc/samba/smb.conf; head -2 /etc/ctdb/ctdb.conf'; done
ls -la $SH $SH/.ctdb 2>&1 | head
