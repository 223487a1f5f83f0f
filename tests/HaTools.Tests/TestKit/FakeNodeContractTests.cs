using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using HaTools.Core.Locking;
using HaTools.Core.Model;
using HaTools.Core.Services;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests.TestKit;

/// <summary>
/// Keeps the stateful fake node honest: the same steps run through the real node-side scripts (sh on this machine,
/// files under a temporary folder) and through <see cref="FakeNode"/>, and after every step both must have given the
/// same answer and hold the same files. A change to a script that the fake does not follow fails here, not in a lab.
/// </summary>
public sealed class FakeNodeContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-fakenode-").FullName;
    private readonly LocalCommandRunner _real = new LocalCommandRunner();
    private readonly FakeCluster _fake = new FakeCluster("n1");
    private readonly NodeTarget _node = new NodeTarget("n1", "local");

    public void Dispose()
    {
        if (_dir.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) && _dir.Contains("hatools-fakenode-")) Directory.Delete(_dir, true);
    }

    private static string Word(CommandResult r) => r.StdOut.Trim().Split('\n').Last().Trim().Split(' ')[0];

    /// <summary>Relative path → content hash and (except the empty marker whose mode is the umask's) mode.</summary>
    private SortedDictionary<string, string> RealTree() => new SortedDictionary<string, string>(
        Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories).ToDictionary(
            p => p.Substring(_dir.Length),
            p => Hash(File.ReadAllBytes(p)) + (p.EndsWith(".none", StringComparison.Ordinal) ? "" : " " + Mode(p))), StringComparer.Ordinal);

    private SortedDictionary<string, string> FakeTree() => new SortedDictionary<string, string>(
        _fake["n1"].Files.Where(kv => kv.Key.StartsWith(_dir + "/", StringComparison.Ordinal)).ToDictionary(
            kv => kv.Key.Substring(_dir.Length),
            kv => Hash(kv.Value.Content) + (kv.Key.EndsWith(".none", StringComparison.Ordinal) ? "" : " " + kv.Value.Mode)), StringComparer.Ordinal);

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path) & 0x1ff, 8);

    private static string Hash(byte[] b) => Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();

    /// <summary>Runs one request on both and compares exit code, status word (or whole output) and the files.</summary>
    private async Task<string> Both(CommandRequest request, Func<string, string>? mask = null)
    {
        var real = await _real.RunAsync(_node, request);
        var fake = await _fake.RunAsync(_node, request);
        mask ??= s => s;
        Assert.True(real.ExitCode == fake.ExitCode, $"exit: real {real.ExitCode} ({real.StdErr.Trim()}), fake {fake.ExitCode} ({fake.StdErr.Trim()}) for {request.Argv[4]}");
        Assert.Equal(mask(real.StdOut.Trim()), mask(fake.StdOut.Trim()));
        Assert.Equal(real.StdErr.Trim(), fake.StdErr.Trim());
        Assert.Equal(RealTree(), FakeTree());
        return Word(real);
    }

    private CommandRequest Push(string action, string dest, byte[] content, string mode = "0644", byte[]? stdin = null) =>
        new CommandRequest(new[] { "sh", "-c", FilePusher.Script, "sh", action, dest, mode, "", Hash(content) }, TimeSpan.FromSeconds(20), stdin ?? content);

    [Fact]
    public async Task The_push_protocol_answers_and_changes_files_as_the_real_script()
    {
        var dest = _dir + "/etc/corosync/corosync.conf";
        byte[] a = Encoding.UTF8.GetBytes("totem { version: 2 }\n"), b = Encoding.UTF8.GetBytes("totem { version: 2; token: 3000 }\n");
        var seen = new List<string>
        {
            await Both(Push("check", dest, a)),
            await Both(Push("push", dest, a)),
            await Both(Push("push", dest, a)),
            await Both(Push("check", dest, a)),
            await Both(Push("push", dest, a, "0600")),
            await Both(Push("stage", dest, b)),
            await Both(Push("commit", dest, b)),
            await Both(Push("restore", dest, b)),
            await Both(Push("restore", dest, b)),
            await Both(Push("stage", dest, a, "0600")),
            await Both(Push("stage", dest, b)),
            await Both(Push("discard", dest, b)),
            await Both(Push("commit", dest, b)),
        };
        Assert.Equal(new[] { "WOULDCHANGE", "COMMITTED", "UNCHANGED", "UNCHANGED", "COMMITTED", "STAGED", "COMMITTED", "RESTORED", "NOTHING",
            "UNCHANGED", "STAGED", "DISCARDED", "" }, seen);
    }

    [Fact]
    public async Task A_new_file_undone_after_its_commit_is_removed_and_damaged_content_is_refused_as_by_the_real_script()
    {
        var dest = _dir + "/etc/ctdb/nodes";
        var c = Encoding.UTF8.GetBytes("198.18.0.11\n198.18.0.12\n");
        Assert.Equal("STAGED", await Both(Push("stage", dest, c)));
        Assert.Equal("COMMITTED", await Both(Push("commit", dest, c)));
        Assert.Equal("REMOVED", await Both(Push("undo", dest, c)));
        Assert.Equal("NOTHING", await Both(Push("undo", dest, c)));
        Assert.Equal("", await Both(Push("stage", dest, c, stdin: Encoding.UTF8.GetBytes("198.18.0.66\n"))));
        Assert.Equal("", await Both(Push("frobnicate", dest, c)));
    }

    private static string MaskAge(string s) => string.Join("\n", s.Split('\n').Where(l => !l.StartsWith("age=", StringComparison.Ordinal)));

    private CommandRequest Lock(string action, string token, string? stale = null)
    {
        var root = _dir + "/run/hatools/lock";
        var argv = new List<string> { "sh", "-c", LockScript.Script, "sh", action, root, token, "30" };
        if (action == "acquire") argv.AddRange(new[] { "adminA", "4242", "bootstrap lab", "2026-12-02T10:00:00Z" });
        if (stale != null) argv.Add(stale);
        _fake["n1"].Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new CommandRequest(argv, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_lock_protocol_answers_and_holds_as_the_real_script()
    {
        const string t1 = "00000000000000000000000000000001", t2 = "00000000000000000000000000000002";
        // The renewed file holds each node's clock; the fake's follows this machine's, so only its content is masked.
        Func<string, string> mask = MaskAge;
        var seen = new List<string>();
        async Task Step(CommandRequest r)
        {
            seen.Add(await BothLock(r, mask));
        }
        await Step(Lock("acquire", t1));
        await Step(Lock("acquire", t1));
        await Step(Lock("acquire", t2));
        await Step(Lock("renew", t1));
        await Step(Lock("release", t2));
        await Step(Lock("renew", t2));
        await Step(Lock("acquire", t2, stale: t1));
        await Step(Lock("renew", t1));
        await Step(Lock("release", t2));
        await Step(Lock("release", t2));
        Assert.Equal(new[] { "ACQUIRED", "ACQUIRED", "BUSY", "RENEWED", "NOT-OURS", "LOST", "STALE", "LOST", "RELEASED", "NOT-HELD" }, seen);
    }

    private async Task<string> BothLock(CommandRequest request, Func<string, string> mask)
    {
        var real = await _real.RunAsync(_node, request);
        var fake = await _fake.RunAsync(_node, request);
        Assert.Equal(real.ExitCode, fake.ExitCode);
        Assert.Equal(mask(real.StdOut.Trim()), mask(fake.StdOut.Trim()));
        var holder = _dir + "/run/hatools/lock/held/holder";
        Assert.Equal(File.Exists(holder) ? File.ReadAllText(holder) : null, _fake["n1"].Read(holder));
        Assert.Equal(File.Exists(holder) ? Mode(holder) : null, _fake["n1"].Files.TryGetValue(holder, out var f) ? f.Mode : null);
        return Word(real);
    }

    [Fact]
    public async Task The_service_protocol_reports_a_daemon_that_does_not_run_as_the_real_script()
    {
        // Only what this machine can show without starting a daemon: is-running and an idempotent stop.
        const string daemon = "hatools-no-such-daemon";
        foreach (var action in new[] { "is-running", "stop" })
        {
            var r = new CommandRequest(new[] { "sh", "-c", ServiceControl.Script, "sh", "hatools-no-such-unit", action, daemon }, TimeSpan.FromSeconds(20));
            var real = await _real.RunAsync(_node, r);
            var fake = await _fake.RunAsync(_node, r);
            Assert.Equal((real.ExitCode, real.StdOut.Trim()), (fake.ExitCode, fake.StdOut.Trim()));
        }
        Assert.Equal(new[] { "service is-running hatools-no-such-unit", "service stop hatools-no-such-unit" }, _fake["n1"].Log);
    }
}
