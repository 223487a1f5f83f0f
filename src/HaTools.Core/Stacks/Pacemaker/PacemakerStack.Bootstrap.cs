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
using HaTools.Core.Services;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

public sealed partial class PacemakerStack
{
    internal const string CorosyncConf = "/etc/corosync/corosync.conf";
    internal const string CorosyncAuthkey = "/etc/corosync/authkey";
    internal const string CibFile = "/var/lib/pacemaker/cib/cib.xml";

    /// <summary>dc-deadtime while a new cluster forms (see SeedCibAsync); Pacemaker's default (20 s) applies afterwards.</summary>
    internal const string BootstrapDcDeadtime = "2s";

    /// <summary>The bootstrap as phases (plan and run side by side in each): validate → lock → pre-flight → generate → push →
    /// start → quorum → mkfs → configure → resources → health. State found by one phase and used by later ones (the
    /// nodes' facts, the generated files, whether a first CIB was seeded) lives in one <see cref="BootstrapState"/>.</summary>
    /// <remarks>A file with file services (Stacks/FileServices) adds its phases between these: fs-preflight after
    /// preflight, fs-generate after generate, fs-prepare after push, fs-wait after resources; its files go with
    /// Pacemaker's in the one push, and its resources with the CIB.</remarks>
    public IReadOnlyList<IBootstrapPhase> BootstrapPhases(ClusterContext context, BootstrapOptions options)
    {
        var st = new BootstrapState { FileServices = FileServices.FileServicesBootstrap.For(context.Spec) };
        var fs = st.FileServices;
        return new IBootstrapPhase?[]
        {
            new ValidatePhase(), new TakeClusterLock(), new PreflightPhase(st), fs?.PreflightPhase, new GeneratePhase(st), fs?.GeneratePhase,
            new PushPhase(st), fs?.PreparePhase, new StartPhase(st), new QuorumPhase(st), new MkfsPhase(), new ConfigurePhase(), new ResourcesPhase(),
            fs?.WaitPhase, new HealthPhase(this),
        }.Where(p => p != null).Select(p => p!).ToList();
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
        if (StonithDisabled(context.Spec))
            checks.Add(new CheckResult { Check = "Fencing", Node = "*", Severity = Severity.Warning, Message = CrmMonParser.StonithDisabledWarning });
        checks.AddRange(await FileServices.FileServicesBootstrap.TestAsync(context, cancellationToken).ConfigureAwait(false));
        return checks;
    }

    private static Task<IReadOnlyList<NodeFacts>> ProbeAllAsync(ClusterContext ctx, IOperationHost host, CancellationToken ct) =>
        Fanout.Fanout.RunAsync(ctx.Nodes,
            (n, c) => NodeProbe.ProbeAsync(ctx.Runner, n, ctx.Spec.Nodes.First(x => x.Name == n.Name).DataIface, c),
            (n, e) => new NodeFacts { Node = n.Name, Raw = new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message } },
            new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit },
            new Progress<FanoutProgress>(p => host.Progress(new ProgressInfo("Pre-flight", $"{p.Node} probed", 100 * p.Done / p.Total) { Id = 3 })), ct);

    /// <summary>What the phases of one bootstrap learn and hand on.</summary>
    private sealed class BootstrapState
    {
        public IReadOnlyList<NodeFacts> Facts = Array.Empty<NodeFacts>();
        public FileSpec? Conf;
        public FileSpec? Key;
        public bool Seeded;
        /// <summary>The file services of this bootstrap; null without them.</summary>
        public FileServices.FileServicesBootstrap? FileServices;

        public NodeFacts FactsOf(NodeTarget n) => Facts.First(f => f.Node == n.Name);
    }

    private static PlanStep Step(string node, string what) => new PlanStep { Node = node, Description = what };

    private static IEnumerable<PlanStep> EachNode(ClusterContext ctx, string what) => ctx.Spec.Nodes.Select(n => Step(n.Name, what));

    private static bool StonithDisabled(ClusterSpec spec) =>
        spec.Properties.TryGetValue("stonith-enabled", out var st) && st.Equals("false", StringComparison.OrdinalIgnoreCase);

    private sealed class ValidatePhase : IBootstrapPhase
    {
        public string Name => PacemakerPhases.Validate;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            var spec = ctx.Spec;
            yield return Step("*", $"validate {spec.SourceFile} ({spec.Nodes.Count} nodes, {spec.Resources.Count} resources, {spec.Constraints.Location.Count + spec.Constraints.Colocation.Count + spec.Constraints.Order.Count} constraints)");
        }

        public Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress(run.Spec.SourceFile);
            run.Report("*", PhaseStatus.Ok, $"{run.Spec.Nodes.Count} nodes, {run.Spec.Resources.Count} resources", TimeSpan.Zero);
            if (StonithDisabled(run.Spec))
            {
                run.Host.Warning(CrmMonParser.StonithDisabledWarning);
                run.Report("*", PhaseStatus.Warning, CrmMonParser.StonithDisabledWarning, TimeSpan.Zero);
            }
            return Task.FromResult(true);
        }
    }

    private sealed class PreflightPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public PreflightPhase(BootstrapState st) { _st = st; }
        public string Name => PacemakerPhases.Preflight;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o) =>
            EachNode(ctx, "probe over ssh: binaries, hostname, address, interface, clock, existing cluster");

        public async Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("probing nodes");
            var sw = Stopwatch.StartNew();
            _st.Facts = await ProbeAllAsync(run.Context, run.Host, run.Token).ConfigureAwait(false);
            var ok = true;
            for (var i = 0; i < _st.Facts.Count; i++)
            {
                var f = _st.Facts[i];
                var errors = NodeProbe.Checks(f, run.Context, run.Spec.Nodes[i], run.Options.Force).Where(c => c.Severity == Severity.Error).ToList();
                if (errors.Count > 0)
                {
                    ok = false;
                    run.Report(f.Node, PhaseStatus.Failed, string.Join("; ", errors.Select(e => $"{e.Check}: {e.Message}")), sw.Elapsed);
                }
                else run.Report(f.Node, PhaseStatus.Ok, $"corosync {f.Get("version.corosync")}, pacemaker {f.Get("version.pacemaker")}, init {f.Get("init")}", sw.Elapsed);
            }
            if (!ok) run.Report("*", PhaseStatus.Failed, "nothing was changed on any node", TimeSpan.Zero);
            return ok;
        }
    }

    private sealed class GeneratePhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public GeneratePhase(BootstrapState st) { _st = st; }
        public string Name => PacemakerPhases.Generate;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            var c = ctx.Spec.Corosync;
            yield return Step("*", $"corosync.conf (transport {c.Transport}, token {c.Token ?? CorosyncDefaults.TokenMs} ms, crypto {(c.Crypto ? "on" : "off")}); authkey: 256 random bytes unless every node already shares one");
        }

        public Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("corosync.conf and authkey");
            _st.Conf = new FileSpec(CorosyncConf, new UTF8Encoding(false).GetBytes(CorosyncConfGenerator.Generate(run.Spec)), "0644");
            var keys = _st.Facts.Select(f => f.Get("authkey")).Distinct().ToList();
            string note;
            if (keys.Count == 1 && keys[0].Length > 0)
                note = "authkey: every node already shares one; kept";
            else if (_st.Facts.Any(f => f.Is("corosync", "running")))
                throw new ClusterStateException("corosync runs on some nodes but the nodes do not share one authkey: stop the cluster (Stop-HaCluster) and re-run", "*");
            else
            {
                var bytes = new byte[256];
                using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
                _st.Key = new FileSpec(CorosyncAuthkey, bytes, "0400") { Owner = "root", Secret = true };
                note = "authkey: 256 new random bytes";
            }
            run.Report("*", PhaseStatus.Ok, $"corosync.conf {_st.Conf.Content.Length} bytes; {note}", TimeSpan.Zero);
            return Task.FromResult(true);
        }
    }

    private sealed class PushPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public PushPhase(BootstrapState st) { _st = st; }
        public string Name => PacemakerPhases.Push;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o) =>
            EachNode(ctx, $"stage {CorosyncConf} (0644) and {CorosyncAuthkey} (0400, sent on stdin)" +
                (_st.FileServices is { } fs ? $", {string.Join(", ", fs.Destinations)} (0644)" : "") + " next to the targets")
            .Concat(EachNode(ctx, "commit: rename staged files over the targets, keep *.hatools-bak; restore every node if one commit fails" +
                (_st.FileServices != null ? "; keep each node's own file-service files as *.hatools-orig the first time, for teardown" : "")));

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var sw = Stopwatch.StartNew();
            var files = new List<FileSpec> { _st.Conf! };
            if (_st.Key != null) files.Add(_st.Key);
            if (_st.FileServices != null) files.AddRange(_st.FileServices.Files);
            var pushed = await PushFiles.RunAsync(run, files, _st.FileServices != null ? "corosync.conf, authkey and the file-service files already as declared" : "corosync.conf and authkey already as declared").ConfigureAwait(false);
            if (!pushed.Ok) return false;
            if (_st.FileServices != null) await _st.FileServices.KeepOriginalsAsync(run, pushed).ConfigureAwait(false);
            // A running corosync re-reads corosync.conf on reload; the nodelist and timings take effect without a restart.
            if (pushed.Changed.Values.Any(v => v.Contains(CorosyncConf)) && _st.Facts.All(f => f.Is("corosync", "running")))
            {
                await OnAnyNodeAsync(run.Context, new CommandRequest(NodeCommands.ReloadCorosync(), TimeSpan.FromSeconds(30)), run.Token).ConfigureAwait(false);
                run.Report("*", PhaseStatus.Changed, "corosync-cfgtool -R: running corosync reloaded the new corosync.conf", sw.Elapsed);
            }
            return true;
        }
    }

    private sealed class StartPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public StartPhase(BootstrapState st) { _st = st; }
        public string Name => PacemakerPhases.Start;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o) =>
            EachNode(ctx, "start corosync, then pacemaker (systemd, else /etc/init.d), unless running; a new cluster first gets a CIB with dc-deadtime " + BootstrapDcDeadtime + " (removed once it formed)");

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            var services = new ServiceControl(ctx.Runner);
            var corosyncStarted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (unit, daemon) in new[] { ("corosync", "corosync"), ("pacemaker", "pacemakerd") })
            {
                run.Progress(unit);
                var sw = Stopwatch.StartNew();
                bool Running(NodeTarget n) => _st.FactsOf(n).Is(unit == "corosync" ? "corosync" : "pacemaker", "running");
                // Pacemaker sits on corosync: a pacemakerd that ran while its corosync was down (died, killed, never
                // started) does not come back by itself when corosync does; it is restarted with it.
                var restart = unit == "pacemaker" ? ctx.Nodes.Where(n => Running(n) && corosyncStarted.Contains(n.Name)).ToList() : new List<NodeTarget>();
                var need = ctx.Nodes.Where(n => !Running(n) || restart.Contains(n)).ToList();
                foreach (var n in ctx.Nodes.Except(need)) run.Report(n.Name, PhaseStatus.Unchanged, $"{unit} already running", TimeSpan.Zero);
                if (need.Count == 0) continue;
                if (!run.Host.ShouldProcess(string.Join(",", need.Select(n => n.Name)), restart.Count > 0 ? $"start {unit} (restart on {string.Join(",", restart.Select(n => n.Name))}: its corosync was down)" : $"start {unit}")) return false;
                if (unit == "pacemaker" && !await SeedCibAsync(run, need).ConfigureAwait(false)) return false;
                var started = await Fanout.Fanout.RunAsync(need, async (n, c) =>
                {
                    if (restart.Contains(n)) await services.StopAsync(n, unit, daemon, c).ConfigureAwait(false);
                    await services.StartAsync(n, unit, daemon, c).ConfigureAwait(false);
                    return (string?)null;
                }, (n, e) => e.Message, new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, run.Token).ConfigureAwait(false);
                var ok = true;
                for (var i = 0; i < need.Count; i++)
                {
                    run.Report(need[i].Name, started[i] == null ? PhaseStatus.Changed : PhaseStatus.Failed,
                        started[i] ?? (restart.Contains(need[i]) ? $"{unit} restarted (its corosync had been down)" : $"{unit} started"), sw.Elapsed);
                    ok &= started[i] == null;
                    if (started[i] == null && unit == "corosync") corosyncStarted.Add(need[i].Name);
                }
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>
        /// A brand-new cluster (no CIB on any node, pacemaker running nowhere) gets a first CIB that holds only a short
        /// dc-deadtime, so that nodes starting together elect a DC in seconds instead of waiting out Pacemaker's default
        /// 20 s for peers that are already there. The setting is removed again as soon as the cluster has formed (unless
        /// the file declares dc-deadtime), so every later start uses Pacemaker's default.
        /// </summary>
        private async Task<bool> SeedCibAsync(PhaseRun run, IReadOnlyList<NodeTarget> nodes)
        {
            var ctx = run.Context;
            if (nodes.Count != ctx.Nodes.Count || _st.Facts.Any(f => f.Get("cib") == "present" || f.Is("pacemaker", "running"))) return true;
            var deadtime = run.Spec.Properties.TryGetValue("dc-deadtime", out var declared) ? declared : BootstrapDcDeadtime;
            var seed = new FileSpec(CibFile, new UTF8Encoding(false).GetBytes(CibGenerator.SeedCib(deadtime).ToString()), "0600") { Owner = "hacluster:haclient" };
            var sw = Stopwatch.StartNew();
            var r = await new FilePusher(ctx.Runner).PushAsync(nodes, seed, new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, false, run.Token).ConfigureAwait(false);
            foreach (var f in r.Where(x => x.Status == FileChange.Failed))
                run.Report(f.Node, PhaseStatus.Failed, $"first CIB: {f.Error}", sw.Elapsed);
            _st.Seeded = r.All(x => x.Status != FileChange.Failed);
            return _st.Seeded;
        }
    }

    internal static readonly TimeSpan QuorumWatchEvery = TimeSpan.FromSeconds(8);

    private sealed class QuorumPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public QuorumPhase(BootstrapState st) { _st = st; }
        public string Name => PacemakerPhases.Quorum;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"wait for {ctx.Spec.Nodes.Count} nodes online, quorum and a DC (at most {o.QuorumTimeout.TotalSeconds:0} s)");
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            run.Progress("waiting for quorum and a DC");
            var sw = Stopwatch.StartNew();
            var s = await WaitForAsync(ctx, st => NotFormed(st, run.Spec.Nodes.Count), run.Options.QuorumTimeout, "Cluster forming", run.Host, run.Token,
                c => DaemonsStillRunningAsync(ctx, c), QuorumWatchEvery).ConfigureAwait(false);
            run.Report("*", PhaseStatus.Ok, $"{s.Nodes.Count(n => n.Online)} nodes online, quorate, DC {s.Dc}", sw.Elapsed);
            if (_st.Seeded && !run.Spec.Properties.ContainsKey("dc-deadtime"))
                await OnAnyNodeAsync(ctx, new CommandRequest(PacemakerCommands.DeleteProperty("dc-deadtime"), TimeSpan.FromSeconds(30)), run.Token).ConfigureAwait(false);
            return true;
        }

        /// <summary>While the cluster forms: a node whose corosync or pacemakerd died after it was started (killed, crashed,
        /// refused its configuration) will never join; say which node and daemon now instead of waiting out the timeout.</summary>
        private static async Task DaemonsStillRunningAsync(ClusterContext ctx, CancellationToken ct)
        {
            var probe = new ServiceControl(ctx.Runner) { Timeout = TimeSpan.FromSeconds(10) };
            var dead = await Fanout.Fanout.RunAsync(ctx.Nodes, async (n, c) =>
            {
                foreach (var daemon in new[] { "corosync", "pacemakerd" })
                    if (!await probe.IsRunningAsync(n, daemon, c).ConfigureAwait(false)) return daemon;
                return null;
            }, (n, e) => (string?)null, // unreachable now: cannot tell, keep waiting
            new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit, PerNodeTimeout = TimeSpan.FromSeconds(12) }, null, ct).ConfigureAwait(false);
            for (var i = 0; i < dead.Count; i++)
                if (dead[i] is { } d)
                    throw new ClusterStateException($"{ctx.Nodes[i].Name}: {d} is not running any more (it was started, then stopped or died; see its log on {ctx.Nodes[i].Name}): the cluster cannot form. Re-run the bootstrap to start it again", ctx.Nodes[i].Name);
        }
    }

    private sealed class MkfsPhase : IBootstrapPhase
    {
        public string Name => PacemakerPhases.Mkfs;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            if (!o.Mkfs) { yield return Step("*", "skipped: not requested (-Mkfs)"); yield break; }
            if (ctx.Spec.Storage.Devices.Count == 0) { yield return Step("*", "skipped: no storage devices declared"); yield break; }
            foreach (var d in ctx.Spec.Storage.Devices)
                yield return Step(d.Node, $"mkfs -t {d.Fstype} {d.Path}" + (o.Force ? " (existing filesystem overwritten: -Force)" : " (refused when another filesystem is there)"));
        }

        public Task<bool> RunAsync(PhaseRun run)
        {
            if (run.Options.Mkfs) return FormatDevices.RunAsync(run);
            run.Report("*", PhaseStatus.Skipped, "not requested (-Mkfs)", TimeSpan.Zero);
            return Task.FromResult(true);
        }
    }

    private sealed class ConfigurePhase : IBootstrapPhase
    {
        public string Name => PacemakerPhases.Configure;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", "compare the CIB with the file; apply properties, defaults, resources and constraints as one cibadmin --replace of the configuration, only if they differ");
        }

        /// <returns>false when the change was declined (-WhatIf, or refused at the prompt).</returns>
        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            run.Progress("comparing the CIB with the file");
            var sw = Stopwatch.StartNew();
            var cib = await QueryCibAsync(ctx, run.Token).ConfigureAwait(false);
            var plan = CibPlanner.Plan(cib, run.Spec);
            foreach (var w in plan.Warnings) { run.Host.Warning(w); run.Report("*", PhaseStatus.Warning, w, TimeSpan.Zero); }
            if (!plan.Changed)
            {
                run.Report("*", PhaseStatus.Unchanged, "properties, defaults, resources and constraints already as declared", sw.Elapsed);
                return true;
            }
            foreach (var c in plan.Changes) run.Host.Verbose("CIB: " + c);
            if (!run.Host.ShouldProcess(run.Spec.Name, "change the CIB: " + string.Join("; ", plan.Changes))) return false;
            var xml = new UTF8Encoding(false).GetBytes(plan.NewConfiguration.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
            await OnAnyNodeAsync(ctx, new CommandRequest(PacemakerCommands.ReplaceConfiguration(), TimeSpan.FromSeconds(60), xml), run.Token).ConfigureAwait(false);
            run.Report("*", PhaseStatus.Changed, $"{plan.Changes.Count} changes: {string.Join("; ", plan.Changes)}", sw.Elapsed);
            return true;
        }
    }

    private sealed class ResourcesPhase : IBootstrapPhase
    {
        public string Name => PacemakerPhases.Resources;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"wait for every resource to reach its target role (at most {o.ResourceTimeout.TotalSeconds:0} s)");
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("waiting for target roles");
            var sw = Stopwatch.StartNew();
            var wanted = run.Spec.Resources.Select(r => (r.Name, Stopped: r.Meta.TryGetValue("target-role", out var tr) && tr.Equals("Stopped", StringComparison.OrdinalIgnoreCase))).ToList();
            var s = await WaitForAsync(run.Context, st =>
            {
                var pending = new List<string>();
                foreach (var (name, stopped) in wanted)
                {
                    var inst = Instances(st, name);
                    if (inst.Count == 0) pending.Add($"{name} not known yet");
                    else if (stopped ? inst.Any(i => i.Node != null) : inst.Any(i => i.Node == null || i.Failed || !IsSettled(i.Role))) pending.Add($"{name} {inst[0].Role}");
                }
                return pending.Count == 0 ? null : string.Join(", ", pending);
            }, run.Options.ResourceTimeout, "Resources starting", run.Host, run.Token).ConfigureAwait(false);
            run.Report("*", PhaseStatus.Ok, string.Join(", ", run.Spec.Resources.Select(r => $"{r.Name} {string.Join("/", Instances(s, r.Name).Select(i => i.Node ?? i.Role).Distinct())}")), sw.Elapsed);
            return true;
        }

        private static bool IsSettled(string role) => role is "Started" or "Promoted" or "Unpromoted" or "Master" or "Slave";
    }

    private sealed class HealthPhase : IBootstrapPhase
    {
        private readonly PacemakerStack _p;
        public HealthPhase(PacemakerStack p) { _p = p; }
        public string Name => PacemakerPhases.Health;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", "final status: failed actions, offline nodes, fencing");
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("final status");
            var s = await _p.GetStatusAsync(run.Context, run.Token).ConfigureAwait(false);
            var problems = s.Notices.Where(n => n.Code != NoticeCodes.StonithDisabled).Select(n => n.Message).ToList();
            run.Report("*", problems.Count == 0 ? PhaseStatus.Ok : PhaseStatus.Warning,
                problems.Count == 0 ? $"{s.Nodes.Count(n => n.Online)}/{s.Nodes.Count} nodes online, {s.Resources.Count(r => r.Node != null)}/{s.Resources.Count} resources running, DC {s.Dc}" : string.Join("; ", problems),
                TimeSpan.Zero);
            return true;
        }
    }
}

/// <summary>The names of Pacemaker's bootstrap phases, as they appear in PhaseResult.Phase and PlanStep.Phase.</summary>
public static class PacemakerPhases
{
    public const string Validate = "validate";
    public const string Preflight = "preflight";
    public const string Generate = "generate";
    public const string Push = "push";
    public const string Start = "start";
    public const string Quorum = "quorum";
    public const string Mkfs = "mkfs";
    public const string Configure = "configure";
    public const string Resources = "resources";
    public const string Health = "health";
}
