using System;
using System.Linq;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>hatools' route table as an operator meets it: help per verb, and usage errors (exit 2) that name the verb and option.</summary>
public class CliUsageTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_overview_lists_every_verb()
    {
        var (exit, stdout, _) = Cli.Run(T, "--help");
        Assert.Equal(0, exit);
        foreach (var verb in new[] { "new NAME", "validate FILE", "test", "bootstrap FILE", "status", "nodes", "resources", "exec", "push", "move RES NODE",
                     "start RES", "stop [RES]", "restart RES", "cleanup RES", "standby NODE", "unstandby NODE", "property [NAME]", "property set NAME VALUE",
                     "property unset NAME", "constraints", "constraint add", "constraint remove ID", "resource add NAME AGENT", "resource remove NAME", "teardown" })
            Assert.Contains("\n  " + verb, stdout);
    }

    [Fact]
    public void A_verb_has_its_own_help_from_the_table()
    {
        var (exit, stdout, stderr) = Cli.Run(T, "resource", "add", "--help");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith("usage: hatools resource add NAME AGENT [key=value ...] [--meta KEY=VALUE] [--op ", stdout);
        Assert.Contains("monitor interval 10s timeout 20s", stdout);
        var (exit2, stdout2, _) = Cli.Run(T, "help", "move");
        Assert.Equal(0, exit2);
        Assert.Contains("--lifetime PT1H", stdout2);
    }

    [Theory]
    [InlineData("move vip node2 --lifetim PT1H", "hatools: move: unknown option --lifetim", "usage: hatools move RES NODE")]
    [InlineData("status --wait", "hatools: status: unknown option --wait", "usage: hatools status")]
    [InlineData("frobnicate", "hatools: unknown verb 'frobnicate'", "usage: hatools <verb>")]
    [InlineData("resource frob x", "hatools: resource: unknown or missing sub-verb 'frob': resource add, resource remove", "usage: hatools <verb>")]
    [InlineData("start vip --timeout 0", "hatools: start: --timeout takes a whole number from 1 to 86400", "usage: hatools start RES")]
    [InlineData("move vip node2 --lifetime 1h", "hatools: move: --lifetime '1h' is not a positive ISO 8601 duration", "usage: hatools move RES NODE")]
    [InlineData("status extra", "hatools: status: unexpected argument 'extra'", "usage: hatools status")]
    [InlineData("validate a.yaml --mkfs", "hatools: validate: unknown option --mkfs", "usage: hatools validate FILE")]
    [InlineData("new c --node a=198.18.0.1 --stack 7", "hatools: unknown stack '7'", "usage: hatools new NAME")]
    [InlineData("new c --node bad$name=198.18.0.1", "hatools: new: --node 'bad$name=198.18.0.1' is not NAME=ADDRESS", "usage: hatools new NAME")]
    [InlineData("push --all --source x --dest /etc/motd --mode 999", "hatools: push: --mode '999' is not an octal mode such as 0644", "usage: hatools push")]
    public void Usage_errors_exit_2_naming_the_verb_and_show_that_verbs_help(string line, string first, string help)
    {
        var (exit, stdout, stderr) = Cli.Run(T, line.Split(' '));
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n');
        Assert.StartsWith(first, lines[0]);
        Assert.StartsWith(help, lines[1]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Readme_command_lines_still_parse()
    {
        // The README's examples, up to the point where a node would be asked: a usage error would exit 2 before that.
        foreach (var line in new[]
                 {
                     "exec --cluster no-such.yaml --all -- uname -n",
                     "push --cluster no-such.yaml --all --source motd --dest /etc/motd --mode 0644",
                     "bootstrap --mkfs no-such.yaml",
                     "status --cluster no-such.yaml --json",
                     "move vip node2 --wait --cluster no-such.yaml",
                     "status --from no-such-crm_mon.xml --json",
                 })
        {
            var (exit, _, stderr) = Cli.Run(T, line.Split(' '));
            // A missing file: a failure with its category's exit code (the shared table), never usage (2).
            Assert.True(exit != 0 && exit != 2, line + ": " + stderr);
            Assert.DoesNotContain("usage:", stderr);
        }
    }
}
