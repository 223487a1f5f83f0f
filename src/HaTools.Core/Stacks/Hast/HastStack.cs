using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Bootstrap;
using HaTools.Core.Model;
using HaTools.Core.Spec.Reading;

namespace HaTools.Core.Stacks.Hast;

/// <summary>An operation of stack: hast that needs its nodes and is not in this build yet (ErrorId StackNotSupported).</summary>
public sealed class HastNotImplementedException : NotSupportedException
{
    public HastNotImplementedException(string what) : base($"stack 'hast': {what} is not implemented yet in this build") { }
}

/// <summary>What only a HAST pair has, as a <see cref="ClusterStatus"/>'s Details: every resource on every node (from a
/// saved hastctl output: the resources of that output), and per node what was read there (live status only).</summary>
public sealed class HastStatusDetails
{
    public List<HastResourceStatus> Resources { get; } = new List<HastResourceStatus>();
    public List<HastNodeStatus> Nodes { get; } = new List<HastNodeStatus>();
}

/// <summary>
/// FreeBSD HAST + CARP + ZFS: the cluster file's sections, the generated hast.conf and rc.conf.d entries, the
/// hastctl/ifconfig/zpool parsers and the offline status (this file); the live status (HastStack.Status); role switching
/// (HastStack.Roles, <see cref="IRoleSwitching"/>). Stop and teardown are not in this build: they say so
/// (<see cref="HastNotImplementedException"/>).
/// </summary>
public sealed partial class HastStack : IClusterStack
{
    public const string StackName = "hast";

    public string Name => StackName;

    internal static StackRegistration Registration { get; } = new StackRegistration(StackName, () => new HastStack())
    {
        ReadStatusText = ReadStatusText,
        StatusTextFormat = "hastctl list or hastctl status output",
        LabProfile = "hast",
        Sections = new[]
        {
            new SpecSection("hast", HastReaders.Hast),
            new SpecSection("carp", HastReaders.Carp),
            new SpecSection("zfs", HastReaders.Zfs),
            new SpecSection("failover", HastReaders.Failover),
        },
        Checks = HastReaders.Checks,
        WriteSections = (spec, w) => HastSpecWriter.Write(w, spec),
    };

    /// <summary>The offline reader of the registry: a saved hastctl output, the node it came from unknown.</summary>
    public static ClusterStatus ReadStatusText(string text) => ToClusterStatus(HastctlParser.Parse(text, null, "hastctl output"));

    public static ClusterStatus ToClusterStatus(IReadOnlyList<HastResourceStatus> resources)
    {
        var details = new HastStatusDetails();
        details.Resources.AddRange(resources);
        var status = new ClusterStatus { Stack = StackName, Details = details };
        status.Warnings.AddRange(resources.SelectMany(r => r.Warnings.Select(w => $"{r.Resource}: {w}")));
        return status;
    }

    public Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken) =>
        throw new HastNotImplementedException("stopping hastd");

    public Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken) =>
        throw new HastNotImplementedException("teardown");
}
