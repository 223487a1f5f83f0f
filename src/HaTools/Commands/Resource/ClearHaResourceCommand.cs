using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Cleans up failures and fail counts of resources (on one node with -Node).</summary>
[Cmdlet(VerbsCommon.Clear, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class ClearHaResourceCommand : ResourceActionCmdlet<IResourceControl>
{
    /// <summary>Clean up on this node only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string? Node { get; set; }

    internal override Task<ResourceActionResult> Act(IResourceControl stack, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        stack.ClearResourceAsync(cluster, name, Node, options, host, token);
}
