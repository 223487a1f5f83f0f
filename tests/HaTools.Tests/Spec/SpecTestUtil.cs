using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HaTools.Core.Spec;

namespace HaTools.Tests.Spec;

internal static class SpecTestUtil
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "HaTools.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("HaTools.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Examples => Path.Combine(RepoRoot, "examples");
    public static string InvalidCorpus => Path.Combine(RepoRoot, "tests", "corpus", "invalid");

    private static readonly string[] Ignored = { "Position", "FieldPositions", "SourceFile", "Warnings" };

    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
    {
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                ti =>
                {
                    if (ti.Kind != JsonTypeInfoKind.Object) return;
                    foreach (var p in ti.Properties.Where(p => Ignored.Contains(p.Name)).ToList())
                        ti.Properties.Remove(p);
                },
            },
        },
    };

    /// <summary>The model's content without positions: equal strings mean equal specs.</summary>
    public static string Content(ClusterSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>The same for any part of a model (a stack's section).</summary>
    public static string ContentOf(object part) => JsonSerializer.Serialize(part, part.GetType(), Options);
}
