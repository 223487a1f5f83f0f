using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>The codes of the warnings a consul cluster's status carries (besides the common NoticeCodes).</summary>
public static class ConsulNoticeCodes
{
    public const string NoRaftLeader = "NoRaftLeader";
    public const string NoRcLeader = "NoRcLeader";
    public const string ServiceFailed = "ServiceFailed";
    public const string ServiceNotPassing = "ServiceNotPassing";
}

public sealed partial class ConsulStack
{
    /// <summary>The reads of one status, in one round trip to the first agent that answers (servers first).</summary>
    internal static IReadOnlyList<ConsulRequest> StatusReads() => new[]
    {
        ConsulPaths.StatusLeader(), ConsulPaths.Members(), ConsulPaths.HealthAny(), ConsulPaths.KvGet(LeaderKey), ConsulPaths.KvTree("m0conf/"),
    };

    /// <summary><c>hctl status</c> live: per node its services (Motr processes from the KV layout, their state from their
    /// Consul check), the RC leader; plus Consul's own view: the Raft leader and the agents.</summary>
    public async Task<ClusterStatus> GetStatusAsync(ClusterContext context, CancellationToken cancellationToken)
    {
        var api = ConsulClient.For(context);
        var servers = ServerTargets(context);
        var order = servers.Concat(context.Nodes.Except(servers)).ToList();
        var passed = new List<(string Node, string Why)>();
        var reads = StatusReads();
        var (node, a) = await api.OnAnyAsync(order, reads, cancellationToken, context.StatusTimeout, passed).ConfigureAwait(false);
        // Without a Raft leader the agent still answers the gossip view; the KV and the catalog do not (500 No cluster leader).
        var leader = a[0].Ok ? ConsulApiParser.Leader(a[0].Body) : null;
        var members = ConsulApiParser.Members(ConsulClient.Expect(node.Name, reads[1], a[1]));
        var checks = a[2].Ok ? ConsulApiParser.Checks(a[2].Body) : Array.Empty<ConsulCheck>();
        var leaderEntry = a[3].Ok ? ConsulOutputParser.Kv(a[3].Body).FirstOrDefault() : null;
        var kv = a[4].Ok ? ConsulOutputParser.Kv(a[4].Body) : Array.Empty<ConsulKvEntry>();
        ConsulSession? session = null;
        if (leaderEntry?.Session is { } sid)
        {
            var si = ConsulPaths.SessionInfo(sid);
            var r = await api.SendAsync(node, si, cancellationToken, context.StatusTimeout).ConfigureAwait(false);
            if (r.Ok) session = ConsulOutputParser.SessionInfo(r.Body);
        }
        var status = BuildStatus(context.Spec, node.Name, leader, members, checks, session, kv, a[2].Ok && a[4].Ok);
        foreach (var (n, why) in passed) status.Warn(NoticeCodes.NodeDidNotAnswer, $"{n} did not answer: {why}", n);
        status.UnreachableNodes = passed.Select(p => p.Node).ToList();
        return status;
    }

    /// <summary>The status from what the API answered (pure: the tests feed it documented payloads).</summary>
    internal static ClusterStatus BuildStatus(ClusterSpec spec, string queried, string? raftLeader, IReadOnlyList<ConsulMember> members,
        IReadOnlyList<ConsulCheck> checks, ConsulSession? rcSession, IReadOnlyList<ConsulKvEntry> m0conf, bool catalogRead)
    {
        var d = new ConsulStatusDetails { RaftLeader = raftLeader, RcSession = rcSession?.Id, RcBoundChecks = rcSession?.BoundChecks ?? new List<string>(), RcLeader = rcSession?.Node };
        d.RaftLeaderNode = raftLeader == null ? null : members.FirstOrDefault(m => raftLeader.StartsWith(m.Address + ":", StringComparison.Ordinal))?.Name;
        ReadLayout(d, m0conf);
        var names = spec.Nodes.Select(n => n.Name).Concat(members.Select(m => m.Name).Where(m => spec.Nodes.All(n => n.Name != m)).OrderBy(m => m, StringComparer.Ordinal))
            .Concat(d.Nodes.Select(n => n.Name).Where(n => spec.Nodes.All(s => s.Name != n) && members.All(m => m.Name != n))).Distinct().ToList();
        var byName = d.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var section = spec.Section<ConsulSection>();
        d.Nodes = new List<HareNodeServices>();
        foreach (var name in names)
        {
            var member = members.FirstOrDefault(m => m.Name == name);
            var alive = member?.Alive == true;
            d.Agents.Add(new ConsulAgentStatus
            {
                Node = name, Address = member?.Address ?? "", State = member?.State ?? "not a member",
                Role = member != null ? (member.IsServer ? "server" : "client") : section.IsServer(name) ? "server" : "client",
            });
            var n = byName.TryGetValue(name, out var fromKv) ? fromKv : new HareNodeServices { Name = name };
            n.IsRcLeader = name == d.RcLeader;
            var mine = checks.Where(c => c.Node == name && c.ServiceId.Length > 0).ToList();
            foreach (var svc in n.Services)
            {
                var c = mine.FirstOrDefault(x => x.Tag("fid") == svc.Fid);
                svc.State = c == null ? HareServiceState.Unknown : c.Passing && alive ? HareServiceState.Started : HareServiceState.Offline;
            }
            foreach (var c in mine.Where(x => x.Tag("fid") == null))
                n.Services.Add(new HareService { Node = name, Name = c.ServiceName, State = c.Passing && alive ? HareServiceState.Started : HareServiceState.Offline });
            d.Nodes.Add(n);
        }

        var s = new ClusterStatus { Name = spec.Name, Stack = StackName, Dc = d.RcLeader, Quorate = raftLeader != null, QueriedNode = queried, Details = d };
        foreach (var a in d.Agents)
        {
            var n = d.Nodes.First(x => x.Name == a.Node);
            s.Nodes.Add(new NodeStatus { Name = a.Node, Online = a.Alive, IsDc = n.IsRcLeader, ResourceCount = n.Services.Count });
            foreach (var svc in n.Services)
            {
                var c = checks.FirstOrDefault(x => x.Node == a.Node && x.ServiceId.Length > 0 && (svc.Fid.Length > 0 ? x.Tag("fid") == svc.Fid : x.ServiceName == svc.Name && x.Tag("fid") == null));
                s.Resources.Add(new ResourceStatus
                {
                    Name = svc.Name, Agent = "consul:" + svc.Name, Node = a.Node, Role = svc.State.ToString(), TargetRole = "Started",
                    Failed = c?.Critical == true,
                });
            }
        }
        if (raftLeader == null) s.Warn(ConsulNoticeCodes.NoRaftLeader, "no Raft leader: the KV, the catalog and the health checks cannot be read or changed (are a majority of the servers up?)");
        foreach (var a in d.Agents.Where(x => !x.Alive))
            s.Warn(NoticeCodes.NodeOffline, $"{a.Node}: the Consul agent is {a.State}", a.Node);
        if (raftLeader != null && catalogRead && d.RcLeader == null)
            s.Warn(ConsulNoticeCodes.NoRcLeader, "no RC leader holds the 'leader' key (re-run Start-HaBootstrap to elect one)");
        foreach (var c in checks.Where(c => c.ServiceId.Length > 0 && !c.Passing))
            s.Warn(c.Critical ? ConsulNoticeCodes.ServiceFailed : ConsulNoticeCodes.ServiceNotPassing,
                $"{c.Node}: {c.ServiceId} is {c.Status}" + (c.Output.Trim().Length > 0 ? ": " + MessageText.Tail(c.Output) : ""), c.Node);
        return s;
    }

    /// <summary>Profiles, pools and the Motr processes per node from the KV's m0conf tree (as hctl status reads it).</summary>
    private static void ReadLayout(ConsulStatusDetails d, IReadOnlyList<ConsulKvEntry> kv)
    {
        var map = kv.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (map.TryGetValue("m0conf/profiles", out var profile) && profile.Length > 0) d.Profile = profile;
        foreach (var e in kv.Where(e => e.Key.StartsWith("m0conf/pools/", StringComparison.Ordinal)))
            d.Pools.Add(new HarePool { Fid = e.Key.Substring("m0conf/pools/".Length), Name = e.Value });
        if (d.Pools.Count == 0 && map.TryGetValue("m0conf/profiles/pools", out var fids))
            d.Pools.AddRange(fids.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(f => new HarePool { Fid = f }));
        foreach (var e in kv.Where(e => e.Key.StartsWith("m0conf/profiles/0x", StringComparison.Ordinal)))
        {
            var o = JsonDoc.Obj(JsonDoc.Parse(e.Value, "profile " + e.Key), "profile");
            d.Profiles.Add(new HareProfile { Fid = e.Key.Substring("m0conf/profiles/".Length), Name = JsonDoc.Str(o, "name"), Pools = JsonDoc.OptStrList(o, "pools").ToList() });
        }
        var procs = new Dictionary<(string Host, long Key), (string Endpoint, List<string> Types)>();
        foreach (var e in kv.Where(e => e.Key.StartsWith("m0conf/nodes/", StringComparison.Ordinal)))
        {
            // m0conf/nodes/HOST/processes/KEY/endpoint and …/KEY/services/TYPE
            var p = e.Key.Split('/');
            if (p.Length < 6 || p[3] != "processes" || !long.TryParse(p[4], NumberStyles.None, CultureInfo.InvariantCulture, out var key)) continue;
            var k = (p[2], key);
            if (!procs.TryGetValue(k, out var v)) procs[k] = v = ("", new List<string>());
            if (p.Length == 6 && p[5] == "endpoint") procs[k] = (e.Value, v.Types);
            else if (p.Length == 7 && p[5] == "services") v.Types.Add(p[6]);
        }
        foreach (var host in procs.Keys.Select(k => k.Host).Distinct())
            d.Nodes.Add(new HareNodeServices
            {
                Name = host,
                Services = procs.Where(p => p.Key.Host == host).OrderBy(p => p.Key.Key).Select(p => new HareService
                {
                    Node = host, Name = HctlName(p.Value.Types), Fid = HareKv.Fid('r', p.Key.Key), Endpoint = p.Value.Endpoint, State = HareServiceState.Unknown,
                }).ToList(),
            });
    }

    /// <summary>Hare's names for a process by the services it runs (hare-status: confd, ha→hax, ios→ioservice,
    /// m0_client_s3→s3server, anything else m0_client).</summary>
    internal static string HctlName(IReadOnlyCollection<string> types) =>
        types.Contains("confd") ? "confd" : types.Contains("ha") ? "hax" : types.Contains("ios") ? "ioservice" : types.Contains("m0_client_s3") ? "s3server" : "m0_client";
}
