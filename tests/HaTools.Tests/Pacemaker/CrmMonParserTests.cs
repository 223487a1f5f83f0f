using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using Xunit;

namespace HaTools.Tests.Pacemaker;

/// <summary>Against real crm_mon 2.1.5 output (tests/fixtures/crm_mon/make-fixtures.sh).</summary>
public class CrmMonParserTests
{
    private static ClusterStatus Load(string name) => CrmMonParser.Parse(Fixtures.Read("crm_mon", name + ".xml"));

    private static ResourceStatus R(ClusterStatus s, string name) => s.Resources.Single(r => r.Name == name);

    private static NodeStatus N(ClusterStatus s, string name) => s.Nodes.Single(n => n.Name == name);

    [Fact]
    public void All_started()
    {
        var s = Load("all-started");
        Assert.Equal("", s.Name);
        Assert.Equal("node1", s.Dc);
        Assert.True(s.Quorate);
        Assert.Equal(new[] { "node1", "node2", "node3" }, s.Nodes.Select(n => n.Name));
        Assert.All(s.Nodes, n => Assert.True(n.Online));
        Assert.True(N(s, "node1").IsDc);
        Assert.Equal("1", N(s, "node1").Id);
        Assert.Equal(new[] { 1, 2, 0 }, s.Nodes.Select(n => n.ResourceCount));
        Assert.Equal(new[] { "fence", "vip", "svc" }, s.Resources.Select(r => r.Name));
        var vip = R(s, "vip");
        Assert.Equal("ocf:heartbeat:IPaddr2", vip.Agent);
        Assert.Equal("Started", vip.Role);
        Assert.Equal("node2", vip.Node);
        Assert.True(vip.Managed);
        Assert.False(vip.Failed);
        Assert.Equal(0, vip.FailCount);
        Assert.Null(vip.Group);
        Assert.Null(vip.Clone);
        Assert.Equal("node2", R(s, "svc").Node);
        Assert.Equal("stonith:fence_xvm", R(s, "fence").Agent);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void Stonith_disabled_is_a_warning()
    {
        var s = Load("stonith-disabled");
        Assert.Equal(new[] { CrmMonParser.StonithDisabledWarning }, s.Warnings);
        Assert.Equal("STONITH is disabled: a node that fails cannot be fenced and may keep resources (e.g. a VIP) running", s.Warnings[0]);
    }

    [Fact]
    public void Node_offline()
    {
        var s = Load("node-offline");
        Assert.False(N(s, "node2").Online);
        Assert.False(N(s, "node2").Unclean);
        Assert.Equal("node3", R(s, "vip").Node);
        Assert.Equal(new[] { "node node2 is offline" }, s.Warnings);
    }

    [Fact]
    public void Node_unclean_still_shows_its_resources_there()
    {
        var s = Load("node-unclean");
        Assert.True(N(s, "node2").Unclean);
        Assert.False(N(s, "node2").Online);
        Assert.Equal("node2", R(s, "vip").Node);
        Assert.Equal(new[] { "node node2 is unclean: it left the cluster without being fenced" }, s.Warnings);
    }

    [Fact]
    public void Node_standby()
    {
        var s = Load("node-standby");
        Assert.True(N(s, "node2").Standby);
        Assert.Equal(0, N(s, "node2").ResourceCount);
        Assert.Equal("node3", R(s, "vip").Node);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void Node_maintenance()
    {
        var s = Load("node-maintenance");
        Assert.True(N(s, "node2").Maintenance);
        Assert.False(R(s, "vip").Managed);
        Assert.False(R(s, "svc").Managed);
        Assert.Equal(new[] { "node node2 is in maintenance: its resources are not managed" }, s.Warnings);
    }

    [Fact]
    public void Failed_monitor_with_fail_count()
    {
        var s = Load("failed-resource");
        var vip = R(s, "vip");
        Assert.True(vip.Failed);
        Assert.Equal(1, vip.FailCount);
        Assert.Equal("node2", vip.Node);
        Assert.Equal("Started", vip.Role);
        Assert.False(R(s, "svc").Failed);
        var w = Assert.Single(s.Warnings);
        Assert.StartsWith("vip: monitor (every 10 s) failed on node2 (not running: Simulated action result) at 20", w);
    }

    [Fact]
    public void Failed_start()
    {
        var s = Load("failed-start");
        var svc = R(s, "svc");
        Assert.True(svc.Failed);
        Assert.Equal(2, svc.FailCount);
        Assert.False(R(s, "vip").Failed);
        Assert.StartsWith("svc: start failed on node2 (error: User-injected result) at ", Assert.Single(s.Warnings));
    }

    [Fact]
    public void Unmanaged_resource()
    {
        var s = Load("unmanaged");
        Assert.False(R(s, "svc").Managed);
        Assert.True(R(s, "vip").Managed);
        Assert.Equal(new[] { "resource svc is unmanaged: the cluster does not start, stop or recover it" }, s.Warnings);
    }

    [Fact]
    public void Stopped_resource_has_no_node()
    {
        var s = Load("resource-stopped");
        var svc = R(s, "svc");
        Assert.Equal("Stopped", svc.Role);
        Assert.Equal("Stopped", svc.TargetRole);
        Assert.Null(svc.Node);
        Assert.Equal("", R(s, "vip").TargetRole);
    }

    [Fact]
    public void No_quorum()
    {
        var s = Load("no-quorum");
        Assert.False(s.Quorate);
        Assert.Equal("node1", s.Dc);
        Assert.Equal("Stopped", R(s, "fence").Role);
        Assert.Null(R(s, "fence").Node);
        Assert.Equal(new[]
        {
            "cluster has no quorum",
            "node node2 is unclean: it left the cluster without being fenced",
            "node node3 is unclean: it left the cluster without being fenced",
        }, s.Warnings);
    }

    [Fact]
    public void Maintenance_mode()
    {
        var s = Load("maintenance-mode");
        Assert.All(s.Resources, r => Assert.False(r.Managed));
        Assert.Equal(new[] { "maintenance mode is on: the cluster does not start, stop or monitor resources" }, s.Warnings);
    }

    [Fact]
    public void Moved_resource()
    {
        var s = Load("moved");
        Assert.Equal("node1", R(s, "vip").Node);
        Assert.Equal("node1", R(s, "svc").Node);
        Assert.Equal(3, N(s, "node1").ResourceCount);
    }

    [Fact]
    public void Group_members_carry_the_group()
    {
        var s = Load("group");
        Assert.Equal("web", R(s, "vip").Group);
        Assert.Equal("web", R(s, "svc").Group);
        Assert.Null(R(s, "fence").Group);
        Assert.Equal("node2", R(s, "svc").Node);
    }

    [Fact]
    public void Clone_instances_one_per_node_and_promoted_role()
    {
        var s = Load("clone");
        var ping = s.Resources.Where(r => r.Name == "ping").ToList();
        Assert.Equal(3, ping.Count);
        Assert.All(ping, p => Assert.Equal("ping-clone", p.Clone));
        Assert.Equal(new[] { "node1", "node2", "node3" }, ping.Select(p => p.Node).OrderBy(n => n));
        var db = s.Resources.Where(r => r.Name == "db").ToList();
        Assert.Equal("node3", db.Single(d => d.Role == "Promoted").Node);
        Assert.Equal(2, db.Count(d => d.Role == "Unpromoted"));
        Assert.All(db, d => Assert.Equal("db-clone", d.Clone));
        Assert.Equal("node3", R(s, "vip").Node);
    }

    [Fact]
    public void Not_connected_throws_with_the_code()
    {
        var e = Assert.Throws<PacemakerOutputException>(() => CrmMonParser.Parse(Fixtures.Read("crm_mon", "not-connected.xml")));
        Assert.Equal(102, e.StatusCode);
        Assert.Contains("Not connected", e.Message);
    }

    [Fact]
    public void Not_connected_as_status()
    {
        var s = CrmMonParser.ParseAsStatus(Fixtures.Read("crm_mon", "not-connected.xml"));
        Assert.Null(s.Dc);
        Assert.False(s.Quorate);
        Assert.Empty(s.Nodes);
        Assert.StartsWith("crm_mon: Not connected (code 102): ", Assert.Single(s.Warnings));
    }

    [Fact]
    public void Normal_output_as_status_is_the_same()
    {
        var a = CrmMonParser.ParseAsStatus(Fixtures.Read("crm_mon", "failed-resource.xml"));
        Assert.True(R(a, "vip").Failed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<pacemaker-result><summary>")]
    [InlineData("<crm_mon version=\"1.1\"/>")]
    public void Malformed_output_is_a_typed_error(string xml)
    {
        var e = Assert.ThrowsAny<HaException>(() => CrmMonParser.Parse(xml));
        Assert.IsType<PacemakerOutputException>(e);
    }

    [Fact]
    public void Missing_attributes_and_unknown_elements_do_not_crash()
    {
        var s = CrmMonParser.Parse("<pacemaker-result><summary><current_dc present=\"false\"/><future/></summary>" +
            "<nodes><node name=\"n1\"/><node/></nodes><resources><resource id=\"r\"/><resource/><thing id=\"x\"/>" +
            "<clone><resource id=\"c:0\" resource_agent=\"ocf::pacemaker:Dummy\" role=\"Slave\"><node name=\"n1\"/></resource></clone></resources>" +
            "<failures><failure/></failures><status code=\"0\" message=\"OK\"/></pacemaker-result>");
        Assert.Null(s.Dc);
        Assert.Contains("no DC elected", s.Warnings);
        Assert.Equal(2, s.Nodes.Count);
        var c = s.Resources.Single(r => r.Name == "c");
        Assert.Equal("ocf:pacemaker:Dummy", c.Agent);
        Assert.Equal("Unpromoted", c.Role);
        Assert.Equal("n1", c.Node);
        Assert.Equal("Stopped", s.Resources.Single(r => r.Name == "r").Role);
    }

    [Fact]
    public void Infinite_fail_count_and_multiple_active()
    {
        var s = CrmMonParser.Parse("<pacemaker-result><summary><current_dc present=\"true\" name=\"n1\" with_quorum=\"true\"/></summary>" +
            "<resources><resource id=\"r\" resource_agent=\"ocf:heartbeat:IPaddr2\" role=\"Started\" active=\"true\" nodes_running_on=\"2\"><node name=\"n1\"/><node name=\"n2\"/></resource></resources>" +
            "<node_history><node name=\"n2\"><resource_history id=\"r\" orphan=\"false\" fail-count=\"INFINITY\"/></node></node_history></pacemaker-result>");
        Assert.Equal(2, s.Resources.Count);
        Assert.All(s.Resources, r => Assert.Equal(1000000, r.FailCount));
        Assert.Contains("resource r is active on several nodes: n1, n2", s.Warnings);
    }
}
