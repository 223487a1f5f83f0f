using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Stacks;

namespace HaTools.Tests.Stacks;

/// <summary>A stack registered only in the tests: it has what every stack has and no capability at all, and its
/// bootstrap is a list of scripted phases that record what they were asked.</summary>
internal sealed class BareTestStack : IClusterStack
{
    public const string StackName = "test-bare";

    public BareTestStack(params ScriptedPhase[] phases) { Phases = phases; }

    public IReadOnlyList<ScriptedPhase> Phases { get; }
    public string Name => StackName;

    public static StackRegistry Registry(BareTestStack stack) => StackRegistry.Builtin.With(new StackRegistration(StackName, () => stack));

    public static ClusterContext Context(BareTestStack stack)
    {
        var spec = Pacemaker.SpecBuilder.Cluster("bare", 2);
        spec.StackName = StackName;
        return new ClusterContext(spec, new FakeRunner(), stacks: Registry(stack));
    }

    public IReadOnlyList<IBootstrapPhase> BootstrapPhases(ClusterContext context, BootstrapOptions options) => Phases;

    public Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CheckResult>>(Array.Empty<CheckResult>());

    public Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new ClusterStatus { Name = context.Spec.Name, Stack = StackName });

    public Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PhaseResult>>(Array.Empty<PhaseResult>());

    public Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PhaseResult>>(Array.Empty<PhaseResult>());
}

/// <summary>A phase whose run is a script: report, fail, throw or wait for cancellation.</summary>
internal sealed class ScriptedPhase : IBootstrapPhase
{
    private readonly Func<PhaseRun, Task<bool>> _run;

    public ScriptedPhase(string name, Func<PhaseRun, Task<bool>>? run = null)
    {
        Name = name;
        _run = run ?? (r => { r.Report("*", PhaseStatus.Ok, name + " done", TimeSpan.Zero); return Task.FromResult(true); });
    }

    public string Name { get; }
    public int Runs { get; private set; }

    public IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options) =>
        context.Nodes.Select(n => new PlanStep { Phase = "not " + Name, Node = n.Name, Description = Name + " on " + n.Name });

    public Task<bool> RunAsync(PhaseRun run)
    {
        Runs++;
        return _run(run);
    }
}
