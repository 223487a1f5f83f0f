#!/bin/sh
# HaTools lab: systemctl stand-in for nodes without systemd (installed only with
# HATOOLS_LAB_SYSTEMCTL_SHIM=1). Maps units to /etc/init.d scripts so that pcs
# and crmsh can be benchmarked in the lab. HaTools itself must not need it.
verb=
units=
for a in "$@"; do
    case $a in
        -*) ;;                                   # --quiet, --now, --no-block, ...
        *) if [ -z "$verb" ]; then verb=$a; else units="$units ${a%.service}"; fi ;;
    esac
done
rc=0
case $verb in
    daemon-reload|reset-failed) exit 0 ;;
    enable|disable|mask|unmask) exit 0 ;;
    is-enabled) for u in $units; do echo enabled; done; exit 0 ;;
    list-unit-files)                             # pcs asks which services are installed
        echo "UNIT FILE STATE"
        for s in /etc/init.d/*; do [ -x "$s" ] && printf '%s.service enabled\n' "${s##*/}"; done
        exit 0 ;;
    "") echo "systemctl (HaTools lab shim): no command" >&2; exit 1 ;;
esac
[ -n "$units" ] || { echo "systemctl (HaTools lab shim): $verb needs a unit" >&2; exit 1; }
for u in $units; do
    script=/etc/init.d/$u
    if [ ! -x "$script" ]; then
        case $verb in
            is-active) echo inactive; rc=3; continue ;;
            status) echo "Unit $u.service could not be found." >&2; rc=4; continue ;;
            stop) continue ;;
            *) echo "Failed to $verb $u.service: Unit $u.service not found." >&2; rc=5; continue ;;
        esac
    fi
    case $verb in
        start|stop|restart|reload|force-reload|try-restart|status)
            "$script" "$verb" || rc=$? ;;
        reload-or-restart) "$script" restart || rc=$? ;;
        is-active)
            if "$script" status >/dev/null 2>&1; then echo active; else echo inactive; rc=3; fi ;;
        is-failed)
            echo inactive; rc=1 ;;
        *) echo "systemctl (HaTools lab shim): unsupported command: $verb" >&2; exit 1 ;;
    esac
done
exit $rc
