using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>What file services add to the Pacemaker CIB generated from the cluster file.</summary>
public static class FileServicesCib
{
    public const string Ctdb = "ctdb";
    public const string Smbd = "smbd";
    public const string Ganesha = "ganesha";
    public const string SharedFs = "sharedfs";

    public static string CloneOf(string primitive) => primitive + "-clone";

    /// <summary>Every resource id file services add (primitives, clones, addresses), for the checks against the file's own.</summary>
    internal static IEnumerable<string> Ids(ClusterSpec spec, FileServicesSpec fs) =>
        DaemonIds(fs).Concat(FileServicesModel.Vips(spec, fs).Select(v => v.Name));

    /// <summary>The primitives and clones of the daemons (and the mount) this section runs.</summary>
    internal static IEnumerable<string> DaemonIds(FileServicesSpec fs) => Daemons(fs).SelectMany(x => new[] { x, CloneOf(x) });

    /// <summary>The cloned primitives, in start order: the mount, CTDB and smbd for SMB, ganesha for NFS.</summary>
    internal static IReadOnlyList<string> Daemons(FileServicesSpec fs)
    {
        var prims = new List<string>();
        if (fs.Shared.Mount != null) prims.Add(SharedFs);
        if (fs.HasSmb) { prims.Add(Ctdb); prims.Add(Smbd); }
        if (fs.HasNfs) prims.Add(Ganesha);
        return prims;
    }
}
