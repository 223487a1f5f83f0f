using System.Diagnostics;
using System.IO;
using System.Linq;
using HaTools.Tests;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.HostTests;

/// <summary>Argument completion through TabExpansion2, as a console asks for it, without a lab: a saved status
/// (-FromFile) and a cluster that does not answer. Completion from a live cluster (names only the CIB holds) is in
/// the lab tests (tests/Pester/Lab.Runspaces.Tests.ps1).</summary>
[Collection(ModuleCollection.Name)]
public sealed class CompletionTests
{
    private readonly ModuleHost _module;
    private readonly ITestOutputHelper _output;

    public CompletionTests(ModuleHost module, ITestOutputHelper output)
    {
        _module = module;
        _output = output;
    }

    [Fact]
    public void Names_come_from_the_saved_status_of_FromFile()
    {
        var saved = Path.Combine(RepoPaths.Root, "tests", "fixtures", "crm_mon", "clone.xml");
        Assert.Equal(new[] { "db", "db-clone" }, Complete($"Get-HaResource -FromFile '{saved}' -Name d"));
        Assert.Equal(new[] { "node1", "node2", "node3" }, Complete($"Get-HaNode -FromFile '{saved}' -Name "));
    }

    [Fact]
    public void A_cluster_that_does_not_answer_costs_only_its_live_names()
    {
        // The node accepts the connection and never says a word: the live ask runs out of time, the file's name stands.
        var sw = Stopwatch.StartNew();
        var completed = Complete($"Suspend-HaNode -Path '{_module.Silent}' -Name ");
        _output.WriteLine($"completion with a silent node: {sw.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(new[] { "mute" }, completed);
    }

    [Fact]
    public void A_refused_cluster_gives_the_file_names()
    {
        Assert.Equal(new[] { "node1", "node2" }, Complete($"Move-HaResource -Path '{_module.Refused}' -Node "));
    }

    private string[] Complete(string line)
    {
        using var session = _module.Open();
        var result = session.Run("param($l) (TabExpansion2 -inputScript $l -cursorColumn $l.Length).CompletionMatches.CompletionText", ("l", line));
        Assert.True(session.Shell.Streams.Error.Count == 0, session.Errors);
        return result.Select(r => r.BaseObject.ToString()!).ToArray();
    }
}
