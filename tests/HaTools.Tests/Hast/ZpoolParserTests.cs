using System.Linq;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

public class ZpoolParserTests
{
    [Fact]
    public void The_real_zpool_list_with_a_pool_on_hast()
    {
        var pools = ZpoolParser.ParseList(Fixtures.Read("hast", "zpool-list.foozone.txt"));
        Assert.Equal(new[] { ("zhast", "ONLINE", "928G"), ("zroot", "ONLINE", "472G") }, pools.Select(p => (p.Name, p.Health, p.Size!)));
    }

    [Theory]
    [InlineData("tank\tONLINE\nzroot\tDEGRADED\n", "tank:ONLINE,zroot:DEGRADED")]
    [InlineData("tank\tSUSPENDED", "tank:SUSPENDED")]
    [InlineData("", "")]
    [InlineData("no pools available\n", "")]
    public void The_scripted_form_zpool_list_H_o_name_health(string text, string expected) =>
        Assert.Equal(expected, string.Join(",", ZpoolParser.ParseList(text).Select(p => $"{p.Name}:{p.Health}")));

    [Fact]
    public void A_line_that_is_not_name_tab_health_is_refused() =>
        Assert.Equal(1, Assert.Throws<HastOutputException>(() => ZpoolParser.ParseList("cannot open 'tank': no such pool\n")).Line);

    [Fact]
    public void The_real_zpool_status_shows_the_hast_vdev()
    {
        var s = Assert.Single(ZpoolParser.ParseStatus(Fixtures.Read("hast", "zpool-status-on-hast.foozone.txt")));
        Assert.Equal(("zhast", "ONLINE", "No known data errors"), (s.Pool, s.State, s.Errors));
        var d = Assert.Single(s.Devices);
        Assert.Equal(("hast/storage", "ONLINE", 1), (d.Name, d.State, d.Depth));
    }

    [Fact]
    public void A_degraded_mirror_of_two_hast_devices_keeps_its_depths()
    {
        var text = "  pool: tank\n state: DEGRADED\nconfig:\n\n\tNAME             STATE     READ WRITE CKSUM\n\ttank             DEGRADED     0     0     0\n" +
                   "\t  mirror-0       DEGRADED     0     0     0\n\t    hast/disk0   ONLINE       0     0     0\n\t    hast/disk1   UNAVAIL      0     0     0\n\nerrors: No known data errors\n";
        var s = Assert.Single(ZpoolParser.ParseStatus(text));
        Assert.Equal(new[] { ("mirror-0", "DEGRADED", 1), ("hast/disk0", "ONLINE", 2), ("hast/disk1", "UNAVAIL", 2) }, s.Devices.Select(d => (d.Name, d.State, d.Depth)));
    }
}
