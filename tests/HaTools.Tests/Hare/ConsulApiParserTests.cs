using System;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>The API answers against HashiCorp's documented sample responses (tests/fixtures/hare, sources in its
/// README), and the secrets' sources.</summary>
public class ConsulApiParserTests
{
    [Fact]
    public void Members_read_the_documented_sample_a_server_alive()
    {
        var m = Assert.Single(ConsulApiParser.Members(HareFixtures.Read("consul-agent-members.json")));
        Assert.Equal(("foobar", "10.1.10.12", 1, true, "dc1", "alive"), (m.Name, m.Address, m.Status, m.IsServer, m.Datacenter, m.State));
        var client = Assert.Single(ConsulApiParser.Members("[{\"Name\":\"c1\",\"Addr\":\"10.0.0.2\",\"Port\":8301,\"Tags\":{\"role\":\"node\",\"dc\":\"dc1\"},\"Status\":4}]"));
        Assert.Equal((false, "failed", false), (client.IsServer, client.State, client.Alive));
    }

    [Fact]
    public void Health_checks_read_both_documented_samples_node_and_service_checks()
    {
        var now = ConsulApiParser.Checks(HareFixtures.Read("consul-health-state.json"));
        Assert.Equal(new[] { "serfHealth::passing:", "service:redis:redis:passing:primary" }, now.Select(c => $"{c.CheckId}:{c.ServiceId}:{c.Status}:{string.Join(",", c.ServiceTags)}"));
        // Consul 0.x (2014 docs) had no ServiceTags: read as none.
        var old = ConsulApiParser.Checks(HareFixtures.Read("consul-health-node-2014.json"));
        Assert.Equal(new[] { "", "redis" }, old.Select(c => c.ServiceName));
        Assert.All(old, c => Assert.Empty(c.ServiceTags));
        var tagged = new ConsulCheck { ServiceTags = { "phase=1", "fid=0x7200000000000001:0x5" } };
        Assert.Equal(("0x7200000000000001:0x5", null), (tagged.Tag("fid"), tagged.Tag("ep")));
    }

    [Fact]
    public void Status_leader_is_an_address_or_empty_when_there_is_none()
    {
        Assert.Equal("10.1.10.12:8300", ConsulApiParser.Leader(HareFixtures.Read("consul-status-leader.json")));
        Assert.Null(ConsulApiParser.Leader("\"\""));
    }

    [Fact]
    public void Small_answers_true_false_session_ids_and_txn_errors()
    {
        Assert.True(ConsulApiParser.Bool("true\n"));
        Assert.False(ConsulApiParser.Bool("false"));
        Assert.Throws<HareOutputException>(() => ConsulApiParser.Bool("No cluster leader"));
        Assert.Equal("adf4238a-882b-9ddc-4a9d-5b6758e4159e", ConsulApiParser.SessionId("{\"ID\":\"adf4238a-882b-9ddc-4a9d-5b6758e4159e\"}"));
        // The shape txn.mdx documents for a rolled-back transaction (409).
        var errors = ConsulApiParser.TxnErrors("{\"Results\":null,\"Errors\":[{\"OpIndex\":1,\"What\":\"failed to set key \\\"epoch\\\", index is stale\"}]}");
        Assert.Equal((1, "failed to set key \"epoch\", index is stale"), Assert.Single(errors));
    }

    private static ClusterSpec WithSecrets(string dir, string encrypt, string token)
    {
        var path = Path.Combine(dir, "c.yaml");
        File.WriteAllText(path, $"name: c\nstack: consul\nnodes: [ {{ name: n1, address: 10.0.0.1 }} ]\nconsul:\n  encrypt: {encrypt}\n  acl_token: {token}\n");
        return SpecLoader.Load(path);
    }

    [Fact]
    public void Secrets_come_from_a_private_file_or_the_environment_and_no_message_holds_them()
    {
        var dir = Directory.CreateTempSubdirectory("hatools-secrets-").FullName;
        try
        {
            var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
            var file = Path.Combine(dir, "gossip.key");
            File.WriteAllText(file, key + "\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var spec = WithSecrets(dir, "{ file: gossip.key }", "{ env: HATOOLS_TEST_TOKEN }");
            var s = ConsulSecrets.Read(spec, v => v == "HATOOLS_TEST_TOKEN" ? "tok-123" : null);
            Assert.Equal((key, "tok-123"), (s.Encrypt, s.AclToken));
            Assert.Equal("tok-123", ConsulSecrets.ReadToken(spec, v => "tok-123"));

            var unset = Assert.Throws<HaException>(() => ConsulSecrets.Read(spec, v => null));
            Assert.Equal("environment variable HATOOLS_TEST_TOKEN (consul.acl_token.env) is not set", unset.Message);

            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            var open = Assert.Throws<HaException>(() => ConsulSecrets.Read(spec, v => "tok-123"));
            Assert.Contains("may be read by its group or others (mode 0640): make it 0600 or 0400", open.Message);
            Assert.DoesNotContain(key, open.Message);

            File.WriteAllText(file, "c2hvcnQ=\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead);
            var bad = Assert.Throws<HaException>(() => ConsulSecrets.Read(spec, v => "tok-123"));
            Assert.StartsWith("the gossip encryption key holds 5 bytes", bad.Message);
            Assert.DoesNotContain("c2hvcnQ", bad.Message);

            var badToken = Assert.Throws<HaException>(() => ConsulSecrets.Read(WithSecrets(dir, "{ env: K }", "{ env: T }"), v => v == "K" ? key : "has space"));
            Assert.DoesNotContain("has space", badToken.Message);
            Assert.Contains("consul.acl_token.env", badToken.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
