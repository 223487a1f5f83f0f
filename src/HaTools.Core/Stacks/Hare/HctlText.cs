using System.Linq;
using System.Text;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Renders <see cref="ConsulStatusDetails"/> as <c>hctl status</c> prints it (Hare's hare-status: the newer
/// layout with named pools and profiles, else the older <c>Profile:</c> one; services as
/// <c>[state]  name(9)  fid(23)  endpoint</c>, the RC leader's node marked <c>(RC)</c>). What
/// <see cref="HctlStatusParser"/> reads back to the same details.</summary>
internal static class HctlText
{
    public static string Render(ConsulStatusDetails d)
    {
        var b = new StringBuilder();
        var named = d.Profiles.Count > 0 || d.Pools.Any(p => p.Name != null);
        if (named)
        {
            b.Append("Data pools:\n    # fid name\n");
            foreach (var p in d.Pools) b.Append("    ").Append(p.Fid).Append(p.Name != null ? " '" + p.Name + "'" : "").Append('\n');
            b.Append("Profiles:\n    # fid name: pool(s)\n");
            foreach (var p in d.Profiles)
                b.Append("    ").Append(p.Fid).Append(" '").Append(p.Name).Append("':").Append(string.Concat(p.Pools.Select(x => " '" + x + "'"))).Append('\n');
        }
        else
        {
            if (d.Profile != null) b.Append("Profile: ").Append(d.Profile).Append('\n');
            b.Append("Data pools:\n");
            foreach (var p in d.Pools) b.Append("    ").Append(p.Fid).Append('\n');
        }
        b.Append("Services:\n");
        foreach (var n in d.Nodes)
        {
            b.Append("    ").Append(n.Name).Append(n.IsRcLeader ? "  (RC)" : "").Append('\n');
            foreach (var s in n.Services)
                b.Append("    [").Append(s.State.ToString().ToLowerInvariant()).Append("]  ").Append(s.Name.PadRight(9)).Append("  ")
                    .Append((s.Fid.Length > 0 ? s.Fid : "-").PadRight(23)).Append("  ").Append(s.Endpoint.Length > 0 ? s.Endpoint : "-").Append('\n');
        }
        return b.ToString();
    }
}
