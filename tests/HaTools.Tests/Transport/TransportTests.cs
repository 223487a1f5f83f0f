using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Transport;

public class SshArgumentsTests
{
    private static NodeTarget Node(HostKeyPolicy p = HostKeyPolicy.Strict) =>
        new NodeTarget("node1", "192.0.2.11") { IdentityFile = "/k/id", KnownHostsFile = "/k/known_hosts", HostKeyPolicy = p, Port = 2222, User = "admin" };

    [Fact]
    public void Never_prompts_and_is_strict_by_default()
    {
        var args = new SshCommandRunner(new SshRunnerOptions { ControlDirectory = Path.Combine(Path.GetTempPath(), "ht-unit-cm") })
            .BuildSshArguments(Node(), CommandRequest.Of("uname", "-n"));
        Assert.Contains("BatchMode=yes", args);
        Assert.Contains("StrictHostKeyChecking=yes", args);
        Assert.Contains("UserKnownHostsFile=/k/known_hosts", args);
        Assert.Contains("GlobalKnownHostsFile=/dev/null", args);
        Assert.Contains("IdentitiesOnly=yes", args);
        Assert.Contains("ControlMaster=auto", args);
        Assert.Equal("192.0.2.11", args[args.Count - 2]);
        Assert.Equal("--", args[args.Count - 3]);
        Assert.Equal("env LC_ALL=C LANG=C timeout -k 2 60 uname -n", args[args.Count - 1]);
    }

    [Fact]
    public void Accept_new_only_when_asked()
    {
        var args = new SshCommandRunner(new SshRunnerOptions { ControlPersistSec = 0 }).BuildSshArguments(Node(HostKeyPolicy.AcceptNew), CommandRequest.Of("true"));
        Assert.Contains("StrictHostKeyChecking=accept-new", args);
        Assert.DoesNotContain("ControlMaster=auto", args);
    }

    [Fact]
    public void Control_sockets_are_not_shared_across_host_key_policies()
    {
        var runner = new SshCommandRunner(new SshRunnerOptions { ControlDirectory = Path.Combine(Path.GetTempPath(), "ht-unit-cm2") });
        string Cp(NodeTarget n) => runner.BuildSshArguments(n, CommandRequest.Of("true")).First(a => a.StartsWith("ControlPath=", StringComparison.Ordinal));
        Assert.NotEqual(Cp(Node(HostKeyPolicy.Strict)), Cp(Node(HostKeyPolicy.AcceptNew)));
        Assert.Equal(Cp(Node()), Cp(Node()));
        var dir = Path.GetDirectoryName(Cp(Node()).Substring("ControlPath=".Length))!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
    }

    [Theory]
    [InlineData("Host key verification failed.", "host key")]
    [InlineData("@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@", "host key")]
    [InlineData("root@192.0.2.1: Permission denied (publickey).", "authentication failed")]
    [InlineData("ssh: connect to host 192.0.2.1 port 22: Connection refused", "unreachable")]
    [InlineData("ssh: connect to host 192.0.2.1 port 22: Connection timed out", "unreachable")]
    public void Recognises_ssh_client_failures(string stderr, string expected) =>
        Assert.StartsWith(expected, SshCommandRunner.SshFailure(stderr));

    [Fact]
    public void A_remote_command_exiting_255_is_not_mistaken_for_an_ssh_failure() =>
        Assert.Null(SshCommandRunner.SshFailure("my-tool: bad thing\n"));

    [Fact]
    public void Invalid_node_names_are_refused_before_anything_runs()
    {
        foreach (var bad in new[] { "node1\n", "$(touch /tmp/pwned)", "a;b", "node 1", "-oProxyCommand=x", "", "ä", "a\nb" })
            Assert.Throws<HaException>(() => new NodeTarget(bad, "192.0.2.1"));
    }
}

/// <summary>The local runner and the process layer, against real processes.</summary>
public class LocalRunnerTests
{
    private static readonly NodeTarget Local = new NodeTarget("local", "local") { IsLocal = true };

    [Fact]
    public async Task Argv_arrives_verbatim()
    {
        var hostile = new[] { "a;b", "$(id)", "`id`", "it's", "\"q\"", "x\ny", "ünï ✓", "", " ", "\\", "\\\"", "a\\\\\"b" };
        var r = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "printf", "%s\\0" }.Concat(hostile).ToArray()));
        Assert.True(r.Succeeded, r.StdErr);
        var got = r.StdOut.Split('\0');
        Assert.Equal(hostile, got.Take(got.Length - 1));
    }

    [Fact]
    public void Windows_style_argument_joining_round_trips_through_the_runtime_parser()
    {
        // Windows PowerShell (.NET Framework) has no ArgumentList: the fallback must survive the runtime's own parsing.
        var hostile = new[] { "a b", "\"", "\\", "\\\"", "a\\\\\"b", "", "tab\tx", "end\\" };
        var psi = new ProcessStartInfo("printf") { RedirectStandardOutput = true, Arguments = "%s\\0 " + WindowsArgv.Join(hostile) };
        using var p = Process.Start(psi)!;
        var got = p.StandardOutput.ReadToEnd().Split('\0');
        p.WaitForExit();
        Assert.Equal(hostile, got.Take(got.Length - 1));
    }

    [Fact]
    public async Task Timeout_kills_the_command_and_its_children()
    {
        var marker = "hatools-unit-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var sw = Stopwatch.StartNew();
        var r = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "sleep 30 & wait", marker }, TimeSpan.FromSeconds(1)));
        Assert.True(r.TimedOut);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), sw.Elapsed.ToString());
        await Task.Delay(200);
        var left = await new LocalCommandRunner().RunAsync(Local, CommandRequest.Of("pgrep", "-f", "[h]" + marker.Substring(1)));
        Assert.Equal(1, left.ExitCode);
    }

    [Fact]
    public async Task Stdin_is_delivered_and_closed()
    {
        var data = Encoding.UTF8.GetBytes("secret\nbytes");
        var r = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "cat" }, null, data));
        Assert.Equal("secret\nbytes", r.StdOut);
    }
}

/// <summary>The atomic push script, run for real on local files through the local runner.</summary>
public class FilePusherTests : IDisposable
{
    private static readonly NodeTarget Local = new NodeTarget("local", "local") { IsLocal = true };
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-push-").FullName;
    private readonly FilePusher _pusher = new FilePusher(new LocalCommandRunner());

    public void Dispose() => Directory.Delete(_dir, true);

    private FileSpec Spec(string content, string mode = "0644") => new FileSpec(Path.Combine(_dir, "sub", "f.conf"), Encoding.UTF8.GetBytes(content), mode);

    [Fact]
    public async Task Push_is_changed_then_unchanged_and_keeps_a_backup()
    {
        Assert.Equal(FileChange.Changed, (await _pusher.PushAsync(Local, Spec("one\n"))).Status);
        Assert.Equal(FileChange.Unchanged, (await _pusher.PushAsync(Local, Spec("one\n"))).Status);
        var r = await _pusher.PushAsync(Local, Spec("two\n"));
        Assert.Equal(FileChange.Changed, r.Status);
        Assert.Equal("one\n", File.ReadAllText(r.Backup!));
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(_dir, "sub", "f.conf")));
    }

    [Fact]
    public async Task Under_a_token_push_stage_commit_and_restore_answer_as_without_one()
    {
        // A cancellable call: the script watches its own stdin after the content (CommandRequest.EndsWhenStdinCloses).
        using var cts = new CancellationTokenSource();
        var target = Path.Combine(_dir, "sub", "f.conf");
        Assert.Equal(FileChange.Changed, (await _pusher.PushAsync(Local, Spec("old\n"), cancellationToken: cts.Token)).Status);
        Assert.Equal(FileChange.Unchanged, (await _pusher.PushAsync(Local, Spec("old\n"), cancellationToken: cts.Token)).Status);
        Assert.Equal(FileChange.WouldChange, (await _pusher.PushAsync(Local, Spec("new\n"), whatIf: true, cancellationToken: cts.Token)).Status);
        Assert.Equal(FileChange.Changed, (await _pusher.StageAsync(Local, Spec("new\n"), cts.Token)).Status);
        Assert.Equal(FileChange.Changed, (await _pusher.CommitAsync(Local, Spec("new\n"), cts.Token)).Status);
        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.Equal(FileChange.Changed, (await _pusher.RestoreAsync(Local, Spec("new\n"), cts.Token)).Status);
        Assert.Equal("old\n", File.ReadAllText(target));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "sub"), ".f.conf.*"));
    }

    [Fact]
    public async Task A_mode_change_alone_is_a_change()
    {
        await _pusher.PushAsync(Local, Spec("x", "0644"));
        Assert.Equal(FileChange.Changed, (await _pusher.PushAsync(Local, Spec("x", "0600"))).Status);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "sub", "f.conf")));
    }

    [Fact]
    public async Task Stage_leaves_the_target_alone_until_commit_and_restore_puts_it_back()
    {
        var target = Path.Combine(_dir, "sub", "f.conf");
        await _pusher.PushAsync(Local, Spec("old\n"));
        Assert.Equal(FileChange.Changed, (await _pusher.StageAsync(Local, Spec("new\n"))).Status);
        Assert.Equal("old\n", File.ReadAllText(target));
        Assert.Equal(FileChange.Changed, (await _pusher.CommitAsync(Local, Spec("new\n"))).Status);
        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.Equal(FileChange.Changed, (await _pusher.RestoreAsync(Local, Spec("new\n"))).Status);
        Assert.Equal("old\n", File.ReadAllText(target));
    }

    [Fact]
    public async Task Restore_of_a_file_that_did_not_exist_removes_it()
    {
        var target = Path.Combine(_dir, "sub", "f.conf");
        await _pusher.StageAsync(Local, Spec("fresh"));
        await _pusher.CommitAsync(Local, Spec("fresh"));
        Assert.True(File.Exists(target));
        Assert.Equal(FileChange.Changed, (await _pusher.RestoreAsync(Local, Spec("fresh"))).Status);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Secret_files_are_written_with_their_mode_and_never_world_readable_in_between()
    {
        var r = await _pusher.PushAsync(Local, new FileSpec(Path.Combine(_dir, "key"), new byte[256], "0400") { Secret = true });
        Assert.Equal(FileChange.Changed, r.Status);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(_dir, "key")));
        Assert.Empty(Directory.GetFiles(_dir, ".key*"));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/etc/../etc/passwd")]
    [InlineData("/etc/dir/")]
    [InlineData("/etc/x\ny")]
    public void Bad_destinations_are_refused(string dest) =>
        Assert.Throws<HaException>(() => new FileSpec(dest, Array.Empty<byte>()));

    [Theory]
    [InlineData("777x")]
    [InlineData("u+x")]
    [InlineData("0; rm -rf /")]
    public void Bad_modes_are_refused(string mode) =>
        Assert.Throws<HaException>(() => new FileSpec("/etc/x", Array.Empty<byte>(), mode));
}

public class FanoutTests
{
    private static IReadOnlyList<NodeTarget> Nodes(int n) => Enumerable.Range(1, n).Select(i => new NodeTarget("node" + i, "192.0.2." + i)).ToList();

    [Fact]
    public async Task Runs_in_parallel_within_the_throttle_and_keeps_node_order()
    {
        var running = 0; var peak = 0;
        var results = await Fanout.RunAsync(Nodes(12), async (n, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            lock (this) peak = Math.Max(peak, now);
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref running);
            return n.Name;
        }, (n, e) => "error", new FanoutOptions { ThrottleLimit = 4 });
        Assert.Equal(Nodes(12).Select(n => n.Name), results);
        Assert.Equal(4, peak);
    }

    [Fact]
    public async Task One_node_failing_or_hanging_does_not_stop_the_others()
    {
        var results = await Fanout.RunAsync(Nodes(3), async (n, ct) =>
        {
            if (n.Name == "node2") throw new InvalidOperationException("boom");
            if (n.Name == "node3") await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return "ok";
        }, (n, e) => e.GetType().Name, new FanoutOptions { PerNodeTimeout = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(new[] { "ok", "InvalidOperationException", "TimeoutException" }, results);
    }

    [Fact]
    public async Task Caller_cancellation_throws()
    {
        using var cts = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Fanout.RunAsync(Nodes(2), async (n, ct) => { await Task.Delay(5000, ct); return 1; }, (n, e) => 0, null, null, cts.Token));
    }

    [Fact]
    public async Task First_success_hedges_past_a_hung_node()
    {
        var sw = Stopwatch.StartNew();
        var r = await Fanout.FirstSuccessAsync(Nodes(3), async (n, ct) =>
        {
            if (n.Name == "node1") await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return n.Name;
        }, s => null, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        Assert.Equal("node2", r.Result);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), sw.Elapsed.ToString());
    }

    [Fact]
    public async Task First_success_moves_on_at_once_after_a_refusal_and_reports_who_failed()
    {
        var r = await Fanout.FirstSuccessAsync(Nodes(3), (n, ct) => Task.FromResult(n.Name), s => s == "node3" ? null : "down", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        Assert.Equal("node3", r.Result);
        Assert.Equal(new[] { "node1", "node2" }, r.Failed.Select(f => f.Node.Name));
        var none = await Fanout.FirstSuccessAsync(Nodes(2), (n, ct) => Task.FromResult(n.Name), s => "down", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        Assert.Null(none.Result);
    }

    [Fact]
    public async Task Skip_offline_does_not_send_the_command_to_unreachable_nodes()
    {
        var fake = new FakeRunner
        {
            Fallback = (n, req) => n.Name == "node2" && req.Argv[0] == "true"
                ? new CommandResult { Node = n.Name, ExitCode = 255, Unreachable = true, Error = "unreachable: refused" }
                : new CommandResult { Node = n.Name, ExitCode = 0, StdOut = "ran" },
        };
        var results = await Fanout.RunCommandAsync(fake, Nodes(3), CommandRequest.Of("uptime"), new FanoutOptions { SkipOffline = true });
        Assert.Equal(new[] { true, false, true }, results.Select(r => r.Succeeded));
        Assert.DoesNotContain(fake.Calls, c => c.Node == "node2" && c.Request.Argv[0] == "uptime");
    }
}

public class ClusterContextTests
{
    [Fact]
    public async Task A_node_whose_address_is_local_runs_here_without_ssh()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("hatools-ctx-").FullName, "cluster.yaml");
        File.WriteAllText(file, "name: here\nnodes:\n  - name: me\n    address: local\n");
        var ctx = HaTools.Core.ClusterContext.FromFile(file);
        Assert.True(ctx.Nodes[0].IsLocal);
        var r = await ctx.Runner.RunAsync(ctx.Nodes[0], CommandRequest.Of("printf", "%s", "ok"));
        Assert.Equal("ok", r.StdOut);
        Directory.Delete(Path.GetDirectoryName(file)!, true);
    }
}
