using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Pacemaker;

/// <summary>Pacemaker + Corosync.</summary>
public sealed partial class PacemakerProvider : IClusterProvider
{
    public StackKind Stack => StackKind.Pacemaker;

    public Task<IReadOnlyList<CheckResult>> TestAsync(ClusterContext context, TestOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public IReadOnlyList<PlanStep> PlanBootstrap(ClusterContext context, BootstrapOptions options) => throw new NotImplementedException();

    public Task<IReadOnlyList<PhaseResult>> BootstrapAsync(ClusterContext context, BootstrapOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> StartResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> StopResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> RestartResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> MoveResourceAsync(ClusterContext context, string resource, string node, MoveOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> ClearResourceAsync(ClusterContext context, string resource, string? node, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<NodeActionResult> SetNodeStandbyAsync(ClusterContext context, string node, bool standby, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<ClusterProperty>> GetPropertiesAsync(ClusterContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ClusterProperty> SetPropertyAsync(ClusterContext context, string name, string? value, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> NewResourceAsync(ClusterContext context, PrimitiveSpec resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ResourceActionResult> RemoveResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<ConstraintInfo>> GetConstraintsAsync(ClusterContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ConstraintInfo> NewConstraintAsync(ClusterContext context, ConstraintInfo constraint, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ConstraintInfo> RemoveConstraintAsync(ClusterContext context, string id, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<PhaseResult>> StopClusterAsync(ClusterContext context, IReadOnlyList<string>? nodes, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<PhaseResult>> RemoveClusterAsync(ClusterContext context, IOperationHost host, CancellationToken cancellationToken) => throw new NotImplementedException();

}
