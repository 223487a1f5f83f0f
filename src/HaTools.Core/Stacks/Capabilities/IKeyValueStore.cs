using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaTools.Core.Stacks;

/// <summary>A cluster-wide key-value store the stack keeps its configuration in (Consul's KV for Hare): read a tree,
/// write a key (optionally compare-and-set), remove one.</summary>
[StackCapability("key-value store")]
public interface IKeyValueStore
{
    /// <summary>Every key under <paramref name="prefix"/> ("" for all), in key order; empty when there is none.</summary>
    Task<IReadOnlyList<KeyValueEntry>> GetKeysAsync(ClusterContext context, string prefix, CancellationToken cancellationToken);

    /// <summary>Write <paramref name="value"/>; with <paramref name="expectedIndex"/>, only if the key's ModifyIndex is still
    /// that (0: only if the key does not exist). Changed is false when the compare failed or under -WhatIf.</summary>
    Task<KeyValueResult> SetKeyAsync(ClusterContext context, string key, string value, long? expectedIndex, IOperationHost host, CancellationToken cancellationToken);

    /// <summary>Remove one key (not a tree). Changed is false under -WhatIf or when it did not exist.</summary>
    Task<KeyValueResult> RemoveKeyAsync(ClusterContext context, string key, IOperationHost host, CancellationToken cancellationToken);
}

/// <summary>One key of a cluster's key-value store.</summary>
public sealed class KeyValueEntry
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
    /// <summary>Changes with every write (the compare of a compare-and-set).</summary>
    public long ModifyIndex { get; set; }
    /// <summary>The session holding the key's lock; null when it is not locked.</summary>
    public string? LockedBy { get; set; }
}

/// <summary>What a write or a removal did.</summary>
public sealed class KeyValueResult
{
    public string Key { get; set; } = "";
    public string Action { get; set; } = "";
    public bool Changed { get; set; }
    public string Message { get; set; } = "";
}
