using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>Pacemaker's interval/timeout syntax (crm_get_msec and ISO 8601 durations), in milliseconds.</summary>
public static class PcmkDuration
{
    private static readonly Regex Simple = new Regex(@"^\s*(\d+)\s*(ms|msec|us|usec|s|sec|m|min|h|hr)?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex Iso = new Regex(@"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Milliseconds, or null when the text is not a duration. A bare number is seconds.</summary>
    public static long? ToMilliseconds(string? text)
    {
        if (text == null) return null;
        var m = Simple.Match(text);
        if (m.Success)
        {
            if (m.Groups[1].Value.Length > 12) return null;
            var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            switch (m.Groups[2].Value.ToLowerInvariant())
            {
                case "ms": case "msec": return n;
                case "us": case "usec": return n / 1000;
                case "m": case "min": return n * 60000;
                case "h": case "hr": return n * 3600000;
                default: return n * 1000;
            }
        }
        var t = text.Trim();
        var i = Iso.Match(t);
        if (!i.Success || t == "P" || t.EndsWith("T", StringComparison.OrdinalIgnoreCase)) return null;
        long Part(int g) => i.Groups[g].Success && i.Groups[g].Value.Length <= 9 ? long.Parse(i.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        return (((Part(1) * 24 + Part(2)) * 60 + Part(3)) * 60 + Part(4)) * 1000;
    }
}
