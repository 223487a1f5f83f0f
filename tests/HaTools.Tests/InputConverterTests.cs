using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using HaTools.PowerShell.Infrastructure;
using Shared = HaTools.Core.Input;
using Xunit;

namespace HaTools.Tests;

public class InputConverterTests
{
    private static Func<string, string> Invalid => n => "invalid " + n;
    private static Func<int, int, string> Mismatch => (a, n) => $"{a} vs {n}";

    [Fact]
    public void Name_equals_address_pairs()
    {
        var nodes = InputConverters.Nodes(new[] { "node1=10.0.0.11", "node2 = 10.0.0.12" }, null, Invalid, Mismatch);
        Assert.Equal(new[] { ("node1", "10.0.0.11"), ("node2", "10.0.0.12") }, nodes.Select(n => (n.Name, n.Address)));
    }

    [Fact]
    public void Names_with_addresses_or_alone()
    {
        Assert.Equal("10.0.0.1", InputConverters.Nodes(new[] { "a" }, new[] { "10.0.0.1" }, Invalid, Mismatch)[0].Address);
        Assert.Equal("a.example", InputConverters.Nodes(new[] { "a.example" }, null, Invalid, Mismatch)[0].Address);
    }

    [Theory]
    [InlineData("-bad=1.2.3.4")]
    [InlineData("a b")]
    [InlineData("node1=")]
    [InlineData("node1=1.2.3.4 ; rm -rf /")]
    [InlineData("$(reboot)")]
    public void Bad_nodes_are_refused(string entry) =>
        Assert.Throws<ArgumentException>(() => InputConverters.Nodes(new[] { entry }, null, Invalid, Mismatch));

    [Fact]
    public void Address_count_must_match() =>
        Assert.Equal("1 vs 2", Assert.Throws<ArgumentException>(() => InputConverters.Nodes(new[] { "a", "b" }, new[] { "x" }, Invalid, Mismatch)).Message);

    [Fact]
    public void Hashtables_become_string_dictionaries()
    {
        var target = new Dictionary<string, string>();
        InputConverters.CopyTo(new Hashtable { ["ip"] = "10.0.0.50", ["cidr_netmask"] = 24, ["flag"] = true }, target, "Parameter", (p, k) => k);
        Assert.Equal("10.0.0.50", target["ip"]);
        Assert.Equal("24", target["cidr_netmask"]);
        Assert.Equal("true", target["flag"]);
        Assert.Throws<ArgumentException>(() => InputConverters.CopyTo(new Hashtable { ["x"] = null }, target, "Parameter", (p, k) => k));
    }

    [Fact]
    public void Operation_hashtable()
    {
        var op = InputConverters.Operation(new Hashtable { ["Name"] = "monitor", ["interval"] = "10s", ["timeout"] = "20s" }, 0, (i, w) => w, k => k);
        Assert.Equal(("monitor", "10s", "20s"), (op.Name, op.Interval, op.Timeout));
        Assert.Throws<ArgumentException>(() => InputConverters.Operation(new Hashtable { ["depth"] = 1 }, 0, (i, w) => w, k => k));
    }

    [Fact]
    public void Cluster_file_choice()
    {
        Assert.Equal("a.yaml", ClusterFileLocator.Choose("a.yaml", "env.yaml"));
        Assert.Equal("env.yaml", ClusterFileLocator.Choose(null, "env.yaml"));
        Assert.Equal("./cluster.yaml", ClusterFileLocator.Choose(null, " "));
    }
}

/// <summary>The converters both fronts share (HaTools.Core.Input): hatools' words give what the cmdlets' hashtables give.</summary>
public class SharedInputTests
{
    [Fact]
    public void Key_value_words_become_the_same_table_as_a_hashtable()
    {
        var words = Shared.InputConverters.KeyValues(new[] { "ip=10.0.0.50", "cidr_netmask=24", "opts=a=b" }, w => "bad " + w);
        var fromWords = new Dictionary<string, string>();
        var fromTable = new Dictionary<string, string>();
        Shared.InputConverters.CopyTo(words, fromWords, "Parameter", (p, k) => k);
        InputConverters.CopyTo(new Hashtable { ["ip"] = "10.0.0.50", ["cidr_netmask"] = 24, ["opts"] = "a=b" }, fromTable, "Parameter", (p, k) => k);
        Assert.Equal(fromTable.OrderBy(kv => kv.Key), fromWords.OrderBy(kv => kv.Key));
        Assert.Equal("bad =x", Assert.Throws<ArgumentException>(() => Shared.InputConverters.KeyValues(new[] { "=x" }, w => "bad " + w)).Message);
        Assert.Throws<ArgumentException>(() => Shared.InputConverters.KeyValues(new[] { "novalue" }, w => w));
    }

    [Fact]
    public void An_operation_word_is_read_like_an_operation_hashtable()
    {
        var word = Shared.InputConverters.Operation("name=monitor,interval=10s,timeout=20s,role=Promoted", 0, (i, w) => w, k => k);
        var table = InputConverters.Operation(new Hashtable { ["name"] = "monitor", ["interval"] = "10s", ["timeout"] = "20s", ["role"] = "Promoted" }, 0, (i, w) => w, k => k);
        Assert.Equal((table.Name, table.Interval, table.Timeout, table.Role), (word.Name, word.Interval, word.Timeout, word.Role));
        Assert.Equal("#2 unknown depth", Assert.Throws<ArgumentException>(() =>
            Shared.InputConverters.Operation("name=monitor,depth=1", 1, (i, w) => $"#{i + 1} {w}", k => "unknown " + k)).Message);
        Assert.Throws<ArgumentException>(() => Shared.InputConverters.Operation("monitor", 0, (i, w) => w, k => k));
    }

    [Theory]
    [InlineData("644", "0644")]
    [InlineData("0600", "0600")]
    [InlineData("0755", "0755")]
    [InlineData("888", null)]
    [InlineData("1644", null)]
    [InlineData("64", null)]
    [InlineData("u+x", null)]
    public void File_modes_as_the_nodes_get_them(string given, string? expected) =>
        Assert.Equal(expected, Shared.InputConverters.FileMode(given));

    [Fact]
    public void A_resource_without_a_monitor_gets_the_default_one_and_an_explicit_monitor_replaces_it()
    {
        var plain = Shared.ResourceRequest.Build("vip", "ocf:heartbeat:IPaddr2", new Hashtable { ["ip"] = "10.0.0.50" }, null, null, (p, k) => k);
        var op = Assert.Single(plain.Ops);
        Assert.Equal(("monitor", "10s", "20s", (string?)null), (op.Name, op.Interval, op.Timeout, op.Role));
        Assert.Equal("10.0.0.50", plain.Params["ip"]);

        var start = new HaTools.Core.Spec.OperationSpec { Name = "start", Interval = "0", Timeout = "60s" };
        var withStart = Shared.ResourceRequest.Build("vip", "ocf:heartbeat:IPaddr2", null, null, new[] { start }, (p, k) => k);
        Assert.Equal(new[] { "start", "monitor" }, withStart.Ops.Select(o => o.Name));

        var monitor = new HaTools.Core.Spec.OperationSpec { Name = "monitor", Interval = "30s" };
        var own = Shared.ResourceRequest.Build("vip", "ocf:heartbeat:IPaddr2", null, null, new[] { monitor }, (p, k) => k);
        Assert.Equal("30s", Assert.Single(own.Ops).Interval);
        Assert.Equal("Meta x", Assert.Throws<ArgumentException>(() =>
            Shared.ResourceRequest.Build("vip", "ocf:heartbeat:IPaddr2", null, new Hashtable { ["x"] = null }, null, (p, k) => $"{p} {k}")).Message);
    }
}
