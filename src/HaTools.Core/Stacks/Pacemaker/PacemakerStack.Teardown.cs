using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Services;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

public sealed partial class PacemakerStack
{
    /// <summary>What a node holds of a cluster; teardown removes exactly this (and HaTools' backups of it).</summary>
    internal static readonly string[] ClusterState =
    {
        CorosyncConf, CorosyncConf + FilePusher.BackupSuffix, CorosyncConf + FilePusher.BackupSuffix + ".none",
        CorosyncAuthkey, CorosyncAuthkey + FilePusher.BackupSuffix, CorosyncAuthkey + FilePusher.BackupSuffix + ".none",
        "/etc/pacemaker/authkey",
    };

    internal static readonly string[] ClusterStateDirs = { "/var/lib/pacemaker/cib", "/var/lib/pacemaker/pengine", "/var/lib/corosync" };

    public async Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken)
    {
        var targets = nodes == null ? context.Nodes : nodes.Select(context.Node).ToList();
        var results = new List<PhaseResult>();
        // Asked before the lock: a "no" (or -WhatIf) leaves every node untouched, the lock directory included.
        if (!host.ShouldProcess(string.Join(",", targets.Select(t => t.Name)), "stop pacemaker (its resources move or stop), then corosync")) return results;
        await using var held = await ClusterLock.AcquireAsync(context, "stop cluster", host, cancellationToken).ConfigureAwait(false);
        results.AddRange(await StopStackAsync(context, targets, host, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>Pacemaker first on every node (resources stop cleanly, the VIP goes), then corosync.</summary>
    private static async Task<List<PhaseResult>> StopStackAsync(ClusterContext ctx, IReadOnlyList<NodeTarget> targets, IOperationHost host, CancellationToken ct)
    {
        var services = new ServiceControl(ctx.Runner);
        var results = new List<PhaseResult>();
        foreach (var (unit, daemon) in new[] { ("pacemaker", "pacemakerd"), ("corosync", "corosync") })
        {
            var sw = Stopwatch.StartNew();
            host.Progress(new ProgressInfo("Stop cluster", $"stopping {unit}", unit == "pacemaker" ? 10 : 60) { Id = 4 });
            var r = await Fanout.Fanout.RunAsync(targets, async (n, c) =>
                await services.StopAsync(n, unit, daemon, c).ConfigureAwait(false) ? $"{unit} stopped" : $"{unit} was not running",
                (n, e) => "FAILED: " + e.Message, new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, ct).ConfigureAwait(false);
            for (var i = 0; i < targets.Count; i++)
            {
                var failed = r[i].StartsWith("FAILED: ", StringComparison.Ordinal);
                results.Add(new PhaseResult
                {
                    Phase = "stop-" + unit, Node = targets[i].Name,
                    Status = failed ? PhaseStatus.Failed : r[i].EndsWith("not running", StringComparison.Ordinal) ? PhaseStatus.Unchanged : PhaseStatus.Changed,
                    Message = failed ? r[i].Substring(8) : r[i], Duration = sw.Elapsed,
                });
            }
        }
        host.Progress(new ProgressInfo("Stop cluster", "done", 100, completed: true) { Id = 4 });
        return results;
    }

    public async Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken)
    {
        var results = new List<PhaseResult>();
        var fs = FileServices.FileServicesModel.Of(context.Spec);
        if (!host.ShouldProcess(string.Join(",", context.Nodes.Select(n => n.Name)), $"tear down cluster '{context.Spec.Name}': stop pacemaker and corosync, " +
            (fs != null ? FileServices.FileServicesTeardown.Describe(fs) + ", " : "") + "delete corosync.conf, authkeys and the CIB"))
            return results;
        await using var held = await ClusterLock.AcquireAsync(context, "teardown", host, cancellationToken).ConfigureAwait(false);
        results.AddRange(await StopStackAsync(context, context.Nodes, host, cancellationToken).ConfigureAwait(false));
        var stopFailed = new HashSet<string>(results.Where(r => r.Status == PhaseStatus.Failed).Select(r => r.Node));
        // File services (Stacks/FileServices): with Pacemaker stopped, their leftovers and files go before the cluster's.
        if (fs != null)
            results.AddRange(await FileServices.FileServicesTeardown.RunAsync(context, fs, context.Nodes.Where(n => !stopFailed.Contains(n.Name)).ToList(), host, cancellationToken).ConfigureAwait(false));
        var argv = NodeCommands.RemoveClusterState(ClusterState, ClusterStateDirs);
        var sw = Stopwatch.StartNew();
        var removed = await Fanout.Fanout.RunCommandAsync(context.Runner, context.Nodes.Where(n => !stopFailed.Contains(n.Name)).ToList(),
            new CommandRequest(argv, TimeSpan.FromSeconds(30)), new FanoutOptions { ThrottleLimit = context.ThrottleLimit }, null, cancellationToken).ConfigureAwait(false);
        foreach (var r in removed)
            results.Add(new PhaseResult
            {
                Phase = "remove-config", Node = r.Node, Status = r.Succeeded ? PhaseStatus.Changed : PhaseStatus.Failed, Duration = sw.Elapsed,
                Message = r.Succeeded ? "corosync.conf, authkeys, CIB and corosync state removed" : r.Error ?? Tail(r.StdErr),
            });
        foreach (var n in stopFailed)
            results.Add(new PhaseResult { Phase = "remove-config", Node = n, Status = PhaseStatus.Skipped, Message = "not removed: the stack did not stop there" });
        return results;
    }
}
