using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Input;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Cli.Routes;

/// <summary>The cluster as a whole: write, check, bring up, stop, tear down.</summary>
internal static class ClusterRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("cluster", "new", "NAME", "write a new cluster file (to stdout without --out)", 1, New,
            Opt.Valued("node", "N1=ADDR,N2=ADDR", "the nodes: NAME=ADDRESS, or NAME when the name is the address"),
            Opt.Valued("stack", "pacemaker", "the cluster stack"),
            Opt.Flag("two-node", "two-node quorum (corosync two_node)"),
            Opt.Valued("out", "FILE", "write the file here instead of stdout"),
            Opt.Flag("force", "overwrite an existing --out file")),
        new Route("cluster", "validate", "FILE", "check a cluster file offline (exit 1 when invalid)", 1, Validate),
        new Route("cluster", "test", "", "validation + live pre-flight of every node", 0, Test,
            Opt.Flag("force", "accept a running or leftover cluster on the nodes"), Opt.Cluster),
        new Route("cluster", "bootstrap", "FILE", "bring the cluster to what FILE declares (idempotent)", 1, Bootstrap,
            Opt.Flag("mkfs", "format the shared storage devices the file declares"),
            Opt.Flag("force", "override guards (existing filesystem, running cluster)")),
        new Route("cluster", "stop", "[RES]", "without RES: stop the cluster stack (all nodes, or --node); with RES: stop that resource", 1, Stop,
            Opt.Valued("node", "N1,N2", "the nodes whose stack to stop (without RES)"), Opt.Wait, Opt.Timeout, Opt.Force, Opt.Cluster),
        new Route("cluster", "teardown", "", "stop everything and remove the cluster configuration", 0, Teardown,
            Opt.Flag("yes", "yes, remove the cluster from every node"), Opt.Cluster),
    };

    private static Task<int> New(Call c)
    {
        var a = c.A;
        var name = c.Positional(0, "NAME");
        if (!Core.Transport.Names.IsValid(name)) throw c.Usage($"new: '{Core.Transport.Names.Printable(name)}' is not a valid cluster name");
        var spec = new ClusterSpec { Name = name };
        if (a.Option("stack") is { } stack)
            spec.Stack = Enum.TryParse<StackKind>(stack, true, out var k) && Enum.IsDefined(typeof(StackKind), k) && !char.IsDigit(stack[0])
                ? k : throw c.Usage($"unknown stack '{stack}'");
        var nodes = a.Option("node") ?? throw c.Usage("new needs --node NAME=ADDRESS[,NAME=ADDRESS...]");
        try
        {
            spec.Nodes.AddRange(InputConverters.Nodes(nodes.Split(','), null, n => $"new: --node '{n}' is not NAME=ADDRESS (a valid name, an address without spaces)", (x, y) => ""));
        }
        catch (ArgumentException e) { throw c.Usage(e.Message); }
        if (a.Flag("two-node")) spec.Quorum.TwoNode = true;
        var yaml = SpecWriter.ToYaml(spec);
        SpecLoader.LoadText(yaml, a.Option("out") ?? "(new)"); // the file we write must load
        var outFile = a.Option("out");
        if (outFile == null) { Console.Out.Write(yaml); return Task.FromResult(0); }
        if (File.Exists(outFile) && !a.Flag("force")) throw c.Usage($"{outFile} exists: add --force to overwrite it");
        if (c.Host.ShouldProcess(outFile, "write cluster file")) File.WriteAllText(outFile, yaml);
        return Task.FromResult(0);
    }

    private static Task<int> Validate(Call c)
    {
        var file = c.Positional(0, "FILE");
        var report = SpecLoader.Validate(file);
        if (c.Json) Output.Write(report.Problems, true);
        else foreach (var p in report.Problems) Console.Error.WriteLine(p.ToString());
        if (!c.Json && report.IsValid) Console.Out.WriteLine($"{file}: valid ({report.Spec!.Nodes.Count} nodes, {report.Spec.Resources.Count} resources)");
        return Task.FromResult(report.IsValid ? 0 : 1);
    }

    private static async Task<int> Test(Call c)
    {
        using var ctx = c.Context();
        var checks = await ctx.Stack.TestAsync(ctx, new TestOptions { Force = c.A.Flag("force") }, c.Host, c.Ct);
        c.Write(checks);
        return checks.Any(x => x.Severity == Severity.Error) ? 1 : 0;
    }

    private static async Task<int> Bootstrap(Call c)
    {
        using var ctx = c.Context(c.Positional(0, "FILE"));
        var options = new BootstrapOptions { Mkfs = c.A.Flag("mkfs"), Force = c.A.Flag("force") };
        if (c.Host.WhatIf)
        {
            c.Write(ctx.Stack.PlanBootstrap(ctx, options));
            return 0;
        }
        return Phases(await ctx.Stack.BootstrapAsync(ctx, options, c.Host, c.Ct), c);
    }

    private static async Task<int> Stop(Call c)
    {
        if (c.A.Positionals.Count > 0) return await ResourceRoutes.Act(c);
        if (c.A.Named.Any(n => n is "wait" or "timeout" or "force")) throw c.Usage("stop: --wait, --timeout and --force go with stop RES");
        using var ctx = c.Context();
        var nodes = c.A.Option("node")?.Split(',').Select(s => s.Trim()).ToList();
        return Phases(await ctx.Stack.StopClusterAsync(ctx, nodes, c.Host, c.Ct), c);
    }

    private static async Task<int> Teardown(Call c)
    {
        using var ctx = c.Context();
        if (!c.A.Flag("yes") && !c.Host.WhatIf) throw c.Usage("teardown removes the cluster from every node: add --yes (or --what-if)");
        return Phases(await ctx.Stack.RemoveClusterAsync(ctx, c.Host, c.Ct), c);
    }

    private static int Phases(IReadOnlyList<PhaseResult> phases, Call c)
    {
        c.Write(phases);
        return phases.Any(p => p.Status == PhaseStatus.Failed) ? 1 : 0;
    }
}
