using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// cluster.yaml → Pacemaker configuration XML (Pacemaker Explained: crm_config, resources, constraints,
/// rsc_defaults, op_defaults). Pure and deterministic; ids follow the conventions pcs and crm_resource use,
/// so a CIB written by hand with those tools compares equal.
/// </summary>
public static class CibGenerator
{
    /// <summary>validate-with of <see cref="FullCib"/>: the oldest schema with the Promoted/Unpromoted role names
    /// (Pacemaker 2.1.0 and later).</summary>
    public const string SchemaVersion = "pacemaker-3.7";

    public const string PropertySetId = "cib-bootstrap-options";
    public const string RscDefaultsId = "rsc_defaults-options";
    public const string OpDefaultsId = "op_defaults-options";

    private static readonly string[] Roles = { "Stopped", "Started", "Promoted", "Unpromoted" };
    private static readonly string[] OrderKinds = { "Mandatory", "Optional", "Serialize" };

    /// <summary>The full &lt;configuration&gt;: crm_config, nodes (empty), resources, constraints, rsc_defaults, op_defaults.</summary>
    public static XElement Configuration(ClusterSpec spec)
    {
        if (spec == null) throw new ArgumentNullException(nameof(spec));
        return new XElement("configuration",
            new XElement("crm_config", NvSet("cluster_property_set", PropertySetId, spec.Properties, "cluster property")),
            new XElement("nodes"),
            Resources(spec),
            Constraints(spec),
            new XElement("rsc_defaults", NvSet("meta_attributes", RscDefaultsId, spec.RscDefaults, "resource default")),
            new XElement("op_defaults", NvSet("meta_attributes", OpDefaultsId, spec.OpDefaults, "operation default")));
    }

    /// <summary>A complete CIB (empty status) for offline checks: crm_verify --xml-file, crm_simulate.</summary>
    public static XDocument FullCib(ClusterSpec spec) =>
        new XDocument(new XElement("cib",
            new XAttribute("validate-with", SchemaVersion),
            new XAttribute("epoch", "1"),
            new XAttribute("num_updates", "0"),
            new XAttribute("admin_epoch", "0"),
            Configuration(spec),
            new XElement("status")));

    /// <summary>&lt;resources&gt;: plain primitives in file order, then groups, then clones (which wrap their primitive or group).</summary>
    public static XElement Resources(ClusterSpec spec)
    {
        var composed = Composed(spec);
        var allResources = spec.Resources.Concat(composed.Resources).ToList();
        var allClones = spec.Clones.Concat(composed.Clones).ToList();
        var primitives = new Dictionary<string, PrimitiveSpec>(StringComparer.Ordinal);
        foreach (var p in allResources)
        {
            CibIds.Require(p.Name, "resource name");
            if (primitives.ContainsKey(p.Name)) throw new HaException($"resource {p.Name} is declared twice") { Target = p.Name };
            primitives.Add(p.Name, p);
        }
        var groups = new Dictionary<string, GroupSpec>(StringComparer.Ordinal);
        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in spec.Groups)
        {
            CibIds.Require(g.Name, "group name");
            if (primitives.ContainsKey(g.Name) || groups.ContainsKey(g.Name)) throw new HaException($"id {g.Name} is declared twice") { Target = g.Name };
            if (g.Resources.Count == 0) throw new HaException($"group {g.Name} has no resources") { Target = g.Name };
            foreach (var m in g.Resources)
            {
                if (!primitives.ContainsKey(m)) throw new HaException($"group {g.Name}: resource {m} is not declared") { Target = g.Name };
                if (groupOf.TryGetValue(m, out var other)) throw new HaException($"resource {m} is in groups {other} and {g.Name}") { Target = m };
                groupOf.Add(m, g.Name);
            }
            groups.Add(g.Name, g);
        }
        var cloned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in allClones)
        {
            CibIds.Require(c.Name, "clone name");
            if (primitives.ContainsKey(c.Name) || groups.ContainsKey(c.Name) || allClones.Count(x => x.Name == c.Name) > 1)
                throw new HaException($"id {c.Name} is declared twice") { Target = c.Name };
            if (!primitives.ContainsKey(c.Resource) && !groups.ContainsKey(c.Resource))
                throw new HaException($"clone {c.Name}: resource {c.Resource} is not declared") { Target = c.Name };
            if (groupOf.ContainsKey(c.Resource))
                throw new HaException($"clone {c.Name}: {c.Resource} is in group {groupOf[c.Resource]}; clone the group instead") { Target = c.Name };
            if (cloned.TryGetValue(c.Resource, out var other)) throw new HaException($"resource {c.Resource} is cloned twice ({other}, {c.Name})") { Target = c.Resource };
            cloned.Add(c.Resource, c.Name);
        }

        var resources = new XElement("resources");
        foreach (var p in allResources)
            if (!groupOf.ContainsKey(p.Name) && !cloned.ContainsKey(p.Name)) resources.Add(Primitive(p));
        foreach (var g in spec.Groups)
            if (!cloned.ContainsKey(g.Name)) resources.Add(Group(g, primitives));
        foreach (var c in allClones)
            resources.Add(Clone(c, primitives.TryGetValue(c.Resource, out var p) ? Primitive(p) : Group(groups[c.Resource], primitives)));
        return resources;
    }

    /// <summary>What sections composed on Pacemaker add to the file's own resources and constraints (file services: their
    /// daemons' clones, the floating addresses and their constraints); empty for a file without them.</summary>
    private static PacemakerSection Composed(ClusterSpec spec) => FileServices.FileServicesCib.Expand(spec);

    /// <summary>One &lt;primitive&gt; with instance_attributes, meta_attributes and operations.</summary>
    public static XElement Primitive(PrimitiveSpec p)
    {
        var id = CibIds.Require(p.Name, "resource name");
        var parts = (p.Agent ?? "").Split(':');
        if (parts.Length < 2 || parts.Length > 3 || parts.Any(s => s.Length == 0 || s.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch))))
            throw new HaException($"resource {id}: agent '{p.Agent}' is not class:provider:type or class:type") { Target = id };
        if (parts[0] == "ocf" && parts.Length != 3)
            throw new HaException($"resource {id}: ocf agents need a provider (ocf:PROVIDER:TYPE)") { Target = id };

        var e = new XElement("primitive", new XAttribute("id", id), new XAttribute("class", parts[0]));
        if (parts.Length == 3) e.Add(new XAttribute("provider", parts[1]));
        e.Add(new XAttribute("type", parts[parts.Length - 1]));
        e.Add(NvSet("instance_attributes", id + "-instance_attributes", p.Params, $"resource {id} param"));
        e.Add(NvSet("meta_attributes", id + "-meta_attributes", p.Meta, $"resource {id} meta"));
        if (p.Ops.Count > 0)
        {
            var ops = new XElement("operations");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var op in p.Ops)
            {
                var name = CibIds.Require(op.Name, $"resource {id} operation name");
                var interval = Duration(op.Interval, $"resource {id} {name} interval") ?? "0";
                var opId = CibIds.Make(id, name, "interval", interval);
                var role = op.Role == null ? null : Role(op.Role, $"resource {id} {name} role");
                if (role != null && !seen.Add(opId)) opId = CibIds.Make(opId, role);
                else seen.Add(opId);
                var x = new XElement("op", new XAttribute("id", opId), new XAttribute("name", name), new XAttribute("interval", interval));
                var timeout = Duration(op.Timeout, $"resource {id} {name} timeout");
                if (timeout != null) x.Add(new XAttribute("timeout", timeout));
                if (role != null) x.Add(new XAttribute("role", role));
                ops.Add(x);
            }
            e.Add(ops);
        }
        return e;
    }

    private static XElement Group(GroupSpec g, IReadOnlyDictionary<string, PrimitiveSpec> primitives) =>
        new XElement("group", new XAttribute("id", g.Name),
            NvSet("meta_attributes", g.Name + "-meta_attributes", g.Meta, $"group {g.Name} meta"),
            g.Resources.Select(m => Primitive(primitives[m])));

    private static XElement Clone(CloneSpec c, XElement child)
    {
        var meta = new List<KeyValuePair<string, string>>();
        if (c.Promotable && !c.Meta.ContainsKey("promotable")) meta.Add(new KeyValuePair<string, string>("promotable", "true"));
        meta.AddRange(c.Meta);
        return new XElement("clone", new XAttribute("id", c.Name),
            NvSet("meta_attributes", c.Name + "-meta_attributes", meta, $"clone {c.Name} meta"),
            child);
    }

    /// <summary>&lt;constraints&gt;: locations, colocations, orders in file order.</summary>
    public static XElement Constraints(ClusterSpec spec)
    {
        var composed = Composed(spec).Constraints;
        var e = new XElement("constraints",
            spec.Constraints.Location.Concat(composed.Location).Select(Location),
            spec.Constraints.Colocation.Concat(composed.Colocation).Select(Colocation),
            spec.Constraints.Order.Concat(composed.Order).Select(Order));
        var dup = e.Elements().GroupBy(x => (string)x.Attribute("id")!).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new HaException($"constraint id {dup.Key} is used twice") { Target = dup.Key };
        return e;
    }

    public static string LocationId(LocationSpec l) => string.IsNullOrEmpty(l.Id) ? CibIds.Make("loc", l.Resource, l.Node) : l.Id;
    public static string ColocationId(ColocationSpec c) => string.IsNullOrEmpty(c.Id) ? CibIds.Make("col", c.Resource, c.With) : c.Id;
    public static string OrderId(OrderSpec o) => string.IsNullOrEmpty(o.Id) ? CibIds.Make("ord", o.First, o.Then) : o.Id;

    /// <summary>rsc_location with a node and a score; avoids: negates the score.</summary>
    public static XElement Location(LocationSpec l)
    {
        var id = CibIds.Require(LocationId(l), "constraint id");
        var rsc = CibIds.Require(l.Resource, $"constraint {id} resource");
        var node = CibIds.RequireName(l.Node, $"constraint {id} node");
        var score = l.Avoids ? PcmkScore.Negate(l.Score, $"constraint {id}") : PcmkScore.Normalize(l.Score, $"constraint {id}");
        return new XElement("rsc_location", new XAttribute("id", id), new XAttribute("rsc", rsc), new XAttribute("node", node), new XAttribute("score", score));
    }

    public static XElement Colocation(ColocationSpec c)
    {
        var id = CibIds.Require(ColocationId(c), "constraint id");
        return new XElement("rsc_colocation", new XAttribute("id", id),
            new XAttribute("rsc", CibIds.Require(c.Resource, $"constraint {id} resource")),
            new XAttribute("with-rsc", CibIds.Require(c.With, $"constraint {id} with")),
            new XAttribute("score", PcmkScore.Normalize(c.Score, $"constraint {id}")));
    }

    public static XElement Order(OrderSpec o)
    {
        var id = CibIds.Require(OrderId(o), "constraint id");
        var kind = OrderKinds.FirstOrDefault(k => string.Equals(k, (o.Kind ?? "").Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new HaException($"constraint {id}: order kind '{o.Kind}' is not Mandatory, Optional or Serialize") { Target = id };
        return new XElement("rsc_order", new XAttribute("id", id),
            new XAttribute("first", CibIds.Require(o.First, $"constraint {id} first")),
            new XAttribute("then", CibIds.Require(o.Then, $"constraint {id} then")),
            new XAttribute("kind", kind));
    }

    /// <summary>A constraint as Get-HaConstraint shows it, back to XML (New-HaConstraint). Location scores are taken as given.</summary>
    public static XElement Constraint(ConstraintInfo c)
    {
        switch (c.Type)
        {
            case ConstraintType.Location:
                return Location(new LocationSpec { Id = c.Id, Resource = c.Resource, Node = c.Target, Score = string.IsNullOrEmpty(c.Score) ? "INFINITY" : c.Score });
            case ConstraintType.Colocation:
                return Colocation(new ColocationSpec { Id = c.Id, Resource = c.Resource, With = c.Target, Score = string.IsNullOrEmpty(c.Score) ? "INFINITY" : c.Score });
            case ConstraintType.Order:
                return Order(new OrderSpec { Id = c.Id, First = c.Resource, Then = c.Target, Kind = string.IsNullOrEmpty(c.Kind) ? "Mandatory" : c.Kind });
            default:
                throw new HaException($"constraint {c.Id}: unknown type {c.Type}") { Target = c.Id };
        }
    }

    /// <summary>An nvset (instance_attributes, meta_attributes, cluster_property_set) with nvpair ids SETID-NAME; null when empty.</summary>
    internal static XElement? NvSet(string element, string setId, IEnumerable<KeyValuePair<string, string>> pairs, string what)
    {
        var list = pairs.ToList();
        if (list.Count == 0) return null;
        var set = new XElement(element, new XAttribute("id", setId));
        foreach (var kv in list) set.Add(NvPair(setId, kv.Key, kv.Value, what));
        return set;
    }

    internal static XElement NvPair(string setId, string name, string value, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new HaException($"{what} name '{Transport.Names.Printable(name)}' is empty or has spaces or control characters");
        if (value == null) throw new HaException($"{what} {name} has no value");
        if (value.Any(c => char.IsControl(c) && c != '\t'))
            throw new HaException($"{what} {name}: value '{Transport.Names.Printable(value)}' has control characters");
        return new XElement("nvpair", new XAttribute("id", CibIds.Make(setId, name)), new XAttribute("name", name), new XAttribute("value", value));
    }

    /// <summary>Pacemaker durations: 10, 10s, 500ms, 1min, 2m, 1h, ISO 8601 (PT10S). Returned as written, trimmed.</summary>
    internal static string? Duration(string? value, string what)
    {
        if (value == null) return null;
        var v = value.Trim();
        if (PcmkDuration.ToMilliseconds(v) == null) throw new HaException($"{what}: '{Transport.Names.Printable(value)}' is not a duration (10s, 500ms, 1min, PT10S)");
        return v;
    }

    private static string Role(string role, string what) =>
        Roles.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? (string.Equals(role.Trim(), "Master", StringComparison.OrdinalIgnoreCase) ? "Promoted"
        : string.Equals(role.Trim(), "Slave", StringComparison.OrdinalIgnoreCase) ? "Unpromoted"
        : throw new HaException($"{what} '{role}' is not Started, Stopped, Promoted or Unpromoted"));

    /// <summary>The first CIB of a new cluster, written before pacemaker's first start: an empty configuration with
    /// only dc-deadtime set. Pacemaker adopts it (epoch 0) and the DC then syncs it to every node.</summary>
    public static XElement SeedCib(string dcDeadtime) =>
        new XElement("cib",
            new XAttribute("admin_epoch", "0"), new XAttribute("epoch", "0"), new XAttribute("num_updates", "0"),
            new XAttribute("validate-with", "pacemaker-3.7"),
            new XElement("configuration",
                new XElement("crm_config",
                    new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"),
                        new XElement("nvpair", new XAttribute("id", "cib-bootstrap-options-dc-deadtime"), new XAttribute("name", "dc-deadtime"), new XAttribute("value", dcDeadtime)))),
                new XElement("nodes"), new XElement("resources"), new XElement("constraints")),
            new XElement("status"));
}
