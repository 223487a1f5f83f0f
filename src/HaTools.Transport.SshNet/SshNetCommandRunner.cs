using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Transport.SshNet;

/// <summary>
/// Runs commands over SSH in this process (SSH.NET), for hosts without an OpenSSH client that reuses connections
/// (Windows has no ControlMaster) or without ssh at all: <c>ssh: { transport: sshnet }</c>. One connection per node for
/// the runner's life (a <see cref="HaTools.Core.ClusterContext"/>'s), up to 9 commands at a time on it as channels,
/// closed when the runner is disposed; a connection found broken before a command could start on it is opened again
/// once. Every command is the one line the OpenSSH runner sends (<see cref="SshCommandRunner.RemoteCommandLine(CommandRequest, bool)"/>:
/// argv quoted once, C locale, coreutils timeout on the node, and for a call that can be cancelled the node-side watcher
/// that ends the command's process group when stdin closes), so both runners behave alike on the node. Host keys,
/// identities and algorithms: <see cref="HostKeys"/>, <see cref="Identities"/>, <see cref="Algorithms"/>. Like every
/// runner it never throws for a failed command, only on cancellation.
/// </summary>
public sealed class SshNetCommandRunner : ICommandRunner, IDisposable
{
    private readonly SshNetSettings _settings;
    private readonly Identities _identities;
    private readonly HostKeys _hostKeys = new HostKeys();
    private readonly object _gate = new object();
    private readonly Dictionary<string, NodeConnection> _connections = new Dictionary<string, NodeConnection>(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>The constructor <see cref="RunnerFactory"/> finds by reflection (Core does not reference this assembly).</summary>
    public SshNetCommandRunner(SshRunnerOptions? options) : this(options, SshNetSettings.Default) { }

    public SshNetCommandRunner() : this(null) { }

    internal SshNetCommandRunner(SshRunnerOptions? options, SshNetSettings settings)
    {
        _settings = settings;
        _identities = new Identities(options?.IdentityPassphrase);
    }

    public async Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        if (KnownHosts.Problem(node) is { } khp) return Failed(node, FailureKind.HostKeyRefused, khp);
        // Only a call that can be cancelled needs the node-side watcher (and its cost), as with the OpenSSH runner.
        var cancellable = cancellationToken.CanBeCanceled;
        var line = SshCommandRunner.RemoteCommandLine(request, cancellable);
        // SSH.NET sends end-of-file only after some stdin (RemoteCommand): a command given none reads /dev/null, as it
        // would get end-of-file at once from the OpenSSH runner (the watcher already runs it so).
        if (!cancellable && (request.Stdin == null || request.Stdin.Length == 0)) line += " </dev/null";
        var connection = ConnectionFor(node);
        var limit = request.Timeout + TimeSpan.FromSeconds(node.ConnectTimeoutSec) + _settings.LocalGrace;
        using var hard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hard.CancelAfter(limit);
        try
        {
            await connection.Channels.WaitAsync(hard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(node, FailureKind.TimedOut, $"no answer within {request.Timeout.TotalSeconds:0.#} s (every channel to the node stayed busy)");
        }
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var (client, reused) = await connection.ClientAsync(node, fresh: attempt > 0, hard.Token).ConfigureAwait(false);
                ChannelOutcome o;
                try
                {
                    o = await RemoteCommand.RunAsync(client, line, request.Stdin, cancellable, hard.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not NotStartedException && e is not OperationCanceledException && RemoteCommand.IsConnectionFault(e))
                {
                    connection.Drop(client);
                    return Failed(node, FailureKind.ConnectionLost, $"the connection to the node broke while the command ran ({e.GetType().Name}); it may or may not have run");
                }
                catch (NotStartedException e)
                {
                    if (client.IsConnected && e.InnerException is not Renci.SshNet.Common.SshConnectionException && e.InnerException is not Renci.SshNet.Common.SshOperationTimeoutException)
                        return Failed(node, FailureKind.Unreachable, $"unreachable: {node.Address} refused a new session on the connection ({e.InnerException?.GetType().Name}; is its sshd's MaxSessions below {_settings.MaxChannels + 1}?)");
                    connection.Drop(client);
                    // A connection that broke while idle (sshd restarted, the node rebooted): nothing ran, so once more on a new one.
                    if (attempt == 0 && reused) continue;
                    return Failed(node, FailureKind.Unreachable, $"unreachable: no command could be started on a new connection to {node.Address} ({e.InnerException?.GetType().Name})");
                }
                if (o.Stopped)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // The node did not answer within the command's time plus the grace: this connection is not used again.
                    connection.Drop(client);
                    return Failed(node, FailureKind.TimedOut, $"no answer within {request.Timeout.TotalSeconds:0.#} s");
                }
                return Interpret(node, request, o, () => connection.Drop(client));
            }
        }
        catch (SshNetFailure f)
        {
            return Failed(node, f.Kind, f.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(node, FailureKind.TimedOut, $"no answer within {request.Timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            connection.Channels.Release();
        }
    }

    private static CommandResult Interpret(NodeTarget node, CommandRequest request, ChannelOutcome o, Action drop)
    {
        var p = o.Process;
        var r = p.ToResult(node.Name);
        if (o.Lost)
        {
            drop();
            r.ExitCode = -1;
            r.Failure = FailureKind.ConnectionLost;
            r.Error = "the connection to the node was lost while the command ran (sshd died or the node went away); it may or may not have run";
        }
        else if (NodeSideTimeout.Expired(p, request))
        {
            r.Failure = FailureKind.TimedOut;
            r.Error = $"timed out after {request.Timeout.TotalSeconds:0.#} s";
        }
        return r;
    }

    private static CommandResult Failed(NodeTarget node, FailureKind kind, string error) =>
        new CommandResult { Node = node.Name, ExitCode = -1, Error = error, Failure = kind };

    /// <summary>What the open connection to the node negotiated; null when there is none. For tests and diagnostics.</summary>
    public Negotiated? NegotiatedWith(NodeTarget node)
    {
        lock (_gate) return _connections.TryGetValue(Key(node), out var c) ? c.Negotiated() : null;
    }

    /// <summary>Connections are shared only between targets with the same address, port, user, identity, known_hosts
    /// and host-key policy, so a connection opened under AcceptNew is never used under Strict.</summary>
    private static string Key(NodeTarget node) =>
        string.Join("\n", node.Address, node.Port, node.User, node.IdentityFile, node.KnownHostsFile, node.HostKeyPolicy);

    private NodeConnection ConnectionFor(NodeTarget node)
    {
        var key = Key(node);
        lock (_gate)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(SshNetCommandRunner));
            if (!_connections.TryGetValue(key, out var c))
                _connections[key] = c = new NodeConnection(_identities, _hostKeys, _settings);
            return c;
        }
    }

    /// <summary>Closes every connection (in parallel: each says goodbye to its node) and forgets the keys read.</summary>
    public void Dispose()
    {
        List<NodeConnection> all;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            all = _connections.Values.ToList();
            _connections.Clear();
        }
        Task.WaitAll(all.Select(c => Task.Run(c.Dispose)).ToArray(), TimeSpan.FromSeconds(5));
        _identities.Dispose();
    }
}
