using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>Runs commands on this machine (the node you are on), with the same argv/stdin/timeout semantics as ssh:
/// the command runs under coreutils timeout in a C locale; no shell is involved.</summary>
public sealed class LocalCommandRunner : ICommandRunner
{
    public async Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        // Killing the local process alone would leave its children running: a cancellable call runs as on a node, ended
        // from its side (watcher, or the command's own) when we close its stdin.
        var call = NodeSideTimeout.For(request, cancellationToken.CanBeCanceled);
        var argv = call.Argv;
        ProcessOutcome o;
        try
        {
            o = await ProcessRunner.RunAsync(argv[0], argv.GetRange(1, argv.Count - 1), call.Stdin, request.Timeout + TimeSpan.FromSeconds(3), cancellationToken, holdStdinOpen: call.HoldStdinOpen).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult { Node = node.Name, ExitCode = -1, Error = "cannot start a local command: " + e.Message, Failure = FailureKind.CannotStart };
        }
        var r = new CommandResult
        {
            Node = node.Name,
            ExitCode = o.Killed ? -1 : o.ExitCode,
            StdOut = ProcessRunner.Text(o.StdOut),
            StdErr = ProcessRunner.Text(o.StdErr),
            Duration = o.Duration,
            OutputTruncated = o.OutputTruncated,
        };
        if (o.Killed || NodeSideTimeout.Expired(o, request))
        {
            r.Failure = FailureKind.TimedOut;
            r.Error = $"timed out after {request.Timeout.TotalSeconds:0.#} s";
        }
        return r;
    }
}

/// <summary>Chooses per node: local for nodes marked local, else the runner of the node's transport
/// (<see cref="NodeTarget.Transport"/>) when one was given for it, else the default one. Owns every runner it was
/// given: disposing it disposes them.</summary>
public sealed class RoutingCommandRunner : ICommandRunner, IDisposable
{
    private readonly ICommandRunner _ssh;
    private readonly IReadOnlyDictionary<string, ICommandRunner> _byTransport;
    private readonly ICommandRunner _local;

    public RoutingCommandRunner(ICommandRunner ssh, ICommandRunner? local = null) : this(ssh, null, local) { }

    public RoutingCommandRunner(ICommandRunner ssh, IReadOnlyDictionary<string, ICommandRunner>? byTransport, ICommandRunner? local = null)
    {
        _ssh = ssh;
        _byTransport = byTransport ?? new Dictionary<string, ICommandRunner>();
        _local = local ?? new LocalCommandRunner();
    }

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default) =>
        For(node).RunAsync(node, request, cancellationToken);

    internal ICommandRunner For(NodeTarget node) =>
        node.IsLocal ? _local : _byTransport.TryGetValue(node.Transport, out var r) ? r : _ssh;

    public void Dispose()
    {
        foreach (var r in new[] { _ssh, _local }.Concat(_byTransport.Values).Distinct())
            (r as IDisposable)?.Dispose();
    }
}
