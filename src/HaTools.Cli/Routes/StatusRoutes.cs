using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Cli.Routes;

/// <summary>Status (Get-HaStatus, Get-HaNode, Get-HaResource): the live cluster, or a saved status file of any stack.</summary>
internal static class StatusRoutes
{
    private static readonly Opt From = Opt.Valued("from", "FILE", "read a saved status file (crm_mon XML, hctl status, hastctl) instead of asking the cluster");
    private static readonly Opt Stack = Opt.Valued("stack", "NAME", "with --from: the stack whose format the file is in, when its content does not tell");

    public static IEnumerable<Route> All => new[]
    {
        new Route("status", "status", "", "cluster, nodes, resources", 0, Status, From, Stack, Opt.Cluster),
        new Route("status", "nodes", "", "just the nodes", 0, Status, From, Stack, Opt.Cluster),
        new Route("status", "resources", "", "just the resources", 0, Status, From, Stack, Opt.Cluster),
    };

    private static async Task<int> Status(Call c)
    {
        ClusterStatus s;
        var from = c.A.Option("from");
        if (from != null && c.A.Option("cluster") != null) throw c.Usage($"{c.Route.Path}: --from and --cluster exclude each other");
        if (c.A.Option("stack") != null && from == null) throw c.Usage($"{c.Route.Path}: --stack goes with --from");
        if (from != null) s = Core.Stacks.StackRegistry.Builtin.ReadStatusText(c.A.Option("stack"), File.ReadAllText(from), from);
        else { using var ctx = c.Context(); s = await ctx.Stack.GetStatusAsync(ctx, c.Ct); }
        if (c.Route.Path == "nodes") c.Write(s.Nodes);
        else if (c.Route.Path == "resources") c.Write(s.Resources);
        else c.WriteStatus(s);
        return 0;
    }
}
