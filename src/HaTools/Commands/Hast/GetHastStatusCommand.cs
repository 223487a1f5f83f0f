using System;
using System.IO;
using System.Management.Automation;
using HaTools.Core.Stacks.Hast;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>The HAST resources of a stack: hast cluster, one object per resource and node (read live from both nodes,
/// each call bounded), or of one node from a saved hastctl list or hastctl status output.</summary>
[Cmdlet(VerbsCommon.Get, "HastStatus", DefaultParameterSetName = "Live")]
[OutputType(typeof(HastResourceStatus))]
public sealed class GetHastStatusCommand : HaClusterCmdlet
{
    private readonly System.Collections.Generic.HashSet<string> _unreadable = new System.Collections.Generic.HashSet<string>();

    /// <summary>A saved hastctl list (or hastctl status) output, read instead of asking the nodes.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "FromFile")]
    [ValidateNotNullOrEmpty]
    public string FromFile { get; set; } = "";

    /// <summary>Live: only this node. With -FromFile: the node the output was saved on (hastctl does not print it).</summary>
    [Parameter(ParameterSetName = "Live")]
    [Parameter(ParameterSetName = "FromFile")]
    [ValidateNotNullOrEmpty]
    public string? Node { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == "Live")
        {
            if (TryCall((c, s, h, t) => HastStack.ReadResourcesAsync(c, Node, t), Node ?? Context.Spec.Name, out var rows))
                foreach (var r in rows) Write(r);
            return;
        }
        if (Path != null || Cluster != null) Fail(ErrorClassifier.ArgumentInvalid, Strings.HastFromFileExclusive, FromFile);
        var file = GetUnresolvedProviderPathFromPSPath(FromFile);
        if (!File.Exists(file)) Fail(ErrorClassifier.StatusFileNotFound, Msg.Format(Strings.HastStatusFileNotFound, file), file);
        try
        {
            foreach (var resource in HastStatusFile.Read(file, Node)) Write(resource);
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, file, terminate: true);
        }
    }

    private void Write(HastResourceStatus resource)
    {
        foreach (var w in resource.Warnings) WriteWarning($"{resource.Resource}: {w}");
        if (resource.Unreadable != null && _unreadable.Add(resource.Node ?? "")) WriteWarning(resource.Unreadable);
        WriteObject(resource);
    }
}
