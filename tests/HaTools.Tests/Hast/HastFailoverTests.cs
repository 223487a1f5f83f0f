using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

/// <summary>The devd rule and the failover script as generated for examples/hast.yaml: golden files, and the script
/// checked by dash and shellcheck (Debian packages dash and shellcheck).</summary>
public class HastFailoverTests
{
    internal static void AssertGolden(string name, string actual) => Fixtures.AssertGolden(Path.Combine("..", "hast", "golden", name), actual);

    internal static string ScriptFile(string text)
    {
        var path = Fixtures.TempFile("hatools-hast-failover", text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void The_devd_rule_of_the_example_matches_golden() => AssertGolden("hatools-hast.devd.conf", HastFailover.DevdRule(HastSpecTests.Example()));

    [Fact]
    public void The_failover_script_of_the_example_matches_golden() => AssertGolden("hatools-hast-failover.sh", HastFailover.Script(HastSpecTests.Example()));

    [Theory]
    [InlineData("vtnet0", "1@vtnet0", "1@vtnet00")]
    [InlineData("vlan0.100", "1@vlan0.100", "1@vlan0x100")]
    [InlineData("lagg_0", "1@lagg_0", "1@lagg_00")]
    [InlineData("em0.7_x", "1@em0.7_x", "1@em0a7_x")]
    public void The_subsystem_matches_its_own_vhid_and_interface_only(string iface, string matches, string doesNot)
    {
        var spec = SpecLoader.LoadText(File.ReadAllText(Path.Combine(Spec.SpecTestUtil.Examples, "hast.yaml")).Replace("interface: vtnet0", $"interface: {iface}"),
            Path.Combine(Spec.SpecTestUtil.Examples, "hast.yaml"));
        var rule = HastFailover.DevdRule(spec);
        var sub = Regex.Match(rule, "match \"subsystem\"\t\"([^\"]+)\";").Groups[1].Value;
        // devd anchors its regular expressions (devd.conf(5)); [.] means a dot in POSIX and .NET alike.
        var anchored = new Regex("\\A(?:" + sub + ")\\z");
        Assert.Matches(anchored, matches);
        Assert.DoesNotMatch(anchored, doesNot);
        Assert.DoesNotMatch(anchored, "2@" + iface);
        Assert.Contains("action \"/usr/local/sbin/hatools-hast-failover event $type\";", rule);
    }

    [Fact]
    public void The_script_parses_under_dash()
    {
        var path = ScriptFile(HastFailover.Script(HastSpecTests.Example()));
        var r = Fixtures.Exec("/usr/bin/dash", new[] { "-n", path });
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void Shellcheck_finds_nothing_in_the_script()
    {
        var tool = Fixtures.Tool("shellcheck");
        Assert.True(tool != null, "shellcheck is not installed (Debian package shellcheck; tests/install-deps.sh installs it)");
        var path = ScriptFile(HastFailover.Script(HastSpecTests.Example()));
        var r = Fixtures.Exec(tool!, new[] { "--shell=sh", "--severity=style", path });
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void Names_and_paths_reach_the_script_only_when_safe()
    {
        var spec = HastSpecTests.Example();
        Assert.Throws<HaException>(() => HastFailover.Script(spec, new FailoverEnvironment { DeviceDirectory = "/dev/hast'; reboot; '" }));
        Assert.Throws<HaException>(() => HastFailover.Script(spec, new FailoverEnvironment { PathPrefix = "/opt/x:$(id)" }));
        var lab = HastFailover.Script(spec, new FailoverEnvironment { DeviceDirectory = "/run/hast", PathPrefix = "/work/standins" });
        Assert.Contains("PATH=/work/standins:/sbin:/bin:", lab);
        Assert.Contains("DEVDIR='/run/hast'", lab);
        // Nothing else differs from the FreeBSD script.
        var freebsd = HastFailover.Script(spec).Split('\n');
        Assert.Equal(2, lab.Split('\n').Where((l, i) => l != freebsd[i]).Count());
        var noCarp = SpecLoader.LoadText("name: c\nstack: hast\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n" +
            "hast:\n  resources: [ { name: r0, local: /dev/ada1 } ]\nfailover: { automatic: false }\n", "c.yaml");
        Assert.Throws<HaException>(() => HastFailover.DevdRule(noCarp));
        Assert.Contains("POOL=''", HastFailover.Script(noCarp));
    }
}
