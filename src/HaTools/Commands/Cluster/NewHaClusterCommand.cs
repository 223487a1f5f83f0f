using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using HaTools.PowerShell.Infrastructure;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Commands;

/// <summary>Writes a new cluster file (cluster.yaml) from names and addresses. Touches no node.</summary>
[Cmdlet(VerbsCommon.New, "HaCluster", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewHaClusterCommand : HaCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = "";

    /// <summary>NAME=ADDRESS, or NAME (then -Address, else the name is the address).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Node { get; set; } = Array.Empty<string>();

    [Parameter]
    public string[]? Address { get; set; }

    [Parameter]
    public StackKind Stack { get; set; } = StackKind.Pacemaker;

    [Parameter]
    public SwitchParameter TwoNode { get; set; }

    /// <summary>The file to write. Default: $env:HATOOLS_CLUSTER, else ./cluster.yaml.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var file = GetUnresolvedProviderPathFromPSPath(ClusterFileLocator.Choose(Path));
        if (!Names.IsValid(Name)) Fail(ErrorClassifier.ArgumentInvalid, Msg.Format(Strings.ClusterNameInvalid, Names.Printable(Name)), Name);
        if (File.Exists(file) && !Force) Fail(ErrorClassifier.ClusterFileExists, Msg.Format(Strings.ClusterFileExists, file), file);
        string yaml;
        var spec = new ClusterSpec { Name = Name, Stack = Stack, SourceFile = file };
        try
        {
            spec.Nodes.AddRange(InputConverters.Nodes(Node, Address,
                n => Msg.Format(Strings.NodeArgumentInvalid, n), (a, n) => Msg.Format(Strings.AddressCountMismatch, a, n)));
            if (TwoNode) spec.Quorum.TwoNode = true;
            yaml = SpecWriter.ToYaml(spec);
            SpecLoader.LoadText(yaml, file); // what we write must read back
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, file, terminate: true);
            throw Rethrow(e);
        }
        if (!ShouldProcess(file, Msg.Format(Strings.NewClusterAction, Name, spec.Nodes.Count))) return;
        try
        {
            File.WriteAllText(file, yaml, new UTF8Encoding(false));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, file, terminate: true);
        }
        WriteObject(new FileInfo(file));
    }
}
