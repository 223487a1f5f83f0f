using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Input;
using HaTools.Core.Transport;

namespace HaTools.Cli;

/// <summary>An option of a verb: a flag (no value) or --name VALUE.</summary>
internal sealed record Opt(string Name, string? Value, string Help)
{
    public bool IsFlag => Value == null;
    public bool Repeats { get; init; }
    public string Display => IsFlag ? "--" + Name : $"--{Name} {Value}";

    public static Opt Flag(string name, string help) => new Opt(name, null, help);
    public static Opt Valued(string name, string value, string help) => new Opt(name, value, help);
    public static Opt Many(string name, string value, string help) => new Opt(name, value, help) { Repeats = true };

    public static readonly Opt Cluster = Valued("cluster", "FILE", "the cluster file (else $HATOOLS_CLUSTER, else ./cluster.yaml)");
    public static readonly Opt Wait = Flag("wait", "wait until the cluster has reached the new state");
    public static readonly Opt Timeout = Valued("timeout", "S", "how long --wait waits, 1-86400 seconds (default 120)");
    public static readonly Opt Force = Flag("force", "override guards (no quorum, running cluster, existing filesystem)");
}

/// <summary>One verb: its words ("resource add"), positional arguments, options and handler. The table is the
/// parser's whitelist and the source of every --help text.</summary>
internal sealed record Route(string Area, string Path, string Arguments, string Summary, int MaxPositionals, Func<Call, Task<int>> Run, params Opt[] Options)
{
    /// <summary>The words of the verb after "hatools".</summary>
    public string[] Words => Path.Split(' ');

    public string Synopsis => string.Join(" ", new[] { Path, Arguments }.Concat(Options.Select(o => $"[{o.Display}]")).Where(s => s.Length > 0));

    public string Help()
    {
        var sb = new StringBuilder();
        sb.Append("usage: hatools ").AppendLine(Synopsis);
        sb.Append("  ").AppendLine(Summary);
        if (Options.Length > 0)
        {
            var width = Options.Max(o => o.Display.Length);
            sb.AppendLine("options:");
            foreach (var o in Options) sb.Append("  ").Append(o.Display.PadRight(width)).Append("  ").AppendLine(o.Help);
        }
        sb.Append(Router.CommonLine);
        return sb.ToString();
    }
}

/// <summary>What a handler gets: the parsed arguments, the console host, the output mode and the cancellation.</summary>
internal sealed class Call
{
    public Call(Route route, Args args, ConsoleHost host, CancellationToken ct)
    {
        Route = route;
        A = args;
        Host = host;
        Ct = ct;
    }

    public Route Route { get; }
    public Args A { get; }
    public ConsoleHost Host { get; }
    public CancellationToken Ct { get; }
    public bool Json => A.Flag("json");

    /// <summary>The result on stdout (the progress bars are taken away first).</summary>
    public void Write<T>(IEnumerable<T> items)
    {
        Host.EndProgress();
        Output.Write(items, Json);
    }

    public void WriteStatus(Core.Model.ClusterStatus s)
    {
        Host.EndProgress();
        Output.WriteStatus(s, Json);
    }

    public string Positional(int i, string what) =>
        i < A.Positionals.Count ? A.Positionals[i] : throw new UsageException($"{Route.Path}: missing {what}", Route);

    /// <summary>A usage error in this verb (its help is shown); the message names the verb.</summary>
    public UsageException Usage(string message) => new UsageException(message, Route);

    /// <summary>The cluster: <paramref name="file"/>, else --cluster, else $HATOOLS_CLUSTER, else ./cluster.yaml (as the module).</summary>
    public ClusterContext Context(string? file = null)
    {
        var ctx = ClusterContext.FromFile(file ?? ClusterFileLocator.Choose(A.Option("cluster")));
        // A change waits for another operator's cluster lock only when asked (--wait-for-lock S); --what-if takes none.
        var wait = A.Option("wait-for-lock") is { } w ? (int.TryParse(w, out var n) && n >= 0 && n <= 86400 ? n : throw Usage($"{Route.Path}: --wait-for-lock takes a whole number of seconds from 0 to 86400")) : 0;
        ctx.Lock = ctx.Lock! with { Wait = TimeSpan.FromSeconds(wait), WhatIf = A.Flag("what-if") };
        return ctx;
    }

    public int? Int(string name, int max)
    {
        var v = A.Option(name);
        if (v == null) return null;
        return int.TryParse(v, out var n) && n > 0 && n <= max ? n : throw Usage($"{Route.Path}: --{name} takes a whole number from 1 to {max}");
    }

    /// <summary>--wait, --force and --timeout as the cmdlets' -Wait, -Force and -TimeoutSec (default 120 s).</summary>
    public T Action<T>(T o) where T : ActionOptions
    {
        o.Wait = A.Flag("wait");
        o.Force = A.Flag("force");
        if (Int("timeout", 86400) is { } t) o.Timeout = TimeSpan.FromSeconds(t);
        return o;
    }

    public IReadOnlyList<NodeTarget> Targets(ClusterContext ctx)
    {
        if (A.Flag("all")) return ctx.Nodes;
        var names = A.Option("node") ?? throw Usage($"{Route.Path}: name the nodes with --node N1,N2 or use --all");
        return names.Split(',').Select(n => ctx.Node(n.Trim())).ToList();
    }
}

internal sealed class UsageException : Exception
{
    public UsageException(string message, Route? route = null) : base(message) { Route = route; }

    /// <summary>The verb the mistake was made in (its help is shown), or null for the overview.</summary>
    public Route? Route { get; }
}

/// <summary>Finds the route for argv, checks its options against the table, and writes help.</summary>
internal static class Router
{
    public static readonly Opt[] Common =
    {
        Opt.Flag("json", "print JSON (property names of the PowerShell output types) instead of a table"),
        Opt.Flag("what-if", "show what would change, change nothing"),
        Opt.Flag("verbose", "print what is done on stderr"),
        Opt.Flag("quiet", "no progress on stderr"),
        Opt.Flag("help", "this help"),
        Opt.Valued("wait-for-lock", "S", "a change waits up to S seconds for another operator's cluster lock (default: refuse with ClusterBusy)"),
    };

    public const string CommonLine = "Common: --json --what-if --verbose --quiet --help --wait-for-lock S";

    /// <summary>The route whose words start the positionals (longest first), e.g. "resource add" before "resource".</summary>
    public static Route? Find(IReadOnlyList<Route> routes, Args a)
    {
        if (a.Verb.Length == 0) return null;
        var words = new[] { a.Verb }.Concat(a.Positionals).ToList();
        return routes.Where(r => r.Words.Length <= words.Count && r.Words.SequenceEqual(words.Take(r.Words.Length)))
            .OrderByDescending(r => r.Words.Length).FirstOrDefault();
    }

    /// <summary>A usage error for an option the verb does not take, a value-less option, or too many arguments.</summary>
    public static void Check(Route route, Args a)
    {
        var allowed = route.Options.Concat(Common).ToDictionary(o => o.Name);
        foreach (var name in a.Named)
        {
            if (!allowed.TryGetValue(name, out var o)) throw new UsageException($"{route.Path}: unknown option --{name}", route);
            if (o.IsFlag && a.Option(name) != null) throw new UsageException($"{route.Path}: --{name} takes no value", route);
            if (!o.IsFlag && a.Flag(name)) throw new UsageException($"{route.Path}: --{name} needs a value ({o.Value})", route);
            if (!o.Repeats && a.Count(name) > 1) throw new UsageException($"{route.Path}: --{name} given more than once", route);
        }
        var positionals = a.Positionals.Count - (route.Words.Length - 1);
        if (route.MaxPositionals >= 0 && positionals > route.MaxPositionals)
            throw new UsageException($"{route.Path}: unexpected argument '{a.Positionals[route.Words.Length - 1 + route.MaxPositionals]}'", route);
        if (a.Rest.Count > 0 && !route.Arguments.Contains("--"))
            throw new UsageException($"{route.Path}: takes no arguments after --", route);
    }

    public static string Overview(IReadOnlyList<Route> routes)
    {
        var sb = new StringBuilder();
        sb.AppendLine("usage: hatools <verb> [options]        hatools <verb> --help: one verb's options");
        sb.AppendLine();
        sb.AppendLine("Cluster file: --cluster FILE, else $HATOOLS_CLUSTER, else ./cluster.yaml.  Output: a table, or JSON with --json.");
        sb.AppendLine("Progress and warnings go to stderr; stdout holds only the result. Exit: 0 done, 1 failed, 2 usage error, 130 cancelled.");
        foreach (var area in routes.GroupBy(r => r.Area))
        {
            sb.AppendLine(area.Key + ":");
            foreach (var r in area)
            {
                var left = "  " + string.Join(" ", new[] { r.Path, r.Arguments }.Where(s => s.Length > 0));
                if (left.Length <= 40) sb.Append(left.PadRight(41)).AppendLine(r.Summary);
                else sb.AppendLine(left).Append(new string(' ', 41)).AppendLine(r.Summary);
            }
        }
        sb.Append(CommonLine);
        return sb.ToString();
    }
}

/// <summary>verb, --flags, --key value options, positionals, and everything after "--" verbatim. Which names are
/// flags comes from the route table, so "--wait RES" never swallows RES as a value.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, List<string>> _options = new Dictionary<string, List<string>>();
    private readonly HashSet<string> _flags = new HashSet<string>();
    private readonly List<string> _named = new List<string>();

    public string Verb { get; private set; } = "";
    public List<string> Positionals { get; } = new List<string>();
    public List<string> Rest { get; } = new List<string>();

    /// <summary>Option names in the order given (repeats included).</summary>
    public IReadOnlyList<string> Named => _named;

    public static Args Parse(string[] argv, ISet<string> flags)
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
                if (eq > 0) { a.Add(key.Substring(0, eq), key.Substring(eq + 1)); continue; }
                if (flags.Contains(key)) { a._flags.Add(key); a._named.Add(key); continue; }
                if (i + 1 >= argv.Length) throw new UsageException($"--{key} needs a value");
                a.Add(key, argv[++i]);
                continue;
            }
            if (a.Verb.Length == 0) a.Verb = s;
            else a.Positionals.Add(s);
        }
        return a;
    }

    private void Add(string key, string value)
    {
        if (!_options.TryGetValue(key, out var list)) _options[key] = list = new List<string>();
        list.Add(value);
        _named.Add(key);
    }

    public bool Flag(string name) => _flags.Contains(name);
    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v[v.Count - 1] : null;
    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var v) ? v : (IReadOnlyList<string>)Array.Empty<string>();
    public int Count(string name) => _named.Count(n => n == name);
}
