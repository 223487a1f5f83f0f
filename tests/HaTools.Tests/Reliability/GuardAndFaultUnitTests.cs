using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Reliability;


/// <summary>Fencing warnings wherever they matter, the quorum guard, and transport limits — against fakes or this machine.</summary>
public class GuardAndFaultUnitTests
{
    private static readonly string[] CrmMon = PacemakerCalls.CrmMon;

    private static ClusterContext Ctx(ICommandRunner runner) => new ClusterContext(SpecBuilder.Lab(), runner);

    // ---- stonith-enabled=false is said everywhere it matters

    [Fact]
    public async Task Stonith_disabled_is_a_status_warning()
    {
        var fake = new FakeRunner().Expect("node1", CrmMon, stdout: Fixtures.Read("crm_mon", "stonith-disabled.xml"));
        var s = await new PacemakerStack().GetStatusAsync(Ctx(fake), default);
        Assert.Contains(CrmMonParser.StonithDisabledWarning, s.Warnings);
    }

    [Fact]
    public async Task Stonith_disabled_is_a_bootstrap_warning_and_a_warning_phase()
    {
        var fake = new FakeRunner { Fallback = (n, r) => new CommandResult { Node = n.Name, ExitCode = 255, Error = "unreachable: test", Unreachable = true } };
        var host = new RecordingHost();
        var phases = await new PacemakerStack().BootstrapAsync(Ctx(fake), new BootstrapOptions(), host, default);
        Assert.Contains(CrmMonParser.StonithDisabledWarning, host.Warnings);
        Assert.Contains(phases, p => p.Status == PhaseStatus.Warning && p.Message == CrmMonParser.StonithDisabledWarning);
    }

    [Fact]
    public async Task Stonith_disabled_is_a_fencing_check_of_test()
    {
        var fake = new FakeRunner { Fallback = (n, r) => new CommandResult { Node = n.Name, ExitCode = 255, Error = "unreachable: test", Unreachable = true } };
        var checks = await new PacemakerStack().TestAsync(Ctx(fake), new TestOptions(), new RecordingHost(), default);
        Assert.Contains(checks, c => c.Check == "Fencing" && c.Severity == Severity.Warning && c.Message == CrmMonParser.StonithDisabledWarning);
    }

    [Fact]
    public async Task Setting_stonith_enabled_false_warns_and_true_does_not()
    {
        var fake = new FakeRunner { Fallback = (n, r) => new CommandResult { Node = n.Name } };
        var host = new RecordingHost();
        await new PacemakerStack().SetPropertyAsync(Ctx(fake), "stonith-enabled", "false", host, default);
        Assert.Equal(new[] { CrmMonParser.StonithDisabledWarning }, host.Warnings);
        var host2 = new RecordingHost();
        await new PacemakerStack().SetPropertyAsync(Ctx(fake), "stonith-enabled", "true", host2, default);
        Assert.Empty(host2.Warnings);
    }

    [Fact]
    public async Task A_resource_change_on_a_partition_without_quorum_warns_about_fencing_when_forced()
    {
        var fake = new FakeRunner { Fallback = (n, r) => r.Argv[0] == "crm_mon" ? new CommandResult { Node = n.Name, StdOut = Fixtures.Read("crm_mon", "stonith-disabled.xml") } : new CommandResult { Node = n.Name } };
        var host = new RecordingHost();
        await new PacemakerStack().StartResourceAsync(Ctx(fake), "vip", new ActionOptions { Force = true }, host, default);
        Assert.Contains(CrmMonParser.StonithDisabledWarning, host.Warnings);
    }

    [Fact]
    public async Task Start_is_refused_without_quorum_unless_forced()
    {
        var fake = new FakeRunner().Expect("node1", CrmMon, stdout: Fixtures.Read("crm_mon", "no-quorum.xml"));
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => new PacemakerStack().StartResourceAsync(Ctx(fake), "vip", new ActionOptions(), NullOperationHost.Instance, default));
        Assert.Contains("no quorum", e.Message);
        fake.AssertDone();
        Assert.DoesNotContain(fake.Calls, c => c.Request.Argv[0] == "crm_resource");

        var forced = new FakeRunner { Fallback = (n, r) => r.Argv[0] == "crm_mon" ? new CommandResult { Node = n.Name, StdOut = Fixtures.Read("crm_mon", "no-quorum.xml") } : new CommandResult { Node = n.Name } };
        var r = await new PacemakerStack().StartResourceAsync(Ctx(forced), "vip", new ActionOptions { Force = true }, NullOperationHost.Instance, default);
        Assert.True(r.Changed);
        Assert.Contains(forced.Calls, c => c.Request.Argv[0] == "crm_resource" && c.Request.Argv.Contains("target-role"));
    }

    // ---- a hung first node is reported, not hidden

    [Fact]
    public async Task Status_names_a_hung_first_node_as_unreachable_and_answers_from_the_next()
    {
        var runner = new HangingRunner("node1", Fixtures.Read("crm_mon", "all-started.xml"));
        var sw = Stopwatch.StartNew();
        var s = await new PacemakerStack().GetStatusAsync(Ctx(runner), default);
        sw.Stop();
        Assert.Equal("node2", s.QueriedNode);
        Assert.Equal(new[] { "node1" }, s.UnreachableNodes);
        Assert.Contains(s.Warnings, w => w.StartsWith("node1 did not answer", StringComparison.Ordinal));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
    }

    private sealed class HangingRunner : ICommandRunner
    {
        private readonly string _hung;
        private readonly string _xml;
        public HangingRunner(string hung, string xml) { _hung = hung; _xml = xml; }
        public async Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken ct = default)
        {
            if (node.Name == _hung) await Task.Delay(Timeout.Infinite, ct);
            return new CommandResult { Node = node.Name, StdOut = _xml };
        }
    }

    // ---- a lost commit answer: the node is rolled back too (never a mix of old and new)

    [Fact]
    public async Task A_commit_whose_answer_is_lost_is_undone_on_that_node_too()
    {
        var calls = new List<string>();
        var fake = new FakeRunner
        {
            Fallback = (n, req) =>
            {
                if (req.Argv[0] == "sh" && req.Argv[2].Contains("hostname=", StringComparison.Ordinal)) return new CommandResult { Node = n.Name, StdOut = Probe(n.Name) };
                var action = req.Argv[4];
                lock (calls) calls.Add($"{n.Name} {action} {req.Argv[5]}");
                return action switch
                {
                    "stage" => new CommandResult { Node = n.Name, StdOut = "STAGED\n" },
                    // The rename happened on node3, then the connection dropped before the answer came back.
                    "commit" when n.Name == "node3" => new CommandResult { Node = n.Name, ExitCode = 255, Error = "unreachable: Connection closed by 10.0.0.13 port 22", Unreachable = true },
                    "commit" => new CommandResult { Node = n.Name, StdOut = "COMMITTED /x.hatools-bak\n" },
                    "restore" or "undo" => new CommandResult { Node = n.Name, StdOut = "RESTORED\n" },
                    _ => new CommandResult { Node = n.Name, StdOut = "DISCARDED\n" },
                };
            },
        };
        var phases = await new PacemakerStack().BootstrapAsync(Ctx(fake), new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.Contains(phases, p => p.Phase == "push" && p.Node == "node3" && p.Status == PhaseStatus.Failed && p.Message.Contains("Connection closed"));
        foreach (var f in new[] { "/etc/corosync/corosync.conf", "/etc/corosync/authkey" })
        {
            Assert.Contains($"node1 restore {f}", calls);
            Assert.Contains($"node2 restore {f}", calls);
            Assert.Contains($"node3 undo {f}", calls);
        }
        Assert.Contains(phases, p => p.Phase == "push" && p.Node == "*" && p.Message.Contains("restored the previous files on node1,node2,node3"));
        Assert.DoesNotContain(phases, p => p.Phase == "start");
    }

    internal static string Probe(string node)
    {
        var i = int.Parse(node.Substring(4));
        return $"hostname={node}\nbin.corosync=/usr/sbin/corosync\nbin.pacemakerd=/usr/sbin/pacemakerd\nbin.crm_mon=/usr/sbin/crm_mon\n" +
               "bin.cibadmin=/usr/sbin/cibadmin\nbin.crm_resource=/usr/sbin/crm_resource\nbin.crm_attribute=/usr/sbin/crm_attribute\nbin.corosync-cfgtool=/usr/sbin/corosync-cfgtool\n" +
               $"version.corosync=3.1.7\nversion.pacemaker=2.1.5\naddrs=127.0.0.1 10.0.0.{10 + i}\ncorosync=stopped\npacemaker=stopped\ninit=other\n" +
               $"time={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000}\n";
    }

    // ---- the push script itself (run here with sh): restore and undo only ever undo our own commit

    [Fact]
    public async Task Restore_puts_a_backup_back_only_where_our_content_was_committed()
    {
        if (OperatingSystem.IsWindows()) return;
        var dir = Directory.CreateTempSubdirectory("hatools-push-").FullName;
        try
        {
            var local = new LocalCommandRunner();
            var node = new NodeTarget("here", "local") { IsLocal = true };
            var pusher = new FilePusher(local);
            var dest = Path.Combine(dir, "f.conf");
            var v1 = new FileSpec(dest, Encoding.UTF8.GetBytes("v1\n"));
            var v2 = new FileSpec(dest, Encoding.UTF8.GetBytes("v2\n"));
            var v3 = new FileSpec(dest, Encoding.UTF8.GetBytes("v3\n"));
            Assert.Equal(FileChange.Changed, (await pusher.PushAsync(node, v1)).Status);
            Assert.Equal(FileChange.Changed, (await pusher.PushAsync(node, v2)).Status); // backup holds v1
            // v3 staged but never committed (the node hung before the commit): undo must not put v1 back.
            Assert.Equal(FileChange.Changed, (await pusher.StageAsync(node, v3)).Status);
            Assert.Equal(FileChange.Unchanged, (await pusher.UndoAsync(node, v3)).Status);
            Assert.Equal("v2\n", File.ReadAllText(dest));
            Assert.False(File.Exists(Path.Combine(dir, ".f.conf.hatools-stage")));
            Assert.Equal(FileChange.Unchanged, (await pusher.RestoreAsync(node, v3)).Status);
            Assert.Equal("v2\n", File.ReadAllText(dest));
            // v3 committed (answer lost): undo puts v2 back.
            await pusher.StageAsync(node, v3);
            Assert.Equal(FileChange.Changed, (await pusher.CommitAsync(node, v3)).Status);
            Assert.Equal(FileChange.Changed, (await pusher.UndoAsync(node, v3)).Status);
            Assert.Equal("v2\n", File.ReadAllText(dest));
            // A secret's backup keeps the secret's mode.
            var s1 = new FileSpec(Path.Combine(dir, "key"), new byte[] { 1, 2, 3 }, "0400") { Secret = true };
            var s2 = new FileSpec(Path.Combine(dir, "key"), new byte[] { 4, 5, 6 }, "0400") { Secret = true };
            await pusher.PushAsync(node, s1);
            await pusher.PushAsync(node, s2);
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(dir, "key" + FilePusher.BackupSuffix)));
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(dir, "key")));
        }
        finally { Directory.Delete(dir, true); }
    }

    // ---- transport limits

    [Fact]
    public async Task Huge_stdout_is_capped_flagged_and_bounded_in_time()
    {
        if (OperatingSystem.IsWindows()) return;
        var node = new NodeTarget("here", "local") { IsLocal = true };
        var sw = Stopwatch.StartNew();
        var r = await new LocalCommandRunner().RunAsync(node, new CommandRequest(new[] { "head", "-c", "48000000", "/dev/zero" }, TimeSpan.FromSeconds(30)));
        sw.Stop();
        Assert.Equal(0, r.ExitCode);
        Assert.True(r.OutputTruncated);
        Assert.Equal(32 * 1024 * 1024, r.StdOut.Length);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task A_status_with_cut_output_is_not_parsed_as_complete()
    {
        var fake = new FakeRunner
        {
            Fallback = (n, r) => n.Name == "node1"
                ? new CommandResult { Node = n.Name, StdOut = Fixtures.Read("crm_mon", "all-started.xml"), OutputTruncated = true }
                : new CommandResult { Node = n.Name, StdOut = Fixtures.Read("crm_mon", "all-started.xml") },
        };
        var s = await new PacemakerStack().GetStatusAsync(Ctx(fake), default);
        Assert.Equal("node2", s.QueriedNode);
        Assert.Contains(s.Warnings, w => w.Contains("cut at the capture limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_known_hosts_file_is_a_clear_error_under_strict_and_no_ssh_runs()
    {
        var missing = Path.Combine(Path.GetTempPath(), "hatools-nokh-" + Guid.NewGuid().ToString("N"), "known_hosts");
        var node = new NodeTarget("node1", "192.0.2.1") { KnownHostsFile = missing, HostKeyPolicy = HostKeyPolicy.Strict };
        var runner = new SshCommandRunner(new SshRunnerOptions { SshPath = "/nonexistent/ssh-must-not-run" });
        var r = await runner.RunAsync(node, CommandRequest.Of("true"));
        Assert.False(r.Succeeded);
        Assert.True(r.Unreachable);
        Assert.Contains("known_hosts file", r.Error);
        Assert.Contains(missing, r.Error);
        Assert.Contains("host key", r.Error);

        // Under AcceptNew the folder is made so the first key can be pinned; ssh then runs (here: cannot start).
        var accept = new NodeTarget("node1", "192.0.2.1") { KnownHostsFile = missing, HostKeyPolicy = HostKeyPolicy.AcceptNew };
        r = await runner.RunAsync(accept, CommandRequest.Of("true"));
        Assert.Contains("cannot start", r.Error);
        Assert.True(Directory.Exists(Path.GetDirectoryName(missing)));
        Directory.Delete(Path.GetDirectoryName(missing)!, true);
    }

    [Fact]
    public void A_cluster_file_naming_a_node_twice_in_different_case_is_refused()
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.LoadText("name: c\nnodes:\n  - { name: node1, address: 192.0.2.1 }\n  - { name: NODE1, address: 192.0.2.2 }\n", "c.yaml"));
        Assert.Contains(ex.Problems, p => p.Field == "nodes[1].name" && p.Message.Contains("do not differ by case", StringComparison.Ordinal));
    }
}

public class ControlPathTests
{
    [Fact]
    public void A_long_control_folder_falls_back_to_a_short_one_that_fits_a_unix_socket()
    {
        if (OperatingSystem.IsWindows()) return;
        var longDir = Path.Combine(Path.GetTempPath(), "hatools-" + new string('x', 60));
        var runner = new SshCommandRunner(new SshRunnerOptions { ControlDirectory = longDir });
        var args = runner.BuildSshArguments(new NodeTarget("node1", "192.0.2.1"), CommandRequest.Of("true"));
        var cp = args.Single(a => a.StartsWith("ControlPath=", StringComparison.Ordinal)).Substring("ControlPath=".Length);
        Assert.True(cp.Replace("%C", new string('c', 40), StringComparison.Ordinal).Length + 17 < 104, cp);
        Assert.Equal("unreachable: unix_listener: path \"/x\" too long for Unix domain socket",
            SshCommandRunner.SshFailure("unix_listener: path \"/x\" too long for Unix domain socket\n"));
        try { Directory.Delete(longDir, true); } catch (IOException) { }
    }
}
