using System.Collections.Generic;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hare;

/// <summary>What a cluster file of <c>stack: consul</c> says beyond the common part: the Consul agents, the services
/// started in phases (Hare's job between Consul and Motr), and the pools and profiles those services serve.</summary>
public sealed class ConsulSection
{
    public ConsulSettings Consul { get; set; } = new ConsulSettings();
    public List<ConsulService> Services { get; } = new List<ConsulService>();
    public List<ConsulPool> Pools { get; } = new List<ConsulPool>();
    public List<ConsulProfile> Profiles { get; } = new List<ConsulProfile>();

    /// <summary>Whether the node runs a Consul server agent (the others run client agents).</summary>
    public bool IsServer(string node) => Consul.Servers.Contains(node);
}

/// <summary>The <c>consul:</c> block.</summary>
public sealed class ConsulSettings : SpecElement
{
    public const string DefaultDatacenter = "dc1";

    public string Datacenter { get; set; } = DefaultDatacenter;
    /// <summary>Nodes that run a Consul server agent (Raft voters), in file order; the first one bootstraps.</summary>
    public List<string> Servers { get; } = new List<string>();
    public ConsulPorts Ports { get; set; } = new ConsulPorts();
    /// <summary>The gossip encryption key (consul keygen); null = gossip unencrypted.</summary>
    public SecretSource? Encrypt { get; set; }
    /// <summary>The ACL token HaTools sends (X-Consul-Token); null = no ACLs.</summary>
    public SecretSource? AclToken { get; set; }
}

/// <summary>Consul's ports (defaults as documented in Consul's install/ports page).</summary>
public sealed class ConsulPorts : SpecElement
{
    public const int DefaultHttp = 8500, DefaultDns = 8600, DefaultSerfLan = 8301, DefaultSerfWan = 8302, DefaultServer = 8300;

    public int Http { get; set; } = DefaultHttp;
    public int Dns { get; set; } = DefaultDns;
    public int SerfLan { get; set; } = DefaultSerfLan;
    public int SerfWan { get; set; } = DefaultSerfWan;
    public int Server { get; set; } = DefaultServer;

    public bool IsDefault => Http == DefaultHttp && Dns == DefaultDns && SerfLan == DefaultSerfLan && SerfWan == DefaultSerfWan && Server == DefaultServer;
}

/// <summary>Where a secret is read from at run time: a file (mode 0600 or 0400, checked when used) or an environment
/// variable. The cluster file never holds the secret itself, so it can be shared and committed.</summary>
public sealed class SecretSource : SpecElement
{
    /// <summary>Absolute path, or relative to the cluster file's folder.</summary>
    public string? File { get; set; }
    public string? Env { get; set; }

    public override string ToString() => File != null ? "file " + File : "env " + Env;
}

/// <summary>One service instance on one node (a Consul service with its health check), started in its phase.</summary>
public sealed class ConsulService : SpecElement
{
    /// <summary>The token in unit and command values replaced by the instance's process fid (Hare's units are
    /// <c>m0d@FID</c>, <c>s3server@FID</c>).</summary>
    public const string FidToken = "{fid}";

    /// <summary>The Consul service name (hax, confd, ios, s3server, m0_client, or any other).</summary>
    public string Name { get; set; } = "";
    /// <summary>Unique per node; defaults to <see cref="Name"/>.</summary>
    public string Id { get; set; } = "";
    public string Node { get; set; } = "";
    /// <summary>The systemd unit that runs it; exactly one of Unit, Command, External.</summary>
    public string? Unit { get; set; }
    /// <summary>An argv that starts it (no shell).</summary>
    public List<string>? Command { get; set; }
    /// <summary>Registered in Consul and the KV but started by someone else (Motr's m0_client processes).</summary>
    public bool External { get; set; }
    /// <summary>Run once before the first start with -Mkfs: a unit or an argv.</summary>
    public string? MkfsUnit { get; set; }
    public List<string>? MkfsCommand { get; set; }
    public HealthCheck Health { get; set; } = new HealthCheck();
    /// <summary>1-based; phases run in order, the services of one phase on all their nodes together. 0 for external ones.</summary>
    public int Phase { get; set; }
    /// <summary>Block devices it serves (Motr IO services).</summary>
    public List<string> Disks { get; } = new List<string>();
}

public enum HealthKind
{
    /// <summary><c>systemctl is-active UNIT</c>: active or deactivating = passing, failed = critical, else warning (Hare's check-service).</summary>
    Unit,
    Tcp,
    Http,
    Script,
}

public sealed class HealthCheck : SpecElement
{
    public const string DefaultInterval = "1s";

    public HealthKind Kind { get; set; } = HealthKind.Unit;
    /// <summary>Tcp: host:port; Http: URL.</summary>
    public string? Target { get; set; }
    /// <summary>Script: the argv.</summary>
    public List<string>? Args { get; set; }
    public string Interval { get; set; } = DefaultInterval;
    public string? Timeout { get; set; }

    public bool IsDefault => Kind == HealthKind.Unit && Interval == DefaultInterval && Timeout == null;
}

/// <summary>A Motr storage pool (N data + K parity units over the disks of the IO services).</summary>
public sealed class ConsulPool : SpecElement
{
    public string Name { get; set; } = "";
    public int DataUnits { get; set; }
    public int ParityUnits { get; set; }
    public int? SpareUnits { get; set; }
}

public sealed class ConsulProfile : SpecElement
{
    public string Name { get; set; } = "";
    public List<string> Pools { get; } = new List<string>();
}
