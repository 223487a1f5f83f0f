using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Hare;

public class ConsulSpecTests
{
    private static ClusterSpec Example() => HareFixtures.Example();

    private static ClusterSpec Load(string body) =>
        SpecLoader.LoadText("name: c\nstack: consul\nnodes:\n  - { name: n1, address: 192.0.2.1 }\n  - { name: n2, address: 192.0.2.2 }\n" + body, "c.yaml");

    [Fact]
    public void The_example_reads_into_the_consul_section()
    {
        var spec = Example();
        var s = spec.Section<ConsulSection>();
        Assert.Equal(StackKind.Consul, spec.Stack);
        Assert.Equal(new[] { "node1", "node2", "node3" }, s.Consul.Servers);
        Assert.Equal("dc1", s.Consul.Datacenter);
        Assert.Equal("secrets/consul-gossip.key", s.Consul.Encrypt!.File);
        Assert.Null(s.Consul.Encrypt.Env);
        Assert.Equal("HATOOLS_CONSUL_TOKEN", s.Consul.AclToken!.Env);
        Assert.True(s.Consul.Ports.IsDefault);
        Assert.Equal(10, s.Services.Count);
        var ios = s.Services.First(x => x.Name == "ios");
        Assert.Equal(("node1", "m0d@{fid}", "mero-mkfs@{fid}", 2), (ios.Node, ios.Unit, ios.MkfsUnit, ios.Phase));
        Assert.Equal(new[] { "/dev/vdb", "/dev/vdc" }, ios.Disks);
        var s3 = s.Services.Single(x => x.Name == "s3server");
        Assert.Equal((HealthKind.Tcp, "127.0.0.1:28081", "5s"), (s3.Health.Kind, s3.Health.Target, s3.Health.Interval));
        var client = s.Services.Single(x => x.Name == "m0_client");
        Assert.True(client.External);
        Assert.Equal(0, client.Phase);
        Assert.Equal(("tier1", 2, 1), (s.Pools[0].Name, s.Pools[0].DataUnits, s.Pools[0].ParityUnits));
        Assert.Equal(new[] { "tier1" }, s.Profiles[0].Pools);
    }

    [Fact]
    public void The_consul_section_round_trips_through_the_writer()
    {
        var spec = Example();
        var yaml = SpecWriter.ToYaml(spec);
        var again = SpecLoader.LoadText(yaml, "written.yaml");
        Assert.Equal(SpecTestUtil.Content(spec.Section<ConsulSection>()), SpecTestUtil.Content(again.Section<ConsulSection>()));
        Assert.Equal(yaml, SpecWriter.ToYaml(again));
        Assert.Contains("consul:\n  servers: [node1, node2, node3]\n  encrypt: { file: secrets/consul-gossip.key }\n  acl_token: { env: HATOOLS_CONSUL_TOKEN }\n", yaml);
        Assert.Contains("  - name: s3server\n    node: node3\n    unit: \"s3server@{fid}\"\n    health: { tcp: \"127.0.0.1:28081\", interval: 5s }\n    phase: 3\n", yaml);
    }

    [Fact]
    public void Every_non_default_field_round_trips()
    {
        var spec = Load("consul:\n  datacenter: west_1\n  servers: [n2]\n  ports: { http: 18500, dns: 18600, serf_lan: 18301, serf_wan: 18302, server: 18300 }\n" +
            "  encrypt: { env: GOSSIP }\n  acl_token: { file: /etc/hatools/token }\n" +
            "services:\n  - { name: web, id: web-a, node: n1, command: [/usr/bin/web, --port, '80'], mkfs: { command: [/usr/bin/init-web] }, " +
            "health: { http: \"http://127.0.0.1:80/health\", interval: 2s, timeout: 3s }, phase: 4 }\n" +
            "  - { name: job, node: n2, unit: job.service, mkfs: { unit: job-init.service }, health: { script: [/usr/bin/check, job] }, phase: 1, disks: [/dev/sdb] }\n" +
            "pools:\n  - { name: p, data_units: 1, parity_units: 0, spare_units: 0 }\nprofiles:\n  - { name: all, pools: [p] }\n" +
            "  - { name: dup, pools: [p] }\n");
        var again = SpecLoader.LoadText(SpecWriter.ToYaml(spec), "w.yaml");
        Assert.Equal(SpecTestUtil.Content(spec.Section<ConsulSection>()), SpecTestUtil.Content(again.Section<ConsulSection>()));
        var s = again.Section<ConsulSection>();
        Assert.Equal(("west_1", 18500, 18300), (s.Consul.Datacenter, s.Consul.Ports.Http, s.Consul.Ports.Server));
        Assert.Equal(new[] { "/usr/bin/web", "--port", "80" }, s.Services[0].Command);
        Assert.Equal((HealthKind.Script, "job-init.service"), (s.Services[1].Health.Kind, s.Services[1].MkfsUnit));
    }

    [Fact]
    public void Without_a_servers_list_every_node_is_a_server_and_no_section_at_all_is_allowed()
    {
        Assert.Equal(new[] { "n1", "n2" }, Load("").Section<ConsulSection>().Consul.Servers);
        Assert.Equal(new[] { "n1", "n2" }, Load("consul: { datacenter: d }\n").Section<ConsulSection>().Consul.Servers);
        Assert.True(Load("consul: { servers: [n2] }\n").Section<ConsulSection>().IsServer("n2"));
        Assert.False(Load("consul: { servers: [n2] }\n").Section<ConsulSection>().IsServer("n1"));
    }

    [Fact]
    public void A_secret_written_in_the_file_is_refused_and_not_repeated_in_the_message()
    {
        const string Key = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=";
        var e = Assert.Throws<SpecException>(() => Load($"consul:\n  encrypt: {Key}\n  acl_token: s3cr3t-token\n"));
        Assert.Equal(2, e.Problems.Count);
        Assert.All(e.Problems, p => Assert.DoesNotContain(Key, p.ToString()));
        Assert.All(e.Problems, p => Assert.DoesNotContain("s3cr3t-token", p.ToString()));
        Assert.Equal(new[] { "consul.encrypt", "consul.acl_token" }, e.Problems.Select(p => p.Field));
    }

    [Fact]
    public void A_motr_process_needs_an_ip_address_for_its_endpoint()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.LoadText(
            "name: c\nstack: consul\nnodes: [ { name: n1, address: n1.example } ]\nservices:\n  - { name: hax, node: n1, unit: hare-hax, phase: 1 }\n", "c.yaml"));
        var p = Assert.Single(e.Problems);
        Assert.Equal(("services[0].node", 5, 24), (p.Field, p.Line, p.Column));
        Assert.Contains("needs an IP address for its endpoint", p.Message);
    }

    [Fact]
    public void Pacemaker_sections_stay_refused_and_consul_sections_are_refused_under_pacemaker()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.LoadText(
            "name: c\nnodes: [ { name: n1, address: 192.0.2.1 } ]\nconsul: { servers: [n1] }\npools: []\n", "c.yaml"));
        Assert.Equal(new[] { "consul", "pools" }, e.Problems.Select(p => p.Field));
        Assert.All(e.Problems, p => Assert.Contains("only valid with stack: consul (this file has stack: pacemaker)", p.Message));
    }
}
