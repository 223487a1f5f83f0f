# Shared by bench/run.sh and bench/fanout.sh (sourced). Timing, samples, lab helpers.
# shellcheck shell=bash
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
LAB="$REPO/tests/lab/lab.sh"
FACTS="$REPO/examples/lab"
SSHCFG="$FACTS/ssh_config"
OUT=${BENCH_OUT:-$BENCH_DIR/out}
SAMPLES=${BENCH_SAMPLES:-$OUT/samples.tsv}
VIP=198.18.0.100

log()  { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die()  { log "error: $*"; exit 1; }

# The checkout whose build is measured: this one, or another (--hatools DIR, e.g. an older commit's worktree for an
# A/B on the same machine); the lab, its facts and the peers always come from this checkout.
use_build() { # DIR
    BUILD_ROOT=$(cd "$1" 2>/dev/null && pwd -P) || die "--hatools: no such folder: $1"
    [ -f "$BUILD_ROOT/HaTools.sln" ] || die "--hatools: $BUILD_ROOT is not a HaTools checkout (no HaTools.sln)"
    HATOOLS_DLL="$BUILD_ROOT/src/HaTools.Cli/bin/Release/net10.0/hatools.dll"
    BENCH_DLL="$BUILD_ROOT/bench/HaTools.Bench/bin/Release/net10.0/hatools-bench.dll"
}
use_build "${BENCH_HATOOLS:-$REPO}"

# Plain ssh as an operator uses it: the lab's ssh_config, no connection reuse.
ssh_plain() { ssh -F "$SSHCFG" -o ControlMaster=no -o ControlPath=none "$@"; }

hatools() { dotnet "$HATOOLS_DLL" "$@"; }
bench()   { dotnet "$BENCH_DLL" "$@"; }

sample() { printf '%s\t%s\n' "$1" "$2" >>"$SAMPLES"; }

# timed LABEL CMD...: run CMD, record its wall time in seconds under LABEL (only when it succeeds).
timed() {
    local label=$1 t0 t1 rc
    shift
    t0=$EPOCHREALTIME
    "$@"; rc=$?
    t1=$EPOCHREALTIME
    if [ $rc = 0 ]; then
        sample "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')"
        log "$label: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s"
    else
        log "$label: FAILED (exit $rc); sample not recorded"
    fi
    return $rc
}

build() {
    log "building $BUILD_ROOT (Release)"
    dotnet build "$BUILD_ROOT/HaTools.sln" -c Release -nologo -v q >"$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; die "build failed"; }
    log "measuring $(git -C "$BUILD_ROOT" log -1 --format='%h %cd' --date=short 2>/dev/null || echo "$BUILD_ROOT")$(git -C "$BUILD_ROOT" diff --quiet HEAD -- src bench 2>/dev/null || echo ' (with uncommitted changes)')"
}

# lab_up N SHIM: the lab with N nodes (and the systemctl stand-in when SHIM=1), recreated when its shim is stale.
lab_up() {
    local n=$1 shim=$2
    if [ "$shim" = 1 ] && [ -f /tmp/hatools-lab/template/usr-local/upper/sbin/systemctl ] &&
        ! cmp -s /tmp/hatools-lab/template/usr-local/upper/sbin/systemctl "$REPO/tests/lab/systemctl-shim.sh"; then
        log "lab has an older systemctl stand-in: recreating it"
        "$LAB" down >/dev/null
    fi
    HATOOLS_LAB_SYSTEMCTL_SHIM=$shim "$LAB" up "$n" >"$OUT/lab-up.log" 2>&1 || { cat "$OUT/lab-up.log"; die "lab up $n failed"; }
    tail -n 1 "$OUT/lab-up.log" >&2
}

# A cluster file for nodes 1..N of the lab, in examples/lab/ (paths there are relative to it).
cluster_file() { # N OUTFILE [with-resources]
    local n=$1 f=$2 i
    {
        printf 'name: lab\nstack: pacemaker\nssh:\n  user: root\n  identity: id_ed25519\n  known_hosts: known_hosts\n  host_key_policy: strict\n  connect_timeout: 5\nnodes:\n'
        for ((i = 1; i <= n; i++)); do
            printf '  - name: node%d\n    address: 198.18.0.%d\n    data_iface: eth0\n' "$i" $((10 + i))
        done
        if [ "${3:-}" = with-resources ]; then
            # the same properties, resources and constraints as examples/lab.yaml
            sed -n '/^properties:/,/^# Devices that/p' "$REPO/examples/lab.yaml" | sed '$d'
        fi
    } >"$f"
}

node_macs() { # prints "MAC nodeI" for nodes 1..N
    local i
    for ((i = 1; i <= $1; i++)); do
        printf '%s node%d\n' "$("$LAB" exec "node$i" -- cat /sys/class/net/eth0/address)" "$i"
    done
}

# Which node answers for the VIP, seen from the host: ping, then the host's ARP entry against the nodes' MACs.
vip_holder() { # MACS_FILE
    local mac
    ping -c 1 -W 0.3 "$VIP" >/dev/null 2>&1 || return 1
    mac=$(ip neigh show "$VIP" dev hatools0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
    [ -n "$mac" ] || return 1
    awk -v m="$mac" '$1 == m { print $2 }' "$1"
}
