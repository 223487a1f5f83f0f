using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HaTools.Core.Stacks.Hare;

/// <summary>A JSON object whose members keep the order they were added in (so generated files are byte-stable).</summary>
internal sealed class JObj : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _members = new List<KeyValuePair<string, object?>>();

    public int Count => _members.Count;

    /// <summary>Adds a member; a null value leaves it out.</summary>
    public void Add(string name, object? value)
    {
        if (value != null) _members.Add(new KeyValuePair<string, object?>(name, value));
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _members.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Writes <see cref="JObj"/> trees (strings, ints, longs, bools, lists) as JSON: compact for request bodies,
/// indented by two spaces for files people read.</summary>
internal static class JsonText
{
    public static string Compact(object value)
    {
        var b = new StringBuilder();
        Write(b, value, null);
        return b.ToString();
    }

    public static string Indented(object value)
    {
        var b = new StringBuilder();
        Write(b, value, "");
        return b.Append('\n').ToString();
    }

    private static void Write(StringBuilder b, object? v, string? indent)
    {
        switch (v)
        {
            case null: b.Append("null"); break;
            case string s: b.Append(Json.Str(s)); break;
            case bool x: b.Append(x ? "true" : "false"); break;
            case int i: b.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: b.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case JObj o: Members(b, o, indent); break;
            case IEnumerable e: Items(b, e, indent); break;
            default: throw new System.ArgumentException("no JSON form for " + v.GetType().Name);
        }
    }

    private static void Members(StringBuilder b, JObj o, string? indent)
    {
        if (o.Count == 0) { b.Append("{}"); return; }
        var inner = indent == null ? null : indent + "  ";
        b.Append('{');
        var first = true;
        foreach (var m in o)
        {
            if (!first) b.Append(',');
            first = false;
            if (inner != null) b.Append('\n').Append(inner);
            b.Append(Json.Str(m.Key)).Append(inner != null ? ": " : ":");
            Write(b, m.Value, inner);
        }
        if (inner != null) b.Append('\n').Append(indent);
        b.Append('}');
    }

    /// <summary>Lists of plain values stay on one line; lists of objects get a line per item.</summary>
    private static void Items(StringBuilder b, IEnumerable e, string? indent)
    {
        var items = new List<object?>();
        foreach (var x in e) items.Add(x);
        var nested = indent != null && items.Exists(x => x is JObj);
        var inner = nested ? indent + "  " : indent;
        b.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) b.Append(nested || indent == null ? "," : ", ");
            if (nested) b.Append('\n').Append(inner);
            Write(b, items[i], inner);
        }
        if (nested) b.Append('\n').Append(indent);
        b.Append(']');
    }
}
