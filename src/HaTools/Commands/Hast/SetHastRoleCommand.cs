using System;
using System.Management.Automation;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hast;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Sets one HAST resource's role on one node and waits (bounded) until hastd has switched. Primary is refused
/// while the peer is primary or cannot be read, unless -Force with the peer named in -PeerDown.</summary>
[Cmdlet(VerbsCommon.Set, "HastRole", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RoleChangeResult))]
public sealed class SetHastRoleCommand : HastRoleCmdlet
{
    internal override string? ObjectKind => "Resource";

    /// <summary>The HAST resource (hast.resources[].name).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Resource { get; set; } = "";

    /// <summary>Primary, Secondary or Init.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateSet("Primary", "Secondary", "Init")]
    public string Role { get; set; } = "";

    /// <summary>The node whose role changes.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string Node { get; set; } = "";




    protected override void ProcessRecord()
    {
        var role = (HastRole)Enum.Parse(typeof(HastRole), Role, ignoreCase: true);
        var options = RoleOptions();
        if (TryCall<IRoleSwitching, RoleChangeResult>((c, s, h, t) => s.SetRoleAsync(c, Resource, role, Node, options, h, t), Resource, out var result))
            WriteObject(result);
    }
}
