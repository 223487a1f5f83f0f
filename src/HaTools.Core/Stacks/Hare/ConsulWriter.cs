using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Writes the sections of a <c>stack: consul</c> file in SpecWriter's style: documented order, defaults left
/// out, values quoted only where plain YAML would read them differently. Reads back to the same section.</summary>
internal static class ConsulWriter
{
    public static void Write(ClusterSpec spec, StringBuilder w)
    {
        var s = spec.Section<ConsulSection>();
        var c = s.Consul;
        // A spec made in memory may have no servers yet: the block is left out, and reading gives the default (every node).
        if (c.Servers.Count > 0 || c.Datacenter != ConsulSettings.DefaultDatacenter || !c.Ports.IsDefault || c.Encrypt != null || c.AclToken != null)
            w.Append("consul:\n");
        if (c.Datacenter != ConsulSettings.DefaultDatacenter) w.Append("  datacenter: ").Append(Q(c.Datacenter)).Append('\n');
        if (c.Servers.Count > 0) w.Append("  servers: ").Append(List(c.Servers)).Append('\n');
        if (!c.Ports.IsDefault)
            w.Append("  ports: { http: ").Append(I(c.Ports.Http)).Append(", dns: ").Append(I(c.Ports.Dns)).Append(", serf_lan: ").Append(I(c.Ports.SerfLan))
                .Append(", serf_wan: ").Append(I(c.Ports.SerfWan)).Append(", server: ").Append(I(c.Ports.Server)).Append(" }\n");
        Secret(w, "encrypt", c.Encrypt);
        Secret(w, "acl_token", c.AclToken);

        if (s.Services.Count > 0)
        {
            w.Append("services:\n");
            foreach (var v in s.Services)
            {
                w.Append("  - name: ").Append(Q(v.Name)).Append('\n');
                if (v.Id != v.Name) w.Append("    id: ").Append(Q(v.Id)).Append('\n');
                w.Append("    node: ").Append(Q(v.Node)).Append('\n');
                if (v.Unit != null) w.Append("    unit: ").Append(Q(v.Unit)).Append('\n');
                if (v.Command != null) w.Append("    command: ").Append(List(v.Command)).Append('\n');
                if (v.External) w.Append("    external: true\n");
                if (v.MkfsUnit != null) w.Append("    mkfs: { unit: ").Append(Q(v.MkfsUnit, flow: true)).Append(" }\n");
                if (v.MkfsCommand != null) w.Append("    mkfs: { command: ").Append(List(v.MkfsCommand)).Append(" }\n");
                if (!v.Health.IsDefault) w.Append("    health: ").Append(Health(v.Health)).Append('\n');
                if (!v.External) w.Append("    phase: ").Append(I(v.Phase)).Append('\n');
                if (v.Disks.Count > 0) w.Append("    disks: ").Append(List(v.Disks)).Append('\n');
            }
        }
        if (s.Pools.Count > 0)
        {
            w.Append("pools:\n");
            foreach (var p in s.Pools)
            {
                w.Append("  - { name: ").Append(Q(p.Name, flow: true)).Append(", data_units: ").Append(I(p.DataUnits)).Append(", parity_units: ").Append(I(p.ParityUnits));
                if (p.SpareUnits is int spare) w.Append(", spare_units: ").Append(I(spare));
                w.Append(" }\n");
            }
        }
        if (s.Profiles.Count > 0)
        {
            w.Append("profiles:\n");
            foreach (var p in s.Profiles)
                w.Append("  - { name: ").Append(Q(p.Name, flow: true)).Append(", pools: ").Append(List(p.Pools)).Append(" }\n");
        }
    }

    private static void Secret(StringBuilder w, string key, SecretSource? s)
    {
        if (s == null) return;
        w.Append("  ").Append(key).Append(": { ").Append(s.File != null ? "file: " + Q(s.File, flow: true) : "env: " + Q(s.Env!, flow: true)).Append(" }\n");
    }

    private static string Health(HealthCheck h)
    {
        var parts = new List<string>();
        switch (h.Kind)
        {
            case HealthKind.Unit: parts.Add("unit: true"); break;
            case HealthKind.Tcp: parts.Add("tcp: " + Q(h.Target!, flow: true)); break;
            case HealthKind.Http: parts.Add("http: " + Q(h.Target!, flow: true)); break;
            case HealthKind.Script: parts.Add("script: " + List(h.Args!)); break;
        }
        if (h.Interval != HealthCheck.DefaultInterval) parts.Add("interval: " + Q(h.Interval, flow: true));
        if (h.Timeout != null) parts.Add("timeout: " + Q(h.Timeout, flow: true));
        return "{ " + string.Join(", ", parts) + " }";
    }

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(x => Q(x, flow: true))) + "]";

    private static string Q(string s, bool flow = false) => SpecWriter.Q(s, flow);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
