using System;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

public class ConsulStackTests
{
    private static ClusterContext Context(FakeRunner runner) =>
        new ClusterContext(HareFixtures.Example(), runner);

    [Fact]
    public void The_consul_stack_claims_no_capability_and_says_what_is_not_implemented_without_asking_a_node()
    {
        var runner = new FakeRunner();
        var ctx = Context(runner);
        Assert.IsType<ConsulStack>(ctx.Stack);
        Assert.False(ctx.Has<IResourceControl>());
        Assert.False(ctx.Has<INodeStandby>());
        Assert.False(ctx.Has<IClusterProperties>());
        Assert.False(ctx.Has<IConstraints>());
        Assert.False(ctx.Has<IResourceConfig>());
        var e = Assert.Throws<NotImplementedException>(() => ctx.Stack.GetStatusAsync(ctx, default).GetAwaiter().GetResult());
        Assert.Contains("not implemented yet in this build", e.Message);
        Assert.Throws<NotImplementedException>(() => ctx.Stack.StopClusterAsync(ctx, null, NullOperationHost.Instance, default).GetAwaiter().GetResult());
        Assert.Throws<NotImplementedException>(() => ctx.Stack.RemoveClusterAsync(ctx, NullOperationHost.Instance, default).GetAwaiter().GetResult());
        Assert.Throws<NotImplementedException>(() => ctx.Stack.TestAsync(ctx, new TestOptions(), NullOperationHost.Instance, default).GetAwaiter().GetResult());
        runner.AssertDone();
    }

    [Fact]
    public async Task A_bootstrap_generates_the_kv_then_stops_at_the_first_phase_that_needs_a_node()
    {
        var runner = new FakeRunner();
        var ctx = Context(runner);
        var options = new BootstrapOptions { Mkfs = true };
        Assert.Equal(new[] { ConsulStack.GeneratePhase, ConsulStack.ServersPhase }, ctx.Stack.PlanBootstrap(ctx, options).Select(s => s.Phase));
        var results = await ctx.Stack.BootstrapAsync(ctx, options, NullOperationHost.Instance, default);
        Assert.Equal(new[] { "generate:Ok:34 KV keys for 10 services", "consul-servers:Failed" },
            results.Select(r => r.Status == PhaseStatus.Failed ? $"{r.Phase}:{r.Status}" : $"{r.Phase}:{r.Status}:{r.Message}"));
        Assert.Contains("not implemented yet in this build", results[1].Message);
        runner.AssertDone();
    }
}
