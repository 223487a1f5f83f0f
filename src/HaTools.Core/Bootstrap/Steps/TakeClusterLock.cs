using System.Collections.Generic;
using System.Threading.Tasks;
using HaTools.Core.Locking;
using HaTools.Core.Model;

namespace HaTools.Core.Bootstrap.Steps;

/// <summary>
/// The phase that takes the cluster lock (Locking/ClusterLock) before a bootstrap first touches the nodes, and holds it
/// until the run ends. It comes before pre-flight on purpose: an operator who waited for the lock (-WaitForLock) must
/// probe the nodes as the other operator left them, never act on facts read before.
/// </summary>
public sealed class TakeClusterLock : IBootstrapPhase
{
    public const string PhaseName = "lock";

    public string Name => PhaseName;

    public IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options)
    {
        yield return new PlanStep { Node = "*", Description = "take the cluster lock on the nodes, in name order (refused with ClusterBusy while another operator holds it, unless -WaitForLock); held until the bootstrap ends" };
    }

    public async Task<bool> RunAsync(PhaseRun run)
    {
        run.Progress("taking the cluster lock");
        var held = await ClusterLock.AcquireAsync(run.Context, "bootstrap", run.Host, run.Token).ConfigureAwait(false);
        run.Hold(held.DisposeAsync);
        run.Report("*", PhaseStatus.Ok, held.Nodes.Count == 0 ? "no lock taken (not asked for)" : "held on " + string.Join(", ", held.Nodes), System.TimeSpan.Zero);
        return true;
    }
}
