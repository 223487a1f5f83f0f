using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Transport;

/// <summary>
/// Builds the runner a cluster file asks for (<c>ssh: { transport: … }</c>, per cluster or per node): <c>openssh</c> (the
/// system's ssh client, ControlMaster) or <c>sshnet</c> (SSH.NET in this process, HaTools.Transport.SshNet), and the local
/// runner for nodes with <c>address: local</c>. The caller owns what it gets (a <see cref="ClusterContext"/> disposes it).
/// Core references no SSH library: the sshnet runner is loaded by assembly name only when a node uses it, through the
/// host's normal resolution (next to hatools.dll for the CLI, the module's dependencies/ folder through its resolver in
/// PowerShell), and built through its public constructor taking <see cref="SshRunnerOptions"/>. A registration table
/// would need state outside the context (the rule is none) or a reference from Core to the runner; a name is neither.
/// </summary>
public static class RunnerFactory
{
    public const string OpenSsh = "openssh";
    public const string SshNet = "sshnet";

    /// <summary>Every value the cluster file accepts for ssh.transport.</summary>
    public static readonly string[] Transports = { OpenSsh, SshNet };

    internal const string SshNetAssembly = "HaTools.Transport.SshNet";
    internal const string SshNetRunnerType = "HaTools.Transport.SshNet.SshNetCommandRunner";

    /// <summary>The transport of a node whose file names none: openssh where an ssh client that reuses connections
    /// exists; sshnet on Windows (its OpenSSH client has no ControlMaster) and where no ssh client is on the PATH.</summary>
    public static string Default => DefaultFor(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), Environment.GetEnvironmentVariable("PATH"));

    internal static string DefaultFor(bool windows, string? path)
    {
        if (windows) return SshNet;
        foreach (var dir in (path ?? "").Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "ssh"))) return OpenSsh;
        return SshNet;
    }

    public static ICommandRunner For(ClusterSpec spec, SshRunnerOptions? options = null)
    {
        var fallback = spec.Ssh.Transport ?? Default;
        var named = spec.Nodes.Where(n => n.Address != "local").Select(n => n.Ssh.Transport ?? fallback).Append(fallback).Distinct(StringComparer.Ordinal).ToList();
        foreach (var t in named)
            if (!Transports.Contains(t, StringComparer.Ordinal))
                throw new HaException($"unknown ssh transport '{Names.Printable(t)}' (known: {string.Join(", ", Transports)})") { Target = spec.SourceFile };
        var runners = named.ToDictionary(t => t, t => t == SshNet ? LoadSshNet(options, spec.SourceFile) : new SshCommandRunner(options), StringComparer.Ordinal);
        return new RoutingCommandRunner(runners[fallback], runners, new LocalCommandRunner());
    }

    private static ICommandRunner LoadSshNet(SshRunnerOptions? options, string? target)
    {
        Type type;
        try
        {
            type = Assembly.Load(new AssemblyName(SshNetAssembly)).GetType(SshNetRunnerType, throwOnError: true)!;
        }
        catch (Exception e) when (e is FileNotFoundException || e is FileLoadException || e is BadImageFormatException || e is TypeLoadException)
        {
            throw new HaException($"ssh transport 'sshnet' is not available: {SshNetAssembly}.dll could not be loaded ({e.GetType().Name}); set ssh.transport: openssh", e) { Target = target };
        }
        return (ICommandRunner)Activator.CreateInstance(type, options ?? new SshRunnerOptions())!;
    }
}
