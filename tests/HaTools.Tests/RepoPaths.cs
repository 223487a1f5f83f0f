using System;
using System.IO;
using System.Reflection;

namespace HaTools.Tests;

/// <summary>Where the repository and the module build output are, seen from the test assembly.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, as this test assembly was built (the module was built the same way, first).</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ModuleBuildOutput => Path.Combine(Root, "src", "HaTools", "bin", Configuration, "netstandard2.0");
    public static string ModuleDll => Path.Combine(ModuleBuildOutput, "HaTools.dll");
    public static string Manifest => Path.Combine(Root, "module", "HaTools.psd1");
    public static string FormatFile => Path.Combine(Root, "module", "HaTools.Format.ps1xml");
    public static string Docs => Path.Combine(Root, "docs", "commands");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "HaTools.sln"))) return d.FullName;
        throw new InvalidOperationException("HaTools.sln not found above " + AppContext.BaseDirectory);
    }
}
