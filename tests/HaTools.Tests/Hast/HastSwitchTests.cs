using System;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hast;
using Xunit;
using static HaTools.Tests.Hast.HastRoleTests;

namespace HaTools.Tests.Hast;

/// <summary>Switch-HastPrimary on the stateful fake: the plan to the exact argv per node, and each fault stops it with
/// the pool on one node or none, never two, and a result that says which.</summary>
public class HastSwitchTests
{
    private static readonly string[] FullRead = { J(HastCalls.ListAll), J(HastCalls.ZpoolList("tank")), J(HastCalls.Ifconfig("vtnet0")) };

    private static Task<SwitchoverResult> Switch(HastFake w, string to, RoleChangeOptions? o = null, RecordingHost? host = null)
    {
        var ctx = w.Context();
        return ctx.Require<IRoleSwitching>().SwitchPrimaryAsync(ctx, to, o ?? new RoleChangeOptions(), host ?? new RecordingHost(), default);
    }

    private static int At(HastFake w, string node, string line) => w.Cluster.Log.FindIndex(l => l.StartsWith(node + ": ") && l.EndsWith(line));

    [Fact]
    public async Task A_planned_switch_exports_demotes_waits_promotes_imports_and_moves_the_vip_in_that_order()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        var host = new RecordingHost();
        var r = await Switch(w, "f1", host: host);

        Assert.True(r.Succeeded, r.Message);
        Assert.Equal(FullRead.Concat(new[]
        {
            J(HastCalls.Export("tank")),
            J(HastCalls.Role("secondary", "disk0")), WaitAbsent("disk0"), J(HastCalls.List("disk0")),
            J(HastCalls.Role("secondary", "disk1")), WaitAbsent("disk1"), J(HastCalls.List("disk1")),
            J(HastCalls.ListAll),
            J(HastCalls.Advskew("vtnet0", 1, 100)), J(HastCalls.StateBackup("vtnet0", 1)),
        }).Concat(FullRead), w.Calls("f0"));
        Assert.Equal(FullRead.Concat(new[]
        {
            J(HastCalls.ListAll),
            J(HastCalls.Role("primary", "disk0")), J(HastCalls.Role("primary", "disk1")),
            WaitPresent("disk0"), J(HastCalls.List("disk0")), WaitPresent("disk1"), J(HastCalls.List("disk1")),
            J(HastCalls.Import("tank")),
            J(HastCalls.Advskew("vtnet0", 1, 0)), J(HastCalls.Ifconfig("vtnet0")),
        }).Concat(FullRead), w.Calls("f1"));
        // Across the pair: f0 let go of everything before f1 took anything.
        Assert.True(At(w, "f0", "zpool export tank") < At(w, "f0", "hastctl role secondary disk1"));
        Assert.True(At(w, "f0", "hastctl role secondary disk1") < At(w, "f1", "hastctl role primary disk0"));
        Assert.True(At(w, "f1", "hastctl role primary disk1") < At(w, "f1", "zpool import -o cachefile=none -d /dev/hast tank"));

        Assert.Equal(new[] { "f1" }, r.PoolImportedOn);
        Assert.All(r.PrimaryOn.Values, n => Assert.Equal("f1", n));
        Assert.Equal(("f1", true), (r.VipOn, r.Changed));
        Assert.Equal("pool tank imported on f1; disk0, disk1 primary on 'f1'; CARP address on 'f1'", r.State);
        Assert.Equal(new[] { "export", "demote", "demote", "release", "check", "promote", "promote", "devices", "devices", "import", "carp" }, r.Steps.Select(s => s.Phase));
        Assert.Single(host.Actions);
        Assert.Contains("zpool export tank on 'f0'; hastctl role secondary disk0 disk1 on 'f0'", host.Actions[0]);
        Assert.Contains("CARP vhid 1: advskew 0 on 'f1', 100 and state backup on 'f0'", host.Actions[0]);
        Assert.Empty(w.Hazards);
        Assert.Equal((CarpState.Backup, CarpState.Master), (w["f0"].Carp, w["f1"].Carp));

        // Again: already switched, nothing but the reads.
        var before = w.Cluster.Log.Count;
        var again = await Switch(w, "f1");
        Assert.True(again.Succeeded && !again.Changed);
        Assert.Contains("already switched", again.Message);
        Assert.All(w.Cluster.Log.Skip(before).Where(l => !l.Contains(": lock ")), l => Assert.Contains(FullRead, x => l.EndsWith(x)));

        // And back, the same way round.
        var back = await Switch(w, "f0");
        Assert.True(back.Succeeded, back.Message);
        Assert.Equal(new[] { "f0" }, back.PoolImportedOn);
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task Under_WhatIf_the_whole_plan_is_shown_and_only_read()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        var ctx = w.Context();
        ctx.Lock = Core.Locking.ClusterLockOptions.Default with { WhatIf = true };
        var host = new RecordingHost { WhatIf = true };
        var r = await ctx.Require<IRoleSwitching>().SwitchPrimaryAsync(ctx, "f1", new RoleChangeOptions(), host, default);
        Assert.False(r.Changed || r.Succeeded);
        Assert.Null(r.FailedStep);
        Assert.Equal(FullRead, w.Calls("f0"));
        Assert.Equal(FullRead, w.Calls("f1"));
        Assert.Equal("f1: switch the HAST primary from 'f0' to 'f1': zpool export tank on 'f0'; hastctl role secondary disk0 disk1 on 'f0' (devices gone within 30 s); " +
            "wait until 'f1' has no secondary worker left (at most 30 s); hastctl role primary disk0 disk1 on 'f1' (devices there within 30 s); zpool import tank on 'f1'; " +
            "CARP vhid 1: advskew 0 on 'f1', 100 and state backup on 'f0'", Assert.Single(host.Actions));
    }

    [Fact]
    public async Task A_failed_export_stops_before_any_demotion_with_the_pool_where_it_was()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        w.Cluster["f0"].FailNext(l => l == J(HastCalls.Export("tank")), () => new CommandResult { ExitCode = 1, StdErr = "cannot unmount '/tank/www': pool or dataset is busy\n" });
        var r = await Switch(w, "f1");

        Assert.False(r.Succeeded);
        Assert.Equal("export", r.FailedStep);
        Assert.Equal(FullRead.Concat(new[] { J(HastCalls.Export("tank")) }).Concat(FullRead), w.Cluster["f0"].Log.Where(l => !l.StartsWith("lock")));
        Assert.Equal(FullRead.Concat(FullRead), w.Calls("f1"));
        Assert.Equal(new[] { "f0" }, r.PoolImportedOn);
        Assert.All(r.PrimaryOn.Values, n => Assert.Equal("f0", n));
        Assert.Contains("busy", r.Message);
        Assert.Contains("stopped: pool tank imported on f0; disk0, disk1 primary on 'f0'; CARP address on 'f0'", r.Message);
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task The_old_primary_lost_mid_switch_stops_with_no_node_primary_and_the_pool_nowhere()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        // f0 answers its demotions, then drops off the network before f1 is promoted.
        w["f1"].Before = line =>
        {
            if (line == J(HastCalls.ListAll) && w.Resources.All(x => w["f0"].Roles[x] == HastRole.Secondary)) w.Cluster["f0"].Down = true;
        };
        var r = await Switch(w, "f1");

        Assert.False(r.Succeeded);
        Assert.Equal("check", r.FailedStep);
        Assert.Contains("not promoting disk0 on 'f1'", r.Message);
        Assert.Contains("-Force with the peer named", r.Message);
        Assert.DoesNotContain(w.Calls("f1"), c => c.StartsWith("hastctl role primary"));
        Assert.Empty(r.PoolImportedOn);
        Assert.All(r.PrimaryOn.Values, Assert.Null);
        Assert.Contains("pool tank imported on no node (not known on f0)", r.State);
        Assert.Contains("'f0' not read", r.State);
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task A_primary_still_connected_to_the_new_node_is_waited_for_boundedly_then_the_switch_stops()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        // f0 says secondary for disk1 but its worker stays connected to f1 (as if its demotion never took).
        w.Cluster["f1"].FailNext(l => l == J(HastCalls.ListAll) && w["f0"].Roles["disk1"] == HastRole.Secondary, () =>
            new CommandResult { StdOut = "disk0:\n  role: secondary\n  dirty: 0 (0B)\ndisk1:\n  role: secondary\n  status: complete\n  workerpid: 2201\n  dirty: 0 (0B)\n" });
        var r = await Switch(w, "f1", new RoleChangeOptions { PeerTimeout = TimeSpan.FromSeconds(0.5) });
        // One faulty answer, then the real state: no worker left. The wait saw that and went on.
        Assert.True(r.Succeeded, r.Message);
        Assert.Equal(2, w.Cluster["f1"].Log.Count(c => c == J(HastCalls.ListAll)) - 2);

        var w2 = new HastFake(HastSpecTests.Example()).Running("f0");
        w2["f1"].Before = line => { if (line == J(HastCalls.ListAll) && w2["f0"].Roles["disk1"] == HastRole.Secondary) w2["f0"].Roles["disk1"] = HastRole.Primary; };
        var stuck = await Switch(w2, "f1", new RoleChangeOptions { PeerTimeout = TimeSpan.FromSeconds(1.5) });
        Assert.False(stuck.Succeeded);
        Assert.Equal("release", stuck.FailedStep);
        Assert.Contains("Release f1: not done after 2 s: a primary is still connected to 'f1' for disk1", stuck.Message);
        Assert.DoesNotContain(w2.Calls("f1"), c => c.StartsWith("hastctl role primary"));
        Assert.Empty(stuck.PoolImportedOn);
        Assert.Empty(w2.Hazards);
    }

    [Fact]
    public async Task A_hastctl_that_hangs_mid_switch_is_bounded_and_named()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        w["f1"].Before = line => { if (line == J(HastCalls.ListAll) && w["f0"].Roles["disk1"] == HastRole.Secondary) w["f1"].HastctlHangs = true; };
        var r = await Switch(w, "f1", new RoleChangeOptions { PeerTimeout = TimeSpan.FromSeconds(0.5) });
        Assert.Equal("release", r.FailedStep);
        Assert.Contains("hastctl did not answer within 10 s on 'f1'", r.Message);
        Assert.All(w["f1"].Bounds, b => Assert.True(b <= HastCommands.ChangeTimeout));
        Assert.Empty(r.PoolImportedOn);
        Assert.Null(r.PrimaryOn["disk0"]);
        Assert.Empty(w.Hazards);

        // At the start, a hung hastctl on the target refuses the switch before anything changes.
        var w2 = new HastFake(HastSpecTests.Example()).Running("f0");
        w2["f1"].HastctlHangs = true;
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => Switch(w2, "f1"));
        Assert.Contains("cannot switch to 'f1': hastctl did not answer within 10 s", e.Message);
        Assert.Equal(FullRead, w2.Calls("f0"));
    }

    [Fact]
    public async Task A_device_that_never_appears_stops_before_the_import_and_names_the_device()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        w["f1"].DeviceNeverAppears.Add("disk1");
        var r = await Switch(w, "f1");
        Assert.Equal("devices", r.FailedStep);
        Assert.Contains("/dev/hast/disk1 did not appear on 'f1' within 30 s", r.Message);
        Assert.DoesNotContain(w.Calls("f1"), c => c.StartsWith("zpool import"));
        Assert.Empty(r.PoolImportedOn);
        Assert.Equal(("f1", "f1"), (r.PrimaryOn["disk0"], r.PrimaryOn["disk1"]));
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task A_failed_import_leaves_the_pool_nowhere_and_a_rerun_converges()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        w.Cluster["f1"].FailNext(l => l == J(HastCalls.Import("tank")), () => new CommandResult { ExitCode = 1, StdErr = "cannot import 'tank': I/O error\n" });
        var r = await Switch(w, "f1");
        Assert.Equal("import", r.FailedStep);
        Assert.Empty(r.PoolImportedOn);
        Assert.Contains("pool tank imported on no node", r.State);

        var again = await Switch(w, "f1");
        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(new[] { "f1" }, again.PoolImportedOn);
        Assert.Equal(new[] { "release", "check", "devices", "devices", "import", "carp" }, again.Steps.Select(s => s.Phase));
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task A_dead_old_primary_is_switched_from_only_on_the_statement_with_import_forced_and_the_lock_on_the_survivor()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        w.Cluster["f0"].Down = true;
        await Assert.ThrowsAsync<ClusterStateException>(() => Switch(w, "f1"));
        using (var unlocked = w.Context(locked: false))
        {
            var e = await Assert.ThrowsAsync<ClusterStateException>(() => unlocked.Require<IRoleSwitching>().SwitchPrimaryAsync(unlocked, "f1", new RoleChangeOptions(), new RecordingHost(), default));
            Assert.Contains("cannot switch from 'f0'", e.Message);
            Assert.Contains("-Force -PeerDown f0", e.Message);
        }
        Assert.DoesNotContain(w.Calls("f1"), c => c.StartsWith("hastctl role"));
        w["f1"].Calls.Clear();

        var host = new RecordingHost();
        var r = await Switch(w, "f1", new RoleChangeOptions { Force = true, PeerDown = "f0" }, host);
        Assert.True(r.Succeeded, r.Message);
        Assert.Equal(FullRead.Concat(new[]
        {
            J(HastCalls.ListAll), J(HastCalls.Role("primary", "disk0")), J(HastCalls.Role("primary", "disk1")),
            WaitPresent("disk0"), J(HastCalls.List("disk0")), WaitPresent("disk1"), J(HastCalls.List("disk1")),
            J(HastCalls.ImportForced("tank")), J(HastCalls.Advskew("vtnet0", 1, 0)), J(HastCalls.Ifconfig("vtnet0")),
        }).Concat(FullRead), w.Calls("f1"));
        Assert.Contains(host.Warnings, m => m.Contains("taken as down"));
        Assert.Contains("('f0' taken as down)", host.Actions.Single());
        Assert.Contains("zpool import -f tank on 'f1'", host.Actions.Single());
        Assert.Equal(new[] { "f1" }, r.PoolImportedOn);
        Assert.Contains("not known on f0", r.State);
    }

    [Fact]
    public async Task A_split_pair_is_refused_before_anything_changes()
    {
        var w = new HastFake(HastSpecTests.Example()).Running("f0");
        w.LinkUp = false;
        w["f1"].Roles["disk0"] = HastRole.Primary;
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => Switch(w, "f1"));
        Assert.Contains("disk0 is primary on both nodes (split-brain)", e.Message);
        w["f1"].Roles["disk0"] = HastRole.Secondary;
        w["f1"].PoolImported = true;
        var e2 = await Assert.ThrowsAsync<ClusterStateException>(() => Switch(w, "f1"));
        Assert.Contains("pool tank is imported on both nodes", e2.Message);
        Assert.All(w.Calls("f0").Concat(w.Calls("f1")), c => Assert.Contains(c, FullRead));
    }
}
