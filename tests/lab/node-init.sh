#!/bin/bash
# PID 1 of one HaTools lab node. Started by tests/lab/lab.sh as:
#   ip netns exec hatools-nodeI unshare --mount --uts --ipc --pid --fork \
#       --mount-proc --propagation private -- node-init.sh NAME NODE_DIR
# It sets the hostname, bind-mounts the node's private directories from
# NODE_DIR/fs, mounts a fresh tmpfs on /dev/shm, runs the node's sshd and then
# waits (reaping orphans) until TERM/INT, when it stops everything in the node.
set -uo pipefail

NAME=${1:?usage: node-init.sh NAME NODE_DIR}
NODE_DIR=${2:?usage: node-init.sh NAME NODE_DIR}
FS=$NODE_DIR/fs
# The stacks' private folders (tests/lab/profiles/*.sh), the same list lab.sh filled them from.
# shellcheck source=profiles.sh
. "$(dirname "$0")/profiles.sh"

log() { printf '%s %s[init]: %s\n' "$(date +%T.%3N)" "$NAME" "$*"; }
die() { log "FATAL: $*"; exit 1; }

[ "$$" = 1 ] || die "must run as PID 1 of a new PID namespace (pid is $$)"

hostname "$NAME" || die "cannot set hostname"

# Optional systemctl stand-in (HATOOLS_LAB_SYSTEMCTL_SHIM=1 at lab up).
# Before the private /tmp hides the lab dir.
if [ -x "$FS/usr-local/upper/sbin/systemctl" ]; then
    mount -t overlay overlay \
        -o "lowerdir=/usr/local,upperdir=$FS/usr-local/upper,workdir=$FS/usr-local/work" \
        /usr/local || die "overlay on /usr/local failed"
    for f in /usr/bin/systemctl /bin/systemctl; do
        # /bin may be a symlink to usr/bin: bind once per real file.
        if [ -f "$f" ] && [ ! "$f" -ef /usr/local/sbin/systemctl ]; then
            mount --bind /usr/local/sbin/systemctl "$f" || die "bind over $f failed"
        fi
    done
fi

# The profiles' own mounts (a shared filesystem from the lab dir), before the private /tmp hides the lab dir.
profile_hooks node_init "$NODE_DIR" || die "a profile's node_init failed"

# Private directories (order matters: /var/log before anything logs there).
for d in etc $LAB_STATE_DIRS var/log root run tmp; do
    [ -d "$FS/$d" ] || die "missing $FS/$d"
    [ -d "/$d" ] || die "mount point /$d missing on the host"
    mount --bind "$FS/$d" "/$d" || die "bind mount of /$d failed"
done
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm || die "tmpfs on /dev/shm failed"

cd /
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
unset HATOOLS_LAB_DIR HATOOLS_LAB_SYSTEMCTL_SHIM

SSHD_PID=
start_sshd() {
    /usr/sbin/sshd -D -E /var/log/sshd.log -f /etc/ssh/sshd_config </dev/null &
    SSHD_PID=$!
    log "sshd started (pid $SSHD_PID)"
}

STOP=
trap 'STOP=1' TERM INT
trap '' HUP

start_sshd
log "node up"

# Main loop: bash reaps every exited child (orphans are re-parented to us)
# whenever SIGCHLD interrupts `wait`. Restart sshd if it died.
while [ -z "$STOP" ]; do
    sleep 2 </dev/null &
    wait $! 2>/dev/null
    [ -n "$STOP" ] && break
    if [ -n "$SSHD_PID" ] && ! kill -0 "$SSHD_PID" 2>/dev/null; then
        wait "$SSHD_PID" 2>/dev/null
        log "sshd exited; restarting"
        start_sshd
    fi
done

log "stopping node"
kill -TERM -1 2>/dev/null
for _ in $(seq 30); do
    others=0
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [ "$p" = 1 ] || [ "$p" = "$BASHPID" ] && continue
        [ -e "/proc/$p/status" ] || continue
        # zombies will be reaped by wait below
        grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && continue
        others=1; break
    done
    [ "$others" = 0 ] && break
    sleep 0.1
done
kill -KILL -1 2>/dev/null
log "node stopped"
exit 0
