using System;
using System.Linq;

namespace HaTools.Core;

/// <summary>How command output appears inside messages.</summary>
internal static class MessageText
{
    /// <summary>The end of a command's stderr, on one line, for messages.</summary>
    public static string Tail(string s)
    {
        s = string.Join(" / ", s.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return s.Length <= 300 ? s : "…" + s.Substring(s.Length - 300);
    }
}
