#!/bin/bash
# HaTools lab: N Debian "nodes" on this machine, each in its own network, mount,
# UTS, IPC and PID namespace, reachable over real SSH on 198.18.0.0/24.
# Run `lab.sh -h` for usage. Needs root.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd -P)
FACTS_DIR=$REPO_ROOT/examples/lab
NODE_INIT=$SCRIPT_DIR/node-init.sh

LAB_DIR=${HATOOLS_LAB_DIR:-/tmp/hatools-lab}
LAB_DIR=${LAB_DIR%/}
SHIM=${HATOOLS_LAB_SYSTEMCTL_SHIM:-0}

BRIDGE=hatools0
SUBNET=198.18.0
HOST_ADDR=$SUBNET.1
NS_PREFIX=hatools-node
VETH_PREFIX=htveth
MAX_NODES=16
DEFAULT_NODES=3
SSH_WAIT=30          # seconds to wait for all sshds at `up`
STOP_WAIT=5          # seconds between TERM and KILL at `down`

# What the stacks need in a node (private folders, daemons): tests/lab/profiles/*.sh. `up` takes them from
# HATOOLS_LAB_PROFILES; every other command from the running lab's lab.conf (the profiles its nodes were made with).
if [ "${1:-}" != up ] && [ -f "$LAB_DIR/lab.conf" ]; then
    _lab_profiles=$(sed -n 's/^PROFILES=//p' "$LAB_DIR/lab.conf")
    [ -n "$_lab_profiles" ] && export HATOOLS_LAB_PROFILES=$_lab_profiles
    unset _lab_profiles
fi
# shellcheck source=profiles.sh
. "$SCRIPT_DIR/profiles.sh"
export HATOOLS_LAB_PROFILES=$LAB_PROFILES # node-init.sh loads the same
STACK_PROCS=$LAB_STACK_PROCS

NODE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

usage() {
    cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

The HaTools lab: N nodes (node1..nodeN, 198.18.0.11..) in Linux namespaces on
bridge $BRIDGE ($HOST_ADDR/24), each with its own sshd. Needs root.

Commands:
  up [N]                 create N nodes (default $DEFAULT_NODES, 1..$MAX_NODES); no-op if already up
                         and healthy with N nodes; a half-up lab is recreated
  down                   stop all nodes, remove namespaces, veths, bridge and \$LAB_DIR
  status                 one line per node; exit 0 when all nodes are up
  exec NODE -- CMD...    run CMD inside NODE's namespaces (argv kept, exit code
                         and stdin passed through)
  reset NODE|all         bring node(s) back to the bare state of \`up\`
  freeze NODE / thaw NODE        SIGSTOP / SIGCONT all sshd processes in NODE
  link-down NODE / link-up NODE  take NODE's link down / up (both veth ends)
  kill-stack NODE        SIGKILL corosync and pacemaker daemons in NODE
  kill-sshd NODE         SIGKILL every sshd in NODE (listener and sessions: open
                         connections drop); the node's init restarts the listener
                         within ~2 s
  crash NODE             NODE dies at once: link down, then SIGKILL every process of
                         its network namespace (init included); its addresses go
  boot NODE              start a crashed NODE again: files as they were, /run and
                         /tmp fresh (as after a reboot), link up; nothing but sshd runs
  -h, --help             this help

NODE is node1..node$MAX_NODES (or just the number).

Environment:
  HATOOLS_LAB_DIR=DIR              lab state (default /tmp/hatools-lab)
  HATOOLS_LAB_SYSTEMCTL_SHIM=1     install a systemctl stand-in (-> /etc/init.d)
                                   in each node (for pcs/crmsh), at \`up\`
  HATOOLS_LAB_PROFILES="A B"       the stacks the nodes are made for, at \`up\`
                                   (tests/lab/profiles/*.sh; default pacemaker)

Connection facts (ssh_config, known_hosts, id_ed25519, nodes.yaml) are
written to $FACTS_DIR and \$LAB_DIR/facts.
Example: ssh -F $FACTS_DIR/ssh_config node1 hostname
EOF
}

msg()  { printf 'lab: %s\n' "$*" >&2; }
warn() { printf 'lab: warning: %s\n' "$*" >&2; }
die()  { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need_root() { [ "$(id -u)" = 0 ] || die "the lab needs root"; }

check_lab_dir() {
    case $LAB_DIR in
        /*) ;;
        *) die "HATOOLS_LAB_DIR must be an absolute path: $LAB_DIR" ;;
    esac
    case $LAB_DIR in
        /|/tmp|/root|/home|/var|/usr|/etc|/run) die "refusing HATOOLS_LAB_DIR=$LAB_DIR" ;;
        *[[:space:]:,]*) die "HATOOLS_LAB_DIR must not contain spaces, ':' or ',': $LAB_DIR" ;;
    esac
}

need_tools() {
    local t missing=()
    for t in ip unshare nsenter sshd ssh-keygen setsid flock pidof truncate tar timeout; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    [ ${#missing[@]} = 0 ] || die "missing tools: ${missing[*]} (install iproute2 util-linux openssh-server procps)"
}

take_lock() {
    mkdir -p "$(dirname "$LAB_DIR")"
    exec 9>"$LAB_DIR.lock"
    flock -w 300 9 || die "another lab.sh holds $LAB_DIR.lock"
}

node_name() { printf 'node%d' "$1"; }
node_addr() { printf '%s.%d' "$SUBNET" $((10 + $1)); }
node_ns()   { printf '%s%d' "$NS_PREFIX" "$1"; }
node_veth() { printf '%s%d' "$VETH_PREFIX" "$1"; }
node_dir()  { printf '%s/node%d' "$LAB_DIR" "$1"; }

# A folder of the host's tree that a profile needs (a mount point the nodes share): made if missing and recorded,
# so that `down` removes it again (only if still empty).
lab_host_dir() {
    [ -d "$1" ] && return 0
    mkdir -p "$1"
    echo "$1" >>"$LAB_DIR/host-dirs"
}

# What the nodes' /etc was copied from: a package installed or removed since `up` makes the lab stale.
pkg_stamp() { stat -c %Y /var/lib/dpkg/status 2>/dev/null || echo none; }

lab_count() {
    local n=
    [ -f "$LAB_DIR/lab.conf" ] && n=$(sed -n 's/^NODES=\([0-9]\+\)$/\1/p' "$LAB_DIR/lab.conf")
    [ -n "$n" ] || return 1
    echo "$n"
}

lab_conf_value() { sed -n "s/^$1=//p" "$LAB_DIR/lab.conf" 2>/dev/null; }

# node index from "nodeI" or "I"; must be within the running lab
node_index() {
    local a=$1 i n
    case $a in
        node[0-9]*) i=${a#node} ;;
        [0-9]*) i=$a ;;
        *) die "bad node name: '$a' (expected node1..node$MAX_NODES)" ;;
    esac
    [[ $i =~ ^[0-9]+$ ]] && [ "$i" -ge 1 ] || die "bad node name: '$a'"
    n=$(lab_count) || die "the lab is not up (run: lab.sh up)"
    [ "$i" -le "$n" ] || die "no such node: $a (the lab has $n nodes)"
    echo $((10#$i))
}

# Is PID the init of node I started by this lab? (cmdline check, so a stale
# pid file never makes us signal a foreign process)
is_node_init() {
    local pid=$1 i=$2 cmd
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
    [[ $cmd == *"/node-init.sh $(node_name "$i") $(node_dir "$i") "* ]] || return 1
    grep -Eq '^NSpid:.*[[:space:]]1$' "/proc/$pid/status" 2>/dev/null
}

# host PID of node I's init, if it runs
init_pid() {
    local i=$1 f pid
    f=$(node_dir "$i")/init.pid
    [ -f "$f" ] || return 1
    pid=$(<"$f")
    is_node_init "$pid" "$i" || return 1
    echo "$pid"
}

# Close every inherited descriptor above stderr. Daemons started in a node (its init, sshd, corosync,
# pacemaker) live long: they must not keep a caller's lock (e.g. `flock FILE lab.sh up`) or pipe open.
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    return 0
}

# run argv inside node I's namespaces (raw: caller's environment kept)
in_node() {
    local i=$1 pid
    shift
    pid=$(init_pid "$i") || die "$(node_name "$i") is not running"
    nsenter -t "$pid" -m -u -i -n -p -w -- "$@"
}

# Does an SSH server answer with a banner on ADDR:22 within T seconds?
ssh_banner() {
    timeout "$2" bash -c '
        exec 3<>"/dev/tcp/$0/22" || exit 1
        IFS= read -r -t "$1" line <&3 || exit 1
        [[ $line == SSH-* ]]' "$1" "$2" 2>/dev/null
}

node_healthy() {
    local i=$1
    init_pid "$i" >/dev/null && ssh_banner "$(node_addr "$i")" 2
}

# ---------------------------------------------------------------- templates

# copy the directory tree under / (dirs and symlinks only, owners and modes kept)
copy_tree_skeleton() {
    local rel=$1 dest=$2
    [ -d "/$rel" ] || { mkdir -p "$dest/$rel"; return; }
    (cd / && find "$rel" \( -type d -o -type l \) -print0 |
        tar --null --no-recursion -T - -cf -) | tar -xpf - -C "$dest"
}

# A bare node filesystem, built once per `up` from the host (packages must be
# installed before the lab comes up: nodes copy the host's /etc).
build_template() {
    local t=$LAB_DIR/template/fs d
    mkdir -p "$t/var/lib"
    cp -a /etc "$t/etc"
    # bare: no cluster keys, no host ssh keys, nothing systemd-ish
    rm -f "$t"/etc/ssh/ssh_host_*
    for d in $LAB_BARE_REMOVE; do rm -f "${t:?}/$d"; done
    rm -rf "$t/etc/netns"
    printf '# HaTools lab: no DNS\n' >"$t/etc/resolv.conf"
    for d in $LAB_STATE_DIRS var/log; do
        copy_tree_skeleton "$d" "$t"
    done
    profile_hooks template "$t"
    install -d -m 0700 "$t/root" "$t/root/.ssh"
    for d in .bashrc .profile; do
        [ -f "/etc/skel/$d" ] && cp "/etc/skel/$d" "$t/root/$d"
    done
    install -d -m 1777 "$t/tmp"
    # fresh /run: what the daemons expect (no /run/systemd: HaTools detects
    # systemd by /run/systemd/system)
    install -d -m 0755 "$t/run" "$t/run/sshd" "$t/run/user" "$t/run/sendsigs.omit.d"
    install -d -m 1777 "$t/run/lock"
    install -d -m 1755 "$t/run/resource-agents"
    ln -s /dev/shm "$t/run/shm"
    install -m 0664 /dev/null "$t/run/utmp"
    getent group utmp >/dev/null && chgrp utmp "$t/run/utmp"
    if [ "$SHIM" = 1 ]; then
        install -d -m 0755 "$LAB_DIR/template/usr-local/upper/sbin"
        install -m 0755 "$SCRIPT_DIR/systemctl-shim.sh" "$LAB_DIR/template/usr-local/upper/sbin/systemctl"
    fi
}

# replace the contents of DST (a bind-mount root: keep the inode) with SRC's
replace_contents() { # SRC DST [NAME_TO_KEEP]
    local src=$1 dst=$2 keep=${3:-}
    mkdir -p "$dst"
    find "$dst" -mindepth 1 -maxdepth 1 ${keep:+! -name "$keep"} -exec rm -rf {} +
    cp -a "$src/." "$dst/"
    chown --reference="$src" "$dst"
    chmod --reference="$src" "$dst"
}

write_hosts() {
    local n=$1 j
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
    printf 'ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n\n# HaTools lab nodes\n'
    for ((j = 1; j <= n; j++)); do
        printf '%s\t%s\n' "$(node_addr "$j")" "$(node_name "$j")"
    done
}

write_sshd_config() {
    cat <<EOF
# HaTools lab node $(node_name "$1") (written by tests/lab/lab.sh)
ListenAddress $(node_addr "$1")
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PidFile /run/sshd.pid
MaxStartups 100:30:200
MaxSessions 100
AuthorizedKeysFile .ssh/authorized_keys
UseDNS no
PrintMotd no
X11Forwarding no
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
}

# (Re)fill node I's private filesystem from the template: used by up and reset.
populate_node_fs() {
    local i=$1 n=$2 t=$LAB_DIR/template/fs nd fs d
    nd=$(node_dir "$i"); fs=$nd/fs
    for d in etc $LAB_STATE_DIRS root tmp; do
        replace_contents "$t/$d" "$fs/$d"
    done
    replace_contents "$t/var/log" "$fs/var/log" sshd.log # sshd keeps it open
    # /run: keep sshd's own files, renew the rest
    mkdir -p "$fs/run"
    find "$fs/run" -mindepth 1 -maxdepth 1 ! -name sshd ! -name sshd.pid ! -name utmp -exec rm -rf {} +
    cp -an "$t/run/." "$fs/run/"
    # node identity
    echo "$(node_name "$i")" >"$fs/etc/hostname"
    write_hosts "$n" >"$fs/etc/hosts"
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$fs/etc/machine-id"; echo >>"$fs/etc/machine-id"
    write_sshd_config "$i" >"$fs/etc/ssh/sshd_config"
    install -m 0600 "$nd/keys/ssh_host_ed25519_key" "$fs/etc/ssh/ssh_host_ed25519_key"
    install -m 0644 "$nd/keys/ssh_host_ed25519_key.pub" "$fs/etc/ssh/ssh_host_ed25519_key.pub"
    install -m 0600 "$LAB_DIR/facts/id_ed25519.pub" "$fs/root/.ssh/authorized_keys"
    rm -f "$fs/root/disk0.img"
    truncate -s 64M "$fs/root/disk0.img"
}

# ---------------------------------------------------------------- facts

write_facts() {
    local dir=$1 n=$2 i key
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [ "$dir" != "$LAB_DIR/facts" ]; then
        install -m 0600 "$LAB_DIR/facts/id_ed25519" "$dir/id_ed25519"
        install -m 0644 "$LAB_DIR/facts/id_ed25519.pub" "$dir/id_ed25519.pub"
    fi
    : >"$dir/known_hosts.tmp"
    : >"$dir/ssh_config.tmp"
    {
        printf 'name: lab\nstack: pacemaker\nssh:\n  user: root\n  identity: id_ed25519\n  known_hosts: known_hosts\nnodes:\n'
        for ((i = 1; i <= n; i++)); do
            printf '  - name: %s\n    address: %s\n    data_iface: eth0\n' "$(node_name "$i")" "$(node_addr "$i")"
        done
    } >"$dir/nodes.yaml.tmp"
    for ((i = 1; i <= n; i++)); do
        key=$(awk '{ print $1, $2 }' "$(node_dir "$i")/keys/ssh_host_ed25519_key.pub")
        printf '%s %s\n%s %s\n' "$(node_name "$i")" "$key" "$(node_addr "$i")" "$key" >>"$dir/known_hosts.tmp"
        cat >>"$dir/ssh_config.tmp" <<EOF
Host $(node_name "$i") $(node_addr "$i")
    HostName $(node_addr "$i")
    User root
    Port 22
    IdentityFile $dir/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $dir/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 5

EOF
    done
    chmod 0644 "$dir/known_hosts.tmp" "$dir/ssh_config.tmp" "$dir/nodes.yaml.tmp"
    mv -f "$dir/known_hosts.tmp" "$dir/known_hosts"
    mv -f "$dir/ssh_config.tmp" "$dir/ssh_config"
    mv -f "$dir/nodes.yaml.tmp" "$dir/nodes.yaml"
}

facts_current() {
    local f
    for f in id_ed25519 id_ed25519.pub known_hosts nodes.yaml; do
        cmp -s "$LAB_DIR/facts/$f" "$FACTS_DIR/$f" || return 1
    done
    [ -f "$FACTS_DIR/ssh_config" ]
}

# ---------------------------------------------------------------- network

setup_bridge() {
    ip link add "$BRIDGE" type bridge forward_delay 0 stp_state 0
    echo 1 >"/proc/sys/net/ipv6/conf/$BRIDGE/disable_ipv6" 2>/dev/null || true
    ip addr add "$HOST_ADDR/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
}

setup_node_net() {
    local i=$1 ns veth
    ns=$(node_ns "$i"); veth=$(node_veth "$i")
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    echo 1 >"/proc/sys/net/ipv6/conf/$veth/disable_ipv6" 2>/dev/null || true
    ip link set "$veth" master "$BRIDGE" up
    ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6' 2>/dev/null || true
    ip -n "$ns" addr add "$(node_addr "$i")/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
}

# ---------------------------------------------------------------- nodes

start_node() {
    local i=$1 nd ns upid pid p deadline
    nd=$(node_dir "$i"); ns=$(node_ns "$i")
    ( close_inherited_fds
      exec setsid ip netns exec "$ns" \
        unshare --mount --uts --ipc --pid --fork --mount-proc --propagation private -- \
        "$NODE_INIT" "$(node_name "$i")" "$nd" </dev/null >>"$nd/init.log" 2>&1 ) &
    upid=$!
    echo "$upid" >"$nd/unshare.pid"
    # the init is unshare's child (PID 1 in the node)
    deadline=$((SECONDS + 10))
    pid=
    while [ -z "$pid" ]; do
        for p in $(cat "/proc/$upid/task/$upid/children" 2>/dev/null); do
            is_node_init "$p" "$i" && pid=$p && break
        done
        [ -n "$pid" ] && break
        alive "$upid" || die "$(node_name "$i") failed to start; see $nd/init.log: $(tail -n 3 "$nd/init.log")"
        [ $SECONDS -lt $deadline ] || die "$(node_name "$i"): init did not appear; see $nd/init.log"
        sleep 0.05
    done
    echo "$pid" >"$nd/init.pid"
}

alive() { # running and not a zombie (orphaned zombies wait for the host's init)
    local st
    st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

stop_pids() { # TERM, wait up to STOP_WAIT s, then KILL; args: pids
    local p alive t
    [ $# -gt 0 ] || return 0
    kill -TERM "$@" 2>/dev/null || true
    for ((t = 0; t < STOP_WAIT * 10; t++)); do
        alive=
        for p in "$@"; do alive "$p" && alive=1; done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
    warn "killing processes that ignored TERM: $*"
    kill -KILL "$@" 2>/dev/null || true
    sleep 0.2
}

# ---------------------------------------------------------------- commands

lab_healthy_for() { # N [shim]
    local n=$1 i
    [ "$(lab_count 2>/dev/null)" = "$n" ] || return 1
    [ "$(lab_conf_value SHIM)" = "$SHIM" ] || return 1
    [ "$(lab_conf_value PROFILES)" = "$LAB_PROFILES" ] || return 1
    [ "$(lab_conf_value PKGSTAMP)" = "$(pkg_stamp)" ] || return 1
    [ -f "$LAB_DIR/facts/id_ed25519" ] || return 1
    for ((i = 1; i <= n; i++)); do node_healthy "$i" || return 1; done
}

lab_leftovers() {
    [ -e "$LAB_DIR" ] && return 0
    ip link show "$BRIDGE" >/dev/null 2>&1 && return 0
    ip netns list 2>/dev/null | grep -Eq "^$NS_PREFIX[0-9]+( |$)" && return 0
    return 1
}

cmd_up() {
    local n=${1:-$DEFAULT_NODES} t0 i pending deadline
    [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le $MAX_NODES ] || die "N must be 1..$MAX_NODES (got '$n')"
    n=$((10#$n))
    need_root; need_tools; check_lab_dir
    [ -x "$NODE_INIT" ] || die "missing $NODE_INIT"
    case $SHIM in 0|1) ;; *) die "HATOOLS_LAB_SYSTEMCTL_SHIM must be 0 or 1" ;; esac
    t0=$(now)
    take_lock
    if lab_healthy_for "$n"; then
        facts_current || { msg "rewriting connection facts in $FACTS_DIR"; write_facts "$FACTS_DIR" "$n"; }
        msg "lab already up with $n nodes"
        cmd_status || true
        echo "lab up: $n nodes in $(elapsed "$t0") s (already up)"
        return 0
    fi
    if lab_leftovers; then
        msg "lab is partly up or has another shape: recreating it"
        do_down
    fi

    msg "creating $n nodes in $LAB_DIR"
    mkdir -p "$LAB_DIR"
    chmod 0755 "$LAB_DIR"
    echo "HaTools lab: removed by tests/lab/lab.sh down" >"$LAB_DIR/.hatools-lab"
    printf 'NODES=%d\nSHIM=%s\nREPO=%s\nPROFILES=%s\nPKGSTAMP=%s\n' "$n" "$SHIM" "$REPO_ROOT" "$LAB_PROFILES" "$(pkg_stamp)" \
        >"$LAB_DIR/lab.conf"
    install -d -m 0700 "$LAB_DIR/facts"
    ssh-keygen -q -t ed25519 -N '' -C hatools-lab-client -f "$LAB_DIR/facts/id_ed25519"
    build_template
    profile_hooks up "$LAB_DIR"

    setup_bridge
    for ((i = 1; i <= n; i++)); do
        (
            nd=$(node_dir "$i")
            install -d -m 0755 "$nd" "$nd/fs"
            install -d -m 0700 "$nd/keys"
            ssh-keygen -q -t ed25519 -N '' -C "root@$(node_name "$i")" -f "$nd/keys/ssh_host_ed25519_key"
            for d in etc $LAB_STATE_DIRS var/log root tmp run; do
                mkdir -p "$nd/fs/$d"
            done
            populate_node_fs "$i" "$n"
            if [ "$SHIM" = 1 ]; then
                mkdir -p "$nd/fs/usr-local/work"
                cp -a "$LAB_DIR/template/usr-local/upper" "$nd/fs/usr-local/upper"
            fi
        ) &
    done
    wait_all "preparing node filesystems"
    for ((i = 1; i <= n; i++)); do setup_node_net "$i"; done
    for ((i = 1; i <= n; i++)); do start_node "$i"; done

    write_facts "$LAB_DIR/facts" "$n"
    write_facts "$FACTS_DIR" "$n"

    deadline=$((SECONDS + SSH_WAIT))
    while :; do
        pending=()
        for ((i = 1; i <= n; i++)); do
            ssh_banner "$(node_addr "$i")" 1 || pending+=("$(node_name "$i")")
        done
        [ ${#pending[@]} = 0 ] && break
        [ $SECONDS -lt $deadline ] || die "sshd not answering after ${SSH_WAIT}s on: ${pending[*]} (see $LAB_DIR/nodeI/init.log and fs/var/log/sshd.log)"
        sleep 0.1
    done
    cmd_status || true
    echo "lab up: $n nodes in $(elapsed "$t0") s"
}

wait_all() { # wait for background jobs; fail if any failed
    local rc=0 p
    for p in $(jobs -p); do wait "$p" || rc=1; done
    [ $rc = 0 ] || die "$1 failed"
}

do_down() {
    local f i pids=() upids=() p ns veth m cmd
    # 1. nodes: TERM each init (from pid files), KILL after a bound
    for f in "$LAB_DIR"/node*/init.pid; do
        [ -f "$f" ] || continue
        i=${f%/init.pid}; i=${i##*/node}
        [[ $i =~ ^[0-9]+$ ]] || continue
        p=$(<"$f")
        if is_node_init "$p" "$i"; then pids+=("$p"); fi
        p=$(cat "${f%init.pid}unshare.pid" 2>/dev/null || true)
        if [[ $p =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF "/node-init.sh $(node_name "$i") $(node_dir "$i") "; then
            upids+=("$p")
        fi
    done
    # inits whose pid file is gone (crash, half state): found by their own
    # command line, which names this lab's dir
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
        [[ $cmd == *"/node-init.sh node"*" $LAB_DIR/node"* ]] || continue
        i=${cmd##*/node-init.sh node}; i=${i%% *}
        [[ $i =~ ^[0-9]+$ ]] || continue
        if is_node_init "$p" "$i"; then
            [[ " ${pids[*]} " == *" $p "* ]] || pids+=("$p")
        elif [[ $cmd == unshare\ * ]] && [[ $cmd == *"/node-init.sh $(node_name "$i") $(node_dir "$i") "* ]]; then
            [[ " ${upids[*]} " == *" $p "* ]] || upids+=("$p")
        fi
    done
    if [ ${#pids[@]} -gt 0 ]; then
        msg "stopping ${#pids[@]} node(s)"
        stop_pids "${pids[@]}"
    fi
    for p in "${upids[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do alive "$p" || break; sleep 0.1; done
        if alive "$p"; then kill -KILL "$p" 2>/dev/null || true; fi
    done
    # 2. namespaces, veths, bridge (only the lab's own names)
    for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "^$NS_PREFIX[0-9]+$" || true); do
        ip netns del "$ns" || warn "cannot delete netns $ns"
    done
    for veth in $(ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep -E "^$VETH_PREFIX[0-9]+$" || true); do
        ip link del "$veth" 2>/dev/null || true
    done
    if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; fi
    # 3. anything mounted under the lab dir in our mount namespace
    for m in $(awk -v d="$LAB_DIR" 'index($2, d "/") == 1 || $2 == d { print $2 }' /proc/self/mounts | sort -r); do
        umount -l "$m" 2>/dev/null || warn "cannot unmount $m"
    done
    # 4. host folders the profiles made (mount points), if still empty; then the lab dir
    if [ -f "$LAB_DIR/host-dirs" ]; then
        while IFS= read -r m; do
            case $m in /?*) rmdir "$m" 2>/dev/null || warn "host folder $m not removed (not empty?)" ;; esac
        done <"$LAB_DIR/host-dirs"
    fi
    if [ -d "$LAB_DIR" ]; then
        if [ -f "$LAB_DIR/.hatools-lab" ] || [ -z "$(ls -A "$LAB_DIR")" ]; then
            rm -rf --one-file-system "$LAB_DIR"
        else
            warn "$LAB_DIR does not look like a lab dir (no .hatools-lab): left alone"
        fi
    fi
}

cmd_down() {
    need_root; check_lab_dir
    take_lock
    do_down
    msg "lab is down"
}

node_procs() { # names of stack daemons running in node I
    local i=$1
    # shellcheck disable=SC2086 # the daemon names are words
    in_node "$i" /bin/sh -c 'for p; do pidof "$p" >/dev/null && printf "%s=yes " "$p" || printf "%s=no " "$p"; done' sh $LAB_STATUS_DAEMONS 2>/dev/null || true
}

cmd_status() {
    local n i pid ok=0 init ssh st
    need_root; check_lab_dir
    if ! n=$(lab_count); then
        echo "lab is down"
        if lab_leftovers; then echo "(leftovers found: run lab.sh down)"; fi
        return 1
    fi
    for ((i = 1; i <= n; i++)); do
        if pid=$(init_pid "$i"); then init="init=$pid"; else init="init=dead"; ok=1; fi
        if ssh_banner "$(node_addr "$i")" 2; then ssh="ssh=up"; else ssh="ssh=down"; ok=1; fi
        st=
        [ -n "$pid" ] && st=$(node_procs "$i")
        printf '%-7s %-12s %-12s %-8s %s\n' "$(node_name "$i")" "$(node_addr "$i")" "$init" "$ssh" "${st:-corosync=? pacemakerd=?}"
        pid=
    done
    return $ok
}

cmd_exec() {
    local i
    [ $# -ge 1 ] || die "usage: lab.sh exec NODE -- CMD..."
    need_root; check_lab_dir
    i=$(node_index "$1"); shift
    [ "${1:-}" = -- ] && shift
    [ $# -ge 1 ] || die "usage: lab.sh exec NODE -- CMD..."
    local pid
    pid=$(init_pid "$i") || die "$(node_name "$i") is not running"
    # clean login-like environment; bash's `exec --` keeps argv exactly
    close_inherited_fds
    exec nsenter -t "$pid" -m -u -i -n -p -w -- /usr/bin/env -i \
        PATH="$NODE_PATH" HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 \
        ${TERM:+TERM="$TERM"} /bin/bash -c 'exec -- "$@"' lab-exec "$@"
}

# script run inside a node: signal stack daemons. $1 = signal, rest = names
# shellcheck disable=SC2016
SIGNAL_PROCS='sig=$1; shift
pids=$(pidof "$@" || true)
[ -z "$pids" ] && exit 0
kill -s "$sig" $pids 2>/dev/null || true
[ "$sig" = KILL ] || exit 0
for t in $(seq 50); do pidof "$@" >/dev/null || exit 0; sleep 0.1; done
echo "still running: $(pidof "$@")" >&2; exit 1'

# script run inside a node: SIGSTOP/SIGCONT every sshd process
# shellcheck disable=SC2016
SIGNAL_SSHD='for pass in 1 2 3; do
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = sshd ] && kill -s "$1" "${d#/proc/}" 2>/dev/null
  done
  [ "$1" = CONT ] && break
  sleep 0.05
done; exit 0'

# script run inside a node at reset: volatile state
# shellcheck disable=SC2016
RESET_INSIDE='own=$1
find /dev/shm -mindepth 1 -delete 2>/dev/null || true
ip -4 -o addr show dev eth0 | awk "{ print \$4 }" | while read -r a; do
  [ "$a" = "$own" ] || ip addr del "$a" dev eth0
done
ip link set eth0 up'

reset_node() {
    local i=$1 n=$2 ns veth
    ns=$(node_ns "$i"); veth=$(node_veth "$i")
    if ! init_pid "$i" >/dev/null; then # crashed: bare files, then boot it
        populate_node_fs "$i" "$n"
        boot_node "$i"
        return
    fi
    in_node "$i" /bin/sh -c "$SIGNAL_SSHD" reset CONT
    # shellcheck disable=SC2086
    in_node "$i" /bin/sh -c "$SIGNAL_PROCS" reset KILL $STACK_PROCS
    ip link set "$veth" up
    in_node "$i" /bin/sh -c "$RESET_INSIDE" reset "$(node_addr "$i")/24"
    populate_node_fs "$i" "$n"
}

cmd_reset() {
    local target=${1:-} n i idx=()
    [ -n "$target" ] || die "usage: lab.sh reset NODE|all"
    need_root; check_lab_dir
    n=$(lab_count) || die "the lab is not up"
    take_lock
    if [ "$target" = all ]; then
        for ((i = 1; i <= n; i++)); do idx+=("$i"); done
    else
        idx=("$(node_index "$target")")
    fi
    for i in "${idx[@]}"; do reset_node "$i" "$n" & done
    wait_all "reset"
    if [ "$target" = all ]; then profile_hooks reset_all "$LAB_DIR"; fi
    msg "reset: ${#idx[@]} node(s) bare again"
}

cmd_signal_sshd() { # NODE STOP|CONT
    local i
    need_root; check_lab_dir
    i=$(node_index "$1")
    in_node "$i" /bin/sh -c "$SIGNAL_SSHD" signal "$2"
}

cmd_link() { # NODE up|down
    local i
    need_root; check_lab_dir
    i=$(node_index "$1")
    ip -n "$(node_ns "$i")" link set eth0 "$2"
    ip link set "$(node_veth "$i")" "$2"
}

cmd_kill_sshd() {
    local i
    need_root; check_lab_dir
    i=$(node_index "$1")
    in_node "$i" /bin/sh -c 'for d in /proc/[0-9]*; do [ "$(cat "$d/comm" 2>/dev/null)" = sshd ] && kill -KILL "${d#/proc/}" 2>/dev/null; done; exit 0'
}

cmd_kill_stack() {
    local i
    need_root; check_lab_dir
    i=$(node_index "$1")
    # shellcheck disable=SC2086
    in_node "$i" /bin/sh -c "$SIGNAL_PROCS" kill-stack KILL $STACK_PROCS
}

# Node I as a machine that lost power: the link goes first (nothing it still sends reaches the others), then every
# process of its network namespace dies at once (its init, so its PID and mount namespaces end too). A kill-stack
# leaves the other daemons (ctdbd, smbd, ganesha) running with their addresses: this does not.
crash_node() {
    local i=$1 ns pids p left t
    ns=$(node_ns "$i")
    ip -n "$ns" link set eth0 down
    ip link set "$(node_veth "$i")" down
    for ((t = 0; t < 50; t++)); do
        pids=$(ip netns pids "$ns")
        [ -z "$pids" ] && break
        # shellcheck disable=SC2086 # pids are words
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
    left=
    for p in $(ip netns pids "$ns"); do alive "$p" && left="$left $p"; done
    [ -z "$left" ] || die "$(node_name "$i"): still running after SIGKILL:$left"
    # a dead machine holds no addresses: only the node's own is configured again at boot
    ip -n "$ns" -4 -o addr show dev eth0 | awk '{ print $4 }' | while read -r a; do
        [ "$a" = "$(node_addr "$i")/24" ] || ip -n "$ns" addr del "$a" dev eth0
    done
    rm -f "$(node_dir "$i")/init.pid" "$(node_dir "$i")/unshare.pid"
}

# Starts crashed node I again: its files as they were, /run and /tmp as after a reboot, link up.
boot_node() {
    local i=$1 fs t=$LAB_DIR/template/fs deadline
    fs=$(node_dir "$i")/fs
    find "$fs/run" "$fs/tmp" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    cp -a "$t/run/." "$fs/run/"
    ip link set "$(node_veth "$i")" up
    ip -n "$(node_ns "$i")" link set eth0 up
    start_node "$i"
    deadline=$((SECONDS + SSH_WAIT))
    until ssh_banner "$(node_addr "$i")" 1; do
        [ $SECONDS -lt $deadline ] || die "$(node_name "$i"): sshd not answering after ${SSH_WAIT}s (see $(node_dir "$i")/init.log)"
        sleep 0.1
    done
}

cmd_crash() {
    local i t0
    need_root; check_lab_dir
    i=$(node_index "$1")
    t0=$(now)
    init_pid "$i" >/dev/null || die "$(node_name "$i") is not running"
    crash_node "$i"
    msg "crash: $(node_name "$i") killed in $(elapsed "$t0") s"
}

cmd_boot() {
    local i t0
    need_root; check_lab_dir
    i=$(node_index "$1")
    take_lock
    t0=$(now)
    init_pid "$i" >/dev/null && die "$(node_name "$i") is running (crash it first, or reset it)"
    boot_node "$i"
    msg "boot: $(node_name "$i") up in $(elapsed "$t0") s"
}

main() {
    local cmd=${1:-}
    [ $# -gt 0 ] && shift
    case $cmd in
        up)         [ $# -le 1 ] || die "usage: lab.sh up [N]"; cmd_up "$@" ;;
        down)       cmd_down ;;
        status)     cmd_status ;;
        exec)       cmd_exec "$@" ;;
        reset)      cmd_reset "$@" ;;
        freeze)     [ $# = 1 ] || die "usage: lab.sh freeze NODE"; cmd_signal_sshd "$1" STOP ;;
        thaw)       [ $# = 1 ] || die "usage: lab.sh thaw NODE"; cmd_signal_sshd "$1" CONT ;;
        link-down)  [ $# = 1 ] || die "usage: lab.sh link-down NODE"; cmd_link "$1" down ;;
        link-up)    [ $# = 1 ] || die "usage: lab.sh link-up NODE"; cmd_link "$1" up ;;
        kill-stack) [ $# = 1 ] || die "usage: lab.sh kill-stack NODE"; cmd_kill_stack "$1" ;;
        kill-sshd)  [ $# = 1 ] || die "usage: lab.sh kill-sshd NODE"; cmd_kill_sshd "$1" ;;
        crash)      [ $# = 1 ] || die "usage: lab.sh crash NODE"; cmd_crash "$1" ;;
        boot)       [ $# = 1 ] || die "usage: lab.sh boot NODE"; cmd_boot "$1" ;;
        -h|--help|help) usage ;;
        "") usage >&2; exit 2 ;;
        *) printf 'lab: unknown command: %s\n\n' "$cmd" >&2; usage >&2; exit 2 ;;
    esac
}

main "$@"
