using HaTools.Core.Stacks.Hast;

namespace HaTools.Cli;

/// <summary>hatools hast-status --from FILE [--node NAME] [--json]: a saved hastctl list or hastctl status output, one
/// object per resource (the same objects as Get-HastStatus -FromFile); no node is contacted.</summary>
internal static class HastStatusVerb
{
    public static int Run(Args a, bool json)
    {
        var from = a.Option("from") ?? throw new UsageException("hast-status --from FILE [--node NAME] [--json]: name a saved 'hastctl list' or 'hastctl status' output");
        if (!System.IO.File.Exists(from)) throw new Core.Model.HaException($"hastctl output file '{from}' was not found");
        var resources = HastStatusFile.Read(from, a.Option("node"));
        Output.Write(resources, json);
        foreach (var r in resources)
            foreach (var w in r.Warnings) System.Console.Error.WriteLine($"hatools: warning: {r.Resource}: {w}");
        return 0;
    }
}
