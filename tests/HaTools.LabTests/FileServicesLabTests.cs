using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using Xunit;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace HaTools.LabTests;

/// <summary>
/// File services (issue 11) end to end on real ctdbd, smbd and ganesha.nfsd in the lab, with real clients on the
/// host: bootstrap examples/fileservices.yaml from bare nodes, read a known file through every VIP over SMB
/// (smbclient) and NFSv4 (nfs-cat), write over SMB through one VIP and read it over NFS through another, crash the
/// holder of VIP 1 (link down, every process of its namespace killed) and time the first good reads through VIP 1,
/// boot it again and check the failback policy and that every VIP answers ARP from exactly one MAC, its holder's.
/// One test because each step needs the cluster the previous one left. Timings are reported, not asserted.
/// The lab runs with the fileservices profile (HATOOLS_LAB_PROFILES="pacemaker fileservices": private ctdb/samba/nfs
/// state per node, one host folder as /srv/hafs in every node; tests/lab/README.md "File services").
/// </summary>
[Collection("lab")]
public class FileServicesLabTests : IDisposable
{
    private readonly ITestOutputHelper _out;

    public FileServicesLabTests(ITestOutputHelper output) { _out = output; }

    /// <summary>No ssh sessions left on the nodes by this class (other lab tests count processes).</summary>
    public void Dispose() => LabCluster.CloseMasters(LabCluster.ControlDir);

    private void Log(string message)
    {
        _out.WriteLine(message);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "hatools-lab-timings.txt"), $"{DateTime.UtcNow:O} {message}\n");
    }

    [FileServicesLabFact]
    public async Task Bootstrap_read_every_vip_write_smb_read_nfs_crash_holder_failback_one_mac()
    {
        FileServicesLab.EnsureUp();
        Lab.Reset("all");
        var example = FileServicesExample.Load(FileServicesLab.ExampleFile);
        var hello = FileServicesLab.WriteSharedFile(example, "hello.txt", 48 * 1024);
        try
        {
            var ctx = new ClusterContext(SpecLoader.Load(FileServicesLab.ExampleFile), LabCluster.NewRunner());

            // 1. Bootstrap from bare nodes; every VIP then serves the file over SMB and NFS (CTDB takes ~25 s to start,
            // so the first reads are polled, bounded).
            var sw = Stopwatch.StartNew();
            var phases = await ctx.Provider().BootstrapAsync(ctx, new BootstrapOptions(), new RecordingHost(), default);
            Log($"file services: bootstrap of 3 bare nodes {sw.Elapsed.TotalSeconds:0.0} s");
            foreach (var p in phases) _out.WriteLine($"  {p.Phase,-12} {p.Node,-6} {p.Status,-9} {p.Message}");
            Assert.DoesNotContain(phases, p => p.Status == PhaseStatus.Failed);
            foreach (var vip in example.Vips)
            {
                Assert.Equal(hello, await FileServicesLab.UntilRead(example.SmbUrl(vip), "hello.txt", TimeSpan.FromSeconds(120)));
                Assert.Equal(hello, await FileServicesLab.UntilRead(example.NfsUrl(vip), "hello.txt", TimeSpan.FromSeconds(60)));
            }
            Log($"file services: every VIP served SMB and NFS {sw.Elapsed.TotalSeconds:0.0} s after the bootstrap began");
            var holders = example.Vips.Select(v => FileServicesLab.Holder(v, example.NodeNames)).ToList();
            _out.WriteLine("  holders: " + string.Join(", ", example.Vips.Select((v, i) => $"{v}={holders[i]}")));
            Assert.All(holders, h => Assert.NotNull(h));

            // 2. Written over SMB through VIP 1, read over NFS through VIP 2: one filesystem behind both.
            var local = Path.Combine(Path.GetTempPath(), $"hatools-fs-{Environment.ProcessId}.txt");
            var written = FileServicesLab.RandomText(16 * 1024);
            File.WriteAllText(local, written);
            try
            {
                var put = FileServicesLab.Client(5, "smbclient", example.SmbUrl(example.Vips[0]), "-N", "-c", $"put {local} written.txt");
                Assert.True(put.ExitCode == 0, $"smbclient put: {put.StdErr}");
            }
            finally { File.Delete(local); }
            Assert.Equal(FileServicesLab.Sha256(written),
                await FileServicesLab.UntilRead(example.NfsUrl(example.Vips[1]), "written.txt", TimeSpan.FromSeconds(10)));

            // 3. The holder of VIP 1 crashes. Seconds until SMB and NFS through VIP 1 answer again, both polled at once.
            var victim = holders[0]!;
            var crash = Lab.RunScript(TimeSpan.FromSeconds(60), null, "crash", victim);
            Assert.True(crash.ExitCode == 0, crash.StdErr);
            // SMB can answer once before CTDB declares the dead node and recovers, and then stall again: "back" is the
            // first read after which every read succeeded for 10 s.
            var afterCrash = Stopwatch.StartNew();
            var smbBack = FileServicesLab.UntilStable(example.SmbUrl(example.Vips[0]), "hello.txt", hello, afterCrash, TimeSpan.FromSeconds(120));
            var nfsBack = FileServicesLab.UntilStable(example.NfsUrl(example.Vips[0]), "hello.txt", hello, afterCrash, TimeSpan.FromSeconds(120));
            var smb = await smbBack;
            var nfs = await nfsBack;
            Log($"file services: holder of {example.Vips[0]} ({victim}) crashed: SMB back after {smb.Back:0.0} s (first good read {smb.First:0.0} s), "
                + $"NFS back after {nfs.Back:0.0} s (first good read {nfs.First:0.0} s)");
            Assert.True(smb.Back >= 0, $"SMB through {example.Vips[0]} not answering steadily within 120 s of the crash");
            Assert.True(nfs.Back >= 0, $"NFS through {example.Vips[0]} not answering steadily within 120 s of the crash");
            var survivors = example.NodeNames.Where(n => n != victim).ToList();
            var moved = FileServicesLab.Holder(example.Vips[0], survivors);
            Assert.NotNull(moved);

            // 4. It boots again and starts its stack (what enabled units do at boot); once the cluster settled, VIP 1
            // is where the failback policy puts it, every VIP serves again, each answering ARP from its holder only.
            var boot = Lab.RunScript(TimeSpan.FromSeconds(60), null, "boot", victim);
            Assert.True(boot.ExitCode == 0, boot.StdErr);
            var back = Stopwatch.StartNew();
            Assert.Equal(0, Lab.Exec(victim, "/etc/init.d/corosync", "start").ExitCode);
            Assert.Equal(0, Lab.Exec(victim, "setsid", "-f", "sh", "-c", "exec pacemakerd </dev/null >/dev/null 2>&1").ExitCode);
            await FileServicesLab.UntilSettled(survivors[0], victim, TimeSpan.FromSeconds(180));
            Log($"file services: {victim} booted, its stack started and the cluster settled after {back.Elapsed.TotalSeconds:0.0} s");
            var now = example.Vips.Select(v => FileServicesLab.Holder(v, example.NodeNames)).ToList();
            _out.WriteLine($"  failback {example.Failback}: " + string.Join(", ", example.Vips.Select((v, i) => $"{v}={now[i]}")));
            switch (example.Failback)
            {
                case "stay":
                    Assert.Equal(moved, now[0]);
                    break;
                case "return-home":
                    Assert.Equal(victim, now[0]);
                    break;
                default: // spread: one address per node
                    Assert.Equal(example.Vips.Count, now.Distinct().Count());
                    break;
            }
            foreach (var vip in example.Vips)
            {
                // a VIP that moved onto the booted node meets its ganesha's grace period: polled, bounded
                Assert.Equal(hello, await FileServicesLab.UntilRead(example.SmbUrl(vip), "hello.txt", TimeSpan.FromSeconds(60)));
                Assert.Equal(hello, await FileServicesLab.UntilRead(example.NfsUrl(vip), "hello.txt", TimeSpan.FromSeconds(60)));
            }
            var macs = example.NodeNames.ToDictionary(n => n, n => Lab.Exec(n, "cat", "/sys/class/net/eth0/address").StdOut.Trim().ToLowerInvariant());
            for (var i = 0; i < example.Vips.Count; i++)
            {
                var answered = FileServicesLab.ArpAnswers(example.Vips[i]);
                _out.WriteLine($"  {example.Vips[i]} answers ARP from {string.Join(", ", answered)}");
                Assert.Equal(new[] { macs[now[i]!] }, answered);
            }
        }
        finally
        {
            Lab.Reset("all");
        }
    }
}

/// <summary>Runs only as root with HATOOLS_LAB=1, and once examples/fileservices.yaml's bootstrap sets up file
/// services (its plan names CTDB): until then the cluster file or its bootstrap is not there to test.</summary>
public sealed class FileServicesLabFactAttribute : FactAttribute
{
    public FileServicesLabFactAttribute()
    {
        if (!Lab.Enabled) Skip = Lab.SkipReason;
        else if (FileServicesLab.NotPlannedReason() is { } why) Skip = why;
    }
}

/// <summary>The lab side of the file-services test: the lab's profiles, the shared folder, clients run on the host.</summary>
internal static class FileServicesLab
{
    public const string Profiles = "pacemaker fileservices";

    public static string ExampleFile => Path.Combine(Lab.RepoRoot, "examples", "fileservices.yaml");

    /// <summary>The host folder every node sees as /srv/hafs (tests/lab/profiles/fileservices.sh).</summary>
    public static string SharedDir =>
        Path.Combine(Environment.GetEnvironmentVariable("HATOOLS_LAB_DIR") is { Length: > 0 } d ? d : "/tmp/hatools-lab", "shared");

    public const string SharedInNodes = "/srv/hafs";

    public static string? NotPlannedReason()
    {
        if (!File.Exists(ExampleFile)) return "no examples/fileservices.yaml yet (issue 11)";
        try
        {
            var ctx = new ClusterContext(SpecLoader.Load(ExampleFile), LabCluster.NewRunner());
            var plan = ctx.Provider().PlanBootstrap(ctx, new BootstrapOptions());
            return plan.Any(s => (s.Phase + " " + s.Description).Contains("ctdb", StringComparison.OrdinalIgnoreCase))
                ? null
                : "the bootstrap of examples/fileservices.yaml plans no file services yet (issue 11)";
        }
        catch (Exception e) when (e is SpecException or InvalidOperationException or NotSupportedException)
        {
            return "examples/fileservices.yaml does not load here yet: " + e.Message;
        }
    }

    /// <summary>`lab.sh up 3` with the file-services profiles: a no-op when the lab already runs them, else the lab is
    /// made again (a lab with more profiles serves the other lab tests as well).</summary>
    public static void EnsureUp()
    {
        var psi = new ProcessStartInfo(Lab.Script)
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Lab.RepoRoot,
        };
        psi.ArgumentList.Add("up");
        psi.ArgumentList.Add("3");
        psi.Environment["HATOOLS_LAB_PROFILES"] = Profiles;
        var up = Lab.Run(psi, null, TimeSpan.FromSeconds(180));
        if (up.ExitCode != 0) throw new InvalidOperationException($"lab.sh up 3 ({Profiles}) failed:\n{up.StdOut}\n{up.StdErr}");
    }

    /// <summary>Writes a file of random text into the first share's folder, from the host; returns its sha256.</summary>
    public static string WriteSharedFile(FileServicesExample example, string name, int bytes)
    {
        var dir = HostPath(example.SharePath);
        Directory.CreateDirectory(dir);
        // guests write as nobody (the example's share is a writable guest share)
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        var text = RandomText(bytes);
        File.WriteAllText(Path.Combine(dir, name), text);
        return Sha256(text);
    }

    private static string HostPath(string inNodes)
    {
        if (!inNodes.StartsWith(SharedInNodes + "/", StringComparison.Ordinal))
            throw new InvalidOperationException($"{inNodes} is not under the lab's shared {SharedInNodes}");
        return Path.Combine(SharedDir, inNodes.Substring(SharedInNodes.Length + 1));
    }

    public static string RandomText(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

    public static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A client on the host, bounded by timeout(1).</summary>
    public static LabResult Client(int seconds, string program, string url, params string[] args) =>
        LabCluster.OnHost("timeout", new[] { seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), program, url }.Concat(args).ToArray());

    /// <summary>The file's sha256 through URL (//VIP/share for SMB, nfs://… for NFS), or null when the read failed.</summary>
    public static string? Read(string url, string file, int seconds = 5)
    {
        var r = url.StartsWith("nfs://", StringComparison.Ordinal)
            ? Client(seconds, "nfs-cat", url.Replace("{file}", file, StringComparison.Ordinal))
            : Client(seconds, "smbclient", url, "-N", "-c", $"get {file} -");
        return r.ExitCode == 0 ? Sha256(r.StdOut) : null;
    }

    /// <summary>Reads until one read succeeds (bounded); the last read's sha256 (null if none succeeded).</summary>
    public static async Task<string?> UntilRead(string url, string file, TimeSpan bound)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var sha = Read(url, file);
            if (sha != null || sw.Elapsed > bound) return sha;
            await Task.Delay(250);
        }
    }

    /// <summary>Reads (each bounded at 3 s) until every read succeeded for 10 s in a row: seconds on
    /// <paramref name="since"/> of the first good read and of the first good read of that run; -1 when none.</summary>
    public static Task<(double First, double Back)> UntilStable(string url, string file, string sha, Stopwatch since, TimeSpan bound) =>
        Task.Run(async () =>
        {
            double first = -1, back = -1;
            while (since.Elapsed < bound)
            {
                if (Read(url, file, 3) == sha)
                {
                    var t = since.Elapsed.TotalSeconds;
                    if (first < 0) first = t;
                    if (back < 0) back = t;
                    else if (t - back >= 10) return (first, back);
                }
                else back = -1;
                await Task.Delay(200);
            }
            return (first, -1.0);
        });

    /// <summary>The node among <paramref name="nodes"/> whose eth0 carries the address, if exactly one does.</summary>
    public static string? Holder(string vip, IEnumerable<string> nodes)
    {
        var with = nodes.Where(n => Lab.Exec(n, "ip", "-o", "-4", "addr", "show", "dev", "eth0").StdOut
            .Contains(" " + vip + "/", StringComparison.Ordinal)).ToList();
        return with.Count == 1 ? with[0] : null;
    }

    /// <summary>Until the booted node is online in Pacemaker, its CTDB is OK and no action is pending.</summary>
    public static async Task UntilSettled(string peer, string node, TimeSpan bound)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var mon = Lab.Exec(peer, "crm_mon", "-1", "--output-as=xml").StdOut;
            var online = Regex.IsMatch(mon, $"<node name=\"{node}\" [^>]*online=\"true\"");
            var ctdb = Lab.Exec(node, "ctdb", "nodestatus");
            if (online && ctdb.ExitCode == 0
                && Lab.ExecWithTimeout(peer, TimeSpan.FromSeconds(90), "crm_resource", "--wait", "--timeout=60s").ExitCode == 0)
                return;
            if (sw.Elapsed > bound) throw new TimeoutException($"{node} not back in the cluster after {bound.TotalSeconds:0} s:\n{mon}");
            await Task.Delay(1000);
        }
    }

    /// <summary>Every distinct MAC that answered three ARP requests for the address on the lab bridge (lowercase).</summary>
    public static string[] ArpAnswers(string vip)
    {
        var r = LabCluster.OnHost("arping", "-I", "hatools0", "-c", "3", "-w", "4", vip);
        return Regex.Matches(r.StdOut, @"\[([0-9A-Fa-f:]{17})\]").Select(m => m.Groups[1].Value.ToLowerInvariant())
            .Distinct().OrderBy(m => m, StringComparer.Ordinal).ToArray();
    }
}

/// <summary>What the test needs from examples/fileservices.yaml, read as plain YAML (node names, the first share and
/// export, the VIPs, the failback policy), so the test follows the example when it changes.</summary>
internal sealed class FileServicesExample
{
    public required IReadOnlyList<string> NodeNames { get; init; }
    public required string ShareName { get; init; }
    public required string SharePath { get; init; }
    public required string Pseudo { get; init; }
    public required IReadOnlyList<string> Vips { get; init; }
    public required string Failback { get; init; }

    public string SmbUrl(string vip) => $"//{vip}/{ShareName}";

    /// <summary>NFSv4 straight to port 2049 (no portmapper); {file} is filled in per read.</summary>
    public string NfsUrl(string vip) => $"nfs://{vip}{Pseudo}/{{file}}?version=4&nfsport=2049";

    public static FileServicesExample Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var nodes = ((YamlSequenceNode)root["nodes"]).Select(n => Scalar(n, "name")).ToList();
        var fs = (YamlMappingNode)root["file_services"];
        var serving = fs.Children.TryGetValue("nodes", out var sn) ? ((YamlSequenceNode)sn).Select(n => ((YamlScalarNode)n).Value!).ToList() : nodes;
        var share = (YamlMappingNode)((YamlSequenceNode)fs["smb"]["shares"]).First();
        var export = (YamlMappingNode)((YamlSequenceNode)fs["nfs"]["exports"]).First();
        List<string> vips;
        if (fs["vips"] is YamlMappingNode range)
        {
            // one address per serving node, consecutive from the first
            var first = IPAddress.Parse(Scalar(range, "first").Split('/')[0]).GetAddressBytes();
            vips = Enumerable.Range(0, serving.Count).Select(i =>
            {
                var b = (byte[])first.Clone();
                b[3] = checked((byte)(b[3] + i));
                return new IPAddress(b).ToString();
            }).ToList();
        }
        else
        {
            vips = ((YamlSequenceNode)fs["vips"]).Select(v => (v is YamlMappingNode m ? Scalar(m, "address") : ((YamlScalarNode)v).Value!).Split('/')[0]).ToList();
        }
        return new FileServicesExample
        {
            NodeNames = nodes,
            ShareName = Scalar(share, "name"),
            SharePath = Scalar(share, "path"),
            Pseudo = Scalar(export, "pseudo"),
            Vips = vips,
            Failback = fs.Children.TryGetValue("failback", out var f) ? ((YamlScalarNode)f).Value! : "stay",
        };
    }

    private static string Scalar(YamlNode map, string key) =>
        ((YamlScalarNode)((YamlMappingNode)map)[key]).Value ?? throw new InvalidDataException($"{key} is empty");
}
