using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops and deletes resources from the cluster configuration (ConfirmImpact High).</summary>
[Cmdlet(VerbsCommon.Remove, "HaResource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ResourceActionResult))]
public sealed class RemoveHaResourceCommand : HaClusterCmdlet
{
    internal override string? ObjectKind => "Resource";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Resource")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 120;

    /// <summary>Remove even when constraints or a group still refer to it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var options = Options(Wait, TimeoutSec, Force);
        foreach (var name in Name)
        {
            if (TryCall((c, p, h, t) => p.RemoveResourceAsync(c, name, options, h, t), name, out ResourceActionResult result))
                WriteObject(result);
        }
    }
}
