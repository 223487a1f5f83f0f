using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using Xunit;

namespace HaTools.Tests.Spec;

/// <summary>Hostile or broken files generated at run time (not committed).</summary>
public sealed class FileInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hatools-spec-" + Guid.NewGuid().ToString("N"));

    public FileInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            foreach (var f in Directory.GetFiles(_dir)) File.SetAttributes(f, FileAttributes.Normal);
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static SpecProblem Refused(string path, string code)
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.Load(path));
        var p = Assert.Single(ex.Problems);
        Assert.Equal(code, p.Code);
        Assert.Equal(path, p.File);
        Assert.Equal("(file)", p.Field);
        Assert.DoesNotContain("   at ", ex.Message);
        return p;
    }

    [Fact]
    public void A_50_MB_file_is_refused_quickly_without_reading_it()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        using (var fs = new FileStream(path, FileMode.CreateNew))
        {
            var line = System.Text.Encoding.ASCII.GetBytes("# padding padding padding padding padding padding padding padding\n");
            var block = Enumerable.Repeat(line, 1 << 10).SelectMany(b => b).ToArray();
            while (fs.Length < 50L * 1024 * 1024) fs.Write(block, 0, block.Length);
        }
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var p = Refused(path, SpecCodes.TooLarge);
        sw.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
        Assert.True(allocated < 20L * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.Matches(@"^file is \d+ bytes; cluster files are limited to 1 MiB$", p.Message);
    }

    [Fact]
    public void Just_over_1_MiB_is_refused_and_just_under_is_read()
    {
        var big = Path.Combine(_dir, "big.yaml");
        File.WriteAllText(big, "name: c\n" + new string('#', SpecLoader.MaxFileBytes) + "\n");
        Assert.Contains("limited to 1 MiB", Refused(big, SpecCodes.TooLarge).Message);

        var ok = Path.Combine(_dir, "ok.yaml");
        File.WriteAllText(ok, "name: c\nnodes: [ { name: a, address: local } ]\n#" + new string('x', SpecLoader.MaxFileBytes - 100) + "\n");
        Assert.Equal("c", SpecLoader.Load(ok).Name);
    }

    [Fact]
    public void Text_over_1_MiB_is_refused_by_LoadText()
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.LoadText(new string('a', SpecLoader.MaxFileBytes + 1), "t.yaml"));
        Assert.Equal(SpecCodes.TooLarge, Assert.Single(ex.Problems).Code);
    }

    [Fact]
    public void A_binary_file_is_refused()
    {
        var path = Path.Combine(_dir, "bin.yaml");
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        bytes[10] = 0;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("binary file", Refused(path, SpecCodes.Binary).Message);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var path = Path.Combine(_dir, "latin1.yaml");
        File.WriteAllBytes(path, new byte[] { (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)':', (byte)' ', 0xE9, (byte)'\n' });
        Assert.Contains("not UTF-8", Refused(path, SpecCodes.Binary).Message);
    }

    [Fact]
    public void A_utf8_bom_is_accepted()
    {
        var path = Path.Combine(_dir, "bom.yaml");
        File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("name: c\nnodes: [ { name: a, address: local } ]\n")).ToArray());
        Assert.Equal("c", SpecLoader.Load(path).Name);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var path = Path.Combine(_dir, "empty.yaml");
        File.WriteAllText(path, "");
        Assert.Contains("file is empty", Refused(path, SpecCodes.Empty).Message);
    }

    [Fact]
    public void A_directory_is_refused()
    {
        Assert.Contains("directory", Refused(_dir, SpecCodes.IsDirectory).Message);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var path = Path.Combine(_dir, "nope", "cluster.yaml");
        var p = Refused(path, SpecCodes.NoFile);
        Assert.StartsWith(path + ": (file): file not found", p.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void No_path_is_refused(string path) => Refused(path, SpecCodes.NoFile);

    [Fact]
    public void An_unreadable_file_is_refused()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(_dir, "secret.yaml");
        File.WriteAllText(path, "name: c\nnodes: [ { name: a, address: local } ]\n");
        File.SetUnixFileMode(path, UnixFileMode.None);
        bool canRead;
        try { using (File.OpenRead(path)) { } canRead = true; }
        catch (UnauthorizedAccessException) { canRead = false; }
        if (canRead) return; // root reads anything: nothing to assert
        Assert.Contains("permission denied", Refused(path, SpecCodes.Unreadable).Message);
    }

    [Fact]
    public void Validate_returns_problems_and_never_throws()
    {
        var report = SpecLoader.Validate(Path.Combine(_dir, "missing.yaml"));
        Assert.False(report.IsValid);
        Assert.Null(report.Spec);
        Assert.Single(report.Problems);
    }

    [Fact]
    public void Many_yaml_nodes_are_refused()
    {
        var text = "name: c\nnodes: [ { name: a, address: local } ]\nproperties:\n" + string.Concat(Enumerable.Range(0, 6000).Select(i => $"  p{i}: v\n"));
        var ex = Assert.Throws<SpecException>(() => SpecLoader.LoadText(text, "many.yaml"));
        Assert.Equal(SpecCodes.TooManyNodes, Assert.Single(ex.Problems).Code);
    }

    [Fact]
    public void Many_problems_are_capped()
    {
        var text = "name: c\nnodes: [ { name: a, address: local } ]\nproperties:\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"  \"p {i}\": v\n"));
        var ex = Assert.Throws<SpecException>(() => SpecLoader.LoadText(text, "many.yaml"));
        Assert.InRange(ex.Problems.Count, 2, ProblemListMax + 1);
        Assert.Contains(ex.Problems, p => p.Code == SpecCodes.TooManyProblems);
    }

    private const int ProblemListMax = 200;

    [Fact]
    public void Deep_flow_nesting_in_a_big_file_is_refused_without_recursion()
    {
        var text = "name: c\nx: " + new string('[', 500_000) + new string(']', 500_000) + "\n";
        var ex = Assert.Throws<SpecException>(() => SpecLoader.LoadText(text, "deep.yaml"));
        Assert.Equal(SpecCodes.TooDeep, Assert.Single(ex.Problems).Code);
    }
}
