using System;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using Xunit;

namespace HaTools.Tests.Pacemaker;

/// <summary>The parser against crm_mon XML captured from the live lab cluster (tests/fixtures/crm_mon/capture-from-lab.sh):
/// running daemons, examples/lab.yaml bootstrapped by HaTools, then driven into each state.</summary>
public class CrmMonLabCaptureTests
{
    private static ClusterStatus Load(string name) => CrmMonParser.Parse(Fixtures.Read("crm_mon", "lab-" + name + ".xml"));

    [Fact]
    public void All_started_three_nodes_quorate_vip_and_svc_together()
    {
        var s = Load("all-started");
        Assert.True(s.Quorate);
        Assert.NotNull(s.Dc);
        Assert.Equal(3, s.Nodes.Count(n => n.Online));
        var vip = s.Resources.Single(r => r.Name == "vip");
        var svc = s.Resources.Single(r => r.Name == "svc");
        Assert.Equal(("Started", "ocf:heartbeat:IPaddr2"), (vip.Role, vip.Agent));
        Assert.Equal(("Started", "ocf:heartbeat:Dummy"), (svc.Role, svc.Agent));
        Assert.Equal(vip.Node, svc.Node);
        Assert.Equal(2, s.Nodes.Single(n => n.Name == vip.Node).ResourceCount);
        Assert.Contains(s.Warnings, w => w.StartsWith("STONITH is disabled", StringComparison.Ordinal));
    }

    [Fact]
    public void Standby_node_holds_nothing()
    {
        var s = Load("node-standby");
        var standby = s.Nodes.Single(n => n.Standby);
        Assert.True(standby.Online);
        Assert.Equal(0, standby.ResourceCount);
        Assert.All(s.Resources, r => Assert.NotEqual(standby.Name, r.Node));
    }

    [Fact]
    public void Failed_monitor_shows_the_failure_and_the_fail_count()
    {
        var s = Load("failed-monitor");
        var svc = s.Resources.Single(r => r.Name == "svc");
        Assert.Equal(1, svc.FailCount);
        Assert.Contains(s.Warnings, w => w.Contains("svc") && w.Contains("monitor"));
    }

    [Fact]
    public void Unmanaged_resource_is_reported_unmanaged()
    {
        var s = Load("unmanaged");
        Assert.False(s.Resources.Single(r => r.Name == "svc").Managed);
        Assert.True(s.Resources.Single(r => r.Name == "vip").Managed);
    }

    [Fact]
    public void Maintenance_mode_is_a_warning_and_every_resource_unmanaged()
    {
        var s = Load("maintenance-mode");
        Assert.Contains(s.Warnings, w => w.Contains("maintenance", StringComparison.OrdinalIgnoreCase));
        Assert.All(s.Resources, r => Assert.False(r.Managed));
    }

    [Fact]
    public void A_node_whose_stack_died_is_offline_and_named_in_a_warning()
    {
        var s = Load("node-offline");
        var offline = s.Nodes.Single(n => !n.Online);
        Assert.True(s.Quorate);
        Assert.Contains(s.Warnings, w => w.Contains(offline.Name) && w.Contains("offline"));
    }

    [Fact]
    public void The_last_node_standing_has_no_quorum()
    {
        var s = Load("no-quorum");
        Assert.False(s.Quorate);
        Assert.Equal(1, s.Nodes.Count(n => n.Online));
        Assert.Contains(s.Warnings, w => w.Contains("quorum"));
    }

    [Fact]
    public void A_node_without_a_running_cluster_is_an_error_not_a_status()
    {
        var e = Assert.Throws<PacemakerOutputException>(() => Load("not-running"));
        Assert.Contains("Not connected", e.Message);
    }
}
