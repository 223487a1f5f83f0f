using System.IO;
using HaTools.Core.Spec;
using HaTools.Tests.Spec;

namespace HaTools.Tests.Hare;

/// <summary>The consul example and the files of tests/fixtures/hare (see its README for where each comes from).</summary>
internal static class HareFixtures
{
    public static ClusterSpec Example() => SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, "consul.yaml"));

    public static string Read(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "fixtures", "hare", name));
}
