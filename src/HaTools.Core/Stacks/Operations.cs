using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core;

/// <summary>How Core talks back to whoever called it (a cmdlet, the CLI, a test). Implementations must be thread-safe:
/// Core may call them from worker threads; the module marshals them to the pipeline thread.</summary>
public interface IOperationHost
{
    /// <summary>Ask before a change. Returns false under -WhatIf (after the host has shown the action) or when refused.</summary>
    bool ShouldProcess(string target, string action);
    void Progress(ProgressInfo progress);
    void Warning(string message);
    void Verbose(string message);
}

public sealed class ProgressInfo
{
    public ProgressInfo(string activity, string status, int percent, bool completed = false)
    {
        Activity = activity;
        Status = status;
        Percent = percent;
        Completed = completed;
    }

    /// <summary>Stable id per activity so a host can keep several bars.</summary>
    public int Id { get; init; }
    public string Activity { get; }
    public string Status { get; }
    public int Percent { get; }
    public bool Completed { get; }
}

/// <summary>A host that says yes to everything and reports nothing: for tests and scripts.</summary>
public sealed class NullOperationHost : IOperationHost
{
    public static NullOperationHost Instance { get; } = new NullOperationHost();
    public bool ShouldProcess(string target, string action) => true;
    public void Progress(ProgressInfo progress) { }
    public void Warning(string message) { }
    public void Verbose(string message) { }
}

public sealed class PlanStep
{
    public string Phase { get; set; } = "";
    /// <summary>Node name, or "*" for a cluster-wide step.</summary>
    public string Node { get; set; } = "*";
    public string Description { get; set; } = "";
}

public class ActionOptions
{
    /// <summary>Wait until the cluster reached the new state.</summary>
    public bool Wait { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);
    /// <summary>Override guards (no quorum, existing filesystem, running cluster).</summary>
    public bool Force { get; set; }
}

public sealed class MoveOptions : ActionOptions
{
    /// <summary>ISO 8601 duration (PT1H) for a temporary move constraint; when set, the constraint is kept and expires by itself.</summary>
    public string? Lifetime { get; set; }
}

public sealed class BootstrapOptions
{
    public bool Mkfs { get; set; }
    public bool Force { get; set; }
    public TimeSpan QuorumTimeout { get; set; } = TimeSpan.FromSeconds(120);
    public TimeSpan ResourceTimeout { get; set; } = TimeSpan.FromSeconds(120);
}

public sealed class TestOptions
{
    /// <summary>Accept a running or leftover cluster.</summary>
    public bool Force { get; set; }
}

public sealed class ResourceActionResult
{
    public string Resource { get; set; } = "";
    public string Action { get; set; } = "";
    /// <summary>False under -WhatIf or when nothing needed doing.</summary>
    public bool Changed { get; set; }
    /// <summary>Where the resource runs after the action (when waited for); null when stopped or unknown.</summary>
    public string? Node { get; set; }
    public string Role { get; set; } = "";
    public string Message { get; set; } = "";
    public TimeSpan Duration { get; set; }
}

public sealed class NodeActionResult
{
    public string Node { get; set; } = "";
    public string Action { get; set; } = "";
    public bool Changed { get; set; }
    public bool Standby { get; set; }
    public int ResourceCount { get; set; }
    public TimeSpan Duration { get; set; }
}

public sealed class ClusterProperty
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    /// <summary>Where it is set: crm_config, rsc_defaults, op_defaults.</summary>
    public string Section { get; set; } = "crm_config";
}

public enum ConstraintType
{
    Location,
    Colocation,
    Order,
}

public sealed class ConstraintInfo
{
    public string Id { get; set; } = "";
    public ConstraintType Type { get; set; }
    /// <summary>Location: the resource; colocation: the dependent resource; order: the first resource.</summary>
    public string Resource { get; set; } = "";
    /// <summary>Location: the node; colocation: the resource it goes with; order: the then resource.</summary>
    public string Target { get; set; } = "";
    public string Score { get; set; } = "";
    /// <summary>Order kind (Mandatory, Optional, Serialize); empty otherwise.</summary>
    public string Kind { get; set; } = "";
    /// <summary>Made by a move/ban (cli-prefer-*, cli-ban-*).</summary>
    public bool FromMove { get; set; }
    /// <summary>lifetime rule end, when any.</summary>
    public string? Expires { get; set; }
}
