using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hare;

/// <summary>
/// <c>stack: consul</c>: Hare's job (Consul agents, the KV, the RC leader, services in phases) done from the cluster
/// file. This build reads and checks the file, generates the KV layout and reads saved status; everything that
/// needs a node (agents, waits, phases, stop) is not implemented yet and says so. No capability is registered.
/// </summary>
public sealed class ConsulStack : IClusterStack
{
    public const string StackName = "consul";
    public const string GeneratePhase = "generate";
    public const string ServersPhase = "consul-servers";

    internal static StackRegistration Registration { get; } = new StackRegistration(StackName, () => new ConsulStack())
    {
        ReadStatusText = HctlStatusParser.Parse,
        StatusTextFormat = "hctl status (text or --json)",
        LabProfile = "consul",
        Sections = ConsulReaders.Sections,
        Checks = ConsulChecks.Run,
        WriteSections = ConsulWriter.Write,
    };

    public string Name => StackName;

    private static NotImplementedException NotYet(string what) =>
        new NotImplementedException($"stack consul: {what} is not implemented yet in this build (issue 13)");

    public Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken) =>
        throw NotYet("Test-HaCluster");

    public IReadOnlyList<IBootstrapPhase> BootstrapPhases(ClusterContext context, BootstrapOptions options) =>
        new IBootstrapPhase[] { new Generate(), new Servers() };

    public Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken) =>
        throw NotYet("live status (read a saved 'hctl status' instead)");

    public Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken) =>
        throw NotYet("Stop-HaCluster");

    public Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken) =>
        throw NotYet("Remove-HaCluster");

    /// <summary>Hare's step 1 without cfgen: the KV layout from the file; needs no node.</summary>
    private sealed class Generate : IBootstrapPhase
    {
        public string Name => GeneratePhase;

        public IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options)
        {
            yield return new PlanStep { Description = $"generate the KV layout and the definitions of {context.Spec.Section<ConsulSection>().Services.Count} services" };
        }

        public Task<bool> RunAsync(PhaseRun run)
        {
            var kv = HareKv.Generate(run.Spec);
            run.Report("*", PhaseStatus.Ok, $"{kv.Count} KV keys for {run.Spec.Section<ConsulSection>().Services.Count} services", TimeSpan.Zero);
            return Task.FromResult(true);
        }
    }

    /// <summary>Everything after generation needs Consul agents on the nodes.</summary>
    private sealed class Servers : IBootstrapPhase
    {
        public string Name => ServersPhase;

        public IEnumerable<PlanStep> Plan(ClusterContext context, BootstrapOptions options)
        {
            yield return new PlanStep { Description = "start the Consul server agents, then the rest of Hare's bootstrap: not implemented yet in this build" };
        }

        public Task<bool> RunAsync(PhaseRun run) =>
            throw new HaException("stack consul: starting Consul agents and the phases after them is not implemented yet in this build (issue 13)");
    }
}
