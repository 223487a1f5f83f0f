using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>One node as a CTDB node sees it (ctdb status, from the node that was asked).</summary>
public sealed class CtdbNode
{
    public int Pnn { get; set; }
    public string Address { get; set; } = "";
    /// <summary>The set flags in ctdb's order and words (DISCONNECTED, UNKNOWN, BANNED, DISABLED, UNHEALTHY, STOPPED,
    /// INACTIVE, PARTIALLYONLINE); empty when the node is OK.</summary>
    public List<string> Flags { get; } = new List<string>();
    /// <summary>The node that answered.</summary>
    public bool ThisNode { get; set; }

    /// <summary>As ctdb status prints it: OK, or the flags joined by '|'.</summary>
    public string State => Flags.Count == 0 ? "OK" : string.Join("|", Flags);
    public bool Ok => Flags.Count == 0;
}

/// <summary>What ctdb status says: the nodes, and (text form only) the generation, recovery mode and leader.</summary>
public sealed class CtdbStatus
{
    public List<CtdbNode> Nodes { get; } = new List<CtdbNode>();
    /// <summary>"INVALID" until the node has joined a cluster through a recovery; null in the machine form.</summary>
    public string? Generation { get; set; }
    /// <summary>NORMAL or RECOVERY (databases frozen: smbd waits); null in the machine form.</summary>
    public string? RecoveryMode { get; set; }
    /// <summary>The leader's PNN ("Leader:" in 4.16 and later, "Recovery master:" before); null in the machine form.</summary>
    public int? Leader { get; set; }

    public CtdbNode? Self => Nodes.FirstOrDefault(n => n.ThisNode);
}

/// <summary>
/// Parses <c>ctdb -X status</c> (the machine form: '|'-separated, a header line naming the columns) and <c>ctdb status</c>
/// (text). Written against the real outputs of ctdb 4.17 captured in the lab (tests/…/FileServices/captures) and the
/// tool's print_nodemap_machine / print_status: the machine form has a column per flag, named in its header (4.17 added
/// Unknown), and lists nodes only; the text form has the flags joined by '|' and " (THIS NODE)" on the asking node.
/// </summary>
public static class CtdbStatusParser
{
    /// <summary>Columns of the machine form that are flags, in ctdb's order; the rest are Node, IP and ThisNode.</summary>
    private static readonly string[] FlagColumns = { "Disconnected", "Unknown", "Banned", "Disabled", "Unhealthy", "Stopped", "Inactive", "PartiallyOnline" };

    public static CtdbStatus ParseMachine(string text)
    {
        var s = new CtdbStatus();
        string[]? header = null;
        foreach (var raw in Lines(text))
        {
            if (!raw.StartsWith("|", StringComparison.Ordinal)) continue;
            var cells = raw.Trim('|').Split('|');
            if (header == null)
            {
                if (!cells.Contains("Node") || !cells.Contains("IP"))
                    throw new FormatException($"ctdb -X status: no header line before '{Transport.Names.Printable(raw)}'");
                header = cells;
                continue;
            }
            string Cell(string name) { var i = Array.IndexOf(header, name); return i >= 0 && i < cells.Length ? cells[i] : ""; }
            if (!int.TryParse(Cell("Node"), NumberStyles.None, CultureInfo.InvariantCulture, out var pnn))
                throw new FormatException($"ctdb -X status: not a node line: '{Transport.Names.Printable(raw)}'");
            var n = new CtdbNode { Pnn = pnn, Address = Cell("IP"), ThisNode = Cell("ThisNode") == "Y" };
            // PARTIALLYONLINE is said alone, as ctdb status prints it.
            if (Cell("PartiallyOnline") == "1") n.Flags.Add("PARTIALLYONLINE");
            else n.Flags.AddRange(FlagColumns.Where(f => Cell(f) == "1").Select(f => f.ToUpperInvariant()));
            s.Nodes.Add(n);
        }
        if (header == null) throw new FormatException("ctdb -X status: no output");
        return s;
    }

    public static CtdbStatus ParseText(string text)
    {
        var s = new CtdbStatus();
        var any = false;
        foreach (var line in Lines(text))
        {
            if (line.StartsWith("pnn:", StringComparison.Ordinal))
            {
                var rest = line.Substring(4);
                var parts = rest.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pnn))
                    throw new FormatException($"ctdb status: not a node line: '{Transport.Names.Printable(line)}'");
                var n = new CtdbNode { Pnn = pnn, Address = parts[1], ThisNode = rest.EndsWith("(THIS NODE)", StringComparison.Ordinal) };
                if (parts[2] != "OK") n.Flags.AddRange(parts[2].Split('|'));
                s.Nodes.Add(n);
                any = true;
            }
            else if (line.StartsWith("Number of nodes:", StringComparison.Ordinal)) any = true;
            else if (line.StartsWith("Generation:", StringComparison.Ordinal)) s.Generation = line.Substring(11).Trim();
            else if (line.StartsWith("Recovery mode:", StringComparison.Ordinal)) s.RecoveryMode = line.Substring(14).Split(' ')[0];
            else if (line.StartsWith("Leader:", StringComparison.Ordinal) || line.StartsWith("Recovery master:", StringComparison.Ordinal))
                s.Leader = int.TryParse(line.Substring(line.IndexOf(':') + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
        }
        if (!any) throw new FormatException("ctdb status: no output");
        return s;
    }

    private static IEnumerable<string> Lines(string text) => text.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0);
}
