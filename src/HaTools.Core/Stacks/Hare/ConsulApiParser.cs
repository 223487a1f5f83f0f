using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>A member of the LAN gossip pool (<c>GET /v1/agent/members</c>).</summary>
public sealed class ConsulMember
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    /// <summary>Serf's member status: 0 none, 1 alive, 2 leaving, 3 left, 4 failed (Consul api/agent.go).</summary>
    public int Status { get; set; }
    /// <summary>A server (Tags.role = consul) rather than a client (node).</summary>
    public bool IsServer { get; set; }
    public string Datacenter { get; set; } = "";

    public string State => StateName(Status);
    public bool Alive => Status == 1;

    public static string StateName(int status) => status switch
    {
        0 => "none",
        1 => "alive",
        2 => "leaving",
        3 => "left",
        4 => "failed",
        _ => "status " + status.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>One health check (<c>GET /v1/health/state/any</c>, <c>/v1/health/node/N</c>).</summary>
public sealed class ConsulCheck
{
    public string Node { get; set; } = "";
    public string CheckId { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>passing, warning or critical.</summary>
    public string Status { get; set; } = "";
    public string Output { get; set; } = "";
    /// <summary>Empty for a node check (serfHealth).</summary>
    public string ServiceId { get; set; } = "";
    public string ServiceName { get; set; } = "";
    public List<string> ServiceTags { get; set; } = new List<string>();

    public bool Passing => Status == "passing";
    public bool Critical => Status == "critical";

    /// <summary>The value of a <c>name=value</c> tag HaTools gives its services (fid, ep, phase); null when absent.</summary>
    public string? Tag(string name) =>
        ServiceTags.FirstOrDefault(t => t.StartsWith(name + "=", System.StringComparison.Ordinal))?.Substring(name.Length + 1);
}

/// <summary>Reads the JSON answers of Consul's HTTP API, in the shapes HashiCorp documents (api-docs: agent, health,
/// status, txn, session), through the JSON reader HaTools already has.</summary>
public static class ConsulApiParser
{
    public static IReadOnlyList<ConsulMember> Members(string json) =>
        JsonDoc.Seq(JsonDoc.Parse(json, "members"), "members").Select(item =>
        {
            var o = JsonDoc.Obj(item, "member");
            var tags = o.Get("Tags") as YMap;
            return new ConsulMember
            {
                Name = JsonDoc.Str(o, "Name"),
                Address = JsonDoc.OptStr(o, "Addr") ?? "",
                Status = (int)JsonDoc.Long(o, "Status"),
                IsServer = tags != null && JsonDoc.OptStr(tags, "role") == "consul",
                Datacenter = tags != null ? JsonDoc.OptStr(tags, "dc") ?? "" : "",
            };
        }).ToList();

    public static IReadOnlyList<ConsulCheck> Checks(string json) =>
        JsonDoc.Seq(JsonDoc.Parse(json, "health checks"), "health checks").Select(item =>
        {
            var o = JsonDoc.Obj(item, "check");
            return new ConsulCheck
            {
                Node = JsonDoc.Str(o, "Node"),
                CheckId = JsonDoc.Str(o, "CheckID"),
                Name = JsonDoc.OptStr(o, "Name") ?? "",
                Status = JsonDoc.Str(o, "Status"),
                Output = JsonDoc.OptStr(o, "Output") ?? "",
                ServiceId = JsonDoc.OptStr(o, "ServiceID") ?? "",
                ServiceName = JsonDoc.OptStr(o, "ServiceName") ?? "",
                ServiceTags = JsonDoc.OptStrList(o, "ServiceTags").ToList(),
            };
        }).ToList();

    /// <summary><c>GET /v1/status/leader</c>: the Raft leader's <c>IP:port</c>, or null when there is none (<c>""</c>).</summary>
    public static string? Leader(string json)
    {
        var v = JsonDoc.Scalar(JsonDoc.Parse(json, "status leader"), "status leader");
        return v.Length == 0 ? null : v;
    }

    /// <summary>The <c>true</c>/<c>false</c> of a KV write, a lock or a session destroy.</summary>
    public static bool Bool(string body)
    {
        var t = (body ?? "").Trim();
        return t == "true" || (t == "false" ? false : throw ConsulOutputParser.Bad($"expected true or false, got '{Names.Printable(t)}'"));
    }

    /// <summary><c>PUT /v1/session/create</c>: the new session's id.</summary>
    public static string SessionId(string json) => JsonDoc.Str(JsonDoc.Obj(JsonDoc.Parse(json, "session create"), "session create"), "ID");

    /// <summary>The Errors of a rolled-back <c>/v1/txn</c> (409): operation index and why.</summary>
    public static IReadOnlyList<(int OpIndex, string What)> TxnErrors(string json)
    {
        var o = JsonDoc.Obj(JsonDoc.Parse(json, "txn result"), "txn result");
        return JsonDoc.OptSeq(o, "Errors").Select(e =>
        {
            var m = JsonDoc.Obj(e, "txn error");
            return ((int)JsonDoc.Long(m, "OpIndex"), JsonDoc.OptStr(m, "What") ?? "");
        }).ToList();
    }
}
