using System;
using System.Collections.Generic;
using System.Threading;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Bootstrap;

/// <summary>One run of a bootstrap as the phases see it: the cluster, the options, the host, the token, and where
/// results and progress go. Results are tagged with the phase the engine is in, so a phase cannot report for another.</summary>
public sealed class PhaseRun
{
    private readonly List<PhaseResult> _results = new List<PhaseResult>();
    private int _index = -1;
    private int _count;

    internal PhaseRun(ClusterContext context, BootstrapOptions options, IOperationHost host, CancellationToken token)
    {
        Context = context;
        Options = options;
        Host = host;
        Token = token;
    }

    public ClusterContext Context { get; }
    public ClusterSpec Spec => Context.Spec;
    public BootstrapOptions Options { get; }
    public IOperationHost Host { get; }
    public CancellationToken Token { get; }

    /// <summary>The phase being run ("bootstrap" before the first).</summary>
    public string Phase { get; private set; } = "bootstrap";

    public IReadOnlyList<PhaseResult> Results => _results;

    /// <summary>The progress id of the bootstrap's own bar; waits inside a phase use their own ids.</summary>
    public const int ProgressId = 1;

    internal void Enter(IBootstrapPhase phase, int index, int count)
    {
        Phase = phase.Name;
        _index = index;
        _count = count;
    }

    public void Report(string node, PhaseStatus status, string message, TimeSpan duration) =>
        _results.Add(new PhaseResult { Phase = Phase, Node = node, Status = status, Message = message, Duration = duration });

    /// <summary>The bootstrap's progress bar: "phase: status", the percentage by phase index.</summary>
    public void Progress(string status) =>
        Host.Progress(new ProgressInfo($"Bootstrap {Spec.Name}", $"{Phase}: {status}", _count == 0 ? 0 : 100 * Math.Max(0, _index) / _count) { Id = ProgressId });

    private readonly List<Func<System.Threading.Tasks.Task>> _held = new List<Func<System.Threading.Tasks.Task>>();

    /// <summary>Keep something (the cluster lock) until the run ends: the engine calls <paramref name="release"/> then,
    /// whatever happened, last taken first.</summary>
    public void Hold(Func<System.Threading.Tasks.Task> release) => _held.Add(release);

    internal async System.Threading.Tasks.Task ReleaseAsync()
    {
        for (var i = _held.Count - 1; i >= 0; i--) await _held[i]().ConfigureAwait(false);
        _held.Clear();
    }

    internal void Completed() =>
        Host.Progress(new ProgressInfo($"Bootstrap {Spec.Name}", "done", 100, completed: true) { Id = ProgressId });

    internal bool PhaseFailed(string phase)
    {
        foreach (var r in _results)
            if (r.Phase == phase && r.Status == PhaseStatus.Failed) return true;
        return false;
    }
}
