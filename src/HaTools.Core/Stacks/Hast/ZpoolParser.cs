using System;
using System.Collections.Generic;
using System.Linq;

namespace HaTools.Core.Stacks.Hast;

/// <summary>One pool from <c>zpool list</c>.</summary>
public sealed class ZpoolInfo
{
    public string Name { get; set; } = "";
    /// <summary>ONLINE, DEGRADED, FAULTED, OFFLINE, REMOVED, UNAVAIL, SUSPENDED.</summary>
    public string Health { get; set; } = "";
    /// <summary>As printed (928G); null in the scripted form without a size column.</summary>
    public string? Size { get; set; }
}

/// <summary>One device of a pool's configuration in <c>zpool status</c> (a HAST vdev shows as hast/NAME).</summary>
public sealed class ZpoolDevice
{
    public string Name { get; set; } = "";
    public string State { get; set; } = "";
    /// <summary>Indent depth below the pool: 1 for a top-level vdev, 2 for a device of a mirror/raidz.</summary>
    public int Depth { get; set; }
}

public sealed class ZpoolStatus
{
    public string Pool { get; set; } = "";
    public string State { get; set; } = "";
    public List<ZpoolDevice> Devices { get; } = new List<ZpoolDevice>();
    /// <summary>The errors: line (No known data errors).</summary>
    public string? Errors { get; set; }
}

/// <summary>
/// Reads <c>zpool list</c> (the table with a NAME … HEALTH header, or the scripted <c>zpool list -H -o name,health</c>:
/// one <c>name\tHEALTH</c> line per pool, no header) and <c>zpool status</c> (per pool <c>pool:</c>, <c>state:</c>,
/// <c>config:</c> with a NAME STATE READ WRITE CKSUM table, <c>errors:</c>), as OpenZFS prints them (cmd/zpool/zpool_main.c).
/// </summary>
public static class ZpoolParser
{
    public static IReadOnlyList<ZpoolInfo> ParseList(string text)
    {
        var lines = Lines(text).Where(l => l.Trim().Length > 0).ToList();
        var result = new List<ZpoolInfo>();
        if (lines.Count == 0 || lines[0].Trim() == "no pools available") return result;
        var head = Split(lines[0]);
        if (head.Length > 0 && head[0] == "NAME")
        {
            var health = Array.IndexOf(head, "HEALTH");
            var size = Array.IndexOf(head, "SIZE");
            if (health < 0) throw new HastOutputException("zpool list", 1, "no HEALTH column in the header");
            foreach (var f in lines.Skip(1).Select(Split).Where(f => f.Length == head.Length))
                result.Add(new ZpoolInfo { Name = f[0], Health = f[health], Size = size >= 0 ? f[size] : null });
            return result;
        }
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var f = l.Split('\t');
            if (f.Length < 2) throw new HastOutputException("zpool list -H", i + 1, $"'{Transport.Names.Printable(l)}' is not NAME<TAB>HEALTH");
            result.Add(new ZpoolInfo { Name = f[0], Health = f[1].Trim() });
        }
        return result;
    }

    public static IReadOnlyList<ZpoolStatus> ParseStatus(string text)
    {
        var result = new List<ZpoolStatus>();
        ZpoolStatus? pool = null;
        var inConfig = false;
        int poolIndent = -1;
        foreach (var raw in Lines(text))
        {
            var line = raw.Trim();
            if (line.StartsWith("pool:", StringComparison.Ordinal))
            {
                pool = new ZpoolStatus { Pool = line.Substring(5).Trim() };
                result.Add(pool);
                inConfig = false;
                continue;
            }
            if (pool == null) continue;
            if (line.StartsWith("state:", StringComparison.Ordinal)) { pool.State = line.Substring(6).Trim(); continue; }
            if (line.StartsWith("config:", StringComparison.Ordinal)) { inConfig = true; poolIndent = -1; continue; }
            if (line.StartsWith("errors:", StringComparison.Ordinal)) { pool.Errors = line.Substring(7).Trim(); inConfig = false; continue; }
            if (!inConfig || line.Length == 0) continue;
            var f = Split(raw);
            if (f[0] == "NAME") continue;
            var indent = HastctlParser.Indent(raw);
            if (f[0] == pool.Pool && poolIndent < 0) { poolIndent = indent; continue; }
            if (poolIndent < 0 || f.Length < 2) continue;
            pool.Devices.Add(new ZpoolDevice { Name = f[0], State = f[1], Depth = Math.Max(1, (indent - poolIndent) / 2) });
        }
        return result;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');

    private static string[] Split(string line) => line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
}
