using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.LabTests;

/// <summary>The OpenSSH transport against the lab's real sshd in network namespaces.</summary>
[Collection("lab")]
public class TransportLabTests
{
    public static readonly string[] Hostile =
    {
        "plain", "a;b", "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "it's", "\"double\"", "line1\nline2", "tab\there",
        "ünïcødé ✓ 日本", "", " leading space", "*", "~root", "$HOME", "a|b&&c", "> /tmp/pwned", "\\back\\slash", "-n", "--", "'", "'; touch /tmp/pwned; '",
    };

    [LabFact]
    public async Task Every_hostile_argument_arrives_verbatim_as_one_argument()
    {
        var ctx = LabCluster.Nodes();
        foreach (var node in ctx.Nodes)
        {
            var r = await ctx.Runner.RunAsync(node, new CommandRequest(new[] { "printf", "%s\\0" }.Concat(Hostile).ToArray()));
            Assert.True(r.Succeeded, r.StdErr + r.Error);
            var got = r.StdOut.Split('\0');
            Assert.Equal(Hostile, got.Take(got.Length - 1).ToArray());
        }
        foreach (var node in ctx.Nodes)
            Assert.Equal(1, Lab.Exec(node.Name, "test", "-e", "/tmp/pwned").ExitCode);
        Assert.False(File.Exists("/tmp/pwned"));
    }

    [LabFact]
    public async Task A_command_past_its_timeout_comes_back_timed_out_and_is_gone_from_the_node()
    {
        var ctx = LabCluster.Nodes();
        var node = ctx.Nodes[1];
        await ctx.Runner.RunAsync(node, CommandRequest.Of("true")); // warm connection, as in real use
        var sw = Stopwatch.StartNew();
        var r = await ctx.Runner.RunAsync(node, new CommandRequest(new[] { "sleep", "30.5" }, TimeSpan.FromSeconds(1)));
        sw.Stop();
        Assert.True(r.TimedOut, $"exit {r.ExitCode} {r.Error}");
        Assert.False(r.Succeeded);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed.TotalSeconds:0.00} s");
        await Task.Delay(300);
        var left = Lab.Exec(node.Name, "pgrep", "-f", "[s]leep 30.5");
        Assert.True(left.ExitCode == 1, "remote process still there: " + left.StdOut);
    }

    [LabFact]
    public async Task Fanout_runs_on_every_node_and_names_each_result()
    {
        var ctx = LabCluster.Nodes();
        var results = await Fanout.RunCommandAsync(ctx.Runner, ctx.Nodes, CommandRequest.Of("uname", "-n"));
        Assert.Equal(ctx.Nodes.Select(n => n.Name), results.Select(r => r.Node));
        Assert.All(results, r => Assert.Equal(r.Node, r.StdOut.Trim()));
    }

    [LabFact]
    public async Task Secrets_travel_on_stdin_and_locale_is_C()
    {
        var ctx = LabCluster.Nodes();
        var secret = Encoding.UTF8.GetBytes("s3cr3t-" + Guid.NewGuid());
        var r = await ctx.Runner.RunAsync(ctx.Nodes[0], new CommandRequest(new[] { "sh", "-c", "cat; echo; echo \"$LC_ALL\"" }, null, secret));
        Assert.Equal(Encoding.UTF8.GetString(secret) + "\nC\n", r.StdOut);
    }

    [LabFact]
    public async Task Host_keys_unknown_refused_under_strict_pinned_under_accept_new_changed_refused_under_both()
    {
        var ctx = LabCluster.Nodes();
        var node = ctx.Nodes[2];
        var dir = Directory.CreateTempSubdirectory("hatools-hostkeys-").FullName;
        try
        {
            var runner = new SshCommandRunner(new SshRunnerOptions { ControlDirectory = Path.Combine(dir, "cm") });
            var empty = Path.Combine(dir, "known_hosts");
            File.WriteAllText(empty, "");
            var strict = Retarget(node, empty, HostKeyPolicy.Strict);
            var r = await runner.RunAsync(strict, CommandRequest.Of("true"));
            Assert.True(r.Unreachable && !r.Succeeded, r.StdErr);
            Assert.Contains("host key", r.Error);

            var acceptNew = Retarget(node, empty, HostKeyPolicy.AcceptNew);
            r = await runner.RunAsync(acceptNew, CommandRequest.Of("true"));
            Assert.True(r.Succeeded, r.StdErr + r.Error);
            // Pinned (possibly hashed, as Debian's HashKnownHosts does): ssh-keygen -F finds it by address.
            Assert.Equal(0, LabCluster.OnHost("ssh-keygen", "-F", node.Address, "-f", empty).ExitCode);
            r = await runner.RunAsync(strict, CommandRequest.Of("true"));
            Assert.True(r.Succeeded, "pinned key must satisfy Strict: " + r.StdErr);

            // A key that is not the node's: a changed host key, as after a reinstall or an attack.
            var fake = Path.Combine(dir, "fake");
            var kg = Process.Start(new ProcessStartInfo("ssh-keygen", $"-q -t ed25519 -N \"\" -f {fake}") { RedirectStandardOutput = true })!;
            kg.WaitForExit();
            var changed = Path.Combine(dir, "known_hosts_changed");
            File.WriteAllText(changed, $"{node.Address} {string.Join(' ', File.ReadAllText(fake + ".pub").Split(' ').Take(2))}\n");
            foreach (var policy in new[] { HostKeyPolicy.Strict, HostKeyPolicy.AcceptNew })
            {
                r = await runner.RunAsync(Retarget(node, changed, policy), CommandRequest.Of("true"));
                Assert.False(r.Succeeded, $"{policy}: a changed key must be refused");
                Assert.Contains("host key", r.Error);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    private static NodeTarget Retarget(NodeTarget n, string knownHosts, HostKeyPolicy policy) =>
        new NodeTarget(n.Name, n.Address) { User = n.User, Port = n.Port, IdentityFile = n.IdentityFile, KnownHostsFile = knownHosts, HostKeyPolicy = policy, ConnectTimeoutSec = 3 };

    [LabFact]
    public async Task Atomic_push_changes_then_reports_unchanged_and_a_stage_without_commit_leaves_the_old_file()
    {
        var ctx = LabCluster.Nodes();
        var pusher = new FilePusher(ctx.Runner);
        var dest = "/etc/hatools-test/push-" + Guid.NewGuid().ToString("N") + ".conf";
        var v1 = new FileSpec(dest, Encoding.UTF8.GetBytes("version 1\n"), "0640");
        var first = await pusher.PushAsync(ctx.Nodes, v1);
        Assert.All(first, r => Assert.Equal(FileChange.Changed, r.Status));
        var again = await pusher.PushAsync(ctx.Nodes, v1);
        Assert.All(again, r => Assert.Equal(FileChange.Unchanged, r.Status));
        foreach (var n in ctx.Nodes)
        {
            Assert.Equal("version 1\n", Lab.Exec(n.Name, "cat", dest).StdOut);
            Assert.Equal("640", Lab.Exec(n.Name, "stat", "-c", "%a", dest).StdOut.Trim());
        }

        // Stage v2 (as a push interrupted after staging would leave it): the target still holds v1.
        var v2 = new FileSpec(dest, Encoding.UTF8.GetBytes("version 2\n"), "0640");
        var node = ctx.Nodes[0];
        Assert.Equal(FileChange.Changed, (await pusher.StageAsync(node, v2)).Status);
        Assert.Equal("version 1\n", Lab.Exec(node.Name, "cat", dest).StdOut);
        Assert.Equal(FileChange.WouldChange, (await pusher.PushAsync(node, v2, whatIf: true)).Status);
        var commit = await pusher.CommitAsync(node, v2);
        Assert.Equal(FileChange.Changed, commit.Status);
        Assert.Equal("version 2\n", Lab.Exec(node.Name, "cat", dest).StdOut);
        Assert.Equal("version 1\n", Lab.Exec(node.Name, "cat", dest + FilePusher.BackupSuffix).StdOut);
        Assert.Equal(FileChange.Changed, (await pusher.RestoreAsync(node, v2)).Status);
        Assert.Equal("version 1\n", Lab.Exec(node.Name, "cat", dest).StdOut);

        // A push cut off mid-way (the connection drops while the content streams): the node sees a short stdin,
        // refuses it by its hash, and the old file stays, with no temp file left behind.
        var cut = new FilePusher(new TruncatingRunner(ctx.Runner));
        var broken = await cut.PushAsync(node, v2);
        Assert.Equal(FileChange.Failed, broken.Status);
        Assert.Contains("hash mismatch", broken.Error);
        Assert.Equal("version 1\n", Lab.Exec(node.Name, "cat", dest).StdOut);
        Assert.Equal("", Lab.Exec(node.Name, "sh", "-c", "ls -A /etc/hatools-test | grep -v -e '^push-[0-9a-f]*\\.conf$' -e 'hatools-bak' || true").StdOut.Trim());
        foreach (var n in ctx.Nodes) Lab.Exec(n.Name, "rm", "-rf", "/etc/hatools-test");
    }

    /// <summary>Delivers only half of stdin, as a connection that drops mid-transfer would.</summary>
    private sealed class TruncatingRunner : ICommandRunner
    {
        private readonly ICommandRunner _inner;
        public TruncatingRunner(ICommandRunner inner) { _inner = inner; }
        public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, System.Threading.CancellationToken cancellationToken = default) =>
            _inner.RunAsync(node, new CommandRequest(request.Argv, request.Timeout, request.Stdin?.Take(request.Stdin.Length / 2).ToArray()), cancellationToken);
    }
}
