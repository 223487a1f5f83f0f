#!/usr/bin/env bash
# bench/fanout: push one file to N lab nodes (default 16) serially with plain ssh, and in parallel with HaTools;
# prints the ratio of medians. Called by bench/run.sh; runs on its own too (root; brings the lab up with N nodes):
#   flock /tmp/hatools-lab-lease bash bench/fanout.sh [--nodes 16] [--runs 5] [--size 65536] [--no-build] [--hatools DIR]
set -uo pipefail
source "$(dirname "$0")/lib.sh"

NODES=16 RUNS=5 SIZE=65536 BUILD=1 REPORT=1
while [ $# -gt 0 ]; do
    case $1 in
        --nodes) NODES=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --size) SIZE=$2; shift ;;
        --quick) RUNS=3 ;;
        --no-build) BUILD=0 ;;
        --no-report) REPORT=0 ;;
        --hatools) use_build "$2"; shift ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || die "needs root (the lab)"
mkdir -p "$OUT"
[ $REPORT = 1 ] && : >"$SAMPLES"
[ $BUILD = 1 ] && build
lab_up "$NODES" 0

CLUSTER="$FACTS/bench-nodes$NODES.yaml"
cluster_file "$NODES" "$CLUSTER"
nodes=(); for ((i = 1; i <= NODES; i++)); do nodes+=("node$i"); done
file="$OUT/fanout.dat"

serial() {
    local n
    for n in "${nodes[@]}"; do
        ssh_plain "$n" 'cat > /tmp/bench-serial.dat' <"$file" || return 1
    done
}

log "fan-out: one ${SIZE}-byte file to $NODES nodes, $RUNS runs each"
for ((r = 1; r <= RUNS; r++)); do
    head -c "$SIZE" /dev/urandom >"$file"
    timed "push$NODES.serial-ssh" serial
    # the CLI from cold: a fresh control-socket folder, so every connection is set up within the measured call
    cold=$(mktemp -d)
    head -c "$SIZE" /dev/urandom >"$file"
    timed "push$NODES.hatools.cli-cold" env XDG_RUNTIME_DIR="$cold" dotnet "$HATOOLS_DLL" push --cluster "$CLUSTER" --all \
        --source "$file" --dest /tmp/bench-hatools.dat --mode 0644 >/dev/null
    # the CLI again, masters from the call before still there (as for an operator's second command)
    head -c "$SIZE" /dev/urandom >"$file"
    timed "push$NODES.hatools.cli-warm" env XDG_RUNTIME_DIR="$cold" dotnet "$HATOOLS_DLL" push --cluster "$CLUSTER" --all \
        --source "$file" --dest /tmp/bench-hatools.dat --mode 0644 >/dev/null
    # close the masters of this run (ControlPersist would keep them for minutes)
    for s in "$cold"/hatools-ssh/*/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1; done
    rm -rf "$cold"
    # in-process (Send-HaFile in a session): FilePusher over all nodes, warm masters, fresh content per run; in the
    # same round as its peers, so a drifting load weighs on all alike
    bench push --cluster "$CLUSTER" --runs 1 --warmup 2 --size "$SIZE" 2>>"$OUT/bench.log" |
        while read -r v rest; do
            if [ "$v" = peak_rss_mib ]; then :; else sample "push$NODES.hatools.inproc" "$v"; log "push$NODES.hatools.inproc: $v s"; fi
        done
done

# in-process without connection reuse (every push sets up its 16 connections): where the cold CLI's time goes
bench push --cluster "$CLUSTER" --runs "$RUNS" --size "$SIZE" --cold 2>>"$OUT/bench.log" |
    while read -r v rest; do
        if [ "$v" = peak_rss_mib ]; then :; else sample "push$NODES.hatools.inproc-nomaster" "$v"; log "push$NODES.hatools.inproc-nomaster: $v s"; fi
    done
# the floor for any parallel tool on this machine: 16 plain ssh at once
for ((r = 1; r <= RUNS; r++)); do
    timed "push$NODES.parallel-ssh" bash -c 'for n in "${@:2}"; do ssh -F "$1" -o ControlMaster=no -o ControlPath=none "$n" "cat > /tmp/bench-par.dat" <"'"$file"'" & done; wait' sh "$SSHCFG" "${nodes[@]}"
done

if [ $REPORT = 1 ]; then
    printf 'fan-out %s nodes, parallel CLI (cold) vs serial ssh\tpush%s.hatools.cli-cold\tpush%s.serial-ssh\tratio<=0.25\n' "$NODES" "$NODES" "$NODES" >"$OUT/fanout-comparisons.tsv"
    printf 'fan-out %s nodes, parallel CLI (warm) vs serial ssh\tpush%s.hatools.cli-warm\tpush%s.serial-ssh\tratio<=0.25\n' "$NODES" "$NODES" "$NODES" >>"$OUT/fanout-comparisons.tsv"
    printf 'fan-out %s nodes, parallel in-process vs serial ssh\tpush%s.hatools.inproc\tpush%s.serial-ssh\tratio<=0.25\n' "$NODES" "$NODES" "$NODES" >>"$OUT/fanout-comparisons.tsv"
    bench report "$SAMPLES" "$OUT/fanout-comparisons.tsv"
fi
