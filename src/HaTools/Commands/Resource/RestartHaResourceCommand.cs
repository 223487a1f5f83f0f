using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Restarts resources where they run.</summary>
[Cmdlet(VerbsLifecycle.Restart, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class RestartHaResourceCommand : ResourceActionCmdlet<IResourceControl>
{
    internal override Task<ResourceActionResult> Act(IResourceControl stack, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        stack.RestartResourceAsync(cluster, name, options, host, token);
}
