using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Spec;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.Tests.Pacemaker;

public class CibGeneratorTests
{
    private readonly ITestOutputHelper _out;
    public CibGeneratorTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Lab_matches_golden() => Fixtures.AssertGolden("cib-lab.xml", CibXml.ToText(CibGenerator.FullCib(SpecBuilder.Lab())));

    [Fact]
    public void Everything_matches_golden() => Fixtures.AssertGolden("cib-everything.xml", CibXml.ToText(CibGenerator.FullCib(SpecBuilder.Everything())));

    [Fact]
    public void Configuration_has_the_six_sections_and_empty_nodes()
    {
        var c = CibGenerator.Configuration(SpecBuilder.Lab());
        Assert.Equal(new[] { "crm_config", "nodes", "resources", "constraints", "rsc_defaults", "op_defaults" }, c.Elements().Select(e => e.Name.LocalName));
        Assert.False(c.Element("nodes")!.HasElements);
    }

    [Fact]
    public void Ids_follow_pcs_conventions()
    {
        var c = CibGenerator.Configuration(SpecBuilder.Lab());
        Assert.NotNull(Find(c, "nvpair", "cib-bootstrap-options-stonith-enabled"));
        Assert.NotNull(Find(c, "meta_attributes", "rsc_defaults-options"));
        Assert.NotNull(Find(c, "nvpair", "op_defaults-options-timeout"));
        Assert.NotNull(Find(c, "nvpair", "vip-instance_attributes-cidr_netmask"));
        var op = Find(c, "op", "vip-monitor-interval-10s")!;
        Assert.Equal("monitor", (string?)op.Attribute("name"));
        Assert.Equal("20s", (string?)op.Attribute("timeout"));
        Assert.NotNull(Find(c, "rsc_colocation", "col-svc-vip"));
        Assert.NotNull(Find(c, "rsc_order", "ord-vip-svc"));
        Assert.NotNull(Find(c, "rsc_location", "loc-vip-node1"));
    }

    [Fact]
    public void Avoids_negates_the_score()
    {
        var c = CibGenerator.Configuration(SpecBuilder.Everything());
        Assert.Equal("-INFINITY", (string?)Find(c, "rsc_location", "loc-vm1-node3")!.Attribute("score"));
        Assert.Equal("-200", (string?)Find(c, "rsc_location", "web-avoids-node2")!.Attribute("score"));
    }

    [Theory]
    [InlineData("INFINITY", false, "INFINITY")]
    [InlineData("+INFINITY", false, "INFINITY")]
    [InlineData("infinity", true, "-INFINITY")]
    [InlineData("50", true, "-50")]
    [InlineData("-50", true, "-50")]
    [InlineData("0", true, "0")]
    public void Location_scores(string score, bool avoids, string expected)
    {
        var x = CibGenerator.Location(new LocationSpec { Resource = "vip", Node = "node1", Score = score, Avoids = avoids });
        Assert.Equal(expected, (string?)x.Attribute("score"));
    }

    [Fact]
    public void Group_keeps_member_order_and_clone_wraps()
    {
        var c = CibGenerator.Configuration(SpecBuilder.Everything());
        var web = Find(c, "group", "web")!;
        Assert.Equal(new[] { "web-ip", "web-srv" }, web.Elements("primitive").Select(p => (string?)p.Attribute("id")));
        var pingClone = Find(c, "clone", "ping-clone")!;
        Assert.Equal("ping", (string?)pingClone.Element("primitive")!.Attribute("id"));
        Assert.Equal("true", Nv(pingClone.Element("meta_attributes")!, "interleave"));
        var db = Find(c, "clone", "db-clone")!;
        Assert.Equal("true", Nv(db.Element("meta_attributes")!, "promotable"));
        Assert.Equal(new[] { "Promoted", "Unpromoted" }, db.Descendants("op").Select(o => (string?)o.Attribute("role")));
        // cloned or grouped primitives are not also top-level
        var resources = c.Element("resources")!;
        Assert.DoesNotContain(resources.Elements("primitive"), p => (string?)p.Attribute("id") is "ping" or "db" or "web-ip");
        var systemd = Find(c, "primitive", "web-srv")!;
        Assert.Equal("systemd", (string?)systemd.Attribute("class"));
        Assert.Null(systemd.Attribute("provider"));
    }

    [Fact]
    public void Xen_gets_allow_migrate_meta_and_migrate_ops()
    {
        var vm = Find(CibGenerator.Configuration(SpecBuilder.Everything()), "primitive", "vm1")!;
        Assert.Equal("true", Nv(vm.Element("meta_attributes")!, "allow-migrate"));
        Assert.NotNull(vm.Descendants("op").SingleOrDefault(o => (string?)o.Attribute("id") == "vm1-migrate_to-interval-0"));
    }

    [Fact]
    public void Empty_defaults_give_empty_sections()
    {
        var spec = SpecBuilder.Cluster("bare", 3);
        var c = CibGenerator.Configuration(spec);
        Assert.All(c.Elements(), e => Assert.False(e.HasElements));
    }

    [Theory]
    [InlineData("1vip")]
    [InlineData("a;b")]
    [InlineData("$(touch /tmp/pwned)")]
    [InlineData("vip\n")]
    public void Bad_resource_names_are_refused(string name)
    {
        var spec = SpecBuilder.Cluster("c", 3);
        spec.Resources.Add(SpecBuilder.Primitive(name, "ocf:heartbeat:IPaddr2"));
        Assert.Throws<HaException>(() => CibGenerator.Configuration(spec));
    }

    [Fact]
    public void Undeclared_group_member_is_refused()
    {
        var spec = SpecBuilder.Lab();
        spec.Groups.Add(new GroupSpec { Name = "g", Resources = { "vip", "nope" } });
        Assert.Throws<HaException>(() => CibGenerator.Configuration(spec));
    }

    [Theory]
    [InlineData("ocf:IPaddr2")]
    [InlineData("IPaddr2")]
    [InlineData("ocf:heartbeat:IP addr")]
    public void Bad_agents_are_refused(string agent)
    {
        var spec = SpecBuilder.Cluster("c", 3);
        spec.Resources.Add(SpecBuilder.Primitive("r", agent));
        Assert.Throws<HaException>(() => CibGenerator.Configuration(spec));
    }

    [Fact]
    public void Bad_interval_is_refused()
    {
        var spec = SpecBuilder.Cluster("c", 3);
        spec.Resources.Add(SpecBuilder.Primitive("r", "ocf:pacemaker:Dummy").Op("monitor", "10 parsecs"));
        Assert.Throws<HaException>(() => CibGenerator.Configuration(spec));
    }

    public static IEnumerable<object[]> VerifySpecs()
    {
        yield return new object[] { "lab" };
        yield return new object[] { "everything" };
        yield return new object[] { "group" };
        yield return new object[] { "clone" };
        yield return new object[] { "promotable" };
        yield return new object[] { "xen" };
        yield return new object[] { "two-node" };
    }

    internal static ClusterSpec Named(string name)
    {
        ClusterSpec spec;
        switch (name)
        {
            case "lab": return SpecBuilder.Lab();
            case "everything": return SpecBuilder.Everything();
            case "group":
                spec = SpecBuilder.Lab();
                spec.Constraints.Colocation.Clear();
                spec.Constraints.Order.Clear();
                spec.Constraints.Location.Clear();
                spec.Groups.Add(new GroupSpec { Name = "web", Resources = { "vip", "svc" }, Meta = { ["target-role"] = "Started" } });
                spec.Constraints.Location.Add(new LocationSpec { Resource = "web", Node = "node2", Score = "100" });
                return spec;
            case "clone":
                spec = SpecBuilder.Lab();
                spec.Resources.Add(SpecBuilder.Primitive("ping", "ocf:pacemaker:ping", ("host_list", "10.0.0.1")).Op("monitor", "10s"));
                spec.Clones.Add(new CloneSpec { Name = "ping-clone", Resource = "ping", Meta = { ["interleave"] = "true", ["clone-max"] = "3" } });
                spec.Constraints.Order.Add(new OrderSpec { First = "ping-clone", Then = "vip" });
                return spec;
            case "promotable":
                spec = SpecBuilder.Cluster("prom", 3);
                spec.Properties["stonith-enabled"] = "false";
                spec.Resources.Add(SpecBuilder.Primitive("db", "ocf:pacemaker:Stateful").Op("monitor", "10s", null, "Promoted").Op("monitor", "11s", null, "Unpromoted"));
                spec.Clones.Add(new CloneSpec { Name = "db-clone", Resource = "db", Promotable = true });
                return spec;
            case "xen":
                spec = SpecBuilder.Cluster("xen", 3);
                spec.Properties["stonith-enabled"] = "false";
                spec.Resources.Add(SpecBuilder.Primitive("vm1", "ocf:heartbeat:Xen", ("xmfile", "/etc/xen/vm1.cfg")).Meta("allow-migrate", "true")
                    .Op("monitor", "30s", "60s").Op("migrate_to", "0", "120s").Op("migrate_from", "0", "120s"));
                spec.Constraints.Location.Add(new LocationSpec { Resource = "vm1", Node = "node1", Score = "INFINITY" });
                spec.Constraints.Location.Add(new LocationSpec { Resource = "vm1", Node = "node3", Avoids = true });
                return spec;
            case "two-node":
                spec = CorosyncConfGeneratorTests.TwoNode();
                spec.Properties["stonith-enabled"] = "false";
                spec.Resources.Add(SpecBuilder.Primitive("vip", "ocf:heartbeat:IPaddr2", ("ip", "10.0.0.100")));
                return spec;
            default: throw new KeyNotFoundException(name);
        }
    }

    /// <summary>The real crm_verify checks the generated CIB against Pacemaker's schema and its scheduler's rules.</summary>
    [ToolFact("crm_verify")]
    public void Real_crm_verify_accepts_generated_cibs()
    {
        foreach (var row in VerifySpecs())
        {
            var name = (string)row[0];
            var path = Fixtures.TempFile("cib.xml", CibXml.ToText(CibGenerator.FullCib(Named(name))));
            var run = Fixtures.Exec(Fixtures.Tool("crm_verify")!, new[] { "--xml-file", path, "-V" });
            _out.WriteLine($"crm_verify --xml-file {path} -V ({name}): {run}");
            Assert.True(run.ExitCode == 0, $"crm_verify rejected {name}: {run}");
            Assert.DoesNotContain("error", run.StdErr + run.StdOut, System.StringComparison.OrdinalIgnoreCase);
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }

    [ToolFact("crm_verify")]
    public void Real_crm_verify_rejects_a_dangling_constraint()
    {
        var cib = CibGenerator.FullCib(SpecBuilder.Lab());
        cib.Root!.Element("configuration")!.Element("constraints")!.Add(
            CibGenerator.Colocation(new ColocationSpec { Resource = "svc", With = "ghost" }));
        var path = Fixtures.TempFile("cib.xml", CibXml.ToText(cib));
        var run = Fixtures.Exec(Fixtures.Tool("crm_verify")!, new[] { "--xml-file", path, "-V" });
        _out.WriteLine(run.ToString());
        Assert.NotEqual(0, run.ExitCode);
    }

    private static XElement? Find(XElement root, string element, string id) =>
        root.Descendants(element).SingleOrDefault(e => (string?)e.Attribute("id") == id);

    private static string? Nv(XElement set, string name) =>
        (string?)set.Elements("nvpair").SingleOrDefault(n => (string?)n.Attribute("name") == name)?.Attribute("value");
}
