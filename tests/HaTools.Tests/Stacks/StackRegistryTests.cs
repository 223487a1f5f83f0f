using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;
using Xunit;

namespace HaTools.Tests.Stacks;

public class StackRegistryTests
{
    /// <summary>Every node is unreachable.</summary>
    private sealed class NoAnswerRunner : Core.Transport.ICommandRunner
    {
        public Task<CommandResult> RunAsync(Core.Transport.NodeTarget node, Core.Transport.CommandRequest request, System.Threading.CancellationToken cancellationToken = default) =>
            Task.FromResult(new CommandResult { Node = node.Name, ExitCode = -1, Unreachable = true, Error = "unreachable: no answer (test)" });
    }

    /// <summary>An example cluster file for each registered stack: a new stack adds its example here (the test below
    /// fails for a registered stack without one).</summary>
    private static readonly Dictionary<string, string> Examples = new Dictionary<string, string>
    {
        ["pacemaker"] = "examples/lab.yaml",
        ["consul"] = "examples/consul.yaml",
        ["hast"] = "examples/hast.yaml",
    };

    public static IEnumerable<object[]> Registered() => StackRegistry.Builtin.All.Select(r => new object[] { r.Name });

    [Theory]
    [MemberData(nameof(Registered))]
    public async Task Every_registered_stack_plans_and_runs_the_same_phases_in_the_same_order(string stackName)
    {
        Assert.True(Examples.TryGetValue(stackName, out var example), $"stack '{stackName}' has no example cluster file in this test");
        var ctx = new ClusterContext(Core.Spec.SpecLoader.Load(System.IO.Path.Combine(RepoPaths.Root, example!)), new NoAnswerRunner());
        Assert.Equal(stackName, ctx.Stack.Name);
        foreach (var mkfs in new[] { false, true })
        {
            var options = new BootstrapOptions { Mkfs = mkfs };
            var phases = ctx.Stack.BootstrapPhases(ctx, options).Select(p => p.Name).ToList();
            Assert.Equal(phases.Count, phases.Distinct().Count());
            // Every phase plans at least one step (a phase that would do nothing says so), so the plan's phases are the
            // phase list itself, in its order.
            Assert.Equal(phases, ctx.Stack.PlanBootstrap(ctx, options).Select(s => s.Phase).Distinct());
            // The run is a walk of the same list by the same engine: against a runner that answers nothing, it enters the
            // phases in list order until the first one that needs a node, and stops there.
            var entered = new List<string>();
            var results = await PhaseEngine.RunAsync(ctx, ctx.Stack.BootstrapPhases(ctx, options), options, NullOperationHost.Instance, default, entered.Add);
            Assert.Equal(phases.Take(entered.Count), entered);
            Assert.Contains(results, r => r.Status == PhaseStatus.Failed && r.Phase == entered[^1]);
        }
    }

    [Theory]
    [MemberData(nameof(Registered))]
    public void Every_registered_stack_has_a_lab_profile_that_lab_sh_can_load(string stackName)
    {
        var profile = StackRegistry.Builtin.Get(stackName).LabProfile;
        Assert.Matches("^[a-z0-9-]+$", profile);
        var file = System.IO.Path.Combine(RepoPaths.Root, "tests", "lab", "profiles", profile + ".sh");
        Assert.True(System.IO.File.Exists(file), $"stack '{stackName}': no lab profile {file}");
        Assert.Contains("LAB_STATE_DIRS=\"$LAB_STATE_DIRS ", System.IO.File.ReadAllText(file));
    }

    [Fact]
    public void Pacemaker_has_every_capability_the_module_uses()
    {
        var ctx = new ClusterContext(Pacemaker.SpecBuilder.Lab(), new FakeRunner());
        Assert.NotNull(ctx.Require<IResourceControl>());
        Assert.NotNull(ctx.Require<INodeStandby>());
        Assert.NotNull(ctx.Require<IClusterProperties>());
        Assert.NotNull(ctx.Require<IConstraints>());
        Assert.NotNull(ctx.Require<IResourceConfig>());
    }

    [Fact]
    public void A_missing_capability_is_a_typed_error_naming_the_stack_and_the_feature_before_any_node_is_asked()
    {
        var runner = new FakeRunner();
        var spec = Pacemaker.SpecBuilder.Cluster("bare", 2);
        spec.StackName = BareTestStack.StackName;
        var ctx = new ClusterContext(spec, runner, stacks: BareTestStack.Registry(new BareTestStack()));
        Assert.False(ctx.Has<IResourceControl>());
        var e = Assert.Throws<StackCapabilityMissingException>(() => ctx.Require<IResourceControl>());
        Assert.Equal(("test-bare", "resource control", "bare"), (e.Stack, e.Feature, e.Target));
        Assert.Equal("stack 'test-bare' of cluster 'bare' has no resource control: this operation needs it", e.Message);
        runner.AssertDone();

        var cls = ErrorClassifier.Classify(e);
        Assert.Equal(("StackCapabilityMissing", "NotImplemented", true), (cls.ErrorId, cls.Category, cls.Terminating));
    }

    [Fact]
    public void Every_capability_interface_names_its_feature()
    {
        var caps = typeof(IClusterStack).Assembly.GetTypes().Where(t => t.IsInterface && t.Namespace == "HaTools.Core.Stacks" && t != typeof(IClusterStack)).ToList();
        Assert.NotEmpty(caps);
        Assert.All(caps, c => Assert.NotEqual(c.Name, StackCapabilityAttribute.FeatureOf(c)));
    }

    [Fact]
    public void A_stack_the_file_may_name_but_this_build_lacks_is_not_supported()
    {
        // Every name the file format knows is registered now; a spec built in memory can still name another.
        var spec = Pacemaker.SpecBuilder.Cluster("c", 2);
        spec.StackName = "nosuch";
        var ctx = new ClusterContext(spec, new FakeRunner());
        var e = Assert.Throws<NotSupportedException>(() => ctx.Stack);
        Assert.Equal("stack 'nosuch' is not implemented yet", e.Message);
        Assert.Equal("StackNotSupported", ErrorClassifier.Classify(e).ErrorId);
    }

    [Fact]
    public void The_registry_is_immutable_a_test_stack_does_not_leak_into_the_builtin_one()
    {
        var mine = BareTestStack.Registry(new BareTestStack());
        Assert.True(mine.TryGet(BareTestStack.StackName, out _));
        Assert.False(StackRegistry.Builtin.TryGet(BareTestStack.StackName, out _));
        Assert.Equal(new[] { "consul", "hast", "pacemaker" }, StackRegistry.Builtin.All.Select(r => r.Name));
    }
}
