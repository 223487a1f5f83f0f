using System.Collections.Generic;
using System.Threading.Tasks;

namespace HaTools.Core.Bootstrap;

/// <summary>
/// One phase of a bootstrap, with its plan and its run side by side so that they cannot drift: -WhatIf prints what
/// <see cref="Plan"/> says, a run does what <see cref="RunAsync"/> does, and <see cref="PhaseEngine"/> walks both in
/// the same order. Phase names are constants of their stack (<c>PacemakerPhases</c>).
/// </summary>
public interface IBootstrapPhase
{
    string Name { get; }

    /// <summary>What the phase would do, without touching any node. Each step's Phase is set to <see cref="Name"/> by
    /// the engine. A phase that would do nothing says so in a step rather than planning nothing.</summary>
    IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options);

    /// <summary>Run the phase, reporting through <paramref name="run"/>. Returns false when the bootstrap must stop here
    /// (the phase reported why, or a change was declined under ShouldProcess). An <see cref="Model.HaException"/> becomes
    /// this phase's Failed result.</summary>
    Task<bool> RunAsync(PhaseRun run);
}
