using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops and deletes resources from the cluster configuration (ConfirmImpact High).</summary>
[Cmdlet(VerbsCommon.Remove, "HaResource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ResourceActionResult))]
public sealed class RemoveHaResourceCommand : ResourceActionCmdlet
{
    /// <summary>Remove even when constraints or a group still refer to it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    internal override ActionOptions BuildOptions() => Options(Wait, TimeoutSec, Force);

    internal override Task<ResourceActionResult> Act(IClusterProvider provider, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token) =>
        provider.RemoveResourceAsync(cluster, name, options, host, token);
}
