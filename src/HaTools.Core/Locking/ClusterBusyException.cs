using System;
using HaTools.Core.Model;

namespace HaTools.Core.Locking;

/// <summary>Another operator holds the cluster's lock (ErrorId ClusterBusy).</summary>
public sealed class ClusterBusyException : HaException
{
    public ClusterBusyException(string cluster, LockHolder holder, TimeSpan waited)
        : base($"cluster '{cluster}' is busy: {holder} holds its lock (seen on {holder.Node})"
            + (waited > TimeSpan.Zero ? $"; waited {waited.TotalSeconds:0} s" : "; wait for it with -WaitForLock SECONDS (hatools: --wait-for-lock SECONDS)"))
    {
        Holder = holder;
        Waited = waited;
        Target = cluster;
    }

    public LockHolder Holder { get; }
    public TimeSpan Waited { get; }
}
