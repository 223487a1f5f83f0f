using System;
using System.Diagnostics;
using System.IO;
using HaTools.Tests.Spec;

namespace HaTools.Tests.Reliability;

/// <summary>Runs the built console front (src/HaTools.Cli/bin/CONFIG/TFM/hatools.dll) with dotnet exec, argv exact.</summary>
internal static class Cli
{
    /// <summary>The hatools.dll built with the same configuration and target framework as this test assembly.</summary>
    public static string Dll
    {
        get
        {
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var config = tfmDir.Parent!.Name;
            var dll = Path.Combine(SpecTestUtil.RepoRoot, "src", "HaTools.Cli", "bin", config, tfmDir.Name, "hatools.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("build the solution first: " + dll);
            return dll;
        }
    }

    public static (int Exit, string StdOut, string StdErr) Run(TimeSpan timeout, params string[] args) => Run(timeout, null, args);

    /// <summary>As <see cref="Run(TimeSpan, string[])"/> with extra environment (e.g. PATH with stand-in tools first).</summary>
    public static (int Exit, string StdOut, string StdErr) Run(TimeSpan timeout, System.Collections.Generic.IDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["HATOOLS_CLUSTER"] = null;
        foreach (var kv in env ?? new System.Collections.Generic.Dictionary<string, string>()) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"hatools {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (p.ExitCode, o.Result, e.Result);
    }
}
