using System.Text;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>Pacemaker ids are XML IDs: HaTools names that also start with a letter or '_'.</summary>
public static class CibIds
{
    private static readonly Regex XmlIdStart = new Regex("^[A-Za-z_]", RegexOptions.CultureInvariant);

    /// <summary>
    /// <see cref="Names.Require"/>, plus a refusal of a trailing line feed: .NET's '$' also matches before a final
    /// "\n", so Names.Pattern alone lets "vip\n" through.
    /// </summary>
    public static string RequireName(string? name, string what)
    {
        Names.Require(name, what);
        if (name!.IndexOf('\n') >= 0 || name.IndexOf('\r') >= 0)
            throw new HaException($"invalid {what} '{Names.Printable(name)}': use 1 to 63 of A-Z a-z 0-9 . _ - starting with a letter or digit") { Target = name };
        return name;
    }

    /// <summary>A HaTools name (<see cref="RequireName"/>) that Pacemaker also accepts as an id.</summary>
    public static string Require(string? id, string what)
    {
        RequireName(id, what);
        if (!XmlIdStart.IsMatch(id!))
            throw new HaException($"invalid {what} '{Names.Printable(id)}': Pacemaker ids must start with a letter") { Target = id };
        return id!;
    }

    /// <summary>Joins parts into an id, turning characters an XML ID cannot hold into '_'.</summary>
    public static string Make(params string[] parts)
    {
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            if (sb.Length > 0) sb.Append('-');
            foreach (var c in part)
                sb.Append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ? c : '_');
        }
        if (sb.Length == 0 || !XmlIdStart.IsMatch(sb.ToString())) sb.Insert(0, '_');
        return sb.ToString();
    }
}
