using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The cluster's status: quorum, DC, nodes, resources (from the first node that answers, or a saved crm_mon XML).</summary>
[Cmdlet(VerbsCommon.Get, "HaStatus")]
[OutputType(typeof(ClusterStatus))]
public sealed class GetHaStatusCommand : HaStatusCmdlet
{
    protected override void EndProcessing()
    {
        var status = Status();
        if (status == null) return;
        foreach (var node in status.UnreachableNodes) WriteVerbose(Msg.Format(Strings.NodeDidNotAnswer, node));
        WriteObject(status);
    }
}
