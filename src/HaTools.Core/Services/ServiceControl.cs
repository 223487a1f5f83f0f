using System;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Services;

/// <summary>
/// Starts and stops daemons on a node whatever its init system: systemd where it runs (detected as
/// /run/systemd/system, the sd_booted() test), else the SysV script in /etc/init.d, else service(8) (FreeBSD).
/// Whether a daemon runs is asked with pidof, which answers the same under every init system.
/// </summary>
public sealed class ServiceControl
{
    internal const string Script = @"set -u
unit=$1; action=$2; daemon=$3
running() { pidof ""$daemon"" >/dev/null 2>&1; }
case $action in
  is-running) if running; then echo RUNNING; else echo STOPPED; fi; exit 0 ;;
  start) if running; then echo ALREADY; exit 0; fi ;;
  stop) if ! running; then echo ALREADY; exit 0; fi ;;
esac
# Daemons started below must not inherit this session's stdout/stderr (ssh would wait for them to close).
err=$(mktemp); trap 'rm -f ""$err""' EXIT
fail() { cat ""$err"" >&2; exit ""$1""; }
# Nor its process group: the node-side timeout and the cancel watcher end this command's whole group, and an init
# script that backgrounds its daemon in place (Debian's pacemaker: pacemakerd &) would take the daemon down with a
# cancelled or timed-out start. setsid(1) (util-linux) gives the script a session of its own; FreeBSD has none,
# and its rc.d daemons detach themselves.
s=; command -v setsid >/dev/null 2>&1 && s=setsid
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl ""$action"" ""$unit"" </dev/null >/dev/null 2>""$err"" || fail $?
elif [ -x ""/etc/init.d/$unit"" ]; then $s ""/etc/init.d/$unit"" ""$action"" </dev/null >/dev/null 2>""$err"" || fail $?
elif command -v service >/dev/null 2>&1; then $s service ""$unit"" ""one$action"" </dev/null >/dev/null 2>""$err"" || fail $?
else echo ""no init system found to $action $unit"" >&2; exit 3; fi
case $action in
  start) i=0; until running; do i=$((i+1)); [ $i -gt 50 ] && { cat ""$err"" >&2; echo ""$daemon did not start (see its log)"" >&2; exit 4; }; sleep 0.2; done ;;
  stop) i=0; while running; do i=$((i+1)); [ $i -gt 300 ] && { echo ""$daemon did not stop"" >&2; exit 4; }; sleep 0.2; done ;;
esac
echo DONE
";

    private readonly ICommandRunner _runner;

    public ServiceControl(ICommandRunner runner) { _runner = runner; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Start a unit; returns true when it was started, false when it already ran.</summary>
    public async Task<bool> StartAsync(NodeTarget node, string unit, string daemon, CancellationToken ct) =>
        await RunAsync(node, unit, "start", daemon, ct).ConfigureAwait(false) == "DONE";

    /// <summary>Stop a unit; returns true when it was stopped, false when it was not running.</summary>
    public async Task<bool> StopAsync(NodeTarget node, string unit, string daemon, CancellationToken ct) =>
        await RunAsync(node, unit, "stop", daemon, ct).ConfigureAwait(false) == "DONE";

    public async Task<bool> IsRunningAsync(NodeTarget node, string daemon, CancellationToken ct) =>
        await RunAsync(node, daemon, "is-running", daemon, ct).ConfigureAwait(false) == "RUNNING";

    private async Task<string> RunAsync(NodeTarget node, string unit, string action, string daemon, CancellationToken ct)
    {
        Names.Require(unit, "service name");
        Names.Require(daemon, "daemon name");
        var argv = new[] { "sh", "-c", Script, "sh", unit, action, daemon };
        var r = await _runner.RunAsync(node, new CommandRequest(argv, Timeout), ct).ConfigureAwait(false);
        if (!r.Succeeded) throw new NodeCommandException(node.Name, $"{action} {unit}", r, $"{action} {unit}");
        var lines = r.StdOut.Trim().Split('\n');
        return lines[lines.Length - 1].Trim();
    }
}
