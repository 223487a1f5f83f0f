using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks;
using HaTools.Core.Transport;

namespace HaTools.Core;

/// <summary>
/// Everything an operation needs to reach a cluster: its description, how to reach each node, the runner, and the
/// stack that knows how to drive it. Built once per command (or passed along a pipeline); no global state. The
/// context owns the runner it built (<see cref="FromFile"/>, <see cref="RunnerFactory"/>) and disposes it; a runner
/// passed in stays its caller's.
/// </summary>
public sealed class ClusterContext : IDisposable
{
    private readonly bool _ownsRunner;
    private IClusterStack? _stack;

    public ClusterContext(ClusterSpec spec, ICommandRunner runner, IReadOnlyList<NodeTarget>? nodes = null, StackRegistry? stacks = null)
        : this(spec, runner, nodes, stacks, ownsRunner: false) { }

    private ClusterContext(ClusterSpec spec, ICommandRunner runner, IReadOnlyList<NodeTarget>? nodes, StackRegistry? stacks, bool ownsRunner)
    {
        Spec = spec;
        Runner = runner;
        Nodes = nodes ?? spec.Nodes.Select(n => NodeTarget.FromSpec(spec, n)).ToList();
        Stacks = stacks ?? StackRegistry.Builtin;
        _ownsRunner = ownsRunner;
    }

    public ClusterSpec Spec { get; }
    public ICommandRunner Runner { get; }
    public IReadOnlyList<NodeTarget> Nodes { get; }
    /// <summary>Where the stack named by the file is looked up (the built-in stacks unless a test gives its own).</summary>
    public StackRegistry Stacks { get; }

    /// <summary>How long to wait for one node when asking for status before asking the next.</summary>
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromSeconds(4);
    /// <summary>Parallel nodes at once in fan-out.</summary>
    public int ThrottleLimit { get; set; } = 32;
    /// <summary>How changing operations take the cluster lock; null (a context built by hand) takes none.</summary>
    public Locking.ClusterLockOptions? Lock { get; set; }

    /// <summary>Read the cluster file and build a context with the runner its ssh block names (or the one given):
    /// the transport for every node, the local runner for a node whose address is "local". Changing operations on it
    /// take the cluster lock.</summary>
    public static ClusterContext FromFile(string path, ICommandRunner? runner = null)
    {
        var spec = SpecLoader.Load(path);
        var context = runner != null ? new ClusterContext(spec, runner) : new ClusterContext(spec, RunnerFactory.For(spec), null, null, ownsRunner: true);
        context.Lock = Locking.ClusterLockOptions.Default;
        return context;
    }

    /// <summary>Disposes the runner when this context built it.</summary>
    public void Dispose()
    {
        if (_ownsRunner) (Runner as IDisposable)?.Dispose();
    }

    /// <summary>The stack the file names (stack: pacemaker by default). A stack this build does not implement is a
    /// NotSupportedException (ErrorId StackNotSupported).</summary>
    public IClusterStack Stack => _stack ??= Stacks.Get(Spec.StackName).Create();

    /// <summary>The stack as capability <typeparamref name="T"/> (resource control, standby, constraints …); a stack without
    /// it is refused with <see cref="StackCapabilityMissingException"/> (ErrorId StackCapabilityMissing) before any
    /// node is contacted.</summary>
    public T Require<T>() where T : class =>
        Stack as T ?? throw new StackCapabilityMissingException(Stack.Name, StackCapabilityAttribute.FeatureOf(typeof(T)), Spec.Name);

    /// <summary>Whether the stack has capability <typeparamref name="T"/>.</summary>
    public bool Has<T>() where T : class => Stack is T;

    public NodeTarget Node(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal))
        ?? throw new NotFoundException(ObjectKind.Node, $"node '{Names.Printable(name)}' is not in cluster '{Spec.Name}'", name);
}
