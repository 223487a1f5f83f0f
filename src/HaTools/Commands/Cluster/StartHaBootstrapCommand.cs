using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.Core.Model;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>
/// Brings the cluster to the state its file declares (idempotent). -WhatIf shows the plan (PlanBootstrap) without
/// contacting any node. ConfirmImpact is Medium: a re-run is safe; -Mkfs, which destroys data, asks once more
/// through ShouldContinue unless -Force or -Confirm:$false is given.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "HaBootstrap", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PhaseResult), typeof(PlanStep))]
public sealed class StartHaBootstrapCommand : HaChangeCmdlet
{
    /// <summary>Format the shared storage devices the file declares.</summary>
    [Parameter]
    public SwitchParameter Mkfs { get; set; }

    /// <summary>Override guards (existing filesystem, running cluster) and skip the -Mkfs question.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var context = Context;
        var options = new BootstrapOptions { Mkfs = Mkfs, Force = Force };
        var action = Msg.Format(Strings.BootstrapAction, context.Spec.Name, context.Nodes.Count);
        if (!ShouldProcess(action, action, MyInvocation.MyCommand.Name, out var reason))
        {
            if (reason == ShouldProcessReason.WhatIf) WritePlan(context, options);
            return;
        }
        if (Mkfs && !Force && !ConfirmTurnedOff && !ShouldContinue(MkfsQuery(context), Strings.MkfsCaption)) return;
        if (TryCall((c, p, h, t) => p.BootstrapAsync(c, options, h, t), context.Spec.Name, out IReadOnlyList<PhaseResult> phases))
            ResultWriter.Write(this, phases);
    }

    private void WritePlan(ClusterContext context, BootstrapOptions options)
    {
        IReadOnlyList<PlanStep> plan;
        try { plan = context.Stack.PlanBootstrap(context, options); }
        catch (System.Exception e) when (IsReportable(e)) { Report(e, context.Spec.Name); return; }
        foreach (var step in plan)
        {
            ShouldProcess(step.Node, Msg.Format(Strings.PlanStepAction, step.Phase, step.Description)); // prints "What if: …"
            WriteObject(step);
        }
    }

    private bool ConfirmTurnedOff =>
        MyInvocation.BoundParameters.TryGetValue("Confirm", out var value) && value is SwitchParameter s && !s.IsPresent;

    private static string MkfsQuery(ClusterContext context)
    {
        var devices = context.Spec.Storage.Devices.Select(d => $"{d.Node}:{d.Path} ({d.Fstype})").ToList();
        return Msg.Format(Strings.MkfsQuery, context.Spec.Name, devices.Count > 0 ? string.Join(", ", devices) : Strings.MkfsNoDevices);
    }
}
