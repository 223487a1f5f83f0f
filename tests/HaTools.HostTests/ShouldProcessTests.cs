using System;
using System.IO;
using System.Linq;
using Xunit;

namespace HaTools.HostTests;

/// <summary>-WhatIf, -Confirm and $ConfirmPreference as a user at a console meets them: the "What if:" lines and the
/// prompts reach the host (also when Core asks from a worker thread), and a refusal changes nothing.</summary>
[Collection(ModuleCollection.Name)]
public sealed class ShouldProcessTests
{
    private readonly ModuleHost _module;

    public ShouldProcessTests(ModuleHost module) => _module = module;

    private string NewPath() => Path.Combine(_module.Work, "touched-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void WhatIf_prints_the_action_per_node_and_runs_nothing()
    {
        var host = new RecordingHost();
        using var session = _module.Open(host);
        var file = NewPath();
        var output = session.Run("param($p, $f) Invoke-HaCommand -Path $p -Node node1 -Command touch -ArgumentList $f -WhatIf", ("p", _module.Local), ("f", file));
        Assert.Empty(output);
        Assert.True(session.Shell.Streams.Error.Count == 0, session.Errors);
        var line = Assert.Single(host.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains("\"node1\"", line);
        Assert.Contains("touch", line);
        Assert.Empty(host.Prompts);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("No", false)]
    [InlineData("Yes", true)]
    public void Confirm_asks_per_node_and_acts_only_on_yes(string answer, bool acts)
    {
        var host = new RecordingHost(answer);
        using var session = _module.Open(host);
        var file = NewPath();
        var output = session.Run("param($p, $f) Invoke-HaCommand -Path $p -Node node1 -Command touch -ArgumentList $f -Confirm", ("p", _module.Local), ("f", file));
        var prompt = Assert.Single(host.Prompts);
        Assert.Contains("node1", prompt.Message);
        Assert.Equal(acts, File.Exists(file));
        Assert.Equal(acts ? 1 : 0, output.Count);
    }

    [Fact]
    public void ConfirmPreference_Medium_makes_a_medium_impact_cmdlet_ask_without_Confirm()
    {
        var host = new RecordingHost("No");
        using var session = _module.Open(host);
        var file = NewPath();
        session.Run("param($p, $f) $ConfirmPreference = 'High'; Invoke-HaCommand -Path $p -Node node1 -Command touch -ArgumentList $f", ("p", _module.Local), ("f", file));
        Assert.Empty(host.Prompts);
        Assert.True(File.Exists(file));
        File.Delete(file);
        session.Run("param($p, $f) $ConfirmPreference = 'Medium'; Invoke-HaCommand -Path $p -Node node1 -Command touch -ArgumentList $f", ("p", _module.Local), ("f", file));
        Assert.Single(host.Prompts);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void A_high_impact_question_asked_by_Core_from_a_worker_thread_reaches_the_host_and_no_stops_it()
    {
        // Stop-HaCluster asks in Core (through the pump); "No" must end it before any node is contacted, so
        // the refused nodes give no error at all.
        var host = new RecordingHost("No");
        using var session = _module.Open(host);
        var output = session.Run("param($p) Stop-HaCluster -Path $p", ("p", _module.Refused));
        var prompt = Assert.Single(host.Prompts);
        Assert.Contains("node1,node2", prompt.Message);
        Assert.Empty(output);
        Assert.True(session.Shell.Streams.Error.Count == 0, session.Errors);
    }

    [Fact]
    public void WhatIf_on_a_question_asked_by_Core_prints_it_and_contacts_no_node()
    {
        var host = new RecordingHost();
        using var session = _module.Open(host);
        var output = session.Run("param($p) Stop-HaCluster -Path $p -WhatIf", ("p", _module.Refused));
        Assert.Contains(host.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal) && l.Contains("node1,node2"));
        Assert.Empty(host.Prompts);
        Assert.Empty(output);
        Assert.True(session.Shell.Streams.Error.Count == 0, session.Errors);
    }

    [Fact]
    public void Send_HaFile_WhatIf_writes_no_file()
    {
        var host = new RecordingHost();
        using var session = _module.Open(host);
        var source = Path.Combine(_module.Work, "payload.txt");
        File.WriteAllText(source, "hello\n");
        var target = NewPath();
        var output = session.Run("param($p, $s, $d) Send-HaFile -Path $p -Node node1 -SourcePath $s -Destination $d -WhatIf",
            ("p", _module.Local), ("s", source), ("d", target));
        Assert.Empty(output);
        Assert.True(session.Shell.Streams.Error.Count == 0, session.Errors);
        Assert.Contains(host.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal) && l.Contains(target));
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(_module.Work, Path.GetFileName(target) + "*"));
    }
}
