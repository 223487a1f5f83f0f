using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>
/// What Remove-HaCluster does for file services once Pacemaker has stopped (and with it the clones): whatever of
/// ctdbd, smbd and ganesha still runs is stopped, every generated file gets the node's own version back (or goes when
/// the node had none), the CTDB agent's rewritten ctdb.conf and script.options go back to their originals, CTDB's
/// databases are emptied, and the lock file leaves the shared filesystem. Nodes are left as bare as before.
/// </summary>
public static class FileServicesTeardown
{
    public const string StopPhase = "fs-stop";
    public const string RestorePhase = "fs-restore";
    public const string LockPhase = "fs-lock";

    /// <summary>Every file file services may have written (all of them, whatever the file says now: a protocol removed
    /// from the file since may have left its files behind).</summary>
    public static readonly string[] Generated =
    {
        FileServicesConfig.CtdbNodesPath, FileServicesConfig.CtdbTunablesPath, FileServicesConfig.SmbConfPath, FileServicesConfig.GaneshaConfPath,
    };

    /// <summary>The process names of the daemons (what pidof finds).</summary>
    public static readonly string[] Daemons = { "smbd", "ganesha.nfsd", "ctdbd" };

    /// <summary>What the teardown prompt says it will do beyond Pacemaker's part.</summary>
    public static string Describe(FileServicesSpec fs) =>
        "stop ctdbd, smbd and ganesha; put back the nodes' own smb.conf, ganesha.conf and CTDB files (or remove ours)" +
        (fs.HasSmb ? $", empty CTDB's databases and remove {FileServicesModel.RecoveryLock(fs)}" : "");

    public static async Task<IReadOnlyList<PhaseResult>> RunAsync(ClusterContext ctx, FileServicesSpec fs, IReadOnlyList<NodeTarget> nodes, IOperationHost host, CancellationToken ct)
    {
        var results = new List<PhaseResult>();
        host.Progress(new ProgressInfo("Remove cluster", "stopping the file-service daemons", 70) { Id = 4 });
        var sw = Stopwatch.StartNew();
        var stopped = await AllAsync(ctx, nodes, FileServicesCommands.StopLeftovers(Daemons), TimeSpan.FromSeconds(40), ct).ConfigureAwait(false);
        var ok = new List<NodeTarget>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var r = stopped[i];
            var word = FileServicesCommands.Word(r.StdOut);
            var values = FileServicesCommands.Values(r.StdOut);
            string Value(string key) => values.Where(kv => kv.Key == key).Select(kv => kv.Value.Trim()).FirstOrDefault() ?? "";
            var failed = !r.Succeeded || (word != "NONE" && word != "STOPPED");
            if (!failed) ok.Add(nodes[i]);
            results.Add(new PhaseResult
            {
                Phase = StopPhase, Node = nodes[i].Name, Duration = sw.Elapsed,
                Status = failed ? PhaseStatus.Failed : word == "NONE" ? PhaseStatus.Unchanged : PhaseStatus.Changed,
                Message = failed ? r.Error ?? MessageText.Tail(r.StdErr)
                    : word == "NONE" ? "no file-service daemon left running"
                    : $"stopped {Value("left")}" + (Value("killed").Length > 0 ? $" (killed: {Value("killed")})" : ""),
            });
        }

        host.Progress(new ProgressInfo("Remove cluster", "restoring the nodes' own files", 80) { Id = 4 });
        sw.Restart();
        var restored = await AllAsync(ctx, ok, FileServicesCommands.Restore(Generated, FileServicesCommands.CtdbConfigDir, fs.HasSmb ? FileServicesCommands.CtdbDatabaseDir : null), TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        for (var i = 0; i < ok.Count; i++)
        {
            var r = restored[i];
            var done = r.Succeeded && FileServicesCommands.Word(r.StdOut) == "RESTORED";
            var values = FileServicesCommands.Values(r.StdOut);
            var what = string.Join(", ", values.Where(kv => kv.Key == "restored").Select(kv => kv.Value + " restored")
                .Concat(values.Where(kv => kv.Key == "removed").Select(kv => kv.Value + " removed"))
                .Concat(values.Where(kv => kv.Key == "cleared").Select(kv => kv.Value + " emptied")));
            results.Add(new PhaseResult
            {
                Phase = RestorePhase, Node = ok[i].Name, Duration = sw.Elapsed,
                Status = !done ? PhaseStatus.Failed : what.Length == 0 ? PhaseStatus.Unchanged : PhaseStatus.Changed,
                Message = !done ? r.Error ?? MessageText.Tail(r.StdErr) : what.Length == 0 ? "no file-service file left" : what,
            });
        }
        foreach (var n in nodes.Except(ok))
            results.Add(new PhaseResult { Phase = RestorePhase, Node = n.Name, Status = PhaseStatus.Skipped, Message = "not restored: its daemons did not stop" });

        // The lock lives on the shared filesystem: removed once, from a serving node that is done.
        var serving = new HashSet<string>(FileServicesModel.ServingNodes(ctx.Spec, fs).Select(n => n.Name));
        var on = ok.FirstOrDefault(n => serving.Contains(n.Name));
        if (fs.HasSmb && on != null && ok.Count == nodes.Count)
        {
            sw.Restart();
            var r = await ctx.Runner.RunAsync(on, new CommandRequest(FileServicesCommands.RemoveLock(FileServicesModel.RecoveryLock(fs), FileServicesModel.LockFolder(fs)), TimeSpan.FromSeconds(20)), ct).ConfigureAwait(false);
            var done = r.Succeeded && FileServicesCommands.Word(r.StdOut) == "REMOVED";
            results.Add(new PhaseResult
            {
                Phase = LockPhase, Node = on.Name, Duration = sw.Elapsed, Status = done ? PhaseStatus.Changed : PhaseStatus.Failed,
                Message = done ? $"{FileServicesModel.RecoveryLock(fs)} removed from the shared filesystem" : r.Error ?? MessageText.Tail(r.StdErr),
            });
        }
        return results;
    }

    private static Task<IReadOnlyList<CommandResult>> AllAsync(ClusterContext ctx, IReadOnlyList<NodeTarget> nodes, string[] argv, TimeSpan timeout, CancellationToken ct) =>
        Fanout.Fanout.RunCommandAsync(ctx.Runner, nodes, new CommandRequest(argv, timeout), new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, ct);
}
