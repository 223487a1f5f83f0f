using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Stacks.Hast;

namespace HaTools.Cli.Routes;

/// <summary>Verbs of one stack: Hare's CDF conversion (ConvertFrom-HareCdf), a consul cluster's KV and RC leader, and
/// offline HAST status (Get-HastStatus -FromFile).</summary>
internal static class StackRoutes
{
    public static IEnumerable<Route> All => ConsulVerbs.Concat(new[]
    {
        new Route("consul", "import-cdf", "CDF", "a Hare CDF to a stack: consul cluster file (stdout without --out), Hare's rules checked first", 1, ImportCdf,
            Opt.Valued("out", "FILE", "write the cluster file here"), Opt.Valued("name", "NAME", "the cluster's name"), Opt.Flag("force", "overwrite --out")),
        new Route("hast", "hast-status", "", "a saved 'hastctl list' or 'hastctl status' output, one object per resource; no node is contacted", 0, HastStatus,
            Opt.Valued("from", "FILE", "the saved hastctl output"), Opt.Valued("node", "NAME", "the node it was taken on")),
    });

    private static Task<int> ImportCdf(Call c)
    {
        var outFile = c.A.Option("out");
        if (outFile != null && File.Exists(outFile) && !c.A.Flag("force")) throw c.Usage($"{outFile} exists: add --force to overwrite it");
        var result = HareCdf.Convert(c.Positional(0, "CDF"), c.A.Option("name"));
        if (outFile == null) System.Console.Out.Write(result.Yaml);
        else if (c.Host.ShouldProcess(outFile, "write cluster file")) File.WriteAllText(outFile, result.Yaml, new UTF8Encoding(false));
        return Task.FromResult(0);
    }

    private static Task<int> HastStatus(Call c)
    {
        var from = c.A.Option("from") ?? throw c.Usage("hast-status: name a saved 'hastctl list' or 'hastctl status' output with --from FILE");
        if (!File.Exists(from)) throw new Core.Model.HaException($"hastctl output file '{from}' was not found");
        var resources = HastStatusFile.Read(from, c.A.Option("node"));
        c.Write(resources);
        foreach (var r in resources)
            foreach (var w in r.Warnings) System.Console.Error.WriteLine($"hatools: warning: {r.Resource}: {w}");
        return Task.FromResult(0);
    }

    // --- stack: consul (Hare): the KV and the RC leader ---

    private static readonly Route[] ConsulVerbs =
    {
        new Route("consul", "kv", "[PREFIX]", "the keys of the cluster's key-value store under PREFIX (all without it), with their values", 1, KvGet, Opt.Cluster),
        new Route("consul", "kv set", "KEY VALUE", "write a key (with --cas N only if its ModifyIndex is N; 0: only if it does not exist)", 2, KvSet,
            Opt.Valued("cas", "N", "compare-and-set on the key's ModifyIndex"), Opt.Cluster),
        new Route("consul", "kv rm", "KEY", "remove one key", 1, KvRemove, Opt.Cluster),
        new Route("consul", "leader", "", "the RC leader: who holds the 'leader' key's lock, its session and the checks it is bound to", 0, Leader, Opt.Cluster),
    };

    private static async Task<int> KvGet(Call c)
    {
        using var ctx = c.Context();
        c.Write(await ctx.Require<IKeyValueStore>().GetKeysAsync(ctx, c.A.Positionals.Count > 0 ? c.A.Positionals[0] : "", c.Ct));
        return 0;
    }

    private static async Task<int> KvSet(Call c)
    {
        long? cas = c.A.Option("cas") is { } n ? (long.TryParse(n, out var i) && i >= 0 ? i : throw c.Usage("kv set: --cas takes a ModifyIndex (a whole number, 0 or more)")) : null;
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IKeyValueStore>().SetKeyAsync(ctx, c.Positional(1, "KEY"), c.Positional(2, "VALUE"), cas, c.Host, c.Ct) });
        return 0;
    }

    private static async Task<int> KvRemove(Call c)
    {
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IKeyValueStore>().RemoveKeyAsync(ctx, c.Positional(1, "KEY"), c.Host, c.Ct) });
        return 0;
    }

    private static async Task<int> Leader(Call c)
    {
        using var ctx = c.Context();
        var consul = ctx.Stack as ConsulStack ?? throw new StackCapabilityMissingException(ctx.Stack.Name, "RC leader", ctx.Spec.Name);
        c.Write(new[] { await consul.GetRcLeaderAsync(ctx, c.Ct) });
        return 0;
    }
}
