using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Transport;

/// <summary>
/// Runs commands through the OpenSSH client. BatchMode (never prompts), strict host keys by default,
/// connection reuse through ControlMaster sockets in a private 0700 folder, LC_ALL=C on the node,
/// and a per-command timeout enforced on the node (coreutils timeout kills the command's process group)
/// and locally (the client is killed if the node does not answer at all).
/// </summary>
public sealed class SshCommandRunner : ICommandRunner, IDisposable
{
    /// <summary>Extra time given to the local client beyond the command's own timeout before it is killed.</summary>
    private static readonly TimeSpan LocalGrace = TimeSpan.FromSeconds(1.5);

    public SshCommandRunner(SshRunnerOptions? options = null) { Options = options ?? new SshRunnerOptions(); }

    public SshRunnerOptions Options { get; }

    public async Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        if (KnownHosts.Problem(node) is { } khp)
            return new CommandResult { Node = node.Name, ExitCode = -1, Error = khp, Failure = FailureKind.HostKeyRefused };
        // Only a call that can be cancelled needs the node side to watch for the end of stdin (and what that costs).
        var call = NodeSideTimeout.For(request, cancellationToken.CanBeCanceled);
        var args = BuildSshArguments(node, call.Argv);
        var hard = request.Timeout + TimeSpan.FromSeconds(node.ConnectTimeoutSec) + LocalGrace;
        ProcessOutcome o;
        try
        {
            o = await ProcessRunner.RunAsync(Options.SshPath, args, call.Stdin, hard, cancellationToken, holdStdinOpen: call.HoldStdinOpen).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult { Node = node.Name, ExitCode = -1, Error = $"cannot start '{Options.SshPath}': {e.Message}", Failure = FailureKind.CannotStart };
        }
        return Interpret(node, request, o);
    }

    internal CommandResult Interpret(NodeTarget node, CommandRequest request, ProcessOutcome o)
    {
        var r = o.ToResult(node.Name);
        if (o.Killed)
        {
            r.Failure = FailureKind.TimedOut;
            r.ExitCode = -1;
            r.Error = $"no answer within {request.Timeout.TotalSeconds:0.#} s";
            return r;
        }
        if (NodeSideTimeout.Expired(o, request))
        {
            r.Failure = FailureKind.TimedOut;
            r.Error = $"timed out after {request.Timeout.TotalSeconds:0.#} s";
            return r;
        }
        if (o.ExitCode == 255)
        {
            var kind = OpenSshFailures.KindOf(r.StdErr);
            if (kind != FailureKind.None)
            {
                r.Error = OpenSshFailures.Describe(kind, r.StdErr);
                r.Failure = kind;
            }
            else if (r.StdErr.Trim().Length == 0)
            {
                // LogLevel=ERROR hides "Connection to X closed by remote host": a bare 255 is almost always that.
                r.Error = "ssh ended with exit 255 and no message: the connection was lost (sshd died or the node went away) or the command itself exited 255; it may or may not have run";
                r.Failure = FailureKind.ConnectionLost;
            }
        }
        return r;
    }

    /// <summary>Recognise the OpenSSH client's own failures (as opposed to a remote command exiting 255): the message, or null.</summary>
    internal static string? SshFailure(string stderr)
    {
        var kind = OpenSshFailures.KindOf(stderr);
        return kind == FailureKind.None ? null : OpenSshFailures.Describe(kind, stderr);
    }

    /// <summary>The ssh client's argv (without the program name). Exposed for tests.</summary>
    internal IReadOnlyList<string> BuildSshArguments(NodeTarget node, CommandRequest request, bool cancellable = false) =>
        BuildSshArguments(node, NodeSideTimeout.For(request, cancellable).Argv);

    private IReadOnlyList<string> BuildSshArguments(NodeTarget node, IReadOnlyList<string> remoteArgv)
    {
        var a = new List<string>
        {
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=" + node.ConnectTimeoutSec.ToString(CultureInfo.InvariantCulture),
            "-o", "StrictHostKeyChecking=" + (node.HostKeyPolicy == HostKeyPolicy.AcceptNew ? "accept-new" : "yes"),
            "-o", "CheckHostIP=no",
            "-o", "UpdateHostKeys=no",
            "-o", "LogLevel=ERROR",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
            "-o", "ForwardAgent=no",
            "-o", "ForwardX11=no",
            "-o", "RequestTTY=no",
            "-o", "PermitLocalCommand=no",
            "-o", "ClearAllForwardings=yes",
        };
        if (node.KnownHostsFile != null)
        {
            a.Add("-o"); a.Add("UserKnownHostsFile=" + SshConfigValue(node.KnownHostsFile));
            a.Add("-o"); a.Add("GlobalKnownHostsFile=/dev/null");
        }
        if (node.IdentityFile != null)
        {
            a.Add("-o"); a.Add("IdentityFile=" + SshConfigValue(node.IdentityFile));
            a.Add("-o"); a.Add("IdentitiesOnly=yes");
        }
        if (Options.ControlPersistSec > 0)
        {
            a.Add("-o"); a.Add("ControlMaster=auto");
            a.Add("-o"); a.Add("ControlPath=" + SshConfigValue(Path.Combine(ControlDirectoryFor(node), "%C")));
            a.Add("-o"); a.Add("ControlPersist=" + Options.ControlPersistSec.ToString(CultureInfo.InvariantCulture));
        }
        a.Add("-p"); a.Add(node.Port.ToString(CultureInfo.InvariantCulture));
        a.Add("-l"); a.Add(node.User);
        a.Add("--");
        a.Add(node.Address);
        a.Add(ShellQuote.Join(remoteArgv));
        return a;
    }

    /// <summary>The one command line the node's shell parses: every argv element quoted once (ShellQuote), a C locale,
    /// and the node-side timeout. Exposed for tests.</summary>
    public static string RemoteCommandLine(CommandRequest request) => RemoteCommandLine(request, false);

    /// <summary>The same, for a call that can be cancelled: under the node-side watcher that ends the command when the
    /// session's stdin closes (<see cref="NodeSideTimeout.WrapCancellable"/>), unless the command watches for itself.</summary>
    public static string RemoteCommandLine(CommandRequest request, bool cancellable) =>
        ShellQuote.Join(NodeSideTimeout.For(request, cancellable).Argv);

    private static string SshConfigValue(string path)
    {
        if (path.IndexOfAny(new[] { '"', '\n', '\r' }) >= 0)
            throw new HaException($"unsupported character in ssh file path '{Names.Printable(path)}'");
        return path.IndexOf(' ') >= 0 ? "\"" + path + "\"" : path;
    }

    private readonly object _dirLock = new object();
    private readonly Dictionary<string, string> _dirs = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Masters are shared only between runs with the same identity, known_hosts and host-key policy, so a
    /// connection opened under AcceptNew is never reused under Strict.</summary>
    private string ControlDirectoryFor(NodeTarget node)
    {
        var key = $"{node.IdentityFile}\n{node.KnownHostsFile}\n{node.HostKeyPolicy}";
        lock (_dirLock)
        {
            if (_dirs.TryGetValue(key, out var d)) return d;
            var root = ControlRoot();
            // ssh binds ControlPath plus a 17-character temporary suffix as a Unix socket, whose path is limited to
            // 104-108 bytes; a long home or control folder would make every command fail ("too long for Unix domain
            // socket"). Fall back to a short private folder under /tmp.
            if (root.Length + 1 + 12 + 1 + 40 + 17 >= 104)
            {
                root = Path.Combine(Path.GetTempPath(), "hatools-ssh-" + Environment.UserName);
                PrivateDirectory.Ensure(root);
            }
            string hash;
            using (var sha = SHA256.Create())
                hash = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(key))).Replace("-", "").Substring(0, 12).ToLowerInvariant();
            d = Path.Combine(root, hash);
            PrivateDirectory.Ensure(d);
            _dirs[key] = d;
            return d;
        }
    }

    private string ControlRoot()
    {
        if (Options.ControlDirectory != null) { PrivateDirectory.Ensure(Options.ControlDirectory); return Options.ControlDirectory; }
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var root = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)
            ? Path.Combine(runtime!, "hatools-ssh")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hatools", "ssh");
        PrivateDirectory.Ensure(root);
        return root;
    }

    /// <summary>Masters outlive the runner on purpose (ControlPersist) so the next command is fast.</summary>
    public void Dispose() { }
}

public sealed class SshRunnerOptions
{
    /// <summary>ssh client binary.</summary>
    public string SshPath { get; set; } = "ssh";
    /// <summary>Private 0700 folder for control sockets; default $XDG_RUNTIME_DIR/hatools-ssh or ~/.cache/hatools/ssh.</summary>
    public string? ControlDirectory { get; set; }
    /// <summary>How long an idle master connection stays (seconds). 0 disables connection reuse.</summary>
    public int ControlPersistSec { get; set; } = 300;
    /// <summary>The passphrase of an encrypted identity file (its path given), asked only when one is met; null when none
    /// can be had. Used by the sshnet transport; the OpenSSH client never asks (BatchMode).</summary>
    public Func<string, System.Security.SecureString?>? IdentityPassphrase { get; set; }
}
