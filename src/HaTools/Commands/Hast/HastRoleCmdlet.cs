using System;
using System.Management.Automation;
using HaTools.Core.Stacks;
using HaTools.PowerShell.Infrastructure;

namespace HaTools.PowerShell.Commands;

/// <summary>Base of Set-HastRole and Switch-HastPrimary: the statement that the peer is down (-Force -PeerDown) and the
/// bound on the device waits, as <see cref="RoleChangeOptions"/>.</summary>
public abstract class HastRoleCmdlet : HaChangeCmdlet
{
    /// <summary>With -PeerDown: go on although the peer cannot be read.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The peer, stated to be down (counts only with -Force, and never against a peer that answers as primary).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PeerDown { get; set; }

    /// <summary>Seconds to wait for /dev/hast/NAME (default: the cluster file's failover.device_timeout).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int DeviceTimeoutSec { get; set; }

    internal RoleChangeOptions RoleOptions(int peerTimeoutSec = 0) => new RoleChangeOptions
    {
        Force = Force, PeerDown = PeerDown,
        DeviceTimeout = DeviceTimeoutSec > 0 ? TimeSpan.FromSeconds(DeviceTimeoutSec) : null,
        PeerTimeout = peerTimeoutSec > 0 ? TimeSpan.FromSeconds(peerTimeoutSec) : null,
    };
}
