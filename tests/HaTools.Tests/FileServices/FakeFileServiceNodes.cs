using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Services;
using HaTools.Core.Stacks.FileServices;
using HaTools.Core.Transport;
using HaTools.Tests.Pacemaker;

namespace HaTools.Tests.FileServices;

/// <summary>
/// Stand-in for the three lab nodes of examples/fileservices.yaml during a whole bootstrap or teardown: each node-side
/// script is recognised by its text (the production constant) and answered as a bare Debian node answers it; every
/// call is recorded in order, so that tests can hold the file-service steps to their exact argv and place among
/// Pacemaker's. crm_mon answers with the real capture of this cluster serving (captures/crm_mon.all-ok.xml).
/// </summary>
internal sealed class FakeFileServiceNodes : ICommandRunner
{
    private readonly object _lock = new object();

    public List<(string Node, CommandRequest Request)> Calls { get; } = new List<(string, CommandRequest)>();

    /// <summary>The file-service probe's answer per node (a bare node with every package by default).</summary>
    public Func<string, string> FsProbe { get; set; } = Bare;

    public string CrmMon { get; set; } = File.ReadAllText(Path.Combine(Fixtures.Root, "fileservices-golden", "crm_mon.lab-started.simulated.xml"));

    /// <summary>The status script's answer per node; by default <see cref="Serving"/>.</summary>
    public Func<string, string> Status { get; set; } = n => Serving(n, "ctdb-X-status.all-ok.txt", "ctdb-status.all-ok.txt", "198.18.0.10" + n.Substring(4) + "/24");

    /// <summary>What the status script prints on a serving node: CTDB's real answers (the machine form's own-node mark
    /// moved to this node: they were captured on one node), smbd and ganesha running, the given addresses.</summary>
    public static string Serving(string node, string machine, string text, params string[] addresses)
    {
        var me = "198.18.0.1" + node.Substring(4);
        var x = File.ReadAllLines(Capture(machine)).Select(l => l.StartsWith("|Node|", StringComparison.Ordinal) ? l
            : l.Substring(0, l.Length - 2) + (l.Contains("|" + me + "|", StringComparison.Ordinal) ? "Y|" : "N|"));
        return "ctdbx.rc=0\n" + string.Concat(x.Select(l => "ctdbx=" + l + "\n")) +
               "ctdb.rc=0\n" + string.Concat(File.ReadAllLines(Capture(text)).Select(l => "ctdb=" + l + "\n")) +
               "smbd=running\nganesha=running\naddr=127.0.0.1/8\naddr=" + me + "/24\n" + string.Concat(addresses.Select(a => "addr=" + a + "\n")) + "FSSTATUS\n";
    }

    internal static string Capture(string name) => Path.Combine(RepoPaths.Root, "tests", "HaTools.Tests", "FileServices", "captures", name);

    public static string Bare(string node) =>
        "bin.ctdbd=yes\nbin.ctdb=yes\nbin.smbd=yes\nbin.ganesha.nfsd=yes\nagent.CTDB=yes\nagent.anything=yes\nagent.IPaddr2=yes\nagent.Filesystem=yes\nagent.Delay=yes\n" +
        "fsal.vfs=yes\nshared=dir\ndir./srv/hafs/.ctdb=no\ndir./srv/hafs/export=no\npacemaker=stopped\nPROBED\n";

    public static string PacemakerProbe(string node) =>
        $"hostname={node}\nbin.corosync=/usr/sbin/corosync\nbin.pacemakerd=/usr/sbin/pacemakerd\nbin.crm_mon=/usr/sbin/crm_mon\n" +
        "bin.cibadmin=/usr/sbin/cibadmin\nbin.crm_resource=/usr/sbin/crm_resource\nbin.crm_attribute=/usr/sbin/crm_attribute\nbin.corosync-cfgtool=/usr/sbin/corosync-cfgtool\n" +
        $"version.corosync=3.1.7\nversion.pacemaker=2.1.5\niface=yes\naddrs=127.0.0.1 198.18.0.1{node.Substring(4)}\ncorosync=stopped\npacemaker=stopped\ninit=other\n" +
        $"time={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000}\n";

    /// <summary>The calls of one node, as "first argv words" (for a script: its kind and arguments).</summary>
    public IReadOnlyList<string> Of(string node) => Calls.Where(c => c.Node == node).Select(c => Describe(c.Request)).ToList();

    /// <summary>A call as text: scripts by their kind and arguments, other commands as their argv.</summary>
    public static string Describe(CommandRequest r)
    {
        var a = r.Argv;
        if (a.Count > 3 && a[0] == "sh" && a[1] == "-c")
            return Kind(a[2]) + (a.Count > 4 ? " " + string.Join(" ", a.Skip(4)) : "");
        return string.Join(" ", a);
    }

    private static string Kind(string script)
    {
        if (script == FilePusher.Script) return "push";
        if (script == ServiceControl.Script) return "service";
        if (script == FileServicesCommands.ProbeScript) return "fs-probe";
        if (script == FileServicesCommands.KeepOriginalsScript) return "keep-originals";
        if (script == FileServicesCommands.PrepareScript) return "prepare";
        if (script == FileServicesCommands.SeesScript) return "sees";
        if (script == FileServicesCommands.StopLeftoversScript) return "stop-leftovers";
        if (script == FileServicesCommands.RestoreScript) return "restore";
        if (script == FileServicesCommands.RemoveLockScript) return "remove-lock";
        if (script == FileServicesCommands.StatusScript) return "fs-status";
        if (script.Contains("hostname=", StringComparison.Ordinal)) return "probe";
        if (script.Contains("find \"$f\" -mindepth 1 -delete", StringComparison.Ordinal)) return "remove-state";
        return "script";
    }

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        lock (_lock) Calls.Add((node.Name, request));
        return Task.FromResult(new CommandResult { Node = node.Name, StdOut = Answer(node.Name, request) });
    }

    private string Answer(string node, CommandRequest r)
    {
        var a = r.Argv;
        var what = Describe(r);
        var kind = what.Split(' ')[0];
        switch (kind)
        {
            case "probe": return PacemakerProbe(node);
            case "fs-probe": return FsProbe(node);
            case "push":
                return a[4] switch
                {
                    "stage" => "STAGED\n",
                    // Debian ships smb.conf, ganesha.conf, ctdb.tunables; a bare node has no corosync.conf, authkey or nodes file.
                    "commit" => new[] { FileServicesConfig.SmbConfPath, FileServicesConfig.GaneshaConfPath, FileServicesConfig.CtdbTunablesPath }.Contains(a[5])
                        ? $"COMMITTED {a[5]}.hatools-bak\n" : "COMMITTED \n",
                    "push" => "COMMITTED \n",
                    _ => "DISCARDED\n",
                };
            case "service": return a[5] == "is-running" ? "RUNNING\n" : "DONE\n";
            case "keep-originals": return string.Concat(a.Skip(4).Select(f => $"kept={f}\n")) + "KEPT\n";
            case "prepare": return string.Concat(a.Skip(4).Where(d => d != "--").Select(d => $"made={d}\n")) + "PREPARED\n";
            case "sees": return "SAME\n";
            case "stop-leftovers": return "NONE\n";
            case "restore": return string.Concat(a.Skip(6).Select(f => $"restored={f}\n")) + "RESTORED\n";
            case "remove-lock": return "REMOVED\n";
            case "fs-status": return Status(node);
        }
        if (a[0] == "crm_mon") return CrmMon;
        if (a[0] == "cibadmin" && a.Contains("--query")) return Fixtures.Read("cib", "running-empty.xml");
        return "";
    }

    /// <summary>The &lt;configuration&gt; sent with cibadmin --replace, or null.</summary>
    public string? Replaced() =>
        Calls.Where(c => c.Request.Argv[0] == "cibadmin" && c.Request.Argv.Contains("--replace")).Select(c => Encoding.UTF8.GetString(c.Request.Stdin ?? Array.Empty<byte>())).LastOrDefault();
}
