using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Stacks.Hast;

namespace HaTools.Cli.Routes;

/// <summary>Verbs of one stack: Hare's CDF conversion (ConvertFrom-HareCdf), a consul cluster's KV and RC leader; HAST status, roles,
/// switchover and re-initialisation (Get-HastStatus, Set-HastRole, Switch-HastPrimary, Initialize-HastResource).</summary>
internal static class StackRoutes
{
    public static IEnumerable<Route> All => ConsulVerbs.Concat(new[]
    {
        new Route("consul", "import-cdf", "CDF", "a Hare CDF to a stack: consul cluster file (stdout without --out), Hare's rules checked first", 1, ImportCdf,
            Opt.Valued("out", "FILE", "write the cluster file here"), Opt.Valued("name", "NAME", "the cluster's name"), Opt.Flag("force", "overwrite --out")),
        new Route("hast", "hast-status", "", "HAST resources, one object per resource and node: read from both nodes (bounded), or from a saved 'hastctl list' or 'hastctl status' output (--from; no node is contacted)", 0, HastStatus,
            Opt.Valued("from", "FILE", "a saved hastctl output"), Opt.Valued("node", "NAME", "only this node (with --from: the node it was taken on)"), Opt.Cluster),
        new Route("hast", "hast-role", "RES primary|secondary|init", "set a HAST resource's role on one node and wait (bounded) until hastd switched; primary is refused while the peer is primary or unreadable (Set-HastRole)", 2, HastRole,
            Opt.Valued("node", "NAME", "the node whose role changes"), Opt.Flag("yes", "yes, change the role (it may interrupt the pool)"),
            HastForce, HastPeerDown, HastDeviceTimeout, Opt.Cluster),
        new Route("hast", "hast-switch", "NODE", "planned switchover to NODE: export, demote, promote, import, move CARP; stops with the pool on one node or none (Switch-HastPrimary)", 1, HastSwitch,
            HastForce, HastPeerDown, HastDeviceTimeout, Opt.Valued("peer-timeout", "S", "how long the old primary may take to let go (default failover.peer_timeout)"), Opt.Cluster),
        new Route("hast", "hast-init", "RES", "re-initialise a HAST resource on one node (role init + create); refused where the data may be the good copy unless --force (Initialize-HastResource)", 1, HastInit,
            Opt.Valued("node", "NAME", "the node whose copy is re-initialised"), Opt.Flag("yes", "yes, discard that node's HAST data"),
            Opt.Flag("force", "even where the node's data may be the good copy"), Opt.Cluster),
    });

    private static readonly Opt HastForce = Opt.Flag("force", "with --peer-down: go on although the peer cannot be read");
    private static readonly Opt HastPeerDown = Opt.Valued("peer-down", "NAME", "the peer, stated to be down (only with --force)");
    private static readonly Opt HastDeviceTimeout = Opt.Valued("device-timeout", "S", "how long to wait for /dev/hast/NAME (default failover.device_timeout)");

    private static RoleChangeOptions RoleOptions(Call c) => new RoleChangeOptions
    {
        Force = c.A.Flag("force"), PeerDown = c.A.Option("peer-down"),
        DeviceTimeout = c.Int("device-timeout", 3600) is { } d ? System.TimeSpan.FromSeconds(d) : null,
        PeerTimeout = c.Route.Path == "hast-switch" && c.Int("peer-timeout", 3600) is { } p ? System.TimeSpan.FromSeconds(p) : null,
    };

    private static string NodeOption(Call c) => c.A.Option("node") ?? throw c.Usage($"{c.Route.Path}: name the node with --node NAME");

    private static void Confirmed(Call c, string what)
    {
        if (!c.A.Flag("yes") && !c.Host.WhatIf) throw c.Usage($"{c.Route.Path} {what}: add --yes (or --what-if)");
    }

    private static async Task<int> HastRole(Call c)
    {
        var word = c.Positional(1, "ROLE");
        var role = word switch { "primary" => Core.Stacks.Hast.HastRole.Primary, "secondary" => Core.Stacks.Hast.HastRole.Secondary, "init" => Core.Stacks.Hast.HastRole.Init, _ => throw c.Usage($"hast-role: ROLE is primary, secondary or init, not '{word}'") };
        var node = NodeOption(c);
        var o = RoleOptions(c);
        Confirmed(c, "changes a HAST role");
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IRoleSwitching>().SetRoleAsync(ctx, c.Positional(0, "RES"), role, node, o, c.Host, c.Ct) });
        return 0;
    }

    private static async Task<int> HastSwitch(Call c)
    {
        var o = RoleOptions(c);
        var to = c.Positional(0, "NODE");
        using var ctx = c.Context();
        var r = await ctx.Require<IRoleSwitching>().SwitchPrimaryAsync(ctx, to, o, c.Host, c.Ct);
        c.Write(new[] { r });
        if (r.FailedStep != null) throw new Core.Model.ClusterStateException(r.Message, to);
        return 0;
    }

    private static async Task<int> HastInit(Call c)
    {
        var node = NodeOption(c);
        var o = new RoleChangeOptions { Force = c.A.Flag("force") };
        Confirmed(c, "discards the node's HAST data");
        using var ctx = c.Context();
        c.Write(new[] { await ctx.Require<IRoleSwitching>().InitializeResourceAsync(ctx, c.Positional(0, "RES"), node, o, c.Host, c.Ct) });
        return 0;
    }

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
