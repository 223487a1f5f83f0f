using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Planned switchover of a HAST pair to -ToNode: pool export, role secondary on the old primary, role primary
/// and pool import on the new one, CARP moved. A failure stops it with the pool on one node or none (never two); the
/// result says which, and an error is written.</summary>
[Cmdlet(VerbsCommon.Switch, "HastPrimary", SupportsShouldProcess = true)]
[OutputType(typeof(SwitchoverResult))]
public sealed class SwitchHastPrimaryCommand : HastRoleCmdlet
{
    internal override string? ObjectKind => "Node";

    /// <summary>The node that becomes primary.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string ToNode { get; set; } = "";




    /// <summary>Seconds to wait for the old primary to let go of the new one (default: failover.peer_timeout).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PeerTimeoutSec { get; set; }

    protected override void ProcessRecord()
    {
        var options = RoleOptions(PeerTimeoutSec);
        if (!TryCall<IRoleSwitching, SwitchoverResult>((c, s, h, t) => s.SwitchPrimaryAsync(c, ToNode, options, h, t), ToNode, out var result)) return;
        WriteObject(result);
        if (result.FailedStep != null) Report(new ClusterStateException(result.Message, ToNode), ToNode);
    }
}
