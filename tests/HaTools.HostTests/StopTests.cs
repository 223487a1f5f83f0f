using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Xunit;

namespace HaTools.HostTests;

/// <summary>PowerShell.Stop() (what Ctrl+C does) during a long command ends it quickly and leaves no process behind.
/// The node is this machine (<c>address: local</c>), so the command is a real process that can be looked for.</summary>
[Collection(ModuleCollection.Name)]
public sealed class StopTests
{
    private readonly ModuleHost _module;

    public StopTests(ModuleHost module) => _module = module;

    [Fact]
    public void Stop_during_a_long_Invoke_HaCommand_returns_within_2_s()
    {
        using var session = _module.Open();
        var (run, pids) = StartSleep(session, _module.Local, "-Node node1");
        try
        {
            var sw = Stopwatch.StartNew();
            session.Shell.Stop();
            sw.Stop();
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"Stop() took {sw.Elapsed.TotalSeconds:0.00} s");
            Assert.Equal(PSInvocationState.Stopped, session.Shell.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => session.Shell.EndInvoke(run));
        }
        finally
        {
            KillLeftovers(pids);
        }
    }

    [Fact]
    public void Stop_during_a_long_Invoke_HaCommand_leaves_no_process_behind()
    {
        using var session = _module.Open();
        var (run, pids) = StartSleep(session, _module.Local, "-Node node1");
        try
        {
            session.Shell.Stop();
            Assert.Throws<PipelineStoppedException>(() => session.Shell.EndInvoke(run));
            // Gone by pid, not merely out of sight: allow the kernel a moment to reap.
            var left = WaitFor(() => pids.Where(Alive).ToList(), TimeSpan.FromSeconds(1), empty: true);
            Assert.True(left.Count == 0, "left running: " + string.Join(", ", left.Select(p => $"{p} ({Comm(p)})")));
        }
        finally
        {
            KillLeftovers(pids);
        }
    }

    // Once stopping, PowerShell refuses every Write* of a cmdlet (PumpHost.CompleteProgress says how the bars still end).
    [Fact]
    public void Stop_completes_the_progress_bar_the_command_opened()
    {
        using var session = _module.Open();
        var (run, pids) = StartSleepWithOpenBar(session);
        try
        {
            session.Shell.Stop();
            Assert.Throws<PipelineStoppedException>(() => session.Shell.EndInvoke(run));
            var progress = session.Shell.Streams.Progress.ToList();
            foreach (var id in progress.Select(p => p.ActivityId).Distinct())
                Assert.Equal(ProgressRecordType.Completed, progress.Last(p => p.ActivityId == id).RecordType);
        }
        finally
        {
            KillLeftovers(pids);
        }
    }

    [Fact]
    public void Stop_completes_each_bar_at_the_host_under_the_source_id_it_was_opened_with()
    {
        var host = new RecordingHost();
        using var session = _module.Open(host);
        var (run, pids) = StartSleepWithOpenBar(session);
        try
        {
            session.Shell.Stop();
            Assert.Throws<PipelineStoppedException>(() => session.Shell.EndInvoke(run));
            var seen = host.Progress.ToList();
            Assert.NotEmpty(seen);
            foreach (var bar in seen.GroupBy(p => (p.SourceId, p.Record.ActivityId)))
                Assert.Equal(ProgressRecordType.Completed, bar.Last().Record.RecordType);
            // One command, one source: a host that keys bars on (source, activity) closes the very bar it drew.
            Assert.Single(seen.Select(p => p.SourceId).Distinct());
        }
        finally
        {
            KillLeftovers(pids);
        }
    }

    [Fact]
    public void Stop_writes_no_progress_when_the_caller_asked_for_none()
    {
        using var session = _module.Open();
        var (run, pids) = StartSleep(session, _module.Mixed, "-All -ErrorAction SilentlyContinue -ProgressAction SilentlyContinue");
        try
        {
            // No record to wait for: wait until node2's ssh (refused at once) has ended, then give the pump a moment to
            // open the bar, so that the stop finds it open.
            WaitFor(() => ProcessesWith("127.0.0.1").Where(pid => Comm(pid) == "ssh" && ParentOf(pid) == Environment.ProcessId).ToList(),
                TimeSpan.FromSeconds(10), empty: true);
            Thread.Sleep(500);
            session.Shell.Stop();
            Assert.Throws<PipelineStoppedException>(() => session.Shell.EndInvoke(run));
            Assert.Empty(session.Shell.Streams.Progress);
        }
        finally
        {
            KillLeftovers(pids);
        }
    }

    /// <summary>node2 is refused at once, so the command's bar is open ("1 of 2 done") while node1 sleeps.</summary>
    private (IAsyncResult Run, List<int> Pids) StartSleepWithOpenBar(Session session)
    {
        var (run, pids) = StartSleep(session, _module.Mixed, "-All -ErrorAction SilentlyContinue");
        WaitFor(() => session.Shell.Streams.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.ActivityId).ToList(), TimeSpan.FromSeconds(10));
        Assert.Contains(session.Shell.Streams.Progress, p => p.RecordType == ProgressRecordType.Processing);
        return (run, pids);
    }

    /// <summary>Start <c>Invoke-HaCommand … sleep 30 0.NNNNNN</c> and wait until the sleep runs. sleep adds up its
    /// arguments: the odd fraction makes this run's processes findable by their argv alone.</summary>
    private static (IAsyncResult Run, List<int> Pids) StartSleep(Session session, string cluster, string nodes)
    {
        var marker = "0." + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        session.Prepare($"param($p, $m) Invoke-HaCommand -Path $p {nodes} -Command sleep -ArgumentList 30, $m", ("p", cluster), ("m", marker));
        var run = session.Shell.BeginInvoke();
        // The wrapper (env → timeout) starts first; wait for the sleep itself.
        var pids = WaitFor(() => ProcessesWith(marker) is var p && p.Any(pid => Comm(pid) == "sleep") ? p : new List<int>(), TimeSpan.FromSeconds(10));
        Assert.True(pids.Count > 0, "the sleep never started");
        return (run, pids);
    }

    /// <summary>This test's own processes only, by pid: a failed run must not leave a sleep for the next one.</summary>
    private static void KillLeftovers(IEnumerable<int> pids)
    {
        foreach (var pid in pids.Where(Alive))
        {
            try { Process.GetProcessById(pid).Kill(); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
        }
    }

    private static List<int> WaitFor(Func<List<int>> probe, TimeSpan limit, bool empty = false)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var found = probe();
            if ((found.Count == 0) == empty || DateTime.UtcNow > until) return found;
            Thread.Sleep(20);
        }
    }

    /// <summary>Processes whose argv holds <paramref name="argument"/> as one whole argument (the timeout wrapper and the sleep).</summary>
    private static List<int> ProcessesWith(string argument)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains(argument)) found.Add(pid);
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Still a process (a zombie has exited: only its parent has not reaped it yet).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return -1; }
    }

    private static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return "?"; }
    }
}
