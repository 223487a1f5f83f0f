using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Sets (or, with a null value, deletes) a cluster property.</summary>
[Cmdlet(VerbsCommon.Set, "HaProperty", SupportsShouldProcess = true)]
[OutputType(typeof(ClusterProperty))]
public sealed class SetHaPropertyCommand : HaChangeCmdlet
{
    internal override string? ObjectKind => "Property";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The new value; $null deletes the property (back to Pacemaker's default).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? Value { get; set; }

    protected override void ProcessRecord()
    {
        var name = Name;
        var value = Value;
        if (TryCall<IClusterProperties, ClusterProperty>((c, p, h, t) => p.SetPropertyAsync(c, name, value, h, t), name, out ClusterProperty result))
            WriteObject(result);
    }
}
