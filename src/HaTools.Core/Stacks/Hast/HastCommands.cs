using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>
/// argv for FreeBSD's hastctl, zpool, ifconfig (CARP) and service(8), and for the one node-side script of this stack (a
/// bounded wait for /dev/hast/NAME). Pure: every name is checked before an argv exists (node and resource names with
/// <see cref="Names"/> and hastd's token rules, pools with zpool's, interfaces as ifconfig names them); each value is its
/// own argv element; nothing secret ever goes into one. Every call is given a bound (<see cref="Bounded"/>) that the
/// transport enforces on the node: hastctl sets only a connect timeout, and hastd's single-threaded main loop blocks in
/// waitpid() while a worker exits, so a hung hastd would otherwise hang the caller (research §2.3).
/// </summary>
public static class HastCommands
{
    /// <summary>A read (hastctl list, zpool list, ifconfig): long enough for hastctl's own 20 s connect timeout to be
    /// the exception, short enough that a hung hastd is reported while the operator still waits.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A change (role, create, export, import, service): hastctl's connect timeout (20 s) plus a margin.</summary>
    public static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>hastctl's exit code when it cannot connect to hastd (EX_OSERR: hastd is not running).</summary>
    public const int ExitHastdNotRunning = 71;

    /// <summary>hastctl's exit code for a subcommand it does not know (EX_USAGE): FreeBSD 8/9 have no <c>list</c>.</summary>
    public const int ExitUsage = 64;

    /// <summary>Where hastd creates a primary's devices (the GEOM gate provider /dev/hast/NAME).</summary>
    public const string DeviceDirectory = "/dev/hast";

    /// <summary>The last line the wait script prints: whether the device is there when it stops.</summary>
    public const string DevicePresent = "PRESENT", DeviceAbsent = "ABSENT";

    /// <summary><c>hastctl list [RES]</c>: the verbose per-resource status (FreeBSD 10+), the format automation reads.</summary>
    public static string[] List(string? resource = null) =>
        resource == null ? new[] { "hastctl", "list" } : new[] { "hastctl", "list", Resource(resource) };

    /// <summary><c>hastctl status [RES]</c>: on FreeBSD 8/9 the same key/value block as list (which they lack); on 10+ the
    /// compact table. Only asked when list is refused with <see cref="ExitUsage"/>.</summary>
    public static string[] Status(string? resource = null) =>
        resource == null ? new[] { "hastctl", "status" } : new[] { "hastctl", "status", Resource(resource) };

    /// <summary><c>hastctl role init|primary|secondary RES</c>. hastctl returns as soon as hastd changed its in-memory role:
    /// for primary the worker is forked afterwards, so success does not mean the device exists (<see cref="WaitDevice"/>).</summary>
    public static string[] Role(HastRole role, string resource) => new[] { "hastctl", "role", RoleWord(role), Resource(resource) };

    /// <summary><c>hastctl create RES</c>: writes fresh metadata to the local provider without hastd. A re-initialisation
    /// on a provider that held HAST data (the split-brain recovery step): never on the node whose data is the good copy.</summary>
    public static string[] Create(string resource) => new[] { "hastctl", "create", Resource(resource) };

    /// <summary><c>hastctl dump RES</c>: the on-disk metadata (works without hastd); fails when the provider holds none.</summary>
    public static string[] Dump(string resource) => new[] { "hastctl", "dump", Resource(resource) };

    /// <summary><c>zpool list -H -o name,health POOL</c>: one <c>name\tHEALTH</c> line and exit 0 when the pool is imported
    /// here; exit 1 (<c>cannot open 'POOL': no such pool</c>) when it is not.</summary>
    public static string[] ZpoolList(string pool) => new[] { "zpool", "list", "-H", "-o", "name,health", Pool(pool) };

    /// <summary><c>zpool import -d /dev/hast</c>: the pools that could be imported from the HAST devices (none imported here).</summary>
    public static string[] ZpoolImportable() => new[] { "zpool", "import", "-d", DeviceDirectory };

    /// <summary><c>zpool export [-f] POOL</c>. A cleanly exported pool imports on the peer without -f. Never demote a
    /// node before this succeeded: leaving primary destroys /dev/hast/* under an imported pool (ZFS then hangs).</summary>
    public static string[] ZpoolExport(string pool, bool force = false) =>
        force ? new[] { "zpool", "export", "-f", Pool(pool) } : new[] { "zpool", "export", Pool(pool) };

    /// <summary><c>zpool import [-f] -o cachefile=none -d /dev/hast POOL</c>: the devices searched only under /dev/hast,
    /// and the pool kept out of zpool.cache so that no boot ever imports it by itself. <paramref name="force"/> (-f) only
    /// when the pool was not exported (the peer died holding it) and the HAST checks said the peer is not primary: -f is
    /// all that stands between a pool and a double import.</summary>
    public static string[] ZpoolImport(string pool, bool force)
    {
        var argv = new List<string> { "zpool", "import" };
        if (force) argv.Add("-f");
        argv.AddRange(new[] { "-o", "cachefile=none", "-d", DeviceDirectory, Pool(pool) });
        return argv.ToArray();
    }

    /// <summary><c>zpool create -o cachefile=none [-o failmode=F] POOL [TYPE] /dev/hast/A … </c> from the zfs: section.</summary>
    public static string[] ZpoolCreate(ZfsPoolSpec zfs)
    {
        if (zfs.Vdevs.Count == 0) throw new HaException($"pool '{Names.Printable(zfs.Pool)}' has no vdev") { Target = zfs.Pool };
        var argv = new List<string> { "zpool", "create", "-o", "cachefile=none" };
        if (zfs.Failmode != null)
        {
            if (!HastRules.Failmodes.Contains(zfs.Failmode)) throw new HaException($"unknown failmode '{Names.Printable(zfs.Failmode)}'") { Target = zfs.Pool };
            argv.AddRange(new[] { "-o", "failmode=" + zfs.Failmode });
        }
        argv.Add(Pool(zfs.Pool));
        foreach (var v in zfs.Vdevs)
        {
            if (!HastRules.VdevTypes.Contains(v.Type)) throw new HaException($"unknown vdev type '{Names.Printable(v.Type)}'") { Target = zfs.Pool };
            if (v.Resources.Count < HastRules.MinDevices(v.Type))
                throw new HaException($"a {v.Type} vdev needs at least {HastRules.MinDevices(v.Type)} devices") { Target = zfs.Pool };
            if (v.Type != "stripe") argv.Add(v.Type);
            argv.AddRange(v.Resources.Select(Device));
        }
        return argv.ToArray();
    }

    /// <summary><c>ifconfig IF</c>: its CARP lines (<see cref="CarpParser"/>).</summary>
    public static string[] Ifconfig(string iface) => new[] { "ifconfig", Interface(iface) };

    /// <summary><c>ifconfig IF vhid N advskew M</c>: the running skew only (rc.conf.d keeps the declared one for boot).</summary>
    public static string[] CarpAdvskew(string iface, int vhid, int advskew)
    {
        if (advskew < 0 || advskew > 240) throw new ArgumentOutOfRangeException(nameof(advskew), "advskew is 0 to 240");
        return new[] { "ifconfig", Interface(iface), "vhid", Vhid(vhid), "advskew", advskew.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary><c>ifconfig IF vhid N state backup|master</c>: forces the state. With net.inet.carp.preempt=0 (HaTools'
    /// default) a lower advskew alone does not move the master; the old master steps down to backup and the node with
    /// the lower skew then wins the next election.</summary>
    public static string[] CarpState(string iface, int vhid, CarpState state)
    {
        var word = state switch
        {
            Hast.CarpState.Backup => "backup",
            Hast.CarpState.Master => "master",
            _ => throw new ArgumentOutOfRangeException(nameof(state), "a CARP state can be forced to backup or master only"),
        };
        return new[] { "ifconfig", Interface(iface), "vhid", Vhid(vhid), "state", word };
    }

    /// <summary>Adds the CARP address as /etc/rc.conf.d/netif declares it (that file, 0600, holds the password; ifconfig
    /// has no other way to take one than its argv, so the password is read on the node and never travels in ours).
    /// Prints ADDED, or ALREADY when the interface has the vhid.</summary>
    public static string[] CarpAliasFromRcConf(string iface, int vhid, int alias)
    {
        var rcName = HastConfGenerator.RcName(Interface(iface));
        return new[] { "sh", "-c", CarpAliasScript, "hatools-carp", rcName, alias.ToString(CultureInfo.InvariantCulture), iface, Vhid(vhid) };
    }

    // The variable name is built from validated parts only ([A-Za-z0-9_] and a number), so eval expands nothing else.
    private const string CarpAliasScript =
        "set -eu; . /etc/rc.conf.d/netif; " +
        "if ifconfig \"$3\" | grep -Eq \"[[:space:]]vhid $4[[:space:]]\"; then echo ALREADY; exit 0; fi; " +
        "eval \"a=\\${ifconfig_$1_alias$2}\"; ifconfig \"$3\" $a; echo ADDED";

    /// <summary><c>service hastd onestart|onestatus|onestop|onereload</c>: works whether or not hastd_enable is set yet.
    /// onestatus exits 0 while hastd runs, 1 when it does not.</summary>
    public static string[] Hastd(string action) =>
        action is "onestart" or "onestatus" or "onestop" or "onereload"
            ? new[] { "service", "hastd", action }
            : throw new ArgumentException("hastd actions: onestart, onestatus, onestop, onereload", nameof(action));

    /// <summary><c>service devd restart</c>: devd reads /usr/local/etc/devd/*.conf only when it starts.</summary>
    public static string[] RestartDevd() => new[] { "service", "devd", "restart" };

    /// <summary><c>sysctl -n net.inet.carp.preempt</c>: 0 or 1 (fails when the carp module is not loaded).</summary>
    public static string[] CarpPreemptRead() => new[] { "sysctl", "-n", "net.inet.carp.preempt" };

    /// <summary><c>kldload -n carp</c>: loads carp(4) unless it is loaded (rc.conf.d/kld loads it at boot).</summary>
    public static string[] KldloadCarp() => new[] { "kldload", "-n", "carp" };

    /// <summary><c>sysctl net.inet.carp.preempt=0|1</c>.</summary>
    public static string[] CarpPreempt(bool on) => new[] { "sysctl", "net.inet.carp.preempt=" + (on ? "1" : "0") };

    /// <summary>
    /// Waits on the node, polling every 0.1 s, until /dev/hast/RES is a character device (<paramref name="present"/>) or
    /// is gone, at most <paramref name="bound"/>. Its last line is PRESENT or ABSENT (the state when it stopped); exit 0
    /// when the state is the one waited for, 1 when the bound ran out. Pair it with <see cref="Bounded"/>(bound + margin).
    /// </summary>
    public static string[] WaitDevice(string resource, bool present, TimeSpan bound)
    {
        if (bound <= TimeSpan.Zero || bound > TimeSpan.FromHours(1)) throw new ArgumentOutOfRangeException(nameof(bound), "a device wait is bounded: 0.1 s to 1 h");
        var tenths = ((long)Math.Ceiling(bound.TotalSeconds * 10)).ToString(CultureInfo.InvariantCulture);
        return new[] { "sh", "-c", WaitDeviceScript, "hatools-hast", Device(resource), present ? "present" : "absent", tenths };
    }

    /// <summary>The node-side bound of <see cref="WaitDevice"/>: the wait itself plus time for ssh and the shell.</summary>
    public static TimeSpan WaitDeviceTimeout(TimeSpan bound) => bound + TimeSpan.FromSeconds(5);

    private const string WaitDeviceScript =
        "dev=$1; want=$2; n=$3; i=0; " +
        "while :; do if [ -c \"$dev\" ]; then now=PRESENT; else now=ABSENT; fi; " +
        "if [ \"$now\" = \"$(echo \"$want\" | tr a-z A-Z)\" ]; then echo \"$now\"; exit 0; fi; " +
        "if [ \"$i\" -ge \"$n\" ]; then echo \"$now\"; exit 1; fi; sleep 0.1; i=$((i+1)); done";

    /// <summary>A request with the bound every call of this stack has.</summary>
    public static CommandRequest Bounded(string[] argv, TimeSpan timeout) => new CommandRequest(argv, timeout);

    /// <summary>/dev/hast/RES.</summary>
    public static string Device(string resource) => DeviceDirectory + "/" + Resource(resource);

    public static string RoleWord(HastRole role) => role switch
    {
        HastRole.Init => "init",
        HastRole.Primary => "primary",
        HastRole.Secondary => "secondary",
        _ => throw new ArgumentOutOfRangeException(nameof(role), "a role to set is init, primary or secondary"),
    };

    /// <summary>A HAST resource name: a name that reaches a node, and one word of hast.conf (no keyword, not all digits).</summary>
    public static string Resource(string name)
    {
        Names.Require(name, "HAST resource name");
        return HastRules.TokenProblem(name, "resource") is { } why ? throw new HaException(why) { Target = name } : name;
    }

    private static string Pool(string name) =>
        HastRules.PoolNameProblem(name) is { } why ? throw new HaException(why) { Target = name } : name;

    private static string Interface(string name) =>
        SpecRules.Interface.IsMatch(name) && !name.StartsWith("-", StringComparison.Ordinal) ? name
            : throw new HaException($"invalid interface name '{Names.Printable(name)}'") { Target = name };

    private static string Vhid(int vhid) =>
        vhid is >= 1 and <= 255 ? vhid.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(vhid), "vhid is 1 to 255");
}
