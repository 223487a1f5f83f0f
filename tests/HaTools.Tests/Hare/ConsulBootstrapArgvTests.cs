using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>A whole bootstrap of a one-node consul cluster against the strict fake runner: every command the node
/// receives, in order, to the argv (and the stdin of the API calls), with the answers a Consul agent gives.</summary>
public class ConsulBootstrapArgvTests
{
    private static ClusterSpec OneNode() => SpecLoader.LoadText(
        "name: one\nstack: consul\nnodes: [ { name: n1, address: 10.0.0.1 } ]\nservices:\n  - { name: web, node: n1, unit: web, phase: 1 }\n", "one.yaml");

    private const string Sid = "adf4238a-882b-9ddc-4a9d-5b6758e4159e";

    private static byte[] In(string body) => Encoding.UTF8.GetBytes("\n" + body);

    private static string Health(string web) =>
        "[{\"Node\":\"n1\",\"CheckID\":\"serfHealth\",\"Name\":\"Serf Health Status\",\"Status\":\"passing\",\"Output\":\"\",\"ServiceID\":\"\",\"ServiceName\":\"\",\"ServiceTags\":[]}," +
        "{\"Node\":\"n1\",\"CheckID\":\"service:web\",\"Name\":\"web on n1\",\"Status\":\"" + web + "\",\"Output\":\"\",\"ServiceID\":\"web\",\"ServiceName\":\"web\",\"ServiceTags\":[\"phase=1\"]}]";

    [Fact]
    public async Task Every_phase_sends_exactly_these_commands_to_the_node()
    {
        var spec = OneNode();
        var files = ConsulAgentConfig.Files(spec, "n1", new Dictionary<string, string> { ["n1"] = "10.0.0.1" }, new ConsulSecrets(), new List<MotrProcess>(), null);
        var txn = "[{\"KV\":{\"Verb\":\"cas\",\"Key\":\"epoch\",\"Value\":\"MQ==\",\"Index\":0}},{\"KV\":{\"Verb\":\"cas\",\"Key\":\"leader\",\"Value\":\"\",\"Index\":0}}," +
                  "{\"KV\":{\"Verb\":\"cas\",\"Key\":\"last_fidk\",\"Value\":\"MA==\",\"Index\":0}}]";
        var session = "{\"Name\":\"leader\",\"Node\":\"n1\",\"NodeChecks\":[\"serfHealth\"],\"ServiceChecks\":[{\"ID\":\"service:web\"}],\"LockDelay\":\"2s\",\"Behavior\":\"release\"}";
        var leaderKey = "[{\"CreateIndex\":5,\"ModifyIndex\":5,\"LockIndex\":0,\"Key\":\"leader\",\"Flags\":0,\"Value\":null}]";
        var members = "[{\"Name\":\"n1\",\"Addr\":\"10.0.0.1\",\"Port\":8301,\"Tags\":{\"role\":\"consul\",\"dc\":\"dc1\"},\"Status\":1}]";
        var fake = new FakeRunner()
            // preflight
            .Expect("n1", ConsulCalls.Probe(""), stdout: "hostname=n1\nbin.consul=/usr/bin/consul\nversion.consul=v1.15.4\nbin.curl=/usr/bin/curl\naddrs=10.0.0.1 127.0.0.1\nagent=stopped\nuser.consul=no\ninit=systemd\nunit.consul=yes\n")
            // push: stage both files, then commit both
            .Expect("n1", ConsulCalls.Push("stage", files[0]), stdout: "STAGED\n", stdin: files[0].Content)
            .Expect("n1", ConsulCalls.Push("stage", files[1]), stdout: "STAGED\n", stdin: files[1].Content)
            .Expect("n1", ConsulCalls.Push("commit", files[0]), stdout: "COMMITTED \n")
            .Expect("n1", ConsulCalls.Push("commit", files[1]), stdout: "COMMITTED \n")
            // agents
            .Expect("n1", ConsulCalls.DataDir)
            .Expect("n1", ConsulCalls.Agent("start"), stdout: "DONE\n")
            // leader: first no leader yet, then formed
            .Expect("n1", ConsulCalls.Api("GET", "/v1/status/leader", "GET", "/v1/agent/members"), stdout: ConsulCalls.Answers((200, "\"\""), (200, members)))
            .Expect("n1", ConsulCalls.Api("GET", "/v1/status/leader", "GET", "/v1/agent/members"), stdout: ConsulCalls.Answers((200, "\"10.0.0.1:8300\""), (200, members)))
            // kv: one read round trip, one transaction
            .Expect("n1", ConsulCalls.Api("GET", "/v1/kv/m0conf/?recurse", "GET", "/v1/kv/epoch", "GET", "/v1/kv/leader", "GET", "/v1/kv/last_fidk"),
                stdout: ConsulCalls.Answers((404, ""), (404, ""), (404, ""), (404, "")))
            .Expect("n1", ConsulCalls.Api("PUT", "/v1/txn"), stdout: ConsulCalls.Answers((200, "{\"Results\":[],\"Errors\":null}")), stdin: In(txn))
            // elect: read, read again in the wait, session, acquire
            .Expect("n1", ConsulCalls.Api("GET", "/v1/kv/leader"), stdout: ConsulCalls.Answers((200, leaderKey)))
            .Expect("n1", ConsulCalls.Api("GET", "/v1/kv/leader"), stdout: ConsulCalls.Answers((200, leaderKey)))
            .Expect("n1", ConsulCalls.Api("PUT", "/v1/session/create"), stdout: ConsulCalls.Answers((200, "{\"ID\":\"" + Sid + "\"}")), stdin: In(session))
            .Expect("n1", ConsulCalls.Api("PUT", "/v1/kv/leader?acquire=" + Sid), stdout: ConsulCalls.Answers((200, "true")), stdin: In("n1"))
            // phase1: state, start, checks (warning, then passing)
            .Expect("n1", ConsulCalls.Svc("state", "web", "web"), stdout: "INACTIVE\n")
            .Expect("n1", ConsulCalls.Svc("start", "web", "web"), stdout: "DONE\n")
            .Expect("n1", ConsulCalls.Api("GET", "/v1/health/state/any"), stdout: ConsulCalls.Answers((200, Health("warning"))))
            .Expect("n1", ConsulCalls.Api("GET", "/v1/health/state/any"), stdout: ConsulCalls.Answers((200, Health("passing"))))
            // health
            .Expect("n1", ConsulCalls.Api("GET", "/v1/health/state/any"), stdout: ConsulCalls.Answers((200, Health("passing"))));
        var ctx = new ClusterContext(spec, fake);
        var results = await ctx.Stack.BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, default);
        fake.AssertDone();
        Assert.Equal(new[]
        {
            "validate * Ok", "validate * Warning", "lock * Ok", "preflight n1 Ok", "generate * Ok", "push n1 Changed", "agents n1 Changed", "leader * Ok",
            "kv * Changed", "elect * Changed", "phase1 n1 Changed", "phase1 * Ok", "health * Ok",
        }, results.Select(r => $"{r.Phase} {r.Node} {r.Status}"));
        Assert.Equal("RC leader n1 (session " + Sid + ")", results.Single(r => r.Phase == "elect").Message);
        Assert.Equal("KV: 3 new (1 transaction)", results.Single(r => r.Phase == "kv").Message);
        Assert.Equal("Raft leader 10.0.0.1:8300 (n1); 1 of 1 agents alive", results.Single(r => r.Phase == "leader").Message);
        // The plan names the same phases, in the same order, without a node being asked.
        var plan = ctx.Stack.PlanBootstrap(ctx, new BootstrapOptions());
        Assert.Equal(results.Select(r => r.Phase).Distinct(), plan.Select(p => p.Phase).Distinct());
    }
}
