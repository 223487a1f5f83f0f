using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>argv for the system tools a cluster bootstrap needs besides Pacemaker's (corosync, blkid, mkfs, rm).
/// Pure; every path is checked, every value is its own argv element.</summary>
public static class NodeCommands
{
    private static readonly Regex SafePath = new Regex(@"^/[A-Za-z0-9._/+@:-]*\z", RegexOptions.CultureInvariant);

    /// <summary>Mkfs tools and the flag that overwrites an existing filesystem.</summary>
    private static readonly Dictionary<string, string> ForceFlag = new Dictionary<string, string>
    {
        ["ext4"] = "-F", ["ext3"] = "-F", ["xfs"] = "-f", ["btrfs"] = "-f", ["ocfs2"] = "-F", ["gfs2"] = "-O", ["vfat"] = "-I",
    };

    /// <summary>corosync re-reads corosync.conf on every node of the running cluster.</summary>
    public static string[] ReloadCorosync() => new[] { "corosync-cfgtool", "-R" };

    /// <summary>blkid -p (low-level probe, no cache): prints the filesystem type and exits 0; exits 2 when nothing is found.</summary>
    public static string[] ProbeFilesystem(string device) =>
        new[] { "blkid", "-p", "-o", "value", "-s", "TYPE", Path(device) };

    /// <summary>mkfs -t TYPE [options] DEVICE; with <paramref name="overwrite"/> the tool's own force flag.</summary>
    public static string[] Mkfs(string fstype, IReadOnlyList<string> options, string device, bool overwrite)
    {
        if (!ForceFlag.TryGetValue(fstype, out var force)) throw new HaException($"unsupported filesystem type '{Names.Printable(fstype)}'");
        foreach (var o in options)
            if (o.Any(char.IsControl)) throw new HaException($"mkfs option with a control character: '{Names.Printable(o)}'");
        var argv = new List<string> { "mkfs", "-t", fstype };
        if (overwrite) argv.Add(force);
        argv.AddRange(options);
        argv.Add("--");
        argv.Add(Path(device));
        return argv.ToArray();
    }

    /// <summary>rm -f of the files and the contents of the folders (the folders themselves stay, with their owners).</summary>
    public static string[] RemoveClusterState(IEnumerable<string> files, IEnumerable<string> dirs)
    {
        var script = "set -e; for f in \"$@\"; do case $f in */) find \"$f\" -mindepth 1 -delete 2>/dev/null || true;; *) rm -f -- \"$f\";; esac; done";
        return new[] { "sh", "-c", script, "sh" }.Concat(files.Select(Path)).Concat(dirs.Select(d => Path(d) + "/")).ToArray();
    }

    /// <summary>A path that may go into an argv: absolute, safe characters, no '..' (file services use it too).</summary>
    internal static string Path(string p)
    {
        if (!SafePath.IsMatch(p) || p.Split('/').Any(x => x == ".."))
            throw new HaException($"unsafe path '{Names.Printable(p)}'") { Target = p };
        return p;
    }
}
