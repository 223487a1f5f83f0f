using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Puts nodes in standby: their resources move away; with -Wait, returns once they have.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "HaNode", SupportsShouldProcess = true)]
[OutputType(typeof(NodeActionResult))]
public sealed class SuspendHaNodeCommand : NodeStandbyCmdlet
{
    internal override bool Standby => true;
}
