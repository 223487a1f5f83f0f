using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaTools.Core.Stacks;

/// <summary>Placement rules between resources and nodes: location, colocation, order.</summary>
[StackCapability("constraints")]
public interface IConstraints
{
    Task<IReadOnlyList<ConstraintInfo>> GetConstraintsAsync(ClusterContext context, CancellationToken cancellationToken);
    Task<ConstraintInfo> NewConstraintAsync(ClusterContext context, ConstraintInfo constraint, IOperationHost host, CancellationToken cancellationToken);
    Task<ConstraintInfo> RemoveConstraintAsync(ClusterContext context, string id, IOperationHost host, CancellationToken cancellationToken);
}
