using System;

namespace HaTools.Core.Locking;

/// <summary>How a changing operation takes the cluster lock. A context without options (built by hand, as the unit
/// tests do) takes none; <see cref="ClusterContext.FromFile"/>, the module and the CLI give these.</summary>
public sealed record ClusterLockOptions
{
    public static ClusterLockOptions Default { get; } = new ClusterLockOptions();

    /// <summary>How long to wait for another operator's lock (-WaitForLock / --wait-for-lock); zero refuses at once.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.Zero;

    /// <summary>A lock not renewed for this long (on the node's own clock) is stale. The holder renews every third of it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between two tries while waiting (plus up to a quarter of it at random, so two waiters do not march in step).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>On every node; root-only. /var/run (/run on Linux, a real directory on FreeBSD): a lock belongs to a
    /// running operation, so it may vanish with a reboot, and it is private per node in the lab.</summary>
    public string Root { get; init; } = "/var/run/hatools/lock";

    /// <summary>-WhatIf: nothing changes, so no lock is taken.</summary>
    public bool WhatIf { get; init; }
}

/// <summary>Who holds a cluster's lock, as one node's lock directory says.</summary>
public sealed class LockHolder
{
    public string Node { get; set; } = "";
    public string Host { get; set; } = "";
    public int Pid { get; set; }
    public string Operation { get; set; } = "";
    /// <summary>UTC, ISO 8601, from the holder's clock.</summary>
    public string Started { get; set; } = "";
    /// <summary>Seconds since the holder last renewed, on the node's clock.</summary>
    public long AgeSeconds { get; set; }
    internal string Token { get; set; } = "";

    public override string ToString() =>
        $"'{Operation}' by {Host} (pid {Pid}) since {Started}" + (AgeSeconds >= 0 ? $", renewed {AgeSeconds} s ago" : "");
}
