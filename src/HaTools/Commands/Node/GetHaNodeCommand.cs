using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The cluster's nodes as the cluster sees them (online, standby, maintenance, resource count).</summary>
[Cmdlet(VerbsCommon.Get, "HaNode")]
[OutputType(typeof(NodeStatus))]
public sealed class GetHaNodeCommand : HaStatusCmdlet
{
    internal override string? ObjectKind => "Node";

    /// <summary>Node names; wildcards allowed. All nodes when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var status = Status();
        if (status == null) return;
        var nodes = NameFilter.Apply(status.Nodes, n => n.Name, Name,
            missing => WriteFailure(ErrorClassifier.NodeNotFound, Msg.Format(Strings.NodeNoMatch, missing, ClusterName), missing));
        WriteObject(nodes, enumerateCollection: true);
    }
}
