using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.FileServices;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Tests.Pacemaker;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.Tests.FileServices;

public class FileServicesCibTests
{
    private readonly ITestOutputHelper _out;
    public FileServicesCibTests(ITestOutputHelper output) => _out = output;

    private static ClusterSpec Lab() => FileServicesSpecTests.Example();

    private static XElement Config(ClusterSpec spec) => CibGenerator.Configuration(spec);

    private static XElement? Find(XElement root, string element, string id) =>
        root.Descendants(element).SingleOrDefault(e => (string?)e.Attribute("id") == id);

    private static string? Nv(XElement owner, string set, string name) =>
        (string?)owner.Element(set)?.Elements("nvpair").SingleOrDefault(n => (string?)n.Attribute("name") == name)?.Attribute("value");

    [Fact]
    public void Lab_cib_matches_its_golden() =>
        FileServicesConfigTests.AssertGolden("lab-cib.xml", CibXml.ToText(CibGenerator.FullCib(Lab())));

    [Fact]
    public void Everything_cib_matches_its_golden() =>
        FileServicesConfigTests.AssertGolden("everything-cib.xml", CibXml.ToText(CibGenerator.FullCib(FileServicesConfigTests.Everything())));

    [Fact]
    public void A_file_without_file_services_gets_exactly_the_cib_it_had()
    {
        var spec = SpecBuilder.Lab();
        Assert.Empty(FileServicesCib.Expand(spec).Resources);
        Assert.Equal(File.ReadAllText(Fixtures.Path_("golden", "cib-lab.xml")), CibXml.ToText(CibGenerator.FullCib(spec)));
    }

    [Fact]
    public void Daemons_are_interleaved_clones_without_clone_max_with_the_lab_parameters()
    {
        var c = Config(Lab());
        foreach (var d in new[] { "ctdb", "smbd", "ganesha", "ganesha-grace" })
        {
            var clone = Find(c, "clone", d + "-clone")!;
            Assert.Equal("true", Nv(clone, "meta_attributes", "interleave"));
            Assert.Null(Nv(clone, "meta_attributes", "clone-max"));
            Assert.Equal(d, (string?)clone.Element("primitive")!.Attribute("id"));
        }
        var ctdb = Find(c, "primitive", "ctdb")!;
        Assert.Equal(("ocf", "heartbeat", "CTDB"), ((string?)ctdb.Attribute("class"), (string?)ctdb.Attribute("provider"), (string?)ctdb.Attribute("type")));
        Assert.Equal("/srv/hafs/.ctdb/reclock", Nv(ctdb, "instance_attributes", "ctdb_recovery_lock"));
        Assert.Equal("no", Nv(ctdb, "instance_attributes", "ctdb_manages_samba"));
        Assert.Equal("30s", (string?)Find(c, "op", "ctdb-monitor-interval-10s")!.Attribute("timeout"));
        var smbd = Find(c, "primitive", "smbd")!;
        Assert.Equal(("anything", "/usr/sbin/smbd", "--foreground --no-process-group"),
            ((string?)smbd.Attribute("type"), Nv(smbd, "instance_attributes", "binfile"), Nv(smbd, "instance_attributes", "cmdline_options")));
        var ganesha = Find(c, "primitive", "ganesha")!;
        Assert.Equal("-F -L /var/log/ganesha/ganesha.log -f /etc/ganesha/ganesha.conf -p /run/ganesha.pid -N NIV_EVENT", Nv(ganesha, "instance_attributes", "cmdline_options"));
        Assert.Null(Find(c, "primitive", "sharedfs"));
        // ganesha's grace period as a delay after it: an address reaches a node once its ganesha left grace.
        var grace = Find(c, "primitive", "ganesha-grace")!;
        Assert.Equal(("Delay", "10", "0"), ((string?)grace.Attribute("type"), Nv(grace, "instance_attributes", "startdelay"), Nv(grace, "instance_attributes", "stopdelay")));
        Assert.Equal("40s", (string?)Find(c, "op", "ganesha-grace-start-interval-0")!.Attribute("timeout"));
    }

    [Fact]
    public void Every_address_runs_only_with_and_after_smbd_and_ganesha_and_smbd_with_and_after_ctdb()
    {
        var c = Config(Lab());
        var cons = c.Element("constraints")!;
        string Col(string rsc, string with) => (string?)cons.Elements("rsc_colocation").Single(x => (string?)x.Attribute("rsc") == rsc && (string?)x.Attribute("with-rsc") == with).Attribute("score") ?? "";
        bool Ord(string first, string then) => cons.Elements("rsc_order").Any(x => (string?)x.Attribute("first") == first && (string?)x.Attribute("then") == then && (string?)x.Attribute("kind") == "Mandatory");
        Assert.Equal("INFINITY", Col("smbd-clone", "ctdb-clone"));
        Assert.True(Ord("ctdb-clone", "smbd-clone"));
        Assert.Equal("INFINITY", Col("ganesha-grace-clone", "ganesha-clone"));
        Assert.True(Ord("ganesha-clone", "ganesha-grace-clone"));
        foreach (var v in new[] { "vip1", "vip2", "vip3" })
        {
            var p = Find(c, "primitive", v)!;
            Assert.Equal("IPaddr2", (string?)p.Attribute("type"));
            Assert.Equal(("24", "eth0", "10000"), (Nv(p, "instance_attributes", "cidr_netmask"), Nv(p, "instance_attributes", "nic"), Nv(p, "meta_attributes", "resource-stickiness")));
            Assert.Equal("INFINITY", Col(v, "smbd-clone"));
            Assert.Equal("INFINITY", Col(v, "ganesha-grace-clone"));
            Assert.True(Ord("smbd-clone", v));
            Assert.True(Ord("ganesha-grace-clone", v));
        }
        Assert.Equal(new[] { "198.18.0.101", "198.18.0.102", "198.18.0.103" }, new[] { "vip1", "vip2", "vip3" }.Select(v => Nv(Find(c, "primitive", v)!, "instance_attributes", "ip")));
        Assert.Equal("-100", Col("vip2", "vip1"));
        Assert.Equal("-100", Col("vip3", "vip1"));
        Assert.Equal("-100", Col("vip3", "vip2"));
        Assert.Equal(new[] { "loc-vip1-node1 100", "loc-vip2-node2 100", "loc-vip3-node3 100" },
            cons.Elements("rsc_location").Select(l => $"{(string?)l.Attribute("id")} {(string?)l.Attribute("score")}"));
    }

    [Fact]
    public void A_mount_comes_first_and_a_node_that_does_not_serve_runs_nothing()
    {
        var c = Config(FileServicesConfigTests.Everything());
        var fs = Find(c, "primitive", "sharedfs")!;
        Assert.Equal(("nas:/vol/hafs", "/mnt/hafs", "nfs4", "hard,vers=4.2"),
            (Nv(fs, "instance_attributes", "device"), Nv(fs, "instance_attributes", "directory"), Nv(fs, "instance_attributes", "fstype"), Nv(fs, "instance_attributes", "options")));
        var cons = c.Element("constraints")!;
        foreach (var (first, then) in new[] { ("sharedfs-clone", "ctdb-clone"), ("sharedfs-clone", "ganesha-clone"), ("ctdb-clone", "smbd-clone"), ("ganesha-clone", "ganesha-grace-clone") })
        {
            Assert.Contains(cons.Elements("rsc_order"), o => (string?)o.Attribute("first") == first && (string?)o.Attribute("then") == then);
            Assert.Contains(cons.Elements("rsc_colocation"), o => (string?)o.Attribute("rsc") == then && (string?)o.Attribute("with-rsc") == first);
        }
        // n2 does not serve: every clone avoids it outright.
        Assert.Equal(new[] { "sharedfs-clone", "ctdb-clone", "smbd-clone", "ganesha-clone", "ganesha-grace-clone" },
            cons.Elements("rsc_location").Where(l => (string?)l.Attribute("node") == "n2").Select(l => { Assert.Equal("-INFINITY", (string?)l.Attribute("score")); return (string?)l.Attribute("rsc"); }));
        // return-home: the home outweighs the stickiness.
        Assert.Equal("50", Nv(Find(c, "primitive", "smb-a")!, "meta_attributes", "resource-stickiness"));
        Assert.Equal("100", (string?)Find(c, "rsc_location", "loc-smb-a-n3")!.Attribute("score"));
        Assert.Equal("eth1", Nv(Find(c, "primitive", "vip2")!, "instance_attributes", "nic"));
    }

    [Fact]
    public void Nfs_only_runs_no_ctdb_and_return_home_has_a_small_stickiness()
    {
        var spec = SpecLoader.LoadText(FileServicesSpecTests.File("  shared: { path: /d }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n  failback: return-home\n"), "fs.yaml");
        var c = Config(spec);
        Assert.Equal(new[] { "ganesha-clone", "ganesha-grace-clone", "vip1", "vip2", "vip3" }, c.Element("resources")!.Elements().Select(e => (string?)e.Attribute("id")).OrderBy(x => x));
        Assert.Equal(new[] { "n1", "n2", "n3" }, c.Element("constraints")!.Elements("rsc_location").Select(l => (string?)l.Attribute("node")));
        Assert.All(new[] { "vip1", "vip2", "vip3" }, v => Assert.Equal("50", Nv(Find(c, "primitive", v)!, "meta_attributes", "resource-stickiness")));
    }

    [Fact]
    public void A_graceless_ganesha_has_no_grace_delay()
    {
        var spec = SpecLoader.LoadText(FileServicesSpecTests.File("  shared: { path: /d }\n  nfs: { graceless: true, exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n"), "fs.yaml");
        var c = Config(spec);
        Assert.Null(Find(c, "clone", "ganesha-grace-clone"));
        Assert.Contains(c.Element("constraints")!.Elements("rsc_colocation"), x => (string?)x.Attribute("rsc") == "vip1" && (string?)x.Attribute("with-rsc") == "ganesha-clone");
    }

    [Fact]
    public void The_planner_adds_file_services_to_a_running_cib_and_finds_nothing_to_change_the_second_time()
    {
        var spec = Lab();
        var first = CibPlanner.Plan(XElement.Parse(Fixtures.Read("cib", "running-empty.xml")), spec);
        Assert.Contains("add clone ctdb-clone", first.Changes);
        Assert.Contains("add primitive vip3", first.Changes);
        var again = CibPlanner.Plan(new XElement("cib", first.NewConfiguration), spec);
        Assert.False(again.Changed, string.Join("; ", again.Changes));
    }

    public static IEnumerable<object[]> Verified() => new[] { new object[] { "lab" }, new object[] { "everything" }, new object[] { "smb-five" } };

    private static ClusterSpec Named(string name) => name switch
    {
        "lab" => Lab(),
        "everything" => FileServicesConfigTests.Everything(),
        _ => SpecLoader.LoadText(FileServicesSpecTests.File("  shared: { path: /d }\n  smb: { shares: [ { name: d, path: /d } ] }\n  vips: { first: 192.0.2.101/24, count: 5 }\n  failback: return-home\n"), "fs.yaml"),
    };

    /// <summary>The real crm_verify checks the generated CIB against Pacemaker's schema and its scheduler's rules.</summary>
    [ToolFact("crm_verify")]
    public void Real_crm_verify_accepts_the_generated_cibs()
    {
        foreach (var name in Verified().Select(v => (string)v[0]))
        {
            var spec = Named(name);
            // These test files have no fencing device: said so, as the lab example does.
            spec.Properties["stonith-enabled"] = "false";
            var path = Fixtures.TempFile("cib.xml", CibXml.ToText(CibGenerator.FullCib(spec)));
            var run = Fixtures.Exec(Fixtures.Tool("crm_verify")!, new[] { "--xml-file", path, "-V" });
            _out.WriteLine($"crm_verify --xml-file {path} -V ({name}): {run}");
            Assert.True(run.ExitCode == 0, $"crm_verify rejected {name}: {run}");
            Assert.DoesNotContain("error", run.StdErr + run.StdOut, System.StringComparison.OrdinalIgnoreCase);
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }
}
