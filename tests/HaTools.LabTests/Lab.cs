using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HaTools.LabTests;

/// <summary>Result of one command run through the lab.</summary>
public sealed record LabResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Success => ExitCode == 0;
}

/// <summary>
/// Drives the lab (tests/lab/lab.sh): N nodes in Linux namespaces reached over
/// real SSH. Every call runs lab.sh with an argv (no shell in between).
/// </summary>
public static class Lab
{
    public const string Subnet = "198.18.0";
    public const string HostAddress = Subnet + ".1";
    public const string SkipReason = "lab tests need root and HATOOLS_LAB=1";

    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object UpLock = new();
    private static int ensuredNodes;

    /// <summary>The repository root (the folder holding HaTools.sln).</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>tests/lab/lab.sh.</summary>
    public static string Script => Path.Combine(RepoRoot, "tests", "lab", "lab.sh");

    /// <summary>examples/lab: the connection facts written by `lab.sh up`.</summary>
    public static string FactsDir => Path.Combine(RepoRoot, "examples", "lab");

    /// <summary>examples/lab/nodes.yaml: the minimal cluster file for the lab.</summary>
    public static string NodesFile => Path.Combine(FactsDir, "nodes.yaml");

    public static string SshConfig => Path.Combine(FactsDir, "ssh_config");

    public static string KnownHosts => Path.Combine(FactsDir, "known_hosts");

    public static string IdentityFile => Path.Combine(FactsDir, "id_ed25519");

    /// <summary>True when the process runs as root (the lab needs it).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    /// <summary>True when lab tests should run: root and HATOOLS_LAB=1.</summary>
    public static bool Enabled => IsRoot && Environment.GetEnvironmentVariable("HATOOLS_LAB") == "1";

    /// <summary>Address of node I (1-based): 198.18.0.(10+I).</summary>
    public static string Address(int i)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(i, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(i, 16);
        return string.Create(CultureInfo.InvariantCulture, $"{Subnet}.{10 + i}");
    }

    /// <summary>Name of node I (1-based): nodeI.</summary>
    public static string NodeName(int i)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(i, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(i, 16);
        return string.Create(CultureInfo.InvariantCulture, $"node{i}");
    }

    /// <summary>
    /// Makes sure the lab runs with exactly <paramref name="n"/> healthy nodes:
    /// runs `lab.sh up n` unless `lab.sh status` already says so. Thread-safe;
    /// checks once per process for a given n.
    /// </summary>
    public static void EnsureUp(int n = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 16);
        if (!IsRoot)
        {
            throw new InvalidOperationException("the lab needs root");
        }

        lock (UpLock)
        {
            if (ensuredNodes == n)
            {
                return;
            }

            var status = RunScript(TimeSpan.FromSeconds(60), null, "status");
            var lines = status.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            bool healthy = status.ExitCode == 0 && lines.Length == n && File.Exists(NodesFile);
            if (!healthy)
            {
                var up = RunScript(TimeSpan.FromSeconds(180), null, "up", n.ToString(CultureInfo.InvariantCulture));
                if (up.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        $"lab.sh up {n} failed (exit {up.ExitCode}):\n{up.StdOut}\n{up.StdErr}");
                }
            }

            ensuredNodes = n;
        }
    }

    /// <summary>Runs argv inside the node's namespaces (`lab.sh exec NODE -- argv`).</summary>
    public static LabResult Exec(string node, params string[] argv) =>
        ExecCore(node, null, TimeSpan.FromSeconds(120), argv);

    /// <summary>Same as <see cref="Exec(string, string[])"/>, with text fed to stdin.</summary>
    public static LabResult ExecWithInput(string node, string stdin, params string[] argv) =>
        ExecCore(node, stdin, TimeSpan.FromSeconds(120), argv);

    /// <summary>Exec with an explicit timeout.</summary>
    public static LabResult ExecWithTimeout(string node, TimeSpan timeout, params string[] argv) =>
        ExecCore(node, null, timeout, argv);

    /// <summary>Brings a node (or "all") back to the bare state of `lab.sh up`.</summary>
    public static void Reset(string node) => Checked("reset", node);

    /// <summary>SIGSTOP every sshd in the node.</summary>
    public static void Freeze(string node) => Checked("freeze", node);

    /// <summary>SIGCONT every sshd in the node.</summary>
    public static void Thaw(string node) => Checked("thaw", node);

    /// <summary>Takes the node's link down (both veth ends).</summary>
    public static void LinkDown(string node) => Checked("link-down", node);

    /// <summary>Brings the node's link back up.</summary>
    public static void LinkUp(string node) => Checked("link-up", node);

    /// <summary>SIGKILLs corosync and the pacemaker daemons inside the node.</summary>
    public static void KillStack(string node) => Checked("kill-stack", node);

    /// <summary>SIGKILLs every sshd in the node (open connections drop); the node's init restarts the listener.</summary>
    public static void KillSshd(string node) => Checked("kill-sshd", node);

    /// <summary>Waits (polling, bounded) until the node's sshd answers with its banner again, e.g. after <see cref="KillSshd"/>.</summary>
    public static void WaitForSsh(string node, TimeSpan? timeout = null)
    {
        var i = int.Parse(node.AsSpan(4), CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var c = new System.Net.Sockets.TcpClient();
                if (c.ConnectAsync(Address(i), 22).Wait(TimeSpan.FromSeconds(1)))
                {
                    c.ReceiveTimeout = 1000;
                    var buf = new byte[4];
                    var n = c.GetStream().Read(buf, 0, 4);
                    if (n == 4 && Encoding.ASCII.GetString(buf) == "SSH-") return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or AggregateException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node}: sshd does not answer");
            Thread.Sleep(100);
        }
    }

    /// <summary>`lab.sh status` as is.</summary>
    public static LabResult Status() => RunScript(TimeSpan.FromSeconds(60), null, "status");

    private static LabResult ExecCore(string node, string? stdin, TimeSpan timeout, string[] argv)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Length == 0)
        {
            throw new ArgumentException("argv must not be empty", nameof(argv));
        }

        var args = new string[argv.Length + 3];
        args[0] = "exec";
        args[1] = node;
        args[2] = "--";
        argv.CopyTo(args, 3);
        return RunScript(timeout, stdin, args);
    }

    private static void Checked(string verb, string node)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        var r = RunScript(TimeSpan.FromSeconds(120), null, verb, node);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"lab.sh {verb} {node} failed (exit {r.ExitCode}):\n{r.StdOut}\n{r.StdErr}");
        }
    }

    /// <summary>Runs lab.sh with the given arguments, no shell in between.</summary>
    public static LabResult RunScript(TimeSpan timeout, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(Script)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Run(psi, stdin, timeout);
    }

    /// <summary>
    /// Runs a process and collects its output. Daemons started in a node may
    /// inherit our pipes and keep them open: once the process has exited, the
    /// output is read for at most a few more seconds.
    /// </summary>
    public static LabResult Run(ProcessStartInfo psi, string? stdin, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(psi);
        using var p = new Process { StartInfo = psi };
        p.Start();
        var stdout = new Collector(p.StandardOutput);
        var stderr = new Collector(p.StandardError);
        try
        {
            if (stdin is not null)
            {
                p.StandardInput.Write(stdin);
            }

            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // the command did not read its stdin
        }

        if (!p.WaitForExit(timeout))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }

            throw new TimeoutException(
                $"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s\n{stdout.Text}\n{stderr.Text}");
        }

        var drained = TimeSpan.FromSeconds(3);
        stdout.Wait(drained);
        stderr.Wait(drained);
        return new LabResult(p.ExitCode, stdout.Text, stderr.Text);
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HaTools.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            "cannot find the repository root (no HaTools.sln above " + AppContext.BaseDirectory + ")");
    }

    /// <summary>Reads a stream on a worker thread; the text so far is always available.</summary>
    private sealed class Collector
    {
        private readonly StringBuilder text = new();
        private readonly Task task;

        public Collector(StreamReader reader)
        {
            task = Task.Run(() =>
            {
                var buf = new char[4096];
                try
                {
                    int k;
                    while ((k = reader.Read(buf, 0, buf.Length)) > 0)
                    {
                        lock (text)
                        {
                            text.Append(buf, 0, k);
                        }
                    }
                }
                catch (IOException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
            });
        }

        public string Text
        {
            get
            {
                lock (text)
                {
                    return text.ToString();
                }
            }
        }

        public void Wait(TimeSpan timeout) => task.Wait(timeout);
    }
}
