using System.Collections.Generic;

namespace HaTools.Core.Spec.Yaml;

/// <summary>A small YAML node tree built from parser events: only what the cluster file needs
/// (scalars, mappings with their key positions, sequences). No anchors, no aliases, no tags.</summary>
internal abstract class YNode
{
    protected YNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; }
    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; }

    /// <summary>How the node is named in messages: "a mapping", "a list", "a string" …</summary>
    public abstract string Kind { get; }
}

internal sealed class YScalar : YNode
{
    public YScalar(string value, bool plain, int line, int column) : base(line, column)
    {
        Value = value;
        IsPlain = plain;
    }

    public string Value { get; }
    /// <summary>Written without quotes (so "true", "~" and "" carry their YAML meaning).</summary>
    public bool IsPlain { get; }

    /// <summary>A plain empty value, ~ or null: YAML's null.</summary>
    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string Kind => IsNull ? "nothing (null)" : "a scalar";
}

internal sealed class YMap : YNode
{
    public YMap(int line, int column) : base(line, column) { }

    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = new List<KeyValuePair<YScalar, YNode>>();

    public override string Kind => "a mapping";

    public YNode? Get(string key)
    {
        foreach (var e in Entries)
            if (e.Key.Value == key) return e.Value;
        return null;
    }

    public YScalar? KeyOf(string key)
    {
        foreach (var e in Entries)
            if (e.Key.Value == key) return e.Key;
        return null;
    }
}

internal sealed class YSeq : YNode
{
    public YSeq(int line, int column) : base(line, column) { }

    public List<YNode> Items { get; } = new List<YNode>();

    public override string Kind => "a list";
}
