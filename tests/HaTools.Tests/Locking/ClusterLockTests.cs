using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;
using HaTools.Tests.Pacemaker;
using HaTools.Tests.Reliability;
using Xunit;

namespace HaTools.Tests.Locking;

/// <summary>The cluster lock against the strict fake (order, rollback, refusal, stale holders) and its node-side script
/// run for real by sh on this machine (token-checked release, lease expiry, the root's mode).</summary>
public class ClusterLockTests
{
    private const string Script = LockScript.Script;
    private static readonly string[] None = Array.Empty<string>();

    private static ClusterContext Ctx(ICommandRunner runner, int nodes = 3, ClusterLockOptions? o = null) =>
        new ClusterContext(SpecBuilder.Cluster("c1", nodes), runner) { Lock = o ?? ClusterLockOptions.Default };

    private static string Action(CommandRequest r) => r.Argv.Count > 4 && r.Argv[2] == Script ? r.Argv[4] : "";

    private static string Busy(string host, int pid, string op) =>
        $"token=0123456789abcdef\nhost={host}\npid={pid}\nop={op}\nstarted=2026-12-02T10:00:00Z\nage=3\nBUSY\n";

    /// <summary>Answers lock calls by node as given (default ACQUIRED / RELEASED) and any other command with exit 0.</summary>
    private static FakeRunner Answering(Func<string, string, string?>? answer = null)
    {
        var fake = new FakeRunner();
        fake.Fallback = (n, r) =>
        {
            var a = Action(r);
            var text = answer?.Invoke(n.Name, a) ?? (a == "acquire" ? "ACQUIRED\n" : a == "release" ? "RELEASED\n" : "");
            return text == "UNREACHABLE"
                ? new CommandResult { Node = n.Name, ExitCode = 255, Unreachable = true, Error = "ssh: connect to host: Connection refused" }
                : new CommandResult { Node = n.Name, StdOut = text };
        };
        return fake;
    }

    private static List<string> Lock(FakeRunner f) => f.Calls.Where(c => Action(c.Request) != "").Select(c => Action(c.Request) + " " + c.Node).ToList();

    [Fact]
    public async Task Takes_the_first_node_by_name_first_and_releases_it_last_with_its_own_token()
    {
        var fake = Answering();
        var nodes = new[] { "node3", "node1", "node2" }; // file order is not lock order
        var spec = new HaTools.Core.Spec.ClusterSpec { Name = "c1" };
        foreach (var n in nodes) spec.Nodes.Add(new HaTools.Core.Spec.NodeSpec { Name = n, Address = "10.0.0.1" });
        var ctx = new ClusterContext(spec, fake) { Lock = ClusterLockOptions.Default };
        await using (var held = await ClusterLock.AcquireAsync(ctx, "move vip1 to node2", NullOperationHost.Instance, default))
            Assert.Equal(new[] { "node1", "node2", "node3" }, held.Nodes.OrderBy(n => n).ToArray());
        var calls = Lock(fake);
        Assert.Equal("acquire node1", calls[0]);
        Assert.Equal(new[] { "acquire node2", "acquire node3" }, calls.Skip(1).Take(2).OrderBy(c => c));
        Assert.Equal(new[] { "release node2", "release node3" }, calls.Skip(3).Take(2).OrderBy(c => c));
        Assert.Equal("release node1", calls[5]);
        Assert.Equal(6, calls.Count);
        var acquire = fake.Calls[0].Request.Argv;
        var token = acquire[6];
        Assert.Matches("^[0-9a-f]{32}$", token);
        Assert.Equal(new[] { "sh", "-c", Script, "sh", "acquire", "/var/run/hatools/lock", token, "30", Environment.MachineName }, acquire.Take(9));
        Assert.Equal(new[] { "move vip1 to node2" }, acquire.Skip(10).Take(1));
        Assert.All(fake.Calls, c => Assert.Equal(token, c.Request.Argv[6]));
    }

    [Fact]
    public async Task A_busy_first_node_refuses_at_once_naming_the_holder_and_nothing_else_is_touched()
    {
        var fake = Answering((n, a) => a == "acquire" && n == "node1" ? Busy("adminB", 4242, "move vip1 to node2") : null);
        var e = await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Ctx(fake), "bootstrap", NullOperationHost.Instance, default));
        Assert.Equal(new[] { "acquire node1" }, Lock(fake));
        Assert.Equal("node1", e.Holder.Node);
        Assert.Equal("adminB", e.Holder.Host);
        Assert.Equal(4242, e.Holder.Pid);
        Assert.Equal("c1", e.Target);
        Assert.Contains("cluster 'c1' is busy: 'move vip1 to node2' by adminB (pid 4242) since 2026-12-02T10:00:00Z, renewed 3 s ago holds its lock (seen on node1)", e.Message);
        Assert.Contains("-WaitForLock", e.Message);
    }

    [Fact]
    public async Task A_busy_later_node_rolls_back_what_was_taken_first_node_last()
    {
        var fake = Answering((n, a) => a == "acquire" && n == "node2" ? Busy("adminB", 7, "standby node3") : null);
        var e = await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Ctx(fake), "bootstrap", NullOperationHost.Instance, default));
        Assert.Equal("node2", e.Holder.Node);
        var calls = Lock(fake);
        Assert.Equal("acquire node1", calls[0]);
        Assert.Equal(new[] { "release node3", "release node1" }, calls.Where(c => c.StartsWith("release", StringComparison.Ordinal)));
        Assert.Equal("release node1", calls[^1]);
    }

    [Fact]
    public async Task Waits_for_the_holder_then_takes_it()
    {
        var tries = 0;
        var fake = Answering((n, a) => a == "acquire" && n == "node1" && Interlocked.Increment(ref tries) <= 2 ? Busy("adminB", 7, "bootstrap") : null);
        var host = new RecordingHost();
        var o = ClusterLockOptions.Default with { Wait = TimeSpan.FromSeconds(10), Poll = TimeSpan.FromMilliseconds(20) };
        await using (var held = await ClusterLock.AcquireAsync(Ctx(fake, 3, o), "bootstrap", host, default))
            Assert.Equal(3, held.Nodes.Count);
        Assert.Equal(3, tries);
        Assert.Equal(2, host.Verbose.Count(v => v.StartsWith("waiting for the cluster lock: 'bootstrap' by adminB (pid 7)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Gives_up_waiting_with_ClusterBusy_after_the_wait()
    {
        var fake = Answering((n, a) => a == "acquire" && n == "node1" ? Busy("adminB", 7, "bootstrap") : null);
        var o = ClusterLockOptions.Default with { Wait = TimeSpan.FromMilliseconds(300), Poll = TimeSpan.FromMilliseconds(50) };
        var e = await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Ctx(fake, 3, o), "bootstrap", NullOperationHost.Instance, default));
        Assert.True(Lock(fake).Count >= 3);
        Assert.Contains("waited 0 s", e.Message);
        Assert.Equal(TimeSpan.FromMilliseconds(300), e.Waited);
    }

    [Fact]
    public async Task A_holder_whose_process_is_gone_on_this_host_is_stale_and_taken_over_with_its_token()
    {
        const int gone = 99999999; // above any pid_max
        var fake = Answering((n, a) => a == "acquire" && n == "node1" ? Busy(Environment.MachineName, gone, "bootstrap") : null);
        var calls = 0;
        var inner = fake.Fallback!;
        fake.Fallback = (n, r) =>
        {
            if (Action(r) == "acquire" && n.Name == "node1" && Interlocked.Increment(ref calls) == 2)
            {
                Assert.Equal("0123456789abcdef", r.Argv[^1]);
                return new CommandResult { Node = n.Name, StdOut = Busy(Environment.MachineName, gone, "bootstrap").Replace("BUSY", "STALE") };
            }
            return inner(n, r);
        };
        var host = new RecordingHost();
        await using (var held = await ClusterLock.AcquireAsync(Ctx(fake), "teardown", host, default))
            Assert.Equal(3, held.Nodes.Count);
        var w = Assert.Single(host.Warnings);
        Assert.StartsWith($"node1: took over a stale cluster lock: 'bootstrap' by {Environment.MachineName} (pid {gone})", w);
        Assert.EndsWith("(that process is gone)", w);
    }

    [Fact]
    public async Task A_live_holder_on_this_host_is_not_stale()
    {
        var fake = Answering((n, a) => a == "acquire" && n == "node1" ? Busy(Environment.MachineName, Environment.ProcessId, "bootstrap") : null);
        await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Ctx(fake), "teardown", NullOperationHost.Instance, default));
        Assert.Equal(new[] { "acquire node1" }, Lock(fake));
    }

    [Fact]
    public async Task Unreachable_nodes_are_skipped_while_a_majority_is_held()
    {
        var fake = Answering((n, a) => a == "acquire" && n == "node1" ? "UNREACHABLE" : null);
        await using (var held = await ClusterLock.AcquireAsync(Ctx(fake), "standby node1", NullOperationHost.Instance, default))
            Assert.Equal(new[] { "node2", "node3" }, held.Nodes.OrderBy(n => n));
        Assert.Equal(new[] { "acquire node1", "acquire node2", "acquire node3", "release node3", "release node2" }, Lock(fake));
    }

    [Fact]
    public async Task Without_a_majority_it_refuses_and_releases_what_it_took()
    {
        var fake = Answering((n, a) => a == "acquire" && n != "node3" ? "UNREACHABLE" : null);
        var e = await Assert.ThrowsAsync<ClusterStateException>(() => ClusterLock.AcquireAsync(Ctx(fake), "move vip1 to node3", NullOperationHost.Instance, default));
        Assert.Contains("a change needs a majority of its 3 nodes, 1 answered (node1: ssh: connect to host: Connection refused; node2:", e.Message);
        Assert.Equal(new[] { "acquire node1", "acquire node2", "acquire node3", "release node3" }, Lock(fake));
    }

    [Theory]
    [InlineData(1, "node1", true)]
    [InlineData(2, "node1", true)]
    [InlineData(2, "node2", false)]
    [InlineData(3, "node2,node3", true)]
    [InlineData(3, "node1", false)]
    [InlineData(4, "node1,node4", true)]
    [InlineData(4, "node2,node3", false)]
    [InlineData(5, "node1,node2", false)]
    public void A_majority_or_the_half_with_the_first_node(int count, string held, bool enough) =>
        Assert.Equal(enough, ClusterLock.Enough(held.Split(','), Enumerable.Range(1, count).Select(i => "node" + i).ToList()));

    [Fact]
    public async Task WhatIf_and_a_context_without_lock_options_touch_no_node()
    {
        var fake = new FakeRunner();
        await using (await ClusterLock.AcquireAsync(Ctx(fake, 3, ClusterLockOptions.Default with { WhatIf = true }), "move", NullOperationHost.Instance, default)) { }
        await using (await ClusterLock.AcquireAsync(new ClusterContext(SpecBuilder.Cluster("c1", 3), fake), "move", NullOperationHost.Instance, default)) { }
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task A_changing_provider_call_is_wrapped_in_the_lock_and_a_refusal_changes_nothing()
    {
        var fake = Answering();
        await new PacemakerStack().SetPropertyAsync(Ctx(fake), "maintenance-mode", "true", NullOperationHost.Instance, default);
        var seq = fake.Calls.Select(c => Action(c.Request) is { Length: > 0 } a ? a : c.Request.Argv[0]).ToList();
        Assert.Equal(new[] { "acquire", "acquire", "acquire", "crm_attribute", "release", "release", "release" }, seq);

        var busy = Answering((n, a) => a == "acquire" ? Busy("adminB", 7, "bootstrap") : null);
        await Assert.ThrowsAsync<ClusterBusyException>(() => new PacemakerStack().SetPropertyAsync(Ctx(busy), "maintenance-mode", "true", NullOperationHost.Instance, default));
        Assert.Equal(new[] { "acquire node1" }, busy.Calls.Select(c => Action(c.Request) + " " + c.Node));
    }

    // ---- the node-side script, run by sh on this machine; each "node" gets its own lock root

    private sealed class PerNodeRoot : ICommandRunner
    {
        private readonly ICommandRunner _inner = new LocalCommandRunner();
        public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken ct = default)
        {
            var argv = request.Argv.ToArray();
            argv[5] = Path.Combine(argv[5], node.Name);
            return _inner.RunAsync(node, new CommandRequest(argv, request.Timeout, request.Stdin), ct);
        }
    }

    private static string TempRoot() => Path.Combine(Path.GetTempPath(), "hatools-locktest-" + Guid.NewGuid().ToString("N"), "lock");

    private static ClusterContext Local(string root, TimeSpan? lease = null) =>
        new ClusterContext(SpecBuilder.Cluster("c1", 3), new PerNodeRoot())
        {
            Lock = ClusterLockOptions.Default with { Root = root, Lease = lease ?? TimeSpan.FromSeconds(30) },
        };

    [Fact]
    public async Task Real_script_second_operator_refused_release_needs_the_token_and_leaves_nothing()
    {
        var root = TempRoot();
        try
        {
            var a = Local(root);
            var held = await ClusterLock.AcquireAsync(a, "bootstrap", NullOperationHost.Instance, default);
            Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(Path.Combine(root, "node1")), 8));
            Assert.Contains("op=bootstrap", File.ReadAllText(Path.Combine(root, "node2", "held", "holder")));
            var e = await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Local(root), "move vip1 to node2", NullOperationHost.Instance, default));
            Assert.Equal(("node1", "bootstrap", Environment.ProcessId), (e.Holder.Node, e.Holder.Operation, e.Holder.Pid));

            // A release with another token removes nothing.
            var other = await new LocalCommandRunner().RunAsync(new NodeTarget("node1", "local"),
                new CommandRequest(LockScript.Release(Path.Combine(root, "node1"), "feedface", TimeSpan.FromSeconds(30))));
            Assert.Equal("NOT-OURS", LockScript.Parse("node1", other.StdOut).Status);
            Assert.True(Directory.Exists(Path.Combine(root, "node1", "held")));

            await held.DisposeAsync();
            foreach (var n in new[] { "node1", "node2", "node3" })
                Assert.Equal(None, Directory.GetFileSystemEntries(Path.Combine(root, n)));
        }
        finally { Directory.Delete(Path.GetDirectoryName(root)!, true); }
    }

    [Fact]
    public async Task Real_script_a_lock_not_renewed_for_a_lease_is_taken_over_and_said_so()
    {
        var root = TempRoot();
        try
        {
            // A holder that took node1 and node2 and then vanished (no renewals): another admin host, another pid.
            var ghost = new LockHolder { Host = "adminB", Pid = 4242, Operation = "move vip1 to node2", Started = "2026-12-02T10:00:00Z" };
            foreach (var n in new[] { "node1", "node2" })
            {
                var r = await new LocalCommandRunner().RunAsync(new NodeTarget(n, "local"),
                    new CommandRequest(LockScript.Acquire(Path.Combine(root, n), "deadbeef", TimeSpan.FromSeconds(1), ghost, null)));
                Assert.Equal("ACQUIRED", LockScript.Parse(n, r.StdOut).Status);
            }
            await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Local(root, TimeSpan.FromSeconds(1)), "teardown", NullOperationHost.Instance, default));
            await Task.Delay(2100);
            var host = new RecordingHost();
            await using (var held = await ClusterLock.AcquireAsync(Local(root, TimeSpan.FromSeconds(1)), "teardown", host, default))
            {
                Assert.Equal(3, held.Nodes.Count);
                Assert.Contains("op=teardown", File.ReadAllText(Path.Combine(root, "node1", "held", "holder")));
            }
            Assert.Equal(2, host.Warnings.Count);
            Assert.All(host.Warnings, w => Assert.Contains("took over a stale cluster lock: 'move vip1 to node2' by adminB (pid 4242) since 2026-12-02T10:00:00Z", w));
            Assert.All(host.Warnings, w => Assert.EndsWith("(its lease ran out)", w));
        }
        finally { Directory.Delete(Path.GetDirectoryName(root)!, true); }
    }

    [Fact]
    public async Task Real_script_the_holder_renews_its_lease_so_a_long_change_is_not_stale()
    {
        var root = TempRoot();
        try
        {
            var lease = TimeSpan.FromSeconds(1);
            await using var held = await ClusterLock.AcquireAsync(Local(root, lease), "bootstrap", NullOperationHost.Instance, default);
            await Task.Delay(2500);
            await Assert.ThrowsAsync<ClusterBusyException>(() => ClusterLock.AcquireAsync(Local(root, lease), "teardown", NullOperationHost.Instance, default));
        }
        finally { Directory.Delete(Path.GetDirectoryName(root)!, true); }
    }
}
