using System;
using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Reads a cluster file once into a ClusterContext that later commands take through -Cluster.</summary>
[Cmdlet(VerbsCommon.Get, "HaCluster")]
[OutputType(typeof(ClusterContext))]
public sealed class GetHaClusterCommand : HaClusterCmdlet
{
    /// <summary>How many nodes fan-out commands reach at once.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; }

    /// <summary>How long to wait for one node when asking for status before asking the next.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int StatusTimeoutSec { get; set; }

    protected override bool KeepsContext => true;

    protected override void EndProcessing()
    {
        var context = Context;
        if (ThrottleLimit > 0) context.ThrottleLimit = ThrottleLimit;
        if (StatusTimeoutSec > 0) context.StatusTimeout = TimeSpan.FromSeconds(StatusTimeoutSec);
        WriteObject(context);
    }
}
