using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Base of the cmdlets that do one thing to each named resource (Start, Stop, Restart, Clear, Remove):
/// -Name from the pipeline, -Wait, -TimeoutSec, one call of capability <typeparamref name="TCapability"/> per name.</summary>
public abstract class ResourceActionCmdlet<TCapability> : HaChangeCmdlet where TCapability : class
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

    /// <summary>The Core call for one resource.</summary>
    internal abstract Task<ResourceActionResult> Act(TCapability stack, ClusterContext cluster, string name, ActionOptions options, IOperationHost host, CancellationToken token);

    /// <summary>The options every call of this command gets (a cmdlet with -Force adds it here).</summary>
    internal virtual ActionOptions BuildOptions() => Options(Wait, TimeoutSec);

    protected override void ProcessRecord()
    {
        var options = BuildOptions();
        foreach (var name in Name)
        {
            if (TryCall<TCapability, ResourceActionResult>((c, p, h, t) => Act(p, c, name, options, h, t), name, out ResourceActionResult result))
                WriteObject(result);
        }
    }
}

/// <summary>Base of Suspend-HaNode and Resume-HaNode: standby on or off for each named node.</summary>
public abstract class NodeStandbyCmdlet : HaChangeCmdlet
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

    /// <summary>true: put in standby; false: take out of standby.</summary>
    internal abstract bool Standby { get; }

    protected override void ProcessRecord()
    {
        var options = Options(Wait, TimeoutSec);
        var standby = Standby;
        foreach (var name in Name)
        {
            if (TryCall<INodeStandby, NodeActionResult>((c, p, h, t) => p.SetNodeStandbyAsync(c, name, standby, options, h, t), name, out NodeActionResult result))
                WriteObject(result);
        }
    }
}
