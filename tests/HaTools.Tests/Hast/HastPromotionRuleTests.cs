using System.Collections.Generic;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastPromotionRuleTests
{
    private static HastNodeReading Node(string node, string list) => HastNodeReading.Read(node, HastctlParser.Parse(list, node, node));

    private static string List(string role, string? status = null, int? worker = null) =>
        $"storage:\n  role: {role}\n  localpath: /dev/ada1\n  remoteaddr: 10.0.0.2\n  replication: fullsync\n" +
        (status != null ? $"  status: {status}\n" : "") + (worker != null ? $"  workerpid: {worker}\n" : "") + "  dirty: 0 (0B)\n";

    private static readonly HastNodeReading InitA = Node("a", List("init"));
    private static readonly HastNodeReading SecondaryIdleA = Node("a", List("secondary"));

    public static IEnumerable<object?[]> Cases() => new[]
    {
        // candidate, peer, statement, allowed, reason contains
        new object?[] { InitA, Node("b", List("secondary", "complete", 12)), null, true, "is secondary on 'b'" },
        new object?[] { SecondaryIdleA, Node("b", List("init")), null, true, "is init on 'b'" },
        new object?[] { InitA, Node("b", List("primary", "complete", 9)), null, false, "is primary on 'b': demote it there first" },
        new object?[] { InitA, Node("b", List("primary", "degraded", 9)), new PeerDownStatement("b"), false, "is primary on 'b'" },
        new object?[] { InitA, HastNodeReading.Failed("b", "unreachable: connection timed out"), null, false, "cannot be read (unreachable: connection timed out)" },
        new object?[] { InitA, HastNodeReading.Failed("b", "hastctl timed out after 30 s"), new PeerDownStatement("b"), true, "on the statement that 'b' is down" },
        new object?[] { InitA, HastNodeReading.Failed("b", "unreachable"), new PeerDownStatement("c"), false, "the peer of 'a' is 'b'" },
        new object?[] { InitA, Node("b", "storage:\n  error: 57\n"), null, false, "answers error 57" },
        new object?[] { InitA, Node("b", "other:\n  role: secondary\n"), null, false, "does not list storage" },
        new object?[] { Node("a", List("secondary", "complete", 77)), Node("b", List("secondary")), null, false, "a secondary worker for storage runs on 'a'" },
        new object?[] { Node("a", List("secondary", "complete", 77)), HastNodeReading.Failed("b", "unreachable"), new PeerDownStatement("b"), false, "a primary is connected to it" },
        new object?[] { HastNodeReading.Failed("a", "hastd not running"), Node("b", List("init")), null, false, "on 'a' itself cannot be read" },
        new object?[] { Node("a", "storage:\n  error: 1\n"), Node("b", List("init")), null, false, "answers error 1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Primary_only_when_the_peer_is_known_not_primary_or_stated_down(HastNodeReading candidate, HastNodeReading peer, PeerDownStatement? statement, bool allowed, string reason)
    {
        var d = HastPromotionRule.MayBecomePrimary("storage", candidate, peer, statement);
        Assert.True(allowed == d.Allowed, d.Reason);
        Assert.Contains(reason, d.Reason);
        Assert.Equal(allowed && statement != null, d.Warning != null);
    }

    [Fact]
    public void Already_primary_is_allowed_as_nothing_to_do()
    {
        var d = HastPromotionRule.MayBecomePrimary("storage", Node("a", List("primary", "complete", 5)), Node("b", List("secondary", "complete", 6)));
        Assert.True(d.Allowed && d.AlreadyPrimary);
    }

    [Fact]
    public void The_real_captures_a_complete_pair_never_allows_the_secondary_to_promote()
    {
        // foozone's two nodes: the secondary (list and status table) next to the primary: promoting the secondary would make two primaries.
        var secondary = HastNodeReading.Read("f1", HastctlParser.Parse(Fixtures.Read("hast", "hastctl-list-secondary-complete.foozone.txt"), "f1", "f1"));
        var primary = HastNodeReading.Read("f0", HastctlParser.Parse(Fixtures.Read("hast", "hastctl-status-primary-complete.foozone.txt"), "f0", "f0"));
        Assert.False(HastPromotionRule.MayBecomePrimary("storage", secondary, primary).Allowed);
        Assert.False(HastPromotionRule.MayBecomePrimary("storage", secondary, primary, new PeerDownStatement("f0")).Allowed);
        Assert.True(HastPromotionRule.MayBecomePrimary("storage", primary, secondary).AlreadyPrimary);
    }
}
