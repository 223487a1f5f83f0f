using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Bench;

/// <summary>
/// hatools-bench: the in-process half of bench/run.sh, and its report.
///   status  --cluster F --runs N [--warmup W] [--after-warmup CMD] [--transport T]   GetStatusAsync as Get-HaStatus calls it (one context, warm connections)
///   push    --cluster F --runs N [--size B] [--cold] [--transport T]   FilePusher to every node in parallel (Send-HaFile / hatools push)
///   call    --cluster F --runs N [--node NAME] [--stdin BYTES] -- ARGV...   one command on one node through the runner,
///           alternately without a token and under a cancellable one: what a warm call costs, and what a token adds
///   report  SAMPLES COMPARISONS [--markdown]        medians, ratios, goals
/// status and push print one sample per line ("seconds") on stdout and, last, "peak_rss_mib X" (VmHWM); call prints
/// "call.plain SECONDS" and "call.token SECONDS" lines. status and push pass a cancellable token, as the cmdlets do
/// (their StopProcessing token), so a call pays what a cmdlet's call pays.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var a = new Args(args);
            return a.Verb switch
            {
                "status" => Status(a).GetAwaiter().GetResult(),
                "push" => Push(a).GetAwaiter().GetResult(),
                "call" => Call(a).GetAwaiter().GetResult(),
                "report" => Report.Run(a),
                _ => Usage(),
            };
        }
        catch (HaException e)
        {
            Console.Error.WriteLine("hatools-bench: " + e.Message);
            return 1;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("hatools-bench: " + e.Message);
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: hatools-bench status|push --cluster FILE [--runs N] [--warmup N] [--size BYTES] [--cold] [--transport openssh|sshnet]\n" +
            "       hatools-bench call --cluster FILE [--runs N] [--node NAME] [--stdin BYTES] -- ARGV...\n" +
            "       hatools-bench report SAMPLES.tsv COMPARISONS.tsv [--markdown]");
        return 2;
    }

    /// <summary>--transport openssh (default) or sshnet, as ssh.transport in a cluster file; --cold: openssh without
    /// ControlMaster (every command connects), sshnet with a new runner (new connections) for every run.</summary>
    private static ICommandRunner Runner(Args a, ClusterSpec spec)
    {
        if (a.Option("transport") is { } t) spec.Ssh.Transport = t;
        return RunnerFactory.For(spec, a.Flag("cold") ? new SshRunnerOptions { ControlPersistSec = 0 } : new SshRunnerOptions());
    }

    private static ClusterContext Context(Args a)
    {
        var spec = SpecLoader.Load(a.Required("cluster"));
        return new ClusterContext(spec, Runner(a, spec));
    }

    /// <summary>The token a cmdlet passes (its StopProcessing source): cancellable, never cancelled here.</summary>
    private static readonly CancellationTokenSource Stop = new CancellationTokenSource();

    /// <summary>Warm status: one context for the whole session, as a PowerShell session keeps it.</summary>
    private static async Task<int> Status(Args a)
    {
        var ctx = Context(a);
        var runs = a.Int("runs", 5);
        for (var i = 0; i < a.Int("warmup", 1); i++) await ctx.Stack.GetStatusAsync(ctx, Stop.Token);
        if (a.Option("after-warmup") is { } cmd) Shell(cmd);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var s = await ctx.Stack.GetStatusAsync(ctx, Stop.Token);
            sw.Stop();
            Console.Out.WriteLine(Seconds(sw.Elapsed));
            Console.Error.WriteLine($"status: {sw.Elapsed.TotalMilliseconds:0} ms from {s.QueriedNode}, {s.Nodes.Count(n => n.Online)}/{s.Nodes.Count} online, {s.Resources.Count(r => r.Node != null)}/{s.Resources.Count} running"
                + (s.UnreachableNodes.Count > 0 ? $", unreachable: {string.Join(",", s.UnreachableNodes)}" : ""));
        }
        Console.Out.WriteLine("peak_rss_mib " + PeakRssMib().ToString("0.0", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Parallel push of one file to every node; fresh content each run so every node really writes it.</summary>
    private static async Task<int> Push(Args a)
    {
        var ctx = Context(a);
        // sshnet keeps its connections in the runner: cold means a new one (new connections) for every push.
        var fresh = a.Flag("cold") && (ctx.Spec.Ssh.Transport ?? RunnerFactory.Default) == RunnerFactory.SshNet;
        var size = a.Int("size", 64 * 1024);
        var dest = a.Option("dest") ?? "/tmp/hatools-bench.dat";
        var rnd = new Random();
        for (var i = -a.Int("warmup", 0); i < a.Int("runs", 5); i++)
        {
            var content = new byte[size];
            rnd.NextBytes(content);
            var runner = fresh ? Runner(a, ctx.Spec) : ctx.Runner;
            var sw = Stopwatch.StartNew();
            var r = await new FilePusher(runner).PushAsync(ctx.Nodes, new FileSpec(dest, content, "0644"), new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, cancellationToken: Stop.Token);
            sw.Stop();
            if (fresh) (runner as IDisposable)?.Dispose();
            var failed = r.Where(x => x.Status == FileChange.Failed).ToList();
            if (failed.Count > 0) throw new HaException("push failed: " + string.Join("; ", failed.Select(f => $"{f.Node}: {f.Error}")));
            if (i < 0) continue;
            Console.Out.WriteLine(Seconds(sw.Elapsed));
            Console.Error.WriteLine($"push: {r.Count} nodes, {size} bytes, {sw.Elapsed.TotalMilliseconds:0} ms");
        }
        Console.Out.WriteLine("peak_rss_mib " + PeakRssMib().ToString("0.0", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>One command on one node, N times without a token and N times under one, interleaved (after one warm-up
    /// call of each): the runner's own cost per call, with and without what a cancellable call adds.</summary>
    private static async Task<int> Call(Args a)
    {
        if (a.Positionals.Count == 0) throw new ArgumentException("call needs a command after --");
        using var ctx = Context(a);
        var name = a.Option("node");
        var node = name == null ? ctx.Nodes[0] : ctx.Nodes.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"no node '{name}' in the cluster file");
        var stdin = a.Option("stdin") is { } b ? new byte[int.Parse(b, CultureInfo.InvariantCulture)] : null;
        if (stdin != null) new Random().NextBytes(stdin);
        var request = new CommandRequest(a.Positionals, null, stdin);
        var took = new Dictionary<string, List<double>> { ["plain"] = new List<double>(), ["token"] = new List<double>() };
        for (var i = -1; i < a.Int("runs", 20); i++)
            foreach (var kind in took.Keys)
            {
                var sw = Stopwatch.StartNew();
                var r = await ctx.Runner.RunAsync(node, request, kind == "token" ? Stop.Token : CancellationToken.None);
                sw.Stop();
                if (!r.Succeeded) throw new HaException($"{request.Display} on {node.Name}: exit {r.ExitCode} {r.Error} {r.StdErr.Trim()}");
                if (i < 0) continue;
                took[kind].Add(sw.Elapsed.TotalMilliseconds);
                Console.Out.WriteLine($"call.{kind} {Seconds(sw.Elapsed)}");
            }
        foreach (var (kind, ms) in took)
        {
            ms.Sort();
            Console.Error.WriteLine($"call {kind}: median {ms[ms.Count / 2]:0.00} ms of {ms.Count} ({request.Display} on {node.Name})");
        }
        return 0;
    }

    /// <summary>Run a host command between the warm-up and the measured calls (e.g. freeze a node's sshd).</summary>
    private static void Shell(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new HaException($"'{command}' failed (exit {p.ExitCode})");
    }

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>This process's peak resident set (VmHWM), in MiB.</summary>
    private static double PeakRssMib()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Substring(6).Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }
}

internal sealed class Args
{
    private readonly Dictionary<string, string> _options = new Dictionary<string, string>();
    private readonly HashSet<string> _flags = new HashSet<string>();

    public Args(string[] argv)
    {
        for (var i = 0; i < argv.Length; i++)
        {
            var s = argv[i];
            if (s == "--")
            {
                if (Verb.Length == 0) throw new ArgumentException("a verb comes before --");
                Positionals.AddRange(argv.Skip(i + 1));
                break;
            }
            if (s.StartsWith("--", StringComparison.Ordinal))
            {
                var k = s.Substring(2);
                if (k is "cold" or "markdown") _flags.Add(k);
                else if (i + 1 < argv.Length) _options[k] = argv[++i];
                else throw new ArgumentException($"--{k} needs a value");
            }
            else if (Verb.Length == 0) Verb = s;
            else Positionals.Add(s);
        }
    }

    public string Verb { get; } = "";
    public List<string> Positionals { get; } = new List<string>();
    public bool Flag(string k) => _flags.Contains(k);
    public string? Option(string k) => _options.TryGetValue(k, out var v) ? v : null;
    public string Required(string k) => Option(k) ?? throw new ArgumentException($"--{k} is required");
    public int Int(string k, int d) => Option(k) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : d;
}
