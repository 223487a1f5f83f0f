using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using Xunit;

namespace HaTools.Tests.Stacks;

public class PhaseEngineTests
{

    [Fact]
    public async Task Plan_and_run_walk_the_phases_in_the_same_order_and_every_step_is_tagged_with_its_phase()
    {
        var stack = new BareTestStack(new ScriptedPhase("one"), new ScriptedPhase("two"), new ScriptedPhase("three"));
        var ctx = BareTestStack.Context(stack);
        var plan = ctx.Stack.PlanBootstrap(ctx, new BootstrapOptions());
        Assert.Equal(new[] { "one", "one", "two", "two", "three", "three" }, plan.Select(p => p.Phase));
        Assert.Equal("one on node1", plan[0].Description);

        var entered = new List<string>();
        var results = await PhaseEngine.RunAsync(ctx, stack.BootstrapPhases(ctx, new BootstrapOptions()), new BootstrapOptions(), NullOperationHost.Instance, default, entered.Add);
        Assert.Equal(new[] { "one", "two", "three" }, entered);
        Assert.Equal(plan.Select(p => p.Phase).Distinct(), results.Select(r => r.Phase).Distinct());
    }

    [Fact]
    public async Task A_phase_that_reports_Failed_stops_the_run_even_when_it_returns_true()
    {
        var three = new ScriptedPhase("three");
        var stack = new BareTestStack(new ScriptedPhase("one"),
            new ScriptedPhase("two", r => { r.Report("node2", PhaseStatus.Failed, "broken", TimeSpan.Zero); return Task.FromResult(true); }), three);
        var ctx = BareTestStack.Context(stack);
        var results = await ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.Equal(0, three.Runs);
        Assert.Equal(("two", "node2", PhaseStatus.Failed), (results[^1].Phase, results[^1].Node, results[^1].Status));
    }

    [Fact]
    public async Task A_phase_that_returns_false_stops_the_run()
    {
        var three = new ScriptedPhase("three");
        var stack = new BareTestStack(new ScriptedPhase("one"), new ScriptedPhase("two", r => Task.FromResult(false)), three);
        var ctx = BareTestStack.Context(stack);
        var results = await ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.Equal(0, three.Runs);
        Assert.Equal(new[] { "one" }, results.Select(r => r.Phase));
    }

    [Fact]
    public async Task An_HaException_becomes_the_Failed_result_of_the_phase_it_stopped_naming_its_target()
    {
        var three = new ScriptedPhase("three");
        var stack = new BareTestStack(new ScriptedPhase("one"),
            new ScriptedPhase("two", r => throw new ClusterStateException("node2 lost its corosync", "node2")), three);
        var ctx = BareTestStack.Context(stack);
        var host = new RecordingHost();
        var results = await ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), host, default);
        Assert.Equal(0, three.Runs);
        var last = results[^1];
        Assert.Equal(("two", "node2", PhaseStatus.Failed, "node2 lost its corosync"), (last.Phase, last.Node, last.Status, last.Message));
        Assert.True(host.Progress[^1].Completed);
    }

    [Fact]
    public async Task A_spec_error_is_not_swallowed_into_a_phase_result()
    {
        var stack = new BareTestStack(new ScriptedPhase("one", r => throw new SpecException(Array.Empty<SpecProblem>())));
        var ctx = BareTestStack.Context(stack);
        await Assert.ThrowsAsync<SpecException>(() => ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, default));
    }

    [Fact]
    public async Task Cancellation_inside_a_phase_ends_the_run_and_still_completes_the_progress_bar()
    {
        using var cts = new CancellationTokenSource();
        var two = new ScriptedPhase("two");
        var stack = new BareTestStack(new ScriptedPhase("one", async r => { cts.Cancel(); await Task.Delay(Timeout.Infinite, r.Token); return true; }), two);
        var ctx = BareTestStack.Context(stack);
        var host = new RecordingHost();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), host, cts.Token));
        Assert.Equal(0, two.Runs);
        Assert.True(host.Progress[^1].Completed);
        Assert.Equal(PhaseRun.ProgressId, host.Progress[^1].Id);
    }

    [Fact]
    public async Task Cancellation_between_phases_starts_no_further_phase()
    {
        using var cts = new CancellationTokenSource();
        var two = new ScriptedPhase("two");
        var stack = new BareTestStack(new ScriptedPhase("one", r => { cts.Cancel(); return Task.FromResult(true); }), two);
        var ctx = BareTestStack.Context(stack);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, cts.Token));
        Assert.Equal(0, two.Runs);
    }

    [Fact]
    public async Task Progress_names_the_phase_and_counts_by_phase_index()
    {
        var stack = new BareTestStack(new ScriptedPhase("one", r => { r.Progress("first"); return Task.FromResult(true); }),
            new ScriptedPhase("two", r => { r.Progress("second"); return Task.FromResult(true); }));
        var ctx = BareTestStack.Context(stack);
        var host = new RecordingHost();
        await ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), host, default);
        Assert.Equal(new[] { ("one: first", 0), ("two: second", 50), ("done", 100) }, host.Progress.Select(p => (p.Status, p.Percent)));
        Assert.All(host.Progress, p => Assert.Equal("Bootstrap bare", p.Activity));
    }
}
