using System;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Locking;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that changes a cluster: Core takes the cluster lock for it (held on the nodes), and this adds
/// how long to wait for another operator's lock. Under -WhatIf nothing changes, so no lock is taken.
/// </summary>
public abstract class HaChangeCmdlet : HaClusterCmdlet
{
    /// <summary>Seconds to wait when another operator holds the cluster's lock; 0 (default) refuses at once with ClusterBusy.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int WaitForLock { get; set; }

    private protected override ClusterContext Prepare(ClusterContext context)
    {
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
            ? LanguagePrimitives.IsTrue(w) : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference", false));
        context.Lock = (context.Lock ?? ClusterLockOptions.Default) with { Wait = TimeSpan.FromSeconds(WaitForLock), WhatIf = whatIf };
        return context;
    }
}
