using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Cleans up failures and fail counts of resources (on one node with -Node).</summary>
[Cmdlet(VerbsCommon.Clear, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class ClearHaResourceCommand : HaClusterCmdlet
{
    internal override string? ObjectKind => "Resource";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Resource")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    /// <summary>Clean up on this node only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string? Node { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 120;

    protected override void ProcessRecord()
    {
        var options = Options(Wait, TimeoutSec);
        var node = Node;
        foreach (var name in Name)
        {
            if (TryCall((c, p, h, t) => p.ClearResourceAsync(c, name, node, options, h, t), name, out ResourceActionResult result))
                WriteObject(result);
        }
    }
}
