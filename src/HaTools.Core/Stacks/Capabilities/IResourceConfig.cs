using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks;

/// <summary>Add and remove resource definitions on a running cluster (outside the cluster file's bootstrap).</summary>
[StackCapability("resource configuration")]
public interface IResourceConfig
{
    Task<ResourceActionResult> NewResourceAsync(ClusterContext context, PrimitiveSpec resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
    Task<ResourceActionResult> RemoveResourceAsync(ClusterContext context, string resource, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
}
