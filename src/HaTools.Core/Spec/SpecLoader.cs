using System;
using HaTools.Core.Model;

namespace HaTools.Core.Spec;

/// <summary>Reads and validates cluster.yaml. Throws <see cref="SpecException"/> carrying every problem found.</summary>
public static class SpecLoader
{
    /// <summary>Read, parse and validate a cluster file. Never contacts a node.</summary>
    public static ClusterSpec Load(string path) => throw new NotImplementedException();

    /// <summary>Parse and validate YAML text; fileName is used in positions.</summary>
    public static ClusterSpec LoadText(string yaml, string fileName) => throw new NotImplementedException();

    /// <summary>Validate without throwing: every problem (errors and warnings); the spec is null when it could not be built.</summary>
    public static ValidationReport Validate(string path) => throw new NotImplementedException();
}

public sealed class ValidationReport
{
    public ClusterSpec? Spec { get; set; }
    public System.Collections.Generic.List<SpecProblem> Problems { get; } = new System.Collections.Generic.List<SpecProblem>();
    public bool IsValid => Spec != null && !Problems.Exists(p => p.Severity == Severity.Error);
}
