using System.Collections.Generic;
using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops the cluster stack on some or all nodes. Core asks before each change (ConfirmImpact High).</summary>
[Cmdlet(VerbsLifecycle.Stop, "HaCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PhaseResult))]
public sealed class StopHaClusterCommand : HaChangeCmdlet
{
    /// <summary>The nodes to stop; all when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FileNodeNameCompleter))]
    public string[]? Node { get; set; }

    protected override void EndProcessing()
    {
        var nodes = Node;
        if (TryCall((c, p, h, t) => p.StopClusterAsync(c, nodes, h, t), Context.Spec.Name, out IReadOnlyList<PhaseResult> phases))
            ResultWriter.Write(this, phases);
    }
}
