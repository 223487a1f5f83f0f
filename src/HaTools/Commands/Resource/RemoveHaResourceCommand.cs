using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops and deletes resources from the cluster configuration (ConfirmImpact High).</summary>
[Cmdlet(VerbsCommon.Remove, "HaResource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ResourceActionResult))]
public sealed class RemoveHaResourceCommand : ResourceActionCmdlet<IResourceConfig>
{
    /// <summary>Remove even when constraints or a group still refer to it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    internal override ActionOptions BuildOptions() => Options(Wait, TimeoutSec, Force);

    internal override Task<ResourceActionResult> Act(IResourceConfig stack, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        stack.RemoveResourceAsync(cluster, name, options, host, token);
}
