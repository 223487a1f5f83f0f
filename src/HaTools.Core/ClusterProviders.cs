using System;
using HaTools.Core.Spec;

namespace HaTools.Core;

/// <summary>Finds the provider for a stack.</summary>
public static class ClusterProviders
{
    public static IClusterProvider For(StackKind stack) => stack switch
    {
        StackKind.Pacemaker => new Pacemaker.PacemakerProvider(),
        _ => throw new NotSupportedException($"stack '{stack.ToString().ToLowerInvariant()}' is not implemented yet"),
    };
}
