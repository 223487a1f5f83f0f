using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>
/// Third-party assemblies (YamlDotNet) ship in the module's dependencies/ folder, not next to HaTools.dll, so that
/// another module's copy (powershell-yaml ships its own YamlDotNet) is never picked up by PowerShell's own probing.
/// This handler answers only requests made by HaTools' own assemblies, and only for files present in dependencies/.
/// Limitation: on PowerShell 7, if another module has already loaded a different YamlDotNet into the default load
/// context, the runtime hands that one out before asking us (a full fix needs a custom AssemblyLoadContext, which
/// netstandard2.0 cannot express); see about_HaTools.
/// </summary>
public sealed class DependencyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyFolder = System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "dependencies");

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var requester = args.RequestingAssembly?.GetName().Name;
        if (requester != null && requester != "HaTools" && requester != "HaTools.Core") return null;
        var name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name)) return null;
        var file = System.IO.Path.Combine(DependencyFolder, name + ".dll");
        return File.Exists(file) ? Assembly.LoadFrom(file) : null;
    }
}
