using HaTools.Core;
using HaTools.Core.Stacks;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

public class ConsulStackTests
{
    [Fact]
    public void The_consul_stack_has_the_key_value_capability_and_none_of_pacemakers()
    {
        var runner = new FakeRunner();
        var ctx = new ClusterContext(HareFixtures.Example(), runner);
        Assert.IsType<ConsulStack>(ctx.Stack);
        Assert.NotNull(ctx.Require<IKeyValueStore>());
        Assert.Equal("key-value store", StackCapabilityAttribute.FeatureOf(typeof(IKeyValueStore)));
        Assert.False(ctx.Has<IResourceControl>());
        Assert.False(ctx.Has<INodeStandby>());
        Assert.False(ctx.Has<IClusterProperties>());
        Assert.False(ctx.Has<IConstraints>());
        Assert.False(ctx.Has<IResourceConfig>());
        runner.AssertDone();
    }
}
