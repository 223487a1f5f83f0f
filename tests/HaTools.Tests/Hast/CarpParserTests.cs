using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

public class CarpParserTests
{
    [Fact]
    public void The_real_ifconfig_of_a_master_before_freebsd_14()
    {
        var c = Assert.Single(CarpParser.Parse(Fixtures.Read("hast", "ifconfig-carp-master-vtnet0.txt")));
        Assert.Equal(("vtnet0", 1, CarpState.Master, 1, 0), (c.Interface, c.Vhid, c.State, c.Advbase, c.Advskew));
        Assert.Equal(new[] { "192.168.88.44" }, c.Addresses);
        Assert.Null(c.Peer);
    }

    [Fact]
    public void Several_vhids_and_interfaces_with_the_freebsd_14_peer_line_are_kept_apart()
    {
        // ifcarp.c: "\tcarp: %s vhid %d advbase %d advskew %d\n", FreeBSD 14+: "\t      peer %s peer6 %s\n".
        var text = "em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n" +
                   "\tinet 192.0.2.10 netmask 0xffffff00 broadcast 192.0.2.255\n" +
                   "\tinet 192.0.2.50 netmask 0xffffffff broadcast 192.0.2.50 vhid 1\n" +
                   "\tinet 192.0.2.51 netmask 0xffffffff broadcast 192.0.2.51 vhid 2\n" +
                   "\tcarp: BACKUP vhid 1 advbase 1 advskew 100\n" +
                   "\t      peer 224.0.0.18 peer6 ff02::12\n" +
                   "\tcarp: INIT vhid 2 advbase 3 advskew 0\n" +
                   "lagg0.100: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n" +
                   "\tinet 198.51.100.5 netmask 0xffffff00 broadcast 198.51.100.255 vhid 7\n" +
                   "\tcarp: MASTER vhid 7 advbase 1 advskew 0";
        var cs = CarpParser.Parse(text);
        Assert.Equal(3, cs.Count);
        Assert.Equal(("em0", 1, CarpState.Backup, 100, "224.0.0.18"), (cs[0].Interface, cs[0].Vhid, cs[0].State, cs[0].Advskew, cs[0].Peer));
        Assert.Equal(new[] { "192.0.2.50" }, cs[0].Addresses);
        Assert.Equal(("em0", 2, CarpState.Init, 3, (string?)null), (cs[1].Interface, cs[1].Vhid, cs[1].State, cs[1].Advbase, cs[1].Peer));
        Assert.Equal(new[] { "192.0.2.51" }, cs[1].Addresses);
        Assert.Equal(("lagg0.100", 7, CarpState.Master), (cs[2].Interface, cs[2].Vhid, cs[2].State));
        Assert.Equal(new[] { "198.51.100.5" }, cs[2].Addresses);
    }

    [Fact]
    public void No_carp_lines_no_results() => Assert.Empty(CarpParser.Parse("lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384\n\tinet 127.0.0.1 netmask 0xff000000\n"));
}
