using System.Collections.Generic;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hast;

/// <summary>What a cluster file of <c>stack: hast</c> says beyond the common part: the HAST resources (<c>hast:</c>), the
/// CARP address (<c>carp:</c>), the ZFS pool on /dev/hast/* (<c>zfs:</c>) and the failover options (<c>failover:</c>).
/// Per-node values are keyed by node name (the names hastd matches in its <c>on</c> blocks).</summary>
public sealed class HastSection
{
    public HastSpec Hast { get; set; } = new HastSpec();
    public CarpSpec Carp { get; set; } = new CarpSpec();
    public ZfsPoolSpec Zfs { get; set; } = new ZfsPoolSpec();
    public FailoverSpec Failover { get; set; } = new FailoverSpec();
}

/// <summary>hast.conf's global settings and resources. A setting left out is left to hastd's default (written nowhere).</summary>
public sealed class HastSpec : SpecElement
{
    /// <summary>memsync | fullsync | async; null = hastd's default (memsync).</summary>
    public string? Replication { get; set; }
    /// <summary>none | crc32 | sha256; null = hastd's default (none).</summary>
    public string? Checksum { get; set; }
    /// <summary>hole | none | lzf; null = hastd's default (hole).</summary>
    public string? Compression { get; set; }
    /// <summary>Seconds; null = hastd's default (20).</summary>
    public int? Timeout { get; set; }
    /// <summary>Replication address per node (the <c>remote</c> of the other node's block); a node left out replicates
    /// over its <c>address</c>.</summary>
    public Dictionary<string, string> Addresses { get; } = new Dictionary<string, string>();
    public List<HastResourceSpec> Resources { get; } = new List<HastResourceSpec>();
}

public sealed class HastResourceSpec : SpecElement
{
    /// <summary>The resource name; also its device /dev/hast/NAME.</summary>
    public string Name { get; set; } = "";
    /// <summary>The local provider per node (a GEOM provider or a file).</summary>
    public Dictionary<string, string> Local { get; } = new Dictionary<string, string>();
    /// <summary>True when the file gave one path for every node (written back that way).</summary>
    public bool LocalSameOnAllNodes { get; set; }
    public string? Replication { get; set; }
    public string? Checksum { get; set; }
    public string? Compression { get; set; }
    public int? Timeout { get; set; }

    public string Device => "/dev/hast/" + Name;
}

/// <summary>The CARP address that follows the primary. The password is never in the file: it names where to read it.</summary>
public sealed class CarpSpec : SpecElement
{
    public string Interface { get; set; } = "";
    public int Vhid { get; set; }
    /// <summary>The virtual address as written, with its prefix: 192.0.2.50/32.</summary>
    public string Address { get; set; } = "";
    /// <summary>Seconds between advertisements (ifconfig advbase); null = the kernel's default (1).</summary>
    public int? Advbase { get; set; }
    /// <summary>advskew per node as written; a node left out gets <see cref="DefaultAdvskew"/>.</summary>
    public Dictionary<string, int> Advskew { get; } = new Dictionary<string, int>();
    /// <summary>A file on this machine (mode 0600 or 0400) whose first line is the password; relative to the cluster file.</summary>
    public string? PasswordFile { get; set; }
    /// <summary>An environment variable of the HaTools process that holds the password.</summary>
    public string? PasswordEnv { get; set; }
    /// <summary>alias number in ifconfig_IF_aliasN (rc.conf aliases must start at 0 and be contiguous).</summary>
    public int AliasIndex { get; set; }

    /// <summary>The first node is the preferred master (advskew 0), the second 100.</summary>
    public static int DefaultAdvskew(int nodeIndex) => nodeIndex == 0 ? 0 : 100;
}

public sealed class ZfsPoolSpec : SpecElement
{
    public string Pool { get; set; } = "";
    public List<VdevSpec> Vdevs { get; } = new List<VdevSpec>();
    /// <summary>wait | continue | panic (zpool failmode); null = ZFS's default (wait).</summary>
    public string? Failmode { get; set; }
}

public sealed class VdevSpec : SpecElement
{
    /// <summary>stripe | mirror | raidz1 | raidz2 | raidz3.</summary>
    public string Type { get; set; } = "stripe";
    /// <summary>HAST resource names; the vdev's devices are /dev/hast/NAME.</summary>
    public List<string> Resources { get; } = new List<string>();
}

public sealed class FailoverSpec : SpecElement
{
    /// <summary>Install the CARP event hook that switches roles on MASTER/BACKUP.</summary>
    public bool Automatic { get; set; } = true;
    /// <summary>How long to wait for /dev/hast/NAME after a role change, seconds.</summary>
    public int DeviceTimeout { get; set; } = 30;
    /// <summary>How long to wait for the peer's secondary worker to go away before promoting, seconds.</summary>
    public int PeerTimeout { get; set; } = 30;
    /// <summary>net.inet.carp.preempt: off by default, so that a returning node does not take the VIP (and the pool) back.</summary>
    public bool Preempt { get; set; }
}
