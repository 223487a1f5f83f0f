using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Bootstrap;

/// <summary>
/// The two-phase push on three stateful fake nodes: what every node holds at the end (old files or new ones, never a
/// mix), whatever fails where. The fake speaks the push script's protocol as the real script does
/// (FakeNodeContractTests).
/// </summary>
public class PushFilesTests
{
    private const string Conf = "/etc/corosync/corosync.conf", Key = "/etc/corosync/authkey";

    private static FakeCluster Cluster()
    {
        var c = new FakeCluster("node1", "node2", "node3");
        foreach (var n in c.Nodes.Values) n.Write(Conf, "old conf\n");
        return c;
    }

    private static readonly FileSpec[] NewFiles =
    {
        new FileSpec(Conf, Encoding.UTF8.GetBytes("new conf\n")),
        new FileSpec(Key, Encoding.UTF8.GetBytes("0123456789abcdef"), "0400") { Secret = true },
    };

    private static async Task<(PushFiles.Outcome Outcome, PhaseRun Run)> Push(FakeCluster c, RecordingHost? host = null)
    {
        var ctx = new ClusterContext(SpecBuilder.Cluster("c1", 3), c);
        var run = new PhaseRun(ctx, new BootstrapOptions(), host ?? new RecordingHost(), default);
        return (await PushFiles.RunAsync(run, NewFiles, "already as declared"), run);
    }

    private static Dictionary<string, string> State(FakeNode n) => n.Files.ToDictionary(kv => kv.Key, kv => kv.Value.Text + " " + kv.Value.Mode);

    [Fact]
    public async Task Every_node_ends_with_the_new_files_and_a_backup_of_the_old_one()
    {
        var c = Cluster();
        var (outcome, _) = await Push(c);
        Assert.True(outcome.Ok);
        foreach (var n in c.Nodes.Values)
        {
            Assert.Equal("new conf\n", n.Read(Conf));
            Assert.Equal("0123456789abcdef", n.Read(Key));
            Assert.Equal("400", n.Files[Key].Mode);
            Assert.Equal("old conf\n", n.Read(Conf + FilePusher.BackupSuffix));
            Assert.DoesNotContain(n.Files.Keys, p => p.EndsWith(FilePusher.StageSuffix, StringComparison.Ordinal));
        }
        Assert.Equal(new[] { Conf, Key }, outcome.Changed["node2"]);
    }

    [Fact]
    public async Task A_second_push_of_the_same_files_changes_nothing_and_asks_nothing()
    {
        var c = Cluster();
        await Push(c);
        var before = c.Nodes.Values.Select(State).ToList();
        var host = new RecordingHost();
        var (outcome, run) = await Push(c, host);
        Assert.True(outcome.Ok);
        Assert.Empty(outcome.Changed);
        Assert.Empty(host.Actions);
        Assert.All(run.Results, r => Assert.Equal(PhaseStatus.Unchanged, r.Status));
        Assert.Equal(before, c.Nodes.Values.Select(State).ToList());
    }

    [Fact]
    public async Task A_stage_that_fails_on_one_node_leaves_every_node_exactly_as_it_was()
    {
        var c = Cluster();
        var before = c.Nodes.Values.Select(State).ToList();
        c["node3"].FailNext(l => l == $"push stage {Key}");
        var (outcome, run) = await Push(c);
        Assert.False(outcome.Ok);
        Assert.Equal(before, c.Nodes.Values.Select(State).ToList());
        Assert.Contains(run.Results, r => r.Node == "node3" && r.Status == PhaseStatus.Failed && r.Message.Contains(Key));
        Assert.DoesNotContain(c.Log, l => l.Contains("push commit"));
    }

    [Fact]
    public async Task A_commit_whose_answer_is_lost_after_the_rename_is_undone_there_and_restored_everywhere_else()
    {
        var c = Cluster();
        var before = c.Nodes.Values.Select(State).ToList();
        c["node2"].FailNext(l => l == $"push commit {Key}", afterTheChange: true);
        var (outcome, run) = await Push(c);
        Assert.False(outcome.Ok);
        // Every node is back on the old configuration: the old corosync.conf, no authkey, no staged or backup files left.
        Assert.Equal(before, c.Nodes.Values.Select(State).ToList());
        Assert.Contains(c.Log, l => l == $"node2: push undo {Key}");
        Assert.Contains(run.Results, r => r.Node == "*" && r.Message.StartsWith("commit failed on node2; restored the previous files on node1,node2,node3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_at_the_question_nothing_is_committed_and_the_staged_files_are_discarded()
    {
        var c = Cluster();
        var before = c.Nodes.Values.Select(State).ToList();
        var (outcome, _) = await Push(c, new RecordingHost { WhatIf = true });
        Assert.False(outcome.Ok);
        Assert.Equal(before, c.Nodes.Values.Select(State).ToList());
    }

    [Fact]
    public async Task Two_operators_on_the_same_nodes_the_second_is_refused_naming_the_first_until_it_releases()
    {
        var c = Cluster();
        using var a = new ClusterContext(SpecBuilder.Cluster("c1", 3), c) { Lock = ClusterLockOptions.Default };
        using var b = new ClusterContext(SpecBuilder.Cluster("c1", 3), c) { Lock = ClusterLockOptions.Default };
        var held = await ClusterLock.AcquireAsync(a, "bootstrap c1", NullOperationHost.Instance, default);
        var busy = await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(b, "move vip", NullOperationHost.Instance, default));
        Assert.Equal("bootstrap c1", busy.Holder.Operation);
        Assert.Equal(Environment.MachineName, busy.Holder.Host);
        // The refused operator left nothing behind: the lock folders hold the first operator's token only.
        Assert.All(c.Nodes.Values, n => Assert.Contains("op=bootstrap c1", n.Read("/var/run/hatools/lock/held/holder")));
        await held.DisposeAsync();
        Assert.All(c.Nodes.Values, n => Assert.Null(n.Read("/var/run/hatools/lock/held/holder")));
        await using var second = await ClusterLock.AcquireAsync(b, "move vip", NullOperationHost.Instance, default);
        Assert.All(c.Nodes.Values, n => Assert.Contains("op=move vip", n.Read("/var/run/hatools/lock/held/holder")));
    }

    [Fact]
    public async Task A_holder_whose_lease_ran_out_on_the_nodes_clocks_is_taken_over_as_stale()
    {
        var c = Cluster();
        using var a = new ClusterContext(SpecBuilder.Cluster("c1", 3), c) { Lock = ClusterLockOptions.Default };
        using var b = new ClusterContext(SpecBuilder.Cluster("c1", 3), c) { Lock = ClusterLockOptions.Default };
        var held = await ClusterLock.AcquireAsync(a, "bootstrap c1", NullOperationHost.Instance, default);
        foreach (var n in c.Nodes.Values) n.Now += 3600; // the first operator died an hour ago: no renewals
        var host = new RecordingHost();
        await using (await ClusterLock.AcquireAsync(b, "move vip", host, default))
            Assert.All(c.Nodes.Values, n => Assert.Contains("op=move vip", n.Read("/var/run/hatools/lock/held/holder")));
        Assert.Contains(host.Warnings, w => w.Contains("stale", StringComparison.OrdinalIgnoreCase));
        _ = held; // never released: its process is gone
    }
}
