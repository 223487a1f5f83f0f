using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Services;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

public sealed partial class ConsulStack
{
    /// <summary>Hare's bootstrap (H20 hare-bootstrap) as phases, every wait bounded: validate → lock → pre-flight →
    /// generate → push → agents → leader → kv → elect → phase1 … phaseN → health.</summary>
    public IReadOnlyList<IBootstrapPhase> BootstrapPhases(ClusterContext context, BootstrapOptions options)
    {
        var st = new BootstrapState();
        var phases = new List<IBootstrapPhase>
        {
            new ValidatePhase(st), new TakeClusterLock(), new PreflightPhase(st), new GeneratePhase(st), new PushPhase(st),
            new AgentsPhase(st), new LeaderPhase(st), new KvPhase(st), new ElectPhase(st),
        };
        foreach (var n in ServicePhaseNumbers(context.Spec)) phases.Add(new ServicePhase(st, n));
        phases.Add(new HealthPhase(st));
        return phases;
    }

    /// <summary>Hare's final health check waits 30 s (one shared counter of 30 one-second polls).</summary>
    internal static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan AgentWatchEvery = TimeSpan.FromSeconds(8);
    /// <summary>Hare's RC leader session: a lock delay of 2 s, released (not deleted) when invalidated.</summary>
    internal const string LeaderKey = "leader";

    internal static IReadOnlyList<int> ServicePhaseNumbers(ClusterSpec spec) =>
        spec.Section<ConsulSection>().Services.Where(s => !s.External).Select(s => s.Phase).Distinct().OrderBy(p => p).ToList();

    /// <summary>What the phases of one bootstrap learn and hand on.</summary>
    private sealed class BootstrapState
    {
        public ConsulSecrets Secrets = new ConsulSecrets();
        public Dictionary<string, NodeFacts> Facts = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        public IReadOnlyDictionary<string, string> Addresses = new Dictionary<string, string>();
        public IReadOnlyList<KvPair> Kv = Array.Empty<KvPair>();
        public IReadOnlyList<MotrProcess> Motr = Array.Empty<MotrProcess>();
        public Dictionary<string, IReadOnlyList<FileSpec>> Files = new Dictionary<string, IReadOnlyList<FileSpec>>(StringComparer.Ordinal);

        /// <summary>The API client with the token read in the validate phase.</summary>
        public ConsulClient Api(ClusterContext ctx) => new ConsulClient(ctx.Runner, ctx.Spec.Section<ConsulSection>().Consul.Ports.Http, Secrets.AclToken);
    }

    private static PlanStep Step(string node, string what) => new PlanStep { Node = node, Description = what };

    private static IEnumerable<PlanStep> EachNode(ClusterContext ctx, Func<string, string> what) => ctx.Spec.Nodes.Select(n => Step(n.Name, what(n.Name)));

    private static string Role(ClusterSpec spec, string node) => spec.Section<ConsulSection>().IsServer(node) ? "server" : "client";

    private sealed class ValidatePhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public ValidatePhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Validate;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"validate {ctx.Spec.SourceFile} ({Summary(ctx.Spec)}); read the secrets it names (consul.encrypt, consul.acl_token)");
        }

        public Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress(run.Spec.SourceFile);
            // The secrets are read before any node is touched: a missing or world-readable file stops here.
            _st.Secrets = ConsulSecrets.Read(run.Spec);
            run.Report("*", PhaseStatus.Ok, Summary(run.Spec), TimeSpan.Zero);
            foreach (var w in Warnings(run.Spec))
            {
                run.Host.Warning(w);
                run.Report("*", PhaseStatus.Warning, w, TimeSpan.Zero);
            }
            return Task.FromResult(true);
        }

        private static string Summary(ClusterSpec spec)
        {
            var s = spec.Section<ConsulSection>();
            var phases = ServicePhaseNumbers(spec);
            return $"{spec.Nodes.Count} nodes ({s.Consul.Servers.Count} servers, {spec.Nodes.Count - s.Consul.Servers.Count} clients), {s.Services.Count} services"
                + (phases.Count > 0 ? $" in phases {string.Join(", ", phases)}" : "")
                + $", gossip encryption {(s.Consul.Encrypt != null ? "on" : "off")}, ACLs {(s.Consul.AclToken != null ? "on" : "off")}";
        }

        private static IEnumerable<string> Warnings(ClusterSpec spec)
        {
            var c = spec.Section<ConsulSection>().Consul;
            if (c.Encrypt == null) yield return "consul.encrypt is not set: gossip between the agents is not encrypted";
            if (c.Servers.Count % 2 == 0) yield return $"{c.Servers.Count} Consul servers: an even number tolerates no more failures than one server less (use 3 or 5)";
        }
    }

    private sealed class PreflightPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public PreflightPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Preflight;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o) =>
            EachNode(ctx, _ => "probe over ssh: consul and curl, the consul unit, the data interface's address, a running agent and whose it is");

        public async Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("probing nodes");
            var sw = Stopwatch.StartNew();
            var facts = await ProbeAllAsync(run.Context, run.Host, run.Token).ConfigureAwait(false);
            var ok = true;
            for (var i = 0; i < facts.Count; i++)
            {
                var f = facts[i];
                _st.Facts[f.Node] = f;
                var errors = ConsulProbe.Checks(f, run.Spec, run.Spec.Nodes[i], run.Options.Force).Where(c => c.Severity == Severity.Error).ToList();
                if (errors.Count > 0)
                {
                    ok = false;
                    run.Report(f.Node, PhaseStatus.Failed, string.Join("; ", errors.Select(e => $"{e.Check}: {e.Message}")), sw.Elapsed);
                }
                else run.Report(f.Node, PhaseStatus.Ok, $"consul {f.Get("version.consul")}, agent {f.Get("agent")}, init {f.Get("init")}", sw.Elapsed);
            }
            if (!ok) run.Report("*", PhaseStatus.Failed, "nothing was changed on any node", TimeSpan.Zero);
            return ok;
        }
    }

    private sealed class GeneratePhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public GeneratePhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Generate;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            var c = ctx.Spec.Section<ConsulSection>().Consul;
            yield return Step("*", $"agent configuration of each node (datacenter {c.Datacenter}; servers {string.Join(", ", c.Servers)} with bootstrap_expect {c.Servers.Count}; "
                + "bind and advertise on the data interface, HTTP on 127.0.0.1, retry_join the servers), its service definitions, and the KV layout");
        }

        public Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("agent configuration and KV layout");
            var probed = _st.Facts.ToDictionary(f => f.Key, f => f.Value.Get("iface.ip"), StringComparer.Ordinal);
            _st.Addresses = ConsulAgentConfig.DataAddresses(run.Spec, probed);
            _st.Kv = HareKv.Generate(run.Spec, _st.Addresses);
            _st.Motr = HareKv.Processes(run.Spec, _st.Addresses);
            foreach (var n in run.Spec.Nodes)
                _st.Files[n.Name] = ConsulAgentConfig.Files(run.Spec, n.Name, _st.Addresses, _st.Secrets, _st.Motr, ConsulProbe.AgentUser(_st.Facts[n.Name]));
            var services = run.Spec.Section<ConsulSection>().Services.Count;
            run.Report("*", PhaseStatus.Ok, $"agent configuration for {run.Spec.Nodes.Count} nodes, {services} service definitions, {_st.Kv.Count} KV keys", TimeSpan.Zero);
            return Task.FromResult(true);
        }
    }

    private sealed class PushPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public PushPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Push;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            var secret = ctx.Spec.Section<ConsulSection>().Consul is { } c && (c.Encrypt != null || c.AclToken != null);
            return EachNode(ctx, _ => $"stage {ConsulAgentConfig.AgentFile} (0644), {ConsulAgentConfig.ServicesFile} (0644)"
                    + (secret ? $" and {ConsulAgentConfig.SecretsFile} (0600, sent on stdin)" : "") + " next to the targets")
                .Concat(EachNode(ctx, _ => "commit them (restore every node if one commit fails); a running agent reloads changed services, restarts on a changed agent configuration"));
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            var sw = Stopwatch.StartNew();
            var pushed = await PushFiles.RunAsync(run, n => _st.Files[n.Name], "agent configuration and services already as declared").ConfigureAwait(false);
            if (!pushed.Ok) return false;
            var api = _st.Api(ctx);
            var services = new ServiceControl(ctx.Runner);
            var ok = true;
            // One node at a time: a restarted server leaves the others their quorum.
            foreach (var n in ctx.Nodes)
            {
                if (!pushed.Changed.TryGetValue(n.Name, out var changed) || !_st.Facts[n.Name].Is("agent", "running")) continue;
                var restart = changed.Contains(ConsulAgentConfig.AgentFile) || changed.Contains(ConsulAgentConfig.SecretsFile);
                try
                {
                    if (restart)
                    {
                        // bind, ports, server mode, the gossip key and ACLs are read only when the agent starts.
                        await services.StopAsync(n, "consul", "consul", run.Token).ConfigureAwait(false);
                        await services.StartAsync(n, "consul", "consul", run.Token).ConfigureAwait(false);
                        run.Report(n.Name, PhaseStatus.Changed, "agent restarted: its agent configuration changed", sw.Elapsed);
                    }
                    else
                    {
                        var r = await api.SendAsync(n, ConsulPaths.Reload(), run.Token).ConfigureAwait(false);
                        ConsulClient.Expect(n.Name, ConsulPaths.Reload(), r, "reload the agent");
                        run.Report(n.Name, PhaseStatus.Changed, "agent reloaded its services and checks", sw.Elapsed);
                    }
                }
                catch (HaException e)
                {
                    ok = false;
                    run.Report(n.Name, PhaseStatus.Failed, e.Message, sw.Elapsed);
                }
            }
            return ok;
        }
    }

    private sealed class AgentsPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public AgentsPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Agents;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o) =>
            EachNode(ctx, n => $"start the consul {Role(ctx.Spec, n)} agent unless it runs (systemd, else /etc/init.d), with its data folder {ConsulAgentConfig.DataDir}");

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            run.Progress("starting agents");
            var sw = Stopwatch.StartNew();
            var need = ctx.Nodes.Where(n => !_st.Facts[n.Name].Is("agent", "running")).ToList();
            foreach (var n in ctx.Nodes.Except(need)) run.Report(n.Name, PhaseStatus.Unchanged, "agent already running", TimeSpan.Zero);
            if (need.Count == 0) return true;
            if (!run.Host.ShouldProcess(string.Join(",", need.Select(n => n.Name)), "start the consul agent")) return false;
            var services = new ServiceControl(ctx.Runner);
            var started = await Fanout.Fanout.RunAsync(need, async (n, c) =>
            {
                var dir = await ctx.Runner.RunAsync(n, new CommandRequest(ConsulCommands.PrepareDataDir(ConsulProbe.AgentUser(_st.Facts[n.Name])), TimeSpan.FromSeconds(20)), c).ConfigureAwait(false);
                if (!dir.Succeeded) throw new NodeCommandException(n.Name, "install -d " + ConsulAgentConfig.DataDir, dir, "make the data folder " + ConsulAgentConfig.DataDir);
                await services.StartAsync(n, "consul", "consul", c).ConfigureAwait(false);
                return (string?)null;
            }, (n, e) => e.Message, new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit }, null, run.Token).ConfigureAwait(false);
            for (var i = 0; i < need.Count; i++)
                run.Report(need[i].Name, started[i] == null ? PhaseStatus.Changed : PhaseStatus.Failed, started[i] ?? $"consul {Role(run.Spec, need[i].Name)} agent started", sw.Elapsed);
            return started.All(s => s == null);
        }
    }

    private sealed class LeaderPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public LeaderPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Leader;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"wait for a Raft leader (/v1/status/leader) and for all {ctx.Spec.Nodes.Count} agents to be alive members (at most {o.QuorumTimeout.TotalSeconds:0} s; a timeout names the missing ones)");
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            run.Progress("waiting for a Raft leader");
            var sw = Stopwatch.StartNew();
            var api = _st.Api(ctx);
            var names = ctx.Spec.Nodes.Select(n => n.Name).ToList();
            var view = await WaitUntil.RunAsync(async c =>
            {
                var (node, a) = await api.OnAnyAsync(ServerTargets(ctx), new[] { ConsulPaths.StatusLeader(), ConsulPaths.Members() }, c).ConfigureAwait(false);
                var leader = ConsulApiParser.Leader(ConsulClient.Expect(node.Name, ConsulPaths.StatusLeader(), a[0]));
                var members = ConsulApiParser.Members(ConsulClient.Expect(node.Name, ConsulPaths.Members(), a[1]));
                return (Leader: leader, Members: members);
            }, v => NotFormed(v.Leader, v.Members, names, ctx.Spec), run.Options.QuorumTimeout, PollEvery, "Consul forming", run.Host, run.Token,
                c => AgentsStillRunningAsync(ctx, c), AgentWatchEvery).ConfigureAwait(false);
            var leaderNode = view.Members.FirstOrDefault(m => view.Leader!.StartsWith(m.Address + ":", StringComparison.Ordinal))?.Name ?? "?";
            run.Report("*", PhaseStatus.Ok, $"Raft leader {view.Leader} ({leaderNode}); {names.Count} of {names.Count} agents alive", sw.Elapsed);
            return true;
        }

        /// <summary>Null when formed, else what is missing (shown as progress and in the timeout's message).</summary>
        internal static string? NotFormed(string? leader, IReadOnlyList<ConsulMember> members, IReadOnlyList<string> nodes, ClusterSpec spec)
        {
            var missing = new List<string>();
            foreach (var n in nodes)
            {
                var m = members.FirstOrDefault(x => x.Name == n);
                if (m == null) missing.Add($"{n} ({Role(spec, n)}) has not joined");
                else if (!m.Alive) missing.Add($"{n} is {m.State}");
            }
            if (leader != null && missing.Count == 0) return null;
            var why = leader == null ? "no Raft leader yet" : "Raft leader " + leader;
            return missing.Count == 0 ? why : $"{why}; {string.Join(", ", missing)}";
        }
    }

    /// <summary>While waiting: an agent that was started and died (a configuration it refused, a port taken) will never
    /// join: say which node now rather than at the timeout.</summary>
    internal static async Task AgentsStillRunningAsync(ClusterContext ctx, CancellationToken ct)
    {
        var probe = new ServiceControl(ctx.Runner) { Timeout = TimeSpan.FromSeconds(10) };
        var dead = await Fanout.Fanout.RunAsync(ctx.Nodes, async (n, c) => !await probe.IsRunningAsync(n, "consul", c).ConfigureAwait(false),
            (n, e) => false, // unreachable now: cannot tell, keep waiting
            new FanoutOptions { ThrottleLimit = ctx.ThrottleLimit, PerNodeTimeout = TimeSpan.FromSeconds(12) }, null, ct).ConfigureAwait(false);
        for (var i = 0; i < dead.Count; i++)
            if (dead[i])
                throw new ClusterStateException($"{ctx.Nodes[i].Name}: the consul agent is not running any more (it was started, then stopped or died; see its log on {ctx.Nodes[i].Name}): re-run the bootstrap once it is fixed", ctx.Nodes[i].Name);
    }

    private sealed class KvPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public KvPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Kv;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"compare the KV with the layout (m0conf/ and epoch, leader, last_fidk) and write only the difference, compare-and-set in /v1/txn batches of {ConsulKvSync.Batch}");
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            run.Progress("KV import");
            var sw = Stopwatch.StartNew();
            var api = _st.Api(ctx);
            var reads = ConsulKvSync.Reads();
            var (node, answers) = await api.OnAnyAsync(ServerTargets(ctx), reads, run.Token).ConfigureAwait(false);
            var current = new List<ConsulKvEntry>();
            for (var i = 0; i < reads.Count; i++)
                if (answers[i].Code != 404) current.AddRange(ConsulOutputParser.Kv(ConsulClient.Expect(node.Name, reads[i], answers[i], "read the KV")));
            var ops = ConsulKvSync.Plan(_st.Kv, current);
            if (ops.Count == 0)
            {
                run.Report("*", PhaseStatus.Unchanged, $"{_st.Kv.Count} KV keys already as declared", sw.Elapsed);
                return true;
            }
            foreach (var op in ops) run.Host.Verbose("KV: " + op);
            var counts = string.Join(", ", ops.GroupBy(o => o.Why).Select(g => $"{g.Count()} {g.Key}"));
            if (!run.Host.ShouldProcess(run.Spec.Name, $"write the KV: {counts}")) return false;
            var bodies = ConsulKvSync.TxnBodies(ops);
            for (var b = 0; b < bodies.Count; b++)
            {
                var txn = ConsulPaths.Txn(bodies[b]);
                var (on, r) = await api.OnAnyAsync(ServerTargets(ctx), txn, run.Token).ConfigureAwait(false);
                if (r.Code == 409)
                {
                    var errors = ConsulApiParser.TxnErrors(r.Body).Select(e => $"{ops[b * ConsulKvSync.Batch + e.OpIndex].Key}: {e.What}");
                    run.Report("*", PhaseStatus.Failed, $"KV import rolled back (batch {b + 1} of {bodies.Count}): {string.Join("; ", errors)}; someone else changed these keys meanwhile: re-run to compare again", sw.Elapsed);
                    return false;
                }
                ConsulClient.Expect(on.Name, txn, r, $"KV import (batch {b + 1} of {bodies.Count})");
            }
            run.Report("*", PhaseStatus.Changed, $"KV: {counts} ({bodies.Count} transaction{(bodies.Count == 1 ? "" : "s")})", sw.Elapsed);
            return true;
        }
    }

    private sealed class ElectPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public ElectPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Elect;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"elect the RC leader unless one holds the '{LeaderKey}' key: a session on the first server that can have one, bound to its serfHealth and its hax and confd checks, "
                + $"then PUT /v1/kv/{LeaderKey}?acquire (a session bound to serfHealth only is destroyed and the election redone; at most {o.QuorumTimeout.TotalSeconds:0} s)");
        }

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            run.Progress("electing the RC leader");
            var sw = Stopwatch.StartNew();
            var rc = new RcLeader(ctx, _st.Api(ctx));
            var first = await rc.ReadAsync(run.Token).ConfigureAwait(false);
            if (first.Elected && !first.SerfHealthOnly)
            {
                run.Report("*", PhaseStatus.Unchanged, $"RC leader {first.Node} (session {first.Session})", sw.Elapsed);
                return true;
            }
            if (!run.Host.ShouldProcess(run.Spec.Name, "elect the RC leader (a session and the lock on the 'leader' key)")) return false;
            var done = await WaitUntil.RunAsync(c => rc.TryElectAsync(run.Host, c), r => r.Elected ? null : r.Why, run.Options.QuorumTimeout, PollEvery,
                "RC leader election", run.Host, run.Token).ConfigureAwait(false);
            run.Report("*", PhaseStatus.Changed, $"RC leader {done.Node} (session {done.Session})", sw.Elapsed);
            return true;
        }
    }

    private sealed class ServicePhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        private readonly int _number;
        public ServicePhase(BootstrapState st, int number) { _st = st; _number = number; }
        public string Name => ConsulPhases.ServicePhase(_number);

        private static List<ConsulService> Of(ClusterSpec spec, int n) =>
            spec.Section<ConsulSection>().Services.Where(s => !s.External && s.Phase == n).ToList();

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            var services = Of(ctx.Spec, _number);
            var fids = ConsulServices.Fids(ctx.Spec);
            if (services.Any(HasMkfs) && !o.Mkfs) yield return Step("*", "mkfs skipped: not requested (-Mkfs)");
            foreach (var s in services.Where(s => o.Mkfs && HasMkfs(s)))
                yield return Step(s.Node, $"mkfs of {s.Id}: {(s.MkfsUnit != null ? "unit " + Fill(s.MkfsUnit, s, fids) : "command " + string.Join(" ", s.MkfsCommand!))} (its data is lost; refused while {s.Id} runs" + (o.Force ? ", unless -Force)" : ")"));
            foreach (var s in services)
                yield return Step(s.Node, $"start {s.Id} ({(s.Unit != null ? "unit " + Fill(s.Unit, s, fids) : "command " + string.Join(" ", s.Command!))}) unless it runs");
            yield return Step("*", $"wait until the checks of phase {_number} pass (at most {o.ResourceTimeout.TotalSeconds:0} s; a failed unit stops the wait at once)");
        }

        private static bool HasMkfs(ConsulService s) => s.MkfsUnit != null || s.MkfsCommand != null;

        private static string Fill(string unit, ConsulService s, IReadOnlyDictionary<ConsulService, string> fids) => ConsulServices.Fill(unit, s, fids)!;

        public async Task<bool> RunAsync(PhaseRun run)
        {
            var ctx = run.Context;
            var services = Of(run.Spec, _number);
            var sw = Stopwatch.StartNew();
            var control = new ConsulServices(ctx, _st.Api(ctx));
            if (run.Options.Mkfs && services.Any(HasMkfs))
            {
                run.Progress($"mkfs of phase {_number}");
                if (!await control.MkfsAsync(run, services.Where(HasMkfs).ToList(), sw).ConfigureAwait(false)) return false;
            }
            run.Progress($"starting phase {_number}");
            if (!await control.StartAsync(run, services, sw).ConfigureAwait(false)) return false;
            run.Progress($"waiting for phase {_number}'s checks");
            var checks = await control.WaitPassingAsync(run, services, run.Options.ResourceTimeout, $"Phase {_number} starting").ConfigureAwait(false);
            run.Report("*", PhaseStatus.Ok, $"{checks} checks passing: {string.Join(", ", services.Select(s => s.Node + "/" + s.Id))}", sw.Elapsed);
            return true;
        }
    }

    private sealed class HealthPhase : IBootstrapPhase
    {
        private readonly BootstrapState _st;
        public HealthPhase(BootstrapState st) { _st = st; }
        public string Name => ConsulPhases.Health;

        public IEnumerable<PlanStep> Plan(ClusterContext ctx, BootstrapOptions o)
        {
            yield return Step("*", $"every service check and every node's serfHealth passing (at most {Bound(o).TotalSeconds:0} s)");
        }

        private static TimeSpan Bound(BootstrapOptions o) => o.ResourceTimeout < HealthTimeout ? o.ResourceTimeout : HealthTimeout;

        public async Task<bool> RunAsync(PhaseRun run)
        {
            run.Progress("final health");
            var sw = Stopwatch.StartNew();
            var services = run.Spec.Section<ConsulSection>().Services.Where(s => !s.External).ToList();
            var checks = await new ConsulServices(run.Context, _st.Api(run.Context)).WaitPassingAsync(run, services, Bound(run.Options), "Health", nodesToo: true).ConfigureAwait(false);
            run.Report("*", PhaseStatus.Ok, $"{checks} checks passing on {run.Spec.Nodes.Count} nodes", sw.Elapsed);
            return true;
        }
    }
}

/// <summary>The names of the consul stack's bootstrap phases (PhaseResult.Phase, PlanStep.Phase).</summary>
public static class ConsulPhases
{
    public const string Validate = "validate";
    public const string Preflight = "preflight";
    public const string Generate = "generate";
    public const string Push = "push";
    public const string Agents = "agents";
    public const string Leader = "leader";
    public const string Kv = "kv";
    public const string Elect = "elect";
    public const string Health = "health";

    /// <summary>phase1, phase2 … (Hare's names).</summary>
    public static string ServicePhase(int n) => "phase" + n.ToString(CultureInfo.InvariantCulture);
}
