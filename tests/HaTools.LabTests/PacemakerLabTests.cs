using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>
/// The Pacemaker job end to end on real corosync and pacemaker in the lab, from bare nodes:
/// bootstrap examples/lab.yaml with -Mkfs, status, an idempotent re-run, a move, a failover, teardown.
/// One test because each step needs the cluster the previous one left; every step says what it checks.
/// </summary>
[Collection("lab")]
public class PacemakerLabTests
{
    private readonly ITestOutputHelper _out;

    public PacemakerLabTests(ITestOutputHelper output) { _out = output; }

    private void Log(string message)
    {
        _out.WriteLine(message);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "hatools-lab-timings.txt"), $"{DateTime.UtcNow:O} {message}\n");
    }

    [LabFact]
    public async Task Bootstrap_status_rerun_move_failover_teardown()
    {
        Lab.Reset("all");
        var ctx = LabCluster.Example();
        var provider = ctx.Provider();
        var host = new RecordingHost();

        // 0. Pre-flight of bare nodes: every check passes (fencing off is a warning).
        var checks = await provider.TestAsync(ctx, new TestOptions(), host, default);
        foreach (var c in checks) _out.WriteLine($"  check {c.Node,-6} {c.Check,-15} {c.Severity,-7} {c.Message}");
        Assert.DoesNotContain(checks, c => c.Severity == Severity.Error);
        foreach (var check in new[] { "Reachable", "HostKey", "Binaries", "NodeName", "DataIface", "ClockSkew", "ExistingCluster" })
            Assert.Equal(3, checks.Count(c => c.Check == check && c.Severity == Severity.Info));
        Assert.Contains(checks, c => c.Check == "Fencing" && c.Severity == Severity.Warning);

        // 1. Bootstrap from bare nodes, with mkfs of node1's stand-in disk.
        var sw = Stopwatch.StartNew();
        var phases = await provider.BootstrapAsync(ctx, new BootstrapOptions { Mkfs = true }, host, default);
        Log($"bootstrap from bare nodes: {sw.Elapsed.TotalSeconds:0.0} s");
        foreach (var p in phases) _out.WriteLine($"  {p.Phase,-10} {p.Node,-6} {p.Status,-9} {p.Message}");
        Assert.DoesNotContain(phases, p => p.Status == PhaseStatus.Failed);
        Assert.Contains(phases, p => p.Phase == "mkfs" && p.Status == PhaseStatus.Changed);
        // The run walked exactly the phases -WhatIf plans, in the same order (both are walks of one phase list).
        var planned = provider.PlanBootstrap(ctx, new BootstrapOptions { Mkfs = true }).Select(p => p.Phase).Distinct().ToList();
        Assert.Equal(planned, phases.Select(p => p.Phase).Distinct());
        Assert.Equal(11, planned.Count);
        Assert.Equal("ext4", Lab.Exec("node1", "blkid", "-p", "-o", "value", "-s", "TYPE", "/root/disk0.img").StdOut.Trim());
        Assert.Contains(host.Warnings, w => w.Contains("STONITH"));
        foreach (var n in ctx.Nodes)
        {
            Assert.Equal("400 root", Lab.Exec(n.Name, "stat", "-c", "%a %U", "/etc/corosync/authkey").StdOut.Trim());
            Assert.Equal(256, int.Parse(Lab.Exec(n.Name, "stat", "-c", "%s", "/etc/corosync/authkey").StdOut.Trim()));
        }

        // The short dc-deadtime that let the new cluster form quickly is gone: later starts use Pacemaker's default.
        Assert.DoesNotContain(await provider.GetPropertiesAsync(ctx, default), p => p.Name == "dc-deadtime");

        // Another cluster file pointed at these nodes is refused by pre-flight: a cluster is running there.
        var other = LabCluster.Example();
        other.Spec.Name = "other";
        Assert.Contains(await provider.TestAsync(other, new TestOptions(), host, default),
            c => c.Check == "ExistingCluster" && c.Severity == Severity.Error && c.Message.Contains("'lab' is running"));

        // 2. Status: 3 online nodes, quorum, a DC, vip and svc started together on one node.
        sw.Restart();
        var s = await provider.GetStatusAsync(ctx, default);
        Log($"status (warm): {sw.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(3, s.Nodes.Count(n => n.Online));
        Assert.True(s.Quorate);
        Assert.NotNull(s.Dc);
        var vip = s.Resources.Single(r => r.Name == "vip");
        var svc = s.Resources.Single(r => r.Name == "svc");
        Assert.Equal("Started", vip.Role);
        Assert.Equal("ocf:heartbeat:IPaddr2", vip.Agent);
        Assert.NotNull(vip.Node);
        Assert.Equal(vip.Node, svc.Node);
        Assert.Contains(s.Warnings, w => w.Contains("STONITH"));

        // 3. A re-run with the unchanged file changes nothing, and says so.
        sw.Restart();
        var again = await provider.BootstrapAsync(ctx, new BootstrapOptions { Mkfs = true }, new RecordingHost(), default);
        Log($"bootstrap re-run (no change): {sw.Elapsed.TotalSeconds:0.0} s");
        foreach (var p in again) _out.WriteLine($"  {p.Phase,-10} {p.Node,-6} {p.Status,-9} {p.Message}");
        Assert.DoesNotContain(again, p => p.Status is PhaseStatus.Changed or PhaseStatus.Failed);
        Assert.Contains(again, p => p.Phase == "configure" && p.Status == PhaseStatus.Unchanged);
        Assert.Equal(planned, again.Select(p => p.Phase).Distinct());

        // 4. Move both (svc follows vip) to another node and wait; no move constraint is left; the VIP answers there.
        var from = vip.Node!;
        var to = ctx.Nodes.Select(n => n.Name).First(n => n != from);
        sw.Restart();
        var moved = await provider.MoveResourceAsync(ctx, "vip", to, new MoveOptions { Wait = true, Timeout = TimeSpan.FromSeconds(60) }, host, default);
        Log($"move vip {from} -> {to} with wait: {sw.Elapsed.TotalSeconds:0.0} s");
        Assert.True(moved.Changed);
        Assert.Equal(to, moved.Node);
        s = await provider.GetStatusAsync(ctx, default);
        Assert.Equal(to, s.Resources.Single(r => r.Name == "vip").Node);
        Assert.Equal(to, s.Resources.Single(r => r.Name == "svc").Node);
        var constraints = await provider.GetConstraintsAsync(ctx, default);
        Assert.DoesNotContain(constraints, c => c.FromMove || c.Id.StartsWith("cli-", StringComparison.Ordinal));
        Assert.Equal(to, await VipAnswersAs(ctx, to));

        // 5. Failover: the holder's corosync and pacemaker die; the resources start elsewhere.
        var holder = to;
        var others = new ClusterContext(ctx.Spec, ctx.Runner, ctx.Nodes.Where(n => n.Name != holder).ToList());
        sw.Restart();
        Lab.KillStack(holder);
        // Without fencing the dead node keeps the address on its eth0 (see README): take it away as a reboot would.
        Lab.Exec(holder, "ip", "addr", "del", "198.18.0.100/24", "dev", "eth0");
        string? newNode = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var st = await provider.GetStatusAsync(others, default);
                var v = st.Resources.Single(r => r.Name == "vip");
                var d = st.Resources.Single(r => r.Name == "svc");
                if (v.Role == "Started" && v.Node != null && v.Node != holder && d.Node == v.Node && d.Role == "Started") { newNode = v.Node; break; }
            }
            catch (HaException) { }
            await Task.Delay(200);
        }
        var failover = sw.Elapsed;
        Log($"failover after killing corosync+pacemaker on {holder}: {failover.TotalSeconds:0.0} s (resources on {newNode})");
        Assert.NotNull(newNode);
        Assert.Equal(newNode, await VipAnswersAs(ctx, newNode!));

        // The node comes back: a re-run of the bootstrap starts its stack again and changes nothing else.
        var back = await provider.BootstrapAsync(ctx, new BootstrapOptions(), new RecordingHost(), default);
        foreach (var p in back) _out.WriteLine($"  {p.Phase,-10} {p.Node,-6} {p.Status,-9} {p.Message}");
        Assert.DoesNotContain(back, p => p.Status == PhaseStatus.Failed);
        Assert.All(back.Where(p => p.Status == PhaseStatus.Changed), p => Assert.Equal("start", p.Phase));
        Assert.Equal(3, (await provider.GetStatusAsync(ctx, default)).Nodes.Count(n => n.Online));

        // 6. Teardown leaves the nodes bare.
        sw.Restart();
        var down = await provider.RemoveClusterAsync(ctx, host, default);
        Log($"teardown: {sw.Elapsed.TotalSeconds:0.0} s");
        Assert.DoesNotContain(down, p => p.Status == PhaseStatus.Failed);
        foreach (var n in ctx.Nodes)
        {
            Assert.Equal(1, Lab.Exec(n.Name, "pidof", "corosync").ExitCode);
            Assert.Equal(1, Lab.Exec(n.Name, "pidof", "pacemakerd").ExitCode);
            Assert.Equal("", Lab.Exec(n.Name, "sh", "-c", "ls /etc/corosync/authkey /etc/corosync/corosync.conf /var/lib/pacemaker/cib/* 2>/dev/null || true").StdOut.Trim());
            Assert.Equal("", Lab.Exec(n.Name, "sh", "-c", "ip -o addr show dev eth0 | grep -F 198.18.0.100 || true").StdOut.Trim());
        }
    }

    /// <summary>Which node answers for the VIP, seen from the host: ping it, then match the MAC address the host
    /// learned for it (IPaddr2 announces itself with gratuitous ARP) against each node's eth0.</summary>
    private static async Task<string?> VipAnswersAs(ClusterContext ctx, string expected)
    {
        var macs = ctx.Nodes.ToDictionary(n => Lab.Exec(n.Name, "cat", "/sys/class/net/eth0/address").StdOut.Trim(), n => n.Name);
        string? last = null;
        for (var i = 0; i < 20; i++)
        {
            var ping = LabCluster.OnHost("ping", "-c", "1", "-W", "1", "198.18.0.100");
            var neigh = LabCluster.OnHost("ip", "neigh", "show", "198.18.0.100", "dev", "hatools0").StdOut;
            var parts = neigh.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(parts, "lladdr");
            if (ping.ExitCode == 0 && at >= 0 && macs.TryGetValue(parts[at + 1], out last) && last == expected) return last;
            await Task.Delay(250);
        }
        return last;
    }
}

