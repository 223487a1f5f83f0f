using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace HaTools.Transport.SshNet;

/// <summary>
/// The one connection to one node (one address, port, user, identity, known_hosts and policy): opened on first use,
/// kept while it works, opened again when it was found broken; at most <see cref="SshNetSettings.MaxChannels"/>
/// commands at a time on it. Every way a connection attempt fails is turned into a <see cref="FailureKind"/> here, from
/// SSH.NET's exception types and the host-key decision this class made itself, never from message text.
/// </summary>
internal sealed class NodeConnection : IDisposable
{
    private readonly Identities _identities;
    private readonly HostKeys _hostKeys;
    private readonly SshNetSettings _settings;
    private readonly SemaphoreSlim _connecting = new SemaphoreSlim(1, 1);
    private readonly object _sync = new object();
    private SshClient? _client;
    private bool _disposed;

    public NodeConnection(Identities identities, HostKeys hostKeys, SshNetSettings settings)
    {
        _identities = identities;
        _hostKeys = hostKeys;
        _settings = settings;
        Channels = new SemaphoreSlim(settings.MaxChannels, settings.MaxChannels);
    }

    /// <summary>Free channels: a command holds one from before its channel opens until after it is closed.</summary>
    public SemaphoreSlim Channels { get; }

    /// <summary>The open connection (Reused) or a new one; with <paramref name="fresh"/>, always a new one. Throws
    /// <see cref="SshNetFailure"/> when none can be had, OperationCanceledException when the caller cancels.</summary>
    public async Task<(SshClient Client, bool Reused)> ClientAsync(NodeTarget node, bool fresh, CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SshClient? current;
            lock (_sync)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(NodeConnection));
                current = _client;
            }
            if (!fresh && current is { IsConnected: true }) return (current, true);
            if (current != null) Drop(current);
            var client = await ConnectAsync(node, cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                if (_disposed)
                {
                    DisposeQuietly(client);
                    throw new ObjectDisposedException(nameof(NodeConnection));
                }
                _client = client;
            }
            return (client, false);
        }
        finally { _connecting.Release(); }
    }

    /// <summary>The algorithms the open connection negotiated, or null when none is open.</summary>
    public Negotiated? Negotiated()
    {
        SshClient? c;
        lock (_sync) c = _client;
        if (c is not { IsConnected: true }) return null;
        var i = c.ConnectionInfo;
        return new Negotiated(i.CurrentKeyExchangeAlgorithm ?? "", i.CurrentHostKeyAlgorithm ?? "", i.CurrentClientEncryption ?? "", i.CurrentServerEncryption ?? "",
            i.CurrentClientHmacAlgorithm ?? "none", i.CurrentServerHmacAlgorithm ?? "none", i.ServerVersion ?? "");
    }

    /// <summary>Lets a broken connection go; the next command opens a new one. SSH.NET's Dispose may wait on the network,
    /// so it runs in the background.</summary>
    public void Drop(SshClient client)
    {
        lock (_sync)
        {
            if (ReferenceEquals(_client, client)) _client = null;
        }
        _ = Task.Run(() => DisposeQuietly(client));
    }

    private async Task<SshClient> ConnectAsync(NodeTarget node, CancellationToken cancellationToken)
    {
        var keys = _identities.For(node);
        var host = KnownHostsFile.HostName(node.Address, node.Port);
        var knownTypes = KnownHostsFile.Read(HostKeys.FilesFor(node)).KeyTypes(host);
        var connectTimeout = TimeSpan.FromSeconds(Math.Max(1, node.ConnectTimeoutSec));
        var info = new ConnectionInfo(node.Address, node.Port, node.User, new PrivateKeyAuthenticationMethod(node.User, keys))
        {
            Timeout = connectTimeout,
            // One above the channels this runner opens, so that SSH.NET never waits for one itself (it would block a
            // thread); the node's sshd allows 10 by default (MaxSessions).
            MaxSessions = _settings.MaxChannels + 1,
            Encoding = new UTF8Encoding(false),
        };
        Algorithms.Restrict(info, Algorithms.HostKeysFor(knownTypes));
        var client = new SshClient(info) { KeepAliveInterval = _settings.KeepAlive };
        string? refusal = null;
        client.HostKeyReceived += (_, e) =>
        {
            var d = _hostKeys.Decide(node, e.HostKey, e.FingerPrintSHA256);
            refusal = d.Trusted ? null : d.Why;
            e.CanTrust = d.Trusted;
        };
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(connectTimeout);
        var connect = client.ConnectAsync(bounded.Token);
        try
        {
            // ConnectAsync does not always honour its token while it waits for the node's banner (a frozen sshd).
            await Task.WhenAny(connect, Task.Delay(Timeout.Infinite, bounded.Token)).ConfigureAwait(false);
            if (!connect.IsCompleted)
            {
                _ = connect.ContinueWith(t => { _ = t.Exception; DisposeQuietly(client); }, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
                throw new SshNetFailure(FailureKind.Unreachable, $"unreachable: no SSH answer from {host} within {connectTimeout.TotalSeconds:0.#} s");
            }
            await connect.ConfigureAwait(false);
            return client;
        }
        catch (Exception e) when (e is not SshNetFailure)
        {
            DisposeQuietly(client);
            if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
            throw Classify(e, host, refusal, connectTimeout);
        }
    }

    /// <summary>What a failed connection attempt was, by the exception's type (and the host-key decision made here).</summary>
    internal static SshNetFailure Classify(Exception e, string host, string? hostKeyRefusal, TimeSpan connectTimeout) => e switch
    {
        SshConnectionException when hostKeyRefusal != null => new SshNetFailure(FailureKind.HostKeyRefused, hostKeyRefusal),
        SshAuthenticationException => new SshNetFailure(FailureKind.AuthFailed, $"authentication failed (permission denied): {host} refused the identity"),
        SshConnectionException c when c.DisconnectReason == DisconnectReason.KeyExchangeFailed =>
            new SshNetFailure(FailureKind.Unreachable, $"unreachable: no key exchange, cipher, MAC or host key algorithm in common with {host} (HaTools offers only modern ones: kex {string.Join(",", Algorithms.KeyExchange)}; ciphers {string.Join(",", Algorithms.Ciphers)}; MACs {string.Join(",", Algorithms.Macs)}; host keys {string.Join(",", Algorithms.HostKeys)})"),
        SocketException s => new SshNetFailure(FailureKind.Unreachable, $"unreachable: ssh: connect to {host}: {s.SocketErrorCode}"),
        SshOperationTimeoutException or OperationCanceledException =>
            new SshNetFailure(FailureKind.Unreachable, $"unreachable: no SSH answer from {host} within {connectTimeout.TotalSeconds:0.#} s"),
        _ => new SshNetFailure(FailureKind.Unreachable, $"unreachable: the connection to {host} closed during the handshake ({e.GetType().Name})"),
    };

    private static void DisposeQuietly(SshClient client)
    {
        try { client.Dispose(); }
        catch (Exception e) when (RemoteCommand.IsConnectionFault(e) || e is InvalidOperationException) { }
    }

    public void Dispose()
    {
        SshClient? c;
        lock (_sync)
        {
            _disposed = true;
            c = _client;
            _client = null;
        }
        if (c != null) DisposeQuietly(c);
    }
}

/// <summary>What one connection negotiated (SSH.NET's ConnectionInfo after the handshake).</summary>
public sealed class Negotiated
{
    public Negotiated(string kex, string hostKey, string clientCipher, string serverCipher, string clientMac, string serverMac, string serverVersion)
    {
        KeyExchange = kex; HostKey = hostKey; ClientCipher = clientCipher; ServerCipher = serverCipher; ClientMac = clientMac; ServerMac = serverMac; ServerVersion = serverVersion;
    }

    public string KeyExchange { get; }
    public string HostKey { get; }
    public string ClientCipher { get; }
    public string ServerCipher { get; }
    /// <summary>The MAC (none of its own with an AEAD cipher such as aes-gcm).</summary>
    public string ClientMac { get; }
    public string ServerMac { get; }
    public string ServerVersion { get; }

    public override string ToString() => $"kex {KeyExchange}, host key {HostKey}, ciphers {ClientCipher}/{ServerCipher}, MACs {ClientMac}/{ServerMac}, server {ServerVersion}";
}

/// <summary>Settings of the runner that the cluster file does not carry (tests change them).</summary>
internal sealed class SshNetSettings
{
    public static readonly SshNetSettings Default = new SshNetSettings();

    /// <summary>Commands at a time on one connection. sshd allows 10 sessions per connection by default (MaxSessions);
    /// at 10, a channel closing while the next opens was refused now and then (lab notes), so one is kept free.</summary>
    public int MaxChannels { get; init; } = 9;
    /// <summary>Keep-alive messages on an idle connection, so that NAT and firewalls keep it.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Beyond the command's own timeout and the connect timeout, how long before the node counts as not answering.</summary>
    public TimeSpan LocalGrace { get; init; } = TimeSpan.FromSeconds(1.5);
}
