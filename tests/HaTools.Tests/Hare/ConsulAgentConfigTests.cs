using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>The agent configuration of each node: golden files for the example (made by HaTools, checked by hand
/// against Consul's agent configuration reference), and the rules they follow.</summary>
public class ConsulAgentConfigTests
{
    private static readonly Dictionary<string, string> Probed = new Dictionary<string, string> { ["node1"] = "198.18.0.11", ["node2"] = "198.18.0.12", ["node3"] = "198.18.0.13" };

    private static ClusterSpec Example() => HareFixtures.Example();

    private static IReadOnlyDictionary<string, string> Addresses(ClusterSpec spec) => ConsulAgentConfig.DataAddresses(spec, Probed);

    /// <summary>A server and a client with other ports, the server's data interface read on the node.</summary>
    internal static ClusterSpec ServerAndClient() => SpecLoader.LoadText(
        "name: kv\nstack: consul\nnodes:\n  - { name: s1, address: 10.0.0.1, data_iface: eth1 }\n  - { name: c1, address: 10.0.0.2 }\n" +
        "consul:\n  datacenter: lab-2\n  servers: [s1]\n  ports: { http: 18500, dns: 18600, serf_lan: 18301, serf_wan: 18302, server: 18300 }\n  acl_token: { env: T }\n" +
        "services:\n  - { name: web, node: c1, command: [/usr/bin/web, --port, \"8080\"], health: { http: \"http://127.0.0.1:8080/ok\", interval: 5s, timeout: 2s }, phase: 1 }\n" +
        "  - { name: cron, id: cron-a, node: c1, unit: cron, health: { script: [/usr/local/bin/check-cron, \"-q\"] }, phase: 2 }\n", "kv.yaml");

    private static string Golden(string name) => HareFixtures.Read(name);

    [Fact]
    public void The_example_gives_the_golden_agent_configuration_of_a_server()
    {
        var spec = Example();
        Assert.Equal(Golden("consul-agent-node1.json"), ConsulAgentConfig.Agent(spec, "node1", Addresses(spec)));
    }

    [Fact]
    public void A_client_joins_every_server_and_non_default_ports_go_into_retry_join()
    {
        var spec = ServerAndClient();
        var addrs = ConsulAgentConfig.DataAddresses(spec, new Dictionary<string, string> { ["s1"] = "192.168.7.1", ["c1"] = "ignored: c1 has no data_iface" });
        Assert.Equal(Golden("consul-agent-client.json"), ConsulAgentConfig.Agent(spec, "c1", addrs));
        var server = JsonDocument.Parse(ConsulAgentConfig.Agent(spec, "s1", addrs)).RootElement;
        Assert.Equal("192.168.7.1", server.GetProperty("bind_addr").GetString());
        Assert.Equal(1, server.GetProperty("bootstrap_expect").GetInt32());
        Assert.Empty(server.GetProperty("retry_join").EnumerateArray());
        // ACLs need the primary datacenter named.
        Assert.Equal("lab-2", server.GetProperty("primary_datacenter").GetString());
    }

    [Fact]
    public void Every_server_expects_all_servers_and_joins_the_others_and_http_stays_on_loopback()
    {
        var spec = Example();
        foreach (var n in new[] { "node1", "node2", "node3" })
        {
            var o = JsonDocument.Parse(ConsulAgentConfig.Agent(spec, n, Addresses(spec))).RootElement;
            Assert.True(o.GetProperty("server").GetBoolean());
            Assert.Equal(3, o.GetProperty("bootstrap_expect").GetInt32());
            Assert.Equal(Probed.Where(p => p.Key != n).Select(p => p.Value), o.GetProperty("retry_join").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(Probed[n], o.GetProperty("advertise_addr").GetString());
            Assert.Equal("127.0.0.1", o.GetProperty("client_addr").GetString());
            Assert.Equal("motr", o.GetProperty("node_meta").GetProperty(ConsulAgentConfig.ClusterMetaKey).GetString());
            Assert.False(o.TryGetProperty("encrypt", out _));
            Assert.False(o.TryGetProperty("leave_on_terminate", out _));
        }
    }

    [Fact]
    public void The_services_file_holds_each_service_with_its_check_its_phase_and_for_motr_its_fid_and_endpoint()
    {
        var spec = Example();
        var motr = HareKv.Processes(spec, Addresses(spec));
        Assert.Equal(Golden("consul-services-node3.json"), ConsulAgentConfig.Services(spec, "node3", motr));
        var node1 = JsonDocument.Parse(ConsulAgentConfig.Services(spec, "node1", motr)).RootElement.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(new[] { "hax", "confd", "ios" }, node1.Select(s => s.GetProperty("id").GetString()));
        var confd = node1[1];
        Assert.Equal(new[] { "phase=1", "fid=0x7200000000000001:0x5", "ep=198.18.0.11@tcp:12345:2:1" }, confd.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var check = confd.GetProperty("check");
        Assert.Equal("service:confd", check.GetProperty("id").GetString());
        Assert.Equal("warning", check.GetProperty("status").GetString());
        // The unit with the process fid in place of {fid}, as the last argument of Hare's check-service semantics.
        Assert.Equal("m0d@0x7200000000000001:0x5", check.GetProperty("args").EnumerateArray().Last().GetString());
        var client = JsonDocument.Parse(ConsulAgentConfig.Services(ServerAndClient(), "c1", Array.Empty<MotrProcess>())).RootElement.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal("http://127.0.0.1:8080/ok", client[0].GetProperty("check").GetProperty("http").GetString());
        Assert.Equal("2s", client[0].GetProperty("check").GetProperty("timeout").GetString());
        Assert.Equal(new[] { "/usr/local/bin/check-cron", "-q" }, client[1].GetProperty("check").GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("service:cron-a", client[1].GetProperty("check").GetProperty("id").GetString());
    }

    [Fact]
    public void The_unit_check_judges_a_unit_as_hares_check_service_does()
    {
        // Run the check script for real against an init script stand-in: LSB status 0 running, 3 stopped, 1 dead.
        var dir = Directory.CreateTempSubdirectory("hatools-unitcheck-").FullName;
        try
        {
            int Exit(int lsb)
            {
                var script = ConsulAgentConfig.UnitCheckScript.Replace("/etc/init.d/", dir + "/");
                File.WriteAllText(Path.Combine(dir, "svc"), $"#!/bin/sh\nexit {lsb}\n");
                File.SetUnixFileMode(Path.Combine(dir, "svc"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script, "check", "svc" }, RedirectStandardOutput = true })!;
                p.WaitForExit();
                return p.ExitCode;
            }
            if (Directory.Exists("/run/systemd/system")) return; // this machine has systemd: the script asks systemctl instead
            Assert.Equal(0, Exit(0)); // passing
            Assert.Equal(1, Exit(3)); // warning: not running (yet)
            Assert.Equal(2, Exit(1)); // critical: dead
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_secrets_file_carries_the_gossip_key_and_one_acl_token_and_only_servers_create_it_as_management_token()
    {
        var spec = ServerAndClient();
        var secrets = ConsulSecrets.Read(spec, v => v == "T" ? "b1gs-3cr3t-t0k3n" : null);
        var server = JsonDocument.Parse(ConsulAgentConfig.Secrets(spec, "s1", secrets)!).RootElement.GetProperty("acl");
        Assert.True(server.GetProperty("enabled").GetBoolean());
        Assert.Equal("deny", server.GetProperty("default_policy").GetString());
        Assert.Equal("b1gs-3cr3t-t0k3n", server.GetProperty("tokens").GetProperty("initial_management").GetString());
        var client = JsonDocument.Parse(ConsulAgentConfig.Secrets(spec, "c1", secrets)!).RootElement.GetProperty("acl").GetProperty("tokens");
        Assert.False(client.TryGetProperty("initial_management", out _));
        Assert.Equal("b1gs-3cr3t-t0k3n", client.GetProperty("agent").GetString());
        // The files of a node: the secret one is 0600, marked secret (content on stdin, never shown), owned by the agent's user.
        var files = ConsulAgentConfig.Files(spec, "c1", ConsulAgentConfig.DataAddresses(spec, new Dictionary<string, string> { ["s1"] = "192.168.7.1" }), secrets, Array.Empty<MotrProcess>(), "consul");
        Assert.Equal(new[] { ConsulAgentConfig.AgentFile + " 0644 False", ConsulAgentConfig.ServicesFile + " 0644 False", ConsulAgentConfig.SecretsFile + " 0600 True" },
            files.Select(f => $"{f.Destination} {f.Mode} {f.Secret}"));
        Assert.Equal("consul", files[2].Owner);
        Assert.DoesNotContain("b1gs", Encoding.UTF8.GetString(files[0].Content));
        // Without secrets there is no secrets file.
        Assert.Null(ConsulAgentConfig.Secrets(Example(), "node1", new ConsulSecrets()));
    }

    [Fact]
    public void A_node_without_an_ip_to_bind_to_is_refused_naming_it()
    {
        var spec = SpecLoader.LoadText("name: c\nstack: consul\nnodes:\n  - { name: n1, address: n1.example, data_iface: eth0 }\n  - { name: n2, address: n2.example }\n", "c.yaml");
        var e = Assert.Throws<HaException>(() => ConsulAgentConfig.DataAddresses(spec, new Dictionary<string, string> { ["n1"] = "" }));
        Assert.Equal(("n1", true), (e.Target, e.Message.Contains("eth0 has no IPv4 address")));
        e = Assert.Throws<HaException>(() => ConsulAgentConfig.DataAddresses(spec, new Dictionary<string, string> { ["n1"] = "10.0.0.1" }));
        Assert.Equal("n2", e.Target);
    }
}
