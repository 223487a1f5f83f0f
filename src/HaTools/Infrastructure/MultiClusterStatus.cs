using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Resources;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// Get-HaStatus over several clusters: every cluster is asked at once and each answer is written as it arrives
/// (completion order), so a hung cluster delays only its own answer. Each ClusterStatus names its cluster (Name) and
/// the file it was asked through (SourceFile); a cluster that does not answer is an error for that cluster only.
/// </summary>
internal static class MultiClusterStatus
{
    /// <summary>Clusters asked at once; each ask is itself a few ssh clients at most (one per node, hedged).</summary>
    public const int ClustersAtOnce = 32;

    /// <summary>One cluster to ask, and whether the context is ours to dispose.</summary>
    internal sealed class Target
    {
        public Target(ClusterContext context, string? file) { Context = context; File = file; }
        public ClusterContext Context { get; }
        public string? File { get; }
    }

    /// <summary>The clusters the files describe (read on the pipeline thread, before any node is asked). A bad file
    /// among several is that file's error; the only cluster's bad file (<paramref name="alone"/>) ends the command, as it always has.</summary>
    public static List<Target> Open(HaCmdlet cmdlet, IReadOnlyList<string> files, bool alone)
    {
        var targets = new List<Target>();
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            var context = HaClusterCmdlet.OpenFile(cmdlet, file, alone);
            if (context != null) targets.Add(new Target(context, file));
        }
        return targets;
    }

    /// <summary>Ask every target at once and write each status (or its error) on the pipeline thread as it arrives.</summary>
    public static void Write(HaCmdlet cmdlet, IReadOnlyList<Target> targets, CancellationToken stop)
    {
        try
        {
            foreach (var done in AsCompleted.Run(targets.Count, (i, t) => targets[i].Context.Stack.GetStatusAsync(targets[i].Context, t), ClustersAtOnce, stop))
            {
                var target = targets[done.Index];
                if (done.Error != null)
                {
                    if (targets.Count == 1) cmdlet.Report(done.Error, null);
                    else HaClusterCmdlet.WriteErrors(cmdlet, done.Error, target.Context.Spec.Name);
                    continue;
                }
                var status = done.Result!;
                status.SourceFile = target.File;
                foreach (var node in status.UnreachableNodes) cmdlet.WriteVerbose(Msg.Format(Strings.NodeDidNotAnswer, node));
                cmdlet.WriteObject(status);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            foreach (var target in targets.Where(t => t.File != null))
                if (target.Context.Runner is IDisposable runner) runner.Dispose();
        }
    }
}
