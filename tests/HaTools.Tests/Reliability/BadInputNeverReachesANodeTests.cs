using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core;
using HaTools.Core.Model;
using HaTools.Tests.Spec;
using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>
/// Every bad cluster file, taken the way the CLI and the cmdlets take it (ClusterContext.FromFile → SpecLoader.Load,
/// then the provider's BootstrapAsync / TestAsync), is refused with a SpecException before any command exists:
/// the fake runner records no call. Each file is bounded in time (no hang) and in allocation (no YAML bomb, no
/// 50 MB read).
/// </summary>
public sealed class BadInputNeverReachesANodeTests : IDisposable
{
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(5);
    private const long MaxAllocated = 64L * 1024 * 1024;

    private static readonly string GeneratedDir = Path.Combine(Path.GetTempPath(), "hatools-badinput-" + Environment.ProcessId);

    public static IEnumerable<object[]> CorpusFiles() =>
        Directory.GetFiles(SpecTestUtil.InvalidCorpus, "*.yaml").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    public static IEnumerable<object[]> GeneratedCases() =>
        new[] { "empty", "binary", "50MB", "directory", "missing", "no-permission", "whitespace-only", "nul-in-middle" }.Select(c => new object[] { c });

    [Fact]
    public void The_corpus_covers_the_issue_list()
    {
        var names = CorpusFiles().Select(o => (string)o[0]).ToList();
        Assert.True(names.Count >= 120, $"only {names.Count} files");
        foreach (var topic in new[] { "syntax", "tab", "duplicate-top-key", "wrong-type", "unknown", "missing", "dangling", "duplicate-node-name", "duplicate-address",
                     "bad-score", "bad-interval", "bad-agent", "name-command-substitution", "name-backticks", "name-semicolon", "name-newline", "deep-nesting", "yaml-bomb",
                     "duplicate-node-name-case" })
            Assert.True(names.Any(n => n.Contains(topic, StringComparison.Ordinal)), "no corpus file about " + topic);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void A_corpus_file_is_refused_before_any_remote_command(string name) =>
        RefusedWithoutCalls(Path.Combine(SpecTestUtil.InvalidCorpus, name));

    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void A_broken_input_is_refused_before_any_remote_command(string kind) => RefusedWithoutCalls(Generate(kind));

    private static void RefusedWithoutCalls(string path)
    {
        foreach (var entry in new[] { "bootstrap", "test", "status" })
        {
            var fake = new FakeRunner();
            long allocated = 0;
            var sw = Stopwatch.StartNew();
            var work = Task.Run(async () =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    // As Program.Context and the cmdlets do: load, then call the provider.
                    var ctx = ClusterContext.FromFile(path, fake);
                    if (entry == "bootstrap") await ctx.Provider().BootstrapAsync(ctx, new BootstrapOptions(), NullOperationHost.Instance, CancellationToken.None);
                    else if (entry == "test") await ctx.Provider().TestAsync(ctx, new TestOptions(), NullOperationHost.Instance, CancellationToken.None);
                    else await ctx.Provider().GetStatusAsync(ctx, CancellationToken.None);
                    return (Exception?)null;
                }
                catch (Exception e) { return e; }
                finally { allocated = GC.GetAllocatedBytesForCurrentThread() - before; }
            });
            Assert.True(work.Wait(PerFile), $"{path} ({entry}): no answer within {PerFile.TotalSeconds} s");
            var ex = work.Result;
            var spec = Assert.IsType<SpecException>(ex);
            Assert.NotEmpty(spec.Problems);
            Assert.DoesNotContain("   at ", spec.Message);
            Assert.Empty(fake.Calls);
            Assert.True(allocated < MaxAllocated, $"{path} ({entry}): allocated {allocated / 1024 / 1024} MiB");
            Assert.True(sw.Elapsed < PerFile, $"{path} ({entry}): took {sw.Elapsed}");
        }
    }

    private static string Generate(string kind)
    {
        Directory.CreateDirectory(GeneratedDir);
        var path = Path.Combine(GeneratedDir, kind + ".yaml");
        switch (kind)
        {
            case "empty": File.WriteAllText(path, ""); break;
            case "whitespace-only": File.WriteAllText(path, "  \n\n   \n"); break;
            case "binary":
                var bytes = new byte[8192];
                new Random(7).NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                break;
            case "nul-in-middle": File.WriteAllText(path, "name: c\nnodes:\n  - { name: a\0b, address: 192.0.2.1 }\n"); break;
            case "50MB":
                if (!File.Exists(path) || new FileInfo(path).Length < 50L * 1024 * 1024)
                {
                    using var fs = new FileStream(path, FileMode.Create);
                    var line = System.Text.Encoding.ASCII.GetBytes("name: c\nnodes: [ { name: a, address: local } ]\n#" + new string('x', 1 << 16) + "\n");
                    while (fs.Length < 50L * 1024 * 1024) fs.Write(line, 0, line.Length);
                }
                break;
            case "directory": Directory.CreateDirectory(path); break;
            case "missing": path = Path.Combine(GeneratedDir, "no-such-dir", "cluster.yaml"); break;
            case "no-permission":
                // Refused for its mode where the test does not run as root; as root it is read, and refused for its content.
                File.WriteAllText(path, "name: c\nnodes: [ { name: 'a;b', address: 192.0.2.1 } ]\n");
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.None);
                break;
            default: throw new ArgumentException(kind);
        }
        return path;
    }

    public void Dispose()
    {
        try { if (Directory.Exists(GeneratedDir)) Directory.Delete(GeneratedDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
