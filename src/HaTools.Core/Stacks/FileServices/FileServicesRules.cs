using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>What smb.conf, ganesha.conf, CTDB and the resource agents accept, checked before anything is generated. Pure
/// functions: null when the value is fine, otherwise the reason, worded for the operator.</summary>
internal static class FileServicesRules
{
    private const RegexOptions Opt = RegexOptions.CultureInvariant;

    /// <summary>stay: a moved address stays where it went when its node comes back (one interruption for its clients);
    /// return-home: it goes back to its home node, so the addresses are spread evenly again (a second, short
    /// interruption). Every address has a home (given, or the serving nodes in turn). There is no third, home-less
    /// "rebalance" policy: Pacemaker's scheduler assigns addresses one after another, and without homes it moved an
    /// address whose node had not failed to make room for one that had (crm_simulate, 3 nodes, stickiness 0 or 50).</summary>
    public static readonly string[] FailbackPolicies = { "stay", "return-home" };
    public const string DefaultFailback = "stay";

    public static readonly string[] Access = { "ro", "rw" };
    public static readonly string[] Squash = { "root", "none", "all" };

    /// <summary>Filesystems the Filesystem agent lets a clone mount on several nodes at once (its CLUSTERSAFE list); a local
    /// filesystem (ext4, xfs) mounted on two nodes at once is corrupted, and the agent refuses it.</summary>
    public static readonly string[] ClusterFstypes = { "nfs", "nfs4", "glusterfs", "ceph", "gfs2", "ocfs2", "lustre", "cifs" };

    /// <summary>
    /// CTDB's keepalive: a peer that stops answering is marked DISCONNECTED after about interval × (limit + 1) seconds,
    /// and smbd on every node, behind every address, waits for that and the recovery that follows. Measured in this lab
    /// with the holder of an address killed (lab notes, "File services"): CTDB's own 5 × 5 gave SMB back after 27–30 s,
    /// 2 × 3 after 8 s, 1 × 3 after 5 s but a 6 s stall of one ctdbd then caused two cluster-wide recoveries (SMB stalls on
    /// every node) with no node lost. 2 × 3 meets the 10 s goal and stays clear of that: it is the default.
    /// </summary>
    public const int DefaultKeepaliveInterval = 2;
    public const int DefaultKeepaliveLimit = 3;

    /// <summary>Below this many seconds of detection (interval × (limit + 1)), a short stall of one ctdbd is taken for a
    /// dead node (measured: 1 × 3, 4 s, recovered twice on a 6 s stall).</summary>
    public const int SpuriousRecoveryBelowSeconds = 8;

    /// <summary>NFSv4 grace and lease. Ganesha's own defaults (90 s grace, 60 s lease) keep a restarted ganesha refusing
    /// new opens for 90 s; a moved address lands on a ganesha that did not restart and has no grace to run, so these
    /// matter after a restart: 10 s each keeps that short while a client's lease still outlives a failover.</summary>
    public const int DefaultGracePeriod = 10;
    public const int DefaultLeaseLifetime = 10;

    /// <summary>Shares Samba gives a meaning of their own (and IPC$, which it makes itself).</summary>
    private static readonly string[] ReservedShares = { "global", "homes", "printers", "print$", "ipc$" };

    // Share names go into "[NAME]" lines: no brackets, no line breaks, no ';' or '#' (comment starters); a trailing '$'
    // makes a hidden share.
    private static readonly Regex ShareName = new Regex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}\$?\z", Opt);
    private static readonly Regex Netbios = new Regex(@"\A[A-Za-z0-9][A-Za-z0-9-]{0,14}\z", Opt);
    private static readonly Regex Workgroup = new Regex(@"\A[A-Za-z0-9][A-Za-z0-9_-]{0,14}\z", Opt);
    private static readonly Regex UserName = new Regex(@"\A[A-Za-z_][A-Za-z0-9_.-]{0,31}\z", Opt);
    // Paths go into smb.conf (unquoted values) and ganesha.conf (double-quoted strings) and into argv: a safe subset.
    private static readonly Regex SafePath = new Regex(@"\A/[A-Za-z0-9._/+@:-]*\z", Opt);
    private static readonly Regex MountDevice = new Regex(@"\A[A-Za-z0-9._/+@:=,\[\]-]+\z", Opt);
    private static readonly Regex MountOptions = new Regex(@"\A[A-Za-z0-9._/+@:=,-]+\z", Opt);
    private static readonly Regex ClientHost = new Regex(@"\A[A-Za-z0-9*?]([A-Za-z0-9*?.-]{0,252})\z", Opt);

    public static string? PathProblem(string s, string what)
    {
        var p = SpecRules.PathProblem(s, mustBeAbsolute: true);
        if (p != null) return p;
        if (!SafePath.IsMatch(s) || s.Split('/').Any(x => x == ".." || x == "."))
            return $"{what} '{Names.Printable(s)}' may hold only letters, digits and . _ / + @ : - (no '.' or '..' parts)";
        if (s.Length > 1 && s.EndsWith("/", StringComparison.Ordinal))
            return $"{what} '{Names.Printable(s)}' ends with '/'; write it without";
        return null;
    }

    public static string? SharedPathProblem(string s) =>
        PathProblem(s, "shared path") ?? (s == "/" ? "the shared path cannot be '/': give the folder every node sees on the shared filesystem" : null);

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    public static string? ShareNameProblem(string s)
    {
        if (!ShareName.IsMatch(s))
            return $"invalid share name '{Names.Printable(s)}': 1 to 63 of letters, digits, '_', '.', '-' (starting with a letter, digit or '_'), optionally ending with '$' for a hidden share";
        if (ReservedShares.Contains(s.ToLowerInvariant()))
            return $"'{Names.Printable(s)}' is a name Samba reserves ([global], [homes], [printers], print$, IPC$); choose another";
        return null;
    }

    public static string? NetbiosProblem(string s) =>
        Netbios.IsMatch(s) ? null : $"invalid NetBIOS name '{Names.Printable(s)}': 1 to 15 letters, digits and '-', starting with a letter or digit";

    public static string? WorkgroupProblem(string s) =>
        Workgroup.IsMatch(s) ? null : $"invalid workgroup '{Names.Printable(s)}': 1 to 15 letters, digits, '_' and '-', starting with a letter or digit";

    public static string? UserProblem(string s) =>
        UserName.IsMatch(s) ? null : $"invalid user name '{Names.Printable(s)}': use letters, digits, '_', '.', '-' (at most 32, not starting with a digit or '-')";

    public static string? MountDeviceProblem(string s) =>
        s.Length > 0 && s.Length <= 1024 && MountDevice.IsMatch(s) && !s.StartsWith("-", StringComparison.Ordinal)
            ? null
            : $"invalid device '{Names.Printable(s)}': letters, digits and . _ / + @ : = , [ ] - (host:/path, /dev/…, or what the filesystem takes), not starting with '-'";

    public static string? MountOptionsProblem(string s) =>
        s.Length <= 1024 && MountOptions.IsMatch(s)
            ? null
            : $"invalid mount options '{Names.Printable(s)}': one comma-separated list of letters, digits and . _ / + @ : = - (as mount -o takes it)";

    public static string? MountFstypeProblem(string s) =>
        ClusterFstypes.Contains(s)
            ? null
            : $"fstype '{Names.Printable(s)}' cannot be mounted on every serving node at once: a clone mounts it everywhere; use one of {string.Join(", ", ClusterFstypes)}, or give only the path of a filesystem the nodes already share" + SpecRules.Hint(s, ClusterFstypes);

    /// <summary>An NFS client: an address, a network (address/prefix), a host name (wildcards allowed) or '*'.</summary>
    public static string? ClientProblem(string s)
    {
        if (s == "*") return null;
        if (s.IndexOf('/') >= 0) return TryCidr(s, out _, out _) ? null : $"invalid client network '{Names.Printable(s)}': write ADDRESS/PREFIX (198.18.0.0/24)";
        if (IPAddress.TryParse(s, out _) && SpecRules.AddressProblem(s) == null) return null;
        if (ClientHost.IsMatch(s) && !s.All(c => char.IsDigit(c) || c == '.')) return null;
        return $"invalid client '{Names.Printable(s)}': an IP address, a network (198.18.0.0/24), a host name (wildcards * ?) or *";
    }

    /// <summary>ADDRESS/PREFIX with a valid address and a prefix in range.</summary>
    public static bool TryCidr(string s, out string address, out int prefix)
    {
        address = "";
        prefix = 0;
        var i = s.IndexOf('/');
        if (i <= 0) return false;
        var a = s.Substring(0, i);
        var p = s.Substring(i + 1);
        if (SpecRules.AddressProblem(a) != null || !IPAddress.TryParse(a, out var ip)) return false;
        var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (p.Length == 0 || p.Length > 3 || !p.All(char.IsDigit) || (p.Length > 1 && p[0] == '0')) return false;
        var n = int.Parse(p, CultureInfo.InvariantCulture);
        if (n > max) return false;
        address = ip.ToString();
        prefix = n;
        return true;
    }

    /// <summary>Why a floating address is not ADDRESS/PREFIX of a unicast host, or null.</summary>
    public static string? VipProblem(string s)
    {
        if (!TryCidr(s, out var a, out var prefix))
            return $"invalid address '{Names.Printable(s)}': write the address with its prefix (198.18.0.101/24)";
        var ip = IPAddress.Parse(a);
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            if (b[0] == 0 || b[0] == 127 || b[0] >= 224) return $"'{a}' is not a unicast host address";
            if (prefix < 31 && (HostBitsAll(a, prefix, false) || HostBitsAll(a, prefix, true)))
                return $"'{a}' is the {(HostBitsAll(a, prefix, false) ? "network" : "broadcast")} address of /{prefix}";
        }
        else if (IPAddress.IsLoopback(ip) || ip.IsIPv6Multicast)
            return $"'{a}' is not a unicast host address";
        return null;
    }

    /// <summary>Every host bit of an IPv4 address below /prefix is one (broadcast) or zero (network).</summary>
    private static bool HostBitsAll(string a, int prefix, bool ones)
    {
        var b = IPAddress.Parse(a).GetAddressBytes();
        for (var bit = prefix; bit < 32; bit++)
            if (((b[bit / 8] & (0x80 >> (bit % 8))) != 0) != ones) return false;
        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in <paramref name="network"/>/<paramref name="prefix"/>
    /// (same family); false for a host name.</summary>
    public static bool InNetwork(string address, string network, int prefix)
    {
        if (!IPAddress.TryParse(address, out var a) || !IPAddress.TryParse(network, out var n) || a.AddressFamily != n.AddressFamily) return false;
        var x = a.GetAddressBytes();
        var y = n.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var m = 0x80 >> (bit % 8);
            if ((x[bit / 8] & m) != (y[bit / 8] & m)) return false;
        }
        return true;
    }

    /// <summary>The address <paramref name="n"/> after <paramref name="address"/> (IPv4 or IPv6), or null past the end.</summary>
    public static string? Offset(string address, int n)
    {
        var b = IPAddress.Parse(address).GetAddressBytes();
        var carry = n;
        for (var i = b.Length - 1; i >= 0 && carry > 0; i--)
        {
            var v = b[i] + carry;
            b[i] = (byte)(v & 0xff);
            carry = v >> 8;
        }
        return carry > 0 ? null : new IPAddress(b).ToString();
    }

    public static bool IsIp(string s) => s != "local" && IPAddress.TryParse(s, out _) && SpecRules.AddressProblem(s) == null;
}
