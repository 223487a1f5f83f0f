using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HaTools.Core;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.LabTests;

/// <summary>Cluster contexts over the running lab, with a private control-socket folder per test class.</summary>
internal static class LabCluster
{
    public static string Repo => Lab.RepoRoot;

    public static string ExampleFile => Path.Combine(Repo, "examples", "lab.yaml");

    public static string ControlDir => Path.Combine(Path.GetTempPath(), "hatools-labtests-" + Environment.ProcessId);

    /// <summary>The transport of the runner the lab tests use by default: openssh, or sshnet with HATOOLS_LAB_TRANSPORT=sshnet
    /// (tests/run.sh runs the Pacemaker suite once so).</summary>
    public static string Transport => Environment.GetEnvironmentVariable("HATOOLS_LAB_TRANSPORT") ?? RunnerFactory.OpenSsh;

    /// <summary>The runner of <see cref="Transport"/>: sshnet is built as a cluster file naming it gets it (RunnerFactory).</summary>
    public static ICommandRunner NewRunner()
    {
        if (Transport != RunnerFactory.SshNet) return new SshCommandRunner(new SshRunnerOptions { ControlDirectory = ControlDir });
        var spec = SpecLoader.Load(Lab.NodesFile);
        spec.Ssh.Transport = RunnerFactory.SshNet;
        return RunnerFactory.For(spec);
    }

    /// <summary>Ends the ControlMaster connections whose sockets are under <paramref name="dir"/> (ssh -O exit), so a
    /// test leaves no ssh sessions behind on the nodes.</summary>
    public static void CloseMasters(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var sock in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            try { OnHost("ssh", "-o", "ControlPath=" + sock, "-O", "exit", "lab-master"); }
            catch (TimeoutException) { }
        }
    }

    public static ClusterContext Nodes(ICommandRunner? runner = null) =>
        new ClusterContext(SpecLoader.Load(Lab.NodesFile), runner ?? NewRunner());

    public static ClusterContext Example(ICommandRunner? runner = null) =>
        new ClusterContext(SpecLoader.Load(ExampleFile), runner ?? NewRunner());

    public static NodeTarget Target(ClusterContext ctx, string name, Func<NodeTarget, NodeTarget>? change = null)
    {
        var t = ctx.Node(name);
        return change == null ? t : change(t);
    }

    /// <summary>Run a program on the host (not in a node), argv exact.</summary>
    public static LabResult OnHost(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Lab.Run(psi, null, TimeSpan.FromSeconds(10));
    }
}
