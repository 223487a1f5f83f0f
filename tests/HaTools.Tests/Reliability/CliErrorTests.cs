using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>`hatools --json` failures: one JSON object on stderr with the module's ErrorId and category (from the one
/// table in Core), and an exit code that follows the category. The text form is unchanged.</summary>
public class CliErrorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hatools-clierr-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public CliErrorTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "kh"), "");
        // Port 1 on loopback: refused at once, nothing else is ever contacted.
        File.WriteAllText(Path.Combine(_dir, "cluster.yaml"),
            "name: dead\nstack: pacemaker\nssh:\n  port: 1\n  connect_timeout: 1\n  known_hosts: kh\nnodes:\n" +
            "  - name: node1\n    address: 127.0.0.1\n  - name: node2\n    address: 127.0.0.2\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static JsonElement Error(string stderr)
    {
        using var doc = JsonDocument.Parse(stderr);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void An_invalid_cluster_file_is_ClusterFileInvalid_with_its_problems()
    {
        var file = Path.Combine(_dir, "missing.yaml");
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "status", "--json", "--cluster", file);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var e = Error(stderr);
        Assert.Equal("ClusterFileInvalid", e.GetProperty("errorId").GetString());
        Assert.Equal("InvalidArgument", e.GetProperty("category").GetString());
        Assert.Equal(file, e.GetProperty("target").GetString());
        Assert.StartsWith(file + ": (file): file not found", e.GetProperty("message").GetString());
        Assert.Equal(1, e.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void A_capability_the_stack_lacks_is_StackCapabilityMissing_with_a_non_zero_exit()
    {
        // stack: hast has no resource control; its nodes are moved onto unused loopback addresses (nothing is asked).
        var file = Path.Combine(_dir, "hast.yaml");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(Spec.SpecTestUtil.RepoRoot, "examples", "hast.yaml"))
            .Replace("192.0.2.10", "127.0.0.1").Replace("192.0.2.11", "127.0.0.2").Replace("host_key_policy: strict", "known_hosts: kh"));
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "move", "pool", "f1", "--json", "--cluster", file);
        Assert.Equal(6, exit);
        Assert.Equal("", stdout);
        var e = Error(stderr);
        Assert.Equal(("StackCapabilityMissing", "NotImplemented", "tank"), (e.GetProperty("errorId").GetString(), e.GetProperty("category").GetString(), e.GetProperty("target").GetString()));
        Assert.Equal("stack 'hast' of cluster 'tank' has no resource control: this operation needs it", e.GetProperty("message").GetString());
    }

    [Fact]
    public void An_unknown_node_is_NodeNotFound_and_exit_5()
    {
        var (exit, _, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "exec", "--json", "--node", "node9", "--cluster", Path.Combine(_dir, "cluster.yaml"), "--", "true");
        Assert.Equal(5, exit);
        var e = Error(stderr);
        Assert.Equal(("NodeNotFound", "ObjectNotFound", "node9"), (e.GetProperty("errorId").GetString(), e.GetProperty("category").GetString(), e.GetProperty("target").GetString()));
        var (textExit, _, text) = Cli.Run(TimeSpan.FromSeconds(60), "exec", "--node", "node9", "--cluster", Path.Combine(_dir, "cluster.yaml"), "--", "true");
        Assert.Equal(5, textExit);
        Assert.StartsWith("hatools: error: node 'node9' is not in cluster 'dead'", text);
    }

    [Fact]
    public void No_node_answering_a_status_is_ClusterStateInvalid_naming_the_cluster()
    {
        var (exit, stdout, stderr) = Cli.Run(TimeSpan.FromSeconds(60), "status", "--json", "--cluster", Path.Combine(_dir, "cluster.yaml"));
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var e = Error(stderr);
        Assert.Equal(("ClusterStateInvalid", "InvalidOperation", "dead"), (e.GetProperty("errorId").GetString(), e.GetProperty("category").GetString(), e.GetProperty("target").GetString()));
        Assert.Contains("node1: unreachable", e.GetProperty("message").GetString());
    }
}
