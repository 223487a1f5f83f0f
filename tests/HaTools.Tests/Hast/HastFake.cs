using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Hast;

/// <summary>
/// A HAST pair that remembers, on the TestKit's <see cref="FakeCluster"/> (which already speaks the lock and push
/// protocols): per node hastd's roles and metadata, whether the pool is imported, the CARP state; and across the pair
/// what hastd itself does not prevent. The semantics follow hastd as the research describes it (hastd.c, primary.c,
/// secondary.c, control.c): a secondary worker runs only while the peer is primary and the link is up; a role change
/// returns before the device exists; a primary without metadata falls back to init; leaving primary destroys
/// /dev/hast/NAME even under an imported pool; a primary started while the peer is primary "starts anyway". Strict:
/// a command the fake does not know fails the test. <see cref="Hazards"/> records every moment the pair is unsafe.
/// </summary>
internal sealed class HastFake
{
    public HastFake(ClusterSpec spec)
    {
        Spec = spec;
        var s = spec.Section<HastSection>();
        Resources = s.Hast.Resources.Select(r => r.Name).ToList();
        Pool = s.Zfs.Pool;
        PoolMembers = s.Zfs.Vdevs.SelectMany(v => v.Resources).ToList();
        Iface = s.Carp.Interface;
        Vhid = s.Carp.Vhid;
        Cluster = new FakeCluster(spec.Nodes.Select(n => n.Name).ToArray());
        for (var i = 0; i < spec.Nodes.Count; i++)
        {
            var name = spec.Nodes[i].Name;
            var n = new HastFakeNode(this, name, s.Carp.Advskew.TryGetValue(name, out var k) ? k : CarpSpec.DefaultAdvskew(i));
            foreach (var r in Resources) { n.Roles[r] = HastRole.Init; n.Created.Add(r); }
            Nodes[name] = n;
            Cluster[name].Handler = n.Handle;
        }
    }

    public ClusterSpec Spec { get; }
    public FakeCluster Cluster { get; }
    public Dictionary<string, HastFakeNode> Nodes { get; } = new Dictionary<string, HastFakeNode>(StringComparer.Ordinal);
    public List<string> Resources { get; }
    public string Pool { get; }
    public List<string> PoolMembers { get; }
    public string Iface { get; }
    public int Vhid { get; }
    /// <summary>The pool was exported cleanly by the last node that held it (imports without -f).</summary>
    public bool PoolExported { get; set; } = true;
    /// <summary>The pool exists on the HAST devices (zpool create ran once).</summary>
    public bool PoolExists { get; set; }
    /// <summary>The replication link between the two nodes (a partition when false).</summary>
    public bool LinkUp { get; set; } = true;
    /// <summary>Every unsafe moment, as it happened: two primaries while linked, the pool on both, a device yanked under the pool.</summary>
    public List<string> Hazards { get; } = new List<string>();

    public HastFakeNode this[string name] => Nodes[name];

    public HastFakeNode Peer(HastFakeNode n) => Nodes.Values.First(x => x != n);

    /// <summary>A context on this pair; with <paramref name="locked"/> changes take the cluster lock as from a cluster file.</summary>
    public ClusterContext Context(bool locked = true) => new ClusterContext(Spec, Cluster) { Lock = locked ? ClusterLockOptions.Default : null };

    /// <summary>f0 primary with the pool imported and the CARP master; f1 secondary connected to it; replication complete.</summary>
    public HastFake Running(string primary = "f0")
    {
        foreach (var n in Nodes.Values)
        {
            foreach (var r in Resources) n.Roles[r] = n.Name == primary ? HastRole.Primary : HastRole.Secondary;
            n.PoolImported = n.Name == primary;
            n.Carp = n.Name == primary ? CarpState.Master : CarpState.Backup;
            n.CarpConfigured = true;
            n.Preempt = "0";
            foreach (var r in Resources) n.Used.Add(r);
        }
        PoolExported = false;
        PoolExists = true;
        return this;
    }

    /// <summary>Two bare FreeBSD nodes: hastd stopped, no HAST metadata, no pool, no CARP address, carp(4) not loaded.</summary>
    public HastFake Bare()
    {
        foreach (var n in Nodes.Values)
        {
            n.Hastd = false;
            n.Created.Clear();
            n.CarpConfigured = false;
            n.Preempt = null;
        }
        PoolExists = false;
        return this;
    }

    /// <summary>Each node's HAST calls, as the node received them (the device wait as "wait-device DEV STATE TENTHS").</summary>
    public List<string> Calls(string node) => this[node].Calls.ToList();

    /// <summary>Each node's lock protocol calls ("acquire", "renew", "release"), in order.</summary>
    public List<string> LockCalls(string node) =>
        Cluster[node].Log.Where(c => c.StartsWith("lock ", StringComparison.Ordinal)).Select(c => c.Split(' ')[1]).ToList();

    internal bool Linked(HastFakeNode a, HastFakeNode b) => LinkUp && !Cluster[a.Name].Down && !Cluster[b.Name].Down && a.Hastd && b.Hastd;

    internal void Check()
    {
        var both = Nodes.Values.ToList();
        foreach (var r in Resources)
            if (both.All(n => n.Roles[r] == HastRole.Primary) && Linked(both[0], both[1]))
                Hazards.Add($"{r} primary on both nodes while linked");
        if (both.All(n => n.PoolImported)) Hazards.Add($"{Pool} imported on both nodes");
    }

    public static string Join(string[] argv) => ShellQuote.Join(argv);
}

internal sealed class HastFakeNode
{
    private readonly HastFake _w;

    public HastFakeNode(HastFake world, string name, int advskew)
    {
        _w = world;
        Name = name;
        Advskew = advskew;
    }

    public string Name { get; }
    public bool Hastd { get; set; } = true;
    public Dictionary<string, HastRole> Roles { get; } = new Dictionary<string, HastRole>(StringComparer.Ordinal);
    /// <summary>Resources whose local provider holds HAST metadata (hastctl create ran).</summary>
    public HashSet<string> Created { get; } = new HashSet<string>(StringComparer.Ordinal);
    public bool PoolImported { get; set; }
    public CarpState Carp { get; set; } = CarpState.Backup;
    /// <summary>The interface has the vhid (ifconfig shows its carp: line).</summary>
    public bool CarpConfigured { get; set; } = true;
    /// <summary>net.inet.carp.preempt; null while carp(4) is not loaded.</summary>
    public string? Preempt { get; set; } = "0";
    /// <summary>Resources a primary has used (their metadata's resuid is set).</summary>
    public HashSet<string> Used { get; } = new HashSet<string>(StringComparer.Ordinal);
    public string Os { get; set; } = "FreeBSD";
    public string? Hostname { get; set; }
    public int DevdRestarts { get; set; }
    public int Advskew { get; set; }
    /// <summary>hastctl never answers (a hastd stuck in waitpid): every hastctl call times out.</summary>
    public bool HastctlHangs { get; set; }
    /// <summary>Resources whose device never appears on this node after role primary (the worker keeps failing).</summary>
    public HashSet<string> DeviceNeverAppears { get; } = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>Called before each command; may change the pair (e.g. take a node down mid-switch).</summary>
    public Action<string>? Before { get; set; }
    public List<string> Calls { get; } = new List<string>();
    /// <summary>The bound each call was given, beside <see cref="Calls"/>.</summary>
    public List<TimeSpan> Bounds { get; } = new List<TimeSpan>();

    private HastFakeNode Peer => _w.Peer(this);

    public bool DevicePresent(string r) => Roles[r] == HastRole.Primary && Created.Contains(r) && !DeviceNeverAppears.Contains(r);

    /// <summary>A secondary worker runs while the peer is primary and connected to this node.</summary>
    public bool SecondaryWorker(string r) => Roles[r] == HastRole.Secondary && Peer.Roles[r] == HastRole.Primary && _w.Linked(this, Peer) && Peer.DevicePresent(r);

    private static CommandResult Ok(string stdout = "") => new CommandResult { ExitCode = 0, StdOut = stdout };
    private static CommandResult Exit(int code, string stderr, string stdout = "") => new CommandResult { ExitCode = code, StdErr = stderr, StdOut = stdout };
    private static CommandResult TimedOut() => new CommandResult { ExitCode = 124, Failure = FailureKind.TimedOut, Error = "timed out (test)" };

    internal CommandResult? Handle(CommandRequest request)
    {
        var a = request.Argv.ToArray();
        var line = a.Length == 7 && a[0] == "sh" && a[3] == "hatools-hast" ? $"wait-device {a[4]} {a[5]} {a[6]}" : HastFake.Join(a);
        Calls.Add(line);
        Bounds.Add(request.Timeout);
        Before?.Invoke(line);
        Assert.True(request.Timeout > TimeSpan.Zero && request.Timeout <= TimeSpan.FromMinutes(15), $"unbounded call on {Name}: {line}");
        var r = Dispatch(a, line);
        _w.Check();
        return r;
    }

    private CommandResult? Dispatch(string[] a, string line)
    {
        if (line.StartsWith("wait-device ", StringComparison.Ordinal)) return WaitDevice(a[4].Substring("/dev/hast/".Length), a[5] == "present");
        if (a.Length == 4 && a[0] == "sh" && a[1] == "-c" && a[2] == HastStack.ProbeScript && a[3] == "hatools-hast-probe")
            return Ok($"os={Os}\nhostname={Hostname ?? Name}\nhastctl=yes\nzpool=yes\nifconfig=yes\nkldload=yes\nhastd={(Hastd ? "running" : "stopped")}\n");
        if (a.Length == 8 && a[0] == "sh" && a[1] == "-c" && a[3] == "hatools-carp")
        {
            Assert.Equal(new[] { "vtnet0", "0", _w.Iface, _w.Vhid.ToString() }, a.Skip(4));
            Assert.Contains("pass ", _w.Cluster[Name].Read("/etc/rc.conf.d/netif") ?? "");
            if (CarpConfigured) return Ok("ALREADY\n");
            CarpConfigured = true;
            Carp = _w.Nodes.Values.Any(x => x != this && x.CarpConfigured && x.Carp == CarpState.Master) ? CarpState.Backup : CarpState.Master;
            return Ok("ADDED\n");
        }
        switch (a[0])
        {
            case "hastctl": return Hastctl(a);
            case "kldload" when line == "kldload -n carp":
                Preempt ??= "0";
                return Ok();
            case "sysctl" when line == "sysctl -n net.inet.carp.preempt":
                return Preempt != null ? Ok(Preempt + "\n") : Exit(1, "sysctl: unknown oid 'net.inet.carp.preempt'\n");
            case "sysctl" when a.Length == 2 && a[1].StartsWith("net.inet.carp.preempt="):
                if (Preempt == null) return Exit(1, "sysctl: unknown oid 'net.inet.carp.preempt'\n");
                Preempt = a[1].Substring(a[1].Length - 1);
                return Ok();
            case "service" when line == "service devd restart":
                DevdRestarts++;
                return Ok();
            case "zpool": return Zpool(a, line);
            case "ifconfig": return Ifconfig(a, line);
            case "service" when a.Length == 3 && a[1] == "hastd":
                switch (a[2])
                {
                    case "onestatus": return Hastd ? Ok("hastd is running as pid 811.\n") : Exit(1, "", "hastd is not running.\n");
                    case "onestart": Hastd = true; return Ok();
                    case "onereload": return Hastd ? Ok() : Exit(1, "hastd not running?\n");
                }
                break;
        }
        Assert.Fail($"the HAST fake does not know this command on {Name}: {line}");
        return null;
    }

    private CommandResult WaitDevice(string r, bool present)
    {
        var now = DevicePresent(r);
        return now == present ? Ok((now ? "PRESENT" : "ABSENT") + "\n") : Exit(1, "", (now ? "PRESENT" : "ABSENT") + "\n");
    }

    private CommandResult Hastctl(string[] a)
    {
        if (HastctlHangs) return TimedOut();
        switch (a[1])
        {
            case "create" when a.Length == 3:
                if (!_w.Resources.Contains(a[2])) return Exit(65, $"[{a[2]}] Unknown resource {a[2]}.\n");
                Created.Add(a[2]);
                return Ok();
            case "dump" when a.Length == 3:
                return Created.Contains(a[2])
                    ? Ok($"resource: {a[2]}\n    datasize: 1073610752 (1.0GB)\n    extentsize: 2097152 (2.0MB)\n    keepdirty: 64\n    localoff: 135680\n    resuid: {(Used.Contains(a[2]) ? 44 : 0)}\n    localcnt: 3\n    remotecnt: 3\n    prevrole: {Roles[a[2]].ToString().ToLowerInvariant()}\n")
                    : Exit(255, $"[{a[2]}] Unable to read metadata from /dev/ada1.\n");
        }
        if (!Hastd) return Exit(71, "Unable to connect to hastd via /var/run/hastctl: Connection refused.\n");
        switch (a[1])
        {
            case "list":
            case "status": // FreeBSD 8/9's status prints list's block
            {
                var names = a.Length == 2 ? _w.Resources : new List<string> { a[2] };
                var text = string.Concat(names.Select(List));
                var err = names.FirstOrDefault(n => !_w.Resources.Contains(n));
                return new CommandResult { ExitCode = err == null ? 0 : 1, StdOut = text };
            }
            case "role" when a.Length == 4:
            {
                var r = a[3];
                if (!_w.Resources.Contains(r)) return Exit(1, $"[{r}] Received error 1 from hastd.\n");
                var role = a[2] switch { "init" => HastRole.Init, "primary" => HastRole.Primary, "secondary" => HastRole.Secondary, _ => HastRole.Unknown };
                Assert.NotEqual(HastRole.Unknown, role);
                if (Roles[r] == HastRole.Primary && role != HastRole.Primary && PoolImported && _w.PoolMembers.Contains(r))
                    _w.Hazards.Add($"{r} demoted on {Name} under the imported pool {_w.Pool} (ZFS hangs)");
                // hastd forks the primary worker after answering; without metadata it falls back to init.
                Roles[r] = role == HastRole.Primary && !Created.Contains(r) ? HastRole.Init : role;
                if (DevicePresent(r)) Used.Add(r);
                return Ok();
            }
        }
        Assert.Fail($"the HAST fake does not know this hastctl call on {Name}: {string.Join(" ", a)}");
        return null!;
    }

    private string List(string r)
    {
        if (!_w.Resources.Contains(r)) return $"{r}:\n  error: 1\n";
        var role = Roles[r];
        var worker = role == HastRole.Primary ? DevicePresent(r) : SecondaryWorker(r);
        var complete = role == HastRole.Primary ? Peer.SecondaryWorker(r) : worker;
        var remote = _w.Spec.Nodes.First(n => n.Name != Name).Address;
        return $"{r}:\n  role: {role.ToString().ToLowerInvariant()}\n  provname: {r}\n  localpath: /dev/ada1\n  extentsize: {(worker ? "2097152 (2.0MB)" : "0 (0B)")}\n" +
               $"  keepdirty: {(role == HastRole.Primary && worker ? 64 : 0)}\n  remoteaddr: {remote}\n  replication: fullsync\n" +
               (worker ? $"  status: {(complete ? "complete" : "degraded")}\n  workerpid: {(Name == "f0" ? 1200 : 2200) + _w.Resources.IndexOf(r)}\n" : "") +
               "  dirty: 0 (0B)\n  statistics:\n    reads: 19\n    writes: 7\n";
    }

    private CommandResult Zpool(string[] a, string line)
    {
        var pool = a[a.Length - 1];
        if (line == HastFake.Join(HastCalls.ZpoolList(_w.Pool)))
            return PoolImported ? Ok($"{_w.Pool}\tONLINE\n") : Exit(1, $"cannot open '{_w.Pool}': no such pool\n");
        if (line == HastFake.Join(HastCalls.Export(_w.Pool)))
        {
            if (!PoolImported) return Exit(1, $"cannot open '{pool}': no such pool\n");
            PoolImported = false;
            _w.PoolExported = true;
            return Ok();
        }
        if (line == HastFake.Join(HastCalls.Import(_w.Pool)) || line == HastFake.Join(HastCalls.ImportForced(_w.Pool)))
        {
            if (PoolImported) return Exit(1, $"cannot import '{pool}': a pool with that name already exists\n");
            if (!_w.PoolMembers.All(DevicePresent)) return Exit(1, $"cannot import '{pool}': no such pool available\n");
            var forced = a.Contains("-f");
            if (!_w.PoolExported && !forced)
                return Exit(1, $"cannot import '{pool}': pool was previously in use from another system.\nLast accessed by {Peer.Name} (hostid=2f5ba1c2) at Mon Nov 30 10:02:11 2026\nThe pool can be imported, use 'zpool import -f' to import the pool.\n");
            PoolImported = true;
            _w.PoolExported = false;
            return Ok();
        }
        if (line == HastFake.Join(HastCalls.ZpoolImportable))
            return _w.PoolExists && !PoolImported && _w.PoolMembers.All(DevicePresent) && !Peer.PoolImported
                ? Ok($"   pool: {_w.Pool}\n     id: 1289311736426591203\n  state: ONLINE\n action: The pool can be imported using its name or numeric identifier.\n config:\n\n\t{_w.Pool}\tONLINE\n")
                : Ok("no pools available to import\n");
        if (a.Length > 2 && a[1] == "create")
        {
            if (!_w.PoolMembers.All(DevicePresent)) return Exit(1, $"cannot open '/dev/hast/{_w.PoolMembers[0]}': no such file or directory\n");
            Assert.Equal("zpool create -o cachefile=none -o failmode=wait tank mirror /dev/hast/disk0 /dev/hast/disk1", line);
            _w.PoolExists = true;
            PoolImported = true;
            _w.PoolExported = false;
            return Ok();
        }
        Assert.Fail($"the HAST fake does not know this zpool call on {Name}: {line}");
        return null!;
    }

    private CommandResult Ifconfig(string[] a, string line)
    {
        Assert.Equal(_w.Iface, a[1]);
        if (a.Length == 2)
        {
            // A backup that hears no master (the master is down) takes over when its master-down timer runs out.
            if (Carp == CarpState.Backup && _w.Cluster[Peer.Name].Down) Carp = CarpState.Master;
            var vip = Carp == CarpState.Master ? $"\tinet {_w.Spec.Section<HastSection>().Carp.Address.Split('/')[0]} netmask 0xffffffff broadcast 192.0.2.50 vhid {_w.Vhid}\n" : "";
            return Ok($"{_w.Iface}: flags=8943<UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tether 58:9c:fc:10:9a:1e\n" +
                      $"\tinet 192.0.2.10 netmask 0xffffff00 broadcast 192.0.2.255\n" +
                      (CarpConfigured ? $"{vip}\tcarp: {Carp.ToString().ToUpperInvariant()} vhid {_w.Vhid} advbase 1 advskew {Advskew}\n" : ""));
        }
        if (a.Length == 6 && a[2] == "vhid" && a[3] == _w.Vhid.ToString() && a[4] == "advskew")
        {
            Advskew = int.Parse(a[5]);
            return Ok();
        }
        if (line == HastFake.Join(HastCalls.StateBackup(_w.Iface, _w.Vhid)))
        {
            Carp = CarpState.Backup;
            // With no master left, the backup with the lowest skew wins the next election.
            var up = _w.Nodes.Values.Where(n => !_w.Cluster[n.Name].Down).OrderBy(n => n.Advskew).ToList();
            if (up.All(n => n.Carp != CarpState.Master)) up[0].Carp = CarpState.Master;
            return Ok();
        }
        Assert.Fail($"the HAST fake does not know this ifconfig call on {Name}: {line}");
        return null!;
    }
}
