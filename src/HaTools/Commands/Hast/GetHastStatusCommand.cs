using System;
using System.IO;
using System.Management.Automation;
using HaTools.Core.Stacks.Hast;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The HAST resources of one node, one object per resource, from a saved hastctl list or hastctl status output.</summary>
[Cmdlet(VerbsCommon.Get, "HastStatus")]
[OutputType(typeof(HastResourceStatus))]
public sealed class GetHastStatusCommand : HaClusterCmdlet
{
    /// <summary>A saved hastctl list (or hastctl status) output. Reading the nodes live is not in this build yet.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string FromFile { get; set; } = "";

    /// <summary>The node the output was saved on: hastctl does not print it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Node { get; set; }

    protected override void EndProcessing()
    {
        if (Path != null || Cluster != null) Fail(ErrorClassifier.ArgumentInvalid, Strings.HastFromFileExclusive, FromFile);
        var file = GetUnresolvedProviderPathFromPSPath(FromFile);
        if (!File.Exists(file)) Fail(ErrorClassifier.StatusFileNotFound, Msg.Format(Strings.HastStatusFileNotFound, file), file);
        try
        {
            foreach (var resource in HastStatusFile.Read(file, Node))
            {
                foreach (var w in resource.Warnings) WriteWarning($"{resource.Resource}: {w}");
                WriteObject(resource);
            }
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, file, terminate: true);
        }
    }
}
