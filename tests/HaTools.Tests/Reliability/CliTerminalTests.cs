using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>hatools' progress in a real terminal: the built hatools.dll runs in a tmux pane (its own tmux server) and
/// the pane is read with capture-pane while it runs. The cluster is one `address: local` node with stand-ins for
/// crm_mon and crm_resource first on PATH (no Pacemaker runs here): crm_mon prints the lab's captured status with vip
/// running for its first 9 calls (the guard, then about 4 s of polls) and the one with vip stopped after that, so
/// `stop vip --wait` polls with the same status text while its bar advances.</summary>
// Their clusters are nodes with address: local, so their changes take the cluster lock on this machine, under one
// lock root: they run one after another, as two operators of the same node would.
[Collection(LocalNodeLock.Name)]
public sealed class CliTerminalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hatools-tty-" + Guid.NewGuid().ToString("N"));
    private readonly string _socket = "hatools-test-" + Guid.NewGuid().ToString("N").Substring(0, 12);

    public CliTerminalTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "calls"));
        File.WriteAllText(Path.Combine(_dir, "cluster.yaml"), "name: c\nnodes: [ { name: a, address: local } ]\n");
        var fixtures = Path.Combine(Spec.SpecTestUtil.RepoRoot, "tests", "fixtures", "crm_mon");
        File.Copy(Path.Combine(fixtures, "lab-all-started.xml"), Path.Combine(_dir, "running.xml"));
        File.Copy(Path.Combine(fixtures, "lab-no-quorum.xml"), Path.Combine(_dir, "stopped.xml"));
        Tool("crm_mon", "d=$(dirname \"$0\")\nn=1\nwhile ! mkdir \"$d/calls/$n\" 2>/dev/null; do n=$((n+1)); done\n" +
            "if [ \"$n\" -le 9 ]; then cat \"$d/running.xml\"; else cat \"$d/stopped.xml\"; fi\n");
        Tool("crm_resource", "exit 0\n");
    }

    private void Tool(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        Tmux("kill-server");
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string[] StopVip => new[] { "stop", "vip", "--wait", "--timeout", "10", "--cluster", Path.Combine(_dir, "cluster.yaml") };

    private int Polls => Directory.GetDirectories(Path.Combine(_dir, "calls")).Length;

    private static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private string Tmux(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-L");
        psi.ArgumentList.Add(_socket);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return o;
    }

    private static List<string> BarLines(string screen) => screen.Split('\n').Where(l => l.StartsWith("stop vip [", StringComparison.Ordinal)).ToList();

    [Fact]
    public void In_a_terminal_the_wait_is_one_bar_redrawn_in_place_and_gone_when_done()
    {
        Assert.True(File.Exists("/usr/bin/tmux") || File.Exists("/usr/local/bin/tmux"), "tmux is needed (apt-get install -y tmux)");
        var line = string.Join(" ", new[] { "dotnet", "exec", Cli.Dll }.Concat(StopVip).Select(Q)) + "; echo EXIT=$?; sleep 60";
        File.WriteAllText(Path.Combine(_dir, "run.sh"), $"unset HATOOLS_CLUSTER\nPATH={Q(_dir)}:\"$PATH\"\n{line}\n");
        Tmux("new-session", "-d", "-x", "160", "-y", "40", "sh " + Q(Path.Combine(_dir, "run.sh")));

        var screens = new List<string>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            var screen = Tmux("capture-pane", "-p");
            screens.Add(screen);
            if (screen.Contains("EXIT=")) break;
            Thread.Sleep(100);
        }
        var last = screens[^1];
        Assert.Contains("EXIT=0", last);
        Assert.True(Polls >= 10, $"crm_mon was asked {Polls} times");
        // Never more than one line for the one activity: each poll overwrote the bar instead of scrolling a new line.
        Assert.All(screens, s => Assert.True(BarLines(s).Count <= 1, s));
        var drawn = screens.Select(s => BarLines(s).SingleOrDefault()).OfType<string>().Distinct().ToList();
        Assert.True(drawn.Count >= 3, "the bar should have advanced in place: " + string.Join(" | ", drawn));
        Assert.All(drawn, l => Assert.Matches(@"^stop vip \[[#.]{20}\] +\d+% vip not stopped yet$", l.TrimEnd()));
        // Done: the bar is erased and the result table is what is left.
        Assert.Empty(BarLines(last));
        Assert.Contains("Resource  Action  Changed", last);
        Assert.Contains("vip       stop    True", last);
    }

    [Fact]
    public void Redirected_the_same_wait_prints_its_unchanged_status_once()
    {
        var env = new Dictionary<string, string> { ["PATH"] = _dir + ":" + Environment.GetEnvironmentVariable("PATH") };
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), env, StopVip);
        Assert.True(exit == 0, stderr);
        Assert.True(Polls >= 10, $"crm_mon was asked {Polls} times");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Where(l => !l.StartsWith("[", StringComparison.Ordinal)), l => Assert.StartsWith("WARNING: STONITH is disabled", l)); // the fixture's
        var line = Assert.Single(lines, l => l.StartsWith("[", StringComparison.Ordinal));
        Assert.Matches(@"^\[ +\d+%\] stop vip: vip not stopped yet$", line);
        Assert.DoesNotContain('\u001b', stderr);
        Assert.StartsWith("Resource  Action  Changed", stdout);
    }
}
