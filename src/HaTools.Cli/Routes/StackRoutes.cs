using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Stacks.Hast;

namespace HaTools.Cli.Routes;

/// <summary>Verbs of one stack: Hare's CDF conversion (ConvertFrom-HareCdf) and offline HAST status (Get-HastStatus -FromFile).</summary>
internal static class StackRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("consul", "import-cdf", "CDF", "a Hare CDF to a stack: consul cluster file (stdout without --out), Hare's rules checked first", 1, ImportCdf,
            Opt.Valued("out", "FILE", "write the cluster file here"), Opt.Valued("name", "NAME", "the cluster's name"), Opt.Flag("force", "overwrite --out")),
        new Route("hast", "hast-status", "", "HAST resources, one object per resource and node: read from both nodes (bounded), or from a saved 'hastctl list' or 'hastctl status' output (--from; no node is contacted)", 0, HastStatus,
            Opt.Valued("from", "FILE", "a saved hastctl output"), Opt.Valued("node", "NAME", "only this node (with --from: the node it was taken on)"), Opt.Cluster),
    };

    private static Task<int> ImportCdf(Call c)
    {
        var outFile = c.A.Option("out");
        if (outFile != null && File.Exists(outFile) && !c.A.Flag("force")) throw c.Usage($"{outFile} exists: add --force to overwrite it");
        var result = HareCdf.Convert(c.Positional(0, "CDF"), c.A.Option("name"));
        if (outFile == null) System.Console.Out.Write(result.Yaml);
        else if (c.Host.ShouldProcess(outFile, "write cluster file")) File.WriteAllText(outFile, result.Yaml, new UTF8Encoding(false));
        return Task.FromResult(0);
    }

    private static async Task<int> HastStatus(Call c)
    {
        var from = c.A.Option("from");
        IReadOnlyList<HastResourceStatus> resources;
        if (from == null)
        {
            using var ctx = c.Context();
            resources = await HastStack.ReadResourcesAsync(ctx, c.A.Option("node"), c.Ct);
        }
        else
        {
            if (c.A.Option("cluster") != null) throw c.Usage("hast-status: --from reads a saved output; --cluster asks the nodes: give one of them");
            if (!File.Exists(from)) throw new Core.Model.HaException($"hastctl output file '{from}' was not found");
            resources = HastStatusFile.Read(from, c.A.Option("node"));
        }
        c.Write(resources);
        foreach (var r in resources)
            foreach (var w in r.Warnings) System.Console.Error.WriteLine($"hatools: warning: {r.Resource}: {w}");
        foreach (var why in resources.Where(r => r.Unreadable != null).Select(r => r.Unreadable).Distinct())
            System.Console.Error.WriteLine($"hatools: warning: {why}");
        return 0;
    }
}
