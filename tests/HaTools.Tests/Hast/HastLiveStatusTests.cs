using System;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Hast;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastLiveStatusTests
{
    private static readonly string[] Reads =
    {
        HastFake.Join(HastCalls.ListAll), HastFake.Join(HastCalls.ZpoolList("tank")), HastFake.Join(HastCalls.Ifconfig("vtnet0")),
    };

    private static HastStatusDetails Details(ClusterStatus s) => Assert.IsType<HastStatusDetails>(s.Details);

    [Fact]
    public async Task A_running_pair_reads_roles_pool_and_carp_on_each_node_with_three_bounded_reads()
    {
        var w = new HastFake(HastSpecTests.Example()).Running();
        using var ctx = w.Context();
        var s = await ctx.Stack.GetStatusAsync(ctx, default);

        Assert.Equal(Reads, w.Calls("f0"));
        Assert.Equal(Reads, w.Calls("f1"));
        Assert.All(w["f0"].Bounds.Concat(w["f1"].Bounds), b => Assert.Equal(HastCommands.ReadTimeout, b));
        Assert.Equal(("tank", "hast"), (s.Name, s.Stack));
        Assert.All(s.Nodes, n => Assert.True(n.Online));
        Assert.Empty(s.UnreachableNodes);
        var d = Details(s);
        Assert.Equal(new[] { "f0", "f1" }, d.Nodes.Select(n => n.Node));
        Assert.All(d.Nodes, n => Assert.True(n.HastdRunning));
        Assert.Equal((true, false), (d.Nodes[0].PoolImported!.Value, d.Nodes[1].PoolImported!.Value));
        Assert.Equal(("ONLINE", CarpState.Master, CarpState.Backup), (d.Nodes[0].PoolHealth, d.Nodes[0].Carp!.State, d.Nodes[1].Carp!.State));
        Assert.Equal(new[] { "disk0/f0/Primary/Complete", "disk1/f0/Primary/Complete", "disk0/f1/Secondary/Complete", "disk1/f1/Secondary/Complete" },
            d.Resources.Select(r => $"{r.Resource}/{r.Node}/{r.Role}/{r.Status}"));
        Assert.Equal(new[] { "hast disk0 f0 Primary", "hast disk0 f1 Secondary", "hast disk1 f0 Primary", "hast disk1 f1 Secondary", "zfs tank f0 Imported", "carp 192.0.2.50/32 f0 Master" },
            s.Resources.Select(r => $"{r.Agent} {r.Name} {r.Node} {r.Role}"));
        // Only the standing warning of automatic failover without fencing.
        Assert.Equal(new[] { HastNoticeCodes.NoFencing }, s.Notices.Select(n => n.Code));
        Assert.Empty(w.Hazards);
    }

    [Fact]
    public async Task A_node_that_does_not_answer_is_a_result_and_the_other_is_still_read()
    {
        var w = new HastFake(HastSpecTests.Example()).Running();
        w.Cluster["f1"].Down = true;
        using var ctx = w.Context();
        var s = await ctx.Stack.GetStatusAsync(ctx, default);

        Assert.Equal(Reads, w.Calls("f0"));
        Assert.Equal(new[] { HastFake.Join(HastCalls.ListAll) }, w.Cluster["f1"].Log);
        Assert.Equal(new[] { "f1" }, s.UnreachableNodes);
        var f1 = Details(s).Nodes[1];
        Assert.False(f1.Reachable);
        Assert.Null(f1.HastdRunning);
        Assert.Contains("did not answer", f1.Unreadable);
        Assert.Contains(s.Notices, n => n.Code == NoticeCodes.NodeDidNotAnswer && n.Node == "f1");
        // f0's primary has lost its secondary: degraded, and said so.
        Assert.Contains(s.Notices, n => n.Code == HastNoticeCodes.NotReplicated && n.Node == "f0" && n.Message.Contains("degraded"));
        Assert.Equal(new[] { "disk0/f1/Unknown", "disk1/f1/Unknown" },
            Details(s).Resources.Where(r => r.Node == "f1").Select(r => $"{r.Resource}/{r.Node}/{r.Role}"));
        Assert.All(Details(s).Resources.Where(r => r.Node == "f1"), r => Assert.Contains("did not answer", r.Unreadable));
    }

    [Fact]
    public async Task A_hung_hastctl_is_reported_within_its_bound_and_hastd_down_is_told_apart()
    {
        var w = new HastFake(HastSpecTests.Example()).Running();
        w["f1"].HastctlHangs = true;
        w["f0"].Hastd = false;
        using var ctx = w.Context();
        var s = await ctx.Stack.GetStatusAsync(ctx, default);

        var d = Details(s);
        Assert.Equal((false, (bool?)null), (d.Nodes[0].HastdRunning!.Value, d.Nodes[1].HastdRunning));
        Assert.Contains("hastd is not running on 'f0'", d.Nodes[0].Unreadable);
        Assert.Contains("did not answer within 10 s", d.Nodes[1].Unreadable);
        // hastctl hanging is not the node being down: pool and CARP were still read there.
        Assert.Equal(Reads, w.Calls("f1"));
        Assert.True(d.Nodes[1].Reachable);
        Assert.Equal(2, s.Notices.Count(n => n.Code == HastNoticeCodes.HastdProblem));
        Assert.All(s.Nodes, n => Assert.False(n.Online));
    }

    [Fact]
    public async Task Two_primaries_the_pool_on_both_and_the_vip_away_from_the_primary_are_each_named()
    {
        var w = new HastFake(HastSpecTests.Example()).Running();
        w.LinkUp = false; // a partition: each side promoted itself
        foreach (var r in w.Resources) w["f1"].Roles[r] = HastRole.Primary;
        w["f1"].PoolImported = true;
        w["f1"].Carp = CarpState.Master;
        using var ctx = w.Context();
        var s = await ctx.Stack.GetStatusAsync(ctx, default);

        var codes = s.Notices.Select(n => n.Code).ToList();
        Assert.Equal(2, codes.Count(c => c == HastNoticeCodes.PrimaryOnBoth));
        Assert.Contains(HastNoticeCodes.PoolImportedTwice, codes);
        Assert.Contains(s.Notices, n => n.Code == HastNoticeCodes.VipNotOnPrimary && n.Message.Contains("master on both"));
        Assert.Equal(4, s.Notices.Count(n => n.Code == HastNoticeCodes.NotReplicated));

        w.LinkUp = true;
        foreach (var r in w.Resources) w["f1"].Roles[r] = HastRole.Secondary;
        w["f1"].PoolImported = false;
        w["f0"].Carp = CarpState.Backup;
        w["f0"].PoolImported = false;
        w["f0"].Roles["disk1"] = HastRole.Secondary;
        w["f1"].PoolImported = true;
        var again = await ctx.Stack.GetStatusAsync(ctx, default);
        Assert.Contains(again.Notices, n => n.Code == HastNoticeCodes.PoolNotOnPrimary && n.Node == "f1" && n.Message.Contains("not primary for disk0"));
        Assert.Contains(again.Notices, n => n.Code == HastNoticeCodes.VipNotOnPrimary && n.Node == "f1");
    }

    [Fact]
    public async Task A_hastctl_without_list_is_asked_for_status_in_the_old_format()
    {
        var w = new HastFake(HastSpecTests.Example()).Running();
        foreach (var n in new[] { "f0", "f1" })
            w.Cluster[n].FailNext(l => l == HastFake.Join(HastCalls.ListAll), () => new CommandResult { ExitCode = 64, StdErr = "usage: hastctl create [-d] [-c config] …\n" });
        using var ctx = w.Context();
        var s = await ctx.Stack.GetStatusAsync(ctx, default);

        Assert.Equal(new[] { HastFake.Join(HastCalls.StatusAll), HastFake.Join(HastCalls.ZpoolList("tank")), HastFake.Join(HastCalls.Ifconfig("vtnet0")) }, w.Calls("f0"));
        Assert.Equal(new[] { HastFake.Join(HastCalls.ListAll) }.Concat(w.Calls("f0")), w.Cluster["f0"].Log);
        Assert.Equal(4, Details(s).Resources.Count(r => r.Role != HastRole.Unknown));
    }

    [Fact]
    public async Task Get_HastStatus_live_gives_one_row_per_resource_and_node_and_one_node_when_named()
    {
        var w = new HastFake(HastSpecTests.Example()).Running();
        w.Cluster["f0"].Down = true;
        using var ctx = w.Context();
        var rows = await HastStack.ReadResourcesAsync(ctx, null, default);
        Assert.Equal(new[] { "disk0/f0/Unknown", "disk1/f0/Unknown", "disk0/f1/Secondary", "disk1/f1/Secondary" }, rows.Select(r => $"{r.Resource}/{r.Node}/{r.Role}"));
        Assert.NotNull(rows[0].Unreadable);
        Assert.Null(rows[2].Unreadable);
        Assert.Equal(new[] { HastFake.Join(HastCalls.ListAll) }, w.Calls("f1"));

        var one = await HastStack.ReadResourcesAsync(ctx, "f1", default);
        Assert.Equal(new[] { "f1", "f1" }, one.Select(r => r.Node));
        await Assert.ThrowsAsync<NotFoundException>(() => HastStack.ReadResourcesAsync(ctx, "f9", default));
    }

    [Fact]
    public async Task Get_HastStatus_live_on_another_stack_is_refused_before_any_node_is_asked()
    {
        var fake = new FakeRunner();
        using var ctx = new Core.ClusterContext(Pacemaker.SpecBuilder.Lab(), fake);
        await Assert.ThrowsAsync<Core.Stacks.StackCapabilityMissingException>(() => HastStack.ReadResourcesAsync(ctx, null, default));
        Assert.Empty(fake.Calls);
    }
}
