using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HaTools.Core;

using HaTools.Core.Stacks;

namespace HaTools.Cli.Routes;

/// <summary>Constraints (Get-HaConstraint, New-HaConstraint, Remove-HaConstraint).</summary>
internal static class ConstraintRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("constraint", "constraints", "", "the cluster's constraints, those left by moves included (FromMove)", 0, List, Opt.Cluster),
        new Route("constraint", "constraint add", "TYPE RES TARGET",
            "add a location (RES on node TARGET), colocation (RES with TARGET) or order (RES then TARGET) constraint", 3, Add,
            Opt.Valued("score", "SCORE", "integer, INFINITY or -INFINITY (default INFINITY)"),
            Opt.Valued("kind", "KIND", "order kind: Mandatory (default), Optional or Serialize"),
            Opt.Valued("id", "ID", "the constraint id (generated when omitted)"), Opt.Cluster),
        new Route("constraint", "constraint remove", "ID", "delete a constraint", 1, Remove, Opt.Cluster),
    };

    private static async Task<int> List(Call c)
    {
        using var ctx = c.Context();
        c.Write(await ctx.Require<IConstraints>().GetConstraintsAsync(ctx, c.Ct));
        return 0;
    }

    private static async Task<int> Remove(Call c)
    {
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IConstraints>().RemoveConstraintAsync(ctx, c.Positional(1, "ID"), c.Host, c.Ct) });
        return 0;
    }

    /// <summary>As New-HaConstraint: score INFINITY, order kind Mandatory unless given.</summary>
    private static async Task<int> Add(Call c)
    {
        var type = c.Positional(1, "TYPE");
        if (!Enum.TryParse<ConstraintType>(type, true, out var t) || !Enum.IsDefined(typeof(ConstraintType), t) || char.IsDigit(type[0]))
            throw c.Usage($"constraint add: TYPE is location, colocation or order, not '{type}'");
        var kind = c.A.Option("kind");
        if (kind != null && t != ConstraintType.Order) throw c.Usage("constraint add: --kind goes with order constraints");
        if (kind != null)
            kind = Array.Find(new[] { "Mandatory", "Optional", "Serialize" }, k => k.Equals(kind, StringComparison.OrdinalIgnoreCase))
                ?? throw c.Usage($"constraint add: --kind is Mandatory, Optional or Serialize, not '{kind}'");
        var constraint = new ConstraintInfo
        {
            Id = c.A.Option("id") ?? "",
            Type = t,
            Resource = c.Positional(2, "RES"),
            Target = c.Positional(3, "TARGET"),
            Score = c.A.Option("score") ?? "INFINITY",
            Kind = t == ConstraintType.Order ? kind ?? "Mandatory" : "",
        };
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IConstraints>().NewConstraintAsync(ctx, constraint, c.Host, c.Ct) });
        return 0;
    }
}
