using System.Globalization;
using System.Linq;
using System.Text;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hast;

/// <summary>The sections of stack: hast as cluster.yaml (for <see cref="SpecWriter"/>): only what the file gave, in the
/// documented order, so that a written file reads back to the same spec.</summary>
internal static class HastSpecWriter
{
    public static void Write(StringBuilder w, ClusterSpec spec)
    {
        var s = spec.Section<HastSection>();
        var h = s.Hast;
        if (h.Position.Line > 0 || h.Resources.Count > 0)
        {
            w.Append("hast:\n");
            Settings(w, "  ", h.Replication, h.Checksum, h.Compression, h.Timeout);
            if (h.Addresses.Count > 0)
            {
                w.Append("  addresses:\n");
                foreach (var kv in h.Addresses) w.Append("    ").Append(Q(kv.Key)).Append(": ").Append(Q(kv.Value)).Append('\n');
            }
            if (h.Resources.Count > 0) w.Append("  resources:\n");
            foreach (var r in h.Resources)
            {
                w.Append("    - name: ").Append(Q(r.Name)).Append('\n');
                if (r.LocalSameOnAllNodes && r.Local.Values.Distinct().Count() == 1) w.Append("      local: ").Append(Q(r.Local.Values.First())).Append('\n');
                else if (r.Local.Count > 0)
                {
                    w.Append("      local:\n");
                    foreach (var kv in r.Local) w.Append("        ").Append(Q(kv.Key)).Append(": ").Append(Q(kv.Value)).Append('\n');
                }
                Settings(w, "      ", r.Replication, r.Checksum, r.Compression, r.Timeout);
            }
        }

        var c = s.Carp;
        if (c.Position.Line > 0 || c.Interface.Length > 0)
        {
            w.Append("carp:\n");
            w.Append("  interface: ").Append(Q(c.Interface)).Append('\n');
            w.Append("  vhid: ").Append(I(c.Vhid)).Append('\n');
            w.Append("  address: ").Append(Q(c.Address)).Append('\n');
            if (c.Advbase is int b) w.Append("  advbase: ").Append(I(b)).Append('\n');
            if (c.Advskew.Count > 0)
            {
                w.Append("  advskew:\n");
                foreach (var kv in c.Advskew) w.Append("    ").Append(Q(kv.Key)).Append(": ").Append(I(kv.Value)).Append('\n');
            }
            if (c.PasswordFile != null) w.Append("  password_file: ").Append(Q(c.PasswordFile)).Append('\n');
            if (c.PasswordEnv != null) w.Append("  password_env: ").Append(Q(c.PasswordEnv)).Append('\n');
            if (c.AliasIndex != 0) w.Append("  alias: ").Append(I(c.AliasIndex)).Append('\n');
        }

        var z = s.Zfs;
        if (z.Position.Line > 0 || z.Pool.Length > 0)
        {
            w.Append("zfs:\n  pool: ").Append(Q(z.Pool)).Append('\n');
            if (z.Failmode != null) w.Append("  failmode: ").Append(Q(z.Failmode)).Append('\n');
            w.Append("  vdevs:\n");
            foreach (var v in z.Vdevs)
                w.Append("    - { type: ").Append(Q(v.Type, flow: true)).Append(", resources: [")
                    .Append(string.Join(", ", v.Resources.Select(r => Q(r, flow: true)))).Append("] }\n");
        }

        var f = s.Failover;
        var d = new FailoverSpec();
        if (f.Automatic == d.Automatic && f.DeviceTimeout == d.DeviceTimeout && f.PeerTimeout == d.PeerTimeout && f.Preempt == d.Preempt) return;
        w.Append("failover:\n");
        if (f.Automatic != d.Automatic) w.Append("  automatic: ").Append(f.Automatic ? "true" : "false").Append('\n');
        if (f.DeviceTimeout != d.DeviceTimeout) w.Append("  device_timeout: ").Append(I(f.DeviceTimeout)).Append('\n');
        if (f.PeerTimeout != d.PeerTimeout) w.Append("  peer_timeout: ").Append(I(f.PeerTimeout)).Append('\n');
        if (f.Preempt != d.Preempt) w.Append("  preempt: ").Append(f.Preempt ? "true" : "false").Append('\n');
    }

    private static void Settings(StringBuilder w, string indent, string? replication, string? checksum, string? compression, int? timeout)
    {
        if (replication != null) w.Append(indent).Append("replication: ").Append(Q(replication)).Append('\n');
        if (checksum != null) w.Append(indent).Append("checksum: ").Append(Q(checksum)).Append('\n');
        if (compression != null) w.Append(indent).Append("compression: ").Append(Q(compression)).Append('\n');
        if (timeout is int t) w.Append(indent).Append("timeout: ").Append(I(t)).Append('\n');
    }

    private static string Q(string s, bool flow = false) => SpecWriter.Q(s, flow);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
