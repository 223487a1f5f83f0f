using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>What one node of a HAST pair said: hastd's resources (hastctl list), whether the pool is imported there
/// (zpool list) and its CARP state (ifconfig). A part that could not be read is null with the reason in
/// <see cref="Problems"/>; a node that did not answer at all is <see cref="Reachable"/> false. Never an exception.</summary>
public sealed class HastNodeStatus
{
    public string Node { get; set; } = "";
    public bool Reachable { get; set; }
    /// <summary>True when hastctl got an answer from hastd, false when hastctl could not connect to it (hastd not
    /// running), null when not known (the node did not answer, or hastctl hung).</summary>
    public bool? HastdRunning { get; set; }
    /// <summary>hastd's resources on this node (empty when they could not be read: see <see cref="Unreadable"/>).</summary>
    public List<HastResourceStatus> Resources { get; } = new List<HastResourceStatus>();
    /// <summary>Why hastd's resources could not be read; null when they were.</summary>
    public string? Unreadable { get; set; }
    /// <summary>The pool of the zfs: section is imported here; null when not asked or not known.</summary>
    public bool? PoolImported { get; set; }
    public string? PoolHealth { get; set; }
    /// <summary>The vhid of the carp: section on its interface; null when not asked, not known or not configured there.</summary>
    public CarpStatus? Carp { get; set; }
    /// <summary>Everything that could not be read, for people.</summary>
    public List<string> Problems { get; } = new List<string>();

    /// <summary>The same node as <see cref="HastPromotionRule"/> reads it.</summary>
    public HastNodeReading ToReading() => Unreadable == null ? HastNodeReading.Read(Node, Resources) : HastNodeReading.Failed(Node, Unreadable);

    public HastResourceStatus? Resource(string name) => Resources.FirstOrDefault(r => r.Resource == name);

    public bool IsPrimary(string resource) => Resource(resource) is { Error: null, Role: HastRole.Primary };
}

/// <summary>Reads one node, every call bounded by <see cref="HastCommands.ReadTimeout"/>. Decides on exit codes and
/// failure kinds only; hastctl's and zpool's messages are kept for people.</summary>
internal static class HastNodeReader
{
    /// <param name="resource">One resource (hastctl list RES), or all when null.</param>
    /// <param name="pool">The pool to look for; null: not asked.</param>
    /// <param name="carp">The interface and vhid to read; null: not asked.</param>
    public static async Task<HastNodeStatus> ReadAsync(ClusterContext ctx, NodeTarget node, string? resource, string? pool, (string Iface, int Vhid)? carp, CancellationToken ct)
    {
        var s = new HastNodeStatus { Node = node.Name, Reachable = true };
        var r = await Run(ctx, node, HastCommands.List(resource), ct).ConfigureAwait(false);
        if (r.Unreachable)
        {
            s.Reachable = false;
            s.Unreadable = $"'{node.Name}' did not answer ({r.Error ?? r.Failure.ToString()})";
            s.Problems.Add(s.Unreadable);
            return s;
        }
        if (r.ExitCode == HastCommands.ExitUsage && !r.TimedOut)
            r = await Run(ctx, node, HastCommands.Status(resource), ct).ConfigureAwait(false); // FreeBSD 8/9: no list
        ReadHastctl(s, r, node.Name);
        if (pool != null) await ReadPoolAsync(ctx, node, pool, s, ct).ConfigureAwait(false);
        if (carp is { } c && s.Reachable) await ReadCarpAsync(ctx, node, c.Iface, c.Vhid, s, ct).ConfigureAwait(false);
        return s;
    }

    /// <summary>Only the CARP state (ifconfig IF), for waits on the master.</summary>
    public static async Task<HastNodeStatus> CarpOnlyAsync(ClusterContext ctx, NodeTarget node, string iface, int vhid, CancellationToken ct)
    {
        var s = new HastNodeStatus { Node = node.Name, Reachable = true };
        await ReadCarpAsync(ctx, node, iface, vhid, s, ct).ConfigureAwait(false);
        return s;
    }

    private static Task<CommandResult> Run(ClusterContext ctx, NodeTarget node, string[] argv, CancellationToken ct) =>
        ctx.Runner.RunAsync(node, HastCommands.Bounded(argv, HastCommands.ReadTimeout), ct);

    private static void ReadHastctl(HastNodeStatus s, CommandResult r, string node)
    {
        string? why = null;
        if (r.TimedOut) why = $"hastctl did not answer within {HastCommands.ReadTimeout.TotalSeconds:0} s on '{node}' (hastd hung?)";
        else if (r.Failure != FailureKind.None) why = $"hastctl on '{node}': {r.Error ?? r.Failure.ToString()}";
        else if (r.ExitCode == HastCommands.ExitHastdNotRunning)
        {
            s.HastdRunning = false;
            why = $"hastd is not running on '{node}' ({Tail(r.StdErr)})";
        }
        else if (r.StdOut.Trim().Length == 0) why = $"hastctl on '{node}' exited {r.ExitCode} with no status ({Tail(r.StdErr)})";
        else
        {
            // A non-zero exit with output is hastd's error number for a resource ("  error: N" in the output).
            try
            {
                s.Resources.AddRange(HastctlParser.Parse(r.StdOut, node, $"{node}: hastctl list"));
                s.HastdRunning = true;
            }
            catch (HastOutputException e) { why = e.Message; }
        }
        if (why == null) return;
        s.Unreadable = why;
        s.Problems.Add(why);
    }

    private static async Task ReadPoolAsync(ClusterContext ctx, NodeTarget node, string pool, HastNodeStatus s, CancellationToken ct)
    {
        var r = await Run(ctx, node, HastCommands.ZpoolList(pool), ct).ConfigureAwait(false);
        if (r.Unreachable) { s.Reachable = false; s.Problems.Add($"'{node.Name}' did not answer zpool list ({r.Error})"); return; }
        if (r.Succeeded)
        {
            var p = ZpoolParser.ParseList(r.StdOut).FirstOrDefault(x => x.Name == pool);
            s.PoolImported = p != null;
            s.PoolHealth = p?.Health;
        }
        else if (r.Failure == FailureKind.None && r.ExitCode == 1) s.PoolImported = false; // cannot open 'POOL': no such pool
        else s.Problems.Add($"zpool list on '{node.Name}': {(r.TimedOut ? "timed out" : r.Error ?? $"exit {r.ExitCode}: {Tail(r.StdErr)}")}");
    }

    private static async Task ReadCarpAsync(ClusterContext ctx, NodeTarget node, string iface, int vhid, HastNodeStatus s, CancellationToken ct)
    {
        var r = await Run(ctx, node, HastCommands.Ifconfig(iface), ct).ConfigureAwait(false);
        if (!r.Succeeded)
        {
            s.Problems.Add($"ifconfig {iface} on '{node.Name}': {(r.TimedOut ? "timed out" : r.Error ?? $"exit {r.ExitCode}: {Tail(r.StdErr)}")}");
            return;
        }
        s.Carp = CarpParser.Parse(r.StdOut).FirstOrDefault(c => c.Vhid == vhid && (c.Interface == iface || c.Interface.Length == 0));
        if (s.Carp == null) s.Problems.Add($"no CARP vhid {vhid} on {iface} of '{node.Name}'");
    }

    internal static string Tail(string stderr)
    {
        var t = stderr.Trim().Replace('\n', ' ');
        return t.Length == 0 ? "no message" : t.Length > 200 ? "…" + t.Substring(t.Length - 200) : Names.Printable(t);
    }
}
