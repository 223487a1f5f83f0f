using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Completion;

/// <summary>
/// Completes names of the cluster the command line points at: -Cluster (an object already bound), -Path,
/// $env:HATOOLS_CLUSTER, ./cluster.yaml; or the saved status of -FromFile. The file's names come first and always
/// (read only, never a node); then, unless <see cref="FileOnly"/>, the names the live cluster reports (a resource
/// made with New-HaResource or crm, a node the file does not list), asked once within <see cref="LiveBudget"/>.
/// A cluster that does not answer in time only costs its live names. A completer never throws.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    /// <summary>How long a completion waits for the live cluster. A warm status call takes tens of milliseconds and a
    /// cold one a few hundred; an unreachable node would hold the prompt until ssh's own connect timeout.</summary>
    internal static readonly TimeSpan LiveBudget = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var prefix = (wordToComplete ?? "").Trim('\'', '"');
            return Candidates(fakeBoundParameters)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            // A completer must never fail the prompt.
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The candidate names in a cluster description.</summary>
    protected abstract IEnumerable<string> Names(ClusterSpec spec);

    /// <summary>The candidate names in a status read from the cluster (or from a saved status file).</summary>
    protected abstract IEnumerable<string> Names(ClusterStatus status);

    /// <summary>True for names the command can only use when the file holds them (it connects to that node itself).</summary>
    protected virtual bool FileOnly => false;

    private IEnumerable<string> Candidates(IDictionary bound)
    {
        if (Bound(bound, "FromFile") is string saved)
        {
            var file = FullPath(saved);
            return File.Exists(file) ? Names(StackRegistry.Builtin.ReadStatusText(PacemakerStack.StackName, File.ReadAllText(file))) : Array.Empty<string>();
        }
        if (Bound(bound, "Cluster") is ClusterContext given) return WithLive(given, owned: false);
        var path = FullPath(ClusterFileLocator.Choose(Bound(bound, "Path") as string));
        if (!File.Exists(path)) return Array.Empty<string>();
        var report = SpecLoader.Validate(path);
        if (report.Spec == null) return Array.Empty<string>();
        // A file with errors still names what it can; only a valid one is asked live.
        if (FileOnly || report.Problems.Any(p => p.Severity == Severity.Error)) return Names(report.Spec);
        return WithLive(ClusterContext.FromFile(path), owned: true);
    }

    private IEnumerable<string> WithLive(ClusterContext context, bool owned)
    {
        try
        {
            var names = Names(context.Spec).ToList();
            if (!FileOnly && AskLive(context) is ClusterStatus live) names.AddRange(Names(live));
            return names;
        }
        finally
        {
            if (owned) context.Dispose();
        }
    }

    /// <summary>The live status, or null when the cluster did not answer within the budget (or cannot be asked).</summary>
    private static ClusterStatus? AskLive(ClusterContext context)
    {
        using var budget = new CancellationTokenSource();
        var ask = Task.Run(() => context.Stack.GetStatusAsync(context, budget.Token));
        try
        {
            if (ask.Wait(LiveBudget)) return ask.Result;
        }
        catch (AggregateException)
        {
            return null; // unreachable, no quorum, a stack without live status: the file's names stand
        }
        // Cancelled, so that the remote command ends too (the node-side watcher), not only this wait.
        budget.Cancel();
        return null;
    }

    private static object? Bound(IDictionary bound, string name)
    {
        var value = bound != null && bound.Contains(name) ? bound[name] : null;
        return value is PSObject pso ? pso.BaseObject : value;
    }

    private static string FullPath(string file)
    {
        if (file.StartsWith("~", StringComparison.Ordinal))
            file = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + file.Substring(1);
        return Path.IsPathRooted(file) ? file : Path.Combine(CurrentLocation(), file);
    }

    private static string CurrentLocation()
    {
        try
        {
            var location = Runspace.DefaultRunspace?.SessionStateProxy?.Path?.CurrentFileSystemLocation?.ProviderPath;
            if (!string.IsNullOrEmpty(location)) return location!;
        }
        catch (Exception)
        {
            // No runspace on this thread: fall back to the process folder.
        }
        return Environment.CurrentDirectory;
    }
}

/// <summary>Node names: the cluster file's, and the live cluster's members (for commands that name a node to the
/// cluster: standby, moves, status).</summary>
public sealed class NodeNameCompleter : ClusterNameCompleter
{
    protected override IEnumerable<string> Names(ClusterSpec spec) => spec.Nodes.Select(n => n.Name);
    protected override IEnumerable<string> Names(ClusterStatus status) => status.Nodes.Select(n => n.Name);
}

/// <summary>Node names from the cluster file only: for the commands that connect to the node itself (Invoke-HaCommand,
/// Send-HaFile, Stop-HaCluster), which reach only the nodes whose address the file holds.</summary>
public sealed class FileNodeNameCompleter : ClusterNameCompleter
{
    protected override bool FileOnly => true;
    protected override IEnumerable<string> Names(ClusterSpec spec) => spec.Nodes.Select(n => n.Name);
    protected override IEnumerable<string> Names(ClusterStatus status) => status.Nodes.Select(n => n.Name);
}

/// <summary>Resource names (primitives, groups, clones): the cluster file's, and those the live cluster runs.</summary>
public sealed class ResourceNameCompleter : ClusterNameCompleter
{
    protected override IEnumerable<string> Names(ClusterSpec spec) =>
        spec.Resources.Select(r => r.Name).Concat(spec.Groups.Select(g => g.Name)).Concat(spec.Clones.Select(c => c.Name));

    protected override IEnumerable<string> Names(ClusterStatus status) =>
        status.Resources.SelectMany(r => new[] { r.Name, r.Group, r.Clone, r.Bundle }).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!);
}
