using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastSpecTests
{
    internal static ClusterSpec Example() => SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, "hast.yaml"));

    [Fact]
    public void The_example_reads_into_the_hast_section()
    {
        var spec = Example();
        Assert.Equal((StackKind.Hast, "hast"), (spec.Stack, spec.StackName));
        var s = spec.Section<HastSection>();
        Assert.Equal(("fullsync", "crc32", (string?)null, (int?)null), (s.Hast.Replication, s.Hast.Checksum, s.Hast.Compression, s.Hast.Timeout));
        Assert.Equal("198.51.100.11", s.Hast.Addresses["f1"]);
        Assert.Equal(new[] { "disk0", "disk1" }, s.Hast.Resources.Select(r => r.Name));
        Assert.True(s.Hast.Resources[0].LocalSameOnAllNodes);
        Assert.Equal(("/dev/ada1", "/dev/ada1"), (s.Hast.Resources[0].Local["f0"], s.Hast.Resources[0].Local["f1"]));
        Assert.Equal(("/dev/ada2", "/dev/da2", "lzf"), (s.Hast.Resources[1].Local["f0"], s.Hast.Resources[1].Local["f1"], s.Hast.Resources[1].Compression));
        Assert.Equal(("vtnet0", 1, "192.0.2.50/32", (int?)1, 100), (s.Carp.Interface, s.Carp.Vhid, s.Carp.Address, s.Carp.Advbase, s.Carp.Advskew["f1"]));
        Assert.Equal(("hast/carp.pass", (string?)null), (s.Carp.PasswordFile, s.Carp.PasswordEnv));
        Assert.Equal(("tank", "wait"), (s.Zfs.Pool, s.Zfs.Failmode));
        var v = Assert.Single(s.Zfs.Vdevs);
        Assert.Equal("mirror", v.Type);
        Assert.Equal(new[] { "disk0", "disk1" }, v.Resources);
        Assert.Equal((true, 30, 30, false), (s.Failover.Automatic, s.Failover.DeviceTimeout, s.Failover.PeerTimeout, s.Failover.Preempt));
        Assert.Empty(spec.Warnings);
        Assert.Equal(39, s.Hast.Resources[0].Position.Line);
    }

    [Fact]
    public void The_hast_sections_round_trip_through_the_writer()
    {
        var spec = Example();
        var yaml = SpecWriter.ToYaml(spec);
        var again = SpecLoader.LoadText(yaml, "written.yaml");
        Assert.Equal(SpecTestUtil.Content(spec.Section<HastSection>()), SpecTestUtil.Content(again.Section<HastSection>()));
        Assert.Equal(yaml, SpecWriter.ToYaml(again));
        Assert.Contains("      local: /dev/ada1\n", yaml);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_a_literal_password_is_never_echoed()
    {
        const string Secret = "Hunter2-Secret";
        var text = "name: c\nstack: hast\nnodes:\n  - { name: on, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.1 }\n" +
                   "hast:\n  replication: sync\n  timeout: 0\n  resources:\n    - { name: r, local: relative/path }\n    - { name: r, local: /dev/ada1 }\n" +
                   $"carp:\n  interface: 'em 0'\n  vhid: 1\n  address: 192.0.2.50\n  password: {Secret}\n";
        var e = Assert.Throws<SpecException>(() => SpecLoader.LoadText(text, "c.yaml"));
        var shown = string.Join("\n", e.Problems);
        Assert.DoesNotContain(Secret, shown);
        Assert.DoesNotContain(Secret, e.Message);
        var fields = e.Problems.Where(p => p.Severity == Severity.Error).Select(p => p.Field).ToList();
        Assert.Contains("nodes[0].name", fields);          // 'on' is a keyword
        Assert.Contains("hast.replication", fields);       // not memsync/fullsync/async
        Assert.Contains("hast.timeout", fields);           // hastd refuses 0
        Assert.Contains("hast.resources[0].local", fields); // not absolute
        Assert.Contains("hast.resources[1].name", fields); // defined twice
        Assert.Contains("carp.interface", fields);
        Assert.Contains("carp.password", fields);
        Assert.Contains(e.Problems, p => p.Field == "nodes[1].address" && p.Message.Contains("the address of node 'on' too"));
        Assert.All(e.Problems, p => Assert.True(p.Line > 0, p.ToString()));
    }

    [Fact]
    public void A_replication_address_defaults_to_the_node_address()
    {
        var spec = SpecLoader.LoadText("name: c\nstack: hast\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n" +
            "hast:\n  resources: [ { name: r0, local: /dev/da0 } ]\nfailover: { automatic: false }\n", "c.yaml");
        Assert.Equal("192.0.2.2", HastConfGenerator.ReplicationAddress(spec, spec.Nodes[1]));
        Assert.Empty(spec.Section<HastSection>().Hast.Addresses);
    }

    [Theory]
    [InlineData("mirror", "reserved")]
    [InlineData("log", "reserved")]
    [InlineData("c0t0d0", "disk name")]
    [InlineData("1tank", "begin with a letter")]
    [InlineData("tank", null)]
    [InlineData("zhast", null)]
    public void Pool_names_follow_zpool(string name, string? problem)
    {
        var why = HastRules.PoolNameProblem(name);
        if (problem == null) Assert.Null(why);
        else Assert.Contains(problem, why);
    }

    [Theory]
    [InlineData("resource", false)]
    [InlineData("hole", false)]
    [InlineData("123", false)]
    [InlineData("f0", true)]
    [InlineData("node-1.lan", true)]
    [InlineData("hostid123", true)]
    public void Names_are_hast_conf_words(string name, bool ok) => Assert.Equal(ok, HastRules.TokenProblem(name, "node") == null);

    [Theory]
    [InlineData("goodpass", true)]
    [InlineData("exactly-twenty-bytes", true)]
    [InlineData("twenty-one-bytes-long", false)]
    [InlineData("has space", false)]
    [InlineData("dollar$", false)]
    [InlineData("quote\"", false)]
    [InlineData("", false)]
    public void Carp_passwords_fit_ifconfig_and_rc_conf_and_the_reason_never_repeats_them(string password, bool ok)
    {
        var why = HastRules.CarpPasswordProblem(password);
        Assert.Equal(ok, why == null);
        if (why != null && password.Length > 0) Assert.DoesNotContain(password, why);
    }
}
