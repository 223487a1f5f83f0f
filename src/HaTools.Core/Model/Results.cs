using System;
using System.Collections.Generic;

namespace HaTools.Core.Model;

/// <summary>What one remote (or local) command did on one node.</summary>
public sealed class CommandResult
{
    public string Node { get; set; } = "";
    public int ExitCode { get; set; }
    public string StdOut { get; set; } = "";
    public string StdErr { get; set; } = "";
    public TimeSpan Duration { get; set; }
    public bool TimedOut { get; set; }
    /// <summary>The node could not be reached (connection refused, timeout before auth, host key refused …).</summary>
    public bool Unreachable { get; set; }
    /// <summary>Set when the command could not run at all (unreachable, host key refused, cancelled); null otherwise.</summary>
    public string? Error { get; set; }
    /// <summary>stdout or stderr was longer than the capture limit (32 MiB) and was cut: do not parse it as complete.</summary>
    public bool OutputTruncated { get; set; }
    public bool Succeeded => ExitCode == 0 && !TimedOut && Error == null;
}

public enum FileChange
{
    Changed,
    Unchanged,
    Failed,
    /// <summary>-WhatIf: would be changed.</summary>
    WouldChange,
}

/// <summary>One file pushed to one node.</summary>
public sealed class FilePushResult
{
    public string Node { get; set; } = "";
    public string Destination { get; set; } = "";
    public FileChange Status { get; set; }
    /// <summary>sha256 of the content pushed (hex).</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>Where the replaced file was saved; null when there was none or nothing changed.</summary>
    public string? Backup { get; set; }
    public string? Error { get; set; }
    public TimeSpan Duration { get; set; }
}

public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>One pre-flight check on one node (Test-HaCluster).</summary>
public sealed class CheckResult
{
    public string Check { get; set; } = "";
    public string Node { get; set; } = "";
    public Severity Severity { get; set; }
    public string Message { get; set; } = "";
}

public enum PhaseStatus
{
    Ok,
    Changed,
    Unchanged,
    Skipped,
    Warning,
    Failed,
    /// <summary>-WhatIf: the step that would run.</summary>
    Planned,
}

/// <summary>One phase of a bootstrap (or other plan) on one node, or cluster-wide (Node = "*").</summary>
public sealed class PhaseResult
{
    public string Phase { get; set; } = "";
    public string Node { get; set; } = "";
    public PhaseStatus Status { get; set; }
    public string Message { get; set; } = "";
    public TimeSpan Duration { get; set; }
}

public sealed class ClusterStatus
{
    public string Name { get; set; } = "";
    /// <summary>The cluster file the status was asked for (full path); null when read from a saved crm_mon file or
    /// from a cluster object. Several files may describe one cluster (and so share a Name): this tells their answers apart.</summary>
    public string? SourceFile { get; set; }
    public string Stack { get; set; } = "pacemaker";
    /// <summary>The designated controller's node name; null when there is none.</summary>
    public string? Dc { get; set; }
    public bool Quorate { get; set; }
    /// <summary>The node that answered.</summary>
    public string QueriedNode { get; set; } = "";
    public List<NodeStatus> Nodes { get; set; } = new List<NodeStatus>();
    public List<ResourceStatus> Resources { get; set; } = new List<ResourceStatus>();
    public List<string> Warnings { get; set; } = new List<string>();
    /// <summary>Nodes that could not be asked (unreachable or timed out) while looking for an answer.</summary>
    public List<string> UnreachableNodes { get; set; } = new List<string>();
    /// <summary>What only this cluster's stack knows (for Pacemaker a <c>PacemakerStatusDetails</c>), with its own default
    /// view; null when the status was not read from the stack. Everything above is common to every stack.</summary>
    public object? Details { get; set; }
}

public sealed class NodeStatus
{
    public string Name { get; set; } = "";
    public string? Id { get; set; }
    public bool Online { get; set; }
    public bool Standby { get; set; }
    public bool Maintenance { get; set; }
    public bool Unclean { get; set; }
    public bool IsDc { get; set; }
    public int ResourceCount { get; set; }
}

public sealed class ResourceStatus
{
    /// <summary>The resource id (for a clone instance, the primitive's id; Clone holds the clone's id).</summary>
    public string Name { get; set; } = "";
    /// <summary>class:provider:type.</summary>
    public string Agent { get; set; } = "";
    /// <summary>Started, Stopped, Promoted, Unpromoted, Starting, Stopping, Migrating …</summary>
    public string Role { get; set; } = "";
    public string TargetRole { get; set; } = "";
    /// <summary>The node it runs on; null when stopped.</summary>
    public string? Node { get; set; }
    public string? Group { get; set; }
    public string? Clone { get; set; }
    /// <summary>The bundle this resource is a replica of; null otherwise.</summary>
    public string? Bundle { get; set; }
    public bool Managed { get; set; } = true;
    public bool Failed { get; set; }
    public int FailCount { get; set; }
}
