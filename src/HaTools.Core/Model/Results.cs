using System;
using System.Collections.Generic;

namespace HaTools.Core.Model;

/// <summary>Why a command could not run (or finish) on a node, as the runner saw it. Set by the runner that talked
/// to the node (it alone knows its client's wording); everything above the transport decides on this, never on text.</summary>
public enum FailureKind
{
    /// <summary>The command ran to its end (whatever its exit code).</summary>
    None,
    /// <summary>No connection could be made (refused, no route, name unknown, connect timeout, skipped offline).</summary>
    Unreachable,
    /// <summary>The node's host key is unknown or changed and the policy refuses it.</summary>
    HostKeyRefused,
    /// <summary>Connected, but the node refused our credentials.</summary>
    AuthFailed,
    /// <summary>The command's time ran out (killed on the node, or the node did not answer at all).</summary>
    TimedOut,
    /// <summary>The connection broke while the command ran: it may or may not have run.</summary>
    ConnectionLost,
    /// <summary>The local client (ssh, or the program itself) could not be started.</summary>
    CannotStart,
}

/// <summary>What one remote (or local) command did on one node.</summary>
public sealed class CommandResult
{
    private FailureKind _failure;

    public string Node { get; set; } = "";
    public int ExitCode { get; set; }
    public string StdOut { get; set; } = "";
    public string StdErr { get; set; } = "";
    public TimeSpan Duration { get; set; }
    /// <summary>Why the command could not run or finish; None when it ran. Kept in step with <see cref="TimedOut"/>
    /// and <see cref="Unreachable"/>, which stay for the scripts and JSON that read them.</summary>
    public FailureKind Failure
    {
        get => _failure;
        set { _failure = value; FailureUntyped = false; }
    }
    public bool TimedOut
    {
        get => _failure == FailureKind.TimedOut;
        set { if (value) Failure = FailureKind.TimedOut; else if (_failure == FailureKind.TimedOut) Failure = FailureKind.None; }
    }
    /// <summary>The node could not be reached (connection refused, timeout before auth, host key refused, could not
    /// start the client …). A lost connection is not counted: the command may have run.</summary>
    public bool Unreachable
    {
        get => _failure != FailureKind.None && _failure != FailureKind.TimedOut && _failure != FailureKind.ConnectionLost;
        set
        {
            if (value && !Unreachable) { _failure = FailureKind.Unreachable; FailureUntyped = true; }
            else if (!value && Unreachable) Failure = FailureKind.None;
        }
    }
    /// <summary>Set only through the bool <see cref="Unreachable"/>, by a runner that says no more than that.</summary>
    internal bool FailureUntyped { get; private set; }
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
    /// <summary>Why the push could not reach the node (from the transport); None when it reached it (and then Error,
    /// if any, is the node's own refusal: a full disk, a read-only folder …).</summary>
    public FailureKind Failure { get; set; }
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
    /// <summary>The same warnings as typed items (code, severity, node), in the same order: decide on the code.</summary>
    public List<ReportItem> Notices { get; set; } = new List<ReportItem>();
    /// <summary>Nodes that could not be asked (unreachable or timed out) while looking for an answer.</summary>
    public List<string> UnreachableNodes { get; set; } = new List<string>();
    /// <summary>What only this cluster's stack knows (for Pacemaker a <c>PacemakerStatusDetails</c>), with its own default
    /// view; null when the status was not read from the stack. Everything above is common to every stack.</summary>
    public object? Details { get; set; }

    /// <summary>Adds a warning to both lists (<see cref="Warnings"/> for people and old scripts, <see cref="Notices"/> typed).</summary>
    public void Warn(string code, string message, string? node = null)
    {
        Warnings.Add(message);
        Notices.Add(new ReportItem(code, Severity.Warning, message, node));
    }
}

/// <summary>One finding of an operation (a warning in a status, a notice of a plan): a stable code to decide on,
/// the text for people beside it.</summary>
public sealed class ReportItem
{
    public ReportItem(string code, Severity severity, string message, string? node = null)
    {
        Code = code;
        Severity = severity;
        Message = message;
        Node = node;
    }

    /// <summary>PascalCase, stable across releases (e.g. StonithDisabled); never parse Message.</summary>
    public string Code { get; }
    public Severity Severity { get; }
    /// <summary>The node it is about; null when cluster-wide.</summary>
    public string? Node { get; }
    public string Message { get; }

    public override string ToString() => Message;
}

/// <summary>The codes of the status warnings Core emits.</summary>
public static class NoticeCodes
{
    public const string StonithDisabled = "StonithDisabled";
    public const string NoDc = "NoDc";
    public const string NoQuorum = "NoQuorum";
    public const string MaintenanceMode = "MaintenanceMode";
    public const string StopAllResources = "StopAllResources";
    public const string NodeUnclean = "NodeUnclean";
    public const string NodeDidNotAnswer = "NodeDidNotAnswer";
    public const string StatusUnavailable = "StatusUnavailable";
    public const string NodeOffline = "NodeOffline";
    public const string NodeMaintenance = "NodeMaintenance";
    public const string FailedAction = "FailedAction";
    public const string ResourceMultiActive = "ResourceMultiActive";
    public const string ResourceOrphaned = "ResourceOrphaned";
    public const string ResourceBlocked = "ResourceBlocked";
    public const string ResourceUnmanaged = "ResourceUnmanaged";
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
