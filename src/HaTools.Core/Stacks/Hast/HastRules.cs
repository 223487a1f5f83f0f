using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.Hast;

/// <summary>What hastd's lexer (sbin/hastd/token.l), ifconfig's CARP (carp.4) and zpool accept, checked before anything is
/// generated. Pure functions: null when fine, otherwise the reason.</summary>
internal static class HastRules
{
    public static readonly string[] Replications = { "memsync", "fullsync", "async" };
    public static readonly string[] Checksums = { "none", "crc32", "sha256" };
    public static readonly string[] Compressions = { "hole", "none", "lzf" };
    public static readonly string[] VdevTypes = { "stripe", "mirror", "raidz1", "raidz2", "raidz3" };
    public static readonly string[] Failmodes = { "wait", "continue", "panic" };

    /// <summary>token.l's keywords: reserved everywhere, so a node or resource with one of these names is a syntax error.</summary>
    public static readonly string[] Keywords =
    {
        "control", "pidfile", "listen", "replication", "checksum", "compression", "timeout", "exec", "metaflush",
        "resource", "name", "local", "remote", "source", "on", "off", "fullsync", "memsync", "async", "none", "crc32",
        "sha256", "hole", "lzf",
    };

    // token.l's bare word is [a-zA-Z0-9.\-_/:\[\]]+; a device path also goes into argv, so '[' ']' are left out.
    private static readonly Regex LocalPath = new Regex(@"\A/[A-Za-z0-9._/:-]+\z", RegexOptions.CultureInvariant);
    private static readonly Regex EnvName = new Regex(@"\A[A-Za-z_][A-Za-z0-9_]{0,127}\z", RegexOptions.CultureInvariant);

    /// <summary>A node or resource name that hastd's lexer reads as one word: not a keyword, not all digits (a NUM token).</summary>
    public static string? TokenProblem(string name, string what)
    {
        if (name.Length == 0) return null; // reported as missing elsewhere
        if (Keywords.Contains(name))
            return $"'{Names.Printable(name)}' is a hast.conf keyword and cannot be a {what} (hastd reports a syntax error)";
        if (name.All(c => c >= '0' && c <= '9'))
            return $"'{Names.Printable(name)}' is all digits: hastd reads it as a number, not a {what} name";
        return null;
    }

    public static string? LocalPathProblem(string s)
    {
        var p = SpecRules.PathProblem(s, mustBeAbsolute: true);
        if (p != null) return p;
        if (!LocalPath.IsMatch(s) || s.Split('/').Any(x => x == ".."))
            return $"device path '{Names.Printable(s)}' may hold only letters, digits and . _ / : - (hast.conf's word characters; no '..')";
        return null;
    }

    /// <summary>A replication address: an IPv4 address (hastd also takes IPv6 and host names; their hast.conf forms are not
    /// verified here, and a replication path should not depend on DNS).</summary>
    public static string? Ipv4Problem(string s) =>
        s.Length > 0 && s.All(c => (c >= '0' && c <= '9') || c == '.') && SpecRules.AddressProblem(s) == null
            ? null
            : $"invalid IPv4 address '{Names.Printable(s)}' (the replication address is an IPv4 address)";

    /// <summary>A CARP address: IPv4 with an optional /prefix (0..32).</summary>
    public static string? CarpAddressProblem(string s)
    {
        var slash = s.IndexOf('/');
        var ip = slash < 0 ? s : s.Substring(0, slash);
        if (Ipv4Problem(ip) != null) return $"invalid CARP address '{Names.Printable(s)}': use an IPv4 address with an optional prefix (192.0.2.50/32)";
        if (slash < 0) return null;
        var prefix = s.Substring(slash + 1);
        return prefix.Length is >= 1 and <= 2 && prefix.All(char.IsDigit) && int.Parse(prefix, CultureInfo.InvariantCulture) <= 32
            ? null
            : $"invalid prefix in CARP address '{Names.Printable(s)}': use /0 to /32";
    }

    public static string? EnvNameProblem(string s) =>
        EnvName.IsMatch(s) ? null : $"invalid environment variable name '{Names.Printable(s)}': letters, digits and '_', not starting with a digit";

    /// <summary>zpool's pool names: begin with a letter; 'mirror', 'raidz', 'draid', 'spare' (as prefixes) and 'log' are
    /// reserved, and c0… looks like a disk name. Stricter than zpool (no ':' or space) because the name goes into argv.</summary>
    public static string? PoolNameProblem(string s)
    {
        var np = SpecRules.NameProblem(s);
        if (np != null) return np;
        if (!char.IsLetter(s[0])) return $"pool name '{Names.Printable(s)}' must begin with a letter";
        if (new[] { "mirror", "raidz", "draid", "spare" }.Any(r => s.StartsWith(r, StringComparison.Ordinal)) || s == "log")
            return $"pool name '{Names.Printable(s)}' is reserved by zpool (mirror…, raidz…, draid…, spare…, log)";
        if (s.Length >= 2 && s[0] == 'c' && char.IsDigit(s[1])) return $"pool name '{Names.Printable(s)}' looks like a disk name (c0…), which zpool refuses";
        return null;
    }

    /// <summary>The fewest devices zpool takes for a vdev of this type.</summary>
    public static int MinDevices(string type) => type switch { "mirror" => 2, "raidz1" => 2, "raidz2" => 3, "raidz3" => 4, _ => 1 };

    /// <summary>ifconfig pass: at most 20 bytes (CARP_KEY_LEN). It goes into rc.conf inside double quotes and into
    /// ifconfig's words, so no space, quote, '$', '`' or '\'. The reason never repeats the value.</summary>
    public static string? CarpPasswordProblem(string s)
    {
        if (s.Length == 0) return "the CARP password is empty";
        if (System.Text.Encoding.UTF8.GetByteCount(s) > 20) return "the CARP password is longer than 20 bytes (CARP_KEY_LEN)";
        foreach (var c in s)
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '$' || c == '`' || c == '\\')
                return "the CARP password may hold only printable ASCII without spaces, quotes, '$', '`' or '\\'";
        return null;
    }
}
