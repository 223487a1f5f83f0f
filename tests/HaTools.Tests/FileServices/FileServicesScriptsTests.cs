using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Stacks.FileServices;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.FileServices;

/// <summary>The node-side scripts of file services run for real with this machine's sh, on folders of a temporary
/// directory (every path is an argument, so nothing outside it is touched): the push keeps a node's own files, teardown
/// puts them back, the shared-filesystem check tells one folder from another, leftovers are stopped.</summary>
public sealed class FileServicesScriptsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-fs-scripts-").FullName;
    private readonly LocalCommandRunner _local = new LocalCommandRunner();
    private readonly NodeTarget _node = new NodeTarget("here", "local") { IsLocal = true };

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string rel) => Path.Combine(_dir, rel);

    private async Task<CommandResult> Run(string[] argv, string? stdin = null)
    {
        var r = await _local.RunAsync(_node, new CommandRequest(argv, TimeSpan.FromSeconds(30), stdin == null ? null : Encoding.ASCII.GetBytes(stdin)));
        Assert.True(r.Succeeded, $"{r.ExitCode}: {r.StdOut}\n{r.StdErr}");
        return r;
    }

    [Fact]
    public async Task A_push_keeps_the_nodes_own_file_once_and_teardown_puts_it_back_or_removes_ours()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(P("etc"));
        File.WriteAllText(P("etc/smb.conf"), "debian's\n");
        var pusher = new FilePusher(_local);
        var smb = P("etc/smb.conf");
        var nodes = P("etc/nodes");
        foreach (var (f, v) in new[] { (smb, "ours 1\n"), (nodes, "10.0.0.1\n") })
            Assert.Equal(FileChange.Changed, (await pusher.PushAsync(_node, new FileSpec(f, Encoding.UTF8.GetBytes(v)))).Status);
        var kept = await Run(FileServicesCommands.KeepOriginals(new[] { smb, nodes }));
        Assert.Equal("KEPT", FileServicesCommands.Word(kept.StdOut));
        Assert.Equal("debian's\n", File.ReadAllText(smb + ".hatools-orig"));
        Assert.True(File.Exists(nodes + ".hatools-orig.none"));

        // A second push replaces .hatools-bak with our first version; the node's own stays as it was.
        await pusher.PushAsync(_node, new FileSpec(smb, Encoding.UTF8.GetBytes("ours 2\n")));
        var again = await Run(FileServicesCommands.KeepOriginals(new[] { smb }));
        Assert.DoesNotContain("kept=", again.StdOut);
        Assert.Equal("ours 1\n", File.ReadAllText(smb + ".hatools-bak"));
        Assert.Equal("debian's\n", File.ReadAllText(smb + ".hatools-orig"));

        // The CTDB agent's copies, and databases.
        Directory.CreateDirectory(P("ctdb"));
        File.WriteAllText(P("ctdb/ctdb.conf"), "# CTDB-RA: Auto-generated\n[cluster]\n");
        File.WriteAllText(P("ctdb/ctdb.conf.ctdb-ra-orig"), "debian's ctdb.conf\n");
        File.WriteAllText(P("ctdb/script.options"), "hand-made\n");
        File.WriteAllText(P("ctdb/script.options.ctdb-ra-orig"), "older\n");
        foreach (var d in new[] { "volatile", "persistent", "state" })
        {
            Directory.CreateDirectory(P("db/" + d));
            File.WriteAllText(P($"db/{d}/x.tdb.0"), "db");
        }
        var restored = await Run(FileServicesCommands.Restore(new[] { smb, nodes, P("etc/never-pushed") }, P("ctdb"), P("db")));
        Assert.Equal("RESTORED", FileServicesCommands.Word(restored.StdOut));
        Assert.Equal("debian's\n", File.ReadAllText(smb));
        Assert.False(File.Exists(nodes));
        Assert.Equal(new[] { "smb.conf" }, Directory.GetFiles(P("etc")).Select(Path.GetFileName));
        Assert.Equal("debian's ctdb.conf\n", File.ReadAllText(P("ctdb/ctdb.conf")));
        // script.options no longer the agent's: kept as it is, the agent's stale copy goes.
        Assert.Equal("hand-made\n", File.ReadAllText(P("ctdb/script.options")));
        Assert.Equal(new[] { "ctdb.conf", "script.options" }, Directory.GetFiles(P("ctdb")).Select(Path.GetFileName).OrderBy(x => x));
        Assert.All(new[] { "volatile", "persistent", "state" }, d => Assert.Empty(Directory.GetFileSystemEntries(P("db/" + d))));
        Assert.Contains($"removed={nodes}", restored.StdOut);
        Assert.Contains($"restored={smb}", restored.StdOut);
    }

    [Fact]
    public async Task The_shared_check_tells_the_same_folder_from_another_one()
    {
        if (OperatingSystem.IsWindows()) return;
        var shared = P("shared");
        var made = await Run(FileServicesCommands.Prepare(shared + "/.ctdb", new[] { shared + "/export" }, new[] { shared + "/guests" }), "token-1");
        Assert.Equal("PREPARED", FileServicesCommands.Word(made.StdOut));
        Assert.Equal(new[] { shared + "/.ctdb", shared + "/export", shared + "/guests (1777)" }, FileServicesCommands.Values(made.StdOut).Where(kv => kv.Key == "made").Select(kv => kv.Value));
        Assert.Equal(UnixFileMode.StickyBit | (UnixFileMode)0x1ff, File.GetUnixFileMode(shared + "/guests") & (UnixFileMode.StickyBit | (UnixFileMode)0x1ff));
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(shared + "/export") & UnixFileMode.OtherWrite);
        Assert.Equal("SAME", FileServicesCommands.Word((await Run(FileServicesCommands.Sees(shared + "/.ctdb"), "token-1")).StdOut));
        Assert.Equal("DIFFERENT", FileServicesCommands.Word((await Run(FileServicesCommands.Sees(shared + "/.ctdb"), "token-2")).StdOut));
        Assert.Equal("MISSING", FileServicesCommands.Word((await Run(FileServicesCommands.Sees(P("elsewhere/.ctdb")), "token-1")).StdOut));
        // Made once: a second prepare makes nothing.
        Assert.DoesNotContain("made=", (await Run(FileServicesCommands.Prepare(shared + "/.ctdb", new[] { shared + "/export" }), "token-3")).StdOut);
        await Run(FileServicesCommands.RemoveCheck(shared + "/.ctdb"));
        Assert.Empty(Directory.GetFiles(shared + "/.ctdb"));
        File.WriteAllText(shared + "/.ctdb/reclock", "");
        Assert.Equal("REMOVED", FileServicesCommands.Word((await Run(FileServicesCommands.RemoveLock(shared + "/.ctdb/reclock", shared + "/.ctdb"))).StdOut));
        Assert.False(Directory.Exists(shared + "/.ctdb"));
    }

    [Fact]
    public async Task The_probe_reports_this_machine_and_the_folders_it_is_asked_about()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(P("shared/export"));
        var r = await Run(FileServicesCommands.Probe(P("shared"), smb: true, nfs: true, new[] { P("shared/export"), P("shared/.ctdb") }));
        Assert.Equal("PROBED", FileServicesCommands.Word(r.StdOut));
        var v = FileServicesCommands.Values(r.StdOut).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(("dir", "yes", "no"), (v["shared"], v["dir." + P("shared/export")], v["dir." + P("shared/.ctdb")]));
        foreach (var k in new[] { "bin.ctdbd", "bin.ctdb", "bin.smbd", "bin.ganesha.nfsd", "agent.CTDB", "agent.anything", "agent.IPaddr2", "agent.Filesystem", "fsal.vfs", "pacemaker" })
            Assert.True(v.ContainsKey(k), k);
        // What this machine has installed decides the answers: they match the files.
        Assert.Equal(File.Exists("/usr/sbin/ctdbd") ? "yes" : "no", v["bin.ctdbd"]);
        Assert.Equal(File.Exists("/usr/lib/ocf/resource.d/heartbeat/CTDB") ? "yes" : "no", v["agent.CTDB"]);
    }

    [Fact]
    public async Task Leftovers_are_stopped_and_none_is_reported_when_nothing_runs()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sleep")) return;
        // A stand-in daemon of this test's own, under a name no real process has.
        var daemon = P("hatoolsfsdmn");
        File.Copy("/bin/sleep", daemon);
        File.SetUnixFileMode(daemon, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var p = Process.Start(new ProcessStartInfo(daemon, "300") { UseShellExecute = false })!;
        try
        {
            for (var i = 0; i < 50 && (await Run(new[] { "sh", "-c", "pidof hatoolsfsdmn || true" })).StdOut.Trim().Length == 0; i++) await Task.Delay(100);
            var r = await Run(FileServicesCommands.StopLeftovers(new[] { "hatoolsfsdmn" }));
            Assert.Equal("STOPPED", FileServicesCommands.Word(r.StdOut));
            Assert.Contains("left= hatoolsfsdmn", r.StdOut);
            Assert.True(p.WaitForExit(5000));
            Assert.Equal("NONE", FileServicesCommands.Word((await Run(FileServicesCommands.StopLeftovers(new[] { "hatoolsfsdmn" }))).StdOut));
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
    }

    [Theory]
    [InlineData("/etc/x;rm -rf /")]
    [InlineData("relative/path")]
    [InlineData("/etc/../shadow")]
    [InlineData("/srv/$(id)")]
    public void Unsafe_paths_never_become_an_argv(string path)
    {
        Assert.Throws<HaException>(() => FileServicesCommands.Prepare(path, Array.Empty<string>()));
        Assert.Throws<HaException>(() => FileServicesCommands.Restore(new[] { path }, "/etc/ctdb", null));
        Assert.Throws<HaException>(() => FileServicesCommands.KeepOriginals(new[] { path }));
        Assert.Throws<HaException>(() => FileServicesCommands.StopLeftovers(new[] { "smbd;reboot" }));
    }
}
