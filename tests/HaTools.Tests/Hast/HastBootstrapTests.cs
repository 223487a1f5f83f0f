using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Spec;
using Xunit;
using static HaTools.Tests.Hast.HastRoleTests;

namespace HaTools.Tests.Hast;

/// <summary>Start-HaBootstrap for stack: hast on the stateful fake: from two bare nodes to a running pair, the plan and
/// the run walking the same phases, and a re-run that changes nothing.</summary>
public sealed class HastBootstrapTests : IDisposable
{
    private const string Password = "Carp-Secret-17";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hatools-hastboot-" + Guid.NewGuid().ToString("N"));
    private readonly ClusterSpec _spec;

    public HastBootstrapTests()
    {
        Directory.CreateDirectory(_dir);
        var pass = Path.Combine(_dir, "carp.pass");
        File.WriteAllText(pass, Password + "\n");
        File.SetUnixFileMode(pass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var yaml = File.ReadAllText(Path.Combine(SpecTestUtil.Examples, "hast.yaml")).Replace("password_file: hast/carp.pass", "password_file: carp.pass");
        var file = Path.Combine(_dir, "tank.yaml");
        File.WriteAllText(file, yaml);
        _spec = SpecLoader.Load(file);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Phases =
    {
        "validate", "lock", "preflight", "generate", "push", "hastd", "metadata", "roles", "sync", "pool", "carp", "failover", "health",
    };

    private static async Task<(IReadOnlyList<PhaseResult> Results, List<string> Entered, RecordingHost Host)> Run(HastFake w, BootstrapOptions o)
    {
        using var ctx = w.Context();
        var host = new RecordingHost();
        var entered = new List<string>();
        var results = await PhaseEngine.RunAsync(ctx, ctx.Stack.BootstrapPhases(ctx, o), o, host, default, entered.Add);
        return (results, entered, host);
    }

    private static readonly string[] Changes = { "hastctl role", "hastctl create", "zpool import -o", "zpool import -f", "zpool create", "service hastd onestart", "service hastd onereload", "service devd restart", "kldload", "sysctl net.", "wait-device" };

    [Fact]
    public async Task Two_bare_nodes_become_a_running_pair_and_plan_and_run_walk_the_same_phases()
    {
        var w = new HastFake(_spec).Bare();
        var o = new BootstrapOptions { Mkfs = true };
        using (var ctx = w.Context())
            Assert.Equal(Phases, ctx.Stack.PlanBootstrap(ctx, o).Select(s => s.Phase).Distinct());
        var (results, entered, host) = await Run(w, o);

        Assert.True(results.All(r => r.Status != PhaseStatus.Failed), string.Join("\n", results.Select(r => $"{r.Phase} {r.Node} {r.Status}: {r.Message}")));
        Assert.Equal(Phases, entered);
        // The pair as a fresh bootstrap leaves it: f0 (advskew 0) primary with the pool and the CARP address, f1 secondary.
        Assert.All(w.Resources, r => Assert.Equal((HastRole.Primary, HastRole.Secondary), (w["f0"].Roles[r], w["f1"].Roles[r])));
        Assert.Equal((true, false, true), (w["f0"].PoolImported, w["f1"].PoolImported, w.PoolExists));
        Assert.Equal((CarpState.Master, CarpState.Backup), (w["f0"].Carp, w["f1"].Carp));
        Assert.Equal(("0", "0", 1, 1), (w["f0"].Preempt, w["f1"].Preempt, w["f0"].DevdRestarts, w["f1"].DevdRestarts));
        Assert.Empty(w.Hazards);
        foreach (var n in new[] { "f0", "f1" })
        {
            var files = w.Cluster[n].Files;
            Assert.Equal(HastConfGenerator.HastConf(_spec), files["/etc/hast.conf"].Text);
            Assert.Equal(HastFailover.Script(_spec), files[HastFailover.ScriptPath].Text);
            Assert.Equal("755", files[HastFailover.ScriptPath].Mode);
            Assert.Equal(HastFailover.DevdRule(_spec), files[HastFailover.DevdPath].Text);
            Assert.Equal("600", files["/etc/rc.conf.d/netif"].Mode);
            Assert.Contains($"advskew {(n == "f0" ? 0 : 100)} pass {Password} alias 192.0.2.50/32", files["/etc/rc.conf.d/netif"].Text);
        }
        // The password went to the nodes on stdin only: it is in no argv, no message, no question asked.
        Assert.DoesNotContain(w.Cluster.Log, l => l.Contains(Password));
        Assert.DoesNotContain(results, r => r.Message.Contains(Password));
        Assert.DoesNotContain(host.All, l => l.Contains(Password));
        // Metadata only where none was, then one primary: creates on both, the promotion on f0 before f1 went secondary.
        Assert.Equal(new[] { "hastctl create disk0", "hastctl create disk1" }, w.Calls("f0").Where(c => c.StartsWith("hastctl create")));
        Assert.True(w.Calls("f0").IndexOf(J(HastCalls.Role("primary", "disk0"))) >= 0);
        Assert.Contains(host.Warnings, m => m.Contains("no fencing"));
        Assert.Equal(new[] { "acquire", "release" }, w.LockCalls("f0").Where(c => c != "renew"));

        // Again: the same phases, nothing changed on any node.
        var before = w.Nodes.Values.ToDictionary(n => n.Name, n => n.Calls.Count);
        var (again, enteredAgain, _) = await Run(w, o);
        Assert.Equal(Phases, enteredAgain);
        Assert.DoesNotContain(again, r => r.Status is PhaseStatus.Changed or PhaseStatus.Failed);
        foreach (var n in w.Nodes.Values)
        {
            var calls = n.Calls.Skip(before[n.Name]).ToList();
            Assert.DoesNotContain(calls, c => Changes.Any(c.StartsWith));
        }
        Assert.Equal((1, 1), (w["f0"].DevdRestarts, w["f1"].DevdRestarts));
    }

    [Fact]
    public async Task Without_Mkfs_bare_providers_stop_the_bootstrap_before_any_metadata_is_written()
    {
        var w = new HastFake(_spec).Bare();
        var (results, entered, _) = await Run(w, new BootstrapOptions());
        Assert.Equal("metadata", entered.Last());
        Assert.Contains(results, r => r.Phase == "metadata" && r.Status == PhaseStatus.Failed && r.Message.Contains("run with -Mkfs to create it"));
        Assert.DoesNotContain(w.Calls("f0").Concat(w.Calls("f1")), c => c.StartsWith("hastctl create") || c.StartsWith("hastctl role"));
    }

    [Fact]
    public async Task A_used_pair_with_no_primary_is_not_guessed_and_an_existing_primary_stays_where_it_is()
    {
        var w = new HastFake(_spec).Running("f1");
        // Two nodes rebooted: hastd starts every resource in init; both copies have been used.
        foreach (var n in w.Nodes.Values)
        {
            foreach (var r in w.Resources) n.Roles[r] = HastRole.Init;
            n.PoolImported = false;
        }
        var (results, entered, _) = await Run(w, new BootstrapOptions { Mkfs = true });
        Assert.Equal("roles", entered.Last());
        Assert.Contains(results, r => r.Status == PhaseStatus.Failed && r.Message.Contains("choose the good copy (Set-HastRole disk0 Primary -Node N)"));
        Assert.DoesNotContain(w.Calls("f0").Concat(w.Calls("f1")), c => c.StartsWith("hastctl create") || c.StartsWith("hastctl role"));

        // After a switchover f1 is the primary: a bootstrap keeps it there.
        var w2 = new HastFake(_spec).Running("f1");
        var (r2, _, _) = await Run(w2, new BootstrapOptions { Mkfs = true });
        Assert.DoesNotContain(r2, r => r.Phase is "metadata" or "roles" or "pool" or "carp" && r.Status is PhaseStatus.Changed or PhaseStatus.Failed);
        Assert.All(w2.Resources, r => Assert.Equal(HastRole.Primary, w2["f1"].Roles[r]));
        Assert.True(w2["f1"].PoolImported);
        Assert.DoesNotContain(w2.Calls("f0").Concat(w2.Calls("f1")), c => c.StartsWith("hastctl role") || c.StartsWith("zpool import -o"));
    }

    [Fact]
    public async Task Preflight_refuses_a_node_that_is_not_FreeBSD_or_not_named_by_its_hostname_and_changes_nothing()
    {
        var w = new HastFake(_spec).Bare();
        w["f0"].Os = "Linux";
        w["f1"].Hostname = "storage-b.example.org";
        var (results, entered, _) = await Run(w, new BootstrapOptions { Mkfs = true });
        Assert.Equal("preflight", entered.Last());
        Assert.Contains(results, r => r.Node == "f0" && r.Message.Contains("stack: hast needs FreeBSD"));
        Assert.Contains(results, r => r.Node == "f1" && r.Message.Contains("hastd would find no 'on f1' block"));
        Assert.Empty(w.Cluster["f0"].Files);
        using var ctx = w.Context();
        var checks = await ctx.Stack.TestAsync(ctx, new TestOptions(), new RecordingHost(), default);
        Assert.Contains(checks, c => c.Check == "OperatingSystem" && c.Severity == Severity.Error);
        Assert.Contains(checks, c => c.Check == "Fencing" && c.Severity == Severity.Warning);
        // A hostname whose first label is the node's name is what hastd matches.
        w["f1"].Hostname = "f1.example.org";
        w["f0"].Os = "FreeBSD";
        Assert.DoesNotContain(await ctx.Stack.TestAsync(ctx, new TestOptions(), new RecordingHost(), default), c => c.Severity == Severity.Error);
    }

    [Fact]
    public async Task Under_WhatIf_nothing_is_changed_on_any_node()
    {
        var w = new HastFake(_spec).Bare();
        using var ctx = w.Context();
        var host = new RecordingHost { WhatIf = true };
        var o = new BootstrapOptions { Mkfs = true };
        await PhaseEngine.RunAsync(ctx, ctx.Stack.BootstrapPhases(ctx, o), o, host, default);
        Assert.DoesNotContain(w.Cluster["f0"].Files.Keys, k => !k.StartsWith("/var/run/hatools/lock"));
        Assert.DoesNotContain(w.Calls("f0").Concat(w.Calls("f1")), c => Changes.Any(c.StartsWith));
        Assert.NotEmpty(host.Actions);
    }
}
