using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>A Consul API call that got an answer HaTools cannot go on from (or none at all).</summary>
public sealed class ConsulApiException : HaException
{
    public ConsulApiException(string node, ConsulRequest request, ConsulResponse response, string? what = null)
        : base(Describe(node, request, response, what))
    {
        Node = node;
        Code = response.Code;
        Target = node;
    }

    public string Node { get; }
    /// <summary>HTTP status; 0 when no agent answered.</summary>
    public int Code { get; }

    private static string Describe(string node, ConsulRequest request, ConsulResponse r, string? what)
    {
        var head = $"{node}: {what ?? request.ToString()}";
        if (r.NoAgent) return $"{head}: no Consul agent answers on the node's loopback ({(r.CurlExit == 28 ? "timed out" : MessageText.Tail(r.Body.Trim()))})";
        var body = MessageText.Tail(r.Body.Trim());
        var hint = r.Code == 403 ? " (the ACL token of consul.acl_token lacks the permission, or the agents have another one)" : "";
        return $"{head}: HTTP {r.Code.ToString(CultureInfo.InvariantCulture)}{(body.Length > 0 ? ": " + body : "")}{hint}";
    }
}

/// <summary>
/// Sends Consul API requests to the agent on a node, through the runner (ssh), with <see cref="ConsulApi"/>'s script.
/// The token goes on stdin only. Several requests share one round trip; a failed ssh call is a
/// <see cref="NodeCommandException"/>, an answer (whatever its status) a <see cref="ConsulResponse"/>.
/// </summary>
public sealed class ConsulClient
{
    private readonly ICommandRunner _runner;
    private readonly int _port;
    private readonly string? _token;

    public ConsulClient(ICommandRunner runner, int port, string? token)
    {
        _runner = runner;
        _port = port;
        _token = token;
    }

    /// <summary>The client of a cluster: its HTTP port and its token (read now from where the file names it).</summary>
    public static ConsulClient For(ClusterContext ctx) =>
        new ConsulClient(ctx.Runner, ctx.Spec.Section<ConsulSection>().Consul.Ports.Http, ConsulSecrets.ReadToken(ctx.Spec));

    public async Task<IReadOnlyList<ConsulResponse>> SendAsync(NodeTarget node, IReadOnlyList<ConsulRequest> requests, CancellationToken ct, TimeSpan? perRequest = null)
    {
        var each = perRequest ?? ConsulApi.RequestTimeout;
        var argv = ConsulApi.Argv(_port, requests, each);
        var timeout = TimeSpan.FromTicks(each.Ticks * requests.Count) + TimeSpan.FromSeconds(10);
        var r = await _runner.RunAsync(node, new CommandRequest(argv, timeout, ConsulApi.Stdin(_token, requests)), ct).ConfigureAwait(false);
        if (!r.Succeeded) throw new NodeCommandException(node.Name, "Consul API " + requests[0], r, $"Consul API {requests[0]}");
        return ConsulApi.Parse(r.StdOut, requests.Count);
    }

    public async Task<ConsulResponse> SendAsync(NodeTarget node, ConsulRequest request, CancellationToken ct, TimeSpan? perRequest = null) =>
        (await SendAsync(node, new[] { request }, ct, perRequest).ConfigureAwait(false))[0];

    /// <summary>The requests on the first of <paramref name="nodes"/> whose agent answers: a node that ssh cannot reach,
    /// or where no agent listens, is passed over for the next. When none answers, the error names each node and why.</summary>
    public async Task<(NodeTarget Node, IReadOnlyList<ConsulResponse> Answers)> OnAnyAsync(IReadOnlyList<NodeTarget> nodes, IReadOnlyList<ConsulRequest> requests, CancellationToken ct,
        TimeSpan? perRequest = null, List<(string Node, string Why)>? passedOver = null)
    {
        var why = new List<string>();
        foreach (var n in nodes)
        {
            try
            {
                var answers = await SendAsync(n, requests, ct, perRequest).ConfigureAwait(false);
                if (!answers[0].NoAgent) return (n, answers);
                why.Add($"{n.Name}: no agent answers");
                passedOver?.Add((n.Name, "no Consul agent answers"));
            }
            catch (NodeCommandException e) when (e.Failure != FailureKind.None)
            {
                var text = e.Message.Substring(Math.Min(e.Message.Length, n.Name.Length + 2));
                why.Add($"{n.Name}: {text}");
                passedOver?.Add((n.Name, text));
            }
        }
        throw new ClusterStateException($"no Consul agent answered ({string.Join("; ", why)})", nodes.Count > 0 ? nodes[0].Name : null);
    }

    public async Task<(NodeTarget Node, ConsulResponse Answer)> OnAnyAsync(IReadOnlyList<NodeTarget> nodes, ConsulRequest request, CancellationToken ct, TimeSpan? perRequest = null)
    {
        var (n, a) = await OnAnyAsync(nodes, new[] { request }, ct, perRequest).ConfigureAwait(false);
        return (n, a[0]);
    }

    /// <summary>The answer's body when its status is 2xx; otherwise a <see cref="ConsulApiException"/>.</summary>
    public static string Expect(string node, ConsulRequest request, ConsulResponse response, string? what = null) =>
        response.Ok ? response.Body : throw new ConsulApiException(node, request, response, what);
}
