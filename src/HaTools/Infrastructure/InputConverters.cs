using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Turns parameter values into Core's types. Pure; throws ArgumentException (→ ArgumentInvalid) on bad input.</summary>
internal static class InputConverters
{
    /// <summary>-Node entries "name=address" or "name" (+ the matching -Address, else the name itself is the address).</summary>
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

    /// <summary>A hashtable of string → scalar (resource parameters, meta attributes) into a dictionary.</summary>
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

    /// <summary>-Operation @{ name = 'monitor'; interval = '10s'; timeout = '20s'; role = 'Promoted' }.</summary>
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
