using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Deletes constraints by id.</summary>
[Cmdlet(VerbsCommon.Remove, "HaConstraint", SupportsShouldProcess = true)]
[OutputType(typeof(ConstraintInfo))]
public sealed class RemoveHaConstraintCommand : HaChangeCmdlet
{
    internal override string? ObjectKind => "Constraint";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = System.Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (var id in Id)
        {
            if (TryCall<IConstraints, ConstraintInfo>((c, p, h, t) => p.RemoveConstraintAsync(c, id, h, t), id, out ConstraintInfo result))
                WriteObject(result);
        }
    }
}
