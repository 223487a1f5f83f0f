using System;
using System.Management.Automation;
using System.Xml;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Moves a resource to a node. Without -Lifetime the move constraint is removed once the move is done.</summary>
[Cmdlet(VerbsCommon.Move, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class MoveHaResourceCommand : HaChangeCmdlet
{
    internal override string? ObjectKind => "Resource";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Resource")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The node to move to.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string Node { get; set; } = "";

    /// <summary>Keep the move constraint this long; it then expires by itself.</summary>
    [Parameter]
    public TimeSpan? Lifetime { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 120;

    /// <summary>Move even when the cluster would refuse (no quorum …).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var options = new MoveOptions
        {
            Wait = Wait,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            Force = Force,
            Lifetime = Lifetime.HasValue ? XmlConvert.ToString(Lifetime.Value) : null,
        };
        var name = Name;
        var node = Node;
        if (TryCall<IResourceControl, ResourceActionResult>((c, p, h, t) => p.MoveResourceAsync(c, name, node, options, h, t), name, out ResourceActionResult result))
            WriteObject(result);
    }
}
