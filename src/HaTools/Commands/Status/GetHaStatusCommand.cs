using System.Collections.Generic;
using System.Management.Automation;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The status of one or several clusters: quorum, DC, nodes, resources (from the first node of each that answers,
/// or a saved status file). Several clusters are asked at once; each answer is written as it arrives.</summary>
[Cmdlet(VerbsCommon.Get, "HaStatus", DefaultParameterSetName = "Path")]
[OutputType(typeof(ClusterStatus))]
public sealed class GetHaStatusCommand : HaCmdlet
{
    private readonly List<string> _files = new List<string>();
    private readonly List<ClusterContext> _clusters = new List<ClusterContext>();

    /// <summary>Cluster files (YAML), or file objects from the pipeline (Get-ChildItem *.yaml). Default: $env:HATOOLS_CLUSTER, else ./cluster.yaml.</summary>
    // Own parameter sets: in one set PowerShell would bind a piped cluster object to -Path as well (as text).
    [Parameter(ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>A cluster object from Get-HaCluster (also from the pipeline); used instead of a file.</summary>
    [Parameter(ParameterSetName = "Cluster", Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClusterContext? Cluster { get; set; }

    /// <summary>A saved status file to read instead of asking the cluster: crm_mon XML, hctl status (text or --json),
    /// hastctl output; its stack is told by its content unless -Stack names it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FromFile { get; set; }

    /// <summary>With -FromFile: the stack whose format the file is in (pacemaker, consul, hast), when its content does not tell.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Stack { get; set; }

    protected override void ProcessRecord()
    {
        if (FromFile != null && (Cluster != null || Path != null)) Fail(ErrorClassifier.ArgumentInvalid, Strings.FromFileExclusive, FromFile);
        if (Cluster != null) _clusters.Add(Cluster);
        foreach (var path in Path ?? System.Array.Empty<string>()) _files.Add(GetUnresolvedProviderPathFromPSPath(path));
    }

    protected override void EndProcessing()
    {
        if (FromFile != null)
        {
            WriteObject(HaStatusCmdlet.ReadStatusFile(this, FromFile, Stack));
            return;
        }
        if (_files.Count == 0 && _clusters.Count == 0)
            _files.Add(GetUnresolvedProviderPathFromPSPath(ClusterFileLocator.Choose(null)));
        var targets = _clusters.ConvertAll(c => new MultiClusterStatus.Target(c, null));
        targets.AddRange(MultiClusterStatus.Open(this, _files, alone: targets.Count == 0 && _files.Count == 1));
        MultiClusterStatus.Write(this, targets, StopToken);
    }
}
