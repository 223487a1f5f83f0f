using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Stacks;
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

    /// <summary>A cluster object from Get-HaCluster (also from the pipeline: Get-HaCluster | Get-HaStatus); used instead of a file.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClusterContext? Cluster { get; set; }

    /// <summary>The cluster this command works on, read once per command (on the pipeline thread).</summary>
    protected ClusterContext Context => _context ??= Prepare(ResolveContext());

    /// <summary>A hook for the command's own settings on the context (the lock: <see cref="HaChangeCmdlet"/>).</summary>
    private protected virtual ClusterContext Prepare(ClusterContext context) => context;

    /// <summary>True when the context is handed out (Get-HaCluster) and must outlive the command.</summary>
    protected virtual bool KeepsContext => false;

    /// <summary>The full path -Path (or its default) names, relative to the current PowerShell location.</summary>
    protected string ClusterFilePath => GetUnresolvedProviderPathFromPSPath(ClusterFileLocator.Choose(Path));

    /// <summary>Run one call of the cluster's stack (context resolved here, on the pipeline thread);
    /// a failure becomes non-terminating error(s) and false.</summary>
    internal bool TryCall<T>(Func<ClusterContext, IClusterStack, IOperationHost, CancellationToken, Task<T>> call, object? target, out T result) =>
        TryCall<IClusterStack, T>(call, target, out result);

    /// <summary>Run one call of capability <typeparamref name="TCapability"/> of the cluster's stack. A stack without it
    /// (or a stack this build does not implement) ends the command before any node is contacted: StackCapabilityMissing
    /// (StackNotSupported) would be the same for every further input.</summary>
    internal bool TryCall<TCapability, T>(Func<ClusterContext, TCapability, IOperationHost, CancellationToken, Task<T>> call, object? target, out T result)
        where TCapability : class
    {
        var context = Context;
        TCapability capability;
        try { capability = context.Require<TCapability>(); }
        catch (Exception e) when (IsReportable(e))
        {
            Report(e, target, terminate: true);
            throw Rethrow(e); // not reached: Report throws
        }
        return TryRun((host, token) => call(context, capability, host, token), target, out result);
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
        var context = OpenFile(this, ClusterFilePath, alone: true)!;
        _ownsContext = true;
        return context;
    }

    /// <summary>Read one cluster file (a full path). A missing or invalid file is bad input: <paramref name="alone"/>, it
    /// ends the command; among several (Get-HaStatus -Path a, b), its errors are written and null comes back so the
    /// other files go on.</summary>
    internal static ClusterContext? OpenFile(HaCmdlet cmdlet, string file, bool alone)
    {
        if (!File.Exists(file))
        {
            var message = Msg.Format(Strings.ClusterFileNotFound, file);
            if (alone) cmdlet.Fail(ErrorClassifier.ClusterFileNotFound, message, file);
            cmdlet.WriteFailure(ErrorClassifier.ClusterFileNotFound, message, file);
            return null;
        }
        try
        {
            return ClusterContext.FromFile(file);
        }
        catch (Exception e) when (IsReportable(e))
        {
            if (!alone)
            {
                WriteErrors(cmdlet, e, file);
                return null;
            }
            cmdlet.Report(e, file, terminate: true);
            throw Rethrow(e); // not reached: Report throws
        }
    }

    /// <summary>Every record for <paramref name="exception"/>, none terminating: one of several independent targets
    /// (a cluster among those of Get-HaStatus -Path a, b) failed and the others go on.</summary>
    internal static void WriteErrors(HaCmdlet cmdlet, Exception exception, object? target)
    {
        foreach (var record in ErrorMapper.ToErrorRecords(exception, target, cmdlet.ObjectKind)) cmdlet.WriteError(record);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsContext && !KeepsContext) _context?.Dispose();
        base.Dispose(disposing);
    }
}
