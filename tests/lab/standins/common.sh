# shellcheck shell=sh disable=SC2034
# Shared by the stand-ins (sourced): the state folder, its conf, the call log. Tests only; see README.md.
S=${HATOOLS_STANDIN_DIR:-/var/lib/hatools-hast}
[ -d "$S" ] || { echo "stand-in: no state folder $S" >&2; exit 70; }
conf() { sed -n "s/^$1 //p" "$S/conf" 2>/dev/null | head -n 1; }
now() { date +%s.%N; }
NODE=$(conf node)
DEVDIR=$(conf devdir)
LINK_TIMEOUT=2
log_call() { printf '%s %s %s -> %s\n' "$(now)" "$NODE" "$1" "$2" >>"$S/calls.log"; }
timeline() { printf '%s %s %s\n' "$(now)" "$NODE" "$*" >>"$S/timeline"; }
# A fault file fail/NAME holding "CODE MESSAGE": print the message, exit with the code.
fault() {
    [ -f "$S/fail/$1" ] || return 0
    read -r code msg <"$S/fail/$1"
    echo "$msg" >&2
    log_call "$CALL" "$code (fault $1)"
    exit "$code"
}
# The peer as its last heartbeat said, when fresh: "roles R=ROLE …" and "pool imported|exported".
peer_fresh() {
    [ -f "$S/peer" ] || return 1
    at=$(sed -n 's/^at //p' "$S/peer")
    [ -n "$at" ] && awk -v at="$at" -v now="$(now)" -v t="$LINK_TIMEOUT" 'BEGIN { exit !(now - at <= t) }'
}
peer_role() { sed -n 's/^roles //p' "$S/peer" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
role_of() { cat "$S/roles/$1" 2>/dev/null || echo init; }
