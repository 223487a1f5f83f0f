using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Pre-flight of a consul node: one round trip (<see cref="ConsulCommands.Probe"/>), then checks on its facts.</summary>
internal static class ConsulProbe
{
    public static async Task<NodeFacts> ProbeAsync(ICommandRunner runner, NodeTarget node, string? dataIface, CancellationToken ct)
    {
        var facts = new NodeFacts { Node = node.Name };
        var r = await runner.RunAsync(node, new CommandRequest(ConsulCommands.Probe(dataIface), TimeSpan.FromSeconds(20)), ct).ConfigureAwait(false);
        facts.Raw = r;
        foreach (var line in r.StdOut.Split('\n'))
        {
            var i = line.IndexOf('=');
            if (i > 0) facts.Values[line.Substring(0, i).Trim()] = line.Substring(i + 1).Trim();
        }
        return facts;
    }

    /// <summary>The user the agent's files belong to: <c>consul</c> where the packages made one, else root's (null).</summary>
    public static string? AgentUser(NodeFacts f) => f.Is("user.consul", "yes") ? "consul" : null;

    public static IEnumerable<CheckResult> Checks(NodeFacts f, ClusterSpec spec, NodeSpec node, bool force)
    {
        CheckResult C(string check, Severity sev, string msg) => new CheckResult { Check = check, Node = f.Node, Severity = sev, Message = msg };
        var r = f.Raw!;
        if (!r.Succeeded)
        {
            yield return C(r.Failure == FailureKind.HostKeyRefused ? "HostKey" : "Reachable", Severity.Error, r.Error ?? $"probe failed (exit {r.ExitCode}): {MessageText.Tail(r.StdErr)}");
            yield break;
        }
        yield return C("Reachable", Severity.Info, $"ssh ok in {r.Duration.TotalMilliseconds:0} ms");
        yield return f.Get("bin.consul").Length == 0
            ? C("Binaries", Severity.Error, "consul not found: install Consul (1.11 or later when ACLs are used)")
            : C("Binaries", Severity.Info, $"consul {f.Get("version.consul")}");
        if (f.Get("bin.curl").Length == 0) yield return C("Binaries", Severity.Error, "curl not found: HaTools speaks to the agent's HTTP API with it");
        if (!f.Is("unit.consul", "yes"))
            yield return C("Unit", Severity.Error, "no consul unit (systemd consul.service, or /etc/init.d/consul): install Consul's package, which ships one");
        if (node.DataIface != null)
            yield return f.Get("iface.ip").Length > 0 ? C("DataIface", Severity.Info, $"{node.DataIface} has {f.Get("iface.ip")}")
                : C("DataIface", Severity.Error, $"interface {node.DataIface} has no IPv4 address (or does not exist): Consul binds to it");
        var addrs = f.Get("addrs").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (addrs.Length > 0 && System.Net.IPAddress.TryParse(node.Address, out _) && !addrs.Contains(node.Address))
            yield return C("Address", Severity.Error, $"{node.Address} is not an address of this node (it has {string.Join(", ", addrs)}): the file names another machine");
        var owner = f.Get("config.cluster");
        var running = f.Is("agent", "running");
        if (running && owner != spec.Name)
            yield return C("ExistingCluster", force ? Severity.Warning : Severity.Error, (owner.Length == 0
                ? "a Consul agent that HaTools did not configure runs here"
                : $"the Consul agent here belongs to cluster '{Names.Printable(owner)}'") + (force ? " (-Force: it is reconfigured)" : ": stop it, or use -Force to reconfigure it"));
        else if (running)
            yield return C("ExistingCluster", Severity.Info, "agent of this cluster already running (a re-run converges it)");
        else if (owner.Length > 0 && owner != spec.Name)
            yield return C("ExistingCluster", force ? Severity.Warning : Severity.Error, $"HaTools' agent configuration of cluster '{Names.Printable(owner)}' is here" + (force ? " (-Force: replaced)" : ": remove it, or use -Force"));
        else
            yield return C("ExistingCluster", Severity.Info, "no other cluster here");
    }
}
