using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Xml.Linq;
using HaTools.Core;
using HaTools.Core.Fanout;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>Hostile values end to end, a hung node, the quorum guard on a real partition, parallel host-key pinning.
/// The cluster tests share one cluster: each starts with an idempotent bootstrap of examples/lab.yaml (seconds when
/// the previous test left it formed) and leaves the lab usable even when it fails (thaw, link-up in finally).</summary>
[Collection("lab")]
public class ReliabilityLabTests : IDisposable
{
    /// <summary>No ssh sessions left on the nodes by this class (other lab tests count processes).</summary>
    public void Dispose() => LabCluster.CloseMasters(LabCluster.ControlDir);

    private readonly ITestOutputHelper _out;

    public ReliabilityLabTests(ITestOutputHelper output) { _out = output; }

    private static readonly string[] Nodes = { "node1", "node2", "node3" };

    private const string V1 = "$(touch /tmp/pwned) `touch /tmp/pwned`; touch /tmp/pwned | x && y > /tmp/pwned ' \" <b>&amp;";
    private const string V2 = "$(touch /tmp/pwned);`id`";
    // Device paths are refused with shell metacharacters (corpus 121); the few punctuation marks they may hold arrive as is.
    private const string DevicePath = "/root/d+x@y:z-1_2.img";

    private static string Yaml(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task<ClusterContext> EnsureClusterAsync()
    {
        var ctx = LabCluster.Example();
        var phases = await ctx.Provider().BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, default);
        Assert.True(!phases.Any(p => p.Status == PhaseStatus.Failed), string.Join("\n", phases.Select(p => $"{p.Phase} {p.Node} {p.Status} {p.Message}")));
        return ctx;
    }

    private static void AssertNotPwned()
    {
        foreach (var n in Nodes) Assert.Equal(1, Lab.Exec(n, "test", "-e", "/tmp/pwned").ExitCode);
        Assert.False(File.Exists("/tmp/pwned"), "/tmp/pwned on the host");
    }

    [LabFact]
    public async Task Hostile_values_accepted_by_validation_arrive_verbatim_and_run_nothing()
    {
        Lab.Reset("all");
        var dir = Directory.CreateTempSubdirectory("hatools-hostile-").FullName;
        try
        {
            // Params and meta: validation accepts them (they are values, not names).
            var file = Path.Combine(dir, "hostile.yaml");
            File.WriteAllText(file, $@"name: lab
ssh: {{ user: root, identity: {Lab.IdentityFile}, known_hosts: {Lab.KnownHosts} }}
nodes:
  - {{ name: node1, address: 198.18.0.11, data_iface: eth0 }}
  - {{ name: node2, address: 198.18.0.12, data_iface: eth0 }}
  - {{ name: node3, address: 198.18.0.13, data_iface: eth0 }}
properties: {{ stonith-enabled: false }}
resources:
  - name: h1
    agent: ocf:heartbeat:Dummy
    params: {{ fake: {Yaml(V1)} }}
    meta: {{ description: {Yaml(V2)} }}
  - name: h2
    agent: ocf:heartbeat:Dummy
    params: {{ fake: {Yaml(V2)} }}
    meta: {{ description: {Yaml(V1)} }}
storage:
  devices:
    - {{ path: {Yaml(DevicePath)}, fstype: ext4, node: node1 }}
");
            Assert.Equal(0, Lab.Exec("node1", "truncate", "-s", "32M", DevicePath).ExitCode);
            var ctx = new ClusterContext(SpecLoader.Load(file), LabCluster.NewRunner());
            var phases = await ctx.Provider().BootstrapAsync(ctx, new BootstrapOptions { Mkfs = true }, NullOperationHost.Instance, default);
            foreach (var p in phases) _out.WriteLine($"  {p.Phase,-10} {p.Node,-6} {p.Status,-9} {p.Message}");
            Assert.DoesNotContain(phases, p => p.Status == PhaseStatus.Failed);
            Assert.Equal("ext4", Lab.Exec("node1", "blkid", "-p", "-o", "value", "-s", "TYPE", DevicePath).StdOut.Trim());

            // Read back from the CIB: verbatim.
            var cib = XElement.Parse(Lab.Exec("node1", "cibadmin", "--query", "--scope", "resources").StdOut);
            string Attr(string rsc, string set, string name) =>
                (string)cib.Descendants("primitive").Single(p => (string?)p.Attribute("id") == rsc).Elements(set).Elements("nvpair").Single(n => (string?)n.Attribute("name") == name).Attribute("value")!;
            Assert.Equal(V1, Attr("h1", "instance_attributes", "fake"));
            Assert.Equal(V2, Attr("h1", "meta_attributes", "description"));
            Assert.Equal(V2, Attr("h2", "instance_attributes", "fake"));
            Assert.Equal(V1, Attr("h2", "meta_attributes", "description"));

            // Exec arguments (Invoke-HaCommand's core path), newline variants included.
            var args = TransportLabTests.Hostile.Concat(new[] { V1, V2, "a\n$(touch /tmp/pwned)\n", "\n;touch /tmp/pwned\n" }).ToArray();
            var results = await Fanout.RunCommandAsync(ctx.Runner, ctx.Nodes, new CommandRequest(new[] { "printf", "%s\\0" }.Concat(args).ToArray()));
            foreach (var r in results)
            {
                Assert.True(r.Succeeded, r.Error + r.StdErr);
                Assert.Equal(args, r.StdOut.Split('\0')[..^1]);
            }

            // Push: a destination with metacharacters (validation accepts it) and hostile content, back byte for byte.
            var dest = "/tmp/hatools-hostile/$(touch /tmp/pwned);`touch /tmp/pwned` 'q' \"y\" | z.conf";
            var content = Encoding.UTF8.GetBytes(V1 + "\n" + V2 + "\n$(touch /tmp/pwned)\n");
            var pushed = await new FilePusher(ctx.Runner).PushAsync(ctx.Nodes, new FileSpec(dest, content, "0600"));
            Assert.All(pushed, p => Assert.Equal(FileChange.Changed, p.Status));
            foreach (var n in Nodes)
                Assert.Equal(Convert.ToBase64String(content), Lab.Exec(n, "base64", "-w0", dest).StdOut.Trim());

            AssertNotPwned();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [LabFact]
    public async Task A_frozen_first_node_with_a_warm_connection_is_reported_unreachable_within_bounds()
    {
        var ctx = await EnsureClusterAsync();
        foreach (var n in ctx.Nodes) Assert.True((await ctx.Runner.RunAsync(n, CommandRequest.Of("true"))).Succeeded); // warm masters
        Assert.Equal("node1", (await ctx.Provider().GetStatusAsync(ctx, default)).QueriedNode);
        Lab.Freeze("node1");
        try
        {
            var sw = Stopwatch.StartNew();
            var s = await ctx.Provider().GetStatusAsync(ctx, default);
            var warm = sw.Elapsed;
            Assert.NotEqual("node1", s.QueriedNode);
            Assert.Contains("node1", s.UnreachableNodes);
            Assert.Contains(s.Warnings, w => w.StartsWith("node1 did not answer", StringComparison.Ordinal));
            Assert.True(warm < TimeSpan.FromSeconds(3), $"status with node1 frozen (warm) took {warm.TotalSeconds:0.0} s");

            var cold = LabCluster.Example(new SshCommandRunner(new SshRunnerOptions { ControlPersistSec = 0 }));
            sw.Restart();
            s = await cold.Provider().GetStatusAsync(cold, default);
            var coldTook = sw.Elapsed;
            Assert.Contains("node1", s.UnreachableNodes);
            Assert.True(coldTook < TimeSpan.FromSeconds(4), $"status with node1 frozen (cold) took {coldTook.TotalSeconds:0.0} s");

            // Invoke-HaCommand's core: the others answer at once, node1 comes back timed out/unreachable within its bound.
            var done = new Dictionary<string, TimeSpan>();
            sw.Restart();
            var progress = new SyncProgress(p => { lock (done) done[p.Node] = sw.Elapsed; });
            var request = new CommandRequest(new[] { "uname", "-n" }, TimeSpan.FromSeconds(3));
            var results = await Fanout.RunCommandAsync(ctx.Runner, ctx.Nodes, request, null, progress);
            var total = sw.Elapsed;
            _out.WriteLine($"status warm {warm.TotalMilliseconds:0} ms, cold {coldTook.TotalMilliseconds:0} ms; exec: " + string.Join(", ", done.Select(d => $"{d.Key} {d.Value.TotalMilliseconds:0} ms")) + $"; total {total.TotalSeconds:0.0} s");
            var r1 = results.Single(r => r.Node == "node1");
            Assert.True(r1.TimedOut || r1.Unreachable, $"node1: exit {r1.ExitCode} {r1.Error}");
            Assert.All(results.Where(r => r.Node != "node1"), r => Assert.Equal(r.Node, r.StdOut.Trim()));
            Assert.True(done["node2"] < TimeSpan.FromSeconds(2) && done["node3"] < TimeSpan.FromSeconds(2), "the others waited for the frozen node");
            // The runner's hard bound (timeout + connect timeout + 1.5 s grace) and at most 2 s more for the streams, which
            // the ControlMaster holds (it was handed them) until it gives up on the frozen node.
            var bound = request.Timeout + TimeSpan.FromSeconds(ctx.Nodes[0].ConnectTimeoutSec) + TimeSpan.FromSeconds(1.5 + 2 + 1);
            Assert.True(total < bound, $"exec took {total.TotalSeconds:0.0} s, bound {bound.TotalSeconds:0} s");
        }
        finally
        {
            Lab.Thaw("node1");
        }
        var after = await ctx.Provider().GetStatusAsync(ctx, default);
        Assert.Equal(3, after.Nodes.Count(n => n.Online));
    }

    private sealed class SyncProgress : IProgress<FanoutProgress>
    {
        private readonly Action<FanoutProgress> _a;
        public SyncProgress(Action<FanoutProgress> a) { _a = a; }
        public void Report(FanoutProgress value) => _a(value);
    }

    [LabFact]
    public async Task Without_quorum_resource_changes_are_refused_unless_forced()
    {
        var ctx = await EnsureClusterAsync();
        var alone = new ClusterContext(ctx.Spec, ctx.Runner, ctx.Nodes.Where(n => n.Name == "node1").ToList());
        try
        {
            Lab.LinkDown("node2");
            Lab.LinkDown("node3");
            var sw = Stopwatch.StartNew();
            ClusterStatus s;
            while ((s = await alone.Provider().GetStatusAsync(alone, default)).Quorate)
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "node1 still reports quorum");
                await Task.Delay(250);
            }
            _out.WriteLine($"node1 lost quorum after {sw.Elapsed.TotalSeconds:0.0} s");
            var host = new RecordingHost();
            var e1 = await Assert.ThrowsAsync<ClusterStateException>(() => alone.Provider().MoveResourceAsync(alone, "vip", "node1", new MoveOptions(), host, default));
            Assert.Contains("no quorum", e1.Message);
            var e2 = await Assert.ThrowsAsync<ClusterStateException>(() => alone.Provider().StartResourceAsync(alone, "svc", new ActionOptions(), host, default));
            Assert.Contains("no quorum", e2.Message);
            Assert.Empty(host.Actions); // refused before asking, before any change

            var started = await alone.Provider().StartResourceAsync(alone, "svc", new ActionOptions { Force = true }, host, default);
            Assert.True(started.Changed);
            var moved = await alone.Provider().MoveResourceAsync(alone, "vip", "node1", new MoveOptions { Force = true, Lifetime = "PT10M" }, host, default);
            Assert.True(moved.Changed || moved.Message.StartsWith("already on", StringComparison.Ordinal), moved.Message);
            Assert.Contains(host.Warnings, w => w.Contains("STONITH", StringComparison.Ordinal));
        }
        finally
        {
            Lab.LinkUp("node2");
            Lab.LinkUp("node3");
        }
        Lab.Exec("node1", "crm_resource", "--clear", "--resource", "vip");
        var sw2 = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var s = await ctx.Provider().GetStatusAsync(ctx, default);
                if (s.Quorate && s.Nodes.Count(n => n.Online) == 3) break;
            }
            catch (HaException) { }
            Assert.True(sw2.Elapsed < TimeSpan.FromSeconds(90), "the cluster did not re-form after link-up");
            await Task.Delay(500);
        }
        _out.WriteLine($"re-formed {sw2.Elapsed.TotalSeconds:0.0} s after link-up");
    }

    [LabFact]
    public async Task Twenty_parallel_first_connections_pin_host_keys_without_corrupting_known_hosts()
    {
        var ctx = LabCluster.Nodes();
        var dir = Directory.CreateTempSubdirectory("hatools-kh-").FullName;
        try
        {
            var kh = Path.Combine(dir, "known_hosts");
            File.WriteAllText(kh, "");
            NodeTarget Retarget(NodeTarget n, string file, HostKeyPolicy p) =>
                new NodeTarget(n.Name, n.Address) { User = n.User, IdentityFile = n.IdentityFile, KnownHostsFile = file, HostKeyPolicy = p, ConnectTimeoutSec = 5 };
            var runs = Enumerable.Range(0, 20).SelectMany(i =>
            {
                var runner = new SshCommandRunner(new SshRunnerOptions { ControlDirectory = Path.Combine(dir, "cm" + i), ControlPersistSec = 2 });
                return ctx.Nodes.Select(n => runner.RunAsync(Retarget(n, kh, HostKeyPolicy.AcceptNew), CommandRequest.Of("true")));
            }).ToList();
            var results = await Task.WhenAll(runs);
            Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Node}: {r.Error} {r.StdErr}"));

            var text = File.ReadAllText(kh);
            Assert.EndsWith("\n", text);
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            _out.WriteLine($"known_hosts after 60 parallel first connections: {lines.Length} lines");
            Assert.Equal(0, LabCluster.OnHost("ssh-keygen", "-l", "-f", kh).ExitCode);
            var one = Path.Combine(dir, "line");
            foreach (var line in lines)
            {
                Assert.Equal(3, line.Split(' ').Length);
                File.WriteAllText(one, line + "\n");
                Assert.True(LabCluster.OnHost("ssh-keygen", "-l", "-f", one).ExitCode == 0, "unparsable line: " + line);
            }
            foreach (var n in ctx.Nodes) Assert.Equal(0, LabCluster.OnHost("ssh-keygen", "-F", n.Address, "-f", kh).ExitCode);

            // Strict is still satisfied by what was pinned; a known_hosts in a folder that does not exist yet works
            // under AcceptNew (the folder is made) and is a clear error under Strict.
            var strict = new SshCommandRunner(new SshRunnerOptions { ControlPersistSec = 0 });
            Assert.True((await strict.RunAsync(Retarget(ctx.Nodes[0], kh, HostKeyPolicy.Strict), CommandRequest.Of("true"))).Succeeded);
            var missing = Path.Combine(dir, "new", "sub", "known_hosts");
            var r = await strict.RunAsync(Retarget(ctx.Nodes[1], missing, HostKeyPolicy.Strict), CommandRequest.Of("true"));
            Assert.False(r.Succeeded);
            Assert.Contains("does not exist", r.Error);
            r = await strict.RunAsync(Retarget(ctx.Nodes[1], missing, HostKeyPolicy.AcceptNew), CommandRequest.Of("true"));
            Assert.True(r.Succeeded, r.Error + r.StdErr);
            Assert.Equal(0, LabCluster.OnHost("ssh-keygen", "-F", ctx.Nodes[1].Address, "-f", missing).ExitCode);
        }
        finally
        {
            LabCluster.CloseMasters(dir);
            Directory.Delete(dir, true);
        }
    }
}
