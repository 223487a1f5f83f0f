using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks;

/// <summary>
/// What every stack has (Pacemaker/Corosync, file services on Pacemaker, Consul/Hare, HAST/CARP): pre-flight, a
/// bootstrap made of phases, status, stop and teardown. Everything else a stack can do is a capability interface
/// (<c>Stacks/Capabilities/</c>) that it implements only when it has the feature; callers reach one through
/// <see cref="ClusterContext.Require{T}"/>, which names the stack and the feature when it is missing.
/// Every method that changes a cluster asks <see cref="IOperationHost.ShouldProcess"/> before each change.
/// </summary>
public interface IClusterStack
{
    /// <summary>The stack's name as written in the cluster file (<c>stack: pacemaker</c>).</summary>
    string Name { get; }

    /// <summary>Live pre-flight: one result per check and node.</summary>
    Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken);

    /// <summary>The bootstrap as an ordered list of phases. The plan (-WhatIf) and the run are both walks of this one
    /// list by <see cref="PhaseEngine"/>, so they cannot drift apart; a stack never plans or runs a bootstrap itself.</summary>
    IReadOnlyList<IBootstrapPhase> BootstrapPhases(ClusterContext context, BootstrapOptions options);

    Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken);

    /// <summary>Stop the stack's daemons on the given nodes (all when null).</summary>
    Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken);

    /// <summary>Teardown: stop everything and remove the cluster's configuration from every node.</summary>
    Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken);
}
