using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Cli;

/// <summary>hatools: a thin console front over HaTools.Core for machines without pwsh. Same objects as the cmdlets.</summary>
public static class Program
{
    private const string Usage = @"usage: hatools <verb> [options]

Cluster file: --cluster FILE, else $HATOOLS_CLUSTER, else ./cluster.yaml.  Output: a table, or JSON with --json.
  new NAME --node N1=ADDR,N2=ADDR [--stack pacemaker] [--two-node] [--out FILE] [--force]
                                         write a new cluster file (to stdout without --out)
" + ImportCdf.Usage + @"
  validate FILE                          check a cluster file offline (exit 1 when invalid)
  test [--force]                         validation + live pre-flight of every node
  bootstrap FILE [--mkfs] [--force] [--what-if]
                                         bring the cluster to what FILE declares (idempotent)
  status [--from crm_mon.xml]            cluster, nodes, resources
  nodes | resources                      just the nodes / resources
  exec (--node N1,N2 | --all) [--timeout S] [--throttle N] [--skip-offline] -- CMD [ARG...]
  push (--node N1,N2 | --all) --source LOCAL --dest PATH [--mode 0644] [--what-if]
  move RES NODE [--lifetime PT1H] [--wait] [--timeout S] [--force]
  start|stop|restart RES [--wait] [--timeout S] [--force]
  cleanup RES [--node N]
  standby NODE [--wait] | unstandby NODE
  property [NAME] | property set NAME VALUE | property unset NAME
  constraints | constraint remove ID
  resource add NAME AGENT [key=value ...] | resource remove NAME
  stop [--node N1,N2]                    stop the cluster stack
  teardown --yes                         stop everything and remove the cluster configuration
Common: --json --what-if --verbose --quiet
  --wait-for-lock S                      a change waits up to S seconds for another operator's cluster lock (default: refuse)";

    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        var json = Array.IndexOf(args, "--json") is var j && j >= 0 && (Array.IndexOf(args, "--") is var dd && (dd < 0 || j < dd));
        try
        {
            return RunAsync(args, cts.Token).GetAwaiter().GetResult();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("hatools: " + e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (SpecException e)
        {
            if (json) return Output.WriteError(e);
            foreach (var p in e.Problems) Console.Error.WriteLine(p.ToString());
            return ErrorCodes.ExitCode(ErrorCodes.Classify(e));
        }
        catch (HaException e)
        {
            if (json) return Output.WriteError(e);
            Console.Error.WriteLine("hatools: error: " + e.Message);
            return ErrorCodes.ExitCode(ErrorCodes.Classify(e));
        }
        catch (OperationCanceledException e)
        {
            if (json) return Output.WriteError(e);
            Console.Error.WriteLine("hatools: cancelled");
            return ErrorCodes.ExitCode(ErrorCodes.Classify(e));
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
        {
            // Files named on the command line (--from, --source): one line, not a stack trace.
            if (json) return Output.WriteError(e);
            Console.Error.WriteLine("hatools: error: " + e.Message);
            return ErrorCodes.ExitCode(ErrorCodes.Classify(e));
        }
    }

    private static async Task<int> RunAsync(string[] argv, CancellationToken ct)
    {
        var a = Args.Parse(argv);
        var host = new ConsoleHost { WhatIf = a.Flag("what-if"), Verbose = a.Flag("verbose"), Quiet = a.Flag("quiet") };
        var json = a.Flag("json");
        if (a.Flag("help")) { Console.Out.WriteLine(Usage); return 0; }
        switch (a.Verb)
        {
            case "" or "help" or "-h" or "--help":
                Console.Out.WriteLine(Usage);
                return 0;
            case "validate":
            {
                var report = SpecLoader.Validate(a.Positional(0, "FILE"));
                if (json) Output.Write(report.Problems, true);
                else foreach (var p in report.Problems) Console.Error.WriteLine(p.ToString());
                if (!json && report.IsValid) Console.Out.WriteLine($"{a.Positional(0, "FILE")}: valid ({report.Spec!.Nodes.Count} nodes, {report.Spec.Resources.Count} resources)");
                return report.IsValid ? 0 : 1;
            }
            case "bootstrap":
            {
                using var ctx = Context(a, a.Positional(0, "FILE"));
                var options = new BootstrapOptions { Mkfs = a.Flag("mkfs"), Force = a.Flag("force") };
                if (host.WhatIf)
                {
                    Output.Write(ctx.Stack.PlanBootstrap(ctx, options), json);
                    return 0;
                }
                var phases = await ctx.Stack.BootstrapAsync(ctx, options, host, ct);
                Output.Write(phases, json);
                return phases.Any(p => p.Status == PhaseStatus.Failed) ? 1 : 0;
            }
            case "test":
            {
                using var ctx = Context(a);
                var checks = await ctx.Stack.TestAsync(ctx, new TestOptions { Force = a.Flag("force") }, host, ct);
                Output.Write(checks, json);
                return checks.Any(c => c.Severity == Severity.Error) ? 1 : 0;
            }
            case "status" or "nodes" or "resources":
            {
                ClusterStatus s;
                var from = a.Option("from");
                if (from != null) s = StackRegistry.Builtin.ReadStatusText(Core.Pacemaker.PacemakerProvider.StackName, File.ReadAllText(from));
                else { using var ctx = Context(a); s = await ctx.Stack.GetStatusAsync(ctx, ct); }
                if (a.Verb == "nodes") Output.Write(s.Nodes, json);
                else if (a.Verb == "resources") Output.Write(s.Resources, json);
                else Output.WriteStatus(s, json);
                return 0;
            }
            case "exec":
            {
                using var ctx = Context(a);
                var cmd = a.Rest;
                if (cmd.Count == 0) throw new UsageException("exec needs a command after --");
                var timeout = TimeSpan.FromSeconds(a.Int("timeout") ?? 60);
                var results = await Fanout.RunCommandAsync(ctx.Runner, Targets(a, ctx), new CommandRequest(cmd, timeout),
                    new FanoutOptions { ThrottleLimit = a.Int("throttle") ?? 32, SkipOffline = a.Flag("skip-offline") }, null, ct);
                Output.Write(results, json);
                return results.All(r => r.Succeeded) ? 0 : 1;
            }
            case "push":
            {
                using var ctx = Context(a);
                var src = a.Option("source") ?? throw new UsageException("push needs --source");
                var dest = a.Option("dest") ?? throw new UsageException("push needs --dest");
                var file = new FileSpec(dest, File.ReadAllBytes(src), a.Option("mode") ?? "0644");
                var results = await new FilePusher(ctx.Runner).PushAsync(Targets(a, ctx), file,
                    new FanoutOptions { ThrottleLimit = a.Int("throttle") ?? 32 }, null, host.WhatIf, ct);
                Output.Write(results, json);
                return results.All(r => r.Status != FileChange.Failed) ? 0 : 1;
            }
            case "move":
            {
                using var ctx = Context(a);
                var o = new MoveOptions { Lifetime = a.Option("lifetime") };
                Action(a, o);
                var r = await ctx.Require<IResourceControl>().MoveResourceAsync(ctx, a.Positional(0, "RES"), a.Positional(1, "NODE"), o, host, ct);
                Output.Write(new[] { r }, json);
                return 0;
            }
            case "start" or "stop" when a.Verb == "start" || a.Positionals.Count > 0:
            case "restart":
            {
                using var ctx = Context(a);
                var o = Action(a, new ActionOptions());
                var res = a.Positional(0, "RES");
                var r = a.Verb switch
                {
                    "start" => await ctx.Require<IResourceControl>().StartResourceAsync(ctx, res, o, host, ct),
                    "stop" => await ctx.Require<IResourceControl>().StopResourceAsync(ctx, res, o, host, ct),
                    _ => await ctx.Require<IResourceControl>().RestartResourceAsync(ctx, res, o, host, ct),
                };
                Output.Write(new[] { r }, json);
                return 0;
            }
            case "stop":
            {
                using var ctx = Context(a);
                var nodes = a.Option("node")?.Split(',').Select(s => s.Trim()).ToList();
                var phases = await ctx.Stack.StopClusterAsync(ctx, nodes, host, ct);
                Output.Write(phases, json);
                return phases.Any(p => p.Status == PhaseStatus.Failed) ? 1 : 0;
            }
            case "cleanup":
            {
                using var ctx = Context(a);
                var r = await ctx.Require<IResourceControl>().ClearResourceAsync(ctx, a.Positional(0, "RES"), a.Option("node"), Action(a, new ActionOptions()), host, ct);
                Output.Write(new[] { r }, json);
                return 0;
            }
            case "standby" or "unstandby":
            {
                using var ctx = Context(a);
                var r = await ctx.Require<INodeStandby>().SetNodeStandbyAsync(ctx, a.Positional(0, "NODE"), a.Verb == "standby", Action(a, new ActionOptions()), host, ct);
                Output.Write(new[] { r }, json);
                return 0;
            }
            case "property":
            {
                using var ctx = Context(a);
                if (a.Positionals.Count >= 2 && a.Positionals[0] is "set" or "unset")
                {
                    var value = a.Positionals[0] == "set" ? a.Positional(2, "VALUE") : null;
                    var p = await ctx.Require<IClusterProperties>().SetPropertyAsync(ctx, a.Positional(1, "NAME"), value, host, ct);
                    Output.Write(new[] { p }, json);
                    return 0;
                }
                var props = await ctx.Require<IClusterProperties>().GetPropertiesAsync(ctx, ct);
                var name = a.Positionals.Count > 0 ? a.Positionals[0] : null;
                Output.Write(props.Where(p => name == null || p.Name == name), json);
                return 0;
            }
            case "constraints":
            {
                using var ctx = Context(a);
                Output.Write(await ctx.Require<IConstraints>().GetConstraintsAsync(ctx, ct), json);
                return 0;
            }
            case "constraint":
            {
                using var ctx = Context(a);
                if (a.Positional(0, "remove") != "remove") throw new UsageException("constraint remove ID");
                Output.Write(new[] { await ctx.Require<IConstraints>().RemoveConstraintAsync(ctx, a.Positional(1, "ID"), host, ct) }, json);
                return 0;
            }
            case "resource":
            {
                using var ctx = Context(a);
                var sub = a.Positional(0, "add|remove");
                if (sub == "remove")
                {
                    Output.Write(new[] { await ctx.Require<IResourceConfig>().RemoveResourceAsync(ctx, a.Positional(1, "NAME"), Action(a, new ActionOptions()), host, ct) }, json);
                    return 0;
                }
                if (sub != "add") throw new UsageException("resource add|remove");
                var spec = new PrimitiveSpec { Name = a.Positional(1, "NAME"), Agent = a.Positional(2, "AGENT") };
                foreach (var kv in a.Positionals.Skip(3))
                {
                    var i = kv.IndexOf('=');
                    if (i <= 0) throw new UsageException($"parameter '{kv}' is not key=value");
                    spec.Params[kv.Substring(0, i)] = kv.Substring(i + 1);
                }
                spec.Ops.Add(new OperationSpec { Name = "monitor", Interval = "10s", Timeout = "20s" });
                Output.Write(new[] { await ctx.Require<IResourceConfig>().NewResourceAsync(ctx, spec, Action(a, new ActionOptions()), host, ct) }, json);
                return 0;
            }
            case "import-cdf": return ImportCdf.Run(a, host);
            case "new":
            {
                var spec = new ClusterSpec { Name = a.Positional(0, "NAME") };
                if (a.Option("stack") is { } stack)
                    spec.Stack = Enum.TryParse<StackKind>(stack, true, out var k) ? k : throw new UsageException($"unknown stack '{stack}'");
                var nodes = a.Option("node") ?? throw new UsageException("new needs --node NAME=ADDRESS[,NAME=ADDRESS...]");
                foreach (var n in nodes.Split(','))
                {
                    var i = n.IndexOf('=');
                    spec.Nodes.Add(i > 0 ? new NodeSpec { Name = n.Substring(0, i).Trim(), Address = n.Substring(i + 1).Trim() } : new NodeSpec { Name = n.Trim(), Address = n.Trim() });
                }
                if (a.Flag("two-node")) spec.Quorum.TwoNode = true;
                var yaml = SpecWriter.ToYaml(spec);
                SpecLoader.LoadText(yaml, a.Option("out") ?? "(new)"); // the file we write must load
                var outFile = a.Option("out");
                if (outFile == null) { Console.Out.Write(yaml); return 0; }
                if (File.Exists(outFile) && !a.Flag("force")) throw new UsageException($"{outFile} exists: add --force to overwrite it");
                if (host.ShouldProcess(outFile, "write cluster file")) File.WriteAllText(outFile, yaml);
                return 0;
            }
            case "teardown":
            {
                using var ctx = Context(a);
                if (!a.Flag("yes") && !host.WhatIf) throw new UsageException("teardown removes the cluster from every node: add --yes (or --what-if)");
                var phases = await ctx.Stack.RemoveClusterAsync(ctx, host, ct);
                Output.Write(phases, json);
                return phases.Any(p => p.Status == PhaseStatus.Failed) ? 1 : 0;
            }
            case "hast-status": return HastStatusVerb.Run(a, json);
            default:
                throw new UsageException($"unknown verb '{a.Verb}'");
        }
    }

    private static ActionOptions Action(Args a, ActionOptions o)
    {
        o.Wait = a.Flag("wait");
        o.Force = a.Flag("force");
        if (a.Int("timeout") is { } t) o.Timeout = TimeSpan.FromSeconds(t);
        return o;
    }

    private static ClusterContext Context(Args a, string? file = null)
    {
        file ??= a.Option("cluster") ?? Environment.GetEnvironmentVariable("HATOOLS_CLUSTER");
        if (string.IsNullOrEmpty(file)) file = "cluster.yaml";
        var ctx = ClusterContext.FromFile(file!);
        ctx.Lock = ctx.Lock! with { Wait = TimeSpan.FromSeconds(a.Int("wait-for-lock") ?? 0), WhatIf = a.Flag("what-if") };
        return ctx;
    }

    private static IReadOnlyList<NodeTarget> Targets(Args a, ClusterContext ctx)
    {
        if (a.Flag("all")) return ctx.Nodes;
        var names = a.Option("node") ?? throw new UsageException("name the nodes with --node N1,N2 or use --all");
        return names.Split(',').Select(n => ctx.Node(n.Trim())).ToList();
    }
}

internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}

/// <summary>verb, --flags, --key value options, positionals, and everything after "--" verbatim.</summary>
internal sealed class Args
{
    private static readonly HashSet<string> Flags = new HashSet<string>
        { "json", "what-if", "verbose", "quiet", "all", "wait", "force", "mkfs", "yes", "skip-offline", "two-node", "help" };

    private readonly Dictionary<string, string> _options = new Dictionary<string, string>();
    private readonly HashSet<string> _flags = new HashSet<string>();

    public string Verb { get; private set; } = "";
    public List<string> Positionals { get; } = new List<string>();
    public List<string> Rest { get; } = new List<string>();

    public static Args Parse(string[] argv)
    {
        var a = new Args();
        for (var i = 0; i < argv.Length; i++)
        {
            var s = argv[i];
            if (s == "--") { a.Rest.AddRange(argv.Skip(i + 1)); break; }
            if (s.StartsWith("--", StringComparison.Ordinal) && s.Length > 2)
            {
                var key = s.Substring(2);
                var eq = key.IndexOf('=');
                if (eq > 0) { a._options[key.Substring(0, eq)] = key.Substring(eq + 1); continue; }
                if (Flags.Contains(key)) { a._flags.Add(key); continue; }
                if (i + 1 >= argv.Length) throw new UsageException($"--{key} needs a value");
                a._options[key] = argv[++i];
                continue;
            }
            if (a.Verb.Length == 0) a.Verb = s;
            else a.Positionals.Add(s);
        }
        return a;
    }

    public bool Flag(string name) => _flags.Contains(name);
    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public int? Int(string name)
    {
        var v = Option(name);
        if (v == null) return null;
        return int.TryParse(v, out var n) && n > 0 ? n : throw new UsageException($"--{name} takes a positive whole number");
    }

    public string Positional(int i, string what) =>
        i < Positionals.Count ? Positionals[i] : throw new UsageException($"{Verb}: missing {what}");
}
