using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>Everything pre-flight and bootstrap need to know about a node, gathered in one round trip.</summary>
public sealed class NodeFacts
{
    public string Node { get; set; } = "";
    public CommandResult? Raw { get; set; }
    public Dictionary<string, string> Values { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Local clock minus node clock, measured around the round trip.</summary>
    public TimeSpan ClockSkew { get; set; }

    public string Get(string key) => Values.TryGetValue(key, out var v) ? v : "";
    public bool Is(string key, string value) => Get(key) == value;
    public bool Reachable => Raw != null && Raw.Succeeded;
}

internal static class NodeProbe
{
    // $1 = data interface ('' when none). Prints key=value lines only.
    internal const string Script = @"iface=$1
echo ""hostname=$(uname -n)""
echo ""os=$(uname -s)""
for b in corosync pacemakerd crm_mon cibadmin crm_resource crm_attribute corosync-cfgtool; do
  p=$(command -v ""$b"" 2>/dev/null || true); echo ""bin.$b=$p""
done
echo ""version.corosync=$(corosync -v 2>/dev/null | head -n 1 | sed -n ""s/.*version '\([^']*\)'.*/\1/p"")""
echo ""version.pacemaker=$(pacemakerd --version 2>/dev/null | head -n 1 | awk '{print $2}')""
if [ -n ""$iface"" ]; then if ip link show dev ""$iface"" >/dev/null 2>&1 || ifconfig ""$iface"" >/dev/null 2>&1; then echo iface=yes; else echo iface=no; fi; fi
echo ""addrs=$( (ip -o addr show 2>/dev/null || true) | awk '{print $4}' | cut -d/ -f1 | tr '\n' ' ')""
if pidof corosync >/dev/null 2>&1; then echo corosync=running; else echo corosync=stopped; fi
if pidof pacemakerd >/dev/null 2>&1; then echo pacemaker=running; else echo pacemaker=stopped; fi
if [ -f /etc/corosync/authkey ]; then echo ""authkey=$(sha256sum /etc/corosync/authkey 2>/dev/null | cut -d' ' -f1)""; fi
if [ -f /var/lib/pacemaker/cib/cib.xml ]; then echo cib=present; fi
if [ -f /etc/corosync/corosync.conf ]; then echo ""cluster_name=$(sed -n 's/^[[:space:]]*cluster_name:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/corosync/corosync.conf | head -n 1)""; fi
if [ -d /run/systemd/system ]; then echo init=systemd; else echo init=other; fi
echo ""time=$(date +%s.%N)""
";

    public static async Task<NodeFacts> ProbeAsync(ICommandRunner runner, NodeTarget node, string? dataIface, CancellationToken ct)
    {
        var facts = new NodeFacts { Node = node.Name };
        var before = DateTime.UtcNow;
        var r = await runner.RunAsync(node, new CommandRequest(new[] { "sh", "-c", Script, "sh", dataIface ?? "" }, TimeSpan.FromSeconds(20)), ct).ConfigureAwait(false);
        var after = DateTime.UtcNow;
        facts.Raw = r;
        foreach (var line in r.StdOut.Split('\n'))
        {
            var i = line.IndexOf('=');
            if (i > 0) facts.Values[line.Substring(0, i).Trim()] = line.Substring(i + 1).Trim();
        }
        if (double.TryParse(facts.Get("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
        {
            var local = before + TimeSpan.FromTicks((after - before).Ticks / 2);
            var remote = DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000)).UtcDateTime;
            facts.ClockSkew = local - remote;
        }
        return facts;
    }

    /// <summary>Turn a node's facts into check results. <paramref name="expectRunning"/>: a cluster of this name
    /// may already run there (re-run of a bootstrap).</summary>
    public static IEnumerable<CheckResult> Checks(NodeFacts f, ClusterContext ctx, Spec.NodeSpec spec, bool force)
    {
        CheckResult C(string check, Severity sev, string msg) => new CheckResult { Check = check, Node = f.Node, Severity = sev, Message = msg };
        var r = f.Raw!;
        if (!r.Succeeded)
        {
            var hostKey = (r.Error ?? "").IndexOf("host key", StringComparison.Ordinal) >= 0;
            yield return C(hostKey ? "HostKey" : "Reachable", Severity.Error, r.Error ?? $"probe failed (exit {r.ExitCode}): {PacemakerStack.Tail(r.StdErr)}");
            yield break;
        }
        yield return C("Reachable", Severity.Info, $"ssh ok in {r.Duration.TotalMilliseconds:0} ms");
        yield return C("HostKey", Severity.Info, "host key known and matching");
        foreach (var b in new[] { "corosync", "pacemakerd", "crm_mon", "cibadmin", "crm_resource", "crm_attribute", "corosync-cfgtool" })
            if (f.Get("bin." + b).Length == 0) yield return C("Binaries", Severity.Error, $"{b} not found: install corosync and pacemaker");
        if (f.Get("bin.corosync").Length > 0 && f.Get("bin.pacemakerd").Length > 0)
            yield return C("Binaries", Severity.Info, $"corosync {f.Get("version.corosync")}, pacemaker {f.Get("version.pacemaker")}");
        var host = f.Get("hostname");
        if (host != spec.Name && !host.StartsWith(spec.Name + ".", StringComparison.Ordinal))
            yield return C("NodeName", Severity.Warning, $"the node calls itself '{Names.Printable(host)}', the cluster file '{spec.Name}' (corosync's nodelist name is used; keep them equal to avoid confusion)");
        else yield return C("NodeName", Severity.Info, $"hostname {host}");
        var addrs = f.Get("addrs").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (addrs.Length > 0 && System.Net.IPAddress.TryParse(spec.Address, out _) && !addrs.Contains(spec.Address))
            yield return C("Address", Severity.Error, $"{spec.Address} is not an address of this node (it has {string.Join(", ", addrs)}): the file names another machine");
        if (spec.DataIface != null)
            yield return f.Is("iface", "yes") ? C("DataIface", Severity.Info, $"{spec.DataIface} present") : C("DataIface", Severity.Error, $"interface {spec.DataIface} does not exist");
        var skew = Math.Abs(f.ClockSkew.TotalSeconds);
        yield return skew > 30 ? C("ClockSkew", Severity.Error, $"clock differs by {skew:0.0} s: fix NTP first")
            : skew > 2 ? C("ClockSkew", Severity.Warning, $"clock differs by {skew:0.0} s")
            : C("ClockSkew", Severity.Info, $"clock within {skew:0.00} s");
        var name = f.Get("cluster_name");
        var running = f.Is("corosync", "running") || f.Is("pacemaker", "running");
        var leftovers = f.Get("authkey").Length > 0 || f.Get("cib") == "present";
        if (running && name != ctx.Spec.Name)
            yield return C("ExistingCluster", force ? Severity.Warning : Severity.Error, $"a cluster{(name.Length > 0 ? $" '{name}'" : "")} is running here" + (force ? " (-Force)" : ": stop it or use -Force"));
        else if (running)
            yield return C("ExistingCluster", Severity.Info, $"cluster '{name}' already running (a re-run converges it)");
        else if (leftovers && name != ctx.Spec.Name)
            yield return C("ExistingCluster", force ? Severity.Warning : Severity.Error, "leftovers of another cluster (authkey or CIB)" + (force ? " (-Force)" : ": remove them or use -Force"));
        else
            yield return C("ExistingCluster", Severity.Info, "no other cluster here");
    }
}
