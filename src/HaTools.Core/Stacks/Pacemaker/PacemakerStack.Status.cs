using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap.Steps;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

public sealed partial class PacemakerStack
{
    /// <remarks>On a cluster with file services, their nodes are asked too (one script on each serving node at once) and
    /// what they say goes into Details.FileServices and the warnings.</remarks>
    public async Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var status = await CrmStatusAsync(context, cancellationToken).ConfigureAwait(false);
        if (FileServices.FileServicesModel.Of(context.Spec) is { } fs && status.Details is PacemakerStatusDetails details)
            details.FileServices = await FileServices.FileServicesStatus.ReadAsync(context, fs, status, cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>The status from crm_mon alone (what waits and single operations read, polled many times).</summary>
    internal static async Task<ClusterStatus> CrmStatusAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var request = new CommandRequest(PacemakerCommands.Status(), context.StatusTimeout);
        var first = await Fanout.Fanout.FirstSuccessAsync(context.Nodes,
            (n, ct) => context.Runner.RunAsync(n, request, ct),
            StatusRejectReason, context.StatusTimeout + TimeSpan.FromSeconds(1), HedgeAfter, cancellationToken).ConfigureAwait(false);
        if (first.Result == null)
        {
            var why = string.Join("; ", first.Failed.Select(f => $"{f.Node.Name}: {f.Why}"));
            throw new ClusterStateException($"no node of cluster '{context.Spec.Name}' answered with a status: {why}", context.Spec.Name);
        }
        var status = CrmMonParser.Parse(first.Result.StdOut);
        if (string.IsNullOrEmpty(status.Name)) status.Name = context.Spec.Name;
        status.Stack = "pacemaker";
        status.QueriedNode = first.Node!.Name;
        status.UnreachableNodes = first.Failed.Select(f => f.Node.Name).Distinct().ToList();
        foreach (var f in first.Failed)
            status.Warn(NoticeCodes.NodeDidNotAnswer, $"{f.Node.Name} did not answer: {f.Why}", f.Node.Name);
        return status;
    }

    /// <summary>crm_mon answers with XML even when it fails; a node whose pacemaker is down answers "not connected".</summary>
    private static string? StatusRejectReason(CommandResult r)
    {
        if (r.Error != null) return r.Error;
        if (r.OutputTruncated) return "crm_mon output was cut at the capture limit";
        if (r.StdOut.IndexOf("<pacemaker-result", StringComparison.Ordinal) < 0)
            return $"crm_mon failed (exit {r.ExitCode}): {Tail(r.StdErr)}";
        if (r.ExitCode != 0 || r.StdOut.IndexOf("<nodes", StringComparison.Ordinal) < 0)
            return $"pacemaker is not running there (crm_mon exit {r.ExitCode})";
        return null;
    }

    /// <summary>Poll the status until <paramref name="notDoneBecause"/> returns null (the reason it is not done yet otherwise);
    /// see <see cref="WaitUntil"/> for the watchdog.</summary>
    private static Task<ClusterStatus> WaitForAsync(ClusterContext ctx, Func<ClusterStatus, string?> notDoneBecause, TimeSpan timeout,
        string what, IOperationHost host, CancellationToken ct, Func<CancellationToken, Task>? watchdog = null, TimeSpan? watchEvery = null) =>
        WaitUntil.RunAsync(c => CrmStatusAsync(ctx, c), notDoneBecause, timeout, PollInterval, what, host, ct, watchdog, watchEvery);

    /// <summary>Why a cluster is not formed yet (all nodes online, quorum, a DC), or null when it is.</summary>
    internal static string? NotFormed(ClusterStatus s, int expectedNodes)
    {
        var online = s.Nodes.Count(n => n.Online);
        var offline = s.Nodes.Where(n => !n.Online).Select(n => n.Name).ToList();
        if (online < expectedNodes) return $"{online}/{expectedNodes} nodes online" + (offline.Count > 0 ? $" ({string.Join(", ", offline)} offline)" : "");
        if (!s.Quorate) return "no quorum yet";
        if (s.Dc == null) return "no DC elected yet";
        return null;
    }

    /// <summary>The running instances of a resource given by name: a primitive, or the members of a group or clone.</summary>
    internal static IReadOnlyList<ResourceStatus> Instances(ClusterStatus s, string name) =>
        s.Resources.Where(r => r.Name == name || r.Group == name || r.Clone == name).ToList();

    public async Task<IReadOnlyList<ClusterProperty>> GetPropertiesAsync(ClusterContext context, CancellationToken cancellationToken) =>
        CibReader.Properties(await QueryCibAsync(context, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<ConstraintInfo>> GetConstraintsAsync(ClusterContext context, CancellationToken cancellationToken) =>
        CibReader.Constraints(await QueryCibAsync(context, cancellationToken).ConfigureAwait(false));
}
