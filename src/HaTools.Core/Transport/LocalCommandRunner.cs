using System;
using System.Collections.Generic;
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

/// <summary>Chooses per node: local for nodes marked local, ssh for the others. Owns both runners: disposing it
/// disposes them.</summary>
public sealed class RoutingCommandRunner : ICommandRunner, IDisposable
{
    private readonly ICommandRunner _ssh;
    private readonly ICommandRunner _local;

    public RoutingCommandRunner(ICommandRunner ssh, ICommandRunner? local = null)
    {
        _ssh = ssh;
        _local = local ?? new LocalCommandRunner();
    }

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default) =>
        (node.IsLocal ? _local : _ssh).RunAsync(node, request, cancellationToken);

    public void Dispose()
    {
        (_ssh as IDisposable)?.Dispose();
        (_local as IDisposable)?.Dispose();
    }
}
