using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace HaTools.HostTests;

/// <summary>Get-HaStatus over several clusters, without a lab: how the input binds (paths, file objects, cluster
/// objects), that a bad file or a dead cluster is an error for that cluster only, and that answers come as they
/// arrive. The answering clusters are in the lab tests (tests/Pester/Lab.MultiCluster.Tests.ps1).</summary>
[Collection(ModuleCollection.Name)]
public sealed class MultiClusterTests
{
    private readonly ModuleHost _module;

    public MultiClusterTests(ModuleHost module) => _module = module;

    [Fact]
    public void Each_bad_file_or_dead_cluster_is_its_own_non_terminating_error()
    {
        using var session = _module.Open();
        var missing = Path.Combine(_module.Work, "none.yaml");
        var output = session.Run("param($a, $b, $c) Get-HaStatus -Path $a, $b, $c; 'went on'", ("a", _module.Refused), ("b", missing), ("c", _module.Broken));
        Assert.Equal("went on", Assert.Single(output).BaseObject);
        var errors = session.Shell.Streams.Error.ToDictionary(e => e.FullyQualifiedErrorId.Split(',')[0], e => e);
        Assert.Equal(new[] { "ClusterFileInvalid", "ClusterFileNotFound", "ClusterStateInvalid" }, errors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(missing, errors["ClusterFileNotFound"].TargetObject);
        Assert.Equal(_module.Broken, errors["ClusterFileInvalid"].TargetObject);
        Assert.Equal("refused", errors["ClusterStateInvalid"].TargetObject);
    }

    [Fact]
    public void File_objects_strings_and_cluster_objects_bind_from_the_pipeline()
    {
        using var session = _module.Open();
        session.Run("param($a, $b) Get-Item $a, $b | Get-HaStatus", ("a", _module.Refused), ("b", _module.Mixed));
        Assert.Equal(new[] { "mixed", "refused" }, Targets(session));
        session.Run("param($a, $b) $a, $b | Get-HaStatus", ("a", _module.Refused), ("b", _module.Mixed));
        Assert.Equal(new[] { "mixed", "refused" }, Targets(session));
        session.Run("param($a, $b) (Get-HaCluster -Path $a), (Get-HaCluster -Path $b) | Get-HaStatus", ("a", _module.Refused), ("b", _module.Mixed));
        Assert.Equal(new[] { "mixed", "refused" }, Targets(session));
    }

    [Fact]
    public void Path_and_Cluster_together_are_refused_by_the_parameter_sets()
    {
        using var session = _module.Open();
        var output = session.Run("param($a) try { Get-HaStatus -Cluster (Get-HaCluster -Path $a) -Path $a } catch { $_ }", ("a", _module.Refused));
        Assert.Equal("AmbiguousParameterSet,HaTools.PowerShell.Commands.GetHaStatusCommand", Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_quick_answer_is_written_while_a_hung_cluster_is_still_being_waited_for()
    {
        // refused answers (an error) at once; the silent node accepts the connection and never answers, so only the
        // timeouts end that cluster.
        using var session = _module.Open();
        var arrivals = new List<(string Target, TimeSpan At)>();
        var sw = Stopwatch.StartNew();
        session.Shell.Streams.Error.DataAdded += (s, e) =>
        {
            lock (arrivals) arrivals.Add(((string)session.Shell.Streams.Error[e.Index].TargetObject, sw.Elapsed));
        };
        session.Run("param($a, $b) Get-HaStatus -Path $a, $b", ("a", _module.Silent), ("b", _module.Refused));
        sw.Stop();
        Assert.Equal(new[] { "refused", "silent" }, arrivals.Select(a => a.Target));
        Assert.True(arrivals[1].At - arrivals[0].At > TimeSpan.FromSeconds(0.8),
            $"refused at {arrivals[0].At.TotalSeconds:0.0} s, the hung one at {arrivals[1].At.TotalSeconds:0.0} s: the quick answer waited");
    }

    private static IEnumerable<string> Targets(Session session) =>
        session.Shell.Streams.Error.Select(e => (string)e.TargetObject).OrderBy(t => t, StringComparer.Ordinal);
}
