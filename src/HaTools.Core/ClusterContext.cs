using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core;

/// <summary>
/// Everything an operation needs to reach a cluster: its description, how to reach each node, the runner.
/// Built once per command (or passed along a pipeline); no global state. The context owns the runner it built
/// (<see cref="FromFile"/>, <see cref="RunnerFactory"/>) and disposes it; a runner passed in stays its caller's.
/// </summary>
public sealed class ClusterContext : IDisposable
{
    private readonly bool _ownsRunner;

    public ClusterContext(ClusterSpec spec, ICommandRunner runner, IReadOnlyList<NodeTarget>? nodes = null)
        : this(spec, runner, nodes, ownsRunner: false) { }

    private ClusterContext(ClusterSpec spec, ICommandRunner runner, IReadOnlyList<NodeTarget>? nodes, bool ownsRunner)
    {
        Spec = spec;
        Runner = runner;
        Nodes = nodes ?? spec.Nodes.Select(n => NodeTarget.FromSpec(spec, n)).ToList();
        _ownsRunner = ownsRunner;
    }

    public ClusterSpec Spec { get; }
    public ICommandRunner Runner { get; }
    public IReadOnlyList<NodeTarget> Nodes { get; }

    /// <summary>How long to wait for one node when asking for status before asking the next.</summary>
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromSeconds(4);
    /// <summary>Parallel nodes at once in fan-out.</summary>
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>Read the cluster file and build a context with the runner its ssh block names (or the one given):
    /// the transport for every node, the local runner for a node whose address is "local".</summary>
    public static ClusterContext FromFile(string path, ICommandRunner? runner = null)
    {
        var spec = SpecLoader.Load(path);
        return runner != null ? new ClusterContext(spec, runner) : new ClusterContext(spec, RunnerFactory.For(spec), null, ownsRunner: true);
    }

    /// <summary>Disposes the runner when this context built it.</summary>
    public void Dispose()
    {
        if (_ownsRunner) (Runner as IDisposable)?.Dispose();
    }

    public IClusterProvider Provider => ClusterProviders.For(Spec.Stack);

    public NodeTarget Node(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal))
        ?? throw new NotFoundException(ObjectKind.Node, $"node '{Names.Printable(name)}' is not in cluster '{Spec.Name}'", name);
}
