using System;
using System.IO;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Hast;

/// <summary>hatools hast-role, hast-switch and hast-init: what they refuse before any node is contacted (the example's
/// nodes are documentation addresses that nothing may reach).</summary>
public class HastCliTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly string Example = Path.Combine(SpecTestUtil.Examples, "hast.yaml");

    [Theory]
    [InlineData("changes a HAST role: add --yes", "hast-role", "disk0", "primary", "--node", "f0")]
    [InlineData("ROLE is primary, secondary or init, not 'master'", "hast-role", "disk0", "master", "--node", "f0", "--yes")]
    [InlineData("name the node with --node NAME", "hast-role", "disk0", "primary", "--yes")]
    [InlineData("discards the node's HAST data: add --yes", "hast-init", "disk0", "--node", "f1")]
    [InlineData("--device-timeout takes a whole number from 1 to 3600", "hast-switch", "f1", "--device-timeout", "0")]
    [InlineData("missing NODE", "hast-switch")]
    public void Usage_mistakes_exit_2_before_any_node_is_asked(string message, params string[] args)
    {
        var all = new string[args.Length + 2];
        args.CopyTo(all, 0);
        all[args.Length] = "--cluster";
        all[args.Length + 1] = Example;
        var (exit, _, stderr) = Reliability.Cli.Run(Limit, all);
        Assert.True(exit == 2, stderr);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Role_switching_on_a_pacemaker_cluster_is_StackCapabilityMissing()
    {
        var lab = Path.Combine(SpecTestUtil.Examples, "lab.yaml");
        var (exit, stdout, stderr) = Reliability.Cli.Run(Limit, "hast-switch", "node2", "--cluster", lab, "--json");
        Assert.Equal(6, exit);
        Assert.Contains("StackCapabilityMissing", stdout + stderr);
        Assert.Contains("role switching", stdout + stderr);
    }

    [Fact]
    public void The_peer_down_statement_needs_force_and_is_refused_before_any_node_is_asked()
    {
        var (exit, _, stderr) = Reliability.Cli.Run(Limit, "hast-role", "disk0", "primary", "--node", "f1", "--peer-down", "f0", "--yes", "--cluster", Example);
        Assert.NotEqual(0, exit);
        Assert.Contains("counts only with -Force", stderr);
    }
}
