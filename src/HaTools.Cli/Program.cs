using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Cli.Routes;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Cli;

/// <summary>hatools: a thin console front over HaTools.Core for machines without pwsh. Same objects as the cmdlets,
/// and the same input converters (HaTools.Core.Input). The verbs are the route tables under Routes/.</summary>
public static class Program
{
    internal static readonly IReadOnlyList<Route> Routes = ClusterRoutes.All
        .Concat(StatusRoutes.All).Concat(ResourceRoutes.All).Concat(NodeRoutes.All)
        .Concat(PropertyRoutes.All).Concat(ConstraintRoutes.All).Concat(RemoteRoutes.All).Concat(StackRoutes.All).ToList();

    private static readonly HashSet<string> Flags = new HashSet<string>(
        Routes.SelectMany(r => r.Options).Concat(Router.Common).Where(o => o.IsFlag).Select(o => o.Name));

    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        var view = ProgressView.ForConsole();
        // --json before a "--" (what follows it is the remote command's own argv).
        var json = Array.IndexOf(args, "--json") is var j && j >= 0 && (Array.IndexOf(args, "--") is var dd && (dd < 0 || j < dd));
        try
        {
            return RunAsync(args, view, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            view.End();
            return ReportError(e, json);
        }
    }

    /// <summary>The one place that prints a failure on stderr and chooses the exit code: 2 for usage, else the category's
    /// code from the shared table (ErrorCodes, as the module's ErrorIds); with --json the error is a JSON object.</summary>
    private static int ReportError(Exception error, bool json)
    {
        switch (error)
        {
            case UsageException e:
                Console.Error.WriteLine("hatools: " + e.Message);
                Console.Error.WriteLine(e.Route != null ? e.Route.Help() : Router.Overview(Routes));
                return 2;
            case SpecException e:
                if (json) return Output.WriteError(e);
                foreach (var p in e.Problems) Console.Error.WriteLine(p.ToString());
                return ErrorCodes.ExitCode(ErrorCodes.Classify(e));
            case HaException e:
                if (json) return Output.WriteError(e);
                Console.Error.WriteLine("hatools: error: " + e.Message);
                return ErrorCodes.ExitCode(ErrorCodes.Classify(e));
            case OperationCanceledException:
                if (json) return Output.WriteError(error);
                Console.Error.WriteLine("hatools: cancelled");
                return ErrorCodes.ExitCode(ErrorCodes.Classify(error));
            case IOException or UnauthorizedAccessException or NotSupportedException:
                // Files named on the command line (--from, --source), a stack this build lacks: one line, not a stack trace.
                if (json) return Output.WriteError(error);
                Console.Error.WriteLine("hatools: error: " + error.Message);
                return ErrorCodes.ExitCode(ErrorCodes.Classify(error));
            default:
                throw error;
        }
    }

    private static async Task<int> RunAsync(string[] argv, ProgressView view, CancellationToken ct)
    {
        var a = Args.Parse(argv, Flags);
        if (a.Verb is "" or "help" or "-h" or "--help" && a.Positionals.Count == 0)
        {
            Console.Out.WriteLine(Router.Overview(Routes));
            return 0;
        }
        if (a.Verb == "help") a = Args.Parse(a.Positionals.Concat(new[] { "--help" }).ToArray(), Flags);
        var route = Router.Find(Routes, a) ?? throw Unknown(a);
        if (a.Flag("help"))
        {
            Console.Out.WriteLine(route.Help());
            return 0;
        }
        Router.Check(route, a);
        var host = new ConsoleHost(view) { WhatIf = a.Flag("what-if"), Verbose = a.Flag("verbose"), Quiet = a.Flag("quiet"), Json = a.Flag("json") };
        try
        {
            return await route.Run(new Call(route, a, host, ct));
        }
        finally
        {
            host.EndProgress();
        }
    }

    /// <summary>An unknown verb, or a known area with an unknown sub-verb ("resource frob"): name it and list what there is.</summary>
    private static UsageException Unknown(Args a)
    {
        var family = Routes.Where(r => r.Words.Length > 1 && r.Words[0] == a.Verb).ToList();
        if (family.Count == 0) return new UsageException($"unknown verb '{a.Verb}'");
        var sub = a.Positionals.Count > 0 ? $" '{a.Positionals[0]}'" : "";
        return new UsageException($"{a.Verb}: unknown or missing sub-verb{sub}: {string.Join(", ", family.Select(r => r.Path))}");
    }
}
