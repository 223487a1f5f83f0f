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
        if (KnownHostsProblem(node) is { } khp)
            return new CommandResult { Node = node.Name, ExitCode = -1, Error = khp, Unreachable = true };
        var args = BuildSshArguments(node, request);
        var hard = request.Timeout + TimeSpan.FromSeconds(node.ConnectTimeoutSec) + LocalGrace;
        ProcessOutcome o;
        try
        {
            o = await ProcessRunner.RunAsync(Options.SshPath, args, request.Stdin, hard, cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult { Node = node.Name, ExitCode = -1, Error = $"cannot start '{Options.SshPath}': {e.Message}", Unreachable = true };
        }
        return Interpret(node, request, o);
    }

    /// <summary>A known_hosts file that does not exist: under Strict every connection would fail with OpenSSH's terse
    /// "Host key verification failed", so say which file is missing instead; under AcceptNew its folder is created so the
    /// first key can be pinned (otherwise every run would accept any key and pin none).</summary>
    internal static string? KnownHostsProblem(NodeTarget node)
    {
        var kh = node.KnownHostsFile;
        if (kh == null || File.Exists(kh)) return null;
        if (Directory.Exists(kh))
            return $"host key verification impossible: known_hosts '{Names.Printable(kh)}' is a folder, not a file";
        if (node.HostKeyPolicy != HostKeyPolicy.AcceptNew)
            return $"host key verification impossible: known_hosts file '{Names.Printable(kh)}' does not exist (create it, e.g. with ssh-keyscan, and check the keys; or set host_key_policy: accept-new to pin them on first contact)";
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(kh));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir!);
            return null;
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return $"cannot create the folder of known_hosts '{Names.Printable(kh)}' to pin host keys: {e.Message}";
        }
    }

    internal CommandResult Interpret(NodeTarget node, CommandRequest request, ProcessOutcome o)
    {
        var r = new CommandResult
        {
            Node = node.Name,
            ExitCode = o.ExitCode,
            StdOut = ProcessRunner.Text(o.StdOut),
            StdErr = ProcessRunner.Text(o.StdErr),
            Duration = o.Duration,
            OutputTruncated = o.OutputTruncated,
        };
        if (o.Killed)
        {
            r.TimedOut = true;
            r.ExitCode = -1;
            r.Error = $"no answer within {request.Timeout.TotalSeconds:0.#} s";
            return r;
        }
        if (NodeSideTimeout.Expired(o, request))
        {
            r.TimedOut = true;
            r.Error = $"timed out after {request.Timeout.TotalSeconds:0.#} s";
            return r;
        }
        if (o.ExitCode == 255)
        {
            var why = SshFailure(r.StdErr);
            if (why != null)
            {
                r.Error = why;
                r.Unreachable = true;
            }
            else if (r.StdErr.Trim().Length == 0)
            {
                // LogLevel=ERROR hides "Connection to X closed by remote host": a bare 255 is almost always that.
                r.Error = "ssh ended with exit 255 and no message: the connection was lost (sshd died or the node went away) or the command itself exited 255; it may or may not have run";
            }
        }
        return r;
    }

    /// <summary>Recognise the OpenSSH client's own failures (as opposed to a remote command exiting 255).</summary>
    internal static string? SshFailure(string stderr)
    {
        string[] hostKey = { "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED", "No ED25519 host key is known", "host key is known for", "No matching host key" };
        foreach (var h in hostKey)
            if (stderr.IndexOf(h, StringComparison.Ordinal) >= 0) return "host key verification failed (unknown or changed host key)";
        if (stderr.IndexOf("Permission denied", StringComparison.Ordinal) >= 0) return "authentication failed (permission denied)";
        string[] net = { "ssh: connect to host", "Connection refused", "Connection timed out", "No route to host", "Could not resolve hostname",
            "kex_exchange_identification", "Connection closed by", "closed by remote host", "Connection reset by", "banner exchange", "Network is unreachable", "port 22: Operation timed out",
            "Control socket connect", "mux_client", "too long for Unix domain socket" };
        foreach (var n in net)
            if (stderr.IndexOf(n, StringComparison.Ordinal) >= 0) return "unreachable: " + LastLine(stderr);
        return null;
    }

    private static string LastLine(string s)
    {
        var lines = s.Trim().Split('\n');
        return lines[lines.Length - 1].Trim();
    }

    /// <summary>The ssh client's argv (without the program name). Exposed for tests.</summary>
    internal IReadOnlyList<string> BuildSshArguments(NodeTarget node, CommandRequest request)
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
        a.Add(RemoteCommandLine(request));
        return a;
    }

    /// <summary>The one command line the node's shell parses: every argv element quoted once (ShellQuote), a C locale,
    /// and the node-side timeout. Exposed for tests.</summary>
    public static string RemoteCommandLine(CommandRequest request) => ShellQuote.Join(NodeSideTimeout.Wrap(request));

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
}
