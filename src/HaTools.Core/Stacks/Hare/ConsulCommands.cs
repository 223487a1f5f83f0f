using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>
/// argv for what a consul cluster's bootstrap, stop and teardown run on a node besides the API calls: the pre-flight
/// probe, the data folder, and the services of the file (a systemd unit, else its /etc/init.d script; or a command of
/// the file, detached with a pid file). Pure: names and units are checked before an argv exists, each value is its own
/// argv element, and the scripts print one status word on their last line.
/// </summary>
public static class ConsulCommands
{
    /// <summary>Where a service started by a command keeps its pid (one file per service id).</summary>
    public const string PidDir = "/run/hatools-consul";

    private static readonly Regex UnitName = new Regex(@"\A[A-Za-z0-9_.:@\\][A-Za-z0-9_.:@\\-]{0,254}\z", RegexOptions.CultureInvariant);

    // $1 = data interface ('' when none), $2 = HaTools' agent file. key=value lines only.
    internal const string ProbeScript = @"iface=$1; conf=$2
echo ""hostname=$(uname -n)""
p=$(command -v consul 2>/dev/null || true); echo ""bin.consul=$p""
if [ -n ""$p"" ]; then echo ""version.consul=$(consul version 2>/dev/null | head -n 1 | awk '{print $2}')""; fi
echo ""bin.curl=$(command -v curl 2>/dev/null || true)""
if [ -n ""$iface"" ]; then echo ""iface.ip=$( (ip -o -4 addr show dev ""$iface"" 2>/dev/null || true) | awk '{print $4}' | cut -d/ -f1 | head -n 1)""; fi
echo ""addrs=$( (ip -o addr show 2>/dev/null || true) | awk '{print $4}' | cut -d/ -f1 | tr '\n' ' ')""
if pidof consul >/dev/null 2>&1; then echo agent=running; else echo agent=stopped; fi
if [ -f ""$conf"" ]; then echo ""config.cluster=$(sed -n 's/.*""hatools-cluster"": *""\([^""]*\)"".*/\1/p' ""$conf"" | head -n 1)""; fi
if id -u consul >/dev/null 2>&1; then echo user.consul=yes; else echo user.consul=no; fi
if [ -d /run/systemd/system ]; then echo init=systemd; if systemctl cat consul.service >/dev/null 2>&1; then echo unit.consul=yes; fi
elif [ -x /etc/init.d/consul ]; then echo init=other; echo unit.consul=yes; else echo init=other; fi
";

    // $1 action (state|start|stop|mkfs), $2 service id, $3 unit ('' for a command), then -- and the command's argv.
    internal const string ServiceScript = @"set -u
action=$1; id=$2; unit=$3; shift 3; [ ""${1:-}"" = -- ] && shift
pidf=/run/hatools-consul/$id.pid
sd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }
state() {
  if [ -n ""$unit"" ]; then
    if sd; then case $(systemctl is-active ""$unit"" 2>/dev/null) in active|deactivating|reloading) echo ACTIVE ;; failed) echo FAILED ;; *) echo INACTIVE ;; esac
    elif [ -x ""/etc/init.d/$unit"" ]; then ""/etc/init.d/$unit"" status >/dev/null 2>&1; case $? in 0) echo ACTIVE ;; 3) echo INACTIVE ;; *) echo FAILED ;; esac
    else echo NOUNIT; fi
  elif [ -f ""$pidf"" ] && kill -0 ""$(cat ""$pidf"")"" 2>/dev/null; then echo ACTIVE
  else echo INACTIVE; fi
}
err=$(mktemp); trap 'rm -f ""$err""' EXIT
unit_do() {
  if sd; then systemctl ""$1"" ""$unit"" </dev/null >/dev/null 2>""$err""; else ""/etc/init.d/$unit"" ""$1"" </dev/null >/dev/null 2>""$err""; fi \
    || { cat ""$err"" >&2; exit 4; }
}
s=$(state)
case $action in
  state) echo ""$s"" ;;
  start)
    [ ""$s"" = ACTIVE ] && { echo ALREADY; exit 0; }
    [ ""$s"" = NOUNIT ] && { echo ""no unit $unit on this node (neither systemd nor /etc/init.d knows it)"" >&2; exit 3; }
    if [ -n ""$unit"" ]; then unit_do start
    else
      mkdir -p /run/hatools-consul
      # Its own session: it must outlive this ssh session and its process group.
      if command -v setsid >/dev/null 2>&1; then setsid ""$@"" </dev/null >/dev/null 2>&1 & else ""$@"" </dev/null >/dev/null 2>&1 & fi
      echo $! > ""$pidf""
    fi
    echo DONE ;;
  stop)
    [ ""$s"" = ACTIVE ] || { echo ALREADY; exit 0; }
    if [ -n ""$unit"" ]; then unit_do stop
    else
      pid=$(cat ""$pidf""); kill ""$pid"" 2>/dev/null || true; i=0
      while kill -0 ""$pid"" 2>/dev/null; do i=$((i+1)); [ $i -gt 150 ] && { kill -9 ""$pid"" 2>/dev/null || true; break; }; sleep 0.2; done
      rm -f ""$pidf""
    fi
    echo DONE ;;
  mkfs)
    if [ -n ""$unit"" ]; then [ ""$s"" = NOUNIT ] && { echo ""no unit $unit on this node"" >&2; exit 3; }; unit_do start
    else ""$@"" </dev/null >/dev/null 2>""$err"" || { cat ""$err"" >&2; exit 4; }; fi
    echo DONE ;;
  *) echo ""unknown action $action"" >&2; exit 2 ;;
esac
";

    /// <summary>The pre-flight probe: binaries, data interface address, agent, HaTools' configuration, init system.</summary>
    public static string[] Probe(string? dataIface) =>
        new[] { "sh", "-c", ProbeScript, "sh", dataIface == null ? "" : Names.Require(dataIface, "interface name"), ConsulAgentConfig.AgentFile };

    /// <summary>The agent's data folder, made when missing (owned by the agent's user when it is not root).</summary>
    public static string[] PrepareDataDir(string? owner)
    {
        var argv = new List<string> { "install", "-d", "-m", "0750" };
        if (owner != null) argv.AddRange(new[] { "-o", Names.Require(owner, "user name"), "-g", owner });
        argv.Add(ConsulAgentConfig.DataDir);
        return argv.ToArray();
    }

    /// <summary>ACTIVE, INACTIVE, FAILED or NOUNIT.</summary>
    public static string[] State(ConsulService svc, string? unit) => Service("state", svc, unit, svc.Command);

    /// <summary>DONE, or ALREADY when it runs.</summary>
    public static string[] Start(ConsulService svc, string? unit) => Service("start", svc, unit, svc.Command);

    /// <summary>DONE, or ALREADY when it does not run.</summary>
    public static string[] Stop(ConsulService svc, string? unit) => Service("stop", svc, unit, svc.Command);

    /// <summary>Runs the service's mkfs step (its unit, a oneshot systemctl waits for, or its command) to the end.</summary>
    public static string[] Mkfs(ConsulService svc, string? mkfsUnit)
    {
        if (mkfsUnit == null && svc.MkfsCommand == null) throw new ArgumentException($"service {svc.Id} has no mkfs step", nameof(svc));
        return Service("mkfs", svc, mkfsUnit, mkfsUnit == null ? svc.MkfsCommand : null);
    }

    private static string[] Service(string action, ConsulService svc, string? unit, IReadOnlyList<string>? command)
    {
        Names.Require(svc.Id, "service id");
        if (unit != null && !UnitName.IsMatch(unit)) throw new HaException($"invalid unit name '{Names.Printable(unit)}'") { Target = svc.Id };
        if (unit == null && (command == null || command.Count == 0)) throw new HaException($"service {svc.Id} has neither a unit nor a command") { Target = svc.Id };
        var argv = new List<string> { "sh", "-c", ServiceScript, "sh", action, svc.Id, unit ?? "" };
        if (unit == null)
        {
            if (!command![0].StartsWith("/", StringComparison.Ordinal) || command.Any(a => a.Any(char.IsControl)))
                throw new HaException($"service {svc.Id}: the command must start with an absolute path and hold no control characters") { Target = svc.Id };
            argv.Add("--");
            argv.AddRange(command);
        }
        return argv.ToArray();
    }
}
