using System.Collections.Generic;
using HaTools.Core.Spec;

namespace HaTools.Tests.Pacemaker;

/// <summary>ClusterSpec objects built in C# (the YAML loader is tested elsewhere).</summary>
internal static class SpecBuilder
{
    public static ClusterSpec Cluster(string name, int nodes)
    {
        var spec = new ClusterSpec { Name = name };
        for (var i = 1; i <= nodes; i++)
            spec.Nodes.Add(new NodeSpec { Name = "node" + i, Address = "10.0.0." + (10 + i) });
        return spec;
    }

    public static PrimitiveSpec Primitive(string name, string agent, params (string Key, string Value)[] parameters)
    {
        var p = new PrimitiveSpec { Name = name, Agent = agent };
        foreach (var (k, v) in parameters) p.Params[k] = v;
        return p;
    }

    public static PrimitiveSpec Op(this PrimitiveSpec p, string name, string interval, string? timeout = null, string? role = null)
    {
        p.Ops.Add(new OperationSpec { Name = name, Interval = interval, Timeout = timeout, Role = role });
        return p;
    }

    public static PrimitiveSpec Meta(this PrimitiveSpec p, string key, string value)
    {
        p.Meta[key] = value;
        return p;
    }

    /// <summary>The lab: 3 nodes, a VIP and a Dummy service that follows it, started after it.</summary>
    public static ClusterSpec Lab()
    {
        var spec = Cluster("lab", 3);
        spec.Properties["stonith-enabled"] = "false";
        spec.Properties["no-quorum-policy"] = "stop";
        spec.RscDefaults["resource-stickiness"] = "100";
        spec.OpDefaults["timeout"] = "30s";
        spec.Resources.Add(Primitive("vip", "ocf:heartbeat:IPaddr2", ("ip", "10.0.0.100"), ("cidr_netmask", "24"))
            .Op("monitor", "10s", "20s"));
        spec.Resources.Add(Primitive("svc", "ocf:pacemaker:Dummy").Op("monitor", "10s", "20s"));
        spec.Constraints.Colocation.Add(new ColocationSpec { Resource = "svc", With = "vip" });
        spec.Constraints.Order.Add(new OrderSpec { First = "vip", Then = "svc" });
        spec.Constraints.Location.Add(new LocationSpec { Resource = "vip", Node = "node1", Score = "50" });
        return spec;
    }

    /// <summary>Every CIB feature: group, clones, promotable, prefers/avoids, Xen with allow-migrate, systemd, defaults.</summary>
    public static ClusterSpec Everything()
    {
        var spec = Lab();
        spec.Resources.Add(Primitive("web-ip", "ocf:heartbeat:IPaddr2", ("ip", "10.0.0.101")).Op("monitor", "10s"));
        spec.Resources.Add(Primitive("web-srv", "systemd:nginx").Op("monitor", "30s", "60s"));
        spec.Groups.Add(new GroupSpec { Name = "web", Resources = { "web-ip", "web-srv" } });
        spec.Resources.Add(Primitive("ping", "ocf:pacemaker:ping", ("host_list", "10.0.0.1"), ("dampen", "5s")).Op("monitor", "10s"));
        spec.Clones.Add(new CloneSpec { Name = "ping-clone", Resource = "ping", Meta = { ["interleave"] = "true" } });
        spec.Resources.Add(Primitive("db", "ocf:pacemaker:Stateful")
            .Op("monitor", "10s", "20s", "Promoted").Op("monitor", "11s", "20s", "Unpromoted"));
        spec.Clones.Add(new CloneSpec { Name = "db-clone", Resource = "db", Promotable = true, Meta = { ["promoted-max"] = "1" } });
        spec.Resources.Add(Primitive("vm1", "ocf:heartbeat:Xen", ("xmfile", "/etc/xen/vm1.cfg"))
            .Meta("allow-migrate", "true").Op("monitor", "30s", "60s").Op("migrate_to", "0", "120s").Op("migrate_from", "0", "120s"));
        spec.Constraints.Location.Add(new LocationSpec { Resource = "vm1", Node = "node3", Avoids = true });
        spec.Constraints.Location.Add(new LocationSpec { Id = "web-avoids-node2", Resource = "web", Node = "node2", Avoids = true, Score = "200" });
        spec.Constraints.Colocation.Add(new ColocationSpec { Id = "web-with-db", Resource = "web", With = "db-clone", Score = "INFINITY" });
        spec.Constraints.Order.Add(new OrderSpec { First = "ping-clone", Then = "db-clone", Kind = "Optional" });
        return spec;
    }
}
