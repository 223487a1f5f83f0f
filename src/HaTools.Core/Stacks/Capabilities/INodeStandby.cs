using System.Threading;
using System.Threading.Tasks;

namespace HaTools.Core.Stacks;

/// <summary>Put a node in standby (its resources move away) and take it out again.</summary>
[StackCapability("node standby")]
public interface INodeStandby
{
    /// <summary>Standby on (true) or off (false).</summary>
    Task<NodeActionResult> SetNodeStandbyAsync(ClusterContext context, string node, bool standby, ActionOptions options, IOperationHost host, CancellationToken cancellationToken);
}
