using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.FileServices;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.FileServices;

public class FileServicesSpecTests
{
    internal static ClusterSpec Example() => SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, "fileservices.yaml"));

    /// <summary>A small valid file with the section's body appended (indented under file_services:).</summary>
    internal static string File(string body, string nodes = "  - { name: n1, address: 192.0.2.11 }\n  - { name: n2, address: 192.0.2.12 }\n  - { name: n3, address: 192.0.2.13 }\n") =>
        "name: fs\nnodes:\n" + nodes + "file_services:\n" + body;

    private const string Minimal = "  shared: { path: /srv/data }\n  smb: { shares: [ { name: data, path: /srv/data/share } ] }\n  vips: { first: 192.0.2.101/24 }\n";

    private static SpecException Refused(string text) => Assert.Throws<SpecException>(() => SpecLoader.LoadText(text, "fs.yaml"));

    private static string Shown(SpecException e) => string.Join("\n", e.Problems);

    [Fact]
    public void The_lab_example_reads_into_the_section()
    {
        var spec = Example();
        var fs = FileServicesModel.Of(spec)!;
        Assert.Equal(("/srv/hafs", (MountSpec?)null), (fs.Shared.Path, fs.Shared.Mount));
        Assert.Equal(new[] { "node1", "node2", "node3" }, FileServicesModel.ServingNodes(spec, fs).Select(n => n.Name));
        var share = Assert.Single(fs.Smb.Shares);
        Assert.Equal(("hafs", "/srv/hafs/export", false, true), (share.Name, share.Path, share.ReadOnly, share.Guest));
        Assert.Equal("HAFS", FileServicesModel.NetbiosName(spec, fs));
        var export = Assert.Single(fs.Nfs.Exports);
        Assert.Equal(("/srv/hafs/export", "/export", "ro", "none"), (export.Path, export.PseudoPath, export.Access, export.Squash));
        Assert.Equal(new[] { "198.18.0.0/24" }, export.Clients);
        Assert.Equal((10, 10), (fs.Nfs.GraceSeconds, fs.Nfs.LeaseSeconds));
        var vips = FileServicesModel.Vips(spec, fs);
        Assert.Equal(new[] { "vip1 198.18.0.101/24 eth0 node1", "vip2 198.18.0.102/24 eth0 node2", "vip3 198.18.0.103/24 eth0 node3" },
            vips.Select(v => $"{v.Name} {v.Address}/{v.Prefix} {v.Interface} {v.Home}"));
        Assert.Equal(("stay", 2, 3), (fs.Failback, fs.Ctdb.Interval, fs.Ctdb.Limit));
        Assert.Equal("/srv/hafs/.ctdb/reclock", FileServicesModel.RecoveryLock(fs));
        Assert.Equal("/srv/hafs/.ctdb", FileServicesModel.LockFolder(fs));
        Assert.Empty(spec.Warnings);
    }

    [Fact]
    public void The_section_round_trips_through_the_writer()
    {
        var spec = Example();
        var yaml = SpecWriter.ToYaml(spec);
        var again = SpecLoader.LoadText(yaml, "written.yaml");
        Assert.Equal(SpecTestUtil.Content(spec.Section<FileServicesSpec>()), SpecTestUtil.Content(again.Section<FileServicesSpec>()));
        Assert.Equal(yaml, SpecWriter.ToYaml(again));
        Assert.Contains("file_services:\n  shared:\n    path: /srv/hafs\n", yaml);
        Assert.Contains("  vips: { first: 198.18.0.101/24, interface: eth0 }\n", yaml);
    }

    [Fact]
    public void Every_field_round_trips_including_a_mount_a_list_of_addresses_and_users()
    {
        var text = File(
            "  shared:\n    path: /mnt/hafs\n    mount: { device: \"nas:/vol/hafs\", fstype: nfs4, options: \"hard,vers=4.2\" }\n" +
            "  nodes: [n1, n3]\n" +
            "  smb:\n    netbios_name: FILES\n    workgroup: LAB\n    shares:\n      - { name: team, path: /mnt/hafs/team, users: [alice, bob] }\n      - { name: pub$, path: /mnt/hafs/pub, read_only: false, guest: true }\n" +
            "  nfs:\n    grace_period: 30\n    lease_lifetime: 20\n    graceless: false\n    exports:\n      - { id: 7, path: /mnt/hafs/team, pseudo: /team, access: rw, squash: all, clients: [192.0.2.0/24, \"*.lab\"] }\n      - { path: /mnt/hafs/pub }\n" +
            "  vips:\n    - { name: smb-a, address: 192.0.2.101/24, home: n3 }\n    - { address: 192.0.2.102/24, interface: eth1 }\n" +
            "  failback: return-home\n  ctdb: { keepalive_interval: 3, keepalive_limit: 4, recovery_lock: /mnt/hafs/.locks/ctdb }\n");
        var spec = SpecLoader.LoadText(text, "fs.yaml");
        var fs = FileServicesModel.Of(spec)!;
        Assert.Equal(("nas:/vol/hafs", "nfs4", "hard,vers=4.2"), (fs.Shared.Mount!.Device, fs.Shared.Mount.Fstype, fs.Shared.Mount.Options));
        Assert.Equal(new[] { "n1", "n3" }, FileServicesModel.ServingNodes(spec, fs).Select(n => n.Name));
        Assert.Equal(new[] { "alice", "bob" }, fs.Smb.Shares[0].Users);
        Assert.Equal(new[] { "smb-a 192.0.2.101 n3", "vip2 192.0.2.102 n3" }, FileServicesModel.Vips(spec, fs).Select(v => $"{v.Name} {v.Address} {v.Home}"));
        Assert.Equal("eth1", FileServicesModel.Vips(spec, fs)[1].Interface);
        Assert.Equal("/mnt/hafs/.locks/ctdb", FileServicesModel.RecoveryLock(fs));
        Assert.Null(FileServicesModel.LockFolder(fs));
        var yaml = SpecWriter.ToYaml(spec);
        var again = SpecLoader.LoadText(yaml, "written.yaml");
        Assert.Equal(SpecTestUtil.Content(fs), SpecTestUtil.Content(again.Section<FileServicesSpec>()));
        Assert.Equal(yaml, SpecWriter.ToYaml(again));
    }

    [Fact]
    public void Defaults_one_address_per_serving_node_homes_by_position_and_the_lock_of_a_mount()
    {
        var spec = SpecLoader.LoadText(File("  shared: { path: /mnt/x, mount: { device: \"nas:/x\", fstype: nfs } }\n  nodes: [n2, n3]\n  nfs: { exports: [ { path: /mnt/x } ] }\n  vips: { first: 192.0.2.250/24 }\n"), "fs.yaml");
        var fs = FileServicesModel.Of(spec)!;
        Assert.Equal(new[] { "vip1 192.0.2.250 n2", "vip2 192.0.2.251 n3" }, FileServicesModel.Vips(spec, fs).Select(v => $"{v.Name} {v.Address} {v.Home}"));
        Assert.Equal("/mnt/x/.ctdb.reclock", FileServicesModel.RecoveryLock(fs));
        Assert.Equal(("/mnt/x", 10, 10, "stay"), (fs.Nfs.Exports[0].PseudoPath, fs.Nfs.GraceSeconds, fs.Nfs.LeaseSeconds, fs.Failback));
        Assert.Equal(("FS", 2, 3), (FileServicesModel.NetbiosName(spec, fs), fs.Ctdb.Interval, fs.Ctdb.Limit));
    }


    [Fact]
    public void A_file_without_the_section_has_none()
    {
        var spec = SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, "lab.yaml"));
        Assert.Null(FileServicesModel.Of(spec));
        Assert.DoesNotContain("file_services", SpecWriter.ToYaml(spec));
    }

    [Fact]
    public void The_section_is_refused_with_another_stack()
    {
        var e = Refused("name: c\nstack: hast\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\nfile_services: {}\n");
        Assert.Contains(e.Problems, p => p.Field == "file_services" && p.Code == SpecCodes.StackOnly && p.Message.Contains("only valid with stack: pacemaker"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_position()
    {
        var text = File(
            "  shared: { path: /srv/data }\n" +
            "  nodes: [n1, n9, n1]\n" +
            "  smb:\n    netbios_name: way-too-long-for-netbios\n    shares:\n      - { name: \"bad name\", path: /srv/data/a }\n      - { name: Data, path: /elsewhere }\n      - { name: data, path: /srv/data/b, guest: true, users: [x] }\n      - { name: IPC$, path: /srv/data/c }\n" +
            "  nfs:\n    grace_period: 500\n    exports:\n      - { path: /srv/data/a, pseudo: /, access: write, squash: maybe, clients: [\"10.0.0.0/99\"] }\n      - { id: 2, path: \"/srv/data/$(id)\" }\n      - { id: 2, path: /srv/data/c }\n" +
            "  vips:\n    - { address: 192.0.2.101 }\n    - { address: 192.0.2.102/24, home: n9 }\n    - { address: 192.0.2.102/24 }\n    - { address: 198.51.100.7/24 }\n    - { name: ctdb, address: 192.0.2.11/24 }\n" +
            "  failback: sometimes\n  ctdb: { keepalive_interval: 0, recovery_lock: /var/lib/ctdb/lock }\n");
        var e = Refused(text);
        var shown = Shown(e);
        void Has(string field, string text2, int? line = null) =>
            Assert.True(e.Problems.Any(p => p.Severity == Severity.Error && p.Field == field && p.Message.Contains(text2) && (line == null || p.Line == line)), $"no {field}: {text2}\n{shown}");
        Has("file_services.nodes[1]", "unknown node 'n9'", 8);
        Has("file_services.nodes[2]", "listed twice", 8);
        Has("file_services.smb.netbios_name", "invalid NetBIOS name", 10);
        Has("file_services.smb.shares[0].name", "invalid share name", 12);
        Has("file_services.smb.shares[1].path", "not on the shared filesystem", 13);
        Has("file_services.smb.shares[2].users", "either for guests", 14);
        Has("file_services.smb.shares[3].name", "reserves", 15);
        Has("file_services.nfs.grace_period", "out of range", 17);
        Has("file_services.nfs.exports[0].pseudo", "NFSv4 root", 19);
        Has("file_services.nfs.exports[0].access", "'write' is not one of: ro, rw", 19);
        Has("file_services.nfs.exports[0].squash", "is not one of: root, none, all", 19);
        Has("file_services.nfs.exports[0].clients[0]", "invalid client network", 19);
        Has("file_services.nfs.exports[1].path", "may hold only", 20);
        Has("file_services.nfs.exports[2].id", "Export_Id 2 is used twice", 21);
        Has("file_services.vips[0].address", "with its prefix", 23);
        Has("file_services.vips[1].home", "unknown node 'n9'", 24);
        Has("file_services.vips[2].address", "address 192.0.2.102 is given twice", 25);
        Has("file_services.vips[3].address", "not in the network of node n1 (192.0.2.11): IPaddr2 picks the interface", 26);
        Has("file_services.vips[4].address", "node 'n1''s own address", 27);
        Has("file_services.vips[4].name", "a resource file_services makes for its daemons", 27);
        Has("file_services.failback", "is not one of: stay, return-home", 28);
        Has("file_services.ctdb.keepalive_interval", "out of range", 29);
        Has("file_services.ctdb.recovery_lock", "must be a file on the shared filesystem", 29);
        Assert.DoesNotContain(e.Problems, p => p.Line == 0);
    }

    [Theory]
    [InlineData("/srv/data/", "ends with '/'")]
    [InlineData("/", "cannot be '/'")]
    [InlineData("srv/data", "must be absolute")]
    [InlineData("/srv/../etc", "no '.' or '..' parts")]
    [InlineData("/srv/da ta", "may hold only")]
    public void Bad_shared_paths_are_refused(string path, string why)
    {
        var e = Refused(File(Minimal.Replace("{ path: /srv/data }", "{ path: \"" + path + "\" }")));
        Assert.Contains(e.Problems, p => p.Field == "file_services.shared.path" && p.Line == 7 && p.Message.Contains(why));
    }

    [Fact]
    public void Share_names_do_not_differ_by_case_and_pseudo_paths_are_unique()
    {
        var e = Refused(File("  shared: { path: /d }\n  smb: { shares: [ { name: Data, path: /d/a }, { name: DATA, path: /d/b } ] }\n" +
            "  nfs: { exports: [ { path: /d/a, pseudo: /x }, { path: /d/b, pseudo: /x } ] }\n  vips: { first: 192.0.2.101/24 }\n"));
        Assert.Contains(e.Problems, p => p.Field == "file_services.smb.shares[1].name" && p.Message.Contains("do not differ by case"));
        Assert.Contains(e.Problems, p => p.Field == "file_services.nfs.exports[1].pseudo" && p.Message.Contains("used twice"));
    }

    [Fact]
    public void Nothing_to_serve_and_no_addresses_are_refused()
    {
        var e = Refused(File("  shared: { path: /d }\n"));
        Assert.Contains(e.Problems, p => p.Field == "file_services" && p.Message.Contains("serves nothing"));
        Assert.Contains(e.Problems, p => p.Field == "file_services.vips" && p.Message.Contains("floating addresses"));
        var empty = Refused(File(""));
        Assert.Contains(empty.Problems, p => p.Field == "file_services" && p.Message.Contains("empty"));
        var noShared = Refused(File("  smb: { shares: [ { name: d, path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n"));
        Assert.Contains(noShared.Problems, p => p.Field == "file_services.shared" && p.Code == SpecCodes.Missing);
    }

    [Fact]
    public void A_local_filesystem_cannot_be_mounted_on_every_node()
    {
        var e = Refused(File("  shared: { path: /d, mount: { device: /dev/sdb1, fstype: ext4 } }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n"));
        Assert.Contains(e.Problems, p => p.Field == "file_services.shared.mount.fstype" && p.Message.Contains("cannot be mounted on every serving node at once"));
    }

    [Fact]
    public void A_range_that_leaves_its_network_or_the_address_space_is_refused()
    {
        var e = Refused(File("  shared: { path: /d }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.253/24, count: 4 }\n"));
        Assert.Contains(e.Problems, p => p.Field == "file_services.vips.count" && p.Message.Contains("outside 192.0.2.253/24"));
        var end = Refused(File("  shared: { path: /d }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 255.255.255.254/24, count: 3 }\n"));
        Assert.Contains(end.Problems, p => p.Field == "file_services.vips.first");
    }

    [Fact]
    public void A_cluster_name_that_is_no_netbios_name_needs_one_only_with_smb()
    {
        var smb = Refused("name: my.cluster\nnodes:\n  - { name: n1, address: 192.0.2.11 }\n  - { name: n2, address: 192.0.2.12 }\nfile_services:\n" + Minimal);
        Assert.Contains(smb.Problems, p => p.Field == "name" && p.Message.Contains("set file_services.smb.netbios_name"));
        SpecLoader.LoadText("name: my.cluster\nnodes:\n  - { name: n1, address: 192.0.2.11 }\n  - { name: n2, address: 192.0.2.12 }\nfile_services:\n" +
            "  shared: { path: /d }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n", "fs.yaml");
    }

    [Fact]
    public void Smb_needs_ip_addresses_for_ctdb_and_nfs_alone_does_not()
    {
        var nodes = "  - { name: n1, address: n1.lab.example }\n  - { name: n2, address: 192.0.2.12 }\n";
        var e = Refused(File(Minimal.Replace("/24 }", "/24, interface: eth0 }"), nodes));
        Assert.Contains(e.Problems, p => p.Field == "nodes[0].address" && p.Message.Contains("CTDB's nodes file takes IP addresses only"));
        SpecLoader.LoadText(File("  shared: { path: /d }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.101/24, interface: eth0 }\n", nodes), "fs.yaml");
    }

    [Fact]
    public void Generated_ids_must_not_collide_with_the_files_own()
    {
        var text = "name: fs\nnodes:\n  - { name: n1, address: 192.0.2.11 }\n  - { name: n2, address: 192.0.2.12 }\n" +
                   "resources:\n  - { name: ctdb, agent: \"ocf:heartbeat:Dummy\" }\n  - { name: vip2, agent: \"ocf:heartbeat:Dummy\" }\nfile_services:\n" + Minimal;
        var e = Refused(text);
        Assert.Contains(e.Problems, p => p.Field == "resources[0].name" && p.Message.Contains("'ctdb' is one that file_services adds"));
        Assert.Contains(e.Problems, p => p.Field == "resources[1].name" && p.Message.Contains("'vip2'"));
    }

    [Fact]
    public void A_home_must_serve()
    {
        var e = Refused(File("  shared: { path: /d }\n  nodes: [n1, n2]\n  nfs: { exports: [ { path: /d } ] }\n  vips:\n    - { address: 192.0.2.101/24, home: n3 }\n"));
        Assert.Contains(e.Problems, p => p.Field == "file_services.vips[0].home" && p.Message.Contains("does not serve"));
    }

    [Fact]
    public void Warnings_for_fast_keepalives_short_grace_ctdb_without_smb_one_server_and_an_address_on_another_network()
    {
        var spec = SpecLoader.LoadText(File(Minimal + "  ctdb: { keepalive_interval: 1 }\n"), "fs.yaml");
        Assert.Contains(spec.Warnings, w => w.Field == "file_services.ctdb" && w.Message.Contains("after 4 s"));
        var nfs = SpecLoader.LoadText(File("  shared: { path: /d }\n  nodes: [n1]\n  nfs: { grace_period: 5, exports: [ { path: /d } ] }\n  vips:\n    - { address: 198.51.100.9/24, interface: eth1 }\n  ctdb: { keepalive_limit: 9 }\n"), "fs.yaml");
        Assert.Contains(nfs.Warnings, w => w.Field == "file_services.nfs.grace_period" && w.Message.Contains("shorter than the lease"));
        Assert.Contains(nfs.Warnings, w => w.Field == "file_services.ctdb" && w.Message.Contains("no effect"));
        Assert.Contains(nfs.Warnings, w => w.Field == "file_services.nodes" && w.Message.Contains("only one node serves"));
        Assert.Contains(nfs.Warnings, w => w.Field == "file_services.vips[0].address" && w.Message.Contains("goes on eth1 as given"));
    }

    [Fact]
    public void A_recovery_lock_inside_a_share_is_a_warning()
    {
        var spec = SpecLoader.LoadText(File(Minimal + "  ctdb: { recovery_lock: /srv/data/share/.lock }\n"), "fs.yaml");
        Assert.Contains(spec.Warnings, w => w.Field == "file_services.ctdb.recovery_lock" && w.Message.Contains("clients could lock or delete it"));
    }
}
