using System;
using System.IO;
using HaTools.Core.Spec;

namespace HaTools.Core.Transport;

/// <summary>How to reach one node. Immutable; travels with the operation (no global state).</summary>
public sealed class NodeTarget
{
    public NodeTarget(string name, string address)
    {
        Names.Require(name, "node name");
        Name = name;
        Address = address;
    }

    public string Name { get; }
    /// <summary>Host name or IP address ssh connects to.</summary>
    public string Address { get; }
    public string User { get; init; } = "root";
    public int Port { get; init; } = 22;
    public string? IdentityFile { get; init; }
    public string? KnownHostsFile { get; init; }
    public HostKeyPolicy HostKeyPolicy { get; init; } = HostKeyPolicy.Strict;
    public int ConnectTimeoutSec { get; init; } = 5;
    /// <summary>Run on this machine without ssh (the node you are on).</summary>
    public bool IsLocal { get; init; }
    /// <summary>The client that carries this node's commands (<see cref="RunnerFactory.Transports"/>).</summary>
    public string Transport { get; init; } = RunnerFactory.OpenSsh;

    public override string ToString() => Name;

    /// <summary>Resolve a node's connection settings: node ssh block over cluster ssh block over defaults.
    /// Relative file paths are resolved against the cluster file's folder.</summary>
    public static NodeTarget FromSpec(ClusterSpec cluster, NodeSpec node)
    {
        var baseDir = string.IsNullOrEmpty(cluster.SourceFile)
            ? Directory.GetCurrentDirectory()
            : Path.GetDirectoryName(Path.GetFullPath(cluster.SourceFile)) ?? Directory.GetCurrentDirectory();
        string? Resolve(string? p) => p == null ? null : Path.IsPathRooted(ExpandHome(p)) ? ExpandHome(p) : Path.GetFullPath(Path.Combine(baseDir, p));
        return new NodeTarget(node.Name, node.Address)
        {
            User = node.Ssh.User ?? cluster.Ssh.User ?? "root",
            Port = node.Ssh.Port ?? cluster.Ssh.Port ?? 22,
            IdentityFile = Resolve(node.Ssh.Identity ?? cluster.Ssh.Identity),
            KnownHostsFile = Resolve(node.Ssh.KnownHosts ?? cluster.Ssh.KnownHosts),
            HostKeyPolicy = node.Ssh.HostKeyPolicy ?? cluster.Ssh.HostKeyPolicy ?? HostKeyPolicy.Strict,
            ConnectTimeoutSec = node.Ssh.ConnectTimeoutSec ?? cluster.Ssh.ConnectTimeoutSec ?? 5,
            IsLocal = node.Address == "local",
            Transport = node.Ssh.Transport ?? cluster.Ssh.Transport ?? RunnerFactory.Default,
        };
    }

    private static string ExpandHome(string p)
    {
        if (p == "~" || p.StartsWith("~/", StringComparison.Ordinal))
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), p.Length > 2 ? p.Substring(2) : "");
        return p;
    }
}
