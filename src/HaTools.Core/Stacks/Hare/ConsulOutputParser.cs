using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using HaTools.Core.Spec;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hare;

/// <summary>Reads what Consul prints: KV entries (the JSON of <c>GET /v1/kv/KEY</c> and the text of
/// <c>consul kv get -detailed</c>) and sessions (<c>GET /v1/session/info/ID</c>), shapes as HashiCorp documents them.</summary>
public static class ConsulOutputParser
{
    private static readonly Regex DetailedLine = new Regex(@"\A(\S+)\s+(.*)\z", RegexOptions.CultureInvariant);

    /// <summary><c>consul kv get -detailed KEY</c>: one <c>Field  value</c> per line; <c>Session -</c> means none. The
    /// value is printed raw and runs to the end of the output.</summary>
    public static ConsulKvEntry KvDetailed(string text)
    {
        var e = new ConsulKvEntry();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = Lines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            var m = DetailedLine.Match(lines[i]);
            var field = m.Success ? m.Groups[1].Value : lines[i].Trim();
            var value = m.Success ? m.Groups[2].Value : "";
            if (!seen.Add(field)) throw Bad($"line {i + 1}: '{Names.Printable(field)}' twice");
            switch (field)
            {
                case "CreateIndex": e.CreateIndex = Long(value, field); break;
                case "ModifyIndex": e.ModifyIndex = Long(value, field); break;
                case "LockIndex": e.LockIndex = Long(value, field); break;
                case "Flags": e.Flags = Long(value, field); break;
                case "Key": e.Key = value; break;
                case "Session": e.Session = value == "-" ? null : value; break;
                case "Value": e.Value = string.Join("\n", new[] { value }.Concat(lines.Skip(i + 1))); i = lines.Count; break;
                default: throw Bad($"line {i + 1}: unknown field '{Names.Printable(field)}'");
            }
        }
        foreach (var required in new[] { "Key", "ModifyIndex", "Session", "Value" })
            if (!seen.Contains(required)) throw Bad($"no '{required}' line");
        return e;
    }

    /// <summary><c>GET /v1/kv/KEY[?recurse]</c>: a list of entries, values base64 (null for a key without value).</summary>
    public static IReadOnlyList<ConsulKvEntry> Kv(string json) =>
        JsonDoc.Seq(JsonDoc.Parse(json, "KV response"), "KV response").Select(item =>
        {
            var o = JsonDoc.Obj(item, "KV entry");
            var value = JsonDoc.OptStr(o, "Value");
            return new ConsulKvEntry
            {
                Key = JsonDoc.Str(o, "Key"),
                Value = value == null ? "" : Base64(value),
                CreateIndex = JsonDoc.Long(o, "CreateIndex"),
                ModifyIndex = JsonDoc.Long(o, "ModifyIndex"),
                LockIndex = JsonDoc.Long(o, "LockIndex"),
                Flags = JsonDoc.Long(o, "Flags"),
                Session = JsonDoc.OptStr(o, "Session"),
            };
        }).ToList();

    /// <summary><c>GET /v1/session/info/ID</c>: <c>[]</c> (no such session) gives null.</summary>
    public static ConsulSession? SessionInfo(string json)
    {
        var items = JsonDoc.Seq(JsonDoc.Parse(json, "session info"), "session info");
        if (items.Count == 0) return null;
        if (items.Count > 1) throw Bad($"session info holds {items.Count} sessions; one was asked for");
        var o = JsonDoc.Obj(items[0], "session");
        var checks = new List<string>();
        // Consul before 1.7 lists every check in Checks; later ones split NodeChecks and ServiceChecks ({ID, Namespace})
        // and may leave Checks out.
        checks.AddRange(JsonDoc.OptStrList(o, "Checks"));
        checks.AddRange(JsonDoc.OptStrList(o, "NodeChecks"));
        foreach (var sc in JsonDoc.OptSeq(o, "ServiceChecks"))
            checks.Add(sc is YMap m ? JsonDoc.Str(m, "ID") : JsonDoc.Scalar(sc, "ServiceChecks item"));
        return new ConsulSession
        {
            Id = JsonDoc.Str(o, "ID"),
            Name = JsonDoc.OptStr(o, "Name") ?? "",
            Node = JsonDoc.Str(o, "Node"),
            LockDelay = TimeSpan.FromTicks(JsonDoc.Long(o, "LockDelay") / 100),
            Behavior = JsonDoc.OptStr(o, "Behavior") ?? "",
            Ttl = JsonDoc.OptStr(o, "TTL") ?? "",
            BoundChecks = checks.Distinct(StringComparer.Ordinal).ToList(),
            CreateIndex = JsonDoc.Long(o, "CreateIndex"),
            ModifyIndex = JsonDoc.Long(o, "ModifyIndex"),
        };
    }

    internal static List<string> Lines(string text) =>
        (text ?? "").Replace("\r\n", "\n").TrimEnd('\n').Split('\n').ToList();

    private static long Long(string s, string field) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw Bad($"{field}: '{Names.Printable(s)}' is not a number");

    private static string Base64(string s)
    {
        try { return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(s)); }
        catch (Exception e) when (e is FormatException || e is DecoderFallbackException) { throw Bad("a Value is not base64 of UTF-8 text"); }
    }

    internal static HareOutputException Bad(string what) => new HareOutputException("cannot read Consul's output: " + what);
}

/// <summary>JSON read through the YAML parser HaTools already has (JSON is YAML's flow style), with accessors that
/// name what is missing.</summary>
internal static class JsonDoc
{
    public static YNode Parse(string json, string what)
    {
        var problems = new ProblemList(what);
        var root = YamlTreeBuilder.Build(json ?? "", problems);
        if (root == null || problems.HasErrors)
            throw ConsulOutputParser.Bad($"{what} is not JSON: " + string.Join("; ", problems.Items.Take(3).Select(p => p.Message)));
        return root;
    }

    public static IReadOnlyList<YNode> Seq(YNode n, string what) =>
        n is YSeq s ? s.Items : throw ConsulOutputParser.Bad($"{what}: expected a list");

    public static YMap Obj(YNode n, string what) => n as YMap ?? throw ConsulOutputParser.Bad($"{what}: expected an object");

    public static string Scalar(YNode n, string what) =>
        n is YScalar { IsNull: false } s ? s.Value : throw ConsulOutputParser.Bad($"{what}: expected a value");

    public static string Str(YMap o, string key) =>
        OptStr(o, key) ?? throw ConsulOutputParser.Bad($"no '{key}'");

    public static string? OptStr(YMap o, string key) => o.Get(key) is YScalar { IsNull: false } s ? s.Value : null;

    public static long Long(YMap o, string key)
    {
        var s = Str(o, key);
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw ConsulOutputParser.Bad($"'{key}' is not a whole number");
    }

    public static IReadOnlyList<YNode> OptSeq(YMap o, string key) => o.Get(key) is YSeq s ? s.Items : Array.Empty<YNode>();

    public static IEnumerable<string> OptStrList(YMap o, string key) => OptSeq(o, key).Select(n => Scalar(n, key));
}
