using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Transport;

namespace HaTools.Core.Bootstrap.Steps;

/// <summary>
/// Guarded mkfs of the storage devices the cluster file declares (-Mkfs): a device that already holds the declared
/// filesystem is left alone, one that holds another filesystem is refused unless -Force, and each format asks
/// ShouldProcess first. The same for every stack: what a device holds is the node's business, not the stack's.
/// </summary>
public static class FormatDevices
{
    public static async Task<bool> RunAsync(PhaseRun run)
    {
        var ctx = run.Context;
        run.Progress("formatting declared devices");
        var ok = true;
        foreach (var d in run.Spec.Storage.Devices)
        {
            var sw = Stopwatch.StartNew();
            var node = ctx.Node(d.Node);
            var probe = await ctx.Runner.RunAsync(node, new CommandRequest(NodeCommands.ProbeFilesystem(d.Path), TimeSpan.FromSeconds(30)), run.Token).ConfigureAwait(false);
            if (probe.Error != null) { run.Report(d.Node, PhaseStatus.Failed, $"{d.Path}: {probe.Error}", sw.Elapsed); ok = false; continue; }
            // blkid -p: 0 and a type = a filesystem is there; 2 = nothing recognised; other = cannot read the device.
            var existing = probe.ExitCode == 0 ? probe.StdOut.Trim() : "";
            if (probe.ExitCode != 0 && probe.ExitCode != 2)
            {
                run.Report(d.Node, PhaseStatus.Failed, $"{d.Path}: cannot probe (exit {probe.ExitCode}): {MessageText.Tail(probe.StdErr)}", sw.Elapsed); ok = false; continue;
            }
            if (existing == d.Fstype && !run.Options.Force)
            {
                run.Report(d.Node, PhaseStatus.Unchanged, $"{d.Path} already holds {existing}; not formatted (use -Force to format anyway)", sw.Elapsed); continue;
            }
            if (existing.Length > 0 && !run.Options.Force)
            {
                run.Report(d.Node, PhaseStatus.Failed, $"{d.Path} holds a {existing} filesystem, not {d.Fstype}: refusing to format it (use -Force to overwrite)", sw.Elapsed); ok = false; continue;
            }
            if (!run.Host.ShouldProcess($"{d.Node}:{d.Path}", $"format as {d.Fstype} (all data on it is lost)")) continue;
            var r = await ctx.Runner.RunAsync(node, new CommandRequest(NodeCommands.Mkfs(d.Fstype, d.Options, d.Path, existing.Length > 0), TimeSpan.FromMinutes(10)), run.Token).ConfigureAwait(false);
            if (r.Succeeded) run.Report(d.Node, PhaseStatus.Changed, $"{d.Path} formatted as {d.Fstype}", sw.Elapsed);
            else { run.Report(d.Node, PhaseStatus.Failed, $"mkfs {d.Path}: {r.Error ?? MessageText.Tail(r.StdErr)}", sw.Elapsed); ok = false; }
        }
        if (run.Spec.Storage.Devices.Count == 0) run.Report("*", PhaseStatus.Skipped, "no storage devices declared", TimeSpan.Zero);
        return ok;
    }
}
