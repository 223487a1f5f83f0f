using System.Collections.Generic;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>Cluster properties (crm_config), resource and operation defaults.</summary>
[Cmdlet(VerbsCommon.Get, "HaProperty")]
[OutputType(typeof(ClusterProperty))]
public sealed class GetHaPropertyCommand : HaClusterCmdlet
{
    internal override string? ObjectKind => "Property";

    /// <summary>Property names; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        if (!TryCall<IClusterProperties, IReadOnlyList<ClusterProperty>>((c, p, h, t) => p.GetPropertiesAsync(c, t), null, out IReadOnlyList<ClusterProperty> properties)) return;
        var selected = NameFilter.Apply(properties, p => p.Name, Name,
            missing => WriteFailure(ErrorClassifier.PropertyNotFound, Msg.Format(Strings.PropertyNoMatch, missing), missing));
        WriteObject(selected, enumerateCollection: true);
    }
}
