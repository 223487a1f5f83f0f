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
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

public sealed partial class ConsulStack
{
    /// <summary>
    /// Hare's shutdown (H20 hare-shutdown, in its fixed order s3server → ios → confd → hax → consul): the services in
    /// reverse phase order (within a phase, the reverse of file order), each phase on all its nodes at once; then the RC
    /// leader's lock is released and its session destroyed, so the next bootstrap elects again (Hare H24 writes
    /// <c>leader=elect2805</c> for the same reason); then the agents, clients before servers. Every step is bounded
    /// and a node that does not answer is a Failed row, not the end of the stop.
    /// </summary>
    public async Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken)
    {
        var targets = nodes == null ? context.Nodes : nodes.Select(context.Node).ToList();
        var results = new List<PhaseResult>();
        // Asked before the lock: a "no" (or -WhatIf) leaves every node untouched, the lock directory included.
        if (!host.ShouldProcess(string.Join(",", targets.Select(t => t.Name)), "stop the services in reverse phase order, release the RC leader, then stop the Consul agents")) return results;
        await using var held = await ClusterLock.AcquireAsync(context, "stop cluster", host, cancellationToken).ConfigureAwait(false);
        results.AddRange(await StopStackAsync(context, targets, host, cancellationToken).ConfigureAwait(false));
        return results;
    }

    private static async Task<List<PhaseResult>> StopStackAsync(ClusterContext ctx, IReadOnlyList<NodeTarget> targets, IOperationHost host, CancellationToken ct)
    {
        var names = new HashSet<string>(targets.Select(t => t.Name), StringComparer.Ordinal);
        var api = ConsulClient.For(ctx);
        var control = new ConsulServices(ctx, api);
        var results = new List<PhaseResult>();
        var all = ctx.Spec.Section<ConsulSection>().Services.Where(s => !s.External && names.Contains(s.Node)).ToList();
        var phases = all.Select(s => s.Phase).Distinct().OrderByDescending(p => p).ToList();
        var step = 0;
        void Progress(string what) => host.Progress(new ProgressInfo("Stop cluster", what, 100 * step++ / (phases.Count + 3)) { Id = 4 });
        foreach (var p in phases)
        {
            Progress($"stopping phase {p}");
            var mine = all.Where(s => s.Phase == p).Reverse().ToList();
            results.AddRange(await control.StopAsync(mine, "stop-" + ConsulPhases.ServicePhase(p), ct).ConfigureAwait(false));
        }
        Progress("releasing the RC leader");
        results.Add(await ReleaseLeaderAsync(ctx, api, names, ct).ConfigureAwait(false));
        var services = new ServiceControl(ctx.Runner);
        var section = ctx.Spec.Section<ConsulSection>();
        foreach (var servers in new[] { false, true })
        {
            Progress(servers ? "stopping the server agents" : "stopping the client agents");
            var group = targets.Where(t => section.IsServer(t.Name) == servers).ToList();
            if (group.Count == 0) continue;
            var sw = Stopwatch.StartNew();
            var r = await Fanout.Fanout.RunAsync(group, async (n, c) =>
                await services.StopAsync(n, "consul", "consul", c).ConfigureAwait(false) ? (PhaseStatus.Changed, "consul agent stopped") : (PhaseStatus.Unchanged, "consul agent was not running"),
                (n, e) => (PhaseStatus.Failed, e.Message), new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, ct).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
                results.Add(new PhaseResult { Phase = "stop-consul", Node = group[i].Name, Status = r[i].Item1, Message = r[i].Item2, Duration = sw.Elapsed });
        }
        host.Progress(new ProgressInfo("Stop cluster", "done", 100, completed: true) { Id = 4 });
        return results;
    }

    private static async Task<PhaseResult> ReleaseLeaderAsync(ClusterContext ctx, ConsulClient api, HashSet<string> stopping, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var row = new PhaseResult { Phase = "release-leader", Node = "*" };
        try
        {
            var rc = new RcLeader(ctx, api);
            var now = await rc.ReadAsync(ct).ConfigureAwait(false);
            if (!now.Elected) { row.Status = PhaseStatus.Unchanged; row.Message = "no RC leader held the 'leader' key"; }
            else if (!stopping.Contains(now.Node ?? "")) { row.Status = PhaseStatus.Skipped; row.Message = $"the RC leader {now.Node} keeps running"; row.Node = now.Node!; }
            else
            {
                await rc.ReleaseAsync(ct).ConfigureAwait(false);
                row.Status = PhaseStatus.Changed;
                row.Node = now.Node!;
                row.Message = $"RC leader {now.Node} released (session {now.Session} destroyed): the next bootstrap elects again";
            }
        }
        catch (HaException e)
        {
            // Without a Raft leader nothing can be released; Consul frees the lock by itself when the agents stop
            // (serfHealth of the leader's node turns critical and invalidates the session).
            row.Status = PhaseStatus.Warning;
            row.Message = "could not release the RC leader: " + e.Message;
        }
        row.Duration = sw.Elapsed;
        return row;
    }

    /// <summary>What a node holds of a consul cluster; teardown removes exactly this (and HaTools' backups of it).</summary>
    internal static readonly string[] ClusterState = new[] { ConsulAgentConfig.AgentFile, ConsulAgentConfig.ServicesFile, ConsulAgentConfig.SecretsFile }
        .SelectMany(f => new[] { f, f + FilePusher.BackupSuffix, f + FilePusher.BackupSuffix + ".none" }).ToArray();

    internal static readonly string[] ClusterStateDirs = { ConsulAgentConfig.DataDir, ConsulCommands.PidDir };

    /// <summary>Stop (as <see cref="StopClusterAsync"/>), then remove HaTools' agent configuration and the agents' data
    /// (Raft log, KV, catalog) from every node whose agent stopped: bare nodes, as before the first bootstrap.</summary>
    public async Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken)
    {
        var results = new List<PhaseResult>();
        if (!host.ShouldProcess(string.Join(",", context.Nodes.Select(n => n.Name)),
                $"tear down cluster '{context.Spec.Name}': stop its services and Consul agents, delete HaTools' agent configuration and the agents' data ({ConsulAgentConfig.DataDir}: KV, Raft log, catalog)"))
            return results;
        await using var held = await ClusterLock.AcquireAsync(context, "teardown", host, cancellationToken).ConfigureAwait(false);
        results.AddRange(await StopStackAsync(context, context.Nodes, host, cancellationToken).ConfigureAwait(false));
        var stopFailed = new HashSet<string>(results.Where(r => r.Phase == "stop-consul" && r.Status == PhaseStatus.Failed).Select(r => r.Node));
        var sw = Stopwatch.StartNew();
        var removed = await Fanout.Fanout.RunCommandAsync(context.Runner, context.Nodes.Where(n => !stopFailed.Contains(n.Name)).ToList(),
            new CommandRequest(NodeCommands.RemoveClusterState(ClusterState, ClusterStateDirs), TimeSpan.FromSeconds(30)),
            new FanoutOptions { ThrottleLimit = context.ThrottleLimit }, null, cancellationToken).ConfigureAwait(false);
        foreach (var r in removed)
            results.Add(new PhaseResult
            {
                Phase = "remove-config", Node = r.Node, Status = r.Succeeded ? PhaseStatus.Changed : PhaseStatus.Failed, Duration = sw.Elapsed,
                Message = r.Succeeded ? $"HaTools' agent configuration and {ConsulAgentConfig.DataDir} removed" : r.Error ?? MessageText.Tail(r.StdErr),
            });
        foreach (var n in stopFailed)
            results.Add(new PhaseResult { Phase = "remove-config", Node = n, Status = PhaseStatus.Skipped, Message = "not removed: the agent did not stop there" });
        return results;
    }

    /// <summary>Who holds Hare's RC leader lock now (<c>consul kv get -detailed leader</c> and its session, as objects).</summary>
    public Task<RcLeaderInfo> GetRcLeaderAsync(ClusterContext context, CancellationToken cancellationToken) =>
        new RcLeader(context, ConsulClient.For(context)).ReadAsync(cancellationToken);

    // --- IKeyValueStore: Consul's KV ---

    public async Task<IReadOnlyList<KeyValueEntry>> GetKeysAsync(ClusterContext context, string prefix, CancellationToken cancellationToken)
    {
        var get = ConsulPaths.KvTree(prefix ?? "");
        var (node, a) = await ConsulClient.For(context).OnAnyAsync(ServerTargets(context), get, cancellationToken, context.StatusTimeout).ConfigureAwait(false);
        if (a.Code == 404) return Array.Empty<KeyValueEntry>();
        return ConsulOutputParser.Kv(ConsulClient.Expect(node.Name, get, a, "read the KV")).OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new KeyValueEntry { Key = e.Key, Value = e.Value, ModifyIndex = e.ModifyIndex, LockedBy = e.Session }).ToList();
    }

    public async Task<KeyValueResult> SetKeyAsync(ClusterContext context, string key, string value, long? expectedIndex, IOperationHost host, CancellationToken cancellationToken)
    {
        var put = ConsulPaths.KvPut(key, value ?? throw new ArgumentNullException(nameof(value)), expectedIndex);
        var result = new KeyValueResult { Key = key, Action = "set" };
        if (!host.ShouldProcess(key, expectedIndex is long i ? $"set KV key (only if its ModifyIndex is {i})" : "set KV key")) { result.Message = "not changed (-WhatIf or declined)"; return result; }
        await using var held = await ClusterLock.AcquireAsync(context, "kv set", host, cancellationToken).ConfigureAwait(false);
        var (node, a) = await ConsulClient.For(context).OnAnyAsync(ServerTargets(context), put, cancellationToken).ConfigureAwait(false);
        result.Changed = ConsulApiParser.Bool(ConsulClient.Expect(node.Name, put, a, "set KV key " + key));
        result.Message = result.Changed ? "set" : $"not set: its ModifyIndex is no longer {expectedIndex} (someone changed it)";
        return result;
    }

    public async Task<KeyValueResult> RemoveKeyAsync(ClusterContext context, string key, IOperationHost host, CancellationToken cancellationToken)
    {
        var result = new KeyValueResult { Key = key, Action = "remove" };
        if (!host.ShouldProcess(key, "remove KV key")) { result.Message = "not changed (-WhatIf or declined)"; return result; }
        await using var held = await ClusterLock.AcquireAsync(context, "kv remove", host, cancellationToken).ConfigureAwait(false);
        var api = ConsulClient.For(context);
        var get = ConsulPaths.KvGet(key);
        var del = ConsulPaths.KvDelete(key);
        var (node, a) = await api.OnAnyAsync(ServerTargets(context), new[] { get, del }, cancellationToken).ConfigureAwait(false);
        ConsulClient.Expect(node.Name, del, a[1], "remove KV key " + key);
        result.Changed = a[0].Code != 404;
        result.Message = result.Changed ? "removed" : "did not exist";
        return result;
    }
}
