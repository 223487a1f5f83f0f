using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Stops resources (target-role Stopped).</summary>
[Cmdlet(VerbsLifecycle.Stop, "HaResource", SupportsShouldProcess = true)]
[OutputType(typeof(ResourceActionResult))]
public sealed class StopHaResourceCommand : HaClusterCmdlet
{
    internal override string? ObjectKind => "Resource";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Resource")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
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
            if (TryCall((c, p, h, t) => p.StopResourceAsync(c, name, options, h, t), name, out ResourceActionResult result))
                WriteObject(result);
        }
    }
}
