using System.Globalization;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Formats a message from Resources/Strings.resx in the current culture.</summary>
internal static class Msg
{
    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
