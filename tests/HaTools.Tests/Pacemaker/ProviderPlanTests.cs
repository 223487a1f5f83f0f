using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Pacemaker;

/// <summary>The provider's plans against a fake runner: the exact commands each node receives, in order,
/// answered with crm_mon XML produced by Pacemaker's own tools.</summary>
public class ProviderPlanTests
{
    private static readonly string[] CrmMon = PacemakerCalls.CrmMon;

    private static ClusterContext Ctx(ICommandRunner runner) => new ClusterContext(SpecBuilder.Lab(), runner);

    private static string Xml(string state) => Fixtures.Read("crm_mon", state + ".xml");

    [Fact]
    public async Task Move_sends_the_move_waits_then_removes_its_own_constraint()
    {
        var fake = new FakeRunner()
            .Expect("node1", CrmMon, stdout: Xml("all-started"))
            .Expect("node1", PacemakerCalls.Move("vip", "node1"))
            .Expect("node1", CrmMon, stdout: Xml("moved"))
            .Expect("node1", PacemakerCalls.Clear("vip"));
        var r = await new PacemakerStack().MoveResourceAsync(Ctx(fake), "vip", "node1", new MoveOptions(), NullOperationHost.Instance, default);
        fake.AssertDone();
        Assert.True(r.Changed);
        Assert.Equal("node1", r.Node);
        Assert.Equal("moved; move constraint removed", r.Message);
    }

    [Fact]
    public async Task Move_with_a_lifetime_keeps_the_constraint_and_does_not_wait()
    {
        var fake = new FakeRunner()
            .Expect("node1", CrmMon, stdout: Xml("all-started"))
            .Expect("node1", PacemakerCalls.Move("vip", "node1", "PT1H"));
        var r = await new PacemakerStack().MoveResourceAsync(Ctx(fake), "vip", "node1", new MoveOptions { Lifetime = "PT1H" }, NullOperationHost.Instance, default);
        fake.AssertDone();
        Assert.True(r.Changed);
    }

    [Fact]
    public async Task Move_is_refused_without_quorum_unless_forced_and_nothing_is_sent()
    {
        var fake = new FakeRunner().Expect("node1", CrmMon, stdout: Xml("no-quorum"));
        var e = await Assert.ThrowsAsync<ClusterStateException>(() =>
            new PacemakerStack().MoveResourceAsync(Ctx(fake), "vip", "node1", new MoveOptions(), NullOperationHost.Instance, default));
        Assert.Contains("no quorum", e.Message);
        fake.AssertDone();
    }

    [Fact]
    public async Task Move_to_an_offline_node_is_refused()
    {
        var fake = new FakeRunner().Expect("node1", CrmMon, stdout: Xml("node-offline"));
        await Assert.ThrowsAsync<ClusterStateException>(() =>
            new PacemakerStack().MoveResourceAsync(Ctx(fake), "vip", "node2", new MoveOptions(), NullOperationHost.Instance, default));
    }

    [Fact]
    public async Task What_if_sends_no_change()
    {
        var fake = new FakeRunner().Expect("node1", CrmMon, stdout: Xml("all-started"));
        var host = new RecordingHost { WhatIf = true };
        var r = await new PacemakerStack().MoveResourceAsync(Ctx(fake), "vip", "node1", new MoveOptions(), host, default);
        fake.AssertDone();
        Assert.False(r.Changed);
        Assert.Equal(new[] { "vip: move resource to node1" }, host.Actions);
    }

    [Fact]
    public async Task Hostile_names_never_reach_a_node()
    {
        var fake = new FakeRunner();
        foreach (var bad in new[] { "$(touch /tmp/pwned)", "vip;reboot", "vip\n", "`id`" })
        {
            await Assert.ThrowsAsync<HaException>(() => new PacemakerStack().MoveResourceAsync(Ctx(fake), bad, "node1", new MoveOptions(), NullOperationHost.Instance, default));
            await Assert.ThrowsAsync<HaException>(() => new PacemakerStack().MoveResourceAsync(Ctx(fake), "vip", bad, new MoveOptions(), NullOperationHost.Instance, default));
            await Assert.ThrowsAsync<HaException>(() => new PacemakerStack().SetNodeStandbyAsync(Ctx(fake), bad, true, new ActionOptions(), NullOperationHost.Instance, default));
        }
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Status_asks_the_next_node_when_one_has_no_cluster_and_says_so()
    {
        var fake = new FakeRunner()
            .Expect("node1", CrmMon, exit: 102, stdout: Xml("not-connected"))
            .Expect("node2", CrmMon, stdout: Xml("all-started"));
        var s = await new PacemakerStack().GetStatusAsync(Ctx(fake), default);
        fake.AssertDone();
        Assert.Equal("node2", s.QueriedNode);
        Assert.Equal("lab", s.Name);
        Assert.Equal(new[] { "node1" }, s.UnreachableNodes);
        Assert.Contains(s.Warnings, w => w.StartsWith("node1 did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Standby_with_wait_polls_until_the_node_is_empty()
    {
        var fake = new FakeRunner()
            .Expect("node1", CrmMon, stdout: Xml("all-started"))
            .Expect("node1", PacemakerCalls.Standby("node2", on: true))
            .Expect("node1", CrmMon, stdout: Xml("node-standby"));
        var r = await new PacemakerStack().SetNodeStandbyAsync(Ctx(fake), "node2", true, new ActionOptions { Wait = true }, NullOperationHost.Instance, default);
        fake.AssertDone();
        Assert.True(r.Standby);
        Assert.Equal(0, r.ResourceCount);
    }

    [Fact]
    public async Task Teardown_stops_pacemaker_everywhere_before_corosync_then_removes_the_configuration()
    {
        var order = new List<string>();
        var fake = new FakeRunner
        {
            Fallback = (n, req) =>
            {
                lock (order) order.Add($"{n.Name}:{(req.Argv[0] == "sh" ? req.Argv[5] + " " + req.Argv[4] : req.Argv[0])}");
                return new CommandResult { Node = n.Name, StdOut = "DONE\n" };
            },
        };
        var phases = await new PacemakerStack().RemoveClusterAsync(Ctx(fake), NullOperationHost.Instance, default);
        Assert.DoesNotContain(phases, p => p.Status == PhaseStatus.Failed);
        var stopPcmk = order.FindLastIndex(o => o.EndsWith("stop pacemaker", StringComparison.Ordinal));
        var stopCoro = order.FindIndex(o => o.EndsWith("stop corosync", StringComparison.Ordinal));
        Assert.True(stopPcmk < stopCoro, string.Join(", ", order));
        var rm = fake.Calls.Where(c => c.Request.Argv.Contains("/etc/corosync/authkey")).ToList();
        Assert.Equal(3, rm.Count);
        Assert.Contains("/var/lib/pacemaker/cib/", rm[0].Request.Argv);
    }

    [Fact]
    public async Task A_bootstrap_whose_preflight_fails_changes_nothing()
    {
        var fake = new FakeRunner
        {
            // Every node answers the probe; node3 has no pacemaker installed.
            Fallback = (n, req) => new CommandResult { Node = n.Name, StdOut = Probe(n.Name, pacemaker: n.Name != "node3") },
        };
        var phases = await new PacemakerStack().BootstrapAsync(Ctx(fake), new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.All(fake.Calls, c => Assert.Equal(NodeProbeScript, c.Request.Argv[2]));
        Assert.Contains(phases, p => p.Phase == "preflight" && p.Node == "node3" && p.Status == PhaseStatus.Failed && p.Message.Contains("pacemakerd not found"));
        Assert.Contains(phases, p => p.Phase == "preflight" && p.Node == "*" && p.Message == "nothing was changed on any node");
    }

    [Fact]
    public async Task A_failed_commit_restores_the_nodes_already_committed_and_starts_nothing()
    {
        var calls = new List<string>();
        var fake = new FakeRunner
        {
            Fallback = (n, req) =>
            {
                if (req.Argv.Count > 2 && req.Argv[2] == NodeProbeScript) return new CommandResult { Node = n.Name, StdOut = Probe(n.Name, true) };
                var action = req.Argv[4];
                lock (calls) calls.Add($"{n.Name} {action} {req.Argv[5]}");
                return action switch
                {
                    "stage" => new CommandResult { Node = n.Name, StdOut = "STAGED\n" },
                    "commit" when n.Name == "node2" => new CommandResult { Node = n.Name, ExitCode = 1, StdErr = "mv: cannot move: read-only file system" },
                    "commit" => new CommandResult { Node = n.Name, StdOut = "COMMITTED \n" },
                    "restore" => new CommandResult { Node = n.Name, StdOut = "REMOVED\n" },
                    _ => new CommandResult { Node = n.Name, StdOut = "DISCARDED\n" },
                };
            },
        };
        var phases = await new PacemakerStack().BootstrapAsync(Ctx(fake), new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.Contains(phases, p => p.Phase == "push" && p.Node == "node2" && p.Status == PhaseStatus.Failed && p.Message.Contains("read-only"));
        foreach (var node in new[] { "node1", "node3" })
            foreach (var f in new[] { "/etc/corosync/corosync.conf", "/etc/corosync/authkey" })
                Assert.Contains($"{node} restore {f}", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("node2 restore", StringComparison.Ordinal));
        Assert.DoesNotContain(fake.Calls, c => c.Request.Argv.Contains("start"));
        Assert.DoesNotContain(phases, p => p.Phase == "start");
    }

    private static string NodeProbeScript => (string)typeof(PacemakerStack).Assembly.GetType("HaTools.Core.Stacks.Pacemaker.NodeProbe")!
        .GetField("Script", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;

    private static string Probe(string node, bool pacemaker)
    {
        var i = int.Parse(node.Substring(4));
        return $"hostname={node}\nbin.corosync=/usr/sbin/corosync\nbin.pacemakerd={(pacemaker ? "/usr/sbin/pacemakerd" : "")}\nbin.crm_mon=/usr/sbin/crm_mon\n" +
               "bin.cibadmin=/usr/sbin/cibadmin\nbin.crm_resource=/usr/sbin/crm_resource\nbin.crm_attribute=/usr/sbin/crm_attribute\nbin.corosync-cfgtool=/usr/sbin/corosync-cfgtool\n" +
               $"version.corosync=3.1.7\nversion.pacemaker=2.1.5\naddrs=127.0.0.1 10.0.0.{10 + i}\ncorosync=stopped\npacemaker=stopped\ninit=other\n" +
               $"time={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000}\n";
    }

}
