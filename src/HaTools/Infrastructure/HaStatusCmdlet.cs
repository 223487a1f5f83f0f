using System;
using System.IO;
using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Base of the status readers (Get-HaStatus, Get-HaNode, Get-HaResource): the live cluster, or a saved
/// <c>crm_mon --output-as=xml</c> file (-FromFile) read without any node. Status is read once per command.</summary>
public abstract class HaStatusCmdlet : HaClusterCmdlet
{
    private ClusterStatus? _status;
    private bool _failed;

    /// <summary>A saved crm_mon XML file to read instead of asking the cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FromFile { get; set; }

    /// <summary>The status, or null when it could not be read (the error has been written).</summary>
    internal ClusterStatus? Status()
    {
        if (_status != null || _failed) return _status;
        if (FromFile != null) _status = ReadFile();
        else if (TryCall((c, p, h, t) => p.GetStatusAsync(c, t), null, out ClusterStatus status)) _status = status;
        _failed = _status == null;
        return _status;
    }

    internal string ClusterName => _status?.Name is { Length: > 0 } n ? n : FromFile ?? Context.Spec.Name;

    private ClusterStatus ReadFile()
    {
        if (Path != null || Cluster != null) Fail(ErrorClassifier.ArgumentInvalid, Strings.FromFileExclusive, FromFile);
        return ReadStatusFile(this, FromFile!);
    }

    /// <summary>A saved crm_mon XML file (relative to the current location); a missing or unreadable one ends the command.</summary>
    internal static ClusterStatus ReadStatusFile(HaCmdlet cmdlet, string fromFile)
    {
        var file = cmdlet.GetUnresolvedProviderPathFromPSPath(fromFile);
        if (!File.Exists(file)) cmdlet.Fail(ErrorClassifier.StatusFileNotFound, Msg.Format(Strings.StatusFileNotFound, file), file);
        try
        {
            return StackRegistry.Builtin.ReadStatusText(PacemakerStack.StackName, File.ReadAllText(file));
        }
        catch (Exception e) when (IsReportable(e))
        {
            cmdlet.Report(e, file, terminate: true);
            throw Rethrow(e);
        }
    }
}
