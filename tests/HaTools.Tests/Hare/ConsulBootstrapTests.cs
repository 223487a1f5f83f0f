using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>The bootstrap of examples/consul.yaml (3 servers, Motr's services in 3 phases) on fake nodes behind the
/// Consul test double: what every node ends with, the order each node was asked in, re-runs, and the faults.</summary>
public class ConsulBootstrapTests : IDisposable
{
    private readonly HareFixtures.WithSecrets _files = new HareFixtures.WithSecrets();
    private readonly ConsulFakeLab _lab;

    public ConsulBootstrapTests() { _lab = new ConsulFakeLab(_files.Spec, HareFixtures.AclToken); }

    public void Dispose() => _files.Dispose();

    private static readonly BootstrapOptions Fast = new BootstrapOptions { QuorumTimeout = TimeSpan.FromSeconds(3), ResourceTimeout = TimeSpan.FromSeconds(3) };

    private static BootstrapOptions With(bool mkfs = false, bool force = false) =>
        new BootstrapOptions { Mkfs = mkfs, Force = force, QuorumTimeout = Fast.QuorumTimeout, ResourceTimeout = Fast.ResourceTimeout };

    private Task<IReadOnlyList<PhaseResult>> Bootstrap(BootstrapOptions? o = null, IOperationHost? host = null)
    {
        var ctx = _lab.Context();
        return ctx.Stack.BootstrapAsync(ctx, o ?? Fast, host ?? NullOperationHost.Instance, default);
    }

    private static string Fid(int key) => "0x7200000000000001:0x" + key.ToString("x");

    private static string Summary(IEnumerable<PhaseResult> rs) => string.Join("\n", rs.Select(r => $"{r.Phase} {r.Node} {r.Status}"));

    [Fact]
    public async Task A_bootstrap_with_mkfs_walks_every_phase_and_leaves_agents_kv_leader_and_services_as_declared()
    {
        var host = new RecordingHost();
        var results = await Bootstrap(With(mkfs: true), host);
        Assert.DoesNotContain(results, r => r.Status == PhaseStatus.Failed);
        Assert.Equal(new[] { "validate", "lock", "preflight", "generate", "push", "agents", "leader", "kv", "elect", "phase1", "phase2", "phase3", "health" },
            results.Select(r => r.Phase).Distinct());
        var c = _lab.Consul;
        // Every node: its own agent configuration, the secrets 0600, the agent running.
        foreach (var n in new[] { "node1", "node2", "node3" })
        {
            var node = _lab.Cluster[n];
            Assert.Contains($"\"node_name\": \"{n}\"", node.Read(ConsulAgentConfig.AgentFile));
            var sec = node.Files[ConsulAgentConfig.SecretsFile];
            Assert.Equal("600", sec.Mode);
            Assert.Contains(HareFixtures.GossipKey, sec.Text);
            Assert.Contains("consul", node.Running);
        }
        // The KV holds the layout (read back through the API as Consul stores it).
        var layout = HareKv.Generate(_files.Spec);
        Assert.All(layout.Where(p => p.Key != "leader"), p => Assert.Equal(p.Value, c.Kv[p.Key].Value));
        // The RC leader: node1 (the first server), its session bound to serfHealth, hax and confd.
        var leader = c.Kv["leader"];
        Assert.Equal("node1", leader.Value);
        var session = c.Sessions[leader.Session!];
        Assert.Equal("node1: serfHealth service:hax service:confd", session.Node + ": " + string.Join(" ", session.Checks));
        // Services: every unit active; mkfs ran for the confd and ios processes (5 of them), before their starts.
        Assert.Equal("active", c.UnitState("node1", "m0d@" + Fid(5)));
        Assert.Equal("active", c.UnitState("node3", "s3server@" + Fid(0x18)));
        Assert.Equal(new[] { $"node1 mero-mkfs@{Fid(5)}", $"node2 mero-mkfs@{Fid(0xd)}", $"node1 mero-mkfs@{Fid(8)}", $"node2 mero-mkfs@{Fid(0x10)}", $"node3 mero-mkfs@{Fid(0x15)}" }
            .OrderBy(x => x), c.MkfsRun.OrderBy(x => x));
        // Progress said which phase it was in; the gossip key is on, so only the even-server warning is absent.
        Assert.Contains(host.Progress, p => p.Status.StartsWith("elect:", StringComparison.Ordinal));
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public async Task Each_node_is_asked_in_hares_order_and_the_secrets_never_reach_an_argv()
    {
        var guard = new NoSecretInArgv(_lab.Log, HareFixtures.GossipKey, HareFixtures.AclToken);
        var ctx = new ClusterContext(_files.Spec, guard);
        Assert.DoesNotContain(await ctx.Stack.BootstrapAsync(ctx, Fast, NullOperationHost.Instance, default), r => r.Status == PhaseStatus.Failed);
        var f = Fid;
        // node3: a server with an IO service (phase 2) and an S3 server (phase 3), no hax/confd session of its own.
        Assert.Equal(new[]
        {
            "probe eth0",
            "push stage /etc/consul.d/hatools-agent.json", "push stage /etc/consul.d/hatools-services.json", "push stage /etc/consul.d/hatools-secrets.json",
            "push commit /etc/consul.d/hatools-agent.json", "push commit /etc/consul.d/hatools-services.json", "push commit /etc/consul.d/hatools-secrets.json",
            "install -d -m 0750 /var/lib/consul", "service start consul",
            "svc state hax hare-hax", "svc start hax hare-hax",
            $"svc state ios m0d@{f(0x15)}", $"svc start ios m0d@{f(0x15)}",
            $"svc state s3server s3server@{f(0x18)}", $"svc start s3server s3server@{f(0x18)}",
        }, _lab.Log.Of("node3"));
        // node1 answers the API calls (the first server): leader wait, KV, election, each phase's wait, the health.
        var api = _lab.Log.Of("node1").Where(l => l.StartsWith("api ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal(new[]
        {
            "api GET /v1/status/leader + GET /v1/agent/members",
            "api GET /v1/kv/m0conf/?recurse + GET /v1/kv/epoch + GET /v1/kv/leader + GET /v1/kv/last_fidk",
            "api PUT /v1/txn",
            "api GET /v1/kv/leader",
            "api PUT /v1/session/create",
            "api PUT /v1/kv/leader?acquire=00000001-0000-4000-8000-000000000001",
            "api GET /v1/health/state/any",
        }, api);
        Assert.True(guard.Calls > 40);
    }

    [Fact]
    public async Task A_re_run_on_the_running_cluster_changes_nothing()
    {
        Assert.DoesNotContain(await Bootstrap(), r => r.Status == PhaseStatus.Failed);
        var kvIndex = _lab.Consul.Kv.Values.Max(e => e.ModifyIndex);
        var leader = _lab.Consul.Kv["leader"].Session;
        _lab.Log.Clear();
        var again = await Bootstrap();
        Assert.DoesNotContain(again, r => r.Status is PhaseStatus.Failed or PhaseStatus.Changed);
        Assert.Equal("9 KV keys already as declared".Replace("9", HareKv.Generate(_files.Spec).Count.ToString()), again.Single(r => r.Phase == "kv").Message);
        Assert.Equal(leader, _lab.Consul.Kv["leader"].Session);
        Assert.Equal(kvIndex, _lab.Consul.Kv.Values.Max(e => e.ModifyIndex));
        // Nothing was written: no commit, no agent or service started, no transaction, no new session.
        var all = _lab.Log.Calls.Values.SelectMany(v => v).ToList();
        Assert.DoesNotContain(all, l => l.StartsWith("push commit", StringComparison.Ordinal) || l.StartsWith("svc start", StringComparison.Ordinal)
            || l == "service start consul" || l.Contains("/v1/txn") || l.Contains("session/create"));
    }

    [Fact]
    public async Task No_raft_leader_ever_is_a_bounded_failure_that_says_so()
    {
        _lab.Consul.NeverLeader = true;
        var results = await Bootstrap();
        var last = results[^1];
        Assert.Equal(("leader", PhaseStatus.Failed), (last.Phase, last.Status));
        Assert.Equal("Consul forming: not done after 3 s: no Raft leader yet", last.Message);
        Assert.DoesNotContain(results, r => r.Phase == "kv");
    }

    [Fact]
    public async Task An_agent_that_never_joins_is_named_when_the_wait_ends()
    {
        _lab.Consul.NeverJoins.Add("node3");
        var last = (await Bootstrap())[^1];
        Assert.Equal(("leader", PhaseStatus.Failed), (last.Phase, last.Status));
        // node1 and node2 cannot elect without the third of bootstrap_expect 3.
        Assert.Equal("Consul forming: not done after 3 s: no Raft leader yet; node3 (server) has not joined", last.Message);
    }

    [Fact]
    public async Task A_node_lost_mid_phase_fails_that_phase_naming_it_and_a_re_run_converges()
    {
        // node2 drops the connection when its phase-1 services' state is read.
        _lab.Cluster["node2"].FailNext(l => l.Contains(ConsulCommands.ServiceScript.Substring(0, 20), StringComparison.Ordinal) || l.Contains(" state hax "), afterTheChange: false);
        var results = await Bootstrap();
        var failed = results.Where(r => r.Status == PhaseStatus.Failed).ToList();
        Assert.Equal("phase1", failed[0].Phase);
        Assert.All(failed, r => Assert.Equal("node2", r.Node));
        Assert.Contains("connection lost (test)", failed[0].Message);
        Assert.DoesNotContain(results, r => r.Phase == "phase2");
        // The other nodes' phase-1 services did not start either: the phase asks once, for every node, after reading all.
        Assert.Equal("inactive", _lab.Consul.UnitState("node1", "hare-hax"));
        var again = await Bootstrap();
        Assert.DoesNotContain(again, r => r.Status == PhaseStatus.Failed);
        Assert.Equal("active", _lab.Consul.UnitState("node2", "hare-hax"));
    }

    [Fact]
    public async Task A_kv_import_the_acl_refuses_is_a_failure_with_consuls_answer_and_the_hint()
    {
        _lab.Consul.TxnAnswer = (403, "Permission denied");
        var last = (await Bootstrap())[^1];
        Assert.Equal(("kv", PhaseStatus.Failed), (last.Phase, last.Status));
        Assert.Equal("node1: KV import (batch 1 of 1): HTTP 403: Permission denied (the ACL token of consul.acl_token lacks the permission, or the agents have another one)", last.Message);
        Assert.DoesNotContain(HareFixtures.AclToken, last.Message);
    }

    [Fact]
    public async Task A_kv_import_rolled_back_names_the_keys_and_a_re_run_compares_again()
    {
        _lab.Consul.TxnAnswer = (409, "{\"Results\":null,\"Errors\":[{\"OpIndex\":1,\"What\":\"failed to set key \\\"leader\\\", index is stale\"}]}");
        var last = (await Bootstrap())[^1];
        Assert.Equal(("kv", PhaseStatus.Failed), (last.Phase, last.Status));
        Assert.StartsWith("KV import rolled back (batch 1 of 1): leader: failed to set key \"leader\", index is stale;", last.Message);
        _lab.Consul.TxnAnswer = null;
        Assert.DoesNotContain(await Bootstrap(), r => r.Status == PhaseStatus.Failed);
    }

    [Fact]
    public async Task A_service_whose_unit_fails_after_its_start_stops_the_phase_at_once_naming_it()
    {
        _lab.Consul.DiesAfterStart.Add(("node2", "m0d@" + Fid(0xd)));
        var last = (await Bootstrap())[^1];
        Assert.Equal(("phase1", "node2", PhaseStatus.Failed), (last.Phase, last.Node, last.Status));
        Assert.Equal($"node2: confd (unit m0d@{Fid(0xd)}) failed: its check is critical: unit failed (test double)", last.Message);
    }

    [Fact]
    public async Task A_service_that_never_gets_healthy_is_a_bounded_failure_naming_its_node_and_state()
    {
        _lab.Consul.NeverReady.Add(("node3", "s3server@" + Fid(0x18)));
        var last = (await Bootstrap())[^1];
        Assert.Equal(("phase3", PhaseStatus.Failed), (last.Phase, last.Status));
        Assert.Equal("Phase 3 starting: not done after 3 s: node3/s3server: critical: dial tcp 127.0.0.1:28081: connect: connection refused", last.Message);
    }

    [Fact]
    public async Task A_unit_that_fails_to_start_is_the_nodes_failure()
    {
        _lab.Consul.FailsToStart.Add(("node1", "hare-hax"));
        var results = await Bootstrap();
        var failed = Assert.Single(results, r => r.Status == PhaseStatus.Failed);
        Assert.Equal(("phase1", "node1"), (failed.Phase, failed.Node));
        Assert.Contains("Job for hare-hax.service failed", failed.Message);
    }

    [Fact]
    public async Task No_rc_leader_when_every_servers_checks_are_critical_is_a_bounded_failure_naming_each()
    {
        foreach (var n in new[] { "node1", "node2", "node3" }) _lab.Consul.ForcedChecks[(n, "service:hax")] = "critical";
        var last = (await Bootstrap())[^1];
        Assert.Equal(("elect", PhaseStatus.Failed), (last.Phase, last.Status));
        Assert.Equal("RC leader election: not done after 3 s: no server could take the lock: " +
            "node1: no session (HTTP 500: Check 'service:hax' is in critical state); node2: no session (HTTP 500: Check 'service:hax' is in critical state); " +
            "node3: no session (HTTP 500: Check 'service:hax' is in critical state)", last.Message);
    }

    [Fact]
    public async Task A_leader_session_bound_to_serf_health_only_is_destroyed_and_the_election_redone()
    {
        Assert.DoesNotContain(await Bootstrap(), r => r.Status == PhaseStatus.Failed);
        var c = _lab.Consul;
        var old = c.Kv["leader"].Session!;
        Assert.True(c.Kv.Remove("leader") || true);
        c.Sessions.Remove(old);
        var serfOnly = c.SerfOnlyLeader("node2");
        var host = new RecordingHost();
        var results = await Bootstrap(host: host);
        Assert.DoesNotContain(results, r => r.Status == PhaseStatus.Failed);
        Assert.False(c.Sessions.ContainsKey(serfOnly));
        Assert.Equal("node1", c.Sessions[c.Kv["leader"].Session!].Node);
        Assert.Contains(host.Warnings, w => w.Contains("bound to serfHealth only: destroyed"));
    }

    [Fact]
    public async Task Mkfs_on_a_running_cluster_is_refused_before_any_runs()
    {
        Assert.DoesNotContain(await Bootstrap(), r => r.Status == PhaseStatus.Failed);
        var results = await Bootstrap(With(mkfs: true));
        var failed = results.Where(r => r.Status == PhaseStatus.Failed).ToList();
        Assert.Equal("phase1", failed[0].Phase);
        Assert.Equal("confd runs: mkfs refused (stop the cluster first with Stop-HaCluster, leave out -Mkfs, or -Force)", failed[0].Message);
        Assert.Equal("no mkfs was run", failed[^1].Message);
        Assert.Empty(_lab.Consul.MkfsRun);
    }

    [Fact]
    public async Task A_declined_change_stops_the_bootstrap_and_whatif_plans_every_step_without_a_node()
    {
        var results = await Bootstrap(host: new RecordingHost { WhatIf = true });
        // The push asks first: answering no leaves every node without HaTools' files.
        Assert.Equal("generate", results[^1].Phase);
        Assert.All(_lab.Cluster.Nodes.Values, n => Assert.DoesNotContain(n.Files.Keys, k => k.StartsWith("/etc/consul.d/hatools", StringComparison.Ordinal)));
        _lab.Log.Clear();
        var ctx = _lab.Context();
        var plan = ctx.Stack.PlanBootstrap(ctx, With(mkfs: true));
        Assert.Empty(_lab.Log.Calls);
        Assert.Contains(plan, p => p.Phase == "phase1" && p.Node == "node1" && p.Description == $"mkfs of confd: unit mero-mkfs@{Fid(5)} (its data is lost; refused while confd runs)");
        Assert.Contains(plan, p => p.Phase == "phase3" && p.Node == "node3" && p.Description == $"start s3server (unit s3server@{Fid(0x18)}) unless it runs");
        Assert.Contains(plan, p => p.Phase == "push" && p.Node == "node2" && p.Description.Contains("hatools-secrets.json (0600, sent on stdin)"));
        Assert.Equal(13, plan.Select(p => p.Phase).Distinct().Count());
    }

    [Fact]
    public async Task A_changed_service_is_reloaded_and_a_changed_agent_configuration_restarts_only_that_agent()
    {
        Assert.DoesNotContain(await Bootstrap(), r => r.Status == PhaseStatus.Failed);
        var path = System.IO.Path.Combine(_files.Dir, "consul.yaml");
        System.IO.File.WriteAllText(path, System.IO.File.ReadAllText(path).Replace("interval: 5s", "interval: 7s"));
        // The same fake nodes, a context on the changed file.
        var ctx = new ClusterContext(Core.Spec.SpecLoader.Load(path), _lab.Log);
        _lab.Log.Clear();
        var results = await ctx.Stack.BootstrapAsync(ctx, Fast, NullOperationHost.Instance, default);
        Assert.DoesNotContain(results, r => r.Status == PhaseStatus.Failed);
        Assert.Equal(new[] { "push node3 Changed replaced /etc/consul.d/hatools-services.json", "push node3 Changed agent reloaded its services and checks" },
            results.Where(r => r.Phase == "push" && r.Status == PhaseStatus.Changed).Select(r => $"{r.Phase} {r.Node} {r.Status} {r.Message}"));
        Assert.Contains("api PUT /v1/agent/reload", _lab.Log.Of("node3"));
        Assert.DoesNotContain(_lab.Log.Calls.Values.SelectMany(v => v), l => l.StartsWith("service st", StringComparison.Ordinal));

        // Another datacenter name is an agent setting: read only at start, so that agent is restarted (one node at a time).
        System.IO.File.WriteAllText(path, System.IO.File.ReadAllText(path).Replace("datacenter: dc1", "datacenter: dc2"));
        ctx = new ClusterContext(Core.Spec.SpecLoader.Load(path), _lab.Log);
        _lab.Log.Clear();
        results = await ctx.Stack.BootstrapAsync(ctx, Fast, NullOperationHost.Instance, default);
        Assert.Equal(new[] { "node1", "node2", "node3" }, results.Where(r => r.Phase == "push" && r.Message.StartsWith("agent restarted", StringComparison.Ordinal)).Select(r => r.Node));
        Assert.Equal(new[] { "service stop consul", "service start consul" }, _lab.Log.Of("node2").Where(l => l.StartsWith("service ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Test_HaCluster_probes_every_node_and_names_what_is_missing()
    {
        var ctx = _lab.Context();
        var checks = await ctx.Stack.TestAsync(ctx, new TestOptions(), NullOperationHost.Instance, default);
        Assert.DoesNotContain(checks, c => c.Severity == Severity.Error);
        Assert.Contains(checks, c => c.Node == "node2" && c.Check == "DataIface" && c.Message == "eth0 has 198.18.0.12");
        _lab.Cluster["node3"].Down = true;
        checks = await ctx.Stack.TestAsync(ctx, new TestOptions(), NullOperationHost.Instance, default);
        Assert.Equal(("Reachable", Severity.Error), checks.Where(c => c.Node == "node3").Select(c => (c.Check, c.Severity)).Single());
    }

    /// <summary>Fails the test when an argv holds a secret; passes every call on.</summary>
    private sealed class NoSecretInArgv : ICommandRunner
    {
        private readonly ICommandRunner _inner;
        private readonly string[] _secrets;
        public int Calls;
        public NoSecretInArgv(ICommandRunner inner, params string[] secrets) { _inner = inner; _secrets = secrets; }
        public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            foreach (var s in _secrets)
            {
                Assert.DoesNotContain(request.Argv, a => a.Contains(s, StringComparison.Ordinal));
                Assert.DoesNotContain(s, request.Display);
            }
            return _inner.RunAsync(node, request, cancellationToken);
        }
    }
}
