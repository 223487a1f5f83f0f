using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;

namespace HaTools.Core.Input;

/// <summary>The primitive both fronts send for "add a resource" (New-HaResource, hatools resource add): one builder,
/// so the same request gives the same CIB from either front.</summary>
public static class ResourceRequest
{
    /// <summary>The monitor added when the request names none: pcs resource create adds one too (a resource nobody
    /// monitors is never seen to fail, so never recovered). pcs takes its interval from the agent's metadata; reading
    /// that would cost a node round trip per add, so this is the value ocf:heartbeat:IPaddr2 and ocf:pacemaker:Dummy
    /// declare (crm_resource --show-metadata: monitor interval 10s, timeout 20s). An explicit monitor op replaces it.</summary>
    public static OperationSpec DefaultMonitor() => new OperationSpec { Name = "monitor", Interval = "10s", Timeout = "20s" };

    /// <summary>Parameters and meta attributes as tables (a hashtable, or <see cref="InputConverters.KeyValues"/> of
    /// key=value words); <paramref name="nullValue"/> words the refusal of a null value (parameter name, key).</summary>
    public static PrimitiveSpec Build(string name, string agent, IDictionary? parameters, IDictionary? meta,
        IEnumerable<OperationSpec>? operations, Func<string, string, string> nullValue)
    {
        var spec = new PrimitiveSpec { Name = name, Agent = agent };
        Sorted(parameters, spec.Params, "Parameter", nullValue);
        Sorted(meta, spec.Meta, "Meta", nullValue);
        spec.Ops.AddRange(operations ?? Enumerable.Empty<OperationSpec>());
        if (!spec.Ops.Any(o => o.Name == "monitor")) spec.Ops.Add(DefaultMonitor());
        return spec;
    }

    // A hashtable has no order and hatools' words have the typed one: both become key order, so the nvpairs come
    // out the same from either front (Pacemaker gives their order no meaning).
    private static void Sorted(IDictionary? table, Dictionary<string, string> target, string parameterName, Func<string, string, string> nullValue)
    {
        var read = new Dictionary<string, string>();
        InputConverters.CopyTo(table, read, parameterName, nullValue);
        foreach (var kv in read.OrderBy(kv => kv.Key, StringComparer.Ordinal)) target[kv.Key] = kv.Value;
    }
}
