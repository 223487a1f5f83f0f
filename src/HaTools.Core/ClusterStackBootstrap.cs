using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Stacks;

namespace HaTools.Core;

/// <summary>Plan and run of a bootstrap for any stack: both are walks of <see cref="IClusterStack.BootstrapPhases"/>
/// by the <see cref="PhaseEngine"/>, never a stack's own code, so -WhatIf cannot drift from the run.</summary>
public static class ClusterStackBootstrap
{
    /// <summary>The steps a bootstrap would run, in order, without touching any node.</summary>
    public static IReadOnlyList<PlanStep> PlanBootstrap(this IClusterStack stack, ClusterContext context, BootstrapOptions options) =>
        PhaseEngine.Plan(context, stack.BootstrapPhases(context, options), options);

    /// <summary>Bring the cluster to the state the file declares. Idempotent: a re-run with an unchanged file changes nothing.
    /// The cluster lock comes first, for every stack: on bare nodes its script creates the lock root before anything
    /// else is touched, and a second operator is refused (ClusterBusy) or waits instead of racing this one.</summary>
    public static async Task<IReadOnlyList<PhaseResult>> BootstrapAsync(this IClusterStack stack, ClusterContext context, BootstrapOptions options,
        IOperationHost host, CancellationToken cancellationToken)
    {
        await using var held = await Locking.ClusterLock.AcquireAsync(context, "bootstrap", host, cancellationToken).ConfigureAwait(false);
        return await PhaseEngine.RunAsync(context, stack.BootstrapPhases(context, options), options, host, cancellationToken).ConfigureAwait(false);
    }
}
