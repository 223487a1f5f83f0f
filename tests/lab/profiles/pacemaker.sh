# Lab profile of stack: pacemaker (sourced by lab.sh and node-init.sh through profiles.sh).
# What a node needs for Pacemaker/Corosync beyond what every lab node has: private state folders, the files that
# make a node "not bare", the daemons `reset`/`kill-stack` kill and `status` shows, and template preparation.

LAB_STATE_DIRS="$LAB_STATE_DIRS var/lib/corosync var/lib/pacemaker var/lib/pcsd var/lib/heartbeat"
LAB_BARE_REMOVE="$LAB_BARE_REMOVE etc/corosync/authkey etc/pacemaker/authkey"
LAB_STACK_PROCS="$LAB_STACK_PROCS pacemakerd pacemaker-controld pacemaker-schedulerd pacemaker-execd \
pacemaker-attrd pacemaker-fenced pacemaker-based pacemaker-remoted \
corosync corosync-qdevice corosync-qnetd sbd pcsd"
LAB_STATUS_DAEMONS="$LAB_STATUS_DAEMONS corosync pacemakerd"

# $1: the template filesystem being built.
profile_template_pacemaker() {
    local t=$1
    # Debian ships /var/log/pacemaker 0770; pacemaker wants it setgid haclient
    if getent group haclient >/dev/null && getent passwd hacluster >/dev/null; then
        mkdir -p "$t/var/log/pacemaker"
        chown hacluster:haclient "$t/var/log/pacemaker"
        chmod 2770 "$t/var/log/pacemaker"
    fi
    mkdir -p "$t/var/log/corosync"
    # pristine copy kept for reference (Debian's default corosync.conf)
    if [ -f /etc/corosync/corosync.conf ]; then cp -a /etc/corosync/corosync.conf "$t/../corosync.conf.debian"; fi
}
