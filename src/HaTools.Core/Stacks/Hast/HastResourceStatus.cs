using System.Collections.Generic;

namespace HaTools.Core.Stacks.Hast;

public enum HastRole
{
    /// <summary>Not reported (a resource in error) or a word this build does not know (kept in RoleText).</summary>
    Unknown,
    Init,
    Primary,
    Secondary,
}

public enum HastSyncStatus
{
    /// <summary>hastd reported none: no worker runs (role init, or a secondary no primary is connected to), or the
    /// resource is in error.</summary>
    Unknown,
    /// <summary>Both connections to the peer are up. Not the same as synchronised: see Dirty.</summary>
    Complete,
    /// <summary>A worker runs but the peer is not (fully) connected.</summary>
    Degraded,
}

/// <summary>One HAST resource on one node, as <c>hastctl list</c> (or the <c>hastctl status</c> table, or FreeBSD 8/9's
/// <c>hastctl status</c>) reported it. Fields the format did not carry are null.</summary>
public sealed class HastResourceStatus
{
    public string Resource { get; set; } = "";
    /// <summary>The node the output came from (given by the caller: hastctl does not print it); null when not given.</summary>
    public string? Node { get; set; }
    public HastRole Role { get; set; }
    /// <summary>The role as hastctl printed it.</summary>
    public string RoleText { get; set; } = "";
    public HastSyncStatus Status { get; set; }
    /// <summary>Bytes not yet synchronised with the peer (<c>dirty:</c>); null when the format has no such field.</summary>
    public long? Dirty { get; set; }
    /// <summary>memsync, fullsync, async (or unknown) as hastd runs it.</summary>
    public string? Replication { get; set; }
    /// <summary>The peer's address as written in hast.conf (<c>remoteaddr:</c>, or the table's last column).</summary>
    public string? Remote { get; set; }
    public string? Source { get; set; }
    public string? LocalPath { get; set; }
    /// <summary>GEOM provider name: the device is /dev/hast/PROVNAME.</summary>
    public string? ProviderName { get; set; }
    public long? ExtentSize { get; set; }
    public int? KeepDirty { get; set; }
    /// <summary>The worker's process id; null when no worker runs (or the format does not say).</summary>
    public int? WorkerPid { get; set; }
    /// <summary>The error number hastd answered for this resource (1: unknown resource, 57: not connected …); null when none.</summary>
    public int? Error { get; set; }
    /// <summary>list, status-table or status-old: which of hastctl's formats this came from.</summary>
    public string Format { get; set; } = "";
    /// <summary>Why this node's hastd could not be read (unreachable, hastd not running, hastctl hung …): then only
    /// Resource and Node are known and Role is Unknown. Null when it was read.</summary>
    public string? Unreadable { get; set; }
    /// <summary>What the parser skipped in this resource's part of the output (a cut-off line, a field it could not read).</summary>
    public List<string> Warnings { get; } = new List<string>();
}
