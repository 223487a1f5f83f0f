using System.Collections.Generic;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks.Hare;

/// <summary>What only a consul (Hare) cluster's status knows: <c>hctl status</c>'s profile, pools, and per node its
/// Motr services with their state; the RC leader. In <see cref="ClusterStatus.Details"/>.</summary>
public sealed class ConsulStatusDetails
{
    /// <summary>The profile fid of the older format (<c>Profile: FID</c>); null in the newer one (see <see cref="Profiles"/>).</summary>
    public string? Profile { get; set; }
    public List<HarePool> Pools { get; set; } = new List<HarePool>();
    public List<HareProfile> Profiles { get; set; } = new List<HareProfile>();
    /// <summary>The node holding the RC leader lock (<c>(RC)</c> in the text output); null when not known or not elected.</summary>
    public string? RcLeader { get; set; }
    public List<HareNodeServices> Nodes { get; set; } = new List<HareNodeServices>();
    /// <summary>Filesystem statistics hax wrote (<c>stats/filesystem</c>), by name (fs_free_disk …); empty when absent.</summary>
    public Dictionary<string, long> FilesystemStats { get; set; } = new Dictionary<string, long>();
    /// <summary>When hax took those statistics, as written (ISO 8601); null when absent.</summary>
    public string? FilesystemDate { get; set; }

    // Consul's own view (live status only; null or empty when read from a saved hctl status).
    /// <summary>The Raft leader's address (<c>/v1/status/leader</c>); null when there is none or not known.</summary>
    public string? RaftLeader { get; set; }
    /// <summary>The node of the Raft leader, when its address is a member's.</summary>
    public string? RaftLeaderNode { get; set; }
    /// <summary>The session holding the RC leader lock, and the checks it is bound to.</summary>
    public string? RcSession { get; set; }
    public List<string> RcBoundChecks { get; set; } = new List<string>();
    /// <summary>The agents: the gossip pool's members, and the file's nodes that are not members.</summary>
    public List<ConsulAgentStatus> Agents { get; set; } = new List<ConsulAgentStatus>();

    /// <summary>The text <c>hctl status</c> prints for this (the newer layout when pools and profiles have names).</summary>
    public string ToHctlText() => HctlText.Render(this);

    public override string ToString() => ToHctlText();
}

/// <summary>One Consul agent as the gossip pool sees it.</summary>
public sealed class ConsulAgentStatus
{
    public string Node { get; set; } = "";
    public string Address { get; set; } = "";
    /// <summary>server or client.</summary>
    public string Role { get; set; } = "";
    /// <summary>alive, leaving, left, failed, or "not a member" (a node of the file the pool does not know).</summary>
    public string State { get; set; } = "";
    public bool Alive => State == "alive";
}

public sealed class HarePool
{
    public string Fid { get; set; } = "";
    /// <summary>Null in the older format, which lists fids only.</summary>
    public string? Name { get; set; }
}

public sealed class HareProfile
{
    public string Fid { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Pools { get; set; } = new List<string>();
}

public sealed class HareNodeServices
{
    public string Name { get; set; } = "";
    public bool IsRcLeader { get; set; }
    public List<HareService> Services { get; set; } = new List<HareService>();
}

public enum HareServiceState
{
    /// <summary>Its Consul check passes (hctl: <c>started</c>).</summary>
    Started,
    /// <summary>Its check does not pass (hctl: <c>offline</c>).</summary>
    Offline,
    /// <summary>No check for it (hctl: <c>unknown</c>; Motr clients have none).</summary>
    Unknown,
}

/// <summary>One Motr process as <c>hctl status</c> lists it.</summary>
public sealed class HareService
{
    public string Node { get; set; } = "";
    /// <summary>hax, confd, ioservice, s3server, m0_client.</summary>
    public string Name { get; set; } = "";
    public string Fid { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public HareServiceState State { get; set; }
}

/// <summary>One KV entry as Consul returns it (<c>GET /v1/kv/KEY</c>, <c>consul kv get -detailed</c>), value decoded.</summary>
public sealed class ConsulKvEntry
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
    public long CreateIndex { get; set; }
    public long ModifyIndex { get; set; }
    public long LockIndex { get; set; }
    public long Flags { get; set; }
    /// <summary>The session holding the key's lock; null when none (<c>-</c> in the text output).</summary>
    public string? Session { get; set; }
}

/// <summary>A Consul session (<c>GET /v1/session/info/ID</c>).</summary>
public sealed class ConsulSession
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Node { get; set; } = "";
    public System.TimeSpan LockDelay { get; set; }
    public string Behavior { get; set; } = "";
    /// <summary>As written (<c>30s</c>); empty when the session has no TTL.</summary>
    public string Ttl { get; set; } = "";
    /// <summary>The checks the session is bound to, from the old <c>Checks</c> and the newer <c>NodeChecks</c> and
    /// <c>ServiceChecks</c> (service check ids as <c>service:ID</c>), without repeats.</summary>
    public List<string> BoundChecks { get; set; } = new List<string>();
    public long CreateIndex { get; set; }
    public long ModifyIndex { get; set; }

    /// <summary>Bound to the node's serfHealth only: Hare destroys such a leader session and waits for one bound to the
    /// hax and confd checks (hare-bootstrap wait_rc_leader, #315).</summary>
    public bool SerfHealthOnly => BoundChecks.Count == 1 && BoundChecks[0] == "serfHealth";
}

/// <summary>Consul or hctl printed something HaTools cannot read.</summary>
public sealed class HareOutputException : HaException
{
    public HareOutputException(string message) : base(message) { }
}
