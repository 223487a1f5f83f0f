using System;
using System.IO;
using System.Management.Automation;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Base of the status readers (Get-HaStatus, Get-HaNode, Get-HaResource): the live cluster, or a saved
/// status file (-FromFile: crm_mon XML, hctl status, hastctl) read without any node. Status is read once per command.</summary>
public abstract class HaStatusCmdlet : HaClusterCmdlet
{
    private ClusterStatus? _status;
    private bool _failed;

    /// <summary>A saved status file to read instead of asking the cluster: crm_mon XML, hctl status (text or --json),
    /// hastctl output; its stack is told by its content unless -Stack names it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FromFile { get; set; }

    /// <summary>With -FromFile: the stack whose format the file is in (pacemaker, consul, hast), when its content does not tell.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Stack { get; set; }

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
        return ReadStatusFile(this, FromFile!, Stack);
    }

    /// <summary>A saved status file (relative to the current location), read by the stack <paramref name="stack"/> names or by
    /// the one whose format it is; a missing or unreadable one ends the command.</summary>
    internal static ClusterStatus ReadStatusFile(HaCmdlet cmdlet, string fromFile, string? stack)
    {
        var file = cmdlet.GetUnresolvedProviderPathFromPSPath(fromFile);
        if (!File.Exists(file)) cmdlet.Fail(ErrorClassifier.StatusFileNotFound, Msg.Format(Strings.StatusFileNotFound, file), file);
        try
        {
            return StackRegistry.Builtin.ReadStatusText(stack, File.ReadAllText(file), file);
        }
        catch (Exception e) when (IsReportable(e))
        {
            cmdlet.Report(e, file, terminate: true);
            throw Rethrow(e);
        }
    }
}
