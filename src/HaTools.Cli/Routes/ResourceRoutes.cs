using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Input;
using HaTools.Core.Spec;

using HaTools.Core.Stacks;

namespace HaTools.Cli.Routes;

/// <summary>Resources: move, start/stop/restart, clean up, add, remove (the Move-/Start-/…-HaResource cmdlets).</summary>
internal static class ResourceRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("resource", "move", "RES NODE", "move a resource to a node (without --lifetime the move constraint is removed when done)", 2, Move,
            Opt.Valued("lifetime", "PT1H", "keep the move constraint this long (ISO 8601 duration); it then expires by itself"),
            Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("resource", "start", "RES", "start a resource (target-role Started)", 1, Act, Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("resource", "restart", "RES", "restart a resource where it runs", 1, Act, Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("resource", "cleanup", "RES", "clean up failures and fail counts", 1, Cleanup,
            Opt.Valued("node", "N", "on this node only"), Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("resource", "resource add", "NAME AGENT [key=value ...]",
            "add a primitive; without a monitor --op it gets monitor interval 10s timeout 20s (as pcs and New-HaResource)", -1, Add,
            Opt.Many("meta", "KEY=VALUE", "a meta attribute (repeatable)"),
            Opt.Many("op", "name=N,interval=I[,timeout=T][,role=R]", "an operation (repeatable)"),
            Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("resource", "resource remove", "NAME", "stop a resource and delete it with the constraints that name it", 1, Remove,
            Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
    };

    private static async Task<int> Move(Call c)
    {
        var o = c.Action(new MoveOptions { Lifetime = Lifetime(c) });
        using var ctx = c.Context();
        var r = await ctx.Require<IResourceControl>().MoveResourceAsync(ctx, c.Positional(0, "RES"), c.Positional(1, "NODE"), o, c.Host, c.Ct);
        c.Write(new[] { r });
        return 0;
    }

    /// <summary>--lifetime as Move-HaResource -Lifetime sends it: an ISO 8601 duration, written the way XmlConvert
    /// writes the cmdlet's TimeSpan, so both fronts give crm_resource the same text.</summary>
    private static string? Lifetime(Call c)
    {
        var v = c.A.Option("lifetime");
        if (v == null) return null;
        try
        {
            var span = System.Xml.XmlConvert.ToTimeSpan(v);
            if (span > System.TimeSpan.Zero) return System.Xml.XmlConvert.ToString(span);
        }
        catch (System.FormatException) { }
        throw c.Usage($"move: --lifetime '{v}' is not a positive ISO 8601 duration such as PT1H or PT30M");
    }

    /// <summary>start, stop RES and restart.</summary>
    public static async Task<int> Act(Call c)
    {
        var o = c.Action(new ActionOptions());
        var res = c.Positional(0, "RES");
        using var ctx = c.Context();
        var r = c.Route.Path switch
        {
            "start" => await ctx.Require<IResourceControl>().StartResourceAsync(ctx, res, o, c.Host, c.Ct),
            "stop" => await ctx.Require<IResourceControl>().StopResourceAsync(ctx, res, o, c.Host, c.Ct),
            _ => await ctx.Require<IResourceControl>().RestartResourceAsync(ctx, res, o, c.Host, c.Ct),
        };
        c.Write(new[] { r });
        return 0;
    }

    private static async Task<int> Cleanup(Call c)
    {
        var o = c.Action(new ActionOptions());
        var res = c.Positional(0, "RES");
        using var ctx = c.Context();
        var r = await ctx.Require<IResourceControl>().ClearResourceAsync(ctx, res, c.A.Option("node"), o, c.Host, c.Ct);
        c.Write(new[] { r });
        return 0;
    }

    private static async Task<int> Remove(Call c)
    {
        var o = c.Action(new ActionOptions());
        var name = c.Positional(1, "NAME");
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IResourceConfig>().RemoveResourceAsync(ctx, name, o, c.Host, c.Ct) });
        return 0;
    }

    private static async Task<int> Add(Call c)
    {
        var spec = Primitive(c);
        var o = c.Action(new ActionOptions());
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IResourceConfig>().NewResourceAsync(ctx, spec, o, c.Host, c.Ct) });
        return 0;
    }

    /// <summary>resource add's words as New-HaResource's parameters, through the same converters and builder.</summary>
    internal static PrimitiveSpec Primitive(Call c)
    {
        var name = c.Positional(1, "NAME");
        var agent = c.Positional(2, "AGENT");
        try
        {
            var parameters = InputConverters.KeyValues(c.A.Positionals.Skip(3), w => $"parameter '{w}' is not key=value");
            var meta = InputConverters.KeyValues(c.A.Options("meta"), w => $"--meta '{w}' is not key=value");
            var ops = c.A.Options("op").Select((w, i) => InputConverters.Operation(w, i, (n, why) => $"--op #{n + 1}: {why}", k => $"unknown key '{k}'")).ToList();
            return ResourceRequest.Build(name, agent, parameters, meta, ops, (p, k) => $"{p} {k} has no value");
        }
        catch (System.ArgumentException e) { throw c.Usage(e.Message); }
    }
}
