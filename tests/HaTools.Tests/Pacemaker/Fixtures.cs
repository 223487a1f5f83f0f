using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace HaTools.Tests.Pacemaker;

/// <summary>Where tests/fixtures lives, golden-file comparison, and running real Pacemaker/corosync tools when installed.</summary>
internal static class Fixtures
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }

    public static string Path_(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    public static string Read(params string[] parts) => File.ReadAllText(Path_(parts));

    /// <summary>Compares with tests/fixtures/golden/NAME exactly. HATOOLS_UPDATE_GOLDEN=1 rewrites the file instead.</summary>
    public static void AssertGolden(string name, string actual)
    {
        var path = Path_("golden", name);
        if (Environment.GetEnvironmentVariable("HATOOLS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with HATOOLS_UPDATE_GOLDEN=1 once and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    /// <summary>The full path of an installed tool, or null.</summary>
    public static string? Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/sbin", "/usr/bin" }))
        {
            if (dir.Length == 0) continue;
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    public sealed class Run
    {
        public int ExitCode { get; set; }
        public string StdOut { get; set; } = "";
        public string StdErr { get; set; } = "";
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
    }

    public static Run Exec(string tool, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin != null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        if (stdin != null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60000))
        {
            p.Kill(true);
            throw new TimeoutException($"{tool} did not finish in 60 s");
        }
        return new Run { ExitCode = p.ExitCode, StdOut = stdout.Result, StdErr = stderr.Result };
    }

    /// <summary>Runs an argv as HaTools builds it (argv[0] is the tool's name, looked up on PATH).</summary>
    public static Run ExecArgv(string[] argv, IDictionary<string, string>? env = null, string? stdin = null) =>
        Exec(Tool(argv[0]) ?? throw new FileNotFoundException(argv[0] + " not installed"), argv.Skip(1), env, stdin);

    public static string TempFile(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hatools-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
