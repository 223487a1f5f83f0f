using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Locking;

/// <summary>
/// One change at a time per cluster: a lock held on the nodes themselves, so operators on different admin hosts
/// are kept apart too. Taken in name order: the first reachable node alone (everyone contends for it first, so two
/// operators racing end with one holder, never with each holding a part), then the others at once; unreachable nodes
/// are skipped, and it counts only
/// when a majority of the cluster's nodes is held (half of an even count will do when it includes the first node by
/// name, as corosync's auto_tie_breaker decides), so two operators who each see different nodes still cannot both
/// hold it. A busy node rolls back what was taken; release is token-checked and frees the first node last.
/// </summary>
/// <remarks>Staleness: the holder renews every third of the lease; a lock not renewed for a whole lease (on the node's
/// clock) is taken over and the warning names the holder. On the holder's own admin host a dead process is recognised
/// at once (same host, pid gone). Usage: <c>await using var held = await ClusterLock.AcquireAsync(...)</c>.</remarks>
public sealed class ClusterLock
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private readonly ClusterContext _ctx;
    private readonly ClusterLockOptions _o;
    private readonly IOperationHost _host;
    private readonly string _token;
    private readonly List<NodeTarget> _held = new List<NodeTarget>();
    private CancellationTokenSource? _renewing;
    private Task? _renewLoop;

    private ClusterLock(ClusterContext ctx, ClusterLockOptions o, IOperationHost host)
    {
        _ctx = ctx;
        _o = o;
        _host = host;
        _token = Guid.NewGuid().ToString("N");
    }

    /// <summary>The nodes held, in the order taken.</summary>
    public IReadOnlyList<string> Nodes => _held.Select(n => n.Name).ToList();

    /// <summary>Take the lock for <paramref name="operation"/> (refuse with <see cref="ClusterBusyException"/>, or wait
    /// as the options say). A context without lock options, or -WhatIf, takes nothing.</summary>
    public static async Task<ClusterLock> AcquireAsync(ClusterContext context, string operation, IOperationHost host, CancellationToken cancellationToken)
    {
        var lk = new ClusterLock(context, context.Lock ?? ClusterLockOptions.Default, host);
        if (context.Lock == null || context.Lock.WhatIf) return lk;
        var me = new LockHolder
        {
            Host = Environment.MachineName, Pid = CurrentPid, Operation = Names.Printable(operation),
            Started = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        var waited = Stopwatch.StartNew();
        var random = new Random();
        while (true)
        {
            var busy = await lk.TryTakeAsync(me, cancellationToken).ConfigureAwait(false);
            if (busy == null)
            {
                lk.StartRenewing();
                host.Verbose($"cluster lock taken on {string.Join(", ", lk.Nodes)} for '{me.Operation}'");
                return lk;
            }
            var left = lk._o.Wait - waited.Elapsed;
            if (left <= TimeSpan.Zero) throw new ClusterBusyException(context.Spec.Name, busy, lk._o.Wait);
            host.Verbose($"waiting for the cluster lock: {busy} ({left.TotalSeconds:0} s left)");
            var pause = TimeSpan.FromMilliseconds(lk._o.Poll.TotalMilliseconds * (1 + random.NextDouble() / 4));
            await Task.Delay(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass over the nodes in name order. Null when the lock is held; else the holder met (all rolled back).
    /// Sequential until the first node taken (the one every contender meets first); the others then in parallel, since
    /// whoever holds the first reachable node has already won any race among operators who see the same nodes.</summary>
    private async Task<LockHolder?> TryTakeAsync(LockHolder me, CancellationToken ct)
    {
        var order = _ctx.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        var next = 0;
        while (next < order.Count && _held.Count == 0)
        {
            var (node, holder, failure) = await TakeOneAsync(order[next++], me, ct).ConfigureAwait(false);
            if (holder != null) return holder;
            if (failure != null) failures.Add(failure);
            else _held.Add(node);
        }
        var rest = await Task.WhenAll(order.Skip(next).Select(n => TakeOneAsync(n, me, ct))).ConfigureAwait(false);
        _held.AddRange(rest.Where(r => r.Holder == null && r.Failure == null).Select(r => r.Node));
        failures.AddRange(rest.Where(r => r.Failure != null).Select(r => r.Failure!));
        var busy = rest.Select(r => r.Holder).FirstOrDefault(h => h != null);
        if (busy == null && Enough(_held.Select(n => n.Name).ToList(), order.Select(n => n.Name).ToList())) return null;
        await ReleaseHeldAsync().ConfigureAwait(false);
        if (busy != null) return busy;
        throw new ClusterStateException($"cannot take the lock of cluster '{_ctx.Spec.Name}': a change needs a majority of its {order.Count} nodes, "
            + $"{order.Count - failures.Count} answered ({string.Join("; ", failures)})", _ctx.Spec.Name);
    }

    /// <summary>Take one node: (node, null, null) when taken; the holder when busy; a failure text when it did not answer.</summary>
    private async Task<(NodeTarget Node, LockHolder? Holder, string? Failure)> TakeOneAsync(NodeTarget node, LockHolder me, CancellationToken ct)
    {
        string? staleToken = null;
        while (true)
        {
            var r = await _ctx.Runner.RunAsync(node, new CommandRequest(LockScript.Acquire(_o.Root, _token, _o.Lease, me, staleToken), CallTimeout), ct).ConfigureAwait(false);
            var (status, holder) = LockScript.Parse(node.Name, r.StdOut);
            if (!r.Succeeded || status.Length == 0 || status == "FAILED")
                return (node, null, $"{node.Name}: {r.Error ?? (r.TimedOut ? "timed out" : Tail(r.StdErr, status))}");
            if (status == "ACQUIRED" || status == "STALE")
            {
                if (status == "STALE" && holder != null)
                    _host.Warning($"{node.Name}: took over a stale cluster lock: {holder}" + (staleToken != null ? " (that process is gone)" : " (its lease ran out)"));
                return (node, null, null);
            }
            // BUSY, or RETRY (another call is inside the node's guard right now): someone else is taking or holds it.
            holder ??= new LockHolder { Node = node.Name, Operation = "taking the lock", Host = "another operator", AgeSeconds = -1 };
            if (staleToken != null || !IsDeadHere(holder)) return (node, holder, null);
            staleToken = holder.Token;
        }
    }

    /// <summary>More than half the nodes, or exactly half including the first by name (two halves cannot both have it).</summary>
    internal static bool Enough(IReadOnlyList<string> held, IReadOnlyList<string> all)
    {
        if (all.Count == 0) return true;
        if (2 * held.Count > all.Count) return true;
        return 2 * held.Count == all.Count && held.Contains(all.OrderBy(n => n, StringComparer.Ordinal).First(), StringComparer.Ordinal);
    }

    /// <summary>The holder ran on this admin host and its process is gone: stale without waiting for the lease.</summary>
    private static bool IsDeadHere(LockHolder h)
    {
        if (h.Token.Length == 0 || h.Pid <= 0 || !string.Equals(h.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return false;
        if (h.Pid == CurrentPid) return false;
        try
        {
            using var p = Process.GetProcessById(h.Pid);
            return p.HasExited;
        }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    private static int CurrentPid
    {
        get { using var p = Process.GetCurrentProcess(); return p.Id; }
    }

    private void StartRenewing()
    {
        if (_held.Count == 0) return;
        _renewing = new CancellationTokenSource();
        var stop = _renewing.Token;
        var every = TimeSpan.FromMilliseconds(_o.Lease.TotalMilliseconds / 3);
        _renewLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(every, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                await Task.WhenAll(_held.Select(RenewOneAsync)).ConfigureAwait(false);
            }
        });
    }

    private async Task RenewOneAsync(NodeTarget node)
    {
        var r = await _ctx.Runner.RunAsync(node, new CommandRequest(LockScript.Renew(_o.Root, _token, _o.Lease), CallTimeout), CancellationToken.None).ConfigureAwait(false);
        var (status, holder) = LockScript.Parse(node.Name, r.StdOut);
        if (r.Succeeded && status == "LOST")
            _host.Warning($"{node.Name}: the cluster lock was taken over as stale" + (holder?.Token.Length > 0 ? $" by {holder}" : ""));
    }

    /// <summary>Release in reverse order; only our own token is removed. Runs even when the operation was cancelled.</summary>
    public async Task DisposeAsync()
    {
        if (_renewing != null)
        {
            _renewing.Cancel();
            try { await _renewLoop!.ConfigureAwait(false); } catch (OperationCanceledException) { }
            _renewing.Dispose();
            _renewing = null;
        }
        await ReleaseHeldAsync().ConfigureAwait(false);
    }

    /// <summary>The first node taken is released last, so a contender cannot pass it while we still hold others.</summary>
    private async Task ReleaseHeldAsync()
    {
        if (_held.Count > 1) await Task.WhenAll(_held.Skip(1).Reverse().Select(ReleaseOneAsync)).ConfigureAwait(false);
        if (_held.Count > 0) await ReleaseOneAsync(_held[0]).ConfigureAwait(false);
        _held.Clear();
    }

    private async Task ReleaseOneAsync(NodeTarget node)
    {
        var r = await _ctx.Runner.RunAsync(node, new CommandRequest(LockScript.Release(_o.Root, _token, _o.Lease), CallTimeout), CancellationToken.None).ConfigureAwait(false);
        var (status, holder) = LockScript.Parse(node.Name, r.StdOut);
        if (!r.Succeeded || (status != "RELEASED" && status != "NOT-HELD"))
            _host.Warning($"{node.Name}: cluster lock not released ({(status == "NOT-OURS" && holder != null ? "now held by " + holder : r.Error ?? Tail(r.StdErr, status))}); it goes stale after {_o.Lease.TotalSeconds:0} s");
    }

    private static string Tail(string stderr, string status)
    {
        var s = stderr.Trim();
        if (s.Length > 200) s = "…" + s.Substring(s.Length - 200);
        return s.Length > 0 ? s : status.Length > 0 ? status : "no answer from the lock script";
    }
}
