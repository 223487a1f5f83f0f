# Loads the lab profiles of the stacks a lab serves: HATOOLS_LAB_PROFILES (space-separated, default "pacemaker"),
# each tests/lab/profiles/NAME.sh. A profile appends to the lists below and may define hooks profile_KIND_NAME:
# template (the bare node filesystem being built: $1), up (host, the lab dir made: $1 = lab dir), node_init (in a
# starting node as its PID 1, before its private folders are mounted: $1 = node dir), reset_all (host, after
# `reset all`: $1 = lab dir).
# Sourced by lab.sh and node-init.sh so both see the same private folders.
LAB_STATE_DIRS=""
LAB_BARE_REMOVE=""
LAB_STACK_PROCS=""
LAB_STATUS_DAEMONS=""
LAB_PROFILES=${HATOOLS_LAB_PROFILES:-pacemaker}
for _p in $LAB_PROFILES; do
    case $_p in
        *[!a-z0-9-]* | '') echo "lab: bad profile name '$_p'" >&2; exit 2 ;;
    esac
    _f="$(dirname "${BASH_SOURCE[0]:-$0}")/profiles/$_p.sh"
    [ -f "$_f" ] || { echo "lab: no profile '$_p' ($_f)" >&2; exit 2; }
    # shellcheck source=/dev/null
    . "$_f"
done
unset _p _f

# Runs each loaded profile's hook KIND (profile_KIND_NAME) that exists, with the given arguments; stops at the
# first that fails.
profile_hooks() {
    local kind=$1 p f
    shift
    for p in $LAB_PROFILES; do
        f=profile_${kind}_${p//-/_}
        if declare -F "$f" >/dev/null; then "$f" "$@" || return 1; fi
    done
}
