# Lab profile of stack: fileservices (sourced by lab.sh and node-init.sh through profiles.sh;
# HATOOLS_LAB_PROFILES="pacemaker fileservices": it composes Pacemaker, so name both).
# CTDB, Samba and NFS-Ganesha on every node: their private state and caches (/etc, /run, /var/log are private to
# every node already), the daemons `reset`/`kill-stack`/`status` handle, and one host folder bind-mounted at the
# same path in every node as the cluster's shared filesystem (one kernel, so fcntl locks such as CTDB's cluster lock
# are coherent between the nodes).

# ganesha keeps its NFSv4 recovery data under /var/lib/nfs/ganesha; smbd its TDBs under /var/lib/samba and
# /var/cache/samba; ctdbd its databases under /var/lib/ctdb.
LAB_STATE_DIRS="$LAB_STATE_DIRS var/lib/ctdb var/lib/samba var/cache/samba var/lib/nfs"
# Files a bootstrap writes that Debian does not ship: a bare node has none of them (Debian's own ctdb.conf,
# ctdb.tunables, smb.conf and ganesha.conf stay, as on a fresh install).
LAB_BARE_REMOVE="$LAB_BARE_REMOVE etc/ctdb/nodes etc/ctdb/public_addresses etc/ctdb/ctdb.conf.ctdb-ra-orig \
etc/ctdb/script.options.ctdb-ra-orig"
# ctdbd's helpers are separate processes: one left alive keeps the cluster lock (lab-notes "File services").
LAB_STACK_PROCS="$LAB_STACK_PROCS ctdbd ctdb-eventd ctdb_recoverd ctdb_mutex_fcntl_helper ctdb_lock_helper \
smbd ganesha.nfsd"
LAB_STATUS_DAEMONS="$LAB_STATUS_DAEMONS ctdbd smbd ganesha.nfsd"

# The shared filesystem: HOST folder $LAB_DIR/shared, seen as LAB_SHARED_FS in every node.
LAB_SHARED_FS=/srv/hafs

# $1: the template filesystem being built.
profile_template_fileservices() {
    local t=$1
    # What systemd's RuntimeDirectory= (ctdb.service, nfs-ganesha.service) and samba's init make on a booted
    # Debian; the lab's fresh /run has no systemd to make them.
    install -d -m 0755 "$t/run/ctdb" "$t/run/samba" "$t/run/ganesha"
    install -d -m 0755 "$t/var/log/ctdb" "$t/var/log/samba" "$t/var/log/ganesha"
}

# Host side, at `up` (after the template): $1 = the lab dir.
profile_up_fileservices() {
    local lab=$1
    install -d -m 0755 "$lab/shared"
    # The mount point must exist in the host's tree (the nodes see the host's /srv); lab_host_dir records one it
    # makes, and `down` removes it again if empty.
    lab_host_dir "$LAB_SHARED_FS"
}

# Host side, at `reset all`: $1 = the lab dir. The shared filesystem is emptied, as after `up`.
profile_reset_all_fileservices() {
    local lab=$1
    [ -d "$lab/shared" ] || return 0
    find "$lab/shared" -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system {} +
}

# Inside a starting node (PID 1, before its private folders hide the lab dir): $1 = the node's dir.
profile_node_init_fileservices() {
    local src=${1%/*}/shared
    [ -d "$src" ] || { echo "missing shared folder $src" >&2; return 1; }
    mount --bind "$src" "$LAB_SHARED_FS"
}
