using System.Collections.Generic;

namespace HaTools.Core.Spec;

/// <summary>Where a value came from in the cluster file (1-based). Line 0 means "not from a file".</summary>
public sealed class SourcePosition
{
    public SourcePosition(string file, int line, int column)
    {
        File = file;
        Line = line;
        Column = column;
    }

    public string File { get; }
    public int Line { get; }
    public int Column { get; }

    public static SourcePosition None { get; } = new SourcePosition("", 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>Base of every element read from the cluster file: it knows where it was written.</summary>
public abstract class SpecElement
{
    public SourcePosition Position { get; set; } = SourcePosition.None;

    /// <summary>Positions of individual fields (key = field name as written in YAML, e.g. "address").</summary>
    public Dictionary<string, SourcePosition> FieldPositions { get; } = new Dictionary<string, SourcePosition>();

    public SourcePosition PositionOf(string field) =>
        FieldPositions.TryGetValue(field, out var p) ? p : Position;
}

public enum StackKind
{
    Pacemaker,
    Consul,
    Hast,
}

public enum HostKeyPolicy
{
    /// <summary>Unknown or changed host key: refused. The default.</summary>
    Strict,
    /// <summary>Unknown key: pinned into known_hosts. Changed key: still refused.</summary>
    AcceptNew,
}

/// <summary>cluster.yaml, as read and validated.</summary>
public sealed class ClusterSpec : SpecElement
{
    /// <summary>The file this spec was read from (absolute), or empty when built in memory.</summary>
    public string SourceFile { get; set; } = "";
    public string Name { get; set; } = "";
    public StackKind Stack { get; set; } = StackKind.Pacemaker;
    private string? _stackName;
    /// <summary>The stack's registry name (<c>stack:</c> as written: pacemaker, consul, hast). Follows <see cref="Stack"/>
    /// unless set; only a spec built in memory (a test stack) sets a name the enum does not have.</summary>
    public string StackName
    {
        get => _stackName ?? Stack.ToString().ToLowerInvariant();
        set => _stackName = value;
    }
    /// <summary>Defaults for every node's ssh settings; a node's own ssh block overrides field by field.</summary>
    public SshSpec Ssh { get; set; } = new SshSpec();
    public List<NodeSpec> Nodes { get; } = new List<NodeSpec>();
    public StorageSpec Storage { get; set; } = new StorageSpec();

    private readonly Dictionary<System.Type, object> _sections = new Dictionary<System.Type, object>();

    /// <summary>The part of the file a stack owns, as that stack's own type (made empty on first use). The common part
    /// above is every stack's; a new stack adds a section type of its own instead of fields here.</summary>
    public T Section<T>() where T : class, new()
    {
        lock (_sections)
        {
            if (!_sections.TryGetValue(typeof(T), out var s)) _sections[typeof(T)] = s = new T();
            return (T)s;
        }
    }

    /// <summary>The sections of stack: pacemaker (corosync, quorum, properties, defaults, resources, groups, clones,
    /// constraints). The properties below forward to it, as they were before sections existed.</summary>
    public PacemakerSection Pacemaker => Section<PacemakerSection>();

    public CorosyncSpec Corosync { get => Pacemaker.Corosync; set => Pacemaker.Corosync = value; }
    public QuorumSpec Quorum { get => Pacemaker.Quorum; set => Pacemaker.Quorum = value; }
    /// <summary>crm_config cluster properties (stonith-enabled, no-quorum-policy, …), values as written.</summary>
    public Dictionary<string, string> Properties => Pacemaker.Properties;
    public Dictionary<string, string> RscDefaults => Pacemaker.RscDefaults;
    public Dictionary<string, string> OpDefaults => Pacemaker.OpDefaults;
    public List<PrimitiveSpec> Resources => Pacemaker.Resources;
    public List<GroupSpec> Groups => Pacemaker.Groups;
    public List<CloneSpec> Clones => Pacemaker.Clones;
    public ConstraintsSpec Constraints { get => Pacemaker.Constraints; set => Pacemaker.Constraints = value; }
    /// <summary>Warnings found when the file was read (errors throw instead); empty for a spec built in memory.</summary>
    public List<HaTools.Core.Model.SpecProblem> Warnings { get; } = new List<HaTools.Core.Model.SpecProblem>();
}

/// <summary>What a cluster file of stack: pacemaker says beyond the common part.</summary>
public sealed class PacemakerSection
{
    public CorosyncSpec Corosync { get; set; } = new CorosyncSpec();
    public QuorumSpec Quorum { get; set; } = new QuorumSpec();
    /// <summary>crm_config cluster properties (stonith-enabled, no-quorum-policy, …), values as written.</summary>
    public Dictionary<string, string> Properties { get; } = new Dictionary<string, string>();
    public Dictionary<string, string> RscDefaults { get; } = new Dictionary<string, string>();
    public Dictionary<string, string> OpDefaults { get; } = new Dictionary<string, string>();
    public List<PrimitiveSpec> Resources { get; } = new List<PrimitiveSpec>();
    public List<GroupSpec> Groups { get; } = new List<GroupSpec>();
    public List<CloneSpec> Clones { get; } = new List<CloneSpec>();
    public ConstraintsSpec Constraints { get; set; } = new ConstraintsSpec();
}

public sealed class SshSpec : SpecElement
{
    public string? User { get; set; }
    public int? Port { get; set; }
    /// <summary>Private key file; relative paths are resolved against the cluster file's folder by the loader.</summary>
    public string? Identity { get; set; }
    public string? KnownHosts { get; set; }
    public HostKeyPolicy? HostKeyPolicy { get; set; }
    public int? ConnectTimeoutSec { get; set; }
    /// <summary>The client that carries commands (RunnerFactory.Transports); null = RunnerFactory.Default.</summary>
    public string? Transport { get; set; }
}

public sealed class NodeSpec : SpecElement
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    /// <summary>Corosync node id; 1-based position in the list when not given.</summary>
    public int? NodeId { get; set; }
    public string? DataIface { get; set; }
    public SshSpec Ssh { get; set; } = new SshSpec();
}

public sealed class CorosyncSpec : SpecElement
{
    public string Transport { get; set; } = "knet";
    /// <summary>Token timeout in milliseconds (corosync totem.token); null = HaTools' default.</summary>
    public int? Token { get; set; }
    public int? Consensus { get; set; }
    public bool Crypto { get; set; } = true;
    public string CryptoCipher { get; set; } = "aes256";
    public string CryptoHash { get; set; } = "sha256";
}

public sealed class QuorumSpec : SpecElement
{
    public bool? TwoNode { get; set; }
    public bool? WaitForAll { get; set; }
    public int? ExpectedVotes { get; set; }
}

public sealed class OperationSpec : SpecElement
{
    public string Name { get; set; } = "monitor";
    /// <summary>As written (e.g. "10s", "0", "1min"); validated.</summary>
    public string Interval { get; set; } = "0";
    public string? Timeout { get; set; }
    public string? Role { get; set; }
}

public sealed class PrimitiveSpec : SpecElement
{
    public string Name { get; set; } = "";
    /// <summary>class:provider:type (ocf:heartbeat:IPaddr2) or class:type (systemd:nginx, stonith:fence_xvm).</summary>
    public string Agent { get; set; } = "";
    public Dictionary<string, string> Params { get; } = new Dictionary<string, string>();
    public Dictionary<string, string> Meta { get; } = new Dictionary<string, string>();
    public List<OperationSpec> Ops { get; } = new List<OperationSpec>();

    public string AgentClass => Agent.Split(':')[0];
    public string? AgentProvider { get { var p = Agent.Split(':'); return p.Length == 3 ? p[1] : null; } }
    public string AgentType { get { var p = Agent.Split(':'); return p[p.Length - 1]; } }
}

public sealed class GroupSpec : SpecElement
{
    public string Name { get; set; } = "";
    public List<string> Resources { get; } = new List<string>();
    public Dictionary<string, string> Meta { get; } = new Dictionary<string, string>();
}

public sealed class CloneSpec : SpecElement
{
    public string Name { get; set; } = "";
    /// <summary>The primitive or group that is cloned.</summary>
    public string Resource { get; set; } = "";
    public bool Promotable { get; set; }
    public Dictionary<string, string> Meta { get; } = new Dictionary<string, string>();
}

public sealed class ConstraintsSpec : SpecElement
{
    public List<LocationSpec> Location { get; } = new List<LocationSpec>();
    public List<ColocationSpec> Colocation { get; } = new List<ColocationSpec>();
    public List<OrderSpec> Order { get; } = new List<OrderSpec>();
}

public sealed class LocationSpec : SpecElement
{
    /// <summary>Constraint id; generated (loc-RES-NODE) when not given.</summary>
    public string Id { get; set; } = "";
    public string Resource { get; set; } = "";
    /// <summary>The node named by prefers: or avoids:.</summary>
    public string Node { get; set; } = "";
    /// <summary>true for avoids: (score is negated).</summary>
    public bool Avoids { get; set; }
    /// <summary>Pacemaker score as written: integer, INFINITY, -INFINITY, +INFINITY. Default INFINITY.</summary>
    public string Score { get; set; } = "INFINITY";

    /// <summary>The id given when the file names none: loc-RES-NODE, or loc-RES-avoid-NODE for avoids.</summary>
    public string DefaultId => Avoids ? $"loc-{Resource}-avoid-{Node}" : $"loc-{Resource}-{Node}";
}

public sealed class ColocationSpec : SpecElement
{
    public string Id { get; set; } = "";
    /// <summary>The dependent resource (placed relative to With).</summary>
    public string Resource { get; set; } = "";
    public string With { get; set; } = "";
    public string Score { get; set; } = "INFINITY";

    /// <summary>The id given when the file names none: col-RES-WITH.</summary>
    public string DefaultId => $"col-{Resource}-{With}";
}

public sealed class OrderSpec : SpecElement
{
    public string Id { get; set; } = "";
    public string First { get; set; } = "";
    public string Then { get; set; } = "";
    /// <summary>Mandatory | Optional | Serialize.</summary>
    public string Kind { get; set; } = "Mandatory";

    /// <summary>The id given when the file names none: ord-FIRST-THEN.</summary>
    public string DefaultId => $"ord-{First}-{Then}";
}

public sealed class StorageSpec : SpecElement
{
    public List<DeviceSpec> Devices { get; } = new List<DeviceSpec>();
}

public sealed class DeviceSpec : SpecElement
{
    public string Path { get; set; } = "";
    public string Fstype { get; set; } = "ext4";
    /// <summary>Extra mkfs arguments, each one argument.</summary>
    public List<string> Options { get; } = new List<string>();
    /// <summary>The node that formats the device (shared storage is formatted once).</summary>
    public string Node { get; set; } = "";
}
