using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>Status (hctl status live), stop (Hare's shutdown order), teardown and the key-value store of a consul
/// cluster bootstrapped on fake nodes behind the Consul test double.</summary>
public class ConsulOperationsTests : IDisposable
{
    private readonly HareFixtures.WithSecrets _files = new HareFixtures.WithSecrets();
    private readonly ConsulFakeLab _lab;

    public ConsulOperationsTests() { _lab = new ConsulFakeLab(_files.Spec, HareFixtures.AclToken); }

    public void Dispose() => _files.Dispose();

    private static readonly BootstrapOptions Fast = new BootstrapOptions { QuorumTimeout = TimeSpan.FromSeconds(3), ResourceTimeout = TimeSpan.FromSeconds(3) };

    private async Task<ClusterContext> Running()
    {
        var ctx = _lab.Context();
        Assert.DoesNotContain(await ctx.Stack.BootstrapAsync(ctx, Fast, NullOperationHost.Instance, default), r => r.Status == PhaseStatus.Failed);
        _lab.Log.Clear();
        return ctx;
    }

    private const string Hctl =
        "Data pools:\n    # fid name\n    0x6f00000000000001:0x2 'tier1'\n" +
        "Profiles:\n    # fid name: pool(s)\n    0x7000000000000001:0x1 'default': 'tier1'\n" +
        "Services:\n" +
        "    node1  (RC)\n" +
        "    [started]  hax        0x7200000000000001:0x3   198.18.0.11@tcp:12345:1:1\n" +
        "    [started]  confd      0x7200000000000001:0x5   198.18.0.11@tcp:12345:2:1\n" +
        "    [started]  ioservice  0x7200000000000001:0x8   198.18.0.11@tcp:12345:2:2\n" +
        "    node2\n" +
        "    [started]  hax        0x7200000000000001:0xb   198.18.0.12@tcp:12345:1:1\n" +
        "    [started]  confd      0x7200000000000001:0xd   198.18.0.12@tcp:12345:2:1\n" +
        "    [started]  ioservice  0x7200000000000001:0x10  198.18.0.12@tcp:12345:2:2\n" +
        "    node3\n" +
        "    [started]  hax        0x7200000000000001:0x13  198.18.0.13@tcp:12345:1:1\n" +
        "    [started]  ioservice  0x7200000000000001:0x15  198.18.0.13@tcp:12345:2:1\n" +
        "    [started]  s3server   0x7200000000000001:0x18  198.18.0.13@tcp:12345:3:1\n" +
        "    [unknown]  m0_client  0x7200000000000001:0x1b  198.18.0.13@tcp:12345:4:1\n";

    [Fact]
    public async Task Live_status_is_hctl_status_plus_consuls_own_view_in_two_round_trips()
    {
        var ctx = await Running();
        var s = await ctx.Stack.GetStatusAsync(ctx, default);
        var d = Assert.IsType<ConsulStatusDetails>(s.Details);
        Assert.Equal(Hctl, d.ToHctlText());
        Assert.Equal(("node1", true, "node1", "node1"), (s.Dc, s.Quorate, s.QueriedNode, d.RaftLeaderNode));
        Assert.Equal("198.18.0.11:8300", d.RaftLeader);
        Assert.Equal("serfHealth service:hax service:confd", string.Join(" ", d.RcBoundChecks));
        Assert.Equal(new[] { "node1 server alive", "node2 server alive", "node3 server alive" }, d.Agents.Select(a => $"{a.Node} {a.Role} {a.State}"));
        Assert.All(s.Nodes, n => Assert.True(n.Online));
        Assert.Empty(s.Warnings);
        Assert.Equal(10, s.Resources.Count);
        Assert.Equal(new[] { "api GET /v1/status/leader + GET /v1/agent/members + GET /v1/health/state/any + GET /v1/kv/leader + GET /v1/kv/m0conf/?recurse", $"api GET /v1/session/info/{d.RcSession}" },
            _lab.Log.Of("node1"));
        // What it prints is what hctl status prints: HaTools' reader of saved hctl output reads it back the same.
        var back = HctlStatusParser.ParseText(d.ToHctlText());
        Assert.Equal(d.Nodes.SelectMany(n => n.Services).Select(x => $"{x.Node} {x.Name} {x.Fid} {x.Endpoint} {x.State}"),
            back.Nodes.SelectMany(n => n.Services).Select(x => $"{x.Node} {x.Name} {x.Fid} {x.Endpoint} {x.State}"));
        Assert.Equal("node1", back.RcLeader);
    }

    [Fact]
    public async Task A_failed_service_and_a_lost_node_show_as_offline_with_typed_warnings_and_another_server_answers()
    {
        var ctx = await Running();
        _lab.Consul.Units[("node2", "m0d@0x7200000000000001:0xd")] = "failed";
        _lab.Cluster["node1"].Down = true;
        var s = await ctx.Stack.GetStatusAsync(ctx, default);
        var d = (ConsulStatusDetails)s.Details!;
        Assert.Equal("node2", s.QueriedNode);
        Assert.Equal(new[] { "node1" }, s.UnreachableNodes);
        Assert.Equal(HareServiceState.Offline, d.Nodes.Single(n => n.Name == "node2").Services.Single(x => x.Name == "confd").State);
        Assert.All(d.Nodes.Single(n => n.Name == "node1").Services, x => Assert.Equal(HareServiceState.Offline, x.State));
        // node1's agent failing took the RC leader's session (bound to its serfHealth) with it.
        Assert.Null(d.RcLeader);
        Assert.Equal(new[] { NoticeCodes.NodeOffline, ConsulNoticeCodes.NoRcLeader, ConsulNoticeCodes.ServiceFailed, NoticeCodes.NodeDidNotAnswer },
            s.Notices.Select(n => n.Code).Distinct());
        Assert.Contains(s.Warnings, w => w.StartsWith("node2: confd is critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_raft_leader_the_status_still_tells_which_agents_run()
    {
        var ctx = await Running();
        _lab.Cluster["node1"].Running.Remove("consul");
        _lab.Cluster["node2"].Running.Remove("consul");
        var s = await ctx.Stack.GetStatusAsync(ctx, default);
        var d = (ConsulStatusDetails)s.Details!;
        Assert.False(s.Quorate);
        Assert.Null(d.RaftLeader);
        Assert.Equal(new[] { "node1 failed", "node2 failed", "node3 alive" }, d.Agents.Select(a => $"{a.Node} {a.State}"));
        Assert.Equal(ConsulNoticeCodes.NoRaftLeader, s.Notices[0].Code);
        Assert.Equal("node3", s.QueriedNode);
    }

    [Fact]
    public void The_status_of_documented_payloads_lists_a_plain_consul_service()
    {
        var members = ConsulApiParser.Members(HareFixtures.Read("consul-agent-members.json"));
        var checks = ConsulApiParser.Checks(HareFixtures.Read("consul-health-state.json"));
        var spec = Core.Spec.SpecLoader.LoadText("name: c\nstack: consul\nnodes: [ { name: foobar, address: 10.1.10.12 } ]\n", "c.yaml");
        var s = ConsulStack.BuildStatus(spec, "foobar", "10.1.10.12:8300", members, checks, null, Array.Empty<ConsulKvEntry>(), catalogRead: true);
        var d = (ConsulStatusDetails)s.Details!;
        Assert.Equal("foobar", d.RaftLeaderNode);
        var redis = Assert.Single(Assert.Single(d.Nodes).Services);
        Assert.Equal(("redis", "", HareServiceState.Started), (redis.Name, redis.Fid, redis.State));
        Assert.Equal("    [started]  redis      -                        -\n", d.ToHctlText().Split("Services:\n    foobar\n")[1]);
        Assert.Equal(ConsulNoticeCodes.NoRcLeader, Assert.Single(s.Notices).Code);
    }

    [Fact]
    public void Hare_published_hctl_outputs_render_back_to_the_same_text()
    {
        foreach (var block in HareFixtures.Read("hctl-status.txt").Split("# ---", StringSplitOptions.RemoveEmptyEntries))
        {
            var text = string.Join("\n", block.Split('\n').Skip(1).Where(l => !l.StartsWith("$ ", StringComparison.Ordinal) && !l.StartsWith("[root@", StringComparison.Ordinal))).Trim('\n') + "\n";
            Assert.Equal(text, HctlStatusParser.ParseText(text).ToHctlText());
        }
    }

    [Fact]
    public async Task Stop_follows_hares_shutdown_order_releases_the_rc_leader_before_the_agents_and_a_bootstrap_elects_again()
    {
        var ctx = await Running();
        var results = await ctx.Stack.StopClusterAsync(ctx, null, NullOperationHost.Instance, default);
        Assert.DoesNotContain(results, r => r.Status == PhaseStatus.Failed);
        Assert.Equal(new[] { "stop-phase3", "stop-phase2", "stop-phase1", "release-leader", "stop-consul" }, results.Select(r => r.Phase).Distinct());
        Assert.Equal(new[] { "svc stop ios m0d@0x7200000000000001:0x8", "svc stop confd m0d@0x7200000000000001:0x5", "svc stop hax hare-hax" },
            _lab.Log.Of("node1").Where(l => l.StartsWith("svc", StringComparison.Ordinal)));
        Assert.Equal(new[] { "svc stop s3server s3server@0x7200000000000001:0x18", "svc stop ios m0d@0x7200000000000001:0x15", "svc stop hax hare-hax" },
            _lab.Log.Of("node3").Where(l => l.StartsWith("svc", StringComparison.Ordinal)));
        var all = _lab.Log.All;
        var released = all.FindIndex(l => l.Contains("/v1/session/destroy/", StringComparison.Ordinal));
        Assert.True(released > all.FindLastIndex(l => l.Contains(": svc stop", StringComparison.Ordinal)));
        Assert.True(released < all.FindIndex(l => l.EndsWith("service stop consul", StringComparison.Ordinal)));
        Assert.StartsWith("RC leader node1 released", results.Single(r => r.Phase == "release-leader").Message);
        var c = _lab.Consul;
        Assert.Empty(c.Sessions);
        Assert.Equal(("", null), (c.Kv["leader"].Value, c.Kv["leader"].Session));
        Assert.All(_lab.Cluster.Nodes.Values, n => Assert.DoesNotContain("consul", n.Running));
        Assert.Equal("inactive", c.UnitState("node2", "hare-hax"));

        // A second stop finds nothing to do; a bootstrap starts it all again, with a new RC leader session.
        Assert.All(await ctx.Stack.StopClusterAsync(ctx, null, NullOperationHost.Instance, default), r => Assert.NotEqual(PhaseStatus.Failed, r.Status));
        Assert.DoesNotContain(await ctx.Stack.BootstrapAsync(ctx, Fast, NullOperationHost.Instance, default), r => r.Status == PhaseStatus.Failed);
        Assert.Equal("node1", c.Sessions[c.Kv["leader"].Session!].Node);
    }

    [Fact]
    public async Task Stop_under_whatif_touches_no_node_and_an_unreachable_node_is_its_own_failed_rows()
    {
        var ctx = await Running();
        Assert.Empty(await ctx.Stack.StopClusterAsync(ctx, null, new RecordingHost { WhatIf = true }, default));
        Assert.Empty(_lab.Log.Calls);
        _lab.Cluster["node3"].Down = true;
        var results = await ctx.Stack.StopClusterAsync(ctx, null, NullOperationHost.Instance, default);
        Assert.All(results.Where(r => r.Status == PhaseStatus.Failed), r => Assert.Equal("node3", r.Node));
        Assert.Equal(new[] { "stop-phase3", "stop-phase2", "stop-phase1", "stop-consul" }, results.Where(r => r.Status == PhaseStatus.Failed).Select(r => r.Phase).Distinct());
        Assert.Equal(PhaseStatus.Changed, results.Single(r => r.Phase == "stop-consul" && r.Node == "node1").Status);
    }

    [Fact]
    public async Task Teardown_leaves_bare_nodes_and_a_bootstrap_from_bare_nodes_works_again()
    {
        var ctx = await Running();
        var results = await ctx.Stack.RemoveClusterAsync(ctx, NullOperationHost.Instance, default);
        Assert.Equal(new[] { "node1", "node2", "node3" }, results.Where(r => r.Phase == "remove-config" && r.Status == PhaseStatus.Changed).Select(r => r.Node));
        Assert.All(_lab.Cluster.Nodes.Values, n => Assert.DoesNotContain(n.Files.Keys, k => k.StartsWith("/etc/consul.d/", StringComparison.Ordinal)));
        Assert.Empty(_lab.Consul.Kv);
        Assert.DoesNotContain(await ctx.Stack.BootstrapAsync(ctx, Fast, NullOperationHost.Instance, default), r => r.Status == PhaseStatus.Failed);
    }

    [Fact]
    public async Task The_key_value_store_reads_a_tree_writes_with_compare_and_set_and_removes_a_key()
    {
        var ctx = await Running();
        var kv = ctx.Require<IKeyValueStore>();
        var pools = await kv.GetKeysAsync(ctx, "m0conf/pools/", default);
        Assert.Equal("m0conf/pools/0x6f00000000000001:0x2=tier1", Assert.Single(pools).Key + "=" + pools[0].Value);
        var leader = (await kv.GetKeysAsync(ctx, "leader", default)).Single();
        Assert.NotNull(leader.LockedBy);
        Assert.Empty(await kv.GetKeysAsync(ctx, "nothing/here/", default));

        var created = await kv.SetKeyAsync(ctx, "app/x", "1", 0, NullOperationHost.Instance, default);
        Assert.True(created.Changed);
        var again = await kv.SetKeyAsync(ctx, "app/x", "2", 0, NullOperationHost.Instance, default);
        Assert.Equal((false, "not set: its ModifyIndex is no longer 0 (someone changed it)"), (again.Changed, again.Message));
        var idx = (await kv.GetKeysAsync(ctx, "app/x", default)).Single().ModifyIndex;
        Assert.True((await kv.SetKeyAsync(ctx, "app/x", "3", idx, NullOperationHost.Instance, default)).Changed);
        Assert.Equal("3", _lab.Consul.Kv["app/x"].Value);
        Assert.False((await kv.SetKeyAsync(ctx, "app/x", "4", null, new RecordingHost { WhatIf = true }, default)).Changed);
        Assert.True((await kv.RemoveKeyAsync(ctx, "app/x", NullOperationHost.Instance, default)).Changed);
        Assert.False((await kv.RemoveKeyAsync(ctx, "app/x", NullOperationHost.Instance, default)).Changed);
    }
}
