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
    /// A stack whose bootstrap touches nodes takes the cluster lock in a <see cref="Bootstrap.Steps.TakeClusterLock"/>
    /// phase before its first contact with them; the engine releases it when the run ends.</summary>
    public static Task<IReadOnlyList<PhaseResult>> BootstrapAsync(this IClusterStack stack, ClusterContext context, BootstrapOptions options,
        IOperationHost host, CancellationToken cancellationToken) =>
        PhaseEngine.RunAsync(context, stack.BootstrapPhases(context, options), options, host, cancellationToken);
}
