using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Adds a location, colocation or order constraint.</summary>
[Cmdlet(VerbsCommon.New, "HaConstraint", SupportsShouldProcess = true)]
[OutputType(typeof(ConstraintInfo))]
public sealed class NewHaConstraintCommand : HaChangeCmdlet
{
    internal override string? ObjectKind => "Constraint";

    [Parameter(Mandatory = true, Position = 0)]
    public ConstraintType Type { get; set; }

    /// <summary>Location: the resource; colocation: the dependent resource; order: the first resource.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Resource { get; set; } = "";

    /// <summary>Location: the node; colocation: the resource it goes with; order: the then resource.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = "";

    /// <summary>Integer, INFINITY or -INFINITY.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Score { get; set; } = "INFINITY";

    /// <summary>Order kind.</summary>
    [Parameter]
    [ValidateSet("Mandatory", "Optional", "Serialize")]
    public string? Kind { get; set; }

    /// <summary>Constraint id; generated when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    protected override void EndProcessing()
    {
        var constraint = new ConstraintInfo
        {
            Id = Id ?? "",
            Type = Type,
            Resource = Resource,
            Target = Target,
            Score = Score,
            Kind = Type == ConstraintType.Order ? Kind ?? "Mandatory" : "",
        };
        if (TryCall<IConstraints, ConstraintInfo>((c, p, h, t) => p.NewConstraintAsync(c, constraint, h, t), Id ?? Resource, out ConstraintInfo result))
            WriteObject(result);
    }
}
