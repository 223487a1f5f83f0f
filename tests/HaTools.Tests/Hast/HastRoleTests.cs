using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hast;
using Xunit;

namespace HaTools.Tests.Hast;

/// <summary>Set-HastRole and Initialize-HastResource on the stateful HAST fake: the exact argv each node receives,
/// the state every node ends in, and that hastd's own gaps (two primaries, a device yanked under the pool) never open.</summary>
public class HastRoleTests
{
    internal static string J(string[] argv) => HastFake.Join(argv);
    internal static string WaitPresent(string res) => $"wait-device /dev/hast/{res} present 300";
    internal static string WaitAbsent(string res) => $"wait-device /dev/hast/{res} absent 300";

    private static IRoleSwitching Roles(ClusterContext ctx) => ctx.Require<IRoleSwitching>();

    private static HastFake Initial()
    {
        var w = new HastFake(HastSpecTests.Example());
        return w;
    }

    [Fact]
    public async Task Primary_on_a_fresh_pair_asks_once_then_waits_for_the_device_and_reads_the_role_back()
    {
        var w = Initial();
        using var ctx = w.Context();
        var host = new RecordingHost();
        var r = await Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f0", new RoleChangeOptions(), host, default);

        Assert.Equal(new[] { J(HastCalls.List("disk0")), J(HastCalls.Role("primary", "disk0")), WaitPresent("disk0"), J(HastCalls.List("disk0")) }, w.Calls("f0"));
        Assert.Equal(new[] { J(HastCalls.List("disk0")) }, w.Calls("f1"));
        Assert.Equal(new[] { "f0: make disk0 primary (hastctl role primary disk0), then wait up to 30 s for /dev/hast/disk0" }, host.Actions);
        Assert.Equal((true, HastRole.Primary, true), (r.Changed, r.Role, r.DevicePresent));
        Assert.Equal(HastRole.Primary, w["f0"].Roles["disk0"]);
        // The device wait is bounded on the node: its own bound plus a margin; every other call by the change bound or less.
        Assert.Equal(TimeSpan.FromSeconds(35), w["f0"].Bounds[2]);
        Assert.All(w["f0"].Bounds.Where((b, i) => i != 2), b => Assert.True(b <= HastCommands.ChangeTimeout));
        // The change took the cluster lock on both nodes, first by name first, and gave it back.
        Assert.Equal(new[] { "acquire", "release" }, w.LockCalls("f0"));
        Assert.Equal(new[] { "acquire", "release" }, w.LockCalls("f1"));
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task Primary_is_refused_while_the_peer_is_primary_before_anything_is_asked()
    {
        var w = Initial().Running("f0");
        using var ctx = w.Context();
        var host = new RecordingHost();
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f1", new RoleChangeOptions(), host, default));
        Assert.Contains("refusing to make disk0 primary on 'f1'", e.Message);
        Assert.Empty(host.Actions);
        Assert.Equal(new[] { J(HastCalls.List("disk0")) }, w.Calls("f1"));
        Assert.Equal(new[] { J(HastCalls.List("disk0")) }, w.Calls("f0"));

        // The same with the peer disconnected (no secondary worker on f1): the peer's own reading says primary.
        w.LinkUp = false;
        var again = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f1",
            new RoleChangeOptions { Force = true, PeerDown = "f0" }, host, default));
        Assert.Contains("is primary on 'f0': demote it there first", again.Message);
        Assert.Empty(host.Actions);
        Assert.Equal(HastRole.Secondary, w["f1"].Roles["disk0"]);
    }

    [Fact]
    public async Task An_unreadable_peer_blocks_primary_unless_forced_with_that_peer_named_down_then_the_lock_is_the_survivors()
    {
        var w = Initial().Running("f0");
        w.Cluster["f0"].Down = true;
        foreach (var r in w.Resources) w["f0"].PoolImported = false;
        using var ctx = w.Context();
        var host = new RecordingHost();
        // A two-node lock needs the first node by name: with f0 dead, only the statement lets f1 go on.
        var noLock = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f1", new RoleChangeOptions(), host, default));
        Assert.Contains("cannot take the lock", noLock.Message);
        Assert.Empty(host.Actions);
        Assert.Empty(w.Calls("f1"));
        Assert.Equal(new[] { "acquire", "release" }, w.LockCalls("f1")); // taken on f1, given back: not a majority

        await Assert.ThrowsAsync<HaException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f1", new RoleChangeOptions { PeerDown = "f0" }, host, default));
        await Assert.ThrowsAsync<HaException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f1", new RoleChangeOptions { Force = true, PeerDown = "f1" }, host, default));
        Assert.Empty(w.Calls("f1"));

        var r0 = await Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f1", new RoleChangeOptions { Force = true, PeerDown = "f0" }, host, default);
        Assert.True(r0.Changed);
        Assert.Equal(new[] { J(HastCalls.List("disk0")), J(HastCalls.Role("primary", "disk0")), WaitPresent("disk0"), J(HastCalls.List("disk0")) }, w.Calls("f1"));
        Assert.Equal(new[] { "acquire", "release", "acquire", "release" }, w.LockCalls("f1"));
        Assert.Equal(new[] { "acquire" }, w.LockCalls("f0")); // the first try only: with the statement f0 is not asked
        Assert.Contains(host.Warnings, m => m.Contains("split-brain"));
        Assert.Single(host.Actions);

        // f0 comes back (rebooted: hastd starts every resource in init) but its hastctl hangs: unreadable again.
        w.Cluster["f0"].Down = false;
        foreach (var r in w.Resources) w["f0"].Roles[r] = HastRole.Init;
        w["f0"].HastctlHangs = true;
        var host2 = new RecordingHost();
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).SetRoleAsync(ctx, "disk1", HastRole.Primary, "f1", new RoleChangeOptions(), host2, default));
        Assert.Contains("did not answer within 10 s", e.Message);
        Assert.Empty(host2.Actions);
    }

    [Fact]
    public async Task A_hung_hastctl_on_the_node_itself_is_refused_within_the_read_bound()
    {
        var w = Initial();
        w["f0"].HastctlHangs = true;
        using var ctx = w.Context();
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Secondary, "f0", new RoleChangeOptions(), new RecordingHost(), default));
        Assert.Contains("cannot change disk0 on 'f0': hastctl did not answer within 10 s", e.Message);
        Assert.Equal(new[] { J(HastCalls.List("disk0")), J(HastCalls.ZpoolList("tank")) }, w.Calls("f0"));
        Assert.All(w["f0"].Bounds, b => Assert.Equal(HastCommands.ReadTimeout, b));
    }

    [Fact]
    public async Task Under_WhatIf_only_reads_are_made_and_no_lock_is_taken()
    {
        var w = Initial();
        using var ctx = w.Context();
        ctx.Lock = ClusterLockOptions.Default with { WhatIf = true };
        var host = new RecordingHost { WhatIf = true };
        var r = await Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f0", new RoleChangeOptions(), host, default);
        Assert.False(r.Changed);
        Assert.Single(host.Actions);
        Assert.Equal(new[] { J(HastCalls.List("disk0")) }, w.Calls("f0"));
        Assert.Equal(new[] { J(HastCalls.List("disk0")) }, w.Calls("f1"));
        Assert.Empty(w.LockCalls("f0").Concat(w.LockCalls("f1")));
        Assert.Equal(HastRole.Init, w["f0"].Roles["disk0"]);
    }

    [Fact]
    public async Task A_device_that_never_appears_is_a_bounded_named_failure()
    {
        var w = Initial();
        w["f0"].DeviceNeverAppears.Add("disk1");
        using var ctx = w.Context();
        var e = await Assert.ThrowsAsync<HaTimeoutException>(() => Roles(ctx).SetRoleAsync(ctx, "disk1", HastRole.Primary, "f0",
            new RoleChangeOptions { DeviceTimeout = TimeSpan.FromSeconds(4) }, new RecordingHost(), default));
        Assert.Contains("/dev/hast/disk1 did not appear on 'f0' within 4 s; hastd reports disk1 primary", e.Message);
        Assert.Contains("wait-device /dev/hast/disk1 present 40", w.Calls("f0"));
        Assert.Contains(TimeSpan.FromSeconds(9), w["f0"].Bounds);

        // A resource never created: hastd takes the role, its worker dies, the role goes back to init.
        w["f0"].Created.Remove("disk0");
        var e2 = await Assert.ThrowsAsync<HaTimeoutException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Primary, "f0", new RoleChangeOptions(), new RecordingHost(), default));
        Assert.Contains("hastd reports disk0 init (the primary worker exited", e2.Message);
    }

    [Fact]
    public async Task Secondary_exports_the_pool_first_and_the_device_never_goes_under_an_imported_pool()
    {
        var w = Initial().Running("f0");
        using var ctx = w.Context();
        var host = new RecordingHost();
        var r = await Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Secondary, "f0", new RoleChangeOptions(), host, default);

        Assert.Equal(new[]
        {
            J(HastCalls.List("disk0")), J(HastCalls.ZpoolList("tank")), J(HastCalls.Export("tank")), J(HastCalls.Role("secondary", "disk0")),
            WaitAbsent("disk0"), J(HastCalls.List("disk0")),
        }, w.Calls("f0"));
        Assert.Empty(w.Calls("f1"));
        Assert.Equal(new[] { "f0: export pool tank (zpool export tank), then make disk0 secondary (hastctl role secondary disk0), then wait up to 30 s for /dev/hast/disk0 to go" }, host.Actions);
        Assert.Equal(("tank", HastRole.Secondary, false), (r.PoolExported, r.Role, r.DevicePresent));
        Assert.False(w["f0"].PoolImported);
        Assert.Empty(w.Hazards);

        // Init from secondary: nothing to export, no device to wait for going.
        var i = await Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Init, "f0", new RoleChangeOptions(), host, default);
        Assert.True(i.Changed);
        Assert.Equal(HastRole.Init, w["f0"].Roles["disk0"]);
        var again = await Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Init, "f0", new RoleChangeOptions(), host, default);
        Assert.False(again.Changed);
        Assert.Contains("already", again.Message);
    }

    [Fact]
    public async Task A_failed_export_aborts_before_the_demotion_and_leaves_the_role_as_it_was()
    {
        var w = Initial().Running("f0");
        w.Cluster["f0"].FailNext(l => l == J(HastCalls.Export("tank")), () => new CommandResult { ExitCode = 1, StdErr = "cannot unmount '/tank': pool or dataset is busy\n" });
        using var ctx = w.Context();
        var e = await Assert.ThrowsAsync<NodeCommandException>(() => Roles(ctx).SetRoleAsync(ctx, "disk0", HastRole.Secondary, "f0", new RoleChangeOptions(), new RecordingHost(), default));
        Assert.Contains("nothing else was done: disk0 stays primary", e.Message);
        Assert.Equal(new[] { J(HastCalls.List("disk0")), J(HastCalls.ZpoolList("tank")), J(HastCalls.Export("tank")) }, w.Cluster["f0"].Log.Where(l => !l.StartsWith("lock")));
        Assert.Equal((HastRole.Primary, true), (w["f0"].Roles["disk0"], w["f0"].PoolImported));
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task A_pool_whose_state_cannot_be_read_blocks_leaving_primary()
    {
        var w = Initial().Running("f0");
        w.Cluster["f0"].FailNext(l => l == J(HastCalls.ZpoolList("tank")), () => new CommandResult { ExitCode = 124, Failure = FailureKind.TimedOut, Error = "timed out (test)" });
        using var ctx = w.Context();
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).SetRoleAsync(ctx, "disk1", HastRole.Init, "f0", new RoleChangeOptions(), new RecordingHost(), default));
        Assert.Contains("cannot tell whether pool tank is imported on 'f0'", e.Message);
        Assert.Equal(HastRole.Primary, w["f0"].Roles["disk1"]);
    }

    [Theory]
    [InlineData("nosuch", "f0", typeof(NotFoundException))]
    [InlineData("disk0;reboot", "f0", typeof(HaException))]
    [InlineData("local", "f0", typeof(HaException))]
    [InlineData("disk0", "f9", typeof(NotFoundException))]
    public async Task Bad_names_are_refused_before_any_node_is_asked(string res, string node, Type error)
    {
        var w = Initial();
        using var ctx = w.Context();
        var e = await Assert.ThrowsAnyAsync<HaException>(() => Roles(ctx).SetRoleAsync(ctx, res, HastRole.Primary, node, new RoleChangeOptions(), new RecordingHost(), default));
        Assert.IsAssignableFrom(error, e);
        Assert.Empty(w.Cluster.Log);
    }

    [Fact]
    public async Task Initialize_on_the_stale_side_of_a_live_primary_is_allowed_and_runs_init_then_create()
    {
        var w = Initial().Running("f0");
        using var ctx = w.Context();
        var host = new RecordingHost();
        var r = await Roles(ctx).InitializeResourceAsync(ctx, "disk0", "f1", new RoleChangeOptions(), host, default);
        Assert.Equal(new[]
        {
            J(HastCalls.List("disk0")), J(HastCalls.ZpoolList("tank")), J(HastCalls.Dump("disk0")), J(HastCalls.Role("init", "disk0")),
            WaitAbsent("disk0"), J(HastCalls.List("disk0")), J(HastCalls.Create("disk0")),
        }, w.Calls("f1"));
        Assert.Equal(new[] { J(HastCalls.List("disk0")) }, w.Calls("f0"));
        Assert.Equal(new[] { "f1: hastctl role init disk0, then hastctl create disk0: new HAST metadata on /dev/ada1 (its HAST data is discarded; a full resync from the peer follows)" }, host.Actions);
        Assert.Equal((true, HastRole.Init), (r.Changed, r.Role));
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public async Task Initialize_is_refused_where_the_data_may_be_the_good_copy_unless_forced_and_never_under_the_pool()
    {
        var w = Initial().Running("f0");
        using var ctx = w.Context();
        var host = new RecordingHost();
        var onPool = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).InitializeResourceAsync(ctx, "disk0", "f0", new RoleChangeOptions { Force = true }, host, default));
        Assert.Contains("pool tank is imported there", onPool.Message);

        w["f0"].PoolImported = false;
        w.PoolExported = true;
        var live = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).InitializeResourceAsync(ctx, "disk0", "f0", new RoleChangeOptions(), host, default));
        Assert.Contains("'f0' is primary for disk0: its data is the live copy", live.Message);

        foreach (var n in w.Nodes.Values) n.Roles["disk1"] = HastRole.Secondary;
        var alone = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).InitializeResourceAsync(ctx, "disk1", "f1", new RoleChangeOptions(), host, default));
        Assert.Contains("not primary on the peer 'f0' either", alone.Message);
        w.Cluster["f0"].Down = true;
        // A dead peer: the two-node lock needs f0 (first by name), and Initialize takes no statement that it is down.
        var unread = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(ctx).InitializeResourceAsync(ctx, "disk1", "f1", new RoleChangeOptions(), host, default));
        Assert.Contains("cannot take the lock", unread.Message);
        using var unlocked = w.Context(locked: false);
        var unread2 = await Assert.ThrowsAsync<ClusterStateException>(() => Roles(unlocked).InitializeResourceAsync(unlocked, "disk1", "f1", new RoleChangeOptions(), host, default));
        Assert.Contains("the peer 'f0' cannot be read", unread2.Message);
        Assert.Contains("may be the only good copy", unread2.Message);
        Assert.Empty(host.Actions);
        Assert.DoesNotContain(J(HastCalls.Create("disk1")), w.Calls("f1"));
        await Assert.ThrowsAsync<HaException>(() => Roles(ctx).InitializeResourceAsync(ctx, "disk1", "f1", new RoleChangeOptions { Force = true, PeerDown = "f0" }, host, default));

        w.Cluster["f0"].Down = false;
        var forced = await Roles(ctx).InitializeResourceAsync(ctx, "disk1", "f1", new RoleChangeOptions { Force = true }, host, default);
        Assert.True(forced.Changed);
        Assert.Contains(host.Warnings, m => m.Contains("(-Force)"));
        Assert.Equal(J(HastCalls.Create("disk1")), w.Calls("f1").Last());
    }

    [Fact]
    public async Task Initialize_of_a_provider_without_HAST_metadata_needs_no_force()
    {
        var w = Initial();
        w["f1"].Created.Remove("disk1");
        w.Cluster["f0"].Down = true;
        using var ctx = w.Context(locked: false);
        var host = new RecordingHost();
        var r = await Roles(ctx).InitializeResourceAsync(ctx, "disk1", "f1", new RoleChangeOptions(), host, default);
        Assert.True(r.Changed);
        Assert.Equal(new[] { J(HastCalls.List("disk1")), J(HastCalls.ZpoolList("tank")), J(HastCalls.Dump("disk1")), J(HastCalls.Create("disk1")) }, w.Calls("f1"));
        Assert.Equal(new[] { "f1: hastctl create disk1: new HAST metadata on /dev/da2" }, host.Actions);
        Assert.Contains("disk1", w["f1"].Created);
    }
}
