using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// Third-party assemblies (YamlDotNet; SSH.NET and the sshnet transport) ship in the module's dependencies/ folder, not
/// next to HaTools.dll, so that another module's copy (powershell-yaml ships its own YamlDotNet) is never picked up by PowerShell's own probing.
/// This handler answers only requests made by HaTools' own assemblies, and only for files present in dependencies/.
/// On PowerShell 7 the files go into a private AssemblyLoadContext: the default context holds one assembly per
/// name, so a different YamlDotNet loaded there first by another module would otherwise be refused to us
/// (FileLoadException), and ours, loaded first, would be handed to that module. The module targets netstandard2.0,
/// which has no AssemblyLoadContext type, so it is reached by reflection; Windows PowerShell 5.1 (.NET Framework,
/// no such type) keeps Assembly.LoadFrom.
/// </summary>
public sealed class DependencyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyFolder = System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "dependencies");

    private readonly object gate = new();
    private readonly Dictionary<string, Assembly> loaded = new(StringComparer.OrdinalIgnoreCase);
    private object? loadContext;

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var requester = args.RequestingAssembly?.GetName().Name;
        // HaTools' own assemblies, and the ones this handler loaded (the sshnet runner asks for SSH.NET, SSH.NET for BouncyCastle).
        if (requester != null && requester != "HaTools" && requester != "HaTools.Core" && !LoadedHere(requester)) return null;
        var name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name)) return null;
        // The sshnet runner is built against HaTools.Core: it gets the one the module runs on, so their types are one.
        if (name == "HaTools.Core") return typeof(HaTools.Core.ClusterContext).Assembly;
        var file = System.IO.Path.Combine(DependencyFolder, name + ".dll");
        if (!File.Exists(file)) return null;
        lock (gate)
        {
            if (!loaded.TryGetValue(name!, out var assembly))
                loaded[name!] = assembly = LoadPrivately(file) ?? Assembly.LoadFrom(file);
            return assembly;
        }
    }

    private bool LoadedHere(string name)
    {
        lock (gate) return loaded.ContainsKey(name);
    }

    private Assembly? LoadPrivately(string file)
    {
        var type = Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
        if (type == null) return null;
        loadContext ??= Activator.CreateInstance(type, "HaTools.dependencies", false);
        return (Assembly?)type.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!.Invoke(loadContext, new object[] { file });
    }
}
