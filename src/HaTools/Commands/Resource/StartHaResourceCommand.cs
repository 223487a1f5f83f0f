using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Starts resources (target-role Started).</summary>
[Cmdlet(VerbsLifecycle.Start, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class StartHaResourceCommand : ResourceActionCmdlet<IResourceControl>
{
    internal override Task<ResourceActionResult> Act(IResourceControl stack, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        stack.StartResourceAsync(cluster, name, options, host, token);
}
