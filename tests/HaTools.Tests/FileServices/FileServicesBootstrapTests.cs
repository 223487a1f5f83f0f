using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Stacks.FileServices;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.FileServices;

/// <summary>The file-service phases of a Pacemaker bootstrap and its teardown, against fakes: the strict FakeRunner for
/// one phase at a time (exact argv, in order), the scripted fake nodes for a whole run.</summary>
public class FileServicesBootstrapTests
{
    private static ClusterContext Ctx(ICommandRunner runner) => new ClusterContext(FileServicesSpecTests.Example(), runner);

    private static readonly string[] Nodes = { "node1", "node2", "node3" };

    // The argv each node must receive, written out here (the scripts are the production constants).
    private static string[] ProbeArgv => new[] { "sh", "-c", FileServicesCommands.ProbeScript, "sh", "/srv/hafs", "1", "1", "0", "/srv/hafs/.ctdb", "/srv/hafs/export" };
    private static string[] KeepArgv => new[] { "sh", "-c", FileServicesCommands.KeepOriginalsScript, "sh", "/etc/ctdb/nodes", "/etc/ctdb/ctdb.tunables", "/etc/samba/smb.conf", "/etc/ganesha/ganesha.conf" };
    // /srv/hafs/export is the folder of a share guests may write: made 1777.
    private static string[] PrepareArgv => new[] { "sh", "-c", FileServicesCommands.PrepareScript, "sh", "/srv/hafs/.ctdb", "--", "/srv/hafs/export" };
    private static string[] SeesArgv => new[] { "sh", "-c", FileServicesCommands.SeesScript, "sh", "/srv/hafs/.ctdb" };
    private static string[] RemoveCheckArgv => new[] { "rm", "-f", "--", "/srv/hafs/.ctdb/.hatools-shared-check" };

    [Fact]
    public void The_plan_has_the_file_service_phases_between_pacemakers()
    {
        var ctx = Ctx(new FakeRunner());
        var plan = ctx.Stack.PlanBootstrap(ctx, new BootstrapOptions());
        Assert.Equal(new[] { "validate", "lock", "preflight", "fs-preflight", "generate", "fs-generate", "push", "fs-prepare", "start", "quorum", "mkfs", "configure", "resources", "fs-wait", "health" },
            plan.Select(p => p.Phase).Distinct());
        string Of(string phase, string node = "*") => plan.First(p => p.Phase == phase && p.Node == node).Description;
        Assert.Contains("ctdbd, smbd, ganesha.nfsd with FSAL VFS", Of("fs-preflight", "node1"));
        Assert.Contains("/etc/ctdb/nodes (serving nodes 198.18.0.11, 198.18.0.12, 198.18.0.13; lines of removed nodes commented out, never deleted)", Of("fs-generate"));
        Assert.Contains("keepalive 2 s x 3", Of("fs-generate"));
        Assert.Contains("no public_addresses", Of("fs-generate"));
        Assert.Contains("/etc/ctdb/nodes, /etc/ctdb/ctdb.tunables, /etc/samba/smb.conf, /etc/ganesha/ganesha.conf (0644)", Of("push", "node2"));
        Assert.Contains("make what is missing of /srv/hafs/.ctdb, /srv/hafs/export", Of("fs-prepare", "node1"));
        Assert.Contains("check that it sees the same check file", Of("fs-prepare", "node3"));
        Assert.Contains("ctdb, smbd, ganesha, ganesha-grace run on node1, node2, node3 and vip1 (198.18.0.101), vip2 (198.18.0.102), vip3 (198.18.0.103) are up", Of("fs-wait"));
        // Nothing was asked of any node.
        Assert.Empty(((FakeRunner)ctx.Runner).Calls);
    }

    [Fact]
    public void A_file_without_file_services_plans_exactly_the_phases_it_had()
    {
        var ctx = new ClusterContext(SpecBuilder.Lab(), new FakeRunner());
        Assert.Equal(new[] { "validate", "lock", "preflight", "generate", "push", "start", "quorum", "mkfs", "configure", "resources", "health" },
            ctx.Stack.PlanBootstrap(ctx, new BootstrapOptions()).Select(p => p.Phase).Distinct());
        Assert.DoesNotContain(ctx.Stack.PlanBootstrap(ctx, new BootstrapOptions()), p => p.Description.Contains("smb.conf"));
    }

    private static Task<System.Collections.Generic.IReadOnlyList<PhaseResult>> Run(ClusterContext ctx, params Func<FileServicesBootstrap, IBootstrapPhase>[] phases)
    {
        var b = FileServicesBootstrap.For(ctx.Spec)!;
        return PhaseEngine.RunAsync(ctx, phases.Select(p => p(b)).ToList(), new BootstrapOptions(), NullOperationHost.Instance, default);
    }

    [Fact]
    public async Task Preflight_probes_every_node_once_and_generate_keeps_the_pnn_of_every_line()
    {
        var fake = new FakeRunner();
        // node3 was the 4th serving node's neighbour once: its nodes file has a deleted line the others share.
        var file = "nodes=present\nnodes.line=198.18.0.11\nnodes.line=#198.18.0.14\nnodes.line=198.18.0.12\n";
        foreach (var n in Nodes) fake.Expect(n, ProbeArgv, stdout: FakeFileServiceNodes.Bare(n).Replace("PROBED", file + "PROBED"));
        var b = FileServicesBootstrap.For(FileServicesSpecTests.Example())!;
        var ctx = new ClusterContext(FileServicesSpecTests.Example(), fake);
        var results = await PhaseEngine.RunAsync(ctx, new[] { b.PreflightPhase, b.GeneratePhase }, new BootstrapOptions(), NullOperationHost.Instance, default);
        fake.AssertDone();
        Assert.All(results, r => Assert.NotEqual(PhaseStatus.Failed, r.Status));
        Assert.Equal(new[] { "ready to serve", "ready to serve", "ready to serve" }, results.Where(r => r.Phase == "fs-preflight").Select(r => r.Message));
        var nodes = b.Files.Single(f => f.Destination == "/etc/ctdb/nodes");
        Assert.Equal("198.18.0.11\n#198.18.0.14\n198.18.0.12\n198.18.0.13\n", Encoding.UTF8.GetString(nodes.Content));
        Assert.Equal(new[] { "/etc/ctdb/nodes", "/etc/ctdb/ctdb.tunables", "/etc/samba/smb.conf", "/etc/ganesha/ganesha.conf" }, b.Files.Select(f => f.Destination));
        Assert.All(b.Files, f => Assert.Equal("0644", f.Mode));
    }

    [Fact]
    public async Task Preflight_refuses_missing_software_a_missing_shared_path_foreign_daemons_and_differing_nodes_files_and_changes_nothing()
    {
        var fake = new FakeRunner()
            .Expect("node1", ProbeArgv, stdout: FakeFileServiceNodes.Bare("node1").Replace("bin.smbd=yes", "bin.smbd=no").Replace("fsal.vfs=yes", "fsal.vfs=no") + "")
            .Expect("node2", ProbeArgv, stdout: FakeFileServiceNodes.Bare("node2").Replace("shared=dir", "shared=missing").Replace("PROBED", "nodes=present\nnodes.line=198.18.0.11\nPROBED"))
            .Expect("node3", ProbeArgv, stdout: FakeFileServiceNodes.Bare("node3").Replace("PROBED", "running.smbd=yes\npublic_addresses=present\nnodes=present\nnodes.line=198.18.0.13\nPROBED"));
        var results = await Run(Ctx(fake), b => b.PreflightPhase, b => b.GeneratePhase);
        fake.AssertDone();
        string Msg(string node) => results.Single(r => r.Node == node && r.Phase == "fs-preflight" && r.Status == PhaseStatus.Failed).Message;
        Assert.Contains("/usr/sbin/smbd is missing (apt-get install samba)", Msg("node1"));
        Assert.Contains("ganesha's FSAL VFS (libfsalvfs.so) is missing (apt-get install nfs-ganesha-vfs)", Msg("node1"));
        Assert.Contains("/srv/hafs does not exist here", Msg("node2"));
        Assert.Contains("smbd runs outside Pacemaker", Msg("node3"));
        Assert.Contains("/etc/ctdb/public_addresses exists", Msg("node3"));
        Assert.Contains(results, r => r.Node == "*" && r.Status == PhaseStatus.Failed && r.Message.Contains("different /etc/ctdb/nodes files (node2: 198.18.0.11; node3: 198.18.0.13)"));
        Assert.Contains(results, r => r.Node == "*" && r.Message == "nothing was changed on any node");
        Assert.DoesNotContain(results, r => r.Phase == "fs-generate");
    }

    [Fact]
    public async Task Prepare_makes_the_missing_folders_on_one_node_and_checks_the_others_see_them()
    {
        var fake = new FakeRunner();
        foreach (var n in Nodes) fake.Expect(n, ProbeArgv, stdout: FakeFileServiceNodes.Bare(n));
        fake.Expect("node1", PrepareArgv, stdout: "made=/srv/hafs/.ctdb\nmade=/srv/hafs/export (1777)\nPREPARED\n")
            .Expect("node2", SeesArgv, stdout: "SAME\n")
            .Expect("node3", SeesArgv, stdout: "MISSING\n")
            .Expect("node1", RemoveCheckArgv);
        var host = new RecordingHost();
        var b = FileServicesBootstrap.For(FileServicesSpecTests.Example())!;
        var results = await PhaseEngine.RunAsync(Ctx(fake), new[] { b.PreflightPhase, b.PreparePhase }, new BootstrapOptions(), host, default);
        fake.AssertDone();
        Assert.Equal(new[] { "node1: make /srv/hafs/.ctdb, /srv/hafs/export on the shared filesystem" }, host.Actions);
        // The token travels on stdin, the same to the writer and to every reader.
        var tokens = fake.Calls.Where(c => c.Request.Argv[2] == FileServicesCommands.PrepareScript || c.Request.Argv[2] == FileServicesCommands.SeesScript)
            .Select(c => Encoding.ASCII.GetString(c.Request.Stdin!)).Distinct().ToList();
        Assert.Single(tokens);
        Assert.Matches("^[0-9a-f]{32}$", tokens[0]);
        var prepare = results.Where(r => r.Phase == "fs-prepare").ToList();
        Assert.Equal(("node1", PhaseStatus.Changed, "made /srv/hafs/.ctdb, /srv/hafs/export (1777)"), (prepare[0].Node, prepare[0].Status, prepare[0].Message));
        Assert.Equal(PhaseStatus.Ok, prepare.Single(r => r.Node == "node2").Status);
        var three = prepare.Single(r => r.Node == "node3");
        Assert.Equal(PhaseStatus.Failed, three.Status);
        Assert.Contains("/srv/hafs is not the shared filesystem here", three.Message);
    }

    [Fact]
    public async Task Prepare_asks_nothing_when_every_folder_is_there_and_under_what_if_makes_nothing()
    {
        var present = FakeFileServiceNodes.Bare("n").Replace("=no\n", "=yes\n").Replace("bin.", "bin.");
        var fake = new FakeRunner();
        foreach (var n in Nodes) fake.Expect(n, ProbeArgv, stdout: present);
        fake.Expect("node1", PrepareArgv, stdout: "PREPARED\n").Expect("node2", SeesArgv, stdout: "SAME\n").Expect("node3", SeesArgv, stdout: "SAME\n").Expect("node1", RemoveCheckArgv);
        var host = new RecordingHost();
        var b = FileServicesBootstrap.For(FileServicesSpecTests.Example())!;
        var results = await PhaseEngine.RunAsync(Ctx(fake), new[] { b.PreflightPhase, b.PreparePhase }, new BootstrapOptions(), host, default);
        fake.AssertDone();
        Assert.Empty(host.Actions);
        Assert.Equal(PhaseStatus.Unchanged, results.Single(r => r.Phase == "fs-prepare" && r.Node == "node1").Status);

        var missing = new FakeRunner();
        foreach (var n in Nodes) missing.Expect(n, ProbeArgv, stdout: FakeFileServiceNodes.Bare(n));
        var b2 = FileServicesBootstrap.For(FileServicesSpecTests.Example())!;
        await PhaseEngine.RunAsync(Ctx(missing), new[] { b2.PreflightPhase, b2.PreparePhase }, new BootstrapOptions(), new RecordingHost { WhatIf = true }, default);
        missing.AssertDone();
    }

    [Fact]
    public async Task Wait_is_done_when_every_daemon_runs_on_every_serving_node_and_every_address_is_up()
    {
        // The lab's capture predates the grace delay: ganesha runs everywhere, its grace is not over yet; then all is up.
        var fake = new FakeRunner()
            .Expect("node1", PacemakerCalls.CrmMon, stdout: System.IO.File.ReadAllText(FakeFileServiceNodes.Capture("crm_mon.all-ok.xml")))
            .Expect("node1", PacemakerCalls.CrmMon, stdout: new FakeFileServiceNodes().CrmMon);
        var host = new RecordingHost();
        var b = FileServicesBootstrap.For(FileServicesSpecTests.Example())!;
        var results = await PhaseEngine.RunAsync(Ctx(fake), new[] { b.WaitPhase }, new BootstrapOptions(), host, default);
        fake.AssertDone();
        var r = Assert.Single(results);
        Assert.Equal(PhaseStatus.Ok, r.Status);
        Assert.Equal("ctdb, smbd, ganesha, ganesha-grace on node1, node2, node3; vip1 node1, vip2 node2, vip3 node3", r.Message);
        Assert.Contains(host.Progress, p => p.Status.StartsWith("ganesha-grace on node1, ganesha-grace on node2, ganesha-grace on node3", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Not_serving_yet_names_what_is_missing()
    {
        var b = FileServicesBootstrap.For(FileServicesSpecTests.Example())!;
        var s = CrmMonParser.Parse(new FakeFileServiceNodes().CrmMon);
        Assert.Null(b.NotServingBecause(s));
        var ctdb3 = s.Resources.Single(r => r.Name == "ctdb" && r.Node == "node3");
        ctdb3.Node = null;
        ctdb3.Role = "Stopped";
        s.Resources.Single(r => r.Name == "vip2").Node = null;
        Assert.Equal("ctdb on node3, vip2 Started", b.NotServingBecause(s));
        var smbd2 = s.Resources.Single(r => r.Name == "smbd" && r.Node == "node2");
        smbd2.Failed = true;
        smbd2.FailCount = PcmkScore.Infinity;
        var e = Assert.Throws<HaException>(() => b.NotServingBecause(s));
        Assert.Equal("node2", e.Target);
        Assert.Contains("smbd cannot start on node2", e.Message);
    }

    [Fact]
    public async Task A_whole_bootstrap_pushes_the_files_with_corosyncs_keeps_the_originals_prepares_the_share_and_sends_the_resources_with_the_cib()
    {
        var nodes = new FakeFileServiceNodes();
        var ctx = Ctx(nodes);
        var results = await ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.DoesNotContain(results, r => r.Status == PhaseStatus.Failed);
        Assert.Equal(new[] { "validate", "lock", "preflight", "fs-preflight", "generate", "fs-generate", "push", "fs-prepare", "start", "quorum", "mkfs", "configure", "resources", "fs-wait", "health" },
            results.Select(r => r.Phase).Distinct());

        var fsFiles = new[] { "/etc/ctdb/nodes", "/etc/ctdb/ctdb.tunables", "/etc/samba/smb.conf", "/etc/ganesha/ganesha.conf" };
        foreach (var n in Nodes)
        {
            var calls = nodes.Of(n);
            int At(string prefix) => calls.ToList().FindIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));
            // One push: every file staged before any is committed, the file-service files with corosync's.
            var staged = calls.Where(c => c.StartsWith("push stage ", StringComparison.Ordinal)).Select(c => c.Split(' ')[2]).ToList();
            Assert.Equal(new[] { "/etc/corosync/corosync.conf", "/etc/corosync/authkey" }.Concat(fsFiles), staged);
            Assert.True(calls.ToList().FindLastIndex(c => c.StartsWith("push stage", StringComparison.Ordinal)) < At("push commit"));
            Assert.Equal(string.Join(" ", new[] { "keep-originals" }.Concat(fsFiles)), calls.Single(c => c.StartsWith("keep-originals", StringComparison.Ordinal)));
            Assert.True(calls.ToList().FindLastIndex(c => c.StartsWith("push commit", StringComparison.Ordinal)) < At("keep-originals"));
            Assert.True(At("fs-probe") > At("probe ") && At("fs-probe") < At("push stage"));
            Assert.True(At("keep-originals") < At("service corosync start"));
            Assert.Equal(n == "node1" ? 1 : 0, calls.Count(c => c.StartsWith("prepare", StringComparison.Ordinal)));
            Assert.Equal(n == "node1" ? 0 : 1, calls.Count(c => c.StartsWith("sees", StringComparison.Ordinal)));
        }
        var node1 = nodes.Of("node1").ToList();
        Assert.True(node1.FindIndex(c => c.StartsWith("prepare", StringComparison.Ordinal)) < node1.FindIndex(c => c.StartsWith("service corosync start", StringComparison.Ordinal)));
        // The generated files are the goldens, on every node alike.
        foreach (var f in fsFiles)
        {
            var stages = nodes.Calls.Where(c => c.Request.Argv.Count == 9 && c.Request.Argv[2] == FilePusher.Script && c.Request.Argv[4] == "stage" && c.Request.Argv[5] == f).ToList();
            Assert.Equal(Nodes, stages.Select(c => c.Node).OrderBy(x => x));
            Assert.All(stages, c => Assert.Equal("0644", c.Request.Argv[6]));
            var sent = stages.Select(c => Encoding.UTF8.GetString(c.Request.Stdin!)).Distinct().ToList();
            Assert.Single(sent);
            Assert.Equal(System.IO.File.ReadAllText(System.IO.Path.Combine(Fixtures.Root, "fileservices-golden", "lab-" + System.IO.Path.GetFileName(f))), sent[0]);
        }
        var config = nodes.Replaced()!;
        foreach (var id in new[] { "ctdb-clone", "smbd-clone", "ganesha-clone", "vip1", "vip2", "vip3", "ganesha-grace-clone", "col-vip1-ganesha-grace-clone", "loc-vip3-node3" })
            Assert.Contains($"id=\"{id}\"", config);
        Assert.Contains(results, r => r.Phase == "push" && r.Node == "node2" && r.Status == PhaseStatus.Changed && r.Message.Contains("kept the node's own /etc/ctdb/nodes"));
    }

    [Fact]
    public async Task Teardown_stops_the_stack_then_the_leftovers_restores_the_files_and_removes_the_lock_before_the_cluster_state()
    {
        var nodes = new FakeFileServiceNodes();
        var host = new RecordingHost();
        var results = await new PacemakerStack().RemoveClusterAsync(Ctx(nodes), host, default);
        Assert.DoesNotContain(results, r => r.Status == PhaseStatus.Failed);
        Assert.Contains("stop ctdbd, smbd and ganesha; put back the nodes' own smb.conf, ganesha.conf and CTDB files (or remove ours), empty CTDB's databases and remove /srv/hafs/.ctdb/reclock", host.Actions.Single());
        foreach (var n in Nodes)
        {
            var calls = nodes.Of(n).ToList();
            var stopPcmk = calls.IndexOf("service pacemaker stop pacemakerd");
            var stopCoro = calls.IndexOf("service corosync stop corosync");
            var left = calls.IndexOf("stop-leftovers smbd ganesha.nfsd ctdbd");
            var restore = calls.IndexOf("restore /etc/ctdb /var/lib/ctdb /etc/ctdb/nodes /etc/ctdb/ctdb.tunables /etc/samba/smb.conf /etc/ganesha/ganesha.conf");
            var state = calls.FindIndex(c => c.StartsWith("remove-state", StringComparison.Ordinal));
            Assert.True(stopPcmk >= 0 && stopPcmk < stopCoro && stopCoro < left && left < restore && restore < state, string.Join("\n", calls));
        }
        Assert.Equal(new[] { "node1" }, nodes.Calls.Where(c => FakeFileServiceNodes.Describe(c.Request) == "remove-lock /srv/hafs/.ctdb/reclock /srv/hafs/.ctdb").Select(c => c.Node));
        Assert.Equal(new[] { "stop-pacemaker", "stop-corosync", "fs-stop", "fs-restore", "fs-lock", "remove-config" }, results.Select(r => r.Phase).Distinct());
        Assert.Contains(results, r => r.Phase == "fs-restore" && r.Node == "node2" && r.Message.StartsWith("/etc/ctdb/nodes restored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Teardown_under_what_if_touches_no_node()
    {
        var nodes = new FakeFileServiceNodes();
        var results = await new PacemakerStack().RemoveClusterAsync(Ctx(nodes), new RecordingHost { WhatIf = true }, default);
        Assert.Empty(results);
        Assert.Empty(nodes.Calls);
    }

    [Fact]
    public async Task Test_HaCluster_adds_the_file_service_checks()
    {
        var nodes = new FakeFileServiceNodes { FsProbe = n => FakeFileServiceNodes.Bare(n).Replace(n == "node2" ? "agent.CTDB=yes" : "x", "agent.CTDB=no") };
        var checks = await new PacemakerStack().TestAsync(Ctx(nodes), new TestOptions(), new RecordingHost(), default);
        var c = Assert.Single(checks, c => c.Check == "FileServicesSoftware");
        Assert.Equal(("node2", Severity.Error), (c.Node, c.Severity));
        Assert.Contains("ocf:heartbeat:CTDB agent is missing", c.Message);
    }
}
