using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Transport;

namespace HaTools.Core.Spec.Reading;

/// <summary>Checks across sections, on the model read so far: duplicates, references, quorum rules.
/// Problems point at the referencing field (FieldPositions recorded by the readers).</summary>
internal static class SpecChecks
{
    /// <summary>The common checks, with the stack's own (<paramref name="stackChecks"/>) between nodes and storage.</summary>
    public static void Run(ClusterSpec spec, ReadContext ctx, System.Action<ClusterSpec, ReadContext>? stackChecks)
    {
        var p = ctx.Problems;
        Nodes(spec, p);
        stackChecks?.Invoke(spec, ctx);
        Storage(spec, p);
    }

    /// <summary>Checks across the sections of stack: pacemaker.</summary>
    public static void Pacemaker(ClusterSpec spec, ReadContext ctx)
    {
        Quorum(spec, ctx.Problems);
        Resources(spec, ctx.Problems);
    }

    private static void Nodes(ClusterSpec spec, ProblemList p)
    {
        // Node names are host names: Pacemaker and corosync match them without regard to case, so 'node1' and 'Node1'
        // would be one node on the cluster but two in the file.
        var names = new Dictionary<string, NodeSpec>(System.StringComparer.OrdinalIgnoreCase);
        var addresses = new Dictionary<string, NodeSpec>();
        var ids = new Dictionary<int, NodeSpec>();
        for (var i = 0; i < spec.Nodes.Count; i++)
        {
            var n = spec.Nodes[i];
            if (n.Name.Length > 0 && !names.TryAdd(n.Name, n, out var firstN))
                p.Error(n.PositionOf("name"), $"nodes[{i}].name", SpecCodes.DuplicateName, $"duplicate node name '{Names.Printable(n.Name)}' (first at line {firstN.PositionOf("name").Line}" + (firstN.Name == n.Name ? ")" : $" as '{Names.Printable(firstN.Name)}'; node names do not differ by case alone)"));
            if (n.Address.Length > 0 && !addresses.TryAdd(n.Address.ToLowerInvariant(), n, out var firstA))
                p.Error(n.PositionOf("address"), $"nodes[{i}].address", SpecCodes.DuplicateAddress, $"duplicate address '{Names.Printable(n.Address)}' (also node '{Names.Printable(firstA.Name)}' at line {firstA.PositionOf("address").Line})");
            if (n.NodeId is int id && !ids.TryAdd(id, n, out var firstI))
                p.Error(n.PositionOf("nodeid"), $"nodes[{i}].nodeid", SpecCodes.DuplicateNodeId, $"duplicate nodeid {id} (also node '{Names.Printable(firstI.Name)}' at line {firstI.PositionOf("nodeid").Line})");
        }
    }

    private static void Quorum(ClusterSpec spec, ProblemList p)
    {
        var q = spec.Quorum;
        var count = spec.Nodes.Count;
        if (q.TwoNode == true && count != 2)
            p.Error(q.PositionOf("two_node"), "quorum.two_node", SpecCodes.Quorum, $"two_node: true needs exactly 2 nodes; this cluster has {count}");
        if (q.TwoNode == null && count == 2)
            p.Warn(spec.PositionOf("nodes"), "quorum.two_node", SpecCodes.Quorum, "the cluster has 2 nodes: two_node will be on (set quorum.two_node: true to make it explicit)");
        if (q.ExpectedVotes is int ev && ev > count && count > 0)
            p.Warn(q.PositionOf("expected_votes"), "quorum.expected_votes", SpecCodes.Quorum, $"expected_votes {ev} is more than the {count} nodes; the cluster cannot reach quorum until more nodes join");
    }

    private enum Kind { Primitive, Group, Clone, Constraint }

    private sealed class Entry
    {
        public Entry(Kind kind, string field, SourcePosition pos) { Kind = kind; Field = field; Position = pos; }
        public Kind Kind { get; }
        public string Field { get; }
        public SourcePosition Position { get; }
    }

    private static void Resources(ClusterSpec spec, ProblemList p)
    {
        // One namespace for every CIB id: primitives, groups, clones, constraint ids.
        var ids = new Dictionary<string, Entry>();
        void Define(string name, Kind kind, string field, SourcePosition pos, bool generated = false)
        {
            if (name.Length == 0) return;
            if (generated && SpecRules.NameProblem(name) is { } why)
            {
                p.Error(pos, field, SpecCodes.BadName, $"the generated id '{Names.Printable(name)}' is not a valid id ({why}); give this constraint an id");
                return;
            }
            if (ids.TryGetValue(name, out var first))
                p.Error(pos, field, kind == Kind.Constraint ? SpecCodes.DuplicateId : SpecCodes.DuplicateName,
                    $"id '{Names.Printable(name)}'{(generated ? " (generated)" : "")} is already used by {first.Field} at line {first.Position.Line}; resources, groups, clones and constraints share one namespace"
                    + (generated ? "; give this constraint an id" : ""));
            else
                ids[name] = new Entry(kind, field, pos);
        }

        for (var i = 0; i < spec.Resources.Count; i++)
            Define(spec.Resources[i].Name, Kind.Primitive, $"resources[{i}].name", spec.Resources[i].PositionOf("name"));
        for (var i = 0; i < spec.Groups.Count; i++)
            Define(spec.Groups[i].Name, Kind.Group, $"groups[{i}].name", spec.Groups[i].PositionOf("name"));
        for (var i = 0; i < spec.Clones.Count; i++)
            Define(spec.Clones[i].Name, Kind.Clone, $"clones[{i}].name", spec.Clones[i].PositionOf("name"));
        var cs = spec.Constraints;
        for (var i = 0; i < cs.Location.Count; i++)
            DefineConstraint(cs.Location[i], $"constraints.location[{i}]");
        for (var i = 0; i < cs.Colocation.Count; i++)
            DefineConstraint(cs.Colocation[i], $"constraints.colocation[{i}]");
        for (var i = 0; i < cs.Order.Count; i++)
            DefineConstraint(cs.Order[i], $"constraints.order[{i}]");

        void DefineConstraint(SpecElement c, string path)
        {
            var id = c switch { LocationSpec l => l.Id, ColocationSpec co => co.Id, OrderSpec o => o.Id, _ => "" };
            var explicitId = c.FieldPositions.ContainsKey("id");
            Define(id, Kind.Constraint, path + ".id", explicitId ? c.PositionOf("id") : c.Position, generated: !explicitId);
        }

        Kind? KindOf(string name) => ids.TryGetValue(name, out var e) && e.Kind != Kind.Constraint ? e.Kind : null;

        // Groups hold primitives, each primitive in at most one group.
        var groupOf = new Dictionary<string, string>();
        for (var i = 0; i < spec.Groups.Count; i++)
        {
            var g = spec.Groups[i];
            var seen = new HashSet<string>();
            for (var j = 0; j < g.Resources.Count; j++)
            {
                var m = g.Resources[j];
                var field = $"groups[{i}].resources[{j}]";
                var pos = g.PositionOf($"resources[{j}]");
                var kind = KindOf(m);
                if (kind == null)
                    p.Error(pos, field, SpecCodes.Dangling, $"unknown resource '{Names.Printable(m)}' (not in resources:)");
                else if (kind != Kind.Primitive)
                    p.Error(pos, field, SpecCodes.Conflict, $"'{Names.Printable(m)}' is a {Word(kind.Value)}; a group holds primitives only");
                else if (!seen.Add(m))
                    p.Error(pos, field, SpecCodes.DuplicateName, $"'{Names.Printable(m)}' is listed twice in group '{Names.Printable(g.Name)}'");
                else if (groupOf.TryGetValue(m, out var other))
                    p.Error(pos, field, SpecCodes.Conflict, $"'{Names.Printable(m)}' is already a member of group '{Names.Printable(other)}'; a primitive belongs to at most one group");
                else
                    groupOf[m] = g.Name;
            }
        }

        // Clones wrap a primitive or a group, once; not a primitive that sits in a group.
        var cloneOf = new Dictionary<string, string>();
        for (var i = 0; i < spec.Clones.Count; i++)
        {
            var c = spec.Clones[i];
            if (c.Resource.Length == 0) continue;
            var field = $"clones[{i}].resource";
            var pos = c.PositionOf("resource");
            var kind = KindOf(c.Resource);
            if (kind == null)
                p.Error(pos, field, SpecCodes.Dangling, $"unknown resource '{Names.Printable(c.Resource)}' (not a primitive or group)");
            else if (kind == Kind.Clone)
                p.Error(pos, field, SpecCodes.Conflict, $"'{Names.Printable(c.Resource)}' is a clone; a clone wraps a primitive or a group");
            else if (kind == Kind.Primitive && groupOf.TryGetValue(c.Resource, out var g))
                p.Error(pos, field, SpecCodes.Conflict, $"'{Names.Printable(c.Resource)}' is a member of group '{Names.Printable(g)}'; clone the group instead");
            else if (cloneOf.TryGetValue(c.Resource, out var other))
                p.Error(pos, field, SpecCodes.Conflict, $"'{Names.Printable(c.Resource)}' is already cloned by '{Names.Printable(other)}'");
            else
                cloneOf[c.Resource] = c.Name;
        }

        // Constraints name primitives, groups or clones; location names a node.
        var nodes = new HashSet<string>(spec.Nodes.Select(n => n.Name));
        void Ref(SpecElement c, string path, string key, string value)
        {
            if (value.Length == 0) return;
            var pos = c.PositionOf(key);
            if (KindOf(value) == null)
                p.Error(pos, $"{path}.{key}", SpecCodes.Dangling, $"unknown resource '{Names.Printable(value)}'");
            else if (cloneOf.TryGetValue(value, out var clone))
                p.Warn(pos, $"{path}.{key}", SpecCodes.Conflict, $"'{Names.Printable(value)}' is cloned by '{Names.Printable(clone)}'; constraints should name the clone");
        }
        void Self(SpecElement c, string path, string key, string a, string b)
        {
            if (a.Length > 0 && a == b)
                p.Error(c.PositionOf(key), $"{path}.{key}", SpecCodes.SelfReference, $"the constraint refers to '{Names.Printable(a)}' on both sides");
        }
        for (var i = 0; i < cs.Location.Count; i++)
        {
            var l = cs.Location[i];
            var path = $"constraints.location[{i}]";
            Ref(l, path, "resource", l.Resource);
            var key = l.Avoids ? "avoids" : "prefers";
            if (l.Node.Length > 0 && !nodes.Contains(l.Node))
                p.Error(l.PositionOf(key), $"{path}.{key}", SpecCodes.Dangling, $"unknown node '{Names.Printable(l.Node)}'");
        }
        for (var i = 0; i < cs.Colocation.Count; i++)
        {
            var c = cs.Colocation[i];
            var path = $"constraints.colocation[{i}]";
            Ref(c, path, "resource", c.Resource);
            Ref(c, path, "with", c.With);
            Self(c, path, "with", c.Resource, c.With);
        }
        for (var i = 0; i < cs.Order.Count; i++)
        {
            var o = cs.Order[i];
            var path = $"constraints.order[{i}]";
            Ref(o, path, "first", o.First);
            Ref(o, path, "then", o.Then);
            Self(o, path, "then", o.First, o.Then);
        }
    }

    private static void Storage(ClusterSpec spec, ProblemList p)
    {
        var nodes = new HashSet<string>(spec.Nodes.Select(n => n.Name));
        var seen = new Dictionary<string, DeviceSpec>();
        for (var i = 0; i < spec.Storage.Devices.Count; i++)
        {
            var d = spec.Storage.Devices[i];
            if (d.Node.Length > 0 && !nodes.Contains(d.Node))
                p.Error(d.PositionOf("node"), $"storage.devices[{i}].node", SpecCodes.Dangling, $"unknown node '{Names.Printable(d.Node)}'");
            if (d.Path.Length > 0 && !seen.TryAdd(d.Node + "\n" + d.Path, d, out var first))
                p.Error(d.PositionOf("path"), $"storage.devices[{i}].path", SpecCodes.DuplicateName, $"device '{Names.Printable(d.Path)}' on node '{Names.Printable(d.Node)}' is listed twice (first at line {first.PositionOf("path").Line})");
        }
    }

    private static string Word(Kind k) => k switch { Kind.Group => "group", Kind.Clone => "clone", _ => "primitive" };

    internal static bool TryAdd<TK, TV>(this Dictionary<TK, TV> d, TK key, TV value, out TV existing) where TK : notnull
    {
        if (d.TryGetValue(key, out existing!)) return false;
        d.Add(key, value);
        return true;
    }
}
