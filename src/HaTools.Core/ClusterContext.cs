using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core;

/// <summary>
/// Everything an operation needs to reach a cluster: its description, how to reach each node, the runner.
/// Built once per command (or passed along a pipeline); no global state.
/// </summary>
public sealed class ClusterContext
{
    public ClusterContext(ClusterSpec spec, ICommandRunner runner, IReadOnlyList<NodeTarget>? nodes = null)
    {
        Spec = spec;
        Runner = runner;
        Nodes = nodes ?? spec.Nodes.Select(n => NodeTarget.FromSpec(spec, n)).ToList();
    }

    public ClusterSpec Spec { get; }
    public ICommandRunner Runner { get; }
    public IReadOnlyList<NodeTarget> Nodes { get; }

    /// <summary>How long to wait for one node when asking for status before asking the next.</summary>
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromSeconds(4);
    /// <summary>Parallel nodes at once in fan-out.</summary>
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>Read the cluster file and build a context with the default runner (or the one given): ssh for every
    /// node, the local runner for a node whose address is "local".</summary>
    public static ClusterContext FromFile(string path, ICommandRunner? runner = null) =>
        new ClusterContext(SpecLoader.Load(path), runner ?? new RoutingCommandRunner(new SshCommandRunner()));

    public IClusterProvider Provider => ClusterProviders.For(Spec.Stack);

    public NodeTarget Node(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal))
        ?? throw new NotFoundException(ObjectKind.Node, $"node '{Names.Printable(name)}' is not in cluster '{Spec.Name}'", name);
}
