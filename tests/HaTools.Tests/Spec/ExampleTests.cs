using System.Collections.Generic;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using Xunit;

namespace HaTools.Tests.Spec;

public class ExampleTests
{
    /// <summary>Cluster files; a Hare CDF (*-cdf.yaml) is another format, read by ConvertFrom-HareCdf and tested with it.</summary>
    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(SpecTestUtil.Examples, "*.yaml").Where(f => !f.EndsWith("-cdf.yaml", System.StringComparison.Ordinal)).OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void There_are_examples() => Assert.True(Examples().Count() >= 4);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_loads_without_errors(string file)
    {
        var path = Path.Combine(SpecTestUtil.Examples, file);
        var report = SpecLoader.Validate(path);
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.DoesNotContain(report.Problems, p => p.Severity == Severity.Error);
        Assert.Equal(Path.GetFullPath(path), report.Spec!.SourceFile);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_round_trips_through_the_writer(string file)
    {
        var spec = SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, file));
        var yaml = SpecWriter.ToYaml(spec);
        var again = SpecLoader.LoadText(yaml, "written.yaml");
        Assert.Equal(SpecTestUtil.Content(spec), SpecTestUtil.Content(again));
        Assert.Equal(yaml, SpecWriter.ToYaml(again));
    }

    [Fact]
    public void Lab_example_has_the_lab_layout()
    {
        var spec = SpecLoader.Load(Path.Combine(SpecTestUtil.Examples, "lab.yaml"));
        Assert.Equal("lab", spec.Name);
        Assert.Equal(StackKind.Pacemaker, spec.Stack);
        Assert.Equal(new[] { "node1", "node2", "node3" }, spec.Nodes.Select(n => n.Name));
        Assert.Equal(new[] { "198.18.0.11", "198.18.0.12", "198.18.0.13" }, spec.Nodes.Select(n => n.Address));
        Assert.All(spec.Nodes, n => Assert.Equal("eth0", n.DataIface));
        Assert.Equal("root", spec.Ssh.User);
        Assert.Equal("lab/id_ed25519", spec.Ssh.Identity);
        Assert.Equal("lab/known_hosts", spec.Ssh.KnownHosts);
        Assert.Equal("false", spec.Properties["stonith-enabled"]);
        Assert.Equal("stop", spec.Properties["no-quorum-policy"]);
        Assert.Equal("100", spec.RscDefaults["resource-stickiness"]);
        var vip = spec.Resources.Single(r => r.Name == "vip");
        Assert.Equal("ocf", vip.AgentClass);
        Assert.Equal("heartbeat", vip.AgentProvider);
        Assert.Equal("IPaddr2", vip.AgentType);
        Assert.Equal("198.18.0.100", vip.Params["ip"]);
        Assert.Equal("24", vip.Params["cidr_netmask"]);
        Assert.Equal("10s", vip.Ops.Single().Interval);
        Assert.Equal("20s", vip.Ops.Single().Timeout);
        Assert.Equal("col-svc-vip", spec.Constraints.Colocation.Single().Id);
        Assert.Equal("ord-vip-svc", spec.Constraints.Order.Single().Id);
        var dev = spec.Storage.Devices.Single();
        Assert.Equal(("/root/disk0.img", "ext4", "node1"), (dev.Path, dev.Fstype, dev.Node));
        Assert.Empty(spec.Warnings);
    }

    [Fact]
    public void Defaults_and_generated_ids()
    {
        var spec = SpecLoader.LoadText(
            "name: c\n" +
            "nodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n  - { name: c, address: 192.0.2.3 }\n" +
            "resources:\n  - { name: r1, agent: 'ocf:heartbeat:Dummy' }\n  - { name: r2, agent: 'systemd:nginx', ops: [ { name: monitor } ] }\n" +
            "constraints:\n" +
            "  location:\n    - { resource: r1, prefers: a }\n    - { resource: r1, avoids: b, score: 50 }\n" +
            "  colocation:\n    - { resource: r2, with: r1 }\n" +
            "  order:\n    - { first: r1, then: r2 }\n", "mem.yaml");
        Assert.Equal(StackKind.Pacemaker, spec.Stack);
        Assert.Equal("", spec.SourceFile);
        Assert.Equal("knet", spec.Corosync.Transport);
        Assert.True(spec.Corosync.Crypto);
        Assert.Equal(("aes256", "sha256"), (spec.Corosync.CryptoCipher, spec.Corosync.CryptoHash));
        Assert.Null(spec.Quorum.TwoNode);
        Assert.All(spec.Nodes, n => Assert.Null(n.NodeId));
        Assert.Equal("0", spec.Resources[1].Ops[0].Interval);
        Assert.Null(spec.Resources[1].AgentProvider);
        Assert.Equal("nginx", spec.Resources[1].AgentType);
        var loc = spec.Constraints.Location;
        Assert.Equal(("loc-r1-a", "INFINITY", false), (loc[0].Id, loc[0].Score, loc[0].Avoids));
        Assert.Equal(("loc-r1-avoid-b", "50", true, "b"), (loc[1].Id, loc[1].Score, loc[1].Avoids, loc[1].Node));
        Assert.Equal(("col-r2-r1", "INFINITY"), (spec.Constraints.Colocation[0].Id, spec.Constraints.Colocation[0].Score));
        Assert.Equal(("ord-r1-r2", "Mandatory"), (spec.Constraints.Order[0].Id, spec.Constraints.Order[0].Kind));
    }

    [Fact]
    public void Two_nodes_without_two_node_is_a_warning_not_an_error()
    {
        var spec = SpecLoader.LoadText("name: c\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n", "w.yaml");
        var w = Assert.Single(spec.Warnings);
        Assert.Equal(Severity.Warning, w.Severity);
        Assert.Equal("quorum.two_node", w.Field);
        Assert.Contains("two_node will be on", w.Message);
        var report = SpecLoader.ValidateText("name: c\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n", "w.yaml");
        Assert.True(report.IsValid);
        Assert.Single(report.Problems);
    }

    [Fact]
    public void Expected_votes_above_node_count_warns()
    {
        var spec = SpecLoader.LoadText("name: c\nnodes:\n  - { name: a, address: 192.0.2.1 }\nquorum:\n  expected_votes: 3\n", "w.yaml");
        Assert.Contains(spec.Warnings, w => w.Field == "quorum.expected_votes");
    }

    [Fact]
    public void Booleans_in_maps_are_lower_case_and_text_is_kept()
    {
        var spec = SpecLoader.LoadText(
            "name: c\nnodes: [ { name: a, address: a.example.org } ]\nproperties:\n  stonith-enabled: False\n  cluster-recheck-interval: 015min\n" +
            "resources:\n  - name: r\n    agent: ocf:heartbeat:Dummy\n    params: { a: TRUE, b: '007', c: \"x\\ty\" }\n", "m.yaml");
        Assert.Equal("false", spec.Properties["stonith-enabled"]);
        Assert.Equal("015min", spec.Properties["cluster-recheck-interval"]);
        Assert.Equal("true", spec.Resources[0].Params["a"]);
        Assert.Equal("007", spec.Resources[0].Params["b"]);
        Assert.Equal("x\ty", spec.Resources[0].Params["c"]);
    }

    [Fact]
    public void Crypto_map_and_udpu_without_crypto()
    {
        var a = SpecLoader.LoadText("name: c\nnodes: [ { name: a, address: local } ]\ncorosync: { crypto: { cipher: aes128, hash: sha512 } }\n", "a.yaml");
        Assert.Equal((true, "aes128", "sha512"), (a.Corosync.Crypto, a.Corosync.CryptoCipher, a.Corosync.CryptoHash));
        var b = SpecLoader.LoadText("name: c\nnodes: [ { name: a, address: local } ]\ncorosync: { transport: udpu }\n", "b.yaml");
        Assert.False(b.Corosync.Crypto);
        var c = SpecLoader.LoadText("name: c\nnodes: [ { name: a, address: local } ]\ncorosync: { crypto: { cipher: none, hash: none } }\n", "c.yaml");
        Assert.False(c.Corosync.Crypto);
    }

    [Fact]
    public void Consul_stack_reads_common_sections()
    {
        var spec = SpecLoader.LoadText("name: kv\nstack: consul\nssh: { user: admin, port: 2222, host_key_policy: accept-new }\nnodes:\n  - { name: a, address: '2001:db8::1', ssh: { connect_timeout: 9 } }\n", "c.yaml");
        Assert.Equal(StackKind.Consul, spec.Stack);
        Assert.Equal(HostKeyPolicy.AcceptNew, spec.Ssh.HostKeyPolicy);
        Assert.Equal(2222, spec.Ssh.Port);
        Assert.Equal(9, spec.Nodes[0].Ssh.ConnectTimeoutSec);
        Assert.Equal("2001:db8::1", spec.Nodes[0].Address);
    }

    [Fact]
    public void Constraint_naming_a_cloned_primitive_warns()
    {
        var spec = SpecLoader.LoadText(
            "name: c\nnodes: [ { name: a, address: local } ]\n" +
            "resources:\n  - { name: p, agent: 'systemd:haproxy' }\n  - { name: v, agent: 'ocf:heartbeat:IPaddr2' }\n" +
            "clones:\n  - { name: cl-p, resource: p }\n" +
            "constraints:\n  colocation:\n    - { resource: v, with: p }\n", "w.yaml");
        var w = Assert.Single(spec.Warnings);
        Assert.Equal("constraints.colocation[0].with", w.Field);
        Assert.Contains("name the clone", w.Message);
    }
}
