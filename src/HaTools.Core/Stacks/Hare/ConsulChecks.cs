using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Checks across the sections of a <c>stack: consul</c> file, once everything is read. Hare's own rules
/// (cfgen's validate_cluster_desc / build_cluster) where they apply to the services: at least one Consul server, at
/// most one confd per node, no disk served twice, pools where disks are served.</summary>
internal static class ConsulChecks
{
    public static void Run(ClusterSpec spec, ReadContext ctx)
    {
        var p = ctx.Problems;
        var section = spec.Section<ConsulSection>();
        var nodes = new HashSet<string>(spec.Nodes.Select(n => n.Name), System.StringComparer.OrdinalIgnoreCase);
        Servers(section.Consul, nodes, p);
        Ports(section.Consul.Ports, p);
        Services(section, nodes, p);
        MotrEndpoints(spec, section, p);
        PoolsAndProfiles(section, p);
    }

    private static void Servers(ConsulSettings c, HashSet<string> nodes, ProblemList p)
    {
        var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < c.Servers.Count; i++)
        {
            var s = c.Servers[i];
            var at = c.PositionOf($"servers[{i}]");
            if (!nodes.Contains(s))
                p.Error(at, $"consul.servers[{i}]", SpecCodes.Dangling, $"'{Names.Printable(s)}' is not a node of this cluster" + SpecRules.Hint(s, nodes));
            else if (!seen.Add(s))
                p.Error(at, $"consul.servers[{i}]", SpecCodes.DuplicateName, $"'{Names.Printable(s)}' is listed twice");
        }
    }

    private static void Ports(ConsulPorts ports, ProblemList p)
    {
        var all = new[] { ("http", ports.Http), ("dns", ports.Dns), ("serf_lan", ports.SerfLan), ("serf_wan", ports.SerfWan), ("server", ports.Server) };
        foreach (var g in all.GroupBy(x => x.Item2).Where(g => g.Count() > 1))
        {
            var names = g.Select(x => x.Item1).ToList();
            p.Error(ports.PositionOf(names[1]), "consul.ports." + names[1], SpecCodes.Conflict, $"port {g.Key} is used by {string.Join(" and ", names)}; each Consul port must differ");
        }
    }

    private static void Services(ConsulSection section, HashSet<string> nodes, ProblemList p)
    {
        var ids = new Dictionary<string, ConsulService>(System.StringComparer.Ordinal);
        var disks = new Dictionary<string, ConsulService>(System.StringComparer.Ordinal);
        var confds = new Dictionary<string, ConsulService>(System.StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < section.Services.Count; i++)
        {
            var s = section.Services[i];
            var path = $"services[{i}]";
            if (s.Node.Length == 0) continue;
            if (!nodes.Contains(s.Node))
            {
                p.Error(s.PositionOf("node"), path + ".node", SpecCodes.Dangling, $"'{Names.Printable(s.Node)}' is not a node of this cluster" + SpecRules.Hint(s.Node, nodes));
                continue;
            }
            var node = s.Node.ToLowerInvariant();
            if (s.Id.Length > 0 && !ids.TryAdd(node + "\n" + s.Id, s, out var first))
                p.Error(s.PositionOf(s.FieldPositions.ContainsKey("id") ? "id" : "name"), path + (s.FieldPositions.ContainsKey("id") ? ".id" : ".name"), SpecCodes.DuplicateId,
                    $"service id '{Names.Printable(s.Id)}' is used twice on node '{Names.Printable(s.Node)}' (first at line {first.Position.Line}); give each its own id");
            if (s.Name == "confd" && !confds.TryAdd(s.Node, s, out var firstConfd))
                p.Error(s.PositionOf("name"), path + ".name", SpecCodes.Conflict, $"{Names.Printable(s.Node)}: too many confd services (also line {firstConfd.Position.Line}); a node runs at most one");
            for (var d = 0; d < s.Disks.Count; d++)
            {
                if (!disks.TryAdd(node + "\n" + s.Disks[d], s, out var other))
                    p.Error(s.PositionOf($"disks[{d}]"), $"{path}.disks[{d}]", SpecCodes.Conflict,
                        $"{Names.Printable(s.Node)}: disk '{Names.Printable(s.Disks[d])}' is also served by '{Names.Printable(other.Id)}' (line {other.Position.Line}); the same disk is used by several IO services");
            }
        }
        if (disks.Count > 0 && section.Pools.Count == 0 && section.Services.Count > 0)
        {
            var withDisks = section.Services.First(s => s.Disks.Count > 0);
            p.Error(withDisks.PositionOf("disks"), "pools", SpecCodes.Missing, "services serve disks, so at least one pool is required (pools: [{ name, data_units, parity_units }])");
        }
    }

    /// <summary>A Motr endpoint is IP@tcp:…: the node's address when it is one, else the IP of its data interface, read on
    /// the node at bootstrap as Hare does (facter).</summary>
    private static void MotrEndpoints(ClusterSpec spec, ConsulSection section, ProblemList p)
    {
        for (var i = 0; i < section.Services.Count; i++)
        {
            var s = section.Services[i];
            if (!HareKv.IsMotrProcess(s.Name)) continue;
            var node = spec.Nodes.FirstOrDefault(n => string.Equals(n.Name, s.Node, System.StringComparison.OrdinalIgnoreCase));
            if (node == null || node.Address.Length == 0 || node.DataIface != null || System.Net.IPAddress.TryParse(node.Address, out _)) continue;
            p.Error(s.PositionOf("node"), $"services[{i}].node", SpecCodes.BadValue,
                $"the Motr process '{Names.Printable(s.Id)}' needs an IP address for its endpoint; node '{Names.Printable(node.Name)}' has address '{Names.Printable(node.Address)}' and no data_iface to read one from");
        }
    }

    private static void PoolsAndProfiles(ConsulSection section, ProblemList p)
    {
        var disks = section.Services.Sum(s => s.Disks.Count);
        var pools = new Dictionary<string, ConsulPool>(System.StringComparer.Ordinal);
        for (var i = 0; i < section.Pools.Count; i++)
        {
            var pool = section.Pools[i];
            var path = $"pools[{i}]";
            if (pool.Name.Length > 0 && !pools.TryAdd(pool.Name, pool, out var first))
                p.Error(pool.PositionOf("name"), path + ".name", SpecCodes.DuplicateName, $"duplicate pool name '{Names.Printable(pool.Name)}' (first at line {first.Position.Line})");
            // Hare (cfgen validate_pools_desc): spare units are unset, 0, or as many as the parity units.
            if (pool.SpareUnits is int spare && spare != 0 && spare != pool.ParityUnits)
                p.Error(pool.PositionOf("spare_units"), path + ".spare_units", SpecCodes.BadValue, $"spare_units must be 0 or equal to parity_units ({pool.ParityUnits})");
            if (disks == 0)
                p.Error(pool.Position, path, SpecCodes.Missing, "no disks found: a pool needs services with disks (services[].disks)");
        }
        var profiles = new Dictionary<string, ConsulProfile>(System.StringComparer.Ordinal);
        for (var i = 0; i < section.Profiles.Count; i++)
        {
            var prof = section.Profiles[i];
            var path = $"profiles[{i}]";
            if (prof.Name.Length > 0 && !profiles.TryAdd(prof.Name, prof, out var first))
                p.Error(prof.PositionOf("name"), path + ".name", SpecCodes.DuplicateName, $"duplicate profile name '{Names.Printable(prof.Name)}' (first at line {first.Position.Line})");
            var refs = new HashSet<string>(System.StringComparer.Ordinal);
            for (var j = 0; j < prof.Pools.Count; j++)
            {
                var at = prof.PositionOf($"pools[{j}]");
                if (!pools.ContainsKey(prof.Pools[j]))
                    p.Error(at, $"{path}.pools[{j}]", SpecCodes.Dangling, $"no pool named '{Names.Printable(prof.Pools[j])}'" + SpecRules.Hint(prof.Pools[j], pools.Keys));
                else if (!refs.Add(prof.Pools[j]))
                    p.Error(at, $"{path}.pools[{j}]", SpecCodes.DuplicateId, $"pool '{Names.Printable(prof.Pools[j])}' is referred to twice");
            }
        }
    }
}
