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
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>
/// What every <see cref="ICommandRunner"/> must do, against real processes: argv verbatim, stdin, exit codes, timeouts
/// and cancellation that leave nothing running where the command ran, pushes, fan-out. A runner passes it by a
/// subclass that says where its commands run (<see cref="Targets"/>) and how to look there without it
/// (<see cref="OnNode"/>). Runners that reach nodes over a network also pass <see cref="RemoteRunnerContract"/>.
/// </summary>
public abstract class RunnerContract
{
    public static readonly string[] Hostile =
    {
        "plain", "a;b", "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "it's", "\"double\"", "line1\nline2", "tab\there",
        "ünïcødé ✓ 日本", "", " leading space", "*", "~root", "$HOME", "a|b&&c", "> /tmp/pwned", "\\back\\slash", "-n", "--", "'", "'; touch /tmp/pwned; '",
    };

    protected RunnerContract(ITestOutputHelper output) { Output = output; }

    protected ITestOutputHelper Output { get; }
    protected abstract ICommandRunner Runner { get; }
    protected abstract IReadOnlyList<NodeTarget> Targets { get; }
    /// <summary>Runs argv where the node's commands run, without the runner under test (the lab's nsenter, or the host).</summary>
    protected abstract LabResult OnNode(NodeTarget node, params string[] argv);
    /// <summary>What `uname -n` prints on the node.</summary>
    protected virtual string HostNameOf(NodeTarget node) => node.Name;
    /// <summary>A folder pushes may create and remove.</summary>
    protected virtual string Scratch => "/etc/hatools-test";

    private NodeTarget Second => Targets[Targets.Count > 1 ? 1 : 0];

    [LabFact]
    public async Task Every_hostile_argument_arrives_verbatim_as_one_argument()
    {
        foreach (var node in Targets)
        {
            var r = await Runner.RunAsync(node, new CommandRequest(new[] { "printf", "%s\\0" }.Concat(Hostile).ToArray()));
            Assert.True(r.Succeeded, r.StdErr + r.Error);
            var got = r.StdOut.Split('\0');
            Assert.Equal(Hostile, got.Take(got.Length - 1).ToArray());
            // The same under a token (the node-side watcher in between).
            using var cts = new CancellationTokenSource();
            var w = await Runner.RunAsync(node, new CommandRequest(new[] { "printf", "%s\\0" }.Concat(Hostile).ToArray()), cts.Token);
            Assert.True(w.Succeeded, w.StdErr + w.Error);
            Assert.Equal(r.StdOut, w.StdOut);
        }
        foreach (var node in Targets)
            Assert.Equal(1, OnNode(node, "test", "-e", "/tmp/pwned").ExitCode);
        Assert.False(File.Exists("/tmp/pwned"));
    }

    [LabFact]
    public async Task A_command_past_its_timeout_comes_back_timed_out_and_is_gone_from_the_node()
    {
        var node = Second;
        await Runner.RunAsync(node, CommandRequest.Of("true")); // warm connection, as in real use
        var sw = Stopwatch.StartNew();
        var r = await Runner.RunAsync(node, new CommandRequest(new[] { "sleep", "30.5" }, TimeSpan.FromSeconds(1)));
        sw.Stop();
        Assert.True(r.TimedOut, $"exit {r.ExitCode} {r.Error}");
        Assert.Equal(FailureKind.TimedOut, r.Failure);
        Assert.False(r.Succeeded);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed.TotalSeconds:0.00} s");
        await Task.Delay(300);
        var left = OnNode(node, "pgrep", "-f", "[s]leep 30.5");
        Assert.True(left.ExitCode == 1, "remote process still there: " + left.StdOut);
    }

    [LabFact]
    public async Task Exit_codes_stdout_and_stderr_are_the_commands_own_with_or_without_a_token()
    {
        using var cts = new CancellationTokenSource();
        foreach (var token in new[] { CancellationToken.None, cts.Token })
        {
            var r = await Runner.RunAsync(Targets[0], new CommandRequest(new[] { "sh", "-c", "echo out; echo err >&2; exit 7" }), token);
            Assert.Equal((7, "out\n", "err\n", FailureKind.None), (r.ExitCode, r.StdOut, r.StdErr, r.Failure));
        }
    }

    [LabFact]
    public async Task Cancelling_a_fanout_leaves_no_process_on_any_node_within_2_s()
    {
        // Invoke-HaCommand -All -Command sleep -ArgumentList 30, stopped after 1.5 s.
        var arg = "30." + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pattern = "[s]leep " + arg;
        foreach (var n in Targets) await Runner.RunAsync(n, CommandRequest.Of("true"));
        using var cts = new CancellationTokenSource();
        var call = Fanout.RunCommandAsync(Runner, Targets, CommandRequest.Of("sleep", arg), null, null, cts.Token);
        await Task.Delay(1000);
        foreach (var n in Targets) Assert.True(OnNode(n, "pgrep", "-f", pattern).ExitCode == 0, $"{n.Name}: the command never started");
        await Task.Delay(500);
        var sw = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var returned = sw.Elapsed;
        var gone = await Task.WhenAll(Targets.Select(n => Task.Run(() =>
        {
            while (OnNode(n, "pgrep", "-f", pattern).ExitCode == 0 && sw.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
            return (n.Name, sw.Elapsed);
        })));
        Output.WriteLine($"{GetType().Name}: call returned {returned.TotalMilliseconds:0} ms after cancel; gone: " +
            string.Join(", ", gone.Select(g => $"{g.Name} {g.Elapsed.TotalMilliseconds:0} ms")));
        Assert.All(gone, g => Assert.True(g.Elapsed < TimeSpan.FromSeconds(2), $"{g.Name}: still running {g.Elapsed.TotalSeconds:0.00} s after cancel"));
    }

    [LabFact]
    public async Task A_warm_call_under_the_watcher_answers_as_without_it_and_its_cost_is_reported()
    {
        // What the watcher costs is a benchmark figure (it is printed here and belongs in bench/), not a timed
        // assertion: on a shared 2-core machine a bound in milliseconds only makes the test flaky.
        var node = Targets[0];
        using var cts = new CancellationTokenSource();
        async Task<double> Median(CancellationToken token)
        {
            var ms = new List<double>();
            for (var i = 0; i < 21; i++)
            {
                var sw = Stopwatch.StartNew();
                var r = await Runner.RunAsync(node, CommandRequest.Of("sh", "-c", "echo out; echo err >&2; exit 3"), token);
                ms.Add(sw.Elapsed.TotalMilliseconds);
                Assert.Equal((3, "out\n", "err\n"), (r.ExitCode, r.StdOut, r.StdErr));
            }
            ms.Sort();
            return ms[ms.Count / 2];
        }
        await Median(CancellationToken.None);
        var plain = await Median(CancellationToken.None);
        var watched = await Median(cts.Token);
        Output.WriteLine($"{GetType().Name}: warm call median {plain:0.0} ms plain, {watched:0.0} ms under the watcher ({watched - plain:+0.0;-0.0} ms)");
    }

    [LabFact]
    public async Task Output_past_the_capture_limit_is_cut_and_says_so_on_each_stream()
    {
        var over = (ProcessRunner.MaxCapture + 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var r = await Runner.RunAsync(Targets[0], CommandRequest.Of("sh", "-c", $"head -c {over} /dev/zero; head -c 10 /dev/zero | tr '\\0' e >&2"));
        Assert.Equal((0, FailureKind.None, true), (r.ExitCode, r.Failure, r.OutputTruncated));
        Assert.Equal(ProcessRunner.MaxCapture, r.StdOut.Length);
        Assert.Equal("eeeeeeeeee", r.StdErr);
        using var cts = new CancellationTokenSource();
        var e = await Runner.RunAsync(Targets[0], CommandRequest.Of("sh", "-c", $"head -c {over} /dev/zero >&2"), cts.Token);
        Assert.Equal((0, true, "", ProcessRunner.MaxCapture), (e.ExitCode, e.OutputTruncated, e.StdOut, e.StdErr.Length));
        var small = await Runner.RunAsync(Targets[0], CommandRequest.Of("head", "-c", "1000", "/dev/zero"));
        Assert.False(small.OutputTruncated);
    }

    [LabFact]
    public async Task Fanout_runs_on_every_node_and_names_each_result()
    {
        var results = await Fanout.RunCommandAsync(Runner, Targets, CommandRequest.Of("uname", "-n"));
        Assert.Equal(Targets.Select(n => n.Name), results.Select(r => r.Node));
        Assert.All(results, r => Assert.Equal(HostNameOf(Targets.Single(n => n.Name == r.Node)), r.StdOut.Trim()));
    }

    [LabFact]
    public async Task Secrets_travel_on_stdin_and_locale_is_C()
    {
        var secret = Encoding.UTF8.GetBytes("s3cr3t-" + Guid.NewGuid());
        var r = await Runner.RunAsync(Targets[0], new CommandRequest(new[] { "sh", "-c", "cat; echo; echo \"$LC_ALL\"" }, null, secret));
        Assert.Equal(Encoding.UTF8.GetString(secret) + "\nC\n", r.StdOut);
        using var cts = new CancellationTokenSource();
        var w = await Runner.RunAsync(Targets[0], new CommandRequest(new[] { "sh", "-c", "cat; echo; echo \"$LC_ALL\"" }, null, secret), cts.Token);
        Assert.Equal(r.StdOut, w.StdOut);
        var big = new byte[1 << 20];
        Random.Shared.NextBytes(big);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(big)).ToLowerInvariant();
        var h = await Runner.RunAsync(Targets[0], new CommandRequest(new[] { "sha256sum" }, null, big), cts.Token);
        Assert.StartsWith(hash, h.StdOut);
    }

    [LabFact]
    public async Task Atomic_push_changes_then_reports_unchanged_and_a_stage_without_commit_leaves_the_old_file()
    {
        var pusher = new FilePusher(Runner);
        var dest = Scratch + "/push-" + Guid.NewGuid().ToString("N") + ".conf";
        var v1 = new FileSpec(dest, Encoding.UTF8.GetBytes("version 1\n"), "0640");
        var first = await pusher.PushAsync(Targets, v1);
        Assert.All(first, r => Assert.Equal(FileChange.Changed, r.Status));
        var again = await pusher.PushAsync(Targets, v1);
        Assert.All(again, r => Assert.Equal(FileChange.Unchanged, r.Status));
        foreach (var n in Targets)
        {
            Assert.Equal("version 1\n", OnNode(n, "cat", dest).StdOut);
            Assert.Equal("640", OnNode(n, "stat", "-c", "%a", dest).StdOut.Trim());
        }

        // Stage v2 (as a push interrupted after staging would leave it): the target still holds v1.
        var v2 = new FileSpec(dest, Encoding.UTF8.GetBytes("version 2\n"), "0640");
        var node = Targets[0];
        Assert.Equal(FileChange.Changed, (await pusher.StageAsync(node, v2)).Status);
        Assert.Equal("version 1\n", OnNode(node, "cat", dest).StdOut);
        Assert.Equal(FileChange.WouldChange, (await pusher.PushAsync(node, v2, whatIf: true)).Status);
        var commit = await pusher.CommitAsync(node, v2);
        Assert.Equal(FileChange.Changed, commit.Status);
        Assert.Equal("version 2\n", OnNode(node, "cat", dest).StdOut);
        Assert.Equal("version 1\n", OnNode(node, "cat", dest + FilePusher.BackupSuffix).StdOut);
        Assert.Equal(FileChange.Changed, (await pusher.RestoreAsync(node, v2)).Status);
        Assert.Equal("version 1\n", OnNode(node, "cat", dest).StdOut);

        // A push cut off mid-way (the connection drops while the content streams): the node sees a short stdin,
        // refuses it by its hash, and the old file stays, with no temp file left behind.
        var cut = new FilePusher(new TruncatingRunner(Runner));
        var broken = await cut.PushAsync(node, v2);
        Assert.Equal(FileChange.Failed, broken.Status);
        Assert.Contains("hash mismatch", broken.Error);
        Assert.Equal("version 1\n", OnNode(node, "cat", dest).StdOut);
        Assert.Equal("", OnNode(node, "sh", "-c", $"ls -A {Scratch} | grep -v -e '^push-[0-9a-f]*\\.conf$' -e 'hatools-bak' || true").StdOut.Trim());
        foreach (var n in Targets) OnNode(n, "rm", "-rf", Scratch);
    }

    /// <summary>Delivers only half of stdin, as a connection that drops mid-transfer would.</summary>
    private sealed class TruncatingRunner : ICommandRunner
    {
        private readonly ICommandRunner _inner;
        public TruncatingRunner(ICommandRunner inner) { _inner = inner; }
        public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default) =>
            _inner.RunAsync(node, new CommandRequest(request.Argv, request.Timeout, request.Stdin?.Take(request.Stdin.Length / 2).ToArray()), cancellationToken);
    }
}
