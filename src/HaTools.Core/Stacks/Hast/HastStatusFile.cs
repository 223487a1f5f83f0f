using System.Collections.Generic;
using System.IO;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>The offline status of Get-HastStatus -FromFile and <c>hatools hast-status --from</c>: a saved
/// <c>hastctl list</c> or <c>hastctl status</c> output, one object per resource, no node contacted.</summary>
public static class HastStatusFile
{
    /// <summary>hastctl's output for a few hundred resources is a few hundred KiB; a larger file is not one.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <param name="path">The saved output.</param>
    /// <param name="node">The node it was saved on (hastctl does not print it); null when not given.</param>
    public static IReadOnlyList<HastResourceStatus> Read(string path, string? node)
    {
        if (node != null) Names.Require(node, "node name");
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"hastctl output file '{path}' was not found", path);
        if (info.Length > MaxBytes) throw new HastOutputException(path, 0, $"{info.Length} bytes is more than any hastctl output ({MaxBytes} at most)");
        return HastctlParser.Parse(File.ReadAllText(path), node, path);
    }
}
