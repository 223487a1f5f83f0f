using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>The services of a consul cluster file on their nodes: their state, mkfs, start, stop, and the wait for
/// their Consul checks. Every node's answer is a result row; a node that fails does not hide the others.</summary>
internal sealed class ConsulServices
{
    private readonly ClusterContext _ctx;
    private readonly ConsulClient _api;
    private readonly IReadOnlyDictionary<ConsulService, string> _fids;

    public ConsulServices(ClusterContext ctx, ConsulClient api)
    {
        _ctx = ctx;
        _api = api;
        _fids = Fids(ctx.Spec);
    }

    /// <summary>The process fid of each Motr service: the KV layout's numbering, which does not depend on addresses, so
    /// it is known without asking any node (for the plan, for stop).</summary>
    public static IReadOnlyDictionary<ConsulService, string> Fids(ClusterSpec spec)
    {
        var any = spec.Nodes.ToDictionary(n => n.Name, n => System.Net.IPAddress.TryParse(n.Address, out _) ? n.Address : "0.0.0.0", StringComparer.Ordinal);
        return HareKv.ProcessFids(spec, any);
    }

    public static string? Fill(string? unit, ConsulService s, IReadOnlyDictionary<ConsulService, string> fids) =>
        unit == null ? null : fids.TryGetValue(s, out var fid) ? unit.Replace(ConsulService.FidToken, fid) : unit;

    public string? Unit(ConsulService s) => Fill(s.Unit, s, _fids);

    public string Describe(ConsulService s) => s.Unit != null ? "unit " + Unit(s) : "command " + string.Join(" ", s.Command!);

    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MkfsTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private async Task<string> RunAsync(NodeTarget node, string[] argv, TimeSpan timeout, string what, CancellationToken ct)
    {
        var r = await _ctx.Runner.RunAsync(node, new CommandRequest(argv, timeout), ct).ConfigureAwait(false);
        if (!r.Succeeded) throw new NodeCommandException(node.Name, what, r, what);
        return r.StdOut.Trim().Split('\n').Last().Trim();
    }

    /// <summary>ACTIVE, INACTIVE, FAILED or NOUNIT per service, read node by node in parallel (a node that does not
    /// answer gives its services the error instead).</summary>
    public async Task<Dictionary<ConsulService, (string? State, string? Error)>> StatesAsync(IReadOnlyList<ConsulService> services, CancellationToken ct)
    {
        var byNode = services.GroupBy(s => s.Node).ToList();
        var nodes = byNode.Select(g => _ctx.Node(g.Key)).ToList();
        var answers = await Fanout.Fanout.RunAsync(nodes, async (n, c) =>
        {
            var states = new List<(ConsulService, string?, string?)>();
            foreach (var s in byNode.First(g => g.Key == n.Name))
                states.Add((s, await RunAsync(n, ConsulCommands.State(s, Unit(s)), StateTimeout, $"state of {s.Id}", c).ConfigureAwait(false), null));
            return states;
        }, (n, e) => byNode.First(g => g.Key == n.Name).Select(s => (s, (string?)null, (string?)e.Message)).ToList(),
        new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit }, null, ct).ConfigureAwait(false);
        return answers.SelectMany(a => a).ToDictionary(a => a.Item1, a => (a.Item2, a.Item3));
    }

    /// <summary>-Mkfs: each service's mkfs step, refused (all of them, before any runs) while one of them runs, unless -Force.</summary>
    public async Task<bool> MkfsAsync(PhaseRun run, IReadOnlyList<ConsulService> services, Stopwatch sw)
    {
        var states = await StatesAsync(services, run.Token).ConfigureAwait(false);
        var ok = true;
        foreach (var s in services)
        {
            var (state, error) = states[s];
            if (error != null) { ok = false; run.Report(s.Node, PhaseStatus.Failed, error, sw.Elapsed); }
            else if (state == "ACTIVE" && !run.Options.Force)
            {
                ok = false;
                run.Report(s.Node, PhaseStatus.Failed, $"{s.Id} runs: mkfs refused (stop the cluster first with Stop-HaCluster, leave out -Mkfs, or -Force)", sw.Elapsed);
            }
        }
        if (!ok) { run.Report("*", PhaseStatus.Failed, "no mkfs was run", sw.Elapsed); return false; }
        if (!run.Host.ShouldProcess(string.Join(",", services.Select(s => s.Node).Distinct()), $"mkfs of {string.Join(", ", services.Select(s => s.Id))} (their data is lost)")) return false;
        return await PerNodeAsync(run, services, sw, async (n, s, c) =>
        {
            await RunAsync(n, ConsulCommands.Mkfs(s, Fill(s.MkfsUnit, s, _fids)), MkfsTimeout, $"mkfs of {s.Id}", c).ConfigureAwait(false);
            return (PhaseStatus.Changed, $"mkfs of {s.Id} done");
        }).ConfigureAwait(false);
    }

    /// <summary>Starts every service that does not run, node by node in parallel (the services of one node in file order).</summary>
    public async Task<bool> StartAsync(PhaseRun run, IReadOnlyList<ConsulService> services, Stopwatch sw)
    {
        var states = await StatesAsync(services, run.Token).ConfigureAwait(false);
        var need = new List<ConsulService>();
        var ok = true;
        foreach (var s in services)
        {
            var (state, error) = states[s];
            if (error != null) { ok = false; run.Report(s.Node, PhaseStatus.Failed, error, sw.Elapsed); }
            else if (state == "NOUNIT") { ok = false; run.Report(s.Node, PhaseStatus.Failed, $"{s.Id}: no unit {Unit(s)} on this node (neither systemd nor /etc/init.d knows it)", sw.Elapsed); }
            else if (state == "ACTIVE") run.Report(s.Node, PhaseStatus.Unchanged, $"{s.Id} already runs", sw.Elapsed);
            else need.Add(s);
        }
        if (!ok) return false;
        if (need.Count == 0) return true;
        if (!run.Host.ShouldProcess(string.Join(",", need.Select(s => s.Node).Distinct()), $"start {string.Join(", ", need.Select(s => s.Id))}")) return false;
        return await PerNodeAsync(run, need, sw, async (n, s, c) =>
        {
            await RunAsync(n, ConsulCommands.Start(s, Unit(s)), StartTimeout, $"start {s.Id}", c).ConfigureAwait(false);
            return (PhaseStatus.Changed, $"{s.Id} started ({Describe(s)})");
        }).ConfigureAwait(false);
    }

    /// <summary>Stops the services that run (state read first), node by node in parallel; one row per service.</summary>
    public async Task<List<PhaseResult>> StopAsync(IReadOnlyList<ConsulService> services, string phase, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var byNode = services.GroupBy(s => s.Node).ToList();
        var rows = await Fanout.Fanout.RunAsync(byNode.Select(g => _ctx.Node(g.Key)).ToList(), async (n, c) =>
        {
            var list = new List<PhaseResult>();
            foreach (var s in byNode.First(g => g.Key == n.Name))
            {
                try
                {
                    var word = await RunAsync(n, ConsulCommands.Stop(s, Unit(s)), StartTimeout, $"stop {s.Id}", c).ConfigureAwait(false);
                    list.Add(Row(phase, n.Name, word == "DONE" ? PhaseStatus.Changed : PhaseStatus.Unchanged, word == "DONE" ? $"{s.Id} stopped" : $"{s.Id} was not running", sw.Elapsed));
                }
                catch (HaException e) { list.Add(Row(phase, n.Name, PhaseStatus.Failed, e.Message, sw.Elapsed)); }
            }
            return list;
        }, (n, e) => new List<PhaseResult> { Row(phase, n.Name, PhaseStatus.Failed, e.Message, sw.Elapsed) },
        new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit }, null, ct).ConfigureAwait(false);
        return rows.SelectMany(r => r).ToList();
    }

    private static PhaseResult Row(string phase, string node, PhaseStatus status, string message, TimeSpan d) =>
        new PhaseResult { Phase = phase, Node = node, Status = status, Message = message, Duration = d };

    private async Task<bool> PerNodeAsync(PhaseRun run, IReadOnlyList<ConsulService> services, Stopwatch sw,
        Func<NodeTarget, ConsulService, CancellationToken, Task<(PhaseStatus, string)>> act)
    {
        var byNode = services.GroupBy(s => s.Node).ToList();
        var nodes = byNode.Select(g => _ctx.Node(g.Key)).ToList();
        var results = await Fanout.Fanout.RunAsync(nodes, async (n, c) =>
        {
            var rows = new List<(PhaseStatus, string)>();
            foreach (var s in byNode.First(g => g.Key == n.Name))
            {
                try { rows.Add(await act(n, s, c).ConfigureAwait(false)); }
                catch (HaException e) { rows.Add((PhaseStatus.Failed, e.Message)); break; }
            }
            return rows;
        }, (n, e) => new List<(PhaseStatus, string)> { (PhaseStatus.Failed, e.Message) }, new FanoutOptions { ThrottleLimit = _ctx.ThrottleLimit }, null, run.Token).ConfigureAwait(false);
        for (var i = 0; i < nodes.Count; i++)
            foreach (var (status, message) in results[i]) run.Report(nodes[i].Name, status, message, sw.Elapsed);
        return results.All(r => r.All(x => x.Item1 != PhaseStatus.Failed));
    }

    /// <summary>Waits (bounded) until the check of every service passes (and, with <paramref name="nodesToo"/>, every node's
    /// serfHealth). A unit check that turns critical means the unit failed: the wait stops at once and names it. Returns
    /// how many checks pass.</summary>
    public async Task<int> WaitPassingAsync(PhaseRun run, IReadOnlyList<ConsulService> services, TimeSpan timeout, string what, bool nodesToo = false)
    {
        var nodes = nodesToo ? run.Spec.Nodes.Select(n => n.Name).ToList() : new List<string>();
        var checks = await WaitUntil.RunAsync(async c =>
        {
            var (node, a) = await _api.OnAnyAsync(ConsulStack.ServerTargets(_ctx), ConsulPaths.HealthAny(), c).ConfigureAwait(false);
            var all = ConsulApiParser.Checks(ConsulClient.Expect(node.Name, ConsulPaths.HealthAny(), a));
            foreach (var s in services.Where(s => s.Health.Kind == HealthKind.Unit))
                if (Find(all, s) is { Critical: true } failed)
                    throw new HaException($"{s.Node}: {s.Id} ({Describe(s)}) failed: its check is critical{Out(failed)}") { Target = s.Node };
            return all;
        }, all => Pending(all, services, nodes), timeout, ConsulStack.PollEvery, what, run.Host, run.Token).ConfigureAwait(false);
        return services.Count + nodes.Count;
    }

    private static ConsulCheck? Find(IReadOnlyList<ConsulCheck> all, ConsulService s) =>
        all.FirstOrDefault(c => c.Node == s.Node && c.CheckId == ConsulAgentConfig.CheckId(s));

    private static string Out(ConsulCheck c) => c.Output.Trim().Length > 0 ? ": " + MessageText.Tail(c.Output) : "";

    internal static string? Pending(IReadOnlyList<ConsulCheck> all, IReadOnlyList<ConsulService> services, IReadOnlyList<string> nodes)
    {
        var pending = new List<string>();
        foreach (var n in nodes)
        {
            var serf = all.FirstOrDefault(c => c.Node == n && c.CheckId == "serfHealth");
            if (serf == null) pending.Add($"{n}: no serfHealth (not a member)");
            else if (!serf.Passing) pending.Add($"{n}: serfHealth {serf.Status}{Out(serf)}");
        }
        foreach (var s in services)
        {
            var c = Find(all, s);
            if (c == null) pending.Add($"{s.Node}/{s.Id}: check not registered yet");
            else if (!c.Passing) pending.Add($"{s.Node}/{s.Id}: {c.Status}{Out(c)}");
        }
        return pending.Count == 0 ? null : string.Join("; ", pending);
    }
}
