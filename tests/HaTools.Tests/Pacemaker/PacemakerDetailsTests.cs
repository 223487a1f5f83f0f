using HaTools.Core.Stacks.Pacemaker;
using Xunit;

namespace HaTools.Tests.Pacemaker;

/// <summary>The Pacemaker part of a status (ClusterStatus.Details), read from crm_mon XML captured in the lab.</summary>
public class PacemakerDetailsTests
{
    private static PacemakerStatusDetails Load(string name) =>
        Assert.IsType<PacemakerStatusDetails>(CrmMonParser.Parse(Fixtures.Read("crm_mon", "lab-" + name + ".xml")).Details);

    [Fact]
    public void All_started_gives_the_DCs_version_the_last_change_and_the_cluster_options()
    {
        var d = Load("all-started");
        Assert.Equal("corosync", d.ClusterLayer);
        Assert.Equal("2.1.5-a3f44794f94", d.PacemakerVersion);
        Assert.Equal("Sun Nov 22 00:02:07 2026", d.LastChange);
        Assert.Equal("root cibadmin node1", d.LastChangeBy);
        Assert.Equal((3, 2, 0), (d.NodesConfigured, d.ResourcesConfigured, d.ResourcesDisabled));
        Assert.False(d.StonithEnabled);
        Assert.Equal("stop", d.NoQuorumPolicy);
        Assert.False(d.MaintenanceMode);
        Assert.False(d.StopAllResources);
    }

    [Fact]
    public void Maintenance_mode_is_a_detail_and_stays_a_warning()
    {
        var s = CrmMonParser.Parse(Fixtures.Read("crm_mon", "lab-maintenance-mode.xml"));
        Assert.True(Assert.IsType<PacemakerStatusDetails>(s.Details).MaintenanceMode);
        Assert.Contains(s.Warnings, w => w.StartsWith("maintenance mode is on", System.StringComparison.Ordinal));
    }
}
