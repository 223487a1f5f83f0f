using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>
/// The configuration files file services push to every node, identical everywhere: CTDB's nodes file and tunables,
/// smb.conf and ganesha.conf. Pure and deterministic: the same spec (and, for the nodes file, the same current nodes
/// file) gives the same bytes, so a re-run pushes nothing. There is no public_addresses file: Pacemaker owns the
/// floating addresses, and CTDB with one would try to move them too. ctdb.conf is not written either: Debian's
/// ocf:heartbeat:CTDB rewrites it from its parameters on every start.
/// </summary>
public static class FileServicesConfig
{
    public const string CtdbNodesPath = "/etc/ctdb/nodes";
    public const string CtdbTunablesPath = "/etc/ctdb/ctdb.tunables";
    public const string SmbConfPath = "/etc/samba/smb.conf";
    public const string GaneshaConfPath = "/etc/ganesha/ganesha.conf";

    /// <summary>The files for <paramref name="fs"/>, in push order (a protocol without shares or exports has none).</summary>
    public static IReadOnlyList<(string Path, string Content)> Files(ClusterSpec spec, FileServicesSpec fs, IReadOnlyList<string>? currentNodesFile)
    {
        var files = new List<(string, string)>();
        if (fs.HasSmb)
        {
            files.Add((CtdbNodesPath, CtdbNodes(currentNodesFile ?? Array.Empty<string>(), FileServicesModel.ServingNodes(spec, fs).Select(n => n.Address).ToList())));
            files.Add((CtdbTunablesPath, CtdbTunables(spec, fs)));
            files.Add((SmbConfPath, SmbConf(spec, fs)));
        }
        if (fs.HasNfs) files.Add((GaneshaConfPath, GaneshaConf(spec, fs)));
        return files;
    }

    /// <summary>
    /// CTDB's nodes file: one address per line, the line number being the node's PNN on every node. So lines are never
    /// removed or reordered: a node that no longer serves keeps its line commented out ('#ADDRESS', a deleted node to
    /// CTDB), one that serves again gets its line back, a new one is appended. ctdbd counts every '#' line as a deleted
    /// node and skips blank ones (ctdb_read_nodes_file), so the file has no header comment: it would shift every PNN.
    /// </summary>
    /// <param name="current">The nodes file the nodes hold now (empty on bare nodes).</param>
    /// <param name="serving">The serving nodes' addresses, in node order.</param>
    public static string CtdbNodes(IReadOnlyList<string> current, IReadOnlyList<string> serving)
    {
        var lines = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in current)
        {
            var line = raw.Trim(' ', '\t', '\r');
            if (line.Length == 0) continue;
            var deleted = line[0] == '#';
            var address = deleted ? line.Substring(1).Trim(' ', '\t') : line;
            if (serving.Contains(address) && placed.Add(address)) lines.Add(address);
            else if (!deleted) lines.Add("#" + address);
            else lines.Add(line); // a deleted slot (or a comment, which CTDB counts as one) stays as it is
        }
        foreach (var a in serving)
            if (placed.Add(a)) lines.Add(a);
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The nodes file's lines as the nodes hold it (for <see cref="CtdbNodes"/>).</summary>
    public static IReadOnlyList<string> Lines(string content) =>
        content.Replace("\r", "").Split('\n').Where(l => l.Trim().Length > 0).ToList();

    /// <summary>ctdb.tunables (ctdb-tunables(7): NAME=VALUE, '#' comments), read by ctdbd when it starts.</summary>
    public static string CtdbTunables(ClusterSpec spec, FileServicesSpec fs)
    {
        var c = fs.Ctdb;
        var w = new StringBuilder();
        Header(w, "#", spec);
        w.Append("# A node that stops answering is declared dead after about KeepaliveInterval x (KeepaliveLimit + 1) = ")
         .Append(I(c.Interval * (c.Limit + 1))).Append(" s;\n");
        w.Append("# until then smbd waits on every node (file_services.ctdb in the cluster file; see its comment).\n");
        w.Append("KeepaliveInterval=").Append(I(c.Interval)).Append('\n');
        w.Append("KeepaliveLimit=").Append(I(c.Limit)).Append('\n');
        return w.ToString();
    }

    /// <summary>smb.conf of clustered Samba: the same on every node, one NetBIOS name for the cluster, the shares.</summary>
    public static string SmbConf(ClusterSpec spec, FileServicesSpec fs)
    {
        var smb = fs.Smb;
        var w = new StringBuilder();
        Header(w, "#", spec);
        w.Append("# Clustered Samba: smbd runs on every serving node on top of CTDB (which holds its databases) and answers as\n");
        w.Append("# one server on every floating address; Pacemaker starts it after CTDB and moves the addresses.\n");
        w.Append("[global]\n");
        Set(w, "clustering", "yes");
        Set(w, "netbios name", FileServicesModel.NetbiosName(spec, fs));
        if (smb.Workgroup != null) Set(w, "workgroup", smb.Workgroup);
        Set(w, "server role", "standalone server");
        // SMB over TCP 445 only: no NetBIOS name service (nmbd) that would answer per node.
        Set(w, "smb ports", "445");
        Set(w, "disable netbios", "yes");
        // Share modes and oplocks are kept in CTDB's databases, not in the local kernel, so that every node sees them.
        Set(w, "kernel share modes", "no");
        Set(w, "kernel oplocks", "no");
        Set(w, "load printers", "no");
        Set(w, "printing", "bsd");
        Set(w, "printcap name", "/dev/null");
        Set(w, "disable spoolss", "yes");
        if (smb.Shares.Any(s => s.Guest)) Set(w, "map to guest", "Bad User");
        foreach (var s in smb.Shares)
        {
            w.Append('\n').Append('[').Append(s.Name).Append("]\n");
            Set(w, "path", s.Path);
            Set(w, "read only", s.ReadOnly ? "yes" : "no");
            if (s.Guest) Set(w, "guest ok", "yes");
            if (s.Users.Count > 0) Set(w, "valid users", string.Join(" ", s.Users));
        }
        return w.ToString();
    }

    /// <summary>ganesha.conf: NFSv4 only over TCP (no rpcbind, NLM or RQUOTA, whose registration ganesha treats as fatal
    /// without rpcbind), grace and lease from the file, one EXPORT per export on FSAL VFS.</summary>
    public static string GaneshaConf(ClusterSpec spec, FileServicesSpec fs)
    {
        var nfs = fs.Nfs;
        var w = new StringBuilder();
        Header(w, "#", spec);
        w.Append("NFS_CORE_PARAM {\n");
        Opt(w, 1, "Protocols", "4");
        Opt(w, 1, "NFS_Port", "2049");
        Opt(w, 1, "Enable_NLM", "false");
        Opt(w, 1, "Enable_RQUOTA", "false");
        Opt(w, 1, "Enable_UDP", "false");
        w.Append("}\n\nNFS_KRB5 {\n");
        Opt(w, 1, "Active_krb5", "false");
        w.Append("}\n\n");
        w.Append("# After a start, ganesha refuses new opens for Grace_Period seconds so that clients can reclaim their state;\n");
        w.Append("# a client that does not renew within Lease_Lifetime seconds loses it. A floating address that moves lands on a\n");
        w.Append("# ganesha that has been running all along, so grace does not delay a failover (file_services.nfs).\n");
        w.Append("NFSv4 {\n");
        Opt(w, 1, "Grace_Period", I(nfs.GraceSeconds));
        Opt(w, 1, "Lease_Lifetime", I(nfs.LeaseSeconds));
        if (nfs.Graceless is bool g) Opt(w, 1, "Graceless", g ? "true" : "false");
        w.Append("}\n");
        for (var i = 0; i < nfs.Exports.Count; i++)
        {
            var e = nfs.Exports[i];
            var access = e.Access == "rw" ? "RW" : "RO";
            w.Append("\nEXPORT {\n");
            Opt(w, 1, "Export_Id", I(e.Id ?? i + 1));
            Opt(w, 1, "Path", Str(e.Path));
            Opt(w, 1, "Pseudo", Str(e.PseudoPath));
            Opt(w, 1, "Protocols", "4");
            Opt(w, 1, "Transports", "TCP");
            Opt(w, 1, "SecType", "sys");
            Opt(w, 1, "Squash", e.Squash switch { "none" => "No_Root_Squash", "all" => "All_Squash", _ => "Root_Squash" });
            if (e.Clients.Count == 0) Opt(w, 1, "Access_Type", access);
            else
            {
                // Only the listed clients get access; everyone else matches no CLIENT block and gets the export's None.
                Opt(w, 1, "Access_Type", "None");
                w.Append("\tCLIENT {\n");
                // Addresses, networks and * unquoted: ganesha's lexer types an entry by its form, and a quoted one is a
                // plain string (a host name) to it: "198.18.0.0/24" then matched no client (NFS4ERR_NOENT in the lab).
                // Host names and wildcards stay quoted strings, as ganesha-export-config(8) writes them.
                Opt(w, 2, "Clients", string.Join(", ", e.Clients.Select(c => c == "*" || c.IndexOf('/') >= 0 || FileServicesRules.IsIp(c) ? c : Str(c))));
                Opt(w, 2, "Access_Type", access);
                // A CLIENT block has its own Protocols (3, 4 by default): ganesha warns and drops 3 when it is not enabled.
                Opt(w, 2, "Protocols", "4");
                w.Append("\t}\n");
            }
            w.Append("\tFSAL {\n");
            Opt(w, 2, "Name", "VFS");
            w.Append("\t}\n}\n");
        }
        return w.ToString();
    }

    private static void Header(StringBuilder w, string comment, ClusterSpec spec) =>
        w.Append(comment).Append(" Generated by HaTools for cluster '").Append(spec.Name).Append("' from file_services in its cluster file.\n")
         .Append(comment).Append(" Changes made here are overwritten by the next Start-HaBootstrap; change the cluster file instead.\n");

    private static void Set(StringBuilder w, string key, string value)
    {
        Guard(key, value);
        w.Append('\t').Append(key).Append(" = ").Append(value).Append('\n');
    }

    private static void Opt(StringBuilder w, int depth, string key, string value)
    {
        Guard(key, value);
        w.Append('\t', depth).Append(key).Append(" = ").Append(value).Append(";\n");
    }

    /// <summary>A double-quoted ganesha string (the validated values hold no quote or backslash).</summary>
    private static string Str(string s) => "\"" + s + "\"";

    /// <summary>The checks of the cluster file keep line breaks, quotes and comment characters out of every value; a spec
    /// built otherwise is refused here rather than written into a configuration file.</summary>
    private static void Guard(string key, string value)
    {
        if (value.Any(c => char.IsControl(c) || c == '\\' || c == '#' || c == ';' || c == '{' || c == '}') || value.Count(c => c == '"') % 2 != 0)
            throw new HaException($"file services: {key} '{Transport.Names.Printable(value)}' cannot be written into a configuration file");
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
