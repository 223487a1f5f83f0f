#!/usr/bin/env bash
# HaTools against pcs and crmsh, side by side on the same lab, in one run. Root; uses tests/lab/lab.sh.
# On a shared machine hold the lab lease for the whole run:
#     flock /tmp/hatools-lab-lease bash bench/run.sh [--quick] [--runs N] [--boot-runs N] [--only LIST] [--no-crmsh]
#                                                    [--hatools DIR] [--no-build]
# --quick: 3 runs for status/fan-out, 1 for bootstrap/failover. --only: comma list of
# bootstrap,failover,status,crmsh,fanout,memory,sshnet (default: all). --hatools DIR: measure the build of another
# checkout (e.g. a worktree of an older commit; built there unless --no-build), against this checkout's lab and
# peers. Samples, logs and the table go to bench/out/ ($BENCH_OUT); the table (medians of several runs, ratios)
# is printed at the end. The lab is left down. An A/B of two checkouts in one sitting: bench/ab.sh.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

RUNS=5 BOOT_RUNS=3 ONLY=all CRMSH=1 KEEP_LAB=0 BUILD=1
while [ $# -gt 0 ]; do
    case $1 in
        --quick) RUNS=3 BOOT_RUNS=1 ;;
        --runs) RUNS=$2; shift ;;
        --boot-runs) BOOT_RUNS=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --no-crmsh) CRMSH=0 ;;
        --keep-lab) KEEP_LAB=1 ;;
        --hatools) use_build "$2"; shift ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
want() { [ "$ONLY" = all ] || [[ ,$ONLY, == *,$1,* ]]; }
[ "$(id -u)" = 0 ] || die "needs root (the lab)"
command -v pcs >/dev/null && command -v crm >/dev/null || die "pcs and crmsh are needed (tests/install-deps.sh)"

mkdir -p "$OUT"
: >"$SAMPLES"
: >"$OUT/bench.log"
exec 2> >(tee -a "$OUT/run.log" >&2)
trap '[ $KEEP_LAB = 1 ] || "$LAB" down >/dev/null 2>&1; "$LAB" thaw node1 >/dev/null 2>&1 || true' EXIT
START=$(date -u +%Y-%m-%dT%H:%MZ)
[ $BUILD = 1 ] && build
[ -f "$HATOOLS_DLL" ] && [ -f "$BENCH_DLL" ] || die "no build in $BUILD_ROOT (run without --no-build)"

LAB3="$REPO/examples/lab.yaml"
MACS="$OUT/macs.txt"

# ------------------------------------------------------------------ HaTools bootstrap + failover (3 nodes)
hatools_bootstrap() { # CLUSTER [XDG dir]: bare -> "resources started" (the bootstrap waits for them)
    env XDG_RUNTIME_DIR="${2:-$(mktemp -d)}" dotnet "$HATOOLS_DLL" bootstrap --quiet "$1" >>"$OUT/bootstrap.log" 2>&1
}

# failover LABEL NODES: kill the VIP holder's stack, take the VIP off its eth0 (as a reboot would; without fencing
# the killed node keeps it), and time until the VIP answers from the host with another node's MAC.
failover() {
    local label=$1 n=$2 holder t0 t1 now
    node_macs "$n" >"$MACS"
    # settled first: all nodes online, Pacemaker places vip where the host sees it, twice 1 s apart
    holder=; local seen=0 placed
    for _ in $(seq 120); do
        holder=$(vip_holder "$MACS") || holder=
        placed=$("$LAB" exec node1 -- crm_resource --locate --resource vip 2>/dev/null | awk '/is running on:/ { print $NF }' | head -n 1)
        [ -z "$placed" ] && [ -n "$holder" ] && placed=$("$LAB" exec "$holder" -- crm_resource --locate --resource vip 2>/dev/null | awk '/is running on:/ { print $NF }' | head -n 1)
        if [ -n "$holder" ] && [ "$holder" = "$placed" ] && [ "$(lab_online "$n")" = "$n" ]; then
            seen=$((seen + 1)); [ $seen -ge 2 ] && break
        else
            seen=0
        fi
        sleep 1
    done
    [ $seen -ge 2 ] || { log "$label: the cluster did not settle (vip seen on '${holder:-nobody}', placed on '${placed:-?}')"; return 1; }
    t0=$EPOCHREALTIME
    "$LAB" kill-stack "$holder" >/dev/null
    "$LAB" exec "$holder" -- ip addr del "$VIP/24" dev eth0
    while :; do
        now=$(vip_holder "$MACS") && [ -n "$now" ] && [ "$now" != "$holder" ] && break
        t1=$EPOCHREALTIME
        if awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a > 60) }'; then log "$label: no failover within 60 s"; return 1; fi
        sleep 0.05
    done
    t1=$EPOCHREALTIME
    sample "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')"
    log "$label: $holder -> $now in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
    FAILED_NODE=$holder
}

lab_online() { # how many nodes crm_mon (asked on any node that answers) sees online
    local i c
    for ((i = 1; i <= $1; i++)); do
        c=$("$LAB" exec "node$i" -- crm_mon -1 --output-as=xml 2>/dev/null | grep -c 'online="true"') && [ "$c" -gt 0 ] && { echo "$c"; return; }
    done
    echo 0
}

if want bootstrap || want failover || want status || want crmsh; then
    lab_up 3 1
fi

if want bootstrap || want failover; then
    for ((r = 1; r <= BOOT_RUNS; r++)); do
        "$LAB" reset all >/dev/null 2>&1
        timed boot3.hatools hatools_bootstrap "$LAB3" || tail -20 "$OUT/bootstrap.log" >&2
    done
    if want failover; then
        XDG=$(mktemp -d)
        for ((r = 1; r <= BOOT_RUNS; r++)); do
            failover failover.hatools 3 || break
            # the killed node rejoins: a re-run of the bootstrap starts its stack again (the VIP stays where it is)
            hatools_bootstrap "$LAB3" "$XDG" || { log "re-bootstrap after failover failed"; break; }
        done
        rm -rf "$XDG"
    fi
fi

# ------------------------------------------------------------------ pcs bootstrap (3 nodes)
PCS_SCRIPT='set -e
pcs host auth node1 addr=198.18.0.11 node2 addr=198.18.0.12 node3 addr=198.18.0.13 -u hacluster </root/.bench-pw >/dev/null
pcs cluster setup lab node1 addr=198.18.0.11 node2 addr=198.18.0.12 node3 addr=198.18.0.13 --start --wait --force
pcs property set stonith-enabled=false no-quorum-policy=stop
pcs resource defaults update resource-stickiness=100
pcs resource create vip ocf:heartbeat:IPaddr2 ip=198.18.0.100 cidr_netmask=24 nic=eth0 op monitor interval=10s timeout=20s
pcs resource create svc ocf:heartbeat:Dummy op monitor interval=10s
pcs constraint colocation add svc with vip INFINITY
pcs constraint order vip then svc
until [ "$(crm_mon -1 --output-as=xml | grep -cE "<resource id=\"(vip|svc)\"[^>]*role=\"Started\"[^>]*active=\"true\"")" = 2 ]; do sleep 0.5; done'

# Untimed preparation an operator has done before (packages installed, pcsd running, hacluster's password set).
# The password is random, travels only on stdin, and lives in a 0600 file in node1's private /root.
pcs_prepare() {
    local i pw
    pw=$(head -c 18 /dev/urandom | base64)
    for i in 1 2 3; do
        printf 'hacluster:%s\n' "$pw" | "$LAB" exec "node$i" -- chpasswd
        "$LAB" exec "node$i" -- sh -c '/etc/init.d/pcsd-ruby start; /etc/init.d/pcsd start' </dev/null >/dev/null 2>&1
    done
    printf '%s\n' "$pw" | "$LAB" exec node1 -- sh -c 'umask 077; cat >/root/.bench-pw'
    pw=
    for i in 1 2 3; do
        for _ in $(seq 100); do timeout 1 bash -c "</dev/tcp/198.18.0.1$i/2224" 2>/dev/null && break; sleep 0.1; done
    done
}

PCS_UP=0
if want bootstrap || want status || want failover; then
    for ((r = 1; r <= BOOT_RUNS; r++)); do
        "$LAB" reset all >/dev/null 2>&1
        pcs_prepare
        # the operator's way: the pcs commands run on node1 (one ssh session, the peer's best case)
        timed boot3.pcs ssh_plain node1 "$PCS_SCRIPT" >>"$OUT/pcs.log" 2>&1 && PCS_UP=1 || { PCS_UP=0; tail -20 "$OUT/pcs.log" >&2; }
    done
    if [ $PCS_UP = 1 ]; then
        # what pcs host auth contacted: node addresses only (port 2224)
        "$LAB" exec node1 -- sh -c 'pcs --debug host auth node1 addr=198.18.0.11 node2 addr=198.18.0.12 node3 addr=198.18.0.13 -u hacluster </root/.bench-pw 2>&1' |
            grep -oE '(https?://|Trying )[0-9a-zA-Z.:_-]+' | sort | uniq -c >"$OUT/pcs-contacts.txt" || true
        log "pcs host auth contacted: $(tr -s ' \n' ' ' <"$OUT/pcs-contacts.txt")"
    fi
fi

# ------------------------------------------------------------------ status (on the pcs-built cluster, pcsd running)
if want status && [ $PCS_UP = 1 ]; then
    XDG=$(mktemp -d)
    CM="$OUT/cm"; mkdir -p "$CM"; chmod 700 "$CM"
    crm_mon_cmd='crm_mon -1 --output-as=xml'
    env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null 2>&1   # opens the masters
    # Every run asks each one in turn, so a machine whose load drifts during the run weighs on all of them alike.
    for ((r = 1; r <= RUNS; r++)); do
        # in-process (Get-HaStatus in a session): one context, warm masters (they outlive the harness: ControlPersist)
        bench status --cluster "$LAB3" --runs 1 --warmup 3 2>>"$OUT/bench.log" | while read -r v rest; do
            [ "$v" = peak_rss_mib ] && { [ "$r" = 1 ] && sample mem3.hatools.inproc.mib "$rest"; continue; }
            sample status.hatools.inproc "$v"; log "status.hatools.inproc: $v s"
        done
        timed status.hatools.cli env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null
        timed status.ssh-crm_mon.plain ssh_plain node1 "$crm_mon_cmd" >/dev/null
        timed status.pcs-status-full.plain ssh_plain node1 pcs status --full >/dev/null
        timed status.crm-status.plain ssh_plain node1 crm status >/dev/null
        ssh -F "$SSHCFG" -o ControlMaster=auto -o ControlPath="$CM/%C" -o ControlPersist=120 node1 true
        timed status.ssh-crm_mon.controlmaster ssh -F "$SSHCFG" -o ControlMaster=auto -o ControlPath="$CM/%C" -o ControlPersist=120 node1 "$crm_mon_cmd" >/dev/null
    done
    cold=$(mktemp -d)
    timed status.hatools.cli-cold env XDG_RUNTIME_DIR="$cold" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null

    # one node's sshd frozen (SIGSTOP): HaTools hedges to the next node; an operator's ssh waits for ConnectTimeout=5
    bench status --cluster "$LAB3" --runs "$RUNS" --warmup 1 --after-warmup "$LAB freeze node1" 2>>"$OUT/bench.log" | while read -r v rest; do
        [ "$v" = peak_rss_mib ] || { sample frozen.hatools.inproc "$v"; log "frozen.hatools.inproc: $v s"; }
    done
    for ((r = 1; r <= RUNS; r++)); do
        timed frozen.hatools.cli env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null
        c2=$(mktemp -d)
        timed frozen.hatools.cli-cold env XDG_RUNTIME_DIR="$c2" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null
        rm -rf "$c2"
        timed frozen.pcs.then-node2 sh -c 'timeout 30 ssh -F "$1" -o ControlMaster=no -o ControlPath=none -o ConnectTimeout=5 node1 pcs status >/dev/null 2>&1 ||
            ssh -F "$1" -o ControlMaster=no -o ControlPath=none node2 pcs status >/dev/null' sh "$SSHCFG"
    done
    "$LAB" thaw node1
    for d in "$XDG" "$cold"; do for s in "$d"/hatools-ssh/*/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1; done; rm -rf "$d"; done
    ssh -o ControlPath="$CM/%C" -F "$SSHCFG" -O exit node1 >/dev/null 2>&1

elif want status; then
    log "status: skipped (the pcs-built cluster did not come up; see $OUT/pcs.log)"
fi

if want failover && [ $PCS_UP = 1 ]; then
    for ((r = 1; r <= BOOT_RUNS; r++)); do
        failover failover.pcs 3 || break
        "$LAB" exec "$FAILED_NODE" -- sh -c 'systemctl start corosync; systemctl start pacemaker' </dev/null >/dev/null 2>&1
        for _ in $(seq 120); do
            [ "$("$LAB" exec node2 -- crm_mon -1 --output-as=xml 2>/dev/null | grep -c 'online="true"')" = 3 ] && break; sleep 0.5
        done
    done
fi

# ------------------------------------------------------------------ crmsh: single-node init (it cannot join knet)
CRM_SCRIPT='set -e
crm cluster init -y -n lab -i eth0 >/root/crm-init.log 2>&1
crm configure property stonith-enabled=false no-quorum-policy=stop
crm configure rsc_defaults resource-stickiness=100
crm configure primitive vip ocf:heartbeat:IPaddr2 params ip=198.18.0.100 cidr_netmask=24 nic=eth0 op monitor interval=10s timeout=20s
crm configure primitive svc ocf:heartbeat:Dummy op monitor interval=10s
crm configure colocation col-svc-vip inf: svc vip
crm configure order ord-vip-svc Mandatory: vip svc
until [ "$(crm_mon -1 --output-as=xml | grep -cE "<resource id=\"(vip|svc)\"[^>]*role=\"Started\"[^>]*active=\"true\"")" = 2 ]; do sleep 0.5; done'
if want crmsh && [ $CRMSH = 1 ] && ! command -v csync2 >/dev/null; then
    log "crmsh bootstrap skipped: crm cluster init needs csync2 (apt-get install csync2), which is not installed"
elif want crmsh && [ $CRMSH = 1 ]; then
    LAB1="$FACTS/bench-lab1.yaml"
    cluster_file 1 "$LAB1" with-resources
    for ((r = 1; r <= BOOT_RUNS; r++)); do
        "$LAB" reset all >/dev/null 2>&1
        timed boot1.hatools hatools_bootstrap "$LAB1" || tail -20 "$OUT/bootstrap.log" >&2
        "$LAB" reset all >/dev/null 2>&1
        # untimed workaround: Debian ships hacluster's home (/var/lib/pacemaker) root-owned, so crmsh cannot create
        # ~hacluster/.ssh for its key (the same on a real Debian 12 node)
        "$LAB" exec node1 -- install -d -o hacluster -g haclient -m 0700 /var/lib/pacemaker/.ssh
        timed boot1.crmsh timeout 180 ssh -F "$SSHCFG" -o ControlMaster=no -o ControlPath=none node1 "$CRM_SCRIPT" >>"$OUT/crmsh.log" 2>&1 ||
            { log "crmsh init failed: see $OUT/crmsh.log"; "$LAB" exec node1 -- tail -20 /root/crm-init.log >>"$OUT/crmsh.log" 2>&1; break; }
    done
fi

# ------------------------------------------------------------------ fan-out (16 nodes)
if want fanout; then
    BENCH_SAMPLES=$SAMPLES bash "$BENCH_DIR/fanout.sh" --nodes 16 --runs "$RUNS" --no-build --no-report --hatools "$BUILD_ROOT"
fi

# ------------------------------------------------------------------ memory: one status call against 16 nodes
if want memory; then
    lab_up 16 0
    "$LAB" reset all >/dev/null 2>&1
    C16="$FACTS/bench-lab16.yaml"
    cluster_file 16 "$C16" with-resources
    if timed boot16.hatools timeout 300 bash -c 'XDG_RUNTIME_DIR=$(mktemp -d) dotnet "$1" bootstrap --quiet "$2" >>"$3" 2>&1' sh "$HATOOLS_DLL" "$C16" "$OUT/bootstrap.log"; then
        MEMNOTE="16-node cluster, pacemaker on all 16"
    else
        log "16-node bootstrap failed: measuring against 16 nodes with pacemaker on 3"
        "$LAB" reset all >/dev/null 2>&1
        cluster_file 3 "$FACTS/bench-lab3.yaml" with-resources
        hatools_bootstrap "$FACTS/bench-lab3.yaml"
        MEMNOTE="16 nodes in the file, pacemaker on 3"
    fi
    echo "$MEMNOTE" >"$OUT/memory-note.txt"
    for ((r = 1; r <= RUNS; r++)); do
        /usr/bin/time -o "$OUT/time.txt" -f '%M' dotnet "$HATOOLS_DLL" status --cluster "$C16" >/dev/null 2>&1
        kb=$(tail -n 1 "$OUT/time.txt")
        [ -n "$kb" ] && sample mem16.hatools.cli.mib "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')" && log "mem16.hatools.cli: $kb KiB"
    done
    bench status --cluster "$C16" --runs "$RUNS" --warmup 1 2>>"$OUT/bench.log" | while read -r v rest; do
        if [ "$v" = peak_rss_mib ]; then sample mem16.hatools.inproc.mib "$rest"; log "mem16.hatools.inproc: $rest MiB"; else sample status16.hatools.inproc "$v"; fi
    done
fi

# ------------------------------------------------------------------ the sshnet runner vs the OpenSSH runner (16 nodes)
if want sshnet; then
    BENCH_SAMPLES=$SAMPLES bash "$BENCH_DIR/sshnet.sh" --runs "$RUNS" --no-build --no-report
fi

# ------------------------------------------------------------------ the table
sed "s|@MEMNOTE@|$(cat "$OUT/memory-note.txt" 2>/dev/null || echo -)|" "$BENCH_DIR/comparisons.tsv" >"$OUT/comparisons.tsv"
grep -v '^#' "$BENCH_DIR/sshnet-comparisons.tsv" >>"$OUT/comparisons.tsv"
{
    echo "HaTools benchmarks, $START, $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
    echo "$(ssh -V 2>&1 | cut -d, -f1), corosync $(corosync -v | sed -n 's/.*version .\([0-9.]*\).*/\1/p' | head -1), pacemaker $(pacemakerd --version | awk 'NR==1 { print $2 }'), pcs $(pcs --version), crmsh $(dpkg-query -W -f '${Version}' crmsh), .NET $(dotnet --version)"
    echo "runs: $RUNS (status, fan-out, memory), $BOOT_RUNS (bootstrap, failover); HaTools build: $(git -C "$BUILD_ROOT" log -1 --format=%h 2>/dev/null || echo "$BUILD_ROOT")"
    echo
    bench report "$SAMPLES" "$OUT/comparisons.tsv"
} >"$OUT/results.md"
rc=$?
cat "$OUT/results.md"
exit 0
