using System;
using System.Linq;
using System.Text;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

public class HareKvTests
{
    private static ClusterSpec Example() => HareFixtures.Example();

    private static string Lines(System.Collections.Generic.IEnumerable<KvPair> kv) => string.Concat(kv.Select(p => p.Key + "=" + p.Value + "\n"));

    [Fact]
    public void The_example_gives_the_golden_kv_layout()
    {
        Assert.Equal(HareFixtures.Read("consul-example.kv"), Lines(HareKv.Generate(Example())));
    }

    [Fact]
    public void The_layout_is_hares_keys_with_fids_and_endpoints_in_hares_formats()
    {
        var kv = HareKv.Generate(Example()).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("1", kv["epoch"]);
        Assert.Equal("", kv["leader"]);
        Assert.Equal("0x7000000000000001:0x1", kv["m0conf/profiles"]);
        Assert.Equal("0x6f00000000000001:0x2", kv["m0conf/profiles/pools"]);
        Assert.Equal("tier1", kv["m0conf/pools/0x6f00000000000001:0x2"]);
        Assert.Equal("{\"name\":\"default\",\"pools\":[\"tier1\"]}", kv["m0conf/profiles/0x7000000000000001:0x1"]);
        // hax is portal 1, m0d servers 2, S3 3, other clients 4; tmid counts per IP and portal (cfgen's Endpoint).
        Assert.Equal("198.18.0.11@tcp:12345:1:1", kv["m0conf/nodes/node1/processes/3/endpoint"]);
        Assert.Equal("198.18.0.11@tcp:12345:2:1", kv["m0conf/nodes/node1/processes/5/endpoint"]);
        Assert.Equal("198.18.0.11@tcp:12345:2:2", kv["m0conf/nodes/node1/processes/8/endpoint"]);
        Assert.Equal("198.18.0.13@tcp:12345:3:1", kv.Single(p => p.Key.StartsWith("m0conf/nodes/node3/", StringComparison.Ordinal) && p.Value.Contains(":3:")).Value);
        Assert.Equal("4", kv["m0conf/nodes/node1/processes/3/services/ha"]);
        Assert.Equal(kv["last_fidk"], kv.Where(p => p.Key.Contains("/services/", StringComparison.Ordinal)).Select(p => long.Parse(p.Value)).Max().ToString());
        // Every key is unique and the same file gives the same bytes.
        Assert.Equal(Lines(HareKv.Generate(Example())), Lines(HareKv.Generate(Example())));
    }

    [Fact]
    public void Process_fids_are_the_ones_the_kv_numbers()
    {
        var spec = Example();
        var fids = HareKv.ProcessFids(spec);
        var confd = spec.Section<ConsulSection>().Services.First(s => s.Name == "confd");
        Assert.Equal("0x7200000000000001:0x5", fids[confd]);
        Assert.Equal(10, fids.Count); // every service of the example is a Motr process, the external client too
    }

    [Fact]
    public void Import_json_is_consul_kv_exports_shape_with_base64_values()
    {
        var kv = new[] { new KvPair("leader", ""), new KvPair("m0conf/profiles/x", "{\"name\":\"a\\\"b\"}"), new KvPair("epoch", "1") };
        Assert.Equal(
            "[\n  {\"key\":\"leader\",\"flags\":0,\"value\":\"\"},\n" +
            "  {\"key\":\"m0conf/profiles/x\",\"flags\":0,\"value\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"name\":\"a\\\"b\"}")) + "\"},\n" +
            "  {\"key\":\"epoch\",\"flags\":0,\"value\":\"MQ==\"}\n]\n",
            HareKv.ToImportJson(kv));
    }

    [Fact]
    public void A_motr_node_known_by_host_name_only_needs_the_ip_read_on_it()
    {
        var spec = SpecLoader.LoadText("name: c\nstack: consul\nnodes: [ { name: n1, address: n1.example, data_iface: eth0 } ]\n" +
            "services:\n  - { name: hax, node: n1, unit: hare-hax, phase: 1 }\n", "c.yaml");
        var e = Assert.Throws<HaException>(() => HareKv.Generate(spec));
        Assert.Equal("n1", e.Target);
        Assert.Contains("read on the node at bootstrap", e.Message);
        // With the address its data interface has (what the bootstrap's pre-flight reads), the endpoint uses it.
        var kv = HareKv.Generate(spec, new System.Collections.Generic.Dictionary<string, string> { ["n1"] = "10.0.0.7" });
        Assert.Equal("10.0.0.7@tcp:12345:1:1", kv.Single(p => p.Key.EndsWith("/endpoint", StringComparison.Ordinal)).Value);
    }
}
