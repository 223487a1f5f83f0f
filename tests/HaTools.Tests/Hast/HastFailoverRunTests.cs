using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Hast;

/// <summary>
/// The generated failover script run for real under dash on this machine, against the stand-ins for hastctl and zpool
/// (tests/lab/standins): one node in a temporary folder, its peer written by the test as the stand-in hastd would
/// write a heartbeat. The script is the production one with its device folder, state folder and PATH pointed at the
/// test's (FailoverEnvironment).
/// </summary>
public sealed class HastFailoverRunTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hatools-hastrun-" + Guid.NewGuid().ToString("N"));
    private readonly string _state, _script;

    public HastFailoverRunTests()
    {
        _state = Path.Combine(_dir, "standin");
        foreach (var d in new[] { "roles", "created", "fail", "hang" }) Directory.CreateDirectory(Path.Combine(_state, d));
        File.WriteAllText(Path.Combine(_state, "conf"), $"node f1\nresources disk0 disk1\nmembers disk0 disk1\npool tank\ndevdir {_dir}/dev\npeer 192.0.2.10\n");
        foreach (var r in new[] { "disk0", "disk1" })
        {
            File.WriteAllText(Path.Combine(_state, "roles", r), "secondary\n");
            File.WriteAllText(Path.Combine(_state, "created", r), "");
        }
        File.WriteAllText(Path.Combine(_state, "hastd.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var yaml = File.ReadAllText(Path.Combine(SpecTestUtil.Examples, "hast.yaml"))
            .Replace("device_timeout: 30", "device_timeout: 2").Replace("peer_timeout: 30", "peer_timeout: 2");
        var spec = SpecLoader.LoadText(yaml, Path.Combine(SpecTestUtil.Examples, "hast.yaml"));
        var env = new FailoverEnvironment { DeviceDirectory = _dir + "/dev", StateDirectory = _dir + "/run", PathPrefix = Path.Combine(SpecTestUtil.RepoRoot, "tests", "lab", "standins") };
        _script = Path.Combine(_dir, "hatools-hast-failover");
        File.WriteAllText(_script, HastFailover.Script(spec, env));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Peer(string roles, string pool, bool fresh = true)
    {
        var at = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + (fresh ? 3600 : -3600)).ToString("0.000", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(_state, "peer"), $"at {at}\nroles {roles}\npool {pool}\n");
    }

    private Fixtures.Run Run(params string[] args) =>
        Fixtures.Exec("/bin/sh", new[] { _script }.Concat(args), new Dictionary<string, string> { ["HATOOLS_STANDIN_DIR"] = _state });

    private string Role(string r) => File.ReadAllText(Path.Combine(_state, "roles", r)).Trim();
    private bool Imported => File.Exists(Path.Combine(_state, "pool-imported"));
    private bool Device(string r) => File.Exists(Path.Combine(_dir, "dev", r));
    private List<string> Calls() => File.Exists(Path.Combine(_state, "calls.log"))
        ? File.ReadAllLines(Path.Combine(_state, "calls.log")).Select(l => string.Join(' ', l.Split(' ').Skip(2))).ToList() : new List<string>();
    private List<string> Timeline() => File.Exists(Path.Combine(_state, "timeline"))
        ? File.ReadAllLines(Path.Combine(_state, "timeline")).Select(l => string.Join(' ', l.Split(' ').Skip(2))).ToList() : new List<string>();
    private string Syslog => File.Exists(Path.Combine(_state, "syslog")) ? File.ReadAllText(Path.Combine(_state, "syslog")) : "";

    [Fact]
    public void Master_with_the_peer_gone_promotes_every_resource_waits_for_the_devices_and_imports_with_f()
    {
        Peer("disk0=primary disk1=primary", "imported", fresh: false); // the primary died holding the pool
        var r = Run("master");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(new[] { "role disk0 primary", "role disk1 primary", "pool imported" }, Timeline());
        Assert.True(Device("disk0") && Device("disk1") && Imported);
        var calls = Calls().Where(c => !c.StartsWith("hastctl list")).ToList();
        Assert.Equal(new[]
        {
            "hastctl role primary disk0 -> 0", "hastctl role primary disk1 -> 0", "zpool list -H -o name -> 0",
            "zpool import -o cachefile=none -d " + _dir + "/dev tank -> 1", "zpool import -f -o cachefile=none -d " + _dir + "/dev tank -> 0",
        }, calls);
        Assert.Contains("hatools-hast: pool tank: not exported by the peer; zpool import -f", Syslog);
        Assert.Contains("hatools-hast: primary: disk0 disk1, pool tank imported", Syslog);

        // Again: nothing to do, and said so.
        var again = Run("master");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("disk0: primary already", again.StdErr);
        Assert.Contains("pool tank: imported already", again.StdErr);
        Assert.Equal(3, Timeline().Count);
    }

    [Fact]
    public void Master_while_the_peer_is_connected_as_primary_waits_its_bound_then_refuses_with_a_message()
    {
        Peer("disk0=primary disk1=primary", "imported");
        var r = Run("master");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("FAILED: disk0: the peer is still connected as primary after 2 s: a CARP flap, not a dead peer; not promoting", r.StdErr);
        Assert.Contains("the peer is connected as primary; waiting up to 2 s", Syslog);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("hastctl role"));
        Assert.DoesNotContain(Calls(), c => c.StartsWith("zpool import"));
        Assert.Empty(Timeline());
    }

    [Fact]
    public void Backup_exports_the_pool_before_any_device_goes()
    {
        Peer("disk0=secondary disk1=secondary", "exported");
        Assert.Equal(0, Run("master").ExitCode);
        var b = Run("backup");
        Assert.True(b.ExitCode == 0, b.ToString());
        Assert.Equal(new[] { "role disk0 primary", "role disk1 primary", "pool imported", "pool exported", "role disk0 secondary", "role disk1 secondary" }, Timeline());
        Assert.False(Imported || Device("disk0") || Device("disk1"));
        Assert.DoesNotContain(Timeline(), t => t.StartsWith("HAZARD"));
    }

    [Fact]
    public void A_pool_that_cannot_be_exported_keeps_the_node_primary_and_the_script_fails()
    {
        Peer("disk0=secondary disk1=secondary", "exported");
        Assert.Equal(0, Run("master").ExitCode);
        File.WriteAllText(Path.Combine(_state, "fail", "zpool-export"), "1 cannot unmount '/tank/www': pool or dataset is busy\n");
        File.WriteAllText(Path.Combine(_state, "fail", "zpool-export-f"), "1 cannot unmount '/tank/www': pool or dataset is busy\n");
        var b = Run("backup");
        Assert.Equal(1, b.ExitCode);
        Assert.Contains("FAILED: pool tank: cannot export it: not leaving primary", b.StdErr);
        Assert.Contains("zpool export -f tank -> 1 (fault zpool-export-f)", Calls());
        Assert.DoesNotContain(Calls(), c => c.StartsWith("hastctl role secondary"));
        Assert.True(Imported && Device("disk0") && Role("disk0") == "primary");
    }

    [Fact]
    public void A_device_that_never_appears_fails_within_its_bound_naming_it()
    {
        Peer("disk0=secondary disk1=secondary", "exported");
        File.Delete(Path.Combine(_state, "created", "disk1")); // no metadata: hastd takes the role, the worker dies, back to init
        var sw = Stopwatch.StartNew();
        var r = Run("master");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"FAILED: disk1: {_dir}/dev/disk1 did not appear within 2 s (hastd reports 'init')", r.StdErr);
        Assert.False(Imported);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(50), $"took {sw.Elapsed}"); // bounded (settle 3 s + 2 s), far below the lock's wait
    }

    [Fact]
    public void Hastd_not_running_and_unknown_events_are_failures_with_a_message()
    {
        File.Delete(Path.Combine(_state, "hastd.pid"));
        var r = Run("master");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("FAILED: hastd is not running: cannot become primary", r.StdErr);
        var b = Run("backup");
        Assert.Equal(0, b.ExitCode);
        Assert.Contains("hastd is not running: nothing to demote", b.StdErr);
        Assert.Equal(1, Run("event", "SHUTDOWN").ExitCode);
        Assert.Equal(2, Run().ExitCode);
    }

    [Fact]
    public async Task An_event_returns_at_once_and_the_switch_runs_in_the_background()
    {
        Peer("disk0=secondary disk1=secondary", "exported");
        var r = Run("event", "MASTER");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("CARP event MASTER: switching to master in the background", r.StdErr);
        Assert.Empty(Timeline()); // the settle time alone outlasts the call
        var sw = Stopwatch.StartNew();
        while (!Imported && sw.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(200);
        Assert.True(Imported, Syslog);
        Assert.Equal(new[] { "role disk0 primary", "role disk1 primary", "pool imported" }, Timeline());
    }

    [Fact]
    public async Task Events_in_quick_succession_are_serialised_and_the_last_one_wins()
    {
        Peer("disk0=secondary disk1=secondary", "exported");
        // MASTER, then BACKUP before the first switch is done, then MASTER again, then BACKUP: the node ends secondary.
        foreach (var e in new[] { "MASTER", "BACKUP", "MASTER", "BACKUP" }) Assert.Equal(0, Run("event", e).ExitCode);
        var sw = Stopwatch.StartNew();
        string? last = null;
        var quiet = 0;
        // Settled: the last switch logged its end and the log stayed still for 3 s (a loaded machine stalls the
        // detached runs between steps for longer than one poll).
        while (sw.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(500);
            if (!File.Exists(Path.Combine(_dir, "run", "wanted"))) continue;
            var settled = !Syslog.Contains("CARP event") || Syslog.Split('\n').Count(l => l.Contains("secondary: disk0 disk1") || l.Contains("not promoting")) > 0;
            quiet = settled && last == Syslog ? quiet + 1 : 0;
            if (quiet >= 6) break;
            last = Syslog;
        }
        Assert.Equal(("secondary", "secondary", false), (Role("disk0"), Role("disk1"), Imported));
        // Whatever ran, it ran one switch at a time: a promotion, if one ran, finished its import before a demotion began.
        var t = Timeline();
        Assert.DoesNotContain(t, x => x.StartsWith("HAZARD"));
        var importAt = t.IndexOf("pool imported");
        if (importAt >= 0) Assert.True(importAt < t.IndexOf("pool exported"));
        // Which run noticed the newer event depends on when each detached run took the lock (all four may queue before
        // the first starts): the log shows the last event acted on, not always the "newer event" message.
        Assert.True(Syslog.Contains("a newer CARP event asks for backup") || Syslog.Contains("secondary: disk0 disk1") || Syslog.Contains("not promoting"), Syslog);
    }
}
