using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>Reads what Get-HaProperty, Get-HaConstraint and the resource commands need from a &lt;cib&gt; (or a bare &lt;configuration&gt;).</summary>
public static class CibReader
{
    private static readonly string[] ResourceElements = { "primitive", "group", "clone", "master", "bundle" };

    /// <summary>crm_config, rsc_defaults and op_defaults nvpairs in document order, each with its section.</summary>
    public static IReadOnlyList<ClusterProperty> Properties(XElement cib)
    {
        var cfg = Configuration(cib);
        var list = new List<ClusterProperty>();
        foreach (var (section, setName) in new[] { ("crm_config", "cluster_property_set"), ("rsc_defaults", "meta_attributes"), ("op_defaults", "meta_attributes") })
            foreach (var nv in cfg?.Element(section)?.Elements(setName).Elements("nvpair") ?? Enumerable.Empty<XElement>())
                list.Add(new ClusterProperty { Name = (string?)nv.Attribute("name") ?? "", Value = (string?)nv.Attribute("value"), Section = section });
        return list;
    }

    /// <summary>Location (plain or rule-based, as crm_resource --move/--ban write them), colocation and order constraints.</summary>
    public static IReadOnlyList<ConstraintInfo> Constraints(XElement cib)
    {
        var list = new List<ConstraintInfo>();
        foreach (var c in Configuration(cib)?.Element("constraints")?.Elements() ?? Enumerable.Empty<XElement>())
        {
            var id = (string?)c.Attribute("id") ?? "";
            var fromMove = id.StartsWith("cli-prefer-", StringComparison.Ordinal) || id.StartsWith("cli-ban-", StringComparison.Ordinal);
            switch (c.Name.LocalName)
            {
                case "rsc_location":
                    var rule = c.Element("rule");
                    list.Add(new ConstraintInfo
                    {
                        Id = id,
                        Type = ConstraintType.Location,
                        Resource = Resource(c, "rsc"),
                        Target = (string?)c.Attribute("node")
                            ?? (string?)rule?.Elements("expression").FirstOrDefault(x => (string?)x.Attribute("attribute") == "#uname" && (string?)x.Attribute("operation") == "eq")?.Attribute("value")
                            ?? "",
                        Score = (string?)c.Attribute("score") ?? (string?)rule?.Attribute("score") ?? "",
                        FromMove = fromMove,
                        Expires = (string?)rule?.Descendants("date_expression").FirstOrDefault(d => (string?)d.Attribute("operation") == "lt")?.Attribute("end"),
                    });
                    break;
                case "rsc_colocation":
                    list.Add(new ConstraintInfo
                    {
                        Id = id,
                        Type = ConstraintType.Colocation,
                        Resource = Resource(c, "rsc"),
                        Target = (string?)c.Attribute("with-rsc") ?? "",
                        Score = (string?)c.Attribute("score") ?? "",
                        FromMove = fromMove,
                    });
                    break;
                case "rsc_order":
                    list.Add(new ConstraintInfo
                    {
                        Id = id,
                        Type = ConstraintType.Order,
                        Resource = Resource(c, "first"),
                        Target = (string?)c.Attribute("then") ?? "",
                        Score = (string?)c.Attribute("score") ?? "",
                        Kind = (string?)c.Attribute("kind") ?? (c.Attribute("score") != null && PcmkScore.ToInt((string?)c.Attribute("score")) == 0 ? "Optional" : "Mandatory"),
                        FromMove = fromMove,
                    });
                    break;
            }
        }
        return list;
    }

    public static bool ResourceExists(XElement cib, string id) => Find(cib, id) != null;

    /// <summary>primitive, group, clone (also for the legacy &lt;master&gt;) or bundle; null when there is no such resource.</summary>
    public static string? ResourceKind(XElement cib, string id)
    {
        var e = Find(cib, id);
        return e == null ? null : e.Name.LocalName == "master" ? "clone" : e.Name.LocalName;
    }

    /// <summary>The top-level resource that holds id (its group or clone; itself when top-level). Start/stop/move act on it.</summary>
    public static string? TopLevelResource(XElement cib, string id)
    {
        var e = Find(cib, id);
        if (e == null) return null;
        var resources = e.Ancestors("resources").FirstOrDefault();
        return (string?)e.AncestorsAndSelf().Last(a => a.Parent == resources).Attribute("id");
    }

    private static XElement? Find(XElement cib, string id) =>
        Configuration(cib)?.Element("resources")?.Descendants()
            .FirstOrDefault(e => ResourceElements.Contains(e.Name.LocalName) && (string?)e.Attribute("id") == id);

    private static XElement? Configuration(XElement cib) =>
        cib.Name.LocalName == "configuration" ? cib : cib.Element("configuration");

    /// <summary>rsc (or rsc-pattern, or the members of resource sets, space-separated).</summary>
    private static string Resource(XElement c, string attribute) =>
        (string?)c.Attribute(attribute) ?? (string?)c.Attribute(attribute + "-pattern")
        ?? string.Join(" ", c.Elements("resource_set").Elements("resource_ref").Select(r => (string?)r.Attribute("id")));
}
