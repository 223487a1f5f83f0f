using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops resources (target-role Stopped).</summary>
[Cmdlet(VerbsLifecycle.Stop, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class StopHaResourceCommand : ResourceActionCmdlet<IResourceControl>
{
    internal override Task<ResourceActionResult> Act(IResourceControl stack, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        stack.StopResourceAsync(cluster, name, options, host, token);
}
