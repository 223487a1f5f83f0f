using System.Text.RegularExpressions;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>The one rule for names that reach a node (nodes, resources, constraints, clusters).</summary>
public static class Names
{
    /// <summary>^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$</summary>
    public static readonly Regex Pattern = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z", RegexOptions.CultureInvariant);

    public static bool IsValid(string? name) => name != null && Pattern.IsMatch(name);

    public static string Require(string? name, string what)
    {
        if (!IsValid(name))
            throw new HaException($"invalid {what} '{Printable(name)}': use 1 to 63 of A-Z a-z 0-9 . _ - starting with a letter or digit") { Target = name };
        return name!;
    }

    /// <summary>A form of an untrusted string that is safe to show in one line of a message.</summary>
    public static string Printable(string? s)
    {
        if (s == null) return "";
        var sb = new System.Text.StringBuilder();
        foreach (var c in s)
        {
            if (sb.Length > 80) { sb.Append('…'); break; }
            sb.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }
        return sb.ToString();
    }
}
