using System.Collections.Generic;
using System.Xml.Linq;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>What applying the cluster file to a running CIB would change (see <see cref="CibPlanner"/>).</summary>
public sealed class CibPlan
{
    public CibPlan(XElement newConfiguration, List<string> changes, List<string> warnings)
    {
        NewConfiguration = newConfiguration;
        Changes = changes;
        Warnings = warnings;
    }

    /// <summary>False when the cluster already is as the file says: nothing needs to be sent.</summary>
    public bool Changed => Changes.Count > 0;

    /// <summary>One line per change, for -WhatIf and logs: "add primitive vip", "set property stonith-enabled=false (was true)".</summary>
    public List<string> Changes { get; }

    /// <summary>The complete &lt;configuration&gt; to send with cibadmin --replace --scope configuration (stdin).</summary>
    public XElement NewConfiguration { get; }

    /// <summary>Things the operator should know that do not stop the plan (undeclared resources left as is, …).</summary>
    public List<string> Warnings { get; }
}
