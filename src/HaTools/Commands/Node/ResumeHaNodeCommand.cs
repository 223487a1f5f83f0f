using System.Management.Automation;
using HaTools.Core;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Takes nodes out of standby so they can run resources again.</summary>
[Cmdlet(VerbsLifecycle.Resume, "HaNode", SupportsShouldProcess = true)]
[OutputType(typeof(NodeActionResult))]
public sealed class ResumeHaNodeCommand : NodeStandbyCmdlet
{
    internal override bool Standby => false;
}
