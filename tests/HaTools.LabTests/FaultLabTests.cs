using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>
/// One fault on one node at one moment of a bootstrap from bare nodes (examples/lab.yaml), injected by a runner
/// decorator just before (or while, or just after) the matching command goes out. Then: the result names the node
/// and the phase; corosync.conf and authkey are the old ones on every node or the new ones on every node, never a
/// mix; after healing, a re-run converges (no Failed phase, 3 nodes online with quorum, resources started).
///
///   scenario                     phase          node   fault                                   expected state
///   stage-hung                   push(stage)    node2  sshd frozen before its stage           all old (staged discarded)
///   commit-answer-lost           push(commit)   node3  commit done, answer lost (sshd dies)   all old (node3 undone too)
///   commit-hung                  push(commit)   node1  sshd frozen before its commit          all old after thaw (others restored)
///   start-sshd-dies              start          node2  every sshd killed mid pacemaker start   all new, half started
///   start-corosync-killed        start→quorum   node3  corosync killed before pacemaker start all new; quorum names node3
///   configure-stack-killed       configure      node1  its stack killed before cibadmin       all new; CIB written via node2
/// </summary>
[Collection("lab")]
public class FaultLabTests : IDisposable
{
    /// <summary>No ssh sessions left on the nodes by this class (other lab tests count processes).</summary>
    public void Dispose() => LabCluster.CloseMasters(LabCluster.ControlDir);

    private const string Conf = "/etc/corosync/corosync.conf";
    private const string Key = "/etc/corosync/authkey";
    private readonly ITestOutputHelper _out;

    public FaultLabTests(ITestOutputHelper output) { _out = output; }

    private enum When { Before, During, AnswerLost }

    private sealed record Scenario(string Name, string Phase, string Node, When When, Func<CommandRequest, bool> Match, Action<string> Fault, Action<string> Heal, bool ExpectNew);

    private static bool Push(CommandRequest r, string action) => r.Argv.Count > 5 && r.Argv[0] == "sh" && r.Argv[4] == action && r.Argv[5] == Conf;
    private static bool Service(CommandRequest r, string unit) => r.Argv.Count > 5 && r.Argv[0] == "sh" && r.Argv[4] == unit && r.Argv[5] == "start";
    private static void Nothing(string node) { }

    private static readonly Scenario[] Scenarios =
    {
        new("stage-hung", "push", "node2", When.Before, r => Push(r, "stage"), Lab.Freeze, Lab.Thaw, false),
        new("commit-answer-lost", "push", "node3", When.AnswerLost, r => Push(r, "commit"), Nothing, Nothing, false),
        new("commit-hung", "push", "node1", When.Before, r => Push(r, "commit"), Lab.Freeze, Lab.Thaw, false),
        new("start-sshd-dies", "start", "node2", When.During, r => Service(r, "pacemaker"), Lab.KillSshd, n => Lab.WaitForSsh(n), true),
        // Found where it shows: the cluster cannot form; named at once by the quorum phase's daemon check.
        new("start-corosync-killed", "quorum", "node3", When.Before, r => Service(r, "pacemaker"), Lab.KillStack, Nothing, true),
        new("configure-stack-killed", "configure", "node1", When.Before, r => r.Argv[0] == "cibadmin" && r.Argv.Contains("--replace"), Lab.KillStack, Nothing, true),
    };

    public static IEnumerable<object[]> Names() => Scenarios.Select(s => new object[] { s.Name });

    [LabTheory]
    [MemberData(nameof(Names))]
    public async Task A_fault_mid_bootstrap_leaves_old_or_new_never_a_mix_and_a_rerun_converges(string name)
    {
        var sc = Scenarios.Single(s => s.Name == name);
        Lab.Reset("all");
        var nodes = new[] { "node1", "node2", "node3" };
        foreach (var n in nodes) Lab.WaitForSsh(n);
        var old = nodes.ToDictionary(n => n, n => Hashes(n));
        var inner = LabCluster.NewRunner();
        var faulty = new FaultRunner(inner, sc.Node, sc.Match, sc.Fault, sc.When);
        var ctx = LabCluster.Example(faulty);
        var sw = Stopwatch.StartNew();
        IReadOnlyList<PhaseResult> phases;
        try
        {
            phases = await ctx.Provider().BootstrapAsync(ctx, new BootstrapOptions { QuorumTimeout = TimeSpan.FromSeconds(60), ResourceTimeout = TimeSpan.FromSeconds(60) }, new RecordingHost(), default);
        }
        finally
        {
            sc.Heal(sc.Node);
        }
        var took = sw.Elapsed;
        _out.WriteLine($"{name}: fault fired={faulty.Fired}, bootstrap {took.TotalSeconds:0.0} s");
        foreach (var p in phases) _out.WriteLine($"  {p.Phase,-10} {p.Node,-6} {p.Status,-9} {p.Message}");
        Assert.True(faulty.Fired, "the fault was never injected");
        Assert.True(took < TimeSpan.FromSeconds(75), $"a single fault held the bootstrap for {took.TotalSeconds:0} s");

        // The result names the node and the phase.
        Assert.Contains(phases, p => p.Phase == sc.Phase && (p.Status == PhaseStatus.Failed || p.Status == PhaseStatus.Warning) && (p.Node == sc.Node || p.Message.Contains(sc.Node, StringComparison.Ordinal))
            || p.Phase == "health" && p.Status == PhaseStatus.Warning && p.Message.Contains(sc.Node, StringComparison.Ordinal));

        // Old everywhere or new everywhere: corosync.conf and authkey, by hash; never a leftover staged file.
        var now = nodes.ToDictionary(n => n, n => Hashes(n));
        if (!sc.ExpectNew)
        {
            foreach (var n in nodes) Assert.True(old[n] == now[n], $"{n}: expected the old files, got {now[n]} (was {old[n]})");
        }
        else
        {
            Assert.Single(now.Values.Distinct());
            Assert.NotEqual(old["node1"].Conf, now["node1"].Conf);
            Assert.NotEqual("", now["node1"].Key);
        }
        foreach (var n in nodes)
        {
            var key = Lab.Exec(n, "sh", "-c", $"[ -e {Key} ] && stat -c '%a %U' {Key} || echo none").StdOut.Trim();
            Assert.True(key is "none" or "400 root", $"{n}: authkey {key}");
            if (n != sc.Node) Assert.Equal("", Lab.Exec(n, "sh", "-c", "ls -A /etc/corosync | grep -F hatools-stage || true").StdOut.Trim());
        }

        // Healed: a re-run (no faults) converges to the declared state.
        var ctx2 = LabCluster.Example(inner);
        sw.Restart();
        var again = await ctx2.Provider().BootstrapAsync(ctx2, new BootstrapOptions { QuorumTimeout = TimeSpan.FromSeconds(60), ResourceTimeout = TimeSpan.FromSeconds(60) }, new RecordingHost(), default);
        _out.WriteLine($"re-run {sw.Elapsed.TotalSeconds:0.0} s");
        foreach (var p in again) _out.WriteLine($"  {p.Phase,-10} {p.Node,-6} {p.Status,-9} {p.Message}");
        Assert.DoesNotContain(again, p => p.Status == PhaseStatus.Failed);
        var s = await ctx2.Provider().GetStatusAsync(ctx2, default);
        Assert.Equal(3, s.Nodes.Count(n => n.Online));
        Assert.True(s.Quorate);
        Assert.All(s.Resources, r => Assert.Equal("Started", r.Role));
        var final = nodes.Select(n => Hashes(n)).Distinct().ToList();
        Assert.Single(final);
        Assert.NotEqual("", final[0].Key);
    }

    private static (string Conf, string Key) Hashes(string node)
    {
        var r = Lab.Exec(node, "sh", "-c", $"sha256sum {Conf} 2>/dev/null | cut -d' ' -f1; echo /; sha256sum {Key} 2>/dev/null | cut -d' ' -f1; true");
        var parts = r.StdOut.Split('/');
        return (parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : "");
    }

    /// <summary>Forwards every command; the first one that matches on the chosen node gets the fault.</summary>
    private sealed class FaultRunner : ICommandRunner
    {
        private readonly ICommandRunner _inner;
        private readonly string _node;
        private readonly Func<CommandRequest, bool> _match;
        private readonly Action<string> _fault;
        private readonly When _when;
        private int _fired;

        public FaultRunner(ICommandRunner inner, string node, Func<CommandRequest, bool> match, Action<string> fault, When when)
        {
            _inner = inner; _node = node; _match = match; _fault = fault; _when = when;
        }

        public bool Fired => _fired == 1;

        public async Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken ct = default)
        {
            if (node.Name != _node || !_match(request) || Interlocked.Exchange(ref _fired, 1) == 1)
                return await _inner.RunAsync(node, request, ct).ConfigureAwait(false);
            switch (_when)
            {
                case When.Before:
                    _fault(node.Name);
                    return await _inner.RunAsync(node, request, ct).ConfigureAwait(false);
                case When.During:
                    var run = _inner.RunAsync(node, request, ct);
                    await Task.Delay(300, ct).ConfigureAwait(false);
                    _fault(node.Name);
                    return await run.ConfigureAwait(false);
                default:
                    var done = await _inner.RunAsync(node, request, ct).ConfigureAwait(false);
                    Assert.True(done.Succeeded, "the command itself should have worked: " + done.StdErr);
                    return new CommandResult { Node = node.Name, ExitCode = 255, Unreachable = true, Error = $"unreachable: Connection to {node.Address} closed by remote host (injected after the command ran)" };
            }
        }
    }
}

/// <summary>A theory that runs only as root with HATOOLS_LAB=1.</summary>
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        if (!Lab.Enabled) Skip = Lab.SkipReason;
    }
}
