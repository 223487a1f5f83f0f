using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Bootstrap.Steps;

/// <summary>
/// The two-phase push every stack's bootstrap needs: stage every file on every node, then commit everywhere; if a
/// stage fails nothing is committed, and if a commit fails the nodes already committed are restored (and the failed
/// one undone: its answer may have been lost after the rename). Every node ends on the old files or the new ones.
/// </summary>
public static class PushFiles
{
    /// <summary>Which files changed on which node (empty when every node already had them).</summary>
    public sealed class Outcome
    {
        internal Outcome(bool ok, IReadOnlyDictionary<string, List<string>> changed) { Ok = ok; Changed = changed; }
        public bool Ok { get; }
        /// <summary>Node name → destinations replaced there.</summary>
        public IReadOnlyDictionary<string, List<string>> Changed { get; }
    }

    /// <param name="unchangedText">The per-node message when a node already holds every file ("corosync.conf and authkey already as declared").</param>
    public static Task<Outcome> RunAsync(PhaseRun run, IReadOnlyList<FileSpec> files, string unchangedText) =>
        RunAsync(run, _ => files, unchangedText);

    /// <summary>The same with files of each node's own (a per-node agent configuration, say).</summary>
    public static async Task<Outcome> RunAsync(PhaseRun run, Func<NodeTarget, IReadOnlyList<FileSpec>> filesOf, string unchangedText)
    {
        var ctx = run.Context;
        var pusher = new FilePusher(ctx.Runner);
        var none = new Dictionary<string, List<string>>();
        run.Progress("staging");
        var sw = Stopwatch.StartNew();
        var perNode = ctx.Nodes.Select(filesOf).ToList();
        var of = ctx.Nodes.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => perNode[x.i]);
        var staged = await Fanout.Fanout.RunAsync(ctx.Nodes, async (n, c) =>
        {
            var rs = new List<FilePushResult>();
            foreach (var f in of[n]) rs.Add(await pusher.StageAsync(n, f, c).ConfigureAwait(false));
            return rs;
        }, (n, e) => of[n].Select(f => new FilePushResult { Node = n.Name, Destination = f.Destination, Status = FileChange.Failed, Error = e.Message }).ToList(),
        new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, run.Token).ConfigureAwait(false);

        var toCommit = new List<(NodeTarget Node, FileSpec File)>();
        for (var i = 0; i < ctx.Nodes.Count; i++)
            for (var j = 0; j < perNode[i].Count; j++)
                if (staged[i][j].Status == FileChange.Changed) toCommit.Add((ctx.Nodes[i], perNode[i][j]));
        var stageFailed = staged.SelectMany(s => s).Where(s => s.Status == FileChange.Failed).ToList();
        if (stageFailed.Count > 0)
        {
            await ForEachAsync(toCommit, (n, f) => pusher.DiscardAsync(n, f, CancellationToken.None)).ConfigureAwait(false);
            foreach (var f in stageFailed) run.Report(f.Node, PhaseStatus.Failed, $"staging {f.Destination}: {f.Error}", sw.Elapsed);
            run.Report("*", PhaseStatus.Failed, "staged files discarded; every node keeps its old configuration", sw.Elapsed);
            return new Outcome(false, none);
        }
        if (toCommit.Count == 0)
        {
            foreach (var n in ctx.Nodes) run.Report(n.Name, PhaseStatus.Unchanged, unchangedText, sw.Elapsed);
            return new Outcome(true, none);
        }
        var byNode = toCommit.GroupBy(t => t.Node.Name).ToDictionary(g => g.Key, g => g.Select(t => t.File.Destination).ToList());
        if (!run.Host.ShouldProcess(string.Join(",", byNode.Keys), "replace " + string.Join(" and ", perNode.SelectMany(f => f).Select(f => f.Destination).Distinct().Where(d => toCommit.Any(t => t.File.Destination == d)))))
        {
            await ForEachAsync(toCommit, (n, f) => pusher.DiscardAsync(n, f, CancellationToken.None)).ConfigureAwait(false);
            return new Outcome(false, none);
        }
        run.Progress("committing");
        var committed = await ForEachAsync(toCommit, (n, f) => pusher.CommitAsync(n, f, run.Token)).ConfigureAwait(false);
        var commitFailed = committed.Where(c => c.Result.Status == FileChange.Failed).ToList();
        if (commitFailed.Count > 0)
        {
            run.Progress("commit failed: restoring");
            var done = committed.Where(c => c.Result.Status == FileChange.Changed).ToList();
            // A failed commit may still have happened (the answer was lost with the connection, or it timed out after
            // the rename): undo it there too. Restore and undo put a backup back only where our content is in place.
            var undone = await ForEachAsync(done.Select(d => (d.Node, d.File)).Concat(commitFailed.Select(d => (d.Node, d.File))).ToList(),
                (n, f) => done.Any(d => d.Node == n && d.File == f) ? pusher.RestoreAsync(n, f, CancellationToken.None) : pusher.UndoAsync(n, f, CancellationToken.None)).ConfigureAwait(false);
            var notUndone = undone.Where(u => u.Result.Status == FileChange.Failed).ToList();
            foreach (var f in commitFailed) run.Report(f.Node.Name, PhaseStatus.Failed, $"commit {f.File.Destination}: {f.Result.Error}", sw.Elapsed);
            foreach (var u in notUndone)
                run.Report(u.Node.Name, PhaseStatus.Failed, $"could not restore {u.File.Destination}: {u.Result.Error}; the node may hold the new file: re-run the bootstrap once it answers", sw.Elapsed);
            var restored = undone.Where(u => u.Result.Status == FileChange.Changed).Select(u => u.Node.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            var failedOn = string.Join(",", commitFailed.Select(f => f.Node.Name).Distinct());
            run.Report("*", PhaseStatus.Failed, notUndone.Count == 0
                ? $"commit failed on {failedOn}; restored the previous files on {(restored.Count == 0 ? "no node" : string.Join(",", restored))}; every node keeps its old configuration"
                : $"commit failed on {failedOn}; restored the previous files where the nodes answered; not confirmed on {string.Join(",", notUndone.Select(u => u.Node.Name).Distinct())}", sw.Elapsed);
            return new Outcome(false, none);
        }
        foreach (var n in ctx.Nodes)
            run.Report(n.Name, byNode.TryGetValue(n.Name, out var d) ? PhaseStatus.Changed : PhaseStatus.Unchanged,
                d != null ? "replaced " + string.Join(", ", d) : "already as declared", sw.Elapsed);
        return new Outcome(true, byNode);
    }

    private static async Task<List<(NodeTarget Node, FileSpec File, FilePushResult Result)>> ForEachAsync(
        IReadOnlyList<(NodeTarget Node, FileSpec File)> items, Func<NodeTarget, FileSpec, Task<FilePushResult>> action)
    {
        var results = await Task.WhenAll(items.Select(async it =>
        {
            FilePushResult r;
            try { r = await action(it.Node, it.File).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { r = new FilePushResult { Node = it.Node.Name, Destination = it.File.Destination, Status = FileChange.Failed, Error = e.Message }; }
            return (it.Node, it.File, r);
        })).ConfigureAwait(false);
        return results.ToList();
    }
}
