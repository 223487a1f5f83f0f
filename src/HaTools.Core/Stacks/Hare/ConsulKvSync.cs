using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace HaTools.Core.Stacks.Hare;

/// <summary>One write of the KV import, as a <c>/v1/txn</c> operation.</summary>
public sealed class KvOp
{
    public KvOp(string verb, string key, string? value, long index, string why)
    {
        Verb = verb; Key = key; Value = value; Index = index; Why = why;
    }

    /// <summary><c>cas</c> (Index 0: create only) or <c>delete-cas</c>.</summary>
    public string Verb { get; }
    public string Key { get; }
    public string? Value { get; }
    /// <summary>The ModifyIndex read before: the write fails (409) when someone changed the key since.</summary>
    public long Index { get; }
    /// <summary>new, changed, raised, stale.</summary>
    public string Why { get; }

    public override string ToString() => $"{Why} {Key}";
}

/// <summary>
/// Hare's KV import (<c>consul kv import</c> of cfgen's consul-kv.json, a plain PUT per key) made idempotent: the keys
/// the cluster file declares are compared with what the KV holds, and only the difference is written, each write a
/// compare-and-set on the ModifyIndex read, in <c>/v1/txn</c> batches (atomic each). A re-run writes nothing.
/// <list type="bullet">
/// <item>Under <c>m0conf/</c> HaTools owns the tree: missing keys are created, changed ones set, keys the file no
/// longer declares removed.</item>
/// <item><c>epoch</c> and <c>leader</c> are only created when absent: the RC leader and hax change them while the
/// cluster runs (the leader key is locked by a session; writing it would break the election).</item>
/// <item><c>last_fidk</c> is created when absent and raised when below the file's last key, never lowered (Hare's
/// fid-gen counts up from it).</item>
/// </list>
/// Everything else (processes/, stats/, eq/, bq/ …) is the running cluster's and is not touched.
/// </summary>
public static class ConsulKvSync
{
    public const string OwnedPrefix = "m0conf/";
    public static readonly IReadOnlyList<string> CreateOnly = new[] { "epoch", "leader" };
    public const string RaiseOnly = "last_fidk";
    /// <summary>Operations per transaction (Consul documented 64 in older versions, 128 now).</summary>
    public const int Batch = 64;

    /// <summary>The reads the comparison needs (one round trip): the owned tree, then each top-level key.</summary>
    public static IReadOnlyList<ConsulRequest> Reads() =>
        new[] { ConsulPaths.KvTree(OwnedPrefix) }.Concat(CreateOnly.Concat(new[] { RaiseOnly }).Select(ConsulPaths.KvGet)).ToList();

    /// <summary>What to write so the KV holds <paramref name="layout"/>, from what it holds now (every entry read by <see cref="Reads"/>).</summary>
    public static IReadOnlyList<KvOp> Plan(IReadOnlyList<KvPair> layout, IReadOnlyList<ConsulKvEntry> current)
    {
        var have = current.GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var ops = new List<KvOp>();
        foreach (var p in layout)
        {
            have.TryGetValue(p.Key, out var now);
            if (now == null) ops.Add(new KvOp("cas", p.Key, p.Value, 0, "new"));
            else if (CreateOnly.Contains(p.Key)) continue;
            else if (p.Key == RaiseOnly)
            {
                if (long.TryParse(now.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && long.TryParse(p.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var want) && n >= want) continue;
                ops.Add(new KvOp("cas", p.Key, p.Value, now.ModifyIndex, "raised"));
            }
            else if (now.Value != p.Value) ops.Add(new KvOp("cas", p.Key, p.Value, now.ModifyIndex, "changed"));
        }
        var declared = new HashSet<string>(layout.Select(p => p.Key), StringComparer.Ordinal);
        foreach (var e in current.Where(e => e.Key.StartsWith(OwnedPrefix, StringComparison.Ordinal) && !declared.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            ops.Add(new KvOp("delete-cas", e.Key, null, e.ModifyIndex, "stale"));
        return ops;
    }

    /// <summary>The <c>/v1/txn</c> bodies, at most <see cref="Batch"/> operations each, values base64.</summary>
    public static IReadOnlyList<string> TxnBodies(IReadOnlyList<KvOp> ops)
    {
        var bodies = new List<string>();
        for (var i = 0; i < ops.Count; i += Batch)
            bodies.Add(JsonText.Compact(ops.Skip(i).Take(Batch).Select(op => new JObj
            {
                { "KV", new JObj
                    {
                        { "Verb", op.Verb },
                        { "Key", op.Key },
                        { "Value", op.Value == null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(op.Value)) },
                        { "Index", op.Index },
                    }
                },
            }).ToList()));
        return bodies;
    }
}
