using System;
using System.Collections.Generic;
using System.IO;
using System.Xml.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using Xunit;

namespace HaTools.Tests.Pacemaker;

public class PacemakerCommandsTests
{
    [Fact]
    public void Cib_and_status()
    {
        Assert.Equal(new[] { "cibadmin", "--query" }, PacemakerCommands.QueryCib());
        Assert.Equal(new[] { "cibadmin", "--replace", "--scope", "configuration", "--xml-pipe" }, PacemakerCommands.ReplaceConfiguration());
        Assert.Equal(new[] { "crm_mon", "--one-shot", "--inactive", "--output-as=xml" }, PacemakerCommands.Status());
    }

    [Fact]
    public void Move_clear_cleanup()
    {
        Assert.Equal(new[] { "crm_resource", "--resource", "vip", "--move", "--node", "node2" }, PacemakerCommands.Move("vip", "node2"));
        Assert.Equal(new[] { "crm_resource", "--resource", "vip", "--move", "--node", "node2", "--lifetime", "PT1H" }, PacemakerCommands.Move("vip", "node2", "PT1H"));
        Assert.Equal(new[] { "crm_resource", "--resource", "vip", "--clear" }, PacemakerCommands.ClearMove("vip"));
        Assert.Equal(new[] { "crm_resource", "--resource", "vip", "--clear", "--node", "node2" }, PacemakerCommands.ClearMove("vip", "node2"));
        Assert.Equal(new[] { "crm_resource", "--resource", "vip", "--cleanup" }, PacemakerCommands.Cleanup("vip"));
        Assert.Equal(new[] { "crm_resource", "--resource", "vip", "--cleanup", "--node", "node1" }, PacemakerCommands.Cleanup("vip", "node1"));
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("PT")]
    [InlineData("P")]
    [InlineData("PT1H; reboot")]
    public void Bad_lifetimes_are_refused(string lifetime) =>
        Assert.Throws<HaException>(() => PacemakerCommands.Move("vip", "node2", lifetime));

    [Fact]
    public void Start_stop_restart_wait()
    {
        Assert.Equal(new[] { "crm_resource", "--resource", "web", "--meta", "--set-parameter", "target-role", "--parameter-value", "Started" }, PacemakerCommands.Start("web"));
        Assert.Equal(new[] { "crm_resource", "--resource", "web", "--meta", "--set-parameter", "target-role", "--parameter-value", "Stopped" }, PacemakerCommands.Stop("web"));
        Assert.Equal(new[] { "crm_resource", "--resource", "web", "--restart" }, PacemakerCommands.Restart("web"));
        Assert.Equal(new[] { "crm_resource", "--resource", "web", "--restart", "--timeout", "90s" }, PacemakerCommands.Restart("web", TimeSpan.FromSeconds(90)));
        Assert.Equal(new[] { "crm_resource", "--wait", "--timeout", "121s" }, PacemakerCommands.WaitForIdle(TimeSpan.FromSeconds(120.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PacemakerCommands.WaitForIdle(TimeSpan.Zero));
    }

    [Fact]
    public void Standby_and_properties()
    {
        Assert.Equal(new[] { "crm_attribute", "--node", "node2", "--name", "standby", "--update", "on", "--lifetime", "forever" }, PacemakerCommands.SetStandby("node2", true));
        Assert.Equal(new[] { "crm_attribute", "--node", "node2", "--name", "standby", "--update", "off", "--lifetime", "forever" }, PacemakerCommands.SetStandby("node2", false));
        Assert.Equal(new[] { "crm_attribute", "--type", "crm_config", "--name", "stonith-enabled", "--query" }, PacemakerCommands.GetProperty("stonith-enabled"));
        Assert.Equal(new[] { "crm_attribute", "--type", "crm_config", "--name", "stonith-enabled", "--update", "false" }, PacemakerCommands.SetProperty("stonith-enabled", "false"));
        Assert.Equal(new[] { "crm_attribute", "--type", "rsc_defaults", "--name", "resource-stickiness", "--update", "100" }, PacemakerCommands.SetProperty("resource-stickiness", "100", "rsc_defaults"));
        Assert.Equal(new[] { "crm_attribute", "--type", "crm_config", "--name", "maintenance-mode", "--delete" }, PacemakerCommands.DeleteProperty("maintenance-mode"));
        Assert.Throws<ArgumentException>(() => PacemakerCommands.SetProperty("x", "1", "status"));
        // a value is one argv element, spaces and shell characters included; the transport quotes it once
        Assert.Equal("a b;$(c)", PacemakerCommands.SetProperty("x", "a b;$(c)")[^1]);
        Assert.Throws<HaException>(() => PacemakerCommands.SetProperty("x", "a\nb"));
    }

    [Fact]
    public void Delete_xml_goes_to_stdin()
    {
        Assert.Equal(new[] { "cibadmin", "--delete", "--scope", "resources", "--xml-pipe" }, PacemakerCommands.Delete("resources"));
        Assert.Equal("<primitive id=\"vip\" />", PacemakerCommands.DeleteInput("primitive", "vip"));
        Assert.Equal("<rsc_location id=\"loc-vip-node1\" />", PacemakerCommands.DeleteInput("rsc_location", "loc-vip-node1"));
        Assert.Equal("constraints", PacemakerCommands.ScopeOf("rsc_order"));
        Assert.Equal("resources", PacemakerCommands.ScopeOf("group"));
        Assert.Throws<ArgumentException>(() => PacemakerCommands.DeleteInput("cib", "x"));
        Assert.Throws<ArgumentException>(() => PacemakerCommands.Delete("status"));
    }

    public static IEnumerable<object[]> Hostile() => new[]
    {
        new object[] { "$(touch /tmp/pwned)" }, new object[] { "a;b" }, new object[] { "`id`" }, new object[] { "vip\n" },
        new object[] { "a\nb" }, new object[] { "" }, new object[] { "-rf" }, new object[] { "a b" }, new object[] { "a'b" },
        new object[] { "<x/>" }, new object[] { new string('a', 64) },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_names_are_refused_before_any_argv(string bad)
    {
        var builders = new List<Func<string[]>>
        {
            () => PacemakerCommands.Move(bad, "node1"),
            () => PacemakerCommands.Move("vip", bad),
            () => PacemakerCommands.ClearMove(bad),
            () => PacemakerCommands.ClearMove("vip", bad),
            () => PacemakerCommands.Cleanup(bad),
            () => PacemakerCommands.Cleanup("vip", bad),
            () => PacemakerCommands.Start(bad),
            () => PacemakerCommands.Stop(bad),
            () => PacemakerCommands.Restart(bad),
            () => PacemakerCommands.SetStandby(bad, true),
            () => PacemakerCommands.GetProperty(bad),
            () => PacemakerCommands.SetProperty(bad, "1"),
            () => PacemakerCommands.DeleteProperty(bad),
            () => new[] { PacemakerCommands.DeleteInput("primitive", bad) },
        };
        foreach (var build in builders) Assert.Throws<HaException>(() => build());
    }

    /// <summary>The argv really works with crm_attribute / crm_resource / cibadmin on a CIB file (CIB_file=…).</summary>
    [ToolFact("crm_attribute", "crm_resource", "cibadmin")]
    public void Real_tools_accept_the_argv()
    {
        var path = Fixtures.TempFile("cib.xml", Fixtures.Read("crm_mon", "all-started.cib.xml"));
        var env = new Dictionary<string, string> { ["CIB_file"] = path };
        try
        {
            void Ok(string[] argv, string? stdin = null)
            {
                var run = Fixtures.ExecArgv(argv, env, stdin);
                Assert.True(run.ExitCode == 0, string.Join(" ", argv) + ": " + run);
            }
            Ok(PacemakerCommands.SetProperty("maintenance-mode", "true"));
            Assert.Equal("true", Prop("maintenance-mode"));
            Ok(PacemakerCommands.DeleteProperty("maintenance-mode"));
            Assert.Null(Prop("maintenance-mode"));
            // rsc_defaults/op_defaults are not tried here: crm_attribute 2.1.5 resolves the local host as a node even for
            // those sections, which works on a cluster node but not on a CIB file on a machine that is not in it.
            Ok(PacemakerCommands.Stop("svc"));
            Ok(PacemakerCommands.SetStandby("node2", true));
            var cib = XElement.Parse(File.ReadAllText(path));
            Assert.Contains(cib.Descendants("nvpair"), n => (string?)n.Attribute("name") == "target-role" && (string?)n.Attribute("value") == "Stopped");
            Assert.Contains(cib.Descendants("nvpair"), n => (string?)n.Attribute("name") == "standby" && (string?)n.Attribute("value") == "on");
            Ok(PacemakerCommands.Start("svc"));
            Ok(PacemakerCommands.Delete("constraints"), PacemakerCommands.DeleteInput("rsc_colocation", "col-svc-vip"));
            Ok(PacemakerCommands.Delete("constraints"), PacemakerCommands.DeleteInput("rsc_order", "ord-vip-svc"));
            Ok(PacemakerCommands.Delete("resources"), PacemakerCommands.DeleteInput("primitive", "svc"));
            Assert.False(CibReader.ResourceExists(XElement.Parse(File.ReadAllText(path)), "svc"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }

        string? Prop(string name)
        {
            foreach (var p in CibReader.Properties(XElement.Parse(File.ReadAllText(path))))
                if (p.Name == name) return p.Value;
            return null;
        }
    }
}
