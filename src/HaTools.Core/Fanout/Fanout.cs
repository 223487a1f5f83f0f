using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Fanout;

public sealed class FanoutOptions
{
    public int ThrottleLimit { get; set; } = 32;
    /// <summary>Bound on each node's work (on top of the command's own timeout).</summary>
    public TimeSpan? PerNodeTimeout { get; set; }
    /// <summary>Bound on the whole fan-out; nodes not finished by then are reported as timed out.</summary>
    public TimeSpan? OverallTimeout { get; set; }
    /// <summary>Probe reachability first and skip nodes that do not answer (reported as unreachable, not run).</summary>
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

/// <summary>Runs one step on many nodes: all at once with a throttle, or one after another until one succeeds.</summary>
public static class Fanout
{
    /// <summary>Run <paramref name="work"/> on every node (at most ThrottleLimit at once). Results are in node order.
    /// An exception from one node's work, or its per-node/overall timeout, becomes that node's result through
    /// <paramref name="onError"/>; the others go on. Caller cancellation stops everything and throws.</summary>
    public static async Task<IReadOnlyList<T>> RunAsync<T>(
        IReadOnlyList<NodeTarget> nodes,
        Func<NodeTarget, CancellationToken, Task<T>> work,
        Func<NodeTarget, Exception, T> onError,
        FanoutOptions? options = null,
        IProgress<FanoutProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new FanoutOptions();
        var results = new T[nodes.Count];
        if (nodes.Count == 0) return results;
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.OverallTimeout is { } ot) overall.CancelAfter(ot);
        using var gate = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
        var done = 0;

        async Task One(int i)
        {
            var node = nodes[i];
            try
            {
                await gate.WaitAsync(overall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                results[i] = onError(node, new TimeoutException($"{node.Name}: not started before the overall timeout of {options.OverallTimeout!.Value.TotalSeconds:0.#} s"));
                return;
            }
            try
            {
                using var per = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
                if (options.PerNodeTimeout is { } pt) per.CancelAfter(pt);
                try
                {
                    results[i] = await work(node, per.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    var limit = overall.IsCancellationRequested ? options.OverallTimeout : options.PerNodeTimeout;
                    results[i] = onError(node, new TimeoutException($"{node.Name}: no result within {limit?.TotalSeconds:0.#} s"));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    results[i] = onError(node, e);
                }
            }
            finally
            {
                gate.Release();
                progress?.Report(new FanoutProgress(node.Name, Interlocked.Increment(ref done), nodes.Count));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, nodes.Count).Select(One)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    /// <summary>Ask nodes one after another until <paramref name="rejectReason"/> accepts an answer (returns null).
    /// A node that has not answered after <paramref name="hedgeAfter"/> is not waited for: the next node is asked
    /// too, and the first good answer wins (the others are cancelled). Each try is bounded by
    /// <paramref name="perNodeTimeout"/>, so one hung node costs at most hedgeAfter, never the whole timeout.</summary>
    public static async Task<FirstSuccess<T>> FirstSuccessAsync<T>(
        IReadOnlyList<NodeTarget> nodes,
        Func<NodeTarget, CancellationToken, Task<T>> work,
        Func<T, string?> rejectReason,
        TimeSpan perNodeTimeout,
        TimeSpan hedgeAfter,
        CancellationToken cancellationToken = default) where T : class
    {
        var failed = new List<NodeFailure>();
        using var all = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new Dictionary<Task<T>, (NodeTarget Node, CancellationTokenSource Cts, DateTime Started)>();
        var overtaken = new HashSet<Task<T>>();
        var next = 0;

        void StartNext()
        {
            var node = nodes[next++];
            var cts = CancellationTokenSource.CreateLinkedTokenSource(all.Token);
            cts.CancelAfter(perNodeTimeout);
            running.Add(work(node, cts.Token), (node, cts, DateTime.UtcNow));
        }

        // Nodes still asked when the answer came, that made us ask the next one: they did not answer in time, and the
        // caller must know (a hung first node would otherwise vanish from the report).
        List<NodeFailure> WithSlow()
        {
            var all2 = new List<NodeFailure>(failed);
            foreach (var r in running.Where(r => overtaken.Contains(r.Key)).Select(r => r.Value).OrderBy(r => r.Started))
                all2.Add(new NodeFailure(r.Node, $"no answer within {hedgeAfter.TotalSeconds:0.#} s (another node answered)"));
            return all2;
        }

        try
        {
            while (true)
            {
                if (running.Count == 0)
                {
                    if (next >= nodes.Count) return new FirstSuccess<T>(null, null, failed);
                    StartNext();
                }
                var waitFor = new List<Task>(running.Keys);
                Task? hedge = null;
                if (next < nodes.Count) { hedge = Task.Delay(hedgeAfter, all.Token); waitFor.Add(hedge); }
                var done = await Task.WhenAny(waitFor).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (done == hedge)
                {
                    overtaken.UnionWith(running.Keys);
                    StartNext();
                    continue;
                }
                var t = (Task<T>)done;
                var (node, cts, _) = running[t];
                running.Remove(t);
                cts.Dispose();
                string? why;
                T? result = null;
                try
                {
                    result = await t.ConfigureAwait(false);
                    why = rejectReason(result);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    why = $"no answer within {perNodeTimeout.TotalSeconds:0.#} s";
                }
                catch (HaException e)
                {
                    why = e.Message;
                }
                if (why == null) return new FirstSuccess<T>(result, node, WithSlow());
                failed.Add(new NodeFailure(node, why));
            }
        }
        finally
        {
            all.Cancel();
            foreach (var r in running.Values) r.Cts.Dispose();
        }
    }

    /// <summary>One command on every node. With SkipOffline, nodes that do not answer a short probe are reported
    /// unreachable and the command is not sent to them.</summary>
    public static Task<IReadOnlyList<CommandResult>> RunCommandAsync(
        ICommandRunner runner,
        IReadOnlyList<NodeTarget> nodes,
        CommandRequest request,
        FanoutOptions? options = null,
        IProgress<FanoutProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new FanoutOptions();
        var skip = options.SkipOffline;
        return RunAsync(nodes, async (node, ct) =>
        {
            if (skip)
            {
                var probe = await runner.RunAsync(node, new CommandRequest(new[] { "true" }, TimeSpan.FromSeconds(Math.Max(1, node.ConnectTimeoutSec))), ct).ConfigureAwait(false);
                if (!probe.Succeeded)
                    return new CommandResult { Node = node.Name, ExitCode = -1, Failure = Offline(probe.Failure), Error = "skipped (offline): " + (probe.Error ?? probe.StdErr.Trim()), Duration = probe.Duration };
            }
            return await runner.RunAsync(node, request, ct).ConfigureAwait(false);
        }, (node, e) => new CommandResult
        {
            Node = node.Name,
            ExitCode = -1,
            TimedOut = e is TimeoutException,
            Error = e.Message,
        }, options, progress, cancellationToken);
    }

    /// <summary>A node skipped as offline keeps the reason its probe gave (host key, auth …); a probe that ran and
    /// failed, or timed out, counts as unreachable.</summary>
    private static FailureKind Offline(FailureKind probe) =>
        probe == FailureKind.None || probe == FailureKind.TimedOut || probe == FailureKind.ConnectionLost ? FailureKind.Unreachable : probe;
}

public sealed class NodeFailure
{
    public NodeFailure(NodeTarget node, string why) { Node = node; Why = why; }
    public NodeTarget Node { get; }
    public string Why { get; }
}

/// <summary>The first good answer of <see cref="Fanout.FirstSuccessAsync{T}"/>, who gave it, and who failed before.</summary>
public sealed class FirstSuccess<T> where T : class
{
    public FirstSuccess(T? result, NodeTarget? node, IReadOnlyList<NodeFailure> failed) { Result = result; Node = node; Failed = failed; }
    public T? Result { get; }
    public NodeTarget? Node { get; }
    public IReadOnlyList<NodeFailure> Failed { get; }
}
