using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Puts nodes in standby: their resources move away; with -Wait, returns once they have.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "HaNode", SupportsShouldProcess = true)]
[OutputType(typeof(NodeActionResult))]
public sealed class SuspendHaNodeCommand : HaClusterCmdlet
{
    internal override string? ObjectKind => "Node";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    /// <summary>Wait until the cluster has reached the new state.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 120;

    protected override void ProcessRecord()
    {
        var options = Options(Wait, TimeoutSec);
        foreach (var name in Name)
        {
            if (TryCall((c, p, h, t) => p.SetNodeStandbyAsync(c, name, true, options, h, t), name, out NodeActionResult result))
                WriteObject(result);
        }
    }
}
