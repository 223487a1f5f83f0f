using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Who holds Hare's RC leader lock: the <c>leader</c> key, its session and the session's node.</summary>
public sealed class RcLeaderInfo
{
    /// <summary>A session holds the key's lock.</summary>
    public bool Elected { get; set; }
    /// <summary>The session's node; null when not elected.</summary>
    public string? Node { get; set; }
    public string? Session { get; set; }
    /// <summary>The key's value (the leader's node name; <c>elect&lt;N&gt;</c> or empty when not elected, as Hare writes).</summary>
    public string Value { get; set; } = "";
    /// <summary>The checks the session is bound to (serfHealth and the leader's hax/confd checks).</summary>
    public List<string> BoundChecks { get; set; } = new List<string>();
    /// <summary>Bound to serfHealth only: Hare destroys such a session and elects again (#315).</summary>
    public bool SerfHealthOnly { get; set; }
    /// <summary>Why it is not (yet) elected, for progress and timeouts.</summary>
    public string Why { get; set; } = "";
}

/// <summary>
/// Hare's RC leader election (H20 elect-rc-leader and hare-bootstrap's wait_rc_leader) done by HaTools itself: a
/// session on a server's agent bound to that node's serfHealth and its hax and confd checks (LockDelay 2 s, behavior
/// release), then <c>PUT /v1/kv/leader?acquire=SESSION</c> with the node's name. Consul invalidates the session (and so
/// frees the lock) when the node fails or one of those checks turns critical. Where Hare races the servers after a
/// random sleep, HaTools tries them in file order: the first whose session can be made wins.
/// </summary>
internal sealed class RcLeader
{
    private readonly ClusterContext _ctx;
    private readonly ConsulClient _api;

    public RcLeader(ClusterContext ctx, ConsulClient api)
    {
        _ctx = ctx;
        _api = api;
    }

    /// <summary>The service checks a server's leader session is bound to: its hax and confd (Hare's), else its phase-1 services.</summary>
    public static IReadOnlyList<string> ServiceChecks(Spec.ClusterSpec spec, string node)
    {
        var mine = spec.Section<ConsulSection>().Services.Where(s => s.Node == node && !s.External).ToList();
        var rc = mine.Where(s => s.Name == "hax" || s.Name == "confd").ToList();
        if (rc.Count == 0) rc = mine.Where(s => s.Phase == 1).ToList();
        return rc.Select(ConsulAgentConfig.CheckId).ToList();
    }

    /// <summary>The session body of <paramref name="node"/>'s leader session (Consul 1.7+: NodeChecks and ServiceChecks).</summary>
    public static string SessionBody(Spec.ClusterSpec spec, string node) => JsonText.Compact(new JObj
    {
        { "Name", ConsulStack.LeaderKey },
        { "Node", node },
        { "NodeChecks", new List<string> { "serfHealth" } },
        { "ServiceChecks", ServiceChecks(spec, node).Select(id => new JObj { { "ID", id } }).ToList() },
        { "LockDelay", "2s" },
        { "Behavior", "release" },
    });

    public async Task<RcLeaderInfo> ReadAsync(CancellationToken ct)
    {
        var get = ConsulPaths.KvGet(ConsulStack.LeaderKey);
        var (node, a) = await _api.OnAnyAsync(ConsulStack.ServerTargets(_ctx), get, ct).ConfigureAwait(false);
        if (a.Code == 404) return new RcLeaderInfo { Why = "no 'leader' key (the KV import makes it)" };
        var entry = ConsulOutputParser.Kv(ConsulClient.Expect(node.Name, get, a, "read the 'leader' key")).FirstOrDefault();
        var info = new RcLeaderInfo { Value = entry?.Value ?? "", Session = entry?.Session };
        if (info.Session == null)
        {
            info.Why = "no session holds the 'leader' key" + (info.Value.Length > 0 ? $" (value '{Names.Printable(info.Value)}')" : "");
            return info;
        }
        var si = ConsulPaths.SessionInfo(info.Session);
        var s = ConsulOutputParser.SessionInfo(ConsulClient.Expect(node.Name, si, await _api.SendAsync(node, si, ct).ConfigureAwait(false), "read the leader's session"));
        if (s == null)
        {
            // The key still names a session that is gone: Consul frees the lock with it; read again next time.
            info.Why = $"the 'leader' key's session {info.Session} no longer exists";
            info.Session = null;
            return info;
        }
        info.Elected = true;
        info.Node = s.Node;
        info.BoundChecks = s.BoundChecks;
        info.SerfHealthOnly = s.SerfHealthOnly;
        return info;
    }

    /// <summary>One round of the election: done when a session holds the key (and is not bound to serfHealth only);
    /// otherwise the reason, for the next round.</summary>
    public async Task<RcLeaderInfo> TryElectAsync(IOperationHost host, CancellationToken ct)
    {
        var now = await ReadAsync(ct).ConfigureAwait(false);
        if (now.Elected && !now.SerfHealthOnly) return now;
        if (now.Elected)
        {
            // Hare #315: a leader bound to serfHealth alone survives its hax and confd failing; make a proper one.
            await DestroyAsync(now.Session!, ct).ConfigureAwait(false);
            host.Warning($"the RC leader session {now.Session} of {now.Node} was bound to serfHealth only: destroyed, electing again");
            return new RcLeaderInfo { Why = $"session {now.Session} of {now.Node} was bound to serfHealth only: destroyed" };
        }
        var why = new List<string>();
        foreach (var n in ConsulStack.ServerTargets(_ctx))
        {
            var create = ConsulPaths.SessionCreate(SessionBody(_ctx.Spec, n.Name));
            ConsulResponse r;
            try { r = await _api.SendAsync(n, create, ct).ConfigureAwait(false); }
            catch (NodeCommandException e) { why.Add($"{n.Name}: {e.Message}"); continue; }
            if (!r.Ok) { why.Add($"{n.Name}: " + (r.NoAgent ? "no agent answers" : $"no session (HTTP {r.Code}: {MessageText.Tail(r.Body)})")); continue; }
            var sid = ConsulApiParser.SessionId(r.Body);
            var acquire = ConsulPaths.KvAcquire(ConsulStack.LeaderKey, sid, n.Name);
            var got = await _api.SendAsync(n, acquire, ct).ConfigureAwait(false);
            if (ConsulApiParser.Bool(ConsulClient.Expect(n.Name, acquire, got, "acquire the 'leader' key")))
                return new RcLeaderInfo { Elected = true, Node = n.Name, Session = sid, Value = n.Name };
            await DestroyAsync(sid, ct).ConfigureAwait(false);
            why.Add($"{n.Name}: the 'leader' key is locked by another session (lock delay, or another election)");
            break;
        }
        return new RcLeaderInfo { Why = "no server could take the lock: " + string.Join("; ", why) };
    }

    public async Task DestroyAsync(string session, CancellationToken ct)
    {
        var d = ConsulPaths.SessionDestroy(session);
        var (node, a) = await _api.OnAnyAsync(ConsulStack.ServerTargets(_ctx), d, ct).ConfigureAwait(false);
        ConsulClient.Expect(node.Name, d, a, "destroy session " + session);
    }

    /// <summary>Hare's shutdown step: free the lock (value emptied, so the next bootstrap elects again) and destroy the
    /// session. Null when nobody held it.</summary>
    public async Task<RcLeaderInfo?> ReleaseAsync(CancellationToken ct)
    {
        var now = await ReadAsync(ct).ConfigureAwait(false);
        if (!now.Elected) return null;
        var release = ConsulPaths.KvRelease(ConsulStack.LeaderKey, now.Session!, "");
        var (node, a) = await _api.OnAnyAsync(ConsulStack.ServerTargets(_ctx), release, ct).ConfigureAwait(false);
        ConsulClient.Expect(node.Name, release, a, "release the 'leader' key");
        await DestroyAsync(now.Session!, ct).ConfigureAwait(false);
        return now;
    }
}
