using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Model;

using HaTools.Core.Stacks;

namespace HaTools.Cli.Routes;

/// <summary>Cluster properties (Get-HaProperty, Set-HaProperty).</summary>
internal static class PropertyRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("property", "property", "[NAME]", "cluster properties, resource and operation defaults (one with NAME)", 1, Get, Opt.Cluster),
        new Route("property", "property set", "NAME VALUE", "set a cluster property", 2, Set, Opt.Cluster),
        new Route("property", "property unset", "NAME", "delete a cluster property (back to Pacemaker's default)", 1, Set, Opt.Cluster),
    };

    private static async Task<int> Get(Call c)
    {
        using var ctx = c.Context();
        var props = await ctx.Require<IClusterProperties>().GetPropertiesAsync(ctx, c.Ct);
        var name = c.A.Positionals.Count > 0 ? c.A.Positionals[0] : null;
        var selected = props.Where(p => name == null || p.Name == name).ToList();
        // As Get-HaProperty NAME: a name that matches nothing is an error (PropertyNotFound), not an empty table.
        if (name != null && selected.Count == 0) throw new NotFoundException($"no property '{name}' is set in cluster '{ctx.Spec.Name}'", name);
        c.Write(selected);
        return 0;
    }

    private static async Task<int> Set(Call c)
    {
        using var ctx = c.Context();
        var value = c.Route.Path == "property set" ? c.Positional(2, "VALUE") : null;
        var p = await ctx.Require<IClusterProperties>().SetPropertyAsync(ctx, c.Positional(1, "NAME"), value, c.Host, c.Ct);
        c.Write(new[] { p });
        return 0;
    }
}
