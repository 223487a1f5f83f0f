using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>
/// Two operators at once on real nodes: the race of issue 9 (two bootstraps of examples/lab.yaml started together on
/// bare nodes), ten times. Each operator has its own context and its own ssh runner (own control sockets), as two
/// hatools processes would.
/// </summary>
[Collection("lab")]
public class LockLabTests
{
    private const string HeldDir = "/var/run/hatools/lock/held";
    private readonly ITestOutputHelper _out;

    public LockLabTests(ITestOutputHelper output) { _out = output; }

    private void Log(string message)
    {
        _out.WriteLine(message);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "hatools-lab-timings.txt"), $"{DateTime.UtcNow:O} {message}\n");
    }

    private static ClusterContext Operator(string name, TimeSpan wait, out SshCommandRunner runner)
    {
        runner = new SshCommandRunner(new SshRunnerOptions { ControlDirectory = Path.Combine(LabCluster.ControlDir, name) });
        return new ClusterContext(SpecLoader.Load(LabCluster.ExampleFile), runner) { Lock = ClusterLockOptions.Default with { Wait = wait } };
    }

    [LabFact]
    public async Task Two_bootstraps_started_together_on_bare_nodes_end_with_one_cluster_ten_times()
    {
        Lab.Reset("all");
        var total = Stopwatch.StartNew();
        var lines = new List<string>();
        try
        {
            for (var round = 1; round <= 10; round++)
            {
                // Rounds 1-5: the second operator is refused; rounds 6-10: it waits, then converges.
                var waits = round > 5;
                var a = Operator("a" + round, waits ? TimeSpan.FromSeconds(90) : TimeSpan.Zero, out var ra);
                var b = Operator("b" + round, waits ? TimeSpan.FromSeconds(90) : TimeSpan.Zero, out var rb);
                try
                {
                    var sw = Stopwatch.StartNew();
                    using var go = new ManualResetEventSlim();
                    async Task<(IReadOnlyList<PhaseResult>? Phases, Exception? Error, TimeSpan At)> Run(ClusterContext c)
                    {
                        go.Wait();
                        try { var p = await c.Provider().BootstrapAsync(c, new BootstrapOptions(), new RecordingHost(), default); return (p, null, sw.Elapsed); }
                        catch (HaException e) { return (null, e, sw.Elapsed); }
                    }
                    var ta = Task.Run(() => Run(a));
                    var tb = Task.Run(() => Run(b));
                    go.Set();
                    var results = await Task.WhenAll(ta, tb);
                    foreach (var (r, who) in results.Zip(new[] { "a", "b" }))
                        foreach (var p in r.Phases?.Where(p => p.Status == PhaseStatus.Failed) ?? Enumerable.Empty<PhaseResult>())
                            _out.WriteLine($"  round {round} {who}: FAILED {p.Phase} {p.Node} {p.Message}");

                    var ok = results.Where(r => r.Phases != null && r.Phases.All(p => p.Status != PhaseStatus.Failed)).ToList();
                    var changed = ok.Where(r => r.Phases!.Any(p => p.Status == PhaseStatus.Changed)).ToList();
                    var busy = results.Where(r => r.Error is ClusterBusyException).ToList();
                    string outcome;
                    if (!waits)
                    {
                        Assert.True(ok.Count == 1 && busy.Count == 1,
                            $"round {round}: expected one Ok and one ClusterBusy, got {string.Join(" | ", results.Select(Describe))}");
                        var refusal = (ClusterBusyException)busy[0].Error!;
                        Assert.Contains("'bootstrap' by " + Environment.MachineName, refusal.Message);
                        outcome = $"Ok in {ok[0].At.TotalSeconds:0.0} s; other ClusterBusy after {busy[0].At.TotalSeconds:0.00} s: {refusal.Message}";
                    }
                    else
                    {
                        // The waiter runs after the first and finds the cluster it declares: every phase Unchanged/Ok.
                        Assert.True(ok.Count == 2 && changed.Count == 1,
                            $"round {round}: expected one bootstrap that changed and one that converged, got {string.Join(" | ", results.Select(Describe))}");
                        var later = ok.Single(r => !ReferenceEquals(r.Phases, changed[0].Phases));
                        Assert.Contains(later.Phases!, p => p.Phase == "configure" && p.Status == PhaseStatus.Unchanged);
                        outcome = $"Ok (changed) in {changed[0].At.TotalSeconds:0.0} s; other waited and converged (no change) at {later.At.TotalSeconds:0.0} s";
                    }

                    // The cluster runs: three nodes online with quorum, the resources started.
                    var s = await a.Provider().GetStatusAsync(a, default);
                    Assert.Equal(3, s.Nodes.Count(n => n.Online));
                    Assert.True(s.Quorate);
                    Assert.All(s.Resources, r => Assert.Equal("Started", r.Role));
                    Assert.All(a.Nodes, n => Assert.Equal(1, Lab.Exec(n.Name, "test", "-e", HeldDir).ExitCode));

                    // A third bootstrap with no change changes nothing.
                    var third = await b.Provider().BootstrapAsync(b, new BootstrapOptions(), new RecordingHost(), default);
                    Assert.DoesNotContain(third, p => p.Status is PhaseStatus.Changed or PhaseStatus.Failed);

                    var down = await a.Provider().RemoveClusterAsync(a, new RecordingHost(), default);
                    Assert.DoesNotContain(down, p => p.Status == PhaseStatus.Failed);
                    lines.Add($"round {round,2} ({(waits ? "wait" : "refuse")}): {outcome}; round {sw.Elapsed.TotalSeconds:0.0} s");
                    Log(lines[^1]);
                }
                finally
                {
                    ra.Dispose();
                    rb.Dispose();
                }
            }
        }
        finally
        {
            LabCluster.CloseMasters(LabCluster.ControlDir);
        }
        Log($"two bootstraps together, ten rounds: {total.Elapsed.TotalSeconds:0.0} s");
    }

    private static string Describe((IReadOnlyList<PhaseResult>? Phases, Exception? Error, TimeSpan At) r) =>
        r.Error != null ? r.Error.GetType().Name + ": " + r.Error.Message
        : string.Join(", ", r.Phases!.GroupBy(p => p.Status).Select(g => $"{g.Count()} {g.Key}"));

    [LabFact]
    public async Task Lock_overhead_per_change_and_a_busy_cluster_is_refused_then_waited_for()
    {
        Lab.Reset("all");
        var a = Operator("ova", TimeSpan.Zero, out var ra);
        var b = Operator("ovb", TimeSpan.FromSeconds(20), out var rb);
        try
        {
            var host = new RecordingHost();
            // Warm the connections as a changing command's own guard would.
            await Fanout(a);
            var sw = Stopwatch.StartNew();
            const int n = 20;
            for (var i = 0; i < n; i++)
            {
                await using var held = await ClusterLock.AcquireAsync(a, "measure", host, default);
                Assert.Equal(new[] { "node1", "node2", "node3" }, held.Nodes);
            }
            var lockMs = sw.Elapsed.TotalMilliseconds / n;
            // The yardstick: one warm ssh round trip to one node through the same runner.
            sw.Restart();
            for (var i = 0; i < n; i++) Assert.Equal(0, (await a.Runner.RunAsync(a.Nodes[0], new CommandRequest(new[] { "true" }))).ExitCode);
            Log($"cluster lock take+release, 3 nodes, warm connections: {lockMs:0} ms per change (one warm ssh round trip 'true': {sw.Elapsed.TotalMilliseconds / n:0} ms)");

            // While a holds it, b is refused at once (Wait 0) or waits (Wait 20 s) until a releases.
            var holding = await ClusterLock.AcquireAsync(a, "hold for the test", host, default);
            foreach (var node in a.Nodes)
                Assert.Contains("op=hold for the test", Lab.Exec(node.Name, "cat", HeldDir + "/holder").StdOut);
            Assert.Equal("700", Lab.Exec("node1", "stat", "-c", "%a", "/var/run/hatools/lock").StdOut.Trim());
            var refused = await Assert.ThrowsAsync<ClusterBusyException>(() =>
                ClusterLock.AcquireAsync(new ClusterContext(b.Spec, rb) { Lock = ClusterLockOptions.Default }, "move vip", host, default));
            Assert.Equal("node1", refused.Holder.Node);
            Assert.Equal("hold for the test", refused.Holder.Operation);
            var release = Task.Run(async () => { await Task.Delay(1500); await holding.DisposeAsync(); });
            sw.Restart();
            await using (var got = await ClusterLock.AcquireAsync(b, "after waiting", host, default))
                Assert.Equal(3, got.Nodes.Count);
            await release;
            Assert.InRange(sw.Elapsed.TotalSeconds, 1.4, 6);
            Assert.All(a.Nodes, x => Assert.Equal(1, Lab.Exec(x.Name, "test", "-e", HeldDir).ExitCode));
        }
        finally
        {
            ra.Dispose();
            rb.Dispose();
            LabCluster.CloseMasters(LabCluster.ControlDir);
        }
    }

    private static Task Fanout(ClusterContext c) =>
        Core.Fanout.Fanout.RunCommandAsync(c.Runner, c.Nodes, new CommandRequest(new[] { "true" }), new Core.Fanout.FanoutOptions(), null, default);
}
