using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>
/// <c>stack: consul</c>: Hare's job done from the cluster file, over ssh: the Consul agents (configuration, start, a
/// Raft leader), the KV (Hare's layout, imported idempotently), the RC leader (a session and the lock on
/// <c>leader</c>), the services in their phases with their health checks; status as <c>hctl status</c> shows it; stop
/// in Hare's shutdown order. Consul is spoken to through its HTTP API on each node's loopback (<see cref="ConsulApi"/>).
/// </summary>
public sealed partial class ConsulStack : IClusterStack, IKeyValueStore
{
    public const string StackName = "consul";

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

    public async Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken)
    {
        var facts = await ProbeAllAsync(context, host, cancellationToken).ConfigureAwait(false);
        return context.Spec.Nodes.SelectMany((n, i) => ConsulProbe.Checks(facts[i], context.Spec, n, options.Force)).ToList();
    }

    /// <summary>The nodes that run a Consul server, in file order (API calls go to the first that answers).</summary>
    internal static IReadOnlyList<NodeTarget> ServerTargets(ClusterContext ctx)
    {
        var s = ctx.Spec.Section<ConsulSection>();
        return ctx.Nodes.Where(n => s.IsServer(n.Name)).ToList();
    }

    /// <summary>The server targets with the ones known to be down last (a node's answer is only waited for so long).</summary>
    internal static IReadOnlyList<NodeTarget> ServerTargets(ClusterContext ctx, ICollection<string> down) =>
        ServerTargets(ctx).OrderBy(n => down.Contains(n.Name) ? 1 : 0).ToList();

    private static Task<IReadOnlyList<Pacemaker.NodeFacts>> ProbeAllAsync(ClusterContext ctx, IOperationHost host, CancellationToken ct) =>
        Fanout.Fanout.RunAsync(ctx.Nodes,
            (n, c) => ConsulProbe.ProbeAsync(ctx.Runner, n, ctx.Spec.Nodes.First(x => x.Name == n.Name).DataIface, c),
            (n, e) => new Pacemaker.NodeFacts { Node = n.Name, Raw = new CommandResult { Node = n.Name, ExitCode = -1, Error = e.Message } },
            new Fanout.FanoutOptions { ThrottleLimit = ctx.ThrottleLimit },
            new Progress<Fanout.FanoutProgress>(p => host.Progress(new ProgressInfo("Pre-flight", $"{p.Node} probed", 100 * p.Done / p.Total) { Id = 3 })), ct);
}
