using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>What was read of one node: its hastctl output, or why it could not be read (unreachable, hastctl hung or
/// failed, output that is not hastctl's).</summary>
public sealed class HastNodeReading
{
    private HastNodeReading(string node, IReadOnlyList<HastResourceStatus>? resources, string? unreadable)
    {
        Node = node;
        Resources = resources;
        Unreadable = unreadable;
    }

    public static HastNodeReading Read(string node, IReadOnlyList<HastResourceStatus> resources) => new HastNodeReading(node, resources, null);

    public static HastNodeReading Failed(string node, string why) => new HastNodeReading(node, null, why);

    public string Node { get; }
    public IReadOnlyList<HastResourceStatus>? Resources { get; }
    /// <summary>Why the node could not be read; null when it was.</summary>
    public string? Unreadable { get; }
}

/// <summary>The operator's explicit statement that a peer is down (Set-HastRole -Force with the peer named). It only
/// stands in for a reading that could not be had; it never outweighs a reading that shows the peer primary.</summary>
public sealed class PeerDownStatement
{
    public PeerDownStatement(string node) { Node = node; }

    public string Node { get; }
}

public sealed class PromotionDecision
{
    public PromotionDecision(bool allowed, string reason, bool alreadyPrimary = false, string? warning = null)
    {
        Allowed = allowed;
        Reason = reason;
        AlreadyPrimary = alreadyPrimary;
        Warning = warning;
    }

    public bool Allowed { get; }
    /// <summary>Nothing to do: the node is primary already.</summary>
    public bool AlreadyPrimary { get; }
    public string Reason { get; }
    /// <summary>Set when allowed on the operator's statement alone: the split-brain risk, to be shown loudly.</summary>
    public string? Warning { get; }
}

/// <summary>
/// May a node become primary for a resource? hastd does not prevent two primaries (a primary started while its peer is
/// primary waits hr_timeout, then logs "Remote node is still primary, starting anyway."), so HaTools decides before it
/// asks: never while the peer is primary, never while a secondary worker runs on the candidate (a primary is connected to
/// it), and never while the peer's role is unknown, unless the operator states that this very peer is down.
/// </summary>
public static class HastPromotionRule
{
    public static PromotionDecision MayBecomePrimary(string resource, HastNodeReading candidate, HastNodeReading peer, PeerDownStatement? peerDown = null)
    {
        var res = Names.Printable(resource);
        var (cn, pn) = (Names.Printable(candidate.Node), Names.Printable(peer.Node));
        if (candidate.Node == peer.Node) return Refuse($"'{cn}' cannot be its own peer");
        if (peerDown != null && peerDown.Node != peer.Node)
            return Refuse($"the statement says node '{Names.Printable(peerDown.Node)}' is down, but the peer of '{cn}' is '{pn}'");

        if (candidate.Unreadable != null) return Refuse($"the role of {res} on '{cn}' itself cannot be read ({candidate.Unreadable})");
        var mine = candidate.Resources!.FirstOrDefault(r => r.Resource == resource);
        if (mine == null) return Refuse($"hastd on '{cn}' does not know resource {res}");
        if (mine.Error != null) return Refuse($"hastd on '{cn}' answers error {mine.Error} for {res}");
        if (mine.Role == HastRole.Primary) return new PromotionDecision(true, $"{res} is already primary on '{cn}'", alreadyPrimary: true);
        if (mine.Role == HastRole.Secondary && (mine.WorkerPid != null || mine.Status != HastSyncStatus.Unknown))
            return Refuse($"a secondary worker for {res} runs on '{cn}': a primary is connected to it (is '{pn}' primary?)");

        var theirs = peer.Resources?.FirstOrDefault(r => r.Resource == resource);
        if (theirs != null && theirs.Error == null && theirs.Role == HastRole.Primary)
            return Refuse($"{res} is primary on '{pn}': demote it there first (export the pool, then role secondary)");
        if (theirs != null && theirs.Error == null && theirs.Role is HastRole.Init or HastRole.Secondary)
            return new PromotionDecision(true, $"{res} is {theirs.RoleText} on '{pn}'");

        var why = peer.Unreadable ?? (theirs == null ? $"hastd on '{pn}' does not list {res}"
            : theirs.Error != null ? $"hastd on '{pn}' answers error {theirs.Error} for {res}" : $"'{pn}' reports role '{Names.Printable(theirs.RoleText)}'");
        if (peerDown == null)
            return Refuse($"the role of {res} on '{pn}' cannot be read ({why}); if '{pn}' is down, say so explicitly (-Force with the peer named)");
        return new PromotionDecision(true, $"the role of {res} on '{pn}' cannot be read ({why}); promoting on the statement that '{pn}' is down",
            warning: $"if '{pn}' is in fact running as primary, both nodes now write to {res}: split-brain, resolved only by discarding one node's data");
    }

    private static PromotionDecision Refuse(string reason) => new PromotionDecision(false, reason);
}
