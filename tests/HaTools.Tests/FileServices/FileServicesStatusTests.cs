using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Stacks.FileServices;
using HaTools.Core.Stacks.Pacemaker;
using Xunit;

namespace HaTools.Tests.FileServices;

/// <summary>ctdb status in both forms, parsed against the real captures of the lab, and the file-service status put
/// together from the nodes' answers and Pacemaker's view.</summary>
public class FileServicesStatusTests
{
    private static string Capture(string name) => File.ReadAllText(FakeFileServiceNodes.Capture(name));

    [Theory]
    [InlineData("all-ok", "OK OK OK", 1)]
    [InlineData("node2-disabled", "OK DISABLED OK", 0)]
    [InlineData("node2-stopped", "OK STOPPED|INACTIVE OK", 0)]
    [InlineData("node3-killed", "OK OK DISCONNECTED|UNHEALTHY|INACTIVE", 0)]
    public void Both_forms_of_ctdb_status_say_the_same_of_every_node(string state, string states, int self)
    {
        var machine = CtdbStatusParser.ParseMachine(Capture($"ctdb-X-status.{state}.txt"));
        var text = CtdbStatusParser.ParseText(Capture($"ctdb-status.{state}.txt"));
        Assert.Equal(states.Split(' '), machine.Nodes.Select(n => n.State));
        Assert.Equal(states.Split(' '), text.Nodes.Select(n => n.State));
        Assert.Equal(new[] { 0, 1, 2 }, machine.Nodes.Select(n => n.Pnn));
        Assert.Equal(new[] { "198.18.0.11", "198.18.0.12", "198.18.0.13" }, machine.Nodes.Select(n => n.Address));
        Assert.Equal(self, machine.Self!.Pnn);
        Assert.Equal(self, text.Self!.Pnn);
        Assert.Equal("NORMAL", text.RecoveryMode);
        Assert.Null(machine.RecoveryMode);
    }

    [Fact]
    public void The_text_form_has_the_leader_generation_and_a_recovery_after_a_restart()
    {
        var ok = CtdbStatusParser.ParseText(Capture("ctdb-status.node2-disabled.txt"));
        Assert.Equal((2, "93510924"), (ok.Leader!.Value, ok.Generation));
        // node3 5 s after its ctdbd was killed and Pacemaker restarted it: it knows nothing of its peers yet.
        var restarting = CtdbStatusParser.ParseText(Capture("restart-series.node3.at-6.3s.txt"));
        Assert.Equal(new[] { "UNKNOWN", "UNKNOWN", "UNHEALTHY" }, restarting.Nodes.Select(n => n.State));
        Assert.Equal(("RECOVERY", "INVALID", 2), (restarting.RecoveryMode, restarting.Generation, restarting.Self!.Pnn));
        var back = CtdbStatusParser.ParseText(Capture("restart-series.node3.at-33.0s.txt"));
        Assert.All(back.Nodes, n => Assert.True(n.Ok));
    }

    [Fact]
    public void No_daemon_is_no_output_and_not_a_status()
    {
        Assert.Equal("", Capture("ctdb-status.no-daemon.txt"));
        Assert.Throws<FormatException>(() => CtdbStatusParser.ParseText(Capture("ctdb-status.no-daemon.txt")));
        Assert.Throws<FormatException>(() => CtdbStatusParser.ParseMachine(""));
        Assert.Throws<FormatException>(() => CtdbStatusParser.ParseMachine("|0|198.18.0.11|0|0|0|0|0|0|0|0|Y|\n"));
    }

    [Fact]
    public void The_machine_form_is_read_by_its_header_not_by_position()
    {
        // ctdb before 4.17 had no Unknown column (samba's own unit tests of the tool).
        var old = CtdbStatusParser.ParseMachine("|Node|IP|Disconnected|Banned|Disabled|Unhealthy|Stopped|Inactive|PartiallyOnline|ThisNode|\n|1|192.0.2.42|1|0|0|0|0|1|0|N|\n|2|192.0.2.43|0|0|0|0|0|0|0|Y|\n");
        Assert.Equal(new[] { "DISCONNECTED|INACTIVE", "OK" }, old.Nodes.Select(n => n.State));
        Assert.Equal(2, old.Self!.Pnn);
    }

    private static ClusterStatus AllOk() => CrmMonParser.Parse(Capture("crm_mon.all-ok.xml"));

    private static FileServicesStatusDetails Build(ClusterStatus s, Func<string, string> answer, params string[] unreachable)
    {
        var spec = FileServicesSpecTests.Example();
        return FileServicesStatus.Build(spec, FileServicesModel.Of(spec)!, s, new[] { "node1", "node2", "node3" }
            .Select(n => (n, unreachable.Contains(n) ? new CommandResult { Node = n, ExitCode = 255, Error = "unreachable: test", Unreachable = true } : new CommandResult { Node = n, StdOut = answer(n) }))
            .ToList());
    }

    [Fact]
    public void A_serving_cluster_has_every_node_ok_every_address_once_and_every_share_everywhere()
    {
        var s = AllOk();
        var before = s.Warnings.Count;
        var d = Build(s, new FakeFileServiceNodes().Status);
        Assert.Equal(before, s.Warnings.Count);
        Assert.Equal(new[] { "node1 OK 0 True True 198.18.0.101", "node2 OK 1 True True 198.18.0.102", "node3 OK 2 True True 198.18.0.103" },
            d.Nodes.Select(n => $"{n.Node} {n.Ctdb} {n.CtdbPnn} {n.Smbd} {n.Ganesha} {string.Join(",", n.Addresses)}"));
        Assert.Equal(new[] { "vip1 198.18.0.101 node1 node1 node1", "vip2 198.18.0.102 node2 node2 node2", "vip3 198.18.0.103 node3 node3 node3" },
            d.Addresses.Select(a => $"{a.Name} {a.Address} {a.Home} {a.Node} {string.Join(",", a.HeldBy)}"));
        Assert.Equal(new[] { "SMB hafs /srv/hafs/export node1,node2,node3 198.18.0.101,198.18.0.102,198.18.0.103", "NFS /export /srv/hafs/export node1,node2,node3 198.18.0.101,198.18.0.102,198.18.0.103" },
            d.Shares.Select(x => $"{x.Protocol} {x.Name} {x.Path} {string.Join(",", x.ServedOn)} {string.Join(",", x.Addresses)}"));
        Assert.Equal(("NORMAL", "node3"), (d.CtdbRecoveryMode, d.CtdbLeader)); // leader pnn 2 in the capture
    }

    [Fact]
    public void A_disabled_ctdb_stops_smb_there_and_says_so_while_nfs_goes_on()
    {
        var s = AllOk();
        var d = Build(s, n => FakeFileServiceNodes.Serving(n, "ctdb-X-status.node2-disabled.txt", "ctdb-status.node2-disabled.txt", "198.18.0.10" + n.Substring(4) + "/24"));
        Assert.Equal("DISABLED", d.Nodes[1].Ctdb);
        Assert.Equal(new[] { "node1", "node3" }, d.Shares.Single(x => x.Protocol == "SMB").ServedOn);
        Assert.Equal(new[] { "node1", "node2", "node3" }, d.Shares.Single(x => x.Protocol == "NFS").ServedOn);
        var w = Assert.Single(s.Notices, x => x.Code == FileServicesNoticeCodes.CtdbNotOk);
        Assert.Equal(("node2", "CTDB on node2 is DISABLED: it serves no SMB until it is OK"), (w.Node, w.Message));
    }

    [Fact]
    public void An_address_on_two_nodes_on_none_or_elsewhere_than_pacemaker_says_is_a_warning()
    {
        var s = AllOk();
        var d = Build(s, n => n switch
        {
            "node1" => FakeFileServiceNodes.Serving(n, "ctdb-X-status.all-ok.txt", "ctdb-status.all-ok.txt", "198.18.0.101/24", "198.18.0.102/24"),
            "node2" => FakeFileServiceNodes.Serving(n, "ctdb-X-status.all-ok.txt", "ctdb-status.all-ok.txt", "198.18.0.102/24"),
            _ => FakeFileServiceNodes.Serving(n, "ctdb-X-status.all-ok.txt", "ctdb-status.all-ok.txt").Replace("smbd=running", "smbd=stopped"),
        });
        Assert.Equal(new[] { "node1", "node2" }, d.Addresses[1].HeldBy);
        Assert.Contains(s.Notices, x => x.Code == FileServicesNoticeCodes.AddressHeldTwice && x.Message.StartsWith("vip2 (198.18.0.102) is on the interfaces of node1 and node2", StringComparison.Ordinal));
        Assert.Contains(s.Notices, x => x.Code == FileServicesNoticeCodes.AddressNotHeld && x.Message == "vip3 (198.18.0.103) is on no serving node: clients cannot reach it (Pacemaker runs it on node3)");
        Assert.Contains(s.Notices, x => x.Code == FileServicesNoticeCodes.DaemonDown && x.Node == "node3" && x.Message == "smbd does not run on node3");
        // A share is reached through the addresses of the nodes that serve it.
        Assert.Equal(new[] { "198.18.0.101", "198.18.0.102" }, d.Shares[0].Addresses);
    }

    [Fact]
    public void A_node_that_does_not_answer_is_a_result_and_its_ctdb_not_running_is_said()
    {
        var s = AllOk();
        var d = Build(s, n => n == "node2" ? "ctdbx.rc=1\nctdbx=connect() failed, errno=111\nctdb.rc=1\nsmbd=stopped\nganesha=running\nFSSTATUS\n" : new FakeFileServiceNodes().Status(n), "node3");
        Assert.Equal(("node3", false, "unreachable: test"), (d.Nodes[2].Node, d.Nodes[2].Reachable, d.Nodes[2].Error));
        Assert.Equal("not running", d.Nodes[1].Ctdb);
        Assert.Contains(s.Notices, x => x.Code == FileServicesNoticeCodes.CtdbNotOk && x.Node == "node2");
        // Not every node answered: an address nobody reported is not called unreachable.
        Assert.DoesNotContain(s.Notices, x => x.Code == FileServicesNoticeCodes.AddressNotHeld);
    }

    [Fact]
    public async Task Get_HaStatus_asks_crm_mon_once_and_every_serving_node_once_and_serializes_the_details()
    {
        var nodes = new FakeFileServiceNodes();
        var ctx = new ClusterContext(FileServicesSpecTests.Example(), nodes);
        var s = await ctx.Stack.GetStatusAsync(ctx, default);
        Assert.Equal(new[] { "node1 crm_mon --one-shot --inactive --output-as=xml", "node1 fs-status 1 1", "node2 fs-status 1 1", "node3 fs-status 1 1" },
            nodes.Calls.Select(c => $"{c.Node} {FakeFileServiceNodes.Describe(c.Request)}").OrderBy(x => x));
        var d = Assert.IsType<PacemakerStatusDetails>(s.Details).FileServices!;
        Assert.Equal(3, d.Nodes.Count(n => n.CtdbOk && n.Reachable));
        var json = JsonSerializer.Serialize(s);
        Assert.Contains("\"FileServices\":{\"Nodes\":[{\"Node\":\"node1\",\"Reachable\":true,\"Ctdb\":\"OK\"", json);
    }

    [Fact]
    public async Task Waits_and_operations_read_crm_mon_only()
    {
        var nodes = new FakeFileServiceNodes();
        var ctx = new ClusterContext(FileServicesSpecTests.Example(), nodes);
        await new PacemakerStack().StartResourceAsync(ctx, "vip1", new ActionOptions(), NullOperationHost.Instance, default);
        Assert.DoesNotContain(nodes.Calls, c => FakeFileServiceNodes.Describe(c.Request).StartsWith("fs-status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cluster_without_file_services_gets_no_details_of_them()
    {
        var fake = new FakeRunner().Expect("node1", PacemakerCalls.CrmMon, stdout: Pacemaker.Fixtures.Read("crm_mon", "all-started.xml"));
        var s = await new PacemakerStack().GetStatusAsync(new ClusterContext(Pacemaker.SpecBuilder.Lab(), fake), default);
        fake.AssertDone();
        Assert.Null(Assert.IsType<PacemakerStatusDetails>(s.Details).FileServices);
    }
}
