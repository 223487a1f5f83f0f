using System;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Transport;

/// <summary>
/// Builds the runner a cluster file asks for (<c>ssh: { transport: … }</c>): the transport for remote nodes,
/// the local runner for nodes with <c>address: local</c>. The caller owns what it gets (a <see cref="ClusterContext"/>
/// disposes it). One value today, <c>openssh</c> (the system's ssh client); an in-process client plugs in here.
/// </summary>
public static class RunnerFactory
{
    public const string OpenSsh = "openssh";

    /// <summary>Every value the cluster file accepts for ssh.transport.</summary>
    public static readonly string[] Transports = { OpenSsh };

    public static ICommandRunner For(ClusterSpec spec, SshRunnerOptions? options = null)
    {
        var named = spec.Nodes.Select(n => n.Ssh.Transport ?? spec.Ssh.Transport ?? OpenSsh).Distinct(StringComparer.Ordinal).ToList();
        foreach (var t in named)
            if (!Transports.Contains(t, StringComparer.Ordinal))
                throw new HaException($"unknown ssh transport '{Names.Printable(t)}' (known: {string.Join(", ", Transports)})") { Target = spec.SourceFile };
        return new RoutingCommandRunner(new SshCommandRunner(options), new LocalCommandRunner());
    }
}
