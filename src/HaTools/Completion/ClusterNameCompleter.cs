using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using HaTools.Core;
using HaTools.Core.Spec;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Completion;

/// <summary>
/// Completes names from the cluster file the command line points at: -Cluster (an object already bound),
/// -Path, $env:HATOOLS_CLUSTER, ./cluster.yaml. Reads the file only (SpecLoader.Validate, which never contacts a
/// node), so completion is instant and works offline; it never throws.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var spec = FindSpec(fakeBoundParameters);
            if (spec == null) return Array.Empty<CompletionResult>();
            var prefix = (wordToComplete ?? "").Trim('\'', '"');
            return Names(spec)
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

    private static ClusterSpec? FindSpec(IDictionary bound)
    {
        if (bound != null && bound.Contains("Cluster") && Unwrap(bound["Cluster"]) is ClusterContext context) return context.Spec;
        var path = bound != null && bound.Contains("Path") ? Unwrap(bound["Path"]) as string : null;
        var file = ClusterFileLocator.Choose(path);
        if (file.StartsWith("~", StringComparison.Ordinal))
            file = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + file.Substring(1);
        if (!System.IO.Path.IsPathRooted(file)) file = System.IO.Path.Combine(CurrentLocation(), file);
        return System.IO.File.Exists(file) ? SpecLoader.Validate(file).Spec : null;
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

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

/// <summary>Node names from the cluster file.</summary>
public sealed class NodeNameCompleter : ClusterNameCompleter
{
    protected override IEnumerable<string> Names(ClusterSpec spec) => spec.Nodes.Select(n => n.Name);
}

/// <summary>Resource names (primitives, groups, clones) from the cluster file.</summary>
public sealed class ResourceNameCompleter : ClusterNameCompleter
{
    protected override IEnumerable<string> Names(ClusterSpec spec) =>
        spec.Resources.Select(r => r.Name).Concat(spec.Groups.Select(g => g.Name)).Concat(spec.Clones.Select(c => c.Name));
}
