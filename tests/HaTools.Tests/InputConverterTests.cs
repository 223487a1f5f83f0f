using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using HaTools.PowerShell.Infrastructure;
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
