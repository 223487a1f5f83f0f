using System;

namespace HaTools.Core.Spec;

/// <summary>Writes a ClusterSpec as cluster.yaml (New-HaCluster). Round-trips through SpecLoader.</summary>
public static class SpecWriter
{
    public static string ToYaml(ClusterSpec spec) => throw new NotImplementedException();
}
