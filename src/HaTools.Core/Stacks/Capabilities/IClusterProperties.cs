using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaTools.Core.Stacks;

/// <summary>Cluster-wide settings of the cluster manager (Pacemaker's crm_config, rsc_defaults, op_defaults).</summary>
[StackCapability("cluster properties")]
public interface IClusterProperties
{
    Task<IReadOnlyList<ClusterProperty>> GetPropertiesAsync(ClusterContext context, CancellationToken cancellationToken);
    /// <summary>Set a property; a null value deletes it.</summary>
    Task<ClusterProperty> SetPropertyAsync(ClusterContext context, string name, string? value, IOperationHost host, CancellationToken cancellationToken);
}
