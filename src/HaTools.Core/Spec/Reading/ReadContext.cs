using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Spec.Reading;

/// <summary>Shared state and typed accessors for the section readers. Every accessor reports its own problem
/// (wrong type, bad value) and returns null, so readers are straight lists of fields.</summary>
internal sealed class ReadContext
{
    public ReadContext(ProblemList problems) { Problems = problems; }

    public ProblemList Problems { get; }

    public SourcePosition Pos(YNode n) => Problems.At(n.Line, n.Column);

    public void Error(YNode at, string field, string code, string message) => Problems.Error(Pos(at), field, code, message);

    public void Warn(YNode at, string field, string code, string message) => Problems.Warn(Pos(at), field, code, message);

    /// <summary>A mapping, or null (reported when the node is something else; a YAML null is "not given").</summary>
    public MapReader? Map(YNode? node, string path, SpecElement? target, params string[] allowed)
    {
        if (node == null || (node is YScalar s && s.IsNull)) return null;
        if (node is not YMap map)
        {
            Error(node, path, SpecCodes.WrongType, "expected a mapping (key: value lines), found " + Describe(node));
            return null;
        }
        if (target != null) target.Position = Pos(map);
        var reader = new MapReader(this, map, path, target);
        if (allowed.Length > 0) reader.OnlyKeys(allowed);
        return reader;
    }

    /// <summary>A sequence, or null (reported when the node is something else; a YAML null is "not given").</summary>
    public YSeq? Seq(YNode? node, string path)
    {
        if (node == null || (node is YScalar s && s.IsNull)) return null;
        if (node is YSeq seq) return seq;
        Error(node, path, SpecCodes.WrongType, "expected a list ('- item' lines or [a, b]), found " + Describe(node));
        return null;
    }

    /// <summary>Items of a list with their paths (path[i], 0-based).</summary>
    public static IEnumerable<(YNode Node, string Path, int Index)> Items(YSeq? seq, string path)
    {
        if (seq == null) yield break;
        for (var i = 0; i < seq.Items.Count; i++)
            yield return (seq.Items[i], $"{path}[{i}]", i);
    }

    /// <summary>The text of a scalar; null for anything else (reported). Control characters are refused.</summary>
    public string? Text(YNode node, string path, bool allowTab = false)
    {
        if (node is not YScalar s || s.IsNull)
        {
            Error(node, path, node is YScalar ? SpecCodes.Missing : SpecCodes.WrongType,
                node is YScalar ? "a value is required here" : "expected a single value, found " + Describe(node));
            return null;
        }
        var cc = SpecRules.ControlCharProblem(s.Value, allowTab);
        if (cc != null)
        {
            Error(node, path, SpecCodes.ControlChar, "the value " + cc);
            return null;
        }
        return s.Value;
    }

    /// <summary>A name under the <see cref="Names"/> rule. The text is returned even when invalid (after reporting),
    /// so that references to it do not also show up as dangling.</summary>
    public string? Name(YNode node, string path, string what, int max = 63)
    {
        if (node is not YScalar s || s.IsNull)
            return Text(node, path);
        var problem = SpecRules.NameProblem(s.Value, max);
        if (problem != null)
            Error(node, path, SpecCodes.BadName, $"invalid {what} '{Names.Printable(s.Value)}': {problem}");
        return s.Value;
    }

    public int? Int(YNode node, string path, long min, long max)
    {
        var t = Text(node, path);
        if (t == null) return null;
        if (!Regex.IsMatch(t, @"\A[+-]?[0-9]{1,10}\z") || !long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            Error(node, path, SpecCodes.WrongType, $"expected a whole number, found '{Names.Printable(t)}'");
            return null;
        }
        if (v < min || v > max)
        {
            Error(node, path, SpecCodes.OutOfRange, $"{v} is out of range; use {min} to {max}");
            return null;
        }
        return (int)v;
    }

    public bool? Bool(YNode node, string path)
    {
        var t = Text(node, path);
        if (t == null) return null;
        var b = ParseBool(t);
        if (b == null)
            Error(node, path, SpecCodes.WrongType, $"expected true or false, found '{Names.Printable(t)}'");
        return b;
    }

    public static bool? ParseBool(string t) => t switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    public string? Enum(YNode node, string path, string[] allowed)
    {
        var t = Text(node, path);
        if (t == null) return null;
        if (allowed.Contains(t)) return t;
        Error(node, path, SpecCodes.BadValue, $"'{Names.Printable(t)}' is not one of: {string.Join(", ", allowed)}" + SpecRules.Hint(t, allowed));
        return null;
    }

    /// <summary>A map of name → scalar (properties, params, meta, defaults) into a dictionary.
    /// Positions are recorded in owner.FieldPositions["prefix.key"]. Booleans (true, True, TRUE, false …) are stored lower-case.</summary>
    public void Attributes(YNode? node, string path, SpecElement owner, string prefix, Dictionary<string, string> into,
        Regex keyRule, Func<string, string, string?>? valueRule = null)
    {
        var map = Map(node, path, null);
        if (map == null) return;
        foreach (var e in map.Node.Entries)
        {
            var key = e.Key.Value;
            var field = YamlTreeBuilder.Join(path, Names.Printable(key));
            if (!keyRule.IsMatch(key))
            {
                Error(e.Key, field, SpecCodes.BadName, $"invalid name '{Names.Printable(key)}': use letters, digits, '_', '-' (and '.' after the first character)");
                continue;
            }
            var value = Text(e.Value, field, allowTab: true);
            if (value == null) continue;
            if (ParseBool(value) is bool b) value = b ? "true" : "false";
            var problem = valueRule?.Invoke(key, value);
            if (problem != null)
            {
                Error(e.Value, field, SpecCodes.BadValue, problem);
                continue;
            }
            into[key] = value;
            owner.FieldPositions[prefix + "." + key] = Pos(e.Value);
        }
    }

    public static string Describe(YNode node) => node switch
    {
        YScalar s when s.IsNull => "nothing",
        YScalar s => $"the value '{Names.Printable(s.Value)}'",
        YSeq => "a list",
        YMap => "a mapping",
        _ => node.Kind,
    };
}

/// <summary>Reads one mapping: typed field accessors that record field positions on the target element.</summary>
internal sealed class MapReader
{
    private readonly ReadContext _ctx;
    private readonly SpecElement? _target;

    public MapReader(ReadContext ctx, YMap map, string path, SpecElement? target)
    {
        _ctx = ctx;
        Node = map;
        Path = path;
        _target = target;
    }

    public YMap Node { get; }
    public string Path { get; }

    public string Field(string key) => YamlTreeBuilder.Join(Path, key);

    /// <summary>Reports every key not in <paramref name="allowed"/>, with a "did you mean" when one is close.</summary>
    public void OnlyKeys(IReadOnlyCollection<string> allowed, Func<string, bool>? handled = null)
    {
        foreach (var e in Node.Entries)
        {
            var key = e.Key.Value;
            if (allowed.Contains(key) || (handled != null && handled(key))) continue;
            _ctx.Error(e.Key, Field(Names.Printable(key)), SpecCodes.UnknownKey,
                $"unknown key '{Names.Printable(key)}'{SpecRules.Hint(key, allowed)}; allowed here: {string.Join(", ", allowed)}");
        }
    }

    public bool Has(string key) => Node.Get(key) != null;

    /// <summary>The value node of a key (null when absent); its position is recorded for the target element.</summary>
    public YNode? Get(string key, bool required = false)
    {
        var v = Node.Get(key);
        if (v == null)
        {
            if (required)
                _ctx.Error(Node, Field(key), SpecCodes.Missing, $"missing required field '{key}'");
            return null;
        }
        if (_target != null) _target.FieldPositions[key] = _ctx.Pos(v);
        return v;
    }

    public SourcePosition PosOf(string key) => _ctx.Pos(Node.Get(key) ?? Node);

    public YScalar? KeyNode(string key) => Node.KeyOf(key);

    public string? Str(string key, bool required = false, bool allowTab = false) =>
        Get(key, required) is { } v ? _ctx.Text(v, Field(key), allowTab) : null;

    public string? Name(string key, string what, bool required = true, int max = 63) =>
        Get(key, required) is { } v ? _ctx.Name(v, Field(key), what, max) : null;

    public int? Int(string key, long min, long max, bool required = false) =>
        Get(key, required) is { } v ? _ctx.Int(v, Field(key), min, max) : null;

    public bool? Bool(string key) => Get(key) is { } v ? _ctx.Bool(v, Field(key)) : null;

    public string? Enum(string key, string[] allowed, bool required = false) =>
        Get(key, required) is { } v ? _ctx.Enum(v, Field(key), allowed) : null;

    /// <summary>A value checked by a rule that returns the reason it is wrong (or null).</summary>
    public string? Checked(string key, Func<string, string?> rule, string code, bool required = false)
    {
        var v = Get(key, required);
        if (v == null) return null;
        var t = _ctx.Text(v, Field(key));
        if (t == null) return null;
        var problem = rule(t);
        if (problem == null) return t;
        _ctx.Error(v, Field(key), code, problem);
        return null;
    }

    public MapReader? Map(string key, SpecElement? target, params string[] allowed) =>
        _ctx.Map(Get(key), Field(key), target, allowed);

    public YSeq? Seq(string key, bool required = false) => _ctx.Seq(Get(key, required), Field(key));

    public void Error(string key, string code, string message) =>
        _ctx.Error(Node.Get(key) ?? Node, Field(key), code, message);
}
