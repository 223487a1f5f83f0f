using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Input;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Cli.Routes;

/// <summary>Commands and files on nodes (Invoke-HaCommand, Send-HaFile).</summary>
internal static class RemoteRoutes
{
    public static IEnumerable<Route> All => new[]
    {
        new Route("remote", "exec", "(--node N1,N2 | --all) -- CMD [ARG...]", "run one command (an argv, no shell) on nodes in parallel", 0, Exec,
            Opt.Valued("node", "N1,N2", "the nodes"), Opt.Flag("all", "every node"),
            Opt.Valued("timeout", "S", "per-node timeout, 1-86400 seconds (default 60)"),
            Opt.Valued("throttle", "N", "nodes at once, 1-1024 (default 32)"),
            Opt.Flag("skip-offline", "probe first and skip nodes that do not answer"), Opt.Cluster),
        new Route("remote", "push", "(--node N1,N2 | --all) --source LOCAL --dest PATH", "push a file atomically (unchanged content is not rewritten)", 0, Push,
            Opt.Valued("node", "N1,N2", "the nodes"), Opt.Flag("all", "every node"),
            Opt.Valued("source", "LOCAL", "the local file"), Opt.Valued("dest", "PATH", "absolute path on the nodes"),
            Opt.Valued("mode", "0644", "octal file mode"), Opt.Valued("owner", "USER[:GROUP]", "owner of the file (the remote user's when omitted)"),
            Opt.Valued("throttle", "N", "nodes at once, 1-1024 (default 32)"), Opt.Cluster),
    };

    private static async Task<int> Exec(Call c)
    {
        var cmd = c.A.Rest;
        if (cmd.Count == 0) throw c.Usage("exec needs a command after --");
        var request = new CommandRequest(cmd, TimeSpan.FromSeconds(c.Int("timeout", 86400) ?? 60));
        var throttle = c.Int("throttle", 1024);
        using var ctx = c.Context();
        // As Invoke-HaCommand -WhatIf: say what would run where, run nothing.
        var nodes = c.Targets(ctx).Where(n => c.Host.ShouldProcess(n.Name, $"run {request.Display}")).ToList();
        if (nodes.Count == 0) return 0;
        var options = new FanoutOptions { ThrottleLimit = throttle ?? ctx.ThrottleLimit, SkipOffline = c.A.Flag("skip-offline") };
        var results = await Fanout.RunCommandAsync(ctx.Runner, nodes, request, options, c.Host.FanoutProgress($"Running {request.Display} on {nodes.Count} node(s)"), c.Ct);
        c.Write(results);
        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    private static async Task<int> Push(Call c)
    {
        var src = c.A.Option("source") ?? throw c.Usage("push needs --source");
        var dest = c.A.Option("dest") ?? throw c.Usage("push needs --dest");
        if (!dest.StartsWith("/", StringComparison.Ordinal)) throw c.Usage($"push: --dest '{dest}' is not an absolute path");
        var mode = InputConverters.FileMode(c.A.Option("mode") ?? "0644") ?? throw c.Usage($"push: --mode '{c.A.Option("mode")}' is not an octal mode such as 0644");
        var throttle = c.Int("throttle", 1024);
        using var ctx = c.Context();
        var targets = c.Targets(ctx);
        var file = new FileSpec(dest, File.ReadAllBytes(src), mode) { Owner = c.A.Option("owner") };
        var results = await new FilePusher(ctx.Runner).PushAsync(targets, file,
            new FanoutOptions { ThrottleLimit = throttle ?? ctx.ThrottleLimit }, c.Host.FanoutProgress($"Pushing {dest} to {targets.Count} node(s)"), c.Host.WhatIf, c.Ct);
        c.Write(results);
        return results.All(r => r.Status != FileChange.Failed) ? 0 : 1;
    }
}
