using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// The idempotent part of a bootstrap: compares the running CIB with the cluster file and computes the
/// configuration to send. Declared properties, defaults, resources and constraints are set or replaced;
/// everything the file does not declare is kept (Pacemaker's own cib-bootstrap-options such as dc-version and
/// cluster-infrastructure, the nodes section with standby and other node attributes, resources and
/// constraints added by hand, cli-prefer-/cli-ban- constraints from moves). Comparison is semantic
/// (<see cref="CibCanon"/>), so planning again after applying <see cref="CibPlan.NewConfiguration"/> finds
/// nothing to change. Nothing is ever deleted: removing an item from the file leaves it in the cluster.
/// </summary>
public static class CibPlanner
{
    /// <summary>Meta attributes that operators and HaTools' own commands set at run time (Stop-HaResource sets
    /// target-role, maintenance work sets is-managed). When the file does not declare them they are kept, so a
    /// re-run does not restart a resource someone stopped on purpose.</summary>
    public static readonly IReadOnlyList<string> OperationalMeta = new[] { "target-role", "is-managed" };

    private static readonly HashSet<string> ResourceElements = new HashSet<string>(StringComparer.Ordinal) { "primitive", "group", "clone", "master", "bundle", "template" };

    /// <param name="currentCib">The &lt;cib&gt; from cibadmin --query (a bare &lt;configuration&gt; is accepted too).</param>
    public static CibPlan Plan(XElement currentCib, ClusterSpec spec)
    {
        if (currentCib == null) throw new ArgumentNullException(nameof(currentCib));
        if (spec == null) throw new ArgumentNullException(nameof(spec));
        var current = currentCib.Name.LocalName == "configuration" ? currentCib
            : currentCib.Name.LocalName == "cib" ? currentCib.Element("configuration") ?? new XElement("configuration")
            : throw new PacemakerOutputException($"the CIB query returned <{currentCib.Name.LocalName}>, not <cib>");
        var desired = CibGenerator.Configuration(spec);
        var result = new XElement(current);
        var changes = new List<string>();
        var warnings = new List<string>();

        foreach (var section in new[] { "crm_config", "nodes", "resources", "constraints" })
            if (result.Element(section) == null) result.Add(new XElement(section));

        MergeNvSet(result, "crm_config", "cluster_property_set", CibGenerator.PropertySetId, spec.Properties, "property", changes, warnings);
        MergeNvSet(result, "rsc_defaults", "meta_attributes", CibGenerator.RscDefaultsId, spec.RscDefaults, "resource default", changes, warnings);
        MergeNvSet(result, "op_defaults", "meta_attributes", CibGenerator.OpDefaultsId, spec.OpDefaults, "operation default", changes, warnings);
        MergeResources(result.Element("resources")!, desired.Element("resources")!, changes, warnings);
        MergeConstraints(result.Element("constraints")!, desired.Element("constraints")!, changes, warnings);
        CheckUniqueIds(result);
        return new CibPlan(result, changes, warnings);
    }

    private static void MergeNvSet(XElement configuration, string sectionName, string setElement, string setId,
        IReadOnlyDictionary<string, string> pairs, string label, List<string> changes, List<string> warnings)
    {
        if (pairs.Count == 0) return;
        var section = configuration.Element(sectionName);
        if (section == null) configuration.Add(section = new XElement(sectionName));
        var sets = section.Elements(setElement).ToList();
        var target = sets.FirstOrDefault(s => (string?)s.Attribute("id") == setId)
            ?? sets.FirstOrDefault(s => s.Element("rule") == null && s.Attribute("score") == null && sectionName != "crm_config");
        if (target == null)
        {
            target = new XElement(setElement, new XAttribute("id", setId));
            section.AddFirst(target);
        }
        var targetId = (string?)target.Attribute("id") ?? setId;
        foreach (var kv in pairs)
        {
            var existing = target.Elements("nvpair").FirstOrDefault(n => (string?)n.Attribute("name") == kv.Key);
            foreach (var other in sets.Where(s => s != target))
            {
                var dup = other.Elements("nvpair").FirstOrDefault(n => (string?)n.Attribute("name") == kv.Key);
                if (dup != null && (string?)dup.Attribute("value") != kv.Value)
                    warnings.Add($"{label} {kv.Key} is also set to {(string?)dup.Attribute("value")} in {setElement} {(string?)other.Attribute("id")}; HaTools sets it in {targetId}");
            }
            if (existing == null)
            {
                target.Add(CibGenerator.NvPair(targetId, kv.Key, kv.Value, label));
                changes.Add($"set {label} {kv.Key}={kv.Value} (was unset)");
            }
            else if ((string?)existing.Attribute("value") != kv.Value)
            {
                changes.Add($"set {label} {kv.Key}={kv.Value} (was {(string?)existing.Attribute("value")})");
                existing.SetAttributeValue("value", kv.Value);
            }
        }
    }

    private static void MergeResources(XElement resources, XElement desired, List<string> changes, List<string> warnings)
    {
        var original = new XElement(resources);
        var declared = new HashSet<string>(desired.Descendants().Where(IsResource).Select(Id), StringComparer.Ordinal);

        foreach (var d in desired.Elements().ToList())
        {
            var wanted = new XElement(d);
            CarryOperationalMeta(wanted, original, warnings);
            var id = Id(d);
            var ids = new HashSet<string>(wanted.DescendantsAndSelf().Where(IsResource).Select(Id), StringComparer.Ordinal);
            var existing = resources.Descendants().Where(e => IsResource(e) && ids.Contains(Id(e))).ToList();
            var same = existing.FirstOrDefault(e => Id(e) == id);

            if (same != null && same.Parent == resources && existing.All(e => e == same || e.Ancestors().Contains(same)))
            {
                if (CibCanon.Of(same) == CibCanon.Of(wanted)) continue;
                changes.Add($"change {Kind(wanted)} {id}: {Describe(same, wanted)}");
                WarnAgentChange(same, wanted, warnings);
                WarnDroppedMembers(same, wanted, declared, warnings);
                same.ReplaceWith(wanted);
                continue;
            }

            // New, or declared in another shape (a primitive that now is in a group or clone, …).
            var outer = existing.Where(e => !e.Ancestors().Any(a => existing.Contains(a))).ToList();
            var anchor = outer.FirstOrDefault(e => e.Parent == resources);
            if (anchor != null) anchor.AddBeforeSelf(wanted); else resources.Add(wanted);
            if (outer.Count == 0) changes.Add($"add {Kind(wanted)} {id}");
            foreach (var e in outer)
            {
                changes.Add(Id(e) == id
                    ? $"change {Kind(e)} {id}: now {Kind(wanted)} {Shape(wanted)}".TrimEnd()
                    : $"move {Kind(e)} {Id(e)} into {Kind(wanted)} {id}");
                WarnDroppedMembers(e, wanted, declared, warnings);
                var parent = e.Parent!;
                e.Remove();
                if (parent != resources && IsResource(parent) && !parent.Elements().Any(IsResource))
                {
                    warnings.Add($"{Kind(parent)} {Id(parent)} is left empty by moving {Id(e)} and is removed");
                    parent.Remove();
                }
            }
        }

        foreach (var e in resources.Elements().Where(IsResource))
            if (!declared.Contains(Id(e)))
                warnings.Add($"resource {Id(e)} exists in the cluster but not in the file; left as is");
    }

    /// <summary>Keeps target-role / is-managed that are set in the cluster and not declared for that resource.</summary>
    private static void CarryOperationalMeta(XElement wanted, XElement original, List<string> warnings)
    {
        foreach (var w in wanted.DescendantsAndSelf().Where(IsResource).ToList())
        {
            var id = Id(w);
            var old = original.Descendants().FirstOrDefault(e => IsResource(e) && Id(e) == id);
            if (old == null) continue;
            foreach (var name in OperationalMeta)
            {
                if (w.Elements("meta_attributes").Elements("nvpair").Any(n => (string?)n.Attribute("name") == name)) continue;
                var pair = old.Elements("meta_attributes").Where(s => s.Element("rule") == null).Elements("nvpair")
                    .FirstOrDefault(n => (string?)n.Attribute("name") == name);
                if (pair == null) continue;
                var set = w.Element("meta_attributes");
                if (set == null)
                {
                    set = new XElement("meta_attributes", new XAttribute("id", (string?)pair.Parent!.Attribute("id") ?? id + "-meta_attributes"));
                    var first = w.Elements().FirstOrDefault(e => e.Name.LocalName != "instance_attributes");
                    if (first != null) first.AddBeforeSelf(set); else w.Add(set);
                }
                set.Add(new XElement(pair));
                warnings.Add($"resource {id}: meta {name}={(string?)pair.Attribute("value")} is set in the cluster, not in the file; left as is");
            }
        }
    }

    private static void MergeConstraints(XElement constraints, XElement desired, List<string> changes, List<string> warnings)
    {
        var declared = new HashSet<string>(desired.Elements().Select(Id), StringComparer.Ordinal);
        foreach (var d in desired.Elements())
        {
            var id = Id(d);
            var existing = constraints.Elements().FirstOrDefault(e => Id(e) == id);
            if (existing != null)
            {
                if (CibCanon.Of(existing) == CibCanon.Of(d)) continue;
                changes.Add($"change constraint {id}: {DescribeAttributes(existing, d)}");
                existing.ReplaceWith(new XElement(d));
                continue;
            }
            foreach (var twin in constraints.Elements().Where(e => !declared.Contains(Id(e)) && SameTarget(e, d)))
                warnings.Add($"constraint {id}: constraint {Id(twin)} in the cluster already applies to the same resources; both are kept");
            constraints.Add(new XElement(d));
            changes.Add($"add constraint {id}");
        }
        foreach (var e in constraints.Elements())
        {
            var id = Id(e);
            if (declared.Contains(id)) continue;
            warnings.Add(id.StartsWith("cli-prefer-", StringComparison.Ordinal) || id.StartsWith("cli-ban-", StringComparison.Ordinal)
                ? $"constraint {id} (made by a move or ban) is in place; left as is"
                : $"constraint {id} exists in the cluster but not in the file; left as is");
        }
    }

    private static bool SameTarget(XElement a, XElement b)
    {
        if (a.Name != b.Name) return false;
        string[] keys = a.Name.LocalName switch
        {
            "rsc_location" => new[] { "rsc", "node" },
            "rsc_colocation" => new[] { "rsc", "with-rsc" },
            "rsc_order" => new[] { "first", "then" },
            _ => Array.Empty<string>(),
        };
        return keys.Length > 0 && keys.All(k => (string?)a.Attribute(k) != null && (string?)a.Attribute(k) == (string?)b.Attribute(k));
    }

    private static string Describe(XElement was, XElement now)
    {
        var a = CibCanon.Parts(was);
        var b = CibCanon.Parts(now);
        var parts = new List<string>();
        if (a["attributes"] != b["attributes"]) parts.Add(was.Name.LocalName == "primitive" ? "agent" : "attributes");
        if (a["instance_attributes"] != b["instance_attributes"]) parts.Add("params");
        if (a["meta_attributes"] != b["meta_attributes"]) parts.Add("meta");
        if (a["utilization"] != b["utilization"]) parts.Add("utilization");
        if (a["operations"] != b["operations"]) parts.Add("ops");
        if (a["children"] != b["children"])
        {
            var oldKids = was.Elements().Where(IsResource).ToList();
            var newKids = now.Elements().Where(IsResource).ToList();
            if (!oldKids.Select(Id).SequenceEqual(newKids.Select(Id)))
                parts.Add(now.Name.LocalName == "group" ? "members" : "resource");
            else
                for (var i = 0; i < newKids.Count; i++)
                    if (CibCanon.Of(oldKids[i]) != CibCanon.Of(newKids[i]))
                        parts.Add($"{Kind(newKids[i])} {Id(newKids[i])} {Describe(oldKids[i], newKids[i])}");
        }
        return parts.Count == 0 ? "definition" : string.Join(", ", parts);
    }

    private static string DescribeAttributes(XElement was, XElement now)
    {
        if (was.Name != now.Name) return $"{was.Name.LocalName} → {now.Name.LocalName}";
        var names = was.Attributes().Select(a => a.Name.LocalName).Union(now.Attributes().Select(a => a.Name.LocalName)).Where(n => n != "id");
        var diff = names.Where(n => (string?)was.Attribute(n) != (string?)now.Attribute(n))
            .Select(n => $"{n} {(string?)was.Attribute(n) ?? "(none)"} → {(string?)now.Attribute(n) ?? "(none)"}").ToList();
        if (was.HasElements) diff.Add("rules replaced");
        return diff.Count == 0 ? "definition" : string.Join(", ", diff);
    }

    private static void WarnAgentChange(XElement was, XElement now, List<string> warnings)
    {
        foreach (var n in now.DescendantsAndSelf("primitive"))
        {
            var o = was.DescendantsAndSelf("primitive").FirstOrDefault(p => Id(p) == Id(n));
            if (o != null && Agent(o) != Agent(n))
                warnings.Add($"primitive {Id(n)}: agent changes from {Agent(o)} to {Agent(n)}; Pacemaker stops it and starts it with the new agent");
        }
    }

    private static void WarnDroppedMembers(XElement was, XElement now, HashSet<string> declared, List<string> warnings)
    {
        var kept = new HashSet<string>(now.DescendantsAndSelf().Where(IsResource).Select(Id), StringComparer.Ordinal);
        foreach (var gone in was.Descendants().Where(IsResource).Where(e => !kept.Contains(Id(e))))
            warnings.Add(declared.Contains(Id(gone))
                ? $"resource {Id(gone)} moves out of {Kind(was)} {Id(was)}"
                : $"resource {Id(gone)} was in {Kind(was)} {Id(was)} in the cluster but not in the file; replacing {Id(was)} removes it");
    }

    private static void CheckUniqueIds(XElement configuration)
    {
        var dup = configuration.Descendants().Where(e => e.Attribute("id") != null).GroupBy(Id).FirstOrDefault(g => g.Count() > 1);
        if (dup != null)
            throw new HaException($"the cluster already uses id {dup.Key} for a {string.Join(" and a ", dup.Select(e => e.Name.LocalName).Distinct())}; rename the item in the file") { Target = dup.Key };
    }

    private static string Agent(XElement p) =>
        string.Join(":", new[] { (string?)p.Attribute("class"), (string?)p.Attribute("provider"), (string?)p.Attribute("type") }.Where(s => !string.IsNullOrEmpty(s)));

    private static string Shape(XElement e) => e.Name.LocalName switch
    {
        "group" => "(" + string.Join(", ", e.Elements().Where(IsResource).Select(Id)) + ")",
        "clone" => "of " + string.Join(", ", e.Elements().Where(IsResource).Select(Id)),
        _ => "",
    };

    private static bool IsResource(XElement e) => ResourceElements.Contains(e.Name.LocalName) && e.Attribute("id") != null;

    private static string Kind(XElement e) => e.Name.LocalName;

    private static string Id(XElement e) => (string?)e.Attribute("id") ?? "";
}
