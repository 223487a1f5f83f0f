using HaTools.Core;
using HaTools.Core.Stacks.Pacemaker;

namespace HaTools.Tests;

/// <summary>Tests drive the Pacemaker stack directly, every capability at hand.</summary>
internal static class StackAccess
{
    public static PacemakerStack Provider(this ClusterContext context) => (PacemakerStack)context.Stack;
}
