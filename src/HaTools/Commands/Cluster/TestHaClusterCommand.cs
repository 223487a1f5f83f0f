using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>Pre-flight: the cluster file alone (-Offline), or every node against it.</summary>
[Cmdlet(VerbsDiagnostic.Test, "HaCluster", DefaultParameterSetName = "Live")]
[OutputType(typeof(CheckResult), ParameterSetName = new[] { "Live" })]
[OutputType(typeof(SpecProblem), ParameterSetName = new[] { "Offline" })]
public sealed class TestHaClusterCommand : HaClusterCmdlet
{
    /// <summary>Validate the file only; contact no node.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Offline")]
    public SwitchParameter Offline { get; set; }

    /// <summary>Accept a running or leftover cluster on the nodes.</summary>
    [Parameter(ParameterSetName = "Live")]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        if (Offline) TestFile();
        else TestNodes();
    }

    private void TestFile()
    {
        var file = Cluster != null ? Cluster.Spec.SourceFile : ClusterFilePath;
        if (!File.Exists(file)) Fail(ErrorClassifier.ClusterFileNotFound, Msg.Format(Strings.ClusterFileNotFound, file), file);
        ValidationReport report;
        try { report = SpecLoader.Validate(file); }
        catch (System.Exception e) when (IsReportable(e)) { Report(e, file, terminate: true); throw Rethrow(e); }
        WriteObject(report.Problems, enumerateCollection: true);
        var errors = report.Problems.Where(p => p.Severity == Severity.Error).ToList();
        if (errors.Count > 0) WriteFailure(ErrorClassifier.ClusterFileProblems, Msg.Format(Strings.ClusterFileProblems, errors.Count, errors[0]), file);
    }

    private void TestNodes()
    {
        var options = new TestOptions { Force = Force };
        if (!TryCall((c, p, h, t) => p.TestAsync(c, options, h, t), Context.Spec.Name, out IReadOnlyList<CheckResult> checks)) return;
        WriteObject(checks, enumerateCollection: true);
        var failed = checks.Where(c => c.Severity == Severity.Error).ToList();
        if (failed.Count > 0)
            WriteFailure(ErrorClassifier.ClusterCheckFailed, Msg.Format(Strings.ChecksFailed, failed.Count, $"{failed[0].Node}: {failed[0].Check}: {failed[0].Message}"), failed[0].Node);
    }
}
