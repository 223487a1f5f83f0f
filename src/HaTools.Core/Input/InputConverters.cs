using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Input;

/// <summary>Turns what an operator typed (cmdlet parameters or hatools arguments) into Core's types, the same way for
/// both fronts. Pure; throws ArgumentException on bad input, with the message the caller's formatter gives.</summary>
public static class InputConverters
{
    /// <summary>Node entries "name=address" or "name" (+ the matching address, else the name itself is the address).</summary>
    public static IReadOnlyList<NodeSpec> Nodes(IReadOnlyList<string> nodes, IReadOnlyList<string>? addresses, Func<string, string> invalid, Func<int, int, string> countMismatch)
    {
        if (addresses != null && addresses.Count > 0 && addresses.Count != nodes.Count)
            throw new ArgumentException(countMismatch(addresses.Count, nodes.Count));
        var result = new List<NodeSpec>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var entry = nodes[i] ?? "";
            var eq = entry.IndexOf('=');
            var name = eq < 0 ? entry.Trim() : entry.Substring(0, eq).Trim();
            var address = eq < 0 ? (addresses != null && addresses.Count > 0 ? addresses[i] : name) : entry.Substring(eq + 1).Trim();
            if (!Names.IsValid(name) || string.IsNullOrWhiteSpace(address) || ContainsWhiteSpace(address))
                throw new ArgumentException(invalid(Names.Printable(entry)));
            result.Add(new NodeSpec { Name = name, Address = address });
        }
        return result;
    }

    /// <summary>A table of string → scalar (resource parameters, meta attributes) into a dictionary.</summary>
    public static void CopyTo(IDictionary? table, IDictionary<string, string> target, string parameterName, Func<string, string, string> nullValue)
    {
        if (table == null) return;
        foreach (DictionaryEntry entry in table)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
            var value = Scalar(entry.Value) ?? throw new ArgumentException(nullValue(parameterName, key));
            target[key] = value;
        }
    }

    /// <summary>"key=value" words (hatools resource add NAME AGENT ip=10.0.0.50 …) as an ordered table for <see cref="CopyTo"/>.
    /// The first '=' splits, so a value may hold '=' itself; a later duplicate key wins, as a hashtable entry would.</summary>
    public static IDictionary KeyValues(IEnumerable<string> words, Func<string, string> notKeyValue)
    {
        var table = new System.Collections.Specialized.OrderedDictionary(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var i = word.IndexOf('=');
            if (i <= 0) throw new ArgumentException(notKeyValue(word));
            table[word.Substring(0, i)] = word.Substring(i + 1);
        }
        return table;
    }

    /// <summary>An operation as a table: { name = 'monitor'; interval = '10s'; timeout = '20s'; role = 'Promoted' }.</summary>
    public static OperationSpec Operation(IDictionary table, int index, Func<int, string, string> invalid, Func<string, string> unknownKey)
    {
        var op = new OperationSpec();
        foreach (DictionaryEntry entry in table)
        {
            var key = (Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "").ToLowerInvariant();
            var value = Scalar(entry.Value);
            switch (key)
            {
                case "name": op.Name = value ?? op.Name; break;
                case "interval": op.Interval = value ?? op.Interval; break;
                case "timeout": op.Timeout = value; break;
                case "role": op.Role = value; break;
                default: throw new ArgumentException(invalid(index, unknownKey(key)));
            }
        }
        return op;
    }

    /// <summary>An operation written on one word, "name=monitor,interval=10s,timeout=20s" (hatools --op): the same keys
    /// and checks as the table form. Durations and roles hold no comma, so the comma can separate the pairs.</summary>
    public static OperationSpec Operation(string word, int index, Func<int, string, string> invalid, Func<string, string> unknownKey)
    {
        IDictionary table;
        try { table = KeyValues(word.Split(','), w => $"'{w}' is not key=value"); }
        catch (ArgumentException e) { throw new ArgumentException(invalid(index, e.Message)); }
        return Operation(table, index, invalid, unknownKey);
    }

    /// <summary>An octal file mode as the nodes get it: three digits gain the leading 0 ("644" → "0644"); null when it is no mode.</summary>
    public static string? FileMode(string mode)
    {
        if (mode.Length < 3 || mode.Length > 4 || (mode.Length == 4 && mode[0] != '0')) return null;
        foreach (var c in mode) if (c < '0' || c > '7') return null;
        return mode.Length == 3 ? "0" + mode : mode;
    }

    private static string? Scalar(object? value)
    {
        // PowerShell may hand PSObject-wrapped values; their ToString() is the base object's.
        if (value == null) return null;
        if (value is bool b) return b ? "true" : "false";
        return Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private static bool ContainsWhiteSpace(string s)
    {
        foreach (var c in s) if (char.IsWhiteSpace(c)) return true;
        return false;
    }
}
