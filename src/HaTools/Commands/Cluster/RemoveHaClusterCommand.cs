using System.Collections.Generic;
using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Teardown: stops the stack and removes the cluster's configuration from every node (ConfirmImpact High).</summary>
[Cmdlet(VerbsCommon.Remove, "HaCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PhaseResult))]
public sealed class RemoveHaClusterCommand : HaChangeCmdlet
{
    protected override void EndProcessing()
    {
        if (TryCall((c, p, h, t) => p.RemoveClusterAsync(c, h, t), Context.Spec.Name, out IReadOnlyList<PhaseResult> phases))
            ResultWriter.Write(this, phases);
    }
}
