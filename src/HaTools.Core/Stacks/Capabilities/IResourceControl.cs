using System.Threading;
using System.Threading.Tasks;

namespace HaTools.Core.Stacks;

/// <summary>Start, stop, restart, move and clean up the resources a cluster manager runs.</summary>
[StackCapability("resource control")]
public interface IResourceControl
{
    Task<ResourceActionResult> StartResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
    Task<ResourceActionResult> StopResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
    Task<ResourceActionResult> RestartResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
    /// <summary>Move a resource to a node. Unless a lifetime is given, the move constraint is removed once the move is done.</summary>
    Task<ResourceActionResult> MoveResourceAsync(ClusterContext context, string resource, string node, MoveOptions options, IOperationHost host, CancellationToken cancellationToken);
    /// <summary>Clean up failures and fail counts (optionally on one node).</summary>
    Task<ResourceActionResult> ClearResourceAsync(ClusterContext context, string resource, string? node, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
}
