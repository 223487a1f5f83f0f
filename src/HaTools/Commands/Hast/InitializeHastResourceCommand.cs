using System.Management.Automation;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Re-initialises one HAST resource on one node (hastctl role init, then hastctl create): refused where the
/// node's data may be the good copy unless -Force, and never under an imported pool.</summary>
[Cmdlet(VerbsData.Initialize, "HastResource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RoleChangeResult))]
public sealed class InitializeHastResourceCommand : HaChangeCmdlet
{
    internal override string? ObjectKind => "Resource";

    /// <summary>The HAST resource (hast.resources[].name).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Resource { get; set; } = "";

    /// <summary>The node whose copy is re-initialised.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string Node { get; set; } = "";

    /// <summary>Re-initialise although this node's data may be the good copy (it is primary, or the peer is not).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var options = new RoleChangeOptions { Force = Force };
        if (TryCall<IRoleSwitching, RoleChangeResult>((c, s, h, t) => s.InitializeResourceAsync(c, Resource, Node, options, h, t), Resource, out var result))
            WriteObject(result);
    }
}
