using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops resources (target-role Stopped).</summary>
[Cmdlet(VerbsLifecycle.Stop, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class StopHaResourceCommand : ResourceActionCmdlet
{
    internal override Task<ResourceActionResult> Act(IClusterProvider provider, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        provider.StopResourceAsync(cluster, name, options, host, token);
}
