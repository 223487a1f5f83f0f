using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>A saved or captured hastctl output that is not one of hastctl's formats. Names the source and, when known, the line.</summary>
public sealed class HastOutputException : HaException
{
    public HastOutputException(string source, int line, string message)
        : base(line > 0 ? $"{source}:{line}: {message}" : $"{source}: {message}")
    {
        Source = source;
        Line = line;
        Target = source;
    }

    public new string Source { get; }
    public int Line { get; }
}

/// <summary>
/// Reads hastctl's outputs into <see cref="HastResourceStatus"/> objects, following the printf formats of
/// sbin/hastctl/hastctl.c rather than a few captures:
/// <list type="bullet">
/// <item><c>hastctl list</c> (and FreeBSD 8/9's <c>hastctl status</c>): per resource <c>NAME:</c>, then indented
/// <c>key: value</c> lines (role, provname, localpath, extentsize, keepdirty, remoteaddr, sourceaddr, replication, status,
/// workerpid, dirty, statistics …) or <c>  error: N</c>.</item>
/// <item>the <c>hastctl status</c> table of FreeBSD 10+: <c>Name\tStatus\t Role\t\tComponents</c>, then per resource
/// <c>%s\t%-9s%-15s%s\t%s</c> (name, status or "-", role, local path, remote) or <c>%s\tERR%d</c>.</item>
/// </list>
/// Tolerated: a missing trailing newline, CRLF, tabs expanded to spaces, keys without their indent, unknown keys, a
/// leading echoed <c>… hastctl …</c> command line, a last line cut off. Anything else is an error naming the line.
/// </summary>
public static class HastctlParser
{
    private static readonly Regex TableHeader = new Regex(@"\AName\s+Status\s+Role\s+Components\s*\z", RegexOptions.CultureInvariant);
    private static readonly Regex EchoedCommand = new Regex(@"[#$%>]\s*hastctl(\s|\z)", RegexOptions.CultureInvariant);
    private static readonly Regex ResourceHeader = new Regex(@"\A(\S+):\z", RegexOptions.CultureInvariant);
    private static readonly Regex KeyValue = new Regex(@"\A([a-z][a-z ]*):(?: (.*))?\z", RegexOptions.CultureInvariant);
    private static readonly Regex LeadingNumber = new Regex(@"\A([0-9]+)(?:\s|\z)", RegexOptions.CultureInvariant);
    private static readonly Regex ErrorCell = new Regex(@"\AERR([0-9]+)\z", RegexOptions.CultureInvariant);

    /// <summary>Sub-block keys of a resource (under <c>statistics:</c>): not resource headers even when the indent was stripped.</summary>
    private static readonly string[] BlockKeys = { "statistics" };

    /// <param name="text">The output as saved.</param>
    /// <param name="node">The node it came from (hastctl does not print it); null when unknown.</param>
    /// <param name="source">The file name (or "NODE: hastctl list") for messages.</param>
    public static IReadOnlyList<HastResourceStatus> Parse(string text, string? node, string source)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var first = 0;
        while (first < lines.Count && lines[first].Trim().Length == 0) first++;
        if (first < lines.Count && EchoedCommand.IsMatch(lines[first])) first++;
        while (first < lines.Count && lines[first].Trim().Length == 0) first++;
        if (first == lines.Count)
            throw new HastOutputException(source, 0, "no hastctl output in it (empty)");
        var head = lines[first].Trim();
        if (TableHeader.IsMatch(head)) return Table(lines, first + 1, node, source);
        if (ResourceHeader.IsMatch(head)) return List(lines, first, node, source);
        throw new HastOutputException(source, first + 1,
            $"neither 'hastctl list' output (a 'NAME:' line first) nor the 'hastctl status' table (a 'Name Status Role Components' header first): '{Names.Printable(head)}'");
    }

    private static IReadOnlyList<HastResourceStatus> Table(List<string> lines, int start, string? node, string source)
    {
        var result = new List<HastResourceStatus>();
        for (var i = start; i < lines.Count; i++)
        {
            var fields = lines[i].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            var r = new HastResourceStatus { Resource = fields[0], Node = node, Format = "status-table" };
            if (fields.Length == 2 && ErrorCell.Match(fields[1]) is { Success: true } err)
            {
                r.Error = int.Parse(err.Groups[1].Value, CultureInfo.InvariantCulture);
                result.Add(r);
                continue;
            }
            if (fields.Length > 5)
                throw new HastOutputException(source, i + 1, $"{fields.Length} fields; a 'hastctl status' row has 5 (name, status, role, local path, remote)");
            if (fields.Length < 3)
                throw new HastOutputException(source, i + 1, $"'{Names.Printable(lines[i].Trim())}' is not a 'hastctl status' row (name, status, role, local path, remote)");
            r.Status = StatusOf(fields[1]);
            SetRole(r, fields[2]);
            if (fields.Length > 3) r.LocalPath = fields[3];
            if (fields.Length > 4) r.Remote = fields[4];
            else r.Warnings.Add($"line {i + 1}: {5 - fields.Length} of the 5 fields missing (cut off?)");
            result.Add(r);
        }
        return result;
    }

    private static IReadOnlyList<HastResourceStatus> List(List<string> lines, int start, string? node, string source)
    {
        var result = new List<HastResourceStatus>();
        HastResourceStatus? r = null;
        var inBlock = false;
        var format = "list";
        for (var i = start; i < lines.Count; i++)
        {
            var raw = lines[i];
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var indented = raw[0] == ' ' || raw[0] == '\t';
            var header = ResourceHeader.Match(line);
            if (!indented && header.Success && !(r != null && BlockKeys.Contains(header.Groups[1].Value)))
            {
                r = new HastResourceStatus { Resource = header.Groups[1].Value, Node = node };
                result.Add(r);
                inBlock = false;
                continue;
            }
            var kv = KeyValue.Match(line);
            if (!kv.Success)
            {
                // A capture cut off in its last line: keep what came before it, and say so.
                if (i == lines.Count - 1 && r != null)
                {
                    r.Warnings.Add($"line {i + 1}: '{Names.Printable(line)}' is not 'key: value' (cut off?); ignored");
                    continue;
                }
                throw new HastOutputException(source, i + 1, $"'{Names.Printable(line)}' is not a 'key: value' line of 'hastctl list'");
            }
            var key = kv.Groups[1].Value;
            var value = kv.Groups[2].Success ? kv.Groups[2].Value.Trim() : "";
            if (BlockKeys.Contains(key) && value.Length == 0) { inBlock = true; continue; }
            // Keys indented deeper than a resource's own are statistics; without indents, only known resource keys end the block.
            if (inBlock && (Indent(raw) > 2 || !ResourceKeys.Contains(key))) continue;
            inBlock = false;
            if (!indented) format = "status-old";
            Set(r!, key, value, i + 1);
        }
        foreach (var x in result) x.Format = format;
        return result;
    }

    private static readonly string[] ResourceKeys =
        { "role", "provname", "localpath", "extentsize", "keepdirty", "remoteaddr", "sourceaddr", "replication", "status", "workerpid", "dirty", "error" };

    private static void Set(HastResourceStatus r, string key, string value, int line)
    {
        switch (key)
        {
            case "role": SetRole(r, value); break;
            case "provname": r.ProviderName = value; break;
            case "localpath": r.LocalPath = value; break;
            case "remoteaddr": r.Remote = value; break;
            case "sourceaddr": r.Source = value; break;
            case "replication": r.Replication = value; break;
            case "status": r.Status = StatusOf(value); break;
            case "extentsize": r.ExtentSize = Number(r, key, value, line); break;
            case "dirty": r.Dirty = Number(r, key, value, line); break;
            case "keepdirty": r.KeepDirty = (int?)Number(r, key, value, line, int.MaxValue); break;
            case "workerpid": r.WorkerPid = (int?)Number(r, key, value, line, int.MaxValue); break;
            case "error": r.Error = (int?)Number(r, key, value, line, int.MaxValue); break;
            // Other keys (newer hastctl versions add some) carry nothing HaTools decides on.
        }
    }

    private static long? Number(HastResourceStatus r, string key, string value, int line, long max = long.MaxValue)
    {
        var m = LeadingNumber.Match(value);
        if (m.Success && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max) return n;
        r.Warnings.Add($"line {line}: {key}: '{Names.Printable(value)}' is not a number; ignored");
        return null;
    }

    private static void SetRole(HastResourceStatus r, string value)
    {
        r.RoleText = value;
        r.Role = value switch { "init" => HastRole.Init, "primary" => HastRole.Primary, "secondary" => HastRole.Secondary, _ => HastRole.Unknown };
    }

    private static HastSyncStatus StatusOf(string value) => value switch
    {
        "complete" => HastSyncStatus.Complete,
        "degraded" => HastSyncStatus.Degraded,
        _ => HastSyncStatus.Unknown,
    };

    /// <summary>Leading blanks, a tab counting 8 (both tools indent with tabs, and saved copies with spaces).</summary>
    internal static int Indent(string raw)
    {
        var n = 0;
        foreach (var c in raw)
        {
            if (c == ' ') n++;
            else if (c == '\t') n += 8;
            else break;
        }
        return n;
    }
}
