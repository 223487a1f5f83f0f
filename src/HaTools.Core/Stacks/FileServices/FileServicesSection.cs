using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>
/// The <c>file_services:</c> section of a <c>stack: pacemaker</c> cluster file: the same data served over SMB (Samba on
/// CTDB) and NFSv4 (NFS-Ganesha) from every serving node, behind floating addresses that Pacemaker moves. File services
/// compose Pacemaker: everything here becomes generated configuration files and resources of that cluster's CIB.
/// </summary>
public sealed class FileServicesSpec : SpecElement
{
    /// <summary>The file has a file_services: section (a spec built in memory sets it).</summary>
    public bool Declared { get; set; }

    public SharedFsSpec Shared { get; set; } = new SharedFsSpec();

    /// <summary>The serving nodes as written; empty = every node of the cluster.</summary>
    public List<string> Nodes { get; } = new List<string>();

    public SmbSpec Smb { get; set; } = new SmbSpec();
    public NfsSpec Nfs { get; set; } = new NfsSpec();

    /// <summary>The floating addresses in range form (<c>vips: { first: …, count: … }</c>); null when they are listed.</summary>
    public VipRangeSpec? VipRange { get; set; }
    /// <summary>The floating addresses as listed (<c>vips: [ … ]</c>); empty in range form.</summary>
    public List<VipSpec> VipList { get; } = new List<VipSpec>();

    /// <summary>stay | return-home (see <see cref="FileServicesRules.FailbackPolicies"/>).</summary>
    public string Failback { get; set; } = FileServicesRules.DefaultFailback;

    public CtdbSpec Ctdb { get; set; } = new CtdbSpec();

    public bool HasSmb => Smb.Shares.Count > 0;
    public bool HasNfs => Nfs.Exports.Count > 0;
}

/// <summary>The filesystem every serving node sees at one path: already shared (a cluster filesystem or a bind mount the
/// nodes have), or mounted by Pacemaker on every serving node (a Filesystem clone) when <see cref="Mount"/> is given.</summary>
public sealed class SharedFsSpec : SpecElement
{
    public string Path { get; set; } = "";
    public MountSpec? Mount { get; set; }
}

public sealed class MountSpec : SpecElement
{
    public string Device { get; set; } = "";
    public string Fstype { get; set; } = "";
    /// <summary>mount -o, as one comma-separated string; null = none.</summary>
    public string? Options { get; set; }
}

public sealed class SmbSpec : SpecElement
{
    /// <summary>The one NetBIOS name every node answers to; null = the cluster name in upper case.</summary>
    public string? NetbiosName { get; set; }
    /// <summary>null = Samba's default (WORKGROUP).</summary>
    public string? Workgroup { get; set; }
    public List<SmbShareSpec> Shares { get; } = new List<SmbShareSpec>();
}

public sealed class SmbShareSpec : SpecElement
{
    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    /// <summary>Samba's own default is read only = yes; so is HaTools'.</summary>
    public bool ReadOnly { get; set; } = true;
    /// <summary>guest ok = yes: no account needed (map to guest = Bad User in [global]).</summary>
    public bool Guest { get; set; }
    /// <summary>valid users; empty = any authenticated user (or anyone, with <see cref="Guest"/>).</summary>
    public List<string> Users { get; } = new List<string>();
}

public sealed class NfsSpec : SpecElement
{
    /// <summary>NFSv4 Grace_Period in seconds; null = HaTools' default (<see cref="FileServicesRules.DefaultGracePeriod"/>).</summary>
    public int? GracePeriod { get; set; }
    /// <summary>NFSv4 Lease_Lifetime in seconds; null = HaTools' default (<see cref="FileServicesRules.DefaultLeaseLifetime"/>).</summary>
    public int? LeaseLifetime { get; set; }
    /// <summary>NFSv4 Graceless: no grace period at all after a start (clients cannot reclaim their locks).</summary>
    public bool? Graceless { get; set; }
    public List<NfsExportSpec> Exports { get; } = new List<NfsExportSpec>();

    public int GraceSeconds => GracePeriod ?? FileServicesRules.DefaultGracePeriod;
    public int LeaseSeconds => LeaseLifetime ?? FileServicesRules.DefaultLeaseLifetime;
}

public sealed class NfsExportSpec : SpecElement
{
    /// <summary>Export_Id as written; null = its position in the list + 1.</summary>
    public int? Id { get; set; }
    public string Path { get; set; } = "";
    /// <summary>The NFSv4 pseudo path; null = <see cref="Path"/>.</summary>
    public string? Pseudo { get; set; }
    /// <summary>ro | rw.</summary>
    public string Access { get; set; } = "ro";
    /// <summary>root | none | all.</summary>
    public string Squash { get; set; } = "root";
    /// <summary>Who may mount (addresses, networks, host names); empty = everyone.</summary>
    public List<string> Clients { get; } = new List<string>();

    public string PseudoPath => Pseudo ?? Path;
}

/// <summary><c>vips: { first: 198.18.0.101/24, count: 3, interface: eth0 }</c>: consecutive addresses, one per serving node
/// unless <see cref="Count"/> says otherwise.</summary>
public sealed class VipRangeSpec : SpecElement
{
    /// <summary>The first address with its prefix, as written.</summary>
    public string First { get; set; } = "";
    public int? Count { get; set; }
    public string? Interface { get; set; }
}

public sealed class VipSpec : SpecElement
{
    /// <summary>The Pacemaker resource id; "" = vipN by position.</summary>
    public string Name { get; set; } = "";
    /// <summary>Address with its prefix, as written (198.18.0.101/24).</summary>
    public string Address { get; set; } = "";
    public string? Interface { get; set; }
    /// <summary>The node it prefers (where it starts; where it returns under return-home); "" = the serving nodes in turn.</summary>
    public string Home { get; set; } = "";
}

/// <summary>CTDB's settings. The keepalive pair decides how fast a dead node is noticed, and so how long SMB stalls.</summary>
public sealed class CtdbSpec : SpecElement
{
    public int? KeepaliveInterval { get; set; }
    public int? KeepaliveLimit { get; set; }
    /// <summary>The cluster (recovery) lock file on the shared filesystem; null = the default under the shared path.</summary>
    public string? RecoveryLock { get; set; }

    public int Interval => KeepaliveInterval ?? FileServicesRules.DefaultKeepaliveInterval;
    public int Limit => KeepaliveLimit ?? FileServicesRules.DefaultKeepaliveLimit;
}

/// <summary>One floating address after defaults: its resource name, address, prefix, interface and home node.</summary>
public sealed class ResolvedVip
{
    public ResolvedVip(string name, string address, int prefix, string? iface, string? home)
    {
        Name = name;
        Address = address;
        Prefix = prefix;
        Interface = iface;
        Home = home;
    }

    public string Name { get; }
    public string Address { get; }
    public int Prefix { get; }
    public string? Interface { get; }
    public string? Home { get; }
}

/// <summary>What the section means once defaults are applied: the serving nodes, the floating addresses, the CTDB lock.</summary>
public static class FileServicesModel
{
    /// <summary>The section of <paramref name="spec"/>, or null when the file has none.</summary>
    public static FileServicesSpec? Of(ClusterSpec spec) =>
        spec.Section<FileServicesSpec>() is { Declared: true } fs ? fs : null;

    /// <summary>The serving nodes in the order of nodes: (CTDB appends new nodes in that order).</summary>
    public static IReadOnlyList<NodeSpec> ServingNodes(ClusterSpec spec, FileServicesSpec fs) =>
        fs.Nodes.Count == 0 ? spec.Nodes : spec.Nodes.Where(n => fs.Nodes.Contains(n.Name)).ToList();

    /// <summary>The recovery lock: as written, else SHARED/.ctdb/reclock on an already-shared path (the folder is made once
    /// and is the proof on every start that the node sees the shared filesystem: a node without it is refused by the CTDB
    /// agent instead of taking a lock of its own), else MOUNT/.ctdb.reclock on a mounted one (Pacemaker starts CTDB only
    /// after the mount, and the mount's root needs no folder made after it).</summary>
    public static string RecoveryLock(FileServicesSpec fs) =>
        fs.Ctdb.RecoveryLock ?? (fs.Shared.Mount == null ? Join(fs.Shared.Path, ".ctdb/reclock") : Join(fs.Shared.Path, ".ctdb.reclock"));

    /// <summary>The folder of the recovery lock that HaTools makes on an already-shared path; null for a mount.</summary>
    public static string? LockFolder(FileServicesSpec fs)
    {
        if (fs.Shared.Mount != null) return null;
        var l = RecoveryLock(fs);
        var i = l.LastIndexOf('/');
        return i > 0 ? l.Substring(0, i) : null;
    }

    public static string NetbiosName(ClusterSpec spec, FileServicesSpec fs) => fs.Smb.NetbiosName ?? spec.Name.ToUpperInvariant();

    /// <summary>The floating addresses with names, prefixes, interfaces and homes filled in (an invalid entry is left out:
    /// the checks report it).</summary>
    public static IReadOnlyList<ResolvedVip> Vips(ClusterSpec spec, FileServicesSpec fs)
    {
        var serving = ServingNodes(spec, fs);
        var commonIface = serving.Select(n => n.DataIface).Distinct().Count() == 1 ? serving.FirstOrDefault()?.DataIface : null;
        string? Home(int i, string given) => given.Length > 0 ? given : serving.Count > 0 ? serving[i % serving.Count].Name : null;
        var list = new List<ResolvedVip>();
        if (fs.VipRange is { } r)
        {
            if (!FileServicesRules.TryCidr(r.First, out var first, out var prefix)) return list;
            var count = r.Count ?? serving.Count;
            for (var i = 0; i < count; i++)
            {
                var a = FileServicesRules.Offset(first, i);
                if (a == null) break;
                list.Add(new ResolvedVip("vip" + (i + 1), a, prefix, r.Interface ?? commonIface, Home(i, "")));
            }
            return list;
        }
        for (var i = 0; i < fs.VipList.Count; i++)
        {
            var v = fs.VipList[i];
            if (!FileServicesRules.TryCidr(v.Address, out var a, out var prefix)) continue;
            list.Add(new ResolvedVip(v.Name.Length > 0 ? v.Name : "vip" + (i + 1), a, prefix, v.Interface ?? commonIface, Home(i, v.Home)));
        }
        return list;
    }

    private static string Join(string dir, string rest) => dir.TrimEnd('/') + "/" + rest;
}
