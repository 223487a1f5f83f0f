using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Transport;

/// <summary>A cancellable call runs under the stdin watcher (NodeSideTimeout.WrapCancellable): cancelling ends the
/// command's whole process group, and a call that is not cancelled behaves exactly as without it. Real processes.</summary>
public class CancellationTests
{
    private static readonly NodeTarget Local = new NodeTarget("local", "local") { IsLocal = true };

    private static string Marker() => "hatools-cancel-" + Guid.NewGuid().ToString("N").Substring(0, 8);

    private static async Task<bool> Running(string marker) =>
        (await new LocalCommandRunner().RunAsync(Local, CommandRequest.Of("pgrep", "-f", "[h]" + marker.Substring(1)))).ExitCode == 0;

    /// <summary>Waits until the command runs, cancels the call, and expects the call to throw and the command (its
    /// marker) to be gone within 2 s.</summary>
    private static async Task CancelOnceRunningAndExpectGoneWithin2s(string marker, Task call, CancellationTokenSource cts)
    {
        var seen = Stopwatch.StartNew();
        while (!await Running(marker) && seen.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        Assert.True(await Running(marker), "the command never started");
        cts.Cancel();
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        while (await Running(marker) && sw.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        Assert.False(await Running(marker), "still running after " + sw.Elapsed);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"gone only after {sw.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Cancelling_ends_the_command_and_its_children_within_2_s()
    {
        var marker = Marker();
        using var cts = new CancellationTokenSource();
        var call = new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "sleep 30 & sleep 30 & wait", marker }), cts.Token);
        await CancelOnceRunningAndExpectGoneWithin2s(marker, call, cts);
    }

    [Fact]
    public async Task Cancelling_ends_a_command_that_ignores_TERM_by_the_follow_up_KILL()
    {
        var marker = Marker();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "trap '' TERM; sleep 30; sleep 30", marker }), cts.Token));
        var sw = Stopwatch.StartNew();
        while (await Running(marker) && sw.Elapsed < TimeSpan.FromSeconds(6)) await Task.Delay(100);
        Assert.False(await Running(marker), "timeout's follow-up KILL did not come");
    }

    [Fact]
    public async Task Under_a_token_exit_codes_output_and_stderr_are_the_commands_own()
    {
        using var cts = new CancellationTokenSource();
        var r = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "echo out; echo err >&2; exit 7" }), cts.Token);
        Assert.Equal((7, "out\n", "err\n"), (r.ExitCode, r.StdOut, r.StdErr));
        Assert.Equal(FailureKind.None, r.Failure);
        var killed = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "kill -TERM $$" }), cts.Token);
        Assert.Equal(143, killed.ExitCode);
        Assert.Equal("", killed.StdErr);
    }

    [Fact]
    public async Task Under_a_token_stdin_is_exactly_the_data_then_end_of_file()
    {
        using var cts = new CancellationTokenSource();
        var data = new byte[300_000];
        new Random(7).NextBytes(data);
        var r = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "wc -c; cat >/dev/null; echo eof" }, null, data), cts.Token);
        Assert.Equal("300000\neof\n", r.StdOut);
        var none = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", "cat; echo eof" }), cts.Token);
        Assert.Equal("eof\n", none.StdOut);
        var secret = Encoding.UTF8.GetBytes("s3cr3t\n\0binary");
        var echo = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "cat" }, null, secret), cts.Token);
        Assert.Equal("s3cr3t\n\0binary", echo.StdOut);
    }

    [Fact]
    public async Task Under_a_token_argv_arrives_verbatim_and_timeouts_still_count()
    {
        using var cts = new CancellationTokenSource();
        var hostile = new[] { "a;b", "$(id)", "`id`", "it's", "\"q\"", "x\ny", "ünï ✓", "", " ", "\\", "$@", "$1", "-n" };
        var r = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "printf", "%s\\0" }.Concat(hostile).ToArray()), cts.Token);
        Assert.True(r.Succeeded, r.StdErr);
        var got = r.StdOut.Split('\0');
        Assert.Equal(hostile, got.Take(got.Length - 1));
        var t = await new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sleep", "30" }, TimeSpan.FromSeconds(1)), cts.Token);
        Assert.True(t.TimedOut);
        Assert.Equal(FailureKind.TimedOut, t.Failure);
    }

    [Fact]
    public async Task A_command_that_watches_for_itself_gets_a_newline_after_its_data_only_under_a_token()
    {
        // head takes exactly the data; the line after it is there only when the caller keeps stdin open.
        var argv = new[] { "sh", "-c", "head -c 5; if read -r _; then echo ' watched'; else echo ' plain'; fi" };
        var request = new CommandRequest(argv, null, Encoding.UTF8.GetBytes("hello")) { EndsWhenStdinCloses = true };
        Assert.Equal("hello plain\n", (await new LocalCommandRunner().RunAsync(Local, request)).StdOut);
        using var cts = new CancellationTokenSource();
        var r = await new LocalCommandRunner().RunAsync(Local, request, cts.Token);
        Assert.Equal(("hello watched\n", 0), (r.StdOut, r.ExitCode));
    }

    [Fact]
    public async Task Cancelling_ends_a_command_that_watches_for_itself_within_2_s()
    {
        var marker = Marker();
        var script = "head -c 3 >/dev/null; if read -r _; then exec 3<&0; { while read -r _; do :; done; kill -TERM -$PPID; } <&3 >/dev/null 2>&1 & fi; sleep 30; sleep 30";
        using var cts = new CancellationTokenSource();
        var call = new LocalCommandRunner().RunAsync(Local, new CommandRequest(new[] { "sh", "-c", script, marker }, null, new byte[3]) { EndsWhenStdinCloses = true }, cts.Token);
        await CancelOnceRunningAndExpectGoneWithin2s(marker, call, cts);
    }

    [Fact]
    public void The_ssh_command_line_is_the_plain_one_without_a_token_and_the_watched_one_with()
    {
        var req = CommandRequest.Of("uname", "-n");
        Assert.Equal("env LC_ALL=C LANG=C timeout -k 2 60 uname -n", SshCommandRunner.RemoteCommandLine(req));
        var watched = SshCommandRunner.RemoteCommandLine(req, cancellable: true);
        Assert.StartsWith("sh -c 'LC_ALL=C LANG=C; export LC_ALL LANG; ", watched);
        Assert.EndsWith(" hatools 0 timeout -k 2 60 uname -n", watched);
        Assert.DoesNotContain("\n", watched);
        Assert.EndsWith(" hatools 3 timeout -k 2 60 cat", SshCommandRunner.RemoteCommandLine(new CommandRequest(new[] { "cat" }, null, new byte[3]), true));
        // A command that watches for itself runs as a plain one, token or not.
        var self = new CommandRequest(new[] { "cat" }, null, new byte[3]) { EndsWhenStdinCloses = true };
        Assert.Equal("env LC_ALL=C LANG=C timeout -k 2 60 cat", SshCommandRunner.RemoteCommandLine(self, true));
    }
}
