using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>How HaTools reaches Consul's HTTP API: the pure argv, the token on stdin, the reading of the answers, and
/// the node-side script run for real (sh and curl on this machine) against an HTTP server on loopback.</summary>
public class ConsulApiTests
{
    private const string Token = "6b1f0e8e-2f4e-4a45-9d6a-3c8d7b2a1f00";

    [Fact]
    public void The_argv_holds_the_port_the_time_limit_and_each_request_and_never_the_token_or_a_body()
    {
        var reqs = new[] { ConsulPaths.StatusLeader(), ConsulPaths.KvPut("m0conf/profiles/0x7000000000000001:0x1", "{\"name\":\"x\"}") };
        var argv = ConsulApi.Argv(8500, reqs);
        Assert.Equal(new[] { "sh", "-c", ConsulApi.Script, "sh", "8500", "15", "GET", "/v1/status/leader", "PUT", "/v1/kv/m0conf/profiles/0x7000000000000001:0x1" }, argv);
        var stdin = Encoding.UTF8.GetString(ConsulApi.Stdin(Token, reqs));
        Assert.Equal(Token + "\n{\"name\":\"x\"}", stdin);
        Assert.DoesNotContain(argv, a => a.Contains(Token, StringComparison.Ordinal) || a.Contains("name", StringComparison.Ordinal));
        Assert.Equal("\n", Encoding.UTF8.GetString(ConsulApi.Stdin(null, new[] { ConsulPaths.Members() })));
        // One write per call: its body is the rest of stdin.
        Assert.Throws<ArgumentException>(() => ConsulApi.Argv(8500, new[] { ConsulPaths.Reload(), ConsulPaths.Txn("[]") }));
        Assert.Throws<HaException>(() => ConsulApi.Stdin("bad token\n", reqs));
    }

    [Fact]
    public void Keys_are_percent_encoded_and_names_checked_before_any_argv_exists()
    {
        Assert.Equal("/v1/kv/a%20b/%C3%A9%3Fx%26y?recurse", ConsulPaths.KvTree("a b/é?x&y").Path);
        Assert.Equal("/v1/kv/leader?acquire=adf4238a-882b-9ddc-4a9d-5b6758e4159e", ConsulPaths.KvAcquire("leader", "adf4238a-882b-9ddc-4a9d-5b6758e4159e", "node1").Path);
        Assert.Equal("/v1/kv/k?cas=0", ConsulPaths.KvPut("k", "v", 0).Path);
        Assert.Throws<HaException>(() => ConsulPaths.SessionInfo("x; rm -rf /"));
        Assert.Throws<HaException>(() => ConsulPaths.KvGet("/abs"));
        Assert.Throws<HaException>(() => ConsulPaths.KvGet("a\nb"));
    }

    [Fact]
    public void The_answers_are_read_by_their_byte_counts_so_a_body_may_hold_anything()
    {
        var body = "{\"Output\":\"HTTP 200 3 - 0\\nDONE\"}\nDONE\nHTTP 200";
        var n = Encoding.UTF8.GetByteCount(body);
        var r = ConsulApi.Parse($"HTTP 200 {n} 17 0\n{body}\nHTTP 000 32 - 7\ncurl: (7) Failed to connect here\nDONE\n", 2);
        Assert.Equal((200, body, 17L, 0), (r[0].Code, r[0].Body, r[0].Index, r[0].CurlExit));
        Assert.True(r[1].NoAgent);
        Assert.Equal(7, r[1].CurlExit);
        Assert.Equal("é", ConsulApi.Parse("HTTP 200 2 - 0\né\nDONE\n", 1)[0].Body);
        Assert.Throws<HareOutputException>(() => ConsulApi.Parse("HTTP 200 99 - 0\nshort\nDONE\n", 1));
        Assert.Throws<HareOutputException>(() => ConsulApi.Parse("HTTP 200 2 - 0\nok\n", 1));
        Assert.Throws<HareOutputException>(() => ConsulApi.Parse("sh: curl: not found\n", 1));
    }

    [Fact]
    public async Task The_script_run_for_real_sends_the_token_as_a_header_and_the_body_from_stdin_and_reports_every_status()
    {
        using var server = new LoopbackHttp((m, p, t, b) => p switch
        {
            "/v1/status/leader" => (200, "\"10.1.10.12:8300\"", 42),
            "/v1/kv/leader" => (404, "", 43),
            _ => (500, "No cluster leader", null),
        });
        var client = new ConsulClient(new LocalCommandRunner(), server.Port, Token);
        var node = new NodeTarget("node1", "local");
        var body = "[{\"KV\":{\"Verb\":\"cas\",\"Key\":\"epoch\",\"Value\":\"MQ==\",\"Index\":0}}]\n with a second line";
        var answers = await client.SendAsync(node, new[] { ConsulPaths.StatusLeader(), ConsulPaths.KvGet("leader"), ConsulPaths.Txn(body) }, default);
        Assert.Equal(new[] { 200, 404, 500 }, answers.Select(a => a.Code));
        Assert.Equal("10.1.10.12:8300", ConsulApiParser.Leader(answers[0].Body));
        Assert.Equal((42L, 43L, 0L), (answers[0].Index, answers[1].Index, answers[2].Index));
        Assert.Equal("No cluster leader", answers[2].Body);
        Assert.Equal(new[] { $"GET /v1/status/leader {Token} ", $"GET /v1/kv/leader {Token} ", $"PUT /v1/txn {Token} {body}" },
            server.Got.Select(g => $"{g.Method} {g.Path} {g.Token} {g.Body}"));

        // No token: no header at all.
        await new ConsulClient(new LocalCommandRunner(), server.Port, null).SendAsync(node, ConsulPaths.StatusLeader(), default);
        Assert.Null(server.Got[^1].Token);

        // The error of a non-2xx answer names the node, the request and Consul's text.
        var e = Assert.Throws<ConsulApiException>(() => ConsulClient.Expect("node1", ConsulPaths.Txn(body), answers[2]));
        Assert.Equal("node1: PUT /v1/txn: HTTP 500: No cluster leader", e.Message);
    }

    [Fact]
    public async Task With_no_agent_listening_the_answer_is_no_agent_and_the_next_node_is_asked()
    {
        int port;
        using (var server = new LoopbackHttp((m, p, t, b) => (200, "[]", 1))) port = server.Port;
        var local = new LocalCommandRunner();
        var client = new ConsulClient(local, port, null);
        var r = await client.SendAsync(new NodeTarget("node1", "local"), ConsulPaths.Members(), default);
        Assert.True(r.NoAgent);
        Assert.Equal(7, r.CurlExit);
        var ce = new ConsulApiException("node1", ConsulPaths.Members(), r);
        Assert.StartsWith("node1: GET /v1/agent/members: no Consul agent answers on the node's loopback", ce.Message);

        using var live = new LoopbackHttp((m, p, t, b) => (200, "[]", 1));
        var nodes = new[] { new NodeTarget("node1", "198.18.0.11"), new NodeTarget("node2", "local") };
        var passed = new List<(string, string)>();
        var (answered, a) = await new ConsulClient(new Node1Unreachable(), live.Port, null).OnAnyAsync(nodes, new[] { ConsulPaths.Members() }, default, null, passed);
        Assert.Equal(("node2", 200), (answered.Name, a[0].Code));
        var (who, why) = Assert.Single(passed);
        Assert.Equal("node1", who);
        Assert.EndsWith("unreachable (test)", why);
    }

    /// <summary>node1 does not answer over ssh (a typed failure); the others run here.</summary>
    private sealed class Node1Unreachable : ICommandRunner
    {
        private readonly LocalCommandRunner _local = new LocalCommandRunner();
        public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default) =>
            node.Name == "node1"
                ? Task.FromResult(new CommandResult { Node = node.Name, ExitCode = 255, Failure = FailureKind.Unreachable, Error = "unreachable (test)" })
                : _local.RunAsync(node, request, cancellationToken);
    }
}
