using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.LabTests;

/// <summary>
/// The corosync authkey never shows: not in any process's command line (sampled every 20 ms from the host's /proc,
/// which lists the nodes' processes too: their PID namespaces are children of the host's), not in results,
/// warnings, verbose or progress messages, errors, nor in the CLI's output. Two bootstraps from bare nodes:
/// `hatools bootstrap --verbose` (the built CLI), then in-process with a host that records everything.
/// </summary>
[Collection("lab")]
public class SecretLabTests : IDisposable
{
    /// <summary>No ssh sessions left on the nodes by this class (other lab tests count processes).</summary>
    public void Dispose() => LabCluster.CloseMasters(LabCluster.ControlDir);

    private readonly ITestOutputHelper _out;

    public SecretLabTests(ITestOutputHelper output) { _out = output; }

    [LabFact]
    public async Task The_authkey_never_appears_in_argv_output_messages_or_errors()
    {
        // 1. The CLI, from bare nodes.
        Lab.Reset("all");
        CliResult cli;
        ProcSampler.Result cliSamples;
        using (var sampler = new ProcSampler())
        {
            cli = RunCli(TimeSpan.FromSeconds(180), "bootstrap", LabCluster.ExampleFile, "--verbose");
            cliSamples = sampler.Stop();
        }
        Assert.True(cli.Exit == 0, cli.StdOut + cli.StdErr);
        Assert.Contains("VERBOSE: ", cli.StdErr);
        var key1 = ReadKey("node1");
        foreach (var n in new[] { "node2", "node3" }) Assert.Equal(key1, ReadKey(n));
        AssertAbsent(key1, "CLI stdout", cli.StdOut);
        AssertAbsent(key1, "CLI stderr", cli.StdErr);
        AssertAbsent(key1, "command lines (CLI run)", cliSamples.CommandLines);

        // 2. In-process, from bare nodes, with a host that records everything.
        Lab.Reset("all");
        var host = new RecordingHost();
        var ctx = LabCluster.Example();
        IReadOnlyList<PhaseResult> phases;
        var errors = new List<string>();
        ProcSampler.Result samples;
        using (var sampler = new ProcSampler())
        {
            try { phases = await ctx.Provider().BootstrapAsync(ctx, new BootstrapOptions(), host, default); }
            catch (Exception e) { errors.Add(e.ToString()); throw; }
            samples = sampler.Stop();
        }
        Assert.DoesNotContain(phases, p => p.Status == PhaseStatus.Failed);
        var key2 = ReadKey("node1");
        Assert.NotEqual(key1, key2);

        // An error on the path that carries the secret (a push that fails on the node) shows stderr, never stdin.
        var failed = await new FilePusher(ctx.Runner).PushAsync(ctx.Nodes[0], new FileSpec("/proc/hatools-no/authkey", key2, "0400") { Owner = "root", Secret = true });
        Assert.Equal(FileChange.Failed, failed.Status);
        errors.Add(failed.Error ?? "");
        var ex = new NodeCommandException("node1", "x", new CommandResult { ExitCode = 3, StdErr = failed.Error ?? "" });
        errors.Add(ex.Message);

        var messages = string.Join("\n", phases.Select(p => $"{p.Phase} {p.Node} {p.Status} {p.Message}"))
            + "\n" + string.Join("\n", host.All);
        AssertAbsent(key2, "phase results and host messages", messages);
        AssertAbsent(key2, "errors", string.Join("\n", errors));
        AssertAbsent(key2, "command lines (in-process run)", samples.CommandLines);

        // Modes: 0400 root everywhere; a backup of a secret keeps 0400.
        foreach (var n in new[] { "node1", "node2", "node3" })
        {
            Assert.Equal("400 root", Lab.Exec(n, "stat", "-c", "%a %U", "/etc/corosync/authkey").StdOut.Trim());
            Assert.Equal("", Lab.Exec(n, "sh", "-c", "find /etc/corosync -name '*.hatools-bak' ! -perm 0400 -name 'authkey*' 2>/dev/null").StdOut.Trim());
        }
        var pusher = new FilePusher(ctx.Runner);
        var path = "/etc/hatools-secret-test/key";
        await pusher.PushAsync(ctx.Nodes[1], new FileSpec(path, new byte[] { 1, 2, 3 }, "0400") { Owner = "root", Secret = true });
        var second = await pusher.PushAsync(ctx.Nodes[1], new FileSpec(path, new byte[] { 4, 5, 6 }, "0400") { Owner = "root", Secret = true });
        Assert.Equal(path + FilePusher.BackupSuffix, second.Backup);
        Assert.Equal("400 root", Lab.Exec("node2", "stat", "-c", "%a %U", path + FilePusher.BackupSuffix).StdOut.Trim());
        Lab.Exec("node2", "rm", "-rf", "/etc/hatools-secret-test");

        var report = $"/proc samples: CLI run {cliSamples.Passes} passes ({cliSamples.Reads} cmdlines read, {cliSamples.NodeSide} node-side HaTools commands seen), "
            + $"in-process run {samples.Passes} passes ({samples.Reads} cmdlines read, {samples.NodeSide} node-side); secrets found: 0";
        _out.WriteLine(report);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "hatools-lab-timings.txt"), $"{DateTime.UtcNow:O} {report}\n");
        // The sampler did see inside the nodes: the push script ran there and was caught in the act.
        Assert.True(cliSamples.NodeSide + samples.NodeSide > 0, "the sampler never saw a node-side command");
        Assert.True(cliSamples.Passes > 50 && samples.Passes > 50, $"too few samples: {cliSamples.Passes}, {samples.Passes}");
    }

    private static byte[] ReadKey(string node) => Convert.FromBase64String(Lab.Exec(node, "base64", "-w0", "/etc/corosync/authkey").StdOut.Trim());

    /// <summary>No 16-byte piece of the key, raw, hex (either case) or base64, appears in the text.</summary>
    private static void AssertAbsent(byte[] key, string where, IEnumerable<string> texts)
    {
        foreach (var t in texts) AssertAbsent(key, where, t);
    }

    private static void AssertAbsent(byte[] key, string where, string text)
    {
        Assert.Equal(256, key.Length);
        var latin1 = Encoding.Latin1;
        var hex = Convert.ToHexString(key);
        var b64 = Convert.ToBase64String(key);
        var utf8 = latin1.GetString(Encoding.UTF8.GetBytes(text));
        for (var i = 0; i + 16 <= key.Length; i += 8)
        {
            Assert.False(utf8.Contains(latin1.GetString(key, i, 16), StringComparison.Ordinal), $"{where}: raw key bytes at {i}");
            Assert.False(text.Contains(hex.Substring(2 * i, 32), StringComparison.OrdinalIgnoreCase), $"{where}: hex key at {i}");
        }
        for (var i = 0; i + 24 <= b64.Length; i += 4)
            Assert.False(text.Contains(b64.Substring(i, 24), StringComparison.Ordinal), $"{where}: base64 key at {i}");
    }

    private sealed record CliResult(int Exit, string StdOut, string StdErr);

    /// <summary>The CLI's control sockets go to a folder of this test ($XDG_RUNTIME_DIR), closed afterwards.</summary>
    private static readonly string CliRuntimeDir = Path.Combine(Path.GetTempPath(), "hatools-cli-" + Environment.ProcessId);

    private static CliResult RunCli(TimeSpan timeout, params string[] args)
    {
        Directory.CreateDirectory(CliRuntimeDir);
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(Lab.RepoRoot, "src", "HaTools.Cli", "bin", tfm.Parent!.Name, tfm.Name, "hatools.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = Lab.RepoRoot };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["XDG_RUNTIME_DIR"] = CliRuntimeDir;
        try
        {
            var r = Lab.Run(psi, null, timeout);
            return new CliResult(r.ExitCode, r.StdOut, r.StdErr);
        }
        finally
        {
            LabCluster.CloseMasters(CliRuntimeDir);
            try { Directory.Delete(CliRuntimeDir, true); } catch (IOException) { }
        }
    }


    /// <summary>Reads every /proc/PID/cmdline on the host every 20 ms on its own thread, keeping the distinct ones.</summary>
    private sealed class ProcSampler : IDisposable
    {
        private readonly Thread _thread;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private volatile bool _stop;
        private int _passes;
        private long _reads;

        public sealed record Result(int Passes, long Reads, int NodeSide, IReadOnlyCollection<string> CommandLines);

        public ProcSampler()
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "proc-sampler" };
            _thread.Start();
        }

        private void Loop()
        {
            var sw = Stopwatch.StartNew();
            while (!_stop)
            {
                var t0 = sw.Elapsed;
                foreach (var d in Directory.EnumerateDirectories("/proc"))
                {
                    var name = Path.GetFileName(d);
                    if (name.Length == 0 || !char.IsDigit(name[0])) continue;
                    try
                    {
                        var bytes = File.ReadAllBytes(d + "/cmdline");
                        _reads++;
                        if (bytes.Length > 0) lock (_seen) _seen.Add(Encoding.Latin1.GetString(bytes));
                    }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
                _passes++;
                var left = TimeSpan.FromMilliseconds(20) - (sw.Elapsed - t0);
                if (left > TimeSpan.Zero) Thread.Sleep(left);
            }
        }

        public Result Stop()
        {
            _stop = true;
            _thread.Join();
            lock (_seen)
                return new Result(_passes, _reads, _seen.Count(c => c.StartsWith("sh\0-c\0set -eu\naction=$1", StringComparison.Ordinal)), _seen.ToList());
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
