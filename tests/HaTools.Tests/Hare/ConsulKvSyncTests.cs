using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>Hare's KV import made idempotent: only the difference is written, each write a compare-and-set.</summary>
public class ConsulKvSyncTests
{
    private static IReadOnlyList<KvPair> Layout() => HareKv.Generate(HareFixtures.Example());

    private static List<ConsulKvEntry> Stored(IEnumerable<KvPair> kv, long index = 10) =>
        kv.Select((p, i) => new ConsulKvEntry { Key = p.Key, Value = p.Value, CreateIndex = index + i, ModifyIndex = index + i }).ToList();

    [Fact]
    public void An_empty_kv_gets_every_key_created_only_if_absent()
    {
        var ops = ConsulKvSync.Plan(Layout(), Array.Empty<ConsulKvEntry>());
        Assert.Equal(Layout().Select(p => p.Key), ops.Select(o => o.Key));
        Assert.All(ops, o => Assert.Equal(("cas", 0L, "new"), (o.Verb, o.Index, o.Why)));
    }

    [Fact]
    public void A_kv_that_holds_the_layout_gets_nothing_written()
    {
        Assert.Empty(ConsulKvSync.Plan(Layout(), Stored(Layout())));
    }

    [Fact]
    public void The_running_clusters_keys_are_left_alone_and_the_owned_tree_converges()
    {
        var stored = Stored(Layout());
        // While the cluster runs: the RC leader holds 'leader', hax counted the epoch up, fid-gen raised last_fidk,
        // hax wrote process states; someone changed an endpoint and left a key of a removed service.
        stored.Single(e => e.Key == "leader").Value = "node1";
        stored.Single(e => e.Key == "leader").Session = "adf4238a-882b-9ddc-4a9d-5b6758e4159e";
        stored.Single(e => e.Key == "epoch").Value = "7";
        stored.Single(e => e.Key == "last_fidk").Value = "1000";
        var ep = stored.First(e => e.Key.EndsWith("/endpoint", StringComparison.Ordinal));
        ep.Value = "10.9.9.9@tcp:12345:1:1";
        stored.Add(new ConsulKvEntry { Key = "processes/0x7200000000000001:0x3", Value = "{\"state\":\"M0_CONF_HA_PROCESS_STARTED\"}", ModifyIndex = 90 });
        stored.Add(new ConsulKvEntry { Key = "m0conf/nodes/node9/processes/99/endpoint", Value = "x", ModifyIndex = 91 });
        var ops = ConsulKvSync.Plan(Layout(), stored);
        Assert.Equal(new[] { $"cas {ep.Key} {ep.ModifyIndex} changed", "delete-cas m0conf/nodes/node9/processes/99/endpoint 91 stale" },
            ops.Select(o => $"{o.Verb} {o.Key} {o.Index} {o.Why}"));
        Assert.Equal(Layout().Single(p => p.Key == ep.Key).Value, ops[0].Value);
    }

    [Fact]
    public void Last_fidk_is_raised_to_the_layouts_last_key_but_never_lowered()
    {
        var stored = Stored(Layout());
        var want = Layout().Single(p => p.Key == "last_fidk").Value;
        stored.Single(e => e.Key == "last_fidk").Value = "3";
        var op = Assert.Single(ConsulKvSync.Plan(Layout(), stored));
        Assert.Equal(("cas", "last_fidk", want, "raised"), (op.Verb, op.Key, op.Value, op.Why));
        stored.Single(e => e.Key == "last_fidk").Value = "not a number";
        Assert.Equal("raised", Assert.Single(ConsulKvSync.Plan(Layout(), stored)).Why);
    }

    [Fact]
    public void Txn_bodies_hold_at_most_64_operations_in_consuls_documented_shape()
    {
        var layout = Enumerable.Range(0, 130).Select(i => new KvPair("m0conf/k" + i, "v" + i)).ToList();
        var stored = new List<ConsulKvEntry> { new ConsulKvEntry { Key = "m0conf/old", Value = "x", ModifyIndex = 5 } };
        var ops = ConsulKvSync.Plan(layout, stored);
        var bodies = ConsulKvSync.TxnBodies(ops);
        Assert.Equal(new[] { 64, 64, 3 }, bodies.Select(b => JsonDocument.Parse(b).RootElement.GetArrayLength()));
        var first = JsonDocument.Parse(bodies[0]).RootElement[0].GetProperty("KV");
        Assert.Equal(("cas", "m0conf/k0", "v0", 0), (first.GetProperty("Verb").GetString(), first.GetProperty("Key").GetString(),
            Encoding.UTF8.GetString(Convert.FromBase64String(first.GetProperty("Value").GetString()!)), first.GetProperty("Index").GetInt32()));
        var last = JsonDocument.Parse(bodies[2]).RootElement[2].GetProperty("KV");
        Assert.Equal(("delete-cas", "m0conf/old", 5), (last.GetProperty("Verb").GetString(), last.GetProperty("Key").GetString(), last.GetProperty("Index").GetInt32()));
        Assert.False(last.TryGetProperty("Value", out _));
    }

    [Fact]
    public void The_reads_are_one_round_trip_the_owned_tree_and_each_top_level_key()
    {
        Assert.Equal(new[] { "GET /v1/kv/m0conf/?recurse", "GET /v1/kv/epoch", "GET /v1/kv/leader", "GET /v1/kv/last_fidk" }, ConsulKvSync.Reads().Select(r => r.ToString()));
    }
}
