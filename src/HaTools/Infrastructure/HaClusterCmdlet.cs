using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Transport;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that works on a cluster. The target is -Cluster (a ClusterContext, e.g. from Get-HaCluster),
/// else the cluster file -Path, else $env:HATOOLS_CLUSTER, else ./cluster.yaml. No session state is kept between commands.
/// </summary>
public abstract class HaClusterCmdlet : HaCmdlet
{
    private ClusterContext? _context;
    private bool _ownsContext;

    /// <summary>The cluster file (YAML). Default: $env:HATOOLS_CLUSTER, else ./cluster.yaml.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>A cluster object from Get-HaCluster; used instead of a file.</summary>
    [Parameter]
    [ValidateNotNull]
    public ClusterContext? Cluster { get; set; }

    /// <summary>The cluster this command works on, read once per command (on the pipeline thread).</summary>
    protected ClusterContext Context => _context ??= ResolveContext();

    /// <summary>True when the context is handed out (Get-HaCluster) and must outlive the command.</summary>
    protected virtual bool KeepsContext => false;

    /// <summary>The full path -Path (or its default) names, relative to the current PowerShell location.</summary>
    protected string ClusterFilePath => GetUnresolvedProviderPathFromPSPath(ClusterFileLocator.Choose(Path));

    /// <summary>Run one provider call for this cluster (context resolved here, on the pipeline thread);
    /// a failure becomes non-terminating error(s) and false.</summary>
    internal bool TryCall<T>(Func<ClusterContext, IClusterProvider, IOperationHost, CancellationToken, Task<T>> call, object? target, out T result)
    {
        var context = Context;
        return TryRun((host, token) => call(context, context.Provider, host, token), target, out result);
    }

    /// <summary>The cluster's nodes named (all when <paramref name="names"/> is null); an unknown name is a non-terminating NodeNotFound error.</summary>
    internal IReadOnlyList<NodeTarget> SelectNodes(IEnumerable<string>? names)
    {
        var context = Context;
        if (names == null) return context.Nodes;
        var selected = new List<NodeTarget>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var node = context.Nodes.FirstOrDefault(n => n.Name == name);
            if (node == null) WriteFailure(ErrorClassifier.NodeNotFound, Msg.Format(Strings.NodeNoMatch, name, context.Spec.Name), name);
            else selected.Add(node);
        }
        return selected;
    }

    internal static ActionOptions Options(bool wait, int timeoutSec, bool force = false) =>
        new ActionOptions { Wait = wait, Timeout = TimeSpan.FromSeconds(timeoutSec), Force = force };

    private ClusterContext ResolveContext()
    {
        if (Cluster != null && Path != null) Fail(ErrorClassifier.ClusterTargetAmbiguous, Strings.ClusterTargetAmbiguous, Path);
        if (Cluster != null) return Cluster;
        var file = ClusterFilePath;
        if (!File.Exists(file)) Fail(ErrorClassifier.ClusterFileNotFound, Msg.Format(Strings.ClusterFileNotFound, file), file);
        try
        {
            var context = ClusterContext.FromFile(file);
            _ownsContext = true;
            return context;
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, file, terminate: true);
            throw Rethrow(e); // not reached: Report throws
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsContext && !KeepsContext) _context?.Dispose();
        base.Dispose(disposing);
    }
}
