using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.Hare;

/// <summary>Keeps the Consul test double honest about the node side: the same steps run through the real scripts
/// (sh and curl on this machine) and through <see cref="FakeConsul"/>, and their answers must be the same.</summary>
public class ConsulDoubleContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-consulcontract-").FullName;

    public void Dispose()
    {
        if (Path.GetFileName(_dir).StartsWith("hatools-consulcontract-", StringComparison.Ordinal)) Directory.Delete(_dir, true);
    }

    private static FakeConsul Double(out FakeCluster cluster)
    {
        cluster = new FakeCluster("n1");
        var c = new FakeConsul(cluster, new Dictionary<string, string> { ["n1"] = "10.0.0.1" });
        cluster["n1"].Write(ConsulAgentConfig.AgentFile, "{\"datacenter\":\"dc1\",\"node_name\":\"n1\",\"node_meta\":{\"hatools-cluster\":\"c\"},\"server\":true,\"bootstrap_expect\":1,\"bind_addr\":\"10.0.0.1\"}");
        cluster["n1"].Write(ConsulAgentConfig.ServicesFile, "{\"services\":[]}");
        cluster["n1"].Running.Add("consul");
        return c;
    }

    [Fact]
    public async Task The_service_script_and_the_double_answer_a_unit_the_same()
    {
        // An init script stand-in for a unit: its state in a file, LSB status codes (0 running, 3 stopped).
        var initd = Path.Combine(_dir, "init.d");
        Directory.CreateDirectory(initd);
        File.WriteAllText(Path.Combine(initd, "web"), $"#!/bin/sh\nf={_dir}/web.state\ncase $1 in start) echo on > $f ;; stop) rm -f $f ;; status) [ -f $f ] && exit 0; exit 3 ;; esac\n");
        File.WriteAllText(Path.Combine(initd, "bad"), "#!/bin/sh\ncase $1 in start) echo 'bad: cannot start' >&2; exit 1 ;; status) exit 3 ;; esac\n");
        foreach (var f in new[] { "web", "bad" }) File.SetUnixFileMode(Path.Combine(initd, f), (UnixFileMode)0b111_000_000);
        if (Directory.Exists("/run/systemd/system")) return; // this machine has systemd: the script would ask systemctl
        var script = ConsulCommands.ServiceScript.Replace("/etc/init.d/", initd + "/").Replace("/run/hatools-consul", _dir + "/pids");
        var local = new LocalCommandRunner();
        var node = new NodeTarget("n1", "local");
        var web = new ConsulService { Id = "web", Name = "web", Node = "n1", Unit = "web" };
        var bad = new ConsulService { Id = "bad", Name = "bad", Node = "n1", Unit = "bad" };
        var gone = new ConsulService { Id = "gone", Name = "gone", Node = "n1", Unit = "gone" };
        var steps = new (string[] Argv, ConsulService Svc)[]
        {
            (ConsulCommands.State(web, "web"), web), (ConsulCommands.Start(web, "web"), web), (ConsulCommands.State(web, "web"), web),
            (ConsulCommands.Start(web, "web"), web), (ConsulCommands.Stop(web, "web"), web), (ConsulCommands.Stop(web, "web"), web),
            (ConsulCommands.State(gone, "gone"), gone), (ConsulCommands.Start(gone, "gone"), gone), (ConsulCommands.Start(bad, "bad"), bad),
        };
        var consul = Double(out var cluster);
        consul.NoUnit.Add(("n1", "gone"));
        consul.FailsToStart.Add(("n1", "bad"));
        foreach (var (argv, _) in steps)
        {
            var real = await local.RunAsync(node, new CommandRequest(argv.Select(a => a == ConsulCommands.ServiceScript ? script : a).ToList(), TimeSpan.FromSeconds(20)));
            var fake = await cluster.RunAsync(node, new CommandRequest(argv, TimeSpan.FromSeconds(20)));
            Assert.True((real.ExitCode, Last(real.StdOut)) == (fake.ExitCode, Last(fake.StdOut)),
                $"{CallLog.Short(argv)}: real exit {real.ExitCode} '{Last(real.StdOut)}' {real.StdErr.Trim()}; double exit {fake.ExitCode} '{Last(fake.StdOut)}'");
        }
    }

    private static string Last(string s) => s.Trim().Split('\n').Last().Trim();

    [Fact]
    public async Task The_api_script_over_real_curl_prints_what_the_double_prints_for_the_same_answers()
    {
        var consul = Double(out var cluster);
        // The double behind real HTTP: same answers, fetched by the real script with curl.
        using var http = new LoopbackHttp((m, p, t, b) => { var (code, text) = consul.Request("n1", m, p, t, b); return (code, text, null); });
        var port = http.Port;
        var reads = new[] { ConsulPaths.StatusLeader(), ConsulPaths.KvGet("leader"), ConsulPaths.Members() };
        var node = new NodeTarget("n1", "local");
        var viaCurl = await new ConsulClient(new LocalCommandRunner(), port, null).SendAsync(node, reads, default);
        var viaDouble = await new ConsulClient(cluster, 8500, null).SendAsync(node, reads, default);
        Assert.Equal(viaDouble.Select(a => $"{a.Code} {a.CurlExit} {a.Body}"), viaCurl.Select(a => $"{a.Code} {a.CurlExit} {a.Body}"));
        Assert.Equal(new[] { 200, 404, 200 }, viaCurl.Select(a => a.Code));
        // A write with its body on stdin, then the read that sees it.
        var put = ConsulPaths.KvPut("app/k", "va\nlue", 0);
        Assert.True(ConsulApiParser.Bool((await new ConsulClient(new LocalCommandRunner(), port, null).SendAsync(node, put, default)).Body));
        var back = await new ConsulClient(cluster, 8500, null).SendAsync(node, ConsulPaths.KvGet("app/k"), default);
        Assert.Equal("va\nlue", ConsulOutputParser.Kv(back.Body).Single().Value);
    }
}
