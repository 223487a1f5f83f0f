using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Transport;

namespace HaTools.Core.Fanout;

public enum FanoutStrategy
{
    /// <summary>Every node, at most ThrottleLimit at once.</summary>
    All,
    /// <summary>Nodes one after another until one succeeds (e.g. asking for status).</summary>
    FirstSuccess,
}

public sealed class FanoutOptions
{
    public int ThrottleLimit { get; set; } = 32;
    /// <summary>Bound on each node's work (on top of the command's own timeout).</summary>
    public TimeSpan? PerNodeTimeout { get; set; }
    /// <summary>Bound on the whole fan-out; nodes not finished by then are reported as timed out.</summary>
    public TimeSpan? OverallTimeout { get; set; }
    /// <summary>Probe reachability first and skip nodes that do not answer (reported as skipped).</summary>
    public bool SkipOffline { get; set; }
}

/// <summary>Progress of a fan-out: how many nodes are done.</summary>
public sealed class FanoutProgress
{
    public FanoutProgress(string node, int done, int total) { Node = node; Done = done; Total = total; }
    public string Node { get; }
    public int Done { get; }
    public int Total { get; }
}

/// <summary>Runs one step on many nodes in parallel, bounded, with per-node results.</summary>
public static class Fanout
{
    /// <summary>Run <paramref name="work"/> on every node (at most ThrottleLimit at once). Results are in node order.
    /// An exception from one node's work becomes that node's result through <paramref name="onError"/>; the others go on.
    /// Cancellation stops nodes not started and cancels running work.</summary>
    public static Task<IReadOnlyList<T>> RunAsync<T>(
        IReadOnlyList<NodeTarget> nodes,
        Func<NodeTarget, CancellationToken, Task<T>> work,
        Func<NodeTarget, Exception, T> onError,
        FanoutOptions? options = null,
        IProgress<FanoutProgress>? progress = null,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One command on every node.</summary>
    public static Task<IReadOnlyList<Model.CommandResult>> RunCommandAsync(
        ICommandRunner runner,
        IReadOnlyList<NodeTarget> nodes,
        CommandRequest request,
        FanoutOptions? options = null,
        IProgress<FanoutProgress>? progress = null,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
