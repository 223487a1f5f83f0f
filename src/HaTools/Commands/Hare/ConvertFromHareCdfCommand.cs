using System;
using System.Management.Automation;
using HaTools.Core.Stacks.Hare;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Converts Hare's cluster description file (CDF) to the text of a stack: consul cluster file, with cfgen's
/// checks reported at once as file:line:col. Reads only: it writes no file and touches no node (ConvertFrom-* verbs
/// change nothing); the result's Yaml goes to a file with Out-File -NoClobber, or through hatools import-cdf --out.</summary>
[Cmdlet(VerbsData.ConvertFrom, "HareCdf")]
[OutputType(typeof(HareCdfConversion))]
public sealed class ConvertFromHareCdfCommand : HaCmdlet
{
    /// <summary>The CDF (Hare's cluster.yaml).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The cluster name. Default: the CDF's file name without its extension (and a -cdf suffix).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void EndProcessing()
    {
        var cdf = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            WriteObject(HareCdf.Convert(cdf, Name));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, cdf, terminate: true);
        }
    }
}
