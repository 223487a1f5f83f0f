using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests;

/// <summary>Status warnings as typed report items: the same texts as <see cref="ClusterStatus.Warnings"/>, in the same
/// order, each with a code to decide on.</summary>
public class NoticeTests
{
    [Theory]
    [InlineData("lab-all-started.xml")]
    [InlineData("lab-node-offline.xml")]
    [InlineData("lab-failed-monitor.xml")]
    [InlineData("node-unclean.xml")]
    public void Notices_mirror_the_warnings_with_codes(string fixture)
    {
        var s = CrmMonParser.Parse(Fixtures.Read("crm_mon", fixture));
        Assert.Equal(s.Warnings, s.Notices.Select(n => n.Message));
        Assert.All(s.Notices, n => Assert.Matches("^[A-Z][A-Za-z]+$", n.Code));
        Assert.All(s.Notices, n => Assert.Equal(Severity.Warning, n.Severity));
    }

    [Fact]
    public void Stonith_off_is_a_code_not_a_prefix()
    {
        var s = CrmMonParser.Parse(Fixtures.Read("crm_mon", "lab-all-started.xml"));
        var n = Assert.Single(s.Notices, x => x.Code == NoticeCodes.StonithDisabled);
        Assert.Equal(CrmMonParser.StonithDisabledWarning, n.Message);
        Assert.Null(n.Node);
    }
}
