using System;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Hare;

public sealed class HareCdfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-cdf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Cdf(string text, string name = "cluster.yaml")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Golden(string name) => HareFixtures.Read(name);

    [Fact]
    public void The_example_cdf_converts_to_the_golden_cluster_file_which_validates()
    {
        var c = HareCdf.Convert(Path.Combine(SpecTestUtil.Examples, "hare-cdf.yaml"));
        Assert.Equal(Golden("hare-cdf.converted.yaml"), c.Yaml);
        Assert.Equal("hare", c.Cluster);
        Assert.Equal(new[] { "node1", "node2", "node3" }, c.Nodes);
        Assert.Equal(new[] { "node1", "node2" }, c.Servers);
        Assert.Equal(new[] { "tier1" }, c.Pools);
        var spec = SpecLoader.LoadText(c.Yaml, "converted.yaml");
        var s = spec.Section<ConsulSection>();
        Assert.Equal(c.Services, s.Services.Count);
        // Hare's phases: hax and confd 1, IO 2, S3 3; the two m0_client processes of node1 are external.
        Assert.Equal(new[] { "hax:1", "confd:1", "ios:2", "m0_client:0", "m0_client-2:0" }, s.Services.Where(x => x.Node == "node1").Select(x => $"{x.Id}:{x.Phase}"));
        Assert.Equal(new[] { "hax:1", "ios:2" }, s.Services.Where(x => x.Node == "node3").Select(x => $"{x.Id}:{x.Phase}"));
        Assert.Equal("198.18.0.12", spec.Nodes[1].Address);
    }

    [Fact]
    public void Hares_rules_are_reported_all_at_once_at_their_place_in_the_cdf()
    {
        var path = Cdf(
            "nodes:\n" +
            "  - hostname: node-1\n" +                                        // 2
            "    data_iface: eth0\n" +
            "    data_iface_ip_addr: 192.0.2.1\n" +                           // 4
            "    m0_servers:\n" +
            "      - { runs_confd: true, io_disks: [] }\n" +                  // 6
            "      - { runs_confd: true, io_disks: [/dev/sdb, /dev/sdb] }\n" + // 7
            "      - { io_disks: [] }\n" +                                    // 8
            "    m0_clients: { s3: 0, other: 0 }\n" +
            "  - hostname: node-1\n" +                                        // 10
            "    data_iface: eth0\n" +
            "    data_iface_ip_addr: 192.0.2.1\n" +                           // 12
            "    m0_servers: []\n" +
            "    m0_clients: { s3: 0, other: 0 }\n" +                         // 14
            "  - hostname: admin@node-3\n" +                                  // 15
            "    data_iface: eth0\n" +
            "    m0_servers: []\n" +
            "    m0_clients: { s3: 1 }\n" +                                   // 18
            "pools: []\n");                                                   // 19
        var e = Assert.Throws<SpecException>(() => HareCdf.Convert(path));
        Assert.All(e.Problems, p => Assert.Equal(path, p.File));
        var shown = e.Problems.Select(p => $"{p.Line}:{p.Column}: {p.Field}: {p.Message}").ToList();
        void Has(string start) => Assert.True(shown.Any(s => s.StartsWith(start, StringComparison.Ordinal)), $"no '{start}' in\n{string.Join("\n", shown)}");
        Has("7:50: nodes[0].m0_servers[1].io_disks[1]: node-1: same disk used by several IO services ('/dev/sdb', also at line 7)");
        Has("7:23: nodes[0].m0_servers[1].runs_confd: node-1: too many confd services (also at line 6); at most one per node");
        Has("8:9: nodes[0].m0_servers[2]: node-1: either 'runs_confd' or 'io_disks' must be set");
        Has("10:15: nodes[1].hostname: node names ('hostname' values) are not unique: 'node-1' is also at line 2");
        Has("12:25: nodes[1].data_iface_ip_addr: IP addresses are not unique: 192.0.2.1 is also at line 4");
        Has("10:5: nodes[1]: node-1: at least one Motr server or client is required");
        Has("15:15: nodes[2].hostname: hostname 'admin@node-3' is also the Consul agent name");
        Has("18:17: nodes[2].m0_clients.other: missing required field 'other'");
        Has("19:8: pools: list of pools must not be empty");
        Assert.Equal(9, e.Problems.Count);
        Assert.Equal(e.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => p.ToString()), e.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void The_seeds_threenodes_mistakes_give_exactly_their_errors_and_the_corrected_file_converts()
    {
        // The seed's threenodes.yaml as its notes describe it: a duplicated 'hostname: node-2' and '(hostname)' notes
        // left in values.
        string Three(string h1, string h2, string h3) =>
            $"nodes:\n" +
            $"  - hostname: {h1}\n    data_iface: eth1\n    m0_servers:\n      - runs_confd: true\n        io_disks: []\n      - io_disks: [/dev/sdb]\n    m0_clients: {{ s3: 0, other: 2 }}\n" +
            $"  - hostname: {h2}\n    data_iface: eth1\n    m0_servers:\n      - io_disks: [/dev/sdb]\n    m0_clients: {{ s3: 0, other: 0 }}\n" +
            $"  - hostname: {h3}\n    data_iface: eth1\n    m0_servers:\n      - io_disks: [/dev/sdb]\n    m0_clients: {{ s3: 0, other: 0 }}\n" +
            "pools:\n  - name: tier1\n    disks: all\n    data_units: 1\n    parity_units: 0\n";
        var bad = Cdf(Three("node-1 (hostname)", "node-2", "node-2"), "threenodes.yaml");
        var e = Assert.Throws<SpecException>(() => HareCdf.Convert(bad));
        Assert.Equal(new[]
        {
            "2:15: nodes[0].hostname: hostname 'node-1 (hostname)' is also the Consul agent name, which may not hold any of \" , = space @ (cfgen refuses [user@]host)",
            "14:15: nodes[2].hostname: node names ('hostname' values) are not unique: 'node-2' is also at line 9",
        }, e.Problems.Select(p => $"{p.Line}:{p.Column}: {p.Field}: {p.Message}"));
        var good = Cdf(Three("node-1", "node-2", "node-3"), "threenodes.yaml");
        var c = HareCdf.Convert(good, "three");
        Assert.Equal(new[] { "node-1" }, c.Servers);
        Assert.Equal("three", SpecLoader.LoadText(c.Yaml, "c.yaml").Name);
    }

    [Fact]
    public void Schema_errors_name_the_key_and_select_disks_are_refused_as_cfgen_does()
    {
        var path = Cdf("nodes:\n  - hostname: n1\n    data_iface: eth0\n    data_iface_type: o2ib\n    m0_servers: [ { runs_confd: yes, io_disks: [/dev/sda] } ]\n" +
            "    m0_clients: { s3: 0, other: 0 }\n    colour: red\npools:\n  - { name: p, disks: { select: [] }, data_units: 1, parity_units: 0 }\n");
        var e = Assert.Throws<SpecException>(() => HareCdf.Convert(path));
        var fields = e.Problems.Select(p => p.Field).ToList();
        // In file order: the list-wide rule sits at the start of the nodes list.
        Assert.Equal(new[] { "nodes", "nodes[0].data_iface_type", "nodes[0].m0_servers[0].runs_confd", "nodes[0].colour", "pools[0].disks" }, fields);
        Assert.Contains("at least one confd is required", e.Problems[0].Message);
        Assert.Contains("unknown key 'colour'", e.Problems[3].Message);
        Assert.Contains("cfgen does not support it", e.Problems[4].Message);
    }
}

public sealed class ImportCdfCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Import_cdf_writes_the_golden_file_and_never_overwrites_without_force()
    {
        var cdf = Path.Combine(SpecTestUtil.Examples, "hare-cdf.yaml");
        var golden = HareFixtures.Read("hare-cdf.converted.yaml");
        var stdout = Reliability.Cli.Run(Timeout, "import-cdf", cdf);
        Assert.Equal((0, golden), (stdout.Exit, stdout.StdOut));

        var target = Path.Combine(_dir, "motr.yaml");
        Assert.Equal(0, Reliability.Cli.Run(Timeout, "import-cdf", cdf, "--out", target).Exit);
        Assert.Equal(golden, File.ReadAllText(target));
        Assert.True(SpecLoader.Validate(target).IsValid);

        File.WriteAllText(target, "kept\n");
        var refused = Reliability.Cli.Run(Timeout, "import-cdf", cdf, "--out", target);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("exists: add --force", refused.StdErr);
        Assert.Equal("kept\n", File.ReadAllText(target));
        Assert.Equal(0, Reliability.Cli.Run(Timeout, "import-cdf", cdf, "--out", target, "--force").Exit);
        Assert.Equal(golden, File.ReadAllText(target));
    }

    [Fact]
    public void A_broken_cdf_gives_every_problem_on_stderr_and_writes_nothing()
    {
        var cdf = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(cdf, "nodes:\n  - { hostname: a, data_iface: eth0, m0_servers: [], m0_clients: { s3: 0, other: 0 } }\npools: []\n");
        var target = Path.Combine(_dir, "out.yaml");
        var r = Reliability.Cli.Run(Timeout, "import-cdf", cdf, "--out", target);
        Assert.Equal(1, r.Exit);
        Assert.Equal(new[]
        {
            $"{cdf}:2:3: nodes: at least one confd is required (an m0_server with runs_confd: true)",
            $"{cdf}:2:3: nodes: no disks found (io_disks of the m0_servers)",
            $"{cdf}:2:5: nodes[0]: a: at least one Motr server or client is required",
            $"{cdf}:3:8: pools: list of pools must not be empty",
        }, r.StdErr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(target));
    }
}
