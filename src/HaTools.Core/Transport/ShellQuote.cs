using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HaTools.Core.Transport;

/// <summary>
/// The one place that turns an argv into a POSIX shell command line. Every argument is quoted once,
/// with single quotes, so that any byte sequence (;, $(), backticks, quotes, newlines, non-ASCII)
/// reaches the remote program verbatim as one argument.
/// </summary>
public static class ShellQuote
{
    public static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(IsSafe)) return arg;
        var sb = new StringBuilder(arg.Length + 2);
        sb.Append('\'');
        foreach (var c in arg)
        {
            if (c == '\'') sb.Append("'\\''");
            else sb.Append(c);
        }
        sb.Append('\'');
        return sb.ToString();
    }

    public static string Join(IEnumerable<string> argv) => string.Join(" ", argv.Select(Quote));

    private static bool IsSafe(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '/' || c == '=' || c == ':' || c == ',' || c == '@' || c == '+' || c == '%';
}
