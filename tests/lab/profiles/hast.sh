# Lab profile of stack: hast (sourced by lab.sh and node-init.sh through profiles.sh; HATOOLS_LAB_PROFILES=hast).
# FreeBSD's hastd, carp and zpool cannot run in the lab: CARP is Debian's ucarp, and the hastctl/zpool stand-ins keep
# each node's role and pool state in the private folder below.

LAB_STATE_DIRS="$LAB_STATE_DIRS var/lib/hatools-hast"
LAB_STACK_PROCS="$LAB_STACK_PROCS ucarp"
LAB_STATUS_DAEMONS="$LAB_STATUS_DAEMONS ucarp"
