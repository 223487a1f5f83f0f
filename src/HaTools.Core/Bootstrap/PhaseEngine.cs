using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Bootstrap;

/// <summary>
/// Walks a stack's bootstrap phases, for a plan or for a run. The run stops at the first phase that fails (a Failed
/// result, a false return, or an <see cref="HaException"/>, which becomes that phase's Failed result naming the node when
/// known), honours cancellation between and inside phases, and always completes the progress bar.
/// </summary>
public static class PhaseEngine
{
    /// <summary>The plan: every phase's steps, in phase order, each tagged with its phase.</summary>
    public static IReadOnlyList<PlanStep> Plan(ClusterContext context, IReadOnlyList<IBootstrapPhase> phases, BootstrapOptions options)
    {
        var steps = new List<PlanStep>();
        foreach (var phase in phases)
            foreach (var step in phase.Plan(context, options))
            {
                step.Phase = phase.Name;
                steps.Add(step);
            }
        return steps;
    }

    public static Task<IReadOnlyList<PhaseResult>> RunAsync(ClusterContext context, IReadOnlyList<IBootstrapPhase> phases, BootstrapOptions options,
        IOperationHost host, CancellationToken cancellationToken) =>
        RunAsync(context, phases, options, host, cancellationToken, null);

    /// <param name="entered">Told the name of each phase as it is entered (tests use it to compare the walk with the plan).</param>
    internal static async Task<IReadOnlyList<PhaseResult>> RunAsync(ClusterContext context, IReadOnlyList<IBootstrapPhase> phases, BootstrapOptions options,
        IOperationHost host, CancellationToken cancellationToken, Action<string>? entered)
    {
        var run = new PhaseRun(context, options, host, cancellationToken);
        try
        {
            for (var i = 0; i < phases.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run.Enter(phases[i], i, phases.Count);
                entered?.Invoke(phases[i].Name);
                if (!await phases[i].RunAsync(run).ConfigureAwait(false) || run.PhaseFailed(phases[i].Name)) break;
            }
        }
        catch (HaException e) when (e is not SpecException && e is not Locking.ClusterBusyException)
        {
            // (Another operator's lock is not a phase failure but a refusal, before anything changed: it reaches the
            // caller as itself, ErrorId ClusterBusy.)
            // Whatever stops a phase (a timeout, the cluster's state, a failed command, a value a command refuses)
            // becomes that phase's Failed result; the caller gets the phases so far.
            run.Report(e.Target ?? "*", PhaseStatus.Failed, e.Message, TimeSpan.Zero);
        }
        finally
        {
            await run.ReleaseAsync().ConfigureAwait(false);
            run.Completed();
        }
        return run.Results;
    }
}
