using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Services;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hare;
using HaTools.Core.Transport;

namespace HaTools.Tests.Hare;

/// <summary>The exact argv of the consul stack's node commands as the nodes must receive them, written out here once
/// (the scripts by their constant, every argument literally), so a changed command fails the tests that expect it.</summary>
internal static class ConsulCalls
{
    public static string[] Probe(string iface) => new[] { "sh", "-c", ConsulCommands.ProbeScript, "sh", iface, "/etc/consul.d/hatools-agent.json" };

    public static string[] DataDir => new[] { "install", "-d", "-m", "0750", "/var/lib/consul" };

    public static string[] Agent(string action) => new[] { "sh", "-c", ServiceControl.Script, "sh", "consul", action, "consul" };

    public static string[] Svc(string action, string id, string unit) => new[] { "sh", "-c", ConsulCommands.ServiceScript, "sh", action, id, unit };

    /// <summary>API requests on port 8500, 15 s each: pairs of method and path.</summary>
    public static string[] Api(params string[] methodAndPath) =>
        new[] { "sh", "-c", ConsulApi.Script, "sh", "8500", "15" }.Concat(methodAndPath).ToArray();

    /// <summary>The same with the status timeout (4 s) of Get-HaStatus.</summary>
    public static string[] StatusApi(params string[] methodAndPath) =>
        new[] { "sh", "-c", ConsulApi.Script, "sh", "8500", "4" }.Concat(methodAndPath).ToArray();

    public static string[] Push(string action, FileSpec f) =>
        new[] { "sh", "-c", FilePusher.Script, "sh", action, f.Destination, f.Mode, f.Owner ?? "", f.Sha256 };

    /// <summary>The answer of the API script: each (status, body), then DONE.</summary>
    public static string Answers(params (int Code, string Body)[] answers) =>
        string.Concat(answers.Select(a => $"HTTP {a.Code:000} {System.Text.Encoding.UTF8.GetByteCount(a.Body)} 7 {(a.Code == 0 ? 7 : 0)}\n{a.Body}\n")) + "DONE\n";
}

/// <summary>Records every call per node in a short form ("probe eth0", "push stage FILE", "api GET /v1/…",
/// "svc start ID UNIT", "service start consul") and passes it on: the order each node was asked in, for tests.</summary>
internal sealed class CallLog : ICommandRunner
{
    private readonly ICommandRunner _inner;
    private readonly object _lock = new object();

    public CallLog(ICommandRunner inner) { _inner = inner; }

    public Dictionary<string, List<string>> Calls { get; } = new Dictionary<string, List<string>>();

    /// <summary>Every call of every node in arrival order, as "node: short form".</summary>
    public List<string> All { get; } = new List<string>();

    public List<string> Of(string node) { lock (_lock) return Calls.TryGetValue(node, out var l) ? l.ToList() : new List<string>(); }

    public void Clear() { lock (_lock) { Calls.Clear(); All.Clear(); } }

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!Calls.TryGetValue(node.Name, out var l)) Calls[node.Name] = l = new List<string>();
            l.Add(Short(request.Argv));
            All.Add(node.Name + ": " + l[^1]);
        }
        return _inner.RunAsync(node, request, cancellationToken);
    }

    public static string Short(IReadOnlyList<string> a)
    {
        if (a.Count > 2 && a[0] == "sh" && a[1] == "-c")
        {
            var s = a[2];
            if (s == FilePusher.Script) return $"push {a[4]} {a[5]}";
            if (s == ServiceControl.Script) return $"service {a[5]} {a[4]}";
            if (s == Core.Locking.LockScript.Script) return $"lock {a[4]}";
            if (s == ConsulCommands.ProbeScript) return $"probe {a[4]}".TrimEnd();
            if (s == ConsulCommands.ServiceScript) return $"svc {a[4]} {a[5]} {(a[6].Length > 0 ? a[6] : string.Join(" ", a.Skip(8)))}";
            if (s == ConsulApi.Script) return "api " + string.Join(" + ", Enumerable.Range(0, (a.Count - 6) / 2).Select(i => a[6 + 2 * i] + " " + a[7 + 2 * i]));
            if (a.Count > 4 && a[4] == ConsulAgentConfig.AgentFile) return "remove-config";
        }
        return ShellQuote.Join(a);
    }
}

/// <summary>A consul cluster file on fake nodes behind a <see cref="FakeConsul"/>, with the context to drive it.</summary>
internal sealed class ConsulFakeLab
{
    public ConsulFakeLab(ClusterSpec spec, string? token = null)
    {
        Spec = spec;
        Cluster = new FakeCluster(spec.Nodes.Select(n => n.Name).ToArray());
        Consul = new FakeConsul(Cluster, spec.Nodes.ToDictionary(n => n.Name, n => n.Address), token);
        Log = new CallLog(Cluster);
    }

    public ClusterSpec Spec { get; }
    public FakeCluster Cluster { get; }
    public FakeConsul Consul { get; }
    public CallLog Log { get; }

    public ClusterContext Context() => new ClusterContext(Spec, Log);
}
