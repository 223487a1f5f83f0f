namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>What crm_mon's summary says that only Pacemaker has: the DC's Pacemaker version, the last CIB change and
/// the cluster options that decide how the cluster behaves (fencing, no-quorum policy, maintenance).</summary>
public sealed class PacemakerStatusDetails
{
    /// <summary>The cluster layer under Pacemaker (corosync).</summary>
    public string? ClusterLayer { get; set; }
    /// <summary>The DC's Pacemaker version (2.1.5-a3f44794f94).</summary>
    public string? PacemakerVersion { get; set; }
    /// <summary>When the CIB last changed, as crm_mon prints it, and by what (user, client, origin node).</summary>
    public string? LastChange { get; set; }
    public string? LastChangeBy { get; set; }
    public int NodesConfigured { get; set; }
    public int ResourcesConfigured { get; set; }
    public int ResourcesDisabled { get; set; }
    public bool? StonithEnabled { get; set; }
    public string? NoQuorumPolicy { get; set; }
    public bool MaintenanceMode { get; set; }
    public bool StopAllResources { get; set; }
    /// <summary>On a cluster with file services (Stacks/FileServices), what its nodes say of CTDB, smbd, ganesha and the
    /// floating addresses; null otherwise and in a status read from a file.</summary>
    public FileServices.FileServicesStatusDetails? FileServices { get; set; }
}
