using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>The hatools front for consul clusters: a saved hctl status through status --from (its stack told by its
/// content, or named with --stack), and the consul verbs' usage.</summary>
public class ConsulCliTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "fixtures", "hare", name);

    [Fact]
    public void Status_from_a_saved_hctl_status_is_a_consul_status_by_its_content()
    {
        var (exit, stdout, stderr) = Reliability.Cli.Run(Limit, "status", "--from", Fixture("hctl-status.json"), "--json");
        Assert.True(exit == 0, stderr);
        var s = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("consul", s.GetProperty("Stack").GetString());
        Assert.Equal(5, s.GetProperty("Details").GetProperty("Nodes")[0].GetProperty("Services").GetArrayLength());

        var named = Reliability.Cli.Run(Limit, "nodes", "--from", Fixture("hctl-status.json"), "--stack", "consul");
        Assert.Equal(0, named.Exit);
        Assert.Contains("localhost", named.StdOut);

        // Named as another stack's, it is that stack's reader that refuses it.
        var wrong = Reliability.Cli.Run(Limit, "status", "--from", Fixture("hctl-status.json"), "--stack", "pacemaker");
        Assert.NotEqual(0, wrong.Exit);
        var usage = Reliability.Cli.Run(Limit, "status", "--stack", "consul");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("--stack goes with --from", usage.StdErr);
    }

    [Fact]
    public void The_consul_verbs_have_their_help_and_check_their_arguments_before_any_node()
    {
        var help = Reliability.Cli.Run(Limit, "kv", "set", "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("usage: hatools kv set KEY VALUE [--cas N]", help.StdOut + help.StdErr);
        var bad = Reliability.Cli.Run(Limit, "kv", "set", "k", "v", "--cas", "-3", "--cluster", Path.Combine(RepoPaths.Root, "examples", "consul.yaml"));
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--cas takes a ModifyIndex", bad.StdErr);
        // A pacemaker cluster has no key-value store: refused before any node is contacted.
        var lab = Reliability.Cli.Run(Limit, "kv", "--cluster", Path.Combine(RepoPaths.Root, "examples", "two-node.yaml"), "--json");
        Assert.Equal(6, lab.Exit);
        Assert.Equal("StackCapabilityMissing", JsonDocument.Parse(lab.StdErr.Substring(lab.StdErr.IndexOf('{'))).RootElement.GetProperty("errorId").GetString());
    }
}
