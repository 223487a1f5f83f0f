using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>The codes of the warnings a HAST status carries (decide on these, never on the text).</summary>
public static class HastNoticeCodes
{
    /// <summary>A resource is primary on both nodes: both write to it (split-brain).</summary>
    public const string PrimaryOnBoth = "HastPrimaryOnBoth";
    /// <summary>The pool is imported on both nodes.</summary>
    public const string PoolImportedTwice = "HastPoolImportedTwice";
    /// <summary>The pool is imported on a node that is not primary for every resource under it.</summary>
    public const string PoolNotOnPrimary = "HastPoolNotOnPrimary";
    /// <summary>The CARP address is held by a node that is not the primary (or by both nodes).</summary>
    public const string VipNotOnPrimary = "HastVipNotOnPrimary";
    /// <summary>A primary's peer is not connected (degraded) or data is not yet replicated (dirty &gt; 0).</summary>
    public const string NotReplicated = "HastNotReplicated";
    /// <summary>hastd does not run on a node, or answers an error for a resource.</summary>
    public const string HastdProblem = "HastdProblem";
    /// <summary>Automatic failover promotes on CARP MASTER when the peer cannot be seen: without fencing, a partition can
    /// make both nodes primary (the HAST counterpart of STONITH being off).</summary>
    public const string NoFencing = "HastNoFencing";
}

public sealed partial class HastStack
{
    /// <summary>Said by status and bootstrap whenever automatic failover is on, as Pacemaker's say it when STONITH is off.</summary>
    public const string NoFencingWarning =
        "automatic failover promotes the CARP master when its HAST peer cannot be seen; HAST and CARP have no fencing, so a network partition can make both nodes primary (split-brain, resolved only by discarding one node's data)";

    /// <summary>Both nodes read at once, each call bounded; a node that does not answer is in the result
    /// (<see cref="ClusterStatus.UnreachableNodes"/>, <see cref="HastNodeStatus.Reachable"/>), never an exception.</summary>
    public async Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var nodes = await ReadNodesAsync(context, null, cancellationToken).ConfigureAwait(false);
        return ToClusterStatus(context, nodes);
    }

    /// <summary>Get-HastStatus: one object per resource and node, in node order; a node that could not be read gives one
    /// object per declared resource with Role Unknown and the reason in <see cref="HastResourceStatus.Unreadable"/>.</summary>
    public static async Task<IReadOnlyList<HastResourceStatus>> ReadResourcesAsync(ClusterContext context, string? node, CancellationToken cancellationToken)
    {
        if (context.Stack is not HastStack)
            throw new StackCapabilityMissingException(context.Stack.Name, "HAST status", context.Spec.Name);
        var targets = node == null ? context.Nodes : new[] { context.Node(node) };
        var read = await Fanout.Fanout.RunAsync(targets, (n, c) => HastNodeReader.ReadAsync(context, n, null, null, null, c), Failed,
            new Fanout.FanoutOptions { ThrottleLimit = context.ThrottleLimit }, null, cancellationToken).ConfigureAwait(false);
        return read.SelectMany(n => Rows(context, n)).ToList();
    }

    private static IEnumerable<HastResourceStatus> Rows(ClusterContext ctx, HastNodeStatus n) =>
        n.Unreadable == null
            ? n.Resources
            : ctx.Spec.Section<HastSection>().Hast.Resources.Select(r => new HastResourceStatus { Resource = r.Name, Node = n.Node, Unreadable = n.Unreadable });

    internal static Task<IReadOnlyList<HastNodeStatus>> ReadNodesAsync(ClusterContext ctx, string? resource, CancellationToken ct)
    {
        var s = ctx.Spec.Section<HastSection>();
        var pool = s.Zfs.Pool.Length > 0 ? s.Zfs.Pool : null;
        (string, int)? carp = s.Carp.Interface.Length > 0 ? (s.Carp.Interface, s.Carp.Vhid) : null;
        return Fanout.Fanout.RunAsync(ctx.Nodes, (n, c) => HastNodeReader.ReadAsync(ctx, n, resource, pool, carp, c), Failed,
            new Fanout.FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, ct);
    }

    private static HastNodeStatus Failed(NodeTarget n, System.Exception e)
    {
        var s = new HastNodeStatus { Node = n.Name, Unreadable = $"'{n.Name}' could not be read: {e.Message}" };
        s.Problems.Add(s.Unreadable);
        return s;
    }

    /// <summary>The common status of a HAST pair: every node with whether it answered; as resources, each HAST resource's
    /// role per node (agent hast), the pool where it is imported (agent zfs) and the CARP address where it is master
    /// (agent carp); the per-node detail in <see cref="HastStatusDetails"/>; and the warnings that matter for HAST.</summary>
    internal static ClusterStatus ToClusterStatus(ClusterContext ctx, IReadOnlyList<HastNodeStatus> nodes)
    {
        var spec = ctx.Spec;
        var s = spec.Section<HastSection>();
        var details = new HastStatusDetails();
        details.Nodes.AddRange(nodes);
        var status = new ClusterStatus { Name = spec.Name, Stack = StackName, Details = details, QueriedNode = string.Join(",", nodes.Where(n => n.Reachable).Select(n => n.Node)) };
        foreach (var n in nodes)
        {
            status.Nodes.Add(new NodeStatus { Name = n.Node, Online = n.Reachable && n.HastdRunning == true, ResourceCount = n.Resources.Count(r => r.Role == HastRole.Primary) });
            if (!n.Reachable) status.UnreachableNodes.Add(n.Node);
            details.Resources.AddRange(Rows(ctx, n));
        }
        foreach (var r in s.Hast.Resources)
            foreach (var n in nodes)
            {
                var mine = n.Resource(r.Name);
                status.Resources.Add(new ResourceStatus
                {
                    Name = r.Name, Agent = "hast", Node = n.Node, Role = mine == null ? "Unknown" : mine.Role == HastRole.Unknown ? "Unknown" : mine.Role.ToString(),
                    Failed = mine?.Error != null,
                });
            }
        if (s.Zfs.Pool.Length > 0)
        {
            var on = nodes.Where(n => n.PoolImported == true).ToList();
            if (on.Count == 0) status.Resources.Add(new ResourceStatus { Name = s.Zfs.Pool, Agent = "zfs", Role = "Exported" });
            foreach (var n in on) status.Resources.Add(new ResourceStatus { Name = s.Zfs.Pool, Agent = "zfs", Role = "Imported", Node = n.Node, Failed = n.PoolHealth != "ONLINE" });
        }
        if (s.Carp.Interface.Length > 0)
        {
            var masters = nodes.Where(n => n.Carp?.State == CarpState.Master).ToList();
            if (masters.Count == 0) status.Resources.Add(new ResourceStatus { Name = s.Carp.Address, Agent = "carp", Role = "Backup" });
            foreach (var n in masters) status.Resources.Add(new ResourceStatus { Name = s.Carp.Address, Agent = "carp", Role = "Master", Node = n.Node });
        }
        Warn(ctx, status, nodes);
        return status;
    }

    private static void Warn(ClusterContext ctx, ClusterStatus status, IReadOnlyList<HastNodeStatus> nodes)
    {
        var s = ctx.Spec.Section<HastSection>();
        foreach (var n in nodes)
        {
            if (!n.Reachable) status.Warn(NoticeCodes.NodeDidNotAnswer, $"node '{n.Node}' did not answer: its HAST roles, pool and CARP state are unknown", n.Node);
            else if (n.Unreadable != null) status.Warn(HastNoticeCodes.HastdProblem, n.Unreadable, n.Node);
            foreach (var r in n.Resources.Where(r => r.Error != null))
                status.Warn(HastNoticeCodes.HastdProblem, $"hastd on '{n.Node}' answers error {r.Error} for resource {r.Resource}", n.Node);
            foreach (var r in n.Resources.Where(r => r.Role == HastRole.Primary && r.Error == null))
                if (r.Status != HastSyncStatus.Complete || r.Dirty > 0)
                    status.Warn(HastNoticeCodes.NotReplicated, r.Status != HastSyncStatus.Complete
                        ? $"resource {r.Resource} is primary on '{n.Node}' but its peer is not connected ({(r.Status == HastSyncStatus.Degraded ? "degraded" : "no status")}): writes are not replicated"
                        : $"resource {r.Resource} on '{n.Node}' has {r.Dirty} bytes not yet replicated (dirty): a failover now loses them", n.Node);
        }
        foreach (var r in s.Hast.Resources)
        {
            var primaries = nodes.Where(n => n.IsPrimary(r.Name)).Select(n => n.Node).ToList();
            if (primaries.Count > 1)
                status.Warn(HastNoticeCodes.PrimaryOnBoth, $"resource {r.Name} is primary on both {string.Join(" and ", primaries)}: split-brain; keep one node's data and re-create the other (hastctl role init, create, role secondary)");
        }
        var pool = s.Zfs.Pool;
        if (pool.Length > 0)
        {
            var on = nodes.Where(n => n.PoolImported == true).Select(n => n.Node).ToList();
            if (on.Count > 1) status.Warn(HastNoticeCodes.PoolImportedTwice, $"pool {pool} is imported on both {string.Join(" and ", on)}: it is being corrupted");
            var members = s.Zfs.Vdevs.SelectMany(v => v.Resources).ToList();
            foreach (var n in nodes.Where(n => n.PoolImported == true))
                if (members.FirstOrDefault(m => !n.IsPrimary(m)) is { } m)
                    status.Warn(HastNoticeCodes.PoolNotOnPrimary, $"pool {pool} is imported on '{n.Node}', which is not primary for {m}", n.Node);
        }
        if (s.Carp.Interface.Length > 0)
        {
            var masters = nodes.Where(n => n.Carp?.State == CarpState.Master).Select(n => n.Node).ToList();
            if (masters.Count > 1)
                status.Warn(HastNoticeCodes.VipNotOnPrimary, $"CARP address {s.Carp.Address} is master on both {string.Join(" and ", masters)}");
            foreach (var m in masters)
                if (s.Hast.Resources.FirstOrDefault(r => !nodes.First(n => n.Node == m).IsPrimary(r.Name)) is { } r)
                    status.Warn(HastNoticeCodes.VipNotOnPrimary, $"CARP address {s.Carp.Address} is held by '{m}', which is not primary for {r.Name}: clients reach a node without the data", m);
        }
        if (s.Failover.Automatic) status.Warn(HastNoticeCodes.NoFencing, NoFencingWarning);
    }
}
