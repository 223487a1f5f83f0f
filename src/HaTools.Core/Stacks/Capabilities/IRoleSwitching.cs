using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Hast;

namespace HaTools.Core.Stacks;

/// <summary>Switch the roles of replicated block devices between two nodes (HAST's primary/secondary), and the
/// file system on them with it. The engine itself does not prevent two primaries: every implementation decides before
/// it asks, takes the cluster lock, and waits (bounded) until a role took effect, since the engine answers before it did.</summary>
[StackCapability("role switching")]
public interface IRoleSwitching
{
    /// <summary>Set one resource's role on one node (Set-HastRole). Primary is refused while the peer is primary, runs a
    /// secondary worker here, or cannot be read (unless <see cref="RoleChangeOptions.Force"/> with the peer named down);
    /// leaving primary exports the pool on top first (a failed export changes nothing).</summary>
    Task<RoleChangeResult> SetRoleAsync(ClusterContext context, string resource, HastRole role, string node, RoleChangeOptions options, IOperationHost host, CancellationToken cancellationToken);

    /// <summary>Planned switchover of every resource, the pool and the CARP address to <paramref name="toNode"/>
    /// (Switch-HastPrimary). A failure stops it with the pool imported on one node or none, never two; the result says
    /// which (<see cref="SwitchoverResult.Succeeded"/> false, the state read back from both nodes).</summary>
    Task<SwitchoverResult> SwitchPrimaryAsync(ClusterContext context, string toNode, RoleChangeOptions options, IOperationHost host, CancellationToken cancellationToken);

    /// <summary>Re-initialise one resource on one node: role init, then fresh metadata (Initialize-HastResource), as
    /// mkfs is guarded: refused where the node's data may be the good copy unless <see cref="RoleChangeOptions.Force"/>.</summary>
    Task<RoleChangeResult> InitializeResourceAsync(ClusterContext context, string resource, string node, RoleChangeOptions options, IOperationHost host, CancellationToken cancellationToken);
}

public sealed class RoleChangeOptions
{
    /// <summary>Override a guard that protects data (Initialize on a node that may hold the good copy); with
    /// <see cref="PeerDown"/>, promote although the peer cannot be read.</summary>
    public bool Force { get; set; }
    /// <summary>The operator's statement that this node (the peer) is down. Counts only with <see cref="Force"/>, only
    /// for a peer that cannot be read, never against a reading that shows it primary; the lock is then taken on the
    /// surviving node alone.</summary>
    public string? PeerDown { get; set; }
    /// <summary>How long to wait for /dev/hast/NAME to appear or go; null: the cluster file's failover.device_timeout.</summary>
    public TimeSpan? DeviceTimeout { get; set; }
    /// <summary>How long to wait for the peer's primary to let go of this node; null: failover.peer_timeout.</summary>
    public TimeSpan? PeerTimeout { get; set; }
}

/// <summary>What one role change (or re-initialisation) did on one node.</summary>
public sealed class RoleChangeResult
{
    public string Resource { get; set; } = "";
    public string Node { get; set; } = "";
    /// <summary>primary, secondary, init or initialize.</summary>
    public string Action { get; set; } = "";
    /// <summary>The role hastd reports after the change (read back); the role before when nothing was done.</summary>
    public HastRole Role { get; set; }
    /// <summary>False under -WhatIf or when the node was in that role already.</summary>
    public bool Changed { get; set; }
    /// <summary>/dev/hast/NAME exists on the node afterwards.</summary>
    public bool DevicePresent { get; set; }
    /// <summary>The pool exported first (leaving primary under an imported pool); null when none was.</summary>
    public string? PoolExported { get; set; }
    public string Message { get; set; } = "";
    public TimeSpan Duration { get; set; }
}

/// <summary>What a switchover did, step by step, and the state it left, read back from both nodes.</summary>
public sealed class SwitchoverResult
{
    public string FromNode { get; set; } = "";
    public string ToNode { get; set; } = "";
    public bool Changed { get; set; }
    /// <summary>Every step done: the pool is imported on <see cref="ToNode"/>, which is primary for every resource.</summary>
    public bool Succeeded { get; set; }
    /// <summary>The step that failed (export, demote, release, promote, devices, import, carp); null when none did.</summary>
    public string? FailedStep { get; set; }
    /// <summary>The nodes the pool is imported on afterwards: one or none, never two.</summary>
    public List<string> PoolImportedOn { get; set; } = new List<string>();
    /// <summary>Resource → the node it is primary on afterwards (null: primary nowhere, or not known).</summary>
    public Dictionary<string, string?> PrimaryOn { get; set; } = new Dictionary<string, string?>();
    /// <summary>The node holding the CARP address afterwards (null: none, not known, or no carp: section).</summary>
    public string? VipOn { get; set; }
    /// <summary>The state in one line, for people: where the pool is, who is primary, where the VIP is.</summary>
    public string State { get; set; } = "";
    /// <summary>One entry per step and node, in order (Phase is the step's name).</summary>
    public List<PhaseResult> Steps { get; set; } = new List<PhaseResult>();
    public string Message { get; set; } = "";
    public TimeSpan Duration { get; set; }
}
