using System;

namespace HaTools.Core.Input;

/// <summary>Which cluster file a command means: -Path / --cluster, else $HATOOLS_CLUSTER, else ./cluster.yaml.
/// Pure (the module turns the answer into a provider path relative to the current PowerShell location).</summary>
public static class ClusterFileLocator
{
    public const string EnvironmentVariable = "HATOOLS_CLUSTER";
    public const string DefaultFileName = "cluster.yaml";

    public static string Choose(string? path, string? environmentValue)
    {
        if (!string.IsNullOrWhiteSpace(path)) return path!;
        if (!string.IsNullOrWhiteSpace(environmentValue)) return environmentValue!.Trim();
        return "./" + DefaultFileName;
    }

    public static string Choose(string? path) => Choose(path, Environment.GetEnvironmentVariable(EnvironmentVariable));
}
