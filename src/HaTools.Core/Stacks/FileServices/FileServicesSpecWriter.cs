using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>The <c>file_services:</c> section as cluster.yaml (for <see cref="SpecWriter"/>): only what the file gave, in the
/// documented order, so that a written file reads back to the same spec.</summary>
internal static class FileServicesSpecWriter
{
    public static void Write(StringBuilder w, ClusterSpec spec)
    {
        var fs = FileServicesModel.Of(spec);
        if (fs == null) return;
        w.Append(FileServicesReaders.Key).Append(":\n");

        w.Append("  shared:\n    path: ").Append(Q(fs.Shared.Path)).Append('\n');
        if (fs.Shared.Mount is { } m)
            w.Append("    mount: ").Append(Flow(("device", m.Device), ("fstype", m.Fstype), ("options", m.Options))).Append('\n');
        if (fs.Nodes.Count > 0) w.Append("  nodes: ").Append(List(fs.Nodes)).Append('\n');

        var smb = fs.Smb;
        if (smb.Position.Line > 0 || smb.NetbiosName != null || smb.Workgroup != null || smb.Shares.Count > 0)
        {
            w.Append("  smb:\n");
            if (smb.NetbiosName != null) w.Append("    netbios_name: ").Append(Q(smb.NetbiosName)).Append('\n');
            if (smb.Workgroup != null) w.Append("    workgroup: ").Append(Q(smb.Workgroup)).Append('\n');
            if (smb.Shares.Count > 0) w.Append("    shares:\n");
            foreach (var s in smb.Shares)
            {
                w.Append("      - name: ").Append(Q(s.Name)).Append('\n');
                w.Append("        path: ").Append(Q(s.Path)).Append('\n');
                if (!s.ReadOnly) w.Append("        read_only: false\n");
                if (s.Guest) w.Append("        guest: true\n");
                if (s.Users.Count > 0) w.Append("        users: ").Append(List(s.Users)).Append('\n');
            }
        }

        var nfs = fs.Nfs;
        if (nfs.Position.Line > 0 || nfs.GracePeriod != null || nfs.LeaseLifetime != null || nfs.Graceless != null || nfs.Exports.Count > 0)
        {
            w.Append("  nfs:\n");
            if (nfs.GracePeriod is int g) w.Append("    grace_period: ").Append(I(g)).Append('\n');
            if (nfs.LeaseLifetime is int l) w.Append("    lease_lifetime: ").Append(I(l)).Append('\n');
            if (nfs.Graceless is bool gl) w.Append("    graceless: ").Append(gl ? "true" : "false").Append('\n');
            if (nfs.Exports.Count > 0) w.Append("    exports:\n");
            foreach (var e in nfs.Exports)
            {
                w.Append("      - path: ").Append(Q(e.Path)).Append('\n');
                if (e.Id is int id) w.Append("        id: ").Append(I(id)).Append('\n');
                if (e.Pseudo != null) w.Append("        pseudo: ").Append(Q(e.Pseudo)).Append('\n');
                if (e.Access != "ro") w.Append("        access: ").Append(e.Access).Append('\n');
                if (e.Squash != "root") w.Append("        squash: ").Append(e.Squash).Append('\n');
                if (e.Clients.Count > 0) w.Append("        clients: ").Append(List(e.Clients)).Append('\n');
            }
        }

        if (fs.VipRange is { } r)
            w.Append("  vips: ").Append(Flow(("first", r.First), ("count", r.Count is int c ? I(c) : null), ("interface", r.Interface))).Append('\n');
        else if (fs.VipList.Count > 0)
        {
            w.Append("  vips:\n");
            foreach (var v in fs.VipList)
                w.Append("    - ").Append(Flow(("name", v.Name), ("address", v.Address), ("interface", v.Interface), ("home", v.Home))).Append('\n');
        }

        if (fs.Failback != FileServicesRules.DefaultFailback) w.Append("  failback: ").Append(fs.Failback).Append('\n');

        var ct = fs.Ctdb;
        if (ct.KeepaliveInterval != null || ct.KeepaliveLimit != null || ct.RecoveryLock != null)
        {
            w.Append("  ctdb:\n");
            if (ct.KeepaliveInterval is int ki) w.Append("    keepalive_interval: ").Append(I(ki)).Append('\n');
            if (ct.KeepaliveLimit is int kl) w.Append("    keepalive_limit: ").Append(I(kl)).Append('\n');
            if (ct.RecoveryLock != null) w.Append("    recovery_lock: ").Append(Q(ct.RecoveryLock)).Append('\n');
        }
    }

    private static string Flow(params (string Key, string? Value)[] fields) =>
        "{ " + string.Join(", ", fields.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => f.Key + ": " + Q(f.Value!, flow: true))) + " }";

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(s => Q(s, flow: true))) + "]";

    private static string Q(string s, bool flow = false) => SpecWriter.Q(s, flow);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
