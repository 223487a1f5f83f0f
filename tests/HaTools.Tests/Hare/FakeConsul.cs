using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Transport;

namespace HaTools.Tests.Hare;

/// <summary>
/// A Consul datacenter as a test double (tests only, never shipped): the agents of a <see cref="FakeCluster"/>'s
/// nodes, their Raft leader, gossip members, KV, sessions and health checks, with the semantics HashiCorp documents
/// and the bootstrap depends on: no leader → 500 "No cluster leader" on the KV, catalog and health; servers elect once
/// bootstrap_expect of them run, then keep a leader while a majority runs; acquire is false while another session holds
/// the lock; a session bound to a check that turns critical (or to a failed node's serfHealth) is invalidated and frees
/// its locks; cas on ModifyIndex (0: create only); a transaction is applied whole (200) or rolled back (409). An agent
/// loads the configuration files HaTools pushed to its node when it starts and on reload. It answers the node-side
/// scripts HaTools runs (the API script, the service script, the probe, the teardown's removal).
/// </summary>
internal sealed class FakeConsul
{
    private readonly FakeCluster _cluster;
    private readonly string? _token;
    private long _index = 1;
    private int _sessions;
    private bool _bootstrapped;
    private readonly HashSet<string> _everServers = new HashSet<string>(StringComparer.Ordinal);

    public FakeConsul(FakeCluster cluster, IReadOnlyDictionary<string, string> dataIps, string? aclToken = null)
    {
        _cluster = cluster;
        _token = aclToken;
        DataIps = dataIps;
        foreach (var n in cluster.Nodes.Values)
        {
            n.Units["consul"] = "consul";
            var node = n;
            n.Handler = r => Handle(node, r);
        }
    }

    public IReadOnlyDictionary<string, string> DataIps { get; }

    public sealed class Entry
    {
        public string Value = "";
        public long CreateIndex, ModifyIndex, LockIndex;
        public string? Session;
    }

    public sealed class Session
    {
        public string Id = "", Node = "", Behavior = "release";
        public List<string> Checks = new List<string>();
        public long CreateIndex;
    }

    public sealed class Service
    {
        public string Id = "", Name = "", CheckId = "", CheckKind = "", Unit = "";
        public List<string> Tags = new List<string>();
        public bool HasCheck;
    }

    public sealed class Agent
    {
        public bool Server;
        public int Expect;
        public string Datacenter = "", Bind = "", Cluster = "";
        public List<Service> Services = new List<Service>();
        public bool Joined;
        public bool Loaded;
    }

    public readonly SortedDictionary<string, Entry> Kv = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
    public readonly Dictionary<string, Session> Sessions = new Dictionary<string, Session>(StringComparer.Ordinal);
    public readonly Dictionary<string, Agent> Agents = new Dictionary<string, Agent>(StringComparer.Ordinal);
    /// <summary>Unit states per node (active, inactive, activating, failed); missing = inactive.</summary>
    public readonly Dictionary<(string Node, string Unit), string> Units = new Dictionary<(string, string), string>();
    /// <summary>Services started by a command that run (node, service id).</summary>
    public readonly HashSet<(string Node, string Id)> Commands = new HashSet<(string, string)>();
    public readonly List<string> MkfsRun = new List<string>();

    // Faults.
    /// <summary>The servers never elect a leader (a partition, a bootstrap_expect never reached).</summary>
    public bool NeverLeader { get; set; }
    /// <summary>These agents run but never join the pool (a firewall on the Serf port).</summary>
    public HashSet<string> NeverJoins { get; } = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>Units that fail when started (systemctl start exits 1), or that start and then fail.</summary>
    public HashSet<(string Node, string Unit)> FailsToStart { get; } = new HashSet<(string, string)>();
    public HashSet<(string Node, string Unit)> DiesAfterStart { get; } = new HashSet<(string, string)>();
    /// <summary>Units that stay "activating" (their check stays warning) when started.</summary>
    public HashSet<(string Node, string Unit)> NeverReady { get; } = new HashSet<(string, string)>();
    /// <summary>Answers every /v1/txn with this (code, body) instead of applying it.</summary>
    public (int Code, string Body)? TxnAnswer { get; set; }
    /// <summary>Units the node has no unit file for.</summary>
    public HashSet<(string Node, string Unit)> NoUnit { get; } = new HashSet<(string, string)>();

    private long Next() => ++_index;

    private bool Running(string node) => _cluster[node].Running.Contains("consul") && !_cluster[node].Down;

    // --- what an agent knows ---

    private void Sync()
    {
        foreach (var n in _cluster.Nodes.Keys)
        {
            Agents.TryGetValue(n, out var a);
            if (Running(n) && (a == null || !a.Loaded)) Load(n);
            else if (!Running(n) && a != null) a.Loaded = false;
        }
        var servers = Agents.Where(a => a.Value.Server && a.Value.Joined).ToList();
        foreach (var s in servers) _everServers.Add(s.Key);
        var up = servers.Count(s => Running(s.Key));
        if (!_bootstrapped && !NeverLeader && servers.Count > 0 && up >= servers.Max(s => s.Value.Expect)) _bootstrapped = true;
        // Sessions die with their node's serfHealth or a bound check turning critical; their locks are freed.
        foreach (var s in Sessions.Values.ToList())
            if (s.Checks.Any(c => CheckStatus(s.Node, c) is null or "critical")) Invalidate(s.Id);
    }

    private void Load(string node)
    {
        var files = _cluster[node].Files;
        var a = Agents.TryGetValue(node, out var old) ? old : new Agent();
        Agents[node] = a;
        if (!files.TryGetValue(ConsulAgentConfig.AgentFile, out var conf)) throw new InvalidOperationException($"{node}: the agent started without {ConsulAgentConfig.AgentFile}");
        var o = JsonDocument.Parse(conf.Content).RootElement;
        a.Server = o.GetProperty("server").GetBoolean();
        a.Expect = o.TryGetProperty("bootstrap_expect", out var e) ? e.GetInt32() : 0;
        a.Datacenter = o.GetProperty("datacenter").GetString()!;
        a.Bind = o.GetProperty("bind_addr").GetString()!;
        a.Cluster = o.GetProperty("node_meta").GetProperty(ConsulAgentConfig.ClusterMetaKey).GetString()!;
        a.Services.Clear();
        if (files.TryGetValue(ConsulAgentConfig.ServicesFile, out var svc))
            foreach (var s in JsonDocument.Parse(svc.Content).RootElement.GetProperty("services").EnumerateArray())
            {
                var x = new Service { Id = s.GetProperty("id").GetString()!, Name = s.GetProperty("name").GetString()!, Tags = s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList() };
                if (s.TryGetProperty("check", out var c))
                {
                    x.HasCheck = true;
                    x.CheckId = c.GetProperty("id").GetString()!;
                    if (c.TryGetProperty("args", out var args))
                    {
                        var list = args.EnumerateArray().Select(v => v.GetString()!).ToList();
                        var unitCheck = list.Count == 5 && list[2] == ConsulAgentConfig.UnitCheckScript;
                        x.CheckKind = unitCheck ? "unit" : "script";
                        x.Unit = unitCheck ? list[4] : "";
                    }
                    else x.CheckKind = c.TryGetProperty("tcp", out _) ? "tcp" : "http";
                }
                a.Services.Add(x);
            }
        a.Loaded = true;
        if (!NeverJoins.Contains(node)) a.Joined = true;
    }

    public bool HasLeader => _bootstrapped && !NeverLeader && _everServers.Count(Running) * 2 > _everServers.Count;

    private string? LeaderNode => HasLeader ? _everServers.Where(Running).OrderBy(s => s, StringComparer.Ordinal).First() : null;

    /// <summary>A check's status; null when the node has no such check.</summary>
    public string? CheckStatus(string node, string checkId)
    {
        if (!Agents.TryGetValue(node, out var a) || !a.Joined) return null;
        if (checkId == "serfHealth") return Running(node) ? "passing" : "critical";
        var s = a.Services.FirstOrDefault(x => x.HasCheck && x.CheckId == checkId);
        if (s == null) return null;
        if (ForcedChecks.TryGetValue((node, checkId), out var forced)) return forced;
        var state = s.CheckKind == "unit" ? UnitState(node, s.Unit) : Commands.Contains((node, s.Id)) || UnitState(node, UnitOfService(node, s.Id)) == "active" ? "active" : "inactive";
        return s.CheckKind == "unit"
            ? state switch { "active" => "passing", "failed" => "critical", _ => "warning" }
            : state == "active" ? "passing" : "critical";
    }

    /// <summary>A check forced to a status (a service that turns unhealthy by itself).</summary>
    public readonly Dictionary<(string Node, string CheckId), string> ForcedChecks = new Dictionary<(string, string), string>();

    /// <summary>The unit a service started as (what its check reads when it is no unit check).</summary>
    private readonly Dictionary<(string, string), string> _unitOf = new Dictionary<(string, string), string>();
    private string UnitOfService(string node, string id) => _unitOf.TryGetValue((node, id), out var u) ? u : "";

    public string UnitState(string node, string unit) => Units.TryGetValue((node, unit), out var s) ? s : "inactive";

    private void Invalidate(string id)
    {
        if (!Sessions.Remove(id)) return;
        foreach (var e in Kv.Values.Where(e => e.Session == id))
        {
            e.Session = null;
            e.ModifyIndex = Next();
        }
    }

    // --- the node-side scripts ---

    private CommandResult? Handle(FakeNode node, CommandRequest r)
    {
        var a = r.Argv;
        if (a.Count >= 6 && a[0] == "sh" && a[2] == ConsulApi.Script) return Api(node, a, r.Stdin ?? Array.Empty<byte>());
        if (a.Count >= 7 && a[0] == "sh" && a[2] == ConsulCommands.ServiceScript) return ServiceCall(node, a);
        if (a.Count == 6 && a[0] == "sh" && a[2] == ConsulCommands.ProbeScript) return Probe(node, a[4]);
        if (a.SequenceEqual(ConsulCommands.PrepareDataDir(null))) return Ok(node, "");
        if (a.Count > 4 && a[0] == "sh" && a[4] == ConsulAgentConfig.AgentFile) return Remove(node, a.Skip(4).ToList());
        return null;
    }

    private static CommandResult Ok(FakeNode n, string stdout) => new CommandResult { Node = n.Name, StdOut = stdout };

    private CommandResult Probe(FakeNode n, string iface)
    {
        var b = new StringBuilder();
        b.Append($"hostname={n.Name}\nbin.consul=/usr/bin/consul\nversion.consul=v1.15.4\nbin.curl=/usr/bin/curl\n");
        if (iface.Length > 0) b.Append($"iface.ip={(DataIps.TryGetValue(n.Name, out var ip) ? ip : "")}\n");
        b.Append($"addrs={(DataIps.TryGetValue(n.Name, out var mine) ? mine : "")} 127.0.0.1\n");
        b.Append(Running(n.Name) ? "agent=running\n" : "agent=stopped\n");
        if (n.Files.TryGetValue(ConsulAgentConfig.AgentFile, out var conf))
            b.Append($"config.cluster={JsonDocument.Parse(conf.Content).RootElement.GetProperty("node_meta").GetProperty(ConsulAgentConfig.ClusterMetaKey).GetString()}\n");
        b.Append("user.consul=no\ninit=other\nunit.consul=yes\n");
        return Ok(n, b.ToString());
    }

    private CommandResult Remove(FakeNode n, List<string> paths)
    {
        foreach (var p in paths)
        {
            if (p.EndsWith("/", StringComparison.Ordinal))
            {
                foreach (var k in n.Files.Keys.Where(k => k.StartsWith(p, StringComparison.Ordinal)).ToList()) n.Files.Remove(k);
                if (p == ConsulAgentConfig.DataDir + "/") WipeData(n.Name);
            }
            else n.Files.Remove(p);
        }
        return Ok(n, "");
    }

    /// <summary>The node's data folder is gone: it is a new agent; without any server's data the datacenter is new.</summary>
    private void WipeData(string node)
    {
        Agents.Remove(node);
        _everServers.Remove(node);
        if (_everServers.Count == 0)
        {
            Kv.Clear();
            Sessions.Clear();
            _bootstrapped = false;
        }
    }

    private CommandResult ServiceCall(FakeNode n, IReadOnlyList<string> a)
    {
        string action = a[4], id = a[5], unit = a[6];
        var cmd = a.Count > 8 ? a.Skip(8).ToList() : new List<string>();
        string State() => unit.Length > 0
            ? NoUnit.Contains((n.Name, unit)) ? "NOUNIT" : UnitState(n.Name, unit) switch { "active" => "ACTIVE", "failed" => "FAILED", _ => "INACTIVE" }
            : Commands.Contains((n.Name, id)) ? "ACTIVE" : "INACTIVE";
        var s = State();
        switch (action)
        {
            case "state": return Ok(n, s + "\n");
            case "start":
                if (s == "ACTIVE") return Ok(n, "ALREADY\n");
                if (s == "NOUNIT") return new CommandResult { Node = n.Name, ExitCode = 3, StdErr = $"no unit {unit} on this node\n" };
                if (unit.Length == 0) { Commands.Add((n.Name, id)); return Ok(n, "DONE\n"); }
                _unitOf[(n.Name, id)] = unit;
                if (FailsToStart.Contains((n.Name, unit)))
                {
                    Units[(n.Name, unit)] = "failed";
                    return new CommandResult { Node = n.Name, ExitCode = 4, StdErr = $"Job for {unit}.service failed because the control process exited with error code.\n" };
                }
                Units[(n.Name, unit)] = DiesAfterStart.Contains((n.Name, unit)) ? "failed" : NeverReady.Contains((n.Name, unit)) ? "activating" : "active";
                return Ok(n, "DONE\n");
            case "stop":
                if (s != "ACTIVE") return Ok(n, "ALREADY\n");
                if (unit.Length == 0) Commands.Remove((n.Name, id)); else Units[(n.Name, unit)] = "inactive";
                return Ok(n, "DONE\n");
            case "mkfs":
                MkfsRun.Add($"{n.Name} {(unit.Length > 0 ? unit : string.Join(" ", cmd))}");
                return Ok(n, "DONE\n");
            default: return new CommandResult { Node = n.Name, ExitCode = 2, StdErr = "unknown action\n" };
        }
    }

    private CommandResult Api(FakeNode n, IReadOnlyList<string> a, byte[] stdin)
    {
        var text = Encoding.UTF8.GetString(stdin);
        var nl = text.IndexOf('\n');
        var token = nl < 0 ? text : text.Substring(0, nl);
        var body = nl < 0 ? "" : text.Substring(nl + 1);
        var out_ = new StringBuilder();
        for (var i = 6; i + 1 < a.Count; i += 2)
        {
            int code; string answer;
            if (!Running(n.Name)) { code = 0; answer = "curl: (7) Failed to connect to 127.0.0.1 port 8500 after 0 ms: Couldn't connect to server\n"; }
            else (code, answer) = Request(n.Name, a[i], a[i + 1], token.Length == 0 ? null : token, a[i] == "GET" ? "" : body);
            out_.Append($"HTTP {code:000} {Encoding.UTF8.GetByteCount(answer)} {_index} {(code == 0 ? 7 : 0)}\n").Append(answer).Append('\n');
        }
        return Ok(n, out_.Append("DONE\n").ToString());
    }

    // --- the HTTP API ---

    private static string J(object o) => JsonSerializer.Serialize(o);

    /// <summary>One request to the agent on <paramref name="node"/>: (status, body).</summary>
    public (int, string) Request(string node, string method, string pathAndQuery, string? token, string body)
    {
        Sync();
        var answer = Answer(node, method, pathAndQuery, token, body);
        Sync();
        return answer;
    }

    private (int, string) Answer(string node, string method, string pathAndQuery, string? token, string body)
    {
        var q = pathAndQuery.IndexOf('?');
        var path = Uri.UnescapeDataString(q < 0 ? pathAndQuery : pathAndQuery.Substring(0, q));
        var query = (q < 0 ? "" : pathAndQuery.Substring(q + 1)).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
        var me = Agents[node];
        if (path == "/v1/status/leader") return (200, J(me.Joined && LeaderNode is { } l ? Agents[l].Bind + ":8300" : ""));
        if (_token != null && token != _token) return (403, "ACL not found");
        if (path == "/v1/agent/members") return (200, J(Members(node)));
        if (path == "/v1/agent/reload" && method == "PUT") { Load(node); return (200, ""); }
        if (!HasLeader || !me.Joined) return (500, "No cluster leader");
        if (path == "/v1/health/state/any") return (200, J(AllChecks()));
        if (path.StartsWith("/v1/kv/", StringComparison.Ordinal)) return KvCall(method, path.Substring("/v1/kv/".Length), query, body);
        if (path == "/v1/txn" && method == "PUT") return TxnAnswer ?? Txn(body);
        if (path == "/v1/session/create" && method == "PUT") return CreateSession(node, body);
        if (path.StartsWith("/v1/session/info/", StringComparison.Ordinal))
        {
            var id = path.Substring("/v1/session/info/".Length);
            return (200, Sessions.TryGetValue(id, out var s) ? J(new[] { SessionJson(s) }) : "[]");
        }
        if (path.StartsWith("/v1/session/destroy/", StringComparison.Ordinal) && method == "PUT")
        {
            Invalidate(path.Substring("/v1/session/destroy/".Length));
            return (200, "true");
        }
        return (404, "not modelled by the test double: " + method + " " + path);
    }

    private List<object> Members(string asking)
    {
        var visible = NeverJoins.Contains(asking) ? new[] { asking } : Agents.Where(a => a.Value.Joined).Select(a => a.Key).ToArray();
        return visible.OrderBy(x => x, StringComparer.Ordinal).Select(n => (object)new Dictionary<string, object>
        {
            ["Name"] = n, ["Addr"] = Agents[n].Bind, ["Port"] = 8301,
            ["Tags"] = new Dictionary<string, string> { ["dc"] = Agents[n].Datacenter, ["role"] = Agents[n].Server ? "consul" : "node" },
            // A stopped server has not left (leave_on_terminate is off for servers): failed; a stopped client has left.
            ["Status"] = Running(n) ? 1 : Agents[n].Server ? 4 : 3,
        }).ToList();
    }

    private List<object> AllChecks()
    {
        var list = new List<object>();
        foreach (var (n, a) in Agents.Where(x => x.Value.Joined).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            list.Add(Check(n, "serfHealth", "Serf Health Status", "", "", new List<string>()));
            foreach (var s in a.Services.Where(s => s.HasCheck)) list.Add(Check(n, s.CheckId, $"{s.Name} on {n}", s.Id, s.Name, s.Tags));
        }
        return list;
    }

    private Dictionary<string, object> Check(string node, string id, string name, string sid, string sname, List<string> tags)
    {
        var st = CheckStatus(node, id)!;
        return new Dictionary<string, object>
        {
            ["Node"] = node, ["CheckID"] = id, ["Name"] = name, ["Status"] = st, ["Notes"] = "",
            ["Output"] = st != "critical" || id == "serfHealth" ? "" : Kind(node, id) == "tcp" ? "dial tcp 127.0.0.1:28081: connect: connection refused" : "unit failed (test double)", ["ServiceID"] = sid, ["ServiceName"] = sname, ["ServiceTags"] = tags,
        };
    }

    private string Kind(string node, string checkId) => Agents[node].Services.First(s => s.CheckId == checkId).CheckKind;

    private static Dictionary<string, object?> EntryJson(string key, Entry e) => new Dictionary<string, object?>
    {
        ["LockIndex"] = e.LockIndex, ["Key"] = key, ["Flags"] = 0, ["Value"] = e.Value.Length == 0 ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(e.Value)),
        ["CreateIndex"] = e.CreateIndex, ["ModifyIndex"] = e.ModifyIndex, ["Session"] = e.Session,
    };

    private (int, string) KvCall(string method, string key, Dictionary<string, string> query, string body)
    {
        if (method == "GET")
        {
            var hits = query.ContainsKey("recurse") ? Kv.Where(k => k.Key.StartsWith(key, StringComparison.Ordinal)).ToList()
                : Kv.TryGetValue(key, out var one) ? new List<KeyValuePair<string, Entry>> { new(key, one) } : new List<KeyValuePair<string, Entry>>();
            return hits.Count == 0 ? (404, "") : (200, J(hits.Select(h => EntryJson(h.Key, h.Value)).ToList()));
        }
        if (method == "DELETE") { Kv.Remove(key); Next(); return (200, "true"); }
        Kv.TryGetValue(key, out var e);
        if (query.TryGetValue("acquire", out var sid))
        {
            if (!Sessions.ContainsKey(sid)) return (500, $"invalid session \"{sid}\"");
            if (e?.Session != null && e.Session != sid) return (200, "false");
            e = Set(key, body);
            if (e.Session != sid) e.LockIndex++;
            e.Session = sid;
            return (200, "true");
        }
        if (query.TryGetValue("release", out var rel))
        {
            if (e == null || e.Session != rel) return (200, "false");
            Set(key, body).Session = null;
            return (200, "true");
        }
        if (query.TryGetValue("cas", out var cas))
        {
            var idx = long.Parse(cas, CultureInfo.InvariantCulture);
            if (idx == 0 ? e != null : e == null || e.ModifyIndex != idx) return (200, "false");
        }
        Set(key, body);
        return (200, "true");
    }

    private Entry Set(string key, string value)
    {
        if (!Kv.TryGetValue(key, out var e)) Kv[key] = e = new Entry { CreateIndex = _index + 1 };
        e.Value = value;
        e.ModifyIndex = Next();
        return e;
    }

    private (int, string) Txn(string body)
    {
        var ops = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(o => o.GetProperty("KV")).ToList();
        if (ops.Count > 64) return (413, "too many operations");
        var errors = new List<object>();
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var key = op.GetProperty("Key").GetString()!;
            var verb = op.GetProperty("Verb").GetString();
            var index = op.TryGetProperty("Index", out var ix) ? ix.GetInt64() : 0;
            Kv.TryGetValue(key, out var e);
            var ok = verb switch
            {
                "set" => true,
                "cas" or "delete-cas" => index == 0 ? e == null : e != null && e.ModifyIndex == index,
                _ => false,
            };
            if (!ok) errors.Add(new Dictionary<string, object> { ["OpIndex"] = i, ["What"] = $"failed to {verb} key \"{key}\", index is stale" });
        }
        if (errors.Count > 0) return (409, J(new Dictionary<string, object?> { ["Results"] = null, ["Errors"] = errors }));
        foreach (var op in ops)
        {
            var key = op.GetProperty("Key").GetString()!;
            if (op.GetProperty("Verb").GetString() == "delete-cas") { Kv.Remove(key); Next(); continue; }
            Set(key, Encoding.UTF8.GetString(Convert.FromBase64String(op.GetProperty("Value").GetString() ?? "")));
        }
        return (200, J(new Dictionary<string, object?> { ["Results"] = new List<object>(), ["Errors"] = null }));
    }

    private (int, string) CreateSession(string asking, string body)
    {
        var o = JsonDocument.Parse(body).RootElement;
        var node = o.TryGetProperty("Node", out var nn) ? nn.GetString()! : asking;
        var checks = new List<string>();
        if (o.TryGetProperty("NodeChecks", out var nc)) checks.AddRange(nc.EnumerateArray().Select(c => c.GetString()!));
        if (o.TryGetProperty("ServiceChecks", out var sc)) checks.AddRange(sc.EnumerateArray().Select(c => c.GetProperty("ID").GetString()!));
        if (!Agents.TryGetValue(node, out var a) || !a.Joined) return (500, $"Missing node registration");
        foreach (var c in checks)
        {
            var st = CheckStatus(node, c);
            if (st == null) return (500, $"Missing check '{c}' registration");
            if (st == "critical") return (500, $"Check '{c}' is in critical state");
        }
        var id = $"{++_sessions:x8}-0000-4000-8000-00000000{_sessions:x4}";
        Sessions[id] = new Session { Id = id, Node = node, Checks = checks, CreateIndex = Next(), Behavior = o.GetProperty("Behavior").GetString()! };
        return (200, J(new Dictionary<string, string> { ["ID"] = id }));
    }

    private static Dictionary<string, object?> SessionJson(Session s) => new Dictionary<string, object?>
    {
        ["ID"] = s.Id, ["Name"] = "leader", ["Node"] = s.Node, ["LockDelay"] = 2_000_000_000L, ["Behavior"] = s.Behavior, ["TTL"] = "",
        ["NodeChecks"] = s.Checks.Where(c => !c.StartsWith("service:", StringComparison.Ordinal)).ToList(),
        ["ServiceChecks"] = s.Checks.Where(c => c.StartsWith("service:", StringComparison.Ordinal)).Select(c => new Dictionary<string, string> { ["ID"] = c, ["Namespace"] = "" }).ToList(),
        ["CreateIndex"] = s.CreateIndex, ["ModifyIndex"] = s.CreateIndex,
    };

    /// <summary>Makes an old-style leader session bound to serfHealth alone (what Hare #315 describes).</summary>
    public string SerfOnlyLeader(string node)
    {
        var id = $"{++_sessions:x8}-0000-4000-8000-00000000{_sessions:x4}";
        Sessions[id] = new Session { Id = id, Node = node, Checks = new List<string> { "serfHealth" }, CreateIndex = Next() };
        var e = Set("leader", node);
        e.Session = id;
        e.LockIndex++;
        return id;
    }
}
