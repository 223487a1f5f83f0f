using HaTools.Core;
using HaTools.Core.Pacemaker;

namespace HaTools.LabTests;

/// <summary>Tests drive the Pacemaker stack directly, every capability at hand.</summary>
internal static class StackAccess
{
    public static PacemakerProvider Provider(this ClusterContext context) => (PacemakerProvider)context.Stack;
}
