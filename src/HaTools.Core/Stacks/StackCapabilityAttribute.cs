using System;

namespace HaTools.Core.Stacks;

/// <summary>Marks a capability interface with the feature's name as people say it ("resource control"), for the
/// StackCapabilityMissing error and the stack × capability table in docs/architecture.md.</summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class StackCapabilityAttribute : Attribute
{
    public StackCapabilityAttribute(string feature) { Feature = feature; }

    public string Feature { get; }

    /// <summary>The feature name of capability <paramref name="capability"/> (its interface name when unmarked).</summary>
    public static string FeatureOf(Type capability) =>
        ((StackCapabilityAttribute?)GetCustomAttribute(capability, typeof(StackCapabilityAttribute)))?.Feature ?? capability.Name;
}
