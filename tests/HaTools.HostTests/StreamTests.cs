using System.Linq;
using System.Management.Automation;
using Xunit;

namespace HaTools.HostTests;

/// <summary>Progress and warnings that Core reports from worker threads reach the host's streams through the
/// pipeline thread's pump, and every progress bar that was opened is completed.</summary>
[Collection(ModuleCollection.Name)]
public sealed class StreamTests
{
    private const string StonithWarning = "STONITH is disabled: a node that fails cannot be fenced and may keep resources (e.g. a VIP) running";
    private readonly ModuleHost _module;

    public StreamTests(ModuleHost module) => _module = module;

    [Fact]
    public void Invoke_HaCommand_reports_per_node_progress_and_completes_it()
    {
        using var session = _module.Open();
        var results = session.Run("param($p) Invoke-HaCommand -Path $p -All -Command true", ("p", _module.Mixed));
        Assert.Equal(new[] { "node1", "node2" }, results.Select(r => (string)r.Properties["Node"].Value));
        Assert.Equal(0, results[0].Properties["ExitCode"].Value);
        var progress = session.Shell.Streams.Progress.ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(1, p.ActivityId));
        Assert.All(progress, p => Assert.Equal("Running true on 2 node(s)", p.Activity));
        Assert.Contains(progress, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.StartsWith("1 of 2 done"));
        Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
        // node2 did not answer: its error comes with its result, and the progress still ends.
        Assert.Equal("node2", Assert.Single(session.Shell.Streams.Error).TargetObject);
    }

    [Fact]
    public void A_failed_bootstrap_completes_every_progress_bar_it_opened_and_warns_from_the_worker_thread()
    {
        using var session = _module.Open();
        var phases = session.Run("param($p) Start-HaBootstrap -Path $p -Confirm:$false", ("p", _module.Refused));
        var progress = session.Shell.Streams.Progress.ToList();
        var ids = progress.Select(p => p.ActivityId).Distinct().ToList();
        Assert.Contains(1, ids); // the bootstrap's phases (the pre-flight's own bar, id 3, may come too)
        foreach (var id in ids)
            Assert.Equal(ProgressRecordType.Completed, progress.Last(p => p.ActivityId == id).RecordType);
        Assert.Equal(StonithWarning, Assert.Single(session.Shell.Streams.Warning).Message);
        Assert.Contains(phases, p => p.Properties["Status"].Value.ToString() == "Failed" && (string)p.Properties["Phase"].Value == "lock"); // the first contact with the (refusing) nodes
        Assert.NotEmpty(session.Shell.Streams.Error);
        Assert.All(session.Shell.Streams.Error, e => Assert.Equal("PhaseFailed,HaTools.PowerShell.Commands.StartHaBootstrapCommand", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void WarningAction_and_WarningVariable_apply_to_warnings_from_Core()
    {
        using var session = _module.Open();
        var collected = session.Run(
            "param($p) $null = Start-HaBootstrap -Path $p -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -WarningVariable w; $w",
            ("p", _module.Refused));
        Assert.Empty(session.Shell.Streams.Warning);
        Assert.Equal(StonithWarning, Assert.Single(collected).ToString());
    }

    [Fact]
    public void Verbose_names_each_node_acted_on_only_with_Verbose()
    {
        using var session = _module.Open();
        session.Run("param($p) Invoke-HaCommand -Path $p -All -Command true -Verbose -ErrorAction SilentlyContinue", ("p", _module.Mixed));
        var verbose = session.Shell.Streams.Verbose.Select(v => v.Message).ToList();
        Assert.Contains(verbose, m => m.Contains("\"Run true\"") && m.Contains("\"node1\""));
        Assert.Contains(verbose, m => m.Contains("\"Run true\"") && m.Contains("\"node2\""));
        session.Run("param($p) Invoke-HaCommand -Path $p -All -Command true -ErrorAction SilentlyContinue", ("p", _module.Mixed));
        Assert.Empty(session.Shell.Streams.Verbose);
    }
}
