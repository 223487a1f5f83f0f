namespace HaTools.PowerShell.Infrastructure;

/// <summary>The module's door to Core's cluster-file locator (shared with hatools): -Path, else $env:HATOOLS_CLUSTER,
/// else ./cluster.yaml.</summary>
internal static class ClusterFileLocator
{
    public static string Choose(string? path, string? environmentValue) => HaTools.Core.Input.ClusterFileLocator.Choose(path, environmentValue);

    public static string Choose(string? path) => HaTools.Core.Input.ClusterFileLocator.Choose(path);
}
