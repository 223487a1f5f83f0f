#!/usr/bin/env bash
# bench/ab: the same rows for two or three HaTools builds in one sitting, interleaved (A B A B …) on one lab, so a
# change in a figure can be told apart from a change of the machine. Root; hold the lab lease for the whole run:
#     flock /tmp/hatools-lab-lease bash bench/ab.sh [--rounds 3] [--runs 5] [--only LIST] [--build] DIR_A DIR_B [DIR_C]
# DIR: a HaTools checkout with a Release build (e.g. `git worktree add --detach /work/wt-old COMMIT`; --build builds
# them first, best done before taking the lease). --only: comma list of bootstrap,status,fanout (default: all).
# Rows, per round and build: bootstrap of the 3-node lab cluster (CLI, from cold); warm status in-process (the
# harness, as Get-HaStatus) and from the CLI (warm masters); fan-out of a 64 KiB file to 16 nodes, warm CLI and
# in-process; and, once per round after the builds' turns, the peers (bare ssh crm_mon with ControlMaster, 16 parallel
# ssh, one serial ssh loop). The lab has 16 nodes, pacemaker on the first 3. Samples and the table go to bench/out/ab/;
# the lab is left down.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ROUNDS=3 RUNS=5 ONLY=all BUILDS=0 SIZE=65536 DIRS=()
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) ROUNDS=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --build) BUILDS=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) DIRS+=("$1") ;;
    esac
    shift
done
[ ${#DIRS[@]} -ge 2 ] && [ ${#DIRS[@]} -le 3 ] || die "two or three checkouts are needed (see --help)"
NAMES=(A B C)
NAMES=("${NAMES[@]:0:${#DIRS[@]}}")
want() { [ "$ONLY" = all ] || [[ ,$ONLY, == *,$1,* ]]; }
[ "$(id -u)" = 0 ] || die "needs root (the lab)"

OUT=$OUT/ab
SAMPLES=$OUT/samples.tsv
mkdir -p "$OUT"
: >"$SAMPLES"
exec 2> >(tee -a "$OUT/run.log" >&2)

declare -A ROOT COMMIT XDGS
i=0
for x in "${NAMES[@]}"; do
    use_build "${DIRS[$i]}"
    i=$((i + 1))
    ROOT[$x]=$BUILD_ROOT
    XDGS[$x]=$(mktemp -d)
    [ $BUILDS = 1 ] && build
    [ -f "$HATOOLS_DLL" ] && [ -f "$BENCH_DLL" ] || die "no Release build in $BUILD_ROOT (dotnet build HaTools.sln -c Release, or --build)"
    COMMIT[$x]=$(git -C "$BUILD_ROOT" log -1 --format='%h %cd' --date=short 2>/dev/null || echo "$BUILD_ROOT")
    git -C "$BUILD_ROOT" diff --quiet HEAD -- src bench 2>/dev/null || COMMIT[$x]+=" + uncommitted changes"
    log "$x = $BUILD_ROOT (${COMMIT[$x]})"
done
# select_build A|B|C: HATOOLS_DLL and BENCH_DLL of that build, XDG for its own control sockets
select_build() { use_build "${ROOT[$1]}"; XDG=${XDGS[$1]}; }
close_masters() { local d s; for d in "$@"; do for s in "$d"/hatools-ssh/*/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1; done; done; }
CM="$OUT/cm"
trap 'close_masters "${XDGS[@]}"; ssh -o ControlPath="$CM/%C" -F "$SSHCFG" -O exit node1 >/dev/null 2>&1; rm -rf "${XDGS[@]}"; "$LAB" down >/dev/null 2>&1' EXIT

lab_up 16 0
C16="$FACTS/bench-nodes16.yaml"
cluster_file 16 "$C16"
LAB3="$REPO/examples/lab.yaml"
file="$OUT/fanout.dat"
nodes=(); for ((i = 1; i <= 16; i++)); do nodes+=("node$i"); done
mkdir -p "$CM"; chmod 700 "$CM"
cm_ssh() { ssh -F "$SSHCFG" -o ControlMaster=auto -o ControlPath="$CM/%C" -o ControlPersist=120 "$@"; }
# (waits for its own jobs by pid: a bare `wait` would also wait for the tee of stderr above)
reset3() { local i p=(); for i in 1 2 3; do "$LAB" reset "node$i" >/dev/null 2>&1 & p+=($!); done; wait "${p[@]}"; }

for ((round = 1; round <= ROUNDS; round++)); do
    log "round $round of $ROUNDS"
    for x in "${NAMES[@]}"; do
        select_build "$x"
        if want bootstrap; then
            reset3
            close_masters "$XDG"
            timed "boot3.$x" env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" bootstrap --quiet "$LAB3" >>"$OUT/bootstrap.log" 2>&1 ||
                tail -20 "$OUT/bootstrap.log" >&2
        elif want status && [ "$round" = 1 ] && [ "$x" = A ]; then # a cluster to ask, once
            reset3
            env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" bootstrap --quiet "$LAB3" >>"$OUT/bootstrap.log" 2>&1 ||
                { tail -20 "$OUT/bootstrap.log" >&2; die "bootstrap failed"; }
        fi
        if want status; then
            bench status --cluster "$LAB3" --runs "$RUNS" --warmup 1 2>>"$OUT/bench.log" | while read -r v _; do
                [ "$v" = peak_rss_mib ] || sample "status.inproc.$x" "$v"
            done
            env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null 2>&1 # masters open
            for ((r = 1; r <= RUNS; r++)); do
                timed "status.cli.$x" env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" status --cluster "$LAB3" >/dev/null
            done
        fi
        if want fanout; then
            env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" push --cluster "$C16" --all --source "$LAB3" --dest /tmp/bench-ab-warm.dat --mode 0644 >/dev/null 2>&1
            for ((r = 1; r <= RUNS; r++)); do
                head -c "$SIZE" /dev/urandom >"$file"
                timed "push16.cli-warm.$x" env XDG_RUNTIME_DIR="$XDG" dotnet "$HATOOLS_DLL" push --cluster "$C16" --all \
                    --source "$file" --dest /tmp/bench-ab.dat --mode 0644 >/dev/null
            done
            bench push --cluster "$C16" --runs "$RUNS" --warmup 1 --size "$SIZE" 2>>"$OUT/bench.log" | while read -r v _; do
                [ "$v" = peak_rss_mib ] || sample "push16.inproc.$x" "$v"
            done
        fi
    done
    if want status; then
        cm_ssh node1 true
        for ((r = 1; r <= RUNS; r++)); do timed status.ssh-crm_mon.controlmaster cm_ssh node1 crm_mon -1 --output-as=xml >/dev/null; done
    fi
    if want fanout; then
        head -c "$SIZE" /dev/urandom >"$file"
        for ((r = 1; r <= RUNS; r++)); do
            timed push16.parallel-ssh bash -c 'for n in "${@:3}"; do ssh -F "$1" -o ControlMaster=no -o ControlPath=none "$n" "cat > /tmp/bench-par.dat" <"$2" & done; wait' sh "$SSHCFG" "$file" "${nodes[@]}"
        done
        timed push16.serial-ssh bash -c 'for n in "${@:3}"; do ssh -F "$1" -o ControlMaster=no -o ControlPath=none "$n" "cat > /tmp/bench-serial.dat" <"$2" || exit 1; done' sh "$SSHCFG" "$file" "${nodes[@]}"
    fi
done

# ------------------------------------------------------------------ the table: medians, each build against A and against its peer
median() { awk -F'\t' -v l="$1" '$1 == l { print $2 }' "$SAMPLES" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
count() { awk -F'\t' -v l="$1" '$1 == l' "$SAMPLES" | wc -l; }
ms() { [ "$1" = - ] && { echo -; return; }; awk -v v="$1" 'BEGIN { if (v >= 1) printf "%.2f s", v; else printf "%.0f ms", v * 1000 }'; }
ratio() { { [ "$1" = - ] || [ "$2" = - ]; } && { echo -; return; }; awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
ROWS='bootstrap 3 bare nodes, CLI from cold|boot3|-
status in-process (warm), vs bare ssh crm_mon with ControlMaster|status.inproc|status.ssh-crm_mon.controlmaster
status CLI (warm masters), vs the same|status.cli|status.ssh-crm_mon.controlmaster
fan-out 16 nodes, CLI (warm masters), vs serial ssh|push16.cli-warm|push16.serial-ssh
fan-out 16 nodes, in-process, vs serial ssh|push16.inproc|push16.serial-ssh
fan-out 16 nodes, in-process, vs 16 parallel ssh|push16.inproc|push16.parallel-ssh'
{
    echo "A/B, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end, $ROUNDS rounds × $RUNS runs"
    for x in "${NAMES[@]}"; do echo "- $x: ${ROOT[$x]} (${COMMIT[$x]})"; done
    echo
    head="| measure |" rule="|---|"
    for x in "${NAMES[@]}"; do head+=" $x: median (n) |"; rule+="---|"; done
    for x in "${NAMES[@]:1}"; do head+=" $x/A |"; rule+="---|"; done
    head+=" peer: median (n) |"; rule+="---|"
    for x in "${NAMES[@]}"; do head+=" $x/peer |"; rule+="---|"; done
    echo "$head"
    echo "$rule"
    while IFS='|' read -r title label peer; do
        declare -A m=()
        any=0
        for x in "${NAMES[@]}"; do m[$x]=$(median "$label.$x"); [ "${m[$x]}" = - ] || any=1; done
        [ $any = 1 ] || continue
        p=-
        [ "$peer" != - ] && p=$(median "$peer")
        row="| $title |"
        for x in "${NAMES[@]}"; do row+=" $(ms "${m[$x]}") ($(count "$label.$x")) |"; done
        for x in "${NAMES[@]:1}"; do row+=" $(ratio "${m[$x]}" "${m[A]}") |"; done
        if [ "$peer" = - ]; then row+=" - |"; else row+=" \`$peer\` $(ms "$p") ($(count "$peer")) |"; fi
        for x in "${NAMES[@]}"; do row+=" $(ratio "${m[$x]}" "$p") |"; done
        echo "$row"
    done <<<"$ROWS"
} >"$OUT/results.md"
cat "$OUT/results.md"
