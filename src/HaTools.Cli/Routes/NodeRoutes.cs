using System.Collections.Generic;
using System.Threading.Tasks;
using HaTools.Core;

using HaTools.Core.Stacks;

namespace HaTools.Cli.Routes;

/// <summary>Nodes: standby on and off (Suspend-HaNode, Resume-HaNode).</summary>
internal static class NodeRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("node", "standby", "NODE", "put a node in standby: its resources move away", 1, Standby, Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("node", "unstandby", "NODE", "take a node out of standby", 1, Standby, Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
    };

    private static async Task<int> Standby(Call c)
    {
        var o = c.Action(new ActionOptions());
        var node = c.Positional(0, "NODE");
        using var ctx = c.Context();
        var r = await ctx.Require<INodeStandby>().SetNodeStandbyAsync(ctx, node, c.Route.Path == "standby", o, c.Host, c.Ct);
        c.Write(new[] { r });
        return 0;
    }
}
