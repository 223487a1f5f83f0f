using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// A semantic fingerprint of CIB configuration elements: attribute order, whitespace, the ids of nvpairs,
/// nvsets and ops, the order of nvpairs and ops, empty nvsets and the spelling of durations (10s = 10000ms)
/// do not count. Two elements with the same fingerprint mean the same thing to Pacemaker.
/// </summary>
internal static class CibCanon
{
    private static readonly HashSet<string> NvSets = new HashSet<string>(StringComparer.Ordinal) { "instance_attributes", "meta_attributes", "utilization" };

    /// <summary>Elements whose id is a bookkeeping detail (Pacemaker refers to them by name, not by id).</summary>
    private static readonly HashSet<string> IdIgnored = new HashSet<string>(StringComparer.Ordinal)
    {
        "nvpair", "op", "operations", "instance_attributes", "meta_attributes", "utilization", "rule", "expression", "date_expression",
    };

    private static readonly HashSet<string> Durations = new HashSet<string>(StringComparer.Ordinal) { "interval", "timeout", "start-delay", "interval-origin" };

    public static string Of(XElement e)
    {
        var sb = new StringBuilder();
        Write(sb, e);
        return sb.ToString();
    }

    /// <summary>The fingerprint of one part of a resource: "attributes", an nvset kind, "operations", or "children".</summary>
    public static IReadOnlyDictionary<string, string> Parts(XElement e)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal) { ["attributes"] = Attributes(e) };
        foreach (var kind in NvSets) parts[kind] = NvSet(e, kind);
        parts["operations"] = Operations(e);
        var sb = new StringBuilder();
        foreach (var c in e.Elements().Where(c => !NvSets.Contains(c.Name.LocalName) && c.Name.LocalName != "operations")) Write(sb, c);
        parts["children"] = sb.ToString();
        return parts;
    }

    private static void Write(StringBuilder sb, XElement e)
    {
        sb.Append('<').Append(e.Name.LocalName).Append(Attributes(e));
        foreach (var kind in NvSets)
        {
            var s = NvSet(e, kind);
            if (s.Length > 0) sb.Append('[').Append(kind).Append(':').Append(s).Append(']');
        }
        var ops = Operations(e);
        if (ops.Length > 0) sb.Append("[ops:").Append(ops).Append(']');
        foreach (var c in e.Elements())
        {
            var n = c.Name.LocalName;
            if (NvSets.Contains(n) || n == "operations") continue;
            if (n == "nvpair") continue; // written by NvPairs below
            Write(sb, c);
        }
        var pairs = NvPairs(e);
        if (pairs.Length > 0) sb.Append("{").Append(pairs).Append('}');
        sb.Append('>');
    }

    private static string Attributes(XElement e)
    {
        var skipId = IdIgnored.Contains(e.Name.LocalName);
        var attrs = e.Attributes()
            .Where(a => !a.IsNamespaceDeclaration && !(skipId && a.Name.LocalName == "id"))
            .Select(a => a.Name.LocalName + "=" + Value(e.Name.LocalName, a.Name.LocalName, a.Value))
            .OrderBy(s => s, StringComparer.Ordinal);
        var s = string.Join(" ", attrs);
        return s.Length == 0 ? "" : " " + s;
    }

    private static string Value(string element, string attribute, string value)
    {
        if (element == "op" && Durations.Contains(attribute))
        {
            var ms = PcmkDuration.ToMilliseconds(value);
            if (ms != null) return ms.Value.ToString(CultureInfo.InvariantCulture) + "ms";
        }
        return value;
    }

    /// <summary>All nvsets of one kind merged (Pacemaker merges them too), as sorted name=value pairs.</summary>
    private static string NvSet(XElement e, string kind)
    {
        var sets = e.Elements(kind).ToList();
        if (sets.Count == 0) return "";
        // Sets with rules or scores are not plain name=value lists: compare them whole.
        var plain = sets.Where(s => !s.Elements().Any(c => c.Name.LocalName != "nvpair") && s.Attribute("score") == null).ToList();
        var sb = new StringBuilder(NvPairsOf(plain.SelectMany(s => s.Elements("nvpair"))));
        foreach (var s in sets.Except(plain))
        {
            var inner = new StringBuilder();
            Write(inner, s);
            sb.Append(inner);
        }
        return sb.ToString();
    }

    private static string NvPairs(XElement e) => NvPairsOf(e.Elements("nvpair"));

    private static string NvPairsOf(IEnumerable<XElement> pairs) =>
        string.Join(",", pairs
            .Select(p => ((string?)p.Attribute("name") ?? "") + "=" + ((string?)p.Attribute("value") ?? "") + ((string?)p.Attribute("id-ref") is string r ? "@" + r : ""))
            .OrderBy(s => s, StringComparer.Ordinal));

    private static string Operations(XElement e)
    {
        var ops = e.Elements("operations").SelectMany(o => o.Elements()).Select(Of).OrderBy(s => s, StringComparer.Ordinal);
        return string.Join("", ops);
    }
}
