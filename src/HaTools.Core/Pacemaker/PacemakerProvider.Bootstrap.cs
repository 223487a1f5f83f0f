using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Services;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Pacemaker;

public sealed partial class PacemakerProvider
{
    internal const string CorosyncConf = "/etc/corosync/corosync.conf";
    internal const string CorosyncAuthkey = "/etc/corosync/authkey";
    internal const string CibFile = "/var/lib/pacemaker/cib/cib.xml";

    /// <summary>dc-deadtime while a new cluster forms (see SeedCibAsync); Pacemaker's default (20 s) applies afterwards.</summary>
    internal const string BootstrapDcDeadtime = "2s";

    private static readonly string[] Phases =
        { "validate", "preflight", "generate", "push", "start", "quorum", "mkfs", "configure", "resources", "health" };

    public IReadOnlyList<PlanStep> PlanBootstrap(ClusterContext context, BootstrapOptions options)
    {
        var spec = context.Spec;
        var steps = new List<PlanStep>();
        void Add(string phase, string node, string what) => steps.Add(new PlanStep { Phase = phase, Node = node, Description = what });
        Add("validate", "*", $"validate {spec.SourceFile} ({spec.Nodes.Count} nodes, {spec.Resources.Count} resources, {spec.Constraints.Location.Count + spec.Constraints.Colocation.Count + spec.Constraints.Order.Count} constraints)");
        foreach (var n in spec.Nodes) Add("preflight", n.Name, "probe over ssh: binaries, hostname, address, interface, clock, existing cluster");
        Add("generate", "*", $"corosync.conf (transport {spec.Corosync.Transport}, token {spec.Corosync.Token ?? CorosyncDefaults.TokenMs} ms, crypto {(spec.Corosync.Crypto ? "on" : "off")}); authkey: 256 random bytes unless every node already shares one");
        foreach (var n in spec.Nodes) Add("push", n.Name, $"stage {CorosyncConf} (0644) and {CorosyncAuthkey} (0400, sent on stdin) next to the targets");
        foreach (var n in spec.Nodes) Add("push", n.Name, "commit: rename staged files over the targets, keep *.hatools-bak; restore every node if one commit fails");
        foreach (var n in spec.Nodes) Add("start", n.Name, "start corosync, then pacemaker (systemd, else /etc/init.d), unless running; a new cluster first gets a CIB with dc-deadtime " + BootstrapDcDeadtime + " (removed once it formed)");
        Add("quorum", "*", $"wait for {spec.Nodes.Count} nodes online, quorum and a DC (at most {options.QuorumTimeout.TotalSeconds:0} s)");
        if (options.Mkfs)
            foreach (var d in spec.Storage.Devices)
                Add("mkfs", d.Node, $"mkfs -t {d.Fstype} {d.Path}" + (options.Force ? " (existing filesystem overwritten: -Force)" : " (refused when another filesystem is there)"));
        Add("configure", "*", "compare the CIB with the file; apply properties, defaults, resources and constraints as one cibadmin --replace of the configuration, only if they differ");
        Add("resources", "*", $"wait for every resource to reach its target role (at most {options.ResourceTimeout.TotalSeconds:0} s)");
        Add("health", "*", "final status: failed actions, offline nodes, fencing");
        return steps;
    }

    public async Task<IReadOnlyList<PhaseResult>> BootstrapAsync(ClusterContext context, BootstrapOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var run = new BootstrapRun(this, context, options, host, cancellationToken);
        await run.ExecuteAsync().ConfigureAwait(false);
        return run.Results;
    }

    public async Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var facts = await ProbeAllAsync(context, host, cancellationToken).ConfigureAwait(false);
        var checks = new List<CheckResult>();
        for (var i = 0; i < facts.Count; i++)
            checks.AddRange(NodeProbe.Checks(facts[i], context, context.Spec.Nodes[i], options.Force));
        // Node names must be unique on the nodes themselves, not only in the file.
        foreach (var dup in facts.Where(f => f.Reachable).GroupBy(f => f.Get("hostname")).Where(g => g.Count() > 1))
            checks.Add(new CheckResult { Check = "NodeName", Node = string.Join(",", dup.Select(f => f.Node)), Severity = Severity.Error, Message = $"several nodes call themselves '{dup.Key}'" });
        if (context.Spec.Properties.TryGetValue("stonith-enabled", out var st) && st.Equals("false", StringComparison.OrdinalIgnoreCase))
            checks.Add(new CheckResult { Check = "Fencing", Node = "*", Severity = Severity.Warning, Message = CrmMonParser.StonithDisabledWarning });
        return checks;
    }

    private static Task<IReadOnlyList<NodeFacts>> ProbeAllAsync(ClusterContext ctx, IOperationHost host, CancellationToken ct) =>
        Fanout.Fanout.RunAsync(ctx.Nodes,
            (n, c) => NodeProbe.ProbeAsync(ctx.Runner, n, ctx.Spec.Nodes.First(x => x.Name == n.Name).DataIface, c),
            (n, e) => new NodeFacts { Node = n.Name, Raw = new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message } },
            new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit },
            new Progress<FanoutProgress>(p => host.Progress(new ProgressInfo("Pre-flight", $"{p.Node} probed", 100 * p.Done / p.Total) { Id = 3 })), ct);

    /// <summary>One bootstrap: state shared by its phases.</summary>
    private sealed class BootstrapRun
    {
        private readonly PacemakerProvider _p;
        private readonly ClusterContext _ctx;
        private readonly BootstrapOptions _o;
        private readonly IOperationHost _host;
        private readonly CancellationToken _ct;
        private readonly FilePusher _pusher;
        private readonly ServiceControl _services;
        private IReadOnlyList<NodeFacts> _facts = Array.Empty<NodeFacts>();
        private int _phase;

        public BootstrapRun(PacemakerProvider p, ClusterContext ctx, BootstrapOptions o, IOperationHost host, CancellationToken ct)
        {
            _p = p; _ctx = ctx; _o = o; _host = host; _ct = ct;
            _pusher = new FilePusher(ctx.Runner);
            _services = new ServiceControl(ctx.Runner);
        }

        public List<PhaseResult> Results { get; } = new List<PhaseResult>();

        private ClusterSpec Spec => _ctx.Spec;

        private void Report(string phase, string node, PhaseStatus status, string message, TimeSpan duration) =>
            Results.Add(new PhaseResult { Phase = phase, Node = node, Status = status, Message = message, Duration = duration });

        private void Begin(string phase, string status)
        {
            _phase = Array.IndexOf(Phases, phase);
            _host.Progress(new ProgressInfo($"Bootstrap {Spec.Name}", $"{phase}: {status}", 100 * _phase / Phases.Length) { Id = 1 });
        }

        public async Task ExecuteAsync()
        {
            try
            {
                Validate();
                if (!await PreflightAsync().ConfigureAwait(false)) return;
                var files = Generate();
                if (!await PushAsync(files).ConfigureAwait(false)) return;
                if (!await StartAsync().ConfigureAwait(false)) return;
                await WaitQuorumAsync().ConfigureAwait(false);
                if (_o.Mkfs) { if (!await MkfsAsync().ConfigureAwait(false)) return; }
                else Report("mkfs", "*", PhaseStatus.Skipped, "not requested (-Mkfs)", TimeSpan.Zero);
                var changed = await ConfigureAsync().ConfigureAwait(false);
                if (changed == null) return;
                await WaitResourcesAsync().ConfigureAwait(false);
                await HealthAsync().ConfigureAwait(false);
            }
            catch (HaException e) when (e is not SpecException)
            {
                // Whatever stops a phase (a timeout, the cluster's state, a failed command, a value a command refuses)
                // becomes that phase's Failed result, naming the node when known; the caller gets the phases so far.
                Report(_phase >= 0 ? Phases[_phase] : "bootstrap", e.Target ?? "*", PhaseStatus.Failed, e.Message, TimeSpan.Zero);
            }
            finally
            {
                _host.Progress(new ProgressInfo($"Bootstrap {Spec.Name}", "done", 100, completed: true) { Id = 1 });
            }
        }

        private void Validate()
        {
            Begin("validate", Spec.SourceFile);
            Report("validate", "*", PhaseStatus.Ok, $"{Spec.Nodes.Count} nodes, {Spec.Resources.Count} resources", TimeSpan.Zero);
            if (Spec.Properties.TryGetValue("stonith-enabled", out var st) && st.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                _host.Warning(CrmMonParser.StonithDisabledWarning);
                Report("validate", "*", PhaseStatus.Warning, CrmMonParser.StonithDisabledWarning, TimeSpan.Zero);
            }
        }

        private async Task<bool> PreflightAsync()
        {
            Begin("preflight", "probing nodes");
            var sw = Stopwatch.StartNew();
            _facts = await ProbeAllAsync(_ctx, _host, _ct).ConfigureAwait(false);
            var ok = true;
            for (var i = 0; i < _facts.Count; i++)
            {
                var errors = NodeProbe.Checks(_facts[i], _ctx, Spec.Nodes[i], _o.Force).Where(c => c.Severity == Severity.Error).ToList();
                if (errors.Count > 0)
                {
                    ok = false;
                    Report("preflight", _facts[i].Node, PhaseStatus.Failed, string.Join("; ", errors.Select(e => $"{e.Check}: {e.Message}")), sw.Elapsed);
                }
                else Report("preflight", _facts[i].Node, PhaseStatus.Ok, $"corosync {_facts[i].Get("version.corosync")}, pacemaker {_facts[i].Get("version.pacemaker")}, init {_facts[i].Get("init")}", sw.Elapsed);
            }
            if (!ok) Report("preflight", "*", PhaseStatus.Failed, "nothing was changed on any node", TimeSpan.Zero);
            return ok;
        }

        private (FileSpec Conf, FileSpec? Key) Generate()
        {
            Begin("generate", "corosync.conf and authkey");
            var conf = new FileSpec(CorosyncConf, new UTF8Encoding(false).GetBytes(CorosyncConfGenerator.Generate(Spec)), "0644");
            var keys = _facts.Select(f => f.Get("authkey")).Distinct().ToList();
            FileSpec? key = null;
            string note;
            if (keys.Count == 1 && keys[0].Length > 0)
                note = "authkey: every node already shares one; kept";
            else if (_facts.Any(f => f.Is("corosync", "running")))
                throw new ClusterStateException("corosync runs on some nodes but the nodes do not share one authkey: stop the cluster (Stop-HaCluster) and re-run", "*");
            else
            {
                var bytes = new byte[256];
                using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
                key = new FileSpec(CorosyncAuthkey, bytes, "0400") { Owner = "root", Secret = true };
                note = "authkey: 256 new random bytes";
            }
            Report("generate", "*", PhaseStatus.Ok, $"corosync.conf {conf.Content.Length} bytes; {note}", TimeSpan.Zero);
            return (conf, key);
        }

        /// <summary>Stage everywhere, then commit everywhere; if any commit fails, restore the nodes already committed.</summary>
        private async Task<bool> PushAsync((FileSpec Conf, FileSpec? Key) files)
        {
            Begin("push", "staging");
            var sw = Stopwatch.StartNew();
            var list = new List<FileSpec> { files.Conf };
            if (files.Key != null) list.Add(files.Key);
            var staged = await Fanout.Fanout.RunAsync(_ctx.Nodes, async (n, c) =>
            {
                var rs = new List<FilePushResult>();
                foreach (var f in list) rs.Add(await _pusher.StageAsync(n, f, c).ConfigureAwait(false));
                return rs;
            }, (n, e) => list.Select(f => new FilePushResult { Node = n.Name, Destination = f.Destination, Status = FileChange.Failed, Error = e.Message }).ToList(),
            new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit }, null, _ct).ConfigureAwait(false);

            var toCommit = new List<(NodeTarget Node, FileSpec File)>();
            for (var i = 0; i < _ctx.Nodes.Count; i++)
                for (var j = 0; j < list.Count; j++)
                    if (staged[i][j].Status == FileChange.Changed) toCommit.Add((_ctx.Nodes[i], list[j]));
            var stageFailed = staged.SelectMany(s => s).Where(s => s.Status == FileChange.Failed).ToList();
            if (stageFailed.Count > 0)
            {
                await ForEachAsync(toCommit, (n, f) => _pusher.DiscardAsync(n, f, CancellationToken.None)).ConfigureAwait(false);
                foreach (var f in stageFailed) Report("push", f.Node, PhaseStatus.Failed, $"staging {f.Destination}: {f.Error}", sw.Elapsed);
                Report("push", "*", PhaseStatus.Failed, "staged files discarded; every node keeps its old configuration", sw.Elapsed);
                return false;
            }
            if (toCommit.Count == 0)
            {
                foreach (var n in _ctx.Nodes) Report("push", n.Name, PhaseStatus.Unchanged, "corosync.conf and authkey already as declared", sw.Elapsed);
                return true;
            }
            var byNode = toCommit.GroupBy(t => t.Node.Name).ToDictionary(g => g.Key, g => g.Select(t => t.File.Destination).ToList());
            if (!_host.ShouldProcess(string.Join(",", byNode.Keys), "replace " + string.Join(" and ", list.Select(f => f.Destination).Where(d => toCommit.Any(t => t.File.Destination == d)))))
            {
                await ForEachAsync(toCommit, (n, f) => _pusher.DiscardAsync(n, f, CancellationToken.None)).ConfigureAwait(false);
                return false;
            }
            Begin("push", "committing");
            var committed = await ForEachAsync(toCommit, (n, f) => _pusher.CommitAsync(n, f, _ct)).ConfigureAwait(false);
            var commitFailed = committed.Where(c => c.Result.Status == FileChange.Failed).ToList();
            if (commitFailed.Count > 0)
            {
                Begin("push", "commit failed: restoring");
                var done = committed.Where(c => c.Result.Status == FileChange.Changed).ToList();
                // A failed commit may still have happened (the answer was lost with the connection, or it timed out after
                // the rename): undo it there too. Restore and undo put a backup back only where our content is in place.
                var undone = await ForEachAsync(done.Select(d => (d.Node, d.File)).Concat(commitFailed.Select(d => (d.Node, d.File))).ToList(),
                    (n, f) => done.Any(d => d.Node == n && d.File == f) ? _pusher.RestoreAsync(n, f, CancellationToken.None) : _pusher.UndoAsync(n, f, CancellationToken.None)).ConfigureAwait(false);
                var notUndone = undone.Where(u => u.Result.Status == FileChange.Failed).ToList();
                foreach (var f in commitFailed) Report("push", f.Node.Name, PhaseStatus.Failed, $"commit {f.File.Destination}: {f.Result.Error}", sw.Elapsed);
                foreach (var u in notUndone)
                    Report("push", u.Node.Name, PhaseStatus.Failed, $"could not restore {u.File.Destination}: {u.Result.Error}; the node may hold the new file: re-run the bootstrap once it answers", sw.Elapsed);
                var restored = undone.Where(u => u.Result.Status == FileChange.Changed).Select(u => u.Node.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
                Report("push", "*", PhaseStatus.Failed, notUndone.Count == 0
                    ? $"commit failed on {string.Join(",", commitFailed.Select(f => f.Node.Name).Distinct())}; restored the previous files on {(restored.Count == 0 ? "no node" : string.Join(",", restored))}; every node keeps its old configuration"
                    : $"commit failed on {string.Join(",", commitFailed.Select(f => f.Node.Name).Distinct())}; restored the previous files where the nodes answered; not confirmed on {string.Join(",", notUndone.Select(u => u.Node.Name).Distinct())}", sw.Elapsed);
                return false;
            }
            foreach (var n in _ctx.Nodes)
                Report("push", n.Name, byNode.TryGetValue(n.Name, out var d) ? PhaseStatus.Changed : PhaseStatus.Unchanged,
                    byNode.TryGetValue(n.Name, out var d2) ? "replaced " + string.Join(", ", d2) : "already as declared", sw.Elapsed);
            // A running corosync re-reads corosync.conf on reload; the nodelist and timings take effect without a restart.
            if (byNode.Values.Any(v => v.Contains(CorosyncConf)) && _facts.All(f => f.Is("corosync", "running")))
            {
                await OnAnyNodeAsync(_ctx, new CommandRequest(NodeCommands.ReloadCorosync(), TimeSpan.FromSeconds(30)), _ct).ConfigureAwait(false);
                Report("push", "*", PhaseStatus.Changed, "corosync-cfgtool -R: running corosync reloaded the new corosync.conf", sw.Elapsed);
            }
            return true;
        }

        private async Task<List<(NodeTarget Node, FileSpec File, FilePushResult Result)>> ForEachAsync(
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

        private async Task<bool> StartAsync()
        {
            var ok = true;
            var corosyncStarted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (unit, daemon) in new[] { ("corosync", "corosync"), ("pacemaker", "pacemakerd") })
            {
                Begin("start", unit);
                var sw = Stopwatch.StartNew();
                bool Running(NodeTarget n) => _facts.First(f => f.Node == n.Name).Is(unit == "corosync" ? "corosync" : "pacemaker", "running");
                // Pacemaker sits on corosync: a pacemakerd that ran while its corosync was down (died, killed, never
                // started) does not come back by itself when corosync does; it is restarted with it.
                var restart = unit == "pacemaker" ? _ctx.Nodes.Where(n => Running(n) && corosyncStarted.Contains(n.Name)).ToList() : new List<NodeTarget>();
                var need = _ctx.Nodes.Where(n => !Running(n) || restart.Contains(n)).ToList();
                foreach (var n in _ctx.Nodes.Except(need)) Report("start", n.Name, PhaseStatus.Unchanged, $"{unit} already running", TimeSpan.Zero);
                if (need.Count == 0) continue;
                if (!_host.ShouldProcess(string.Join(",", need.Select(n => n.Name)), restart.Count > 0 ? $"start {unit} (restart on {string.Join(",", restart.Select(n => n.Name))}: its corosync was down)" : $"start {unit}")) return false;
                if (unit == "pacemaker" && !await SeedCibAsync(need).ConfigureAwait(false)) return false;
                var started = await Fanout.Fanout.RunAsync(need, async (n, c) =>
                {
                    if (restart.Contains(n)) await _services.StopAsync(n, unit, daemon, c).ConfigureAwait(false);
                    await _services.StartAsync(n, unit, daemon, c).ConfigureAwait(false);
                    return (string?)null;
                }, (n, e) => e.Message, new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit }, null, _ct).ConfigureAwait(false);
                for (var i = 0; i < need.Count; i++)
                {
                    Report("start", need[i].Name, started[i] == null ? PhaseStatus.Changed : PhaseStatus.Failed,
                        started[i] ?? (restart.Contains(need[i]) ? $"{unit} restarted (its corosync had been down)" : $"{unit} started"), sw.Elapsed);
                    ok &= started[i] == null;
                    if (started[i] == null && unit == "corosync") corosyncStarted.Add(need[i].Name);
                }
                if (!ok) return false;
            }
            return ok;
        }

        private async Task WaitQuorumAsync()
        {
            Begin("quorum", "waiting for quorum and a DC");
            var sw = Stopwatch.StartNew();
            var s = await WaitForAsync(_ctx, st => NotFormed(st, Spec.Nodes.Count), _o.QuorumTimeout, "Cluster forming", _host, _ct,
                DaemonsStillRunningAsync, QuorumWatchEvery).ConfigureAwait(false);
            Report("quorum", "*", PhaseStatus.Ok, $"{s.Nodes.Count(n => n.Online)} nodes online, quorate, DC {s.Dc}", sw.Elapsed);
            if (_seeded && !Spec.Properties.ContainsKey("dc-deadtime"))
                await OnAnyNodeAsync(_ctx, new CommandRequest(PacemakerCommands.DeleteProperty("dc-deadtime"), TimeSpan.FromSeconds(30)), _ct).ConfigureAwait(false);
        }

        private bool _seeded;

        /// <summary>While the cluster forms: a node whose corosync or pacemakerd died after it was started (killed, crashed,
        /// refused its configuration) will never join; say which node and daemon now instead of waiting out the timeout.</summary>
        private async Task DaemonsStillRunningAsync(CancellationToken ct)
        {
            var probe = new ServiceControl(_ctx.Runner) { Timeout = TimeSpan.FromSeconds(10) };
            var dead = await Fanout.Fanout.RunAsync(_ctx.Nodes, async (n, c) =>
            {
                foreach (var daemon in new[] { "corosync", "pacemakerd" })
                    if (!await probe.IsRunningAsync(n, daemon, c).ConfigureAwait(false)) return daemon;
                return null;
            }, (n, e) => (string?)null, // unreachable now: cannot tell, keep waiting
            new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit, PerNodeTimeout = TimeSpan.FromSeconds(12) }, null, ct).ConfigureAwait(false);
            for (var i = 0; i < dead.Count; i++)
                if (dead[i] is { } d)
                    throw new ClusterStateException($"{_ctx.Nodes[i].Name}: {d} is not running any more (it was started, then stopped or died; see its log on {_ctx.Nodes[i].Name}): the cluster cannot form. Re-run the bootstrap to start it again", _ctx.Nodes[i].Name);
        }

        internal static readonly TimeSpan QuorumWatchEvery = TimeSpan.FromSeconds(8);

        /// <summary>
        /// A brand-new cluster (no CIB on any node, pacemaker running nowhere) gets a first CIB that holds only a short
        /// dc-deadtime, so that nodes starting together elect a DC in seconds instead of waiting out Pacemaker's default
        /// 20 s for peers that are already there. The setting is removed again as soon as the cluster has formed (unless
        /// the file declares dc-deadtime), so every later start uses Pacemaker's default.
        /// </summary>
        private async Task<bool> SeedCibAsync(IReadOnlyList<NodeTarget> nodes)
        {
            if (nodes.Count != _ctx.Nodes.Count || _facts.Any(f => f.Get("cib") == "present" || f.Is("pacemaker", "running"))) return true;
            var deadtime = Spec.Properties.TryGetValue("dc-deadtime", out var declared) ? declared : BootstrapDcDeadtime;
            var seed = new FileSpec(CibFile, new UTF8Encoding(false).GetBytes(CibGenerator.SeedCib(deadtime).ToString()), "0600") { Owner = "hacluster:haclient" };
            var sw = Stopwatch.StartNew();
            var r = await _pusher.PushAsync(nodes, seed, new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit }, null, false, _ct).ConfigureAwait(false);
            foreach (var f in r.Where(x => x.Status == FileChange.Failed))
                Report("start", f.Node, PhaseStatus.Failed, $"first CIB: {f.Error}", sw.Elapsed);
            _seeded = r.All(x => x.Status != FileChange.Failed);
            return _seeded;
        }

        private async Task<bool> MkfsAsync()
        {
            Begin("mkfs", "formatting declared devices");
            var ok = true;
            foreach (var d in Spec.Storage.Devices)
            {
                var sw = Stopwatch.StartNew();
                var node = _ctx.Node(d.Node);
                var probe = await _ctx.Runner.RunAsync(node, new CommandRequest(NodeCommands.ProbeFilesystem(d.Path), TimeSpan.FromSeconds(30)), _ct).ConfigureAwait(false);
                if (probe.Error != null) { Report("mkfs", d.Node, PhaseStatus.Failed, $"{d.Path}: {probe.Error}", sw.Elapsed); ok = false; continue; }
                // blkid -p: 0 and a type = a filesystem is there; 2 = nothing recognised; other = cannot read the device.
                var existing = probe.ExitCode == 0 ? probe.StdOut.Trim() : "";
                if (probe.ExitCode != 0 && probe.ExitCode != 2)
                {
                    Report("mkfs", d.Node, PhaseStatus.Failed, $"{d.Path}: cannot probe (exit {probe.ExitCode}): {Tail(probe.StdErr)}", sw.Elapsed); ok = false; continue;
                }
                if (existing == d.Fstype && !_o.Force)
                {
                    Report("mkfs", d.Node, PhaseStatus.Unchanged, $"{d.Path} already holds {existing}; not formatted (use -Force to format anyway)", sw.Elapsed); continue;
                }
                if (existing.Length > 0 && !_o.Force)
                {
                    Report("mkfs", d.Node, PhaseStatus.Failed, $"{d.Path} holds a {existing} filesystem, not {d.Fstype}: refusing to format it (use -Force to overwrite)", sw.Elapsed); ok = false; continue;
                }
                if (!_host.ShouldProcess($"{d.Node}:{d.Path}", $"format as {d.Fstype} (all data on it is lost)")) continue;
                var r = await _ctx.Runner.RunAsync(node, new CommandRequest(NodeCommands.Mkfs(d.Fstype, d.Options, d.Path, existing.Length > 0), TimeSpan.FromMinutes(10)), _ct).ConfigureAwait(false);
                if (r.Succeeded) Report("mkfs", d.Node, PhaseStatus.Changed, $"{d.Path} formatted as {d.Fstype}", sw.Elapsed);
                else { Report("mkfs", d.Node, PhaseStatus.Failed, $"mkfs {d.Path}: {r.Error ?? Tail(r.StdErr)}", sw.Elapsed); ok = false; }
            }
            if (Spec.Storage.Devices.Count == 0) Report("mkfs", "*", PhaseStatus.Skipped, "no storage devices declared", TimeSpan.Zero);
            return ok;
        }

        /// <returns>true when the CIB was changed, false when it already matched, null when refused (-WhatIf).</returns>
        private async Task<bool?> ConfigureAsync()
        {
            Begin("configure", "comparing the CIB with the file");
            var sw = Stopwatch.StartNew();
            var cib = await QueryCibAsync(_ctx, _ct).ConfigureAwait(false);
            var plan = CibPlanner.Plan(cib, Spec);
            foreach (var w in plan.Warnings) { _host.Warning(w); Report("configure", "*", PhaseStatus.Warning, w, TimeSpan.Zero); }
            if (!plan.Changed)
            {
                Report("configure", "*", PhaseStatus.Unchanged, "properties, defaults, resources and constraints already as declared", sw.Elapsed);
                return false;
            }
            foreach (var c in plan.Changes) _host.Verbose("CIB: " + c);
            if (!_host.ShouldProcess(Spec.Name, "change the CIB: " + string.Join("; ", plan.Changes))) return null;
            var xml = new UTF8Encoding(false).GetBytes(plan.NewConfiguration.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
            await OnAnyNodeAsync(_ctx, new CommandRequest(PacemakerCommands.ReplaceConfiguration(), TimeSpan.FromSeconds(60), xml), _ct).ConfigureAwait(false);
            Report("configure", "*", PhaseStatus.Changed, $"{plan.Changes.Count} changes: {string.Join("; ", plan.Changes)}", sw.Elapsed);
            return true;
        }

        private async Task WaitResourcesAsync()
        {
            Begin("resources", "waiting for target roles");
            var sw = Stopwatch.StartNew();
            var wanted = Spec.Resources.Select(r => (r.Name, Stopped: r.Meta.TryGetValue("target-role", out var tr) && tr.Equals("Stopped", StringComparison.OrdinalIgnoreCase))).ToList();
            var s = await WaitForAsync(_ctx, st =>
            {
                var pending = new List<string>();
                foreach (var (name, stopped) in wanted)
                {
                    var inst = Instances(st, name);
                    if (inst.Count == 0) pending.Add($"{name} not known yet");
                    else if (stopped ? inst.Any(i => i.Node != null) : inst.Any(i => i.Node == null || i.Failed || !IsSettled(i.Role))) pending.Add($"{name} {inst[0].Role}");
                }
                return pending.Count == 0 ? null : string.Join(", ", pending);
            }, _o.ResourceTimeout, "Resources starting", _host, _ct).ConfigureAwait(false);
            Report("resources", "*", PhaseStatus.Ok, string.Join(", ", Spec.Resources.Select(r => $"{r.Name} {string.Join("/", Instances(s, r.Name).Select(i => i.Node ?? i.Role).Distinct())}")), sw.Elapsed);
        }

        private static bool IsSettled(string role) => role is "Started" or "Promoted" or "Unpromoted" or "Master" or "Slave";

        private async Task HealthAsync()
        {
            Begin("health", "final status");
            var s = await _p.GetStatusAsync(_ctx, _ct).ConfigureAwait(false);
            var problems = s.Notices.Where(n => n.Code != NoticeCodes.StonithDisabled).Select(n => n.Message).ToList();
            Report("health", "*", problems.Count == 0 ? PhaseStatus.Ok : PhaseStatus.Warning,
                problems.Count == 0 ? $"{s.Nodes.Count(n => n.Online)}/{s.Nodes.Count} nodes online, {s.Resources.Count(r => r.Node != null)}/{s.Resources.Count} resources running, DC {s.Dc}" : string.Join("; ", problems),
                TimeSpan.Zero);
        }
    }
}
