using System;
using System.IO;
using HaTools.Core.Spec;
using HaTools.Tests.Spec;

namespace HaTools.Tests.Hare;

/// <summary>The consul example and the files of tests/fixtures/hare (see its README for where each comes from).</summary>
internal static class HareFixtures
{
    public static ClusterSpec Example() => SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, "consul.yaml"));

    public static string Read(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "fixtures", "hare", name));

    /// <summary>A gossip key as 'consul keygen' makes them (32 bytes, base64); made up for the tests.</summary>
    public const string GossipKey = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=";
    public const string AclToken = "0b5c3f3e-1d7a-4c1e-9a8b-2f6e4d3c2b1a";

    /// <summary>The example in a temporary folder with its secrets as the file names them, but the ACL token in a file
    /// too (not the environment: tests run in parallel and must not change it). Removed by <see cref="IDisposable.Dispose"/>.</summary>
    public sealed class WithSecrets : IDisposable
    {
        public WithSecrets(bool acl = true)
        {
            Dir = Directory.CreateTempSubdirectory("hatools-consul-").FullName;
            Directory.CreateDirectory(Path.Combine(Dir, "secrets"));
            Secret("secrets/consul-gossip.key", GossipKey);
            Secret("secrets/acl-token", AclToken);
            var yaml = File.ReadAllText(Path.Combine(SpecTestUtil.Examples, "consul.yaml"))
                .Replace("acl_token: { env: HATOOLS_CONSUL_TOKEN }", acl ? "acl_token: { file: secrets/acl-token }" : "");
            File.WriteAllText(Path.Combine(Dir, "consul.yaml"), yaml);
            Spec = SpecLoader.Load(Path.Combine(Dir, "consul.yaml"));
        }

        public string Dir { get; }
        public ClusterSpec Spec { get; }

        private void Secret(string name, string value)
        {
            var p = Path.Combine(Dir, name);
            File.WriteAllText(p, value + "\n");
            File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        public void Dispose()
        {
            if (Dir.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) && Path.GetFileName(Dir).StartsWith("hatools-consul-", StringComparison.Ordinal))
                Directory.Delete(Dir, true);
        }
    }
}
