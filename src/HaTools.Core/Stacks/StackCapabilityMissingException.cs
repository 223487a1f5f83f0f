using HaTools.Core.Model;

namespace HaTools.Core.Stacks;

/// <summary>An operation needs a feature the cluster's stack does not have (moving a resource on a HAST pair, say).
/// Raised before any node is contacted.</summary>
public sealed class StackCapabilityMissingException : HaException
{
    public StackCapabilityMissingException(string stack, string feature, string cluster)
        : base($"stack '{stack}' of cluster '{cluster}' has no {feature}: this operation needs it")
    {
        Stack = stack;
        Feature = feature;
        Target = cluster;
    }

    public string Stack { get; }
    public string Feature { get; }
}
