using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace HaTools.HostTests;

/// <summary>The ErrorRecords a script sees: ErrorId, category and TargetObject for each kind of failure the
/// module reports without a lab, and which of them end the command.</summary>
[Collection(ModuleCollection.Name)]
public sealed class ErrorRecordTests
{
    private readonly ModuleHost _module;

    public ErrorRecordTests(ModuleHost module) => _module = module;

    [Fact]
    public void An_invalid_cluster_file_ends_the_command_with_ClusterFileInvalid_at_file_line_col()
    {
        using var session = _module.Open();
        var output = session.Run("param($p) try { Get-HaStatus -Path $p; 'not reached' } catch { $_ }", ("p", _module.Broken));
        var e = Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject);
        Assert.Equal("ClusterFileInvalid,HaTools.PowerShell.Commands.GetHaStatusCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Equal(_module.Broken, e.TargetObject);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(_module.Broken) + @":5:\d+: nodes\[0\]\.name: ", e.ToString());
    }

    /// <summary>examples/hast.yaml with its nodes on lab addresses (nothing is sent to them: the refusal comes first).</summary>
    private string HastFile()
    {
        var file = Path.Combine(_module.Work, "hast-" + Guid.NewGuid().ToString("N") + ".yaml");
        var text = File.ReadAllText(Path.Combine(HaTools.Tests.RepoPaths.Root, "examples", "hast.yaml"))
            .Replace("192.0.2.10", "198.18.0.250").Replace("192.0.2.11", "198.18.0.251");
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public void A_capability_the_stack_lacks_is_terminating_StackCapabilityMissing_before_any_node_is_asked()
    {
        // stack: hast has no resource control: Move-HaResource names the stack and the feature, and ends the command.
        using var session = _module.Open();
        var file = HastFile();
        var output = session.Run("param($p) try { Move-HaResource -Path $p -Name pool -Node f1 -Confirm:$false; 'not reached' } catch { $_ }", ("p", file));
        var e = Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject);
        Assert.Equal("StackCapabilityMissing,HaTools.PowerShell.Commands.MoveHaResourceCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotImplemented, e.CategoryInfo.Category);
        Assert.Equal("tank", e.TargetObject);
        Assert.Contains("stack 'hast' of cluster 'tank' has no resource control", e.ToString());
    }

    [Fact]
    public void A_missing_cluster_file_is_terminating_ClusterFileNotFound_even_without_ErrorAction_Stop()
    {
        using var session = _module.Open();
        var missing = Path.Combine(_module.Work, "none.yaml");
        // Terminating: the rest of the try block does not run, and no -ErrorAction Stop was needed to catch it.
        var output = session.Run("param($p) try { Get-HaStatus -Path $p; 'not reached' } catch { $_ }", ("p", missing));
        var e = Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject);
        Assert.Equal("ClusterFileNotFound,HaTools.PowerShell.Commands.GetHaStatusCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
        Assert.Equal(missing, e.TargetObject);
    }

    [Fact]
    public void An_unknown_node_name_is_a_non_terminating_NodeNotFound_and_the_known_nodes_still_run()
    {
        using var session = _module.Open();
        var output = session.Run("param($p) Invoke-HaCommand -Path $p -Node nosuch, node1 -Command true", ("p", _module.Local));
        Assert.Equal("node1", Assert.Single(output).Properties["Node"].Value);
        var e = Assert.Single(session.Shell.Streams.Error);
        Assert.Equal("NodeNotFound,HaTools.PowerShell.Commands.InvokeHaCommandCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
        Assert.Equal("nosuch", e.TargetObject);
    }

    [Fact]
    public void An_unreachable_address_is_NodeUnreachable_for_its_node_within_the_connect_timeout()
    {
        using var session = _module.Open();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var output = session.Run("param($p) Invoke-HaCommand -Path $p -All -Command true -TimeoutSec 5", ("p", _module.Unreachable));
        sw.Stop();
        var result = Assert.Single(output);
        Assert.Equal("ghost", result.Properties["Node"].Value);
        var e = Assert.Single(session.Shell.Streams.Error);
        Assert.True(e.FullyQualifiedErrorId == "NodeUnreachable,HaTools.PowerShell.Commands.InvokeHaCommandCommand", session.Errors);
        Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        Assert.Equal("ghost", e.TargetObject);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(8), $"took {sw.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void Status_of_an_unreachable_cluster_is_ClusterStateInvalid_naming_the_cluster()
    {
        using var session = _module.Open();
        session.Run("param($p) Get-HaStatus -Path $p", ("p", _module.Refused));
        var e = Assert.Single(session.Shell.Streams.Error);
        Assert.Equal("ClusterStateInvalid,HaTools.PowerShell.Commands.GetHaStatusCommand", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
        Assert.Equal("refused", e.TargetObject);
        Assert.Contains("node1", e.ToString());
        Assert.Contains("node2", e.ToString());
    }

    [Fact]
    public void ErrorAction_Stop_makes_a_per_node_error_terminating_and_catchable()
    {
        using var session = _module.Open();
        var output = session.Run("param($p) try { Invoke-HaCommand -Path $p -All -Command true -ErrorAction Stop } catch { $_ }", ("p", _module.Mixed));
        var e = Assert.IsType<ErrorRecord>(output.Last().BaseObject);
        Assert.Equal("NodeUnreachable,HaTools.PowerShell.Commands.InvokeHaCommandCommand", e.FullyQualifiedErrorId);
        Assert.Equal("node2", e.TargetObject);
    }
}
