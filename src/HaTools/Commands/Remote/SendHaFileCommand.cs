using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using HaTools.PowerShell.Completion;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>Pushes a local file to nodes atomically (temp file, mode, rename; backup of the replaced file; unchanged content is not rewritten).
/// The local file is -SourcePath because -Path is the cluster file everywhere. -WhatIf contacts no node.</summary>
[Cmdlet(VerbsCommunications.Send, "HaFile", SupportsShouldProcess = true)]
[OutputType(typeof(FilePushResult))]
public sealed class SendHaFileCommand : HaClusterCmdlet
{
    /// <summary>The local file (a literal path: no wildcards).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string SourcePath { get; set; } = "";

    /// <summary>Absolute path on the nodes.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidatePattern("^/")]
    public string Destination { get; set; } = "";

    /// <summary>The nodes; all when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FileNodeNameCompleter))]
    public string[]? Node { get; set; }

    /// <summary>Octal file mode.</summary>
    [Parameter]
    [ValidatePattern("^0?[0-7]{3}$")]
    public string Mode { get; set; } = "0644";

    /// <summary>user:group for the file; the remote user's when omitted.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_][A-Za-z0-9._-]*(:[A-Za-z0-9_][A-Za-z0-9._-]*)?$")]
    public string? Owner { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; }

    protected override void EndProcessing()
    {
        var context = Context;
        var source = GetUnresolvedProviderPathFromPSPath(SourcePath);
        if (!File.Exists(source)) Fail(ErrorClassifier.SourceFileNotFound, Msg.Format(Strings.SourceFileNotFound, source), source);
        var content = File.ReadAllBytes(source);
        var mode = Mode.Length == 3 ? "0" + Mode : Mode;
        var action = Msg.Format(Strings.SendFileAction, Destination, content.Length, mode);
        var nodes = SelectNodes(Node).Where(n => ShouldProcess(n.Name, action)).ToList();
        if (nodes.Count == 0) return;
        var file = new FileSpec(Destination, content, mode) { Owner = Owner };
        var options = new FanoutOptions { ThrottleLimit = ThrottleLimit > 0 ? ThrottleLimit : context.ThrottleLimit };
        var progress = Msg.Format(Strings.SendActivity, Destination, nodes.Count);
        if (TryRun((h, t) => new FilePusher(context.Runner).PushAsync(nodes, file, options, new FanoutProgressReporter(h, progress), false, t), Destination,
                out IReadOnlyList<FilePushResult> results))
            ResultWriter.Write(this, results);
    }
}
