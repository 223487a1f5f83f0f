# Lab profile of stack: consul (sourced by lab.sh and node-init.sh through profiles.sh).
# Hare's private state on a node (its config, the Consul data dirs under it) and the daemons it runs. No lab test
# uses it yet: Consul and Motr cannot be installed in this lab (issue 13).

LAB_STATE_DIRS="$LAB_STATE_DIRS var/lib/hare var/lib/consul"
LAB_STACK_PROCS="$LAB_STACK_PROCS consul hax"
LAB_STATUS_DAEMONS="$LAB_STATUS_DAEMONS consul"
