#!/usr/bin/env bash
# bench/sshnet: the in-process SSH.NET runner (ssh.transport: sshnet) against the OpenSSH runner, side by side on one
# 16-node lab: warm status (vs openssh with ControlMaster and a bare crm_mon through ControlMaster), a cold push to 16
# nodes (vs 16 plain ssh in parallel, the floor), peak RSS of one status call on 16 nodes. Called by bench/run.sh
# (--only sshnet); runs on its own too (root; brings the lab up with 16 nodes and bootstraps them):
#   flock /tmp/hatools-lab-lease bash bench/sshnet.sh [--runs 5] [--size 65536] [--no-build]
set -uo pipefail
source "$(dirname "$0")/lib.sh"

RUNS=5 SIZE=65536 BUILD=1 REPORT=1 NODES=16
while [ $# -gt 0 ]; do
    case $1 in
        --runs) RUNS=$2; shift ;;
        --size) SIZE=$2; shift ;;
        --no-build) BUILD=0 ;;
        --no-report) REPORT=0 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || die "needs root (the lab)"
mkdir -p "$OUT"
[ $REPORT = 1 ] && : >"$SAMPLES"
[ $BUILD = 1 ] && build
lab_up "$NODES" 0

# The same cluster file twice: the OpenSSH runner (default) and ssh.transport: sshnet.
C_OS="$FACTS/bench-sshnet-openssh.yaml" C_SN="$FACTS/bench-sshnet-sshnet.yaml"
cluster_file "$NODES" "$C_OS" with-resources
sed 's/^ssh:$/ssh:\n  transport: sshnet/' "$C_OS" >"$C_SN"
grep -q '^  transport: sshnet$' "$C_SN" || die "could not write $C_SN"

"$LAB" reset all >/dev/null 2>&1
if timeout 300 bash -c 'XDG_RUNTIME_DIR=$(mktemp -d) dotnet "$1" bootstrap --quiet "$2" >>"$3" 2>&1' sh "$HATOOLS_DLL" "$C_OS" "$OUT/bootstrap.log"; then
    log "sshnet bench: $NODES-node cluster bootstrapped"
else
    log "sshnet bench: the $NODES-node bootstrap failed: pacemaker on 3 nodes, $NODES in the files"
    "$LAB" reset all >/dev/null 2>&1
    cluster_file 3 "$FACTS/bench-sshnet-3.yaml" with-resources
    XDG_RUNTIME_DIR=$(mktemp -d) dotnet "$HATOOLS_DLL" bootstrap --quiet "$FACTS/bench-sshnet-3.yaml" >>"$OUT/bootstrap.log" 2>&1
fi

# ------------------------------------------------------------------ warm status in-process, each runner
for t in openssh sshnet; do
    bench status --cluster "$C_OS" --transport "$t" --runs "$RUNS" --warmup 1 2>>"$OUT/bench.log" | while read -r v rest; do
        if [ "$v" = peak_rss_mib ]; then sample "mem16.inproc.$t.mib" "$rest"; log "mem16.inproc.$t: $rest MiB"
        else sample "status.inproc.$t" "$v"; log "status.inproc.$t: $v s"; fi
    done
done
CM=$(mktemp -d); chmod 700 "$CM"
ssh -F "$SSHCFG" -o ControlMaster=auto -o ControlPath="$CM/%C" -o ControlPersist=60 node1 true
for ((r = 1; r <= RUNS; r++)); do
    timed status.ssh-crm_mon.controlmaster-16 ssh -F "$SSHCFG" -o ControlMaster=auto -o ControlPath="$CM/%C" node1 crm_mon -1 --output-as=xml >/dev/null
done
ssh -o ControlPath="$CM/%C" -F "$SSHCFG" -O exit node1 >/dev/null 2>&1; rm -rf "$CM"

# ------------------------------------------------------------------ peak RSS of one status call (a CLI process), each runner
for t in openssh sshnet; do
    [ $t = openssh ] && f=$C_OS || f=$C_SN
    for ((r = 1; r <= RUNS; r++)); do
        x=$(mktemp -d)
        XDG_RUNTIME_DIR=$x /usr/bin/time -o "$OUT/time.txt" -f '%M' dotnet "$HATOOLS_DLL" status --cluster "$f" >/dev/null 2>>"$OUT/bench.log" &&
            sample "mem16.cli.$t.mib" "$(awk -v k="$(tail -n 1 "$OUT/time.txt")" 'BEGIN { printf "%.1f", k / 1024 }')"
        for s in "$x"/hatools-ssh/*/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1; done; rm -rf "$x"
    done
    log "mem16.cli.$t: $(awk -v l="mem16.cli.$t.mib" '$1 == l { printf "%s ", $2 }' "$SAMPLES")MiB"
done

# ------------------------------------------------------------------ cold push to 16 nodes
file="$OUT/sshnet-push.dat"
nodes=(); for ((i = 1; i <= NODES; i++)); do nodes+=("node$i"); done
for t in openssh sshnet; do
    # in-process, new connections for every push (openssh: no ControlMaster; sshnet: a new runner)
    bench push --cluster "$C_OS" --transport "$t" --cold --runs "$RUNS" --size "$SIZE" 2>>"$OUT/bench.log" | while read -r v rest; do
        [ "$v" = peak_rss_mib ] || { sample "push16.cold.inproc.$t" "$v"; log "push16.cold.inproc.$t: $v s"; }
    done
done
for ((r = 1; r <= RUNS; r++)); do
    head -c "$SIZE" /dev/urandom >"$file"
    x=$(mktemp -d)
    timed push16.cold.cli.openssh env XDG_RUNTIME_DIR="$x" dotnet "$HATOOLS_DLL" push --cluster "$C_OS" --all --source "$file" --dest /tmp/bench-sshnet.dat --mode 0644 >/dev/null
    for s in "$x"/hatools-ssh/*/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1; done; rm -rf "$x"
    timed push16.cold.cli.sshnet dotnet "$HATOOLS_DLL" push --cluster "$C_SN" --all --source "$file" --dest /tmp/bench-sshnet.dat --mode 0644 >/dev/null
    timed push16.cold.parallel-ssh bash -c 'for n in "${@:2}"; do ssh -F "$1" -o ControlMaster=no -o ControlPath=none "$n" "cat > /tmp/bench-par.dat" <"'"$file"'" & done; wait' sh "$SSHCFG" "${nodes[@]}"
done

if [ $REPORT = 1 ]; then
    {
        echo "sshnet benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(ssh -V 2>&1 | cut -d, -f1), SSH.NET 2026.0.0, .NET $(dotnet --version); runs: $RUNS"
        echo
        bench report "$SAMPLES" "$BENCH_DIR/sshnet-comparisons.tsv"
    } >"$OUT/sshnet-results.md"
    cat "$OUT/sshnet-results.md"
fi
