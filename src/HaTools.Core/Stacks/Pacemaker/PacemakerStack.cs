using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Stacks;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// Pacemaker + Corosync. Speaks only to the machine interfaces: crm_mon XML, cibadmin, crm_resource,
/// crm_attribute. The pieces: PacemakerStack.Status (reading), .Operations (changing one thing),
/// .Bootstrap (bringing a cluster to its file), .Teardown.
/// </summary>
public sealed partial class PacemakerStack : IClusterStack, IResourceControl, INodeStandby, IClusterProperties, IConstraints, IResourceConfig
{
    public const string StackName = "pacemaker";

    public string Name => StackName;

    /// <summary>What the stack registry knows of Pacemaker: its sections of the cluster file, their cross-checks, and
    /// crm_mon XML as its offline status format.</summary>
    internal static StackRegistration Registration { get; } = new StackRegistration(StackName, () => new PacemakerStack())
    {
        ReadStatusText = CrmMonParser.Parse,
        StatusTextFormat = "crm_mon XML (crm_mon --output-as=xml)",
        LabProfile = "pacemaker",
        Sections = new[]
        {
            new SpecSection("corosync", PacemakerReaders.Corosync),
            new SpecSection("quorum", PacemakerReaders.Quorum),
            new SpecSection("properties", PacemakerReaders.Properties),
            new SpecSection("rsc_defaults", PacemakerReaders.RscDefaults),
            new SpecSection("op_defaults", PacemakerReaders.OpDefaults),
            new SpecSection("resources", PacemakerReaders.Resources),
            new SpecSection("groups", PacemakerReaders.Groups),
            new SpecSection("clones", PacemakerReaders.Clones),
            new SpecSection("constraints", PacemakerReaders.Constraints),
            // File services compose Pacemaker: their section is one of a Pacemaker cluster file's (Stacks/FileServices).
            new SpecSection(FileServices.FileServicesReaders.Key, FileServices.FileServicesReaders.Read),
        },
        Checks = (spec, ctx) =>
        {
            SpecChecks.Pacemaker(spec, ctx);
            FileServices.FileServicesReaders.Checks(spec, ctx);
        },
        WriteSections = (spec, w) => FileServices.FileServicesSpecWriter.Write(w, spec),
    };

    /// <summary>How often waits poll the cluster.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>After this long without an answer from a node, the next node is asked too.</summary>
    internal static readonly TimeSpan HedgeAfter = TimeSpan.FromMilliseconds(700);

    private static TimeSpan CommandTimeout => TimeSpan.FromSeconds(60);

    /// <summary>Run a command on the first node that answers it successfully (hedged); throws when none does.</summary>
    private static async Task<(CommandResult Result, NodeTarget Node)> OnAnyNodeAsync(ClusterContext ctx, CommandRequest request,
        CancellationToken ct, Func<CommandResult, string?>? reject = null, TimeSpan? perNode = null)
    {
        reject ??= r => r.OutputTruncated ? "output cut at the capture limit" : r.Succeeded ? null : (r.Error ?? $"exit {r.ExitCode}: {Tail(r.StdErr)}");
        var first = await Fanout.Fanout.FirstSuccessAsync(ctx.Nodes, (n, c) => ctx.Runner.RunAsync(n, request, c), reject,
            perNode ?? request.Timeout + TimeSpan.FromSeconds(5), perNode == null ? request.Timeout + TimeSpan.FromSeconds(5) : HedgeAfter, ct).ConfigureAwait(false);
        if (first.Result == null)
        {
            var why = string.Join("; ", first.Failed.Select(f => $"{f.Node.Name}: {f.Why}"));
            throw new ClusterStateException($"no node could run '{request.Display}': {why}");
        }
        return (first.Result, first.Node!);
    }

    /// <summary>Run a command on one node and throw a NodeCommandException when it fails.</summary>
    private static async Task<CommandResult> OnNodeAsync(ClusterContext ctx, NodeTarget node, CommandRequest request, CancellationToken ct, string? what = null)
    {
        var r = await ctx.Runner.RunAsync(node, request, ct).ConfigureAwait(false);
        if (!r.Succeeded) throw new NodeCommandException(node.Name, request.Display, r, what);
        return r;
    }

    private static async Task<XElement> QueryCibAsync(ClusterContext ctx, CancellationToken ct)
    {
        var (r, _) = await OnAnyNodeAsync(ctx, new CommandRequest(PacemakerCommands.QueryCib(), CommandTimeout), ct).ConfigureAwait(false);
        return XElement.Parse(r.StdOut);
    }

    /// <summary>The end of a command's stderr, on one line, for messages.</summary>
    internal static string Tail(string s) => MessageText.Tail(s);
}
