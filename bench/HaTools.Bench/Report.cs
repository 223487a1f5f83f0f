using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace HaTools.Bench;

/// <summary>
/// The results table. SAMPLES: one sample per line, "label TAB value" (seconds, or MiB for labels ending in .mib).
/// COMPARISONS: one row per line, "title TAB hatools-label TAB peer-label TAB goal TAB note", where peer-label may be
/// "-" (no peer: the goal is absolute) and goal is "ratio<=X", "max<=X" (HaTools' median, in the label's unit) or "-".
/// Medians only: machines here are noisy, so single absolute times are never compared.
/// </summary>
internal static class Report
{
    public static int Run(Args a)
    {
        if (a.Positionals.Count < 2) throw new ArgumentException("report needs SAMPLES and COMPARISONS");
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in File.ReadLines(a.Positionals[0]))
        {
            var p = line.Split('\t');
            if (p.Length < 2 || !double.TryParse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) continue;
            if (!samples.TryGetValue(p[0], out var list)) { samples[p[0]] = list = new List<double>(); order.Add(p[0]); }
            list.Add(v);
        }

        var rows = new List<string[]>();
        var missed = 0;
        foreach (var line in File.ReadLines(a.Positionals[1]))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var p = line.Split('\t');
            if (p.Length < 4) continue;
            var (title, hl, pl, goal) = (p[0], p[1], p[2], p[3]);
            var note = p.Length > 4 ? p[4] : "";
            var h = Median(samples, hl);
            var peer = pl == "-" ? null : Median(samples, pl);
            double? ratio = h != null && peer != null && peer.Value > 0 ? h / peer : null;
            string met = "-";
            if (goal.StartsWith("ratio<=", StringComparison.Ordinal) && ratio != null)
                met = ratio <= Num(goal.Substring(7)) ? "yes" : "NO";
            else if (goal.StartsWith("max<=", StringComparison.Ordinal) && h != null)
                met = h <= Num(goal.Substring(5)) ? "yes" : "NO";
            else if (goal != "-") met = "n/a";
            if (met == "NO") missed++;
            rows.Add(new[]
            {
                title, Describe(samples, hl), Describe(samples, pl), ratio == null ? "-" : ratio.Value.ToString("0.00", CultureInfo.InvariantCulture) + "×",
                goal.Replace("ratio<=", "≤ ").Replace("max<=", "≤ ") + (goal.StartsWith("ratio", StringComparison.Ordinal) ? "×" : goal.StartsWith("max", StringComparison.Ordinal) ? Unit(hl) : ""),
                met, note,
            });
        }

        Console.Out.WriteLine("| measure | HaTools: median (n) | peer: median (n) | ratio | goal | met | notes |");
        Console.Out.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows) Console.Out.WriteLine("| " + string.Join(" | ", r) + " |");
        Console.Out.WriteLine();
        Console.Out.WriteLine("All samples (median / min / max, n):");
        Console.Out.WriteLine();
        Console.Out.WriteLine("| label | median | min | max | n |");
        Console.Out.WriteLine("|---|---|---|---|---|");
        foreach (var l in order)
        {
            var s = samples[l];
            Console.Out.WriteLine($"| {l} | {Fmt(Med(s), l)} | {Fmt(s.Min(), l)} | {Fmt(s.Max(), l)} | {s.Count} |");
        }
        return missed == 0 ? 0 : 3;
    }

    private static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static double? Median(Dictionary<string, List<double>> samples, string label) =>
        label != "-" && samples.TryGetValue(label, out var s) && s.Count > 0 ? Med(s) : null;

    private static double Med(List<double> s)
    {
        var o = s.OrderBy(x => x).ToList();
        return o.Count % 2 == 1 ? o[o.Count / 2] : (o[o.Count / 2 - 1] + o[o.Count / 2]) / 2;
    }

    private static string Unit(string label) => label.EndsWith(".mib", StringComparison.Ordinal) ? " MiB" : " s";

    private static string Fmt(double v, string label) =>
        label.EndsWith(".mib", StringComparison.Ordinal) ? v.ToString("0", CultureInfo.InvariantCulture) + " MiB"
        : v < 1 ? (v * 1000).ToString("0", CultureInfo.InvariantCulture) + " ms" : v.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Describe(Dictionary<string, List<double>> samples, string label)
    {
        if (label == "-") return "-";
        if (!samples.TryGetValue(label, out var s) || s.Count == 0) return $"`{label}`: not measured";
        return $"`{label}` {Fmt(Med(s), label)} ({s.Count})";
    }
}
