using System;
using System.Globalization;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>Pacemaker scores: integers and ±INFINITY (1,000,000).</summary>
public static class PcmkScore
{
    /// <summary>The number Pacemaker treats as infinity.</summary>
    public const int Infinity = 1000000;

    /// <summary>Checks a score and writes it the way Pacemaker does: INFINITY, -INFINITY or a plain integer.</summary>
    public static string Normalize(string? score, string what)
    {
        var s = (score ?? "").Trim();
        if (s.Length == 0) return "INFINITY";
        var sign = "";
        if (s[0] == '+' || s[0] == '-')
        {
            sign = s[0] == '-' ? "-" : "";
            s = s.Substring(1);
        }
        if (string.Equals(s, "INFINITY", StringComparison.OrdinalIgnoreCase)) return sign + "INFINITY";
        if (s.Length > 0 && s.Length <= 9 && IsDigits(s))
        {
            var n = int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
            return n == 0 ? "0" : sign + n.ToString(CultureInfo.InvariantCulture);
        }
        throw new HaException($"{what}: score '{score}' is not an integer, INFINITY or -INFINITY");
    }

    /// <summary>The score of an avoids: constraint: INFINITY → -INFINITY, N → -N; already negative stays as is.</summary>
    public static string Negate(string? score, string what)
    {
        var s = Normalize(score, what);
        return s.StartsWith("-", StringComparison.Ordinal) || s == "0" ? s : "-" + s;
    }

    /// <summary>A score as a number (±1,000,000 for ±INFINITY); null when it is not a score.</summary>
    public static int? ToInt(string? score)
    {
        var s = (score ?? "").Trim();
        if (s.Length == 0) return null;
        var negative = s[0] == '-';
        if (s[0] == '+' || s[0] == '-') s = s.Substring(1);
        if (string.Equals(s, "INFINITY", StringComparison.OrdinalIgnoreCase)) return negative ? -Infinity : Infinity;
        if (s.Length == 0 || s.Length > 10 || !IsDigits(s)) return null;
        var n = long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        if (n > Infinity) n = Infinity;
        return (int)(negative ? -n : n);
    }

    private static bool IsDigits(string s)
    {
        foreach (var c in s) if (c < '0' || c > '9') return false;
        return true;
    }
}
