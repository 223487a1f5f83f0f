using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The cluster's constraints, including those left by moves (FromMove).</summary>
[Cmdlet(VerbsCommon.Get, "HaConstraint")]
[OutputType(typeof(ConstraintInfo))]
public sealed class GetHaConstraintCommand : HaClusterCmdlet
{
    internal override string? ObjectKind => "Constraint";

    /// <summary>Constraint ids; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Id { get; set; }

    [Parameter]
    public ConstraintType[]? Type { get; set; }

    /// <summary>Only constraints that name this resource (as Resource or Target).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string? Resource { get; set; }

    protected override void EndProcessing()
    {
        if (!TryCall<IConstraints, IReadOnlyList<ConstraintInfo>>((c, p, h, t) => p.GetConstraintsAsync(c, t), null, out IReadOnlyList<ConstraintInfo> constraints)) return;
        var selected = NameFilter.Apply(constraints, c => c.Id, Id,
                missing => WriteFailure(ErrorClassifier.ConstraintNotFound, Msg.Format(Strings.ConstraintNoMatch, missing), missing))
            .Where(c => Type == null || Type.Contains(c.Type))
            .Where(c => Resource == null || c.Resource == Resource || c.Target == Resource);
        WriteObject(selected, enumerateCollection: true);
    }
}
