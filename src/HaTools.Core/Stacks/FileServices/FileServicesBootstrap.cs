using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>The names of the phases file services add to a Pacemaker bootstrap.</summary>
public static class FileServicesPhases
{
    /// <summary>After Pacemaker's pre-flight: what every node has for file services.</summary>
    public const string Preflight = "fs-preflight";
    /// <summary>After Pacemaker's generate: CTDB's nodes file and tunables, smb.conf, ganesha.conf.</summary>
    public const string Generate = "fs-generate";
    /// <summary>After the push: the lock folder and the share folders on the shared filesystem, and that every serving
    /// node sees it.</summary>
    public const string Prepare = "fs-prepare";
    /// <summary>After Pacemaker's resources: CTDB, smbd and ganesha on every serving node, every address up.</summary>
    public const string Wait = "fs-wait";
}

/// <summary>
/// The part of a Pacemaker bootstrap that file services add: their phases (plan and run side by side, as every phase),
/// the files Pacemaker's push phase sends with its own (one stage/commit/restore for all), and what is kept after that
/// push so that teardown can put a node's own files back. One instance per bootstrap holds what the phases learn.
/// </summary>
public sealed class FileServicesBootstrap
{
    private readonly ClusterSpec _spec;
    private readonly FileServicesSpec _fs;
    private IReadOnlyList<NodeFacts> _facts = Array.Empty<NodeFacts>();
    private IReadOnlyList<string>? _nodesFile;
    private readonly List<FileSpec> _files = new List<FileSpec>();

    private FileServicesBootstrap(ClusterSpec spec, FileServicesSpec fs)
    {
        _spec = spec;
        _fs = fs;
    }

    /// <summary>The file services of <paramref name="spec"/>'s bootstrap; null for a file without them.</summary>
    public static FileServicesBootstrap? For(ClusterSpec spec) => FileServicesModel.Of(spec) is { } fs ? new FileServicesBootstrap(spec, fs) : null;

    public IBootstrapPhase PreflightPhase => new Phase(FileServicesPhases.Preflight, PlanPreflight, RunPreflightAsync);
    public IBootstrapPhase GeneratePhase => new Phase(FileServicesPhases.Generate, PlanGenerate, RunGenerate);
    public IBootstrapPhase PreparePhase => new Phase(FileServicesPhases.Prepare, PlanPrepare, RunPrepareAsync);
    public IBootstrapPhase WaitPhase => new Phase(FileServicesPhases.Wait, PlanWait, RunWaitAsync);

    /// <summary>The generated files for Pacemaker's push (empty before <see cref="FileServicesPhases.Generate"/> ran).</summary>
    public IReadOnlyList<FileSpec> Files => _files;

    /// <summary>The destinations the push sends, for its plan.</summary>
    public IEnumerable<string> Destinations => FileServicesConfig.Files(_spec, _fs, null).Select(f => f.Path);

    private IReadOnlyList<NodeSpec> Serving => FileServicesModel.ServingNodes(_spec, _fs);

    private bool IsServing(string node) => Serving.Any(n => n.Name == node);

    private static PlanStep Step(string node, string what) => new PlanStep { Node = node, Description = what };

    /// <summary>The folders the shared filesystem must hold: the lock's (already-shared path only), shares, exports.</summary>
    private IReadOnlyList<string> Folders() =>
        new[] { FileServicesModel.LockFolder(_fs) }.Where(f => f != null).Select(f => f!)
            .Concat(_fs.Smb.Shares.Select(s => s.Path)).Concat(_fs.Nfs.Exports.Select(e => e.Path)).Distinct().ToList();

    // ---- pre-flight

    private IEnumerable<PlanStep> PlanPreflight(ClusterContext ctx, BootstrapOptions o) =>
        ctx.Spec.Nodes.Select(n => Step(n.Name, IsServing(n.Name)
            ? $"probe for file services: {Needs()}, {(_fs.Shared.Mount == null ? $"the shared path {_fs.Shared.Path}" : "the Filesystem agent")}, its CTDB nodes file, daemons running outside Pacemaker"
            : "probe its CTDB nodes file (it serves no files but gets the same configuration files)"));

    private string Needs() =>
        string.Join(", ", new[] { _fs.HasSmb ? "ctdbd, smbd" : null, _fs.HasNfs ? "ganesha.nfsd with FSAL VFS" : null }.Where(x => x != null)) + ", their resource agents";

    private async Task<bool> RunPreflightAsync(PhaseRun run)
    {
        run.Progress("probing nodes for file services");
        var sw = Stopwatch.StartNew();
        _facts = await ProbeAsync(run.Context, run.Token).ConfigureAwait(false);
        var checks = Checks(_facts);
        var ok = true;
        foreach (var f in _facts)
        {
            var errors = checks.Where(c => c.Node == f.Node && c.Severity == Severity.Error).ToList();
            ok &= errors.Count == 0;
            run.Report(f.Node, errors.Count > 0 ? PhaseStatus.Failed : PhaseStatus.Ok,
                errors.Count > 0 ? string.Join("; ", errors.Select(e => $"{e.Check}: {e.Message}")) : IsServing(f.Node) ? "ready to serve" : "serves no files", sw.Elapsed);
        }
        foreach (var c in checks.Where(c => c.Node == "*"))
        {
            ok &= c.Severity != Severity.Error;
            run.Report("*", c.Severity == Severity.Error ? PhaseStatus.Failed : PhaseStatus.Warning, $"{c.Check}: {c.Message}", sw.Elapsed);
        }
        if (!ok) run.Report("*", PhaseStatus.Failed, "nothing was changed on any node", TimeSpan.Zero);
        else _nodesFile = AgreedNodesFile(_facts);
        return ok;
    }

    /// <summary>The live pre-flight of Test-HaCluster for file services: the same probe and checks.</summary>
    public static async Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext ctx, CancellationToken ct)
    {
        var b = For(ctx.Spec);
        if (b == null) return Array.Empty<CheckResult>();
        return b.Checks(await b.ProbeAsync(ctx, ct).ConfigureAwait(false));
    }

    private Task<IReadOnlyList<NodeFacts>> ProbeAsync(ClusterContext ctx, CancellationToken ct)
    {
        var argv = FileServicesCommands.Probe(_fs.Shared.Mount == null ? _fs.Shared.Path : null, _fs.HasSmb, _fs.HasNfs, _fs.Shared.Mount == null ? Folders() : Array.Empty<string>());
        return Fanout.Fanout.RunAsync(ctx.Nodes, async (n, c) =>
        {
            var r = await ctx.Runner.RunAsync(n, new CommandRequest(argv, TimeSpan.FromSeconds(20)), c).ConfigureAwait(false);
            var f = new NodeFacts { Node = n.Name, Raw = r };
            foreach (var kv in FileServicesCommands.Values(r.StdOut).Where(kv => kv.Key != "nodes.line")) f.Values[kv.Key] = kv.Value;
            return f;
        }, (n, e) => new NodeFacts { Node = n.Name, Raw = new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message } },
        new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, ct);
    }

    private static IReadOnlyList<string> NodesLines(NodeFacts f) =>
        FileServicesCommands.Values(f.Raw?.StdOut ?? "").Where(kv => kv.Key == "nodes.line").Select(kv => kv.Value).ToList();

    private IReadOnlyList<CheckResult> Checks(IReadOnlyList<NodeFacts> facts)
    {
        var checks = new List<CheckResult>();
        void C(string node, string check, Severity sev, string msg) => checks.Add(new CheckResult { Node = node, Check = check, Severity = sev, Message = msg });
        foreach (var f in facts)
        {
            var r = f.Raw!;
            if (!r.Succeeded || FileServicesCommands.Word(r.StdOut) != "PROBED")
            {
                C(f.Node, "Reachable", Severity.Error, r.Error ?? $"file-services probe failed (exit {r.ExitCode}): {MessageText.Tail(r.StdErr)}");
                continue;
            }
            if (!IsServing(f.Node)) continue;
            void Need(string key, string what, string package)
            {
                if (!f.Is(key, "yes")) C(f.Node, "FileServicesSoftware", Severity.Error, $"{what} is missing (apt-get install {package})");
            }
            if (_fs.HasSmb)
            {
                Need("bin.ctdbd", "/usr/sbin/ctdbd", "ctdb");
                Need("bin.ctdb", "/usr/bin/ctdb", "ctdb");
                Need("bin.smbd", "/usr/sbin/smbd", "samba");
                Need("agent.CTDB", "the ocf:heartbeat:CTDB agent", "resource-agents");
                if (f.Get("public_addresses") == "present")
                    C(f.Node, "CtdbPublicAddresses", Severity.Error, "/etc/ctdb/public_addresses exists: CTDB would move addresses too, against Pacemaker's; remove it");
            }
            if (_fs.HasNfs)
            {
                Need("bin.ganesha.nfsd", "/usr/bin/ganesha.nfsd", "nfs-ganesha");
                Need("fsal.vfs", "ganesha's FSAL VFS (libfsalvfs.so)", "nfs-ganesha-vfs");
                if (FileServicesCib.Daemons(_fs).Contains(FileServicesCib.GaneshaGrace)) Need("agent.Delay", "the ocf:heartbeat:Delay agent", "resource-agents");
            }
            Need("agent.anything", "the ocf:heartbeat:anything agent", "resource-agents");
            Need("agent.IPaddr2", "the ocf:heartbeat:IPaddr2 agent", "resource-agents");
            if (_fs.Shared.Mount != null) Need("agent.Filesystem", "the ocf:heartbeat:Filesystem agent", "resource-agents");
            else if (f.Get("shared") == "missing")
                C(f.Node, "SharedFilesystem", Severity.Error, $"{_fs.Shared.Path} does not exist here: mount the shared filesystem at that path on every serving node (or let Pacemaker mount it: shared.mount)");
            // A daemon that runs while this node's Pacemaker does not was started by something else (its package's init):
            // it holds port 445 or 2049 and Pacemaker's own would fail to start.
            if (f.Is("pacemaker", "stopped"))
                foreach (var p in new[] { "ctdbd", "smbd", "nmbd", "ganesha.nfsd" }.Where(p => f.Is("running." + p, "yes")))
                    C(f.Node, "ForeignDaemon", Severity.Error, $"{p} runs outside Pacemaker: stop it and keep it from starting at boot (systemctl disable --now, or update-rc.d … disable); Pacemaker starts it");
        }
        if (_fs.HasSmb)
        {
            // CTDB numbers nodes by their line in the nodes file: every node must hold the same one.
            var files = facts.Where(f => f.Reachable && f.Is("nodes", "present")).GroupBy(f => string.Join("\n", NodesLines(f))).ToList();
            if (files.Count > 1)
                C("*", "CtdbNodesFile", Severity.Error, "the nodes hold different /etc/ctdb/nodes files (" +
                    string.Join("; ", files.Select(g => $"{string.Join(",", g.Select(f => f.Node))}: {g.Key.Replace("\n", " ")}")) +
                    "): CTDB numbers nodes by line, so they must be the same file; make them identical (or remove them on bare nodes)");
        }
        return checks;
    }

    private static IReadOnlyList<string> AgreedNodesFile(IReadOnlyList<NodeFacts> facts) =>
        facts.Where(f => f.Is("nodes", "present")).Select(NodesLines).FirstOrDefault() ?? Array.Empty<string>();

    // ---- generate

    private IEnumerable<PlanStep> PlanGenerate(ClusterContext ctx, BootstrapOptions o)
    {
        var c = _fs.Ctdb;
        var parts = new List<string>();
        if (_fs.HasSmb)
            parts.Add($"{FileServicesConfig.CtdbNodesPath} (serving nodes {string.Join(", ", Serving.Select(n => n.Address))}; lines of removed nodes commented out, never deleted), " +
                      $"{FileServicesConfig.CtdbTunablesPath} (keepalive {c.Interval} s x {c.Limit}), {FileServicesConfig.SmbConfPath} ({_fs.Smb.Shares.Count} shares, NetBIOS name {FileServicesModel.NetbiosName(_spec, _fs)})");
        if (_fs.HasNfs)
            parts.Add($"{FileServicesConfig.GaneshaConfPath} ({_fs.Nfs.Exports.Count} NFSv4 exports, grace {_fs.Nfs.GraceSeconds} s, lease {_fs.Nfs.LeaseSeconds} s)");
        yield return Step("*", string.Join("; ", parts) + "; no public_addresses: Pacemaker owns the addresses");
    }

    private Task<bool> RunGenerate(PhaseRun run)
    {
        run.Progress("file-services configuration");
        _files.Clear();
        foreach (var (path, content) in FileServicesConfig.Files(_spec, _fs, _nodesFile))
            _files.Add(new FileSpec(path, new UTF8Encoding(false).GetBytes(content), "0644"));
        run.Report("*", PhaseStatus.Ok, string.Join(", ", _files.Select(f => $"{f.Destination} {f.Content.Length} bytes")), TimeSpan.Zero);
        return Task.FromResult(true);
    }

    // ---- after the push

    /// <summary>For Pacemaker's push phase, once every node committed: keep each node's own version of a file that file
    /// services replaced for the first time (FILE.hatools-orig), for teardown. A node where that fails is a warning: the
    /// new files are in place, and teardown would then remove the file instead of restoring it.</summary>
    public async Task KeepOriginalsAsync(PhaseRun run, PushFiles.Outcome pushed)
    {
        var mine = new HashSet<string>(_files.Select(f => f.Destination), StringComparer.Ordinal);
        var targets = run.Context.Nodes.Where(n => pushed.Changed.TryGetValue(n.Name, out var d) && d.Any(mine.Contains)).ToList();
        if (targets.Count == 0) return;
        var sw = Stopwatch.StartNew();
        var results = await Fanout.Fanout.RunAsync(targets, (n, c) =>
            run.Context.Runner.RunAsync(n, new CommandRequest(FileServicesCommands.KeepOriginals(pushed.Changed[n.Name].Where(mine.Contains)), TimeSpan.FromSeconds(30)), c),
            (n, e) => new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message }, new FanoutOptions { ThrottleLimit = run.Context.ThrottleLimit }, null, run.Token).ConfigureAwait(false);
        for (var i = 0; i < targets.Count; i++)
        {
            var r = results[i];
            var kept = FileServicesCommands.Values(r.StdOut).Where(kv => kv.Key == "kept").Select(kv => kv.Value).ToList();
            if (!r.Succeeded || FileServicesCommands.Word(r.StdOut) != "KEPT")
                run.Report(targets[i].Name, PhaseStatus.Warning, $"could not keep the node's own files for teardown ({r.Error ?? MessageText.Tail(r.StdErr)}): Remove-HaCluster will remove them instead of restoring them", sw.Elapsed);
            else if (kept.Count > 0)
                run.Report(targets[i].Name, PhaseStatus.Changed, "kept the node's own " + string.Join(", ", kept) + " for teardown (" + FileServicesCommands.OriginalSuffix + ")", sw.Elapsed);
        }
    }

    // ---- prepare the shared filesystem

    private IEnumerable<PlanStep> PlanPrepare(ClusterContext ctx, BootstrapOptions o)
    {
        if (_fs.Shared.Mount != null)
        {
            yield return Step("*", $"skipped: Pacemaker mounts {_fs.Shared.Mount.Device} at {_fs.Shared.Path}; its share and export folders must be on it");
            yield break;
        }
        var first = Serving[0].Name;
        yield return Step(first, $"on the shared filesystem, make what is missing of {string.Join(", ", Folders())}; write a check file in {FileServicesModel.LockFolder(_fs)}");
        foreach (var n in Serving.Skip(1))
            yield return Step(n.Name, $"check that it sees the same check file (the same filesystem at {_fs.Shared.Path}), then remove it");
    }

    private async Task<bool> RunPrepareAsync(PhaseRun run)
    {
        if (_fs.Shared.Mount != null)
        {
            run.Report("*", PhaseStatus.Skipped, $"Pacemaker mounts {_fs.Shared.Path}", TimeSpan.Zero);
            return true;
        }
        var ctx = run.Context;
        var sw = Stopwatch.StartNew();
        var first = ctx.Node(Serving[0].Name);
        var lockFolder = FileServicesModel.LockFolder(_fs)!;
        var firstFacts = _facts.FirstOrDefault(f => f.Node == first.Name);
        var missing = Folders().Where(d => firstFacts == null || !firstFacts.Is("dir." + d, "yes")).ToList();
        if (missing.Count > 0 && !run.Host.ShouldProcess(first.Name, "make " + string.Join(", ", missing) + " on the shared filesystem")) return false;
        run.Progress("checking the shared filesystem");
        var token = NewToken();
        // A share guests may write gets a folder they can write in, when HaTools makes it (an existing one is left as it is).
        var open = _fs.Smb.Shares.Where(s => s.Guest && !s.ReadOnly).Select(s => s.Path).Distinct().ToList();
        var made = await OnNode(ctx, first, FileServicesCommands.Prepare(lockFolder, Folders().Where(d => d != lockFolder && !open.Contains(d)), open), token, run.Token).ConfigureAwait(false);
        if (!made.Succeeded || FileServicesCommands.Word(made.StdOut) != "PREPARED")
        {
            run.Report(first.Name, PhaseStatus.Failed, $"cannot prepare the shared filesystem at {_fs.Shared.Path}: {made.Error ?? MessageText.Tail(made.StdErr)}", sw.Elapsed);
            return false;
        }
        var madeNow = FileServicesCommands.Values(made.StdOut).Where(kv => kv.Key == "made").Select(kv => kv.Value).ToList();
        run.Report(first.Name, madeNow.Count > 0 ? PhaseStatus.Changed : PhaseStatus.Unchanged,
            madeNow.Count > 0 ? "made " + string.Join(", ", madeNow) : "the lock folder, shares and exports are there", sw.Elapsed);
        var others = Serving.Skip(1).Select(n => ctx.Node(n.Name)).ToList();
        var seen = await Fanout.Fanout.RunAsync(others, (n, c) => OnNode(ctx, n, FileServicesCommands.Sees(lockFolder), token, c),
            (n, e) => new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message }, new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, run.Token).ConfigureAwait(false);
        await ctx.Runner.RunAsync(first, new CommandRequest(FileServicesCommands.RemoveCheck(lockFolder), TimeSpan.FromSeconds(20)), CancellationToken.None).ConfigureAwait(false);
        var ok = true;
        for (var i = 0; i < others.Count; i++)
        {
            var word = seen[i].Succeeded ? FileServicesCommands.Word(seen[i].StdOut) : "";
            ok &= word == "SAME";
            run.Report(others[i].Name, word == "SAME" ? PhaseStatus.Ok : PhaseStatus.Failed, word switch
            {
                "SAME" => $"sees the same filesystem at {_fs.Shared.Path} as {first.Name}",
                "MISSING" or "DIFFERENT" => $"does not see {first.Name}'s files at {_fs.Shared.Path} ({word.ToLowerInvariant()} check file): {_fs.Shared.Path} is not the shared filesystem here; mount it before the bootstrap",
                _ => $"cannot check the shared filesystem: {seen[i].Error ?? MessageText.Tail(seen[i].StdErr)}",
            }, sw.Elapsed);
        }
        return ok;
    }

    private static string NewToken()
    {
        var b = new byte[16];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(b);
        return BitConverter.ToString(b).Replace("-", "").ToLowerInvariant();
    }

    private static Task<CommandResult> OnNode(ClusterContext ctx, NodeTarget n, string[] argv, string stdin, CancellationToken ct) =>
        ctx.Runner.RunAsync(n, new CommandRequest(argv, TimeSpan.FromSeconds(20), Encoding.ASCII.GetBytes(stdin)), ct);

    // ---- wait for the daemons and the addresses

    private IEnumerable<PlanStep> PlanWait(ClusterContext ctx, BootstrapOptions o)
    {
        var vips = FileServicesModel.Vips(_spec, _fs);
        yield return Step("*", $"wait until {string.Join(", ", FileServicesCib.Daemons(_fs))} run on {string.Join(", ", Serving.Select(n => n.Name))} and {string.Join(", ", vips.Select(v => $"{v.Name} ({v.Address})"))} are up (at most {o.ResourceTimeout.TotalSeconds:0} s; CTDB takes about 25 s to start)");
    }

    private async Task<bool> RunWaitAsync(PhaseRun run)
    {
        run.Progress("waiting for the file services");
        var sw = Stopwatch.StartNew();
        var s = await WaitUntil.RunAsync(c => PacemakerStack.CrmStatusAsync(run.Context, c), NotServingBecause, run.Options.ResourceTimeout,
            PacemakerStack.PollInterval, "File services starting", run.Host, run.Token).ConfigureAwait(false);
        var vips = FileServicesModel.Vips(_spec, _fs);
        run.Report("*", PhaseStatus.Ok, $"{string.Join(", ", FileServicesCib.Daemons(_fs))} on {string.Join(", ", Serving.Select(n => n.Name))}; " +
            string.Join(", ", vips.Select(v => $"{v.Name} {s.Resources.First(r => r.Name == v.Name).Node}")), sw.Elapsed);
        return true;
    }

    /// <summary>Why the file services do not serve yet (null when they do). A daemon that can no longer start on a serving
    /// node (its start failed there: fail-count INFINITY) ends the wait at once.</summary>
    internal string? NotServingBecause(ClusterStatus s)
    {
        var pending = new List<string>();
        foreach (var d in FileServicesCib.Daemons(_fs))
        {
            var inst = s.Resources.Where(r => r.Name == d).ToList();
            foreach (var n in Serving.Select(n => n.Name))
            {
                if (inst.Any(i => i.Node == n && i.Role == "Started" && !i.Failed)) continue;
                if (inst.Any(i => i.Node == n && i.FailCount >= PcmkScore.Infinity))
                    throw new HaException($"{d} cannot start on {n}: its start failed there (see crm_mon --one-shot and the node's logs; clean it up with crm_resource --cleanup --resource {FileServicesCib.CloneOf(d)})") { Target = n };
                pending.Add($"{d} on {n}");
            }
        }
        foreach (var v in FileServicesModel.Vips(_spec, _fs))
        {
            var r = s.Resources.FirstOrDefault(x => x.Name == v.Name);
            if (r == null || r.Node == null || r.Role != "Started") pending.Add($"{v.Name} {r?.Role ?? "not known yet"}");
        }
        return pending.Count == 0 ? null : string.Join(", ", pending);
    }

    /// <summary>One phase of file services: its plan and its run, side by side.</summary>
    private sealed class Phase : IBootstrapPhase
    {
        private readonly Func<ClusterContext, BootstrapOptions, IEnumerable<PlanStep>> _plan;
        private readonly Func<PhaseRun, Task<bool>> _run;

        public Phase(string name, Func<ClusterContext, BootstrapOptions, IEnumerable<PlanStep>> plan, Func<PhaseRun, Task<bool>> run)
        {
            Name = name;
            _plan = plan;
            _run = run;
        }

        public string Name { get; }
        public IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options) => _plan(context, options);
        public Task<bool> RunAsync(PhaseRun run) => _run(run);
    }
}
