using System;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.FileServices;
using HaTools.Tests.Pacemaker;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.Tests.FileServices;

public class FileServicesConfigTests
{
    private readonly ITestOutputHelper _out;
    public FileServicesConfigTests(ITestOutputHelper output) => _out = output;

    /// <summary>Every field of the section once (a mount, a subset of nodes, users, clients, explicit ids, a list of addresses).</summary>
    internal static ClusterSpec Everything() => SpecLoader.LoadText(FileServicesSpecTests.File(
        "  shared:\n    path: /mnt/hafs\n    mount: { device: \"nas:/vol/hafs\", fstype: nfs4, options: \"hard,vers=4.2\" }\n" +
        "  nodes: [n1, n3]\n" +
        "  smb:\n    netbios_name: FILES\n    workgroup: LAB\n    shares:\n      - { name: team, path: /mnt/hafs/team, users: [alice, bob] }\n      - { name: pub$, path: /mnt/hafs/pub, read_only: false, guest: true }\n" +
        "  nfs:\n    grace_period: 30\n    lease_lifetime: 20\n    graceless: false\n    exports:\n      - { id: 7, path: /mnt/hafs/team, pseudo: /team, access: rw, squash: all, clients: [192.0.2.0/24, \"*.lab\"] }\n      - { path: /mnt/hafs/pub }\n" +
        "  vips:\n    - { name: smb-a, address: 192.0.2.101/24, home: n3 }\n    - { address: 192.0.2.102/24, interface: eth1 }\n" +
        "  failback: return-home\n  ctdb: { keepalive_interval: 3, keepalive_limit: 4 }\n"), "everything.yaml");

    private static string Golden(string name) => Path.Combine(Fixtures.Root, "fileservices-golden", name);

    /// <summary>Compares with tests/fixtures/fileservices-golden/NAME exactly; HATOOLS_UPDATE_GOLDEN=1 rewrites it instead.</summary>
    internal static void AssertGolden(string name, string actual)
    {
        var path = Golden(name);
        if (Environment.GetEnvironmentVariable("HATOOLS_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with HATOOLS_UPDATE_GOLDEN=1 once and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static (ClusterSpec Spec, FileServicesSpec Fs) Lab()
    {
        var spec = FileServicesSpecTests.Example();
        return (spec, FileServicesModel.Of(spec)!);
    }

    [Fact]
    public void Lab_files_match_their_goldens()
    {
        var (spec, fs) = Lab();
        var files = FileServicesConfig.Files(spec, fs, null);
        Assert.Equal(new[] { "/etc/ctdb/nodes", "/etc/ctdb/ctdb.tunables", "/etc/samba/smb.conf", "/etc/ganesha/ganesha.conf" }, files.Select(f => f.Path));
        foreach (var (path, content) in files)
            AssertGolden("lab-" + Path.GetFileName(path), content);
    }

    [Fact]
    public void Everything_files_match_their_goldens()
    {
        var spec = Everything();
        foreach (var (path, content) in FileServicesConfig.Files(spec, FileServicesModel.Of(spec)!, null))
            AssertGolden("everything-" + Path.GetFileName(path), content);
    }

    [Fact]
    public void Nfs_only_writes_no_ctdb_or_samba_file_and_smb_only_no_ganesha_conf()
    {
        var nfs = SpecLoader.LoadText(FileServicesSpecTests.File("  shared: { path: /d }\n  nfs: { exports: [ { path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n"), "fs.yaml");
        Assert.Equal(new[] { "/etc/ganesha/ganesha.conf" }, FileServicesConfig.Files(nfs, FileServicesModel.Of(nfs)!, null).Select(f => f.Path));
        var smb = SpecLoader.LoadText(FileServicesSpecTests.File("  shared: { path: /d }\n  smb: { shares: [ { name: d, path: /d } ] }\n  vips: { first: 192.0.2.101/24 }\n"), "fs.yaml");
        Assert.DoesNotContain("/etc/ganesha/ganesha.conf", FileServicesConfig.Files(smb, FileServicesModel.Of(smb)!, null).Select(f => f.Path));
    }

    [Fact]
    public void The_nodes_file_lists_the_serving_addresses_and_nothing_else()
    {
        var (spec, fs) = Lab();
        Assert.Equal("198.18.0.11\n198.18.0.12\n198.18.0.13\n", FileServicesConfig.Files(spec, fs, null)[0].Content);
        var sub = Everything();
        Assert.Equal("192.0.2.11\n192.0.2.13\n", FileServicesConfig.Files(sub, FileServicesModel.Of(sub)!, null)[0].Content);
    }

    [Theory]
    // A node that stops serving keeps its line, commented out: later nodes keep their PNN.
    [InlineData("10.0.0.1\n10.0.0.2\n10.0.0.3\n", "10.0.0.1 10.0.0.3", "10.0.0.1\n#10.0.0.2\n10.0.0.3\n")]
    // A new node is appended, after the deleted slot.
    [InlineData("10.0.0.1\n#10.0.0.2\n10.0.0.3\n", "10.0.0.1 10.0.0.3 10.0.0.4", "10.0.0.1\n#10.0.0.2\n10.0.0.3\n10.0.0.4\n")]
    // A node that serves again gets its own line back (CTDB: "UNDELETED").
    [InlineData("10.0.0.1\n#10.0.0.2\n10.0.0.3\n", "10.0.0.1 10.0.0.2 10.0.0.3", "10.0.0.1\n10.0.0.2\n10.0.0.3\n")]
    // A comment someone wrote is a deleted node to CTDB: it stays, so no PNN moves; blank lines do not count and go.
    [InlineData("# hand-made\n\n10.0.0.1\n  10.0.0.2  \n", "10.0.0.1 10.0.0.2", "# hand-made\n10.0.0.1\n10.0.0.2\n")]
    // Order in the cluster file does not reorder existing lines.
    [InlineData("10.0.0.2\n10.0.0.1\n", "10.0.0.1 10.0.0.2", "10.0.0.2\n10.0.0.1\n")]
    // Bare nodes: the serving nodes in node order.
    [InlineData("", "10.0.0.3 10.0.0.1", "10.0.0.3\n10.0.0.1\n")]
    public void The_nodes_file_never_loses_or_moves_a_line(string current, string serving, string expected)
    {
        var generated = FileServicesConfig.CtdbNodes(FileServicesConfig.Lines(current), serving.Split(' '));
        Assert.Equal(expected, generated);
        // Generating again from the result changes nothing: a re-run pushes nothing.
        Assert.Equal(generated, FileServicesConfig.CtdbNodes(FileServicesConfig.Lines(generated), serving.Split(' ')));
    }

    [Fact]
    public void The_tunables_carry_the_keepalive_and_say_what_it_costs()
    {
        var (spec, fs) = Lab();
        var t = FileServicesConfig.CtdbTunables(spec, fs);
        Assert.Contains("\nKeepaliveInterval=2\nKeepaliveLimit=3\n", t);
        Assert.Contains("= 8 s", t);
        // ctdb-tunables(7): only comments and NAME=VALUE lines, the value the last thing on its line.
        Assert.All(t.TrimEnd('\n').Split('\n'), l => Assert.Matches(@"^(#.*|[A-Za-z]+=[0-9]+)$", l));
    }

    [Fact]
    public void The_same_spec_gives_the_same_bytes()
    {
        var a = FileServicesConfig.Files(Everything(), FileServicesModel.Of(Everything())!, null);
        var b = FileServicesConfig.Files(Everything(), FileServicesModel.Of(Everything())!, null);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_value_that_could_break_a_configuration_file_is_refused_when_built_in_memory()
    {
        var (spec, fs) = Lab();
        fs.Smb.Shares[0].Path = "/srv/hafs/x\n[evil]";
        Assert.Throws<HaException>(() => FileServicesConfig.SmbConf(spec, fs));
        var (spec2, fs2) = Lab();
        fs2.Nfs.Exports[0].Path = "/srv/hafs/x\"; Access_Type = RW; \"";
        Assert.Throws<HaException>(() => FileServicesConfig.GaneshaConf(spec2, fs2));
    }

    /// <summary>Samba's own parser reads the generated smb.conf without an unknown parameter or a syntax complaint.</summary>
    [ToolFact("testparm")]
    public void Real_testparm_accepts_the_generated_smb_conf()
    {
        foreach (var spec in new[] { Lab().Spec, Everything() })
        {
            var path = Fixtures.TempFile("smb.conf", FileServicesConfig.SmbConf(spec, FileServicesModel.Of(spec)!));
            var run = Fixtures.Exec(Fixtures.Tool("testparm")!, new[] { "-s", path });
            _out.WriteLine($"testparm -s {path}: {run}");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("Unknown parameter", run.StdErr + run.StdOut, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Ignoring unknown", run.StdErr + run.StdOut, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("clustering = Yes", run.StdOut, StringComparison.OrdinalIgnoreCase);
            foreach (var share in FileServicesModel.Of(spec)!.Smb.Shares) Assert.Contains($"[{share.Name}]", run.StdOut);
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }
}
