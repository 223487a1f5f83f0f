using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>
/// Role switching (Set-HastRole, Switch-HastPrimary, Initialize-HastResource). Each takes the cluster lock, reads the
/// nodes, decides with <see cref="HastPromotionRule"/> before it asks (hastd itself starts a second primary "anyway"),
/// asks ShouldProcess, acts, and waits, bounded, until hastd did what it said: hastctl answers before the primary worker
/// exists, so the device is polled and hastctl list read back. The pool is exported before a node leaves primary
/// (leaving primary destroys /dev/hast/* under it) and imported only where every device under it is primary.
/// </summary>
public sealed partial class HastStack : IRoleSwitching
{
    /// <summary>Between two reads while waiting for the peer's primary to let go, or for the CARP master to move.</summary>
    internal static readonly TimeSpan RolePoll = TimeSpan.FromSeconds(1);

    public async Task<RoleChangeResult> SetRoleAsync(ClusterContext context, string resource, HastRole role, string node, RoleChangeOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var res = ResourceOf(context, resource);
        var word = HastCommands.RoleWord(role);
        var (me, peer) = PairOf(context, node);
        var statement = Statement(options, peer.Name);
        var pool = PoolOver(context, res);
        var bound = DeviceTimeout(context, options);
        using var lockContext = LockContext(context, statement);
        await using var held = await ClusterLock.AcquireAsync(lockContext, $"hast role {word} {res} on {node}", host, cancellationToken).ConfigureAwait(false);

        // Leaving primary needs to know whether the pool is imported on top; becoming primary does not.
        var mine = await HastNodeReader.ReadAsync(context, me, res, role == HastRole.Primary ? null : pool, null, cancellationToken).ConfigureAwait(false);
        var current = Known(mine, res);
        var result = new RoleChangeResult { Resource = res, Node = node, Action = word, Role = current.Role };
        var dev = HastCommands.Device(res);
        if (role == HastRole.Primary)
        {
            var theirs = await HastNodeReader.ReadAsync(context, peer, res, null, null, cancellationToken).ConfigureAwait(false);
            var d = HastPromotionRule.MayBecomePrimary(res, mine.ToReading(), theirs.ToReading(), statement);
            if (!d.Allowed) throw new ClusterStateException($"refusing to make {res} primary on '{node}': {d.Reason}", node);
            if (d.AlreadyPrimary) return Done(result, d.Reason, sw);
            if (d.Warning != null) host.Warning(d.Warning);
            if (!host.ShouldProcess(node, $"make {res} primary (hastctl role primary {res}), then wait up to {bound.TotalSeconds:0} s for {dev}")) return result;
            await ChangeAsync(context, me, HastCommands.Role(HastRole.Primary, res), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (current.Role == role) return Done(result, $"{res} is {word} on '{node}' already", sw);
            var export = current.Role == HastRole.Primary && PoolHere(mine, pool, node, res);
            if (!host.ShouldProcess(node, (export ? $"export pool {pool} (zpool export {pool}), then " : "") + $"make {res} {word} (hastctl role {word} {res})"
                + (current.Role == HastRole.Primary ? $", then wait up to {bound.TotalSeconds:0} s for {dev} to go" : ""))) return result;
            if (export)
            {
                await ExportAsync(context, me, pool!, res, cancellationToken).ConfigureAwait(false);
                result.PoolExported = pool;
            }
            await ChangeAsync(context, me, HastCommands.Role(role, res), cancellationToken).ConfigureAwait(false);
        }
        result.Changed = true;
        await WaitRoleAsync(context, me, res, role, bound, cancellationToken).ConfigureAwait(false);
        result.Role = role;
        result.DevicePresent = role == HastRole.Primary;
        return Done(result, $"{res} is {word} on '{node}'" + (result.DevicePresent ? $"; {dev} is there" : "") + (result.PoolExported != null ? $"; pool {pool} exported first" : ""), sw);
    }

    public async Task<RoleChangeResult> InitializeResourceAsync(ClusterContext context, string resource, string node, RoleChangeOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var res = ResourceOf(context, resource);
        var (me, peer) = PairOf(context, node);
        if (options.PeerDown != null) throw new HaException("initialising a resource takes no statement that the peer is down (-PeerDown); -Force alone overrides its guard") { Target = options.PeerDown };
        var pool = PoolOver(context, res);
        var bound = DeviceTimeout(context, options);
        await using var held = await ClusterLock.AcquireAsync(context, $"hast initialize {res} on {node}", host, cancellationToken).ConfigureAwait(false);

        var mine = await HastNodeReader.ReadAsync(context, me, res, pool, null, cancellationToken).ConfigureAwait(false);
        var current = Known(mine, res);
        var theirs = await HastNodeReader.ReadAsync(context, peer, res, null, null, cancellationToken).ConfigureAwait(false);
        var dump = await context.Runner.RunAsync(me, HastCommands.Bounded(HastCommands.Dump(res), HastCommands.ReadTimeout), cancellationToken).ConfigureAwait(false);
        if (dump.Failure != FailureKind.None) throw new NodeCommandException(node, ShellQuote.Join(HastCommands.Dump(res)), dump, "read HAST metadata");
        var hasMetadata = dump.Succeeded && dump.StdOut.Contains("resource: " + res);
        if (current.Role != HastRole.Init && PoolHere(mine, pool, node, res))
            throw new ClusterStateException($"refusing to initialise {res} on '{node}': pool {pool} is imported there on top of it (export it first, or switch the primary away)", node);
        var why = !hasMetadata ? null
            : current.Role == HastRole.Primary ? $"'{node}' is primary for {res}: its data is the live copy"
            : theirs.IsPrimary(res) ? null
            : theirs.Unreadable != null ? $"the peer '{peer.Name}' cannot be read ({theirs.Unreadable}), so the data on '{node}' may be the only good copy of {res}"
            : $"{res} is not primary on the peer '{peer.Name}' either, so the data on '{node}' may be the only good copy";
        if (why != null && !options.Force) throw new ClusterStateException($"refusing to initialise {res} on '{node}': {why}; -Force if it is disposable", node);
        if (why != null) host.Warning($"initialising {res} on '{node}' although {why} (-Force)");
        var result = new RoleChangeResult { Resource = res, Node = node, Action = "initialize", Role = current.Role };
        if (!host.ShouldProcess(node, (current.Role != HastRole.Init ? $"hastctl role init {res}, then " : "") +
            $"hastctl create {res}: new HAST metadata on {context.Spec.Section<HastSection>().Hast.Resources.First(r => r.Name == res).Local[node]}"
            + (hasMetadata ? " (its HAST data is discarded; a full resync from the peer follows)" : ""))) return result;
        if (current.Role != HastRole.Init)
        {
            await ChangeAsync(context, me, HastCommands.Role(HastRole.Init, res), cancellationToken).ConfigureAwait(false);
            await WaitRoleAsync(context, me, res, HastRole.Init, bound, cancellationToken).ConfigureAwait(false);
        }
        await ChangeAsync(context, me, HastCommands.Create(res), cancellationToken).ConfigureAwait(false);
        result.Changed = true;
        result.Role = HastRole.Init;
        return Done(result, $"{res} on '{node}' has new metadata and is init: make it secondary to resync from '{peer.Name}'" + (theirs.IsPrimary(res) ? "" : " (or primary, to start from this copy)"), sw);
    }

    public async Task<SwitchoverResult> SwitchPrimaryAsync(ClusterContext context, string toNode, RoleChangeOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var (to, from) = PairOf(context, toNode);
        var statement = Statement(options, from.Name);
        using var lockContext = LockContext(context, statement);
        await using var held = await ClusterLock.AcquireAsync(lockContext, $"hast switch to {toNode}", host, cancellationToken).ConfigureAwait(false);
        var run = new Switchover(context, to, from, statement, options, host, cancellationToken);
        var result = await run.RunAsync().ConfigureAwait(false);
        result.Duration = sw.Elapsed;
        return result;
    }

    // --- shared by the three ---

    private static string ResourceOf(ClusterContext ctx, string resource)
    {
        HastCommands.Resource(resource);
        return ctx.Spec.Section<HastSection>().Hast.Resources.Any(r => r.Name == resource) ? resource
            : throw new NotFoundException(ObjectKind.Resource, $"HAST resource '{Names.Printable(resource)}' is not in cluster '{ctx.Spec.Name}'", resource);
    }

    private static (NodeTarget Node, NodeTarget Peer) PairOf(ClusterContext ctx, string node)
    {
        var me = ctx.Node(node);
        return (me, ctx.Nodes.First(n => n.Name != me.Name));
    }

    /// <summary>The statement that the peer is down, checked: it counts only with -Force, and only for the peer.</summary>
    private static PeerDownStatement? Statement(RoleChangeOptions o, string peer)
    {
        if (o.PeerDown == null) return null;
        Names.Require(o.PeerDown, "node name");
        if (!o.Force) throw new HaException($"naming '{o.PeerDown}' as down counts only with -Force (it allows promoting while the peer cannot be read)") { Target = o.PeerDown };
        if (o.PeerDown != peer) throw new HaException($"'{Names.Printable(o.PeerDown)}' is not the peer here: the peer is '{peer}'") { Target = o.PeerDown };
        return new PeerDownStatement(o.PeerDown);
    }

    /// <summary>With the peer stated down, the lock is taken on the surviving node alone (a two-node majority needs the
    /// first node by name, which may be the dead one); otherwise on the pair.</summary>
    private static ClusterContext LockContext(ClusterContext ctx, PeerDownStatement? down) =>
        new ClusterContext(ctx.Spec, ctx.Runner, down == null ? ctx.Nodes : ctx.Nodes.Where(n => n.Name != down.Node).ToList(), ctx.Stacks) { Lock = ctx.Lock };

    /// <summary>The pool when <paramref name="res"/> is one of its devices; null otherwise.</summary>
    private static string? PoolOver(ClusterContext ctx, string res)
    {
        var z = ctx.Spec.Section<HastSection>().Zfs;
        return z.Pool.Length > 0 && z.Vdevs.Any(v => v.Resources.Contains(res)) ? z.Pool : null;
    }

    private static TimeSpan DeviceTimeout(ClusterContext ctx, RoleChangeOptions o) =>
        o.DeviceTimeout ?? TimeSpan.FromSeconds(ctx.Spec.Section<HastSection>().Failover.DeviceTimeout);

    private static TimeSpan PeerTimeout(ClusterContext ctx, RoleChangeOptions o) =>
        o.PeerTimeout ?? TimeSpan.FromSeconds(ctx.Spec.Section<HastSection>().Failover.PeerTimeout);

    /// <summary>The resource as the node's hastd reports it; not readable, unknown to hastd or in error: refused.</summary>
    private static HastResourceStatus Known(HastNodeStatus n, string res)
    {
        if (n.Unreadable != null) throw new ClusterStateException($"cannot change {res} on '{n.Node}': {n.Unreadable}", n.Node);
        var r = n.Resource(res) ?? throw new ClusterStateException($"hastd on '{n.Node}' does not list {res}: push hast.conf and reload hastd (Start-HaBootstrap)", n.Node);
        if (r.Error != null) throw new ClusterStateException($"hastd on '{n.Node}' answers error {r.Error} for {res}", n.Node);
        return r;
    }

    /// <summary>Whether the pool over <paramref name="res"/> is imported here; not knowing is refused, since demoting under
    /// an imported pool destroys its device.</summary>
    private static bool PoolHere(HastNodeStatus n, string? pool, string node, string res)
    {
        if (pool == null) return false;
        return n.PoolImported ?? throw new ClusterStateException(
            $"cannot tell whether pool {pool} is imported on '{node}' ({string.Join("; ", n.Problems)}): leaving primary under an imported pool destroys {HastCommands.Device(res)} beneath it", node);
    }

    private static async Task ChangeAsync(ClusterContext ctx, NodeTarget n, string[] argv, CancellationToken ct)
    {
        var r = await ctx.Runner.RunAsync(n, HastCommands.Bounded(argv, HastCommands.ChangeTimeout), ct).ConfigureAwait(false);
        if (!r.Succeeded) throw new NodeCommandException(n.Name, ShellQuote.Join(argv), r, ShellQuote.Join(argv));
    }

    private static async Task ExportAsync(ClusterContext ctx, NodeTarget n, string pool, string res, CancellationToken ct)
    {
        var argv = HastCommands.ZpoolExport(pool);
        var r = await ctx.Runner.RunAsync(n, HastCommands.Bounded(argv, HastCommands.ChangeTimeout), ct).ConfigureAwait(false);
        if (!r.Succeeded)
            throw new NodeCommandException(n.Name, ShellQuote.Join(argv), r, $"zpool export {pool} (nothing else was done: {res} stays primary on '{n.Name}' with the pool imported)");
    }

    /// <summary>Waits (bounded, on the node) until /dev/hast/RES is there (primary) or gone (other roles), then reads
    /// hastctl list back: hastctl answers before hastd has switched, and a primary whose worker failed goes back to init.</summary>
    private static async Task WaitRoleAsync(ClusterContext ctx, NodeTarget n, string res, HastRole role, TimeSpan bound, CancellationToken ct)
    {
        var dev = HastCommands.Device(res);
        var present = role == HastRole.Primary;
        var w = await ctx.Runner.RunAsync(n, HastCommands.Bounded(HastCommands.WaitDevice(res, present, bound), HastCommands.WaitDeviceTimeout(bound)), ct).ConfigureAwait(false);
        var back = await HastNodeReader.ReadAsync(ctx, n, res, null, null, ct).ConfigureAwait(false);
        var now = back.Resource(res);
        var reports = back.Unreadable != null ? $"hastd cannot be read ({back.Unreadable})" : now == null ? $"hastd does not list {res}" : $"hastd reports {res} {now.RoleText}";
        if (w.Failure != FailureKind.None)
            throw new NodeCommandException(n.Name, $"wait for {dev}", w, $"the wait for {dev} (bounded at {bound.TotalSeconds:0} s); {reports}");
        if (!w.Succeeded)
            throw new HaTimeoutException(present
                ? $"{dev} did not appear on '{n.Name}' within {bound.TotalSeconds:0} s; {reports}" + (now?.Role == HastRole.Init ? " (the primary worker exited: no metadata on the provider, or it could not be opened; see hastd's log)" : "")
                : $"{dev} is still there on '{n.Name}' after {bound.TotalSeconds:0} s; {reports}", n.Name);
        if (now == null || now.Role != role || now.Error != null)
            throw new ClusterStateException($"{dev} is {(present ? "there" : "gone")} on '{n.Name}' but {reports}, not {HastCommands.RoleWord(role)}", n.Name);
    }

    private static RoleChangeResult Done(RoleChangeResult r, string message, Stopwatch sw)
    {
        r.Message = message;
        r.Duration = sw.Elapsed;
        return r;
    }

    /// <summary>
    /// One planned switchover: export on the old primary → role secondary there (devices gone) → wait until no secondary
    /// worker is left on the new one (the old primary let go) → the promotion rule on fresh readings of both → role
    /// primary → devices there → import → CARP skews swapped and the old master stepped down. Each step is recorded; the
    /// first failure stops the run, and the state is read back from both nodes, so the result says where the pool is
    /// (one node or none: the pool is imported only after every export and demotion succeeded).
    /// </summary>
    private sealed class Switchover
    {
        private readonly ClusterContext _ctx;
        private readonly NodeTarget _to, _from;
        private readonly PeerDownStatement? _down;
        private readonly IOperationHost _host;
        private readonly CancellationToken _ct;
        private readonly HastSection _s;
        private readonly TimeSpan _deviceBound, _peerBound;
        private readonly SwitchoverResult _r;
        private readonly List<string> _resources;
        private readonly string? _pool;

        public Switchover(ClusterContext ctx, NodeTarget to, NodeTarget from, PeerDownStatement? down, RoleChangeOptions o, IOperationHost host, CancellationToken ct)
        {
            (_ctx, _to, _from, _down, _host, _ct) = (ctx, to, from, down, host, ct);
            _s = ctx.Spec.Section<HastSection>();
            _deviceBound = DeviceTimeout(ctx, o);
            _peerBound = PeerTimeout(ctx, o);
            _r = new SwitchoverResult { FromNode = from.Name, ToNode = to.Name };
            _resources = _s.Hast.Resources.Select(r => r.Name).ToList();
            _pool = _s.Zfs.Pool.Length > 0 ? _s.Zfs.Pool : null;
        }

        private bool Carp => _s.Carp.Interface.Length > 0;

        public async Task<SwitchoverResult> RunAsync()
        {
            var nodes = await ReadNodesAsync(_ctx, null, _ct).ConfigureAwait(false);
            var (to, from) = (nodes.First(n => n.Node == _to.Name), nodes.First(n => n.Node == _from.Name));
            var fromDown = Guard(to, from);
            if (fromDown == null) return Finish(nodes, true, $"already switched: '{_to.Name}' is primary for {string.Join(", ", _resources)}" + (_pool != null ? $" with pool {_pool} imported" : ""));

            var demote = fromDown.Value ? new List<string>() : _resources.Where(r => from.Resource(r)?.Role != HastRole.Secondary).ToList();
            var promote = _resources.Where(r => !to.IsPrimary(r)).ToList();
            var export = !fromDown.Value && _pool != null && from.PoolImported == true;
            var import = _pool != null && to.PoolImported != true;
            if (!_host.ShouldProcess(_to.Name, Plan(export, demote, promote, import, fromDown.Value))) return Finish(null, false, "not switched (declined)");
            if (fromDown.Value) _host.Warning($"'{_from.Name}' is taken as down (-Force -PeerDown): it is neither exported nor demoted; if it runs as primary, both nodes write to the same resources (split-brain)");
            _r.Changed = true;

            if (export && !await Step("export", _from, $"zpool export {_pool}", () => ExportAsync(_ctx, _from, _pool!, string.Join(", ", _resources), _ct)).ConfigureAwait(false))
                return await FailAsync().ConfigureAwait(false);
            foreach (var res in demote)
                if (!await Step("demote", _from, $"hastctl role secondary {res}", async () =>
                    {
                        await ChangeAsync(_ctx, _from, HastCommands.Role(HastRole.Secondary, res), _ct).ConfigureAwait(false);
                        await WaitRoleAsync(_ctx, _from, res, HastRole.Secondary, _deviceBound, _ct).ConfigureAwait(false);
                    }).ConfigureAwait(false)) return await FailAsync().ConfigureAwait(false);
            HastNodeStatus? fresh = null;
            if (!await Step("release", _to, $"no secondary worker left (at most {_peerBound.TotalSeconds:0} s)", async () => fresh = await ReleasedAsync().ConfigureAwait(false)).ConfigureAwait(false))
                return await FailAsync().ConfigureAwait(false);
            if (!await Step("check", _from, "the promotion rule on fresh readings of both nodes", () => CheckAsync(fresh!, promote)).ConfigureAwait(false))
                return await FailAsync().ConfigureAwait(false);
            foreach (var res in promote)
                if (!await Step("promote", _to, $"hastctl role primary {res}", () => ChangeAsync(_ctx, _to, HastCommands.Role(HastRole.Primary, res), _ct)).ConfigureAwait(false))
                    return await FailAsync().ConfigureAwait(false);
            foreach (var res in _resources)
                if (!await Step("devices", _to, $"{HastCommands.Device(res)} there (at most {_deviceBound.TotalSeconds:0} s)", () => WaitRoleAsync(_ctx, _to, res, HastRole.Primary, _deviceBound, _ct)).ConfigureAwait(false))
                    return await FailAsync().ConfigureAwait(false);
            if (import && !await Step("import", _to, $"zpool import {_pool}" + (fromDown.Value ? " -f (the peer is taken as down and could not export it)" : ""),
                    () => ChangeAsync(_ctx, _to, HastCommands.ZpoolImport(_pool!, force: fromDown.Value), _ct)).ConfigureAwait(false))
                return await FailAsync().ConfigureAwait(false);
            if (Carp && !await Step("carp", _to, $"CARP vhid {_s.Carp.Vhid} master on '{_to.Name}'", () => MoveCarpAsync(fromDown.Value)).ConfigureAwait(false))
                return await FailAsync().ConfigureAwait(false);
            var after = await ReadNodesAsync(_ctx, null, _ct).ConfigureAwait(false);
            return Finish(after, true, $"switched: '{_to.Name}' is primary" + (_pool != null ? $" with pool {_pool} imported" : "") + (Carp ? " and holds the CARP address" : ""));
        }

        /// <summary>Null when there is nothing to do; else whether the old primary is taken as down. Throws when refused.</summary>
        private bool? Guard(HastNodeStatus to, HastNodeStatus from)
        {
            if (to.Unreadable != null) throw new ClusterStateException($"cannot switch to '{_to.Name}': {to.Unreadable}", _to.Name);
            foreach (var res in _resources) Known(to, res);
            var fromDown = from.Unreadable != null;
            if (fromDown && _down == null)
                throw new ClusterStateException($"cannot switch from '{_from.Name}': {from.Unreadable}; if it is down, say so explicitly (-Force -PeerDown {_from.Name})", _from.Name);
            if (!fromDown) foreach (var res in _resources) Known(from, res);
            if (_pool != null && to.PoolImported == true && from.PoolImported == true)
                throw new ClusterStateException($"pool {_pool} is imported on both nodes: resolve that first (export it on the node whose copy is to be discarded)", _to.Name);
            foreach (var res in _resources.Where(r => to.IsPrimary(r) && from.IsPrimary(r)))
                throw new ClusterStateException($"{res} is primary on both nodes (split-brain): keep one node's data and re-create the other's (Initialize-HastResource) first", _to.Name);
            if (_pool != null && to.PoolImported == null)
                throw new ClusterStateException($"cannot tell whether pool {_pool} is imported on '{_to.Name}' ({string.Join("; ", to.Problems)})", _to.Name);
            if (_pool != null && !fromDown && from.PoolImported == null)
                throw new ClusterStateException($"cannot tell whether pool {_pool} is imported on '{_from.Name}' ({string.Join("; ", from.Problems)}): it must be exported before '{_from.Name}' leaves primary", _from.Name);
            var done = _resources.All(to.IsPrimary) && (_pool == null || (to.PoolImported == true && from.PoolImported != true))
                && (!Carp || to.Carp?.State == CarpState.Master) && (fromDown || !_resources.Any(from.IsPrimary));
            return done ? null : fromDown;
        }

        private string Plan(bool export, List<string> demote, List<string> promote, bool import, bool fromDown)
        {
            var steps = new List<string>();
            if (export) steps.Add($"zpool export {_pool} on '{_from.Name}'");
            if (demote.Count > 0) steps.Add($"hastctl role secondary {string.Join(" ", demote)} on '{_from.Name}' (devices gone within {_deviceBound.TotalSeconds:0} s)");
            steps.Add($"wait until '{_to.Name}' has no secondary worker left (at most {_peerBound.TotalSeconds:0} s)");
            if (promote.Count > 0) steps.Add($"hastctl role primary {string.Join(" ", promote)} on '{_to.Name}' (devices there within {_deviceBound.TotalSeconds:0} s)");
            if (import) steps.Add($"zpool import {(fromDown ? "-f " : "")}{_pool} on '{_to.Name}'");
            if (Carp) steps.Add($"CARP vhid {_s.Carp.Vhid}: advskew {Skews().Low} on '{_to.Name}'" + (fromDown ? "" : $", {Skews().High} and state backup on '{_from.Name}'"));
            return $"switch the HAST primary from '{_from.Name}' to '{_to.Name}'" + (fromDown ? $" ('{_from.Name}' taken as down)" : "") + ": " + string.Join("; ", steps);
        }

        private (int Low, int High) Skews()
        {
            var skews = _ctx.Spec.Nodes.Select((n, i) => _s.Carp.Advskew.TryGetValue(n.Name, out var k) ? k : CarpSpec.DefaultAdvskew(i)).ToList();
            return (skews.Min(), skews.Max());
        }

        /// <summary>The new primary's node once no secondary worker is left for any resource: the old primary has let go.</summary>
        private Task<HastNodeStatus> ReleasedAsync() =>
            WaitUntil.RunAsync(c => HastNodeReader.ReadAsync(_ctx, _to, null, null, null, c), n =>
            {
                if (n.Unreadable != null) return n.Unreadable;
                var held = _resources.Where(r => n.Resource(r) is { Role: HastRole.Secondary } x && (x.WorkerPid != null || x.Status != HastSyncStatus.Unknown)).ToList();
                return held.Count == 0 ? null : $"a primary is still connected to '{_to.Name}' for {string.Join(", ", held)} (is '{_from.Name}' still primary?)";
            }, _peerBound, RolePoll, $"Release {_to.Name}", _host, _ct);

        /// <summary>The rule once more, on readings taken after the demotion: the old primary may have come back, or
        /// stopped answering, since the switch began.</summary>
        private async Task CheckAsync(HastNodeStatus to, List<string> promote)
        {
            var from = await HastNodeReader.ReadAsync(_ctx, _from, null, null, null, _ct).ConfigureAwait(false);
            foreach (var res in promote)
            {
                var d = HastPromotionRule.MayBecomePrimary(res, to.ToReading(), from.ToReading(), _down);
                if (!d.Allowed) throw new ClusterStateException($"not promoting {res} on '{_to.Name}': {d.Reason}", _to.Name);
            }
        }

        private async Task MoveCarpAsync(bool fromDown)
        {
            var c = _s.Carp;
            var (low, high) = Skews();
            await ChangeAsync(_ctx, _to, HastCommands.CarpAdvskew(c.Interface, c.Vhid, low), _ct).ConfigureAwait(false);
            if (!fromDown)
            {
                await ChangeAsync(_ctx, _from, HastCommands.CarpAdvskew(c.Interface, c.Vhid, high), _ct).ConfigureAwait(false);
                await ChangeAsync(_ctx, _from, HastCommands.CarpState(c.Interface, c.Vhid, CarpState.Backup), _ct).ConfigureAwait(false);
            }
            await WaitUntil.RunAsync(ct => HastNodeReader.CarpOnlyAsync(_ctx, _to, c.Interface, c.Vhid, ct), n =>
                n.Carp?.State == CarpState.Master ? null : $"CARP vhid {c.Vhid} on '{_to.Name}' is {(n.Carp == null ? "not configured" : n.Carp.State.ToString().ToUpperInvariant())}",
                _deviceBound, RolePoll, $"CARP master {_to.Name}", _host, _ct).ConfigureAwait(false);
        }

        private async Task<bool> Step(string name, NodeTarget node, string what, Func<Task> act)
        {
            var sw = Stopwatch.StartNew();
            _host.Verbose($"switch: {name} on {node.Name}: {what}");
            try
            {
                await act().ConfigureAwait(false);
                _r.Steps.Add(new PhaseResult { Phase = name, Node = node.Name, Status = PhaseStatus.Changed, Message = what, Duration = sw.Elapsed });
                return true;
            }
            catch (HaException e)
            {
                _r.Steps.Add(new PhaseResult { Phase = name, Node = node.Name, Status = PhaseStatus.Failed, Message = e.Message, Duration = sw.Elapsed });
                _r.FailedStep = name;
                _r.Message = $"{name} failed on '{node.Name}': {e.Message}";
                return false;
            }
        }

        private async Task<SwitchoverResult> FailAsync()
        {
            var after = await ReadNodesAsync(_ctx, null, CancellationToken.None).ConfigureAwait(false);
            var message = _r.Message;
            Finish(after, false, message);
            _r.Message = $"{message}; stopped: {_r.State}";
            return _r;
        }

        /// <summary>Fills the state from the last reading (null: the first one, nothing changed).</summary>
        private SwitchoverResult Finish(IReadOnlyList<HastNodeStatus>? nodes, bool succeeded, string message)
        {
            _r.Succeeded = succeeded;
            _r.Message = message;
            if (nodes == null) return _r;
            var parts = new List<string>();
            if (_pool != null)
            {
                _r.PoolImportedOn = nodes.Where(n => n.PoolImported == true).Select(n => n.Node).ToList();
                var unknown = nodes.Where(n => n.PoolImported == null).Select(n => n.Node).ToList();
                parts.Add($"pool {_pool} imported on {(_r.PoolImportedOn.Count == 0 ? "no node" : string.Join(" and ", _r.PoolImportedOn))}"
                    + (unknown.Count > 0 ? $" (not known on {string.Join(", ", unknown)})" : ""));
            }
            foreach (var res in _resources)
                _r.PrimaryOn[res] = nodes.Where(n => n.IsPrimary(res)).Select(n => n.Node).FirstOrDefault();
            foreach (var g in _resources.GroupBy(r => _r.PrimaryOn[r]))
                parts.Add($"{string.Join(", ", g)} primary on {(g.Key == null ? "no node" : "'" + g.Key + "'")}");
            foreach (var n in nodes.Where(n => n.Unreadable != null)) parts.Add($"'{n.Node}' not read ({n.Unreadable})");
            if (Carp)
            {
                _r.VipOn = nodes.FirstOrDefault(n => n.Carp?.State == CarpState.Master)?.Node;
                parts.Add($"CARP address {(_r.VipOn == null ? "on no node seen" : "on '" + _r.VipOn + "'")}");
            }
            _r.State = string.Join("; ", parts);
            return _r;
        }
    }
}
