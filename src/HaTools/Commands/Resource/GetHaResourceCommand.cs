using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The cluster's resources: role, node, agent, failures.</summary>
[Cmdlet(VerbsCommon.Get, "HaResource")]
[OutputType(typeof(ResourceStatus))]
public sealed class GetHaResourceCommand : HaStatusCmdlet
{
    internal override string? ObjectKind => "Resource";

    /// <summary>Resource names; wildcards allowed. All resources when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var status = Status();
        if (status == null) return;
        var resources = NameFilter.Apply(status.Resources, r => r.Name, Name,
            missing => WriteFailure(ErrorClassifier.ResourceNotFound, Msg.Format(Strings.ResourceNoMatch, missing, ClusterName), missing));
        WriteObject(resources, enumerateCollection: true);
    }
}
